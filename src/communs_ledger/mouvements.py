"""The ledger's postings as a flat, date-sorted list of movements.

Every report reads these: amounts in the operating currency, the posting's
project (posting metadata ``projet`` first, then the transaction's), and
whether the entry is a forecast (tag ``#prevision``: forecast entries never
count in actual reports, even when the ledger includes them).
"""

from __future__ import annotations

import bisect
import datetime
import gc
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .codes import parse_account
from .montants import CENT

FORECAST_TAG = "prevision"
PROJECT_KEY = "projet"


@dataclass(slots=True, eq=False)
class Mouvement:  # not frozen: a frozen dataclass is slow to build, and there are many
    date: datetime.date
    account: str
    code: str | None
    montant: Decimal  # debit > 0, credit < 0
    projet: str | None
    entry: Any  # the Beancount Transaction
    rang: int  # index of the posting in its transaction


_UNSET: Any = object()
_LEFT_OUT: Any = object()  # the code of an account left out by ``collect(codes=…)``


@contextmanager
def en_masse() -> Iterator[None]:
    """Build many small acyclic objects without the cyclic garbage collector.

    While hundreds of thousands of movements or report rows are created, the
    collector would rescan every live object many times; they hold no cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def is_forecast(entry: Any) -> bool:
    return FORECAST_TAG in (getattr(entry, "tags", None) or ())


def project_of(entry: Any, posting: Any) -> str | None:
    meta = posting.meta or {}
    value = meta.get(PROJECT_KEY)
    if value is None:
        value = (entry.meta or {}).get(PROJECT_KEY)
    return str(value) if value is not None else None


@dataclass
class Mouvements:
    """All actual movements of a ledger, sorted by date."""

    liste: list[Mouvement]
    devise: str = "EUR"
    autres_devises: set[str] = field(default_factory=set)
    _dates: list[datetime.date] = field(default_factory=list, repr=False)
    _totaux: dict[tuple[int, int, str | None], dict[str, Decimal]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _comptes: set[str] | None = field(default=None, repr=False, compare=False)
    _au_dela_du_centime: list[Mouvement] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._dates = [m.date for m in self.liste]

    def _bornes(self, debut: datetime.date | None, fin: datetime.date) -> tuple[int, int]:
        low = 0 if debut is None else bisect.bisect_left(self._dates, debut)
        return low, bisect.bisect_right(self._dates, fin)

    def entre(self, debut: datetime.date | None, fin: datetime.date) -> list[Mouvement]:
        """Movements with ``debut <= date <= fin`` (``debut`` None: from the start)."""
        low, high = self._bornes(debut, fin)
        return self.liste[low:high]

    def totaux(
        self, debut: datetime.date | None, fin: datetime.date, projet: str | None = None
    ) -> dict[str, Decimal]:
        """``totaux_par_compte(self.entre(debut, fin), projet)``, summed once per range (the
        statements of an exercice ask for the same ones): a fresh dict the caller may change."""
        low, high = self._bornes(debut, fin)
        key = (low, high, projet)
        found = self._totaux.get(key)
        if found is None:
            found = self._totaux[key] = totaux_par_compte(self.liste[low:high], projet)
        return defaultdict(Decimal, found)

    @property
    def premiere_date(self) -> datetime.date | None:
        return self._dates[0] if self._dates else None

    @property
    def derniere_date(self) -> datetime.date | None:
        return self._dates[-1] if self._dates else None

    def au_dela_du_centime(self) -> list[Mouvement]:
        """The movements with more than two decimals (computed once): reports print each
        line rounded to the cent, so a total may differ from the sum of its printed lines."""
        if self._au_dela_du_centime is None:
            self._au_dela_du_centime = [
                m for m in self.liste if m.montant != m.montant.quantize(CENT)
            ]
        return self._au_dela_du_centime

    def comptes(self) -> set[str]:
        """The accounts of the movements (computed once)."""
        if self._comptes is None:
            self._comptes = {m.account for m in self.liste}
        return self._comptes

    def projets(self) -> set[str]:
        return {m.projet for m in self.liste if m.projet}


def collect(
    entries: Iterable[Any],
    devise: str = "EUR",
    codes: Callable[[str | None], bool] | None = None,
) -> Mouvements:
    """Flatten the actual (non-forecast) transactions of ``entries``.

    A posting in another commodity counts for its weight in ``devise`` when it has one
    (held at cost ``{…}`` or converted at a price ``@``: securities bought for the
    association count at their cost), so that every transaction stays balanced; a
    posting with no weight in ``devise`` is left out and its commodity listed in
    :attr:`Mouvements.autres_devises`.

    With ``codes``, only the postings on accounts whose code it accepts are kept (asked
    once per account): a caller reading a few classes builds no movement for the others.
    """
    with en_masse():
        return _collect(entries, devise, codes)


def _collect(
    entries: Iterable[Any], devise: str, keep: Callable[[str | None], bool] | None = None
) -> Mouvements:
    from beancount.core import data

    result: list[Mouvement] = []
    append = result.append
    new = Mouvement
    others: set[str] = set()
    codes: dict[str, str | None] = {}
    transaction = data.Transaction
    for entry in entries:
        if type(entry) is not transaction:
            continue
        tags = entry.tags
        if tags and FORECAST_TAG in tags:
            continue
        meta = entry.meta
        entry_project = meta.get(PROJECT_KEY) if meta else None
        if entry_project is not None:
            entry_project = str(entry_project)
        date = entry.date
        for rank, posting in enumerate(entry.postings):
            units = posting.units
            if units is None or units.number is None:
                continue
            number = units.number if units.currency == devise else _weight(posting, devise)
            if number is None:
                others.add(units.currency)
                continue
            account = posting.account
            code = codes.get(account, _UNSET)
            if code is _UNSET:
                code = codes[account] = parse_account(account).code
                if keep is not None and not keep(code):
                    code = codes[account] = _LEFT_OUT
            if code is _LEFT_OUT:
                continue
            posting_meta = posting.meta
            if posting_meta and PROJECT_KEY in posting_meta:
                project = str(posting_meta[PROJECT_KEY])
                append(new(date, account, code, number, project, entry, rank))
            else:
                append(new(date, account, code, number, entry_project, entry, rank))
    accounts = {a for a, code in codes.items() if code is not _LEFT_OUT} if keep else set(codes)
    found = Mouvements(result, devise, others, _comptes=accounts)
    # Beancount gives entries sorted by date: sort only if another source did not.
    dates = found._dates
    if not all(map(operator.le, dates, itertools.islice(dates, 1, None))):
        result.sort(key=lambda m: m.date)  # stable: keeps the order within a day
        found = Mouvements(result, devise, others, _comptes=accounts)
    return found


def _weight(posting: Any, devise: str) -> Decimal | None:
    """The posting's weight in ``devise`` (at cost or price), None if it has none."""
    from beancount.core import convert

    weight = convert.get_weight(posting)
    if weight.currency != devise or not isinstance(weight.number, Decimal):
        return None
    return weight.number


def totaux_par_compte(
    mouvements: Iterable[Mouvement], projet: str | None = None
) -> dict[str, Decimal]:
    """Net amount (debit - credit) per account."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for movement in mouvements:
        if projet is None or movement.projet == projet:
            totals[movement.account] += movement.montant
    return totals


def debits_credits_par_compte(
    mouvements: Iterable[Mouvement],
) -> dict[str, tuple[Decimal, Decimal]]:
    """(total debits, total credits as a positive number) per account."""
    debits: dict[str, Decimal] = defaultdict(Decimal)
    credits: dict[str, Decimal] = defaultdict(Decimal)
    for movement in mouvements:
        if movement.montant >= 0:
            debits[movement.account] += movement.montant
        else:
            credits[movement.account] -= movement.montant
    return {account: (debits[account], credits[account]) for account in debits.keys() | credits}
