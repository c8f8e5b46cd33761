"""``communs grand-livre``: the grand livre, account by account."""

from __future__ import annotations

from pathlib import Path

import typer

from .options import ledger_option
from .rapports import au_option, exercice_option
from .sortie import ecraser_option, format_option, sortie_option


def grand_livre(
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
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Grand livre : mouvements de chaque compte avec à-nouveau et solde progressif."""
    from ..rapports.grand_livre import grand_livre as construire_grand_livre
    from .rapports import etat

    etat(construire_grand_livre, ledger, exercice, au, format, sortie, ecraser, compte=compte)
