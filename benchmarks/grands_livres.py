"""Generated ledgers for the benchmarks, cached in the temp folder.

Every ledger spans :data:`EXERCICES` exercices whatever its size, so that an exercice of
the 100 000-transaction ledger is ten times one of the 10 000 one (figures per exercice
scale with the ledger). A ledger is keyed by (transactions, seed) and by a digest of what shapes the
generated text (generator, templates, starter accounts): a change of the
generator gives a new ledger, repeated runs reuse the existing one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from communs_ledger.application import generateur, initialisation
from communs_ledger.ecriture import write_new
from communs_ledger.plan import plan_comptable_dir

PLUGIN_LINES = (
    'plugin "communs_plugins.plan_comptable"\n',
    'plugin "communs_plugins.budget"\n',
    'plugin "communs_plugins.cloture"\n',
)
WITHOUT_PLUGINS = "main-sans-greffons.beancount"
VALIDATION_ONLY = "main-plan-comptable.beancount"
EXERCICES = 3


def _digest() -> str:
    sources = [Path(generateur.__file__), Path(initialisation.__file__), Path(__file__)]
    sources += sorted((Path(initialisation.__file__).parent.parent / "modeles").glob("*.j2"))
    sources.append(plan_comptable_dir() / "comptes_de_depart.yaml")
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_folder() -> Path:
    return Path(tempfile.gettempdir()) / "communs-bench"


def ledger(transactions: int, seed: int = 2024) -> Path:
    """The main file of a generated ledger (generated once, then reused)."""
    base = cache_folder()
    prefix = f"grand-livre-{transactions}-graine-{seed}-{EXERCICES}-exercices-"
    final = base / f"{prefix}{_digest()}"
    if not (final / WITHOUT_PLUGINS).exists():
        base.mkdir(parents=True, exist_ok=True)
        for stale in base.glob(f"{prefix}*"):  # made by an older generator
            shutil.rmtree(stale, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=".en-cours-", dir=base))
        written = generateur.generate_ledger(work / "livre", transactions, seed, years=EXERCICES)
        text = written.main.read_text(encoding="utf-8")
        for line in PLUGIN_LINES:
            if text.count(line) != 1:
                raise RuntimeError(f"ligne {line.strip()} introuvable dans le grand livre")
        validation_only = text.replace(PLUGIN_LINES[1], "").replace(PLUGIN_LINES[2], "")
        write_new(written.main.parent / VALIDATION_ONLY, validation_only)
        write_new(
            written.main.parent / WITHOUT_PLUGINS, validation_only.replace(PLUGIN_LINES[0], "")
        )
        try:
            os.rename(work / "livre", final)
        except OSError:  # another run cached it meanwhile
            if not (final / WITHOUT_PLUGINS).exists():
                raise
        shutil.rmtree(work, ignore_errors=True)
    return final / "main.beancount"


def validation_only(main: Path) -> Path:
    """The sibling main file with only the plan_comptable plugin (no budget plugin)."""
    return main.parent / VALIDATION_ONLY


def without_plugins(main: Path) -> Path:
    """The sibling main file: same ledger, no ``plugin`` line of communs."""
    return main.parent / WITHOUT_PLUGINS
