"""French display of numbers and amounts: ``1 234,56 €``.

Only renderers call this: the report engine keeps :class:`~decimal.Decimal`
values and rounds to the cent only here, at display.
"""

from __future__ import annotations

from decimal import Decimal

from .montants import round_to

THOUSANDS = "\u202f"  # espace fine insécable
BEFORE_UNIT = "\u00a0"  # espace insécable


def nombre(value: Decimal | int, decimals: int = 2) -> str:
    """``Decimal('-1234.5')`` → ``-1 234,50``."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = round_to(Decimal(value), quantum)
    if rounded == 0:
        rounded = abs(rounded)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):,.{decimals}f}"
    integer, _, fraction = text.partition(".")
    integer = integer.replace(",", THOUSANDS)
    return f"{sign}{integer},{fraction}" if decimals else f"{sign}{integer}"


def montant(value: Decimal | int, currency: str = "EUR", decimals: int = 2) -> str:
    """``Decimal('1234.5')`` → ``1 234,50 €``."""
    symbol = "€" if currency == "EUR" else currency
    return f"{nombre(value, decimals)}{BEFORE_UNIT}{symbol}"


def pourcentage(value: Decimal | None, decimals: int = 1) -> str:
    """``Decimal('0.1234')`` → ``12,3 %``; None → ``—``."""
    if value is None:
        return "—"
    return f"{nombre(value * 100, decimals)}{BEFORE_UNIT}%"


def entier(value: int) -> str:
    """``12345`` → ``12 345``."""
    return nombre(value, 0)


def pluriel(count: int, singulier: str, pluriel_: str | None = None) -> str:
    """``pluriel(2, "erreur")`` → ``2 erreurs``."""
    word = singulier if count in (0, 1) else (pluriel_ or singulier + "s")
    return f"{entier(count)} {word}"
