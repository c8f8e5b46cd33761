"""What the account-level reports (balance, grand livre, journal) show of an account
and of a movement: whether the account is a balance-sheet account, its label, its
balances before a date; a movement's piece and label.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..codes import lisible, parse_account
from ..mouvements import Mouvement
from ..plan import Chart
from .source import Source

BALANCE_SHEET_CLASSES = frozenset("12345")
PIECE_KEY = "piece"


def est_de_bilan(code: str | None) -> bool:
    """Classes 1 to 5: accounts whose balance is carried forward (à nouveau)."""
    return code is not None and code[:1] in BALANCE_SHEET_CLASSES


def _readable(component: str) -> str:
    return component.replace("-", " ")


def libelle_compte(chart: Chart, account: str, accents: bool = False) -> str:
    """The chart label of the account's code, followed by what the account name adds
    (its own label when the code is not itself in the chart, its user sub-accounts):
    ``Banques — Credit Cooperatif``; with ``accents``, the French words the ASCII name
    spells without accents get them back (``7412-Region`` → ``Région``, :func:`lisible`)."""
    parsed = parse_account(account)
    code = parsed.code
    if code is None:
        return account
    readable = lisible if accents else _readable
    found = chart.nearest(code)
    extras: list[str] = []
    own_label = parsed.coded[-1].label
    if (found is None or found.code != code) and own_label:
        extras.append(readable(own_label))
    extras.extend(readable(part) for part in account.split(":")[parsed.depth_of_code + 1 :])
    base = found.libelle if found is not None else (extras.pop(0) if extras else account)
    return " — ".join([base, " : ".join(extras)]) if extras else base


def soldes_avant(source: Source, date: datetime.date) -> dict[str, Decimal]:
    """Balance (debit > 0) of every account before ``date``."""
    return source.mouvements.totaux(None, date - datetime.timedelta(days=1))


def piece(mouvement: Mouvement) -> str | None:
    """The ``piece`` metadata of the posting, else of the transaction (None if absent)."""
    entry = mouvement.entry
    postings = entry.postings
    # (an affectation entry without posting carries the transfer of the result)
    meta = postings[mouvement.rang].meta if mouvement.rang < len(postings) else None
    value = meta.get(PIECE_KEY) if meta else None
    if value is None:
        meta = entry.meta
        value = meta.get(PIECE_KEY) if meta else None
    return None if value is None else str(value)


def libelle_ecriture(entry: object) -> str:
    """``Payee — narration`` (or whichever of the two is present)."""
    payee = getattr(entry, "payee", None)
    narration = getattr(entry, "narration", None)
    first = str(payee).strip() if payee else ""
    second = str(narration).strip() if narration else ""
    if first and second:
        return f"{first} — {second}"
    return first or second
