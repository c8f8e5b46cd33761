"""The rest of the budget: forecasts for what no explicit input covers.

For each exercice the period overlaps, the budget version in force (the latest
by date, :mod:`communs_ledger.budget.fichier`) gives, for each line, its
échéances (the months of its profile) that fall in the period; a month cut by
the start or the end of the period counts pro rata temporis (as the budget to
date does), rounded to the cent. Each gives:

- a forecast charge or produit (:class:`ResultatPrevu`) on the line's code and
  project, dated the last day of the échéance inside the period;
- the same amount in cash the same day (:class:`MouvementPrevu`): charges are
  paid and produits received in the month they are budgeted, in the category
  of the line's code (``plan_comptable/tresorerie.yaml``). Calculated charges
  and produits have no cash: amortissements, provisions and fonds dédiés
  (68, 78), stock variations (603, 713), book value of assets sold (675),
  investment subsidies brought to the result (777), contributions en nature
  (86, 87).

**Explicit inputs win.** Payroll, conventions and flows forecast some codes
(their ``codes_couverts()``). A budget line on a code

- that equals or extends a payroll code or chapter (lines 6411, 641, 645 when
  the payroll forecasts 6411 and 6451: :meth:`.paie.Paie.codes_remplaces`):
  contributes nothing, the payroll replaces it (the budget's salaries are an
  estimate of the same posts; a post that ends is not made up by its line);

- that an explicit code extends or equals (line 64, payroll on 6411; line 6226,
  a flow on 6226):
  contributes only what it exceeds them by, from the start of the period to the
  end of its exercice (whatever the period's end, so that a month's figure does
  not depend on the plan's length; the months after the period are then left
  out): max(0, its budget − the explicit forecasts attached to it), the
  explicit forecasts being attached to budget lines by the same rule as actual
  postings (:class:`communs_ledger.budget.realise.Index`: longest code, then
  project). The excess is spread over its months in proportion to its budget;
- that extends an explicit code (line 6132, flow on 613): contributes nothing,
  the explicit input covers all of it;
- that no explicit code touches: contributes its budget.

The explicit forecasts compared are those of the **base** forecast: a
scenario changes the explicit inputs (a subsidy cut, a post not renewed) and
the budget's remainder does not make up for it. They come from the explicit
inputs given to the constructor (``entrees``), generated to the end of the
last exercice of the period, or are passed to :meth:`BudgetRestant.generer`
(``explicites``, covering that span); with neither, a covered line contributes
nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..budget.fichier import Budgets, LigneBudget, load_budgets
from ..budget.realise import Cle, Index, budgetable, sens
from .flux import categorie_tresorerie
from .modele import BASE, Entree, MouvementPrevu, Periode, Previsions, ResultatPrevu, Scenario

CENT = Decimal("0.01")
SANS_TRESORERIE = ("68", "78", "603", "713", "675", "777", "86", "87")

REMPLACEE = "remplacee"  # the inputs replace the line: it contributes nothing
COUVERTE = "couverte"  # an explicit code extends or equals the line's code: the excess


def _days(debut: datetime.date, fin: datetime.date) -> int:
    return (fin - debut).days + 1


def parts(
    line: LigneBudget, debut: datetime.date, fin: datetime.date
) -> list[tuple[datetime.date, Decimal]]:
    """(date, amount) of the line's échéances inside [debut, fin], pro rata when cut."""
    result = []
    for start, end, amount in line.echeances:
        low, high = max(start, debut), min(end, fin)
        if low > high:
            continue
        if (low, high) == (start, end):
            share = amount
        else:
            share = amount * _days(low, high) / _days(start, end)
            share = share.quantize(CENT, rounding=ROUND_HALF_UP)
        if share:
            result.append((high, share))
    return result


def _scaled(
    shares: list[tuple[datetime.date, Decimal]], total: Decimal
) -> list[tuple[datetime.date, Decimal]]:
    """The shares scaled to ``total`` in proportion, to the cent, summing exactly."""
    whole = sum((amount for _day, amount in shares), Decimal(0))
    if not total or not whole:
        return []
    result = [
        (day, (amount * total / whole).quantize(CENT, rounding=ROUND_HALF_UP))
        for day, amount in shares
    ]
    day, last = result[-1]
    result[-1] = (day, last + total - sum((amount for _d, amount in result), Decimal(0)))
    return [(day, amount) for day, amount in result if amount]


def codes_remplaces(entrees: Sequence[Any]) -> set[str]:
    """The codes whose budget lines the inputs replace whatever their amounts: the
    payroll's codes and chapters (:meth:`.paie.Paie.codes_remplaces`)."""
    codes: set[str] = set()
    for entree in entrees:
        remplaces = getattr(entree, "codes_remplaces", None)
        if remplaces is not None:
            codes |= remplaces()
    return codes


def couverture(code: str, couverts: set[str], remplaces: set[str] = frozenset()) -> str | None:
    """How explicit inputs cover a budget line's code (the rule above, shared with the
    multi-year projection): REMPLACEE, COUVERTE or None."""
    if any(code.startswith(c) for c in remplaces):
        return REMPLACEE
    if any(code.startswith(c) and code != c for c in couverts):
        return REMPLACEE
    if any(c.startswith(code) for c in couverts):
        return COUVERTE
    return None


class BudgetRestant:
    """Budget lines not covered by explicit inputs, for the period."""

    def __init__(self, couverts: set[str], entrees: Sequence[Entree] = ()) -> None:
        """``couverts``: the codes explicit inputs forecast; ``entrees``: those inputs (the
        payroll among them replaces its codes and chapters: ``codes_remplaces()``)."""
        self.couverts = set(couverts)
        self.entrees = list(entrees)
        self.remplaces = codes_remplaces(self.entrees)
        self._budgets: dict[int, Budgets] = {}

    def couverture(self, code: str) -> str | None:
        """How explicit inputs cover a line's code: REMPLACEE, COUVERTE or None."""
        return couverture(code, self.couverts, self.remplaces)

    def budgets(self, context: Any) -> Budgets:
        key = id(context)
        if key not in self._budgets:
            self._budgets[key] = load_budgets(context)
        return self._budgets[key]

    def generer(
        self,
        periode: Periode,
        scenario: Scenario,
        contexte: Any,
        explicites: Previsions | None = None,
    ) -> Previsions:
        """The budget's remainder for the period (the same under every scenario).

        ``explicites``: the explicit inputs' base forecasts for the period (computed
        from ``entrees`` when not given).
        """
        result = Previsions()
        context = contexte.context
        budgets = self.budgets(context)
        exercices = list(context.calendrier.between(periode.debut, periode.fin))
        if not exercices:
            return result
        horizon = Periode(periode.debut, max(periode.fin, exercices[-1].fin))
        if explicites is None and self.entrees:
            explicites = Previsions()
            for entree in self.entrees:
                explicites.ajouter(entree.generer(horizon, BASE, contexte))
        for exercice in exercices:
            budget = budgets.pour(exercice)
            version = budget.version() if budget is not None else None
            if version is None:
                continue
            # The excess of a covered line is computed up to the end of the exercice, then
            # cut to the period: a month's figure does not depend on the plan's length.
            # It starts with the month of the period's first day: in a month half
            # realised, what the ledger already holds on the line (the rent paid on the
            # 5th) consumes its part of the month's budget.
            debut, fin = max(periode.debut, exercice.debut), exercice.fin
            month_start = max(debut.replace(day=1), exercice.debut)
            attached = self.attachees(version.lignes, explicites, debut, fin)
            realised = self.realisees(version.lignes, contexte, month_start, debut)
            origine = f"budget:{exercice.code}:{version.code}"
            for line in version.lignes:
                coverage = self.couverture(line.compte)
                if coverage == REMPLACEE or (coverage == COUVERTE and explicites is None):
                    continue
                if coverage == COUVERTE:
                    shares = parts(line, month_start, fin)
                    budgeted = sum((amount for _day, amount in shares), Decimal(0))
                    consumed = attached[line.cle] + realised[line.cle]
                    excess = max(Decimal(0), budgeted - consumed)
                    shares = [(d, a) for d, a in _scaled(shares, excess) if d >= debut]
                else:
                    shares = parts(line, debut, fin)
                shares = [(day, amount) for day, amount in shares if day <= periode.fin]
                self._emit(result, line, shares, origine)
        return result

    @staticmethod
    def attachees(
        lignes: tuple[LigneBudget, ...],
        explicites: Previsions | None,
        debut: datetime.date,
        fin: datetime.date,
    ) -> dict[Cle, Decimal]:
        """Explicit forecasts of [debut, fin] by the budget line they fall on."""
        totals: dict[Cle, Decimal] = defaultdict(Decimal)
        if explicites is None:
            return totals
        index = Index(lignes)
        for forecast in explicites.resultat:
            if debut <= forecast.date <= fin:
                key = index.ligne(forecast.compte, forecast.projet)
                if key is not None:
                    totals[key] += forecast.montant
        return totals

    @staticmethod
    def realisees(
        lignes: tuple[LigneBudget, ...], contexte: Any, debut: datetime.date, fin: datetime.date
    ) -> dict[Cle, Decimal]:
        """Actual postings of [debut, fin[ (the realised days of a month cut by the
        period's start) by the budget line they fall on, in the line's direction."""
        totals: dict[Cle, Decimal] = defaultdict(Decimal)
        mouvements = getattr(contexte, "mouvements", None)
        if debut >= fin or mouvements is None:
            return totals
        index = Index(lignes)
        for movement in mouvements.entre(debut, fin - datetime.timedelta(days=1)):
            code = movement.code
            if not code or not budgetable(code):
                continue
            key = index.ligne(code, movement.projet)
            if key is not None:
                totals[key] += movement.montant * sens(code)
        return totals

    @staticmethod
    def _emit(
        result: Previsions,
        line: LigneBudget,
        shares: list[tuple[datetime.date, Decimal]],
        origine: str,
    ) -> None:
        libelle = line.libelle or f"Budget, compte {line.compte}"
        cash = not line.compte.startswith(SANS_TRESORERIE)
        for day, amount in shares:
            result.resultat.append(
                ResultatPrevu(
                    day, line.compte, amount, libelle, origine, line.projet, line.location
                )
            )
            if not cash:
                continue
            signed = -amount * sens(line.compte)  # produits received, charges paid
            category = categorie_tresorerie(line.compte, signed > 0)
            result.tresorerie.append(
                MouvementPrevu(
                    day,
                    signed,
                    category,
                    libelle,
                    origine,
                    detail=line.libelle if category == "subventions" else None,
                    compte=line.compte,
                    projet=line.projet,
                    location=line.location,
                )
            )

    def codes_couverts(self) -> set[str]:
        return set()
