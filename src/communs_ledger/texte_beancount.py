"""Beancount syntax for the text communs writes into ledger files (imported statements,
forecast entries, fonds dédiés and closing entries, the files of ``communs init``)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .plan import root_roles

_CONTROLES = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def echappe(text: str) -> str:
    """``text`` escaped for the inside of a Beancount string literal (or a YAML
    double-quoted one: same rules). Its control characters (newline, tab, an escape
    sequence typed or pasted on the command line) become spaces: the string stays on its
    line, a YAML reader accepts it, it never drives a terminal."""
    return _CONTROLES.sub(" ", text).replace("\\", "\\\\").replace('"', '\\"')


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


@dataclass(frozen=True, slots=True)
class Transaction:
    """An entry to write: its date, narration, metadata and postings (account, amount)."""

    date: datetime.date
    narration: str
    meta: tuple[tuple[str, str], ...]
    postings: tuple[tuple[str, Decimal], ...]


def texte_des_transactions(
    transactions: Sequence[Transaction],
    connus: Container[str],
    devise: str,
    *,
    ouverture: datetime.date | None = None,
) -> str:
    """The Beancount text of ``transactions``, after the ``open`` directives of the accounts
    not in ``connus`` (dated ``ouverture``, else the first entry using the account)::

        2024-12-31 open Passif:19-Fonds-dedies:194-Fonds-dedies-subventions

        2024-12-31 * "Report en fonds dédiés : Compost (REG-2024)"
          convention: "REG-2024"
          Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions    6753.32 EUR
          Passif:19-Fonds-dedies:194-Fonds-dedies-subventions             -6753.32 EUR
    """
    lines: list[str] = []
    opened: list[str] = []
    for transaction in transactions:
        for account, _amount in transaction.postings:
            if account not in connus and account not in opened:
                opened.append(account)
                day = ouverture or transaction.date
                lines.append(f"{day.isoformat()} open {account}")
    if opened:
        lines.append("")
    for transaction in transactions:
        width = max((len(account) for account, _amount in transaction.postings), default=0) + 4
        lines.append(f"{transaction.date.isoformat()} * {chaine(transaction.narration)}")
        lines.extend(f"  {key}: {chaine(value)}" for key, value in transaction.meta)
        for account, amount in transaction.postings:
            lines.append(f"  {account.ljust(width)}{f'{amount:.2f} {devise}':>14}")
        lines.append("")
    return "\n".join(lines)
