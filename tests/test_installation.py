"""The plugin is importable by name after a regular (non-editable) install of the wheel.

The wheel is built from the repository, installed with ``pip --target`` in a
temporary folder, and ``bean-check`` runs in a subprocess with only that folder
added to ``PYTHONPATH``: the French error must appear, and the subprocess itself
reports that ``communs_plugins`` and the chart data came from that folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, VENV_BIN, assert_no_traceback, write_ledger

BODY = """\
2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2025-01-01 open Charges:60-Achats:6132-Loyer
"""
LOYER = (
    "main.beancount:8: Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne prolonge pas "
    "le numéro de son parent « 60-Achats » : un sous-compte de 60 doit avoir un numéro plus "
    "long commençant par 60"
)

# Runs bean-check as its console script does, then reports where the modules came from.
PROBE = """\
import atexit, json, sys

def report():
    import communs_ledger, communs_plugins
    from communs_ledger.plan import plan_comptable_dir
    plugin = sys.modules.get("communs_plugins.plan_comptable")
    sys.stderr.write("PROBE " + json.dumps({
        "communs_plugins": communs_plugins.__file__,
        "plan_comptable": plugin.__file__ if plugin else None,
        "communs_ledger": communs_ledger.__file__,
        "donnees": str(plan_comptable_dir()),
    }) + "\\n")

atexit.register(report)
from beancount.scripts.check import main
sys.argv = ["bean-check", sys.argv[1]]
sys.exit(main())
"""


def _env(extra_path: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return env


def _probe(ledger: Path, extra_path: Path | None) -> tuple[subprocess.CompletedProcess, dict]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ledger)],
        cwd=ledger.parent,
        env=_env(extra_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert_no_traceback(done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.startswith("PROBE ")]
    assert len(lines) == 1, done.stderr
    return done, json.loads(lines[0].removeprefix("PROBE "))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("roue")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(out.glob("communs_ledger-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.lent
def test_contenu_de_la_roue(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "communs_plugins/__init__.py",
        "communs_plugins/plan_comptable.py",
        "communs_ledger/plan.py",
        "communs_ledger/plan_comptable/plan.yaml",
        "communs_ledger/plan_comptable/pca_2018.csv",
        "communs_ledger/plan_comptable/pca_2025.csv",
        "communs_ledger/plan_comptable/retraits_2025.csv",
        "communs_ledger/plan_comptable/compte_de_resultat.yaml",
        "communs_ledger/plan_comptable/bilan.yaml",
        "communs_ledger/plan_comptable/comptes_de_depart.yaml",
        "communs_ledger/modeles/main.beancount.j2",
        "communs_ledger/fava_ext/templates/communs_macros.html",
        "communs_ledger/fava_ext/static/imprimer.js",
        "communs_ledger/docs/fava.md",  # the guide served inside Fava
        "communs_ledger/docs/images/fava-TableauDeBord.png",
    ):
        assert required in names, required
    assert not [n for n in names if n.endswith("_test.py") or "/test_" in n]


@pytest.mark.lent
def test_greffon_importable_depuis_une_installation_normale(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ledger = write_ledger(tmp_path / "asso", BODY)

    checked, where = _probe(ledger, target)
    assert checked.returncode == 1
    assert LOYER in checked.stderr + checked.stdout
    assert "Error importing" not in checked.stderr
    for module in ("communs_plugins", "plan_comptable", "communs_ledger"):
        assert Path(where[module]).resolve().is_relative_to(target.resolve()), where
    assert (
        Path(where["donnees"]).resolve() == (target / "communs_ledger" / "plan_comptable").resolve()
    )

    # The real console entry point, too.
    done = subprocess.run(
        [sys.executable, "-m", "beancount.scripts.check", str(ledger)],
        cwd=ledger.parent,
        env=_env(target),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert LOYER in done.stdout + done.stderr


def test_greffon_importable_depuis_l_installation_editable(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "asso", BODY)
    done = subprocess.run(
        [str(VENV_BIN / "bean-check"), str(ledger)],
        cwd=ledger.parent,
        env=_env(None),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert_no_traceback(done.stdout, done.stderr)
    assert done.returncode == 1
    assert LOYER in done.stdout + done.stderr
    assert "Error importing" not in done.stderr

    _checked, where = _probe(ledger, None)
    assert (
        Path(where["plan_comptable"]) == ROOT / "plugins" / "communs_plugins" / "plan_comptable.py"
    )
    assert Path(where["donnees"]) == ROOT / "plan_comptable"
