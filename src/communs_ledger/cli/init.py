"""``communs init``: create a ready association repository."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ..application.initialisation import InitResult
    from ..partage.modeles import Preparation


def init(
    dossier: Path = typer.Argument(..., help="Dossier à créer (ou vide).", show_default=False),
    nom: str = typer.Option(..., "--nom", help="Nom de l'association.", show_default=False),
    debut_exercice: str = typer.Option(
        "01-01", "--debut-exercice", help="Jour et mois d'ouverture des exercices (JJ-MM)."
    ),
    exercice: int | None = typer.Option(
        None,
        "--exercice",
        "-e",
        metavar="AAAA",
        help="Année d'ouverture du premier exercice (par défaut, l'exercice en cours "
        "aujourd'hui) : en décembre, --exercice de l'année suivante prépare la compta "
        "qui commence.",
        show_default=False,
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Accepter un dossier non vide (aucun fichier existant n'est remplacé).",
    ),
    sans_git: bool = typer.Option(False, "--sans-git", help="Ne pas créer de dépôt Git."),
    modele: str | None = typer.Option(
        None,
        "--modele",
        metavar="CHEMIN|URL",
        help="Part d'un modèle commun (dossier ou dépôt Git) : le vérifie, le copie dans "
        "modeles-communs/ et l'inscrit dans communs.yaml (comme communs modeles ajouter).",
        show_default=False,
    ),
) -> None:
    """Crée le dépôt d'une association : grand livre, comptes de départ, configuration, Git
    (et, avec --modele, les modèles communs du réseau)."""
    from ..config import ExerciceConfig
    from ..schemas import ErreurSchema
    from ..sources import display_path
    from .affichage import avertissement, info, succes
    from .echecs import MauvaisUsage

    if not nom.strip():
        raise MauvaisUsage("--nom ne doit pas être vide")
    try:
        config = ExerciceConfig(debut=debut_exercice)
    except ErreurSchema as exc:
        message = exc.problems[0][1].removeprefix("debut : ")
        raise MauvaisUsage(f"--debut-exercice « {debut_exercice} » : {message}") from None
    ouverture = _ouverture(exercice, config.month, config.day)
    with _modele_prepare(modele, dossier) as preparation:
        result = _initialiser(
            dossier, nom.strip(), debut_exercice, force, sans_git, preparation, ouverture
        )
    for name in result.created:
        info(f"  créé      {name}")
    for name in result.kept:
        info(f"  conservé  {name} (existant, non remplacé)")
    for warning in result.warnings:
        avertissement(warning)
    if result.git:
        info(f"  git       {result.git}")
    if not result.created:
        avertissement(
            f"aucun fichier créé dans {display_path(result.folder)} : tous existaient déjà "
            "et ont été conservés (le nom « " + nom.strip() + " » n'a pas été appliqué)"
        )
        return
    succes(
        f"Association « {nom.strip()} » créée dans {display_path(result.folder)} — "
        f"{result.exercice.libelle}, plan comptable {result.exercice.version}."
    )
    if preparation is not None:
        _modele_installe(result, preparation)
    for line in etape_suivante(result.folder):
        info(line)


@contextmanager
def _modele_prepare(source: str | None, dossier: Path) -> Iterator[Preparation | None]:
    """The pack ``source`` fetched and checked in a temporary folder (None: no pack)."""
    import tempfile
    from dataclasses import replace

    if source is None:
        yield None
        return
    from ..partage.modeles import ModeleInvalide, preparer_modele, source_inscrite
    from .echecs import Echec

    with tempfile.TemporaryDirectory(prefix="communs-modele-") as temporaire:
        try:  # fetched from the working folder (the new one may not exist yet)
            preparation = preparer_modele(source, Path.cwd(), Path(temporaire))
        except ModeleInvalide as exc:
            raise Echec(f"--modele : {exc.message}", exc.erreurs) from None
        inscrite = source_inscrite(source, dossier, Path.cwd())  # relative to the new one
        inscrit = replace(preparation.inscrit, source=inscrite)
        yield replace(preparation, inscrit=inscrit)


def _modele_installe(result: InitResult, preparation: Preparation) -> None:
    from ..partage.reglages import DOSSIER_MODELES
    from .affichage import avertissement, info

    nom = preparation.modele.nom
    if "communs.yaml" in result.kept:
        avertissement(
            f"modèle « {nom} » copié dans {DOSSIER_MODELES}/{nom}/ mais pas inscrit : "
            "communs.yaml existait déjà (conservé) ; inscrivez-le avec communs modeles "
            f"ajouter {DOSSIER_MODELES}/{nom}"
        )
        return
    info(f"Modèle commun « {nom} » (version {preparation.inscrit.version}) installé.")
    for budget in preparation.modele.manifeste.contenu.budgets:
        info(f"  Budget à partir du modèle : communs budget nouveau ANNÉE --modele {budget}")


def _ouverture(annee: int | None, mois: int, jour: int) -> datetime.date | None:
    """The opening day of the first exercice asked with ``--exercice`` (None: today's)."""
    from .echecs import MauvaisUsage

    if annee is None:
        return None
    if not 1900 <= annee <= 9998:
        raise MauvaisUsage(f"--exercice {annee} : année attendue entre 1900 et 9998")
    if (mois, jour) == (2, 29) and not calendar.isleap(annee):
        jour = 28
    return datetime.date(annee, mois, jour)


def _initialiser(
    dossier: Path,
    nom: str,
    debut_exercice: str,
    force: bool,
    sans_git: bool,
    preparation: Preparation | None,
    ouverture: datetime.date | None = None,
) -> InitResult:
    from ..application.initialisation import initialise
    from ..sources import display_path
    from .echecs import Echec

    try:
        return initialise(
            dossier,
            nom,
            debut_exercice,
            force=force,
            git=not sans_git,
            today=ouverture,
            modele=preparation,
        )
    except FileExistsError:
        raise Echec(
            f"le dossier {display_path(dossier)} n'est pas vide ; choisissez un dossier vide "
            "ou ajoutez --force (aucun fichier existant ne sera remplacé)"
        ) from None
    except NotADirectoryError:
        raise Echec(f"{display_path(dossier)} existe et n'est pas un dossier") from None
    except OSError as exc:  # permissions, a read-only or missing parent, /proc…
        from .sortie import cause_lisible

        raise Echec(
            f"écriture impossible dans {display_path(dossier)} : {cause_lisible(exc)}"
        ) from None


def _clone() -> Path | None:
    """The tool's clone when communs runs from one (an editable install), else None."""
    import communs_ledger

    root = Path(communs_ledger.__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").exists() and (root / ".git").exists() else None


def etape_suivante(dossier: Path) -> list[str]:
    """The « next step » lines: how to get ``communs`` on the PATH when it is not, the
    books outside the tool's clone, then the first command (same words as the guide)."""
    import shutil
    import sys

    from ..sources import display_path

    lines: list[str] = []
    clone = _clone()
    if clone is not None and dossier.resolve().is_relative_to(clone):
        lines.append(
            f"Attention : la comptabilité est dans le dossier de l'outil ({clone}) ; "
            "tenez-la hors du clone (ex. communs init ~/compta/ma-compta), pour que les "
            "mises à jour de l'outil ne la touchent pas."
        )
    if shutil.which("communs") is None:
        lines.append("La commande communs n'est pas dans le PATH de ce terminal ; au choix :")
        if clone is not None:
            lines.append(f"  pipx install {clone}    (une fois, pour tous les terminaux)")
        activate = Path(sys.executable).parent / "activate"
        if activate.exists():
            lines.append(f"  source {activate}    (dans chaque nouveau terminal)")
    lines.append(f"Étape suivante : cd {display_path(dossier)} && communs verifier")
    return lines
