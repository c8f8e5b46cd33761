"""Budget vs réalisé: one version of an exercice's budget against the ledger.

For each budget line: the annual budget, the budget to date (the part of the
annual amount due by the closing day under the line's monthly profile, the
current period pro rata temporis: :meth:`LigneBudget.a_date`), the actual
amount to that day (:func:`communs_ledger.budget.realise.rattacher`, the only
place where postings are attached to lines), the gap (actual − budget to date,
in euros and as a share of the budget to date) and the projection to the end
of the exercice (actual + remaining budget, never below the actual for
charges). Accounts with actuals and no line are *hors budget* rows (budget 0).
When the ledger has the previous exercice, a column ``realise_n1`` gives its actuals
to the same date one year before, attached to the same lines; a text column
``commentaire`` carries the lines' ``commentaire:``. Beside the projection of the
budget, the résultat part shows the atterrissage
(:func:`communs_ledger.previsions.atterrissage.atterrissage_de`) when the
caller gives it: two end-of-exercice estimates, each under its own name.

Rows roll up by chapter (two-digit code) and class: charges (6) and produits
(7), the contributions volontaires en nature (86, 87) in their own part; a
part by project when lines carry projects; the résultat prévisionnel vs
réalisé (produits − charges) last. Amounts are positive in their natural
direction (:func:`communs_ledger.budget.realise.sens`).

With ``mensuel``, the columns are the budget and the actual of each month of
the exercice (``m2026_03_budget``, ``m2026_03_realise``), then the annual
budget and the actual to date; :func:`communs_ledger.rendu.vues_budget.vue_mensuelle_compacte`
lays that out for a terminal.

:func:`compute_suivi` gives the figures (:class:`SuiviBudget`);
:func:`communs_ledger.budget.rapport_suivi.build_rapport_suivi` lays them out as a
report, and :func:`communs_ledger.budget.rapport_suivi.budget_vs_realise` does both.

Line ids: ``ligne:<compte>`` or ``ligne:<compte>:<projet>``, ``hors_budget:<account>``,
``chapitre:<nn>``, ``total_charges``, ``total_produits``,
``contributions_volontaires_emplois``, ``contributions_volontaires_ressources``,
``projet:<code>`` (``:produits``, ``:charges``, ``:resultat``), ``sans_projet…``,
``resultat_produits``, ``resultat_charges``, ``resultat``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ..analytique.repartition import repartir
from ..codes import parse_account
from ..dates import ONE_DAY, month_label, month_of
from ..exercices import Exercice
from ..montants import ZERO
from ..mouvements import Mouvement
from ..rapports.periode import date_d_arrete
from ..rapports.source import RapportImpossible, Source
from .fichier import BudgetExercice, Budgets, LigneBudget, VersionBudget, ligne_id
from .profils import mois_de
from .realise import Rattachement, rattacher, sens
from .reglages import budget_config
from .regles import (
    DEPASSEMENT,
    LIGNE_SANS_REALISE,
    PRODUITS_EN_RETARD,
    Constat,
    charges_par_projet,
    evaluer,
)

BUDGET_ANNUEL = "budget_annuel"
BUDGET_A_DATE = "budget_a_date"
REALISE = "realise"
REALISE_N1 = "realise_n1"
ECART = "ecart"
ECART_PCT = "ecart_pct"
PROJECTION = "projection"
COMMENTAIRE = "commentaire"
COLONNES_ANNUELLES = (BUDGET_ANNUEL, BUDGET_A_DATE, REALISE, ECART, PROJECTION)
"""Amount columns of the standard report (named totals are given for each)."""

CHARGES = "charges"
PRODUITS = "produits"
EMPLOIS = "emplois"
RESSOURCES = "ressources"


def classe_de(code: str) -> str:
    """The part of the report a code belongs to: charges, produits, emplois, ressources."""
    if code[:2] == "86":
        return EMPLOIS
    if code[:2] == "87":
        return RESSOURCES
    return CHARGES if code[:1] == "6" else PRODUITS


def chapitre_de(code: str) -> str:
    """The two-digit chapter of a code (a one-digit class line is its own chapter)."""
    return code[:2]


def ecart_relatif(valeur: Decimal | None, reference: Decimal | None) -> Decimal | None:
    """The ``ecart_pct`` of every report (budget, comparison, atterrissage, compte rendu):
    (valeur − référence) / |référence|, None when the reference is 0 or a value is
    missing. Positive: above the reference in the natural direction of the row (a charge
    over its budget, a produit or a résultat above its forecast)."""
    if valeur is None or reference is None or not reference:
        return None
    return (valeur - reference) / abs(reference)


def projection(code: str, realise: Decimal, annuel: Decimal, a_date: Decimal) -> Decimal:
    """Actual + remaining budget (annual − to date); never below the actual for charges
    (6 and 86): what is spent stays spent."""
    value = realise + annuel - a_date
    if sens(code) > 0 and value < realise:
        return realise
    return value


@dataclass(frozen=True)
class Atterrissage:
    """Totals of the atterrissage (``communs prevision atterrissage``: actuals to the last
    entry + the detailed forecasts for the rest of the exercice), shown beside the
    budget's projection."""

    fin_realise: datetime.date
    produits: Decimal
    charges: Decimal
    scenario: str = "base"

    @property
    def resultat(self) -> Decimal:
        return self.produits - self.charges


# --- Months ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mois:
    """One month of the exercice (cut at its bounds) and its column ids."""

    debut: datetime.date
    fin: datetime.date

    @property
    def cle(self) -> str:
        return f"m{self.debut.year}_{self.debut.month:02d}"

    @property
    def budget(self) -> str:
        return f"{self.cle}_budget"

    @property
    def realise(self) -> str:
        return f"{self.cle}_realise"

    @property
    def nom(self) -> str:
        return month_label(month_of(self.debut))


def mois_de_l_exercice(exercice: Exercice) -> list[Mois]:
    return [Mois(debut, fin) for debut, fin in mois_de(exercice)]


def budget_du_mois(ligne: LigneBudget, mois: Mois) -> Decimal:
    """The part of a line's budget that falls due in ``mois`` (exact: whole periods)."""
    return ligne.a_date(mois.fin) - ligne.a_date(mois.debut - ONE_DAY)


# --- Amounts of the rows --------------------------------------------------------------------

Valeurs = dict[str, Decimal | None]
"""Amounts by column id (``budget_annuel``, ``m2026_03_realise``…)."""


def _plus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    return a if b is None else a + b


def _ecart(a: Decimal, b: Decimal) -> Decimal:
    """a − b, a nil operand taken as ``ZERO`` (the exponent of the difference: whole
    euros when both are nil)."""
    return (a or ZERO) - (b or ZERO)


def _moins(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None and b is None else (a or ZERO) - (b or ZERO)


@dataclass(frozen=True, slots=True)
class MontantsDuMois:
    """The budget of a month and its actual (None for a month after the closing day)."""

    budget: Decimal
    realise: Decimal | None


@dataclass(frozen=True, slots=True)
class Montants:
    """The amounts of a row: a budget line, a chapter, a total."""

    budget_annuel: Decimal
    budget_a_date: Decimal
    realise: Decimal
    projection: Decimal
    realise_n1: Decimal | None = None
    """Actual of the previous exercice to the same date (None when not shown)."""
    mois: tuple[MontantsDuMois, ...] = ()
    """Month by month, in the order of the exercice's months (monthly report only)."""

    @property
    def ecart(self) -> Decimal:
        return self.realise - self.budget_a_date

    @property
    def ecart_pct(self) -> Decimal | None:
        return ecart_relatif(self.realise, self.budget_a_date)

    def plus(self, other: Montants) -> Montants:
        return Montants(
            self.budget_annuel + other.budget_annuel,
            self.budget_a_date + other.budget_a_date,
            self.realise + other.realise,
            self.projection + other.projection,
            _plus(self.realise_n1, other.realise_n1),
            tuple(
                MontantsDuMois(a.budget + b.budget, _plus(a.realise, b.realise))
                for a, b in zip(self.mois, other.mois, strict=True)
            ),
        )

    def moins(self, other: Montants) -> Montants:
        return Montants(
            _ecart(self.budget_annuel, other.budget_annuel),
            _ecart(self.budget_a_date, other.budget_a_date),
            _ecart(self.realise, other.realise),
            _ecart(self.projection, other.projection),
            _moins(self.realise_n1, other.realise_n1),
            tuple(
                MontantsDuMois(_ecart(a.budget, b.budget), _moins(a.realise, b.realise))
                for a, b in zip(self.mois, other.mois, strict=True)
            ),
        )

    def valeurs(self, mois: Sequence[Mois]) -> Valeurs:
        """The base amounts by column id (no gap: it is derived)."""
        result: Valeurs = {
            BUDGET_ANNUEL: self.budget_annuel,
            BUDGET_A_DATE: self.budget_a_date,
            REALISE: self.realise,
            PROJECTION: self.projection,
        }
        if self.realise_n1 is not None:
            result[REALISE_N1] = self.realise_n1
        for month, amounts in zip(mois, self.mois, strict=False):
            result[month.budget] = amounts.budget
            result[month.realise] = amounts.realise
        return result


def somme(items: Iterable[Montants], zero: Montants) -> Montants:
    """Row-wise sum, from ``zero`` (:meth:`PeriodeDeSuivi.zero`)."""
    total = zero
    for item in items:
        total = total.plus(item)
    return total


@dataclass(frozen=True, slots=True)
class PosteBudget:
    """A row of detail: a budget line, or an account with actuals and no line."""

    code: str
    montants: Montants
    ligne: LigneBudget | None = None
    account: str | None = None
    comptes: tuple[str, ...] = ()
    statut: str | None = None  # from the budget rules: alerte, surveiller

    @property
    def projet(self) -> str | None:
        return self.ligne.projet if self.ligne is not None else None

    @property
    def classe(self) -> str:
        return classe_de(self.code)

    @property
    def id(self) -> str:
        """The row's line id: ``ligne:<compte>[:<projet>]`` or ``hors_budget:<account>``."""
        if self.ligne is not None:
            return ligne_id(self.ligne.compte, self.ligne.projet)
        return f"hors_budget:{self.account}"

    def tri(self) -> tuple[str, int, str, str]:
        return (self.code, 0 if self.ligne else 1, self.projet or "", self.account or "")


@dataclass(frozen=True, slots=True)
class ChapitreSuivi:
    """A two-digit chapter: its rows (sorted) and their total."""

    code: str
    postes: tuple[PosteBudget, ...]
    total: Montants
    comptes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectionSuivi:
    """Charges, produits, emplois (86) or ressources (87): chapters and total."""

    chapitres: tuple[ChapitreSuivi, ...]
    total: Montants


@dataclass(frozen=True, slots=True)
class ProjetSuivi:
    """A project's lines and direct actuals (``projet`` None: those without project)."""

    projet: str | None
    nom: str | None  # the project's declared name
    produits: Montants
    charges: Montants
    resultat: Montants


@dataclass(frozen=True, slots=True)
class PeriodeDeSuivi:
    """The closing day, the months and the movements a computation reads."""

    fin: datetime.date
    mois: tuple[Mois, ...]
    mouvements: list[Mouvement]
    par_mois: list[list[Mouvement] | None] = field(default_factory=list)
    """Movements of each month up to ``fin`` (None for a month after it); empty if not
    monthly."""
    mouvements_n1: list[Mouvement] | None = None
    """Movements of the previous exercice to the same date (réalisé N-1), if shown."""

    def zero(self) -> Montants:
        """Zero amounts in this period's columns (no actual for the months to come)."""
        n1 = ZERO if self.mouvements_n1 is not None else None
        mois = tuple(
            MontantsDuMois(ZERO, None if moves is None else ZERO) for moves in self.par_mois
        )
        return Montants(ZERO, ZERO, ZERO, ZERO, n1, mois)


def _montants_de_ligne(
    ligne: LigneBudget,
    periode: PeriodeDeSuivi,
    attached: Rattachement,
    n1: Rattachement | None,
    monthly: Sequence[Rattachement | None],
) -> Montants:
    annuel = ligne.montant
    a_date = ligne.a_date(periode.fin)
    realise = attached.par_ligne.get(ligne.cle, ZERO)
    mois = tuple(
        MontantsDuMois(
            budget_du_mois(ligne, month),
            found.par_ligne.get(ligne.cle, ZERO) if found is not None else None,
        )
        for month, found in zip(periode.mois, monthly, strict=False)
    )
    return Montants(
        annuel,
        a_date,
        realise,
        projection(ligne.compte, realise, annuel, a_date),
        n1.par_ligne.get(ligne.cle, ZERO) if n1 is not None else None,
        mois,
    )


def _hors_budget(
    periode: PeriodeDeSuivi,
    attached: Rattachement,
    n1: Rattachement | None,
    monthly: Sequence[Rattachement | None],
) -> list[PosteBudget]:
    """The accounts with actuals (this year or the previous one) and no line."""
    postes = []
    accounts = set(attached.hors_budget) | set(n1.hors_budget if n1 is not None else ())
    for account in sorted(accounts):
        realise = attached.hors_budget.get(account, ZERO)
        before = n1.hors_budget.get(account, ZERO) if n1 is not None else ZERO
        if realise == 0 and before == 0:
            continue
        code = parse_account(account).code
        assert code is not None  # rattacher only keeps coded accounts of classes 6 to 8
        mois = tuple(
            MontantsDuMois(
                ZERO, found.hors_budget.get(account, ZERO) if found is not None else None
            )
            for _month, found in zip(periode.mois, monthly, strict=False)
        )
        montants = Montants(ZERO, ZERO, realise, realise, before if n1 is not None else None, mois)
        postes.append(PosteBudget(code, montants, account=account, comptes=(account,)))
    return postes


def _postes(
    lignes: Sequence[LigneBudget],
    mouvements: list[Mouvement],
    par_mois: list[list[Mouvement] | None],
    periode: PeriodeDeSuivi,
    mouvements_n1: list[Mouvement] | None = None,
) -> tuple[list[PosteBudget], Rattachement]:
    """The rows of ``lignes`` against ``mouvements``, and the hors budget accounts; and
    the attachment they come from. With ``mouvements_n1``, the réalisé N-1 of the same
    lines (and of the hors budget accounts of either year)."""
    attached = rattacher(mouvements, lignes)
    n1 = rattacher(mouvements_n1, lignes) if mouvements_n1 is not None else None
    monthly: list[Rattachement | None] = [
        rattacher(moves, lignes) if moves is not None else None for moves in par_mois
    ]
    postes = [
        PosteBudget(
            ligne.compte,
            _montants_de_ligne(ligne, periode, attached, n1, monthly),
            ligne=ligne,
            comptes=tuple(sorted(attached.comptes_par_ligne.get(ligne.cle, ()))),
        )
        for ligne in lignes
    ]
    postes.extend(_hors_budget(periode, attached, n1, monthly))
    return postes, attached


def _par_projet(mouvements: Iterable[Mouvement]) -> dict[str | None, list[Mouvement]]:
    groups: dict[str | None, list[Mouvement]] = defaultdict(list)
    for movement in mouvements:
        groups[movement.projet].append(movement)
    return groups


def _section(postes: Sequence[PosteBudget], zero: Montants) -> SectionSuivi:
    """The chapters of ``postes`` (rows sorted within each) and their total."""
    chapters: dict[str, list[PosteBudget]] = defaultdict(list)
    for poste in postes:
        chapters[chapitre_de(poste.code)].append(poste)
    result = []
    for chapter in sorted(chapters):
        members = tuple(sorted(chapters[chapter], key=PosteBudget.tri))
        accounts = tuple(sorted({a for p in members for a in p.comptes}))
        result.append(
            ChapitreSuivi(chapter, members, somme((p.montants for p in members), zero), accounts)
        )
    return SectionSuivi(tuple(result), somme((p.montants for p in postes), zero))


def _result_code(movement: Mouvement) -> bool:
    code = movement.code
    return code is not None and code[:1] in ("6", "7")


def _projets(
    source: Source, version: VersionBudget, periode: PeriodeDeSuivi, projects: Sequence[str]
) -> tuple[ProjetSuivi, ...]:
    """Per project: its lines and its direct actuals (charges, produits, résultat); then
    the lines and actuals without project. They add up to the report's totals."""
    moves = _par_projet(periode.mouvements)
    moves_n1 = _par_projet(periode.mouvements_n1) if periode.mouvements_n1 is not None else None
    monthly = [_par_projet(m) if m is not None else None for m in periode.par_mois]
    with_actuals = {p for p, ms in moves.items() if p and any(_result_code(m) for m in ms)}
    zero = periode.zero()
    result = []
    for group in [*sorted(set(projects) | with_actuals), None]:
        lignes = [line for line in version.lignes if line.projet == group]
        postes, _attached = _postes(
            lignes,
            moves.get(group, []),
            [m.get(group, []) if m is not None else None for m in monthly],
            periode,
            moves_n1.get(group, []) if moves_n1 is not None else None,
        )
        charges = somme((p.montants for p in postes if p.classe == CHARGES), zero)
        produits = somme((p.montants for p in postes if p.classe == PRODUITS), zero)
        nom = source.nom_projet(group) if group else None
        result.append(ProjetSuivi(group, nom, produits, charges, produits.moins(charges)))
    return tuple(result)


# --- The figures ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuiviBudget:
    """The figures of the budget vs réalisé of an exercice, for one version of its budget."""

    exercice: Exercice
    version: VersionBudget
    au: datetime.date
    en_cours: bool
    """The exercice is in progress: ``au`` is the last entry's date."""
    mensuel: bool
    mois: tuple[Mois, ...]
    projet: str | None
    avec_repartition: bool
    """The project's actuals include its share of the indirect costs (``cles``)."""
    repartition: Any
    """The allocation (:func:`~communs_ledger.analytique.repartition.repartir`), if any."""
    precedent: Exercice | None
    """The previous exercice, when the réalisé N-1 is shown (to ``jour_n1``)."""
    jour_n1: datetime.date | None
    lignes: tuple[LigneBudget, ...]
    """The budget lines counted (those of ``projet`` with a project)."""
    charges: SectionSuivi
    produits: SectionSuivi
    emplois: SectionSuivi | None
    """Contributions volontaires (86), None when neither 86 nor 87 has a row."""
    ressources: SectionSuivi | None
    projets: tuple[ProjetSuivi, ...]
    """By project (then without project); empty for a project's report or without
    projects."""
    resultat: Montants
    """Produits − charges."""
    constats: tuple[Constat, ...]
    atterrissage: Atterrissage | str | None

    @property
    def total_charges(self) -> Montants:
        return self.charges.total

    @property
    def total_produits(self) -> Montants:
        return self.produits.total


def _version(budget: BudgetExercice, code: str | None) -> VersionBudget:
    found = budget.version(code)
    if found is not None:
        return found
    if not budget.versions:
        raise RapportImpossible(
            f"le budget de l'exercice {budget.exercice.code} ne contient aucune version"
        )
    known = ", ".join(
        f"{v.code} (« {v.nom} », {v.date.strftime('%d/%m/%Y')})" for v in budget.versions
    )
    raise RapportImpossible(
        f"version « {code} » inconnue dans le budget {budget.exercice.code} : versions : {known}"
    )


def _budget(budgets: Budgets, exercice: Exercice) -> BudgetExercice:
    found = budgets.pour(exercice)
    if found is not None:
        return found
    others = sorted(budgets.par_exercice)
    declared = f" (budgets déclarés : {', '.join(others)})" if others else ""
    raise RapportImpossible(
        f"aucun budget pour l'exercice {exercice.code}{declared} : déclarez son fichier dans "
        f'communs.yaml, par exemple « budget: {{fichiers: {{"{exercice.code}": '
        f"budgets/{exercice.code}.yaml}}}} », puis écrivez-y les versions du budget "
        "(code, nom, date, lignes)"
    )


def _exercice_precedent(
    source: Source, exercice: Exercice, day: datetime.date
) -> tuple[Exercice | None, datetime.date | None]:
    """The previous exercice, when the ledger has entries in it, and the same date one
    year before ``day`` (a 29 February gives the 28th), within it."""
    before = source.context.calendrier.containing(exercice.debut - ONE_DAY)
    if before == exercice or before not in source.exercices:
        return None, None
    try:
        same = day.replace(year=day.year - 1)
    except ValueError:
        same = day.replace(year=day.year - 1, day=28)
    return before, min(max(same, before.debut), before.fin)


def _fin(
    source: Source, exercice: Exercice, au: datetime.date | None
) -> tuple[datetime.date, bool]:
    """The closing day: ``au``, else the last entry's date while the exercice is in
    progress, else its last day; and whether the exercice is in progress."""
    fin = date_d_arrete(exercice, au)
    last = source.mouvements.derniere_date
    if au is None and last is not None and exercice.debut <= last < exercice.fin:
        return last, True
    return fin, False


def _du_projet(
    moves: list[Mouvement], moves_n1: list[Mouvement] | None, projet: str, cles: Any
) -> tuple[list[Mouvement], list[Mouvement] | None, Any]:
    """The movements of ``projet`` (this year, the year before), with its share of the
    indirect costs when ``cles`` allocate them; and the allocation."""
    repartition = None
    if cles is not None:
        repartition = repartir(moves, cles, projet)
        if moves_n1 is not None:
            parts_n1 = repartir(moves_n1, cles, projet).parts
            moves_n1 = [m for m in moves_n1 if m.projet == projet] + parts_n1
    own = [m for m in moves if m.projet == projet]
    if repartition is not None:
        own = sorted(own + repartition.parts, key=lambda m: m.date)
    elif moves_n1 is not None:
        moves_n1 = [m for m in moves_n1 if m.projet == projet]
    return own, moves_n1, repartition


def _par_mois(
    source: Source,
    months: Sequence[Mois],
    day: datetime.date,
    moves: list[Mouvement],
    projet: str | None,
) -> list[list[Mouvement] | None]:
    """The movements of each month to ``day`` (None for the months after it)."""
    par_mois: list[list[Mouvement] | None] = []
    for month in months:
        if month.debut > day:
            par_mois.append(None)
            continue
        end = min(month.fin, day)
        if projet is not None:
            par_mois.append([m for m in moves if month.debut <= m.date <= end])
        else:
            par_mois.append(source.mouvements.entre(month.debut, end))
    return par_mois


def _constats(
    source: Source,
    exercice: Exercice,
    version: VersionBudget,
    lignes: list[LigneBudget],
    attached: Rattachement,
    moves: list[Mouvement],
    day: datetime.date,
) -> list[Constat]:
    """The findings of the budget rules (communs.yaml, ``budget.regles``) at ``day``."""
    charges_projets = charges_par_projet(moves)
    named = set(charges_projets) | {line.projet for line in lignes if line.projet}
    return evaluer(
        replace(version, lignes=tuple(lignes)),
        attached,
        exercice,
        day,
        budget_config(source.context.config).regles,
        charges_projets=charges_projets,
        noms_projets={code: source.nom_projet(code) for code in named},
    )


def _periode(
    source: Source,
    exercice: Exercice,
    day: datetime.date,
    mensuel: bool,
    projet: str | None,
    cles: Any,
) -> tuple[PeriodeDeSuivi, Exercice | None, datetime.date | None, Any]:
    """The movements read (those of ``projet``, with its share of indirect costs by
    ``cles``), the previous exercice and its day, and the allocation."""
    months = tuple(mois_de_l_exercice(exercice))
    precedent, jour_n1 = _exercice_precedent(source, exercice, day) if not mensuel else (None, None)
    moves = source.mouvements.entre(exercice.debut, day)
    moves_n1 = (
        source.mouvements.entre(precedent.debut, jour_n1)
        if precedent is not None and jour_n1 is not None
        else None
    )
    repartition = None
    if projet is not None:
        moves, moves_n1, repartition = _du_projet(moves, moves_n1, projet, cles)
    par_mois = _par_mois(source, months, day, moves, projet) if mensuel else []
    return PeriodeDeSuivi(day, months, moves, par_mois, moves_n1), precedent, jour_n1, repartition


def compute_suivi(
    source: Source,
    budgets: Budgets,
    exercice: Exercice,
    *,
    version: str | None = None,
    projet: str | None = None,
    au: datetime.date | None = None,
    mensuel: bool = False,
    cles: Any = None,
    atterrissage: Atterrissage | str | None = None,
) -> SuiviBudget:
    """The figures of the budget vs réalisé of ``exercice`` for one version of its budget.

    ``cles`` (:class:`~communs_ledger.analytique.cles.Cles`): with ``projet``, the
    réalisé adds the project's share of the indirect costs they allocate.
    ``atterrissage`` (:func:`atterrissage_de`: its totals, or why there are none): kept
    for the résultat part (whole association, annual report only).
    """
    allocated = projet is not None and cles is not None and len(cles) > 0
    chosen = _version(_budget(budgets, exercice), version)
    source.verifier_projet(projet)
    day, in_progress = _fin(source, exercice, au)
    periode, precedent, jour_n1, repartition = _periode(
        source, exercice, day, mensuel, projet, cles if allocated else None
    )
    lignes = [line for line in chosen.lignes if projet is None or line.projet == projet]
    postes, attached = _postes(
        lignes, periode.mouvements, periode.par_mois, periode, periode.mouvements_n1
    )
    constats = _constats(source, exercice, chosen, lignes, attached, periode.mouvements, day)
    statuts = statuts_des_constats(constats)
    by_class: dict[str, list[PosteBudget]] = defaultdict(list)
    for poste in postes:
        if poste.ligne is not None:
            poste = replace(poste, statut=statuts.get(poste.ligne.cle))
        by_class[poste.classe].append(poste)
    zero = periode.zero()
    charges = _section(by_class[CHARGES], zero)
    produits = _section(by_class[PRODUITS], zero)
    contributions = bool(by_class[EMPLOIS] or by_class[RESSOURCES])
    projects = sorted({line.projet for line in chosen.lignes if line.projet})
    return SuiviBudget(
        exercice=exercice,
        version=chosen,
        au=day,
        en_cours=in_progress,
        mensuel=mensuel,
        mois=periode.mois,
        projet=projet,
        avec_repartition=allocated,
        repartition=repartition,
        precedent=precedent,
        jour_n1=jour_n1,
        lignes=tuple(lignes),
        charges=charges,
        produits=produits,
        emplois=_section(by_class[EMPLOIS], zero) if contributions else None,
        ressources=_section(by_class[RESSOURCES], zero) if contributions else None,
        projets=_projets(source, chosen, periode, projects) if projet is None and projects else (),
        resultat=produits.total.moins(charges.total),
        constats=tuple(constats),
        atterrissage=atterrissage,
    )


_STATUT_DES_REGLES = {
    DEPASSEMENT: "alerte",
    PRODUITS_EN_RETARD: "surveiller",
    LIGNE_SANS_REALISE: "surveiller",
}
_GRAVITE = {"surveiller": 1, "alerte": 2}


def statuts_des_constats(constats: Iterable[Constat]) -> dict[tuple[str, str | None], str]:
    """The status of each budget line a rule finding names (the most serious one)."""
    found: dict[tuple[str, str | None], str] = {}
    for constat in constats:
        statut = _STATUT_DES_REGLES.get(constat.regle)
        if constat.compte is None or statut is None:
            continue
        key = (constat.compte, constat.projet)
        if _GRAVITE[statut] > _GRAVITE.get(found.get(key, ""), 0):
            found[key] = statut
    return found
