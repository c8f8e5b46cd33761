"""Shared helpers: writing small ledgers to disk and loading them for real.

Beancount parses each file with its own options, so every ``.beancount`` file
written here (the main one and each included one) starts with the five
``option "name_*"`` lines. :data:`HEADER` is those five lines followed by the
plugin line: the body of a ledger written with :func:`write_ledger` starts at
line :data:`FIRST_BODY_LINE` (7) of the file.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference"
VENV_BIN = Path(sys.executable).parent
COMMUNS = VENV_BIN / "communs"


def _copy_example() -> Path:
    """examples/association copied once per test run into a temporary folder.

    Tests never write into the repository: those that only read the example load this
    copy (a load may write Beancount's cache beside the ledger); those that change it
    copy it again into their own ``tmp_path``.
    """
    folder = Path(tempfile.mkdtemp(prefix="communs-exemple-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = folder / "association"
    source = ROOT / "examples" / "association"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*.picklecache"))
    return target


def _private_cache_folder() -> None:
    """communs-ledger's own caches (:mod:`communs_ledger.disk_cache`) in a temporary folder
    of this run, inherited by every command the tests start: nothing written in the
    user's ``~/.cache``, no entry left by an earlier run."""
    folder = tempfile.mkdtemp(prefix="communs-cache-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["COMMUNS_CACHE"] = folder


_private_cache_folder()

EXEMPLE_DIR = _copy_example()
"""A copy of ``examples/association`` (read-only use; copy it again to change it)."""
EXEMPLE = EXEMPLE_DIR / "main.beancount"

ROOT_OPTIONS = textwrap.dedent(
    """\
    option "name_assets" "Actif"
    option "name_liabilities" "Passif"
    option "name_equity" "Fonds-propres"
    option "name_income" "Produits"
    option "name_expenses" "Charges"
    """
)
PLUGIN_LINE = 'plugin "communs_plugins.plan_comptable"\n'
HEADER = ROOT_OPTIONS + PLUGIN_LINE
FIRST_BODY_LINE = 7


def write_ledger(
    folder: Path,
    body: str,
    *,
    name: str = "main.beancount",
    plugin: str | None = PLUGIN_LINE,
    config: str | None = None,
    included: dict[str, str] | None = None,
) -> Path:
    """Write a ledger (header + dedented body) and optionally ``communs.yaml`` and includes.

    ``plugin`` replaces the plugin line (``None`` leaves the line empty, so that
    line numbers do not move). Included files get the five root options (5 lines)
    before their dedented body, so their body starts at line 6.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(ROOT_OPTIONS + (plugin or "\n") + textwrap.dedent(body), encoding="utf-8")
    if config is not None:
        (folder / "communs.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    for relative, text in (included or {}).items():
        (folder / relative).write_text(ROOT_OPTIONS + textwrap.dedent(text), encoding="utf-8")
    return path


@dataclass(frozen=True, order=True)
class Found:
    """One error of a load: file name (no folder), line, message."""

    fichier: str
    ligne: int
    message: str


def errors_of(errors: list) -> list[Found]:
    """Beancount-shaped errors as sorted :class:`Found` (file base name, line, message)."""
    found = []
    for error in errors:
        source = error.source or {}
        filename = str(source.get("filename") or "")
        found.append(Found(Path(filename).name, int(source.get("lineno") or 0), error.message))
    return sorted(found)


def load_errors(path: Path) -> list[Found]:
    """Load with the real Beancount loader (plugins declared in the file) and list errors."""
    from beancount import loader

    _entries, errors, _options = loader.load_file(str(path))
    return errors_of(errors)


def line_at(path: Path, number: int) -> str:
    """The text of line ``number`` (1-based) of a file, stripped."""
    return path.read_text(encoding="utf-8").splitlines()[number - 1].strip()


def one_line(text: str) -> str:
    """Collapse whitespace (rich wraps messages at the terminal width)."""
    return " ".join(text.split())


def assert_no_traceback(*outputs: str | bytes | None) -> None:
    for output in outputs:
        if output is None:
            continue
        text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
        assert "Traceback" not in text, text


def git_env() -> dict[str, str]:
    """Environment for running git in tests: a fixed identity, no user config."""
    env = dict(os.environ)
    env.update(
        {
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.org",
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    return env


# --- A valid ledger over two exercices (2024: chart 2018, 2025: chart 2025) --------------

# Accounts shared by the tests' small ledgers.
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
LIVRET = "Actif:51-Banques:512-Banques:Livret"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
FOURNISSEUR = "Passif:40-Fournisseurs:401-Fournisseurs"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
SUBVENTION = "Produits:74-Subventions:741-Subventions-d-exploitation"
BENEVOLAT_EMPLOI = "Charges:86-Emplois-CVN:864-Personnel-benevole"
BENEVOLAT = "Produits:87-CVN:875-Benevolat"

VALID_MAIN = """\
option "title" "Les Jardins de la Bièvre"
option "operating_currency" "EUR"
option "account_current_earnings" "12-Resultat:120-Resultat-de-l-exercice"
option "account_previous_earnings" "11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
option "account_previous_balances" "89-Bilan:890-Bilan-d-ouverture"

include "comptes.beancount"
include "2024.beancount"
include "2025.beancount"
"""
VALID_ACCOUNTS = f"""\
2024-01-01 open {BANQUE} EUR
2024-01-01 open Actif:51-Banques:512-Banques:Livret EUR
2024-01-01 open Passif:51-Banques:512-Banques:Decouvert EUR
2024-01-01 open {FONDS}
2024-01-01 open Actif:44-Etat:441-Subventions-a-recevoir:Region
2024-01-01 open Passif:40-Fournisseurs:401-Fournisseurs
2024-01-01 open Passif:43-Organismes-sociaux:431-Urssaf
2024-01-01 open Passif:42-Personnel:421-Remunerations-dues
2024-01-01 open Charges:60-Achats:6064-Fournitures-administratives
2024-01-01 open Charges:62-Autres-services-exterieurs:62261-Honoraires-CAC
2024-01-01 open Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires
2024-01-01 open Charges:64-Charges-de-personnel:645-Charges-sociales
2024-01-01 open Charges:86-Emplois-CVN:864-Personnel-benevole
2024-01-01 open Produits:75-Autres-produits:756-Cotisations
2024-01-01 open Produits:74-Subventions:7401-Region
2024-01-01 open Produits:87-CVN:875-Benevolat
2024-01-01 open Actif:53-Caisse:531-Caisse EUR
2025-01-01 open Actif:53-Caisse EUR
2025-01-01 open Produits:74-Subventions:741-Subventions-d-exploitation:Region
"""
VALID_2024 = f"""\
2024-01-05 * "Apport initial"
  {BANQUE}  20000.00 EUR
  {FONDS}

2024-02-01 * "Fonds de caisse"
  Actif:53-Caisse:531-Caisse  100.00 EUR
  {BANQUE}

2024-03-10 * "Région" "Notification de subvention"
  Actif:44-Etat:441-Subventions-a-recevoir:Region  12000.00 EUR
  Produits:74-Subventions:7401-Region

2024-04-30 * "Paie d'avril"
  Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires  2100.00 EUR
  Charges:64-Charges-de-personnel:645-Charges-sociales  880.00 EUR
  Passif:42-Personnel:421-Remunerations-dues  -1640.00 EUR
  Passif:43-Organismes-sociaux:431-Urssaf  -1340.00 EUR

2024-06-30 * "Bénévolat du semestre"
  Charges:86-Emplois-CVN:864-Personnel-benevole  2340.00 EUR
  Produits:87-CVN:875-Benevolat

2024-12-20 * "Caisse versée en banque"
  {BANQUE}  100.00 EUR
  Actif:53-Caisse:531-Caisse
"""
VALID_2025 = f"""\
2025-01-15 * "Cotisations"
  {BANQUE}  450.00 EUR
  Produits:75-Autres-produits:756-Cotisations

2025-02-01 * "Fonds de caisse"
  Actif:53-Caisse  80.00 EUR
  {BANQUE}

2025-03-10 * "Région" "Subvention de fonctionnement 2025"
  Actif:44-Etat:441-Subventions-a-recevoir:Region  12000.00 EUR
  Produits:74-Subventions:741-Subventions-d-exploitation:Region

2025-05-02 * "Cabinet Martin" "Honoraires CAC"
  Charges:62-Autres-services-exterieurs:62261-Honoraires-CAC  1800.00 EUR
  Passif:40-Fournisseurs:401-Fournisseurs

2025-06-30 * "Bénévolat du semestre"
  Charges:86-Emplois-CVN:864-Personnel-benevole  1170.00 EUR
  Produits:87-CVN:875-Benevolat
"""
VALID_TRANSACTIONS = 11
VALID_ACCOUNT_COUNT = 19


def write_valid_ledger(folder: Path, plugin: str | None = PLUGIN_LINE) -> Path:
    """A valid association ledger: main file, accounts, one file per exercice, config.

    Every file repeats the five root options; in the included files the body
    starts at line 6.
    """
    return write_ledger(
        folder,
        VALID_MAIN,
        plugin=plugin,
        config='association:\n  nom: "Les Jardins de la Bièvre"\n  siren: "123456782"\n',
        included={
            "comptes.beancount": VALID_ACCOUNTS,
            "2024.beancount": VALID_2024,
            "2025.beancount": VALID_2025,
        },
    )


# --- Command line -------------------------------------------------------------------------

# Deterministic terminal output: wide enough not to wrap, no colours, no ledger from outside.
CLI_ENV: dict[str, str | None] = {
    "COLUMNS": "200",
    "NO_COLOR": "1",
    "FORCE_COLOR": None,
    "COMMUNS_LEDGER": None,
    "COMMUNS_DEBUG": None,
}


@pytest.fixture
def communs() -> Callable[..., Any]:
    """Run ``communs ARGS`` in process with Typer's CliRunner; never a traceback in the output."""
    from typer.testing import CliRunner

    from communs_ledger.cli.app import app

    runner = CliRunner(env=CLI_ENV)

    def invoke(*args: str, env: dict[str, str | None] | None = None) -> Any:
        result = runner.invoke(app, list(args), env=env)
        assert_no_traceback(result.output)
        return result

    return invoke


def run_communs(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``communs`` command in a real subprocess."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("COMMUNS_LEDGER", "FORCE_COLOR")}
    full_env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    full_env.update(env or {})
    done = subprocess.run(
        [str(COMMUNS), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_no_traceback(done.stdout, done.stderr)
    return done


@pytest.fixture
def ledger_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder, made the current folder (messages show paths relative to it)."""
    folder = tmp_path / "asso"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture(scope="session")
def git() -> str:
    found = shutil.which("git")
    if found is None:
        pytest.fail("git est nécessaire aux tests (communs init crée un dépôt)")
    return found


@pytest.fixture
def copie_exemple(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/association (without Beancount's cache), made the current folder."""
    target = tmp_path / "asso"
    exemple = Path(__file__).resolve().parents[1] / "examples" / "association"
    shutil.copytree(exemple, target, ignore=shutil.ignore_patterns("*picklecache*"))
    monkeypatch.chdir(target)
    return target


# --- Families of slow tests, left out by `make test-rapide` -------------------------------

NAVIGATEUR = frozenset(
    {"test_fava_navigateur.py", "test_comptes_annuels_pdf.py", "test_rapport_financier_pdf.py"}
)
"""Files whose tests drive Debian's Chromium through Playwright (marked ``navigateur``)."""
TABLEUR = frozenset({"test_rendu_xlsx.py::test_libreoffice_ouvre_le_classeur"})
"""Tests that open a workbook in LibreOffice, ``soffice`` (marked ``tableur``)."""
LENT = frozenset(
    {
        "test_docs_commandes.py",  # every command of the user guide, one subprocess each
        "test_docs_budget.py",  # the commands of docs/budget.md, likewise
        "test_fichiers_yaml_pieges.py",  # each trapped side file through the real commands
        "test_yaml_securite.py",  # alias bombs, hostile paths: subprocesses under bounds
        "test_messages_francais.py",  # usage errors of the real command, one subprocess each
        "test_generateur.py",  # large generated ledgers (communs exemple), thousands of entries
    }
)
"""Files whose tests are all slow by nature (marked ``lent``, like the wheel install)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        name = item.path.name
        if name in NAVIGATEUR:
            item.add_marker(pytest.mark.navigateur)
        if f"{name}::{getattr(item, 'originalname', item.name)}" in TABLEUR:
            item.add_marker(pytest.mark.tableur)
        if name in LENT:
            item.add_marker(pytest.mark.lent)


# --- Nothing written into the repository --------------------------------------------------

_TOLERATED = (
    "__pycache__/",
    ".pytest_cache/",
    ".hypothesis/",
    ".ruff_cache/",
    ".mypy_cache/",
    ".venv/",
)


def _repository_files() -> set[str] | None:
    """``git status`` of the repository (new, ignored and modified paths), or None outside
    Git. Screenshots asked for the documentation (``COMMUNS_CAPTURES_DOCS=1``) are allowed."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    done = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--ignored", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    tolerated = _TOLERATED
    if os.environ.get("COMMUNS_CAPTURES_DOCS") == "1":
        tolerated += ("docs/images/",)
    return {
        line for line in done.stdout.splitlines() if not any(part in line for part in tolerated)
    }


_BEFORE: set[str] | None = None


def pytest_sessionstart(session: pytest.Session) -> None:
    global _BEFORE
    _BEFORE = _repository_files()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if the tests left new files in the repository tree."""
    after = _repository_files()
    if _BEFORE is None or after is None:
        return
    new = sorted(line[3:] for line in after - _BEFORE)
    if new:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "Des tests ont écrit dans le dépôt (à faire dans tmp_path) : " + ", ".join(new)
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(message, red=True)
        else:
            print(message, file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
