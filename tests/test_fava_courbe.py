"""The Trésorerie page's curve: the months before the plan come from a plan of actual
months only, the forecasts from the plan shown in the table (computed once), and the
result is the curve of one plan covering both."""

from __future__ import annotations

import datetime

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.fava_ext.graphiques import courbe_de_tresorerie
from communs_ledger.previsions.entrees import charger_entrees
from communs_ledger.previsions.plan import plan_de_tresorerie
from communs_ledger.rapports.source import Source
from conftest import EXEMPLE


@pytest.fixture(scope="module")
def exemple():
    livre = load_livre(EXEMPLE)
    return Source.from_livre(livre), charger_entrees(livre.context)


@pytest.mark.parametrize("codes", [["base"], ["base", "pessimiste", "fin-cuisine"]])
def test_historique_puis_plan_egale_un_seul_plan(exemple, codes: list[str]) -> None:
    source, entrees = exemple
    scenarios = [entrees.scenario(code) for code in codes]
    plan = plan_de_tresorerie(source, entrees, mois=6, scenarios=scenarios)
    debut = datetime.date(2025, 11, 1)  # twelve months before November 2026
    historique = plan_de_tresorerie(source, entrees, depuis=debut, mois=12)
    assert set(historique.meta["mois"].values()) == {"réalisé"}  # no forecast computed
    seul = plan_de_tresorerie(source, entrees, depuis=debut, mois=18, scenarios=scenarios)
    assert courbe_de_tresorerie(plan, historique) == courbe_de_tresorerie(seul)
    points = courbe_de_tresorerie(plan, historique)["data"]
    assert len(points) == 18
    # the forecast lines start on the last actual month (31 October 2026), joined
    october = points[11]
    assert october["date"] == datetime.date(2026, 10, 31)
    assert {k for k in october["balance"] if k.startswith("Prévision")} == {
        f"Prévision — {s.libelle}" for s in scenarios
    }


def test_sans_historique(exemple) -> None:
    source, entrees = exemple
    plan = plan_de_tresorerie(source, entrees, mois=3)
    assert courbe_de_tresorerie(plan, None) == courbe_de_tresorerie(plan)
