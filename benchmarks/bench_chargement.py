"""Load time of generated ledgers with the communs plugins and without them.

Both variants are the same text: the "without" main file only lacks the
``plugin`` line. Each load runs in a fresh interpreter with Beancount's pickle
cache off (``loader._uncached_load_file``), so the plugin's import counts, as it
does for a user running ``bean-check``. The two variants alternate (the order
flips every round). The figures are CPU times, which other processes on the
machine disturb less than wall time; the ratio is the median of the per-round
ratios (the two loads of a round run back to back, under the same load of the
machine), the ratio of the best times and that of the wall times are reported
beside.
"""

from __future__ import annotations

import re

from grands_livres import ledger, without_plugins
from mesures import Mesure, median, run_json

TITRE = "Chargement du grand livre (avec / sans greffons)"
TAILLES = ((10_000, 15), (100_000, 5))  # (transactions, rounds)
CIBLE_RATIO = 1.05

_LOAD = r"""
import json, sys, time
from beancount import loader
journal = []
wall, cpu = time.perf_counter(), time.process_time()
entries, errors, options = loader._uncached_load_file(sys.argv[1], journal.append, None, None)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print(json.dumps({"mur": wall, "cpu": cpu, "erreurs": len(errors), "journal": journal}))
"""
_PLUGIN_TIME = re.compile(r"'communs_plugins\.plan_comptable'.*?([\d.]+) ms")


def _load(path) -> dict[str, float]:
    """One load: wall and CPU seconds, and the plugin's own seconds (if it ran)."""
    result = run_json(_LOAD, str(path))
    if result["erreurs"]:
        raise RuntimeError(f"{path} : {result['erreurs']} erreur(s) au chargement")
    times = {"mur": float(result["mur"]), "cpu": float(result["cpu"])}
    for line in result["journal"]:
        found = _PLUGIN_TIME.search(line)
        if found:
            times["greffon"] = float(found.group(1)) / 1000
    return times


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def measure(transactions: int, rounds: int) -> list[Mesure]:
    avec_path = ledger(transactions)
    sans_path = without_plugins(avec_path)
    avec: list[dict[str, float]] = []
    sans: list[dict[str, float]] = []
    for index in range(rounds):
        if index % 2 == 0:
            avec.append(_load(avec_path))
            sans.append(_load(sans_path))
        else:
            sans.append(_load(sans_path))
            avec.append(_load(avec_path))
    label = f"{_nombre(transactions)} écritures"
    cpu_avec = [a["cpu"] for a in avec]
    cpu_sans = [s["cpu"] for s in sans]
    ratios = [a / s for a, s in zip(cpu_avec, cpu_sans, strict=True)]
    mur_avec = [a["mur"] for a in avec]
    mur_sans = [s["mur"] for s in sans]
    greffon = [a["greffon"] for a in avec if "greffon" in a]
    mesures = [
        Mesure(
            f"Chargement {label}, avec greffons",
            median(cpu_avec),
            "s",
            details=f"CPU, médiane de {rounds} (meilleur {min(cpu_avec):.3f} s) ; "
            f"mur {median(mur_avec):.3f} s",
        ),
        Mesure(
            f"Chargement {label}, sans greffons",
            median(cpu_sans),
            "s",
            details=f"CPU, médiane de {rounds} (meilleur {min(cpu_sans):.3f} s) ; "
            f"mur {median(mur_sans):.3f} s",
        ),
        Mesure(
            f"Surcoût des greffons, {label}",
            median(ratios),
            "×",
            CIBLE_RATIO,
            details=(
                f"CPU, médiane des ratios par tour ({min(ratios):.3f} à {max(ratios):.3f}) ; "
                f"meilleurs temps {min(cpu_avec) / min(cpu_sans):.3f} ; "
                f"murs {median(mur_avec) / median(mur_sans):.3f}"
            ),
        ),
    ]
    if greffon:
        mesures.append(
            Mesure(
                f"Exécution du greffon plan_comptable, {label}",
                median(greffon),
                "s",
                details="hors import, d'après le journal de Beancount",
            )
        )
    return mesures


def run() -> list[Mesure]:
    return [m for transactions, rounds in TAILLES for m in measure(transactions, rounds)]
