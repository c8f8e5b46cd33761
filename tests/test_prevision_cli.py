"""``communs prevision atterrissage`` and ``communs prevision pluriannuelle`` through the
command line, on the ledger « Les Petits Pois » of :mod:`test_prevision_fixtures` (last
actual entry 30 April 2026; budget 2026 ``vote`` then ``revise``; growth: charges 2 %,
produits 1,5 %, 6132 3 %).

Its config declares no payroll, convention nor flow: the forecast of the rest of 2026
(1 May – 31 December, 8 months of 12) is the rest of the budget in force (``revise``,
uniform): 641 24 000 × 8/12 = 16 000, 645 9 600 × 8/12 = 6 400, 6811 1 200 × 8/12 = 800,
7411 12 000 × 8/12 = 8 000, 756 1 500 × 8/12 = 1 000 (6132 and the heading 60 too).

Atterrissage 2026 (actuals to 30 April + forecast): cotisations 1 200 + 1 000 = 2 200
against a budget of 1 500 (écart 700, 46,7 %); salaires 2 000 + 16 000 = 18 000 against
24 000; concours publics 6 000 + 8 000 = 14 000.

Pluriannuelle: 2027 is the budget ``revise`` grown once: 756 1 500 × 1,015 = 1 522,50;
7411 12 000 × 1,015 = 12 180; 641 24 000 × 1,02 = 24 480; 6132 9 600 × 1,03 = 9 888 and
60 500 × 1,02 = 510 (autres achats 10 398). Cash: end of 2026 = 11 800 + the rest of the
budget's cash (produits 9 000 − charges without the 800 of amortissements); 2027 = end of
2026 + produits 13 702,50 − charges without 6811 (45 894 − 1 224).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.previsions.atterrissage import atterrissage
from communs_ledger.previsions.entrees import charger_entrees
from communs_ledger.previsions.pluriannuelle import pluriannuelle
from communs_ledger.rendu import Format, render
from conftest import one_line, run_communs
from test_prevision_fixtures import CONFIG, CROISSANCE, load_source, write_petits_pois

D = Decimal


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("prevision-cli") / "asso"
    return write_petits_pois(folder, config=CONFIG + CROISSANCE)


def _json(communs: Callable[..., Any], ledger: Path, *args: str) -> dict[str, Any]:
    result = communs("prevision", *args, "-f", str(ledger), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _valeurs(data: dict[str, Any], partie: str, ligne: str) -> dict[str, str]:
    found = next(p for p in data["parties"] if p["id"] == partie)
    return next(r for r in found["lignes"] if r["id"] == ligne)["valeurs"]


# --- atterrissage -------------------------------------------------------------------------------


def test_atterrissage_egal_au_moteur(communs: Callable[..., Any], ledger: Path) -> None:
    data = _json(communs, ledger, "atterrissage")
    source = load_source(ledger)
    engine = atterrissage(
        source, charger_entrees(source.context), load_budgets(source.context), None
    )
    assert data == json.loads(render(engine, Format.json))


def test_atterrissage_chiffres_a_la_main(communs: Callable[..., Any], ledger: Path) -> None:
    data = _json(communs, ledger, "atterrissage", "--exercice", "2026")
    assert data["exercice"] == "2026"
    assert data["meta"]["version_budget"] == "revise"
    assert (data["meta"]["fin_realise"], data["meta"]["debut_prevision"]) == (
        "2026-04-30",
        "2026-05-01",
    )
    cotisations = _valeurs(data, "atterrissage", "cotisations")
    assert {k: cotisations[k] for k in ("realise", "prevision", "atterrissage", "budget")} == {
        "realise": "1200.00",
        "prevision": "1000.00",
        "atterrissage": "2200.00",
        "budget": "1500.00",
    }
    assert cotisations["ecart"] == "700.00"
    salaires = _valeurs(data, "atterrissage", "salaires_traitements")
    assert (salaires["realise"], salaires["prevision"], salaires["atterrissage"]) == (
        "2000.00",
        "16000.00",
        "18000.00",
    )
    assert salaires["budget"] == "24000.00" and salaires["ecart"] == "-6000.00"
    subventions = _valeurs(data, "atterrissage", "concours_publics_subventions")
    assert subventions["atterrissage"] == "14000.00"
    charges_sociales = _valeurs(data, "atterrissage", "charges_sociales")
    assert charges_sociales["prevision"] == "6400.00"
    # the version compared is the latest by default; --version picks another one
    vote = _json(communs, ledger, "atterrissage", "--version", "vote")
    assert _valeurs(vote, "atterrissage", "cotisations")["budget"] == "1000.00"
    assert vote["meta"]["version_budget"] == "vote"


def test_atterrissage_d_un_exercice_clos(communs: Callable[..., Any], ledger: Path) -> None:
    data = _json(communs, ledger, "atterrissage", "--exercice", "2025")
    cotisations = _valeurs(data, "atterrissage", "cotisations")
    # 2025 is over: the actuals (900 € of cotisations) are the atterrissage
    assert (cotisations["realise"], cotisations["prevision"], cotisations["atterrissage"]) == (
        "900.00",
        "0.00",
        "900.00",
    )
    assert data["totaux"]["resultat"] == "600.00"


@pytest.mark.parametrize("exercice", ["2031", "abc", "1999"])
def test_atterrissage_exercice_inconnu(
    communs: Callable[..., Any], ledger: Path, exercice: str
) -> None:
    result = communs("prevision", "atterrissage", "-f", str(ledger), "--exercice", exercice)
    assert result.exit_code == 1
    assert f"exercice « {exercice} » inconnu" in one_line(result.output)


def test_scenario_inconnu(communs: Callable[..., Any], ledger: Path) -> None:
    for commande in ("atterrissage", "pluriannuelle"):
        result = communs("prevision", commande, "-f", str(ledger), "--scenario", "noir")
        assert result.exit_code == 1, commande
        assert "scénario « noir » inconnu : scénarios déclarés : base" in one_line(result.output)


# --- pluriannuelle ------------------------------------------------------------------------------


def test_pluriannuelle_egale_au_moteur(communs: Callable[..., Any], ledger: Path) -> None:
    data = _json(communs, ledger, "pluriannuelle", "--annees", "2")
    source = load_source(ledger)
    engine = pluriannuelle(
        source, charger_entrees(source.context), load_budgets(source.context), annees=2
    )
    assert data == json.loads(render(engine, Format.json))


def test_pluriannuelle_chiffres_a_la_main(communs: Callable[..., Any], ledger: Path) -> None:
    data = _json(communs, ledger, "pluriannuelle", "--annees", "2")
    partie = next(p for p in data["parties"] if p["id"] != "tresorerie")
    colonnes = [c["id"] for c in partie["colonnes"]]
    assert len(colonnes) == 3
    n1 = colonnes[1]

    def ligne(id_: str) -> dict[str, str]:
        return next(r for r in partie["lignes"] if r["id"] == id_)["valeurs"]

    assert ligne("cotisations")[n1] == "1522.50"
    assert ligne("concours_publics_subventions")[n1] == "12180.00"
    assert ligne("salaires_traitements")[n1] == "24480.00"
    assert ligne("autres_achats_charges_externes")[n1] == "10398.00"
    assert ligne("cotisations")[colonnes[0]] == "2200.00"  # the atterrissage of 2026


def test_pluriannuelle_tresorerie_de_fin(communs: Callable[..., Any], ledger: Path) -> None:
    data = _json(communs, ledger, "pluriannuelle", "--annees", "2")
    graph = data["graphiques"]
    assert graph
    fin = [
        row
        for partie in data["parties"]
        for row in partie["lignes"]
        if row["id"] == "tresorerie_fin"
    ]
    (row,) = fin
    values = list(row["valeurs"].values())
    # 2026: 11 800 + 9 000 − (29 933,32 − 800); 2027: − 30 967,50 (13 702,50 − 44 670)
    end_2026 = D("11800") + D("9000") - (D("29933.32") - D("800"))
    assert D(values[0]) == end_2026 == D("-8333.32")
    assert D(values[1]) == end_2026 + D("13702.50") - (D("45894") - D("1224"))


@pytest.mark.parametrize("annees", ["1", "10"])
def test_annees_aux_bornes(communs: Callable[..., Any], ledger: Path, annees: str) -> None:
    data = _json(communs, ledger, "pluriannuelle", "--annees", annees)
    partie = data["parties"][0]
    assert len(partie["colonnes"]) == int(annees) + 1


@pytest.mark.parametrize("annees", ["0", "11", "-1"])
def test_annees_hors_bornes(communs: Callable[..., Any], ledger: Path, annees: str) -> None:
    result = communs("prevision", "pluriannuelle", "-f", str(ledger), "--annees", annees)
    assert result.exit_code == 2
    assert f"--annees {annees} : nombre d'exercices attendu de 1 à 10" in one_line(result.output)


def test_annees_non_numerique(communs: Callable[..., Any], ledger: Path) -> None:
    result = communs("prevision", "pluriannuelle", "-f", str(ledger), "--annees", "trois")
    assert result.exit_code == 2
    assert "valeur invalide pour '--annees'" in one_line(result.output)


def test_sous_processus(ledger: Path) -> None:
    done = run_communs("prevision", "atterrissage", "-f", str(ledger), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totaux"]["resultat"] == "-19733.32"
    refused = run_communs("prevision", "atterrissage", "-f", str(ledger), "--exercice", "2031")
    assert refused.returncode == 1
    assert "exercice « 2031 » inconnu" in one_line(refused.stderr)
