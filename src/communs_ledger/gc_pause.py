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
    loaded ledger: a long-lived one, Fava or a test run, must not freeze), then restore
    the collector's previous state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
