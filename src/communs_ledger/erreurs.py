"""Error objects in Beancount's shape (``source``, ``message``, ``entry``).

Beancount, Fava and ``bean-check`` print any namedtuple with these fields as
``file:line: message``; our plugins and checks return them.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from .sources import SourceError

CommunsError = namedtuple("CommunsError", "source message entry")


def error_at(entry: Any, message: str) -> CommunsError:
    """An error located at a directive."""
    meta = getattr(entry, "meta", None) or {"filename": "<communs>", "lineno": 0}
    return CommunsError(meta, message, entry)


def from_source_error(error: SourceError) -> CommunsError:
    """A Beancount-shaped error from a YAML problem."""
    return CommunsError(error.location.as_meta(), error.message, None)
