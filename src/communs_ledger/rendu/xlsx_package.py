"""The XLSX package written directly (no openpyxl on the way: its import alone costs half
a ``bean-check``): cell styles, sheets as XML, the ZIP with its dated members.

What a reader sees is what openpyxl wrote for the same workbook before (issue 22, checked
cell by cell by ``tests/test_rendu_xlsx_empreintes.py``): the same parts, the same styles
(fonts, fills, borders, alignments, number formats listed as openpyxl lists them), the same
sheet settings (frozen panes, column widths, A4 fitted to the width, print titles,
footer). Texts are inline strings (never formulas). A chart is built by openpyxl's chart
classes, imported only then (:func:`.en_xlsx.feuille_graphique`), and written here as
its drawing.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument."
_EPOCH = datetime.datetime(1899, 12, 30)
_MAX_TEXTE = 32767  # characters of a cell (openpyxl cut longer texts there)
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9}
_FIRST_CUSTOM_FORMAT = 164
_PIECES = 4096  # rows of a sheet compressed at a time
_COMPRESSION = 1  # zlib's fastest level: a grand livre's sheet compresses 1.5× faster, 25 % bigger
_DEFAULT_FONT = (
    '<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/>'
    '<scheme val="minor"/></font>'
)


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The control characters XML forbids (openpyxl removed them from a cell's text)."""


def allowed_text(value: str) -> str:
    """The text without the control characters XML forbids."""
    return _ILLEGAL.sub("", value) if _ILLEGAL.search(value) else value


def escape(value: str) -> str:
    """Text of an XML element."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def escape_attribute(value: str) -> str:
    """Value of an XML attribute (between double quotes)."""
    return escape(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def xml_inline(text: str) -> str:
    """What follows ``<c r=… s=… t="inlineStr"`` in a text cell: an inline string, never a
    formula."""
    value = allowed_text(text)[:_MAX_TEXTE]
    if not value:
        return "/>"
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"><is><t{space}>{escape(value)}</t></is></c>"


def column_letter(column: int) -> str:
    """``1`` → ``A``, ``28`` → ``AB``."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_serial(value: datetime.date) -> int:
    """A date as Excel's day number (1900 system, as openpyxl counts it)."""
    moment = datetime.datetime.combine(value, datetime.time())
    days = (moment - _EPOCH).days
    return days - 1 if 0 < days <= 60 else days


def number_xml(value: float | int | Decimal | datetime.date) -> str:
    """The ``<v>`` text of a number or date (``%.16g`` for a float, as openpyxl wrote it)."""
    if type(value) is Decimal:  # the most frequent, first
        return f"{float(value):.16g}"
    if isinstance(value, datetime.date):
        return str(excel_serial(value))
    if isinstance(value, int):
        return str(value)
    return f"{float(value):.16g}"


@dataclass(frozen=True, slots=True)
class Font:
    """A font other than the workbook's default (Calibri 11)."""

    bold: bool = False
    italic: bool = False
    size: int | None = None
    color: str | None = None  # RGB, e.g. "555555"
    underline: bool = False

    def xml(self) -> str:
        parts = ['<b val="1"/>' if self.bold else "", '<i val="1"/>' if self.italic else ""]
        if self.color:
            parts.append(f'<color rgb="00{self.color}"/>')
        if self.size is not None:
            parts.append(f'<sz val="{self.size}"/>')
        if self.underline:
            parts.append('<u val="single"/>')
        return f"<font>{''.join(parts)}</font>"


@dataclass(frozen=True, slots=True)
class Alignment:
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False  # wrap text
    indent: int = 0  # indent

    def xml(self) -> str:
        attributes = ""
        if self.horizontal:
            attributes += f' horizontal="{self.horizontal}"'
        if self.vertical:
            attributes += f' vertical="{self.vertical}"'
        if self.wrap:
            attributes += ' wrapText="1"'
        if self.indent:
            attributes += f' indent="{self.indent}"'
        return f"<alignment{attributes}/>"


@dataclass(frozen=True, slots=True)
class CellStyle:
    """The style of a cell: font, fill colour, border (a thin black line above or below),
    alignment, number format."""

    font: Font | None = None
    fill: str | None = None
    border: str | None = None  # "top" or "bottom"
    alignment: Alignment | None = None
    format: str | None = None


PLAIN = CellStyle()


class Styles:
    """The workbook's cell styles (``styles.xml``): each :class:`CellStyle` gets its index
    the first time it is used, its font, fill, border and format theirs."""

    def __init__(self) -> None:
        self.fonts: dict[str, int] = {_DEFAULT_FONT: 0}
        self.fills: dict[str, int] = {
            "<fill><patternFill/></fill>": 0,
            '<fill><patternFill patternType="gray125"/></fill>': 1,
        }
        self.borders: dict[str, int] = {
            "<border><left/><right/><top/><bottom/><diagonal/></border>": 0
        }
        self.formats: dict[str, int] = {}
        self.xfs: dict[CellStyle, tuple[int, str]] = {PLAIN: (0, self._xf(PLAIN))}

    def index(self, cell_style: CellStyle) -> int:
        found = self.xfs.get(cell_style)
        if found is None:
            found = self.xfs[cell_style] = (len(self.xfs), self._xf(cell_style))
        return found[0]

    def _xf(self, cell_style: CellStyle) -> str:
        font = 0 if cell_style.font is None else self._add(self.fonts, cell_style.font.xml())
        fill = 0
        if cell_style.fill:
            colour = f'rgb="00{cell_style.fill}"'
            fill = self._add(
                self.fills,
                f'<fill><patternFill patternType="solid"><fgColor {colour}/><bgColor {colour}/>'
                "</patternFill></fill>",
            )
        border = 0
        if cell_style.border:
            side = "top" if cell_style.border == "top" else "bottom"
            line = f'<{side} style="thin"><color rgb="00000000"/></{side}>'
            border = self._add(self.borders, f"<border>{line}</border>")
        number = self._format(cell_style.format)
        head = f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}"'
        tail = ' pivotButton="0" quotePrefix="0" xfId="0"'
        if cell_style.alignment is None:
            return f"{head}{tail}/>"
        return f'{head} applyAlignment="1"{tail}>{cell_style.alignment.xml()}</xf>'

    @staticmethod
    def _add(table: dict[str, int], xml: str) -> int:
        found = table.get(xml)
        if found is None:
            found = table[xml] = len(table)
        return found

    def _format(self, code: str | None) -> int:
        if code is None:
            return 0
        if code in _BUILTIN_FORMATS:
            return _BUILTIN_FORMATS[code]
        found = self.formats.get(code)
        if found is None:
            found = self.formats[code] = _FIRST_CUSTOM_FORMAT + len(self.formats)
        return found

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{number}" formatCode="{escape_attribute(code)}"/>'
            for code, number in self.formats.items()
        )
        parts = [f'<styleSheet xmlns="{NS_MAIN}">']
        if self.formats:
            parts.append(f'<numFmts count="{len(self.formats)}">{formats}</numFmts>')
        for name, table in (
            ("fonts", self.fonts),
            ("fills", self.fills),
            ("borders", self.borders),
        ):
            parts.append(f'<{name} count="{len(table)}">{"".join(table)}</{name}>')
        xfs = "".join(xml for _index, xml in self.xfs.values())
        parts.append(
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(self.xfs)}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" hidden="0"/>'
            '</cellStyles><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
            'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
        )
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink: to an address (``target``) or to a place in the workbook."""

    ref: str
    target: str | None = None
    location: str | None = None
    display: str | None = None


@dataclass(frozen=True, slots=True)
class Drawing:
    """A chart on a sheet: its XML (``chartSpace``), its top-left cell and size in cm."""

    xml: bytes
    colonne: int
    ligne: int
    width: float
    height: float


@dataclass
class Sheet:
    """A worksheet being written: its cells (by row), a block of rows already in XML (the
    table of a part), column widths, frozen panes, print setup, links, chart."""

    name: str
    styles: Styles
    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    block: tuple[int, int, list[str]] | None = None  # first row, last row, <row> elements
    block_columns: int = 0
    widths: list[int] = field(default_factory=list)
    frozen: tuple[int, int] | None = None  # first row and column not frozen
    landscape: bool = False
    title_row: int | None = None  # the header row, repeated on each printed page
    footer: str = ""  # left footer
    links: list[Link] = field(default_factory=list)
    drawing: Drawing | None = None

    def text(self, row: int, column: int, text: str, cell_style: CellStyle = PLAIN) -> None:
        """A text cell (always text, whatever it starts with)."""
        ref = f"{column_letter(column)}{row}"
        style = self._style(cell_style)
        self.cells.setdefault(row, {})[column] = (
            f'<c r="{ref}"{style} t="inlineStr"{xml_inline(text)}'
        )

    def number(
        self,
        row: int,
        column: int,
        value: float | int | Decimal | datetime.date,
        cell_style: CellStyle,
    ) -> None:
        """A number or a date (a date's number format in ``cell_style``)."""
        ref = f"{column_letter(column)}{row}"
        self.cells.setdefault(row, {})[column] = (
            f'<c r="{ref}"{self._style(cell_style)}><v>{number_xml(value)}</v></c>'
        )

    def _style(self, cell_style: CellStyle) -> str:
        index = self.styles.index(cell_style)
        return f' s="{index}"' if index else ""

    def xml(self, relations: list[tuple[str, str, bool]]) -> list[str]:
        """The sheet's XML, in pieces (a grand livre's rows are not joined into one text);
        ``relations`` receives its links and drawing (type, target, external)."""
        rows, last_row, last_column = self._rows()
        dimension = f"A1:{column_letter(last_column)}{last_row}" if last_row else "A1:A1"
        parts = [
            f'<worksheet xmlns="{NS_MAIN}"><sheetPr><outlinePr summaryBelow="1" '
            'summaryRight="1"/><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="{dimension}"/><sheetViews><sheetView workbookViewId="0">'
            f"{self._pane()}"
            '<selection pane="topRight"/><selection pane="bottomLeft"/>'
            '<selection pane="bottomRight" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
            '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
        ]
        if self.widths:
            cols = "".join(
                f'<col width="{width}" customWidth="1" min="{index}" max="{index}"/>'
                for index, width in enumerate(self.widths, start=1)
            )
            parts.append(f"<cols>{cols}</cols>")
        parts.append("<sheetData>")
        parts.extend(rows)
        parts.append("</sheetData>")
        if self.links:
            parts.append(f"<hyperlinks>{self._links(relations)}</hyperlinks>")
        orientation = "landscape" if self.landscape else "portrait"
        footer = f"&amp;L{escape(self.footer)}" if self.footer else ""
        parts.append(
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
            f'footer="0.5"/><pageSetup orientation="{orientation}" paperSize="9" '
            'fitToHeight="0" fitToWidth="1"/><headerFooter><oddHeader></oddHeader>'
            f"<oddFooter>{footer}&amp;RPage &amp;P / &amp;N</oddFooter><evenHeader></evenHeader>"
            "<evenFooter></evenFooter><firstHeader></firstHeader><firstFooter></firstFooter>"
            "</headerFooter>"
        )
        if self.drawing is not None:
            relations.append(("drawing", "", False))
            parts.append(f'<drawing xmlns:r="{NS_REL}" r:id="rId{len(relations)}"/>')
        parts.append("</worksheet>")
        return parts

    def _pane(self) -> str:
        if self.frozen is None:
            return ""
        row, column = self.frozen
        return (
            f'<pane xSplit="{column - 1}" ySplit="{row - 1}" '
            f'topLeftCell="{column_letter(column)}{row}" activePane="bottomRight" state="frozen"/>'
        )

    def _rows(self) -> tuple[list[str], int, int]:
        """The ``<row>`` elements in order (the block in its place), the last row and column."""
        numbers = sorted(self.cells)
        last_column = max((max(cells) for cells in self.cells.values()), default=0)
        parts = []
        block_done = self.block is None
        for number in numbers:
            if not block_done and self.block is not None and number > self.block[1]:
                parts.extend(self.block[2])
                block_done = True
            cells = self.cells[number]
            parts.append(f'<row r="{number}">{"".join(cells[c] for c in sorted(cells))}</row>')
        last_row = numbers[-1] if numbers else 0
        if self.block is not None:
            if not block_done:
                parts.extend(self.block[2])
            if self.block[2]:
                last_row = max(last_row, self.block[1])
                last_column = max(last_column, self.block_columns)
        return parts, last_row, last_column

    def _links(self, relations: list[tuple[str, str, bool]]) -> str:
        parts = []
        for lien in self.links:
            if lien.target is not None:
                relations.append(("hyperlink", lien.target, True))
                parts.append(
                    f'<hyperlink ref="{lien.ref}" xmlns:r="{NS_REL}" r:id="rId{len(relations)}"/>'
                )
                continue
            attributes = f' ref="{lien.ref}"'
            if lien.location is not None:
                attributes += f' location="{escape_attribute(lien.location)}"'
            if lien.display is not None:
                attributes += f' display="{escape_attribute(lien.display)}"'
            parts.append(f"<hyperlink{attributes}/>")
        return "".join(parts)


@dataclass
class Properties:
    """The document's properties (``docProps/core.xml``)."""

    title: str = ""
    subject: str = ""
    description: str = ""
    keywords: str = ""


def quoted(name: str) -> str:
    """A sheet name in a reference: ``'Grand livre'``."""
    return "'" + name.replace("'", "''") + "'"


def _relationships(items: list[tuple[str, str, bool]]) -> str:
    body = "".join(
        f'<Relationship Type="{NS_REL}/{kind}" Target="{escape_attribute(target)}"'
        + (' TargetMode="External"' if external else "")
        + f' Id="rId{index}"/>'
        for index, (kind, target, external) in enumerate(items, start=1)
    )
    return f'<Relationships xmlns="{NS_PACKAGE_REL}">{body}</Relationships>'


def _core(properties: Properties, moment: datetime.datetime) -> str:
    dc = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
    when = moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    dated = (
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="dcterms:W3CDTF"'
    )
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        f'core-properties"><dc:creator {dc}>communs-ledger</dc:creator>'
        f"<dc:title {dc}>{escape(properties.title)}</dc:title>"
        f"<dc:description {dc}>{escape(properties.description)}</dc:description>"
        f"<dc:subject {dc}>{escape(properties.subject)}</dc:subject>"
        f"<dcterms:created {dated}>{when}</dcterms:created>"
        f"<dcterms:modified {dated}>{when}</dcterms:modified>"
        "<cp:lastModifiedBy>communs-ledger</cp:lastModifiedBy>"
        f"<cp:keywords>{escape(properties.keywords)}</cp:keywords></cp:coreProperties>"
    )


def _workbook(sheets: list[Sheet]) -> str:
    entries = "".join(
        f'<sheet xmlns:r="{NS_REL}" name="{escape_attribute(f.name)}" sheetId="{i}" '
        f'state="visible" r:id="rId{i}"/>'
        for i, f in enumerate(sheets, start=1)
    )
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
        f"{escape(quoted(f.name))}!${f.title_row}:${f.title_row}</definedName>"
        for index, f in enumerate(sheets)
        if f.title_row is not None
    )
    return (
        f'<workbook xmlns="{NS_MAIN}"><workbookPr/><workbookProtection/><bookViews>'
        '<workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
        'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" activeTab="0" '
        f'autoFilterDateGrouping="1"/></bookViews><sheets>{entries}</sheets>'
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _drawing(drawing: Drawing) -> str:
    return (
        '<wsDr xmlns="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
        f"<oneCellAnchor><from><col>{drawing.colonne - 1}</col><colOff>0</colOff>"
        f"<row>{drawing.ligne - 1}</row><rowOff>0</rowOff></from>"
        f'<ext cx="{int(drawing.width * 360000)}" cy="{int(drawing.height * 360000)}"/>'
        '<graphicFrame><nvGraphicFramePr><cNvPr id="1" name="Chart 1"/><cNvGraphicFramePr/>'
        '</nvGraphicFramePr><xfrm/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
        'drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/'
        '2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:r="{NS_REL}" r:id="rId1"/></a:graphicData></a:graphic></graphicFrame>'
        "<clientData/></oneCellAnchor></wsDr>"
    )


def _theme() -> bytes:
    return (Path(__file__).parent / "modeles" / "theme1.xml").read_bytes()


def package(
    sheets: list[Sheet], styles: Styles, properties: Properties, moment: datetime.datetime
) -> bytes:
    """The workbook's bytes: every member dated ``moment``, compressed."""
    parts: list[tuple[str, bytes | str | list[str]]] = []
    overrides = [
        ("/xl/styles.xml", "spreadsheetml.styles+xml"),
        ("/xl/theme/theme1.xml", "theme+xml"),
    ]
    drawings = 0
    for number, sheet in enumerate(sheets, start=1):
        relations: list[tuple[str, str, bool]] = []
        path = f"xl/worksheets/sheet{number}.xml"
        parts.append((path, sheet.xml(relations)))
        overrides.append((f"/{path}", "spreadsheetml.worksheet+xml"))
        if sheet.drawing is not None:
            drawings += 1
            relations[-1] = ("drawing", f"/xl/drawings/drawing{drawings}.xml", False)
            parts.append((f"xl/charts/chart{drawings}.xml", sheet.drawing.xml))
            parts.append((f"xl/drawings/drawing{drawings}.xml", _drawing(sheet.drawing)))
            chart = [("chart", f"/xl/charts/chart{drawings}.xml", False)]
            parts.append((f"xl/drawings/_rels/drawing{drawings}.xml.rels", _relationships(chart)))
            overrides.append((f"/xl/charts/chart{drawings}.xml", "drawingml.chart+xml"))
            overrides.append((f"/xl/drawings/drawing{drawings}.xml", "drawing+xml"))
        if relations:
            parts.append((f"xl/worksheets/_rels/sheet{number}.xml.rels", _relationships(relations)))
    overrides.append(("/xl/workbook.xml", "spreadsheetml.sheet.main+xml"))
    book = [("worksheet", f"/xl/worksheets/sheet{i}.xml", False) for i in range(1, len(sheets) + 1)]
    book += [("styles", "styles.xml", False), ("theme", "theme/theme1.xml", False)]
    head: list[tuple[str, bytes | str | list[str]]] = [
        ("[Content_Types].xml", _content_types(overrides)),
        ("_rels/.rels", _package_relationships()),
        ("docProps/app.xml", _app()),
        ("docProps/core.xml", _core(properties, moment)),
        ("xl/workbook.xml", _workbook(sheets)),
        ("xl/_rels/workbook.xml.rels", _relationships(book)),
        ("xl/styles.xml", styles.xml()),
        ("xl/theme/theme1.xml", _theme()),
    ]
    return _zip([*head, *parts], moment)


def _content_types(overrides: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<Override PartName="{escape_attribute(name)}" ContentType="{_TYPES}{kind}"/>'
        for name, kind in overrides
    )
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/><Override PartName="/docProps/app.xml" '
        f'ContentType="{_TYPES}extended-properties+xml"/>{body}</Types>'
    )


def _package_relationships() -> str:
    return (
        f'<Relationships xmlns="{NS_PACKAGE_REL}">'
        f'<Relationship Type="{NS_REL}/officeDocument" Target="xl/workbook.xml" Id="rId1"/>'
        f'<Relationship Type="{NS_PACKAGE_REL}/metadata/core-properties" '
        'Target="docProps/core.xml" Id="rId2"/>'
        f'<Relationship Type="{NS_REL}/extended-properties" Target="docProps/app.xml" Id="rId3"/>'
        "</Relationships>"
    )


def _app() -> str:
    return (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
        'properties"><Application>Microsoft Excel Compatible / communs-ledger</Application>'
        "<AppVersion>3.1</AppVersion></Properties>"
    )


def _zip(members: list[tuple[str, bytes | str | list[str]]], moment: datetime.datetime) -> bytes:
    """The archive; a member given in pieces is compressed as it is written, a few
    thousand pieces at a time (never the whole sheet in one text)."""
    buffer = io.BytesIO()
    when = moment.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            if not isinstance(data, list):
                content = data.encode("utf-8") if isinstance(data, str) else data
                archive.writestr(info, content, compresslevel=_COMPRESSION)
                continue
            # the level writestr(compresslevel=) would set: ``_compresslevel`` up to
            # Python 3.12, ``compress_level`` since 3.13 (the old name kept as an alias)
            level = "compress_level" if hasattr(info, "compress_level") else "_compresslevel"
            setattr(info, level, _COMPRESSION)
            with archive.open(info, "w") as stream:
                for start in range(0, len(data), _PIECES):
                    stream.write("".join(data[start : start + _PIECES]).encode("utf-8"))
    return buffer.getvalue()
