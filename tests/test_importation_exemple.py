"""The example association's November 2026 statements import cleanly (on a copy).

The ledger stops on 19 November 2026. The Crédit Coopératif CSV export of
25 November covers 16–25 November: its ten operations of 16–19 November
were typed by hand already; seven are new, two of them (a cheque deposit
of 150,00 € and a card payment of 34,90 €) left on the suspense account 471.
The OFX of 1 December covers 16–30 November: seven more operations, and its
LEDGERBAL of 51 889,20 € = 22 301,27 € (ledger on 19 November)
+ 8 500,00 − 48,60 + 22,00 + 150,00 − 212,37 + 27 000,00 − 34,90 (CSV)
− 280,00 + 720,00 − 1 200,60 − 2 045,09 − 1 704,57 − 1 263,04 − 14,90 (OFX).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import ROOT

EXEMPLE = ROOT / "examples" / "association"
Communs = Callable[..., Any]


COMPTEURS = (
    "Lignes lues",
    "Écritures à ajouter",
    "Doublons ignorés",
    "À revoir (compte d'attente)",
    "Contrôle de solde",
)


def _compteurs(stderr: str) -> dict[str, str]:
    """The summary's counters: ``{"Lignes lues": "17", …}``."""
    found = {}
    for line in stderr.splitlines():
        for label in COMPTEURS:
            if line.startswith(f"  {label}  "):
                found[label] = line[len(label) + 2 :].strip()
    return found


def test_import_du_mois(ledger_dir: Path, communs: Communs) -> None:
    shutil.copytree(EXEMPLE, ledger_dir, dirs_exist_ok=True)
    target = ledger_dir / "2026.beancount"
    original = target.read_text(encoding="utf-8")

    csv = communs("importer", "releves/credit-cooperatif-2026-11-25.csv", "-e", "2026.beancount")
    assert csv.exit_code == 0, csv.output
    assert _compteurs(csv.stderr) == {
        "Lignes lues": "17",
        "Écritures à ajouter": "7",
        "Doublons ignorés": "10",
        "À revoir (compte d'attente)": "2",
    }
    assert "(saisie à la main, libellé proche)" in csv.stderr
    verifier = communs("verifier")
    assert verifier.exit_code == 0, verifier.output

    ofx = communs("importer", "releves/credit-cooperatif-2026-11.ofx", "-e", "2026.beancount")
    assert ofx.exit_code == 0, ofx.output
    assert _compteurs(ofx.stderr) == {
        "Lignes lues": "24",
        "Écritures à ajouter": "7",
        "Doublons ignorés": "17",
        "À revoir (compte d'attente)": "0",
        "Contrôle de solde": "ajouté au 1er décembre 2026 : 51\u202f889,20\u00a0€",
    }
    verifier = communs("verifier")
    assert verifier.exit_code == 0, verifier.output

    text = target.read_text(encoding="utf-8")
    assert text.startswith(original)
    added = text[len(original) :]
    assert added.count("\n2026-11-") == 14
    assert added.count(" ! ") == 2
    assert "2026-01-01 open Actif:47-Attente:471-Compte-d-attente" in added
    assert "2026-12-01 balance Actif:51-Banques:512-Banques:Compte-courant" in added
    assert 'convention: "CAF-CUISINE-2026"' in added
    assert '"Règlement de la facture FA-2026-009" ^FA-2026-009' in added

    for name in (
        "releves/credit-cooperatif-2026-11-25.csv",
        "releves/credit-cooperatif-2026-11.ofx",
    ):
        again = communs("importer", name, "-e", "2026.beancount")
        assert again.exit_code == 0, again.output
        assert _compteurs(again.stderr)["Écritures à ajouter"] == "0"
    assert target.read_text(encoding="utf-8") == text


def test_le_depot_n_est_pas_modifie() -> None:
    """The import is a demonstration: the example's ledger stops on 19 November."""
    text = (EXEMPLE / "2026.beancount").read_text(encoding="utf-8")
    assert "ref_banque" not in text and "fitid" not in text
    assert not list(EXEMPLE.glob(".*.import-*.tmp"))
