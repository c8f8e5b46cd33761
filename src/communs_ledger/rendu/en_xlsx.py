"""XLSX rendering (openpyxl): one sheet per part, a « Graphique » sheet per chart of the
report, plus a final « Totaux » sheet.

A chart sheet holds the chart's data as a small table (one row per category —
month —, one column per series, the threshold as a constant column) and a real
Excel chart drawn from those cells: a line chart (``courbe``) or a column chart
(``barres``, the threshold then drawn as a line over the columns); the threshold
series is a dashed red line.

Numbers are real numeric cells: each Decimal is rounded for its genre (montant to
the cent) and only then converted to float, at this boundary. Formats: montant
``#,##0.00 "€";[Red]-#,##0.00 "€"``, pourcentage ``0.0 %``, nombre ``0.0``,
entier ``#,##0``, date ``dd/mm/yyyy``. Text cells are always stored as text (a
label starting with ``=`` never becomes a formula).

The same report gives the same bytes: the document's creation and modification
dates and the dates of the ZIP members are :func:`date_du_fichier` (the end of
the report's period, or ``$SOURCE_DATE_EPOCH``), not the time of the run.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..rapports.objets import Colonne, Genre, Graphique, Ligne, Partie, Rapport, Style, Valeur
from .renvois import UrlRenvoi, lignes_du_guide, renvoi_du_rapport
from .textes import contexte, mention_de_generation, statut
from .valeurs import (
    NUMERIQUES,
    arrondi,
    colonnes_du_rapport,
    francais,
    genre_des_totaux,
    libelle_du_total,
    noms_des_totaux,
)

FORMATS = {
    Genre.MONTANT: '#,##0.00 "€";[Red]-#,##0.00 "€"',
    Genre.POURCENTAGE: "0.0 %",
    Genre.NOMBRE: "0.0",
    Genre.ENTIER: "#,##0",
    Genre.DATE: "dd/mm/yyyy",
}
FEUILLE_TOTAUX = "Totaux"
FEUILLE_GRAPHIQUE = "Graphique"
COULEURS_SERIES = ("1F4E79", "C55A11", "548235", "7030A0", "BF8F00", "2E75B6")
COULEUR_SEUIL = "C00000"
LARGEUR_MAX = 60
LARGEUR_MIN = 8

_GRAS = Font(bold=True)
_ITALIQUE = Font(italic=True)
_NOTE = Font(italic=True, color="555555")
_AVERTISSEMENT = Font(bold=True, color="B35C00")
_ENTETE_FOND = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
_TRAIT = Side(style="thin", color="000000")
_COULEURS_STATUT = {"vert": "1E7B34", "orange": "B35C00", "rouge": "C00000", "neutre": "000000"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True, slots=True)
class _Col:
    """One column of a sheet: a part column, or the code / label / status columns."""

    cle: str  # "code", "libelle", "statut" or "valeur"
    libelle: str
    colonne: Colonne | None = None


def render(rapport: Rapport, lien_guide: UrlRenvoi | None = None) -> bytes:
    """The report as a workbook; ``lien_guide``: the address of a section of the guide
    (Fava's, when exported from Fava), written as a hyperlink under the notes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    names = _SheetNames(reserved=[FEUILLE_TOTAUX])
    report_notes_done = False
    for partie in rapport.parties:
        sheet = workbook.create_sheet(names.unique(partie.onglet or partie.titre or partie.id))
        _partie(
            sheet, rapport, partie, with_report_notes=not report_notes_done, lien_guide=lien_guide
        )
        report_notes_done = True
    for chart in rapport.graphiques:
        sheet = workbook.create_sheet(names.unique(FEUILLE_GRAPHIQUE))
        feuille_graphique(sheet, rapport, chart)
    _totaux(workbook.create_sheet(FEUILLE_TOTAUX), rapport, not report_notes_done)
    properties = workbook.properties
    properties.title = _text(rapport.titre)
    properties.subject = _text(rapport.association)
    properties.description = _text(contexte(rapport))
    properties.creator = "communs-ledger"
    properties.lastModifiedBy = "communs-ledger"
    properties.keywords = rapport.id
    return enregistrer(workbook, date_du_fichier(rapport.periode[1] if rapport.periode else None))


DATE_PAR_DEFAUT = datetime.datetime(2000, 1, 1)
"""The file date of a report without a period (a ZIP date cannot precede 1980)."""


def date_du_fichier(fin: datetime.date | None) -> datetime.datetime:
    """``$SOURCE_DATE_EPOCH`` (reproducible builds) if set, else the end of the period."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
        return max(moment.replace(tzinfo=None), datetime.datetime(1980, 1, 1))
    if fin is None:
        return DATE_PAR_DEFAUT
    return max(datetime.datetime.combine(fin, datetime.time()), datetime.datetime(1980, 1, 1))


def enregistrer(workbook: Workbook, moment: datetime.datetime) -> bytes:
    """The workbook's bytes, dated ``moment`` (document properties and ZIP members).

    openpyxl saves the workbook (titles, headers, notes: a few cells per sheet); the
    archive is then written again, member by member in the same order, each dated
    ``moment`` (openpyxl stamps the time of the run), with each part's table rows
    (:class:`_Lignes`, already XML) inserted into its sheet."""
    workbook.properties.created = moment
    workbook.properties.modified = moment
    saved = io.BytesIO()
    # openpyxl's writer, as Workbook.save but keeping the modification date given
    ExcelWriter(workbook, zipfile.ZipFile(saved, "w", zipfile.ZIP_STORED)).save()
    tables = {}
    for sheet in workbook.worksheets:
        lignes = getattr(sheet, _LIGNES, None)
        if lignes is not None and lignes.xml:
            tables[sheet.path.lstrip("/")] = lignes
    buffer = io.BytesIO()
    when = moment.timetuple()[:6]
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename in tables:
                data = _avec_lignes(data, tables[member.filename])
            info = zipfile.ZipInfo(member.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


_ROW = re.compile(rb'<row r="(\d+)"')


def _avec_lignes(sheet: bytes, lignes: _Lignes) -> bytes:
    """The sheet's XML with the table rows before its first row below the table (the
    notes, the mention), or at the end of its data."""
    after = next((m.start() for m in _ROW.finditer(sheet) if int(m[1]) > lignes.last), None)
    at = sheet.index(b"</sheetData>") if after is None else after
    return sheet[:at] + lignes.xml + sheet[at:]


class _SheetNames:
    """Sheet titles: at most 31 characters, none of ``[]:*?/\\``, unique (ignoring case)."""

    def __init__(self, reserved: list[str]) -> None:
        self.used = {name.casefold() for name in [*reserved, "History"]}

    def unique(self, wanted: str) -> str:
        base = _SHEET_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", wanted))
        base = " ".join(base.split()).strip("'").strip() or "Partie"
        name = base[:31]
        counter = 2
        while name.casefold() in self.used:
            suffix = f" ({counter})"
            name = base[: 31 - len(suffix)].rstrip() + suffix
            counter += 1
        self.used.add(name.casefold())
        return name


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _set_text(cell: Cell, value: str) -> None:
    cell.value = _text(value)
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


def _set_value_only(cell: Cell, value: Valeur, genre: Genre) -> str | None:
    """The value of :func:`_set_value` without its style; returns what :func:`_value_style`
    needs to give the cell that style: ``None`` (empty cell), ``"texte"`` or ``"nombre"``."""
    rounded = arrondi(value, genre)
    if rounded is None:
        return None
    if isinstance(rounded, str):
        _set_text(cell, rounded)
        return "texte"
    cell.value = float(rounded) if isinstance(rounded, Decimal) else rounded
    return "nombre"


def _value_style(cell: Cell, kind: str | None, genre: Genre) -> None:
    """The style :func:`_set_value` gives a value of that kind."""
    if kind == "texte" and genre in NUMERIQUES:
        cell.alignment = Alignment(horizontal="right")
    elif kind == "nombre":
        cell.number_format = FORMATS[genre]


_SHARED = "_communs_styles"


def _shared_styles(sheet: Worksheet) -> dict[tuple[Any, ...], int]:
    """The styles already built in this workbook, by what determines them: the index of
    each in the workbook's list of cell styles (fonts, borders, formats looked up in the
    workbook's lists once, then every cell of the same kind refers to that index)."""
    workbook = sheet.parent
    found = getattr(workbook, _SHARED, None)
    if found is None:
        found = {}
        setattr(workbook, _SHARED, found)
    return found


def _styled(cell: Cell, key: tuple[Any, ...]) -> None:
    """Give ``cell`` (holding its value) the style of a table cell, given by ``key``: (row
    style, column kind, then what the column adds — indent and wrapping of a label, colour
    of a status, kind and genre of a value), as :func:`_set_value` and :func:`_style`
    give it."""
    style, cle, *extra = key
    if cle == "libelle":
        indent, long = extra
        cell.alignment = Alignment(indent=indent, wrap_text=long)
    elif cle == "statut" and extra:
        cell.font = Font(bold=True, color=extra[0])
    elif cle == "valeur" and extra:
        _value_style(cell, *extra)
    _style(cell, style, cle)


def _titles(sheet: Worksheet, rapport: Rapport, subtitle: str | None) -> int:
    """Title rows at the top; returns the next free row."""
    row = 1
    lines: list[tuple[str, Font]] = [
        (rapport.association, Font(bold=True, size=12)),
        (rapport.titre, Font(bold=True, size=14)),
        (contexte(rapport), Font(italic=True)),
    ]
    if subtitle and subtitle != rapport.titre:
        lines.append((subtitle, Font(bold=True, size=12)))
    for text, font in lines:
        if text:
            cell = sheet.cell(row=row, column=1)
            _set_text(cell, text)
            cell.font = font
            row += 1
    return row + 1


def _columns(partie: Partie) -> list[_Col]:
    columns = []
    if any(ligne.code for ligne in partie.lignes):
        columns.append(_Col("code", "N°"))
    columns.append(_Col("libelle", "Libellé"))
    columns.extend(_Col("valeur", colonne.libelle, colonne) for colonne in partie.colonnes)
    if any(ligne.statut for ligne in partie.lignes):
        columns.append(_Col("statut", "Statut"))
    return columns


def _header(sheet: Worksheet, row: int, labels: list[tuple[str, bool]]) -> None:
    for index, (label, numeric) in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=index)
        _set_text(cell, label)
        cell.font = _GRAS
        cell.fill = _ENTETE_FOND
        cell.border = Border(bottom=_TRAIT)
        cell.alignment = Alignment(
            horizontal="right" if numeric else "left", vertical="center", wrap_text=True
        )


def _partie(
    sheet: Worksheet,
    rapport: Rapport,
    partie: Partie,
    with_report_notes: bool,
    lien_guide: UrlRenvoi | None = None,
) -> None:
    columns = _columns(partie)
    header = _titles(sheet, rapport, partie.titre)
    _header(
        sheet,
        header,
        [(col.libelle, bool(col.colonne and col.colonne.genre in NUMERIQUES)) for col in columns],
    )
    table = _Table(sheet, columns, header + 1)
    for ligne in partie.lignes:
        table.add(ligne)
    table.close()
    row = header + len(partie.lignes) + 1
    notes = list(partie.notes)
    warnings: list[str] = []
    if with_report_notes:
        notes += rapport.notes
        warnings = list(rapport.avertissements)
    row = _notes(sheet, row + 1, notes, warnings)
    if with_report_notes:
        row = _guide(sheet, row, rapport, lien_guide)
    _set_text(sheet.cell(row=row + 1, column=1), mention_de_generation(rapport))
    sheet.cell(row=row + 1, column=1).font = _NOTE
    label_column = [c.cle for c in columns].index("libelle") + 1
    _finish(sheet, header, table.widths(), label_column=label_column)
    numeric = sum(1 for col in columns if col.colonne and col.colonne.genre in NUMERIQUES)
    _print_setup(sheet, rapport, header, landscape=numeric > 4)


_LIGNES = "_communs_lignes"
_MEMORISES = (Decimal, datetime.date)
"""Types of the values whose XML text a table keeps, to write it again without rounding."""
_MAX_TEXTE = 32767  # characters of a cell (openpyxl cuts longer texts there)


@dataclass(frozen=True, slots=True)
class _Lignes:
    """The rows of a part's table, already written as the sheet's XML (``<row>``
    elements, from ``first`` to ``last``); :func:`enregistrer` splices them into the sheet
    when the workbook is saved. The cells, their values and their styles are those
    openpyxl would write for the same cells made one by one — without an object per cell."""

    first: int
    last: int
    xml: bytes


class _Table:
    """The table of a part, row by row: each cell as XML, each kind of cell styled once
    (:func:`_shared_styles`), each column's width (its longest French display)."""

    def __init__(self, sheet: Worksheet, columns: list[_Col], first: int) -> None:
        self.sheet = sheet
        self.columns = columns
        self.first = first
        self.row = first - 1
        self.letters = [get_column_letter(index) for index in range(1, len(columns) + 1)]
        self.shared = _shared_styles(sheet)
        self.rows: list[str] = []
        self.texts = [len(col.libelle) for col in columns]
        # every number (or date) of each value column, by its value in the report: the
        # rounded value and its XML text; the longest display is that of the column's
        # lowest or highest rounded value (see widths)
        self.numbers: list[dict[Valeur, tuple[Any, str]]] = [{} for _ in columns]
        # the XML of a cell after its reference, by row style and column: an empty
        # cell's end, a number's start (before ``<v>``)
        self.empties: dict[tuple[Style, int], str] = {}
        self.heads: dict[tuple[Style, int], str] = {}
        self.inline: dict[str, str] = {}

    def add(self, ligne: Ligne) -> None:
        self.row += 1
        row = str(self.row)
        style = ligne.style
        cells = []
        for index, col in enumerate(self.columns):
            ref = self.letters[index] + row
            cle = col.cle
            if cle == "valeur" and col.colonne is not None and style is not Style.TITRE:
                cells.append(self._cell(ref, style, index, col.colonne, ligne.valeurs))
            elif cle == "libelle":
                cells.append(self._libelle(ref, style, index, ligne))
            elif cle == "statut" and ligne.statut:
                display = statut(ligne.statut)
                key = (style, "statut", _COULEURS_STATUT[display.couleur])
                cells.append(self._text(ref, key, index, display.texte))
            else:  # a code, a status column without status, a value column in a heading row
                text = (ligne.code or None) if cle == "code" else None
                cells.append(self._text(ref, (style, cle), index, text))
        self.rows.append(f'<row r="{row}">{"".join(cells)}</row>')

    def _libelle(self, ref: str, style: Style, index: int, ligne: Ligne) -> str:
        """The label cell: indented by level, wrapped if long (a few styles, known once)."""
        indent = max(0, ligne.niveau - 1)
        size = 2 * indent + len(ligne.libelle)
        if size > self.texts[index]:
            self.texts[index] = size
        key = (style, "libelle", indent, size > LARGEUR_MAX - 2)
        known = self.shared.get(key)
        if known is None:
            return self._text(ref, key, index, ligne.libelle)
        return f'<c r="{ref}"{_xml_style(known)} t="inlineStr"{self._inline(ligne.libelle)}'

    def _style_id(self, key: tuple[Any, ...], fill: Callable[[Cell], object]) -> int:
        """The index of the cell style of ``key``, built on a cell holding the first
        value of that kind (as openpyxl cells made one by one would get it)."""
        known = self.shared.get(key)
        if known is None:
            cell = Cell(self.sheet)  # outside the sheet: only its style is kept
            fill(cell)
            _styled(cell, key)
            known = self.shared[key] = cell.style_id
        return known

    def _text(self, ref: str, key: tuple[Any, ...], index: int, text: str | None) -> str:
        known = self.shared.get(key)
        if known is None:
            fill = _no_value if text is None else lambda cell: _set_text(cell, text)
            known = self._style_id(key, fill)
        if text is None:
            return _xml_empty(ref, known)
        if key[1] != "libelle":
            self.texts[index] = max(self.texts[index], len(text))
        return f'<c r="{ref}"{_xml_style(known)} t="inlineStr"{self._inline(text)}'

    def _inline(self, text: str) -> str:
        """The end of a text cell's XML (texts repeat: account codes, labels)."""
        found = self.inline.get(text)
        if found is None:
            found = self.inline[text] = _xml_inline(text)
        return found

    def _cell(
        self, ref: str, style: Style, index: int, colonne: Colonne, valeurs: dict[str, Valeur]
    ) -> str:
        """A value cell: empty (most cells of a grand livre), or a number or date met
        before in the column (its XML text kept), or :meth:`_value`."""
        value = valeurs.get(colonne.id)
        if value is None:
            end = self.empties.get((style, index))
            if end is None:
                known = self._style_id((style, "valeur", None, colonne.genre), _no_value)
                end = self.empties[(style, index)] = f'" s="{known}" t="n"/>' if known else ""
            return f'<c r="{ref}{end}' if end else ""
        found = self.numbers[index].get(value) if type(value) in _MEMORISES else None
        if found is None:
            return self._value(ref, style, index, colonne.genre, value)
        head = self.heads.get((style, index))
        if head is None:
            return self._value(ref, style, index, colonne.genre, value)
        return f'<c r="{ref}{head}{found[1]}</v></c>'

    def _value(self, ref: str, style: Style, index: int, genre: Genre, value: Valeur) -> str:
        rounded = arrondi(value, genre)
        key: tuple[Any, ...]
        if rounded is None:
            key = (style, "valeur", None, genre)
            return _xml_empty(ref, self._style_id(key, _no_value))
        if isinstance(rounded, str):
            self.texts[index] = max(self.texts[index], len(rounded))
            key = (style, "valeur", "texte", genre)
            text_style = self._style_id(key, lambda cell: _set_text(cell, rounded))
            return f'<c r="{ref}"{_xml_style(text_style)} t="inlineStr"{self._inline(rounded)}'
        key = (style, "valeur", "nombre", genre)
        known = self.shared.get(key)
        if known is None:
            known = self._style_id(key, lambda cell: _set_value_only(cell, rounded, genre))
        head = self.heads[(style, index)] = f'"{_xml_style(known)} t="n"><v>'
        if isinstance(rounded, datetime.date):
            number = f"{to_excel(rounded, self.sheet.parent.epoch):.16g}"
        else:
            number = f"{float(rounded):.16g}"  # as openpyxl writes a number ("%.16g")
        # the same value in the report, whatever its type, rounds the same; an int
        # or a str is not remembered (True == 1: a bool must still be refused)
        key_value = value if type(value) in _MEMORISES else (type(value), value)
        self.numbers[index][key_value] = (rounded, number)
        return f'<c r="{ref}{head}{number}</v></c>'

    def widths(self) -> list[int]:
        """Each column's longest display: a number's French display only grows with its
        magnitude (for a given sign), a date's with its year, so the longest is that of
        the column's lowest or highest value."""
        widths = list(self.texts)
        for index, col in enumerate(self.columns):
            if col.colonne is None or not self.numbers[index]:
                continue
            rounded = [found[0] for found in self.numbers[index].values()]
            for extreme in (min(rounded), max(rounded)):
                widths[index] = max(widths[index], len(francais(extreme, col.colonne.genre)))
        return widths

    def close(self) -> None:
        """Leave the rows on the sheet, for :func:`enregistrer`."""
        xml = "".join(self.rows).encode("utf-8")
        setattr(self.sheet, _LIGNES, _Lignes(self.first, self.row, xml))


def _no_value(cell: Cell) -> None:
    """An empty cell (its style alone)."""


def _xml_style(style: int) -> str:
    return f' s="{style}"' if style else ""


def _xml_empty(ref: str, style: int) -> str:
    """An empty cell: written only if it has a style (a border, a font)."""
    return f'<c r="{ref}" s="{style}" t="n"/>' if style else ""


def _xml_inline(text: str) -> str:
    """What follows ``<c r=… s=… t="inlineStr"`` in a text cell (an inline string: never a
    formula), as openpyxl writes it."""
    value = _text(text)[:_MAX_TEXTE]
    if not value:
        return "/>"
    space = ' xml:space="preserve"' if value != value.strip() else ""
    escaped = (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )
    return f"><is><t{space}>{escaped}</t></is></c>"


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


def _notes(sheet: Worksheet, row: int, notes: list[str], warnings: list[str]) -> int:
    """Notes then warnings below the table; returns the next free row."""
    for heading, texts, font in (
        ("Notes", notes, _NOTE),
        ("Avertissements", warnings, _AVERTISSEMENT),
    ):
        if not texts:
            continue
        cell = sheet.cell(row=row, column=1)
        _set_text(cell, heading)
        cell.font = _GRAS
        row += 1
        for text in texts:
            cell = sheet.cell(row=row, column=1)
            _set_text(cell, text)
            cell.font = font
            row += 1
        row += 1
    return row


def _guide(sheet: Worksheet, row: int, rapport: Rapport, lien: UrlRenvoi | None) -> int:
    """The block « Guide de bonnes pratiques » below the notes: the report's page, then the
    section explaining each indicator (a hyperlink when ``lien`` gives its address);
    returns the next free row."""
    heading, lines = lignes_du_guide(rapport)
    if not heading:
        return row
    page = renvoi_du_rapport(rapport.id)
    entries = [(heading, page), *((text, cible) for text, cible in lines)]
    for index, (text, cible) in enumerate(entries):
        cell = sheet.cell(row=row, column=1)
        _set_text(cell, text)
        cell.font = _GRAS if index == 0 else _NOTE
        if lien is not None and cible is not None:
            cell.hyperlink = lien(cible)
        row += 1
    return row + 1


def _finish(sheet: Worksheet, header: int, widths: list[int], label_column: int) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            LARGEUR_MIN, min(LARGEUR_MAX, width + 2)
        )
    sheet.freeze_panes = sheet.cell(row=header + 1, column=label_column + 1).coordinate


def _print_setup(sheet: Worksheet, rapport: Rapport, header: int, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header}:{header}"
    sheet.oddFooter.left.text = _footer_text(rapport.association)
    sheet.oddFooter.right.text = "Page &P / &N"


def _footer_text(text: str) -> str:
    return _text(text).replace("&", "&&")[:200]


def _totaux(sheet: Worksheet, rapport: Rapport, with_report_notes: bool) -> None:
    """Named totals by column: one row per total, one column per report column."""
    known = colonnes_du_rapport(rapport)
    columns = list(rapport.totaux)
    header = _titles(sheet, rapport, "Totaux nommés")
    labels = [("Total", False), ("Identifiant", False)]
    labels += [(known[c].libelle if c in known else c, True) for c in columns]
    _header(sheet, header, labels)
    widths = [len(label) for label, _ in labels]
    row = header
    names = noms_des_totaux(rapport)
    for nom in names:
        row += 1
        label = libelle_du_total(rapport, nom)
        for index, text in ((1, label), (2, nom)):
            _set_text(sheet.cell(row=row, column=index), text)
            widths[index - 1] = max(widths[index - 1], len(text))
        for index, colonne in enumerate(columns, start=3):
            value = rapport.totaux[colonne].get(nom)
            genre = genre_des_totaux(rapport, colonne)
            _set_value(sheet.cell(row=row, column=index), value, genre)
            widths[index - 1] = max(widths[index - 1], len(francais(value, genre)))
    row += 1
    if not names:
        _set_text(sheet.cell(row=row, column=1), "Ce rapport n'a pas de total nommé.")
        sheet.cell(row=row, column=1).font = _NOTE
        row += 1
    notes = list(rapport.notes) if with_report_notes else []
    warnings = list(rapport.avertissements) if with_report_notes else []
    row = _notes(sheet, row + 1, notes, warnings)
    _set_text(sheet.cell(row=row + 1, column=1), mention_de_generation(rapport))
    sheet.cell(row=row + 1, column=1).font = _NOTE
    _finish(sheet, header, widths, label_column=1)
    _print_setup(sheet, rapport, header, landscape=len(columns) > 4)


def _categories_texte(chart: Any, categories: Any) -> None:
    """The x axis labels (months: text cells) of every series, as a string reference."""
    from openpyxl.chart.data_source import AxDataSource, StrRef

    for serie in chart.series:
        serie.cat = AxDataSource(strRef=StrRef(f=str(categories)))


def feuille_graphique(sheet: Worksheet, rapport: Rapport, chart: Graphique) -> None:
    """The chart's data table and the Excel chart drawn from it, on ``sheet``."""
    from openpyxl.chart import BarChart, LineChart, Reference

    genre = Genre.MONTANT if chart.unite == "€" else Genre.NOMBRE
    header = _titles(sheet, rapport, chart.titre)
    labels = [("Mois", False)] + [(serie.nom, True) for serie in chart.series]
    if chart.seuil is not None:
        labels.append((chart.seuil_libelle or "Seuil", True))
    _header(sheet, header, labels)
    widths = [len(label) for label, _numeric in labels]
    for offset, category in enumerate(chart.categories, start=1):
        row = header + offset
        _set_text(sheet.cell(row=row, column=1), category)
        widths[0] = max(widths[0], len(category))
        values = [serie.valeurs[offset - 1] for serie in chart.series]
        if chart.seuil is not None:
            values.append(chart.seuil)
        for column, value in enumerate(values, start=2):
            _set_value(sheet.cell(row=row, column=column), value, genre)
            widths[column - 1] = max(widths[column - 1], len(francais(value, genre)))
    last_row = header + len(chart.categories)
    _finish(sheet, header, widths, label_column=1)

    count = len(chart.series)
    categories = Reference(sheet, min_col=1, min_row=header + 1, max_row=last_row)
    drawn = BarChart() if chart.genre == "barres" else LineChart()
    if chart.genre == "barres":
        drawn.type = "col"
    if count:
        data = Reference(sheet, min_col=2, max_col=1 + count, min_row=header, max_row=last_row)
        drawn.add_data(data, titles_from_data=True)
    for index, serie in enumerate(drawn.series):
        colour = COULEURS_SERIES[index % len(COULEURS_SERIES)]
        if chart.genre == "barres":
            serie.graphicalProperties.solidFill = colour
        else:
            serie.graphicalProperties.line.solidFill = colour
            serie.graphicalProperties.line.width = 28575  # 2.25 pt
            serie.smooth = False
    if chart.seuil is not None:
        threshold = LineChart() if chart.genre == "barres" else drawn
        column = 2 + count
        reference = Reference(sheet, min_col=column, min_row=header, max_row=last_row)
        threshold.add_data(reference, titles_from_data=True)
        line = threshold.series[-1]
        line.graphicalProperties.line.solidFill = COULEUR_SEUIL
        line.graphicalProperties.line.dashStyle = "dash"
        line.graphicalProperties.line.width = 19050  # 1.5 pt
        line.smooth = False
        if threshold is not drawn:
            _categories_texte(threshold, categories)
            drawn += threshold
    _categories_texte(drawn, categories)
    drawn.title = _text(chart.titre)
    drawn.y_axis.title = _text(chart.unite)
    drawn.y_axis.numFmt = '#,##0 "€"' if genre is Genre.MONTANT else "0.0"
    drawn.x_axis.delete = False  # openpyxl ≥ 3.1 hides the axes unless told
    drawn.y_axis.delete = False
    drawn.legend.position = "b"
    drawn.height = 10  # cm
    drawn.width = max(18.0, min(40.0, 1.0 * len(chart.categories)))
    sheet.add_chart(drawn, f"{get_column_letter(len(labels) + 2)}{header}")
    _print_setup(sheet, rapport, header, landscape=True)


__all__ = ["FEUILLE_GRAPHIQUE", "FEUILLE_TOTAUX", "FORMATS", "feuille_graphique", "render"]
