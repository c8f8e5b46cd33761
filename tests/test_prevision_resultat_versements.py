"""``communs prevision resultat`` and ``communs prevision versements``: the figures of the
dashboard's result card (which end-of-exercice result is retained) and of its list of
subsidy instalments expected, as core functions with a command line face.

Ledger « Les Petits Pois » of :mod:`test_prevision_fixtures` (budget 2026 only, last
actual entry on 30 April 2026, no conventions file), and the example association."""

from __future__ import annotations

import datetime
import json
import textwrap
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
from conftest import BANQUE, write_ledger
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
    assert resultats.atterrissage == attendu == D("-8888.75")
    assert resultats.projection_du_budget == D("-4037.73")
    assert resultats.retenu == ATTERRISSAGE and resultats.resultat_de_fin == attendu
    assert list(resultats.rapports) == ["budget", "atterrissage"]
    data = _json(communs, "resultat")
    assert data["totaux"]["resultat_de_fin"] == "-8888.75"
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


def _ecrire_sans_budget(tmp_path: Path) -> Path:
    """A ledger without budget, with forecast inputs (conventions, one flow).

    A convention notified in 2025 that the ledger (started in 2026, e.g. after a
    reprise) never recognised: its produit belonged to 2025, the 2026 landing must not
    count it; the 2026 convention's unrecognised half still counts.

    By hand: actuals to 30 April 2026: produits 3 000 (COM-2026, first half) − charges
    400 (rent) = 2 600. Rest of 2026: COM-2026's other half 3 000 (produit at its
    notification, past: first day of the forecast), rent May–December 8 × 400 = 3 200,
    DEP-2025 nothing (granted on 15 September 2025). Landing 2 600 + 3 000 − 3 200
    = 2 400 (it was 3 900, the 1 500 of DEP-2025 counted in 2026).
    """
    folder = tmp_path / "asso"
    write_ledger(
        folder,
        f"""\
        2026-01-01 open {BANQUE} EUR
        2026-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise
        2026-01-01 open Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune
        2026-01-01 open Charges:61-Services-exterieurs:6132-Locations-immobilieres

        2026-01-02 * "Apport"
          {BANQUE}  5000.00 EUR
          Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise

        2026-03-15 * "Ville" "Subvention 2026, avance"
          convention: "COM-2026"
          {BANQUE}  3000.00 EUR
          Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune

        2026-04-30 * "SCI" "Loyer"
          Charges:61-Services-exterieurs:6132-Locations-immobilieres  400.00 EUR
          {BANQUE}
        """,
        config="""\
        conventions: conventions.yaml
        previsions:
          flux: flux.yaml
        """,
    )
    (folder / "conventions.yaml").write_text(
        textwrap.dedent(
            """\
            conventions:
              - reference: DEP-2025
                financeur: Département
                type_financeur: departement
                objet: Jardin 2025
                montant: 1500
                debut: 2025-09-01
                fin: 2026-06-30
                notification: 2025-09-15
                compte: "7413"
                versements: [{part: 100, date: 2025-10-01}]
              - reference: COM-2026
                financeur: Ville
                type_financeur: commune
                objet: Fonctionnement 2026
                montant: 6000
                debut: 2026-01-01
                fin: 2026-12-31
                notification: 2026-02-01
                compte: "7415"
                versements:
                  - {part: 50, date: 2026-03-15}
                  - {part: 50, date: 2027-05-30}
            """
        ),
        encoding="utf-8",
    )
    (folder / "flux.yaml").write_text(
        "flux:\n  - {code: loyer, libelle: Loyer, montant: -400, compte: '6132',"
        " frequence: mensuel, jour: 5, debut: 2026-05-05}\n",
        encoding="utf-8",
    )
    return folder / "main.beancount"


def test_convention_granted_in_an_earlier_exercice_is_no_produit_of_this_one(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    # figures: see _ecrire_sans_budget
    data = _json(communs, "atterrissage", "-f", str(_ecrire_sans_budget(tmp_path)))
    assert data["totaux"]["total_produits"] == "6000.00"  # 3 000 + 3 000, not + 1 500
    assert data["totaux"]["total_charges"] == "3600.00"  # 400 + 3 200
    assert data["totaux"]["resultat"] == "2400.00"
    assert any("DEP-2025" in note and "jamais constatés" in note for note in data["notes"])


def test_without_budget_the_atterrissage_is_the_result_retained(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """No budget file, but forecast inputs: the atterrissage exists (docs/tresorerie.md,
    « l'atterrissage s'il existe ») and is the end-of-exercice result retained, not the
    result to date (figures: see _ecrire_sans_budget)."""
    data = _json(communs, "resultat", "-f", str(_ecrire_sans_budget(tmp_path)))
    assert data["totaux"]["resultat_a_date"] == "2600.00", data
    assert data["totaux"]["atterrissage"] == "2400.00", data
    assert data["totaux"]["resultat_de_fin"] == "2400.00"
    assert data["meta"]["retenu"] == "atterrissage"


def test_overdue_instalment_is_named_in_the_cash_plan_notes(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """DEP-2025's only instalment (1 500, expected 1 October 2025) is not in the ledger:
    forecast late, on 1 May 2026, and a note of the plan says so (it used to show only in
    the movement's label, invisible in the plan). By hand, cash: 5 000 + 3 000 − 400 =
    7 600 at 30 April; May 7 600 + 1 500 − 400 (rent) = 8 700."""
    main = _ecrire_sans_budget(tmp_path)
    result = communs("tresorerie", "-f", str(main), "--mois", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    plan = next(p for p in data["parties"] if p["id"] == "plan_base")
    rows = {r["id"]: r["valeurs"] for r in plan["lignes"]}
    assert rows["solde_final"] == {"2026-04": "7600.00", "2026-05": "8700.00"}
    assert any(
        note.startswith("DEP-2025, versement") and "attendu le 1er octobre 2025" in note
        for note in data["notes"]
    ), data["notes"]
