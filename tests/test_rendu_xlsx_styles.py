"""XLSX tables: each style is built once per workbook and shared by the cells of the same
kind; every cell keeps exactly the style it is given one by one."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from communs_ledger.rapports.objets import Rapport, Style
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.en_xlsx import _COULEURS_STATUT, LARGEUR_MAX, _columns
from communs_ledger.rendu.textes import statut
from test_rendu_exemples import tous
from xlsx_cellule_par_cellule import _set_text, _set_value, _style


def _reference(rapport: Rapport) -> list[list[tuple]]:
    """The cells of each part's table styled one by one (value, then style), read back."""
    workbook = Workbook()
    sheet = workbook.active
    row = 0
    for partie in rapport.parties:
        for ligne in partie.lignes:
            row += 1
            indent = max(0, ligne.niveau - 1)
            for index, col in enumerate(_columns(partie), start=1):
                cell = sheet.cell(row=row, column=index)
                if col.cle == "code" and ligne.code:
                    _set_text(cell, ligne.code)
                elif col.cle == "libelle":
                    _set_text(cell, ligne.libelle)
                    long = 2 * indent + len(ligne.libelle) > LARGEUR_MAX - 2
                    cell.alignment = Alignment(indent=indent, wrap_text=long)
                elif col.cle == "statut" and ligne.statut:
                    display = statut(ligne.statut)
                    _set_text(cell, display.texte)
                    cell.font = Font(bold=True, color=_COULEURS_STATUT[display.couleur])
                elif col.colonne is not None and ligne.style is not Style.TITRE:
                    _set_value(cell, ligne.valeurs.get(col.colonne.id), col.colonne.genre)
                _style(cell, ligne.style, col.cle)
    return _cells(load_workbook(io.BytesIO(_save(workbook))).active, row)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(sheet, rows: int, first: int = 1) -> list[list[tuple]]:
    return [
        [
            (
                c.value,
                c.data_type,
                c.number_format,
                *(repr(style) for style in (c.font, c.alignment, c.border, c.fill)),
            )
            for c in line
        ]
        for line in sheet.iter_rows(min_row=first, max_row=first + rows - 1)
    ]


def _rendered(rapport: Rapport) -> list[list[tuple]]:
    """The same cells as rendered: each part's table rows, one part after the other."""
    workbook = load_workbook(io.BytesIO(render(rapport, Format.xlsx)))
    found = []
    for partie, sheet in zip(rapport.parties, workbook.worksheets, strict=False):
        header = next(
            row[0].row for row in sheet.iter_rows() if any(c.value == "Libellé" for c in row)
        )
        width = len(_columns(partie))
        for line in _cells(sheet, len(partie.lignes), header + 1):
            found.append(line[:width])
    return found


@pytest.mark.parametrize("rapport", tous(), ids=lambda r: r.id)
def test_styles_partages_identiques_aux_styles_cellule_par_cellule(rapport: Rapport) -> None:
    expected = _reference(rapport)
    found = _rendered(rapport)
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert got == want[: len(got)]


def test_un_style_par_sorte_de_cellule() -> None:
    from communs_ledger.rendu.en_xlsx import _partie
    from communs_ledger.rendu.xlsx_package import Sheet, Styles

    rapport = next(r for r in tous() if r.id == "grand_livre")
    styles = Styles()
    _partie(Sheet("Grand livre", styles), rapport, rapport.parties[0], with_report_notes=True)
    cells = sum(len(_columns(rapport.parties[0])) for _ in rapport.parties[0].lignes)
    assert 0 < len(styles.xfs) < cells  # styles built once per kind, not once per cell
