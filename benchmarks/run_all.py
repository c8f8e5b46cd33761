"""Run every benchmark and print the figures against their targets (``make bench``).

Each ``bench_*.py`` module beside this file exposes ``run() -> list[Mesure]``
(and optionally ``TITRE``); adding a benchmark is adding such a module. The
results also go to ``benchmarks/resultats/derniers.json`` (git-ignored).

Usage::

    .venv/bin/python benchmarks/run_all.py [--seulement chargement,plan] [--strict]

Exit code 1 if a benchmark crashed, or with ``--strict`` if a target is missed.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import importlib
import json
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from mesures import ROOT, Mesure  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from communs_ledger.ecriture import write_file  # noqa: E402

RESULTATS = HERE / "resultats" / "derniers.json"


def discover(only: list[str] | None = None) -> list[str]:
    """Names of the benchmark modules, in alphabetical order."""
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    if only:
        names = [name for name in names if name.removeprefix("bench_") in only]
    return names


def _value(mesure: Mesure) -> str:
    if mesure.unite == "×":
        return f"{mesure.valeur:.3f}"
    if mesure.unite == "ms":
        return f"{mesure.valeur:.1f} ms"
    return f"{mesure.valeur:.3f} s"


def _target(mesure: Mesure) -> str:
    if mesure.cible is None:
        return ""
    if mesure.unite == "×":
        return f"≤ {mesure.cible:.2f}"
    if mesure.unite == "ms":
        return f"≤ {mesure.cible:.0f} ms"
    return f"≤ {mesure.cible:.2f} s"


def _verdict(mesure: Mesure) -> str:
    if mesure.ok is None:
        return "[dim]—[/]"
    ratio = f" ({mesure.valeur / mesure.cible:.0%} de la cible)" if mesure.cible else ""
    return f"[green]✓[/]{ratio}" if mesure.ok else f"[bold red]✗[/]{ratio}"


def table(results: dict[str, list[Mesure]], titles: dict[str, str]) -> Table:
    grid = Table(title="Mesures de performance", title_justify="left")
    grid.add_column("Mesure")
    grid.add_column("Valeur", justify="right")
    grid.add_column("Cible", justify="right")
    grid.add_column("Résultat")
    grid.add_column("Détails", style="dim")
    for name, mesures in results.items():
        grid.add_section()
        grid.add_row(f"[bold]{titles[name]}[/]", "", "", "", "")
        for mesure in mesures:
            grid.add_row(
                mesure.nom, _value(mesure), _target(mesure), _verdict(mesure), mesure.details
            )
    return grid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesures de performance de communs-ledger.")
    parser.add_argument("--seulement", help="mesures à lancer, séparées par des virgules")
    parser.add_argument("--strict", action="store_true", help="code 1 si une cible est manquée")
    args = parser.parse_args(argv)
    only = [part.strip() for part in args.seulement.split(",")] if args.seulement else None

    console = Console()
    if not console.is_terminal:  # make bench piped to a file or CI log: no 80-column wrap
        console = Console(width=160)
    # Measure what users run: modules with their bytecode cached. Python writes it on
    # first import, unless PYTHONDONTWRITEBYTECODE is set (as in some sandboxes and CI),
    # in which case every fresh process would recompile our sources.
    for folder in ("src", "plugins"):
        compileall.compile_dir(ROOT / folder, quiet=1)
    started = time.perf_counter()
    results: dict[str, list[Mesure]] = {}
    titles: dict[str, str] = {}
    crashed: list[str] = []
    for name in discover(only):
        module = importlib.import_module(name)
        titles[name] = getattr(module, "TITRE", name)
        with console.status(f"Mesure en cours : {titles[name]}…"):
            try:
                results[name] = module.run()
            except Exception:
                crashed.append(name)
                console.print(f"[bold red]✗ {name} a échoué :[/]")
                console.print(traceback.format_exc(), markup=False, highlight=False)
                continue

    console.print(table(results, titles))
    for name in results:  # a benchmark may print a table of its own (bench_commandes)
        extra = getattr(importlib.import_module(name), "tableau", None)
        if extra is not None:
            console.print(extra())
    mesures = [m for ms in results.values() for m in ms]
    missed = [m for m in mesures if m.ok is False]
    payload = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "mesures": {name: [m.as_dict() for m in ms] for name, ms in results.items()},
        "echecs": crashed,
        "cibles_manquees": [m.nom for m in missed],
    }
    write_file(RESULTATS, json.dumps(payload, ensure_ascii=False, indent=2) + "\n", replace=True)
    console.print(f"Résultats écrits dans {RESULTATS.relative_to(HERE.parent)}.")
    console.print(f"Durée des mesures : {(time.perf_counter() - started) / 60:.1f} min.")
    if missed:
        console.print(
            f"[bold red]✗ {len(missed)} cible(s) manquée(s) :[/] "
            + " ; ".join(m.nom for m in missed)
        )
    elif mesures:
        console.print("[green]✓ Toutes les cibles sont tenues.[/]")
    if crashed:
        return 1
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
