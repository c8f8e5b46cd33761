"""XLSX rendering: one sheet per part, a « Graphique » sheet per chart of the report, plus
a final « Totaux » sheet (written by :mod:`.xlsx_package`, without openpyxl).

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
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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
from .xlsx_package import (
    Alignment,
    CellStyle,
    Drawing,
    Font,
    Link,
    Properties,
    Sheet,
    Styles,
    allowed_text,
    column_letter,
    number_xml,
    package,
    xml_inline,
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
_ENTETE_FOND = "D9E1F2"
_COULEURS_STATUT = {"vert": "1E7B34", "orange": "B35C00", "rouge": "C00000", "neutre": "000000"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RIGHT = Alignment(horizontal="right")


@dataclass(frozen=True, slots=True)
class _Col:
    """One column of a sheet: a part column, or the code / label / status columns."""

    cle: str  # "code", "libelle", "statut" or "valeur"
    libelle: str
    colonne: Colonne | None = None


def render(rapport: Rapport, lien_guide: UrlRenvoi | None = None) -> bytes:
    """The report as a workbook; ``lien_guide``: the address of a section of the guide
    (Fava's, when exported from Fava), written as a hyperlink under the notes."""
    styles = Styles()
    feuilles: list[Sheet] = []
    names = _SheetNames(reserved=[FEUILLE_TOTAUX])
    report_notes_done = False
    for partie in rapport.parties:
        sheet = Sheet(names.unique(partie.onglet or partie.titre or partie.id), styles)
        _partie(
            sheet, rapport, partie, with_report_notes=not report_notes_done, lien_guide=lien_guide
        )
        feuilles.append(sheet)
        report_notes_done = True
    for chart in rapport.graphiques:
        sheet = Sheet(names.unique(FEUILLE_GRAPHIQUE), styles)
        feuille_graphique(sheet, rapport, chart)
        feuilles.append(sheet)
    totaux = Sheet(FEUILLE_TOTAUX, styles)
    _totaux(totaux, rapport, not report_notes_done)
    feuilles.append(totaux)
    proprietes = Properties(
        title=_text(rapport.titre),
        subject=_text(rapport.association),
        description=_text(contexte(rapport)),
        keywords=rapport.id,
    )
    moment = date_du_fichier(rapport.periode[1] if rapport.periode else None)
    return package(feuilles, styles, proprietes, moment)


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


class _SheetNames:
    """Sheet titles: at most 31 characters, none of ``[]:*?/\\``, unique (ignoring case)."""

    def __init__(self, reserved: list[str]) -> None:
        self.used = {name.casefold() for name in [*reserved, "History"]}

    def unique(self, wanted: str) -> str:
        base = _SHEET_FORBIDDEN.sub(" ", allowed_text(wanted))
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
    return allowed_text(value)


def _set_value(
    sheet: Sheet, row: int, column: int, value: Valeur, genre: Genre, font: Font | None = None
) -> None:
    """A numeric/date cell with its number format; text stays text (right-aligned in a
    numeric column); nothing for no value."""
    rounded = arrondi(value, genre)
    if rounded is None:
        return
    if isinstance(rounded, str):
        alignment = _RIGHT if genre in NUMERIQUES else None
        sheet.text(row, column, rounded, CellStyle(font=font, alignment=alignment))
        return
    sheet.number(row, column, rounded, CellStyle(font=font, format=FORMATS[genre]))


def _row_font(style: Style) -> Font | None:
    """Row style: bold totals and headings, italic « dont » and notes."""
    if style in (Style.TOTAL, Style.SOUS_TOTAL, Style.TITRE):
        return _GRAS
    if style is Style.DONT:
        return _ITALIQUE
    if style is Style.NOTE:
        return _NOTE
    return None


def _cell_style(key: tuple[Any, ...]) -> CellStyle:
    """The style of a table cell, given by ``key``: (row style, column kind, then what the
    column adds — indent and wrapping of a label, colour of a status, kind and genre of a
    value); totals are ruled above."""
    style, cle, *extra = key
    font = _row_font(style)
    alignment = None
    number_format = None
    if cle == "libelle":
        indent, long = extra
        alignment = Alignment(wrap=long, indent=indent)
    elif cle == "statut" and extra:
        font = Font(bold=True, color=extra[0])  # a status keeps its coloured font
    elif cle == "valeur" and extra:
        kind, genre = extra
        if kind == "texte" and genre in NUMERIQUES:
            alignment = _RIGHT
        elif kind == "nombre":
            number_format = FORMATS[genre]
    border = "top" if style is Style.TOTAL else None
    return CellStyle(font=font, border=border, alignment=alignment, format=number_format)


def _titles(sheet: Sheet, rapport: Rapport, subtitle: str | None) -> int:
    """Title rows at the top; returns the next free row."""
    row = 1
    lines: list[tuple[str, Font]] = [
        (rapport.association, Font(bold=True, size=12)),
        (rapport.titre, Font(bold=True, size=14)),
        (contexte(rapport), _ITALIQUE),
    ]
    if subtitle and subtitle != rapport.titre:
        lines.append((subtitle, Font(bold=True, size=12)))
    for text, font in lines:
        if text:
            sheet.text(row, 1, text, CellStyle(font=font))
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


def _header(sheet: Sheet, row: int, labels: list[tuple[str, bool]]) -> None:
    for index, (label, numeric) in enumerate(labels, start=1):
        alignment = Alignment(
            horizontal="right" if numeric else "left", vertical="center", wrap=True
        )
        cell_style = CellStyle(_GRAS, _ENTETE_FOND, "bottom", alignment)
        sheet.text(row, index, label, cell_style)


def _partie(
    sheet: Sheet,
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
    sheet.text(row + 1, 1, mention_de_generation(rapport), CellStyle(font=_NOTE))
    label_column = [c.cle for c in columns].index("libelle") + 1
    _finish(sheet, header, table.widths(), label_column=label_column)
    numeric = sum(1 for col in columns if col.colonne and col.colonne.genre in NUMERIQUES)
    _print_setup(sheet, rapport, header, landscape=numeric > 4)


_MEMORISES = (Decimal, datetime.date)
"""Types of the values whose XML text a table keeps, to write it again without rounding."""


@dataclass(slots=True)
class _RowStyle:
    """What a table knows of the cells of one row style, by column: an empty value cell's
    XML after its reference, a number's start (before ``<v>``), each text's XML after the
    reference, the style of a code cell and of a label (by indent and wrapping)."""

    empties: list[str | None]
    heads: list[str | None]
    texts: list[dict[str, str]]
    plain: list[int | None]
    labels: dict[tuple[int, bool], str]


def _id_genre(col: _Col) -> tuple[str | None, Genre]:
    """The id and genre of the report column shown in ``col`` (None: code, label, status)."""
    if col.colonne is None:
        return None, Genre.TEXTE
    return col.colonne.id, col.colonne.genre


class _Table:
    """The table of a part, row by row: each cell as XML, each kind of cell styled once,
    each column's width (its longest French display)."""

    def __init__(self, sheet: Sheet, columns: list[_Col], first: int) -> None:
        self.sheet = sheet
        self.columns = columns
        self.first = first
        self.row = first - 1
        self.plan = [  # index, letter, kind, and the id and genre of a report column
            (index, column_letter(index + 1), col.cle, *_id_genre(col))
            for index, col in enumerate(columns)
        ]
        self.shared: dict[tuple[Any, ...], int] = {}
        self.by_style: dict[Style, _RowStyle] = {}
        self.rows: list[str] = []
        self.texts = [len(col.libelle) for col in columns]
        # every number (or date) of each value column, by its value in the report: the
        # rounded value and its XML text; the longest display is that of the column's
        # lowest or highest rounded value (see widths)
        self.numbers: list[dict[Valeur, tuple[Any, str]]] = [{} for _ in columns]
        self.inline: dict[str, str] = {}

    def _par_style(self, style: Style) -> _RowStyle:
        count = len(self.columns)
        found = self.by_style[style] = _RowStyle(
            [None] * count, [None] * count, [{} for _ in range(count)], [None] * count, {}
        )
        return found

    def add(self, ligne: Ligne) -> None:
        self.row += 1
        row = str(self.row)
        style = ligne.style
        known = self.by_style.get(style) or self._par_style(style)
        empties, heads, texts, numbers = known.empties, known.heads, known.texts, self.numbers
        values = ligne.valeurs
        heading = style is Style.TITRE
        cells = []
        for index, letter, cle, cid, genre in self.plan:
            if cid is not None and not heading:
                value = values.get(cid)
                if value is None:
                    end = empties[index]
                    if end is None:
                        end = self._empty_end(known, style, index, genre)
                    if end:
                        cells.append(f'<c r="{letter}{row}{end}')
                    continue
                kind = type(value)
                if kind is Decimal or kind is datetime.date:
                    found = numbers[index].get(value)
                    head = heads[index]
                    if found is not None and head is not None:
                        cells.append(f'<c r="{letter}{row}{head}{found[1]}</v></c>')
                        continue
                elif kind is str:
                    tail = texts[index].get(value)  # type: ignore[arg-type]
                    if tail is not None:
                        cells.append(f'<c r="{letter}{row}"{tail}')
                        continue
                cells.append(self._value(known, letter + row, style, index, genre, value))
            elif cle == "libelle":
                cells.append(f'<c r="{letter}{row}"{self._libelle(known, style, index, ligne)}')
            elif cle == "code" and ligne.code:
                tail = texts[index].get(ligne.code)
                if tail is None:
                    tail = self._code(known, style, index, ligne.code)
                cells.append(f'<c r="{letter}{row}"{tail}')
            else:
                cells.append(self._other(known, letter + row, style, index, cle, ligne))
        self.rows.append(f'<row r="{row}">{"".join(cells)}</row>')

    def _other(
        self, known: _RowStyle, ref: str, style: Style, index: int, cle: str, ligne: Ligne
    ) -> str:
        """A status, or an empty cell styled as its row: a code column without code, a
        status column without status, a value column in a heading row."""
        if cle == "statut" and ligne.statut:
            display = statut(ligne.statut)
            key = (style, "statut", _COULEURS_STATUT[display.couleur])
            return self._text(ref, key, index, display.texte)
        style_id = known.plain[index]
        if style_id is None:
            style_id = known.plain[index] = self._style_id((style, cle))
        return _xml_empty(ref, style_id)

    def _code(self, known: _RowStyle, style: Style, index: int, code: str) -> str:
        """A code cell's XML after its reference (codes repeat: one per movement)."""
        self.texts[index] = max(self.texts[index], len(code))
        style_id = self._style_id((style, "code"))
        tail = known.texts[index][code] = f'{_xml_style(style_id)} t="inlineStr"{xml_inline(code)}'
        return tail

    def _empty_end(self, known: _RowStyle, style: Style, index: int, genre: Genre) -> str:
        """An empty value cell's XML after its reference ("": not written, no style)."""
        style_id = self._style_id((style, "valeur", None, genre))
        end = known.empties[index] = f'" s="{style_id}"/>' if style_id else ""
        return end

    def _libelle(self, known: _RowStyle, style: Style, index: int, ligne: Ligne) -> str:
        """A label cell's XML after its reference: indented by level, wrapped if long (a
        few styles, known once)."""
        libelle = ligne.libelle
        indent = ligne.niveau - 1 if ligne.niveau > 1 else 0
        size = 2 * indent + len(libelle)
        if size > self.texts[index]:
            self.texts[index] = size
        long = size > LARGEUR_MAX - 2
        head = known.labels.get((indent, long))
        if head is None:
            style_id = self._style_id((style, "libelle", indent, long))
            head = known.labels[(indent, long)] = f'{_xml_style(style_id)} t="inlineStr"'
        tail = self.inline.get(libelle)
        if tail is None:
            tail = self.inline[libelle] = xml_inline(libelle)
        return head + tail

    def _style_id(self, key: tuple[Any, ...]) -> int:
        """The index of the cell style of ``key`` in the workbook's styles."""
        known = self.shared.get(key)
        if known is None:
            known = self.shared[key] = self.sheet.styles.index(_cell_style(key))
        return known

    def _text(self, ref: str, key: tuple[Any, ...], index: int, text: str) -> str:
        known = self._style_id(key)
        self.texts[index] = max(self.texts[index], len(text))
        return f'<c r="{ref}"{_xml_style(known)} t="inlineStr"{self._inline(text)}'

    def _inline(self, text: str) -> str:
        """The end of a text cell's XML (texts repeat: account codes, labels)."""
        found = self.inline.get(text)
        if found is None:
            found = self.inline[text] = xml_inline(text)
        return found

    def _value(
        self, known: _RowStyle, ref: str, style: Style, index: int, genre: Genre, value: Valeur
    ) -> str:
        """A value cell met for the first time (in its column, for a number or date; for
        its row style, for a text)."""
        rounded = arrondi(value, genre)
        if rounded is None:
            return _xml_empty(ref, self._style_id((style, "valeur", None, genre)))
        if isinstance(rounded, str):
            self.texts[index] = max(self.texts[index], len(rounded))
            text_style = self._style_id((style, "valeur", "texte", genre))
            tail = f'{_xml_style(text_style)} t="inlineStr"{self._inline(rounded)}'
            if isinstance(value, str):
                known.texts[index][value] = tail
            return f'<c r="{ref}"{tail}'
        head = known.heads[index]
        if head is None:
            style_id = self._style_id((style, "valeur", "nombre", genre))
            head = known.heads[index] = f'"{_xml_style(style_id)}><v>'
        number = number_xml(rounded)
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
        """Leave the rows on the sheet, in their place between the header and the notes."""
        self.sheet.block = (self.first, self.row, self.rows)
        self.sheet.block_columns = len(self.columns)


def _xml_style(style: int) -> str:
    return f' s="{style}"' if style else ""


def _xml_empty(ref: str, style: int) -> str:
    """An empty cell: written only if it has a style (a border, a font)."""
    return f'<c r="{ref}" s="{style}"/>' if style else ""


def _notes(sheet: Sheet, row: int, notes: list[str], warnings: list[str]) -> int:
    """Notes then warnings below the table; returns the next free row."""
    for heading, texts, font in (
        ("Notes", notes, _NOTE),
        ("Avertissements", warnings, _AVERTISSEMENT),
    ):
        if not texts:
            continue
        sheet.text(row, 1, heading, CellStyle(font=_GRAS))
        row += 1
        for text in texts:
            sheet.text(row, 1, text, CellStyle(font=font))
            row += 1
        row += 1
    return row


def _guide(sheet: Sheet, row: int, rapport: Rapport, lien: UrlRenvoi | None) -> int:
    """The block « Guide de bonnes pratiques » below the notes: the report's page, then the
    section explaining each indicator (a hyperlink when ``lien`` gives its address);
    returns the next free row."""
    heading, lines = lignes_du_guide(rapport)
    if not heading:
        return row
    page = renvoi_du_rapport(rapport.id)
    entries = [(heading, page), *((text, cible) for text, cible in lines)]
    for index, (text, cible) in enumerate(entries):
        sheet.text(row, 1, text, CellStyle(font=_GRAS if index == 0 else _NOTE))
        if lien is not None and cible is not None:
            sheet.links.append(Link(f"A{row}", target=lien(cible)))
        row += 1
    return row + 1


def _finish(sheet: Sheet, header: int, widths: list[int], label_column: int) -> None:
    sheet.widths = [max(LARGEUR_MIN, min(LARGEUR_MAX, width + 2)) for width in widths]
    sheet.frozen = (header + 1, label_column + 1)


def _print_setup(sheet: Sheet, rapport: Rapport, header: int, landscape: bool) -> None:
    """A4, fitted to the page's width, the header row on every page, the association and
    the page number in the footer."""
    sheet.landscape = landscape
    sheet.title_row = header
    sheet.footer = _footer_text(rapport.association)


def _footer_text(text: str) -> str:
    return _text(text).replace("&", "&&")[:200]


def _totaux(sheet: Sheet, rapport: Rapport, with_report_notes: bool) -> None:
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
            sheet.text(row, index, text)
            widths[index - 1] = max(widths[index - 1], len(text))
        for index, colonne in enumerate(columns, start=3):
            value = rapport.totaux[colonne].get(nom)
            genre = genre_des_totaux(rapport, colonne)
            _set_value(sheet, row, index, value, genre)
            widths[index - 1] = max(widths[index - 1], len(francais(value, genre)))
    row += 1
    if not names:
        sheet.text(row, 1, "Ce rapport n'a pas de total nommé.", CellStyle(font=_NOTE))
        row += 1
    notes = list(rapport.notes) if with_report_notes else []
    warnings = list(rapport.avertissements) if with_report_notes else []
    row = _notes(sheet, row + 1, notes, warnings)
    sheet.text(row + 1, 1, mention_de_generation(rapport), CellStyle(font=_NOTE))
    _finish(sheet, header, widths, label_column=1)
    _print_setup(sheet, rapport, header, landscape=len(columns) > 4)


def feuille_graphique(sheet: Sheet, rapport: Rapport, chart: Graphique) -> None:
    """The chart's data table and the Excel chart drawn from it, on ``sheet``."""
    genre = Genre.MONTANT if chart.unite == "€" else Genre.NOMBRE
    header = _titles(sheet, rapport, chart.titre)
    labels = [("Mois", False)] + [(serie.nom, True) for serie in chart.series]
    if chart.seuil is not None:
        labels.append((chart.seuil_libelle or "Seuil", True))
    _header(sheet, header, labels)
    widths = [len(label) for label, _numeric in labels]
    for offset, category in enumerate(chart.categories, start=1):
        row = header + offset
        sheet.text(row, 1, category)
        widths[0] = max(widths[0], len(category))
        values = [serie.valeurs[offset - 1] for serie in chart.series]
        if chart.seuil is not None:
            values.append(chart.seuil)
        for column, value in enumerate(values, start=2):
            _set_value(sheet, row, column, value, genre)
            widths[column - 1] = max(widths[column - 1], len(francais(value, genre)))
    _finish(sheet, header, widths, label_column=1)
    drawn = _excel_chart(sheet.name, chart, genre, header)
    from openpyxl.xml.functions import tostring

    sheet.drawing = Drawing(
        tostring(drawn._write()), len(labels) + 2, header, drawn.width, drawn.height
    )
    _print_setup(sheet, rapport, header, landscape=True)


def _excel_chart(name: str, chart: Graphique, genre: Genre, header: int) -> Any:
    """The chart, drawn by openpyxl's chart classes (imported only for a chart) from the
    data table of sheet ``name``: its header row ``header``, one row per category."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.chart.reference import DummyWorksheet

    data_sheet = DummyWorksheet(name)
    last_row = header + len(chart.categories)
    count = len(chart.series)
    categories = Reference(data_sheet, min_col=1, min_row=header + 1, max_row=last_row)
    drawn = BarChart() if chart.genre == "barres" else LineChart()
    if chart.genre == "barres":
        drawn.type = "col"
    if count:
        data = Reference(data_sheet, min_col=2, max_col=1 + count, min_row=header, max_row=last_row)
        drawn.add_data(data, titles_from_data=True)
    for index, serie in enumerate(drawn.series):
        colour = COULEURS_SERIES[index % len(COULEURS_SERIES)]
        if chart.genre == "barres":
            serie.graphicalProperties.solidFill = colour
        else:
            serie.graphicalProperties.line.solidFill = colour
            serie.graphicalProperties.line.width = 28575  # 2.25 pt
            serie.smooth = False
    charts = [drawn]
    if chart.seuil is not None:
        threshold = LineChart() if chart.genre == "barres" else drawn
        column = 2 + count
        reference = Reference(data_sheet, min_col=column, min_row=header, max_row=last_row)
        threshold.add_data(reference, titles_from_data=True)
        line = threshold.series[-1]
        line.graphicalProperties.line.solidFill = COULEUR_SEUIL
        line.graphicalProperties.line.dashStyle = "dash"
        line.graphicalProperties.line.width = 19050  # 1.5 pt
        line.smooth = False
        if threshold is not drawn:
            charts.append(threshold)
            drawn += threshold
    for each in charts:  # the x axis labels (months: text cells), as a string reference
        for serie in each.series:
            serie.cat = AxDataSource(strRef=StrRef(f=str(categories)))
    drawn.title = _text(chart.titre)
    drawn.y_axis.title = _text(chart.unite)
    drawn.y_axis.numFmt = '#,##0 "€"' if genre is Genre.MONTANT else "0.0"
    drawn.x_axis.delete = False  # openpyxl ≥ 3.1 hides the axes unless told
    drawn.y_axis.delete = False
    drawn.legend.position = "b"
    drawn.height = 10  # cm
    drawn.width = max(18.0, min(40.0, 1.0 * len(chart.categories)))
    return drawn


__all__ = ["FEUILLE_GRAPHIQUE", "FEUILLE_TOTAUX", "FORMATS", "feuille_graphique", "render"]
