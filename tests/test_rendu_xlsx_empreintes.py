"""Workbooks unchanged: every workbook of :mod:`classeurs_de_reference` (``communs export
xlsx`` of the example and of a generated ledger, reports as Fava exports them, synthetic
reports with awkward texts and charts) read back with openpyxl equals, sheet by sheet and
cell by cell, the fingerprint kept under ``tests/reference/xlsx/`` — written by the
openpyxl-based renderer before the XLSX was written directly (issue 22). Only the
document dates may differ."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font

from classeurs_de_reference import construire
from communs_ledger.rendu import Format, render
from empreinte_xlsx import DOSSIER, EPOCH, empreinte, texte
from test_rendu_exemples import grand_livre


@pytest.fixture(scope="module")
def classeurs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return construire(tmp_path_factory.mktemp("classeurs"))


def _reference(name: str) -> dict[str, Any]:
    return json.loads((DOSSIER / f"{name}.json").read_text(encoding="utf-8"))


def test_toutes_les_references_sont_produites(classeurs: dict[str, bytes]) -> None:
    assert sorted(classeurs) == sorted(path.stem for path in DOSSIER.glob("*.json"))
    assert len(classeurs) == 12


@pytest.mark.parametrize("name", sorted(path.stem for path in DOSSIER.glob("*.json")))
def test_classeur_identique_a_la_reference(classeurs: dict[str, bytes], name: str) -> None:
    found = json.loads(texte(empreinte(classeurs[name])))
    expected = _reference(name)
    for key in expected:
        if key != "feuilles":
            assert found[key] == expected[key], key
    assert [sheet["nom"] for sheet in found["feuilles"]] == [
        sheet["nom"] for sheet in expected["feuilles"]
    ]
    for mine, theirs in zip(found["feuilles"], expected["feuilles"], strict=True):
        for key in theirs:
            if key == "cellules":
                continue
            assert mine[key] == theirs[key], (mine["nom"], key)
        # the style of each cell by its content (indexes into each file's list of styles)
        styles, reference_styles = found["styles"], expected["styles"]
        cells = [[*cell[:3], styles[cell[3]], cell[4]] for cell in mine["cellules"]]
        reference = [[*c[:3], reference_styles[c[3]], c[4]] for c in theirs["cellules"]]
        assert len(cells) == len(reference), mine["nom"]
        for cell, expected_cell in zip(cells, reference, strict=True):
            assert cell == expected_cell, mine["nom"]


def test_l_empreinte_voit_un_changement(classeurs: dict[str, bytes], tmp_path: Path) -> None:
    """A bold cell, a width, a frozen pane or a value changed: the fingerprint differs."""
    data = classeurs["exemple-2025-bilan"]
    before = empreinte(data)
    changes = [
        lambda sheet: setattr(sheet["A1"], "font", Font(bold=False, size=12)),
        lambda sheet: setattr(sheet.column_dimensions["B"], "width", 31),
        lambda sheet: setattr(sheet, "freeze_panes", None),
        lambda sheet: setattr(sheet["C9"], "value", 1.5),
        lambda sheet: setattr(sheet.page_setup, "orientation", "landscape"),
    ]
    for change in changes:
        workbook = load_workbook(io.BytesIO(data))
        change(workbook.worksheets[0])
        buffer = io.BytesIO()
        workbook.save(buffer)
        assert empreinte(buffer.getvalue()) != before


def test_sans_openpyxl_hors_graphiques(tmp_path: Path) -> None:
    """A workbook without chart is written without importing openpyxl (its import alone
    cost half a bean-check); only a chart imports it, to draw the chart."""
    script = (
        "import sys\n"
        "from test_rendu_exemples import tous\n"
        "from communs_ledger.rendu import Format, render\n"
        "for rapport in tous():\n"
        "    assert render(rapport, Format.xlsx).startswith(b'PK')\n"
        "print(sorted(name for name in sys.modules if name.startswith('openpyxl')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},
    )
    assert done.stdout.strip() == "[]"


def test_memes_octets_et_dates_du_fichier(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same report gives the same bytes, every ZIP member and the document's dates at
    the end of the report's period (the grand livre's sheet written in pieces too)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    rapport = grand_livre()
    data = render(rapport, Format.xlsx)
    assert render(rapport, Format.xlsx) == data
    assert rapport.periode is not None
    fin = rapport.periode[1]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {info.date_time for info in archive.infolist()} == {
            (fin.year, fin.month, fin.day, 0, 0, 0)
        }
    properties = load_workbook(io.BytesIO(data)).properties
    moment = datetime.datetime.combine(fin, datetime.time())
    assert properties.created == properties.modified == moment
