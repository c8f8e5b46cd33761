"""``communs importer`` on the statements banks give professional customers, end to end.

Société Générale's CSV (short and detailed labels), camt.053 (ISO 20022 XML) and
CFONB 120: the real command on the ledger of :mod:`test_importation_cli` (bank
at 10 000,00 € on 2 January 2026, Urssaf of 1 234,56 € typed by hand on
2 March, a rule for the Urssaf and one for the Region). The sample files in
tests/donnees/releves/ were written by hand; their amounts are checked by hand
in each test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_importation_cli import ATTENTE, BANQUE, ecrire_livre

Communs = Callable[..., Any]


@pytest.fixture
def livre(ledger_dir: Path) -> Path:
    return ecrire_livre(ledger_dir)


def ajoute(folder: Path, communs: Communs, chemin: str) -> str:
    """Import with --ecrire; what was appended to 2026.beancount."""
    before = (folder / "2026.beancount").read_text(encoding="utf-8")
    result = communs("importer", chemin, "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    after = (folder / "2026.beancount").read_text(encoding="utf-8")
    assert after.startswith(before)
    return after[len(before) :]


# --- Société Générale: the detailed label as narration, the short one in metadata ---------


def test_societe_generale_libelle_detaille(livre: Path, communs: Communs) -> None:
    """« PRELEVEMENT EUROPEEN » was glued in front of « DE: MAIF … » in the narration."""
    folder = livre.parent
    added = ajoute(folder, communs, "releves/societe-generale.csv")
    assert (
        '2026-03-08 ! "DE: MAIF ID EMETTEUR: FR12ZZZ ASSURANCE MULTIRISQUE"\n'
        '  a_revoir: "aucune règle d\'import ne reconnaît cette opération"\n'
        '  libelle_banque: "DE: MAIF ID EMETTEUR: FR12ZZZ ASSURANCE MULTIRISQUE"\n'
        '  libelle_court: "PRELEVEMENT EUROPEEN"\n'
        f"  {BANQUE}      -1180.00 EUR\n"
        f"  {ATTENTE}             1180.00 EUR\n"
    ) in added
    assert (
        '2026-03-06 ! "DE: FONDATION DE FRANCE MOTIF: APPEL À PROJETS 2026"\n'
        '  a_revoir: "aucune règle d\'import ne reconnaît cette opération"\n'
        '  libelle_banque: "DE: FONDATION DE FRANCE MOTIF: APPEL À PROJETS 2026"\n'
        '  libelle_court: "VIR RECU"\n'
    ) in added
    assert communs("verifier").exit_code == 0
    again = communs("importer", "releves/societe-generale.csv")
    assert "Rien à ajouter" in again.stderr


def test_societe_generale_regle_sur_le_libelle_court(ledger_dir: Path, communs: Communs) -> None:
    """Rules still see the short label (a rule written for « VIR RECU » keeps working)."""
    ecrire_livre(
        ledger_dir,
        regles=(
            'regles:\n  - motif: vir recu\n    compte: "7412"\n    libelle: Subvention {libelle}\n'
        ),
    )
    result = communs("importer", "releves/societe-generale.csv")
    assert result.exit_code == 0, result.output
    assert (
        '2026-03-06 * "Subvention DE: FONDATION DE FRANCE MOTIF: APPEL À PROJETS 2026"'
        in result.stdout
    )
