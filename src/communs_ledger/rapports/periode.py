"""The period a report covers: the closing date inside the exercice."""

from __future__ import annotations

import datetime
from typing import Generic, Protocol, TypeVar

from ..exercices import Exercice, french_date
from .source import RapportImpossible


def date_d_arrete(exercice: Exercice, au: datetime.date | None) -> datetime.date:
    """The last day a report of ``exercice`` covers: ``au`` (inside it) or its closing day."""
    if au is None:
        return exercice.fin
    if not exercice.contains(au):
        raise RapportImpossible(f"date d'arrêté {french_date(au)} hors de l'{exercice.libelle}")
    return au


class _Colonne(Protocol):
    @property
    def exercice(self) -> Exercice: ...

    @property
    def fin(self) -> datetime.date: ...


C = TypeVar("C", bound=_Colonne)


class ColonnesNEtN1(Generic[C]):
    """Base of the typed results in a column N and, when there is one, a column N-1: the
    exercice and closing date (those of N) and the columns by id."""

    __slots__ = ()
    n: C
    n1: C | None

    @property
    def exercice(self) -> Exercice:
        return self.n.exercice

    @property
    def fin(self) -> datetime.date:
        return self.n.fin

    def par_colonne(self) -> dict[str, C]:
        """The columns by id: ``n`` and, when there is one, ``n1``."""
        return {"n": self.n, **({"n1": self.n1} if self.n1 is not None else {})}
