"""Failures a command reports to the user (French message, exit code, no traceback).

They derive from Typer's ``ClickException`` so that Typer itself prints them
and exits with their code, in the real command as under ``CliRunner``.
"""

from __future__ import annotations

from typing import IO, Any

try:
    from typer._click.exceptions import ClickException as _Base
except ImportError:  # pragma: no cover - older Typer built on Click
    from click.exceptions import ClickException as _Base  # type: ignore[no-redef]


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
