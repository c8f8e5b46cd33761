"""``communs resultat``: the compte de résultat (modèle ANC 2018-06)."""

from __future__ import annotations

from pathlib import Path

import typer

from .options import ledger_option
from .rapports import au_option, exercice_option, projet_option
from .sortie import ecraser_option, format_option, sortie_option


def resultat(
    exercice: str | None = exercice_option(),
    projet: str | None = projet_option(),
    n1: bool = typer.Option(True, "--n1/--sans-n1", help="Colonne de l'exercice précédent."),
    au: str | None = au_option("Arrêter les comptes à cette date (dans l'exercice)."),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Compte de résultat associatif (N et N-1), contributions volontaires en nature au pied."""
    from ..rapports.resultat import compte_de_resultat
    from .rapports import etat

    etat(compte_de_resultat, ledger, exercice, au, format, sortie, ecraser, n1=n1, projet=projet)
