"""What the header of every report says: its subtitle and common warnings."""

from __future__ import annotations

import datetime
from typing import Any

from ..exercices import Exercice, french_date
from ..sources import Location, display_path
from .source import Source


def sous_titre(exercice: Exercice, fin: datetime.date, precision: str = "") -> str:
    """``Exercice 2025 (du … au …)[, arrêté au …][ — précision]``."""
    text = exercice.libelle[0].upper() + exercice.libelle[1:]
    if fin < exercice.fin:
        text += f", arrêté au {french_date(fin)}"
    return f"{text} — {precision}" if precision else text


def avertissements_devises(source: Source) -> list[str]:
    """The warnings about the amounts themselves: other commodities left out; amounts
    with more than two decimals (each printed line is rounded to the cent, so a printed
    total may differ by a cent or so from the sum of its printed lines)."""
    others = source.mouvements.autres_devises
    warnings = ["Montants en devises ignorés : " + ", ".join(sorted(others))] if others else []
    fins = source.mouvements.au_dela_du_centime()
    if fins:
        lieux = sorted({_lieu(m.entry) for m in fins})
        listed = ", ".join(lieux[:3]) + (f" et {len(lieux) - 3} autre(s)" if len(lieux) > 3 else "")
        warnings.append(
            f"Montants à plus de deux décimales ({listed}) : chaque ligne est arrondie au "
            "centime à l'affichage, un total peut donc différer d'un centime ou deux de la "
            "somme des lignes affichées ; écrivez les montants au centime."
        )
    return warnings


def _lieu(entry: Any) -> str:
    """``fichier:ligne`` of a Beancount entry."""
    meta = getattr(entry, "meta", None) or {}
    return str(Location(display_path(str(meta.get("filename", "?"))), int(meta.get("lineno", 0))))
