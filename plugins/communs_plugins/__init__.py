"""Beancount plugins of communs-ledger.

Declare them in a ledger with, for example::

    plugin "communs_plugins.plan_comptable"
    plugin "communs_plugins.budget"
    plugin "communs_plugins.cloture"

``communs verifier`` runs every check listed by :func:`checks` even when the
ledger does not declare it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection
from typing import Any

Plugin = Callable[..., tuple[list[Any], list[Any]]]

CHECKS = ("communs_plugins.plan_comptable", "communs_plugins.budget", "communs_plugins.cloture")
"""Module names of the check plugins, in running order (each defines a function of the
module's last name)."""


def checks(skip: Collection[str] = ()) -> list[tuple[str, Plugin]]:
    """(module name, plugin function) of every check plugin, in running order; those named
    in ``skip`` are left out and not imported."""
    found = []
    for name in CHECKS:
        if name not in skip:
            module = importlib.import_module(name)
            found.append((name, getattr(module, name.rpartition(".")[2])))
    return found
