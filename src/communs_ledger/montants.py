"""Money as :class:`~decimal.Decimal`: constants, rounding to the cent, splitting
an amount into shares that add up exactly, and reading a number written the French
way (``"1 234,50 €"``).

Display (``1 234,50 €``) lives in :mod:`communs_ledger.formatage`; every rounding
and every parsing of an amount lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

_SPACES = ("\u202f", "\u00a0", " ")  # narrow no-break, no-break and plain spaces
_NUMBER_CHARS = frozenset("0123456789.+-_")


def round_to(value: Decimal, quantum: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` rounded to a multiple of ``quantum`` (``Decimal("0.01")``, ``Decimal(1)``),
    half up unless ``rounding`` says otherwise."""
    return value.quantize(quantum, rounding=rounding)


def to_cent(value: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` rounded to the cent, half up unless ``rounding`` says otherwise."""
    return round_to(value, CENT, rounding)


def debit_credit(amount: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """A signed amount as (debit, credit) columns: a positive amount is a debit, a
    negative one a credit (shown positive), zero neither."""
    if amount > 0:
        return amount, None
    if amount < 0:
        return None, -amount
    return None, None


def is_cent_exact(value: Decimal) -> bool:
    """Whether ``value`` has no digit below the cent (``12.5``, ``12.50``: yes)."""
    return value == value.quantize(CENT)


def split_proportionally(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Shares of ``total`` proportional to ``weights``, each rounded half up to the cent;
    the last share with a non-zero weight takes the rounding difference, so the shares
    add up to ``total`` exactly. The weights must not add up to zero."""
    whole = sum(weights, ZERO)
    shares = [to_cent(total * weight / whole) for weight in weights]
    last = max(index for index, weight in enumerate(weights) if weight)
    shares[last] += total - sum(shares, ZERO)
    return shares


def split_largest_remainder(
    total: Decimal, weights: Sequence[Decimal], whole: Decimal | None = None
) -> list[Decimal]:
    """Shares of ``total`` in proportion ``weight / whole`` (``whole``: the sum of the
    weights by default), by the largest remainder (Hamilton's method): each share is
    truncated to the cent (toward zero), then the cents left go one by one to the
    shares with the largest remainders (ties: the first one). The shares add up to
    ``total`` exactly (a rest below a cent goes to the first of that order)."""
    sign = -1 if total < 0 else 1
    size = abs(total)
    denominator = sum(weights, ZERO) if whole is None else whole
    exact = [size * weight / denominator for weight in weights]
    shares = [to_cent(value, ROUND_DOWN) for value in exact]
    left = size - sum(shares, ZERO)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    cents = int(left / CENT)
    for rank in range(cents):
        shares[order[rank % len(order)]] += CENT
    rest = left - cents * CENT  # below a cent: the amount itself had more decimals
    if rest and order:
        shares[order[0]] += rest
    return [sign * share for share in shares]


def without_spaces(text: str) -> str:
    """``text`` stripped, without its spaces (thousands separators: ``"1 234,50"``)."""
    text = text.strip()
    for space in _SPACES:
        text = text.replace(space, "")
    return text


def lire_decimal(value: Any) -> Decimal | None:
    """The number a raw YAML value writes (``1234.50``, ``"1 234,50 €"``), or None.

    Exponents (``1e30``), infinities and NaN are not numbers here: a side file's
    amounts and rates are written in plain digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        parsed = _parse_plain(without_spaces(value).removesuffix("€").replace(",", "."))
        if parsed is None:
            return None
        number = parsed
    else:
        return None
    return number if number.is_finite() else None


def montant_saisi(texte: str, nom: str = "montant") -> Decimal:
    """An amount typed by a user, in French or English, signed or not, to the cent at most
    (``1100``, ``1 100,50``); ValueError (French) naming the field ``nom`` otherwise."""
    value = lire_decimal(texte)
    if value is None or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{nom} « {texte} » : montant attendu (ex. 1100 ou 1 100,50)")
    return value


def _parse_plain(text: str) -> Decimal | None:
    """``text`` (digits, ``.``, sign, ``_``) as a Decimal, None if it is not one."""
    if not text or any(char not in _NUMBER_CHARS for char in text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
