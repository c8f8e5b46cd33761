"""Error objects in Beancount's shape (``source``, ``message``, ``entry``).

Beancount, Fava and ``bean-check`` print any namedtuple with these fields as
``file:line: message``; our plugins and checks return them.
"""

from __future__ import annotations

import datetime
from collections import namedtuple
from collections.abc import Iterable
from typing import Any

from .sources import SourceError

CommunsError = namedtuple("CommunsError", "source message entry")

CommunsAvertissement = namedtuple("CommunsAvertissement", "source message entry")
"""A warning (budget vs réalisé rules) as ``communs`` handles it: same shape as
:data:`CommunsError`, read from the ledger's warning entries by :func:`avertissements_de`.

Beancount, Fava and ``bean-check`` only know errors: a plugin does not return its
warnings as errors (``bean-check`` would exit 1 and Fava count them as errors) but
as entries of the ledger, ``custom "communs-avertissement"`` directives
(:func:`avertissement`) located at the file and line at fault. ``communs verifier``,
:class:`~communs_ledger.chargement.Livre` and the Fava dashboard list them apart.
"""

AVERTISSEMENT = "communs-avertissement"
"""The type of the ``Custom`` directives that carry a warning."""


def is_warning(error: Any) -> bool:
    """True for a :data:`CommunsAvertissement` (after a round trip through Beancount's
    pickle cache too: the class is pickled by reference)."""
    return isinstance(error, CommunsAvertissement)


def directive_avertissement(
    filename: str, lineno: int, date: datetime.date, message: str, **meta: Any
) -> Any:
    """A warning as a ledger entry: ``custom "communs-avertissement" "message"``, dated
    ``date``, its metadata naming the file and line at fault (a ``data.Custom``)."""
    from beancount.core import data
    from beancount.parser.grammar import ValueType

    return data.Custom(
        data.new_metadata(filename, lineno, meta or None),
        date,
        AVERTISSEMENT,
        [ValueType(message, str)],
    )


def avertissements_de(entries: Iterable[Any]) -> list[CommunsAvertissement]:
    """The warnings carried by ``entries`` (their ``communs-avertissement`` directives)."""
    from beancount.core import data

    return [
        CommunsAvertissement(entry.meta, str(entry.values[0].value), entry)
        for entry in entries
        if isinstance(entry, data.Custom) and entry.type == AVERTISSEMENT and entry.values
    ]


def error_at(entry: Any, message: str) -> CommunsError:
    """An error located at a directive."""
    meta = getattr(entry, "meta", None) or {"filename": "<communs>", "lineno": 0}
    return CommunsError(meta, message, entry)


def from_source_error(error: SourceError) -> CommunsError:
    """A Beancount-shaped error from a YAML problem."""
    return CommunsError(error.location.as_meta(), error.message, None)
