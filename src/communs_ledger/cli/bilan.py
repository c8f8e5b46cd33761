"""``communs bilan``: the bilan (modèle ANC 2018-06)."""

from __future__ import annotations

from pathlib import Path

import typer

from .options import ledger_option
from .rapports import au_option, exercice_option
from .sortie import ecraser_option, format_option, sortie_option


def bilan(
    exercice: str | None = exercice_option(),
    au: str | None = au_option("Situation à cette date (par défaut : clôture de l'exercice)."),
    n1: bool = typer.Option(True, "--n1/--sans-n1", help="Colonne de l'exercice précédent."),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Bilan associatif : actif (brut, amortissements, net, N-1) et passif (N, N-1)."""
    from ..rapports.bilan import bilan as construire_bilan
    from .rapports import etat

    etat(construire_bilan, ledger, exercice, au, format, sortie, ecraser, n1=n1)
