"""The compte rendu financier of a convention (CERFA 15059): the action's budget vs
its réalisation, line by line of the CERFA table.

Layout: ``plan_comptable/cerfa_15059.yaml`` (its ``tableau`` is the CERFA 12156
budget table: same lines, same account prefixes, the subsidies 74 by funder type).

The *action* is the convention's project(s):

- **Prévision**: the lines of those projects (``projet:``) in the budget files of
  every exercice overlapping the convention's period (latest version of each),
  each line's amount counted for the part of its monthly échéances inside the
  period (pro rata of days for a period cut inside an échéance);
- **Réalisation**: from the start of the convention to its end (or the reference
  date, ``au`` or the last entry, when earlier): the postings of its projects
  and those tagged ``convention: REF``, classes 6, 7, 86, 87; plus, when the
  convention pays them (``frais_indirects: true``, or the ``repartition``
  override), the projects' share of the indirect costs allocated by the
  clés de répartition, on the lines « charges indirectes réparties affectées à
  l'action » (frais financiers for 66, charges fixes de fonctionnement for the
  rest; their prévision is empty: budget lines are direct costs of the project);
- a convention without project reports on the whole association (every posting
  and budget line), as for a subsidy of general operation;
- a subsidy (74) is shown on the line of its funder type: the convention's
  ``type_financeur`` for a posting attached to a convention, else the account's
  type (``type_financeur:`` metadata of the account, ``financeurs:`` in
  ``communs.yaml``), as in the CERFA 12156 budget table;
- gaps: réalisation − prévision in euros and as a share of the prévision; a gap
  beyond ``seuil_ecart_pct`` (or a réalisation without prévision) is listed in
  the part « Écarts significatifs » with an empty « Explication » column to fill.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TypedDict

from ..analytique.cles import Cles
from ..analytique.repartition import Repartition, repartir
from ..budget.cerfa import ChapitreCerfa, Financeurs, ModeleCerfa, modele_cerfa, ouvertures
from ..budget.fichier import Budgets, LigneBudget
from ..budget.reglages import financeurs_config
from ..codes import longest_prefix
from ..exercices import Exercice, french_date
from ..montants import ZERO
from ..mouvements import Mouvement
from ..plan import familles, load_data_yaml
from ..rapports.source import RapportImpossible, Source
from .emploi import Emploi, emplois
from .fichier import Convention, Conventions

LAYOUT_FILE = "cerfa_15059.yaml"
PREVISION, REALISATION, ECART, ECART_PCT = "prevision", "realisation", "ecart", "ecart_pct"
EXCEDENT, AUTOFINANCEMENT = "excedent", "autofinancement"
# the JSON's « totaux » (the report's main column): both columns and the gap, suffixed
SUFFIXES = {PREVISION: "prevu", REALISATION: "realise", ECART: "ecart"}


@dataclass(frozen=True)
class ModeleCompteRendu:
    titre: str
    formulaire: str
    tableau: ModeleCerfa
    colonnes: dict[str, str]
    indirectes_chapitre: str
    indirectes: dict[str, str]  # account prefix → line id
    seuil: Decimal
    annexes: dict[str, str]
    equilibre: dict[str, str]  # part id → label of its balancing line


@cache
def modele_compte_rendu() -> ModeleCompteRendu:
    """The CERFA 15059 layout (``plan_comptable/cerfa_15059.yaml``)."""
    raw = load_data_yaml(LAYOUT_FILE)
    indirect = raw["charges_indirectes"]
    return ModeleCompteRendu(
        titre=str(raw["titre"]),
        formulaire=str(raw["formulaire"]),
        tableau=modele_cerfa(str(raw["tableau"])),
        colonnes={str(k): str(v) for k, v in raw["colonnes"].items()},
        indirectes_chapitre=str(indirect["chapitre"]),
        indirectes={str(k): str(v) for k, v in indirect["lignes"].items()},
        seuil=Decimal(str(raw["seuil_ecart_pct"])),
        annexes={str(k): " ".join(str(v).split()) for k, v in raw["annexes"].items()},
        equilibre={str(k): str(v) for k, v in raw["equilibre"].items()},
    )


def convention_connue(conventions: Conventions, reference: str) -> Convention:
    """The convention named ``reference``; French failure listing the known ones."""
    found = conventions.get(reference)
    if found is None:
        known = ", ".join(c.reference for c in conventions) or "aucune"
        raise RapportImpossible(
            f"convention « {reference} » inconnue : conventions du fichier : {known}"
        )
    return found


def _sign(code: str) -> int:
    """Natural direction: charges (6, 86) at the debit, produits (7, 87) at the credit."""
    return 1 if code[:1] == "6" or code[:2] == "86" else -1


def _in_scope(code: str | None) -> bool:
    return code is not None and (code[:1] in ("6", "7") or code[:2] in ("86", "87"))


def _budget_within(ligne: LigneBudget, debut: datetime.date, fin: datetime.date) -> Decimal:
    """The part of a budget line's échéances inside ``[debut, fin]`` (days pro rata)."""
    total = ZERO
    for first, last, amount in ligne.echeances:
        low, high = max(first, debut), min(last, fin)
        if high < low:
            continue
        total += amount * ((high - low).days + 1) / ((last - first).days + 1)
    return total


class _Table:
    """Amounts by table line id, per column (prévision, réalisation)."""

    def __init__(self, modele: ModeleCompteRendu, source: Source, conventions: Conventions):
        self.modele = modele
        self.conventions = conventions
        self.financeurs = Financeurs(
            ouvertures(source.entries), financeurs_config(source.context.config)
        )
        self.valeurs: dict[str, dict[str, Decimal]] = {
            PREVISION: defaultdict(Decimal),
            REALISATION: defaultdict(Decimal),
        }
        self.comptes: dict[str, set[str]] = defaultdict(set)
        chapters = {c.id: c for p in modele.tableau.parties for c in p.chapitres}
        self._by_financeur = {c.id for c in chapters.values() if c.par_financeur}

    def ligne(self, code: str, type_financeur: str | None = None) -> str | None:
        target: str | None = longest_prefix(code, self.modele.tableau.index)
        if target in self._by_financeur:
            funder = type_financeur or self.financeurs.de(code).type
            return self.modele.tableau.id_financeur(funder)
        return target

    def ajouter(
        self, column: str, code: str, amount: Decimal, account: str | None, funder: str | None
    ) -> None:
        target = self.ligne(code, funder)
        if target is None:
            return
        self.valeurs[column][target] += _sign(code) * amount
        if account is not None:
            self.comptes[target].add(account)


def _funder_of(movement: Mouvement, conventions: Conventions) -> str | None:
    if not (movement.code or "").startswith("74"):
        return None
    convention = conventions.get(conventions.reference_de(movement) or "")
    return convention.type_financeur if convention is not None else None


def _transferts_de_fonds_dedies() -> tuple[str, ...]:
    """The 689x and 789x codes of the fonds dédiés (plan_comptable/fonds_dedies.yaml)."""
    return tuple(code for famille in familles() for code in (famille.report, famille.utilisation))


def lignes_du_chapitre(
    modele: ModeleCompteRendu, chapitre: ChapitreCerfa
) -> list[tuple[str, str, bool]]:
    """The lines of a chapter of the table: (id, label, hidden when nil); the subsidies
    one per funder type, each shown only with amounts."""
    tableau = modele.tableau
    if chapitre.par_financeur:
        ids = [tableau.id_financeur(t) for t in tableau.financeurs]
        ids.append(tableau.autres_financeurs[0])
        labels = [*tableau.financeurs.values(), tableau.autres_financeurs[1]]
        return [(id_, label, True) for id_, label in zip(ids, labels, strict=True)]
    return [(line.id, line.libelle, line.masquer_si_nul) for line in chapitre.lignes]


@dataclass(frozen=True, slots=True)
class PrevuRealise:
    """An amount of the table in both columns."""

    prevision: Decimal
    realisation: Decimal

    @property
    def ecart(self) -> Decimal:
        return self.realisation - self.prevision


_NUL = PrevuRealise(ZERO, ZERO)


class OptionsCompteRendu(TypedDict, total=False):
    """The keyword options of :func:`compute_compte_rendu`, for the functions that
    pass them on."""

    cles: Cles | None
    repartition: bool | None
    au: datetime.date | None


@dataclass(frozen=True, slots=True)
class CompteRendu:
    """The figures of the compte rendu financier of a convention."""

    convention: Convention
    fin: datetime.date
    """End of the réalisation: the convention's end, or the reference date before it."""
    repartition_demandee: bool | None
    """The ``repartition`` override (None: the convention's ``frais_indirects``)."""
    exercices: tuple[Exercice, ...]
    """The exercices overlapping the convention's period."""
    sans_budget: tuple[Exercice, ...]
    """Those without a budget (prévision incomplete)."""
    prevision: Mapping[str, Decimal]
    """Table line id → prévision."""
    realisation: Mapping[str, Decimal]
    """Table line id → réalisation (allocated indirect costs included)."""
    comptes: Mapping[str, frozenset[str]]
    """Table line id → the ledger accounts behind its réalisation."""
    chapitres: Mapping[str, PrevuRealise]
    """Chapter id → its amounts, for the chapters shown."""
    parties: Mapping[str, PrevuRealise]
    """Part id → its amounts before the balancing line."""
    allocation: Repartition | None
    """The allocation of indirect costs counted in the réalisation, if any."""
    reparti_par_cle: Mapping[str, Decimal]
    """Allocation key code → the action's share."""
    emploi: Emploi
    reconnu: Decimal
    recu: Decimal

    @property
    def sans_projet(self) -> bool:
        """A convention without project reports on the whole association."""
        return not self.convention.projets

    @property
    def resultat(self) -> PrevuRealise:
        charges = self.parties.get("charges", _NUL)
        produits = self.parties.get("produits", _NUL)
        return PrevuRealise(
            produits.prevision - charges.prevision, produits.realisation - charges.realisation
        )

    @property
    def excedent(self) -> PrevuRealise:
        """Produits beyond the charges (balancing line on the charges side)."""
        resultat = self.resultat
        return PrevuRealise(max(resultat.prevision, ZERO), max(resultat.realisation, ZERO))

    @property
    def autofinancement(self) -> PrevuRealise:
        """Charges not covered by the action's produits (balancing line, produits side)."""
        resultat = self.resultat
        return PrevuRealise(max(-resultat.prevision, ZERO), max(-resultat.realisation, ZERO))

    def equilibre(self, partie: str) -> PrevuRealise:
        """The balancing line of a part (nil but for charges and produits)."""
        if partie == "charges":
            return self.excedent
        return self.autofinancement if partie == "produits" else _NUL

    def total(self, partie: str) -> PrevuRealise:
        """A part's total, its balancing line included."""
        before, extra = self.parties.get(partie, _NUL), self.equilibre(partie)
        return PrevuRealise(
            before.prevision + extra.prevision, before.realisation + extra.realisation
        )

    @property
    def total_reparti(self) -> Decimal:
        return sum(self.reparti_par_cle.values(), ZERO)

    @property
    def reste_a_employer(self) -> Decimal:
        """Granted − emploi, never negative (like the reste à dépenser of the follow-up)."""
        return max(self.convention.montant - self.emploi.total, ZERO)

    @property
    def emploi_au_dela(self) -> Decimal:
        """What the emploi exceeds the granted amount by: borne by the association."""
        return max(self.emploi.total - self.convention.montant, ZERO)


def _prevision(
    table: _Table,
    source: Source,
    conventions: Conventions,
    convention: Convention,
    budgets: Budgets,
) -> list[Exercice]:
    """The projects' budget lines over the period; the exercices without budget. A 74
    line on the income account of conventions of one funder type takes that type."""
    projets = set(convention.projets)
    whole = not projets
    by_code: dict[str, set[str]] = defaultdict(set)
    for other in conventions:
        if whole or projets & set(other.projets):
            by_code[other.code_produit].add(other.type_financeur)
    types = {code: next(iter(found)) for code, found in by_code.items() if len(found) == 1}
    missing = []
    for exercice in source.context.calendrier.between(convention.debut, convention.fin):
        budget = budgets.pour(exercice)
        version = budget.version() if budget is not None else None
        if version is None:
            missing.append(exercice)
            continue
        for ligne in version.lignes:
            if whole or ligne.projet in projets:
                amount = _budget_within(ligne, convention.debut, convention.fin)
                funder = types.get(ligne.compte)
                table.ajouter(PREVISION, ligne.compte, _sign(ligne.compte) * amount, None, funder)
    return missing


def _realisation(
    table: _Table, moves: list[Mouvement], conventions: Conventions, convention: Convention
) -> None:
    """The projects' postings (or those tagged with the convention), without the transfers
    of its fonds dédiés (no charge: the resource moving from one exercice to another)."""
    projets = set(convention.projets)
    transferts = _transferts_de_fonds_dedies()
    for movement in moves:
        if not _in_scope(movement.code):
            continue
        attached = conventions.reference_de(movement)
        if projets and movement.projet not in projets and attached != convention.reference:
            continue
        if (movement.code or "").startswith(transferts) and attached in (
            convention.reference,
            None,
        ):
            continue
        table.ajouter(
            REALISATION,
            movement.code or "",
            movement.montant,
            movement.account,
            _funder_of(movement, conventions),
        )


def _reparti(
    table: _Table, modele: ModeleCompteRendu, allocation: Repartition, projets: set[str]
) -> dict[str, Decimal]:
    """The projects' parts of the indirect costs on the lines « charges indirectes »; the
    action's share by key."""
    for part in allocation.parts:
        if part.projet in projets:
            target = longest_prefix(part.code or "", modele.indirectes) or next(
                iter(modele.indirectes.values())
            )
            table.valeurs[REALISATION][target] += part.montant
            table.comptes[target].add(part.account)
    return {
        code: sum(
            (v for name, v in allocation.par_cle.get(code, {}).items() if name in projets), ZERO
        )
        for code in allocation.cles
    }


def _chiffres(
    modele: ModeleCompteRendu, table: _Table, whole: bool
) -> tuple[dict[str, PrevuRealise], dict[str, PrevuRealise]]:
    """The amounts of the chapters shown, and of each part (before its balancing line)."""
    prev, real = table.valeurs[PREVISION], table.valeurs[REALISATION]
    chapitres: dict[str, PrevuRealise] = {}
    parties: dict[str, PrevuRealise] = {}
    for partie in modele.tableau.parties:
        part_prev = part_real = ZERO
        for chapitre in partie.chapitres:
            indirect = chapitre.id == modele.indirectes_chapitre
            if chapitre.projet_seulement and (whole and not indirect):
                continue
            ids_all = [i for i, _l, _m in lignes_du_chapitre(modele, chapitre)] or [chapitre.id]
            c_prev = sum((prev.get(i, ZERO) for i in ids_all), ZERO)
            c_real = sum((real.get(i, ZERO) for i in ids_all), ZERO)
            if chapitre.masquer_si_nul and not c_prev and not c_real:
                continue
            if indirect and not c_real:
                continue
            chapitres[chapitre.id] = PrevuRealise(c_prev, c_real)
            part_prev += c_prev
            part_real += c_real
        parties[partie.id] = PrevuRealise(part_prev, part_real)
    return chapitres, parties


def compute_compte_rendu(
    source: Source,
    conventions: Conventions,
    reference: str,
    budgets: Budgets,
    *,
    cles: Cles | None = None,
    repartition: bool | None = None,
    au: datetime.date | None = None,
) -> CompteRendu:
    """The figures of the CERFA 15059 compte rendu financier of convention ``reference``.

    ``repartition``: whether the allocated indirect costs are the action's; None (default)
    follows the convention (``frais_indirects``), True or False overrides it."""
    convention = convention_connue(conventions, reference)
    allocated = convention.frais_indirects if repartition is None else repartition
    modele = modele_compte_rendu()
    last = au or source.mouvements.derniere_date or convention.fin
    fin = min(convention.fin, last)
    if fin < convention.debut:
        raise RapportImpossible(
            f"la convention {reference} commence le {french_date(convention.debut)} : "
            "aucune réalisation à présenter à cette date"
        )
    projets = set(convention.projets)
    table = _Table(modele, source, conventions)
    missing = _prevision(table, source, conventions, convention, budgets)
    moves = source.mouvements.entre(convention.debut, fin)
    _realisation(table, moves, conventions, convention)
    with_keys = allocated and cles is not None and len(cles) > 0
    allocation = repartir(moves, cles) if with_keys and projets and cles is not None else None
    par_cle = _reparti(table, modele, allocation, projets) if allocation is not None else {}
    allocation_all = allocation
    if with_keys and allocation is None and cles is not None:
        allocation_all = repartir(moves, cles)
    emploi = emplois(
        source, conventions, convention.debut, fin, repartition, cles, reparti=allocation_all
    )[reference]
    suivi = conventions.suivi(source.mouvements.entre(None, fin))[reference]
    chapitres, parties = _chiffres(modele, table, not projets)
    return CompteRendu(
        convention=convention,
        fin=fin,
        repartition_demandee=repartition,
        exercices=tuple(source.context.calendrier.between(convention.debut, convention.fin)),
        sans_budget=tuple(missing),
        prevision=dict(table.valeurs[PREVISION]),
        realisation=dict(table.valeurs[REALISATION]),
        comptes={id_: frozenset(accounts) for id_, accounts in table.comptes.items()},
        chapitres=chapitres,
        parties=parties,
        allocation=allocation,
        reparti_par_cle=par_cle,
        emploi=emploi,
        reconnu=suivi.reconnu,
        recu=suivi.recu,
    )
