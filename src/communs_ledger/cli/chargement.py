"""Loading the ledger from a command, with a spinner and French failures."""

from __future__ import annotations

import os
from pathlib import Path

from .echecs import Echec


def charger(explicit: Path | str | None):  # -> Livre (lazy import keeps start-up fast)
    """Locate and load the ledger; raise :class:`Echec` if it cannot be read (also when
    Beancount's loader raises: :mod:`communs_ledger.chargement_impossible`)."""
    from ..chargement import LedgerNotFound, load_livre, locate_ledger
    from .affichage import messages

    try:
        path = locate_ledger(explicit)
    except LedgerNotFound as exc:
        raise Echec(str(exc)) from None
    with messages().status(f"Chargement de {path.name}…", spinner="dots"):
        try:
            return load_livre(path)
        except Exception as exc:  # Beancount's loader raised: say where, in French
            if os.environ.get("COMMUNS_DEBUG"):
                raise
            from ..chargement_impossible import expliquer

            problems = expliquer(path, exc)
            if len(problems) == 1:
                raise Echec(problems[0]) from None
            raise Echec(
                f"{len(problems)} problèmes empêchent Beancount de lire le grand livre :",
                problems,
            ) from None
