"""``communs compte-rendu CONVENTION``: the compte rendu financier (CERFA 15059)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import commande_de_rapport
from .rapports import au_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport


@commande_de_rapport
def compte_rendu_command(
    convention: str = typer.Argument(
        ..., help="Référence de la convention (voir « communs subventions »).", show_default=False
    ),
    au: str | None = au_option(
        "Arrête la réalisation à cette date ; par défaut la fin de la convention ou la date "
        "de la dernière écriture."
    ),
    repartition: bool | None = typer.Option(
        None,
        "--repartition/--sans-repartition",
        help="Remplace le choix de la convention (frais_indirects dans le fichier des "
        "conventions) : --repartition ajoute les charges indirectes réparties par les clés "
        "de répartition, --sans-repartition ne garde que les charges directes de l'action.",
        show_default=False,
    ),
    *,
    ledger: Path | None,
) -> Rapport:
    """Compte rendu financier de l'action subventionnée (CERFA 15059) : prévision et
    réalisation par ligne, écarts en € et en %, charges indirectes réparties et leur
    méthode, contributions volontaires en nature, écarts significatifs à expliquer."""
    from ..budget.fichier import load_budgets
    from ..conventions.rapport_compte_rendu import compte_rendu as rapport_compte_rendu
    from .budget import refuser_erreurs_de_budget
    from .conventions import cles_et_conventions
    from .rapports import parse_date, produire, source_du_grand_livre

    date = parse_date(au)
    source = source_du_grand_livre(ledger)
    conventions, cles = cles_et_conventions(source)
    budgets = load_budgets(source.context)
    refuser_erreurs_de_budget(budgets)
    return produire(
        rapport_compte_rendu,
        source,
        conventions,
        convention,
        budgets,
        cles=cles,
        repartition=repartition,
        au=date,
    )
