"""Beancount plugins of communs-ledger.

Declare them in a ledger with, for example::

    plugin "communs_plugins.plan_comptable"
    plugin "communs_plugins.budget"
    plugin "communs_plugins.cloture"

``communs verifier`` runs every check listed by :func:`checks` even when the
ledger does not declare it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Plugin = Callable[..., tuple[list[Any], list[Any]]]


def checks() -> list[tuple[str, Plugin]]:
    """(module name, plugin function) of every check plugin, in running order."""
    from . import budget, cloture, plan_comptable

    return [
        ("communs_plugins.plan_comptable", plan_comptable.plan_comptable),
        ("communs_plugins.budget", budget.budget),
        ("communs_plugins.cloture", cloture.cloture),
    ]
