"""One writing command at a time in an association folder, and writes that can be undone
after a crash.

The lock
    A command that writes into the association folder holds an exclusive
    ``flock`` on ``.communs.lock`` in that folder from before it loads the ledger
    until it has written and re-checked. Another writing command waits for it
    (saying so), then refuses after :data:`ATTENTE_PAR_DEFAUT` seconds
    (``$COMMUNS_ATTENTE_VERROU`` changes the delay). The kernel releases the lock
    when the process ends, however it ends: a killed command never leaves the
    folder locked (only, at worst, an empty ``.communs.lock``, ignored by Git).
    The lock file is deleted when the command ends. The lock is re-entrant within
    a thread; two threads of one process exclude each other as two processes do
    (``communs fava --ecriture`` serves its requests in threads).

The journal
    Before changing files that it will re-check (append an import, write a closing
    lock…), a command records their original bytes in ``.communs-journal``
    (written atomically, synced), then changes them. The journal is deleted once
    the change is kept or undone. A journal found later means that a command was
    killed in between (SIGKILL, power cut): the next command — writing or
    reading — takes the lock, puts the files back exactly as they were and says so.
    A change that was re-checked but whose journal was not yet deleted is undone
    too: its command had not reported success.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .ecriture import write_file

NOM_VERROU = ".communs.lock"
NOM_JOURNAL = ".communs-journal"
ATTENTE_ENV = "COMMUNS_ATTENTE_VERROU"
ATTENTE_PAR_DEFAUT = 120.0
MESSAGE_ATTENTE = "Une autre commande communs écrit dans ce dossier, attente…"
_INTERVALLE = 0.1


class DossierOccupe(Exception):
    """Another process kept the folder locked longer than the allowed wait."""

    def __init__(self, dossier: Path, attente: float) -> None:
        super().__init__(str(dossier))
        self.dossier = dossier
        self.attente = attente


class JournalIllisible(Exception):
    """The journal exists but cannot be read (it is left in place)."""


@dataclass
class _Verrou:
    descripteur: int
    profondeur: int = 1
    transaction: bool = False


_tenus: dict[tuple[Path, int], _Verrou] = {}
"""The locks held, by folder and thread."""


def _cle(dossier: Path) -> tuple[Path, int]:
    return dossier, threading.get_ident()


def attente_maximale() -> float:
    """Seconds to wait for another command: ``$COMMUNS_ATTENTE_VERROU`` or the default."""
    try:
        return max(0.0, float(os.environ.get(ATTENTE_ENV) or ATTENTE_PAR_DEFAUT))
    except ValueError:
        return ATTENTE_PAR_DEFAUT


def _prendre(dossier: Path, annoncer: Callable[[str], None] | None, attente: float) -> int:
    """The descriptor of the locked file. The holder deletes the file before releasing it,
    so a lock obtained on a file no longer at its path is dropped and taken again."""
    path = dossier / NOM_VERROU
    limite = time.monotonic() + attente
    annonce = False
    while True:
        descripteur = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descripteur, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descripteur)
            if time.monotonic() >= limite:
                raise DossierOccupe(dossier, attente) from None
            if not annonce and annoncer is not None:
                annoncer(MESSAGE_ATTENTE)
            annonce = True
            time.sleep(_INTERVALLE)
            continue
        except BaseException:
            os.close(descripteur)
            raise
        if _meme_fichier(descripteur, path):
            return descripteur
        os.close(descripteur)  # deleted by the previous holder meanwhile: lock the new one


def _meme_fichier(descripteur: int, path: Path) -> bool:
    try:
        chemin = os.stat(path)
    except FileNotFoundError:
        return False
    ouvert = os.fstat(descripteur)
    return (ouvert.st_dev, ouvert.st_ino) == (chemin.st_dev, chemin.st_ino)


def _rendre(dossier: Path, descripteur: int) -> None:
    """Delete the lock file (nothing is left in the folder), then release it."""
    try:
        (dossier / NOM_VERROU).unlink(missing_ok=True)
    finally:
        os.close(descripteur)  # releases the flock


@contextlib.contextmanager
def acces_exclusif(
    dossier: Path,
    annoncer: Callable[[str], None] | None = None,
    attente: float | None = None,
) -> Iterator[list[Path]]:
    """Hold the folder's lock; yield the files restored from an interrupted command's journal.

    Raises :class:`DossierOccupe` after ``attente`` seconds (default
    :func:`attente_maximale`), :class:`JournalIllisible` if a journal cannot be read.
    """
    dossier = dossier.resolve()
    cle = _cle(dossier)
    tenu = _tenus.get(cle)
    if tenu is not None:
        tenu.profondeur += 1
        try:
            yield []
        finally:
            tenu.profondeur -= 1
        return
    descripteur = _prendre(dossier, annoncer, attente_maximale() if attente is None else attente)
    _tenus[cle] = _Verrou(descripteur)
    try:
        yield restaurer(dossier)
    finally:
        del _tenus[cle]
        _rendre(dossier, descripteur)


def journal_present(dossier: Path) -> bool:
    """A command was interrupted in this folder (and this thread is not writing there)."""
    tenu = _tenus.get(_cle(dossier.resolve()))
    if tenu is not None and tenu.transaction:
        return False
    return (dossier / NOM_JOURNAL).exists()


def _chemin_enregistre(dossier: Path, path: Path) -> str:
    try:
        return str(path.relative_to(dossier))
    except ValueError:
        return str(path)


def restaurer(dossier: Path) -> list[Path]:
    """Put back the files of the folder's journal, if any; return them. The lock must be held."""
    journal = dossier / NOM_JOURNAL
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        return []
    try:
        fichiers = json.loads(raw.decode("utf-8"))["fichiers"]
        originaux = [
            (
                dossier / fichier["chemin"],
                None if fichier["contenu"] is None else base64.b64decode(fichier["contenu"]),
            )
            for fichier in fichiers
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise JournalIllisible(str(journal)) from exc
    for path, contenu in originaux:
        if contenu is None:
            path.unlink(missing_ok=True)
        elif not path.exists() or path.read_bytes() != contenu:
            write_file(path, contenu, replace=True)
    _supprimer(journal)
    return [path for path, _contenu in originaux]


def _supprimer(journal: Path) -> None:
    journal.unlink(missing_ok=True)
    descripteur = os.open(journal.parent, os.O_RDONLY)
    try:
        os.fsync(descripteur)  # the deletion is durable before success is reported
    finally:
        os.close(descripteur)


@contextlib.contextmanager
def transaction(dossier: Path, fichiers: Sequence[Path]) -> Iterator[Callable[[], None]]:
    """Record ``fichiers`` (their bytes, or their absence) in the journal, then let the caller
    change them; yield ``annuler``, which puts them back now.

    On an exception the files are put back and the exception goes on; on a normal
    exit the changes are kept. Either way the journal is deleted last. The folder's
    lock must be held by this thread.
    """
    dossier = dossier.resolve()
    tenu = _tenus.get(_cle(dossier))
    if tenu is None:
        raise RuntimeError(f"{dossier} n'est pas verrouillé par ce processus")
    if tenu.transaction:
        raise RuntimeError("transactions imbriquées")
    enregistres = []
    for path in fichiers:
        contenu = path.read_bytes() if path.exists() else None
        enregistres.append(
            {
                "chemin": _chemin_enregistre(dossier, path.resolve()),
                "contenu": None if contenu is None else base64.b64encode(contenu).decode("ascii"),
            }
        )
    journal = dossier / NOM_JOURNAL
    write_file(
        journal,
        json.dumps({"pid": os.getpid(), "fichiers": enregistres}).encode("utf-8"),
        replace=True,
    )
    tenu.transaction = True

    def annuler() -> None:
        restaurer(dossier)

    try:
        yield annuler
    except BaseException:
        restaurer(dossier)
        raise
    else:
        _supprimer(journal)
    finally:
        tenu.transaction = False


__all__ = [
    "ATTENTE_ENV",
    "MESSAGE_ATTENTE",
    "NOM_JOURNAL",
    "NOM_VERROU",
    "DossierOccupe",
    "JournalIllisible",
    "acces_exclusif",
    "journal_present",
    "restaurer",
    "transaction",
]
