"""What every forecast input produces, and what the plan and projections consume.

An input (payroll, conventions, recurring flows, open receivables and
payables, the rest of the budget) turns into two lists for a period:

- :class:`MouvementPrevu`, the cash it will move (receipts > 0, payments < 0),
  with its cash category (``plan_comptable/tresorerie.yaml``);
- :class:`ResultatPrevu`, the charges and produits it will record, by account
  code (for the projected result, the multi-year projection and the forecast
  entries).

Inputs are independent modules implementing :class:`Entree`; a
:class:`Scenario` is a set of named overrides each input applies to itself
before generating.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from ..exercices import french_date
from ..montants import lire_decimal
from ..rapports.source import Source
from ..schemas import NOMBRE_MAXIMUM, valider_montant
from ..sources import Location


@dataclass(frozen=True, slots=True)
class MouvementPrevu:
    """A forecast cash movement of the treasury accounts (class 5)."""

    date: datetime.date
    montant: Decimal  # + receipt, - payment
    categorie: str  # category id of plan_comptable/tresorerie.yaml
    libelle: str
    origine: str  # "paie:coordinatrice", "convention:REG-2026", "flux:loyer"…
    detail: str | None = None  # e.g. the funder, shown as a sub-line of the category
    compte: str | None = None  # counterpart account code (for forecast entries)
    projet: str | None = None
    location: Location | None = None  # the input line that produced it


@dataclass(frozen=True, slots=True)
class ResultatPrevu:
    """A forecast charge or produit (positive in its natural direction)."""

    date: datetime.date
    compte: str  # account code (6411, 645, 7412…)
    montant: Decimal
    libelle: str
    origine: str
    projet: str | None = None
    location: Location | None = None


@dataclass
class Previsions:
    tresorerie: list[MouvementPrevu] = field(default_factory=list)
    resultat: list[ResultatPrevu] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader must know of these forecasts (French sentences, shown once)."""

    def ajouter(self, autres: Previsions) -> None:
        self.tresorerie.extend(autres.tresorerie)
        self.resultat.extend(autres.resultat)
        self.notes.extend(n for n in autres.notes if n not in self.notes)


@dataclass(frozen=True)
class Scenario:
    """Named overrides of the inputs (``previsions/scenarios.yaml``).

    Each mapping is keyed by the input's own identifier (post code, convention
    reference, flow code) and holds that input's overridable fields; each input
    module documents and validates what it accepts.
    """

    code: str
    libelle: str
    postes: dict[str, dict[str, Any]] = field(default_factory=dict)
    conventions: dict[str, dict[str, Any]] = field(default_factory=dict)
    flux: dict[str, dict[str, Any]] = field(default_factory=dict)
    location: Location | None = None


BASE = Scenario("base", "Prévision de base")


@dataclass(frozen=True)
class Periode:
    """The forecast period: from ``debut`` (the day after the last actual) to ``fin``."""

    debut: datetime.date
    fin: datetime.date

    def echeance(self, due: datetime.date, attendu: str = "attendu") -> tuple[datetime.date, str]:
        """Where a settlement due on ``due`` falls: an overdue one on the first day of the
        period, with the label suffix « (en retard : attendu le …) » (``attendu``: the
        agreed participle); else on its date, without suffix. The caller drops dates after
        ``fin``."""
        if due < self.debut:
            return self.debut, f" (en retard : {attendu} le {french_date(due)})"
        return due, ""


def de_mois(texte: str) -> str:
    """« de » before a month's name, elided before a vowel: ``de mars 2026``,
    ``d'avril 2026``, ``d'août 2026``."""
    return f"d'{texte}" if texte[:1] in "aeiouyàâéèêîôû" else f"de {texte}"


class Entree(Protocol):
    """One forecast input (payroll, conventions, flows…)."""

    def generer(self, periode: Periode, scenario: Scenario, contexte: Source) -> Previsions:
        """The cash movements and results of the period, under the scenario.

        ``contexte`` is a :class:`communs_ledger.rapports.source.Source` (the
        ledger's actual movements, config, exercices).
        """
        ...

    def codes_couverts(self) -> set[str]:
        """Account codes (charges/produits) this input forecasts: the budget lines on
        them are not counted a second time."""
        ...


_PERCENT = re.compile(r"^([+\-−]?)\s*(\d+(?:[.,]\d+)?)\s*%$")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Variation:
    """A new amount (``relative`` False) or a change in per cent of the base amount."""

    valeur: Decimal
    relative: bool = False

    def appliquer(self, base: Decimal) -> Decimal:
        if self.relative:
            return base * (HUNDRED + self.valeur) / HUNDRED
        return self.valeur


def lire_variation(value: Any) -> Variation:
    """``-1700`` → new amount; ``"-30%"`` → −30 %. Raises ``ValueError`` (French)."""
    if isinstance(value, str):
        text = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        match = _PERCENT.match(text)
        if match:
            sign = -1 if match.group(1) in ("-", "−") else 1
            return Variation(sign * Decimal(match.group(2).replace(",", ".")), relative=True)
    number = lire_decimal(value)
    if number is not None and abs(number) < NOMBRE_MAXIMUM:
        valider_montant(value)
        return Variation(number)
    raise ValueError(
        f"montant attendu : un nombre, ou une variation comme « -30% » (valeur lue : {value!r})"
    )
