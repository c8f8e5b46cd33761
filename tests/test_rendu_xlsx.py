"""XLSX renderer: real numeric cells with formats, bold totals, one sheet per part;
read back with openpyxl, and opened by LibreOffice when it is installed."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from communs_ledger.rapports.objets import Colonne, Ligne, Partie, Rapport, Style
from communs_ledger.rendu import Format, render
from test_rendu_exemples import (
    ASSOCIATION,
    FORMULE,
    SCRIPT,
    bilan,
    compte_de_resultat,
    diagnostic,
    grand_livre,
    tous,
)

MONTANT = '#,##0.00 "€";[Red]-#,##0.00 "€"'


def _classeur(rapport: Rapport):
    return load_workbook(io.BytesIO(render(rapport, Format.xlsx)))


def _entete(sheet) -> int:
    for row in sheet.iter_rows():
        if any(cell.value == "Libellé" for cell in row):
            return row[0].row
    raise AssertionError("pas de ligne d'en-tête")


def _tableau(sheet) -> tuple[dict[str, int], list[list]]:
    """Header labels → column index, and the data rows (cells) below the header."""
    header = _entete(sheet)
    columns = {cell.value: cell.column for cell in sheet[header] if cell.value}
    rows = []
    for row in sheet.iter_rows(min_row=header + 1):
        if row[columns["Libellé"] - 1].value is None:
            break
        rows.append(list(row))
    return columns, rows


def _json(rapport: Rapport) -> dict:
    return json.loads(render(rapport, Format.json))


def test_une_feuille_par_partie_plus_les_totaux():
    assert _classeur(compte_de_resultat()).sheetnames == ["Compte de résultat", "Totaux"]
    assert _classeur(bilan()).sheetnames == ["Actif", "Passif", "Totaux"]


def test_noms_de_feuilles_valides_et_uniques():
    names = _classeur(grand_livre()).sheetnames
    assert names == [
        "512 Banque compte courant Crédi",
        "512 Banque compte courant C (2)",
        "Totaux",
    ]
    assert all(len(name) <= 31 for name in names)
    assert not any(set(name) & set("[]:*?/\\") for name in names)
    rapport = compte_de_resultat()
    rapport.parties[0].titre = "Totaux"
    assert _classeur(rapport).sheetnames == ["Totaux (2)", "Totaux"]


@pytest.mark.parametrize("rapport", tous(), ids=lambda r: r.id)
def test_memes_chiffres_que_le_json_et_formats(rapport):
    workbook = _classeur(rapport)
    data = _json(rapport)
    for partie, sheet in zip(data["parties"], workbook.worksheets, strict=False):
        columns, rows = _tableau(sheet)
        assert len(rows) == len(partie["lignes"])
        for cells, ligne in zip(rows, partie["lignes"], strict=True):
            assert cells[columns["Libellé"] - 1].value == ligne["libelle"]
            for colonne in partie["colonnes"]:
                cell = cells[columns[colonne["libelle"]] - 1]
                value = ligne["valeurs"][colonne["id"]]
                if value is None or ligne["style"] == "titre":
                    assert cell.value is None
                elif colonne["genre"] == "montant":
                    assert cell.data_type == "n"
                    assert cell.number_format == MONTANT
                    assert round(Decimal(str(cell.value)), 2) == Decimal(value)
                elif colonne["genre"] == "pourcentage":
                    assert cell.number_format == "0.0 %"
                    assert round(Decimal(str(cell.value)), 4) == Decimal(value)
                elif colonne["genre"] == "nombre":
                    assert cell.number_format == "0.0"
                    assert round(Decimal(str(cell.value)), 2) == Decimal(value)
                elif colonne["genre"] == "entier":
                    assert cell.value == value
                elif colonne["genre"] == "date":
                    assert cell.number_format == "dd/mm/yyyy"
                    assert cell.value.date().isoformat() == value
                else:
                    assert cell.value == value
                    assert cell.data_type == "s"


def test_valeurs_du_compte_de_resultat():
    sheet = _classeur(compte_de_resultat())["Compte de résultat"]
    columns, rows = _tableau(sheet)
    by_label = {row[0].value: row for row in rows}
    n, n1 = columns["Exercice 2025"] - 1, columns["Exercice 2024"] - 1
    assert by_label["Subventions d'exploitation"][n].value == 45000.01
    assert by_label["Résultat financier"][n].value == -12.01
    assert by_label["Résultat financier"][n1].value == 0
    assert by_label["Résultat de l'exercice"][n].value == 3722.06
    assert isinstance(by_label["Résultat de l'exercice"][n].value, float)


def test_styles_des_lignes():
    sheet = _classeur(compte_de_resultat())["Compte de résultat"]
    header = _entete(sheet)
    assert all(cell.font.b for cell in sheet[header] if cell.value)
    assert sheet[header][0].fill.fgColor.rgb.endswith("D9E1F2")
    _, rows = _tableau(sheet)
    by_label = {row[0].value: row for row in rows}
    total = by_label["Résultat de l'exercice"]
    assert all(cell.font.b for cell in total)
    assert all(cell.border.top.style == "thin" for cell in total)
    sous_total = by_label["Total des produits d'exploitation"]
    assert all(cell.font.b for cell in sous_total)
    assert sous_total[1].border.top.style is None
    dont = by_label["dont subventions de l'État"]
    assert all(cell.font.i for cell in dont) and not dont[1].font.b
    titre = by_label["Produits d'exploitation"]
    assert titre[0].font.b and titre[1].value is None and titre[2].value is None
    assert not by_label["Cotisations"][1].font.b
    assert by_label["Cotisations"][0].alignment.indent == 1  # niveau 2
    assert by_label["dont subventions de l'État"][0].alignment.indent == 2
    assert by_label["Salaires et traitements"][0].alignment.indent == 0


def test_titres_volets_largeurs_impression_et_proprietes():
    workbook = _classeur(compte_de_resultat())
    sheet = workbook["Compte de résultat"]
    assert sheet["A1"].value == ASSOCIATION
    assert sheet["A2"].value == "Compte de résultat"
    assert "Exercice 2025" in sheet["A3"].value
    header = _entete(sheet)
    assert sheet.freeze_panes == f"B{header + 1}"
    assert sheet.column_dimensions["A"].width >= len("Total des produits d'exploitation")
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert workbook.properties.title == "Compte de résultat"
    assert workbook.properties.creator == "communs-ledger"
    texts = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "Modèle du règlement ANC 2018-06." in texts
    assert "Montants arrondis au centime à l'affichage." in texts
    assert "2 écritures sans pièce justificative." in texts
    assert "Document généré le 2 mars 2026 par communs-ledger" in texts


def test_paysage_au_dela_de_quatre_colonnes_numeriques():
    colonnes = [Colonne(f"m{i}", f"Mois {i}") for i in range(5)]
    rapport = Rapport(
        id="tresorerie",
        titre="Plan de trésorerie",
        association="A",
        parties=[
            Partie("p", "P", colonnes, [Ligne("Solde", {c.id: Decimal(1) for c in colonnes})])
        ],
    )
    assert _classeur(rapport)["P"].page_setup.orientation == "landscape"
    assert _classeur(bilan())["Actif"].page_setup.orientation == "portrait"


def test_textes_jamais_formules_et_code_en_premiere_colonne():
    workbook = _classeur(grand_livre())
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    sheet = workbook.worksheets[0]
    columns, rows = _tableau(sheet)
    assert list(columns)[:2] == ["N°", "Libellé"]
    assert rows[0][0].value == "512"
    assert rows[0][1].value == SCRIPT
    assert rows[1][1].value == FORMULE
    assert rows[1][columns["Pièce"] - 1].value == "=1+1"
    assert rows[0][columns["Date"] - 1].value == datetime.datetime(2025, 1, 15)
    assert sheet.freeze_panes == f"C{_entete(sheet) + 1}"


def test_statuts_en_texte():
    sheet = _classeur(diagnostic())["Ratios"]
    columns, rows = _tableau(sheet)
    statuts = [row[columns["Statut"] - 1].value for row in rows]
    assert statuts == ["✓ ok", "! à surveiller", "✗ alerte", None]


def test_feuille_des_totaux():
    sheet = _classeur(compte_de_resultat())["Totaux"]
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "Total")
    labels = [cell.value for cell in sheet[header] if cell.value]
    assert labels == ["Total", "Identifiant", "Exercice 2025", "Exercice 2024"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=header + 1, max_row=header + 5)}
    assert list(rows) == [
        "total_produits_exploitation",
        "total_charges_exploitation",
        "resultat_exploitation",
        "resultat_financier",
        "resultat",
    ]
    assert rows["resultat"][0].value == "Résultat de l'exercice"
    assert rows["resultat"][2].value == 3722.06
    assert rows["resultat"][3].value == 2800
    assert rows["resultat_financier"][2].value == -12.01
    assert rows["total_produits_exploitation"][2].value == 46234.57
    assert rows["resultat"][2].number_format == MONTANT
    bilan_totaux = _classeur(bilan())["Totaux"]
    values = {row[1].value: row[2].value for row in bilan_totaux.iter_rows() if row[1].value}
    assert values["total_actif"] == 27400.40
    assert values["total_actif"] == values["total_passif"]


def test_rapport_sans_partie():
    rapport = Rapport(id="vide", titre="Vide", association="A", parties=[], notes=["Rien."])
    workbook = _classeur(rapport)
    assert workbook.sheetnames == ["Totaux"]
    texts = [cell.value for row in workbook["Totaux"].iter_rows() for cell in row]
    assert "Rien." in texts
    assert "Ce rapport n'a pas de total nommé." in texts


def test_style_note():
    rapport = compte_de_resultat()
    rapport.parties[0].lignes.append(Ligne("Voir l'annexe.", style=Style.NOTE))
    sheet = _classeur(rapport)["Compte de résultat"]
    _, rows = _tableau(sheet)
    assert rows[-1][0].value == "Voir l'annexe." and rows[-1][0].font.i


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent")
@pytest.mark.parametrize("rapport", [compte_de_resultat(), bilan()], ids=lambda r: r.id)
def test_libreoffice_ouvre_le_classeur(rapport, tmp_path):
    source = tmp_path / f"{rapport.id}.xlsx"
    source.write_bytes(render(rapport, Format.xlsx))
    out = tmp_path / "csv"
    # UTF-8, every sheet to its own file (<name>-<sheet>.csv), raw values.
    filter_ = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profil'}",
            "--headless",
            "--convert-to",
            filter_,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = _json(rapport)
    for partie in data["parties"]:
        path = out / f"{rapport.id}-{partie['titre']}.csv"
        assert path.exists(), sorted(p.name for p in out.iterdir())
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
        header = next(i for i, row in enumerate(rows) if "Libellé" in row)
        labels = rows[header]
        body = rows[header + 1 : header + 1 + len(partie["lignes"])]
        for row, ligne in zip(body, partie["lignes"], strict=True):
            assert row[labels.index("Libellé")] == ligne["libelle"]
            for colonne in partie["colonnes"]:
                value = ligne["valeurs"][colonne["id"]]
                cell = row[labels.index(colonne["libelle"])]
                if value is None:
                    assert cell == ""
                else:
                    assert Decimal(cell) == Decimal(value)
    totaux = out / f"{rapport.id}-Totaux.csv"
    assert totaux.exists()


def test_libelle_tres_long_renvoye_a_la_ligne():
    rapport = compte_de_resultat()
    long = "Concessions, brevets, licences, marques, procédés, logiciels, droits et valeurs"
    rapport.parties[0].lignes[1].libelle = long
    sheet = _classeur(rapport)["Compte de résultat"]
    _, rows = _tableau(sheet)
    by_label = {row[0].value: row for row in rows}
    assert by_label[long][0].alignment.wrap_text
    assert not by_label["Achats"][0].alignment.wrap_text
    assert sheet.column_dimensions["A"].width == 60
