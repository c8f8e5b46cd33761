"""The small association of the forecast tests (``communs prevision``) and fake forecast
inputs implementing the ``Entree`` protocol, with a few tests of the fakes themselves.

Ledger « Les Petits Pois » (calendar exercices, chart 2025), last actual entry on
30 April 2026:

- 2025: apport 10 000 € (10 January), cotisations 900 € (15 June), fournitures 300 €
  (30 November) — résultat 2025: +600 €;
- 2026: loyer 800 € at the end of January to April (3 200 €), cotisations 1 200 €
  (15 February), Région 6 000 € (7411, 10 March), April payroll 2 000 € (6411) +
  800 € (645) paid on 30 April — réalisé 2026 to 30 April: produits 7 200 €, charges
  6 000 €, résultat +1 200 €;
- treasury (512 Compte-courant) on 30 April 2026: 10 600 − 3 200 + 1 200 + 6 000 −
  2 800 = 11 800 €.

Budget 2026 (``budgets/2026.yaml``): version ``vote`` (20 January) — 6132: 9 600,
641: 24 000, 645: 9 600, 6811: 1 200, 60: 500, 7411: 12 000, 756: 1 000 — and
``revise`` (1 June, based on ``vote``) with 756: 1 500.
"""

from __future__ import annotations

import calendar
import datetime
import textwrap
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from communs_ledger.chargement import load_livre
from communs_ledger.previsions.entrees import Entrees
from communs_ledger.previsions.modele import (
    BASE,
    MouvementPrevu,
    Periode,
    Previsions,
    ResultatPrevu,
    Scenario,
)
from communs_ledger.rapports.source import Source
from communs_ledger.sources import Location
from conftest import write_ledger

D = Decimal
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
SALAIRES = "Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires"
CHARGES_SOCIALES = "Charges:64-Charges-de-personnel:645-Charges-sociales"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7411-Region"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"

MAIN = f"""\
option "title" "Les Petits Pois"
option "operating_currency" "EUR"
option "account_current_earnings" "12-Resultat:120-Resultat-de-l-exercice"
option "account_previous_earnings" "11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
option "account_previous_balances" "89-Bilan:890-Bilan-d-ouverture"

2025-01-01 open {BANQUE} EUR
2025-01-01 open {FONDS}
2025-01-01 open {FOURNITURES}
2025-01-01 open {LOYER}
2025-01-01 open {SALAIRES}
2025-01-01 open {CHARGES_SOCIALES}
2025-01-01 open {REGION}
2025-01-01 open {COTISATIONS}

2025-01-10 * "Apport initial"
  {BANQUE}  10000.00 EUR
  {FONDS}

2025-06-15 * "Cotisations 2025"
  {BANQUE}  900.00 EUR
  {COTISATIONS}

2025-11-30 * "Fournitures"
  {FOURNITURES}  300.00 EUR
  {BANQUE}

2026-01-31 * "Loyer de janvier"
  {LOYER}  800.00 EUR
  {BANQUE}

2026-02-15 * "Cotisations 2026"
  {BANQUE}  1200.00 EUR
  {COTISATIONS}

2026-02-28 * "Loyer de février"
  {LOYER}  800.00 EUR
  {BANQUE}

2026-03-10 * "Région" "Subvention de fonctionnement"
  {BANQUE}  6000.00 EUR
  {REGION}

2026-03-31 * "Loyer de mars"
  {LOYER}  800.00 EUR
  {BANQUE}

2026-04-30 * "Loyer d'avril"
  {LOYER}  800.00 EUR
  {BANQUE}

2026-04-30 * "Paie d'avril"
  {SALAIRES}  2000.00 EUR
  {CHARGES_SOCIALES}  800.00 EUR
  {BANQUE}  -2800.00 EUR
"""


def budget_vote(*lignes: tuple[str, int]) -> str:
    """A budget file with one version, « BP voté » of 20 January 2026, and these lines
    (account code, annual amount)."""
    entete = "versions:\n  - code: vote\n    nom: BP voté\n    date: 2026-01-20\n    lignes:\n"
    return entete + "".join(f'      - {{compte: "{c}", montant: {m}}}\n' for c, m in lignes)


BUDGET_2026 = """\
versions:
  - code: vote
    nom: BP voté
    date: 2026-01-20
    lignes:
      - {compte: "6132", montant: 9600}
      - {compte: "641", montant: 24000}
      - {compte: "645", montant: 9600}
      - {compte: "6811", montant: 1200}
      - {compte: "60", montant: 500}
      - {compte: "7411", montant: 12000}
      - {compte: "756", montant: 1000}
  - code: revise
    nom: BP révisé
    date: 2026-06-01
    base: vote
    lignes:
      - {compte: "756", montant: 1500}
"""

CONFIG = """\
association:
  nom: Les Petits Pois
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

CROISSANCE = """\
previsions:
  croissance:
    charges: 2
    produits: 1.5
    par_compte:
      "6132": 3
"""

TRESORERIE_AU_30_AVRIL = D("11800.00")


def write_petits_pois(
    folder: Path,
    *,
    config: str = CONFIG,
    budget: str | None = BUDGET_2026,
    extra: str = "",
    main: str = MAIN,
) -> Path:
    """Write the ledger (``main.beancount``), its config and its budget."""
    path = write_ledger(folder, main + extra, config=config)
    if budget is not None:
        (folder / "budgets").mkdir(exist_ok=True)
        (folder / "budgets" / "2026.yaml").write_text(budget, encoding="utf-8")
    return path


def load_source(path: Path) -> Source:
    livre = load_livre(path)
    assert livre.ok, livre.diagnostics
    return Source.from_livre(livre)


def fin_de_mois(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def months(debut: datetime.date, fin: datetime.date) -> list[datetime.date]:
    """Month ends in [debut, fin]."""
    found = []
    year, month = debut.year, debut.month
    while True:
        end = fin_de_mois(year, month)
        if end > fin:
            return found
        if end >= debut:
            found.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


# --- Fake inputs ---------------------------------------------------------------------------


@dataclass
class Fixe:
    """Returns its items dated in the period (``hors_periode``: also those outside, to
    check that callers filter). A scenario may scale the results with
    ``conventions: {code: {facteur: "0.5"}}``."""

    code: str
    resultats: list[ResultatPrevu] = field(default_factory=list)
    mouvements: list[MouvementPrevu] = field(default_factory=list)
    couverts: set[str] = field(default_factory=set)
    hors_periode: bool = False

    def generer(self, periode: Periode, scenario: Scenario, contexte: Any) -> Previsions:
        factor = D(str(scenario.conventions.get(self.code, {}).get("facteur", "1")))

        def inside(day: datetime.date) -> bool:
            return self.hors_periode or periode.debut <= day <= periode.fin

        return Previsions(
            [m for m in self.mouvements if inside(m.date)],
            [replace(r, montant=r.montant * factor) for r in self.resultats if inside(r.date)],
        )

    def codes_couverts(self) -> set[str]:
        return set(self.couverts)


@dataclass
class FaussePaie:
    """A post: gross ``brut`` a month (``brut_2027`` from 2027), employer charges 40 %,
    paid (gross + charges) at the end of each month until ``fin``; an employment aid of
    ``aide`` a month (7412) until ``fin_aide``, received at each month end."""

    brut: Decimal = Decimal(2000)
    brut_2027: Decimal = Decimal(2100)
    fin: datetime.date = datetime.date(2027, 6, 30)
    aide: Decimal = Decimal(1000)
    fin_aide: datetime.date = datetime.date(2026, 12, 31)

    def generer(self, periode: Periode, scenario: Scenario, contexte: Any) -> Previsions:
        result = Previsions()
        where = Location("previsions/paie.yaml", 3)
        for day in months(periode.debut, min(periode.fin, self.fin)):
            brut = self.brut if day.year < 2027 else self.brut_2027
            charges = brut * D("0.4")
            result.resultat.append(
                ResultatPrevu(day, "6411", brut, "Salaire coordinatrice", "paie:coord", None, where)
            )
            result.resultat.append(
                ResultatPrevu(day, "645", charges, "Charges coordinatrice", "paie:coord")
            )
            result.tresorerie.append(
                MouvementPrevu(day, -(brut + charges), "salaires", "Paie", "paie:coord")
            )
            if day <= self.fin_aide:
                result.resultat.append(
                    ResultatPrevu(day, "7412", self.aide, "Aide PEC", "paie:coord")
                )
                result.tresorerie.append(
                    MouvementPrevu(day, self.aide, "subventions", "Aide PEC", "paie:coord")
                )
        return result

    def codes_couverts(self) -> set[str]:
        return {"6411", "645", "7412"}

    def codes_remplaces(self) -> set[str]:
        """As the real payroll: its codes and their chapters 641 and 645."""
        return self.codes_couverts() | {"641"}


@dataclass
class FausseEmprunt:
    """A loan: 500 € of principal (cash only) and 50 € of interest (661) at each month
    end until the end of 2028."""

    fin: datetime.date = datetime.date(2028, 12, 31)

    def generer(self, periode: Periode, scenario: Scenario, contexte: Any) -> Previsions:
        result = Previsions()
        for day in months(periode.debut, min(periode.fin, self.fin)):
            result.tresorerie.append(
                MouvementPrevu(day, D(-500), "emprunts", "Capital", "flux:emprunt", compte="164")
            )
            result.resultat.append(ResultatPrevu(day, "661", D(50), "Intérêts", "flux:emprunt"))
            result.tresorerie.append(
                MouvementPrevu(day, D(-50), "emprunts", "Intérêts", "flux:emprunt", compte="661")
            )
        return result

    def codes_couverts(self) -> set[str]:
        return {"661"}


@dataclass
class FausseCreance:
    """An open receivable settled on the first day of whatever period is asked (as the
    open receivables input does): 3 000 €, no result."""

    def generer(self, periode: Periode, scenario: Scenario, contexte: Any) -> Previsions:
        return Previsions(
            [MouvementPrevu(periode.debut, D(3000), "subventions", "Créance", "tiers:441")], []
        )

    def codes_couverts(self) -> set[str]:
        return set()


def entrees_de(*items: Any, scenarios: dict[str, Scenario] | None = None) -> Entrees:
    return Entrees(list(items), dict(scenarios or {}))


def dedent(text: str) -> str:
    return textwrap.dedent(text)


# --- The fakes themselves -------------------------------------------------------------------


def test_fausse_paie_stops_at_the_end_of_the_contract_and_the_aid() -> None:
    previsions = FaussePaie().generer(
        Periode(datetime.date(2026, 11, 1), datetime.date(2027, 12, 31)), BASE, None
    )
    salaries = [r for r in previsions.resultat if r.compte == "6411"]
    aids = [r for r in previsions.resultat if r.compte == "7412"]
    assert [r.date.month for r in salaries] == [11, 12, 1, 2, 3, 4, 5, 6]
    assert sum(r.montant for r in salaries) == 2 * 2000 + 6 * 2100
    assert [r.date for r in aids] == [datetime.date(2026, 11, 30), datetime.date(2026, 12, 31)]


def test_fixe_keeps_only_the_period_unless_told() -> None:
    item = ResultatPrevu(datetime.date(2027, 1, 15), "7411", D(999), "Hors période", "x")
    periode = Periode(datetime.date(2026, 5, 1), datetime.date(2026, 12, 31))
    assert Fixe("x", [item]).generer(periode, BASE, None).resultat == []
    assert len(Fixe("x", [item], hors_periode=True).generer(periode, BASE, None).resultat) == 1


def test_the_ledger_is_valid_and_holds_11800_in_the_bank(ledger_dir: Path) -> None:
    source = load_source(write_petits_pois(ledger_dir))
    assert source.mouvements.derniere_date == datetime.date(2026, 4, 30)
    bank = sum(m.montant for m in source.mouvements.liste if m.account == BANQUE)
    assert bank == TRESORERIE_AU_30_AVRIL
