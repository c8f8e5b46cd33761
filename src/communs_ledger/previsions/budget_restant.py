"""The rest of the budget: forecasts for what no explicit input covers.

For each exercice the period overlaps, the budget version in force (the latest
by date, :mod:`communs_ledger.budget.fichier`) gives, for each line, its
échéances (the months of its profile) that fall in the period; a month cut by
the end of the period counts pro rata temporis (as the budget to date does),
rounded to the cent. The month cut by the start (half realised: the ledger's
last entry is in it) counts what is left of its budget on the line once the
ledger's postings of that month on it are deducted, never below zero (the rent
paid on the 5th leaves nothing; supplies half spent leave the other half).
Each gives:

- a forecast charge or produit (:class:`ResultatPrevu`) on the line's code and
  project, dated the last day of the échéance inside the period;
- the same amount in cash the same day (:class:`MouvementPrevu`), or ``delai``
  days later when the line has a payment delay (``delai:`` on the line, or
  ``delais:`` by chapter on its version; cash falling after the period is left
  out): charges are paid and produits received in the month they are budgeted
  (plus the delay), in the category of the line's code
  (``plan_comptable/tresorerie.yaml``). Calculated charges and produits have
  no cash: amortissements, provisions and fonds dédiés (68, 78), stock
  variations (603, 713), book value of assets sold (675), investment
  subsidies brought to the result (777), contributions en nature (86, 87).

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

**An exercice without a budget** (no file, or no version): with
``previsions.sans_budget: dernier_budget`` (the default) the latest version of
the latest budget opening before it is carried over (:func:`budget_de_reference`),
each line grown by ``previsions.croissance`` compounded once per exercice
between the two (:func:`facteur`), rounded to the cent and spread over the
same months of the exercice (largest remainder); with ``rien``, the exercice
only has the explicit inputs. Either way the forecasts' notes say so, and
:func:`budgetisation` tells the plan which months are covered by what. The
multi-year projection takes its budget lines from here too: the monthly plan
and the projection give the same year-end cash.

A covered subsidy line (74) whose projection for the exercice (realised + explicit
forecasts + its remainder) exceeds the conventions signed on it for the exercice keeps
its figures; a note names the line (file:line) and both amounts.

Coverage is decided exercice by exercice: a convention covers its income code
only in the exercices where it is recognised (``codes_couverts_entre``), as in
the multi-year projection.

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
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ..analytique.repartition import partager
from ..budget.fichier import Budgets, LigneBudget, VersionBudget, load_budgets
from ..budget.realise import Cle, Index, budgetable, sens
from ..codes import longest_prefix
from ..contexte import LedgerContext
from ..conventions.fichier import ajouter_mois
from ..conventions.financeurs import FINANCEUR_NON_PRECISE, financeur
from ..dates import ONE_DAY, month_end
from ..exercices import Exercice
from ..formatage import montant
from ..montants import HUNDRED, ZERO, split_proportionally, to_cent
from ..rapports.source import Source
from .flux import categorie_tresorerie
from .modele import BASE, Entree, MouvementPrevu, Periode, Previsions, ResultatPrevu, Scenario
from .reglages import CroissanceConfig, previsions_config

SANS_TRESORERIE = ("68", "78", "603", "713", "675", "777", "86", "87")
SUBVENTIONS = "74"  # subsidy income: the chapter whose lines conventions sign

REMPLACEE = "remplacee"  # the inputs replace the line: it contributes nothing
COUVERTE = "couverte"  # an explicit code extends or equals the line's code: the excess


PROPRE, RECONDUIT, AUCUN = "propre", "reconduit", "aucun"


# --- Growth and carry-over (shared with the multi-year projection) ------------------------


def taux_de_croissance(croissance: CroissanceConfig, code: str) -> Decimal:
    """The yearly growth rate (per cent) of a charge or produit code: the longest
    ``par_compte`` prefix, else the rate of its class."""
    rate = longest_prefix(code, croissance.par_compte)
    if rate is not None:
        return rate
    return croissance.charges if code[:1] == "6" else croissance.produits


def facteur(croissance: CroissanceConfig, code: str, annees: int) -> Decimal:
    """(1 + rate) compounded ``annees`` times."""
    return (1 + taux_de_croissance(croissance, code) / HUNDRED) ** annees


def ecart_en_exercices(context: LedgerContext, depuis: Exercice, jusqu_a: Exercice) -> int:
    """How many exercices separate ``depuis`` from ``jusqu_a`` (0 if the same)."""
    count, current = 0, depuis
    while current.debut < jusqu_a.debut:
        current = context.calendrier.containing(current.fin + ONE_DAY)
        count += 1
    return count


@dataclass(frozen=True)
class Reference:
    """The budget a projected exercice is built from."""

    exercice: Exercice
    version: VersionBudget


def budget_de_reference(budgets: Budgets, exercice: Exercice) -> Reference | None:
    """The latest version of the latest exercice with a budget opening no later than
    ``exercice``."""
    candidates = [
        budget
        for budget in budgets.par_exercice.values()
        if budget.versions and budget.exercice.debut <= exercice.debut
    ]
    if not candidates:
        return None
    latest = max(candidates, key=lambda budget: budget.exercice.debut)
    version = latest.version()
    assert version is not None
    return Reference(latest.exercice, version)


def _months_between(debut: datetime.date, fin: datetime.date) -> int:
    return (fin.year - debut.year) * 12 + fin.month - debut.month


def reconduire(
    lignes: tuple[LigneBudget, ...],
    depuis: Exercice,
    vers: Exercice,
    croissance: CroissanceConfig,
    annees: int,
) -> tuple[LigneBudget, ...]:
    """The lines of ``depuis`` carried over to ``vers``: each grown by its rate compounded
    ``annees`` times and rounded to the cent, spread over the same months (largest
    remainder, so that the échéances add up to the line); échéances falling outside
    ``vers`` (exercices of different lengths) are left out."""
    shift = _months_between(depuis.debut, vers.debut)
    result = []
    for line in lignes:
        total = to_cent(line.montant * facteur(croissance, line.compte, annees))
        weights = [
            (str(index), amount * HUNDRED / line.montant)
            for index, (_d, _f, amount) in enumerate(line.echeances)
        ]
        amounts = partager(total, weights) if line.montant else []
        echeances = []
        for (start, end, _amount), amount in zip(line.echeances, amounts, strict=True):
            low = ajouter_mois(start, shift)
            high = ajouter_mois(end + ONE_DAY, shift) - ONE_DAY
            if vers.debut <= low <= high <= vers.fin and amount:
                echeances.append((low, high, amount))
        result.append(replace(line, montant=total, echeances=tuple(echeances)))
    return tuple(result)


@dataclass(frozen=True)
class Budgetisation:
    """What budgets an exercice's forecasts: its own budget, the last one carried over,
    or nothing."""

    genre: str  # PROPRE | RECONDUIT | AUCUN
    exercice: Exercice
    reference: Reference | None
    lignes: tuple[LigneBudget, ...] = ()

    @property
    def libelle(self) -> str:
        """Short label of the plan's « Budget » row: ``2027``, ``2026 reconduit``, ``aucun``."""
        if self.genre == PROPRE:
            return self.exercice.code
        if self.genre == RECONDUIT and self.reference is not None:
            return f"{self.reference.exercice.code} reconduit"
        return "aucun"

    def note(self, croissance: CroissanceConfig) -> str | None:
        """The sentence the outputs show for an exercice without its own budget."""
        if self.genre == PROPRE:
            return None
        if self.genre == RECONDUIT and self.reference is not None:
            ref = self.reference
            growth = (
                "à l'identique (previsions.croissance : 0 %)"
                if not croissance.charges and not croissance.produits and not croissance.par_compte
                else "grandi des taux de previsions.croissance"
            )
            return (
                f"Exercice {self.exercice.code} sans budget : le budget {ref.exercice.code} "
                f"(version « {ref.version.nom} ») est reconduit {growth} "
                "(communs.yaml, previsions.sans_budget : dernier_budget)."
            )
        cause = (
            "previsions.sans_budget : rien"
            if self.reference is not None
            else "aucun budget antérieur à reconduire"
        )
        return (
            f"Exercice {self.exercice.code} sans budget ({cause}) : ses mois ne prévoient que "
            "les entrées explicites (paie, conventions, flux, créances et dettes) — aucune "
            "autre recette ni dépense."
        )


def budgetisation(context: LedgerContext, budgets: Budgets, exercice: Exercice) -> Budgetisation:
    """How ``exercice`` is budgeted (see the module docstring)."""
    budget = budgets.pour(exercice)
    version = budget.version() if budget is not None else None
    if version is not None:
        return Budgetisation(PROPRE, exercice, Reference(exercice, version), version.lignes)
    reference = budget_de_reference(budgets, exercice)
    settings = previsions_config(context.config)
    if reference is None or settings.sans_budget == "rien":
        return Budgetisation(AUCUN, exercice, reference)
    annees = ecart_en_exercices(context, reference.exercice, exercice)
    lignes = reconduire(
        reference.version.lignes, reference.exercice, exercice, settings.croissance, annees
    )
    return Budgetisation(RECONDUIT, exercice, reference, lignes)


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
            share = to_cent(share)
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
    scaled = split_proportionally(total, [amount for _day, amount in shares])
    return [(day, amount) for (day, _a), amount in zip(shares, scaled, strict=True) if amount]


def _reste_du_mois(
    line: LigneBudget,
    month_start: datetime.date,
    debut: datetime.date,
    fin: datetime.date,
    realised: Decimal,
) -> list[tuple[datetime.date, Decimal]]:
    """The échéances of an uncovered line in [debut, fin]; in the month half realised
    (``month_start`` < ``debut``), what is left of the month's budget once the ledger's
    postings of the month on the line are deducted, never below zero.

    The rent paid on the 5th leaves nothing of its month; supplies of 300 € a month with
    100 € booked leave 200 €, whatever the number of days left. The remainder falls on
    the month's échéances dated from ``debut`` on (the month's end for a monthly
    profile); a dated échéance already past is the ledger's business, as before.
    """
    if month_start >= debut:
        return parts(line, debut, fin)
    month_fin = min(month_end(debut), fin)
    in_month = parts(line, month_start, month_fin)
    budget = sum((amount for _day, amount in in_month), ZERO)
    reste = max(ZERO, budget - realised)
    a_venir = [(day, amount) for day, amount in in_month if day >= debut]
    return _scaled(a_venir, reste) + parts(line, month_fin + ONE_DAY, fin)


def _financeurs(contexte: Source, debut: datetime.date) -> dict[str, set[str]]:
    """The funders the ledger names on each subsidy income code (74x) before ``debut``."""
    found: dict[str, set[str]] = defaultdict(set)
    mouvements = getattr(contexte, "mouvements", None)
    if mouvements is None:
        return found
    for movement in mouvements.entre(None, debut - ONE_DAY):
        code = movement.code
        if code and code.startswith("74"):
            found[code].add(financeur(movement.account))
    return found


def _financeur_de_ligne(line: LigneBudget, funders: dict[str, set[str]]) -> str | None:
    """The plan's sub-line of a subsidy budget line: the one funder the ledger names on its
    codes (« Commune » for a line 7415 « Ville — fonctionnement »), so that a funder keeps
    one line; None (the line's label) when the ledger names none or several."""
    labels: set[str] = set()
    for code, names in funders.items():
        if code.startswith(line.compte):
            labels |= names
    labels.discard(FINANCEUR_NON_PRECISE)
    return next(iter(labels)) if len(labels) == 1 else None


def _reste_produit(
    line: LigneBudget, exercice: Exercice, consumed: Decimal, earlier: dict[Cle, Decimal]
) -> Decimal:
    """What is left of a covered produit line's budget for the whole exercice once the
    realised and the explicit forecasts are deducted, never below zero.

    Prudence: a produit is not forecast beyond its annual budget. A subsidy recognised
    at its notification, before the period (a convention's whole amount booked in
    February), consumes its whole line: a uniform budget line on the same account would
    otherwise add its later months on top of the convention, counting it twice.
    """
    annual = sum((amount for _day, amount in parts(line, exercice.debut, exercice.fin)), Decimal(0))
    return max(Decimal(0), annual - earlier[line.cle] - consumed)


def codes_remplaces(entrees: Sequence[Any]) -> set[str]:
    """The codes whose budget lines the inputs replace whatever their amounts: the
    payroll's codes and chapters (:meth:`.paie.Paie.codes_remplaces`)."""
    codes: set[str] = set()
    for entree in entrees:
        remplaces = getattr(entree, "codes_remplaces", None)
        if remplaces is not None:
            codes |= remplaces()
    return codes


def couverture(
    code: str, couverts: set[str], remplaces: set[str] | frozenset[str] = frozenset()
) -> str | None:
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
        self._budgetisations: dict[tuple[int, datetime.date, datetime.date], Budgetisation] = {}

    def couverture(self, code: str) -> str | None:
        """How explicit inputs cover a line's code: REMPLACEE, COUVERTE or None."""
        return couverture(code, self.couverts, self.remplaces)

    def couverts_entre(self, debut: datetime.date, fin: datetime.date) -> set[str]:
        """The codes the inputs cover in an exercice (conventions: those recognised in
        it); without the inputs themselves, the codes given to the constructor."""
        if not self.entrees:
            return self.couverts
        codes: set[str] = set()
        for entree in self.entrees:
            par_exercice = getattr(entree, "codes_couverts_entre", None)
            codes |= par_exercice(debut, fin) if par_exercice else entree.codes_couverts()
        return codes

    def budgetisation(self, context: LedgerContext, exercice: Exercice) -> Budgetisation:
        """:func:`budgetisation` of ``exercice``, computed once per context."""
        key = (id(context), exercice.debut, exercice.fin)
        found = self._budgetisations.get(key)
        if found is None:
            found = budgetisation(context, self.budgets(context), exercice)
            self._budgetisations[key] = found
        return found

    def avec_budgets(self, context: LedgerContext, budgets: Budgets) -> None:
        """Use ``budgets`` (already loaded) for ``context``."""
        self._budgets[id(context)] = budgets

    def budgets(self, context: LedgerContext) -> Budgets:
        key = id(context)
        if key not in self._budgets:
            self._budgets[key] = load_budgets(context)
        return self._budgets[key]

    def generer(
        self,
        periode: Periode,
        scenario: Scenario,
        contexte: Source,
        explicites: Previsions | None = None,
    ) -> Previsions:
        """The budget's remainder for the period (the same under every scenario).

        ``explicites``: the explicit inputs' base forecasts for the period (computed
        from ``entrees`` when not given).
        """
        result = Previsions()
        context = contexte.context
        exercices = list(context.calendrier.between(periode.debut, periode.fin))
        if not exercices:
            return result
        horizon = Periode(periode.debut, max(periode.fin, exercices[-1].fin))
        if explicites is None and self.entrees:
            explicites = Previsions()
            for entree in self.entrees:
                explicites.ajouter(entree.generer(horizon, BASE, contexte))
        croissance = previsions_config(context.config).croissance
        funders = _financeurs(contexte, periode.debut)
        for exercice in exercices:
            budgeted = self.budgetisation(context, exercice)
            note = budgeted.note(croissance)
            if note is not None and note not in result.notes:
                result.notes.append(note)
            if budgeted.genre == AUCUN or budgeted.reference is None:
                continue
            version = budgeted.reference.version
            lignes = budgeted.lignes
            couverts = self.couverts_entre(exercice.debut, exercice.fin)
            # The excess of a covered line is computed up to the end of the exercice, then
            # cut to the period: a month's figure does not depend on the plan's length.
            # It starts with the month of the period's first day: in a month half
            # realised, what the ledger already holds on the line (the rent paid on the
            # 5th) consumes its part of the month's budget.
            debut, fin = max(periode.debut, exercice.debut), exercice.fin
            month_start = max(debut.replace(day=1), exercice.debut)
            attached = self.attachees(lignes, explicites, debut, fin)
            realised = self.realisees(lignes, contexte, month_start, debut)
            earlier = self.realisees(lignes, contexte, exercice.debut, month_start)
            origine = f"budget:{exercice.code}:{version.code}"
            if budgeted.genre == RECONDUIT:
                origine = (
                    f"budget:{exercice.code}:reconduit:{budgeted.reference.exercice.code}:"
                    f"{version.code}"
                )
            for line in lignes:
                coverage = couverture(line.compte, couverts, self.remplaces)
                if coverage == REMPLACEE or (coverage == COUVERTE and explicites is None):
                    continue
                if coverage == COUVERTE:
                    shares = parts(line, month_start, fin)
                    montant_budgete = sum((amount for _day, amount in shares), Decimal(0))
                    consumed = attached[line.cle] + realised[line.cle]
                    excess = max(Decimal(0), montant_budgete - consumed)
                    if sens(line.compte) < 0:
                        excess = min(excess, _reste_produit(line, exercice, consumed, earlier))
                    shares = [(d, a) for d, a in _scaled(shares, excess) if d >= debut]
                    projection = earlier[line.cle] + consumed + sum((a for _d, a in shares), ZERO)
                    note = self._au_dela_des_conventions(line, lignes, exercice, projection)
                    if note is not None and note not in result.notes:
                        result.notes.append(note)
                else:
                    shares = _reste_du_mois(line, month_start, debut, fin, realised[line.cle])
                shares = [(day, amount) for day, amount in shares if day <= periode.fin]
                detail = _financeur_de_ligne(line, funders)
                self._emit(result, line, shares, origine, periode.fin, detail)
        return result

    def _au_dela_des_conventions(
        self,
        line: LigneBudget,
        lignes: tuple[LigneBudget, ...],
        exercice: Exercice,
        projection: Decimal,
    ) -> str | None:
        """The note for a subsidy line (74) whose projection for the exercice (realised +
        explicit forecasts + the budget's remainder) exceeds the conventions signed for
        it in the exercice: the budget hopes for more than the funder signed (the
        forecast keeps the budget; the note names the line and both amounts)."""
        if not line.compte.startswith(SUBVENTIONS) or sens(line.compte) >= 0:
            return None
        index = Index(lignes)
        signees = [
            convention
            for entree in self.entrees
            for convention in getattr(entree, "signees_entre", lambda *_: [])(
                exercice.debut, exercice.fin
            )
            if index.ligne(convention.code_produit, convention.projet) == line.cle
        ]
        signe = sum((convention.montant for convention in signees), ZERO)
        if not signees or projection <= signe:
            return None
        libelle = f" « {line.libelle} »" if line.libelle else ""
        references = ", ".join(convention.reference for convention in signees)
        return (
            f"{line.location} : ligne {line.compte}{libelle} du budget {exercice.code} : "
            f"réalisé + budget restant = {montant(projection)} pour l'exercice, plus que les "
            f"conventions signées sur cette ligne ({montant(signe)} : {references}) ; la "
            f"prévision garde le budget, l'écart de {montant(projection - signe)} n'est "
            "couvert par aucune convention signée."
        )

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
        lignes: tuple[LigneBudget, ...],
        contexte: Source,
        debut: datetime.date,
        fin: datetime.date,
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
        fin: datetime.date | None = None,
        detail: str | None = None,
    ) -> None:
        """The results at their budgeted dates; the cash ``delai`` days later (the line's
        payment delay), left out after ``fin``."""
        libelle = line.libelle or f"Budget, compte {line.compte}"
        cash = not line.compte.startswith(SANS_TRESORERIE)
        delay = datetime.timedelta(days=line.delai or 0)
        for day, amount in shares:
            result.resultat.append(
                ResultatPrevu(
                    day, line.compte, amount, libelle, origine, line.projet, line.location
                )
            )
            paid = day + delay
            if not cash or (fin is not None and paid > fin):
                continue
            signed = -amount * sens(line.compte)  # produits received, charges paid
            category = categorie_tresorerie(line.compte, signed > 0)
            suffix = f" (payé à {line.delai} jours)" if line.delai else ""
            result.tresorerie.append(
                MouvementPrevu(
                    paid,
                    signed,
                    category,
                    libelle + suffix,
                    origine,
                    detail=(detail or line.libelle) if category == "subventions" else None,
                    compte=line.compte,
                    projet=line.projet,
                    location=line.location,
                )
            )

    def codes_couverts(self) -> set[str]:
        return set()
