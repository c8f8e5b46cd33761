"""What a benchmark returns (:class:`Mesure`) and the timing helpers they share."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass
class Mesure:
    """One measured figure, with its upper target if it has one."""

    nom: str
    valeur: float
    unite: str  # "s", "ms" or "×" (a ratio)
    cible: float | None = None  # the figure must stay at or below it
    details: str = ""

    @property
    def ok(self) -> bool | None:
        return None if self.cible is None else self.valeur <= self.cible

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok}


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def wall_time(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds a command takes from start to exit (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def run_json(code: str, *args: str) -> dict[str, object]:
    """Run a Python snippet in a fresh interpreter; it prints one JSON object."""
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    done = subprocess.run(
        [PYTHON, "-c", code, *args], check=False, capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise RuntimeError(f"mesure en échec :\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def repeat(function: Callable[[], float], runs: int) -> list[float]:
    return [function() for _ in range(runs)]
