"""``communs prevision resultat`` and ``communs prevision versements``: the figures of the
dashboard's result card (which end-of-exercice result is retained) and of its list of
subsidy instalments expected, as core functions with a command line face.

Ledger « Les Petits Pois » of :mod:`test_prevision_fixtures` (budget 2026 only, last
actual entry on 30 April 2026, no conventions file), and the example association."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.budget.rapport_suivi import budget_vs_realise
from communs_ledger.previsions.atterrissage import atterrissage
from communs_ledger.previsions.entrees import charger_entrees
from communs_ledger.previsions.resultat_projete import (
    ATTERRISSAGE,
    PROJECTION_DU_BUDGET,
    RESULTAT,
    build_rapport_resultat_projete,
    resultat_projete,
)
from communs_ledger.previsions.versements import (
    debut_des_versements,
    versements_attendus,
)
from communs_ledger.rendu import Format, render
from test_prevision_fixtures import CONFIG, load_source, write_petits_pois

D = Decimal


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("prevision-resultat") / "asso"
    return write_petits_pois(folder, config=CONFIG)


def _json(communs: Callable[..., Any], *args: str) -> dict[str, Any]:
    result = communs("prevision", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_resultat_projete_avec_budget_sans_fichier_de_previsions(ledger: Path) -> None:
    source = load_source(ledger)
    entrees, budgets = charger_entrees(source.context), load_budgets(source.context)
    exercice = source.exercice("2026")
    resultats = resultat_projete(source, budgets, entrees, exercice)
    # réalisé to 30 April 2026: produits 7 200 − charges 6 000
    assert resultats.au == datetime.date(2026, 4, 30)
    assert resultats.resultat_a_date == D(1200)
    assert resultats.sans_budget is None
    budget = budget_vs_realise(source, budgets, exercice).totaux
    assert resultats.budget_a_date == budget["budget_a_date"]["resultat"]
    assert resultats.projection_du_budget == budget["projection"]["resultat"]
    # no payroll, conventions or flows file declared: no atterrissage, the projection
    # du budget is the end-of-exercice result
    assert not entrees.fichiers and resultats.atterrissage is None
    assert resultats.retenu == PROJECTION_DU_BUDGET
    assert resultats.resultat_de_fin == resultats.projection_du_budget
    assert list(resultats.rapports) == ["budget"]


def test_resultat_projete_de_l_exemple(communs: Callable[..., Any], copie_exemple: Path) -> None:
    source = load_source(copie_exemple / "main.beancount")
    entrees, budgets = charger_entrees(source.context), load_budgets(source.context)
    resultats = resultat_projete(source, budgets, entrees, source.exercice("2026"))
    attendu = atterrissage(source, entrees, budgets, "2026").totaux["atterrissage"]["resultat"]
    assert resultats.atterrissage == attendu == D("-8772.15")
    assert resultats.projection_du_budget == D("-4037.73")
    assert resultats.retenu == ATTERRISSAGE and resultats.resultat_de_fin == attendu
    assert list(resultats.rapports) == ["budget", "atterrissage"]
    data = _json(communs, "resultat")
    assert data["totaux"]["resultat_de_fin"] == "-8772.15"
    assert data["meta"]["retenu"] == "atterrissage"


def test_resultat_projete_sans_budget(ledger: Path) -> None:
    source = load_source(ledger)
    entrees, budgets = charger_entrees(source.context), load_budgets(source.context)
    resultats = resultat_projete(source, budgets, entrees, source.exercice("2025"))
    # 2025: cotisations 900 − fournitures 300; no budget 2025
    assert resultats.resultat_a_date == D(600)
    assert resultats.retenu == RESULTAT and resultats.resultat_de_fin == D(600)
    assert resultats.sans_budget is not None and "2025" in resultats.sans_budget
    assert resultats.projection_du_budget is None and resultats.atterrissage is None
    assert list(resultats.rapports) == ["compte_de_resultat"]


def test_cli_resultat_egale_le_moteur(communs: Callable[..., Any], ledger: Path) -> None:
    source = load_source(ledger)
    entrees, budgets = charger_entrees(source.context), load_budgets(source.context)
    for code in ("2025", "2026"):
        data = _json(communs, "resultat", "-f", str(ledger), "--exercice", code)
        resultats = resultat_projete(source, budgets, entrees, source.exercice(code))
        engine = build_rapport_resultat_projete(resultats, source.association)
        assert data == json.loads(render(engine, Format.json))
        assert data["totaux"]["resultat_de_fin"] == str(resultats.resultat_de_fin)
    assert data["meta"]["retenu"] == "projection_du_budget"


def test_cli_resultat_exercice_inconnu(communs: Callable[..., Any], ledger: Path) -> None:
    result = communs("prevision", "resultat", "-f", str(ledger), "--exercice", "2031")
    assert result.exit_code == 1
    assert "exercice « 2031 » inconnu" in result.output


def test_versements_sans_conventions(communs: Callable[..., Any], ledger: Path) -> None:
    source = load_source(ledger)
    debut = debut_des_versements(source, datetime.date(2030, 1, 1))
    assert debut == datetime.date(2026, 5, 1)  # the day after the last actual entry
    assert versements_attendus(source, charger_entrees(source.context), debut) is None
    data = _json(communs, "versements", "-f", str(ledger))
    assert data["parties"][0]["lignes"] == []
    assert "Aucun fichier de conventions déclaré" in data["notes"][0]


def test_versements_de_l_exemple(communs: Callable[..., Any], copie_exemple: Path) -> None:
    data = _json(communs, "versements")
    lignes = data["parties"][0]["lignes"]
    # last entry on 19 November 2026: from 20 November, 365 days
    assert data["periode"] == {"debut": "2026-11-20", "fin": "2027-11-19"}
    assert lignes[0]["valeurs"] == {
        "date": "2026-12-10",
        "financeur": "Organismes sociaux",
        "montant": "8500.00",
    }
    assert lignes[-1]["id"] == "total"
    total = sum(D(ligne["valeurs"]["montant"]) for ligne in lignes[:-1])
    assert data["totaux"]["total"] == str(total) == "144820.00"
    court = _json(communs, "versements", "--jours", "30")
    assert [ligne["valeurs"]["montant"] for ligne in court["parties"][0]["lignes"]] == [
        "8500.00",
        "27000.00",
        "35500.00",
    ]


def test_versements_jours_hors_limites(communs: Callable[..., Any], ledger: Path) -> None:
    result = communs("prevision", "versements", "-f", str(ledger), "--jours", "0")
    assert result.exit_code == 2
    assert "--jours 0" in result.output
