"""``communs journal``: the journal général."""

from __future__ import annotations

from pathlib import Path

from .options import ledger_option
from .rapports import au_option, exercice_option
from .sortie import ecraser_option, format_option, sortie_option


def journal(
    exercice: str | None = exercice_option(),
    au: str | None = au_option("Arrêter le journal à cette date (par défaut : clôture)."),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Journal général : écritures de l'exercice dans l'ordre chronologique, numérotées."""
    from ..rapports.journal import journal as construire_journal
    from .rapports import etat

    etat(construire_journal, ledger, exercice, au, format, sortie, ecraser)
