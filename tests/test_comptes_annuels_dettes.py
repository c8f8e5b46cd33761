"""The annexe's état des dettes includes every line of the bilan's dettes, the
« Instruments de trésorerie » of the passif (52 with a credit balance) among them: its
total is the bilan's total of the dettes (docs/comptes-annuels.md). Ledger of
:mod:`livre_comptes_annuels` (dettes at 31 December 2025: the loan 10 000, 2 000 of it
within a year, and the garage 600 — 10 600), plus 400 € received on a forward
instrument (521) still open at closing: dettes 11 000."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from livre_comptes_annuels import BANQUE
from livre_comptes_annuels import ecrire_livre as _ledger

INSTRUMENT = "Actif:52-Instruments-de-tresorerie:521-Instruments-financiers-a-terme"


def test_instruments_de_tresorerie_dans_l_etat_des_dettes(tmp_path: Path, communs: Any) -> None:
    folder = tmp_path / "asso"
    folder.mkdir()
    main = _ledger(folder)
    with open(folder / "2025.beancount", "a", encoding="utf-8") as file:
        file.write(
            f"""
2025-01-01 open {INSTRUMENT}

2025-11-30 * "Prime reçue sur un instrument à terme"
  {BANQUE}  400.00 EUR
  {INSTRUMENT}  -400.00 EUR
"""
        )
    result = communs("comptes-annuels", "-f", str(main), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    found = next(p for p in doc["parties"] if p["id"] == "annexe_dettes")
    lignes = {
        r["libelle"]: (r["valeurs"]["montant"], r["valeurs"]["un_an"]) for r in found["lignes"]
    }
    assert lignes["Instruments de trésorerie"] == ("400.00", "400.00")
    # 10 000 + 600 + 400 = 11 000, within a year 2 000 + 600 + 400 = 3 000: the bilan's.
    assert lignes["Total"] == ("11000.00", "3000.00")
    assert doc["totaux"]["dettes"] == "11000.00"
