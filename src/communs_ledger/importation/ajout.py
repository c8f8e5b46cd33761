"""Appending an import to a ledger file: atomically, re-checked, restored on failure.

The new content (old bytes + the block) is written to a sibling temporary
file, synced, then renamed over the target: a crash leaves the target either
unchanged or fully written, never truncated. The whole ledger is then loaded
again; if it has errors it did not have before, the old bytes are written back
the same way, byte for byte.

This is :func:`communs_ledger.ecriture.write_file` with ``replace=True``
(temporary file written and synced by :func:`~communs_ledger.ecriture.write_new`,
then ``os.replace``), with one addition for the crash test: when
``COMMUNS_TEST_PAUSE_ECRITURE`` holds a number of seconds, the writer sleeps
that long between the complete temporary file and the rename, so that a test
can kill the process exactly there. Nothing else reads this variable.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..ecriture import write_new

PAUSE_TEST = "COMMUNS_TEST_PAUSE_ECRITURE"
_TEMPORAIRE = ".{name}.import-{pid}.tmp"


def temporaire(cible: Path, pid: int | None = None) -> Path:
    """The sibling temporary file of a write by process ``pid``."""
    return cible.with_name(_TEMPORAIRE.format(name=cible.name, pid=pid or os.getpid()))


def remplacer(cible: Path, contenu: bytes) -> None:
    """Replace ``cible`` by ``contenu`` atomically (same permissions)."""
    mode = stat.S_IMODE(cible.stat().st_mode) if cible.exists() else 0o644
    temp = temporaire(cible)
    temp.unlink(missing_ok=True)
    write_new(temp, contenu, mode=mode)  # written, synced and re-read
    try:
        pause = float(os.environ.get(PAUSE_TEST) or 0)
        if pause > 0:
            time.sleep(pause)
        os.replace(temp, cible)
    finally:
        temp.unlink(missing_ok=True)
    if cible.read_bytes() != contenu:
        raise OSError(f"le contenu relu de {cible} diffère de celui écrit")


def _nettoyer_temporaires(cible: Path) -> None:
    """Temporary files left by an interrupted import of this target."""
    for stale in cible.parent.glob(f".{cible.name}.import-*.tmp"):
        stale.unlink(missing_ok=True)


@dataclass
class ResultatAjout:
    ok: bool
    nouvelles_erreurs: list[object] = field(default_factory=list)
    livre: object | None = None  # the ledger loaded after the write (when kept)


def ajouter(
    cible: Path,
    bloc: str,
    recharger: Callable[[], object],
    erreurs_avant: Sequence[object],
) -> ResultatAjout:
    """Append ``bloc`` to ``cible``, reload the ledger, keep it only if no error appeared.

    ``recharger`` loads the whole ledger and returns a :class:`~communs_ledger.chargement.Livre`
    (its ``diagnostics`` are compared with ``erreurs_avant``).
    """
    _nettoyer_temporaires(cible)
    original = cible.read_bytes()
    separateur = b"" if not original or original.endswith(b"\n") else b"\n"
    remplacer(cible, original + separateur + b"\n" + bloc.encode("utf-8"))
    try:
        livre = recharger()
    except BaseException:
        remplacer(cible, original)
        raise
    avant = set(erreurs_avant)
    nouvelles = [d for d in livre.diagnostics if d not in avant]  # type: ignore[attr-defined]
    if nouvelles:
        remplacer(cible, original)
        return ResultatAjout(False, nouvelles)
    return ResultatAjout(True, [], livre)
