"""One writing command at a time in an association folder; a command killed while it
re-checks its write is undone by the next command. Real processes, real files."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.acces_exclusif import (
    NOM_JOURNAL,
    NOM_VERROU,
    acces_exclusif,
    transaction,
)
from conftest import COMMUNS, assert_no_traceback, one_line
from test_importation_cli import BANQUE, ecrire_livre
from test_tresorerie_calcule_a_la_main import write_association

Communs = Callable[..., Any]

IMPORT = ("importer", "releves/credit-mutuel.csv", "--ecrire", "2026.beancount")
ATTENTE = "Une autre commande communs écrit dans ce dossier, attente…"
LIVRET = "Actif:51-Banques:512-Banques:Livret"


def _gros_livre(folder: Path, ecritures: int = 3000) -> None:
    """The import test ledger plus ``ecritures`` transfers between two bank accounts (net
    zero), in an included file: loading it takes a few seconds."""
    ecrire_livre(folder)
    lines = [
        'option "name_assets" "Actif"',
        'option "name_liabilities" "Passif"',
        'option "name_equity" "Fonds-propres"',
        'option "name_income" "Produits"',
        'option "name_expenses" "Charges"',
        "",
    ]
    for index in range(ecritures):
        sens = 1 if index % 2 == 0 else -1
        lines += [
            f'2026-01-05 * "Virement interne {index}"',
            f"  {LIVRET}  {sens * 10}.00 EUR",
            f"  {BANQUE}",
            "",
        ]
    (folder / "historique.beancount").write_text("\n".join(lines), encoding="utf-8")
    with open(folder / "main.beancount", "a", encoding="utf-8") as file:
        file.write('include "historique.beancount"\n')


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COMMUNS_LEDGER", "FORCE_COLOR")}
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    return env


def _lancer(folder: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(COMMUNS), *args],
        cwd=folder,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _verrou_tenu(folder: Path) -> bool:
    path = folder / NOM_VERROU
    if not path.exists():
        return False
    descripteur = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descripteur, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descripteur)  # also releases a lock just taken
    return False


@contextmanager
def _verrou_pris(folder: Path) -> Iterator[None]:
    """This test process holds the folder's lock, as another command would."""
    descripteur = os.open(folder / NOM_VERROU, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(descripteur, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(descripteur)


def test_deux_imports_simultanes(ledger_dir: Path) -> None:
    """The same statement imported twice at once. Without a lock both runs printed « ✓ 2
    écritures ajoutées » and the file held one copy (one write lost). Now one run adds the
    entries; the other waits for it, then finds them already in the ledger."""
    _gros_livre(ledger_dir)
    target = ledger_dir / "2026.beancount"
    before = target.read_text(encoding="utf-8")
    runs = [_lancer(ledger_dir, *IMPORT), _lancer(ledger_dir, *IMPORT)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert_no_traceback(out, err)
        assert run.returncode == 0, err
    errs = [one_line(err) for _out, err in outputs]
    added = [err for err in errs if "2 écritures ajoutées" in err]
    assert len(added) == 1, errs
    other = next(err for err in errs if err not in added)
    assert ATTENTE in other
    assert "Rien à ajouter : toutes les opérations du relevé sont déjà dans le grand livre" in other
    text = target.read_text(encoding="utf-8")
    assert text.startswith(before)
    assert text[len(before) :].count("Subvention jardins – versement") == 1
    assert not (ledger_dir / NOM_JOURNAL).exists()
    assert not (ledger_dir / NOM_VERROU).exists()


def test_attente_trop_longue_refuse_clairement(ledger_dir: Path, communs: Communs) -> None:
    ecrire_livre(ledger_dir)
    target = ledger_dir / "2026.beancount"
    before = target.read_bytes()
    with _verrou_pris(ledger_dir):
        result = communs(*IMPORT, env={"COMMUNS_ATTENTE_VERROU": "0.5"})
    assert result.exit_code == 1
    text = one_line(result.stderr)
    assert ATTENTE in text
    assert (
        "Erreur : une autre commande communs écrit toujours dans ce dossier après 0.5 s "
        "d'attente : rien n'est fait ; relancez la commande quand l'autre sera terminée "
        "(verrou .communs.lock)"
    ) in text
    assert target.read_bytes() == before
    # the lock released, the same command writes
    assert communs(*IMPORT).exit_code == 0
    assert target.read_bytes() != before


def test_prevision_ecrire_attend_aussi(tmp_path: Path, communs: Communs) -> None:
    """Another writing command (prevision ecrire) takes the same lock."""
    folder = tmp_path / "asso"
    ledger = write_association(folder)
    cible = folder / "previsions.beancount"
    with _verrou_pris(folder):
        result = communs(
            "prevision",
            "ecrire",
            str(cible),
            "--ledger",
            str(ledger),
            env={"COMMUNS_ATTENTE_VERROU": "0.2"},
        )
    assert result.exit_code == 1
    assert "une autre commande communs écrit toujours dans" in one_line(result.stderr)
    assert not cible.exists()


def test_lecture_pendant_l_ecriture_n_attend_pas(ledger_dir: Path, communs: Communs) -> None:
    """A reading command does not take the lock when no write was interrupted."""
    ecrire_livre(ledger_dir)
    with _verrou_pris(ledger_dir):
        result = communs("verifier", env={"COMMUNS_ATTENTE_VERROU": "0.2"})
    assert result.exit_code == 0
    assert ATTENTE not in result.stderr


@pytest.mark.parametrize("signal_", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_import_tue_pendant_la_reverification(
    ledger_dir: Path, communs: Communs, signal_: signal.Signals
) -> None:
    """SIGKILL (or SIGTERM) once the entries are appended, while the ledger is re-checked:
    the file holds entries that were never confirmed. The next command (a reading one) puts
    the file back from the journal and says so; the import can then be run again."""
    _gros_livre(ledger_dir)
    target = ledger_dir / "2026.beancount"
    before = target.read_bytes()
    process = _lancer(ledger_dir, *IMPORT)
    journal = ledger_dir / NOM_JOURNAL
    deadline = time.monotonic() + 120
    while not (journal.exists() and target.read_bytes() != before):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "l'ajout n'a jamais commencé"
        time.sleep(0.01)
    os.kill(process.pid, signal_)
    process.wait(timeout=30)
    assert process.returncode == -signal_
    assert target.read_bytes().startswith(before) and target.read_bytes() != before
    assert journal.exists()

    result = communs("verifier")
    assert result.exit_code == 0, result.output
    assert (
        "Attention : une commande communs a été interrompue pendant une écriture : "
        "2026.beancount remis dans leur état d'avant cette commande (.communs-journal)"
    ) in one_line(result.stderr)
    assert target.read_bytes() == before
    assert not journal.exists()
    assert not list(ledger_dir.glob(".2026.beancount.import-*"))

    again = communs(*IMPORT)
    assert again.exit_code == 0, again.output
    assert "interrompue" not in again.stderr
    assert "2 écritures ajoutées" in one_line(again.stderr)


def test_transaction_annulee_par_une_exception(tmp_path: Path) -> None:
    existant = tmp_path / "a.beancount"
    existant.write_bytes(b"avant\n")
    nouveau = tmp_path / "sous" / "b.beancount"
    with (
        acces_exclusif(tmp_path),
        pytest.raises(RuntimeError, match="coupure"),
        transaction(tmp_path, [existant, nouveau]),
    ):
        assert (tmp_path / NOM_JOURNAL).exists()
        existant.write_bytes(b"apres\n")
        nouveau.parent.mkdir()
        nouveau.write_bytes(b"cree\n")
        raise RuntimeError("coupure")
    assert existant.read_bytes() == b"avant\n"
    assert not nouveau.exists()
    assert not (tmp_path / NOM_JOURNAL).exists()


def test_transaction_gardee(tmp_path: Path) -> None:
    existant = tmp_path / "a.beancount"
    existant.write_bytes(b"avant\n")
    with acces_exclusif(tmp_path), transaction(tmp_path, [existant]):
        existant.write_bytes(b"apres\n")
    assert existant.read_bytes() == b"apres\n"
    assert not (tmp_path / NOM_JOURNAL).exists()
    with acces_exclusif(tmp_path) as restaures:
        assert restaures == []
    assert existant.read_bytes() == b"apres\n"


def test_transaction_sans_verrou_refusee(tmp_path: Path) -> None:
    with (
        pytest.raises(RuntimeError, match="n'est pas verrouillé"),
        transaction(tmp_path, [tmp_path / "a"]),
    ):
        pass


def test_dossier_en_lecture_seule(ledger_dir: Path, communs: Communs) -> None:
    """No file can be created in the folder (so no lock): a French error, nothing written."""
    import shutil

    ecrire_livre(ledger_dir)
    before = (ledger_dir / "2026.beancount").read_bytes()
    ledger_dir.chmod(0o555)
    chattr = shutil.which("chattr")
    immutable = False
    try:
        if os.access(ledger_dir, os.W_OK) and chattr:  # root ignores the mode
            done = subprocess.run([chattr, "+i", str(ledger_dir)], capture_output=True)
            immutable = done.returncode == 0
        try:
            (ledger_dir / ".sonde").write_bytes(b"")
        except OSError:
            pass
        else:
            pytest.skip("impossible de protéger un dossier en écriture ici")
        result = communs(*IMPORT)
    finally:
        if immutable:
            subprocess.run([str(chattr), "-i", str(ledger_dir)], check=True)
        ledger_dir.chmod(0o755)
    assert result.exit_code == 1
    assert (
        "Erreur : impossible de réserver ce dossier pour y écrire (.communs.lock) : "
    ) in one_line(result.stderr)
    assert "rien n'est fait" in result.stderr
    assert (ledger_dir / "2026.beancount").read_bytes() == before


def test_journal_illisible(ledger_dir: Path, communs: Communs) -> None:
    ecrire_livre(ledger_dir)
    (ledger_dir / NOM_JOURNAL).write_text("{pas du json", encoding="utf-8")
    result = communs("verifier")
    assert result.exit_code == 1
    assert (
        "Erreur : .communs-journal : journal d'une commande interrompue illisible ; vérifiez "
        "les derniers fichiers modifiés (git status, git diff) puis supprimez ce fichier"
    ) in one_line(result.stderr)
    assert (ledger_dir / NOM_JOURNAL).exists()


def test_init_ignore_le_verrou_et_le_journal(tmp_path: Path, communs: Communs) -> None:
    result = communs("init", str(tmp_path / "asso"), "--nom", "Les Jardins", "--sans-git")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "asso" / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {NOM_VERROU, NOM_JOURNAL} <= set(lines)
