"""XLSX tables written as sheet XML (without an openpyxl cell per value): read back, every
cell is the cell openpyxl writes when it is made one by one (value, type, style), even for
awkward texts; each column is as wide as its longest French display."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal as D

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from communs_ledger.rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.en_xlsx import LARGEUR_MAX, LARGEUR_MIN, _columns
from communs_ledger.rendu.textes import statut
from communs_ledger.rendu.valeurs import arrondi, francais
from test_rendu_exemples import tous
from xlsx_cellule_par_cellule import _set_text, _set_value, _style, _styled

TEXTES = [
    "Achats & fournitures <bureau>",
    "  espaces autour  ",
    "retour\r\nà la ligne\tet tabulation",
    '=HYPERLINK("http://exemple.invalid","clic")',
    "caractère\x07 interdit",
    "",
    "x" * 40_000,
    "€ — « guillemets » 🌱",
]


def _awkward() -> Rapport:
    colonnes = [
        Colonne("date", "Date", Genre.DATE),
        Colonne("piece", "Pièce", Genre.TEXTE),
        Colonne("montant", "Montant"),
        Colonne("part", "Part", Genre.POURCENTAGE),
        Colonne("nombre", "Nombre", Genre.NOMBRE),
        Colonne("entier", "Entier", Genre.ENTIER),
    ]
    lignes = [Ligne("Titre", style=Style.TITRE, valeurs={"montant": D("1")})]
    for index, texte in enumerate(TEXTES):
        lignes.append(
            Ligne(
                texte,
                {
                    "date": datetime.date(2025, 1 + index, 28),
                    "piece": texte,
                    "montant": D("-1234567.895") if index % 2 else D("0.004"),
                    "part": D("0.12345") if index % 3 else "n.c.",
                    "nombre": D("-0.001"),
                    "entier": 1234567 if index % 2 else D("2.5"),
                },
                code=f"60{index}" if index % 2 else None,
                niveau=1 + index % 3,
                statut=("ok", "alerte", None, "inconnu")[index % 4],
                style=(Style.NORMAL, Style.TOTAL, Style.DONT, Style.NOTE)[index % 4],
            )
        )
    lignes.append(Ligne("Vide", {}, style=Style.SOUS_TOTAL))
    partie = Partie("p", "Partie", colonnes, lignes)
    return Rapport(id="essai", titre="Essai", association="A & B", parties=[partie])


def _reference(rapport: Rapport) -> list[list[tuple]]:
    """The table's cells made one by one with openpyxl (as before the XML rows), read back."""
    workbook = Workbook()
    sheet = workbook.active
    partie = rapport.parties[0]
    for row, ligne in enumerate(partie.lignes, start=1):
        indent = max(0, ligne.niveau - 1)
        for index, col in enumerate(_columns(partie), start=1):
            cell = sheet.cell(row=row, column=index)
            key: tuple = (ligne.style, col.cle)
            if col.cle == "code" and ligne.code:
                _set_text(cell, ligne.code)
            elif col.cle == "libelle":
                _set_text(cell, ligne.libelle)
                key += (indent, 2 * indent + len(ligne.libelle) > LARGEUR_MAX - 2)
            elif col.cle == "statut" and ligne.statut:
                _set_text(cell, statut(ligne.statut).texte)
                key = ()
                from openpyxl.styles import Font

                from communs_ledger.rendu.en_xlsx import _COULEURS_STATUT

                couleur = _COULEURS_STATUT[statut(ligne.statut).couleur]
                cell.font = Font(bold=True, color=couleur)
                _style(cell, ligne.style, col.cle)
            elif col.colonne is not None and ligne.style is not Style.TITRE:
                _set_value(cell, ligne.valeurs.get(col.colonne.id), col.colonne.genre)
                key = ()
                _style(cell, ligne.style, col.cle)
            if key:
                _styled(cell, key)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _cells(load_workbook(buffer).active, 1, len(partie.lignes))


def _cells(sheet, first: int, count: int) -> list[list[tuple]]:
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
        for line in sheet.iter_rows(min_row=first, max_row=first + count - 1)
    ]


def _header(sheet) -> int:
    return next(row[0].row for row in sheet.iter_rows() if any(c.value == "Libellé" for c in row))


def test_cellules_identiques_aux_cellules_openpyxl() -> None:
    rapport = _awkward()
    sheet = load_workbook(io.BytesIO(render(rapport, Format.xlsx)))["Partie"]
    partie = rapport.parties[0]
    width = len(_columns(partie))
    found = [line[:width] for line in _cells(sheet, _header(sheet) + 1, len(partie.lignes))]
    expected = [line[:width] for line in _reference(rapport)]
    assert len(found) == len(expected) == len(partie.lignes)
    for got, want in zip(found, expected, strict=True):
        assert got == want
    libelles = [line[1][0] for line in found]
    assert libelles[3] == "retour\r\nà la ligne\tet tabulation"
    assert libelles[2] == "  espaces autour  "
    assert libelles[5] == "caractère interdit"
    assert len(libelles[7]) == 32_767


def test_les_notes_suivent_le_tableau() -> None:
    rapport = _awkward()
    rapport.parties[0].notes.append("Une note & un <signe>.")
    sheet = load_workbook(io.BytesIO(render(rapport, Format.xlsx)))["Partie"]
    rows = [row[0] for row in sheet.iter_rows(min_col=1, max_col=1)]
    last = _header(sheet) + len(rapport.parties[0].lignes)
    assert sheet.cell(row=last, column=2).value == "Vide"  # column 1: the codes
    assert [c.value for c in rows[last:] if c.value] == [
        "Notes",
        "Une note & un <signe>.",
        rows[-1].value,
    ]
    assert rows[-1].value.startswith("Document généré le ")
    assert (
        sheet.dimensions
        == f"A1:{get_column_letter(len(_columns(rapport.parties[0])))}{rows[-1].row}"
    )


@pytest.mark.parametrize("rapport", [*tous(), _awkward()], ids=lambda r: r.id)
def test_largeurs_des_colonnes(rapport: Rapport) -> None:
    """Each column as wide as its longest display, cell by cell (2 more, within bounds)."""
    workbook = load_workbook(io.BytesIO(render(rapport, Format.xlsx)))
    for partie, sheet in zip(rapport.parties, workbook.worksheets, strict=False):
        for index, col in enumerate(_columns(partie), start=1):
            longest = len(col.libelle)
            for ligne in partie.lignes:
                indent = max(0, ligne.niveau - 1)
                if col.cle == "code":
                    shown = ligne.code or ""
                elif col.cle == "libelle":
                    shown = " " * 2 * indent + ligne.libelle
                elif col.cle == "statut":
                    shown = statut(ligne.statut).texte if ligne.statut else ""
                elif ligne.style is Style.TITRE:
                    shown = ""
                else:
                    shown = francais(ligne.valeurs.get(col.colonne.id), col.colonne.genre)
                longest = max(longest, len(shown))
            expected = max(LARGEUR_MIN, min(LARGEUR_MAX, longest + 2))
            assert sheet.column_dimensions[get_column_letter(index)].width == expected


def test_affichage_le_plus_long_aux_extremes() -> None:
    """What the widths rely on: a rounded value's display never shortens as it grows in
    magnitude (for a sign), so the longest is that of the lowest or of the highest."""
    values = [D(n) / 1000 for n in range(-1_200_000, 1_200_000, 997)]
    values += [D("-0.004"), D("0.004"), D("-0.005"), D("999.995"), D("-999.995")]
    for genre in (Genre.MONTANT, Genre.POURCENTAGE, Genre.NOMBRE, Genre.ENTIER):
        rounded = [arrondi(value, genre) for value in values]
        longest = max(len(francais(value, genre)) for value in rounded)
        assert longest == max(
            len(francais(min(rounded), genre)), len(francais(max(rounded), genre))
        )
