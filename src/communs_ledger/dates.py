"""Calendar arithmetic: months, periods and their French names.

A month is either a date inside it or a :data:`Mois` ``(year, month)`` pair.
Day-clamping rule: moving a day to a shorter month gives that month's last day
(31 January + 1 month → 28 or 29 February).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterator
from decimal import Decimal

Mois = tuple[int, int]
"""A calendar month: ``(year, month)``, month from 1 to 12."""

ONE_DAY = datetime.timedelta(days=1)

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MOIS_COURTS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
"""Abbreviated month names, for column headers (« nov. 2026 »)."""


# --- Months as (year, month) --------------------------------------------------------------


def date_iso(value: object) -> datetime.date | None:
    """A date from a side file: a ``datetime.date`` (not a datetime) as YAML reads it, or
    an ISO ``AAAA-MM-JJ`` text; None for anything else."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def month_of(day: datetime.date) -> Mois:
    """The month of ``day``."""
    return (day.year, day.month)


def shift_month(mois: Mois, months: int) -> Mois:
    """The month ``months`` months after ``mois`` (before it if negative)."""
    year, month = divmod(mois[0] * 12 + mois[1] - 1 + months, 12)
    return (year, month + 1)


def first_day(mois: Mois) -> datetime.date:
    """The first day of ``mois``."""
    return datetime.date(mois[0], mois[1], 1)


def last_day(mois: Mois) -> datetime.date:
    """The last day of ``mois``."""
    return datetime.date(mois[0], mois[1], days_in_month(*mois))


def month_key(mois: Mois) -> str:
    """``(2026, 3)`` → ``"2026-03"``."""
    return f"{mois[0]:04d}-{mois[1]:02d}"


def parse_month_key(key: str) -> Mois:
    """``"2026-03"`` → ``(2026, 3)``."""
    year, month = key.split("-")
    return (int(year), int(month))


def month_label(mois: Mois) -> str:
    """``(2026, 11)`` → ``novembre 2026``."""
    return f"{MOIS[mois[1] - 1]} {mois[0]}"


_DE_MOIS_VOYELLE = re.compile(r"\b([Dd])e (avril|août|octobre) (\d{4})\b")


def elider_de_mois(texte: str) -> str:
    """« de » elided before a month name starting with a vowel, once a user's template
    is filled (« Cotisations de {mois_precedent} »): ``de avril 2026`` → ``d'avril 2026``."""
    return _DE_MOIS_VOYELLE.sub(r"\1'\2 \3", texte)


def short_month_label(mois: Mois) -> str:
    """``(2026, 11)`` → ``nov. 2026``."""
    return f"{MOIS_COURTS[mois[1] - 1]} {mois[0]}"


# --- Days -----------------------------------------------------------------------------------


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """Number of days of a month (28 to 31)."""
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    if 1 <= month <= 12:  # a budget's profile asks thousands of times per load
        return _DAYS_IN_MONTH[month - 1]
    return calendar.monthrange(year, month)[1]  # its error for a month out of range


def month_start(day: datetime.date) -> datetime.date:
    """The first day of the month of ``day``."""
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month of ``day``."""
    return day.replace(day=days_in_month(day.year, day.month))


def next_month_start(day: datetime.date) -> datetime.date:
    """The first day of the month after the month of ``day``."""
    return first_day(shift_month(month_of(day), 1))


def clamped_date(year: int, month: int, day: int) -> datetime.date:
    """Day ``day`` of a month, or its last day if the month is shorter."""
    return datetime.date(year, month, min(day, days_in_month(year, month)))


def add_months(day: datetime.date, months: int, *, keep_month_end: bool = False) -> datetime.date:
    """``day`` moved by ``months`` calendar months, clamped to the target month's length;
    with ``keep_month_end``, a month's last day stays a month's last day
    (31 December + 6 → 30 June, 30 June + 6 → 31 December)."""
    year, month = shift_month(month_of(day), months)
    if keep_month_end and day == month_end(day):
        return last_day((year, month))
    return clamped_date(year, month, day.day)


# --- Periods ---------------------------------------------------------------------------------


def days_between(debut: datetime.date, fin: datetime.date) -> int:
    """Number of days from ``debut`` to ``fin`` inclusive."""
    return (fin - debut).days + 1


def months_between(debut: datetime.date, fin: datetime.date) -> Decimal:
    """Number of months from ``debut`` to ``fin`` inclusive: whole months, then the
    remaining days as a fraction of the next month (a calendar year is exactly 12)."""
    end = fin + ONE_DAY
    whole = 0
    while add_months(debut, whole + 1) <= end:
        whole += 1
    start = add_months(debut, whole)
    remaining = (end - start).days
    if remaining == 0:
        return Decimal(whole)
    span = (add_months(debut, whole + 1) - start).days
    return Decimal(whole) + Decimal(remaining) / Decimal(span)


def month_periods(
    debut: datetime.date, fin: datetime.date
) -> Iterator[tuple[datetime.date, datetime.date]]:
    """(first day, last day) of each month from ``debut`` to ``fin``, cut at both ends."""
    start = debut
    while start <= fin:
        end = min(month_end(start), fin)
        yield (start, end)
        start = end + ONE_DAY


def months_from_to(debut: Mois, fin: Mois) -> Iterator[Mois]:
    """The months from ``debut`` to ``fin``, both included."""
    mois = debut
    while mois <= fin:
        yield mois
        mois = shift_month(mois, 1)
