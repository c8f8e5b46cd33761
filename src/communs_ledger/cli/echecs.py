"""Failures a command reports to the user (French message, exit code, no traceback)."""

from __future__ import annotations


class Echec(Exception):
    """The command cannot do its job: exit 1 with a French message."""

    code = 1

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class MauvaisUsage(Echec):
    """The command was called wrongly: exit 2."""

    code = 2
