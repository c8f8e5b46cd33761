"""The plan de trésorerie: month by month, the cash of the treasury accounts (class 5
except 59) from the ledger for the past and from the forecast inputs for the future.

Months. The plan starts with the month of ``depuis`` (any day of it), by
default the month of the ledger's last actual transaction — the month in
progress in the books — and covers ``mois`` months. Its opening balance is the
actual balance of the treasury accounts on the eve of its first day.

Actual and forecast. Up to the last actual date, receipts and payments come
from the ledger (:mod:`.realise`); after it, from the inputs, generated once per
scenario for the period from the day after the last actual date to the end of
the plan. The month containing the last actual date is *mixed*: actuals up to
that date, forecasts after it (the row « Chiffres » says réalisé / mixte /
prévu for each month). A plan starting after the month of the last actual date
opens on the actual balance plus the forecasts of the months in between.

Threshold. ``previsions.seuil`` in ``communs.yaml``: ``montant`` if given (a fixed
amount wins); otherwise ``mois_de_charges`` (1 by default) × the average monthly
payments of the last complete months of actuals — the 12 calendar months complete at
the last actual date (its own month included when that date is the month's last
day), or fewer if the ledger starts later —, the average rounded to the cent. Months
whose closing balance is below it are flagged (row « Écart au seuil », negative
and with the status « alerte »; listed in the notes).

Low point: the lowest closing balance (month ends) and its first month, per
scenario (named totals ``point_bas`` and ``mois_point_bas``).

Invariants (tested): closing = opening + receipts − payments every month;
opening of a month = closing of the previous one; the closing balance of every
month up to the last actual date equals the ledger's treasury balance at that
month end; a scenario without overrides gives the base.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..codes import est_tresorerie
from ..conventions.financeurs import FINANCEUR_NON_PRECISE, cle, lisible
from ..dates import (
    Mois,
    first_day,
    last_day,
    month_key,
    month_label,
    month_of,
    shift_month,
    short_month_label,
)
from ..exercices import french_date
from ..formatage import montant
from ..montants import ZERO, to_cent
from ..rapports.entete import avertissements_devises
from ..rapports.objets import Colonne, Graphique, Ligne, Partie, Rapport, Serie, Style, rapport_de
from ..rapports.source import RapportImpossible, Source
from .budget_restant import AUCUN, Budgetisation, BudgetRestant
from .modele import BASE, MouvementPrevu, Periode, Scenario, de_mois
from .realise import (
    DECAISSEMENT,
    ENCAISSEMENT,
    Categories,
    Cle,
    TresorerieReelle,
    ajouter_aux_cellules,
    categories_de_tresorerie,
    solde_de_tresorerie,
    tresorerie_reelle,
)
from .reglages import previsions_config

MOIS_MAX = 60
MOIS_SEUIL = 12
REALISE, MIXTE, PREVU = "réalisé", "mixte", "prévu"
DANGER, SOUS_LE_SEUIL = "danger", "sous le seuil"
_SENS_LIBELLE = {ENCAISSEMENT: "Encaissements", DECAISSEMENT: "Décaissements"}
_TOTAL_ID = {ENCAISSEMENT: "total_encaissements", DECAISSEMENT: "total_decaissements"}
_TOTAL_LIBELLE = {
    ENCAISSEMENT: "Total des encaissements",
    DECAISSEMENT: "Total des décaissements",
}


# --- Threshold ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeuilDAlerte:
    """The alert threshold and the sentence that explains it."""

    montant: Decimal | None
    regle: str


def mois_du_seuil(source: Source, derniere: datetime.date | None = None) -> list[Mois]:
    """The complete months of actuals the threshold averages: the last 12 calendar months
    complete at the last actual date — the month of the last actual date included when that
    date is its last day —, from the month of the first one, after the exercices taken over
    by ``communs ouverture``."""
    first, last = source.mouvements.premiere_date, derniere or source.mouvements.derniere_date
    if first is None or last is None:
        return []
    # an exercice taken over by communs ouverture (metadata reprise:) holds only its
    # opening and its movements totalled per account: its months have no real payments
    reprises = [entry.date for entry in source.avec_meta("reprise") if hasattr(entry, "postings")]
    if reprises:
        first = max(first, max(reprises) + datetime.timedelta(days=1))
    end = month_of(last)
    if last == last_day(end):
        end = shift_month(end, 1)  # the month of the last entry is complete
    months = [shift_month(end, -count) for count in range(MOIS_SEUIL, 0, -1)]
    return [m for m in months if m >= month_of(first)]


def seuil_d_alerte(
    source: Source,
    categories: Categories | None = None,
    reel: TresorerieReelle | None = None,
    derniere: datetime.date | None = None,
) -> SeuilDAlerte:
    """The threshold of ``previsions.seuil`` (see the module docstring for the rule);
    ``reel``: the actual cash already classified, if it covers :func:`mois_du_seuil`."""
    settings = previsions_config(source.context.config).seuil
    if settings.montant is not None:
        return SeuilDAlerte(
            Decimal(settings.montant),
            f"Seuil d'alerte : {montant(Decimal(settings.montant))} (montant fixé dans "
            "communs.yaml, previsions.seuil.montant).",
        )
    factor = settings.mois_de_charges
    if factor is None or Decimal(factor) <= 0:
        return SeuilDAlerte(None, "Pas de seuil d'alerte (previsions.seuil dans communs.yaml).")
    factor = Decimal(factor)
    if source.mouvements.derniere_date is None:
        return SeuilDAlerte(None, "Pas de seuil d'alerte : aucune écriture réalisée.")
    months = mois_du_seuil(source, derniere)
    if not months:
        return SeuilDAlerte(
            None,
            "Pas de seuil d'alerte : le grand livre ne compte encore aucun mois complet de "
            "réalisé pour calculer la moyenne des décaissements.",
        )
    actual = reel
    if actual is None:
        moves = source.mouvements.entre(first_day(months[0]), last_day(months[-1]))
        actual = tresorerie_reelle(moves, categories)
    paid = sum((actual.total(m, DECAISSEMENT) for m in months), ZERO)
    average = to_cent(paid / len(months))
    amount = to_cent(factor * average)
    factor_txt = _facteur(factor)
    span = (
        f"{de_mois(month_label(months[0]))} à {month_label(months[-1])}"
        if len(months) > 1
        else de_mois(month_label(months[0]))
    )
    return SeuilDAlerte(
        amount,
        f"Seuil d'alerte : {factor_txt} mois de charges = {montant(amount)} ({factor_txt} × "
        f"{montant(average)}, moyenne mensuelle des décaissements réalisés {span}, "
        f"{len(months)} mois ; previsions.seuil.mois_de_charges).",
    )


def _facteur(value: Decimal) -> str:
    """``1``, ``1,5``, ``0,25``: a number of months without useless decimals."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


# --- One scenario ---------------------------------------------------------------------------


@dataclass
class PlanScenario:
    """The figures of one scenario, by month."""

    scenario: Scenario
    mois: list[Mois]
    cellules: dict[Mois, dict[Cle, Decimal]]
    ouverture: dict[Mois, Decimal] = field(default_factory=dict)
    encaissements: dict[Mois, Decimal] = field(default_factory=dict)
    decaissements: dict[Mois, Decimal] = field(default_factory=dict)
    cloture: dict[Mois, Decimal] = field(default_factory=dict)
    prevus: int = 0  # forecast movements used

    def calculer(
        self, solde_initial: Decimal, ouvertures: dict[Mois, Decimal] | None = None
    ) -> None:
        """The balances from ``solde_initial``; ``ouvertures``: cash of opening-balance
        entries by month, part of the month's opening balance (not receipts)."""
        balance = solde_initial
        for month in self.mois:
            balance += (ouvertures or {}).get(month, ZERO)
            cells = self.cellules.get(month, {})
            received = sum(
                (v for (s, _c, d), v in cells.items() if s == ENCAISSEMENT and d is None), ZERO
            )
            paid = sum(
                (v for (s, _c, d), v in cells.items() if s == DECAISSEMENT and d is None), ZERO
            )
            self.ouverture[month] = balance
            self.encaissements[month] = received
            self.decaissements[month] = paid
            balance = balance + received - paid
            self.cloture[month] = balance

    @property
    def point_bas(self) -> tuple[Decimal, Mois]:
        lowest = min(self.cloture[m] for m in self.mois)
        month = next(m for m in self.mois if self.cloture[m] == lowest)
        return lowest, month

    def sous_le_seuil(self, seuil: Decimal | None) -> list[Mois]:
        if seuil is None:
            return []
        return [m for m in self.mois if self.cloture[m] < seuil]

    def en_danger(self, decouvert: Decimal) -> list[Mois]:
        """Months closing below the authorised overdraft (−``decouvert``)."""
        return [m for m in self.mois if self.cloture[m] < -decouvert]

    def alertes(self, seuil: Decimal | None, decouvert: Decimal) -> dict[Mois, str]:
        """« danger » (below the authorised overdraft) or « sous le seuil », by month."""
        below = set(self.sous_le_seuil(seuil))
        danger = set(self.en_danger(decouvert))
        return {
            m: DANGER if m in danger else SOUS_LE_SEUIL
            for m in self.mois
            if m in danger or m in below
        }


@dataclass
class Anomalies:
    """What the forecasts of the plan had wrong (reported as warnings) and their notes."""

    categories: dict[str, set[str]] = field(default_factory=dict)  # category → origins
    hors_periode: int = 0
    notes: list[str] = field(default_factory=list)  # the inputs' own notes


def _forecast_cells(
    mouvements: Iterable[MouvementPrevu],
    periode: Periode,
    plan_start: datetime.date,
    categories: Categories,
    libelles: dict[str, str],
    anomalies: Anomalies,
) -> tuple[dict[Mois, dict[Cle, Decimal]], Decimal, int]:
    """Forecast receipts and payments by month; the net of those before the plan's start
    (they move its opening balance); the number of movements used."""
    cells: dict[Mois, dict[Cle, Decimal]] = {}
    before = ZERO
    used = 0
    for movement in mouvements:
        if not periode.debut <= movement.date <= periode.fin:
            anomalies.hors_periode += 1
            continue
        if movement.montant == 0:
            continue
        used += 1
        if movement.date < plan_start:
            before += movement.montant
            continue
        sens = ENCAISSEMENT if movement.montant > 0 else DECAISSEMENT
        categorie = categories.get(movement.categorie)
        if categorie is None or categorie.sens != sens:
            anomalies.categories.setdefault(movement.categorie, set()).add(movement.origine)
            categorie = categories.autres(sens)
        month_cells = cells.setdefault(month_of(movement.date), {})
        detail = lisible(movement.detail) if movement.detail else None
        ajouter_aux_cellules(month_cells, libelles, movement.montant, categorie, detail)
    return cells, before, used


def _merge(*sources: dict[Mois, dict[Cle, Decimal]]) -> dict[Mois, dict[Cle, Decimal]]:
    merged: dict[Mois, dict[Cle, Decimal]] = {}
    for cells_by_month in sources:
        for month, cells in cells_by_month.items():
            target = merged.setdefault(month, {})
            for key, value in cells.items():
                target[key] = target.get(key, ZERO) + value
    return merged


# --- The report -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FiguresDuScenario:
    """The named figures of one scenario of the plan."""

    code: str
    libelle: str
    solde_initial: Decimal
    total_encaissements: Decimal
    total_decaissements: Decimal
    solde_final: Decimal
    point_bas: Decimal
    mois_point_bas: Mois
    mois_sous_seuil: tuple[Mois, ...]
    mois_en_danger: tuple[Mois, ...]


@dataclass(frozen=True, slots=True)
class SoldesParCompte:
    """The closing cash of each treasury account by month with actuals (to ``fin``)."""

    fin: datetime.date
    par_mois: Mapping[Mois, Mapping[str, Decimal]]
    comptes: tuple[str, ...] = ()
    """Every treasury account with movements up to ``fin``: a row each, even when no
    month of the plan has actuals (a plan entirely forecast: empty cells)."""


@dataclass(frozen=True, slots=True)
class PlanDeTresorerie:
    """The figures of a plan de trésorerie: one :class:`PlanScenario` per scenario, the
    threshold, the nature and budget of each month; no layout."""

    association: str
    plans: tuple[PlanScenario, ...]
    categories: Categories
    libelles: Mapping[str, str]
    """Funder key → label."""
    seuil: SeuilDAlerte
    nature: Mapping[Mois, str]
    derniere_ecriture: datetime.date | None
    periode: Periode | None
    """The forecast period (None when the plan has only actuals)."""
    anomalies: Anomalies
    budgets: Mapping[Mois, Budgetisation]
    decouvert: Decimal
    devises: tuple[str, ...]
    """The warning about amounts in other commodities, if any."""
    au: datetime.date | None = None
    soldes_par_compte: SoldesParCompte | None = None

    @property
    def mois(self) -> list[Mois]:
        return self.plans[0].mois

    @property
    def scenarios(self) -> tuple[FiguresDuScenario, ...]:
        """The named figures of each scenario, in the order of the plan."""
        return tuple(self._figures(plan) for plan in self.plans)

    def scenario(self, code: str) -> FiguresDuScenario:
        """The figures of the scenario ``code`` (KeyError if not in the plan)."""
        for plan in self.plans:
            if plan.scenario.code == code:
                return self._figures(plan)
        raise KeyError(code)

    @property
    def scenario_le_plus_bas(self) -> FiguresDuScenario:
        """The scenario with the lowest low point (the first one on a tie)."""
        return min(self.scenarios, key=lambda figures: figures.point_bas)

    def _figures(self, plan: PlanScenario) -> FiguresDuScenario:
        lowest, month = plan.point_bas
        return FiguresDuScenario(
            code=plan.scenario.code,
            libelle=plan.scenario.libelle,
            solde_initial=plan.ouverture[plan.mois[0]],
            total_encaissements=sum(plan.encaissements.values(), ZERO),
            total_decaissements=sum(plan.decaissements.values(), ZERO),
            solde_final=plan.cloture[plan.mois[-1]],
            point_bas=lowest,
            mois_point_bas=month,
            mois_sous_seuil=tuple(plan.sous_le_seuil(self.seuil.montant)),
            mois_en_danger=tuple(plan.en_danger(self.decouvert)),
        )


def _months_of_plan(
    depuis: datetime.date | None, last: datetime.date | None, mois: int
) -> list[Mois]:
    """The months of the plan, from the month of ``depuis`` (default: of the last actual
    date); refused when the plan would start too late or end after the calendar."""
    if depuis is None:
        if last is None:
            raise RapportImpossible(
                "le grand livre ne contient aucune écriture : indiquez le premier mois du plan "
                "(--depuis)"
            )
        depuis = last
    first_month = month_of(depuis)
    if last is not None and first_month > shift_month(month_of(last), MOIS_MAX):
        raise RapportImpossible(
            f"--depuis {depuis.isoformat()} : le plan doit commencer au plus {MOIS_MAX} mois "
            f"après la dernière écriture ({french_date(last)}) ; les mois intermédiaires "
            "seraient tous prévus"
        )
    if shift_month(first_month, mois - 1)[0] > datetime.MAXYEAR - 1:
        raise RapportImpossible(
            f"plan de {mois} mois à partir de {month_label(first_month)} : il dépasserait le "
            "calendrier des exercices (an 9999)"
        )
    return [shift_month(first_month, index) for index in range(mois)]


@dataclass(frozen=True, slots=True)
class _Realise:
    """The actuals of the plan's months (and of the months the threshold averages)."""

    cells: dict[Mois, dict[Cle, Decimal]]
    ouvertures: dict[Mois, Decimal]
    libelles: dict[str, str]
    reel: TresorerieReelle | None


def _actuals(
    source: Source, categories: Categories, last: datetime.date | None, months: list[Mois]
) -> _Realise:
    """Receipts and payments of the plan's months up to the last actual date, classified
    once with the months the threshold averages."""
    found = _Realise({}, {}, {}, None)
    if last is None:
        return found
    plan_start = first_day(months[0])
    window = mois_du_seuil(source, last)
    start = min(plan_start, first_day(window[0])) if window else plan_start
    actual = tresorerie_reelle(source.mouvements.entre(start, last), categories)
    found = _Realise({}, {}, {}, actual)
    if last >= plan_start:
        plan_months = set(months)
        found.cells.update((m, c) for m, c in actual.par_mois.items() if m in plan_months)
        found.ouvertures.update((m, v) for m, v in actual.ouvertures.items() if m in plan_months)
        for cells in found.cells.values():
            for _sens, _categorie, funder in cells:
                if funder is not None:
                    found.libelles[funder] = actual.libelles_financeurs[funder]
    return found


def _scenario_plans(
    source: Source,
    entrees: Any,
    scenarios: Sequence[Scenario],
    months: list[Mois],
    realise: _Realise,
    periode: Periode | None,
    categories: Categories,
    anomalies: Anomalies,
    opening: Decimal,
) -> list[PlanScenario]:
    """Every scenario's plan: the actuals plus its forecasts, balances computed from the
    actual cash ``opening`` on the eve of the plan and the forecasts before its start."""
    plan_start = first_day(months[0])
    plans: list[PlanScenario] = []
    for scenario in scenarios:
        forecast_cells: dict[Mois, dict[Cle, Decimal]] = {}
        before = ZERO
        used = 0
        if periode is not None:
            forecasts = entrees.generer(periode, scenario, source)
            anomalies.notes.extend(n for n in forecasts.notes if n not in anomalies.notes)
            forecast_cells, before, used = _forecast_cells(
                forecasts.tresorerie, periode, plan_start, categories, realise.libelles, anomalies
            )
        plan = PlanScenario(scenario, months, _merge(realise.cells, forecast_cells), prevus=used)
        plan.calculer(opening + before, realise.ouvertures)
        plans.append(plan)
    return plans


def compute_plan_de_tresorerie(
    source: Source,
    entrees: Any,
    *,
    depuis: datetime.date | None = None,
    mois: int = 12,
    scenarios: Sequence[Scenario] = (BASE,),
    categories: Categories | None = None,
    au: datetime.date | None = None,
    par_compte: bool = False,
) -> PlanDeTresorerie:
    """The figures of the monthly cash plan (see :func:`plan_de_tresorerie`)."""
    if not 1 <= mois <= MOIS_MAX:
        raise RapportImpossible(f"durée du plan : de 1 à {MOIS_MAX} mois (demandé : {mois})")
    if not scenarios:
        raise RapportImpossible("aucun scénario demandé")
    scenarios = list({scenario.code: scenario for scenario in scenarios}.values())
    categories = categories or categories_de_tresorerie()
    if au is not None:
        source = arrete_au(source, au)
    last = source.mouvements.derniere_date if au is None else au
    months = _months_of_plan(depuis, last, mois)
    plan_start, plan_end = first_day(months[0]), last_day(months[-1])
    realise = _actuals(source, categories, last, months)
    eve = plan_start - datetime.timedelta(days=1)
    opening = solde_de_tresorerie(source.mouvements, min(eve, last) if last else eve)
    forecast_start = last + datetime.timedelta(days=1) if last is not None else plan_start
    periode = Periode(forecast_start, plan_end) if forecast_start <= plan_end else None
    anomalies = Anomalies()
    plans = _scenario_plans(
        source, entrees, scenarios, months, realise, periode, categories, anomalies, opening
    )
    nature = _nature(months, last)
    return PlanDeTresorerie(
        association=source.association,
        plans=tuple(plans),
        categories=categories,
        libelles=realise.libelles,
        seuil=seuil_d_alerte(source, categories, realise.reel, last),
        nature=nature,
        derniere_ecriture=last,
        periode=periode,
        anomalies=anomalies,
        budgets=budgets_des_mois(source, entrees, months, nature),
        decouvert=Decimal(previsions_config(source.context.config).decouvert_autorise or 0),
        devises=tuple(avertissements_devises(source)),
        au=au,
        soldes_par_compte=_soldes_par_compte(source, months, last) if par_compte else None,
    )


def build_rapport_plan_de_tresorerie(plan: PlanDeTresorerie) -> Rapport:
    """The :class:`Rapport` of a plan de trésorerie: one part per scenario (and the
    scenarios side by side), the accounts part, the chart, notes and warnings."""
    rapport = _rapport(plan)
    if plan.au is not None:
        rapport.notes.insert(
            0,
            f"Arrêté au {french_date(plan.au)} (--au) : écritures postérieures ignorées, réalisé "
            "jusqu'à cette date, prévisions ensuite.",
        )
        rapport.meta["arrete_au"] = plan.au
    if plan.soldes_par_compte is not None:
        rapport.parties.insert(
            len(plan.plans),
            _partie_par_compte(plan.plans[0], plan.soldes_par_compte, plan.nature),
        )
    return rapport


plan_de_tresorerie = rapport_de(
    compute_plan_de_tresorerie,
    lambda plan, _source: build_rapport_plan_de_tresorerie(plan),
    """The monthly cash plan of ``mois`` months from the month of ``depuis``
    (:func:`compute_plan_de_tresorerie`, then :func:`build_rapport_plan_de_tresorerie`).

    ``au`` (« arrêté au »): the books are taken as they stood at the end of that day —
    later entries ignored, actuals up to it, forecasts from the next day (the month of
    ``au`` by default). ``par_compte``: a part with the cash of each treasury account.

    ``entrees`` is an :class:`~communs_ledger.previsions.entrees.Entrees` (anything with
    ``generer(periode, scenario, source) -> Previsions``); ``scenarios`` the scenarios
    shown, in order (one part each, same rows).
    """,
)


def arrete_au(source: Source, au: datetime.date) -> Source:
    """The source as the books stood at the end of ``au``: later transactions left out."""
    from beancount.core import data

    entries = [e for e in source.entries if not isinstance(e, data.Transaction) or e.date <= au]
    return Source.from_context(entries, source.context, source.mouvements.devise)


def _soldes_par_compte(
    source: Source, months: list[Mois], last: datetime.date | None
) -> SoldesParCompte:
    """The closing cash of each treasury account, month by month, for the months with
    actuals (the mixed month: at the last actual date)."""
    end = last or first_day(months[0]) - datetime.timedelta(days=1)
    balances: dict[str, Decimal] = {}
    by_month: dict[Mois, dict[str, Decimal]] = {}
    cutoffs = {m: min(last_day(m), end) for m in months if first_day(m) <= end}
    pending = sorted(cutoffs.items(), key=lambda item: item[1])
    index = 0
    for movement in source.mouvements.entre(None, end):
        while index < len(pending) and movement.date > pending[index][1]:
            by_month[pending[index][0]] = dict(balances)
            index += 1
        if est_tresorerie(movement.code):
            balances[movement.account] = balances.get(movement.account, ZERO) + movement.montant
    for month, _cutoff in pending[index:]:
        by_month[month] = dict(balances)
    return SoldesParCompte(end, by_month, tuple(sorted(balances)))


def _partie_par_compte(
    plan: PlanScenario, soldes: SoldesParCompte, nature: Mapping[Mois, str]
) -> Partie:
    """The accounts' closing cash by month; the forecast movements are not split by
    account (their own row), so that every column adds up to the plan's closing."""
    months = plan.mois
    columns = [(m, month_key(m)) for m in months]
    by_month, end = soldes.par_mois, soldes.fin
    accounts = sorted({a for values in by_month.values() for a in values} | set(soldes.comptes))
    rows = []
    for account in accounts:
        rows.append(
            Ligne(
                _nom_du_compte(account),
                {
                    col: by_month[m].get(account, ZERO) if m in by_month else None
                    for m, col in columns
                },
                id=f"compte:{account}",
                comptes=(account,),
            )
        )
    shown = {m: sum(by_month.get(m, {}).values(), ZERO) for m in months}
    rows.append(
        Ligne(
            "Mouvements prévus (non répartis par compte)",
            {col: plan.cloture[m] - shown[m] for m, col in columns},
            id="prevus_non_repartis",
            style=Style.NOTE,
        )
    )
    rows.append(
        Ligne(
            "Trésorerie en fin de mois",
            {col: plan.cloture[m] for m, col in columns},
            id="solde_final",
            style=Style.TOTAL,
        )
    )
    mixed = [m for m in months if nature[m] == MIXTE]
    notes = [
        "Soldes réels de chaque compte de trésorerie en fin de mois"
        + (f" (au {french_date(end)} pour {month_label(mixed[0])})" if mixed else "")
        + f", scénario « {plan.scenario.libelle} » ; les prévisions ne sont pas réparties "
        "par compte."
    ]
    if not by_month:  # the plan starts after the last entry: every month forecast
        notes = [
            "Tous les mois du plan sont prévus : aucun solde réel par compte (comptes "
            f"vides) ; la trésorerie de fin de mois du scénario « {plan.scenario.libelle} » "
            "est entière sur la ligne « Mouvements prévus », les prévisions ne disant pas "
            "sur quel compte elles passeront."
        ]
    return Partie(
        "par_compte",
        "Trésorerie par compte",
        [Colonne(col, short_month_label(m)) for m, col in columns],
        rows,
        notes,
        "Par compte",
    )


def _nom_du_compte(account: str) -> str:
    """``Actif:51-Banques:512-Banques:Livret`` → « 512 Livret »; ``…:531-Caisse`` → « 531
    Caisse »."""
    parts = account.split(":")[1:]
    coded = [p for p in parts if p[:1].isdigit()]
    code = coded[-1].split("-", 1)[0] if coded else ""
    last = parts[-1] if parts else account
    label = last.split("-", 1)[1] if last[:1].isdigit() and "-" in last else last
    return f"{code} {lisible(label)}".strip()


def budgets_des_mois(
    source: Source, entrees: Any, months: list[Mois], nature: dict[Mois, str]
) -> dict[Mois, Budgetisation]:
    """What budgets each month with forecasts: its exercice's own budget, the last budget
    carried over, or nothing (``previsions.sans_budget``); empty without a rest of the
    budget among the inputs."""
    restant = next(
        (e for e in getattr(entrees, "entrees", ()) if isinstance(e, BudgetRestant)), None
    )
    if restant is None:
        return {}
    result: dict[Mois, Budgetisation] = {}
    for month in months:
        if nature[month] == REALISE:
            continue
        exercice = source.context.calendrier.containing(first_day(month))
        result[month] = restant.budgetisation(source.context, exercice)
    return result


def _nature(months: list[Mois], last: datetime.date | None) -> dict[Mois, str]:
    result = {}
    for month in months:
        if last is None or first_day(month) > last:
            result[month] = PREVU
        elif last_day(month) <= last:
            result[month] = REALISE
        else:
            result[month] = MIXTE
    return result


def _slug(text: str) -> str:
    return cle(text).replace(" ", "-")


def _rows_of_side(
    sens: str,
    plans: list[PlanScenario],
    plan: PlanScenario,
    categories: Categories,
    libelles: dict[str, str],
    columns: list[tuple[Mois, str]],
) -> list[Ligne]:
    """Category rows (with funder sub-lines) of one side: those with an amount in any
    scenario, so that every scenario's part has the same rows."""
    used: set[Cle] = set()
    for other in plans:
        for cells in other.cellules.values():
            used.update(key for key, value in cells.items() if key[0] == sens and value != 0)
    rows: list[Ligne] = []
    for categorie in categories.du_sens(sens):
        if (sens, categorie.id, None) not in used:
            continue
        key: Cle = (sens, categorie.id, None)
        rows.append(
            Ligne(
                categorie.libelle,
                _values(plan, key, columns),
                id=f"{sens}:{categorie.id}",
                niveau=1,
            )
        )
        funders = sorted(
            {k[2] for k in used if k[1] == categorie.id and k[2] is not None},
            key=lambda f: (libelles[f] == FINANCEUR_NON_PRECISE, cle(libelles[f])),
        )
        for funder in funders:
            sub: Cle = (sens, categorie.id, funder)
            rows.append(
                Ligne(
                    libelles[funder],
                    _values(plan, sub, columns),
                    id=f"{sens}:{categorie.id}:{_slug(funder)}",
                    niveau=2,
                    style=Style.DONT,
                )
            )
    return rows


def _values(plan: PlanScenario, key: Cle, columns: list[tuple[Mois, str]]) -> dict[str, Any]:
    return {col: plan.cellules.get(month, {}).get(key, ZERO) for month, col in columns}


def _rows_before_sides(
    plan: PlanScenario,
    nature: Mapping[Mois, str],
    columns: list[tuple[Mois, str]],
    budgets: Mapping[Mois, Budgetisation],
) -> list[Ligne]:
    """The rows above the receipts: nature of the figures, budget, opening cash."""
    rows = [
        Ligne("Chiffres", {col: nature[m] for m, col in columns}, id="nature", style=Style.NOTE),
    ]
    if budgets:
        rows.append(
            Ligne(
                "Budget",
                {col: budgets[m].libelle if m in budgets else "" for m, col in columns},
                id="budget",
                style=Style.NOTE,
            )
        )
    rows.append(
        Ligne(
            "Trésorerie en début de mois",
            {col: plan.ouverture[m] for m, col in columns},
            id="solde_initial",
            style=Style.SOUS_TOTAL,
        )
    )
    return rows


def _rows_after_sides(
    plan: PlanScenario, seuil: SeuilDAlerte, columns: list[tuple[Mois, str]], decouvert: Decimal
) -> list[Ligne]:
    """The rows below the payments: closing cash, gap to the threshold, alert."""
    rows = [
        Ligne(
            "Trésorerie en fin de mois",
            {col: plan.cloture[m] for m, col in columns},
            id="solde_final",
            style=Style.TOTAL,
        )
    ]
    if seuil.montant is not None:
        below = plan.sous_le_seuil(seuil.montant)
        rows.append(
            Ligne(
                "Écart au seuil d'alerte",
                {col: plan.cloture[m] - seuil.montant for m, col in columns},
                id="ecart_seuil",
                style=Style.NORMAL,
                statut="alerte" if below else "ok",
            )
        )
    alertes = plan.alertes(seuil.montant, decouvert)
    rows.append(
        Ligne(
            "Alerte",
            {col: alertes.get(m, "") for m, col in columns},
            id="alerte",
            style=Style.NOTE,
            statut="alerte" if alertes else "ok",
        )
    )
    return rows


def _partie(
    plan: PlanScenario, figures: PlanDeTresorerie, columns: list[tuple[Mois, str]]
) -> Partie:
    """The table of one scenario."""
    plans, seuil, decouvert = list(figures.plans), figures.seuil, figures.decouvert
    single = len(plans) == 1
    headers = [Colonne(col, short_month_label(month)) for month, col in columns]
    rows = _rows_before_sides(plan, figures.nature, columns, figures.budgets)
    libelles = dict(figures.libelles)
    for sens in (ENCAISSEMENT, DECAISSEMENT):
        rows.append(Ligne(_SENS_LIBELLE[sens], id=f"{sens}s", style=Style.TITRE))
        rows.extend(_rows_of_side(sens, plans, plan, figures.categories, libelles, columns))
        totals = plan.encaissements if sens == ENCAISSEMENT else plan.decaissements
        rows.append(
            Ligne(
                _TOTAL_LIBELLE[sens],
                {col: totals[m] for m, col in columns},
                id=_TOTAL_ID[sens],
                style=Style.SOUS_TOTAL,
            )
        )
    rows.extend(_rows_after_sides(plan, seuil, columns, decouvert))
    titre = "Plan de trésorerie" if single else f"Plan de trésorerie — {plan.scenario.libelle}"
    return Partie(
        f"plan_{plan.scenario.code}",
        titre,
        headers,
        rows,
        notes=_notes_scenario(plan, seuil, single, decouvert),
        onglet=None if single else plan.scenario.libelle,
    )


def _notes_scenario(
    plan: PlanScenario, seuil: SeuilDAlerte, single: bool, decouvert: Decimal = ZERO
) -> list[str]:
    lowest, month = plan.point_bas
    notes = [f"Point bas : {montant(lowest)} fin {month_label(month)}."]
    danger = plan.en_danger(decouvert)
    if danger:
        listed = ", ".join(month_label(m) for m in danger)
        limite = (
            f"sous le découvert autorisé ({montant(decouvert)})"
            if decouvert
            else "solde négatif, sans découvert autorisé"
        )
        notes.append(f"Danger — {limite} : {len(danger)} mois ({listed}).")
    if seuil.montant is not None:
        below = plan.sous_le_seuil(seuil.montant)
        if below:
            listed = ", ".join(month_label(m) for m in below)
            notes.append(
                f"Sous le seuil d'alerte ({montant(seuil.montant)}) : {len(below)} mois ({listed})."
            )
        else:
            notes.append(f"Aucun mois sous le seuil d'alerte ({montant(seuil.montant)}).")
    return notes


def _partie_scenarios(
    plans: list[PlanScenario],
    seuil: SeuilDAlerte,
    columns: list[tuple[Mois, str]],
    decouvert: Decimal = ZERO,
) -> Partie:
    headers = [Colonne(col, short_month_label(month)) for month, col in columns]
    rows = [
        Ligne(
            plan.scenario.libelle,
            {col: plan.cloture[m] for m, col in columns},
            id=f"solde_final:{plan.scenario.code}",
            statut=(
                ("alerte" if plan.sous_le_seuil(seuil.montant) else "ok")
                if seuil.montant is not None
                else None
            ),
        )
        for plan in plans
    ]
    if seuil.montant is not None:
        rows.append(
            Ligne(
                "Seuil d'alerte",
                {col: seuil.montant for _m, col in columns},
                id="seuil",
                style=Style.NOTE,
            )
        )
    notes = []
    for plan in plans:
        lowest, month = plan.point_bas
        text = f"{plan.scenario.libelle} : point bas {montant(lowest)} fin {month_label(month)}"
        below = plan.sous_le_seuil(seuil.montant)
        if below:
            text += " ; sous le seuil : " + ", ".join(short_month_label(m) for m in below)
        danger = plan.en_danger(decouvert)
        if danger:
            text += " ; DANGER : " + ", ".join(short_month_label(m) for m in danger)
        notes.append(text + ".")
    return Partie(
        "scenarios", "Scénarios : trésorerie en fin de mois", headers, rows, notes, "Scénarios"
    )


def _totaux(plan: PlanDeTresorerie) -> dict[str, dict[str, Any]]:
    """The named totals of each scenario (``point_bas``, ``solde_final``…)."""
    totaux: dict[str, dict[str, Any]] = {}
    for figures in plan.scenarios:
        named: dict[str, Any] = {
            "solde_initial": figures.solde_initial,
            "total_encaissements": figures.total_encaissements,
            "total_decaissements": figures.total_decaissements,
            "solde_final": figures.solde_final,
            "point_bas": figures.point_bas,
            "mois_point_bas": month_key(figures.mois_point_bas),
        }
        if plan.seuil.montant is not None:
            named["seuil"] = plan.seuil.montant
        totaux[figures.code] = named
    return totaux


def _graphique(plan: PlanDeTresorerie) -> Graphique:
    months = plan.mois
    return Graphique(
        id="tresorerie",
        titre="Trésorerie en fin de mois",
        categories=tuple(short_month_label(m) for m in months),
        series=[Serie(p.scenario.libelle, tuple(p.cloture[m] for m in months)) for p in plan.plans],
        seuil=plan.seuil.montant,
        seuil_libelle="Seuil d'alerte" if plan.seuil.montant is not None else "",
    )


def _sous_titre(plan: PlanDeTresorerie) -> str:
    months, plans = plan.mois, plan.plans
    span = (
        f"{de_mois(month_label(months[0]))} à {month_label(months[-1])}"
        if len(months) > 1
        else (month_label(months[0]))
    )
    sous_titre = f"{span[:1].upper()}{span[1:]} ({len(months)} mois)"
    if len(plans) > 1:
        sous_titre += " — scénarios : " + ", ".join(p.scenario.libelle for p in plans)
    elif plans[0].scenario.code != BASE.code:
        sous_titre += f" — scénario : {plans[0].scenario.libelle}"
    return sous_titre


def _notes_du_plan(plan: PlanDeTresorerie) -> list[str]:
    notes = [_note_mois(plan.mois, dict(plan.nature), plan.derniere_ecriture), plan.seuil.regle]
    notes.append(
        "Trésorerie : comptes de classe 5 (sauf 59). Réalisé classé d'après le compte de "
        "contrepartie (plan_comptable/tresorerie.yaml) ; une écriture à plusieurs "
        "contreparties est répartie entre celles qui vont dans le sens de la trésorerie, au "
        "prorata de leurs montants ; les virements entre comptes de trésorerie ne sont ni des "
        "encaissements ni des décaissements."
    )
    if plan.periode is not None and all(p.prevus == 0 for p in plan.plans):
        notes.append(
            "Aucun mouvement prévu sur la période : les mois à venir reprennent le solde "
            "réalisé. Déclarez la paie, les conventions et les flux (communs.yaml, section "
            "previsions)."
        )
    notes.extend(plan.anomalies.notes)
    return notes


def _mois_sans_budget(plan: PlanDeTresorerie) -> list[Mois]:
    return [m for m in plan.mois if m in plan.budgets and plan.budgets[m].genre == AUCUN]


def _avertissements_du_plan(plan: PlanDeTresorerie) -> list[str]:
    warnings = list(plan.devises)
    sans_budget = _mois_sans_budget(plan)
    if sans_budget:
        listed = ", ".join(month_label(m) for m in sans_budget)
        warnings.append(
            f"Mois sans budget : {listed} — seules les entrées explicites (paie, conventions, "
            "flux, créances et dettes) y sont prévues, aucune autre recette ni dépense "
            "(communs.yaml, previsions.sans_budget ; ou ajoutez le budget de l'exercice)."
        )
    for code, origins in sorted(plan.anomalies.categories.items()):
        warnings.append(
            f"Catégorie de trésorerie inconnue ou de sens contraire « {code} » "
            f"({', '.join(sorted(origins))}) : montants classés en « autres »."
        )
    if plan.anomalies.hors_periode:
        warnings.append(
            f"{plan.anomalies.hors_periode} mouvement(s) prévu(s) hors de la période de "
            "prévision ignoré(s)."
        )
    return warnings


def _meta_du_plan(plan: PlanDeTresorerie) -> dict[str, Any]:
    scenarios = plan.scenarios
    return {
        "derniere_ecriture": plan.derniere_ecriture,
        "debut_previsions": plan.periode.debut if plan.periode is not None else None,
        "mois": {month_key(m): plan.nature[m] for m in plan.mois},
        "budget": {month_key(m): b.libelle for m, b in plan.budgets.items()},
        "mois_sans_budget": [month_key(m) for m in _mois_sans_budget(plan)],
        "scenarios": [figures.code for figures in scenarios],
        "seuil": plan.seuil.montant,
        "mois_sous_seuil": {
            figures.code: [month_key(m) for m in figures.mois_sous_seuil] for figures in scenarios
        },
        "decouvert_autorise": plan.decouvert,
        "mois_en_danger": {
            figures.code: [month_key(m) for m in figures.mois_en_danger] for figures in scenarios
        },
    }


def _rapport(plan: PlanDeTresorerie) -> Rapport:
    months = plan.mois
    columns = [(m, month_key(m)) for m in months]
    parties = [_partie(scenario_plan, plan, columns) for scenario_plan in plan.plans]
    if len(plan.plans) > 1:
        parties.append(_partie_scenarios(list(plan.plans), plan.seuil, columns, plan.decouvert))
    return Rapport(
        id="plan_de_tresorerie",
        titre="Plan de trésorerie",
        association=plan.association,
        parties=parties,
        sous_titre=_sous_titre(plan),
        periode=(first_day(months[0]), last_day(months[-1])),
        totaux=_totaux(plan),
        notes=_notes_du_plan(plan),
        avertissements=_avertissements_du_plan(plan),
        meta=_meta_du_plan(plan),
        graphiques=[_graphique(plan)],
    )


def _note_mois(months: list[Mois], nature: dict[Mois, str], last: datetime.date | None) -> str:
    if last is None:
        return "Aucune écriture réalisée : tous les mois sont prévus."
    mixed = [m for m in months if nature[m] == MIXTE]
    text = f"Dernière écriture du grand livre : {french_date(last)}. "
    if mixed:
        return text + (
            f"{month_label(mixed[0])[:1].upper()}{month_label(mixed[0])[1:]} (« mixte ») : réalisé "
            f"jusqu'au {french_date(last)}, prévisions ensuite ; mois antérieurs réalisés "
            "(grand livre), mois suivants prévus."
        )
    if nature[months[0]] == PREVU:
        return text + (
            "Tous les mois du plan sont prévus ; la trésorerie de début reprend le solde "
            "réalisé et les prévisions jusqu'au début du plan."
        )
    if nature[months[-1]] == PREVU:  # the last actual date is a month end inside the plan
        realised = [m for m in months if nature[m] == REALISE]
        return text + (
            f"Mois réalisés (grand livre) jusqu'à {month_label(realised[-1])}, "
            "mois suivants prévus."
        )
    return text + "Mois réalisés (grand livre) jusqu'à la fin du plan."
