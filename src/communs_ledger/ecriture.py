"""Writing files safely: atomic (temporary file + rename), never replacing a
user's file without an explicit request, re-read after writing.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


class FichierExistant(Exception):
    """The target exists and replacing it was not requested."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def refuser_lecture_seule(path: Path) -> None:
    """Fail with ``PermissionError`` if ``path`` exists and is read-only (no write
    permission for us, or its owner's write bit cleared, which even root respects here):
    the rename of an atomic write needs only the folder's permission and would replace
    a file its owner protected."""
    if not path.exists() or path.is_dir():
        return
    if not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR:
        raise PermissionError(errno.EACCES, "fichier en lecture seule", str(path))


def _temporary(path: Path, data: bytes) -> Path:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_new(path: str | os.PathLike[str], data: bytes | str, mode: int = 0o644) -> None:
    """Create ``path`` atomically; fail with :class:`FichierExistant` if it exists."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    temporary = _temporary(path, raw)
    try:
        os.chmod(temporary, mode)
        os.link(temporary, path)  # atomic and exclusive: fails if path exists
    except FileExistsError:
        raise FichierExistant(path) from None
    finally:
        temporary.unlink(missing_ok=True)
    _check_written(path, raw)


def write_file(path: str | os.PathLike[str], data: bytes | str, *, replace: bool = False) -> None:
    """Write ``path`` atomically; an existing file is replaced only if ``replace``."""
    path = Path(path)
    if not replace:
        write_new(path, data)
        return
    raw = data.encode("utf-8") if isinstance(data, str) else data
    refuser_lecture_seule(path)
    temporary = _temporary(path, raw)
    try:
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _check_written(path, raw)


def _check_written(path: Path, raw: bytes) -> None:
    if path.read_bytes() != raw:
        raise OSError(f"le contenu relu de {path} diffère de celui écrit")
