"""Typed figures of the forecasts (``compute_plan_de_tresorerie``, ``compute_atterrissage``,
``compute_pluriannuelle``) on the ledgers computed by hand of
:mod:`test_tresorerie_calcule_a_la_main` (plan de trésorerie) and
:mod:`test_prevision_fixtures` (« Les Petits Pois »); the builders give the same reports
as the report functions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.chargement import load_livre
from communs_ledger.previsions.atterrissage import (
    atterrissage,
    build_rapport_atterrissage,
    compute_atterrissage,
)
from communs_ledger.previsions.entrees import Entrees, charger_entrees
from communs_ledger.previsions.modele import BASE
from communs_ledger.previsions.plan import (
    build_rapport_plan_de_tresorerie,
    compute_plan_de_tresorerie,
    plan_de_tresorerie,
)
from communs_ledger.previsions.pluriannuelle import (
    build_rapport_pluriannuelle,
    compute_pluriannuelle,
    pluriannuelle,
)
from communs_ledger.rapports.source import Source
from communs_ledger.rendu.en_json import to_dict
from test_prevision_fixtures import CONFIG, CROISSANCE, load_source, write_petits_pois
from test_tresorerie_calcule_a_la_main import write_association

D = Decimal
FEVRIER = datetime.date(2026, 2, 1)


@pytest.fixture(scope="module")
def calcul(tmp_path_factory: pytest.TempPathFactory) -> tuple[Source, Entrees]:
    livre = load_livre(write_association(tmp_path_factory.mktemp("figures") / "asso"))
    assert livre.ok, livre.diagnostics
    source = Source.from_livre(livre)
    entrees = charger_entrees(source.context)
    assert entrees.erreurs == []
    return source, entrees


def test_plan_de_tresorerie_type(calcul: tuple[Source, Entrees]) -> None:
    source, entrees = calcul
    scenarios = [BASE, entrees.scenarios["retard"]]
    plan = compute_plan_de_tresorerie(source, entrees, depuis=FEVRIER, scenarios=scenarios)
    assert plan.mois[0] == (2026, 2) and plan.mois[-1] == (2027, 1)
    assert plan.derniere_ecriture == datetime.date(2026, 3, 31)
    assert plan.periode is not None and plan.periode.debut == datetime.date(2026, 4, 1)
    # threshold: (2 260 + 3 300 + 3 300) / 3, rounded to the cent
    assert plan.seuil.montant == D("2953.33")
    base, retard = plan.scenarios
    assert (base.code, retard.code) == ("base", "retard")
    assert base.solde_initial == D("9740.00")
    assert base.point_bas == D("1640.00") and base.mois_point_bas == (2026, 4)
    assert base.solde_final == D("2925.20")
    assert base.solde_final == base.solde_initial + base.total_encaissements - (
        base.total_decaissements
    )
    assert base.mois_sous_seuil == ((2026, 4), (2027, 1))
    assert retard.point_bas == D("-2318.80") and retard.mois_point_bas == (2026, 11)
    assert retard.mois_sous_seuil == ((2026, 4), (2026, 10), (2026, 11), (2027, 1))
    assert retard.mois_en_danger == ((2026, 11),)  # negative, no overdraft allowed
    assert plan.scenario_le_plus_bas == retard
    assert plan.scenario("base") == base
    assert to_dict(build_rapport_plan_de_tresorerie(plan)) == to_dict(
        plan_de_tresorerie(source, entrees, depuis=FEVRIER, scenarios=scenarios)
    )


@pytest.fixture(scope="module")
def petits_pois(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("figures-petits-pois") / "asso"
    return write_petits_pois(folder, config=CONFIG + CROISSANCE)


def test_atterrissage_type(petits_pois: Path) -> None:
    source = load_source(petits_pois)
    entrees, budgets = charger_entrees(source.context), load_budgets(source.context)
    figures = compute_atterrissage(source, entrees, budgets, "2026")
    assert figures.exercice.code == "2026"
    assert figures.projection.fin_realise == datetime.date(2026, 4, 30)
    # réalisé to 30 April: produits 1 200 + 6 000, charges 3 200 + 2 000 + 800
    assert figures.resultat_realise == D(1200)
    assert figures.valeurs["atterrissage"]["cotisations"] == D(2200)
    assert figures.valeurs["budget"]["cotisations"] == D(1500)
    assert figures.budget is not None and figures.budget.code == "revise"
    rapport = atterrissage(source, entrees, budgets, "2026")
    assert figures.resultat == rapport.totaux["atterrissage"]["resultat"]
    assert figures.resultat_budget == rapport.totaux["budget"]["resultat"]
    assert to_dict(build_rapport_atterrissage(figures, source)) == to_dict(rapport)


def test_pluriannuelle_type(petits_pois: Path) -> None:
    source = load_source(petits_pois)
    entrees, budgets = charger_entrees(source.context), load_budgets(source.context)
    figures = compute_pluriannuelle(source, entrees, budgets, annees=2)
    assert [a.exercice.code for a in figures.annees] == ["2026", "2027", "2028"]
    assert figures.nombre == 2
    courant = figures.annees[0]
    # the current exercice opens on the bank at 30 April 2026 (11 800 €)
    assert courant.tresorerie_debut == D(11800)
    for previous, annee in zip(figures.annees, figures.annees[1:], strict=False):
        assert annee.tresorerie_debut == previous.tresorerie_fin
    rapport = pluriannuelle(source, entrees, budgets, annees=2)
    assert figures.resultats == {
        a.exercice.code: rapport.totaux[a.id]["resultat"] for a in figures.annees
    }
    assert figures.tresoreries_de_fin["2028"] == rapport.totaux["n_plus_2"]["tresorerie_fin"]
    assert to_dict(build_rapport_pluriannuelle(figures, source, entrees)) == to_dict(rapport)
