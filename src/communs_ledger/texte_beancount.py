"""Beancount syntax for the text communs writes into ledger files (imported statements,
forecast entries, fonds dédiés and closing entries, the files of ``communs init``)."""

from __future__ import annotations

from .plan import root_roles


def echappe(text: str) -> str:
    """``text`` escaped for the inside of a Beancount string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def chaine(text: str) -> str:
    """A Beancount string literal."""
    return f'"{echappe(text)}"'


def options_des_racines(racines: dict[str, str]) -> list[str]:
    """The five ``option "name_*"`` lines of a ledger's roots (role → name, as
    ``LedgerContext.roots``): Beancount parses each included file with its own options,
    so every file communs writes repeats them."""
    return [
        f'option "{spec["option"]}" "{racines.get(role, spec["nom"])}"'
        for role, spec in root_roles().items()
    ]
