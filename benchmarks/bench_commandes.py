"""Whole commands, as a user waits for them, side by side with hledger and bean-check.

Every figure is a whole process started afresh (``subprocess``: interpreter start,
imports, load with every communs plugin, report, rendering, exit), on the generated
ledgers of 10 000 and 100 000 transactions over the same three exercices (an exercice
of the second is ten times one of the first). Each line pairs our command with its
counterpart: both run in turn (the order flips every round) and the figure is the
median of the per-round ratios of CPU time (user + system of the child, measured by
``wait4``: the machine is shared, CPU time is what noise disturbs least); the wall
time ratio is given beside it.

Two caches: Beancount's pickle cache of the load, and our results cache
(:mod:`communs_ledger.result_cache`, a second run of a report needs no load at all).
By default a line runs with both warm (written by a first run, then reused), as a
user's second command; "cache des rapports coupé": ``COMMUNS_SANS_CACHE=1``, ours off,
Beancount's warm; "sans cache": both off (``BEANCOUNT_DISABLE_LOAD_CACHE=1`` and
``COMMUNS_SANS_CACHE=1``), as a first command after an edit; "sans cache Beancount,
cache des rapports chaud": ours warm only. Every process uses a private temporary
results cache folder (``COMMUNS_CACHE``), never the user's ``~/.cache``. The line
"bean-check sans greffons, sans cache / hledger is -Y" is a reference: Beancount's
own parse of the file against hledger's whole report, the floor a report that loads
the ledger cannot go below. The line "bean-check avec trois greffons vides" is the floor
of the plugin overhead: the same ledger with three plugins that do nothing
(:mod:`greffon_vide`, found through ``PYTHONPATH``) in place of ours, since Beancount
re-sorts every entry after each plugin.

hledger (Debian package, installed here if absent and apt-get is usable) reads the
same ledger converted to its journal (:mod:`vers_hledger`), budget as periodic
transactions; before timing, both tools must agree on the result of the exercice.
Without hledger its lines are skipped, saying so.

Rounds: :data:`TOURS` pairs, a single one at 100 000 to keep ``make bench`` within a
few minutes (set ``COMMUNS_BENCH_TOURS=5,3`` for more pairs at 10 000 and 100 000).

Only some lines: ``COMMUNS_BENCH_COMMANDES=export`` keeps the lines whose command
contains one of the comma-separated words (here ``communs export xlsx`` / bean-check),
``COMMUNS_BENCH_TAILLES=10000`` the sizes given, e.g.::

    COMMUNS_BENCH_COMMANDES=export COMMUNS_BENCH_TAILLES=10000 COMMUNS_BENCH_TOURS=7,1 \
        .venv/bin/python benchmarks/run_all.py --seulement commandes
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from grands_livres import ledger, without_plugins
from mesures import Mesure, median
from vers_hledger import find_hledger, journal, resultat_hledger

GREFFONS_VIDES = "main-greffons-vides.beancount"
TITRE = "Commandes entières, côte à côte avec hledger et bean-check"
TAILLES = (10_000, 100_000)
TOURS = {10_000: 3, 100_000: 1}
EXERCICE = "2026"  # a complete exercice of the generated ledgers (2025 to 2027)
FUTUR = "2027"  # the current one, for the cash plan


@dataclass(frozen=True)
class Cible:
    """One line of the table: our command against its counterpart, target on the ratio."""

    nom: str
    reference: str
    cible: float | None
    cache: bool = True
    """Beancount's pickle cache (off: ``BEANCOUNT_DISABLE_LOAD_CACHE=1``)."""
    rapports: bool | None = None
    """Our results cache; None: as ``cache`` (off: ``COMMUNS_SANS_CACHE=1``)."""

    @property
    def caches(self) -> tuple[bool, bool]:
        return self.cache, self.cache if self.rapports is None else self.rapports


@dataclass
class Temps:
    mur: float
    cpu: float
    memoire_ko: int


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


CACHE_DES_RAPPORTS: list[str] = []
"""The private results cache folder of this run (set by :func:`run`)."""


def _process(
    command: list[str], caches: tuple[bool, bool] = (True, True), cwd: Path | None = None
) -> Temps:
    """One fresh process: wall and CPU seconds, peak memory; output discarded.
    ``caches``: Beancount's, ours."""
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1")
    here = str(Path(__file__).parent)  # greffon_vide
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, env.get("PYTHONPATH")]))
    env.pop("COMMUNS_SANS_CACHE", None)
    if CACHE_DES_RAPPORTS:
        env["COMMUNS_CACHE"] = CACHE_DES_RAPPORTS[0]
    beancount, rapports = caches
    if not beancount:
        env["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    if not rapports:
        env["COMMUNS_SANS_CACHE"] = "1"
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} : code {process.returncode}\n{stderr[-2000:]}")
    return Temps(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def _paired(
    ours: list[str], theirs: list[str], rounds: int, caches: tuple[bool, bool]
) -> dict[str, float]:
    """Alternate both commands ``rounds`` times (with a cache, after a first run of ours
    that writes or checks it)."""
    if any(caches):
        _process(ours, caches)
    cpu_ratios, wall_ratios, ours_cpu, theirs_cpu, memory = [], [], [], [], []
    for index in range(rounds):
        order = [(ours, True), (theirs, False)]
        if index % 2:
            order.reverse()
        times = {}
        for command, mine in order:
            times[mine] = _process(command, caches)
        cpu_ratios.append(times[True].cpu / times[False].cpu)
        wall_ratios.append(times[True].mur / times[False].mur)
        ours_cpu.append(times[True].cpu)
        theirs_cpu.append(times[False].cpu)
        memory.append(times[True].memoire_ko / times[False].memoire_ko)
    return {
        "ratio": median(cpu_ratios),
        "mur": median(wall_ratios),
        "nous": median(ours_cpu),
        "eux": median(theirs_cpu),
        "memoire": median(memory),
    }


def empty_plugins(main: Path) -> Path:
    """The sibling main file without our plugins and with three no-op plugins instead."""
    target = main.parent / GREFFONS_VIDES
    if not target.exists():
        text = without_plugins(main).read_text(encoding="utf-8")
        text += "\n; Trois greffons vides (mesure)\n" + 'plugin "greffon_vide"\n' * 3
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    return target


def _nombre(n: int) -> str:
    return f"{n // 1000}k"


TABLEAU: list[tuple[str, str, dict[int, tuple[float, float | None]]]] = []
"""Rows of the issue's table: (command, counterpart, {size: (ratio, target)})."""


def _lines(main: Path, hledger_journal: Path | None, hledger: str | None, xlsx: Path):
    communs = _bin("communs")
    f = ["-f", str(main)]
    bean_check = [_bin("bean-check"), str(main)]
    lines: list[tuple[Cible, list[str], list[str] | None]] = []

    def h(*args: str) -> list[str] | None:
        if hledger is None or hledger_journal is None:
            return None
        return [hledger, "-f", str(hledger_journal), *args]

    resultat = [communs, "resultat", *f, "--exercice", EXERCICE]
    bilan = [communs, "bilan", *f, "--exercice", EXERCICE]
    html = str(xlsx.with_name("rapport-financier.html"))
    rapport_financier = [communs, "rapport-financier", *f, "--exercice", EXERCICE]
    rapport_financier += ["--sortie", html, "--ecraser"]
    comptes_annuels = [communs, "comptes-annuels", *f, "--exercice", EXERCICE]
    comptes_annuels += ["--sortie", str(xlsx.with_name("comptes-annuels.html")), "--ecraser"]
    pack_ag = ["sh", "-c", f"{shlex.join(comptes_annuels)} && {shlex.join(rapport_financier)}"]
    tresorerie = [communs, "tresorerie", *f]
    forecast = h("bal", "-M", "--forecast", "-p", FUTUR, "^Actif:5")
    lines += [
        (Cible("communs resultat", "hledger is -Y", 1.0), resultat, h("is", "-Y", "-p", EXERCICE)),
        (
            Cible("communs bilan", "hledger bs", 1.0),
            bilan,
            h("bs", "-p", EXERCICE),
        ),
        (
            Cible("communs balance", "hledger bal", 1.0),
            [communs, "balance", *f, "--exercice", EXERCICE],
            h("bal", "-p", EXERCICE),
        ),
        (
            Cible("communs budget", "hledger bal --budget", 1.0),
            [communs, "budget", *f, "--exercice", EXERCICE],
            h("bal", "--budget", "-p", EXERCICE),
        ),
        (Cible("communs tresorerie", "hledger bal -M --forecast", 1.0), tresorerie, forecast),
        (Cible("communs resultat", "bean-check", 1.2), resultat, bean_check),
        (
            Cible("communs verifier", "bean-check", 1.2),
            [communs, "verifier", str(main)],
            bean_check,
        ),
        (
            Cible("communs export xlsx", "bean-check", 2.0),
            [
                communs,
                "export",
                "xlsx",
                *f,
                "--exercice",
                EXERCICE,
                "--sortie",
                str(xlsx),
                "--ecraser",
            ],
            bean_check,
        ),
        (
            # the whole AG pack (comptes annuels with their annexe, then the treasurer's
            # report, both in HTML) against the two statements it starts from (issue 16):
            # what computing the pack costs, so both sides compute (our results cache off:
            # the pack's commands do not use it, the statements would be taken from it)
            Cible(
                "comptes-annuels + rapport-financier, cache des rapports coupé",
                "communs bilan + resultat",
                2.0,
                rapports=False,
            ),
            pack_ag,
            ["sh", "-c", f"{shlex.join(bilan)} && {shlex.join(resultat)}"],
        ),
        (
            Cible("bean-check avec nos greffons", "sans (sans cache)", 1.05, cache=False),
            bean_check,
            [_bin("bean-check"), str(without_plugins(main))],
        ),
        # reference: what three plugins doing nothing cost Beancount (its sort after each)
        (
            Cible("bean-check avec trois greffons vides", "sans (sans cache)", None, cache=False),
            [_bin("bean-check"), str(empty_plugins(main))],
            [_bin("bean-check"), str(without_plugins(main))],
        ),
        (
            Cible("communs resultat sans cache", "hledger is -Y", 1.0, cache=False),
            resultat,
            h("is", "-Y", "-p", EXERCICE),
        ),
        (
            Cible("communs tresorerie sans cache", "hledger bal --forecast", 1.0, cache=False),
            tresorerie,
            forecast,
        ),
        # our results cache off, Beancount's warm: what a report costs when it must load
        (
            Cible("communs resultat, cache des rapports coupé", "bean-check", None, rapports=False),
            resultat,
            bean_check,
        ),
        (
            Cible("communs verifier, cache des rapports coupé", "bean-check", None, rapports=False),
            [communs, "verifier", str(main)],
            bean_check,
        ),
        # Beancount's cache off, ours warm (a report asked again, Beancount's cache absent)
        (
            Cible(
                "communs resultat sans cache Beancount, cache des rapports chaud",
                "hledger is -Y",
                1.0,
                cache=False,
                rapports=True,
            ),
            resultat,
            h("is", "-Y", "-p", EXERCICE),
        ),
        (
            Cible(
                "communs tresorerie sans cache Beancount, cache des rapports chaud",
                "hledger bal --forecast",
                1.0,
                cache=False,
                rapports=True,
            ),
            tresorerie,
            forecast,
        ),
        # reference: Beancount's own parse, no plugin, no cache, against hledger's report
        (
            Cible("bean-check sans greffons, sans cache", "hledger is -Y", None, cache=False),
            [_bin("bean-check"), str(without_plugins(main))],
            h("is", "-Y", "-p", EXERCICE),
        ),
    ]
    return lines


def _agree(main: Path, hledger: str, hledger_journal: Path) -> str:
    """Both tools give the same result for the exercice, or raise."""
    done = subprocess.run(
        [_bin("communs"), "resultat", "-f", str(main), "--exercice", EXERCICE, "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    ours = Decimal(json.loads(done.stdout)["totaux"]["resultat"])
    start, end = f"{EXERCICE}-01-01", f"{int(EXERCICE) + 1}-01-01"
    theirs = resultat_hledger(hledger, hledger_journal, start, end)
    if ours != theirs:
        raise RuntimeError(f"résultat {EXERCICE} : communs {ours}, hledger {theirs}")
    return f"résultat {EXERCICE} identique ({ours} €)"


def _rounds() -> dict[int, int]:
    asked = os.environ.get("COMMUNS_BENCH_TOURS")
    if not asked:
        return TOURS
    small, large = (int(part) for part in asked.split(","))
    return {TAILLES[0]: small, TAILLES[1]: large}


def _words(variable: str) -> list[str]:
    return [word.strip() for word in os.environ.get(variable, "").split(",") if word.strip()]


def _wanted(cible: Cible) -> bool:
    """The line is kept by ``COMMUNS_BENCH_COMMANDES`` (all lines if unset)."""
    words = _words("COMMUNS_BENCH_COMMANDES")
    return not words or any(word in cible.nom for word in words)


def _sizes() -> tuple[int, ...]:
    """The sizes kept by ``COMMUNS_BENCH_TAILLES`` (both if unset)."""
    asked = {int(word) for word in _words("COMMUNS_BENCH_TAILLES")}
    return tuple(size for size in TAILLES if not asked or size in asked)


def measure(transactions: int, rounds: int, hledger: str | None, note: str) -> list[Mesure]:
    main = ledger(transactions)
    hledger_journal = journal(main) if hledger else None
    if hledger and hledger_journal:
        note = f"{note} ; {_agree(main, hledger, hledger_journal)}"
    mesures = []
    label = _nombre(transactions)
    with tempfile.TemporaryDirectory(prefix="communs-bench-xlsx-") as folder:
        xlsx = Path(folder) / "classeur.xlsx"
        for cible, ours, theirs in _lines(main, hledger_journal, hledger, xlsx):
            if not _wanted(cible):
                continue
            if theirs is None:
                mesures.append(
                    Mesure(f"{cible.nom} / {cible.reference}, {label}", 0.0, "×", details=note)
                )
                continue
            figures = _paired(ours, theirs, rounds, cible.caches)
            mesures.append(
                Mesure(
                    f"{cible.nom} / {cible.reference}, {label}",
                    figures["ratio"],
                    "×",
                    cible.cible,
                    details=f"CPU, médiane de {rounds} paires ({figures['nous']:.2f} s contre "
                    f"{figures['eux']:.2f} s) ; mur {figures['mur']:.2f}×"
                    + (
                        f" ; mémoire {figures['memoire']:.2f}×"
                        if cible.reference == "bean-check"
                        else ""
                    ),
                )
            )
            _record(cible, transactions, figures["ratio"])
            if cible.nom == "communs resultat" and cible.reference == "bean-check":
                mesures.append(
                    Mesure(
                        f"Mémoire de pointe communs resultat / bean-check, {label}",
                        figures["memoire"],
                        "×",
                        1.10,
                        details="RSS maximale, médiane des paires",
                    )
                )
                _record(
                    Cible("mémoire communs resultat", "bean-check", 1.10),
                    transactions,
                    figures["memoire"],
                )
    mesures.append(Mesure(f"hledger, {label}", 0.0, "×", details=note))
    return mesures


def _record(cible: Cible, transactions: int, ratio: float) -> None:
    for nom, reference, figures in TABLEAU:
        if (nom, reference) == (cible.nom, cible.reference):
            figures[transactions] = (ratio, cible.cible)
            return
    TABLEAU.append((cible.nom, cible.reference, {transactions: (ratio, cible.cible)}))


def tableau():
    """The issue's table: our ratios at 10k and 100k, each target met or missed."""
    from rich.table import Table

    grid = Table(
        title="Commandes entières (rapports de temps CPU, processus neufs)", title_justify="left"
    )
    grid.add_column("commande")
    grid.add_column("contre")
    for size in TAILLES:
        grid.add_column(_nombre(size), justify="right")
    for nom, reference, figures in TABLEAU:
        cells = []
        for size in TAILLES:
            if size not in figures:
                cells.append("—")
                continue
            ratio, cible = figures[size]
            if cible is None:  # a reference line, no target
                cells.append(f"{ratio:.2f}× (référence)")
                continue
            verdict = "[green]tenue[/]" if ratio <= cible else "[bold red]manquée[/]"
            cells.append(f"{ratio:.2f}× (cible ≤ {cible:g}) {verdict}")
        grid.add_row(nom, reference, *cells)
    return grid


def run() -> list[Mesure]:
    TABLEAU.clear()
    hledger, note = find_hledger()
    rounds = _rounds()
    with tempfile.TemporaryDirectory(prefix="communs-bench-cache-") as folder:
        CACHE_DES_RAPPORTS[:] = [folder]
        try:
            return [m for size in _sizes() for m in measure(size, rounds[size], hledger, note)]
        finally:
            CACHE_DES_RAPPORTS.clear()
