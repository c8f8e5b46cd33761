"""``cli/sortie.py``: where a report goes (terminal, stdout, file), atomic writes,
refusals in French, and the shared Typer options."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from communs_ledger.cli.echecs import Echec, MauvaisUsage
from communs_ledger.cli.sortie import (
    ecraser_option,
    emettre,
    format_effectif,
    format_option,
    sortie_option,
)
from communs_ledger.rendu import Format, extension, format_of_path, mime, render
from test_rendu_exemples import compte_de_resultat

NNBSP = "\u202f"


def _sans_retours(text: str) -> str:
    """rich wraps messages at 80 columns when stderr is not a terminal."""
    return " ".join(text.split())


def _fichiers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize("format", [Format.csv, Format.json, Format.html])
def test_formats_texte_sur_la_sortie_standard(format, capsysbinary):
    emettre(compte_de_resultat(), format, None)
    out = capsysbinary.readouterr().out
    assert out == render(compte_de_resultat(), format)
    if format is Format.json:
        assert json.loads(out)["totaux"]["resultat"] == "3722.06"


def test_table_sur_le_terminal(capsys):
    emettre(compte_de_resultat(), Format.table, None)
    out = capsys.readouterr().out
    assert f"3{NNBSP}722,06" in out
    assert "Résultat de l'exercice" in out


def test_xlsx_sans_fichier_est_un_mauvais_usage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MauvaisUsage) as failure:
        emettre(compte_de_resultat(), Format.xlsx, None)
    assert failure.value.code == 2
    assert failure.value.message == (
        "le format xlsx s'écrit dans un fichier : ajoutez --sortie FICHIER.xlsx"
    )
    assert _fichiers(tmp_path) == []


def test_ecrit_un_classeur(tmp_path, capsys):
    target = tmp_path / "cr.xlsx"
    emettre(compte_de_resultat(), Format.xlsx, target)
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Compte de résultat", "Totaux"]
    assert f"Rapport écrit dans {target}" in _sans_retours(capsys.readouterr().err)
    assert _fichiers(tmp_path) == ["cr.xlsx"]


def test_refuse_d_ecraser_sans_option(tmp_path):
    target = tmp_path / "cr.json"
    original = b"contenu de l'utilisateur\n"
    target.write_bytes(original)
    with pytest.raises(Echec) as failure:
        emettre(compte_de_resultat(), Format.json, target)
    assert failure.value.code == 1
    assert failure.value.message == (
        f"le fichier {target} existe déjà : ajoutez --ecraser pour le remplacer"
    )
    assert target.read_bytes() == original
    assert _fichiers(tmp_path) == ["cr.json"]


def test_ecrase_avec_option(tmp_path):
    target = tmp_path / "cr.json"
    target.write_bytes(b"ancien")
    emettre(compte_de_resultat(), Format.json, target, ecraser=True)
    assert json.loads(target.read_bytes())["totaux"]["resultat"] == "3722.06"
    assert _fichiers(tmp_path) == ["cr.json"]


def test_table_dans_un_fichier_sans_couleur(tmp_path):
    target = tmp_path / "cr.txt"
    emettre(compte_de_resultat(), Format.table, target)
    text = target.read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert f"3{NNBSP}722,06" in text


def test_format_deduit_de_l_extension(tmp_path):
    assert format_effectif(None, None) is Format.table
    assert format_effectif(None, Path("bilan.XLSX")) is Format.xlsx
    assert format_effectif(None, Path("bilan.htm")) is Format.html
    assert format_effectif(None, Path("bilan.pdf")) is Format.table
    assert format_effectif(Format.csv, Path("bilan.json")) is Format.csv
    target = tmp_path / "cr.csv"
    emettre(compte_de_resultat(), None, target)
    assert target.read_bytes() == render(compte_de_resultat(), Format.csv)


def test_extension_differente_du_format_signalee(tmp_path, capsys):
    target = tmp_path / "cr.xlsx"
    emettre(compte_de_resultat(), Format.csv, target)
    err = _sans_retours(capsys.readouterr().err)
    assert f"Attention : {target} porte l'extension .xlsx mais le format écrit est csv" in err
    assert target.read_bytes() == render(compte_de_resultat(), Format.csv)


def test_dossier_absent(tmp_path):
    target = tmp_path / "absent" / "cr.json"
    with pytest.raises(Echec) as failure:
        emettre(compte_de_resultat(), Format.json, target)
    assert failure.value.message == (
        f"impossible d'écrire {target} : le dossier {target.parent} n'existe pas"
    )
    assert _fichiers(tmp_path) == []  # the folder was not created


def test_la_cible_est_un_dossier(tmp_path):
    with pytest.raises(Echec, match="c'est un dossier"):
        emettre(compte_de_resultat(), Format.json, tmp_path, ecraser=True)


@pytest.fixture
def dossier_en_lecture_seule():
    """A folder the writing process cannot write to, under a folder that user
    ``nobody`` can traverse (pytest's tmp_path is private to root)."""
    base = Path(tempfile.mkdtemp(prefix="communs-rendu-"))
    base.chmod(0o755)
    folder = base / "lecture-seule"
    folder.mkdir()
    (folder / "existant.json").write_bytes(b"original")
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(base)


def test_chemin_inaccessible(dossier_en_lecture_seule):
    """A folder that cannot even be looked into: French message, no traceback."""
    if os.geteuid() != 0:
        pytest.skip("needs root to write as another user")
    secret = dossier_en_lecture_seule.parent / "prive"
    secret.mkdir(mode=0o700)
    code, message = _ecrire_sans_droits(secret / "x" / "r.json", Format.json, ecraser=False)
    assert (code, message) == (
        1,
        f"impossible d'écrire {secret / 'x' / 'r.json'} : permission refusée",
    )


def _ecrire_sans_droits(target: Path, format: Format, ecraser: bool) -> tuple[int, str]:
    """Run ``emettre`` in a forked child; as root (CI) permission bits do not apply, so
    the child first becomes user ``nobody`` (uid 65534). Returns (exit code, message)."""
    rapport = compte_de_resultat()
    render(rapport, format)  # import every renderer before dropping privileges
    import communs_ledger.cli.affichage
    import communs_ledger.ecriture  # noqa: F401

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        code, message = 99, "rien"
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            emettre(rapport, format, target, ecraser=ecraser)
            code, message = 0, "écrit"
        except Echec as failure:
            code, message = failure.code, failure.message
        except BaseException as exc:
            message = repr(exc)
        finally:
            os.write(write, message.encode("utf-8"))
            os.close(write)
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        message = pipe.read().decode("utf-8")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), message


@pytest.mark.parametrize("format", [Format.json, Format.xlsx])
def test_dossier_sans_droit_d_ecriture(dossier_en_lecture_seule, format):
    target = dossier_en_lecture_seule / f"rapport.{format}"
    code, message = _ecrire_sans_droits(target, format, ecraser=False)
    assert (code, message) == (1, f"impossible d'écrire {target} : permission refusée")
    assert _fichiers(dossier_en_lecture_seule) == ["existant.json"]  # no temporary file left


def test_remplacement_sans_droit_d_ecriture(dossier_en_lecture_seule):
    target = dossier_en_lecture_seule / "existant.json"
    code, message = _ecrire_sans_droits(target, Format.json, ecraser=True)
    assert (code, message) == (1, f"impossible d'écrire {target} : permission refusée")
    assert target.read_bytes() == b"original"
    assert _fichiers(dossier_en_lecture_seule) == ["existant.json"]


def test_extensions_et_types():
    assert [extension(f) for f in Format] == [".txt", ".csv", ".json", ".xlsx", ".html"]
    assert format_of_path(".HTML") is Format.html
    assert format_of_path(".ods") is None
    assert mime(Format.json) == "application/json"
    assert mime(Format.xlsx).endswith("spreadsheetml.sheet")


# Commands as the report commands declare them (annotated or not).
app = typer.Typer()
app_sans_annotation = typer.Typer()


@app.command()
def rapport(
    format: Format | None = format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    emettre(compte_de_resultat(), format, sortie, ecraser)


@app_sans_annotation.command()
def rapport_sans_annotation(
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    emettre(compte_de_resultat(), format, sortie, ecraser)


@pytest.mark.parametrize("commande", [app, app_sans_annotation])
def test_options_de_la_commande(commande, tmp_path):
    runner = CliRunner()
    target = tmp_path / "cr.xlsx"
    result = runner.invoke(commande, ["--sortie", str(target)])
    assert result.exit_code == 0, result.output
    assert load_workbook(io.BytesIO(target.read_bytes())).sheetnames[-1] == "Totaux"
    result = runner.invoke(commande, ["--format", "JSON"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rapport"] == "compte_de_resultat"
    result = runner.invoke(commande, ["--format", "csv", "--sortie", str(target)])
    assert result.exit_code == 1
    assert "ajoutez --ecraser" in result.output
    result = runner.invoke(commande, ["--format", "csv", "--sortie", str(target), "--ecraser"])
    assert result.exit_code == 0
    assert target.read_bytes().startswith(b"partie,id,code,libelle,niveau,style,n,n1\r\n")
    result = runner.invoke(commande, ["--format", "xlsx"])
    assert result.exit_code == 2 and "--sortie" in result.output
    result = runner.invoke(commande, ["--format", "pdf"])
    assert result.exit_code == 2
    assert "« pdf » n'est pas un format connu" in " ".join(result.output.split())


def test_aide_en_francais():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "--format" in result.output and "table|csv|json|xlsx|html" in result.output
    assert "--sortie" in result.output and "FICHIER" in result.output
    assert "--ecraser" in result.output
    assert "Remplace le fichier de --sortie s'il existe déjà." in result.output


def test_tiret_pour_la_sortie_standard(capsysbinary):
    emettre(compte_de_resultat(), Format.xlsx, Path("-"))
    out = capsysbinary.readouterr().out
    assert load_workbook(io.BytesIO(out)).sheetnames == ["Compte de résultat", "Totaux"]
    emettre(compte_de_resultat(), None, Path("-"))
    out = capsysbinary.readouterr().out
    assert out == render(compte_de_resultat(), Format.table)
    assert b"\x1b[" not in out
