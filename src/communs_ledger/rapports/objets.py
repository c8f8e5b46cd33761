"""Report objects: what the engine produces and every renderer consumes.

A :class:`Rapport` is made of :class:`Partie` (one table each: one sheet in
XLSX, one section in HTML), whose :class:`Ligne` carry values by column id.
Values are :class:`~decimal.Decimal` (amounts, ratios), ``str``, ``int``,
``datetime.date`` or ``None`` (empty cell). Named totals (``resultat``,
``total_actif``…) are in :attr:`Rapport.totaux`, by column.

Nothing here knows about rich, openpyxl, Flask or any output format.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from .source import Source

Valeur = Decimal | str | int | datetime.date | None


class Genre(StrEnum):
    """What a column holds (renderers choose formats from it)."""

    MONTANT = "montant"  # euros, 2 decimals
    POURCENTAGE = "pourcentage"  # ratio: 0.125 shown as 12,5 %
    NOMBRE = "nombre"  # plain decimal (days, months…), 1 decimal
    ENTIER = "entier"
    TEXTE = "texte"
    DATE = "date"


class Style(StrEnum):
    """How a row is shown."""

    NORMAL = "normal"
    TITRE = "titre"  # section heading, no values
    SOUS_TOTAL = "sous_total"  # bold
    TOTAL = "total"  # bold, ruled
    DONT = "dont"  # informative "dont" amount, italic, not added
    NOTE = "note"  # explanatory text


@dataclass(frozen=True, slots=True)
class Colonne:
    id: str
    libelle: str
    genre: Genre = Genre.MONTANT


@dataclass(slots=True)
class Ligne:
    """One row. ``id`` is a stable line id (layout lines, totals); ``code`` an account code."""

    libelle: str
    valeurs: dict[str, Valeur] = field(default_factory=dict)
    id: str | None = None
    code: str | None = None
    niveau: int = 1
    style: Style = Style.NORMAL
    comptes: tuple[str, ...] = ()  # Beancount accounts behind the row (drill-down)
    statut: str | None = None  # e.g. diagnostic status: ok / surveiller / alerte


@dataclass(slots=True)
class Partie:
    id: str
    titre: str
    colonnes: list[Colonne]
    lignes: list[Ligne] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    onglet: str | None = None  # short name for a spreadsheet tab (≤ 31 characters)

    def ligne(self, id_: str) -> Ligne | None:
        for ligne in self.lignes:
            if ligne.id == id_:
                return ligne
        return None


@dataclass(frozen=True, slots=True)
class Serie:
    """One line of a chart: a name and its values, one per category of the chart."""

    nom: str
    valeurs: tuple[Decimal | None, ...]


@dataclass(slots=True)
class Graphique:
    """A chart renderers draw (XLSX chart, SVG in HTML, text curve in the terminal).

    ``categories`` label the x axis (months…); each series has one value per
    category. ``seuil`` draws a horizontal reference line (an alert threshold).
    """

    id: str
    titre: str
    categories: tuple[str, ...]
    series: list[Serie]
    genre: str = "courbe"  # "courbe" | "barres"
    unite: str = "€"
    seuil: Decimal | None = None
    seuil_libelle: str = ""


@dataclass(slots=True)
class Rapport:
    """A complete report, format-independent."""

    id: str  # "compte_de_resultat", "bilan", "balance"…
    titre: str
    association: str
    parties: list[Partie]
    sous_titre: str = ""
    exercice: str | None = None
    periode: tuple[datetime.date, datetime.date] | None = None
    totaux: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    """Named totals by column id: ``totaux["n"]["resultat"]``."""
    notes: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)
    """Facts about the report for the JSON export (dates, codes, lists of codes…)."""
    graphiques: list[Graphique] = field(default_factory=list)

    def partie(self, id_: str) -> Partie:
        for partie in self.parties:
            if partie.id == id_:
                return partie
        raise KeyError(id_)


def cellules(valeurs: Mapping[str, Valeur]) -> dict[str, Valeur]:
    """The values of a row as :attr:`Ligne.valeurs` holds them (a fresh dict), from any
    mapping of values (amounts only, amounts or None…)."""
    return dict(valeurs)


P = ParamSpec("P")
R = TypeVar("R")


def rapport_de(
    compute: Callable[Concatenate[Source, P], R],
    build: Callable[[R, Source], Rapport],
    doc: str,
) -> Callable[Concatenate[Source, P], Rapport]:
    """The report function of an engine (documented by ``doc``): ``compute`` the figures
    from a source and the same arguments, then ``build`` their :class:`Rapport`."""

    def rapport(source: Source, /, *args: P.args, **kwargs: P.kwargs) -> Rapport:
        return build(compute(source, *args, **kwargs), source)

    rapport.__doc__ = doc
    return rapport
