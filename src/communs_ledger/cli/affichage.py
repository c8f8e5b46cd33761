"""Terminal output: rich consoles for results (stdout) and messages (stderr).

Neither reads emoji codes: a message at line 100 of a file (``main.beancount:100:``)
must not become « main.beancount💯 ». User text is escaped before any markup. Neither lets
a text it prints drive the terminal: an error message quoting a narration, a payee or a
file name from the ledger loses its escape sequences and control characters
(:func:`sans_controle`), as the reports' text does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rich.console import Console
from rich.theme import Theme

_THEME = Theme(
    {
        "erreur": "bold red",
        "avertissement": "yellow",
        "succes": "bold green",
        "info": "cyan",
        "attenue": "dim",
        "negatif": "red",
        "total": "bold",
    }
)


def sans_controle(text: str) -> str:
    """``text`` without the terminal's escape sequences and control characters (but tab
    and newline)."""
    if text.isprintable():  # the common case: nothing to remove, no import
        return text
    from ..rendu.en_terminal import CONTROLE

    return CONTROLE.sub("", text)


class _ConsoleSansControle(Console):
    """A rich console whose printed strings lose their control characters (rich keeps
    ESC, so a message quoting ledger text could clear the screen or set the title)."""

    def print(self, *objects: Any, **options: Any) -> None:
        cleaned = (sans_controle(item) if isinstance(item, str) else item for item in objects)
        super().print(*cleaned, **options)


@cache
def sortie() -> Console:
    """Console for the results (stdout)."""
    return _ConsoleSansControle(theme=_THEME, highlight=False, emoji=False)


@cache
def messages() -> Console:
    """Console for messages and errors (stderr)."""
    return _ConsoleSansControle(theme=_THEME, stderr=True, highlight=False, emoji=False)


def erreur(message: str) -> None:
    messages().print(f"[erreur]Erreur :[/] {_escape(message)}", soft_wrap=True)


def avertissement(message: str) -> None:
    messages().print(f"[avertissement]Attention :[/] {_escape(message)}", soft_wrap=True)


def succes(message: str) -> None:
    messages().print(f"[succes]✓[/] {_escape(message)}", soft_wrap=True)


def info(message: str) -> None:
    messages().print(_escape(message), soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def oui_ou_non(texte: str) -> bool:
    """A French yes/no answer (o, oui, n, non; y/yes/no accepted); ValueError otherwise."""
    from ..plan import fold

    value = fold(texte).strip()
    if value in ("o", "oui", "y", "yes"):
        return True
    if value in ("n", "non", "no"):
        return False
    raise ValueError("répondez o (oui) ou n (non)")


def confirmer(question: str, defaut: bool = False) -> bool:
    """Ask « question (o/n) [n] : » until the answer is yes or no (Typer's own confirm
    asks « [y/N] » and answers « Error: invalid input » to « o »)."""
    import typer

    while True:
        answer = typer.prompt(
            f"{question} (o/n)", default="o" if defaut else "n", prompt_suffix=" : "
        )
        try:
            return oui_ou_non(answer)
        except ValueError as exc:
            avertissement(str(exc))
