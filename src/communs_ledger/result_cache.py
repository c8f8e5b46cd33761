"""Results of commands kept on disk, reused while nothing they were derived from changed.

A report command derives its result (a report object, the diagnostics of
``communs verifier``) from the ledger and the association's side files only: a
second run on the same files, with the same options, on the same day, gives the
same result. This cache keeps that result (:mod:`communs_ledger.disk_cache`,
sub-folder ``rapports``) so that the second run needs no load of the ledger at
all — not even an import of Beancount.

An entry is found by its *request* (:func:`request`): the ledger's absolute path,
the command and its options, today's date, the current folder (messages name files
relative to it), the ``COMMUNS_*`` variables and ``SOURCE_DATE_EPOCH``, and the
fingerprint of the code (:func:`communs_ledger.cache.code_fingerprint`). It holds
the result with what it was derived from, checked on every use:

- the :class:`~communs_ledger.cache.Manifest` of the load: the *content* of the
  ledger, of every file it includes (even outside its folder) and of the side files
  the checks read, every ``include`` pattern with the files it matched, the listing
  of the ``documents`` folders;
- the content of every text file of the ledger's folder (:func:`folder_digest`),
  hidden ones included (``communs.yaml`` may name ``.prive/adherents.yaml``): the side
  files a command reads without the load listing them (budgets, forecasts,
  conventions, registers). Left out: what no cached command reads and that changes on
  its own (version control folders, Beancount's pickle caches, the folder's lock).

A result is not kept when a file of its load outside the folder was written since the
command began (:func:`_ecrit_depuis`): the load may have read it before that write.
A hit is a result whose manifest is current and whose folder is unchanged; anything
else is a miss, and the command computes the result (and overwrites the entry).
What is stored is opaque here: the kernel knows no feature.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from . import disk_cache
from .cache import Manifest, code_fingerprint, current, file_digest

KIND = "rapports"
"""Sub-folder of the user's cache folder."""
KEEP = 200
"""Entries kept (the most recently written): a few per command and ledger."""

TEXT_SUFFIXES = frozenset(
    {
        ".beancount",
        ".bean",
        ".yaml",
        ".yml",
        ".csv",
        ".tsv",
        ".json",
        ".md",
        ".toml",
        ".txt",
        ".ini",
        ".cfg",
        ".ofx",
        ".qif",
        ".xml",
    }
)
"""Files whose content is digested; of the others, only name, size and time count."""
MAX_FILES = 5_000
MAX_BYTES = 256 * 1024 * 1024
"""Beyond these, the folder is not the folder of one association (say a home folder
holding a ledger): no cache rather than reading it all on every command."""

MARGE_NS = 2_000_000_000
"""Files' times are coarse (up to 2 s on a FAT key): a file outside the folder written
this long before a command began may have been written during it."""

_IGNORED_ENV = frozenset({disk_cache.FOLDER_ENV, disk_cache.DISABLE_ENV})
_SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "__pycache__"})
"""Folders no cached command reads (their commands, reading Git, are not cached)."""
_SKIPPED_SUFFIX = ".picklecache"
"""Beancount's cache of a load, rewritten by the load itself (its content is the load's)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    manifest: Manifest
    folder: str
    value: object


def today() -> datetime.date:
    """The day a command runs (part of every request: ``--au`` defaults, deadlines)."""
    return datetime.date.today()


def request(
    ledger: Path,
    command: str,
    parameters: Mapping[str, object],
    jour: datetime.date | None = None,
) -> str:
    """The key of a command's result: equal keys, same inputs besides the files' content.

    ``parameters`` are the options that change the result (their ``repr`` is used);
    ``jour``: the day the command began (:attr:`Dossier.jour`; by default today)."""
    variables = sorted(
        (name, value)
        for name, value in os.environ.items()
        if (name.startswith("COMMUNS_") and name not in _IGNORED_ENV) or name == "SOURCE_DATE_EPOCH"
    )
    text = repr(
        (
            os.path.normpath(os.path.abspath(ledger)),
            command,
            sorted((name, repr(value)) for name, value in parameters.items()),
            (jour or today()).isoformat(),
            os.getcwd(),
            variables,
            code_fingerprint(),
        )
    )
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=20).hexdigest()


def folder_digest(folder: Path) -> str | None:
    """A digest of every file under ``folder`` (but :data:`_SKIPPED_FOLDERS`, Beancount's
    pickle caches and the folder's lock): name, size, modification and change times of
    each, and the content of the text files (:data:`TEXT_SUFFIXES`).
    None for a folder too large to be an association's (:data:`MAX_FILES`, :data:`MAX_BYTES`)
    or that cannot be read."""
    found = _folder(folder)
    return None if found is None else found[0]


def _folder(folder: Path) -> tuple[str, dict[str, str]] | None:
    """:func:`folder_digest`, and the digest of each text file by absolute path."""
    from .acces_exclusif import NOM_VERROU

    digest = hashlib.blake2b(digest_size=20)
    files: dict[str, str] = {}
    count = size = 0
    try:
        for where, subfolders, names in os.walk(folder, onerror=_raise):
            subfolders[:] = sorted(n for n in subfolders if n not in _SKIPPED_FOLDERS)
            for name in sorted(names):
                if name == NOM_VERROU or name.endswith(_SKIPPED_SUFFIX):
                    continue
                path = os.path.join(where, name)
                stat = os.stat(path)
                count += 1
                digest.update(f"{os.path.relpath(path, folder)}\0".encode("utf-8", "replace"))
                size += stat.st_size if text_file(name, stat.st_mode) else 0
                if count > MAX_FILES or size > MAX_BYTES:
                    return None
                if text_file(name, stat.st_mode):  # a pipe is never opened, a PDF never read
                    files[os.path.normpath(path)] = file_digest(path)
                    digest.update(files[os.path.normpath(path)].encode())
                # every write changes the change time (even one putting back content and
                # modification time): a file written while a result was computed, even put
                # back as it was, never matches that result's entry again
                times = f"{stat.st_mode} {stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns}"
                digest.update(f"{times}\n".encode())
    except OSError:
        return None
    return digest.hexdigest(), files


def text_file(name: str, mode: int) -> bool:
    """A regular file whose content counts (:data:`TEXT_SUFFIXES`)."""
    return S_ISREG(mode) and os.path.splitext(name)[1].lower() in TEXT_SUFFIXES


def _raise(error: OSError) -> None:
    raise error


def _ecrit_depuis(manifest: Manifest, dossier: Dossier) -> bool:
    """Whether a file of the load outside the ledger's folder was written since the
    command began (or just before: :data:`MARGE_NS`). Beancount may have parsed it
    before that write and the manifest recorded it after; the folder's own files are
    checked by ``dossier``, taken before the load."""
    for name, _digest in manifest.files:
        if os.path.commonpath([name, dossier.chemin]) == dossier.chemin:
            continue
        try:
            stat = os.stat(name)
        except OSError:
            continue  # recorded as absent: checked on every lookup
        if max(stat.st_mtime_ns, stat.st_ctime_ns) >= dossier.debut - MARGE_NS:
            return True
    return False


def _path(key: str) -> Path | None:
    folder = disk_cache.cache_folder(KIND)
    return None if folder is None else folder / key


class Dossier:
    """The ledger's folder as a command found it, before reading anything else
    (:func:`folder_digest`): the digest a lookup compares and an entry records."""

    def __init__(self, ledger: Path) -> None:
        self.debut = time.time_ns()
        self.jour = today()
        self.chemin = os.path.normpath(os.path.abspath(ledger.parent))
        found = _folder(ledger.parent)
        self.digest = None if found is None else found[0]
        self.files = {} if found is None else found[1]


def lookup(key: str, ledger: Path, dossier: Dossier) -> object | None:
    """The result stored under ``key`` if it is still the result of ``ledger`` whose
    folder is now ``dossier``; else None."""
    path = _path(key)
    if path is None or dossier.digest is None:
        return None
    entry = disk_cache.read_entry(path)
    if not isinstance(entry, _Entry) or entry.folder != dossier.digest:
        return None
    try:
        if not current(entry.manifest, str(ledger), dossier.files):
            return None
    except Exception:  # an entry of another shape: a miss
        return None
    return entry.value


def store(key: str, manifest: Manifest, dossier: Dossier, value: object) -> None:
    """Keep ``value``, derived from a load recorded in ``manifest``, whose ledger's
    folder was ``dossier`` *before* the load (a file changed meanwhile then makes the
    entry a miss)."""
    path = _path(key)
    if path is None or dossier.digest is None or _ecrit_depuis(manifest, dossier):
        return
    if today() != dossier.jour:  # computed across midnight: perhaps with either day
        return
    disk_cache.write_entry(path, _Entry(manifest, dossier.digest, value))
    disk_cache.prune(path.parent, KEEP)
