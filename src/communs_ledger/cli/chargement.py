"""Loading the ledger from a command, with a spinner and French failures."""

from __future__ import annotations

from pathlib import Path

from .echecs import Echec


def charger(explicit: Path | str | None):  # -> Livre (lazy import keeps start-up fast)
    """Locate and load the ledger; raise :class:`Echec` if it cannot be read."""
    from ..chargement import LedgerNotFound, load_livre, locate_ledger
    from .affichage import messages

    try:
        path = locate_ledger(explicit)
    except LedgerNotFound as exc:
        raise Echec(str(exc)) from None
    with messages().status(f"Chargement de {path.name}…", spinner="dots"):
        return load_livre(path)
