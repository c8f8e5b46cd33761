"""Beancount's pickle cache, validated on the content of every file a load depends on.

Beancount writes ``.main.beancount.picklecache`` beside a ledger whose load took
over a second and reuses it while the files it *recorded* (absolute paths in
``options_map["include"]``) keep their modification time and size. That misses:

- a copied folder: the copy's cache records the original's paths, which did not
  change, so the copy's edits are ignored;
- a new file matched by an ``include "x/*.beancount"`` glob, or a missing include
  created afterwards (never recorded): the old entries and errors stay;
- a change that keeps a file's size and modification time (restored backups);
- the side files our plugins read (``communs.yaml``, budgets, ``clotures.yaml``)
  only count because the plugins list them in ``include`` (``watch_files``);
- an upgrade of communs-ledger (the plugins' code and the chart data).

The communs plugins (and :func:`~communs_ledger.chargement.load_livre`, for a
ledger that does not declare them) call :func:`guard` during the load: it replaces
the top-level filename in ``options_map["include"]`` by an equal string that, when
Beancount pickles the result, records a :class:`Manifest` — the ledger's absolute
path, a BLAKE2b digest of the content of every source and side file, every
``include`` pattern with the files it matched, the listing of the ``documents``
folders and a fingerprint of the communs code. When Beancount unpickles the cache,
the manifest is checked against the ledger being loaded *before* Beancount's own
check: if anything differs, the string comes back changed, so Beancount's input
hash no longer matches and it recomputes (and rewrites) the cache. A warm cache
is reused only when the same ledger path has byte-identical sources. This works
for every program using Beancount's loader: ``communs``, ``bean-check``,
``bean-query``. (Fava loads without the cache.)

:func:`manifest` and :attr:`Manifest.key` give a key over the content of every
file a load depends on, usable by a cache of our own.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from glob import glob
from types import FrameType
from typing import Any

STALE = " (cache périmé)"
"""Appended to the top-level filename of an unpickled result that is not current."""

_ABSENT = "absent"
_DIRECTORY = "dossier"
_CHANGED = "modifié pendant le chargement"
_INCLUDE = re.compile(rb'^include[ \t]+"((?:[^"\\\n]|\\.)*)"', re.MULTILINE)
_SIDE_SUFFIXES = (".yaml", ".yml", ".csv", ".json")


@dataclass(frozen=True, slots=True)
class Manifest:
    """Everything a load depended on, as recorded when its result was cached."""

    ledger: str
    """Absolute path of the top-level file."""
    files: tuple[tuple[str, str], ...]
    """Every source and side file with the digest of its content (or absent)."""
    includes: tuple[tuple[str, tuple[str, ...]], ...]
    """Every ``include`` pattern (absolute) with the files it matched."""
    documents: tuple[tuple[str, str], ...]
    """Every ``documents`` folder with a digest of its listing."""
    code: str
    """Fingerprint of the communs code and data, and of Beancount's version."""

    @property
    def key(self) -> str:
        """A key over all of the above: equal keys, equal load results."""
        return hashlib.blake2b(repr(self).encode("utf-8"), digest_size=20).hexdigest()


def file_digest(path: str) -> str:
    """The digest of a file's content a :class:`Manifest` records (or why there is none)."""
    return _digest(path)


def _digest(path: str) -> str:
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "blake2b").hexdigest()
    except FileNotFoundError:
        return _ABSENT
    except IsADirectoryError:
        return _DIRECTORY
    except OSError as exc:
        return f"illisible {exc.errno}"


def _matches(pattern: str) -> tuple[str, ...]:
    """The files Beancount includes for a pattern (its own glob call, normalised)."""
    return tuple(sorted(os.path.normpath(found) for found in glob(pattern, recursive=True)))


def _patterns(path: str) -> list[str]:
    """The ``include`` patterns of a source file, absolute as Beancount resolves them."""
    if path.endswith(_SIDE_SUFFIXES):
        return []
    try:
        with open(path, "rb") as file:
            text = file.read()
    except OSError:
        return []
    folder = os.path.dirname(path)
    found = []
    for match in _INCLUDE.finditer(text):
        pattern = match.group(1).decode("utf-8", "replace")
        found.append(pattern if os.path.isabs(pattern) else os.path.join(folder, pattern))
    return found


def _documents(options_map: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Digest of the file names under each ``documents`` folder (Beancount's documents
    plugin turns them into entries)."""
    base = os.path.dirname(str(options_map.get("filename") or ""))
    listed = []
    for folder in options_map.get("documents") or ():
        root = os.path.normpath(os.path.join(base, folder))
        names = sorted(
            os.path.relpath(os.path.join(where, name), root)
            for where, _dirs, files in os.walk(root)
            for name in files
        )
        digest = hashlib.blake2b("\n".join(names).encode("utf-8", "replace"), digest_size=16)
        listed.append((root, digest.hexdigest()))
    return tuple(listed)


@cache
def code_fingerprint() -> str:
    """Versions and the size and time of every file of the communs code and chart data,
    and of Beancount's package (computed once per process: a running process keeps the
    code it imported).

    The packages are located without being imported: on a cache hit (``bean-check``)
    the plugins are not loaded at all, and a hit of the results cache
    (:mod:`communs_ledger.result_cache`) imports no Beancount.
    """
    import communs_ledger

    digest = hashlib.blake2b(digest_size=16)
    digest.update(communs_ledger.__version__.encode())
    package = os.path.dirname(communs_ledger.__file__)
    repository = os.path.dirname(os.path.dirname(package))  # editable install: the checkout
    folders = [package, os.path.join(package, "plan_comptable")]
    folders.append(os.path.join(repository, "plan_comptable"))
    for name in ("communs_plugins", "beancount"):
        spec = importlib.util.find_spec(name)
        if spec is not None:
            folders += list(spec.submodule_search_locations or ())
    files = []
    for folder in folders:
        for where, subfolders, names in os.walk(folder):
            subfolders[:] = [name for name in subfolders if name != "__pycache__"]
            files += [os.path.join(where, name) for name in names]
    for name in sorted(files):
        stat = os.stat(name)
        digest.update(f"{name} {stat.st_mtime_ns} {stat.st_size}\n".encode())
    return digest.hexdigest()


def manifest(
    options_map: dict[str, Any], stats: dict[str, tuple[int, int]] | None = None
) -> Manifest:
    """The manifest of a finished load (``options_map`` as the loader returned it).

    ``stats`` are the files' (mtime, size) seen during the load: a file changed since
    is recorded as such, so that the cached result is not taken for its new content.
    """
    ledger = os.path.normpath(str(options_map["filename"]))
    names = sorted({os.path.normpath(str(name)) for name in options_map.get("include") or ()})
    files = []
    patterns: dict[str, tuple[str, ...]] = {}
    for name in names:
        digest = _digest(name)
        seen = (stats or {}).get(name)
        if seen is not None and seen != _stat(name):
            digest = _CHANGED
        files.append((name, digest))
        for pattern in _patterns(name):
            patterns.setdefault(pattern, _matches(pattern))
    return Manifest(
        ledger,
        tuple(files),
        tuple(sorted(patterns.items())),
        _documents(options_map),
        code_fingerprint(),
    )


def manifest_of_load(options_map: dict[str, Any]) -> Manifest:
    """The manifest of a load this process just did: a file changed since the load
    looked at it (the stats its guard took) is recorded as changed."""
    stats = next(
        (name.stats for name in options_map.get("include") or () if isinstance(name, _Guard)),
        None,
    )
    return manifest(options_map, stats)


def current(recorded: Manifest, ledger: str, digests: Mapping[str, str] | None = None) -> bool:
    """Whether a result recorded with ``recorded`` is the result of loading ``ledger`` now.

    ``digests``: the digests (:func:`file_digest`) of files just read, not read again."""
    if os.path.normpath(ledger) != recorded.ledger or recorded.code != code_fingerprint():
        return False
    known = digests or {}
    if any((known.get(name) or _digest(name)) != digest for name, digest in recorded.files):
        return False
    if any(_matches(pattern) != found for pattern, found in recorded.includes):
        return False
    options = {"filename": recorded.ledger, "documents": [root for root, _ in recorded.documents]}
    return _documents(options) == recorded.documents


def _stat(name: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(name)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class _Checked(str):
    """The top-level filename of a cached result that :func:`current` accepted."""

    __slots__ = ()


class _Guard(str):
    """The top-level filename in ``include``, recording a :class:`Manifest` when pickled."""

    options_map: dict[str, Any]
    stats: dict[str, tuple[int, int]]

    def __new__(cls, value: str, options_map: dict[str, Any]) -> _Guard:
        guard = super().__new__(cls, value)
        guard.options_map = options_map
        guard.stats = {
            os.path.normpath(str(name)): stat
            for name in options_map.get("include") or ()
            if (stat := _stat(str(name))) is not None
        }
        return guard

    def __reduce__(self) -> tuple[Any, tuple[str, Manifest | None]]:
        try:
            recorded: Manifest | None = manifest(self.options_map, self.stats)
        except Exception:  # never break Beancount's pickling: an unusable cache instead
            recorded = None
        return _revalidate, (str(self), recorded)

    def __copy__(self) -> _Guard:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Guard:
        return self


def _ledger_being_loaded() -> str | None:
    """The top-level filename Beancount's cache wrapper is loading, from its frame."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == "beancount.loader":
            name = frame.f_locals.get("toplevel_filename")
            if isinstance(name, str):
                return name
        frame = frame.f_back
    return None


def _revalidate(value: str, recorded: Manifest | None) -> str:
    """Unpickling the guard: the filename if the cache is current, else a changed one
    (Beancount then sees a different input hash and recomputes)."""
    asked = _ledger_being_loaded()
    try:
        ok = recorded is not None and asked is not None and current(recorded, asked)
    except Exception:
        ok = False
    return _Checked(value) if ok else value + STALE


def guard(options_map: dict[str, Any]) -> None:
    """Make a cached copy of this load's result valid only for the same ledger path with
    the same content (see the module docstring). Idempotent."""
    include = options_map.get("include")
    filename = options_map.get("filename")
    if not isinstance(include, list) or not isinstance(filename, str):
        return
    if any(isinstance(name, _Guard | _Checked) for name in include):
        return
    top = os.path.normpath(filename)
    for index, name in enumerate(include):
        if isinstance(name, str) and os.path.normpath(name) == top:
            include[index] = _Guard(name, options_map)
            return


def guarded(options_map: dict[str, Any]) -> bool:
    """Whether a load result was computed now with :func:`guard`, or came from a cache
    that :func:`current` accepted (``False``: from a cache Beancount alone validated)."""
    return any(isinstance(name, _Guard | _Checked) for name in options_map.get("include") or ())
