"""What the header of every report says: its subtitle and common warnings."""

from __future__ import annotations

import datetime

from ..exercices import Exercice, french_date
from .source import Source


def sous_titre(exercice: Exercice, fin: datetime.date, precision: str = "") -> str:
    """``Exercice 2025 (du … au …)[, arrêté au …][ — précision]``."""
    text = exercice.libelle[0].upper() + exercice.libelle[1:]
    if fin < exercice.fin:
        text += f", arrêté au {french_date(fin)}"
    return f"{text} — {precision}" if precision else text


def avertissements_devises(source: Source) -> list[str]:
    """The warning about amounts in other commodities left out, if any."""
    others = source.mouvements.autres_devises
    return ["Montants en devises ignorés : " + ", ".join(sorted(others))] if others else []
