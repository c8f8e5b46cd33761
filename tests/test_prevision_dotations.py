"""Dotations aux amortissements in the forecasts (issue 16, part 1): never a
disbursement in the plan de trésorerie, and in the multi-year projection the register's
planned dotations when the budget has no 6811 line — with a note, without cash.

Ledger: « Les Petits Pois » (tests/test_prevision_fixtures.py, no growth), plus a
computer bought 3 600 € on 1 April 2026 (2183, paid from the bank) in the register,
3 years, linear, prorata temporis on the 360-day year: 2026 270 days → 900; 2027 and
2028 → 1 200 each; 2029 the rest, 300.

Budget ``revise`` 2026 carried over to 2027 and 2028 (no growth, no input): produits
12 000 (7411) + 1 500 (756) = 13 500; charges 9 600 (6132) + 24 000 (641) + 9 600
(645) + 500 (60) = 43 700, and 6811 1 200 in the fixture's budget.

- budget without its 6811 line: résultat 2027 = 13 500 − 43 700 − 1 200 (register) =
  −31 400, 2028 the same; year-end cash moves by the budget's 13 500 − 43 700 = −30 200
  a year, the dotation not counted;
- budget with its 6811 line (1 200): the budget's line is kept, the register adds
  nothing, the very same figures, no note.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.previsions.entrees import charger_entrees
from communs_ledger.previsions.plan import plan_de_tresorerie
from communs_ledger.previsions.pluriannuelle import compute_pluriannuelle, pluriannuelle
from communs_ledger.rapports.source import Source
from test_prevision_fixtures import BUDGET_2026, CONFIG, entrees_de, load_source, write_petits_pois

D = Decimal
ORDINATEUR = "Actif:21-Immobilisations-corporelles:2183-Materiel-informatique"
AMORTISSEMENTS = "Actif:28-Amortissements:28183-Amortissements-materiel-informatique"
ACHAT = f"""
2026-01-01 open {ORDINATEUR}
2026-01-01 open {AMORTISSEMENTS}

2026-04-01 * "Informatique" "Ordinateur"
  {ORDINATEUR}  3600.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant
"""
REGISTRE = """\
immobilisations:
  - id: ORDI
    libelle: Ordinateur
    compte: "2183"
    compte_amortissement: "28183"
    valeur_origine: 3600.00
    mise_en_service: 2026-04-01
    duree: 3
"""
SANS_6811 = BUDGET_2026.replace('      - {compte: "6811", montant: 1200}\n', "")


def _source(folder: Path, budget: str, registre: bool = True) -> Source:
    config = CONFIG + ("immobilisations: immobilisations.yaml\n" if registre else "")
    main = write_petits_pois(folder, config=config, budget=budget, extra=ACHAT)
    (folder / "immobilisations.yaml").write_text(REGISTRE, encoding="utf-8")
    return load_source(main)


def _projection(source: Source):
    return compute_pluriannuelle(source, entrees_de(), load_budgets(source.context), annees=2)


def test_le_budget_sans_6811_prend_les_dotations_du_registre(tmp_path: Path) -> None:
    assert SANS_6811 != BUDGET_2026
    avec = _projection(_source(tmp_path / "registre", SANS_6811))
    sans = _projection(_source(tmp_path / "sans", SANS_6811, registre=False))
    assert avec.resultats["2027"] == D("-31400.00")
    assert avec.resultats["2028"] == D("-31400.00")
    assert sans.resultats["2027"] == sans.resultats["2028"] == D("-30200.00")
    for annee in ("2027", "2028"):
        colonne = next(a for a in avec.annees if a.exercice.code == annee)
        assert colonne.resultats["6811"] == D("1200.00")
        assert colonne.budget_reconduit == D("-30200.00")  # no cash for the dotation
    assert avec.tresoreries_de_fin == sans.tresoreries_de_fin
    source = _source(tmp_path / "rapport", SANS_6811)
    rapport = pluriannuelle(source, entrees_de(), load_budgets(source.context), annees=2)
    ligne = rapport.partie("compte_de_resultat").ligne("dotations_amortissements_depreciations")
    assert ligne is not None
    assert (ligne.valeurs["n_plus_1"], ligne.valeurs["n_plus_2"]) == (D("1200.00"), D("1200.00"))
    notes = [n for n in rapport.notes if "registre des immobilisations" in n]
    # The 2026 column is the atterrissage: no input forecasts 6811 for May–December, so
    # it gets the register's 900 € of 2026 (test_prevision_atterrissage_dotations).
    assert notes[0].startswith("Exercice 2026 : dotations aux amortissements prévues par")
    assert notes[1:] == [
        f"Exercice {annee} : dotations aux amortissements prévues par le registre des "
        "immobilisations (1\u202f200,00\xa0€, compte 6811), le budget n'ayant pas de ligne "
        "6811 ; charge calculée, sans effet sur la trésorerie."
        for annee in ("2027", "2028")
    ]


def test_une_ligne_6811_du_budget_est_gardee(tmp_path: Path) -> None:
    avec = _projection(_source(tmp_path / "registre", BUDGET_2026))
    sans = _projection(_source(tmp_path / "sans", BUDGET_2026, registre=False))
    futurs = ("2027", "2028")
    assert {code: avec.resultats[code] for code in futurs} == {
        code: sans.resultats[code] for code in futurs
    }
    assert avec.resultats["2027"] == D("-31400.00")  # the budget's own 1 200 on 6811
    assert all(not a.notes for a in avec.annees[1:])
    # 2026 (atterrissage, no forecast input here, not even the budget's): the register's
    # 900 € are added to the actuals' +1 200 €
    assert (sans.resultats["2026"], avec.resultats["2026"]) == (D("1200.00"), D("300.00"))


def test_le_plan_de_tresorerie_ne_paie_pas_les_dotations(tmp_path: Path) -> None:
    """The same cash plan with or without the budget's 6811 line (1 200 €): a dotation
    is never a disbursement (paid, it would add up to 1 200 € of disbursements from May to
    December). Both plans open on 1 May with 11 800 − 3 600 = 8 200 €."""
    soldes = []
    for nom, budget in (("avec", BUDGET_2026), ("sans", SANS_6811)):
        source = _source(tmp_path / nom, budget)
        rapport = plan_de_tresorerie(
            source, charger_entrees(source.context), depuis=datetime.date(2026, 5, 1), mois=8
        )
        totaux = rapport.totaux["base"]
        soldes.append(
            (totaux["solde_initial"], totaux["total_decaissements"], totaux["solde_final"])
        )
    assert soldes[0] == soldes[1]
    assert soldes[0][0] == D("8200.00")
