"""Writing into the ledger: the one « append and re-check » service of every writing command.

A write changes one or more files (:class:`Changement`: Beancount text appended to a
file, or a file's whole new content), then checks the ledger again with Beancount's
own loader, and keeps the change only if no error appeared:

1. the association folder is locked (:func:`~communs_ledger.acces_exclusif.acces_exclusif`;
   a no-op when the command already holds its lock);
2. the files' original bytes go to the folder's journal
   (:func:`~communs_ledger.acces_exclusif.transaction`): a process killed from then on
   leaves a journal that the next command uses to put them back;
3. each file is written atomically (:func:`remplacer`: sibling temporary file, synced,
   renamed over the target, same permissions): a crash leaves it either unchanged or
   fully written, never truncated;
4. the whole ledger is loaded again (Beancount's cache dropped when a file was created:
   a cache made while an included file was missing would be taken as up to date); with
   ``dans_le_livre=False`` (a file not yet included) each written file is parsed alone;
5. errors that were not in ``erreurs_avant`` are new: the files are put back exactly,
   byte for byte (or deleted when they did not exist), and the result lists the new
   errors (``file:line: message``). An exception (a loader crash…) puts them back too.

The result (:class:`ResultatEcriture`) says what was written where, the new errors,
the ledger reloaded after a kept write, or the write that failed (its files already
put back).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .acces_exclusif import acces_exclusif, transaction
from .chargement import Diagnostic, Livre, forget_cache, load_livre, to_diagnostic
from .ecriture import refuser_lecture_seule, write_new

_NON_BEANCOUNT = (".yaml", ".yml", ".json", ".csv")

# The name dates from the bank import, the first command that appended to the ledger;
# kept, so that a temporary file left by an older version is cleaned up as well.
_TEMPORAIRE = ".{name}.import-{pid}.tmp"


@dataclass(frozen=True, slots=True)
class Changement:
    """One file to change: ``texte`` appended to it, or (``remplacer``) its whole new
    content (the file is created if it does not exist)."""

    fichier: Path
    texte: str
    remplacer: bool = False


@dataclass(frozen=True, slots=True)
class EcritureEchouee:
    """A file that could not be written (the files of the write are put back)."""

    fichier: Path
    erreur: OSError


@dataclass(frozen=True, slots=True)
class ResultatEcriture:
    """What a write did: ``fichiers`` changed (kept only when :attr:`ok`)."""

    fichiers: tuple[Path, ...]
    nouvelles_erreurs: tuple[Diagnostic, ...] = ()
    livre: Livre | None = None
    """The ledger loaded after a kept write (``None`` when the files were parsed alone)."""
    echec: EcritureEchouee | None = None

    @property
    def ok(self) -> bool:
        return not self.nouvelles_erreurs and self.echec is None


class RestaurationImpossible(OSError):
    """The files of a refused write could not be put back (the journal stays in place,
    for the next command to retry). Same ``errno`` and text as the cause."""

    def __init__(self, cause: OSError, nouvelles_erreurs: Sequence[Diagnostic]) -> None:
        super().__init__(*cause.args)
        self.cause = cause
        self.nouvelles_erreurs = tuple(nouvelles_erreurs)


def fichiers_du_livre(livre: Livre) -> list[Path]:
    """The files an append may target: the main file and the Beancount files it includes
    (not the YAML files Beancount watches)."""
    return [
        Path(name).resolve()
        for name in livre.options.get("include") or ()
        if Path(name).suffix.lower() not in _NON_BEANCOUNT
    ]


def temporaire(cible: Path) -> Path:
    """The sibling temporary file of a write of ``cible`` by this process."""
    return cible.with_name(_TEMPORAIRE.format(name=cible.name, pid=os.getpid()))


def remplacer(cible: Path, contenu: bytes) -> None:
    """Replace ``cible`` by ``contenu`` atomically (same permissions; 0o644 when new); a
    read-only ``cible`` is refused (``PermissionError``), not replaced."""
    refuser_lecture_seule(cible)
    mode = stat.S_IMODE(cible.stat().st_mode) if cible.exists() else 0o644
    temp = temporaire(cible)
    temp.unlink(missing_ok=True)
    write_new(temp, contenu, mode=mode)  # written, synced and re-read
    try:
        os.replace(temp, cible)
    finally:
        temp.unlink(missing_ok=True)
    if cible.read_bytes() != contenu:
        raise OSError(f"le contenu relu de {cible} diffère de celui écrit")


def _nettoyer_temporaires(cible: Path) -> None:
    """Temporary files left by an interrupted write of this target."""
    for stale in cible.parent.glob(f".{cible.name}.import-*.tmp"):
        stale.unlink(missing_ok=True)


def contenu_apres(changement: Changement) -> bytes:
    """The bytes of the file once changed: an append starts on a line of its own, after
    an empty line."""
    texte = changement.texte.encode("utf-8")
    if changement.remplacer:
        return texte
    original = changement.fichier.read_bytes()
    separateur = b"" if not original or original.endswith(b"\n") else b"\n"
    return original + separateur + b"\n" + texte


def _appliquer(changements: Sequence[Changement]) -> EcritureEchouee | None:
    for changement in changements:
        try:
            _nettoyer_temporaires(changement.fichier)
            remplacer(changement.fichier, contenu_apres(changement))
        except OSError as exc:
            return EcritureEchouee(changement.fichier, exc)
    return None


def _erreurs_des_fichiers(fichiers: Iterable[Path]) -> list[Diagnostic]:
    """Syntax errors of files parsed alone (not included in the ledger)."""
    from beancount.parser import parser

    found: list[Diagnostic] = []
    for fichier in fichiers:
        _entries, errors, _options = parser.parse_file(str(fichier))
        found.extend(to_diagnostic(error) for error in errors)
    return found


def ecrire_et_verifier(
    ledger: Path,
    changements: Sequence[Changement],
    erreurs_avant: Iterable[Diagnostic] = (),
    *,
    dossier: Path | None = None,
    dans_le_livre: bool = True,
) -> ResultatEcriture:
    """Apply ``changements``, check the ledger again, keep them only if no error is new
    (see the module docstring). ``dossier``: the association folder (default: the
    ledger's), locked for the whole write."""
    dossier = dossier or ledger.parent
    fichiers = tuple(changement.fichier for changement in changements)
    crees = [fichier for fichier in fichiers if not fichier.exists()]
    with acces_exclusif(dossier), transaction(dossier, fichiers) as annuler:
        echec = _appliquer(changements)
        if echec is not None:
            annuler()
            return ResultatEcriture(fichiers, echec=echec)
        livre: Livre | None = None
        if dans_le_livre:
            if crees:
                forget_cache(ledger)
            livre = load_livre(ledger)  # an exception puts the files back (transaction)
            erreurs = livre.diagnostics
        else:
            erreurs = _erreurs_des_fichiers(fichiers)
        avant = set(erreurs_avant)
        nouvelles = tuple(d for d in erreurs if d not in avant)
        if nouvelles:
            try:
                annuler()
            except OSError as exc:
                raise RestaurationImpossible(exc, nouvelles) from exc
            return ResultatEcriture(fichiers, nouvelles)
        return ResultatEcriture(fichiers, livre=livre)


def ajouter(livre: Livre, cible: Path, texte: str) -> ResultatEcriture:
    """Append ``texte`` to ``cible``, a file of the loaded ``livre``; keep it only if the
    ledger has no error it did not have before."""
    return ecrire_et_verifier(livre.path, [Changement(cible, texte)], livre.diagnostics)


__all__ = [
    "Changement",
    "EcritureEchouee",
    "RestaurationImpossible",
    "ResultatEcriture",
    "ajouter",
    "contenu_apres",
    "ecrire_et_verifier",
    "fichiers_du_livre",
    "remplacer",
    "temporaire",
]
