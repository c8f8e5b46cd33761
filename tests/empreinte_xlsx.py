"""Fingerprints of XLSX workbooks, read back with openpyxl: everything a reader of the file
sees (sheets and their order, every cell's value, type and style, column widths, frozen
panes, merged cells, hyperlinks, autofilters, print settings, charts), nothing of how the
XML was written (attribute order, inline or shared strings) and not the document dates.

The references (``tests/reference/xlsx/*.json``) were written by the renderer as it was
before the XLSX was written without openpyxl (issue 22), so that any later change of what
the workbooks hold fails ``tests/test_rendu_xlsx_empreintes.py``. To write them again after a wanted
change of the workbooks, run (from the repository)::

    .venv/bin/python tests/empreinte_xlsx.py --ecrire

and look at the diff of the JSON files before committing them.
"""

from __future__ import annotations

import datetime
import io
import json
import sys
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles.colors import Color
from openpyxl.worksheet.worksheet import Worksheet

DOSSIER = Path(__file__).resolve().parent / "reference" / "xlsx"
EPOCH = "1767225600"  # 1 January 2026: the date written by « Document généré le … »


def _color(color: Color | None) -> Any:
    if color is None:
        return None
    return [color.type, color.rgb if color.type == "rgb" else color.value, color.tint]


def _style(cell: Cell) -> dict[str, Any]:
    font, fill, border, alignment = cell.font, cell.fill, cell.border, cell.alignment
    return {
        "format": cell.number_format,
        "police": [
            font.name,
            font.sz,
            font.b,
            font.i,
            font.u,
            font.strike,
            font.vertAlign,
            _color(font.color),
        ],
        "fond": [fill.fill_type, _color(fill.fgColor), _color(fill.bgColor)],
        "bordure": [
            None if side is None else [side.style, _color(side.color)]
            for side in (border.left, border.right, border.top, border.bottom, border.diagonal)
        ],
        "alignement": [
            alignment.horizontal,
            alignment.vertical,
            alignment.indent,
            alignment.wrap_text,
            alignment.shrink_to_fit,
            alignment.text_rotation,
        ],
        "protection": [cell.protection.locked, cell.protection.hidden],
    }


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, float):
        return ["float", repr(value)]
    return value


def _cells(sheet: Worksheet, styles: dict[str, int]) -> list[list[Any]]:
    """Every cell holding a value or a style: reference, type, value, style, hyperlink."""
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style and cell.hyperlink is None:
                continue
            key = json.dumps(_style(cell), sort_keys=True)
            style = styles.setdefault(key, len(styles))
            link = cell.hyperlink
            lien = None if link is None else [link.target, link.location, link.display]
            found.append([cell.coordinate, cell.data_type, _value(cell.value), style, lien])
    return found


def _print(sheet: Worksheet) -> dict[str, Any]:
    setup = sheet.page_setup
    margins = sheet.page_margins
    footer, header = sheet.oddFooter, sheet.oddHeader
    return {
        "papier": setup.paperSize,
        "orientation": setup.orientation,
        "ajuster": [setup.fitToWidth, setup.fitToHeight, repr(sheet.sheet_properties.pageSetUpPr)],
        "titres": [sheet.print_title_rows, sheet.print_title_cols],
        "zone": sheet.print_area,
        "marges": [margins.left, margins.right, margins.top, margins.bottom],
        "options": repr(sheet.print_options),
        "pied": [footer.left.text, footer.center.text, footer.right.text],
        "entete": [header.left.text, header.center.text, header.right.text],
    }


def _chart(chart: Any) -> str:
    from xml.etree.ElementTree import tostring

    return tostring(chart._write(), encoding="unicode")


def _sheet(sheet: Worksheet, styles: dict[str, int]) -> dict[str, Any]:
    widths = {
        letter: [dim.width, dim.customWidth, dim.hidden, dim.min, dim.max]
        for letter, dim in sorted(sheet.column_dimensions.items())
    }
    heights = {
        str(index): [dim.height, dim.hidden]
        for index, dim in sorted(sheet.row_dimensions.items())
        if dim.height is not None or dim.hidden
    }
    return {
        "nom": sheet.title,
        "etat": sheet.sheet_state,
        "dimensions": sheet.dimensions,
        "volets": sheet.freeze_panes,
        "vue": repr(sheet.sheet_view),
        "proprietes": repr(sheet.sheet_properties),
        "format_des_lignes": repr(sheet.sheet_format),
        "fusions": sorted(str(merged) for merged in sheet.merged_cells.ranges),
        "filtre": sheet.auto_filter.ref,
        "validations": len(sheet.data_validations.dataValidation),
        "mises_en_forme": len(sheet.conditional_formatting),
        "largeurs": widths,
        "hauteurs": heights,
        "impression": _print(sheet),
        "graphiques": [[_chart(chart), repr(chart.anchor._from)] for chart in sheet._charts],
        "cellules": _cells(sheet, styles),
    }


def empreinte(data: bytes) -> dict[str, Any]:
    """What the workbook holds, as JSON-ready data (styles listed once, cells refer to them)."""
    workbook = load_workbook(io.BytesIO(data))
    properties = workbook.properties
    styles: dict[str, int] = {}
    sheets = [_sheet(sheet, styles) for sheet in workbook.worksheets]
    return {
        "proprietes": {
            name: getattr(properties, name)
            for name in ("title", "subject", "description", "creator", "lastModifiedBy")
        }
        | {"keywords": properties.keywords},
        "feuilles_de_graphique": [sheet.title for sheet in workbook.chartsheets],
        "active": workbook.active.title if workbook.active is not None else None,
        "noms_definis": sorted(
            [name, str(value.attr_text)] for name, value in workbook.defined_names.items()
        ),
        "feuilles": sheets,
        "styles": [json.loads(key) for key in styles],
    }


def texte(fingerprint: dict[str, Any]) -> str:
    """The JSON as stored: one cell per line, so that a diff shows what changed."""
    lines = ["{"]
    items = list(fingerprint.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if key != "feuilles":
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
            continue
        lines.append('  "feuilles": [')
        for number, sheet in enumerate(value):
            lines.append("    {")
            for name, part in sheet.items():
                if name == "cellules":
                    lines.append('      "cellules": [')
                    cells = [json.dumps(cell, ensure_ascii=False) for cell in part]
                    lines.append(",\n".join(f"        {cell}" for cell in cells))
                    lines.append("      ]")
                else:
                    lines.append(
                        f"      {json.dumps(name)}: {json.dumps(part, ensure_ascii=False)},"
                    )
            lines.append("    }" + ("," if number < len(value) - 1 else ""))
        lines.append("  ]" + comma)
    lines.append("}")
    return "\n".join(lines) + "\n"


def classeurs(dossier: Path) -> dict[str, bytes]:
    """The workbooks fingerprinted, by name: built in ``dossier`` (a temporary folder)."""
    from classeurs_de_reference import construire

    return construire(dossier)


def main() -> None:
    import os
    import tempfile

    if sys.argv[1:] != ["--ecrire"]:
        sys.exit("usage : python tests/empreinte_xlsx.py --ecrire")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    DOSSIER.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, data in classeurs(Path(folder)).items():
            (DOSSIER / f"{name}.json").write_text(texte(empreinte(data)), encoding="utf-8")
            print(f"{DOSSIER / name}.json")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
