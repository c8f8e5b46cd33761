"""Appending an import to a ledger file: atomically, re-checked, restored on failure.

The new content (old bytes + the block) is written to a sibling temporary
file, synced, then renamed over the target: a crash leaves the target either
unchanged or fully written, never truncated. The whole ledger is then loaded
again; if it has errors it did not have before, the old bytes are written back
the same way, byte for byte.

The append and the re-check run under the association folder's lock, inside a
:func:`communs_ledger.acces_exclusif.transaction`: the old bytes are in the
folder's journal before the file changes, so a process killed during the
re-check leaves a journal that the next command uses to put the file back.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..acces_exclusif import acces_exclusif, transaction
from ..ecriture import write_new

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
    dossier: Path | None = None,
) -> ResultatAjout:
    """Append ``bloc`` to ``cible``, reload the ledger, keep it only if no error appeared.

    ``recharger`` loads the whole ledger and returns a :class:`~communs_ledger.chargement.Livre`
    (its ``diagnostics`` are compared with ``erreurs_avant``). ``dossier`` is the
    association folder (default: the target's folder), locked for the whole write
    — a no-op if the command already holds its lock.
    """
    with (
        acces_exclusif(dossier or cible.parent),
        transaction(dossier or cible.parent, [cible]) as annuler,
    ):
        _nettoyer_temporaires(cible)
        original = cible.read_bytes()
        separateur = b"" if not original or original.endswith(b"\n") else b"\n"
        remplacer(cible, original + separateur + b"\n" + bloc.encode("utf-8"))
        livre = recharger()  # an exception puts the file back (transaction)
        avant = set(erreurs_avant)
        nouvelles = [d for d in livre.diagnostics if d not in avant]  # type: ignore[attr-defined]
        if nouvelles:
            annuler()
            return ResultatAjout(False, nouvelles)
        return ResultatAjout(True, [], livre)
