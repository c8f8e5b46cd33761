"""Writing an import: atomic append, re-check, exact restore, and a process killed mid-write."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.importation.ajout import PAUSE_TEST, ajouter, remplacer, temporaire
from conftest import COMMUNS, assert_no_traceback, one_line
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
        f"2026.beancount:19: Solde incorrect pour {BANQUE} : attendu 8765.44 EUR, "
        "calculé 11219.54 EUR (écart de 2454.10 en trop)",
    ]
    assert not list(ledger_dir.glob(".2026.beancount.import-*"))
    assert communs("verifier").exit_code == 0


def test_ajouter_restaure_si_le_rechargement_echoue(tmp_path: Path) -> None:
    target = tmp_path / "2026.beancount"
    target.write_bytes(b"; sans fin de ligne")
    os.chmod(target, 0o640)

    def crash() -> Any:
        raise RuntimeError("chargement interrompu")

    with pytest.raises(RuntimeError, match="chargement interrompu"):
        ajouter(target, '2026-03-01 * "x"\n', crash, [])
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


def _lancer(folder: Path, pause: str | None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COMMUNS_LEDGER", "FORCE_COLOR")}
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    if pause:
        env[PAUSE_TEST] = pause
    return subprocess.Popen(
        [str(COMMUNS), "importer", "releves/credit-mutuel.csv", "--ecrire", "2026.beancount"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_processus_tue_pendant_l_ecriture(ledger_dir: Path) -> None:
    """SIGKILL between the complete temporary file and the rename: the target is untouched.

    The writer pauses there when ``COMMUNS_TEST_PAUSE_ECRITURE`` is set; the test waits
    for the temporary file, which appears complete (linked atomically), then kills.
    """
    ecrire_livre(ledger_dir)
    target = ledger_dir / "2026.beancount"
    before = target.read_bytes()
    process = _lancer(ledger_dir, "60")
    deadline = time.monotonic() + 60
    temporary = temporaire(target, process.pid)
    while not temporary.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "le fichier temporaire n'est jamais apparu"
        time.sleep(0.02)
    written = temporary.read_bytes()
    assert written.startswith(before) and len(written) > len(before)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == before

    # the next import cleans the leftover temporary file and writes everything
    done = _lancer(ledger_dir, None)
    stdout, stderr = done.communicate(timeout=120)
    assert_no_traceback(stdout, stderr)
    assert done.returncode == 0, stderr
    assert target.read_bytes() == written
    assert not list(ledger_dir.glob(".2026.beancount.import-*"))
