"""Lettrage of the third-party accounts in the FEC (``EcritureLet``, ``DateLet``).

The accounts lettered are data (``plan_comptable/plan.yaml``, ``fec_lettrage``: 401
fournisseurs, 411 usagers, 441 subventions à recevoir). Within one account (its
``CompteNum``, ``CompAuxNum`` and ``CompteLib``: one sub-account per tiers), an invoice
and its payment are matched:

1. by reference: the lines that share a ``piece:`` (``PieceRef`` taken from the ledger's
   metadata, not the fallback number) and add up to zero, debits and credits both
   present, are lettered together;
2. else by amount and tiers: a line and an earlier, not yet lettered, line of the opposite
   amount and the same tiers (the sub-account; on an account without sub-account, the
   payee of the entry) — the à-nouveau of an account, its balance at the opening, being
   a candidate like any other line.

Each group gets a code (``A``, ``B``… ``Z``, ``AA``… per account) and ``DateLet`` the date
of its latest line: the day the account was settled. Lines left alone stay blank.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..montants import ZERO
from ..plan import load_data_yaml
from .norme import date_fec

COL_LET, COL_DATE_LET = 13, 14


@cache
def comptes_lettres() -> tuple[str, ...]:
    """The account code prefixes lettered in the FEC (plan_comptable/plan.yaml)."""
    return tuple(str(code) for code in load_data_yaml("plan.yaml")["fec_lettrage"])


@dataclass(frozen=True, slots=True)
class Candidat:
    """One line of a lettered account: its index in the FEC's lines and what matches it."""

    index: int
    compte: tuple[str, str, str]  # CompteNum, CompAuxNum, CompteLib
    montant: Decimal  # debit > 0, to the cent
    piece: str | None  # the ledger's piece metadata, if any
    tiers: str | None  # payee, folded (accounts without sub-account)
    date: datetime.date


def code_de_lettrage(rank: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``…"""
    letters = ""
    rank += 1
    while rank:
        rank, rest = divmod(rank - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def lettrer(lignes: list[tuple[str, ...]], candidats: list[Candidat]) -> int:
    """Fill ``EcritureLet`` and ``DateLet`` of ``lignes`` for the matched groups; the
    number of groups."""
    by_account: dict[tuple[str, str, str], list[Candidat]] = defaultdict(list)
    for candidat in candidats:
        by_account[candidat.compte].append(candidat)
    groups = 0
    for account in sorted(by_account):
        found: list[list[Candidat]] = []
        pending = by_account[account]
        done: set[int] = set()
        by_piece: dict[str, list[Candidat]] = defaultdict(list)
        for candidat in pending:
            if candidat.piece:
                by_piece[candidat.piece].append(candidat)
        for lines in by_piece.values():
            signs = {line.montant > 0 for line in lines}
            balanced = sum((line.montant for line in lines), ZERO) == 0
            if len(lines) > 1 and signs == {True, False} and balanced:
                found.append(lines)
                done.update(line.index for line in lines)
        waiting: dict[tuple[str | None, Decimal], list[Candidat]] = defaultdict(list)
        for candidat in pending:
            if candidat.index in done:
                continue
            opposite = waiting.get((candidat.tiers, -candidat.montant))
            if opposite:
                found.append([opposite.pop(0), candidat])
            else:
                waiting[(candidat.tiers, candidat.montant)].append(candidat)
        found.sort(key=lambda lines: min(line.index for line in lines))
        for rank, lines in enumerate(found):
            code = code_de_lettrage(rank)
            day = date_fec(max(line.date for line in lines))
            for line in lines:
                row = list(lignes[line.index])
                row[COL_LET], row[COL_DATE_LET] = code, day
                lignes[line.index] = tuple(row)
        groups += len(found)
    return groups
