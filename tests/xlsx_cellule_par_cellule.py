"""The cells of a table as the XLSX renderer made them before issue 22, one openpyxl cell
at a time (value, then style): the reference the renderer's rows are compared with
(``test_rendu_xlsx_lignes``, ``test_rendu_xlsx_styles``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side

from communs_ledger.rapports.objets import Genre, Style, Valeur
from communs_ledger.rendu.en_xlsx import FORMATS
from communs_ledger.rendu.valeurs import NUMERIQUES, arrondi

_GRAS = Font(bold=True)
_ITALIQUE = Font(italic=True)
_NOTE = Font(italic=True, color="555555")
_TRAIT = Side(style="thin", color="000000")


def _set_text(cell: Cell, value: str) -> None:
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"  # never a formula, whatever the text starts with


def _set_value(cell: Cell, value: Valeur, genre: Genre) -> None:
    """A numeric/date cell with its number format; text stays text."""
    rounded = arrondi(value, genre)
    if rounded is None:
        return
    if isinstance(rounded, str):
        _set_text(cell, rounded)
        if genre in NUMERIQUES:
            cell.alignment = Alignment(horizontal="right")
        return
    if isinstance(rounded, Decimal):
        cell.value = float(rounded)  # rounded for its genre first, float only here
    else:
        cell.value = rounded  # int or date
    cell.number_format = FORMATS[genre]


def _value_style(cell: Cell, kind: str | None, genre: Genre) -> None:
    if kind == "texte" and genre in NUMERIQUES:
        cell.alignment = Alignment(horizontal="right")
    elif kind == "nombre":
        cell.number_format = FORMATS[genre]


def _styled(cell: Cell, key: tuple[Any, ...]) -> None:
    """The style of a table cell given by ``key`` (row style, column kind, extras)."""
    style, cle, *extra = key
    if cle == "libelle":
        indent, long = extra
        cell.alignment = Alignment(indent=indent, wrap_text=long)
    elif cle == "statut" and extra:
        cell.font = Font(bold=True, color=extra[0])
    elif cle == "valeur" and extra:
        _value_style(cell, *extra)
    _style(cell, style, cle)


def _style(cell: Cell, style: Style, cle: str) -> None:
    """Row style: bold totals and headings, italic « dont » and notes, ruled totals."""
    if style is Style.TOTAL:
        cell.border = Border(top=_TRAIT)
    if cle == "statut" and cell.value is not None:
        return  # keeps its coloured bold font
    if style in (Style.TOTAL, Style.SOUS_TOTAL, Style.TITRE):
        cell.font = _GRAS
    elif style is Style.DONT:
        cell.font = _ITALIQUE
    elif style is Style.NOTE:
        cell.font = _NOTE
