"""A Beancount plugin that does nothing: the floor of what any plugin costs.

Beancount re-sorts every entry after each plugin it runs (``loader.run_transformations``);
with a ledger's ~10⁵ objects, those sorts' key tuples also trigger full collections of
Python's garbage collector. :mod:`bench_commandes` loads the generated ledger with three
of these in place of our three plugins, to show that floor beside our plugins' overhead.
"""

from __future__ import annotations

from typing import Any

__plugins__ = ("greffon_vide",)


def greffon_vide(entries: list[Any], options_map: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    return entries, []
