"""communs-ledger's own caches on disk: where they live, how an entry is read and written.

The caches hold what our code derives from the user's files (parsed side files, the
results of report commands), each entry keyed on the *content* of what it was derived
from, never on modification times. They live in the user's cache folder,
``$COMMUNS_CACHE`` or ``$XDG_CACHE_HOME/communs-ledger`` (by default
``~/.cache/communs-ledger``), one sub-folder per kind of entry; never in the
association's folder: nothing to commit or share through Git, and a read-only folder
still works. ``COMMUNS_SANS_CACHE=1`` turns every one of them off.

An entry is a pickle written atomically (temporary file, then rename). An entry that
cannot be read is removed and ignored, an entry that cannot be written is not written:
a cache never makes a command fail. Reading a pickle runs code, like Python's own
``__pycache__``: the folder is created private (0o700) and a folder that another user
owns, or that others may write into, is not used.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

DISABLE_ENV = "COMMUNS_SANS_CACHE"
FOLDER_ENV = "COMMUNS_CACHE"
APPLICATION = "communs-ledger"


def disabled() -> bool:
    """``COMMUNS_SANS_CACHE`` is set to anything but empty or ``0``."""
    return os.environ.get(DISABLE_ENV, "") not in ("", "0")


def _root() -> Path:
    explicit = os.environ.get(FOLDER_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / APPLICATION


def _private(folder: Path) -> bool:
    """The folder is the user's own and nobody else may write into it."""
    stat = folder.stat()
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def cache_folder(kind: str) -> Path | None:
    """The folder of one kind of entry (created if needed), or None when the caches are
    off or the folder cannot be used safely."""
    if disabled():
        return None
    root = _root()
    folder = root / kind
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        if not (_private(root) and _private(folder)):
            return None
    except OSError:
        return None
    return folder


def read_entry(path: Path) -> object | None:
    """The value stored at ``path``, or None (absent, unreadable: then removed)."""
    try:
        with open(path, "rb") as file:
            value: object = pickle.load(file)
            return value
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign entry, or one from older code: drop it
        path.unlink(missing_ok=True)
        return None


def write_entry(path: Path, value: object) -> None:
    """Store ``value`` at ``path`` atomically; silently nothing if it cannot be."""
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # not picklable: no entry
        return
    import tempfile  # only when writing: the module is imported on every load

    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(name, path)
    except OSError:
        Path(name).unlink(missing_ok=True)


def prune(folder: Path, keep: int) -> None:
    """Keep the ``keep`` most recently written entries of ``folder``, remove the others."""
    try:
        entries = sorted(
            (entry.stat().st_mtime_ns, entry) for entry in folder.iterdir() if entry.is_file()
        )
    except OSError:
        return
    for _time, entry in entries[: max(0, len(entries) - keep)]:
        entry.unlink(missing_ok=True)
