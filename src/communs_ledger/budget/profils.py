"""Monthly profiles of budget lines: how an annual amount spreads over the exercice.

Written in the budget file under ``profil`` (absent = ``uniforme``)::

    profil: uniforme                                # parts égales sur chaque mois
    profil: {saisonnier: [20, 5, 5, 5, 5, 5, 5, 5, 20, 15, 5, 5]}   # poids par mois
    profil: {mois: [9, 10, 11, 12]}                 # parts égales sur ces mois
    profil: {mois: {3: 10000, 9: 10000}}            # montant de chaque mois
    profil: {mois: {2026-03: 10000, septembre: 10000}}
    profil: {dates: {2026-03-15: 10000, 2026-09-15: 10000}}   # échéances datées

Months are named by their number (1 to 12), ``AAAA-MM`` or their French name,
and must fall in the exercice. Explicit amounts must add up to the line's
annual amount, to the cent. Shares are rounded to the cent, the last period
taking the rounding difference, so that a line always sums exactly.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from ..dates import MOIS, month_periods
from ..exercices import Exercice
from ..formatage import montant as format_montant
from ..montants import lire_decimal, split_proportionally
from ..plan import fold
from ..schemas import NOMBRE_MAXIMUM, valider_montant

Echeance = tuple[datetime.date, datetime.date, Decimal]


class ProfilInvalide(ValueError):
    """A profile that cannot be read or does not add up (French message)."""


@dataclass(frozen=True)
class Profil:
    """How a budget line's amount spreads over the months of the exercice."""

    genre: str = "uniforme"  # uniforme | saisonnier | mois | dates
    poids: tuple[Decimal, ...] = ()
    mois: tuple[Any, ...] = ()  # month designations (uniform over them)
    montants_mois: dict[Any, Decimal] = field(default_factory=dict)
    montants_dates: dict[datetime.date, Decimal] = field(default_factory=dict)

    @classmethod
    def lire(cls, raw: Any) -> Profil:
        if raw is None or raw == "uniforme":
            return cls()
        if isinstance(raw, str):
            raise ProfilInvalide(
                f"profil « {raw} » inconnu : uniforme, ou {{saisonnier: […]}}, "
                "{mois: …} ou {dates: …}"
            )
        if not isinstance(raw, dict) or len(raw) != 1:
            raise ProfilInvalide(
                "profil attendu : uniforme, {saisonnier: [poids…]}, {mois: …} ou {dates: …}"
            )
        ((kind, value),) = raw.items()
        if kind == "saisonnier":
            if not isinstance(value, list) or not value:
                raise ProfilInvalide("profil saisonnier : liste de poids attendue, un par mois")
            weights = tuple(_number(w, "poids") for w in value)
            if any(w < 0 for w in weights) or sum(weights) <= 0:
                raise ProfilInvalide("profil saisonnier : poids positifs, de somme non nulle")
            return cls("saisonnier", poids=weights)
        if kind == "mois":
            if isinstance(value, list) and value:
                return cls("mois", mois=tuple(value))
            if isinstance(value, dict) and value:
                amounts = {k: _number(v, "montant") for k, v in value.items()}
                return cls("mois", montants_mois=amounts)
            raise ProfilInvalide("profil mois : liste de mois ou montant par mois attendu")
        if kind == "dates":
            if not isinstance(value, dict) or not value:
                raise ProfilInvalide("profil dates : montant par date (AAAA-MM-JJ) attendu")
            amounts = {}
            for key, amount in value.items():
                day = _date(key)
                amounts[day] = _number(amount, "montant")
            return cls("dates", montants_dates=amounts)
        raise ProfilInvalide(f"profil « {kind} » inconnu : saisonnier, mois ou dates")


def _number(value: Any, what: str) -> Decimal:
    """A number of the profile; French writing accepted (``1 300``, ``1300,50``); no
    exponent, infinity nor NaN; an amount has at most two decimals."""

    number = lire_decimal(value)
    if number is None or abs(number) >= NOMBRE_MAXIMUM:
        raise ProfilInvalide(f"{what} numérique attendu, lu « {value} »")
    if what == "montant":
        try:
            valider_montant(value)
        except ValueError as exc:
            raise ProfilInvalide(str(exc)) from None
    return number


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ProfilInvalide(f"date AAAA-MM-JJ attendue, lu « {value} »") from None


def mois_de(exercice: Exercice) -> list[tuple[datetime.date, datetime.date]]:
    """(first day, last day) of each month of the exercice (cut at its bounds)."""
    return list(_months(exercice.debut, exercice.fin))


@cache
def _months(
    debut: datetime.date, fin: datetime.date
) -> tuple[tuple[datetime.date, datetime.date], ...]:
    return tuple(month_periods(debut, fin))


_MONTH_NAMES = {fold(name): index for index, name in enumerate(MOIS, start=1)}


def _month_index(designation: Any, months: list[tuple[datetime.date, datetime.date]]) -> int:
    """Index in ``months`` of a month named 3, "2026-03" or "mars"."""
    text = str(designation).strip()
    if isinstance(designation, datetime.date):
        year, month = designation.year, designation.month
        candidates = [i for i, (d, _f) in enumerate(months) if (d.year, d.month) == (year, month)]
    elif re.fullmatch(r"\d{4}-\d{1,2}", text):
        year, month = (int(part) for part in text.split("-"))
        candidates = [i for i, (d, _f) in enumerate(months) if (d.year, d.month) == (year, month)]
    else:
        month = int(text) if text.isdigit() else _MONTH_NAMES.get(fold(text), 0)
        if not 1 <= month <= 12:
            raise ProfilInvalide(f"mois « {text} » inconnu (1 à 12, AAAA-MM ou nom du mois)")
        candidates = [i for i, (d, _f) in enumerate(months) if d.month == month]
        if len(candidates) > 1:
            raise ProfilInvalide(
                f"mois « {text} » ambigu dans un exercice de plus de douze mois : écrivez AAAA-MM"
            )
    if not candidates:
        raise ProfilInvalide(f"mois « {text} » hors de l'exercice")
    return candidates[0]


def echeances_du_profil(total: Decimal, profil: Profil, exercice: Exercice) -> tuple[Echeance, ...]:
    """The periods and amounts of an annual ``total`` under ``profil``."""
    months = mois_de(exercice)
    if profil.genre == "uniforme":
        shares = split_proportionally(total, [Decimal(1)] * len(months))
        return tuple((d, f, s) for (d, f), s in zip(months, shares, strict=True))
    if profil.genre == "saisonnier":
        if len(profil.poids) != len(months):
            raise ProfilInvalide(
                f"profil saisonnier : {len(profil.poids)} poids pour {len(months)} mois "
                "dans l'exercice"
            )
        shares = split_proportionally(total, list(profil.poids))
        return tuple((d, f, s) for (d, f), s in zip(months, shares, strict=True) if s)
    if profil.genre == "mois" and profil.mois:
        indexes = sorted({_month_index(m, months) for m in profil.mois})
        shares = split_proportionally(total, [Decimal(1)] * len(indexes))
        return tuple((*months[i], s) for i, s in zip(indexes, shares, strict=True))
    if profil.genre == "mois":
        by_index: dict[int, Decimal] = {}
        for designation, amount in profil.montants_mois.items():
            index = _month_index(designation, months)
            by_index[index] = by_index.get(index, Decimal(0)) + amount
        _check_sum(total, sum(by_index.values(), Decimal(0)))
        return tuple((*months[i], by_index[i]) for i in sorted(by_index) if by_index[i])
    dates = profil.montants_dates
    for day in dates:
        if not exercice.contains(day):
            raise ProfilInvalide(f"date {day.isoformat()} hors de l'exercice {exercice.code}")
    _check_sum(total, sum(dates.values(), Decimal(0)))
    return tuple((day, day, dates[day]) for day in sorted(dates) if dates[day])


def _check_sum(total: Decimal, found: Decimal) -> None:
    if found != total:
        raise ProfilInvalide(
            f"le profil totalise {format_montant(found)} au lieu du montant annuel "
            f"{format_montant(total)}"
        )
