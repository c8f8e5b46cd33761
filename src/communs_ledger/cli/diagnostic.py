"""``communs diagnostic``: the diagnostic financier (France Active, DLA)."""

from __future__ import annotations

from pathlib import Path

from .options import ledger_option
from .rapports import au_option, exercice_option
from .sortie import ecraser_option, format_option, sortie_option


def diagnostic(
    exercice: str | None = exercice_option(),
    au: str | None = au_option("Situation à cette date (par défaut : clôture de l'exercice)."),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Diagnostic financier : fonds de roulement, BFR, trésorerie, CAF et ratios (N et N-1),
    avec formules, explications et seuils d'alerte (réglables dans communs.yaml)."""
    from ..rapports.diagnostic import diagnostic as construire_diagnostic
    from .rapports import etat

    etat(construire_diagnostic, ledger, exercice, au, format, sortie, ecraser)
