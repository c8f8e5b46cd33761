"""``communs export xlsx``: one workbook per exercice. Its sheets, its « Sommaire » with
links and key figures, and every cell of every report equal to that report's JSON."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.budget.rapport_suivi import budget_vs_realise
from communs_ledger.chargement import load_livre
from communs_ledger.cli.app import app
from communs_ledger.cli.export import nom_par_defaut
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.bilan import bilan
from communs_ledger.rapports.grand_livre import grand_livre
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.source import Source
from communs_ledger.rendu.en_json import to_dict
from conftest import CLI_ENV, EXEMPLE, one_line, write_ledger
from test_fec import CONFIG, LEDGER

FEUILLES_2025 = [
    "Sommaire",
    "Bilan – Actif",
    "Bilan – Passif",
    "Résultat",
    "Résultat – Contrib. en nature",
    "Budget – Charges",
    "Budget – Produits",
    "Budget – Contrib. en nature",
    "Budget – Par projet",
    "Budget – Résultat",
    "Balance",
    "Grand livre",
]


@pytest.fixture(scope="module")
def classeur_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``communs export xlsx -e 2025`` on the example, in an empty folder (default name)."""
    folder = tmp_path_factory.mktemp("classeur")
    runner = CliRunner(env=CLI_ENV)
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        result = runner.invoke(app, ["export", "xlsx", "-f", str(EXEMPLE), "-e", "2025"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "Classeur écrit dans les-jardins-du-coteau-2025.xlsx : sommaire et 11 feuilles" in (
        one_line(result.output)
    )
    return folder / "les-jardins-du-coteau-2025.xlsx"


@pytest.fixture(scope="module")
def rapports() -> dict[str, dict[str, Any]]:
    """The JSON of each report of 2025, as ``communs … --format json`` gives it."""
    livre = load_livre(EXEMPLE)
    source = Source.from_livre(livre)
    exercice = source.exercice("2025")
    built = [
        bilan(source, exercice),
        compte_de_resultat(source, exercice),
        budget_vs_realise(source, load_budgets(source.context), exercice),
        balance(source, exercice),
        grand_livre(source, exercice),
    ]
    return {rapport.id: json.loads(json.dumps(to_dict(rapport))) for rapport in built}


def test_feuilles_du_classeur(classeur_2025: Path) -> None:
    workbook = openpyxl.load_workbook(classeur_2025)
    assert workbook.sheetnames == FEUILLES_2025
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    assert workbook.properties.title == "Les Jardins du Coteau — Comptes de l'exercice 2025"


def test_sommaire_liens_et_chiffres_cles(
    classeur_2025: Path, rapports: dict[str, dict[str, Any]]
) -> None:
    sheet = openpyxl.load_workbook(classeur_2025)["Sommaire"]
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    assert [rows[i][0].value for i in range(4)] == [
        "Les Jardins du Coteau",
        "Comptes de l'exercice 2025",
        "Exercice 2025 (du 1er janvier 2025 au 31 décembre 2025)",
        rows[3][0].value,
    ]
    assert rows[3][0].value.startswith("Document généré le ")
    header = next(i for i, row in enumerate(rows) if row[0].value == "Feuille")
    links = rows[header + 1 : header + len(FEUILLES_2025)]
    assert [row[0].value for row in links] == FEUILLES_2025[1:]
    for row in links:
        name = row[0].value
        assert row[0].hyperlink.location == f"'{name}'!A1"
    assert links[0][1].value == "Bilan — Actif"
    assert links[-1][1].value == "Grand livre"
    figures = {
        row[0].value: row[1].value
        for row in rows[header + len(FEUILLES_2025) :]
        if row[0].value and len(row) > 1 and isinstance(row[1].value, float)
    }
    resultat = rapports["compte_de_resultat"]["totaux"]
    assert figures == {
        "Résultat de l'exercice": float(resultat["resultat"]),
        "Total des produits d'exploitation": float(resultat["total_produits_exploitation"]),
        "Total des charges d'exploitation": float(resultat["total_charges_exploitation"]),
        "Total du bilan": float(rapports["bilan"]["totaux"]["total_actif"]),
        "Total débit de la balance": float(rapports["balance"]["totaux"]["total_debit"]),
    }
    # by hand from the balance: Σ débits of 2025 = Σ débits of the FEC of 2025
    assert figures["Total débit de la balance"] == 797838.76


def _table(sheet) -> tuple[list[str], list[list[Any]]]:
    """Header labels and rows of the table of a report sheet (up to the first empty row)."""
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "Libellé" in row)
    labels = [label for label in rows[header] if label is not None]
    body = []
    for row in rows[header + 1 :]:
        if all(value is None for value in row):
            break
        body.append(list(row[: len(labels)]))
    return labels, body


def _same(expected: Any, cell: Any, genre: str) -> bool:
    if expected is None:
        return cell is None
    if genre == "date":
        return isinstance(cell, datetime.datetime) and cell.date().isoformat() == expected
    if genre == "texte" or (isinstance(expected, str) and not _numeric(expected)):
        return cell == expected
    return Decimal(str(cell)) == Decimal(str(expected))


def _numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


SHEETS = {
    "bilan": ["Bilan – Actif", "Bilan – Passif"],
    "compte_de_resultat": ["Résultat", "Résultat – Contrib. en nature"],
    "budget_vs_realise": [
        "Budget – Charges",
        "Budget – Produits",
        "Budget – Contrib. en nature",
        "Budget – Par projet",
        "Budget – Résultat",
    ],
    "balance": ["Balance"],
    "grand_livre": ["Grand livre"],
}


@pytest.mark.parametrize("rapport", list(SHEETS))
def test_cellules_egales_au_json(
    classeur_2025: Path, rapports: dict[str, dict[str, Any]], rapport: str
) -> None:
    workbook = openpyxl.load_workbook(classeur_2025)
    data = rapports[rapport]
    assert len(data["parties"]) == len(SHEETS[rapport])
    for partie, name in zip(data["parties"], SHEETS[rapport], strict=True):
        sheet = workbook[name]
        assert sheet["A1"].value == "Les Jardins du Coteau"
        assert sheet["A2"].value == data["titre"]
        labels, body = _table(sheet)
        has_code = labels[0] == "N°"
        assert labels[int(has_code)] == "Libellé"
        assert labels[1 + int(has_code) :][: len(partie["colonnes"])] == [
            colonne["libelle"] for colonne in partie["colonnes"]
        ]
        assert len(body) == len(partie["lignes"]), name
        for row, ligne in zip(body, partie["lignes"], strict=True):
            if has_code:
                assert row[0] == ligne["code"]
            assert row[int(has_code)] == ligne["libelle"]
            if ligne["style"] == "titre":
                continue
            for index, colonne in enumerate(partie["colonnes"], start=1 + int(has_code)):
                expected = ligne["valeurs"][colonne["id"]]
                assert _same(expected, row[index], colonne["genre"]), (
                    name,
                    ligne["libelle"],
                    colonne["id"],
                    expected,
                    row[index],
                )


def test_formats_et_totaux_en_gras(classeur_2025: Path) -> None:
    sheet = openpyxl.load_workbook(classeur_2025)["Balance"]
    total = next(row for row in sheet.iter_rows() if row[1].value == "Total général")
    assert total[1].font.bold
    assert isinstance(total[2].value, float)
    assert total[2].number_format == '#,##0.00 "€";[Red]-#,##0.00 "€"'


def test_sans_budget_et_nom_de_fichier(communs: Callable[..., Any], tmp_path: Path) -> None:
    livre = write_ledger(tmp_path / "compta", LEDGER, config=CONFIG)
    target = tmp_path / "comptes.xlsx"
    result = communs("export", "xlsx", "-f", str(livre), "-e", "2025", "--sortie", str(target))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == [
        "Sommaire",
        "Bilan – Actif",
        "Bilan – Passif",
        "Résultat",
        "Résultat – Contrib. en nature",
        "Balance",
        "Grand livre",
    ]
    notes = [row[0] for row in workbook["Sommaire"].iter_rows(values_only=True)]
    assert (
        "Pas de budget vs réalisé : aucun budget n'est déclaré pour l'exercice 2025 "
        "(communs.yaml, section budget)." in notes
    )
    assert "Pas de budget vs réalisé" in one_line(result.output)


def test_sortie_standard(tmp_path: Path) -> None:
    livre = write_ledger(tmp_path / "compta", LEDGER, config=CONFIG)
    result = CliRunner(env=CLI_ENV).invoke(
        app, ["export", "xlsx", "-f", str(livre), "-e", "2024", "--sortie", "-"]
    )
    assert result.exit_code == 0
    written = tmp_path / "copie.xlsx"
    written.write_bytes(result.stdout_bytes)
    assert openpyxl.load_workbook(written).sheetnames[-1] == "Grand livre"


def test_refus_d_ecraser_et_ecraser(communs: Callable[..., Any], tmp_path: Path) -> None:
    livre = write_ledger(tmp_path / "compta", LEDGER, config=CONFIG)
    target = tmp_path / "comptes.xlsx"
    target.write_bytes(b"classeur du conseil")
    refused = communs("export", "xlsx", "-f", str(livre), "-e", "2025", "--sortie", str(target))
    assert refused.exit_code == 1
    assert "existe déjà : ajoutez --ecraser pour le remplacer" in one_line(refused.output)
    assert target.read_bytes() == b"classeur du conseil"
    forced = communs(
        "export", "xlsx", "-f", str(livre), "-e", "2025", "--sortie", str(target), "--ecraser"
    )
    assert forced.exit_code == 0, forced.output
    assert openpyxl.load_workbook(target).sheetnames[0] == "Sommaire"


def test_mauvaises_entrees(communs: Callable[..., Any], tmp_path: Path) -> None:
    livre = write_ledger(tmp_path / "compta", LEDGER, config=CONFIG)
    unknown = communs("export", "xlsx", "-f", str(livre), "-e", "2030")
    assert unknown.exit_code == 1
    assert "exercice « 2030 » inconnu : exercices du grand livre : 2024, 2025" in one_line(
        unknown.output
    )
    blocker = tmp_path / "fichier"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "comptes.xlsx"
    unwritable = communs("export", "xlsx", "-f", str(livre), "--sortie", str(target))
    assert unwritable.exit_code == 1
    assert f"impossible d'écrire {target} : {blocker} n'est pas un dossier" in one_line(
        unwritable.output
    )
    broken = write_ledger(tmp_path / "casse", "2025-01-01 open Actif:Banque\n", config=CONFIG)
    refused = communs("export", "xlsx", "-f", str(broken), "--sortie", str(tmp_path / "x.xlsx"))
    assert refused.exit_code == 1
    assert "le grand livre contient" in one_line(refused.output)
    assert not (tmp_path / "x.xlsx").exists()


def test_nom_par_defaut() -> None:
    assert nom_par_defaut("Les Jardins du Coteau", "2025") == "les-jardins-du-coteau-2025.xlsx"
    assert nom_par_defaut("Œuvre d'Entraide « Été » !", "2025-2026") == (
        "oeuvre-d-entraide-ete-2025-2026.xlsx"
    )
    assert nom_par_defaut("???", "2025") == "association-2025.xlsx"


def test_sortie_dossier(communs: Callable[..., Any], tmp_path: Path) -> None:
    """--sortie DOSSIER/ writes the workbook under its own name in that folder, as
    communs fec does (exports/, the folder communs init's .gitignore leaves out of Git);
    a folder that does not exist is refused, never written as a file of that name."""
    livre = write_ledger(tmp_path / "compta", LEDGER, config=CONFIG)
    absent = tmp_path / "exports"
    refused = communs("export", "xlsx", "-f", str(livre), "-e", "2025", "--sortie", f"{absent}/")
    assert refused.exit_code == 1
    assert "ce dossier n'existe pas" in one_line(refused.output)
    assert not absent.exists()
    absent.mkdir()
    result = communs("export", "xlsx", "-f", str(livre), "-e", "2025", "--sortie", f"{absent}/")
    assert result.exit_code == 0, result.output
    (written,) = absent.iterdir()
    assert written.name.endswith("-2025.xlsx")
    assert openpyxl.load_workbook(written).sheetnames[0] == "Sommaire"
    # the figures come from the results cache now: the target is still --sortie's
    other = communs("export", "xlsx", "-f", str(livre), "-e", "2025", "--sortie", str(absent))
    assert other.exit_code == 1  # the same file, not overwritten
    assert "existe déjà" in one_line(other.output)
    named = absent / "conseil.xlsx"
    again = communs("export", "xlsx", "-f", str(livre), "-e", "2025", "--sortie", str(named))
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in absent.iterdir()) == sorted([written.name, "conseil.xlsx"])
