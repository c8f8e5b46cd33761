"""Loading the charts of accounts (plan comptable) from a cold cache, and the
cost of importing the validation plugin in a fresh interpreter.
"""

from __future__ import annotations

import time

from mesures import Mesure, median, run_json

from communs_ledger import plan

TITRE = "Plan comptable"
RUNS = 25
CIBLE_MS = 50.0

_IMPORT = r"""
import json, time
from beancount import loader  # already there when Beancount imports the plugin
start = time.perf_counter()
import communs_plugins.plan_comptable
elapsed = time.perf_counter() - start
print(json.dumps({"secondes": elapsed}))
"""
_IMPORT_BEANCOUNT = r"""
import json, time
start = time.perf_counter()
from beancount import loader
elapsed = time.perf_counter() - start
print(json.dumps({"secondes": elapsed}))
"""


def _cold_load(version: str) -> float:
    plan.load_chart.cache_clear()
    plan._index.cache_clear()
    start = time.perf_counter()
    plan.load_chart(version)
    return time.perf_counter() - start


def run() -> list[Mesure]:
    mesures = []
    for version in plan.VERSIONS:
        _cold_load(version)  # warm the file system cache and the imports
        times = [_cold_load(version) for _ in range(RUNS)]
        chart = plan.load_chart(version)
        mesures.append(
            Mesure(
                f"Chargement du plan {version} (cache vide)",
                median(times) * 1000,
                "ms",
                CIBLE_MS,
                details=f"médiane de {RUNS}, {len(chart.accounts)} comptes",
            )
        )
    imports = [float(run_json(_IMPORT)["secondes"]) for _ in range(5)]
    mesures.append(
        Mesure(
            "Import du greffon plan_comptable (après Beancount)",
            median(imports) * 1000,
            "ms",
            details="médiane de 5, processus neufs ; payé par chaque chargement avec greffons",
        )
    )
    beancount = [float(run_json(_IMPORT_BEANCOUNT)["secondes"]) for _ in range(5)]
    mesures.append(
        Mesure(
            "Import de beancount.loader (repère)",
            median(beancount) * 1000,
            "ms",
            details="médiane de 5",
        )
    )
    return mesures
