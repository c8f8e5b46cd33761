"""Typer's English usage messages translated (``cli/francais.py``), as users see them."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.core

from communs_ledger.cli.francais import translate
from conftest import EXEMPLE


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (
            "Input should be a valid integer, unable to parse string as an integer",
            "nombre entier attendu",
        ),
        ("Input should be a valid decimal", "nombre attendu"),
        ("file '/tmp' is a directory.", "« /tmp » est un dossier : indiquez un fichier"),
        ("Directory 'a.txt' is a file.", "« a.txt » est un fichier : indiquez un dossier"),
        (
            "Invalid value for '--mois' / '-m': Input should be a valid integer, unable to "
            "parse string as an integer",
            "valeur invalide pour '--mois' / '-m' : nombre entier attendu",
        ),
        ("Something never seen", "Something never seen"),
    ],
)
def test_traductions(english: str, french: str) -> None:
    assert translate(english) == french


def test_mois_non_numerique(communs: Callable[..., Any]) -> None:
    result = communs("tresorerie", "-f", str(EXEMPLE), "--mois", "douze")
    assert result.exit_code == 2
    assert "valeur invalide pour '--mois' / '-m' : nombre entier attendu" in result.output
    assert "Input should" not in result.output


class Mode(enum.Enum):
    """The choices of a required option in :func:`test_option_obligatoire_a_choix`."""

    PREVU = "prevu"
    REALISE = "realise"


def test_option_obligatoire_a_choix() -> None:
    """A required option with choices, missing: its name and the values it takes."""
    from typer.testing import CliRunner

    from communs_ledger.cli.francais import TyperFrancais

    app = TyperFrancais()

    @app.command()
    def budget(mode: Mode = typer.Option(..., "--mode")) -> None:
        """Budget."""

    @app.command()
    def autre() -> None:
        """Another command, so that the application is a group."""

    result = CliRunner().invoke(app, ["budget"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    expected = "option obligatoire manquante : --mode (valeurs possibles : prevu, realise)"
    assert expected in result.output


def test_sortie_dossier(communs: Callable[..., Any], tmp_path: Path) -> None:
    result = communs("tresorerie", "-f", str(EXEMPLE), "--sortie", str(tmp_path))
    assert result.exit_code == 2
    assert f"« {tmp_path} » est un dossier : indiquez un fichier" in " ".join(result.output.split())


def test_sortie_dossier_absent(communs: Callable[..., Any], tmp_path: Path) -> None:
    """A --sortie ending with / names a folder even when it does not exist: refused, not
    written as a file of that name (Path drops the final /)."""
    absent = tmp_path / "exports"
    result = communs("resultat", "-f", str(EXEMPLE), "--format", "csv", "--sortie", f"{absent}/")
    assert result.exit_code == 2
    assert f"« {absent}/ » est un dossier : indiquez un fichier" in " ".join(result.output.split())
    assert not absent.exists()


def test_typer_interne() -> None:
    """What ``cli/francais.py`` takes from Typer without a public API: fails loudly if a
    new Typer moves Click's exception classes or the texts of its rich panels."""
    import inspect

    from typer import rich_utils

    from communs_ledger.cli.typer_interne import TEXTES_RICH, contexte_courant, typer_interne

    exceptions = typer_interne(rich=True)
    for name in ("NoSuchOption", "MissingParameter", "BadParameter", "NoArgsIsHelpError"):
        assert issubclass(getattr(exceptions, name), exceptions.UsageError), name
    source = inspect.getsource(rich_utils)  # defined by Typer, not only set by communs
    for name, french in TEXTES_RICH.items():
        assert re.search(rf"^{name}\b.* = ", source, re.M), name
        assert getattr(rich_utils, name) == french, name
    assert re.search(r"^def rich_format_error\(self", source, re.M)
    assert "rich_utils.rich_format_error(e)" in inspect.getsource(typer.core)
    assert contexte_courant() is None  # outside a command


@pytest.mark.parametrize(
    "commande",
    [
        ("init",),
        ("importer",),
        ("verifier",),
        ("saisir", "recette"),
        ("budget",),
        ("fec",),
        ("fava",),
        ("modeles", "retirer"),
    ],
)
def test_aide_sans_types_en_anglais(communs: Callable[..., Any], commande: tuple[str, ...]) -> None:
    """The help of a command names the kind of value an option takes in French
    (CHEMIN, TEXTE, ENTIER), not by Python's type (<path>, <str>, <int>); the usage
    line says COMMANDE, not COMMAND."""
    result = communs(*commande, "--help")
    assert result.exit_code == 0
    assert not re.search(r"<(path|str|int|float|text|integer)>", result.output), result.output
    assert "COMMAND " not in result.output


def test_aide_types_francais(communs: Callable[..., Any]) -> None:
    """An argument and options without a metavar of their own: the French kind of value."""
    result = communs("init", "--help")
    assert "CHEMIN" in result.output  # the argument dossier, a Path
    assert "TEXTE" in result.output  # --nom, a str
    assert re.search(r"dossier\s+<CHEMIN>", result.output)  # the argument keeps its name
    groupe = communs("budget", "--help")
    assert "COMMANDE [ARGS]..." in groupe.output


def test_liste_des_commandes_sans_coupure_au_milieu_des_phrases() -> None:
    """In « communs --help », a command's summary is one text wrapped to the width: the
    docstring's own line end after « plan comptable associatif, » is not kept."""
    from typer.testing import CliRunner

    from communs_ledger.cli.app import app

    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    verifier = next(line for line in result.output.splitlines() if "│ verifier " in line)
    assert "plan comptable associatif, et les fichiers déclarés dans communs.yaml" in verifier
