"""The load path's speed-ups change no figure: garbage collector paused (and frozen in
the ``communs`` process), Typer's rich display imported only when drawn."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.chargement import load_livre
from conftest import EXEMPLE, HEADER, run_communs

PROBE = """\
import gc

__plugins__ = ("sonde",)
SEEN = []


def sonde(entries, options_map):
    SEEN.append(gc.isenabled())
    return entries, []
"""


def test_ramasse_miettes_suspendu_pendant_le_chargement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sonde_gc_chargement.py").write_text(PROBE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    ledger = tmp_path / "main.beancount"
    ledger.write_text(
        HEADER
        + textwrap.dedent(
            """\
            plugin "sonde_gc_chargement"
            2025-01-01 open Actif:51-Banques:512-Banque
            2025-01-01 open Produits:75-Autres-produits:756-Cotisations
            2025-02-01 * "Cotisation"
              Actif:51-Banques:512-Banque  30.00 EUR
              Produits:75-Autres-produits:756-Cotisations
            """
        ),
        encoding="utf-8",
    )
    assert gc.isenabled()
    livre = load_livre(ledger)
    probe = sys.modules["sonde_gc_chargement"]
    assert probe.SEEN == [False]  # plugins ran with the collector off
    assert gc.isenabled()  # and it is back on afterwards
    assert livre.ok and len(livre.entries) == 3


@pytest.mark.parametrize(
    "args",
    [
        ("resultat", "--exercice", "2025"),
        ("bilan", "--exercice", "2025"),
        ("grand-livre", "--exercice", "2025"),
        ("budget",),
        ("tresorerie",),
    ],
)
def test_json_identique_processus_gele_et_en_memoire(
    args: tuple[str, ...], communs: Callable[..., Any]
) -> None:
    """The ``communs`` process freezes the loaded ledger; Typer's runner (a long-lived
    process, collector untouched) must print the very same report."""
    command = [args[0], "-f", str(EXEMPLE), *args[1:], "--format", "json"]
    frozen = run_communs(*command)
    plain = communs(*command)
    assert frozen.returncode == plain.exit_code == 0
    assert json.loads(frozen.stdout) == json.loads(plain.stdout)
    assert frozen.stdout == plain.stdout


def test_demarrage_sans_rich() -> None:
    """Rich (Typer's help and error panels) is imported only when something is drawn."""
    code = (
        "import sys; import communs_ledger.cli.app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'openpyxl', "
        "'jinja2', 'fava') or m == 'typer.rich_utils'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_collecteur_rendu_apres_import_de_la_ligne_de_commande() -> None:
    """Importing the CLI pauses the collector only while Typer and the commands load: a
    process that imports it (tests, Fava) keeps its collector; ``communs`` itself
    (``main``) runs with it off, every report identical (test above)."""
    code = (
        "import gc; import communs_ledger.cli.app as app; a = gc.isenabled(); "
        "gc.disable(); import importlib; importlib.reload(app); print(a, gc.isenabled())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]
