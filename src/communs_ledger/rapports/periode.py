"""The period a report covers: the closing date inside the exercice, its length in
days and in months.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..exercices import Exercice, french_date
from .source import RapportImpossible


def date_d_arrete(exercice: Exercice, au: datetime.date | None) -> datetime.date:
    """The last day a report of ``exercice`` covers: ``au`` (inside it) or its closing day."""
    if au is None:
        return exercice.fin
    if not exercice.contains(au):
        raise RapportImpossible(f"date d'arrêté {french_date(au)} hors de l'{exercice.libelle}")
    return au


def jours(debut: datetime.date, fin: datetime.date) -> int:
    """Number of days from ``debut`` to ``fin`` inclusive."""
    return (fin - debut).days + 1


def _add_months(day: datetime.date, count: int) -> datetime.date:
    month_index = day.month - 1 + count
    year, month = day.year + month_index // 12, month_index % 12 + 1
    while True:
        try:
            return datetime.date(year, month, day.day)
        except ValueError:
            day = day.replace(day=day.day - 1)  # 31 → 30, 29-02 on a non-leap year…


def mois(debut: datetime.date, fin: datetime.date) -> Decimal:
    """Number of months from ``debut`` to ``fin`` inclusive: whole months, then the
    remaining days as a fraction of the next month (a calendar year is exactly 12)."""
    end = fin + datetime.timedelta(days=1)
    whole = 0
    while _add_months(debut, whole + 1) <= end:
        whole += 1
    start = _add_months(debut, whole)
    remaining = (end - start).days
    if remaining == 0:
        return Decimal(whole)
    span = (_add_months(debut, whole + 1) - start).days
    return Decimal(whole) + Decimal(remaining) / Decimal(span)
