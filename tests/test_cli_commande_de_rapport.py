"""``cli/options.py`` ``commande_de_rapport``: the options every report command shares,
added after the command's own, and the report it returns shown or written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from communs_ledger.cli.options import commande_de_rapport
from communs_ledger.cli.sortie import Sortie
from communs_ledger.rapports.objets import Rapport
from communs_ledger.rendu import Format
from test_rendu_exemples import compte_de_resultat

recus: list[tuple[Path | None, Sortie]] = []

app = typer.Typer()


@app.command()
@commande_de_rapport
def rapport(
    rien: bool = typer.Option(False, "--rien", help="N'écrit aucun rapport."),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> Rapport | None:
    """Compte de résultat d'essai."""
    recus.append((ledger, sortie))
    return None if rien else compte_de_resultat()


sans_parametre = typer.Typer()


@sans_parametre.command()
@commande_de_rapport
def rapport_seul() -> Rapport:
    return compte_de_resultat()


def _options(aide: str) -> list[str]:
    return re.findall(r"(--[a-z]+)", aide)


def test_options_ajoutees_apres_celles_de_la_commande():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "Compte de résultat d'essai." in result.output
    options = list(dict.fromkeys(_options(result.output)))
    assert options[:5] == ["--rien", "--ledger", "--format", "--sortie", "--ecraser"]
    assert "-f" in result.output and "table|csv|json|xlsx|html" in result.output


def test_rapport_rendu_ecrit_dans_le_fichier(tmp_path):
    recus.clear()
    target = tmp_path / "cr.json"
    result = CliRunner().invoke(app, ["-f", "main.beancount", "--sortie", str(target)])
    assert result.exit_code == 0, result.output
    # 3 722,06 €: the hand-computed result of test_rendu_exemples.compte_de_resultat
    assert json.loads(target.read_text(encoding="utf-8"))["totaux"]["resultat"] == "3722.06"
    [(ledger, sortie)] = recus
    assert ledger == Path("main.beancount")
    assert sortie == Sortie(None, target, False)
    assert sortie.format_ecrit is Format.json  # from the extension


def test_ecraser_et_format_transmis(tmp_path):
    target = tmp_path / "cr.txt"
    target.write_text("à garder\n", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(app, ["--format", "csv", "--sortie", str(target)])
    assert refused.exit_code == 1
    assert "ajoutez --ecraser" in refused.output
    assert target.read_text(encoding="utf-8") == "à garder\n"
    recus.clear()
    result = runner.invoke(app, ["--format", "csv", "--sortie", str(target), "--ecraser"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"partie,id,code,libelle,niveau,style,n,n1\r\n")
    assert recus == [(None, Sortie(Format.csv, target, True))]


def test_rien_n_est_ecrit_quand_la_commande_ne_rend_rien(tmp_path):
    result = CliRunner().invoke(app, ["--rien", "--sortie", str(tmp_path / "cr.json")])
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []


def test_commande_sans_ledger_ni_sortie(tmp_path):
    target = tmp_path / "cr.csv"
    result = CliRunner().invoke(sans_parametre, ["-f", "main.beancount", "--sortie", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"partie,id,code,libelle,niveau,style,n,n1\r\n")
    stdout = CliRunner().invoke(sans_parametre, ["--sortie", "-", "--format", "json"])
    assert json.loads(stdout.stdout)["totaux"]["resultat"] == "3722.06"
