"""Where a problem is: a file and a line, and the French error that names them.

Every error a user sees carries ``file:line``. Beancount errors carry a
``source`` dict (``filename``, ``lineno``); our YAML files carry the line of
each key thanks to :mod:`communs_ledger.yaml_lignes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is written: file and line (0: the whole file)."""

    filename: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}" if self.line else self.filename

    def as_meta(self) -> dict[str, object]:
        """The Beancount ``source`` metadata for this location."""
        return {"filename": self.filename, "lineno": self.line}


@dataclass(frozen=True, slots=True)
class SourceError(Exception):
    """A problem in one of the user's files, with its location and a French message."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def display_path(path: str | Path) -> str:
    """A path as the user typed it where possible (relative to the current folder)."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
