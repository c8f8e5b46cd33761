"""Exports opened in a spreadsheet: user text that looks like a formula stays text.

A small ledger whose payees, narrations and ``piece`` hold ``=HYPERLINK(…)``,
``=cmd|' /C calc'!A0`` and other formula starts, exported through the real CLI;
the CSV is read back with the csv module, the XLSX with openpyxl. A bank label
brings one in through ``communs importer``. The FEC (tab-separated) keeps one
line per posting whatever tabs and line breaks a label holds.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import HEADER
from test_importation_cli import BANQUE, ecrire_livre

Communs = Callable[..., Any]

LIEN = '=HYPERLINK("http://x","clic")'
COMMANDE = "=cmd|' /C calc'!A0"
URSSAF = "Passif:43-Organismes-sociaux:431-Urssaf"
EAU = "Charges:60-Achats:6061-Eau-energie"
FORMULES = (LIEN, COMMANDE, "+SOMME(1;2)", "@SUM(1)", "-2+3")
DEBUTS = ("=", "+", "-", "@", "\t", "\r")


def _beancount(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _livre_piege(folder: Path) -> None:
    ecrire_livre(folder)
    lines = [HEADER]
    for jour, texte in enumerate(FORMULES, start=10):
        lines += [
            f'2026-03-{jour} * "{_beancount(COMMANDE)}" "{_beancount(texte)}"',
            f'  piece: "{_beancount(texte)}"',
            f"  {EAU}  12.50 EUR",
            f"  {BANQUE}",
            "",
        ]
    lines += [
        '2026-03-20 * "Tiers" "colonne\tcoupée\r\net ligne coupée"',
        f"  {EAU}  1.00 EUR",
        f"  {BANQUE}",
        "",
    ]
    (folder / "pieges.beancount").write_text("\n".join(lines), encoding="utf-8")
    with open(folder / "main.beancount", "a", encoding="utf-8") as file:
        file.write('include "pieges.beancount"\n')


def _nombre(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _cellules_csv(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as file:
        return [cell for row in csv.reader(file) for cell in row]


def _verifier_csv(path: Path, attendus: tuple[str, ...]) -> None:
    cells = _cellules_csv(path)
    # no text cell starts like a formula; numbers (negative amounts) stay numbers
    dangereuses = [c for c in cells if c.startswith(DEBUTS) and not _nombre(c)]
    assert dangereuses == []
    for texte in attendus:
        assert any(c == "'" + texte or c.endswith(texte) for c in cells), texte
        assert texte not in cells


def _verifier_xlsx(path: Path, attendus: tuple[str, ...]) -> None:
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    textes = {c.value: c for c in cells if isinstance(c.value, str)}
    for texte in attendus:
        found = [c for value, c in textes.items() if texte in value]
        assert found, texte
        assert all(c.data_type == "s" for c in found)


@pytest.mark.parametrize("commande", ["grand-livre", "journal"])
def test_csv_du_grand_livre_et_du_journal(ledger_dir: Path, communs: Communs, commande) -> None:
    _livre_piege(ledger_dir)
    result = communs(commande, "-e", "2026", "--sortie", "sortie.csv")
    assert result.exit_code == 0, result.output
    _verifier_csv(ledger_dir / "sortie.csv", (LIEN, COMMANDE))
    cells = _cellules_csv(ledger_dir / "sortie.csv")
    assert "'" + LIEN in cells  # the piece
    # payee — narration
    assert f"'{COMMANDE} — {LIEN}" in cells
    if commande == "grand-livre":
        assert "-10000.00" in cells  # the 102 account's balance: a number, untouched


def test_csv_relu_avec_le_module_csv(ledger_dir: Path, communs: Communs) -> None:
    """Exactly what the grand livre CSV holds for the narration and the payee."""
    _livre_piege(ledger_dir)
    assert communs("grand-livre", "-e", "2026", "--sortie", "gl.csv").exit_code == 0
    rows = list(csv.DictReader(io.StringIO((ledger_dir / "gl.csv").read_text("utf-8"))))
    libelles = {row["libelle"] for row in rows}
    pieces = {row.get("piece", "") for row in rows}
    for texte in FORMULES:
        assert "'" + texte in pieces
    assert not [libelle for libelle in libelles if libelle.startswith(DEBUTS)]
    # 5 × 12,50 € paid from the bank, each line's piece and label neutralised, amounts intact
    piegees = [row for row in rows if row["code"] == "6061" and row["piece"]]
    assert [(row["debit"], row["credit"]) for row in piegees] == [("12.50", "")] * 5
    total_102 = next(r for r in rows if r["id"] == "total_compte" and r["code"] == "102")
    assert total_102["solde"] == "-10000.00"


@pytest.mark.parametrize("commande", ["grand-livre", "journal"])
def test_xlsx_textes_en_cellules_texte(ledger_dir: Path, communs: Communs, commande) -> None:
    _livre_piege(ledger_dir)
    result = communs(commande, "-e", "2026", "--sortie", "sortie.xlsx")
    assert result.exit_code == 0, result.output
    _verifier_xlsx(ledger_dir / "sortie.xlsx", (LIEN, COMMANDE))


def test_classeur_export_xlsx(ledger_dir: Path, communs: Communs) -> None:
    _livre_piege(ledger_dir)
    result = communs("export", "xlsx", "-e", "2026", "--sortie", "classeur.xlsx")
    assert result.exit_code == 0, result.output
    _verifier_xlsx(ledger_dir / "classeur.xlsx", (LIEN, COMMANDE))
    workbook = openpyxl.load_workbook(ledger_dir / "classeur.xlsx")
    montants = [
        cell.value
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float) and cell.data_type == "n"
    ]
    assert any(value < 0 for value in montants)  # negative amounts stay numbers


def test_fec_une_ligne_par_mouvement(ledger_dir: Path, communs: Communs) -> None:
    _livre_piege(ledger_dir)
    result = communs("fec", "-e", "2026", "--siren", "123456782", "--sortie", "fec.txt")
    assert result.exit_code == 0, result.output
    lines = (ledger_dir / "fec.txt").read_bytes().decode("iso-8859-15").split("\r\n")
    lines = [line for line in lines if line]
    assert {len(line.split("\t")) for line in lines} == {18}
    coupee = [line for line in lines if "colonne" in line]
    assert len(coupee) == 2
    assert all("colonne coupée et ligne coupée" in line for line in coupee)


def test_libelle_bancaire_importe_puis_exporte(ledger_dir: Path, communs: Communs) -> None:
    """A transfer label ``=HYPERLINK(…)`` in a bank statement, imported, then exported."""
    ecrire_livre(ledger_dir)
    releve = ledger_dir / "releves" / "piege.csv"
    releve.write_bytes(
        (
            "Date;Date de valeur;Débit;Crédit;Libellé;Solde\n"
            f"06/03/2026;06/03/2026;;80,00;{LIEN};11 299,54\n"
            f"07/03/2026;07/03/2026;-3,00;;{COMMANDE};11 296,54\n"
        ).encode("cp1252")
    )
    result = communs("importer", "releves/piege.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    assert "2 écritures ajoutées" in " ".join(result.stderr.split())
    assert communs("grand-livre", "-e", "2026", "--sortie", "gl.csv").exit_code == 0
    _verifier_csv(ledger_dir / "gl.csv", (LIEN, COMMANDE))
    assert communs("grand-livre", "-e", "2026", "--sortie", "gl.xlsx").exit_code == 0
    _verifier_xlsx(ledger_dir / "gl.xlsx", (LIEN, COMMANDE))


# --- Same figures, same bytes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "commande",
    [
        ("grand-livre", "-e", "2026", "--sortie"),
        ("export", "xlsx", "-e", "2026", "--sortie"),
    ],
    ids=["grand-livre", "export-xlsx"],
)
def test_deux_exports_xlsx_identiques(ledger_dir: Path, communs: Communs, commande) -> None:
    """Two runs, more than two seconds apart (the ZIP dates' resolution): same bytes. The
    document is dated by its data: the end of the exercice 2026."""
    import time

    _livre_piege(ledger_dir)
    assert communs(*commande, "un.xlsx").exit_code == 0
    time.sleep(2.2)
    assert communs(*commande, "deux.xlsx").exit_code == 0
    un, deux = (ledger_dir / "un.xlsx").read_bytes(), (ledger_dir / "deux.xlsx").read_bytes()
    assert un == deux
    properties = openpyxl.load_workbook(ledger_dir / "un.xlsx").properties
    assert (properties.created, properties.modified) == (
        datetime.datetime(2026, 12, 31),
        datetime.datetime(2026, 12, 31),
    )
    with zipfile.ZipFile(ledger_dir / "un.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 12, 31, 0, 0, 0)}
