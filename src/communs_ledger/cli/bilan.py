"""``communs bilan``: the bilan (modèle ANC 2018-06)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import commande_de_rapport
from .rapports import au_option, exercice_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport


@commande_de_rapport
def bilan(
    exercice: str | None = exercice_option(),
    au: str | None = au_option("Situation à cette date (par défaut : clôture de l'exercice)."),
    n1: bool = typer.Option(True, "--n1/--sans-n1", help="Colonne de l'exercice précédent."),
    *,
    ledger: Path | None,
) -> Rapport:
    """Bilan associatif : actif (brut, amortissements, net, N-1) et passif (N, N-1)."""
    from ..rapports.bilan import bilan as construire_bilan
    from .rapports import rapport_d_etat

    return rapport_d_etat(construire_bilan, ledger, exercice, au, n1=n1)
