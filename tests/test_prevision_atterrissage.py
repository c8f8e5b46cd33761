"""``previsions.atterrissage``: actuals to 30 April 2026 + fake forecasts for 1 May –
31 December, by line of the compte de résultat, against the budget (figures by hand;
the ledger and budget are described in ``test_prevision_fixtures``).

Forecast May–December: loyer 6132 800 €/month (6 400), salaries 6411 2 000 €/month
(16 000), 645 800 €/month (6 400), Région 7411 4 000 € on 30 September (an item dated
2027 is returned too and must be left out).

Atterrissage: autres achats et charges externes 3 200 + 6 400 = 9 600; salaires
2 000 + 16 000 = 18 000; charges sociales 800 + 6 400 = 7 200; cotisations 1 200;
concours publics 6 000 + 4 000 = 10 000 → produits 11 200, charges 34 800, résultat
−23 600.

Budget ``revise`` (latest): autres achats 9 600 + 500 (line on the heading 60) = 10 100;
salaires 24 000; charges sociales 9 600; dotations 1 200; cotisations 1 500; concours
12 000 → produits 13 500, charges 44 900, résultat −31 400.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.previsions.atterrissage import (
    ATTERRISSAGE,
    BUDGET,
    ECART,
    ECART_PCT,
    PREVISION,
    REALISE,
    atterrissage,
    periode_restante,
)
from communs_ledger.previsions.modele import Periode, ResultatPrevu, Scenario
from communs_ledger.rapports.objets import Rapport
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.source import RapportImpossible, Source
from communs_ledger.rendu import Format, render
from test_prevision_fixtures import (
    Fixe,
    entrees_de,
    load_source,
    months,
    write_petits_pois,
)

D = Decimal
MAI, DECEMBRE = datetime.date(2026, 5, 1), datetime.date(2026, 12, 31)


def _fakes():
    month_ends = months(MAI, DECEMBRE)
    loyer = Fixe(
        "loyer",
        [ResultatPrevu(day, "6132", D(800), "Loyer", "flux:loyer") for day in month_ends],
        couverts={"6132"},
    )
    paie = Fixe(
        "paie",
        [ResultatPrevu(day, "6411", D(2000), "Salaire", "paie:coord") for day in month_ends]
        + [ResultatPrevu(day, "645", D(800), "Charges", "paie:coord") for day in month_ends],
        couverts={"6411", "645"},
    )
    region = Fixe(
        "REG",
        [
            ResultatPrevu(datetime.date(2026, 9, 30), "7411", D(4000), "Région", "convention:REG"),
            ResultatPrevu(datetime.date(2027, 1, 15), "7411", D(999), "Hors période", "x"),
        ],
        hors_periode=True,
    )
    pessimiste = Scenario("pessimiste", "Région −50 %", conventions={"REG": {"facteur": "0.5"}})
    return entrees_de(loyer, paie, region, scenarios={"pessimiste": pessimiste})


@pytest.fixture
def source(ledger_dir: Path) -> Source:
    return load_source(write_petits_pois(ledger_dir))


def _report(source: Source, exercice: str | None = None, **options) -> Rapport:
    return atterrissage(source, _fakes(), load_budgets(source.context), exercice, **options)


def _row(rapport: Rapport, id_: str) -> dict:
    row = rapport.partie("atterrissage").ligne(id_)
    assert row is not None, id_
    return row.valeurs


def test_the_forecast_period_is_the_rest_of_the_exercice(source: Source) -> None:
    assert periode_restante(source, source.exercice("2026")) == Periode(MAI, DECEMBRE)
    assert periode_restante(source, source.exercice("2025")) is None


def test_lines_add_actuals_and_forecasts(source: Source) -> None:
    rapport = _report(source)
    expected = {
        "autres_achats_charges_externes": (3200, 6400, 9600),
        "salaires_traitements": (2000, 16000, 18000),
        "charges_sociales": (800, 6400, 7200),
        "cotisations": (1200, 0, 1200),
        "concours_publics_subventions": (6000, 4000, 10000),
        "total_produits_exploitation": (7200, 4000, 11200),
        "total_charges_exploitation": (6000, 28800, 34800),
        "resultat_exploitation": (1200, -24800, -23600),
        "resultat": (1200, -24800, -23600),
    }
    for id_, (realise, prevision, atterri) in expected.items():
        values = _row(rapport, id_)
        assert (values[REALISE], values[PREVISION], values[ATTERRISSAGE]) == (
            D(realise),
            D(prevision),
            D(atterri),
        ), id_
    assert rapport.totaux[ATTERRISSAGE]["resultat"] == D(-23600)
    assert rapport.meta["fin_realise"] == datetime.date(2026, 4, 30)
    assert rapport.meta["debut_prevision"] == MAI


def test_the_actuals_are_the_compte_de_resultat_to_date(source: Source) -> None:
    rapport = _report(source)
    statement = compte_de_resultat(source, source.exercice("2026"), n1=False)
    for row in statement.partie("compte_de_resultat").lignes:
        if row.valeurs:
            assert _row(rapport, row.id)[REALISE] == row.valeurs["n"], row.id


def test_budget_columns_and_gaps(source: Source) -> None:
    rapport = _report(source)
    expected = {
        "autres_achats_charges_externes": (10100, -500),
        "salaires_traitements": (24000, -6000),
        "charges_sociales": (9600, -2400),
        "dotations_amortissements_depreciations": (1200, -1200),
        "cotisations": (1500, -300),
        "concours_publics_subventions": (12000, -2000),
        "total_charges_exploitation": (44900, -10100),
        "total_produits_exploitation": (13500, -2300),
        "resultat": (-31400, 7800),
    }
    for id_, (budget, ecart) in expected.items():
        values = _row(rapport, id_)
        assert (values[BUDGET], values[ECART]) == (D(budget), D(ecart)), id_
        assert values[ECART_PCT] == D(ecart) / abs(D(budget)), id_
    assert _row(rapport, "cotisations")[ECART_PCT] == D(-300) / D(1500)
    assert _row(rapport, "resultat")[ECART_PCT] == D(7800) / D(31400)
    assert _row(rapport, "achats_marchandises")[ECART_PCT] is None  # no budget: no %
    assert rapport.totaux[BUDGET]["resultat"] == D(-31400)
    assert set(rapport.totaux) == {ATTERRISSAGE, BUDGET}
    assert rapport.meta["version_budget"] == "revise"
    assert any("60 → Autres achats et charges externes" in note for note in rapport.notes)


def test_an_older_version_of_the_budget(source: Source) -> None:
    rapport = _report(source, version="vote")
    assert _row(rapport, "cotisations")[BUDGET] == D(1000)
    assert _row(rapport, "cotisations")[ECART] == D(200)
    assert _row(rapport, "cotisations")[ECART_PCT] == D("0.2")
    assert _row(rapport, "resultat")[BUDGET] == D(-31900)


def test_unknown_version_scenario_or_exercice_are_refused(source: Source) -> None:
    with pytest.raises(RapportImpossible, match="version « nouvelle » inconnue"):
        _report(source, version="nouvelle")
    with pytest.raises(RapportImpossible, match=r"scénario « noir » inconnu.*base, pessimiste"):
        _report(source, scenario="noir")
    with pytest.raises(RapportImpossible, match="exercice « 2031 » inconnu"):
        _report(source, "2031")
    with pytest.raises(RapportImpossible, match="aucun budget pour l'exercice 2025"):
        _report(source, "2025", version="vote")


def test_a_scenario_changes_the_forecast(source: Source) -> None:
    rapport = _report(source, scenario="pessimiste")
    assert _row(rapport, "concours_publics_subventions")[PREVISION] == D(2000)
    assert _row(rapport, "resultat")[ATTERRISSAGE] == D(-25600)
    assert rapport.meta["scenario"] == "pessimiste"


def test_a_closed_exercice_lands_on_its_actuals(source: Source) -> None:
    rapport = _report(source, "2025")
    assert _row(rapport, "cotisations")[REALISE] == D(900)
    assert _row(rapport, "autres_achats_charges_externes")[ATTERRISSAGE] == D(300)
    for row in rapport.partie("atterrissage").lignes:
        if row.valeurs:
            assert row.valeurs[PREVISION] == 0, row.id
            assert row.valeurs[ATTERRISSAGE] == row.valeurs[REALISE], row.id
    assert rapport.meta["exercice_clos"] is True
    assert rapport.totaux == {ATTERRISSAGE: rapport.totaux[ATTERRISSAGE]}  # no budget
    assert rapport.totaux[ATTERRISSAGE]["resultat"] == D(600)
    assert [c.id for c in rapport.partie("atterrissage").colonnes] == [
        REALISE,
        PREVISION,
        ATTERRISSAGE,
    ]
    assert any("aucune prévision, l'atterrissage est le réalisé" in n for n in rapport.notes)
    assert any("Aucun budget pour l'exercice 2025" in n for n in rapport.notes)


def test_forecast_by_input(source: Source) -> None:
    partie = _report(source).partie("prevision_par_origine")
    rows = {row.id: row.valeurs for row in partie.lignes}
    assert rows["origine:paie:coord"] == {
        "charges": D(22400),
        "produits": D(0),
        "solde": D(-22400),
    }
    assert rows["origine:convention:REG"]["produits"] == D(4000)
    assert "origine:x" not in rows  # dated 2027
    assert rows["total_prevision"]["solde"] == D(-24800)


@pytest.mark.parametrize("format", list(Format))
def test_every_format(source: Source, format: Format) -> None:
    data = render(_report(source), format)
    assert data
    if format is Format.json:
        document = json.loads(data)
        assert document["totaux"]["resultat"] == "-23600.00"
        assert document["totaux_par_colonne"]["budget"]["resultat"] == "-31400.00"
