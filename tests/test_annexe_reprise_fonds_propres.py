"""The fonds propres of the annexe for a young association's first exercice (financeurs
audit): its reprise du bilan on the first day credits only 102 (no report à nouveau yet),
as a new treasurer writes it after ``communs init``.

The ledger cannot tell such a reprise from a founder's contribution of the first day
(tests/test_audit_comptes_annuels.py reads the latter as a variation of the exercice), so
the figures stay (opening 0.00, variation 40 000.00) but the annexe now says it, with the
entry's file:line, under « À compléter » (before: silently). With a 0.00 line on 110, the
entry is the reprise: opening 40 000.00, variation 0.00, closing 40 000.00; with one
charge of 1 000.00 the total goes 40 000.00 → 39 000.00 and nothing is to complete.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import BANQUE, FONDS, write_ledger

FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
REPORT = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"

LIVRE = f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {FONDS}
2025-01-01 open {REPORT}
2025-01-01 open {FOURNITURES}

2025-01-01 * "Reprise du bilan d'ouverture"
  {BANQUE}   40000.00 EUR
  {FONDS}   -40000.00 EUR

2025-03-10 * "Papeterie" "Fournitures"
  {FOURNITURES}   1000.00 EUR
  {BANQUE}
"""


def _fonds_propres(communs: Callable[..., Any], folder: Path, livre: str) -> dict[str, Any]:
    write_ledger(folder, livre, config="association:\n  nom: Les Ateliers du Val\n")
    result = communs("comptes-annuels", "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    partie = next(p for p in data["parties"] if p["id"] == "annexe_fonds_propres")
    data["lignes_fp"] = {ligne["id"]: ligne["valeurs"] for ligne in partie["lignes"]}
    return data


def test_reprise_sur_le_seul_compte_102_signalee(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    data = _fonds_propres(communs, ledger_dir, LIVRE)
    assert data["lignes_fp"]["fonds_propres_sans_droit_reprise"] == {
        "ouverture": "0.00",
        "variation": "40000.00",
        "cloture": "40000.00",
    }
    # the entry is on line 12 of main.beancount (after the 7-line header)
    assert any(
        item.startswith(
            "fonds propres à l'ouverture : l'écriture du premier jour (main.beancount:12) "
            "crédite les fonds propres (10) sans report à nouveau (11)"
        )
        for item in data["meta"]["a_completer"]
    ), data["meta"]["a_completer"]


def test_reprise_avec_ligne_110_a_zero(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    livre = LIVRE.replace(
        f"  {FONDS}   -40000.00 EUR\n", f"  {FONDS}   -40000.00 EUR\n  {REPORT}   0.00 EUR\n"
    )
    data = _fonds_propres(communs, ledger_dir, livre)
    assert data["lignes_fp"]["fonds_propres_sans_droit_reprise"] == {
        "ouverture": "40000.00",
        "variation": "0.00",
        "cloture": "40000.00",
    }
    assert data["lignes_fp"]["total"] == {
        "ouverture": "40000.00",
        "variation": "-1000.00",
        "cloture": "39000.00",
    }
    assert not any("fonds propres à l'ouverture" in i for i in data["meta"]["a_completer"])
