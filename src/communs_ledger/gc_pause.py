"""Python's cyclic garbage collector paused while a ledger is loaded.

Beancount builds about a hundred objects per entry (entries, postings, metadata
dictionaries, amounts, decimals); none of them form reference cycles, yet every
allocation burst makes the collector rescan all the objects alive, again and again:
a quarter of ``bean-check``'s CPU without the pickle cache, two thirds with it.
Pausing the collector during the load (and, for a short-lived command, *freezing*
the loaded objects, :func:`gc.freeze`, so that later collections skip them) changes
no result: objects are still freed by reference counting, only cycles wait for the
next collection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Disable the collector inside the block; on leaving it, optionally move every
    object alive to the permanent generation (for a process that ends after using the
    loaded ledger: a long-lived one, Fava or a test run, must not freeze), else move the
    objects it left to the oldest generation (:func:`_age`), then restore the collector's
    previous state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        elif not gc.get_freeze_count():
            _age()
        if enabled:
            gc.enable()


def _age() -> None:
    """Move the objects the block left alive to the oldest generation without counting them
    as new long-lived objects.

    The collector runs a full collection (a scan of every object alive: ~50 ms once a
    10 000 transaction ledger is loaded) when the objects that reached the oldest
    generation since the last one exceed a quarter of those it holds. The objects a plugin
    leaves (its entries, its modules, the chart) would otherwise go up one generation at a
    time and count: at 10 000 transactions, the communs plugins tipped ``bean-check`` into
    one more full collection than without them. Freezing then unfreezing puts every object
    straight into the oldest generation, uncounted (CPython's ``gc.freeze`` and
    ``gc.unfreeze``): no object is kept longer than the next full collection, which still
    frees any cycle among them. Skipped when objects are frozen already (a command that
    froze its loaded ledger on purpose: unfreezing would undo that)."""
    gc.freeze()
    gc.unfreeze()
