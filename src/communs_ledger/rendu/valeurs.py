"""Cell values by column genre: the exported value (rounded, machine text) and the
French display text.

Rounding happens here and only here, half-up: montant and nombre to 0.01,
pourcentage (a ratio) to 0.0001, entier to the unit. A ``str`` found in a numeric
column (``"n.c."``) is kept as text; a ``float`` is refused (money is Decimal).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from ..formatage import montant, nombre, pourcentage
from ..montants import round_to, to_cent
from ..rapports.objets import Colonne, Genre, Rapport, Valeur

NUMERIQUES = frozenset({Genre.MONTANT, Genre.POURCENTAGE, Genre.NOMBRE, Genre.ENTIER})
"""Genres shown as right-aligned numbers."""

_QUANTUM = {
    Genre.POURCENTAGE: Decimal("0.0001"),
    Genre.NOMBRE: Decimal("0.01"),
}

Arrondi = Decimal | int | str | datetime.date | None


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool | float):
        raise TypeError(
            f"valeur {value!r} refusée : les montants sont des Decimal, jamais des float"
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"valeur non finie dans un rapport : {value}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"valeur {value!r} inattendue dans une colonne numérique")


def _no_negative_zero(value: Decimal) -> Decimal:
    return value.copy_abs() if value == 0 else value


def arrondi(value: Valeur, genre: Genre) -> Arrondi:
    """The value as exported: numbers rounded half-up for their genre, dates as dates.

    ``montant`` → Decimal with 2 decimals, ``pourcentage`` → Decimal with 4
    decimals, ``nombre`` → 2 decimals, ``entier`` → int; ``None`` stays ``None``;
    text in a numeric column stays text.
    """
    if value is None:
        return None
    if type(genre) is not Genre:
        genre = Genre(genre)
    if genre in NUMERIQUES and isinstance(value, str):
        return value
    if genre is Genre.MONTANT:
        return _no_negative_zero(to_cent(_decimal(value)))
    if genre in _QUANTUM:
        return _no_negative_zero(round_to(_decimal(value), _QUANTUM[genre]))
    if genre is Genre.ENTIER:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return int(_decimal(value).to_integral_value(rounding=ROUND_HALF_UP))
    if genre is Genre.DATE:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return str(value)
    return value if isinstance(value, str) else str(value)


def machine(value: Valeur, genre: Genre) -> str | int | None:
    """The exported text (JSON, CSV, HTML ``data-valeur``): ``"1234.50"``, ``"0.1250"``,
    an ``int`` for entier, an ISO date, the text itself; ``None`` for an empty cell."""
    rounded = arrondi(value, genre)
    if rounded is None or isinstance(rounded, str | int):
        return rounded
    if isinstance(rounded, Decimal):
        return format(rounded, "f")
    return rounded.isoformat()


def negatif(value: Valeur, genre: Genre) -> bool:
    """True if the value, once rounded for display, is below zero."""
    rounded = arrondi(value, genre)
    return isinstance(rounded, Decimal | int) and rounded < 0


def date_courte(day: datetime.date) -> str:
    """``31/12/2025``."""
    return day.strftime("%d/%m/%Y")


def francais(value: Valeur, genre: Genre, *, euro: bool = True) -> str:
    """French display: ``1 234,56 €`` (or ``1 234,56`` without ``euro``), ``12,5 %``,
    ``3,5``, ``12 345``, ``31/12/2025``; ``""`` for an empty cell."""
    rounded = arrondi(value, genre)
    if rounded is None:
        return ""
    if isinstance(rounded, str):
        return rounded
    genre = Genre(genre)
    if genre is Genre.MONTANT:
        return montant(rounded) if euro else nombre(rounded)
    if genre is Genre.POURCENTAGE:
        return pourcentage(rounded)
    if genre is Genre.NOMBRE:
        return nombre(rounded, 1)
    if genre is Genre.ENTIER:
        return nombre(rounded, 0)
    if isinstance(rounded, datetime.date):
        return date_courte(rounded)
    return str(rounded)


def colonnes_du_rapport(rapport: Rapport) -> dict[str, Colonne]:
    """Every column id of the report, in order of first appearance, with its first definition."""
    found: dict[str, Colonne] = {}
    for partie in rapport.parties:
        for colonne in partie.colonnes:
            found.setdefault(colonne.id, colonne)
    return found


def genre_des_totaux(rapport: Rapport, colonne: str) -> Genre:
    """Genre of the named totals of a column: the column's genre, montant if unknown."""
    found = colonnes_du_rapport(rapport).get(colonne)
    return found.genre if found else Genre.MONTANT


def colonne_principale(rapport: Rapport) -> str | None:
    """Column whose named totals are *the* totals of the report: ``n`` if present, else the
    first column (in the parts' order) that has totals, else the first key of ``totaux``."""
    if not rapport.totaux:
        return None
    if "n" in rapport.totaux:
        return "n"
    for colonne in colonnes_du_rapport(rapport):
        if colonne in rapport.totaux:
            return colonne
    return next(iter(rapport.totaux))


def noms_des_totaux(rapport: Rapport) -> list[str]:
    """Every total name, in order of first appearance across columns."""
    names: dict[str, None] = {}
    for totals in rapport.totaux.values():
        names.update(dict.fromkeys(totals))
    return list(names)


def libelle_du_total(rapport: Rapport, nom: str) -> str:
    """Label of a named total: the label of the row with that id, else the id made readable."""
    for partie in rapport.parties:
        ligne = partie.ligne(nom)
        if ligne is not None:
            return ligne.libelle
    text = nom.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
