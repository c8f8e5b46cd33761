"""Plan de trésorerie without a payroll file: a budget line on the whole chapter 64
(gross pay and employer charges together) has its own row, « Salaires et charges
(budget) », not « Salaires nets » (audit: the budget's 64 line was filed as net pay);
a budget split on 641 and 645 goes to « Salaires nets » and « Charges sociales… ».

Ledger: 20 000 € brought on 2 January 2026, rent 700 € paid on 31 March (the last
actual entry). Budget 2026, lines without profile (twelve equal months): 6132 8 400
(700 a month) and either 64 24 000 (2 000 a month) or 641 18 000 + 645 6 000 (1 500
and 500 a month). Plan of April – June 2026: each month pays 700 of rent and 2 000 of
personnel; cash 20 000 − 700 = 19 300 at the start of April, 16 600 at the end.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import write_ledger

D = Decimal
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
LEDGER = f"""\
option "title" "Les Petits Pois"
option "operating_currency" "EUR"

2026-01-01 open {BANQUE} EUR
2026-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise
2026-01-01 open Charges:61-Services-exterieurs:6132-Locations-immobilieres

2026-01-02 * "Apport"
  {BANQUE}  20000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise

2026-03-31 * "Loyer"
  Charges:61-Services-exterieurs:6132-Locations-immobilieres  700.00 EUR
  {BANQUE}
"""
CONFIG = """\
association:
  nom: Les Petits Pois
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""


def _budget(lignes: str) -> str:
    return (
        "versions:\n  - code: vote\n    nom: BP\n    date: 2026-01-10\n    lignes:\n"
        '      - {compte: "6132", montant: 8400}\n' + lignes
    )


def _plan(folder: Path, communs: Callable[..., Any], lignes: str) -> dict[str, D]:
    main = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(_budget(lignes), encoding="utf-8")
    args = ("tresorerie", "-f", str(main), "--format", "json", "--depuis", "2026-04-01")
    result = communs(*args, "--mois", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (partie,) = [p for p in data["parties"] if any(c["id"] == "2026-04" for c in p["colonnes"])]
    return {
        f"{row['id']}|{row['libelle']}": D(row["valeurs"]["2026-04"])
        for row in partie["lignes"]
        if isinstance(row["valeurs"].get("2026-04"), str)
        and row["valeurs"]["2026-04"].lstrip("-").replace(".", "").isdigit()
    }


def test_ligne_64_du_budget(tmp_path: Path, communs: Callable[..., Any]) -> None:
    rows = _plan(tmp_path, communs, '      - {compte: "64", montant: 24000}\n')
    assert rows["decaissement:personnel|Salaires et charges (budget)"] == D(2000)
    assert not [key for key in rows if "Salaires nets" in key]
    assert rows["decaissement:loyer|Loyer et charges locatives"] == D(700)
    assert rows["solde_initial|Trésorerie en début de mois"] == D(19300)
    assert rows["solde_final|Trésorerie en fin de mois"] == D(16600)


def test_budget_641_et_645(tmp_path: Path, communs: Callable[..., Any]) -> None:
    lignes = '      - {compte: "641", montant: 18000}\n      - {compte: "645", montant: 6000}\n'
    rows = _plan(tmp_path, communs, lignes)
    assert rows["decaissement:salaires|Salaires nets"] == D(1500)
    assert rows["decaissement:charges_sociales|Charges sociales et prélèvement à la source"] == D(
        500
    )
    assert not [key for key in rows if "personnel" in key]
    assert rows["solde_final|Trésorerie en fin de mois"] == D(16600)
