"""``communs init``: a ready repository (files, Git, pre-commit hook), never overwriting."""

from __future__ import annotations

import datetime
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.config import load_config
from conftest import git_env, one_line, run_communs

Communs = Callable[..., Any]
EXPECTED_FILES = {"main.beancount", "comptes.beancount", "communs.yaml", ".gitignore"}


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=folder, env=git_env(), capture_output=True, text=True, check=False
    )


def _listing(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its content (None for folders)."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


def _exercice_file(folder: Path) -> Path:
    found = [p for p in folder.glob("*.beancount") if p.stem[:4].isdigit()]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def association(tmp_path: Path, communs: Communs, git: str) -> Path:
    folder = tmp_path / "jardins"
    result = communs("init", str(folder), "--nom", "Les Jardins de la Bièvre")
    assert result.exit_code == 0, result.output
    return folder


def test_init_cree_les_fichiers(association: Path) -> None:
    names = {p.name for p in association.iterdir()} - {".git"}
    exercice = _exercice_file(association)
    assert names == EXPECTED_FILES | {exercice.name}
    year = datetime.date.today().year
    assert exercice.name == f"{year}.beancount"
    main = (association / "main.beancount").read_text(encoding="utf-8")
    assert 'option "title" "Les Jardins de la Bièvre"' in main
    assert 'plugin "communs_plugins.plan_comptable"' in main
    assert 'custom "fava-extension" "communs_ledger.fava_ext"' in main  # the board's pages
    assert f'include "{exercice.name}"' in main
    for path in association.glob("*.beancount"):  # Beancount reads options file by file
        text = path.read_text(encoding="utf-8")
        for option in ("name_assets", "name_liabilities", "name_equity", "name_income"):
            assert f'option "{option}"' in text, path.name
    config = load_config(association / "main.beancount")
    assert config.errors == []
    assert config.nom == "Les Jardins de la Bièvre"
    assert config.data.exercice.debut == "01-01"


def test_init_un_commit_et_depot_propre(association: Path) -> None:
    log = _git(association, "log", "--oneline")
    assert log.returncode == 0, log.stderr
    lines = log.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("Création de la comptabilité : Les Jardins de la Bièvre")
    assert _git(association, "status", "--porcelain").stdout == ""
    tracked = set(_git(association, "ls-files").stdout.split())
    assert tracked == EXPECTED_FILES | {_exercice_file(association).name}
    hook = association / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)


def test_verifier_dans_le_dossier_cree(
    association: Path, communs: Communs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(association)
    result = communs("verifier")
    assert result.exit_code == 0, result.output
    assert one_line(result.stderr).startswith("✓ Aucune erreur : 0 écriture, ")
    done = run_communs("verifier", cwd=association)
    assert done.returncode == 0, done.stderr
    # The cache Beancount may write is ignored by Git.
    assert _git(association, "status", "--porcelain").stdout == ""


def test_le_hook_refuse_un_commit_avec_erreur(association: Path) -> None:
    exercice = _exercice_file(association)
    opening = (association / "comptes.beancount").read_text(encoding="utf-8")
    date = next(line.split()[0] for line in opening.splitlines() if " open " in line)
    with open(exercice, "a", encoding="utf-8") as file:
        file.write(f"\n{date} open Charges:60-Achats:6000-Divers\n")
    _git(association, "add", "-A")
    refused = _git(association, "commit", "-m", "Compte divers")
    assert refused.returncode != 0
    output = one_line(refused.stdout + refused.stderr)
    assert f"{exercice.name}:" in output
    assert "Compte Charges:60-Achats:6000-Divers : 6000 n'est pas dans le plan comptable" in output
    assert "Traceback" not in output
    assert len(_git(association, "log", "--oneline").stdout.splitlines()) == 1

    # Fixed: the commit goes through.
    text = exercice.read_text(encoding="utf-8").replace("6000-Divers", "6068-Divers")
    exercice.write_text(text, encoding="utf-8")
    _git(association, "add", "-A")
    accepted = _git(association, "commit", "-m", "Compte divers")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert len(_git(association, "log", "--oneline").stdout.splitlines()) == 2


def test_init_refuse_un_dossier_non_vide(tmp_path: Path, communs: Communs) -> None:
    folder = tmp_path / "existant"
    folder.mkdir()
    (folder / "notes.txt").write_text("mes notes\n", encoding="utf-8")
    (folder / "main.beancount").write_text("; mon grand livre\n", encoding="utf-8")
    before = _listing(folder)
    result = communs("init", str(folder), "--nom", "Les Jardins")
    assert result.exit_code == 1
    assert "n'est pas vide" in one_line(result.output)
    assert _listing(folder) == before

    done = run_communs("init", "existant", "--nom", "Les Jardins", cwd=tmp_path)
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        "Erreur : le dossier existant n'est pas vide ; choisissez un dossier vide ou ajoutez "
        "--force (aucun fichier existant ne sera remplacé)"
    )
    assert _listing(folder) == before


def test_init_force_garde_les_fichiers_existants(
    tmp_path: Path, communs: Communs, git: str
) -> None:
    folder = tmp_path / "existant"
    folder.mkdir()
    config = 'association:\n  nom: "Mon asso"\nexercice:\n  debut: "01-09"\n'
    (folder / "communs.yaml").write_text(config, encoding="utf-8")
    (folder / "notes.txt").write_bytes(b"notes \xe9crites en latin-1\r\n")
    kept = {name: (folder / name).read_bytes() for name in ("communs.yaml", "notes.txt")}
    result = communs("init", str(folder), "--nom", "Les Jardins", "--force")
    assert result.exit_code == 0, result.output
    for name, content in kept.items():
        assert (folder / name).read_bytes() == content, name
    assert "conservé  communs.yaml (existant, non remplacé)" in result.stderr
    assert (folder / "main.beancount").exists()
    assert (folder / "comptes.beancount").exists()


def test_init_sans_git(tmp_path: Path, communs: Communs) -> None:
    folder = tmp_path / "sans-git"
    result = communs("init", str(folder), "--nom", "Les Jardins", "--sans-git")
    assert result.exit_code == 0, result.output
    assert not (folder / ".git").exists()
    assert {p.name for p in folder.iterdir()} == EXPECTED_FILES | {_exercice_file(folder).name}


def test_init_debut_exercice_non_calendaire(tmp_path: Path, communs: Communs) -> None:
    folder = tmp_path / "septembre"
    result = communs(
        "init", str(folder), "--nom", "Les Jardins", "--debut-exercice", "1-9", "--sans-git"
    )
    assert result.exit_code == 0, result.output
    assert load_config(folder / "main.beancount").data.exercice.debut == "01-09"
    exercice = _exercice_file(folder)
    today = datetime.date.today()
    start = today.year if today >= datetime.date(today.year, 9, 1) else today.year - 1
    assert exercice.name == f"{start}-{start + 1}.beancount"


def test_init_exercice_choisi(tmp_path: Path, communs: Communs) -> None:
    """``--exercice 2031``: the first exercice opens in 2031 whatever today is (1 January;
    1 September 2031 → 31 August 2032 with ``--debut-exercice 01-09``); a year out of
    range is a usage error and nothing is created."""
    folder = tmp_path / "futur"
    result = communs("init", str(folder), "--nom", "A", "--exercice", "2031", "--sans-git")
    assert result.exit_code == 0, result.output
    assert _exercice_file(folder).name == "2031.beancount"
    assert "exercice 2031 (du 1er janvier 2031 au 31 décembre 2031)" in result.output
    septembre = tmp_path / "septembre"
    result = communs(
        "init",
        str(septembre),
        "--nom",
        "B",
        "-e",
        "2031",
        "--debut-exercice",
        "01-09",
        "--sans-git",
    )
    assert result.exit_code == 0, result.output
    assert _exercice_file(septembre).name == "2031-2032.beancount"
    assert "du 1er septembre 2031 au 31 août 2032" in result.output
    done = run_communs("init", "asso", "--nom", "C", "--exercice", "31", cwd=tmp_path)
    assert done.returncode == 2
    assert one_line(done.stderr) == "Erreur : --exercice 31 : année attendue entre 1900 et 9998"
    assert not (tmp_path / "asso").exists()


def test_init_debut_exercice_invalide_code_2(tmp_path: Path, communs: Communs) -> None:
    done = run_communs(
        "init", "asso", "--nom", "Les Jardins", "--debut-exercice", "31-02", cwd=tmp_path
    )
    assert done.returncode == 2
    assert one_line(done.stderr) == (
        "Erreur : --debut-exercice « 31-02 » : « 31-02 » n'est pas un jour valide (JJ-MM)"
    )
    assert not (tmp_path / "asso").exists()
    result = communs("init", str(tmp_path / "asso"), "--nom", "X", "--debut-exercice", "septembre")
    assert result.exit_code == 2
    assert "format JJ-MM" in one_line(result.output)
    assert not (tmp_path / "asso").exists()


def test_init_nom_vide_code_2(tmp_path: Path) -> None:
    done = run_communs("init", "asso", "--nom", "  ", cwd=tmp_path)
    assert done.returncode == 2
    assert one_line(done.stderr) == "Erreur : --nom ne doit pas être vide"
    done = run_communs("init", "asso", cwd=tmp_path)
    assert done.returncode == 2
    assert "option obligatoire manquante : --nom" in one_line(done.stderr.replace("│", " "))
    assert not (tmp_path / "asso").exists()


# --- An interrupted init ---------------------------------------------------------------------


def _complet(folder: Path) -> None:
    """Files, hook, one commit holding them, nothing left to commit."""
    names = {p.name for p in folder.iterdir()} - {".git"}
    assert names == EXPECTED_FILES | {_exercice_file(folder).name}
    hook = folder / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)
    assert "communs verifier" in hook.read_text(encoding="utf-8")
    assert _git(folder, "rev-list", "--count", "HEAD").stdout.strip() == "1"
    assert _git(folder, "status", "--porcelain").stdout == ""


def test_init_force_termine_un_init_interrompu(tmp_path: Path, communs: Communs, git: str) -> None:
    """What an init killed after ``git init`` left: a repository without hook nor commit, one
    file written. ``init --force`` adds the missing files, the hook and the first commit."""
    folder = tmp_path / "interrompu"
    folder.mkdir()
    assert _git(folder, "init", "-q").returncode == 0
    (folder / "communs.yaml").write_text('association:\n  nom: "Les Jardins"\n', "utf-8")
    result = communs("init", str(folder), "--nom", "Les Jardins", "--force")
    assert result.exit_code == 0, result.output
    assert (
        "git dépôt Git existant sans commit complété : premier commit fait, vérification "
        "avant chaque commit"
    ) in one_line(result.stderr)
    _complet(folder)


def test_init_force_garde_un_depot_avec_historique(
    tmp_path: Path, communs: Communs, git: str
) -> None:
    folder = tmp_path / "historique"
    folder.mkdir()
    _git(folder, "init", "-q")
    (folder / "notes.txt").write_text("notes\n", "utf-8")
    _git(folder, "add", "-A")
    assert _git(folder, "commit", "-q", "-m", "Notes").returncode == 0
    result = communs("init", str(folder), "--nom", "Les Jardins", "--force")
    assert result.exit_code == 0, result.output
    assert "git dépôt Git existant conservé" in one_line(result.stderr)
    assert not (folder / ".git" / "hooks" / "pre-commit").exists()
    assert _git(folder, "rev-list", "--count", "HEAD").stdout.strip() == "1"


def test_init_tue_ne_laisse_pas_d_association_a_moitie_faite(tmp_path: Path, git: str) -> None:
    """SIGKILL as soon as the init has started writing: the target folder is absent (the work
    is in a hidden folder), so the same ``communs init`` simply runs again, and completes."""
    import signal
    import time

    from conftest import COMMUNS

    folder = tmp_path / "tuee"
    env = {**git_env(), "NO_COLOR": "1"}
    env.pop("COMMUNS_LEDGER", None)
    process = subprocess.Popen(
        [str(COMMUNS), "init", str(folder), "--nom", "Les Jardins"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # killed with its git and hook, as by a power cut
    )
    deadline = time.monotonic() + 60
    while not [p for p in tmp_path.iterdir() if p.name.startswith((".tuee.", "tuee"))]:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.001)
    time.sleep(0.05)  # inside the build: files, git init, hook or commit
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert not folder.exists() or not any(folder.iterdir())

    done = run_communs("init", str(folder), "--nom", "Les Jardins", env=git_env())
    assert done.returncode == 0, done.stderr
    _complet(folder)
    assert [p.name for p in tmp_path.iterdir()] == ["tuee"]  # the leftover build is removed
