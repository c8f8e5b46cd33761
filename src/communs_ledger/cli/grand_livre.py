"""``communs grand-livre``: the grand livre, account by account."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import commande_de_rapport
from .rapports import au_option, exercice_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport


@commande_de_rapport
def grand_livre_command(
    compte: str | None = typer.Option(
        None,
        "--compte",
        "-c",
        help="Comptes à afficher : début du numéro (512, 6…) ou tout ou partie du nom "
        "Beancount (Banques:Livret).",
        show_default=False,
    ),
    exercice: str | None = exercice_option(),
    au: str | None = au_option("Arrêter le grand livre à cette date (par défaut : clôture)."),
    *,
    ledger: Path | None,
) -> Rapport:
    """Grand livre : mouvements de chaque compte avec à-nouveau et solde progressif."""
    from ..rapports.grand_livre import grand_livre as construire_grand_livre
    from .rapports import rapport_d_etat

    return rapport_d_etat(construire_grand_livre, ledger, exercice, au, compte=compte)
