"""The commands of docs/budget.md run as shown, on a copy of the example association.

Every ``$ communs …`` command of a ``text`` block that names the example (``-f $E``)
is run in a real shell (``E=examples/association/main.beancount``, 100 columns, as
the chapter says) from a folder holding a copy of ``examples/association``. It must
exit 0, or 1 when the chapter shows « Erreur : » (with that message); every figure the
chapter shows for it (amounts ``1 234,56``, ``-3,7 %``, CSV values ``1234.56``, row
ids ``ligne:6132``) must be in the real output: the figures are checked, not the
layout of the terminal. Commands on another ledger (a Git copy, a modified copy) are
shown for their messages and are not run here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import COMMUNS, EXEMPLE_DIR, ROOT

DOC = ROOT / "docs" / "budget.md"


def _commands(text: str) -> list[tuple[int, str, list[str]]]:
    """(line number, command, lines shown) of each ``$ communs … -f $E`` in text blocks."""
    found: list[tuple[int, str, list[str]]] = []
    lines = text.splitlines()
    in_block = False
    current: tuple[int, str, list[str]] | None = None
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            if in_block and current is not None:
                found.append(current)
            in_block = line == "```text" and not in_block
            current = None
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            if current is not None:
                found.append(current)
            command = line[2:]
            current = (number, command, []) if "-f $E" in command else None
        elif current is not None:
            current[2].append(line)
    return found


COMMANDES = _commands(DOC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    shutil.copytree(EXEMPLE_DIR, folder / "examples" / "association")
    return folder


def test_le_chapitre_montre_des_commandes() -> None:
    assert len(COMMANDES) >= 12
    assert any("comparer vote revise" in c for _n, c, _l in COMMANDES)


@pytest.mark.parametrize(
    ("ligne", "commande", "attendu"), COMMANDES, ids=[f"l{n}" for n, _c, _l in COMMANDES]
)
def test_commande_du_chapitre(dossier: Path, ligne: int, commande: str, attendu: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COMMUNS_LEDGER", "FORCE_COLOR")}
    env.update(
        {
            "COLUMNS": "100",
            "NO_COLOR": "1",
            "E": "examples/association/main.beancount",
            "PATH": f"{Path(COMMUNS).parent}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", commande],
        cwd=dossier,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    erreurs = [line for line in attendu if line.startswith("Erreur : ")]
    expected = 1 if erreurs else 0
    where = f"docs/budget.md:{ligne}: {commande}"
    assert done.returncode == expected, f"{where}\n{done.stdout}{done.stderr}"
    for erreur in erreurs:  # a failure shown in the chapter: its message, as shown
        assert erreur in (done.stdout + done.stderr).replace("\n", " "), where
    output = _normal(done.stdout)
    missing = [f for f in _figures(attendu) if f not in output]
    assert not missing, f"docs/budget.md:{ligne}: {commande}\n" + "\n".join(missing)


FIGURE = re.compile(
    r"-?\d{1,3}(?:[ \u202f\xa0]\d{3})*,\d{1,2}(?:[ \u202f\xa0]%)?"  # 1 234,56 ; -3,7 %
    r"|-?\d+\.\d{2,4}"  # CSV, JSON
    r"|\b(?:ligne|chapitre|hors_budget):[\w:-]+"  # row ids
)


def _normal(text: str) -> str:
    return re.sub(r"[ \u202f\xa0]+", " ", text)


def _figures(lines: list[str]) -> list[str]:
    return [_normal(m.group(0)) for line in lines for m in FIGURE.finditer(line)]
