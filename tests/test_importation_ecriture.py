"""Writing an import: atomic append, re-check, exact restore (a process killed mid-write:
test_acces_exclusif.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.ajout import Changement, ecrire_et_verifier, remplacer, temporaire
from conftest import one_line
from test_importation_cli import BANQUE, ecrire_livre

Communs = Callable[..., Any]


def test_verification_echouee_laisse_le_fichier_intact(ledger_dir: Path, communs: Communs) -> None:
    """A balance assertion of April holds before the import and fails after it."""
    ecrire_livre(ledger_dir)
    target = ledger_dir / "2026.beancount"
    with open(target, "a", encoding="utf-8") as file:
        # 10 000,00 − 1 234,56 = 8 765,44: true without the subsidy and the EDF debit
        file.write(f"\n2026-04-01 balance {BANQUE}  8765.44 EUR\n")
    assert communs("verifier").exit_code == 0
    before = target.read_bytes()
    stat = target.stat()
    result = communs("importer", "releves/credit-mutuel.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 1
    assert target.read_bytes() == before
    assert target.stat().st_mode == stat.st_mode
    lines = result.stderr.splitlines()
    error = lines.index(
        "Erreur : le grand livre ne passe plus la vérification avec ces écritures : "
        "2026.beancount est laissé exactement dans son état d'origine"
    )
    # 8 765,44 + 2 500,00 − 45,90 = 11 219,54 in the ledger on 1 April
    assert [one_line(line) for line in lines[error + 1 :]] == [
        f"2026.beancount:19: Solde incorrect pour {BANQUE} : attendu 8 765,44 €, "
        "calculé 11 219,54 € (écart de 2 454,10 € en trop)",
    ]
    assert not list(ledger_dir.glob(".2026.beancount.import-*"))
    assert communs("verifier").exit_code == 0


def test_ajouter_restaure_si_le_rechargement_echoue(tmp_path: Path) -> None:
    """Beancount's loader raises on an ``include`` of a folder: the file is put back."""
    target = tmp_path / "2026.beancount"
    target.write_bytes(b"; sans fin de ligne")
    os.chmod(target, 0o640)
    (tmp_path / "justificatifs").mkdir()

    with pytest.raises(IsADirectoryError):
        ecrire_et_verifier(target, [Changement(target, 'include "justificatifs"\n')])
    assert target.read_bytes() == b"; sans fin de ligne"
    assert target.stat().st_mode & 0o777 == 0o640


def test_remplacer_est_atomique_et_garde_les_droits(tmp_path: Path) -> None:
    target = tmp_path / "livre.beancount"
    target.write_bytes(b"ancien\n")
    os.chmod(target, 0o600)
    remplacer(target, "nouveau é\n".encode())
    assert target.read_bytes() == "nouveau é\n".encode()
    assert target.stat().st_mode & 0o777 == 0o600
    assert not temporaire(target).exists()
