"""``communs resultat``: the compte de résultat (modèle ANC 2018-06)."""

from __future__ import annotations

from pathlib import Path

import typer

from .conventions import cles_ou_echec, repartition_option
from .options import ledger_option
from .rapports import au_option, exercice_option, projet_option
from .sortie import ecraser_option, format_option, sortie_option


def resultat(
    exercice: str | None = exercice_option(),
    projet: str | None = projet_option(),
    n1: bool = typer.Option(True, "--n1/--sans-n1", help="Colonne de l'exercice précédent."),
    au: str | None = au_option("Arrêter les comptes à cette date (dans l'exercice)."),
    repartition: bool = repartition_option(),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Compte de résultat associatif (N et N-1), contributions volontaires en nature au pied ;
    avec --projet, charges directes du projet et, par défaut, sa part des charges indirectes
    réparties par les clés de répartition."""
    from ..rapports.resultat import compte_de_resultat
    from .rapports import exercice_arrete, parse_date, produire, source_du_grand_livre
    from .sortie import emettre

    date = parse_date(au)
    source = source_du_grand_livre(ledger)
    cles = cles_ou_echec(source) if projet and repartition else None
    periode = exercice_arrete(source, exercice, date)
    rapport = produire(
        compte_de_resultat, source, periode, au=date, n1=n1, projet=projet, cles=cles
    )
    emettre(rapport, format, sortie, ecraser)
