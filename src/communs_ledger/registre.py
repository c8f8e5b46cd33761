"""What the kernel gets from the layers above it without importing them.

The kernel knows no feature: the whole ``communs.yaml`` schema (every feature's
section) is assembled above the features, in
:mod:`communs_ledger.application.configuration`. The ``communs_ledger`` package
(its ``__init__``) declares here how to get it; :mod:`communs_ledger.config` asks
on the first load of a config. Lazily: Beancount's warm cache imports the package
(:mod:`communs_ledger.cache`) and must not pay for the schema it does not use.

This module imports nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

config_schema: Callable[[], Any] | None = None
"""Returns the :class:`~communs_ledger.config.ConfigSchema` of ``communs.yaml``."""
