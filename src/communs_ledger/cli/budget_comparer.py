"""``communs budget comparer A B``: two versions of a budget side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .budget_cerfa import AIDE_EXERCICE_BUDGET
from .options import commande_de_rapport
from .rapports import exercice_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport

VERSION_HELP = (
    "Version du budget : code ou nom dans le fichier du budget, ou version enregistrée "
    "dans git : REV:VERSION (ex. HEAD~3:vote) ou REV: (dernière version à cette révision)."
)


@commande_de_rapport
def comparer_command(
    a: str = typer.Argument(..., metavar="A", help=VERSION_HELP, show_default=False),
    b: str = typer.Argument(..., metavar="B", help=VERSION_HELP, show_default=False),
    exercice: str | None = exercice_option(AIDE_EXERCICE_BUDGET),
    *,
    ledger: Path | None,
) -> Rapport:
    """Compare deux versions du budget : montants A et B, différence en euros et en %, lignes
    ajoutées ou supprimées, sous-totaux par chapitre, totaux et résultat prévisionnel."""
    from ..budget.cerfa import ouvertures
    from ..budget.comparaison import ComparaisonImpossible, designer_pour
    from ..budget.rapport_comparaison import comparer_versions
    from .budget_cerfa import charger_budget
    from .echecs import Echec

    choisi = charger_budget(ledger, exercice)
    context = choisi.livre.context
    try:
        version_a = designer_pour(a, choisi.budget, context)
        version_b = designer_pour(b, choisi.budget, context)
    except ComparaisonImpossible as exc:
        raise Echec(exc.message, exc.details) from None
    return comparer_versions(
        context.config.nom,
        choisi.budget.exercice,
        version_a,
        version_b,
        ouvertures(choisi.livre.entries),
    )
