"""Writing a report where the user asked: terminal, standard output or a file.

Report commands get ``--format``, ``--sortie`` and ``--ecraser`` (with ``--ledger``) from
:func:`.options.commande_de_rapport`, which writes the report they return; a command
that writes more than one report receives a :class:`Sortie` and calls its ``emettre``.
Without ``--format``, the format follows the extension of ``--sortie``
(``bilan.xlsx`` → xlsx), else ``table``. The option factories below serve the commands
whose options are laid out otherwise (``fec``, ``export xlsx``, ``budget nouveau``).
"""

from __future__ import annotations

import errno
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..rendu import Format, format_of_path
from .echecs import Echec, MauvaisUsage

if TYPE_CHECKING:
    from ..rapports.objets import Rapport

FORMAT_HELP = (
    "Format : table (lisible, par défaut), csv, json, xlsx (tableur) ou html (page imprimable). "
    "Sans --format, celui de l'extension de --sortie."
)
SORTIE_HELP = (
    "Écrit le rapport dans FICHIER au lieu de l'afficher (obligatoire pour xlsx ; "
    "« - » : sortie standard)."
)
ECRASER_HELP = "Remplace le fichier de --sortie s'il existe déjà."

FORMATS = "|".join(Format)
XLSX_SANS_FICHIER = "le format xlsx s'écrit dans un fichier : ajoutez --sortie FICHIER.xlsx"


def format_option() -> Any:
    """``--format table|csv|json|xlsx|html`` (None when not given: see :func:`format_effectif`).

    The value is parsed here (case-insensitive), so the command parameter may be
    annotated ``Format | None`` or left unannotated; a wrong value is a usage error.
    """
    return typer.Option(
        None,
        "--format",
        help=FORMAT_HELP,
        metavar=FORMATS,
        parser=_parse_format,
        show_default=False,
    )


def _parse_format(value: str | Format) -> Format:
    if isinstance(value, Format):
        return value
    try:
        return Format(value.strip().lower())
    except ValueError:
        raise typer.BadParameter(
            f"« {value} » n'est pas un format connu ; formats possibles : {FORMATS}"
        ) from None


def _fichier_de_sortie(value: str) -> Path:
    """``--sortie``'s file: a folder (an existing one, or a path ending with /, which
    Path would read as a file of that name) is refused."""
    import os

    if value != "-" and (value.endswith(("/", os.sep)) or Path(value).is_dir()):
        raise typer.BadParameter(f"« {value} » est un dossier : indiquez un fichier")
    return Path(value)


def sortie_option() -> Any:
    """``--sortie FICHIER``."""
    return typer.Option(
        None,
        "--sortie",
        help=SORTIE_HELP,
        metavar="FICHIER",
        show_default=False,
        parser=_fichier_de_sortie,
    )


def ecraser_option() -> Any:
    """``--ecraser``."""
    return typer.Option(False, "--ecraser", help=ECRASER_HELP)


def format_effectif(format: Format | str | None, sortie: Path | None) -> Format:
    """The format asked, else the one of the output file's extension, else ``table``."""
    if format is not None:
        return _parse_format(format)
    if sortie is not None:
        return format_of_path(Path(sortie).suffix) or Format.table
    return Format.table


def emettre(
    rapport: Rapport, format: Format | str | None, sortie: Path | None, ecraser: bool = False
) -> None:
    """Show or write ``rapport``.

    Without ``sortie``: ``table`` on the terminal (colours if it is one), csv, json
    and html on standard output, xlsx refused (:class:`MauvaisUsage`, exit 2).
    ``sortie`` ``-`` is standard output, for every format (plain text for table).
    With a file: atomic write; an existing file is replaced only with
    ``ecraser``; any failure is an :class:`Echec` naming the file, and leaves no
    partial or temporary file behind.
    """
    from ..rendu import render

    if sortie is not None and str(sortie) == "-":  # explicit standard output, even for xlsx
        vers_la_sortie_standard(render(rapport, format_effectif(format, None)))
        return
    chosen = format_effectif(format, sortie)
    if sortie is None:
        if chosen is Format.xlsx:
            raise MauvaisUsage(XLSX_SANS_FICHIER)
        if chosen is Format.table:
            from ..rendu.en_terminal import afficher
            from .affichage import sortie as console

            afficher(rapport, console())
            return
        vers_la_sortie_standard(render(rapport, chosen))
        return

    path = Path(sortie)
    verifier_cible(path, ecraser)
    _warn_extension(path, chosen)
    data = render(rapport, chosen)  # table: plain text, no colour codes
    write(path, data, ecraser)
    from .affichage import succes

    succes(f"Rapport écrit dans {path}")


@dataclass(frozen=True)
class Sortie:
    """What the user asked with ``--format``, ``--sortie`` and ``--ecraser``."""

    format: Format | None
    fichier: Path | None
    ecraser: bool = False

    def emettre(self, rapport: Rapport) -> None:
        """Show or write ``rapport`` as asked (:func:`emettre`)."""
        emettre(rapport, self.format, self.fichier, self.ecraser)

    @property
    def format_ecrit(self) -> Format:
        """The format the report will be written in (« - » has no extension)."""
        fichier = None if self.fichier is None or str(self.fichier) == "-" else self.fichier
        return format_effectif(self.format, fichier)


def write(path: Path, data: bytes, ecraser: bool) -> None:
    """Atomic write of ``data`` to ``path``; French :class:`Echec` on any failure."""
    from ..ecriture import FichierExistant, write_file

    try:
        write_file(path, data, replace=ecraser)
    except FichierExistant:
        raise Echec(_existe_deja(path)) from None
    except OSError as exc:
        raise Echec(f"impossible d'écrire {path} : {cause_lisible(exc)}") from None


def _existe_deja(path: Path) -> str:
    return f"le fichier {path} existe déjà : ajoutez --ecraser pour le remplacer"


def cible_dossier_ou_fichier(sortie: str | None, nom: str) -> Path:
    """Where to write: the standard name ``nom`` in the folder given (or the current one),
    or the file given (a path ending with / names a folder, which must exist)."""
    import os

    if sortie is None:
        return Path(nom)
    path = Path(sortie)
    if path.is_dir():
        return path / nom
    if sortie.endswith(("/", os.sep)):
        raise Echec(f"impossible d'écrire dans {sortie} : ce dossier n'existe pas")
    return path


def verifier_cible(path: Path, ecraser: bool, nom: Path | str | None = None) -> None:
    """Refuse early what the write would refuse (no folder created for a mistyped path);
    the messages name the file ``nom`` (by default ``path``)."""
    try:
        _check_paths(path, ecraser, path if nom is None else nom)
    except OSError as exc:  # e.g. a folder of the path that cannot be looked into
        raise Echec(f"impossible d'écrire {nom or path} : {cause_lisible(exc)}") from None


def _check_paths(path: Path, ecraser: bool, nom: Path | str) -> None:
    folder = path.parent
    if path.is_dir():
        raise Echec(f"impossible d'écrire {nom} : c'est un dossier, indiquez un nom de fichier")
    if not folder.exists():
        raise Echec(f"impossible d'écrire {nom} : le dossier {folder} n'existe pas")
    if not folder.is_dir():
        raise Echec(f"impossible d'écrire {nom} : {folder} n'est pas un dossier")
    if path.exists() and not ecraser:
        raise Echec(_existe_deja(path))


def _warn_extension(path: Path, chosen: Format) -> None:
    named = format_of_path(path.suffix)
    if named is not None and named is not chosen:
        from .affichage import avertissement

        avertissement(f"{path} porte l'extension {path.suffix} mais le format écrit est {chosen}")


_CAUSES = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "le disque est en lecture seule",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota de disque dépassé",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ENOENT: "dossier introuvable",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
}


def cause_lisible(exc: OSError) -> str:
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return exc.strerror or str(exc)


def vers_la_sortie_standard(data: bytes) -> None:
    stream = sys.stdout
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode("utf-8"))
        stream.flush()
