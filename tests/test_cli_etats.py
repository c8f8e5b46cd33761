"""``communs resultat`` and ``communs bilan``: formats, output files and French failures,
through Typer's CliRunner (in process) and one real subprocess of the installed command.
Figures printed by the CLI must be the engine's figures."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.rapports.bilan import bilan
from communs_ledger.rapports.objets import Rapport
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.source import Source
from conftest import EXEMPLE, one_line, run_communs, write_ledger

D = Decimal
ASSOCIATION = "Les Jardins du Coteau"
MONEY = re.compile(r"-?\d+\.\d{2}")


@pytest.fixture(scope="module")
def moteur() -> Source:
    livre = load_livre(EXEMPLE)
    assert livre.ok
    return Source.from_livre(livre)


def _cent(value: Decimal) -> Decimal:
    rounded = value.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


def _assert_same_figures(data: dict[str, Any], rapport: Rapport) -> None:
    """The parsed JSON has the engine's figures (rounded to the cent), line by line."""
    assert data["rapport"] == rapport.id and data["exercice"] == rapport.exercice
    for partie, parsed in zip(rapport.parties, data["parties"], strict=True):
        for ligne, row in zip(partie.lignes, parsed["lignes"], strict=True):
            assert row["id"] == ligne.id
            for column, value in ligne.valeurs.items():
                assert D(row["valeurs"][column]) == _cent(value), (ligne.id, column)
    for column, totals in rapport.totaux.items():
        parsed = data["totaux_par_colonne"][column]
        assert {k: D(v) for k, v in parsed.items()} == {k: _cent(v) for k, v in totals.items()}


def _message(result: Any) -> str:
    return one_line(result.output)


# --- Formats --------------------------------------------------------------------------------


def test_resultat_json_egale_le_moteur(communs: Callable[..., Any], moteur: Source) -> None:
    result = communs("resultat", "-f", str(EXEMPLE), "--exercice", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rapport = compte_de_resultat(moteur, moteur.exercice("2025"))
    _assert_same_figures(data, rapport)
    assert data["association"] == ASSOCIATION
    assert data["totaux"]["resultat"] == f"{_cent(rapport.totaux['n']['resultat']):f}"
    for name in (
        "total_produits_exploitation",
        "total_charges_exploitation",
        "resultat_exploitation",
        "resultat_financier",
        "resultat_exceptionnel",
        "resultat",
        "contributions_volontaires_emplois",
        "contributions_volontaires_ressources",
    ):
        assert MONEY.fullmatch(data["totaux"][name]), name


def test_resultat_json_projet_et_arrete(communs: Callable[..., Any], moteur: Source) -> None:
    result = communs(
        "resultat",
        "-f",
        str(EXEMPLE),
        "--exercice",
        "2025",
        "--projet",
        "JARDINS",
        "--au",
        "30/06/2025",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # By default, the project's share of the indirect costs allocated by the example's
    # clés de répartition (analytique/repartition.yaml) is added.
    from communs_ledger.analytique.cles import cles_du_grand_livre

    cles, errors = cles_du_grand_livre(moteur.context)
    assert errors == [] and len(cles) > 0
    rapport = compte_de_resultat(
        moteur, moteur.exercice("2025"), projet="JARDINS", au=datetime.date(2025, 6, 30), cles=cles
    )
    _assert_same_figures(data, rapport)
    assert data["periode"] == {"debut": "2025-01-01", "fin": "2025-06-30"}
    assert data["meta"]["projet"] == "JARDINS" and data["meta"]["repartition"] is True
    assert any(
        "projet: JARDINS" in note and "clés de répartition" in note for note in data["notes"]
    )

    direct = communs(
        *("resultat", "-f", str(EXEMPLE), "-e", "2025", "-p", "JARDINS", "--au", "30/06/2025"),
        *("--sans-repartition", "--format", "json"),
    )
    assert direct.exit_code == 0, direct.output
    rapport = compte_de_resultat(
        moteur, moteur.exercice("2025"), projet="JARDINS", au=datetime.date(2025, 6, 30)
    )
    _assert_same_figures(json.loads(direct.stdout), rapport)
    assert any("sans répartition" in note for note in json.loads(direct.stdout)["notes"])


def test_bilan_csv(communs: Callable[..., Any], moteur: Source) -> None:
    result = communs("bilan", "-f", str(EXEMPLE), "--exercice", "2024", "--format", "csv")
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    text = raw.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    header = rows[0]
    fixed = ["partie", "id", "code", "libelle", "niveau", "style"]
    assert header == [*fixed, "brut", "amortissements", "net", "n"]
    rapport = bilan(moteur, moteur.exercice("2024"))
    body = rows[1:]
    assert len(body) == sum(len(p.lignes) for p in rapport.parties)
    assert sum(1 for row in rows if row[:2] == ["partie", "id"]) == 1  # one header row
    numeric = header.index("brut")
    for row in body:
        assert len(row) == len(header)
        for cell in row[numeric:]:
            assert cell == "" or MONEY.fullmatch(cell), row  # dot decimals, never a comma
    by_id = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in body if row[1]}
    total_actif = rapport.totaux["n"]["total_actif"]
    assert D(by_id[("actif", "total_actif")]["net"]) == _cent(total_actif)
    assert D(by_id[("passif", "total_passif")]["n"]) == _cent(total_actif)
    resultat = _cent(rapport.totaux["n"]["resultat"])
    assert by_id[("passif", "resultat_exercice")]["n"] == f"{resultat:f}"


def test_xlsx_dans_un_fichier_jamais_ecrase_sans_option(
    communs: Callable[..., Any], tmp_path: Path, moteur: Source
) -> None:
    sortie = tmp_path / "bilan.xlsx"
    args = ("bilan", "-f", str(EXEMPLE), "--exercice", "2025", "--format", "xlsx")
    result = communs(*args, "--sortie", str(sortie))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(sortie)
    assert workbook.sheetnames == ["Actif", "Passif", "Totaux"]
    rapport = bilan(moteur, moteur.exercice("2025"))
    totaux = {row[1]: row[2] for row in workbook["Totaux"].iter_rows(values_only=True) if row[1]}
    assert D(str(totaux["total_actif"])) == _cent(rapport.totaux["n"]["total_actif"])
    before = sortie.read_bytes()

    again = communs(*args, "--sortie", str(sortie))
    assert again.exit_code == 1
    assert "existe déjà" in _message(again) and "--ecraser" in _message(again)
    assert sortie.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bilan.xlsx"]

    replaced = communs(*args, "--sortie", str(sortie), "--ecraser")
    assert replaced.exit_code == 0, replaced.output
    assert openpyxl.load_workbook(sortie).sheetnames == ["Actif", "Passif", "Totaux"]


def test_xlsx_sans_fichier_est_un_mauvais_usage(communs: Callable[..., Any]) -> None:
    result = communs("resultat", "-f", str(EXEMPLE), "--format", "xlsx")
    assert result.exit_code == 2
    assert "--sortie" in _message(result)


def test_html_dans_un_fichier(communs: Callable[..., Any], tmp_path: Path) -> None:
    sortie = tmp_path / "resultat.html"
    result = communs(
        "resultat",
        "-f",
        str(EXEMPLE),
        "--exercice",
        "2026",
        "--format",
        "html",
        "--sortie",
        str(sortie),
    )
    assert result.exit_code == 0, result.output
    page = sortie.read_text(encoding="utf-8")
    assert ASSOCIATION in page and "Compte de résultat" in page


def test_bilan_arrete_sans_exercice_prend_celui_de_la_date(
    communs: Callable[..., Any], moteur: Source
) -> None:
    result = communs("bilan", "-f", str(EXEMPLE), "--au", "2025-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exercice"] == "2025"
    _assert_same_figures(
        data, bilan(moteur, moteur.exercice("2025"), au=datetime.date(2025, 6, 30))
    )
    assert data["totaux"]["total_actif"] == data["totaux"]["total_passif"]


# --- Failures -------------------------------------------------------------------------------


@pytest.mark.parametrize("commande", ["resultat", "bilan"])
def test_exercice_inconnu(communs: Callable[..., Any], commande: str) -> None:
    result = communs(commande, "-f", str(EXEMPLE), "--exercice", "2031")
    assert result.exit_code == 1
    assert _message(result) == (
        "Erreur : exercice « 2031 » inconnu : exercices du grand livre : 2024, 2025, 2026"
    )


LACUNAIRE = """\
2024-01-01 open Actif:51-Banques:512-Banques:Compte-courant
2024-01-01 open Produits:75-Autres-produits:756-Cotisations

2024-03-01 * "Cotisations 2024"
  Actif:51-Banques:512-Banques:Compte-courant  100.00 EUR
  Produits:75-Autres-produits:756-Cotisations  -100.00 EUR

2026-03-01 * "Cotisations 2026"
  Actif:51-Banques:512-Banques:Compte-courant  120.00 EUR
  Produits:75-Autres-produits:756-Cotisations  -120.00 EUR
"""


REPRIS = """\
2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant
2025-01-01 open Produits:75-Autres-produits:756-Cotisations
2025-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise

2025-01-01 * "Reprise des soldes d'ouverture de l'exercice 2025"
  reprise: "FEC"
  Actif:51-Banques:512-Banques:Compte-courant  1000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise  -1000.00 EUR

2025-12-31 * "Mouvements de l'exercice 2025 repris du FEC (totaux par compte)"
  reprise: "FEC"
  Actif:51-Banques:512-Banques:Compte-courant  300.00 EUR
  Produits:75-Autres-produits:756-Cotisations  -300.00 EUR

2026-01-01 balance Actif:51-Banques:512-Banques:Compte-courant 1300.00 EUR
"""


@pytest.mark.parametrize("commande", ["balance", "resultat", "bilan"])
def test_exercice_ouvert_par_la_reprise_sans_ecriture(
    communs: Callable[..., Any], ledger_dir: Path, commande: str
) -> None:
    """Right after ``communs ouverture``, the ledger has no entry in 2026 but opens it (the
    carried-over bank balance is checked on 1 January 2026): 2026 is a known exercice, not
    « exercice inconnu », and shows the carried-over balances."""
    write_ledger(ledger_dir, REPRIS, config='association:\n  nom: "Repris"\n')
    result = communs(commande, "-f", "main.beancount", "--exercice", "2026", "--format", "csv")
    assert result.exit_code == 0, result.output
    if commande == "balance":
        # à-nouveaux of 2026: 1 000 opening + 300 of 2025 = 1 300 in bank, 1 000 in 102
        assert re.search(r"512.*1300[.,]00", result.stdout)
        assert re.search(r"102.*1000[.,]00", result.stdout)
    # the default exercice stays the latest one with entries
    default = communs(commande, "-f", "main.beancount", "--format", "json")
    assert default.exit_code == 0, default.output
    assert json.loads(default.stdout)["exercice"] == "2025"


@pytest.mark.parametrize("commande", ["resultat", "bilan"])
def test_exercice_sans_ecriture(
    communs: Callable[..., Any], ledger_dir: Path, commande: str
) -> None:
    write_ledger(ledger_dir, LACUNAIRE, config='association:\n  nom: "Lacunes"\n')
    result = communs(commande, "-f", "main.beancount", "--exercice", "2025")
    assert result.exit_code == 1
    assert _message(result) == "Erreur : aucune écriture dans l'exercice 2025"
    # the exercices around it are fine
    assert communs(commande, "-f", "main.beancount", "--exercice", "2026").exit_code == 0


def test_projet_inconnu(communs: Callable[..., Any]) -> None:
    result = communs("resultat", "-f", str(EXEMPLE), "--projet", "PISCINE")
    assert result.exit_code == 1
    assert _message(result) == (
        "Erreur : projet « PISCINE » inconnu : projets connus : COMPOST, CUISINE, ECOLE, JARDINS"
    )


@pytest.mark.parametrize("commande", ["resultat", "bilan"])
@pytest.mark.parametrize("date", ["31/02/2025", "2025-13-01", "demain"])
def test_date_d_arrete_invalide(communs: Callable[..., Any], commande: str, date: str) -> None:
    result = communs(commande, "-f", str(EXEMPLE), "--au", date)
    assert result.exit_code == 2
    assert _message(result) == (
        f"Erreur : --au « {date} » : date attendue au format AAAA-MM-JJ ou JJ/MM/AAAA"
    )


def test_date_d_arrete_hors_de_l_exercice(communs: Callable[..., Any]) -> None:
    for commande in ("resultat", "bilan"):
        result = communs(commande, "-f", str(EXEMPLE), "--exercice", "2025", "--au", "2026-01-15")
        assert result.exit_code == 1, commande
        assert "hors de l'exercice 2025" in _message(result), commande


@contextlib.contextmanager
def dossier_en_lecture_seule(folder: Path) -> Iterator[Path]:
    """A folder nobody may create files in: ``chmod 555``, and when that is not enough
    (root), the immutable attribute (``chattr +i``). Skips if neither works here."""
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False

    def writable() -> bool:
        probe = folder / ".sonde"
        try:
            probe.write_bytes(b"")
        except OSError:
            return False
        probe.unlink()
        return True

    try:
        if writable() and shutil.which("chattr"):
            done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
            immutable = done.returncode == 0
        if writable():
            pytest.skip("impossible de rendre un dossier non inscriptible ici")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(0o755)


def test_sortie_non_inscriptible(communs: Callable[..., Any], tmp_path: Path) -> None:
    with dossier_en_lecture_seule(tmp_path / "protege") as folder:
        sortie = folder / "resultat.json"
        result = communs(
            "resultat", "-f", str(EXEMPLE), "--format", "json", "--sortie", str(sortie)
        )
        assert result.exit_code == 1
        assert _message(result).startswith(f"Erreur : impossible d'écrire {sortie} : ")
        assert os.listdir(folder) == []  # nothing written, no temporary file left


def test_grand_livre_en_erreur(communs: Callable[..., Any], ledger_dir: Path) -> None:
    write_ledger(
        ledger_dir,
        """\
        2024-01-01 open Actif:51-Banques:512-Banques:Compte-courant
        2024-01-01 open Charges:60-Achats:6000-Divers

        2024-03-01 * "Achat"
          Charges:60-Achats:6000-Divers  10.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant  -10.00 EUR
        """,
        config='association:\n  nom: "Erreurs"\n',
    )
    for commande in ("resultat", "bilan"):
        result = communs(commande, "-f", "main.beancount")
        assert result.exit_code == 1
        text = _message(result)
        assert "le grand livre contient 1 erreur : corrigez-les avant de produire" in text
        assert re.search(r"main\.beancount:8: Compte Charges:60-Achats:6000-Divers : ", text)
        assert result.stdout == ""


def test_commande_installee_en_sous_processus(moteur: Source, tmp_path: Path) -> None:
    done = run_communs(
        "bilan", "-f", str(EXEMPLE), "--exercice", "2025", "--format", "json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    _assert_same_figures(json.loads(done.stdout), bilan(moteur, moteur.exercice("2025")))
    failed = run_communs("resultat", "-f", str(EXEMPLE), "--exercice", "2031", cwd=tmp_path)
    assert failed.returncode == 1
    assert "exercice « 2031 » inconnu" in one_line(failed.stderr)
    assert failed.stdout == ""


def test_resultat_arrete_sans_exercice_prend_celui_de_la_date(
    communs: Callable[..., Any], moteur: Source
) -> None:
    result = communs("resultat", "-f", str(EXEMPLE), "--au", "2025-03-31", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exercice"] == "2025"
    rapport = compte_de_resultat(moteur, moteur.exercice("2025"), au=datetime.date(2025, 3, 31))
    _assert_same_figures(data, rapport)


def test_bilan_arrete_avant_le_grand_livre(communs: Callable[..., Any]) -> None:
    result = communs("bilan", "-f", str(EXEMPLE), "--au", "2023-05-01", "--format", "json")
    assert result.exit_code == 1
    assert "aucune écriture dans l'exercice 2023" in _message(result)
