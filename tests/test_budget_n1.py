"""``communs budget``: the réalisé N-1 column, at the same date one year before, in every
format. Figures by hand on a two-year ledger. (A ledger with one exercice has no N-1
column: tests/test_cli_budget.py::test_csv.)"""

from __future__ import annotations

import csv
import io
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

2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2025-01-01 open Produits:75-Autres-produits:756-Cotisations
2025-01-01 open Charges:60-Achats:6064-Fournitures-administratives
2025-01-01 open Charges:61-Services-exterieurs:613-Locations:6132-Locations-immobilieres

2025-01-15 * "Cotisations 2025"
  Actif:51-Banques:512-Banques:Compte-courant  400.00 EUR
  Produits:75-Autres-produits:756-Cotisations

2025-02-10 * "Papeterie"
  Charges:60-Achats:6064-Fournitures-administratives  300.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant

2025-03-01 * "Salle"
  Charges:61-Services-exterieurs:613-Locations:6132-Locations-immobilieres  100.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant

2025-05-02 * "Papeterie, après le 15 avril"
  Charges:60-Achats:6064-Fournitures-administratives  200.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant

2026-01-15 * "Cotisations 2026"
  Actif:51-Banques:512-Banques:Compte-courant  450.00 EUR
  Produits:75-Autres-produits:756-Cotisations

2026-04-15 * "Papeterie"
  Charges:60-Achats:6064-Fournitures-administratives  250.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant
"""

CONFIG = """\
association:
  nom: Les Amis du Test
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
      - {compte: "6064", montant: 1200}
      - {compte: "756", montant: 3000}
"""

# Réalisé N-1 at 15 April 2025 (the last entry is on 15 April 2026):
#   6064: 300 (the 200 of 2 May 2025 come after) ; 756: 400 ;
#   6132: 100, no line in the 2026 budget and no 2026 actual: a hors budget row ;
#   charges 300 + 100 = 400, produits 400, résultat 0.
SALLE = "hors_budget:Charges:61-Services-exterieurs:613-Locations:6132-Locations-immobilieres"
ATTENDU = {
    "ligne:6064": "300.00",
    "ligne:756": "400.00",
    SALLE: "100.00",
    "total_charges": "400.00",
    "total_produits": "400.00",
    "resultat": "0.00",
}


@pytest.fixture
def asso(ledger_dir: Path) -> Path:
    write_ledger(ledger_dir, LEDGER, config=CONFIG)
    (ledger_dir / "budgets").mkdir()
    (ledger_dir / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    return ledger_dir


def test_realise_n1_json_csv_xlsx_html_terminal(
    communs: Callable[..., Any], asso: Path, tmp_path: Path
) -> None:
    result = communs("budget", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {r["id"]: r for p in data["parties"] for r in p["lignes"] if r.get("id")}
    for id_, value in ATTENDU.items():
        assert rows[id_]["valeurs"]["realise_n1"] == value, id_
    # the current réalisé is unchanged: 250 and 450; the N-1 hors budget row has none
    assert rows["ligne:6064"]["valeurs"]["realise"] == "250.00"
    assert rows[SALLE]["valeurs"]["realise"] == "0.00"
    assert data["totaux_par_colonne"]["realise_n1"]["resultat"] == "0.00"
    colonnes = {c["id"]: c["libelle"] for c in data["parties"][0]["colonnes"]}
    assert colonnes["realise_n1"] == "Réalisé N-1 au 15/04/2025"

    result = communs("budget", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["id"]: r["realise_n1"] for r in table if r["id"] in ATTENDU} == ATTENDU

    xlsx = tmp_path / "budget.xlsx"
    assert communs("budget", "--sortie", str(xlsx)).exit_code == 0
    sheet = openpyxl.load_workbook(xlsx)["Charges"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if "Réalisé N-1 au 15/04/2025" in r)
    column = header.index("Réalisé N-1 au 15/04/2025")
    assert 300 in [r[column] for r in values] and 400 in [r[column] for r in values]

    html = tmp_path / "budget.html"
    assert communs("budget", "--sortie", str(html)).exit_code == 0
    assert "Réalisé N-1 au 15/04/2025" in html.read_text(encoding="utf-8")
    # shown with a non-breaking hyphen (never « Réalisé N- » over « 1 au … »)
    assert (
        '<th scope="col" class="nombre" data-col="realise_n1" aria-label="Réalisé N-1 au '
        '15/04/2025">Réalisé N\u20111 au 15/04/2025</th>'
    ) in html.read_text(encoding="utf-8")

    terminal = communs("budget").output
    assert "N-1 au" in terminal and "15/04/2025" in terminal
