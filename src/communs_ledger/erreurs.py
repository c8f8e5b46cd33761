"""Error objects in Beancount's shape (``source``, ``message``, ``entry``).

Beancount, Fava and ``bean-check`` print any namedtuple with these fields as
``file:line: message``; our plugins and checks return them.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from .sources import SourceError

CommunsError = namedtuple("CommunsError", "source message entry")

CommunsAvertissement = namedtuple("CommunsAvertissement", "source message entry")
"""A warning (budget vs réalisé rules): same shape as :data:`CommunsError`.

``communs verifier`` lists warnings apart and they do not make it fail. Beancount,
Fava and ``bean-check`` only know errors: they show a warning like an error, and
``bean-check`` (which exits 1 on any error) cannot tell them apart.
"""


def is_warning(error: Any) -> bool:
    """True for a :data:`CommunsAvertissement` (after a round trip through Beancount's
    pickle cache too: the class is pickled by reference)."""
    return isinstance(error, CommunsAvertissement)


def error_at(entry: Any, message: str) -> CommunsError:
    """An error located at a directive."""
    meta = getattr(entry, "meta", None) or {"filename": "<communs>", "lineno": 0}
    return CommunsError(meta, message, entry)


def from_source_error(error: SourceError) -> CommunsError:
    """A Beancount-shaped error from a YAML problem."""
    return CommunsError(error.location.as_meta(), error.message, None)
