"""The plan de trésorerie of issue 5, computed by hand, END TO END: a small ledger and real
YAML input files (``communs.yaml``, ``conventions.yaml``, ``previsions/paie.yaml``,
``previsions/flux.yaml``, ``previsions/scenarios.yaml``) read by the real command
``communs tresorerie --format json``.

The association (calendar exercices, chart 2025), last actual entry on 31 March 2026
------------------------------------------------------------------------------------
- 2 January 2026: apport of 12 000 € on the bank (the only money at the start).
- Rent 700 € paid on the 5th of every month (6132).
- One post, « animatrice »: gross 2 000 €, employee rate 22 %, employer rate 30 %; the
  ledger books each month's payroll on its last day (6411 2 000, 6451 600 against 421
  1 560 and 431 1 040), pays the net salary (421) the same day and the contributions
  (431, 440 + 600 = 1 040) on the 15th of the following month.
- An employment aid (PEC, 600 €/month, 7412) accrued each month end on
  441…:ASP and received at the end of the following month.
- A subsidy convention ETAT-2026 of 30 000 € notified on 15 February 2026 (441…:Etat
  against 7411, metadata ``convention``), nothing received yet.

Bank: January 12 000 − 700 − 1 560 = 9 740; February 9 740 + 600 (aid of January)
− 700 − 1 040 (URSSAF of January) − 1 560 = 7 040; March likewise 7 040 + 600 − 3 300
= 4 340. Open at 31 March: 431 credit 1 040 (March contributions), 441…:ASP debit 600
(March aid), 441…:Etat debit 30 000 (the convention).

The inputs
----------
- paie.yaml: the post with ``brut_mensuel: 2000`` at 2026-01-01 and a raise of 3 % each
  1 July (gross 2 060 from July 2026); the PEC aid of 600 €/month ends on 15 June 2026
  (June: 600 × 15/30 = 300), paid monthly (a month's aid on the last day of the next).
- conventions.yaml: ETAT-2026 in two instalments: « avance » 60 % = 18 000 on 15 May
  2026; « solde » 40 % = 12 000 after the compte-rendu (30 June 2026) + 45 days =
  14 August 2026.
- flux.yaml: rent −700 on the 5th of every month (6132).
- scenarios.yaml: « retard », the balance 4 months late (14 December 2026); « identique »,
  no override at all.
- communs.yaml: threshold one month of charges; open 441 receivables settled in 30 days.

The rules (paie.py): the net salary of a month is paid on its last day (gross −
22 %), the contributions (employee 22 % + employer 30 %) on the 15th of the following
month. Gross 2 000: net 1 560, contributions 440 + 600 = 1 040. Gross 2 060: employee
part 453,20, net 1 606,80, employer 618,00, contributions 1 071,20.
The forecast starts on 1 April (day after the last actual entry): March's
contributions (1 040, 15 April) and aid (600, 31 March + 30 days = 30 April) are open
balances of the ledger, forecast by the open receivables and payables input; from
April on, payroll forecasts them.

The plan ``--depuis 2026-02-01`` (12 months, February 2026 – January 2027)
-------------------------------------------------------------------------
========  =========  ===================================  =======================  =========
month     opening    receipts                             payments                 closing
========  =========  ===================================  =======================  =========
02-2026    9 740,00  600 ASP (réalisé)                    700 + 1 040 + 1 560      7 040,00
03-2026    7 040,00  600 ASP (réalisé)                    700 + 1 040 + 1 560      4 340,00
04-2026    4 340,00  600 ASP (March aid, tiers)           700 + 1 040 + 1 560      1 640,00
05-2026    1 640,00  18 000 État (avance) + 600 ASP       700 + 1 040 + 1 560     16 940,00
06-2026   16 940,00  600 ASP (May aid)                    700 + 1 040 + 1 560     14 240,00
07-2026   14 240,00  300 ASP (June aid, half a month)     700 + 1 040 + 1 606,80  11 193,20
08-2026   11 193,20  12 000 État (solde, 14 August)       700 + 1 071,20 + 1 606,80  19 815,20
09-2026   19 815,20  —                                    3 378,00                16 437,20
10-2026   16 437,20  —                                    3 378,00                13 059,20
11-2026   13 059,20  —                                    3 378,00                 9 681,20
12-2026    9 681,20  —                                    3 378,00                 6 303,20
01-2027    6 303,20  —                                    700 + 1 071,20 + 1 606,80  2 925,20
========  =========  ===================================  =======================  =========

Scenario « retard »: the 12 000 move from August to December: August 7 815,20, September
4 437,20, October 1 059,20, November −2 318,80, December −2 318,80 + 12 000 − 3 378 =
6 303,20, January 2 925,20 (as the base from December on).

Threshold: one month of charges = average payments of the complete months of actuals
(the ledger starts in January; the last entry, 31 March, completes March: January
700 + 1 560 = 2 260, February 3 300, March 3 300) = 8 860 / 3 = 2 953,33. Below it:
base April (1 640) and January 2027 (2 925,20); retard April, October, November and
January 2027.
Low point: base 1 640 (April 2026); retard −2 318,80 (November 2026).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import one_line, run_communs, write_ledger

D = Decimal

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
SALAIRES = "Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires"
URSSAF_CHARGE = "Charges:64-Charges-de-personnel:645-Charges-sociales:6451-Urssaf"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
PERSONNEL = "Passif:42-Personnel:421-Remunerations-dues"
URSSAF = "Passif:43-Organismes-sociaux:431-Urssaf"
CREANCE_ASP = "Actif:44-Etat:441-Subventions-a-recevoir:ASP"
CREANCE_ETAT = "Actif:44-Etat:441-Subventions-a-recevoir:Etat"
AIDE = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Aides-a-l-emploi"
ETAT = "Produits:74-Subventions:741-Subventions-d-exploitation:7411-Etat"


def _mois(month: int, last_day: int, with_urssaf: bool, with_aid_received: bool) -> str:
    """One month of actuals in 2026: rent, URSSAF of the previous month, payroll, aid."""
    text = f"""
2026-{month:02d}-05 * "SCI des Tilleuls" "Loyer"
  {LOYER}  700.00 EUR
  {BANQUE}
"""
    if with_urssaf:
        text += f"""
2026-{month:02d}-15 * "Urssaf" "Cotisations du mois précédent"
  {URSSAF}  1040.00 EUR
  {BANQUE}
"""
    text += f"""
2026-{month:02d}-{last_day} * "Paie du mois"
  {SALAIRES}  2000.00 EUR
  {URSSAF_CHARGE}  600.00 EUR
  {PERSONNEL}  -1560.00 EUR
  {URSSAF}  -1040.00 EUR

2026-{month:02d}-{last_day} * "Salaire net"
  {PERSONNEL}  1560.00 EUR
  {BANQUE}
"""
    if with_aid_received:
        text += f"""
2026-{month:02d}-{last_day} * "ASP" "Aide PEC du mois précédent"
  {BANQUE}  600.00 EUR
  {CREANCE_ASP}
"""
    text += f"""
2026-{month:02d}-{last_day} * "ASP" "Aide PEC du mois"
  {CREANCE_ASP}  600.00 EUR
  {AIDE}
"""
    return text


LEDGER = (
    f"""\
option "title" "Les Jardins du Calcul"
option "operating_currency" "EUR"
option "account_current_earnings" "12-Resultat:120-Resultat-de-l-exercice"
option "account_previous_earnings" "11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
option "account_previous_balances" "89-Bilan:890-Bilan-d-ouverture"

2026-01-01 open {BANQUE} EUR
2026-01-01 open {FONDS}
2026-01-01 open {LOYER}
2026-01-01 open {SALAIRES}
2026-01-01 open {URSSAF_CHARGE}
2026-01-01 open {FOURNITURES}
2026-01-01 open {PERSONNEL}
2026-01-01 open {URSSAF}
2026-01-01 open {CREANCE_ASP}
2026-01-01 open {CREANCE_ETAT}
2026-01-01 open {AIDE}
2026-01-01 open {ETAT}

2026-01-02 * "Apport initial"
  {BANQUE}  12000.00 EUR
  {FONDS}

2026-02-15 * "État" "Notification de la convention ETAT-2026"
  convention: "ETAT-2026"
  {CREANCE_ETAT}  30000.00 EUR
  {ETAT}
"""
    + _mois(1, 31, with_urssaf=False, with_aid_received=False)
    + _mois(2, 28, with_urssaf=True, with_aid_received=True)
    + _mois(3, 31, with_urssaf=True, with_aid_received=True)
)

CONFIG = """\
association:
  nom: Les Jardins du Calcul
conventions: conventions.yaml
previsions:
  paie: previsions/paie.yaml
  flux: previsions/flux.yaml
  scenarios: previsions/scenarios.yaml
  seuil: {mois_de_charges: 1}
  delais: {"441": 30}
"""

PAIE = """\
parametres:
  taux_salarial: 22
  taux_patronal: 30
  paiement_salaires: fin_de_mois
  paiement_cotisations: 15
postes:
  - code: animatrice
    intitule: Animatrice (CDI)
    debut: 2025-09-01
    brut_mensuel: 2000
    brut_au: 2026-01-01
    augmentation: {taux: 3, mois: 7}
    aides:
      - type: pec
        financeur: ASP
        compte: "7412"
        montant_mensuel: 600
        fin: 2026-06-15
        versements: mensuel
"""

CONVENTIONS = """\
conventions:
  - reference: ETAT-2026
    financeur: État (DDETS)
    type_financeur: etat
    objet: Jardins partagés
    montant: 30000
    debut: 2026-01-01
    fin: 2026-12-31
    notification: 2026-02-15
    compte: "7411"
    compte_rendu: 2026-06-30
    versements:
      - libelle: avance
        part: 60
        date: 2026-05-15
      - libelle: solde
        part: 40
        apres_compte_rendu: true
        delai_jours: 45
"""

FLUX = """\
flux:
  - code: loyer
    libelle: Loyer (SCI des Tilleuls)
    montant: -700
    compte: "6132"
    frequence: mensuel
    jour: 5
    debut: 2025-01-05
"""

SCENARIOS = """\
scenarios:
  - code: retard
    libelle: Solde de l'État payé 4 mois en retard
    conventions:
      ETAT-2026: {versements: {solde: {retard_mois: 4}}}
  - code: identique
    libelle: Sans surcharge
"""

MONTHS = [f"2026-{m:02d}" for m in range(2, 13)] + ["2027-01"]

# By hand (see the module docstring): receipts, payments and closing balance per month.
BASE_ENCAISSEMENTS = ["600", "600", "600", "18600", "600", "300", "12000", "0", "0", "0", "0", "0"]
BASE_DECAISSEMENTS = ["3300", "3300", "3300", "3300", "3300", "3346.80"] + ["3378"] * 6
BASE_CLOTURE = [
    "7040",
    "4340",
    "1640",
    "16940",
    "14240",
    "11193.20",
    "19815.20",
    "16437.20",
    "13059.20",
    "9681.20",
    "6303.20",
    "2925.20",
]
RETARD_CLOTURE = [
    *BASE_CLOTURE[:6],
    "7815.20",
    "4437.20",
    "1059.20",
    "-2318.80",
    "6303.20",
    "2925.20",
]


def write_association(folder: Path, config: str = CONFIG, budget: str | None = None) -> Path:
    """The ledger and its input files in ``folder``; returns the ledger's path."""
    path = write_ledger(folder, LEDGER, config=config)
    (folder / "previsions").mkdir()
    for relative, text in (
        ("conventions.yaml", CONVENTIONS),
        ("previsions/paie.yaml", PAIE),
        ("previsions/flux.yaml", FLUX),
        ("previsions/scenarios.yaml", SCENARIOS),
    ):
        (folder / relative).write_text(text, encoding="utf-8")
    if budget is not None:
        (folder / "budgets").mkdir()
        (folder / "budgets" / "2026.yaml").write_text(textwrap.dedent(budget), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def association(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_association(tmp_path_factory.mktemp("calcul") / "asso")


def plan(communs: Callable[..., Any], ledger: Path, *args: str) -> dict[str, Any]:
    result = communs(
        "tresorerie", "-f", str(ledger), "--format", "json", "--depuis", "2026-02-01", *args
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def row(data: dict[str, Any], partie: str, ligne: str) -> list[str]:
    """A row's values in month order (missing row: zeros)."""
    found = next(p for p in data["parties"] if p["id"] == partie)
    assert [c["id"] for c in found["colonnes"]] == MONTHS
    for item in found["lignes"]:
        if item["id"] == ligne:
            return [item["valeurs"][month] for month in MONTHS]
    return ["0.00"] * len(MONTHS)


def decimals(values: list[str]) -> list[Decimal]:
    return [D(value) for value in values]


@pytest.fixture(scope="module")
def base_et_retard(association: Path) -> dict[str, Any]:
    """The plan with the base and « retard » side by side, through a real subprocess."""
    done = run_communs(
        "tresorerie",
        "-f",
        str(association),
        "--format",
        "json",
        "--depuis",
        "2026-02-01",
        "--scenario",
        "base,retard",
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- The base, month by month ----------------------------------------------------------------


def test_base_mois_par_mois(communs: Callable[..., Any], association: Path) -> None:
    data = plan(communs, association)
    assert data["periode"] == {"debut": "2026-02-01", "fin": "2027-01-31"}
    assert row(data, "plan_base", "nature") == ["réalisé"] * 2 + ["prévu"] * 10
    assert data["meta"]["derniere_ecriture"] == "2026-03-31"
    assert data["meta"]["debut_previsions"] == "2026-04-01"

    assert decimals(row(data, "plan_base", "total_encaissements")) == decimals(BASE_ENCAISSEMENTS)
    assert decimals(row(data, "plan_base", "total_decaissements")) == decimals(BASE_DECAISSEMENTS)
    assert decimals(row(data, "plan_base", "solde_final")) == decimals(BASE_CLOTURE)
    assert decimals(row(data, "plan_base", "solde_initial")) == decimals(
        ["9740", *BASE_CLOTURE[:-1]]
    )

    # Receipts: the aid (ASP) — actual in February and March, the March aid settled
    # as an open 441 receivable on 30 April, then April 600 (31 May), May 600 (30 June),
    # June 300 (31 July); the convention (État): avance 18 000 in May, solde 12 000 in
    # August. The convention's 441 receivable of the ledger is not settled a second
    # time by the open receivables input (it would be 30 000 on 15 March + 30 days).
    assert decimals(row(data, "plan_base", "encaissement:subventions:asp")) == decimals(
        ["600", "600", "600", "600", "600", "300", "0", "0", "0", "0", "0", "0"]
    )
    assert decimals(row(data, "plan_base", "encaissement:subventions:etat")) == decimals(
        ["0", "0", "0", "18000", "0", "0", "12000", "0", "0", "0", "0", "0"]
    )
    assert decimals(row(data, "plan_base", "encaissement:subventions")) == decimals(
        BASE_ENCAISSEMENTS
    )
    # Payments: net salary at month end (1 560, 1 606,80 from July: 2 060 − 22 %),
    # contributions of the previous month on the 15th (1 040 until July, 1 071,20 for
    # July's on 15 August), rent on the 5th.
    assert decimals(row(data, "plan_base", "decaissement:salaires")) == decimals(
        ["1560"] * 5 + ["1606.80"] * 7
    )
    assert decimals(row(data, "plan_base", "decaissement:charges_sociales")) == decimals(
        ["1040"] * 6 + ["1071.20"] * 6
    )
    assert decimals(row(data, "plan_base", "decaissement:loyer")) == [D(700)] * 12
    found = next(p for p in data["parties"] if p["id"] == "plan_base")
    ids = [item["id"] for item in found["lignes"]]
    assert ids == [
        "nature",
        "budget",  # « aucun » for every forecast month: no budget file at all
        "solde_initial",
        "encaissements",
        "encaissement:subventions",
        "encaissement:subventions:asp",
        "encaissement:subventions:etat",
        "total_encaissements",
        "decaissements",
        "decaissement:salaires",
        "decaissement:charges_sociales",
        "decaissement:loyer",
        "total_decaissements",
        "solde_final",
        "ecart_seuil",
        "alerte",  # « sous le seuil » or « danger » month by month
    ]

    # Totals: 9 740 + 33 300 − 40 114,80 = 2 925,20.
    assert data["totaux"] == {
        "solde_initial": "9740.00",
        "total_encaissements": "33300.00",
        "total_decaissements": "40114.80",
        "solde_final": "2925.20",
        "point_bas": "1640.00",
        "mois_point_bas": "2026-04",
        "seuil": "2953.33",
    }


def test_seuil_et_mois_sous_le_seuil(communs: Callable[..., Any], association: Path) -> None:
    data = plan(communs, association)
    # One month of charges: (2 260 + 3 300 + 3 300) / 3 = 2 953,33 (March is complete: the
    # last entry is on its last day).
    assert data["meta"]["seuil"] == "2953.33"
    assert data["meta"]["mois_sous_seuil"] == {"base": ["2026-04", "2027-01"]}
    ecart = decimals(row(data, "plan_base", "ecart_seuil"))
    assert ecart == [D(value) - D("2953.33") for value in BASE_CLOTURE]
    found = next(p for p in data["parties"] if p["id"] == "plan_base")
    assert (
        next(item for item in found["lignes"] if item["id"] == "ecart_seuil")["statut"] == "alerte"
    )
    notes = [
        one_line(note.replace("\u202f", " ").replace("\u00a0", " ")) for note in found["notes"]
    ]
    assert notes == [
        "Point bas : 1 640,00 € fin avril 2026.",
        "Sous le seuil d'alerte (2 953,33 €) : 2 mois (avril 2026, janvier 2027).",
    ]
    general = " ".join(data["notes"]).replace("\u202f", " ").replace("\u00a0", " ")
    assert "1 mois de charges = 2 953,33 €" in general
    assert "de janvier 2026 à mars 2026, 3 mois" in general
    # The last actual date is a month end: réalisé to March, forecast from April.
    assert "Mois réalisés (grand livre) jusqu'à mars 2026, mois suivants prévus." in general
    (graphique,) = data["graphiques"]
    assert graphique["seuil"] == "2953.33"
    assert decimals(graphique["series"][0]["valeurs"]) == decimals(BASE_CLOTURE)


def test_scenario_retard_cote_a_cote(base_et_retard: dict[str, Any]) -> None:
    data = base_et_retard
    assert data["meta"]["scenarios"] == ["base", "retard"]
    assert decimals(row(data, "plan_base", "solde_final")) == decimals(BASE_CLOTURE)
    assert decimals(row(data, "plan_retard", "solde_final")) == decimals(RETARD_CLOTURE)
    # The 12 000 € of the solde move from August to December.
    assert decimals(row(data, "plan_retard", "encaissement:subventions:etat")) == decimals(
        ["0", "0", "0", "18000", "0", "0", "0", "0", "0", "0", "12000", "0"]
    )
    assert decimals(row(data, "plan_retard", "total_decaissements")) == decimals(BASE_DECAISSEMENTS)
    retard = data["totaux_par_colonne"]["retard"]
    assert (retard["point_bas"], retard["mois_point_bas"]) == ("-2318.80", "2026-11")
    base = data["totaux_par_colonne"]["base"]
    assert (base["point_bas"], base["mois_point_bas"]) == ("1640.00", "2026-04")
    assert data["meta"]["mois_sous_seuil"] == {
        "base": ["2026-04", "2027-01"],
        "retard": ["2026-04", "2026-10", "2026-11", "2027-01"],
    }
    # Flagged month by month in every scenario; November below zero (no authorised
    # overdraft): « danger ».
    alerte = row(data, "plan_retard", "alerte")
    assert [m for m, a in zip(MONTHS, alerte, strict=True) if a] == [
        "2026-04",
        "2026-10",
        "2026-11",
        "2027-01",
    ]
    assert alerte[MONTHS.index("2026-11")] == "danger"
    assert alerte[MONTHS.index("2026-10")] == "sous le seuil"
    assert data["meta"]["mois_en_danger"] == {"base": [], "retard": ["2026-11"]}
    scenarios = next(p for p in data["parties"] if p["id"] == "scenarios")
    lines = {item["id"]: item for item in scenarios["lignes"]}
    assert decimals([lines["solde_final:retard"]["valeurs"][m] for m in MONTHS]) == decimals(
        RETARD_CLOTURE
    )
    assert lines["solde_final:retard"]["statut"] == "alerte"
    series = data["graphiques"][0]["series"]
    assert [s["nom"] for s in series] == [
        "Prévision de base",
        "Solde de l'État payé 4 mois en retard",
    ]
    assert decimals(series[1]["valeurs"]) == decimals(RETARD_CLOTURE)


# --- Invariants ------------------------------------------------------------------------------


def _parties_de_plan(data: dict[str, Any]) -> list[str]:
    return [p["id"] for p in data["parties"] if p["id"].startswith("plan_")]


@pytest.mark.parametrize("scenarios", ["base", "retard", "identique", "base,retard,identique"])
def test_solde_fin_egal_debut_plus_encaissements_moins_decaissements(
    communs: Callable[..., Any], association: Path, scenarios: str
) -> None:
    data = plan(communs, association, "--scenario", scenarios)
    assert len(_parties_de_plan(data)) == len(scenarios.split(","))
    for partie in _parties_de_plan(data):
        opening = decimals(row(data, partie, "solde_initial"))
        received = decimals(row(data, partie, "total_encaissements"))
        paid = decimals(row(data, partie, "total_decaissements"))
        closing = decimals(row(data, partie, "solde_final"))
        for index in range(12):
            assert closing[index] == opening[index] + received[index] - paid[index]
            if index:
                assert opening[index] == closing[index - 1]
        # the categories add up to the totals (funder sub-lines apart)
        found = next(p for p in data["parties"] if p["id"] == partie)
        for sens, total in (("encaissement", received), ("decaissement", paid)):
            categories = [
                decimals([item["valeurs"][m] for m in MONTHS])
                for item in found["lignes"]
                if item["id"].startswith(sens + ":") and item["id"].count(":") == 1
            ]
            assert [sum(column) for column in zip(*categories, strict=True)] == total


def _solde_bancaire(ledger: Path) -> dict[str, Decimal]:
    """The bank's balance at each month end, straight from the real Beancount loader."""
    from beancount import loader
    from beancount.core import data as bc

    entries, errors, _options = loader.load_file(str(ledger))
    assert not errors
    balances: dict[str, Decimal] = {}
    for month_end in ("2026-01-31", "2026-02-28", "2026-03-31"):
        balances[month_end] = sum(
            (
                posting.units.number
                for entry in entries
                if isinstance(entry, bc.Transaction) and str(entry.date) <= month_end
                for posting in entry.postings
                if posting.account == BANQUE
            ),
            D(0),
        )
    return balances


def test_mois_passes_egaux_aux_soldes_du_grand_livre(
    communs: Callable[..., Any], association: Path
) -> None:
    balances = _solde_bancaire(association)
    assert balances == {
        "2026-01-31": D("9740.00"),
        "2026-02-28": D("7040.00"),
        "2026-03-31": D("4340.00"),
    }
    data = plan(communs, association)
    assert D(row(data, "plan_base", "solde_initial")[0]) == balances["2026-01-31"]
    closing = decimals(row(data, "plan_base", "solde_final"))
    assert closing[:2] == [balances["2026-02-28"], balances["2026-03-31"]]
    # A plan starting in January: its three actual months are the ledger's too, and the
    # opening balance is nil (nothing before the apport).
    result = communs(
        "tresorerie",
        "-f",
        str(association),
        "--format",
        "json",
        "--depuis",
        "2026-01-10",
        "-m",
        "3",
    )
    assert result.exit_code == 0, result.output
    january = json.loads(result.stdout)
    part = next(p for p in january["parties"] if p["id"] == "plan_base")
    months = [c["id"] for c in part["colonnes"]]
    closing = next(item for item in part["lignes"] if item["id"] == "solde_final")["valeurs"]
    assert [D(closing[m]) for m in months] == list(balances.values())
    assert january["totaux"]["solde_initial"] == "0.00"


def test_un_scenario_sans_surcharge_egale_la_base(
    communs: Callable[..., Any], association: Path
) -> None:
    both = plan(communs, association, "--scenario", "base,identique")
    base = next(p for p in both["parties"] if p["id"] == "plan_base")
    same = next(p for p in both["parties"] if p["id"] == "plan_identique")
    assert [(r["id"], r["valeurs"]) for r in same["lignes"]] == [
        (r["id"], r["valeurs"]) for r in base["lignes"]
    ]
    assert both["totaux_par_colonne"]["identique"] == both["totaux_par_colonne"]["base"]
    alone = plan(communs, association, "--scenario", "identique")
    assert decimals(row(alone, "plan_identique", "solde_final")) == decimals(BASE_CLOTURE)


# --- Which input wins over the budget ----------------------------------------------------------

CONFIG_BUDGET = (
    CONFIG
    + """budget:
  fichiers:
    "2026": budgets/2026.yaml
"""
)


def _budget(personnel: int) -> str:
    return f"""\
        versions:
          - code: vote
            nom: BP voté
            date: 2026-01-10
            lignes:
              - {{compte: "64", montant: {personnel}}}
              - {{compte: "6132", montant: 8400}}
              - {{compte: "6064", montant: 1200}}
        """


def test_la_paie_et_les_flux_l_emportent_sur_le_budget(
    communs: Callable[..., Any], association: Path, tmp_path: Path
) -> None:
    """Budget 2026 (uniform): 64 Charges de personnel 30 000, 6132 Loyer 8 400, 6064
    Fournitures 1 200. From April to December (the forecast months of exercice 2026) the
    payroll forecasts 6411 3 × 2 000 + 6 × 2 060 = 18 360 and 6451 3 × 600 + 6 × 618 =
    5 508, i.e. 23 868 € on the line 64, more than its 9/12 × 30 000 = 22 500: the line
    adds nothing. The rent flow covers 6132 (9 × 700 = 6 300 = 9/12 × 8 400): nothing.
    Fournitures, which no input covers, add 100 € at each month end, April–December, and
    in January 2027: no budget for 2027, the 2026 budget is carried over
    (``previsions.sans_budget: dernier_budget``, the default; the payroll, 2 678 € in
    January, and the rent still cover their lines)."""
    ledger = write_association(tmp_path / "asso", CONFIG_BUDGET, _budget(30000))
    data = plan(communs, ledger)
    without = plan(communs, association)
    achats = decimals(["0", "0"] + ["100"] * 10)
    assert decimals(row(data, "plan_base", "decaissement:achats")) == achats
    # every other line is the plan without budget: payroll and rent not counted twice
    found = next(p for p in data["parties"] if p["id"] == "plan_base")
    others = [
        r["id"] for r in found["lignes"] if r["id"].startswith(("encaissement:", "decaissement:"))
    ]
    assert others == [
        "encaissement:subventions",
        "encaissement:subventions:asp",
        "encaissement:subventions:etat",
        "decaissement:salaires",
        "decaissement:charges_sociales",
        "decaissement:loyer",
        "decaissement:achats",
    ]
    for ligne in others[:-1]:
        assert row(data, "plan_base", ligne) == row(without, "plan_base", ligne), ligne
    assert decimals(row(data, "plan_base", "total_decaissements")) == [
        D(value) + a for value, a in zip(BASE_DECAISSEMENTS, achats, strict=True)
    ]
    # closing: the base minus the cumulated fournitures (100 a month from April)
    spent = [D(0), D(0)] + [D(100 * n) for n in range(1, 11)]
    assert decimals(row(data, "plan_base", "solde_final")) == [
        D(value) - s for value, s in zip(BASE_CLOTURE, spent, strict=True)
    ]


def test_le_budget_ne_garde_que_ce_qui_depasse_la_paie(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """The line 64 at 36 000: 9/12 × 36 000 = 27 000 over April–December, 3 132 more than
    the payroll's 23 868; only those 3 132 € are forecast, spread over its months in
    proportion to its budget (uniform: 348 € a month). A line on the whole chapter 64
    (gross pay and charges together) has its own row, « Salaires et charges (budget) »
    (plan_comptable/tresorerie.yaml: 64 → personnel; 641 → salaires, 645 and 647 → charges
    sociales). January 2027: the 2026 budget carried over; the
    line's 36 000 exceed the payroll of 2027 (6 × 2 678 + 6 × (2 121,80 + 636,54) =
    32 618,04) by 3 381,96, 281,83 a month; fournitures 100."""
    ledger = write_association(tmp_path / "asso", CONFIG_BUDGET, _budget(36000))
    data = plan(communs, ledger)
    assert "decaissement:autres_decaissements" not in {
        r["id"] for p in data["parties"] for r in p["lignes"]
    }
    # net salaries of the plan without budget (1 560, then 1 606.80 from July); the line 64
    # adds 348 € from April to December, 281.83 in January 2027, on its own row
    salaires = decimals(row(data, "plan_base", "decaissement:salaires"))
    personnel = decimals(row(data, "plan_base", "decaissement:personnel"))
    assert salaires == decimals(["1560"] * 5 + ["1606.80"] * 7)
    assert personnel == decimals(["0"] * 2 + ["348"] * 9 + ["281.83"])
    assert [a + b for a, b in zip(salaires, personnel, strict=True)] == decimals(
        ["1560"] * 2 + ["1908"] * 3 + ["1954.80"] * 6 + ["1888.63"]
    )
    assert decimals(row(data, "plan_base", "solde_final"))[-1] == (
        D("2925.20") - 1000 - 9 * 348 - D("281.83")
    )


# --- Invariants under random scenarios (Hypothesis), on the real inputs ----------------------


@pytest.fixture(scope="module")
def source_et_entrees(association: Path) -> tuple[Any, Any]:
    from communs_ledger.chargement import load_livre
    from communs_ledger.previsions.entrees import charger_entrees
    from communs_ledger.rapports.source import Source

    livre = load_livre(association)
    assert livre.ok, livre.diagnostics
    source = Source.from_livre(livre)
    entrees = charger_entrees(source.context)
    assert entrees.erreurs == []
    return source, entrees


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    retard_solde=st.integers(0, 6),
    retard_avance=st.integers(0, 60),
    variation=st.sampled_from(["-50%", "-30%", "0%", "+20%", "25000"]),
    fin_du_poste=st.sampled_from([None, "2026-06-30", "2026-09-15", "2027-03-31"]),
    brut=st.sampled_from([None, "-10%", "2400"]),
    loyer=st.sampled_from([None, -650, "+5%"]),
)
def test_propriete_invariants_des_scenarios(
    source_et_entrees: tuple[Any, Any],
    retard_solde: int,
    retard_avance: int,
    variation: str,
    fin_du_poste: str | None,
    brut: str | None,
    loyer: Any,
) -> None:
    """Whatever the overrides: closing = opening + receipts − payments and opening = the
    previous closing every month; the actual months (February, March) are the ledger's;
    the convention brings its whole (scenario) amount within the 24 months, however
    late (the solde at the latest 14 August + 6 months = February 2027)."""
    import datetime

    from communs_ledger.previsions.modele import BASE, Scenario, lire_variation
    from communs_ledger.previsions.plan import plan_de_tresorerie

    source, entrees = source_et_entrees
    convention: dict[str, Any] = {
        "montant": variation,
        "versements": {
            "solde": {"retard_mois": retard_solde},
            "avance": {"retard_jours": retard_avance},
        },
    }
    poste: dict[str, Any] = {}
    if fin_du_poste is not None:
        poste["fin"] = fin_du_poste
    if brut is not None:
        poste["brut_mensuel"] = brut
    scenario = Scenario(
        "hasard",
        "Au hasard",
        postes={"animatrice": poste},
        conventions={"ETAT-2026": convention},
        flux={"loyer": {"montant": loyer}} if loyer is not None else {},
    )
    rapport = plan_de_tresorerie(
        source, entrees, depuis=datetime.date(2026, 2, 1), mois=24, scenarios=[BASE, scenario]
    )
    columns = [c.id for c in rapport.partie("plan_hasard").colonnes]
    for partie in ("plan_base", "plan_hasard"):

        def values(ligne: str, partie: str = partie) -> list[Decimal]:
            found = rapport.partie(partie).ligne(ligne)
            return [found.valeurs[c] for c in columns] if found else [D(0)] * len(columns)

        opening, closing = values("solde_initial"), values("solde_final")
        received, paid = values("total_encaissements"), values("total_decaissements")
        for index in range(len(columns)):
            assert closing[index] == opening[index] + received[index] - paid[index]
            if index:
                assert opening[index] == closing[index - 1]
        assert closing[:2] == [D("7040.00"), D("4340.00")]
        assert opening[0] == D("9740.00")
    amount = lire_variation(variation).appliquer(D(30000))
    etat = rapport.partie("plan_hasard").ligne("encaissement:subventions:etat")
    assert sum(etat.valeurs[c] for c in columns) == amount
