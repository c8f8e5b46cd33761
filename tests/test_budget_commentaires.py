"""Comments of budget lines (``commentaire:``) in ``communs budget`` (terminal notes,
JSON, XLSX column), in the CERFA 12156 table and in the Fava budget page."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import write_ledger

LEDGER = """\
option "title" "Les Amis du Test"
option "operating_currency" "EUR"

2026-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2026-01-01 open Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region
  type_financeur: "region"
2026-01-01 open Charges:61-Services-exterieurs:613-Locations:6132-Locations-immobilieres

2026-03-01 * "Loyer"
  Charges:61-Services-exterieurs:613-Locations:6132-Locations-immobilieres  1600.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant
"""

CONFIG = """\
association:
  nom: Les Amis du Test
projets:
  - code: JARDINS
    nom: Jardins partagés
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

BUDGET = """\
versions:
  - code: vote
    nom: BP voté
    date: 2026-03-14
    lignes:
      - compte: "6132"
        montant: 18000
        commentaire: loyer indexé en avril
      - compte: "613"
        projet: JARDINS
        montant: 600
        commentaire: location de la tonnelle
      - compte: "7412"
        projet: JARDINS
        montant: 5000
        commentaire: notifiée le 20 mai
"""


@pytest.fixture
def asso(ledger_dir: Path) -> Path:
    write_ledger(ledger_dir, LEDGER, config=CONFIG)
    (ledger_dir / "budgets").mkdir()
    (ledger_dir / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    return ledger_dir


def _rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for p in data["parties"] for r in p["lignes"] if r.get("id")}


def test_commentaires_dans_le_suivi(
    communs: Callable[..., Any], asso: Path, tmp_path: Path
) -> None:
    data = json.loads(communs("budget", "--format", "json").stdout)
    rows = _rows(data)
    assert rows["ligne:6132"]["valeurs"]["commentaire"] == "loyer indexé en avril"
    assert rows["ligne:7412:JARDINS"]["valeurs"]["commentaire"] == "notifiée le 20 mai"
    assert rows["chapitre:61"]["valeurs"].get("commentaire") is None
    # terminal: below the table of its part, with the line
    terminal = communs("budget").output
    assert "• Commentaire, 6132 " in terminal
    assert "loyer indexé en avril" in terminal and "notifiée le 20 mai" in terminal
    # XLSX: a « Commentaire » column on the line's row
    xlsx = tmp_path / "budget.xlsx"
    assert communs("budget", "--sortie", str(xlsx)).exit_code == 0
    values = [[c.value for c in row] for row in openpyxl.load_workbook(xlsx)["Charges"].iter_rows()]
    header = next(r for r in values if "Commentaire" in r)
    column = header.index("Commentaire")
    assert "loyer indexé en avril" in [r[column] for r in values]


def test_commentaires_dans_le_cerfa(communs: Callable[..., Any], asso: Path) -> None:
    data = json.loads(communs("budget", "cerfa", "--format", "json").stdout)
    rows = _rows(data)
    # « Locations » gathers 6132 and 613 (JARDINS): each comment names its line
    assert rows["locations"]["valeurs"]["commentaire"] == (
        "613 (JARDINS) : location de la tonnelle ; 6132 : loyer indexé en avril"
    )
    assert rows["subvention_region:ligne:7412:JARDINS"]["valeurs"]["commentaire"] == (
        "notifiée le 20 mai"
    )
    colonnes = {c["id"] for p in data["parties"] for c in p["colonnes"]}
    assert "commentaire" in colonnes
    projet = json.loads(
        communs("budget", "cerfa", "--projet", "JARDINS", "--format", "json").stdout
    )
    assert _rows(projet)["locations"]["valeurs"]["commentaire"] == (
        "613 (JARDINS) : location de la tonnelle"
    )
    terminal = communs("budget", "cerfa").output
    assert "• Commentaire, Locations : 613 (JARDINS) : location de la tonnelle" in terminal
