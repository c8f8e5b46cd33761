"""``previsions.pluriannuelle`` on the small association of ``test_prevision_fixtures``,
figures by hand. Growth: charges 2 %, produits 1,5 %, 6132 3 % a year.

Inputs (fakes): a post (6411 2 000 €/month in 2026, 2 100 € from 2027, 645 40 %, contract
ending 30 June 2027, aid 7412 1 000 €/month ending 31 December 2026, all paid at month
end), a loan (500 € principal + 50 € interest 661 each month end until 2028), an open
receivable of 3 000 € settled on the first forecast day. They cover 6411, 645, 7412,
661: the budget lines 641 and 645 are replaced.

2026 (atterrissage): actuals (produits 7 200, charges 6 000) + May–December: 6411
16 000, 645 6 400, 7412 8 000, 661 400 → produits 15 200, charges 28 800, résultat
−13 600. Cash: 11 800 at 30 April + paie 8 × (−2 800 + 1 000) − loan 8 × 550 + 3 000
= −4 000.

2027 (budget ``revise`` 2026 grown once): 6132 9 888, 6811 1 224, 60 510, 7411 12 180,
756 1 522,50; inputs 6411 12 600, 645 5 040, 661 600 → produits 13 702,50, charges
29 862, résultat −16 159,50. Cash: −4 000 − 6 × 2 940 − 12 × 550 + (13 702,50 − 9 888
− 510) = −24 935,50 (6811 has no cash).

2028 (grown twice): 6132 10 184,64, 6811 1 248,48, 60 520,20, 7411 12 362,70, 756
1 545,3375; 661 600 → produits 13 908,0375, charges 12 553,32, résultat 1 354,7175.
Cash: −24 935,50 − 6 600 + 3 203,1975 = −28 332,3025.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.previsions.budget_restant import BudgetRestant
from communs_ledger.previsions.modele import BASE
from communs_ledger.previsions.plan import plan_de_tresorerie
from communs_ledger.previsions.pluriannuelle import (
    TRESORERIE_FIN,
    facteur,
    pluriannuelle,
    taux_de_croissance,
)
from communs_ledger.rapports.objets import Rapport
from communs_ledger.rapports.source import RapportImpossible, Source
from communs_ledger.rendu import Format, render
from test_prevision_fixtures import (
    CONFIG,
    CROISSANCE,
    FausseCreance,
    FausseEmprunt,
    FaussePaie,
    entrees_de,
    load_source,
    write_petits_pois,
)

D = Decimal
COLUMNS = ("atterrissage", "n_plus_1", "n_plus_2")


@pytest.fixture
def source(ledger_dir: Path) -> Source:
    return load_source(write_petits_pois(ledger_dir, config=CONFIG + CROISSANCE))


def _entrees():
    return entrees_de(FaussePaie(), FausseEmprunt(), FausseCreance())


def _report(source: Source, annees: int = 2, entrees=None) -> Rapport:
    return pluriannuelle(source, entrees or _entrees(), load_budgets(source.context), annees=annees)


def _line(rapport: Rapport, partie: str, id_: str) -> tuple:
    row = rapport.partie(partie).ligne(id_)
    assert row is not None, id_
    return tuple(row.valeurs[c] for c in COLUMNS)


def test_growth_rates(source: Source) -> None:
    croissance = source.context.config.data.previsions.croissance
    assert taux_de_croissance(croissance, "6132") == D(3)
    assert taux_de_croissance(croissance, "61321") == D(3)  # longest prefix
    assert taux_de_croissance(croissance, "6135") == D(2)
    assert taux_de_croissance(croissance, "756") == D("1.5")
    assert facteur(croissance, "6132", 2) == D("1.0609")
    assert facteur(croissance, "7411", 0) == 1


def test_result_by_line_and_year(source: Source) -> None:
    rapport = _report(source)
    assert [c.libelle for c in rapport.partie("compte_de_resultat").colonnes] == [
        "2026 (atterrissage)",
        "2027",
        "2028",
    ]
    part = "compte_de_resultat"
    assert _line(rapport, part, "autres_achats_charges_externes") == (
        D(3200),
        D(10398),
        D("10704.84"),
    )
    # the contract ends on 30 June 2027
    assert _line(rapport, part, "salaires_traitements") == (D(18000), D(12600), D(0))
    assert _line(rapport, part, "charges_sociales") == (D(7200), D(5040), D(0))
    assert _line(rapport, part, "dotations_amortissements_depreciations") == (
        D(0),
        D(1224),
        D("1248.48"),
    )
    assert _line(rapport, part, "cf_interets") == (D(400), D(600), D(600))
    # carried-over lines are rounded to the cent: 1 500 × 1,015² = 1 545,3375 → 1 545,34
    assert _line(rapport, part, "cotisations") == (D(1200), D("1522.5"), D("1545.34"))
    # the aid (8 000 € in 2026) ends with 2026
    assert _line(rapport, part, "concours_publics_subventions") == (
        D(14000),
        D(12180),
        D("12362.7"),
    )
    assert _line(rapport, part, "resultat") == (
        D(-13600),
        D("-16159.5"),
        D("1354.72"),
    )
    assert rapport.totaux["n_plus_2"]["total_charges"] == D("12553.32")
    # lines without any amount are left out
    assert rapport.partie(part).ligne("achats_marchandises") is None
    assert rapport.partie(part).ligne("total_produits_exceptionnels") is not None


def test_year_end_cash(source: Source) -> None:
    rapport = _report(source)
    part = "tresorerie"
    assert _line(rapport, part, "tresorerie_debut") == (D(11800), D(-4000), D("-24935.5"))
    assert _line(rapport, part, "flux_entrees") == (D(-15800), D(-24240), D(-6600))
    assert _line(rapport, part, "budget_reconduit") == (D(0), D("3304.5"), D("3203.20"))
    assert _line(rapport, part, TRESORERIE_FIN) == (
        D(-4000),
        D("-24935.5"),
        D("-28332.30"),
    )
    assert rapport.totaux["n_plus_1"][TRESORERIE_FIN] == D("-24935.5")


def test_chart_of_result_and_cash(source: Source) -> None:
    (graphique,) = _report(source).graphiques
    assert graphique.genre == "barres"
    assert graphique.categories == ("2026 (atterrissage)", "2027", "2028")
    assert [serie.nom for serie in graphique.series] == [
        "Excédent ou déficit",
        "Trésorerie de fin d'exercice",
    ]
    assert graphique.series[0].valeurs == (D(-13600), D("-16159.5"), D("1354.72"))
    assert graphique.series[1].valeurs == (D(-4000), D("-24935.5"), D("-28332.30"))


def test_the_current_year_ends_on_the_cash_plan(source: Source) -> None:
    """Year-end cash of the current exercice = the plan de trésorerie's closing balance
    in December (April to December: 9 months)."""
    entrees = _entrees()
    plan = plan_de_tresorerie(source, entrees, mois=9, scenarios=[BASE])
    assert plan.totaux["base"]["solde_final"] == D(-4000)
    rapport = _report(source, entrees=entrees)
    assert rapport.totaux["atterrissage"][TRESORERIE_FIN] == plan.totaux["base"]["solde_final"]


def test_without_growth_rates_the_budget_is_carried_as_is(ledger_dir: Path) -> None:
    source = load_source(write_petits_pois(ledger_dir))
    rapport = _report(source)
    assert _line(rapport, "compte_de_resultat", "cotisations")[1:] == (D(1500), D(1500))
    assert any("Aucun taux de croissance configuré" in note for note in rapport.notes)


def test_without_any_input_the_whole_budget_is_carried(ledger_dir: Path) -> None:
    source = load_source(write_petits_pois(ledger_dir))
    rapport = _report(source, annees=1, entrees=entrees_de())
    values = rapport.partie("compte_de_resultat").ligne("resultat").valeurs
    assert values["n_plus_1"] == D(13500) - D(44900)
    # no input: the current exercice is its actuals, the next one the budget
    assert values["atterrissage"] == D(1200)


def test_the_rest_of_the_budget_is_not_counted_again(ledger_dir: Path) -> None:
    """With a budget for 2027 too, the rest-of-budget input (which would forecast it) is
    left out of the following years: they take the 2027 budget once."""
    budget_2027 = (
        "versions:\n"
        "  - {code: vote, nom: BP, date: 2026-12-01, lignes: [{compte: '756', montant: 2000}]}\n"
    )
    path = write_petits_pois(ledger_dir, config=CONFIG + '    "2027": budgets/2027.yaml\n')
    (ledger_dir / "budgets" / "2027.yaml").write_text(budget_2027, encoding="utf-8")
    source = load_source(path)
    entrees = entrees_de(BudgetRestant(set()))
    rapport = _report(source, annees=2, entrees=entrees)
    assert _line(rapport, "compte_de_resultat", "cotisations")[1:] == (D(2000), D(2000))


def test_bad_arguments(source: Source) -> None:
    with pytest.raises(RapportImpossible, match="entre 1 et 10"):
        _report(source, annees=0)
    with pytest.raises(RapportImpossible, match="scénario « noir » inconnu"):
        pluriannuelle(source, _entrees(), load_budgets(source.context), scenario="noir")


@pytest.mark.parametrize("format", list(Format))
def test_every_format(source: Source, format: Format) -> None:
    data = render(_report(source), format)
    assert data
    if format is Format.json:
        document = json.loads(data)
        assert document["totaux_par_colonne"]["n_plus_2"]["tresorerie_fin"] == "-28332.30"
        assert document["totaux"]["resultat"] == "-13600.00"


def test_a_year_without_budget_is_flagged(ledger_dir: Path) -> None:
    source = load_source(write_petits_pois(ledger_dir, budget=None, config="{}\n"))
    rapport = _report(source, annees=1)
    assert any("Aucun budget pour l'exercice 2027" in w for w in rapport.avertissements)
    assert rapport.partie("tresorerie").ligne(TRESORERIE_FIN).valeurs["n_plus_1"] == (
        D(-4000) - 6 * D(2940) - 12 * D(550)
    )
    assert rapport.meta["exercices"] == ["2026", "2027"]
    assert rapport.periode == (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
