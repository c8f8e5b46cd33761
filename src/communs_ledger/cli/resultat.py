"""``communs resultat``: the compte de résultat (modèle ANC 2018-06)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .conventions import cles_ou_echec, repartition_option
from .options import commande_de_rapport
from .rapports import au_option, exercice_option, projet_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport


@commande_de_rapport
def resultat(
    exercice: str | None = exercice_option(),
    projet: str | None = projet_option(),
    n1: bool = typer.Option(True, "--n1/--sans-n1", help="Colonne de l'exercice précédent."),
    au: str | None = au_option("Arrêter les comptes à cette date (dans l'exercice)."),
    repartition: bool = repartition_option(),
    *,
    ledger: Path | None,
) -> Rapport:
    """Compte de résultat associatif (N et N-1), contributions volontaires en nature au pied ;
    avec --projet, charges directes du projet et, par défaut, sa part des charges indirectes
    réparties par les clés de répartition."""
    from ..rapports.resultat import compte_de_resultat
    from .rapports import exercice_arrete, parse_date, produire, source_du_grand_livre

    date = parse_date(au)
    source = source_du_grand_livre(ledger)
    cles = cles_ou_echec(source) if projet and repartition else None
    periode = exercice_arrete(source, exercice, date)
    return produire(compte_de_resultat, source, periode, au=date, n1=n1, projet=projet, cles=cles)
