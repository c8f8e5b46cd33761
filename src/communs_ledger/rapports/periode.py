"""The period a report covers: the closing date inside the exercice."""

from __future__ import annotations

import datetime

from ..exercices import Exercice, french_date
from .source import RapportImpossible


def date_d_arrete(exercice: Exercice, au: datetime.date | None) -> datetime.date:
    """The last day a report of ``exercice`` covers: ``au`` (inside it) or its closing day."""
    if au is None:
        return exercice.fin
    if not exercice.contains(au):
        raise RapportImpossible(f"date d'arrêté {french_date(au)} hors de l'{exercice.libelle}")
    return au
