"""``communs init``: create a ready association repository."""

from __future__ import annotations

from pathlib import Path

import typer


def init(
    dossier: Path = typer.Argument(..., help="Dossier à créer (ou vide).", show_default=False),
    nom: str = typer.Option(..., "--nom", help="Nom de l'association.", show_default=False),
    debut_exercice: str = typer.Option(
        "01-01", "--debut-exercice", help="Jour et mois d'ouverture des exercices (JJ-MM)."
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Accepter un dossier non vide (aucun fichier existant n'est remplacé).",
    ),
    sans_git: bool = typer.Option(False, "--sans-git", help="Ne pas créer de dépôt Git."),
) -> None:
    """Crée le dépôt d'une association : grand livre, comptes de départ, configuration, Git."""
    from ..application.initialisation import initialise
    from ..config import ExerciceConfig
    from ..schemas import ErreurSchema
    from ..sources import display_path
    from .affichage import avertissement, info, succes
    from .echecs import Echec, MauvaisUsage

    if not nom.strip():
        raise MauvaisUsage("--nom ne doit pas être vide")
    try:
        ExerciceConfig(debut=debut_exercice)
    except ErreurSchema as exc:
        message = exc.problems[0][1].removeprefix("debut : ")
        raise MauvaisUsage(f"--debut-exercice « {debut_exercice} » : {message}") from None
    try:
        result = initialise(dossier, nom.strip(), debut_exercice, force=force, git=not sans_git)
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
    for line in etape_suivante(result.folder):
        info(line)


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
