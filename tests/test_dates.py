"""Kernel calendar helpers: month arithmetic, periods, labels."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from communs_ledger.dates import (
    add_months,
    clamped_date,
    days_between,
    days_in_month,
    elide_month,
    first_day,
    last_day,
    month_end,
    month_key,
    month_label,
    month_of,
    month_periods,
    month_start,
    months_between,
    months_from_to,
    next_month_start,
    parse_month_key,
    shift_month,
    short_month_label,
)

D = datetime.date
days = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))
shifts = st.integers(min_value=-600, max_value=600)


def test_add_months_clamps_to_the_shorter_month() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 3, 15), -3) == D(2024, 12, 15)
    assert add_months(D(2025, 12, 31), 24) == D(2027, 12, 31)


def test_add_months_can_keep_the_month_end() -> None:
    assert add_months(D(2025, 12, 31), 6, keep_month_end=True) == D(2026, 6, 30)
    assert add_months(D(2026, 6, 30), 6, keep_month_end=True) == D(2026, 12, 31)
    assert add_months(D(2026, 6, 30), 6) == D(2026, 12, 30)
    assert add_months(D(2026, 6, 29), 6, keep_month_end=True) == D(2026, 12, 29)


def test_month_boundaries() -> None:
    assert month_start(D(2025, 2, 14)) == D(2025, 2, 1)
    assert month_end(D(2024, 2, 14)) == D(2024, 2, 29)
    assert next_month_start(D(2025, 12, 31)) == D(2026, 1, 1)
    assert first_day((2025, 7)) == D(2025, 7, 1)
    assert last_day((2025, 4)) == D(2025, 4, 30)
    assert days_in_month(2100, 2) == 28
    assert clamped_date(2025, 4, 31) == D(2025, 4, 30)
    assert clamped_date(2025, 4, 12) == D(2025, 4, 12)


def test_month_pairs_keys_and_labels() -> None:
    assert month_of(D(2026, 3, 9)) == (2026, 3)
    assert shift_month((2026, 3), -3) == (2025, 12)
    assert shift_month((2026, 12), 1) == (2027, 1)
    assert month_key((2026, 3)) == "2026-03"
    assert parse_month_key("2026-03") == (2026, 3)
    assert month_label((2026, 11)) == "novembre 2026"
    assert short_month_label((2026, 2)) == "févr. 2026"
    assert list(months_from_to((2025, 11), (2026, 2))) == [
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
    ]


def test_periods() -> None:
    assert days_between(D(2025, 1, 1), D(2025, 12, 31)) == 365
    assert months_between(D(2025, 1, 1), D(2025, 12, 31)) == 12
    assert months_between(D(2025, 1, 1), D(2025, 1, 31)) == 1
    # 1 January to 15 February: one month and 15 days of February's 28.
    assert months_between(D(2025, 1, 1), D(2025, 2, 15)) == 1 + Decimal(15) / Decimal(28)
    assert list(month_periods(D(2025, 1, 15), D(2025, 3, 10))) == [
        (D(2025, 1, 15), D(2025, 1, 31)),
        (D(2025, 2, 1), D(2025, 2, 28)),
        (D(2025, 3, 1), D(2025, 3, 10)),
    ]


@given(day=days, months=shifts)
def test_add_then_subtract_months_round_trips_on_days_up_to_28(
    day: datetime.date, months: int
) -> None:
    day = day.replace(day=min(day.day, 28))
    assert add_months(add_months(day, months), -months) == day


@given(day=days, months=shifts)
def test_month_ends_round_trip_with_keep_month_end(day: datetime.date, months: int) -> None:
    end = month_end(day)
    moved = add_months(end, months, keep_month_end=True)
    assert moved == month_end(moved)
    assert add_months(moved, -months, keep_month_end=True) == end


@given(year=st.integers(min_value=1900, max_value=2200), month=st.integers(1, 12), n=shifts)
def test_shift_month_round_trips(year: int, month: int, n: int) -> None:
    assert shift_month(shift_month((year, month), n), -n) == (year, month)
    assert first_day(shift_month((year, month), n)) == add_months(D(year, month, 1), n)


def test_de_elided_before_a_month_starting_with_a_vowel() -> None:
    assert elide_month("Cotisations de avril 2026") == "Cotisations d'avril 2026"
    assert elide_month("De août 2026 à octobre 2026") == "D'août 2026 à octobre 2026"
    assert elide_month("Loyer de octobre 2026") == "Loyer d'octobre 2026"
    assert elide_month("Loyer de mai 2026") == "Loyer de mai 2026"
    assert elide_month("Chèque de avril") == "Chèque de avril"  # no year: not a month label
