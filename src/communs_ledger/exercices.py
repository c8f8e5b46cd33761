"""Exercices (accounting years): their dates, their code, their chart version.

An exercice opens on the day and month the config gives (1 January by
default), except an irregular first exercice. Its code is the year for
calendar exercices (``2025``) and ``2025-2026`` otherwise. The chart version in
force follows the opening date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .config import ExerciceConfig
from .dates import MOIS
from .plan import version_for_opening


def french_date(day: datetime.date) -> str:
    """``1er janvier 2025``, ``31 décembre 2025``."""
    prefix = "1er" if day.day == 1 else str(day.day)
    return f"{prefix} {MOIS[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class Exercice:
    """An exercice: its first and last days (inclusive)."""

    debut: datetime.date
    fin: datetime.date  # inclusive

    @property
    def code(self) -> str:
        if self.debut.month == 1 and self.debut.day == 1 and self.fin.year == self.debut.year:
            return str(self.debut.year)
        return f"{self.debut.year}-{self.fin.year}"

    @property
    def version(self) -> str:
        return version_for_opening(self.debut)

    @property
    def fin_exclusive(self) -> datetime.date:
        return self.fin + datetime.timedelta(days=1)

    def contains(self, day: datetime.date) -> bool:
        return self.debut <= day <= self.fin

    @property
    def libelle(self) -> str:
        return f"exercice {self.code} (du {french_date(self.debut)} au {french_date(self.fin)})"

    def __str__(self) -> str:
        return self.code


def _safe_date(year: int, month: int, day: int) -> datetime.date:
    while True:
        try:
            return datetime.date(year, month, day)
        except ValueError:
            if day <= 28:
                raise  # not a short month: a year beyond 9999
            day -= 1  # 29-02 on a non-leap year


@dataclass(frozen=True)
class Calendrier:
    """The exercices of an association, computed from its config."""

    config: ExerciceConfig

    def containing(self, day: datetime.date) -> Exercice:
        premier = self.config.premier
        if premier is not None and premier.debut <= day <= premier.fin:
            return Exercice(premier.debut, premier.fin)
        opening = _safe_date(day.year, self.config.month, self.config.day)
        if opening > day:
            opening = _safe_date(day.year - 1, self.config.month, self.config.day)
        next_opening = _safe_date(opening.year + 1, self.config.month, self.config.day)
        if premier is not None and opening <= premier.fin < next_opening and day > premier.fin:
            opening = premier.fin + datetime.timedelta(days=1)
        return Exercice(opening, next_opening - datetime.timedelta(days=1))

    def hors_exercice(self, day: datetime.date) -> str | None:
        """Why ``day`` lies in no exercice (French), or None. The calendar goes up to the
        last exercice that closes by 31 December 9999: a later one cannot be written."""
        try:
            self.containing(day)
        except ValueError:
            return (
                f"le {french_date(day)} n'appartient à aucun exercice (date au-delà du "
                "calendrier des exercices)"
            )
        return None

    def between(self, first: datetime.date, last: datetime.date) -> list[Exercice]:
        """Every exercice that overlaps [first, last], in order."""
        result: list[Exercice] = []
        day = first
        while day <= last:
            exercice = self.containing(day)
            result.append(exercice)
            day = exercice.fin_exclusive
        return result

    def find(self, code: str, known: list[Exercice]) -> Exercice | None:
        """An exercice by its code, or by its opening year."""
        for exercice in known:
            if exercice.code == code:
                return exercice
        for exercice in known:
            if str(exercice.debut.year) == code:
                return exercice
        return None
