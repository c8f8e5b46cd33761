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
budget, the résultat part shows the atterrissage (:func:`atterrissage_de`) when the
caller gives it: two end-of-exercice estimates, each under its own name.

Rows roll up by chapter (two-digit code) and class: charges (6) and produits
(7), the contributions volontaires en nature (86, 87) in their own part; a
part by project when lines carry projects; the résultat prévisionnel vs
réalisé (produits − charges) last. Amounts are positive in their natural
direction (:func:`communs_ledger.budget.realise.sens`).

With ``mensuel``, the columns are the budget and the actual of each month of
the exercice (``m2026_03_budget``, ``m2026_03_realise``), then the annual
budget and the actual to date; :func:`vue_mensuelle_compacte` lays that out
for a terminal.

Line ids: ``ligne:<compte>`` or ``ligne:<compte>:<projet>``, ``hors_budget:<account>``,
``chapitre:<nn>``, ``total_charges``, ``total_produits``,
``contributions_volontaires_emplois``, ``contributions_volontaires_ressources``,
``projet:<code>`` (``:produits``, ``:charges``, ``:resultat``), ``sans_projet…``,
``resultat_produits``, ``resultat_charges``, ``resultat``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, cast

from ..codes import parse_account
from ..exercices import MOIS, MOIS_COURTS, Exercice, french_date
from ..formatage import montant
from ..plan import Chart, load_chart
from ..rapports.comptes import libelle_compte
from ..rapports.entete import avertissements_devises, sous_titre
from ..rapports.mouvements import Mouvement
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, Valeur
from ..rapports.periode import date_d_arrete
from ..rapports.source import RapportImpossible, Source
from .fichier import BudgetExercice, Budgets, LigneBudget, VersionBudget, ligne_id
from .profils import mois_de
from .realise import Rattachement, rattacher, sens
from .regles import (
    DEPASSEMENT,
    LIGNE_SANS_REALISE,
    PRODUITS_EN_RETARD,
    Constat,
    charges_par_projet,
    evaluer,
)

ZERO = Decimal(0)
_DAY = datetime.timedelta(days=1)

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

_LIBELLES = {
    BUDGET_ANNUEL: "Budget annuel",
    BUDGET_A_DATE: "Budget à date",
    REALISE: "Réalisé",
    ECART: "Écart",
    ECART_PCT: "Écart %",
    PROJECTION: "Projection du budget",
}

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


def atterrissage_de(
    source: Source, entrees: Any, budgets: Budgets, exercice: Exercice, version: str | None = None
) -> Atterrissage | str:
    """The atterrissage of ``exercice`` under the base scenario, or why there is none
    (French). ``entrees``: the forecast inputs
    (:func:`~communs_ledger.previsions.entrees.charger_entrees`)."""
    if entrees is None or not entrees.fichiers:
        return (
            "aucune prévision détaillée déclarée (communs.yaml, clé « previsions ») : pas "
            "d'atterrissage"
        )
    if entrees.erreurs:
        return (
            f"les fichiers de prévisions contiennent {len(entrees.erreurs)} erreur(s) : "
            "atterrissage non calculé (voir « communs verifier »)"
        )
    from ..previsions.atterrissage import atterrissage

    try:
        rapport = atterrissage(source, entrees, budgets, exercice.code, version=version)
    except RapportImpossible as exc:
        return f"atterrissage impossible : {exc}"
    totaux = rapport.totaux["atterrissage"]
    fin = cast(datetime.date, rapport.meta["fin_realise"])
    return Atterrissage(fin, totaux["total_produits"], totaux["total_charges"])


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
        return f"{MOIS[self.debut.month - 1]} {self.debut.year}"


def mois_de_l_exercice(exercice: Exercice) -> list[Mois]:
    return [Mois(debut, fin) for debut, fin in mois_de(exercice)]


def budget_du_mois(ligne: LigneBudget, mois: Mois) -> Decimal:
    """The part of a line's budget that falls due in ``mois`` (exact: whole periods)."""
    return ligne.a_date(mois.fin) - ligne.a_date(mois.debut - _DAY)


# --- Amounts of the rows --------------------------------------------------------------------

Valeurs = dict[str, Decimal | None]


def _somme(items: Iterable[Valeurs], colonnes: Sequence[str], vides: Set[str]) -> Valeurs:
    """Column-wise sum; the ``vides`` columns (actuals of months after the closing day)
    stay empty."""
    total: Valeurs = {c: None if c in vides else ZERO for c in colonnes}
    for item in items:
        for colonne in colonnes:
            value = item.get(colonne)
            if value is not None:
                current = total[colonne]
                total[colonne] = value if current is None else current + value
    return total


@dataclass
class Poste:
    """A row of detail: a budget line, or an account with actuals and no line."""

    code: str
    valeurs: Valeurs
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

    def tri(self) -> tuple[str, int, str, str]:
        return (self.code, 0 if self.ligne else 1, self.projet or "", self.account or "")


@dataclass
class Periode:
    """The closing day, the months and the movements a computation reads."""

    fin: datetime.date
    mois: list[Mois]
    mouvements: list[Mouvement]
    par_mois: list[list[Mouvement] | None] = field(default_factory=list)
    """Movements of each month up to ``fin`` (None for a month after it); empty if not
    monthly."""
    mouvements_n1: list[Mouvement] | None = None
    """Movements of the previous exercice to the same date (réalisé N-1), if shown."""


def _postes(
    lignes: Sequence[LigneBudget],
    mouvements: list[Mouvement],
    par_mois: list[list[Mouvement] | None],
    periode: Periode,
    colonnes: Sequence[str],
    mouvements_n1: list[Mouvement] | None = None,
) -> tuple[list[Poste], Rattachement]:
    """The rows of ``lignes`` against ``mouvements``, and the hors budget accounts; and
    the attachment they come from. With ``mouvements_n1``, the réalisé N-1 of the same
    lines (and of the hors budget accounts of either year)."""
    day = periode.fin
    attached = rattacher(mouvements, lignes)
    n1 = rattacher(mouvements_n1, lignes) if mouvements_n1 is not None else None
    monthly: list[Rattachement | None] = [
        rattacher(moves, lignes) if moves is not None else None for moves in par_mois
    ]
    wanted = set(colonnes)
    postes: list[Poste] = []
    for ligne in lignes:
        annuel = ligne.montant
        a_date = ligne.a_date(day)
        realise = attached.par_ligne.get(ligne.cle, ZERO)
        valeurs: Valeurs = {
            BUDGET_ANNUEL: annuel,
            BUDGET_A_DATE: a_date,
            REALISE: realise,
            PROJECTION: projection(ligne.compte, realise, annuel, a_date),
        }
        if n1 is not None:
            valeurs[REALISE_N1] = n1.par_ligne.get(ligne.cle, ZERO)
        for mois, found in zip(periode.mois, monthly, strict=False):
            if mois.budget in wanted:
                valeurs[mois.budget] = budget_du_mois(ligne, mois)
                valeurs[mois.realise] = (
                    found.par_ligne.get(ligne.cle, ZERO) if found is not None else None
                )
        accounts = tuple(sorted(attached.comptes_par_ligne.get(ligne.cle, ())))
        postes.append(Poste(ligne.compte, valeurs, ligne=ligne, comptes=accounts))
    accounts_hb = set(attached.hors_budget) | set(n1.hors_budget if n1 is not None else ())
    for account in sorted(accounts_hb):
        realise = attached.hors_budget.get(account, ZERO)
        before = n1.hors_budget.get(account, ZERO) if n1 is not None else ZERO
        if realise == 0 and before == 0:
            continue
        code = parse_account(account).code
        assert code is not None  # rattacher only keeps coded accounts of classes 6 to 8
        valeurs = {BUDGET_ANNUEL: ZERO, BUDGET_A_DATE: ZERO, REALISE: realise, PROJECTION: realise}
        if n1 is not None:
            valeurs[REALISE_N1] = before
        for mois, found in zip(periode.mois, monthly, strict=False):
            if mois.budget in wanted:
                valeurs[mois.budget] = ZERO
                valeurs[mois.realise] = (
                    found.hors_budget.get(account, ZERO) if found is not None else None
                )
        postes.append(Poste(code, valeurs, account=account, comptes=(account,)))
    return postes, attached


def _par_projet(mouvements: Iterable[Mouvement]) -> dict[str | None, list[Mouvement]]:
    groups: dict[str | None, list[Mouvement]] = defaultdict(list)
    for movement in mouvements:
        groups[movement.projet].append(movement)
    return groups


# --- Report ---------------------------------------------------------------------------------


@dataclass
class _Contexte:
    chart: Chart
    colonnes: list[Colonne]
    ids: list[str]  # ids of the amount and percentage columns shown
    montants: list[str]  # ids of the summed columns (base amounts)
    vides: frozenset[str]  # actuals of the months after the closing day: empty cells

    @property
    def somme(self) -> tuple[list[str], frozenset[str]]:
        return self.montants, self.vides


def _valeurs_affichees(valeurs: Valeurs, ctx: _Contexte) -> dict[str, Valeur]:
    shown: dict[str, Valeur] = {}
    for colonne in ctx.ids:
        if colonne == ECART:
            realise, a_date = valeurs.get(REALISE), valeurs.get(BUDGET_A_DATE)
            shown[ECART] = None if realise is None or a_date is None else realise - a_date
        elif colonne == ECART_PCT:
            realise, a_date = valeurs.get(REALISE), valeurs.get(BUDGET_A_DATE)
            shown[ECART_PCT] = ecart_relatif(realise, a_date)
        elif colonne == COMMENTAIRE:
            continue  # text of the budget line (_ligne_de_poste)
        else:
            shown[colonne] = valeurs.get(colonne)
    return shown


def _libelle_code(chart: Chart, code: str) -> str:
    found = chart.get(code) or chart.nearest(code)
    return found.libelle if found is not None else code


def _libelle_ligne(chart: Chart, ligne: LigneBudget) -> str:
    label = ligne.libelle or _libelle_code(chart, ligne.compte)
    return f"{label} — projet {ligne.projet}" if ligne.projet else label


def _ligne_de_poste(poste: Poste, ctx: _Contexte) -> Ligne:
    if poste.ligne is not None:
        ligne = poste.ligne
        id_ = ligne_id(ligne.compte, ligne.projet)
        label = _libelle_ligne(ctx.chart, ligne)
    else:
        assert poste.account is not None
        id_ = f"hors_budget:{poste.account}"
        label = f"{libelle_compte(ctx.chart, poste.account)} (hors budget)"
    valeurs = _valeurs_affichees(poste.valeurs, ctx)
    if COMMENTAIRE in ctx.ids and poste.ligne is not None and poste.ligne.commentaire:
        valeurs[COMMENTAIRE] = poste.ligne.commentaire
    return Ligne(
        libelle=label,
        valeurs=valeurs,
        id=id_,
        code=poste.code,
        niveau=2,
        comptes=poste.comptes,
        statut=poste.statut,
    )


def _section(postes: list[Poste], ctx: _Contexte) -> tuple[list[Ligne], Valeurs]:
    """Chapter rows, each followed by its lines and hors budget rows; and the total."""
    chapters: dict[str, list[Poste]] = defaultdict(list)
    for poste in postes:
        chapters[chapitre_de(poste.code)].append(poste)
    rows: list[Ligne] = []
    for chapter in sorted(chapters):
        members = sorted(chapters[chapter], key=Poste.tri)
        total = _somme((p.valeurs for p in members), *ctx.somme)
        accounts = sorted({a for p in members for a in p.comptes})
        rows.append(
            Ligne(
                libelle=_libelle_code(ctx.chart, chapter),
                valeurs=_valeurs_affichees(total, ctx),
                id=f"chapitre:{chapter}",
                code=chapter,
                style=Style.SOUS_TOTAL,
                comptes=tuple(accounts),
            )
        )
        rows.extend(_ligne_de_poste(p, ctx) for p in members)
    return rows, _somme((p.valeurs for p in postes), *ctx.somme)


def _total_row(id_: str, libelle: str, valeurs: Valeurs, ctx: _Contexte) -> Ligne:
    return Ligne(libelle, _valeurs_affichees(valeurs, ctx), id=id_, style=Style.TOTAL)


def _difference(a: Valeurs, b: Valeurs, colonnes: Sequence[str]) -> Valeurs:
    result: Valeurs = {}
    for colonne in colonnes:
        x, y = a.get(colonne), b.get(colonne)
        result[colonne] = None if x is None and y is None else (x or ZERO) - (y or ZERO)
    return result


def _colonnes(
    mois: list[Mois], mensuel: bool, jour_n1: datetime.date | None = None
) -> tuple[list[Colonne], list[str]]:
    """The columns shown, and the base amount columns summed row by row; with
    ``jour_n1``, the réalisé N-1 to that day after the réalisé."""
    if not mensuel:
        shown = [BUDGET_ANNUEL, BUDGET_A_DATE, REALISE, ECART, ECART_PCT, PROJECTION]
        colonnes = [
            Colonne(c, _LIBELLES[c], Genre.POURCENTAGE if c == ECART_PCT else Genre.MONTANT)
            for c in shown
        ]
        base = [BUDGET_ANNUEL, BUDGET_A_DATE, REALISE, PROJECTION]
        if jour_n1 is not None:
            label = f"Réalisé N-1 au {jour_n1.strftime('%d/%m/%Y')}"
            colonnes.insert(3, Colonne(REALISE_N1, label))
            base.append(REALISE_N1)
        return colonnes, base
    colonnes = []
    for month in mois:
        colonnes.append(Colonne(month.budget, f"{month.nom} budget"))
        colonnes.append(Colonne(month.realise, f"{month.nom} réalisé"))
    colonnes.append(Colonne(BUDGET_ANNUEL, "Budget annuel"))
    colonnes.append(Colonne(REALISE, "Réalisé"))
    base = [c.id for c in colonnes] + [BUDGET_A_DATE, PROJECTION]
    return colonnes, base


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
    before = source.context.calendrier.containing(exercice.debut - _DAY)
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


def budget_vs_realise(
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
) -> Rapport:
    """The budget vs réalisé of ``exercice`` for one version of its budget.

    ``cles`` (:class:`~communs_ledger.analytique.cles.Cles`): with ``projet``, the
    réalisé adds the project's share of the indirect costs they allocate.
    ``atterrissage`` (:func:`atterrissage_de`: its totals, or why there are none):
    a column of the résultat part, beside the projection of the budget (whole
    association, annual report only).
    """
    allocated = projet is not None and cles is not None and len(cles) > 0
    repartition = None
    budget = _budget(budgets, exercice)
    chosen = _version(budget, version)
    source.verifier_projet(projet)
    day, in_progress = _fin(source, exercice, au)
    months = mois_de_l_exercice(exercice)
    precedent, jour_n1 = _exercice_precedent(source, exercice, day) if not mensuel else (None, None)
    colonnes, montants = _colonnes(months, mensuel, jour_n1)
    if not mensuel and any(line.commentaire for line in chosen.lignes):
        colonnes.append(Colonne(COMMENTAIRE, "Commentaire", Genre.TEXTE))
    future = frozenset(m.realise for m in months if mensuel and m.debut > day)
    ctx = _Contexte(
        load_chart(exercice.version), colonnes, [c.id for c in colonnes], montants, future
    )

    moves = source.mouvements.entre(exercice.debut, day)
    moves_n1 = (
        source.mouvements.entre(precedent.debut, jour_n1)
        if precedent is not None and jour_n1 is not None
        else None
    )
    lignes = list(chosen.lignes)
    if projet is not None:
        if allocated:
            from ..analytique.repartition import repartir

            repartition = repartir(moves, cles, projet)
            if moves_n1 is not None:
                parts_n1 = repartir(moves_n1, cles, projet).parts
                moves_n1 = [m for m in moves_n1 if m.projet == projet] + parts_n1
        moves = [m for m in moves if m.projet == projet]
        if repartition is not None:
            moves = sorted(moves + repartition.parts, key=lambda m: m.date)
        elif moves_n1 is not None:
            moves_n1 = [m for m in moves_n1 if m.projet == projet]
        lignes = [line for line in lignes if line.projet == projet]
    par_mois: list[list[Mouvement] | None] = []
    if mensuel:
        for month in months:
            if month.debut > day:
                par_mois.append(None)
                continue
            in_month = source.mouvements.entre(month.debut, min(month.fin, day))
            if projet is not None:
                in_month = [m for m in moves if month.debut <= m.date <= min(month.fin, day)]
            par_mois.append(in_month)
    periode = Periode(day, months, moves, par_mois, moves_n1)
    postes, attached = _postes(lignes, moves, par_mois, periode, montants, moves_n1)
    charges_projets = charges_par_projet(moves)
    named = set(charges_projets) | {line.projet for line in lignes if line.projet}
    constats = evaluer(
        replace(chosen, lignes=tuple(lignes)),
        attached,
        exercice,
        day,
        source.context.config.data.budget.regles,
        charges_projets=charges_projets,
        noms_projets={code: source.nom_projet(code) for code in named},
    )
    statuts = _statuts(constats)
    for poste in postes:
        if poste.ligne is not None:
            poste.statut = statuts.get(poste.ligne.cle)

    by_class: dict[str, list[Poste]] = defaultdict(list)
    for poste in postes:
        by_class[poste.classe].append(poste)

    parties: list[Partie] = []
    totaux: dict[str, Valeurs] = {}
    charges_rows, charges = _section(by_class[CHARGES], ctx)
    charges_rows.append(_total_row("total_charges", "Total des charges", charges, ctx))
    parties.append(Partie("charges", "Charges", colonnes, charges_rows, onglet="Charges"))
    produits_rows, produits = _section(by_class[PRODUITS], ctx)
    produits_rows.append(_total_row("total_produits", "Total des produits", produits, ctx))
    parties.append(Partie("produits", "Produits", colonnes, produits_rows, onglet="Produits"))
    totaux["total_charges"] = charges
    totaux["total_produits"] = produits

    if by_class[EMPLOIS] or by_class[RESSOURCES]:
        rows: list[Ligne] = []
        for classe, id_, libelle in (
            (EMPLOIS, "contributions_volontaires_emplois", "Total des emplois (86)"),
            (RESSOURCES, "contributions_volontaires_ressources", "Total des ressources (87)"),
        ):
            section_rows, total = _section(by_class[classe], ctx)
            rows.extend(section_rows)
            rows.append(_total_row(id_, libelle, total, ctx))
            totaux[id_] = total
        parties.append(
            Partie(
                "contributions_volontaires",
                "Contributions volontaires en nature",
                colonnes,
                rows,
                notes=[
                    "Hors résultat. Dans le grand livre, emplois (86) et ressources (87) "
                    "s'équilibrent sur l'exercice."
                ],
                onglet="Contributions en nature",
            )
        )

    projects = sorted({line.projet for line in chosen.lignes if line.projet})
    if projet is None and projects:
        parties.append(_partie_projets(source, chosen, periode, ctx, projects))

    resultat = _difference(produits, charges, montants)
    totaux["resultat"] = resultat
    parties.append(_partie_resultat(produits, charges, resultat, ctx, day, atterrissage, mensuel))

    totals_by_column = {
        colonne.id: {
            name: value
            for name, valeurs in totaux.items()
            if isinstance(value := _valeurs_affichees(valeurs, ctx).get(colonne.id), Decimal)
        }
        for colonne in colonnes
        if colonne.genre is Genre.MONTANT
    }
    precision = f"budget « {chosen.nom} » ({chosen.code})"
    if projet is not None:
        precision += f", projet {projet} ({source.nom_projet(projet)})"
        if allocated:
            precision += ", avec charges indirectes réparties"
    return Rapport(
        id="budget_vs_realise",
        titre="Budget vs réalisé mensuel" if mensuel else "Budget vs réalisé",
        association=source.association,
        parties=parties,
        sous_titre=sous_titre(exercice, day, precision),
        exercice=exercice.code,
        periode=(exercice.debut, day),
        totaux=totals_by_column,
        notes=_notes(
            exercice, chosen, day, in_progress, projet, mensuel, bool(statuts), repartition
        )
        + _notes_de_repartition(repartition, projet)
        + _note_n1(precedent, jour_n1),
        avertissements=_avertissements(source, chosen, projet, lignes, constats),
        meta={
            "version": chosen.code,
            "version_nom": chosen.nom,
            "version_date": chosen.date,
            "au": day,
            "exercice_en_cours": in_progress,
            "projet": projet,
            "repartition": allocated,
            "mensuel": mensuel,
            "plan": exercice.version,
            "atterrissage": atterrissage.fin_realise
            if isinstance(atterrissage, Atterrissage)
            else None,
        },
    )


ATTERRISSAGE = "atterrissage"
DEFINITION_PROJECTION = (
    "Projection du budget = réalisé à date + budget restant (budget annuel − budget à "
    "date), ligne par ligne ; pour les charges, jamais inférieure au réalisé."
)
DEFINITION_ATTERRISSAGE = (
    "Atterrissage = réalisé à la dernière écriture + prévisions détaillées du reste de "
    "l'exercice (paie, conventions, flux, puis reste du budget des comptes qu'elles ne "
    "couvrent pas), scénario de base : « communs prevision atterrissage »."
)


def _partie_resultat(
    produits: Valeurs,
    charges: Valeurs,
    resultat: Valeurs,
    ctx: _Contexte,
    day: datetime.date,
    atterrissage: Atterrissage | str | None,
    mensuel: bool,
) -> Partie:
    """Produits, charges and résultat in the report's columns; beside the projection of
    the budget, the atterrissage when there is one: two end-of-exercice estimates, each
    under its own name."""
    colonnes = list(ctx.colonnes)
    rows = [
        Ligne("Produits", _valeurs_affichees(produits, ctx), id="resultat_produits"),
        Ligne("Charges", _valeurs_affichees(charges, ctx), id="resultat_charges"),
        Ligne(
            "Résultat (produits − charges)",
            _valeurs_affichees(resultat, ctx),
            id="resultat",
            style=Style.TOTAL,
        ),
    ]
    notes: list[str] = []
    if not mensuel:
        notes = [
            f"{DEFINITION_PROJECTION} Réalisé au {day.strftime('%d/%m/%Y')}.",
            DEFINITION_ATTERRISSAGE,
        ]
        if isinstance(atterrissage, Atterrissage):
            colonnes.append(Colonne(ATTERRISSAGE, "Atterrissage"))
            rows[0].valeurs[ATTERRISSAGE] = atterrissage.produits
            rows[1].valeurs[ATTERRISSAGE] = atterrissage.charges
            rows[2].valeurs[ATTERRISSAGE] = atterrissage.resultat
            notes[1] += f" Réalisé au {atterrissage.fin_realise.strftime('%d/%m/%Y')}."
        elif isinstance(atterrissage, str):
            notes[1] = f"Atterrissage non montré : {atterrissage}."
        else:
            notes.pop()
    return Partie(
        "resultat",
        "Résultat prévisionnel et réalisé",
        colonnes,
        rows,
        notes=notes,
        onglet="Résultat",
    )


def _partie_projets(
    source: Source,
    version: VersionBudget,
    periode: Periode,
    ctx: _Contexte,
    projects: list[str],
) -> Partie:
    """Per project: its lines and its direct actuals (charges, produits, résultat); then
    the lines and actuals without project. The rows add up to the report's totals."""
    moves = _par_projet(periode.mouvements)
    moves_n1 = _par_projet(periode.mouvements_n1) if periode.mouvements_n1 is not None else None
    monthly = [_par_projet(m) if m is not None else None for m in periode.par_mois]
    with_actuals = {p for p, ms in moves.items() if p and any(_result_code(m) for m in ms)}
    rows: list[Ligne] = []
    groups: list[str | None] = [*sorted(set(projects) | with_actuals), None]
    for group in groups:
        lignes = [line for line in version.lignes if line.projet == group]
        par_mois = [m.get(group, []) if m is not None else None for m in monthly]
        postes, _attached = _postes(
            lignes,
            moves.get(group, []),
            par_mois,
            periode,
            ctx.montants,
            moves_n1.get(group, []) if moves_n1 is not None else None,
        )
        charges = _somme((p.valeurs for p in postes if p.classe == CHARGES), *ctx.somme)
        produits = _somme((p.valeurs for p in postes if p.classe == PRODUITS), *ctx.somme)
        resultat = _difference(produits, charges, ctx.montants)
        prefix = f"projet:{group}" if group else "sans_projet"
        title = f"{group} — {source.nom_projet(group)}" if group else "Sans projet"
        rows.append(Ligne(title, {}, id=prefix, style=Style.TITRE))
        rows.append(
            Ligne("Produits", _valeurs_affichees(produits, ctx), id=f"{prefix}:produits", niveau=2)
        )
        rows.append(
            Ligne("Charges", _valeurs_affichees(charges, ctx), id=f"{prefix}:charges", niveau=2)
        )
        rows.append(
            Ligne(
                "Résultat" if group is None else "Résultat du projet",
                _valeurs_affichees(resultat, ctx),
                id=f"{prefix}:resultat",
                niveau=2,
                style=Style.SOUS_TOTAL,
            )
        )
    return Partie(
        "par_projet",
        "Par projet",
        ctx.colonnes,
        rows,
        notes=[
            "Projet : ses lignes de budget et ses écritures directes (métadonnée « projet: »), "
            "y compris sur des comptes qu'aucune ligne du projet ne couvre ; sans répartition "
            "des charges indirectes. « Sans projet » : lignes et écritures sans projet. Les "
            "projets et « Sans projet » s'additionnent aux totaux du rapport."
        ],
        onglet="Par projet",
    )


def _result_code(movement: Mouvement) -> bool:
    code = movement.code
    return code is not None and code[:1] in ("6", "7")


def _notes(
    exercice: Exercice,
    version: VersionBudget,
    day: datetime.date,
    in_progress: bool,
    projet: str | None,
    mensuel: bool,
    statuts: bool,
    repartition: Any = None,
) -> list[str]:
    notes = [
        f"Budget : version « {version.nom} » ({version.code}) du {french_date(version.date)}.",
        f"Budget à date : part du budget annuel échue au {french_date(day)} selon le profil "
        "mensuel de chaque ligne, la période en cours au prorata des jours.",
        f"Réalisé : écritures du {french_date(exercice.debut)} au {french_date(day)}. Une "
        "ligne couvre les comptes dont le numéro commence par le sien ; la ligne au numéro "
        "le plus long l'emporte et, à numéro égal, la ligne du projet de l'écriture. "
        "Montants positifs dans leur sens naturel (charges au débit, produits au crédit).",
        "Écart = réalisé − budget à date, en euros et en % de la valeur absolue du budget "
        "à date : positif, une charge dépasse son budget, un produit ou un résultat dépasse "
        "sa prévision.",
        "Projection du budget (de fin d'exercice) = réalisé + budget restant (budget annuel "
        "− budget à date) ; pour les charges, jamais inférieure au réalisé (une dépense "
        "faite reste faite). À ne pas confondre avec l'atterrissage, qui prend les "
        "prévisions détaillées (voir le résultat prévisionnel).",
        "Hors budget : comptes mouvementés qu'aucune ligne du budget ne couvre (budget 0).",
    ]
    if in_progress:
        notes.append(
            f"Exercice en cours : arrêté au {french_date(day)}, date de la dernière écriture "
            "(option --au pour une autre date)."
        )
    if projet is not None and repartition is None:
        notes.append(
            f"Projet {projet} : lignes du budget de ce projet et écritures directes du projet "
            f"(métadonnée « projet: {projet} »), sans répartition des charges indirectes."
        )
    if statuts:
        notes.append(
            f"Statut : règles du budget (communs.yaml, clé budget.regles) au {french_date(day)} "
            "— alerte : charges au-delà du seuil de dépassement ; à surveiller : produits en "
            "retard ou ligne sans réalisé. Le détail est dans les avertissements."
        )
    if mensuel:
        notes.append(
            "Budget du mois : échéances du profil de chaque ligne tombant dans le mois ; "
            "réalisé du mois : écritures du mois (jusqu'à la date d'arrêté)."
        )
    return notes


def _note_n1(precedent: Exercice | None, jour: datetime.date | None) -> list[str]:
    if precedent is None or jour is None:
        return []
    return [
        f"Réalisé N-1 : écritures de l'{precedent.libelle} jusqu'au {french_date(jour)}, "
        "même date un an plus tôt, rattachées aux lignes du budget choisi (comptes sans "
        "ligne : hors budget)."
    ]


def _notes_de_repartition(repartition: Any, projet: str | None) -> list[str]:
    """With allocated indirect costs: the note replacing « sans répartition », and one
    note per key used."""
    if repartition is None or projet is None:
        return []
    from ..analytique.repartition import notes_de_repartition

    return [
        f"Réalisé du projet {projet} avec sa part des charges indirectes réparties par les "
        "clés de répartition (écritures non modifiées ; arrondi au centime par la méthode du "
        "plus fort reste) ; « --sans-repartition » : charges directes seules. Le budget du "
        "projet ne compte que ses lignes.",
        *notes_de_repartition(repartition, projet),
    ]


_STATUT_DES_REGLES = {
    DEPASSEMENT: "alerte",
    PRODUITS_EN_RETARD: "surveiller",
    LIGNE_SANS_REALISE: "surveiller",
}
_GRAVITE = {"surveiller": 1, "alerte": 2}


def _statuts(constats: list[Constat]) -> dict[tuple[str, str | None], str]:
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


def _avertissements(
    source: Source,
    version: VersionBudget,
    projet: str | None,
    lignes: list[LigneBudget],
    constats: list[Constat],
) -> list[str]:
    warnings = []
    if projet is not None and not lignes:
        warnings.append(
            f"Aucune ligne du budget « {version.code} » pour le projet {projet} : tout son "
            "réalisé est hors budget."
        )
    emplois = sum((line.montant for line in lignes if classe_de(line.compte) == EMPLOIS), ZERO)
    ressources = sum(
        (line.montant for line in lignes if classe_de(line.compte) == RESSOURCES), ZERO
    )
    if emplois != ressources:
        warnings.append(
            f"Budget « {version.code} » : contributions volontaires en nature déséquilibrées, "
            f"emplois (86) {montant(emplois)} pour des ressources (87) de "
            f"{montant(ressources)} ; elles s'équilibrent dans les comptes."
        )
    warnings.extend(constat.message for constat in constats)
    warnings.extend(avertissements_devises(source))
    return warnings


# --- Terminal layout of the monthly report ------------------------------------------------------


def vue_mensuelle_compacte(rapport: Rapport) -> Rapport:
    """The monthly report laid out for a terminal: one column per month and a total,
    each row showing the actual, followed by a « budget » row; whole euros.

    No figure is computed here: values are those of ``rapport`` (rounded at display).
    """
    parties = []
    for partie in rapport.parties:
        months = [c.id.removesuffix("_budget") for c in partie.colonnes if c.id.endswith("_budget")]
        span_years = len({m[1:5] for m in months}) > 1
        colonnes = [Colonne(m, _mois_court(m, span_years), Genre.ENTIER) for m in months] + [
            Colonne("total", "Total", Genre.ENTIER)
        ]
        rows: list[Ligne] = []
        for ligne in partie.lignes:
            if ligne.style is Style.TITRE:
                rows.append(ligne)
                continue
            realise = {m: ligne.valeurs.get(f"{m}_realise") for m in months}
            realise["total"] = ligne.valeurs.get(REALISE)
            budget = {m: ligne.valeurs.get(f"{m}_budget") for m in months}
            budget["total"] = ligne.valeurs.get(BUDGET_ANNUEL)
            rows.append(
                Ligne(
                    ligne.libelle,
                    realise,
                    id=ligne.id,
                    code=ligne.code,
                    niveau=ligne.niveau,
                    style=ligne.style,
                    comptes=ligne.comptes,
                    statut=ligne.statut,
                )
            )
            if ligne.id is not None and ligne.id.startswith("hors_budget:"):
                continue  # no budget by definition
            rows.append(
                Ligne(
                    "budget",
                    budget,
                    id=f"{ligne.id}:budget" if ligne.id else None,
                    niveau=ligne.niveau + 1,
                    style=Style.DONT,
                )
            )
        parties.append(
            Partie(partie.id, partie.titre, colonnes, rows, list(partie.notes), partie.onglet)
        )
    notes = [
        *rapport.notes,
        "Affichage compact : pour chaque ligne, le réalisé de chaque mois puis, en dessous, "
        "son budget (« budget » ; aucun pour les lignes hors budget), arrondis à l'euro ; "
        "colonne Total : réalisé à date et budget annuel. Toutes les colonnes au centime avec "
        "--format xlsx, csv, json ou html.",
    ]
    return Rapport(
        id=rapport.id,
        titre=rapport.titre,
        association=rapport.association,
        parties=parties,
        sous_titre=rapport.sous_titre,
        exercice=rapport.exercice,
        periode=rapport.periode,
        totaux={},
        notes=notes,
        avertissements=list(rapport.avertissements),
        meta=dict(rapport.meta),
    )


def _mois_court(cle: str, avec_annee: bool) -> str:
    year, month = int(cle[1:5]), int(cle[6:8])
    label = MOIS_COURTS[month - 1]
    return f"{label} {year % 100:02d}" if avec_annee else label


def commentaires_a_part(rapport: Rapport) -> Rapport:
    """For a terminal: the « Commentaire » column of the budget lines moved to the notes
    of its part (« 6061 Eau et électricité : … »), so that the tables of amounts keep
    their width. The figures and texts are those of ``rapport``."""
    parties: list[Partie] = []
    for partie in rapport.parties:
        if not any(c.id == COMMENTAIRE for c in partie.colonnes):
            parties.append(partie)
            continue
        rows, notes = [], list(partie.notes)
        for ligne in partie.lignes:
            texte = ligne.valeurs.get(COMMENTAIRE)
            if texte:
                label = f"{ligne.code} {ligne.libelle}" if ligne.code else ligne.libelle
                notes.append(f"Commentaire, {label} : {texte}")
            valeurs = {k: v for k, v in ligne.valeurs.items() if k != COMMENTAIRE}
            rows.append(replace(ligne, valeurs=valeurs))
        colonnes = [c for c in partie.colonnes if c.id != COMMENTAIRE]
        parties.append(replace(partie, colonnes=colonnes, lignes=rows, notes=notes))
    return replace(rapport, parties=parties)
