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
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, cast

from ..analytique.cles import Cles
from ..analytique.repartition import Repartition, notes_de_repartition, repartir
from ..budget.cerfa import Financeurs, ModeleCerfa, modele_cerfa, ouvertures
from ..budget.fichier import Budgets, LigneBudget
from ..exercices import french_date
from ..formatage import montant
from ..plan import load_data_yaml
from ..rapports.entete import avertissements_devises
from ..rapports.modeles import longest_prefix
from ..rapports.mouvements import Mouvement
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from ..rapports.source import RapportImpossible, Source
from .emploi import avertissement_repartition, emplois, hors_periode
from .fichier import Convention, Conventions

LAYOUT_FILE = "cerfa_15059.yaml"
ZERO = Decimal(0)
PREVISION, REALISATION, ECART, ECART_PCT = "prevision", "realisation", "ecart", "ecart_pct"
EXCEDENT, AUTOFINANCEMENT = "excedent", "autofinancement"
# the JSON's « totaux » (the report's main column): both columns and the gap, suffixed
SUFFIXES = {PREVISION: "prevu", REALISATION: "realise", ECART: "ecart"}
_DAY = datetime.timedelta(days=1)


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
            ouvertures(source.entries), source.context.config.data.financeurs
        )
        self.valeurs: dict[str, dict[str, Decimal]] = {
            PREVISION: defaultdict(Decimal),
            REALISATION: defaultdict(Decimal),
        }
        self.comptes: dict[str, set[str]] = defaultdict(set)
        chapters = {c.id: c for p in modele.tableau.parties for c in p.chapitres}
        self._by_financeur = {c.id for c in chapters.values() if c.par_financeur}

    def ligne(self, code: str, type_financeur: str | None = None) -> str | None:
        target = longest_prefix(code, self.modele.tableau.index)
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


def compte_rendu(
    source: Source,
    conventions: Conventions,
    reference: str,
    budgets: Budgets,
    *,
    cles: Cles | None = None,
    repartition: bool | None = None,
    au: datetime.date | None = None,
) -> Rapport:
    """The CERFA 15059 compte rendu financier of convention ``reference``.

    ``repartition``: whether the allocated indirect costs are the action's; None (default)
    follows the convention (``frais_indirects``), True or False overrides it."""
    convention = convention_connue(conventions, reference)
    override = repartition
    repartition = convention.frais_indirects if repartition is None else repartition
    modele = modele_compte_rendu()
    last = au or source.mouvements.derniere_date or convention.fin
    fin = min(convention.fin, last)
    if fin < convention.debut:
        raise RapportImpossible(
            f"la convention {reference} commence le {french_date(convention.debut)} : "
            "aucune réalisation à présenter à cette date"
        )
    projets = set(convention.projets)
    whole = not projets
    table = _Table(modele, source, conventions)

    # Prévision: the projects' budget lines over the period. A 74 line on the income
    # account of conventions of one funder type takes that type.
    by_code: dict[str, set[str]] = defaultdict(set)
    for other in conventions:
        if whole or projets & set(other.projets):
            by_code[other.code_produit].add(other.type_financeur)
    types = {code: next(iter(found)) for code, found in by_code.items() if len(found) == 1}
    warnings: list[str] = []
    exercices = source.context.calendrier.between(convention.debut, convention.fin)
    for exercice in exercices:
        budget = budgets.pour(exercice)
        version = budget.version() if budget is not None else None
        if version is None:
            warnings.append(f"Aucun budget pour l'{exercice.libelle} : prévision incomplète.")
            continue
        for ligne in version.lignes:
            if whole or ligne.projet in projets:
                amount = _budget_within(ligne, convention.debut, convention.fin)
                funder = types.get(ligne.compte)
                table.ajouter(PREVISION, ligne.compte, _sign(ligne.compte) * amount, None, funder)

    # Réalisation: the projects' postings (or the tagged ones), and the allocated part.
    moves = source.mouvements.entre(convention.debut, fin)
    transferts = _transferts_de_fonds_dedies()
    excluded = ZERO
    for movement in moves:
        if not _in_scope(movement.code):
            continue
        mine = whole or movement.projet in projets
        attached = conventions.reference_de(movement)
        if not mine and attached != reference:
            continue
        if (movement.code or "").startswith(transferts) and attached in (reference, None):
            excluded += movement.montant  # the convention's own fonds dédiés: no charge
            continue
        table.ajouter(
            REALISATION,
            movement.code or "",
            movement.montant,
            movement.account,
            _funder_of(movement, conventions),
        )
    allocation = None
    if repartition and cles is not None and len(cles) and not whole:
        allocation = repartir(moves, cles)
        for part in allocation.parts:
            if part.projet in projets:
                target = longest_prefix(part.code or "", modele.indirectes) or next(
                    iter(modele.indirectes.values())
                )
                table.valeurs[REALISATION][target] += part.montant
                table.comptes[target].add(part.account)

    parties, totaux, ecarts = _parties(modele, table, whole)
    if repartition and allocation is None and cles is not None and len(cles):
        allocation_all: Repartition | None = repartir(moves, cles)
    else:
        allocation_all = allocation
    emploi = emplois(
        source, conventions, convention.debut, fin, override, cles, reparti=allocation_all
    )[reference]
    suivi = conventions.suivi(source.mouvements.entre(None, fin))[reference]
    parties.insert(0, _partie_convention(convention, emploi, suivi, fin))
    parties.append(_partie_ecarts(modele, ecarts))
    if allocation is not None:
        parties.append(_partie_repartition(modele, allocation, projets))

    projets_txt = ", ".join(f"{p} ({source.nom_projet(p)})" for p in convention.projets)
    action = "ensemble de l'association (convention sans projet)"
    notes = [
        f"Action : {action if whole else 'projet(s) ' + projets_txt}.",
        "Prévision : lignes du budget des projets (fichiers du budget, dernière version de "
        "chaque exercice) pour la part de leurs échéances comprise dans la période de la "
        "convention.",
        f"Réalisation : écritures du {french_date(convention.debut)} au {french_date(fin)} "
        "portant le(s) projet(s) ou « convention: "
        f"{reference} »"
        + (
            ", et part des projets des charges indirectes réparties par les clés de "
            "répartition (lignes « charges indirectes »)."
            if allocation is not None
            else " ; sans répartition des charges indirectes."
        ),
        "Écart = réalisation − prévision ; en % de la prévision.",
        "Reports en fonds dédiés (689x) et leurs utilisations (789x) de la convention : "
        "exclus, ce sont des transferts de la ressource d'un exercice à l'autre, pas des "
        "charges ni des produits de l'action (comme pour l'emploi de la subvention).",
        _note_equilibre(modele, totaux),
        modele.annexes["contributions"],
    ]
    notes.extend(modele.tableau.notes.get(key, "") for key in ("contributions", "dons"))
    if fin < convention.fin:
        warnings.append(
            f"Convention en cours (fin le {french_date(convention.fin)}) : réalisation "
            f"arrêtée au {french_date(fin)}."
        )
    outside = hors_periode(source, conventions, convention)
    if outside:
        warnings.append(outside)
    if override is not None and override != convention.frais_indirects:
        warnings.append(avertissement_repartition(override, [convention]))
    warnings.extend(avertissements_devises(source))
    return Rapport(
        id="compte_rendu_financier",
        titre=f"{modele.titre} — {reference}",
        association=source.association,
        parties=parties,
        sous_titre=(
            f"{modele.formulaire} — {convention.financeur} — {convention.objet} — du "
            f"{french_date(convention.debut)} au {french_date(convention.fin)}"
        ),
        exercice=exercices[-1].code if exercices else None,
        periode=(convention.debut, fin),
        totaux={
            "n": {
                f"{name}_{SUFFIXES[col]}": value
                for col, values in totaux.items()
                for name, value in values.items()
            },
            **{col: dict(values) for col, values in totaux.items()},
        },
        notes=[note for note in notes if note],
        avertissements=warnings,
        meta={
            "convention": reference,
            "projets": ", ".join(convention.projets) or None,
            "repartition": allocation is not None,
            "au": fin,
            "formulaire": modele.formulaire,
        },
    )


def _transferts_de_fonds_dedies() -> tuple[str, ...]:
    """The 689x and 789x codes of the fonds dédiés (plan_comptable/fonds_dedies.yaml)."""
    from ..fonds_dedies.calcul import familles

    return tuple(code for famille in familles() for code in (famille.report, famille.utilisation))


def _note_equilibre(modele: ModeleCompteRendu, totaux: dict[str, dict[str, Decimal]]) -> str:
    realise = totaux[REALISATION]
    if realise.get(EXCEDENT):
        return (
            f"Réalisation : les produits dépassent les charges de {montant(realise[EXCEDENT])} "
            f"(ligne « {modele.equilibre['charges']} »)."
        )
    if realise.get(AUTOFINANCEMENT):
        return (
            f"Réalisation : {montant(realise[AUTOFINANCEMENT])} de charges non couvertes par les "
            f"produits de l'action (ligne « {modele.equilibre['produits']} »)."
        )
    return ""


def _values(prevision: Decimal | None, realisation: Decimal) -> dict[str, Any]:
    ecart = realisation - (prevision or ZERO)
    pct = ecart / abs(prevision) if prevision else None  # docs/formats.md: ecart_pct
    return {PREVISION: prevision, REALISATION: realisation, ECART: ecart, ECART_PCT: pct}


def _columns(modele: ModeleCompteRendu) -> list[Colonne]:
    c = modele.colonnes
    return [
        Colonne(PREVISION, c[PREVISION]),
        Colonne(REALISATION, c[REALISATION]),
        Colonne(ECART, c[ECART]),
        Colonne(ECART_PCT, c[ECART_PCT], Genre.POURCENTAGE),
    ]


def _parties(
    modele: ModeleCompteRendu, table: _Table, whole: bool
) -> tuple[list[Partie], dict[str, dict[str, Decimal]], list[tuple[Ligne, str]]]:
    prev, real = table.valeurs[PREVISION], table.valeurs[REALISATION]
    totaux: dict[str, dict[str, Decimal]] = {PREVISION: {}, REALISATION: {}, ECART: {}}
    ecarts: list[tuple[Ligne, str]] = []
    parties = []
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for partie in modele.tableau.parties:
        rows: list[Ligne] = []
        part_prev = part_real = ZERO
        for chapitre in partie.chapitres:
            indirect = chapitre.id == modele.indirectes_chapitre
            if chapitre.projet_seulement and (whole and not indirect):
                continue
            if chapitre.par_financeur:
                ids = [modele.tableau.id_financeur(t) for t in modele.tableau.financeurs]
                ids.append(modele.tableau.autres_financeurs[0])
                labels = dict(
                    zip(
                        ids,
                        [*modele.tableau.financeurs.values(), modele.tableau.autres_financeurs[1]],
                        strict=True,
                    )
                )
                lines = [(i, labels[i], True) for i in ids]  # funders: only those with amounts
            elif chapitre.lignes:
                lines = [(line.id, line.libelle, line.masquer_si_nul) for line in chapitre.lignes]
            else:
                lines = []
            ids_all = [i for i, _l, _m in lines] or [chapitre.id]
            c_prev = sum((prev.get(i, ZERO) for i in ids_all), ZERO)
            c_real = sum((real.get(i, ZERO) for i in ids_all), ZERO)
            if chapitre.masquer_si_nul and not c_prev and not c_real:
                continue
            if indirect and not c_real:
                continue
            chapter_prev = None if indirect else c_prev
            row = Ligne(
                chapitre.libelle,
                _values(chapter_prev, c_real),
                id=chapitre.id,
                style=Style.SOUS_TOTAL if lines else Style.NORMAL,
                comptes=tuple(sorted({a for i in ids_all for a in table.comptes.get(i, ())})),
            )
            rows.append(row)
            if not lines:
                ecarts.append((row, chapitre.libelle))
            for line_id, libelle, hide in lines:
                p, r = prev.get(line_id, ZERO), real.get(line_id, ZERO)
                if hide and not p and not r:
                    continue
                sub = Ligne(
                    libelle,
                    _values(None if indirect else p, r),
                    id=line_id,
                    niveau=2,
                    comptes=tuple(sorted(table.comptes.get(line_id, ()))),
                )
                rows.append(sub)
                if not indirect:
                    ecarts.append((sub, libelle))
            part_prev += c_prev
            part_real += c_real
            if chapitre.total:
                total_id, total_label = chapitre.total
                rows.append(
                    Ligne(total_label, _values(c_prev, c_real), id=total_id, style=Style.TOTAL)
                )
                totaux[PREVISION][total_id] = c_prev
                totaux[REALISATION][total_id] = c_real
                totaux[ECART][total_id] = c_real - c_prev
            if indirect:
                totaux[REALISATION]["charges_indirectes"] = c_real
        sums[partie.id] = (part_prev, part_real)
        parties.append(
            Partie(partie.id, partie.titre, _columns(modele), rows, onglet=partie.onglet)
        )
    # Balancing line (as in the CERFA 12156 budget): an excédent on the charges side, the
    # ressources propres (autofinancement) on the produits side; the totals include it.
    charges, produits = sums.get("charges", (ZERO, ZERO)), sums.get("produits", (ZERO, ZERO))
    resultat = [p - c for c, p in zip(charges, produits, strict=True)]
    extra = {
        "charges": [max(r, ZERO) for r in resultat],
        "produits": [max(-r, ZERO) for r in resultat],
    }
    for partie, built in zip(modele.tableau.parties, parties, strict=True):
        part_prev, part_real = sums[partie.id]
        add_prev, add_real = extra.get(partie.id, (ZERO, ZERO))
        if partie.equilibre is not None and (add_prev or add_real):
            eq_id = partie.equilibre[0]
            label = modele.equilibre.get(partie.id, partie.equilibre[2 if not whole else 1])
            built.lignes.append(Ligne(label, _values(add_prev, add_real), id=eq_id))
        part_prev, part_real = part_prev + add_prev, part_real + add_real
        if partie.total:
            total_id, total_label = partie.total
            built.lignes.append(
                Ligne(total_label, _values(part_prev, part_real), id=total_id, style=Style.TOTAL)
            )
            totaux[PREVISION][total_id] = part_prev
            totaux[REALISATION][total_id] = part_real
            totaux[ECART][total_id] = part_real - part_prev
    for index, column in enumerate((PREVISION, REALISATION)):
        totaux[column]["resultat"] = resultat[index]
        totaux[column][EXCEDENT] = extra["charges"][index]
        totaux[column][AUTOFINANCEMENT] = extra["produits"][index]
    for name in ("resultat", EXCEDENT, AUTOFINANCEMENT):
        totaux[ECART][name] = totaux[REALISATION][name] - totaux[PREVISION][name]
    return parties, totaux, ecarts


def _partie_convention(
    convention: Convention, emploi: Any, suivi: Any, fin: datetime.date
) -> Partie:
    columns = [Colonne("texte", "Valeur", Genre.TEXTE), Colonne("montant", "Montant")]
    rows = [
        Ligne("Financeur", {"texte": convention.financeur}, id="financeur"),
        Ligne("Objet", {"texte": convention.objet}, id="objet"),
        Ligne("Projet(s)", {"texte": ", ".join(convention.projets) or "—"}, id="projets"),
        Ligne(
            "Période",
            {"texte": f"du {french_date(convention.debut)} au {french_date(convention.fin)}"},
            id="periode",
        ),
        Ligne("Montant accordé", {"montant": convention.montant}, id="montant"),
        Ligne(
            f"Reconnu en produits au {french_date(fin)}", {"montant": suivi.reconnu}, id="reconnu"
        ),
        Ligne(f"Reçu au {french_date(fin)}", {"montant": suivi.recu}, id="recu"),
        Ligne(
            "Emploi de la subvention : charges éligibles directes",
            {"montant": emploi.directes},
            id="emploi_directes",
        ),
        Ligne(
            "Emploi de la subvention : charges indirectes réparties",
            {"montant": emploi.reparties},
            id="emploi_reparties",
        ),
        Ligne(
            "Reste à employer (accordé − emploi)",
            {"montant": convention.montant - emploi.total},
            id="reste",
            style=Style.TOTAL,
        ),
    ]
    return Partie(
        "convention",
        "Convention",
        columns,
        rows,
        notes=[
            "Emploi : charges éligibles de la convention (comptes de « charges_eligibles ») ; "
            "une charge d'un projet financé par plusieurs conventions est partagée au prorata "
            "des montants accordés."
        ],
        onglet="Convention",
    )


def _partie_ecarts(modele: ModeleCompteRendu, ecarts: list[tuple[Ligne, str]]) -> Partie:
    seuil = modele.seuil / 100
    rows = []
    for ligne, libelle in ecarts:
        prevision = cast(Decimal, ligne.valeurs.get(PREVISION) or ZERO)
        realisation = cast(Decimal, ligne.valeurs.get(REALISATION) or ZERO)
        pct = cast(Decimal | None, ligne.valeurs.get(ECART_PCT))
        significant = (prevision == 0 and realisation != 0) or (
            pct is not None and abs(pct) > seuil
        )
        if not significant:
            continue
        rows.append(
            Ligne(
                libelle,
                {
                    PREVISION: prevision,
                    REALISATION: realisation,
                    ECART: realisation - prevision,
                    ECART_PCT: pct,
                    "explication": "",
                },
                id=f"ecart:{ligne.id}",
            )
        )
    number = f"{modele.seuil.normalize():f}".replace(".", ",")
    return Partie(
        "ecarts",
        "Écarts significatifs",
        [*_columns(modele), Colonne("explication", "Explication", Genre.TEXTE)],
        rows,
        notes=[
            f"Lignes dont l'écart dépasse {number} % de la prévision, ou réalisées sans prévision.",
            modele.annexes["ecarts"],
        ],
        onglet="Écarts",
    )


def _partie_repartition(modele: ModeleCompteRendu, allocation: Any, projets: set[str]) -> Partie:
    columns = [Colonne("methode", "Méthode", Genre.TEXTE), Colonne("montant", "Part de l'action")]
    rows = []
    total = ZERO
    for code, cle in allocation.cles.items():
        amount = sum(
            (v for name, v in allocation.par_cle.get(code, {}).items() if name in projets), ZERO
        )
        total += amount
        rows.append(
            Ligne(
                cle.libelle,
                {"methode": f"{cle.methode}, comptes {', '.join(cle.comptes)}", "montant": amount},
                id=f"cle:{code}",
            )
        )
    rows.append(
        Ligne(
            "Total des charges indirectes réparties",
            {"montant": total},
            id="total_reparti",
            style=Style.TOTAL,
        )
    )
    notes = [modele.annexes["repartition"]]
    notes.extend(notes_de_repartition(allocation))
    return Partie(
        "repartition",
        "Règles de répartition des charges indirectes",
        columns,
        rows,
        notes=notes,
        onglet="Répartition",
    )
