"""Failures a command reports to the user (French message, exit code, no traceback).

The groups of the ``communs`` command (:class:`~.francais.GroupeFrancais`) print them
and end the command with their exit code, in the real command as under ``CliRunner``.
They derive from Click's ``ClickException``, so that any other Typer application using
these helpers prints them and exits with their code too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from .typer_interne import typer_interne

MAX_LISTED_ERRORS = 20


def erreurs_listees(erreurs: Sequence[object], renvoi: str = "") -> list[str]:
    """The first :data:`MAX_LISTED_ERRORS` errors as text, then « … et N autre(s) » with
    ``renvoi`` (e.g. « ; voir « communs verifier » »)."""
    from ..formatage import pluriel

    listed = [str(error) for error in erreurs[:MAX_LISTED_ERRORS]]
    more = len(erreurs) - len(listed)
    if more > 0:
        listed.append(f"… et {pluriel(more, 'autre')}{renvoi}")
    return listed


class Echec(typer_interne().ClickException):  # type: ignore[misc]
    """The command cannot do its job: exit 1 with a French message."""

    exit_code = 1

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


def refuser_erreurs(
    erreurs: Sequence[object], contient: str, corriger: str | None = "d'abord", renvoi: str = ""
) -> None:
    """Nothing if there are no ``erreurs``; else exit 1 with « {contient} N erreur(s) :
    corrigez-les {corriger} » (no second part without ``corriger``) and the errors listed
    (:func:`erreurs_listees` with ``renvoi``)."""
    from ..formatage import pluriel

    if not erreurs:
        return
    message = f"{contient} {pluriel(len(erreurs), 'erreur')}"
    if corriger is not None:
        message += f" : corrigez-les {corriger}"
    raise Echec(message, erreurs_listees(erreurs, renvoi))


VOIR_VERIFIER = " ; voir « communs verifier »"


class MauvaisUsage(Echec):
    """The command was called wrongly: exit 2."""

    exit_code = 2
