"""``communs balance``: the balance générale."""

from __future__ import annotations

from pathlib import Path

from .options import ledger_option
from .rapports import au_option, exercice_option
from .sortie import ecraser_option, format_option, sortie_option


def balance(
    exercice: str | None = exercice_option(),
    au: str | None = au_option("Arrêter la balance à cette date (par défaut : clôture)."),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Balance générale : totaux débit et crédit et solde de chaque compte, à-nouveaux compris."""
    from ..rapports.balance import balance as construire_balance
    from .rapports import etat

    etat(construire_balance, ledger, exercice, au, format, sortie, ecraser)
