"""Start-up of the command line: ``communs --help`` wall time."""

from __future__ import annotations

import sys
from pathlib import Path

from mesures import PYTHON, Mesure, median, wall_time

TITRE = "Démarrage de la commande communs"
RUNS = 10
CIBLE_S = 0.2


def _communs() -> list[str]:
    script = Path(sys.executable).parent / "communs"
    return [str(script)] if script.exists() else [PYTHON, "-m", "communs_ledger"]


def run() -> list[Mesure]:
    command = [*_communs(), "--help"]
    wall_time(command)  # warm the file system cache and the bytecode
    aide = [wall_time(command) for _ in range(RUNS)]
    vide = [wall_time([PYTHON, "-c", "pass"]) for _ in range(RUNS)]
    return [
        Mesure(
            "communs --help",
            median(aide),
            "s",
            CIBLE_S,
            details=f"médiane de {RUNS}, min {min(aide):.3f} s",
        ),
        Mesure("python -c pass (repère)", median(vide), "s", details=f"médiane de {RUNS}"),
    ]
