"""Failures a command reports to the user (French message, exit code, no traceback).

They derive from Typer's ``ClickException`` so that Typer itself prints them
and exits with their code, in the real command as under ``CliRunner``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

try:
    from typer._click.exceptions import ClickException as _Base
except ImportError:  # pragma: no cover - older Typer built on Click
    from click.exceptions import ClickException as _Base  # type: ignore[no-redef]


MAX_LISTED_ERRORS = 20


def erreurs_listees(erreurs: Sequence[object], renvoi: str = "") -> list[str]:
    """The first :data:`MAX_LISTED_ERRORS` errors as text, then « … et N autre(s) » with
    ``renvoi`` (e.g. « ; voir « communs verifier » »)."""
    listed = [str(error) for error in erreurs[:MAX_LISTED_ERRORS]]
    more = len(erreurs) - len(listed)
    if more > 0:
        listed.append(f"… et {more} autre(s){renvoi}")
    return listed


class Echec(_Base):
    """The command cannot do its job: exit 1 with a French message."""

    exit_code = 1
    communs = True  # recognised by the patched rich error formatter (cli/francais.py)

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    @property
    def code(self) -> int:
        return self.exit_code

    def format_message(self) -> str:
        return self.message

    def show(self, file: IO[Any] | None = None) -> None:
        from .affichage import erreur, messages

        erreur(self.message)
        for line in self.details:
            messages().print(f"  {line}", markup=False, highlight=False)


class MauvaisUsage(Echec):
    """The command was called wrongly: exit 2."""

    exit_code = 2
