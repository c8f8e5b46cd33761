"""Kernel money helpers: rounding, exact splits, French number reading."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from hypothesis import given
from hypothesis import strategies as st

from communs_ledger.montants import (
    CENT,
    ZERO,
    is_cent_exact,
    lire_decimal,
    split_largest_remainder,
    split_proportionally,
    to_cent,
    without_spaces,
)

cents = st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: Decimal(n) / 100)
weights = st.lists(st.integers(min_value=0, max_value=1000).map(Decimal), min_size=1, max_size=12)


def test_to_cent_rounds_half_up_by_default() -> None:
    assert to_cent(Decimal("2.345")) == Decimal("2.35")
    assert to_cent(Decimal("-2.345")) == Decimal("-2.35")
    assert to_cent(Decimal("2.349"), ROUND_DOWN) == Decimal("2.34")
    assert str(to_cent(Decimal(7))) == "7.00"


def test_split_proportionally_gives_the_difference_to_the_last_weighted_share() -> None:
    # 100 / 3 = 33.33 each, the last one takes the cent left.
    assert split_proportionally(Decimal(100), [Decimal(1)] * 3) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]
    # A zero weight at the end keeps a zero share.
    assert split_proportionally(Decimal(10), [Decimal(1), Decimal(2), ZERO]) == [
        Decimal("3.33"),
        Decimal("6.67"),
        ZERO,
    ]


def test_split_largest_remainder_gives_cents_to_the_largest_remainders() -> None:
    # 100 × (1/3, 1/3, 1/3): 33.33 each, the cent left goes to the first (tie).
    shares = split_largest_remainder(Decimal(100), [Decimal(1)] * 3)
    assert shares == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    # 10 € at 12.5 % / 87.5 %: 1.25 and 8.75 exactly.
    percents = [Decimal("12.5"), Decimal("87.5")]
    assert split_largest_remainder(Decimal(10), percents, Decimal(100)) == [
        Decimal("1.25"),
        Decimal("8.75"),
    ]
    # Negative amounts: the same shares, negated.
    assert split_largest_remainder(Decimal("-0.05"), [Decimal(1), Decimal(1)]) == [
        Decimal("-0.03"),
        Decimal("-0.02"),
    ]


@given(total=cents, parts=weights)
def test_split_proportionally_adds_up_exactly(total: Decimal, parts: list[Decimal]) -> None:
    if not any(parts):
        return
    shares = split_proportionally(total, parts)
    assert sum(shares, ZERO) == total
    assert len(shares) == len(parts)


@given(total=cents, parts=weights)
def test_split_largest_remainder_adds_up_exactly(total: Decimal, parts: list[Decimal]) -> None:
    if not any(parts):
        return
    shares = split_largest_remainder(total, parts)
    assert sum(shares, ZERO) == total
    whole = sum(parts, ZERO)
    for share, part in zip(shares, parts, strict=True):
        assert abs(share - total * part / whole) < CENT  # off by less than a cent


def test_lire_decimal_reads_french_numbers() -> None:
    assert lire_decimal("1\u202f234,50\u00a0€") == Decimal("1234.50")
    assert lire_decimal(" -12,5 ") == Decimal("-12.5")
    assert lire_decimal(3) == Decimal(3)
    assert lire_decimal(Decimal("1.5")) == Decimal("1.5")
    for refused in (True, "1e30", "inf", "NaN", "", "douze", 1.5, None):
        assert lire_decimal(refused) is None


def test_without_spaces() -> None:
    assert without_spaces(" 1\u202f234\u00a0567 890 ") == "1234567890"


def test_is_cent_exact() -> None:
    assert is_cent_exact(Decimal("12.5"))
    assert is_cent_exact(Decimal("12.50"))
    assert is_cent_exact(Decimal("-3"))
    assert not is_cent_exact(Decimal("0.001"))
    assert is_cent_exact(Decimal("2.400"))  # the value counts, not the written zeros
