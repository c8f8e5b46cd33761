"""Load time of generated ledgers with the communs plugins and without them.

The target (≤ 1.05) concerns the validation plugin ``plan_comptable``, which
every ledger declares: the "avec" main file declares it, the "sans" one is the
same text without its ``plugin`` line. The budget plugin, which only works when
budgets are declared (the generated ledgers have some), is measured apart, in
the long-lived process: full main file (both plugins) against "avec".

Each load runs in a fresh interpreter with Beancount's pickle cache off
(``loader._uncached_load_file``), so the plugin's import counts, as it does
for a user running ``bean-check``. The two variants alternate (the order
flips every round). The figures are CPU times. The ratio reported against the
target is that of the best (minimum) times of each variant: noise from other
processes only ever adds time, so the minimum is the least disturbed estimate;
the median of the per-round ratios and the ratio of the median times are shown
beside it. The same comparison is also made inside one long-lived process
(imports paid once, as in Fava).

Beancount's pickle cache (used by ``communs`` and ``bean-check`` when a load takes
over a second) is measured apart, on the 10 000-entry ledger copied twice into a
temporary folder: one copy's cache is validated by communs (ledger path, content
of every source and side file, include patterns, see ``communs_ledger.cache``),
the other's was written without that validation (Beancount's modification times
only). Fresh interpreters load each copy in turn, as ``bean-check`` does; every
load must be a cache hit. The ratio is that of the best CPU times.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from grands_livres import ledger, validation_only, without_plugins
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
# The same comparison inside one long-lived process (as in Fava, which reloads the
# ledger when a file changes): imports are paid once, before the first round.
_WARM = r"""
import json, sys, time
from beancount import loader
avec, sans, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
for path in (avec, sans):
    loader._uncached_load_file(path, None, None, None)  # warm-up: imports, caches
ratios, times_avec, times_sans = [], [], []
for index in range(rounds):
    order = (avec, sans) if index % 2 == 0 else (sans, avec)
    measured = {}
    for path in order:
        cpu = time.process_time()
        loader._uncached_load_file(path, None, None, None)
        measured[path] = time.process_time() - cpu
    times_avec.append(measured[avec])
    times_sans.append(measured[sans])
    ratios.append(measured[avec] / measured[sans])
print(json.dumps({"ratios": ratios, "avec": times_avec, "sans": times_sans}))
"""
# Write the two caches: threshold 0, the communs guard disabled for the "sans" copy.
_CACHE_SETUP = r"""
import json, sys
from beancount import loader
import communs_plugins.plan_comptable as plan_comptable
loader.PICKLE_CACHE_THRESHOLD = 0
loader.initialize(use_cache=True)
loader.load_file(sys.argv[1])
plan_comptable.guard_cache = lambda options_map: None
loader.load_file(sys.argv[2])
print(json.dumps({}))
"""
# One load through the cache, in a fresh interpreter (as bean-check).
_CACHE_LOAD = r"""
import json, sys, time
from beancount import loader
loader.initialize(use_cache=True)
wall, cpu = time.perf_counter(), time.process_time()
entries, errors, options = loader.load_file(sys.argv[1])
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
checked = any(type(name).__name__ == "_Checked" for name in options["include"])
print(json.dumps({"mur": wall, "cpu": cpu, "erreurs": len(errors), "valide": checked}))
"""
CACHE_ROUNDS = 9
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
    complet_path = ledger(transactions)
    avec_path = validation_only(complet_path)
    sans_path = without_plugins(complet_path)
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
            f"Chargement {label}, avec le greffon plan_comptable",
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
            f"Surcoût du greffon plan_comptable, {label}",
            min(cpu_avec) / min(cpu_sans),
            "×",
            CIBLE_RATIO,
            details=(
                f"CPU, rapport des meilleurs temps ; médiane des ratios par tour "
                f"{median(ratios):.3f} ({min(ratios):.3f} à {max(ratios):.3f}) ; rapport des "
                f"médianes {median(cpu_avec) / median(cpu_sans):.3f}"
            ),
        ),
    ]
    warm = run_json(_WARM, str(avec_path), str(sans_path), str(rounds))
    warm_ratios = [float(r) for r in warm["ratios"]]  # type: ignore[union-attr]
    warm_avec = [float(t) for t in warm["avec"]]  # type: ignore[union-attr]
    warm_sans = [float(t) for t in warm["sans"]]  # type: ignore[union-attr]
    mesures.append(
        Mesure(
            f"Surcoût du greffon plan_comptable, {label}, processus déjà chargé (Fava)",
            min(warm_avec) / min(warm_sans),
            "×",
            CIBLE_RATIO,
            details=(
                f"CPU, imports déjà faits, rapport des meilleurs temps ; médiane des "
                f"{rounds} ratios {median(warm_ratios):.3f}"
            ),
        )
    )
    budget = run_json(_WARM, str(complet_path), str(avec_path), str(rounds))
    budget_avec = [float(t) for t in budget["avec"]]  # type: ignore[union-attr]
    budget_sans = [float(t) for t in budget["sans"]]  # type: ignore[union-attr]
    mesures.append(
        Mesure(
            f"Surcoût du greffon budget, {label}, processus déjà chargé",
            min(budget_avec) / min(budget_sans),
            "×",
            details=(
                f"budgets déclarés (un fichier par exercice) ; "
                f"{(min(budget_avec) - min(budget_sans)) * 1000:.0f} ms : fichiers de budget, "
                "règles de suivi, budgets de Fava"
            ),
        )
    )
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


def _cache_hit(main: Path, validated: bool) -> float:
    """CPU seconds of one load that must be served by the cache (file left untouched)."""
    cache = main.parent / ".main.beancount.picklecache"
    before = cache.stat().st_mtime_ns
    result = run_json(_CACHE_LOAD, str(main))
    if cache.stat().st_mtime_ns != before or bool(result["valide"]) != validated:
        raise RuntimeError(f"{main} : chargement hors du cache")
    return float(result["cpu"])  # type: ignore[arg-type]


def measure_cache(transactions: int, rounds: int) -> list[Mesure]:
    source = ledger(transactions).parent
    label = f"{_nombre(transactions)} écritures"
    with tempfile.TemporaryDirectory(prefix="communs-bench-cache-") as temp:
        ignore = shutil.ignore_patterns(".*.picklecache")
        avec = Path(shutil.copytree(source, Path(temp) / "avec", ignore=ignore)) / "main.beancount"
        sans = Path(shutil.copytree(source, Path(temp) / "sans", ignore=ignore)) / "main.beancount"
        run_json(_CACHE_SETUP, str(avec), str(sans))
        times_avec: list[float] = []
        times_sans: list[float] = []
        for index in range(rounds):
            order = [(avec, True), (sans, False)]
            if index % 2:
                order.reverse()
            for main, validated in order:
                (times_avec if validated else times_sans).append(_cache_hit(main, validated))
        sans_cache = [_load(avec)["cpu"] for _ in range(3)]
    return [
        Mesure(
            f"Chargement {label} depuis le cache de Beancount, validé sur le contenu",
            median(times_avec),
            "s",
            details=f"CPU, processus neuf (bean-check), médiane de {rounds} "
            f"(meilleur {min(times_avec):.3f} s)",
        ),
        Mesure(
            f"Surcoût de la validation du cache (chemin, contenu, include), {label}",
            min(times_avec) / min(times_sans),
            "×",
            details=f"CPU, rapport des meilleurs temps contre le cache validé par Beancount seul "
            f"(dates des fichiers) ; rapport des médianes "
            f"{median(times_avec) / median(times_sans):.3f}",
        ),
        Mesure(
            f"Gain du cache validé, {label}",
            min(sans_cache) / min(times_avec),
            "×",
            details=f"chargement sans cache {min(sans_cache):.3f} s (CPU, meilleur de 3) "
            "divisé par le chargement depuis le cache validé",
        ),
    ]


def run() -> list[Mesure]:
    mesures = [m for transactions, rounds in TAILLES for m in measure(transactions, rounds)]
    return mesures + measure_cache(TAILLES[0][0], CACHE_ROUNDS)
