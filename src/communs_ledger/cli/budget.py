"""``communs budget``: budget vs réalisé, and its sub-commands ``cerfa`` and ``comparer``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .budget_cerfa import version_option
from .conventions import cles_ou_echec, repartition_option
from .francais import TyperFrancais
from .options import commande_de_rapport
from .rapports import au_option, exercice_option, projet_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport
    from .sortie import Sortie

budget_app = TyperFrancais(
    help="Budget prévisionnel : budget vs réalisé, tableau CERFA 12156, comparaison de versions.",
    no_args_is_help=False,
)


@budget_app.callback(invoke_without_command=True)
@commande_de_rapport
def budget(
    ctx: typer.Context,
    exercice: str | None = exercice_option(),
    version: str | None = version_option(),
    projet: str | None = projet_option(),
    au: str | None = au_option("Budget à date et réalisé arrêtés à cette date."),
    mensuel: bool = typer.Option(False, "--mensuel", help="Une colonne par mois."),
    repartition: bool = repartition_option(),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> Rapport:
    """Budget vs réalisé : budget annuel, budget à date, réalisé, écarts, projection."""
    if ctx.invoked_subcommand is not None:
        return
    from ..budget.fichier import load_budgets
    from ..budget.rapport_suivi import budget_vs_realise
    from ..previsions.atterrissage import atterrissage_de
    from ..previsions.entrees import charger_entrees
    from ..rendu import Format
    from ..rendu.vues_budget import commentaires_a_part, vue_mensuelle_compacte
    from .rapports import exercice_arrete, parse_date, produire, source_du_grand_livre

    date = parse_date(au)
    source = source_du_grand_livre(ledger)
    cles = cles_ou_echec(source) if projet and repartition else None
    budgets = load_budgets(source.context)
    refuser_erreurs_de_budget(budgets)
    periode = exercice_arrete(source, exercice, date)
    atterri = None
    if projet is None and not mensuel:
        atterri = produire(
            atterrissage_de,
            source,
            charger_entrees(source.context),
            budgets,
            periode,
            version,
        )
    rapport = produire(
        budget_vs_realise,
        source,
        budgets,
        periode,
        version=version,
        projet=projet,
        au=date,
        mensuel=mensuel,
        cles=cles,
        atterrissage=atterri,
    )
    if sortie.format_ecrit is Format.table:
        # 24 month columns do not fit a terminal; long comments go below the tables
        rapport = vue_mensuelle_compacte(rapport) if mensuel else commentaires_a_part(rapport)
    return rapport


def refuser_erreurs_de_budget(budgets) -> None:  # budgets: Budgets
    """Refuse budget files with errors like a ledger with errors (exit 1, file:line)."""
    from .echecs import VOIR_VERIFIER, refuser_erreurs

    corriger = "avant de produire le budget vs réalisé"
    refuser_erreurs(budgets.erreurs, "le budget contient", corriger, VOIR_VERIFIER)


def _register() -> None:
    from . import budget_cerfa, budget_comparer, budget_nouveau

    budget_app.command("cerfa")(budget_cerfa.cerfa)
    budget_app.command("comparer")(budget_comparer.comparer_command)
    budget_app.command("nouveau")(budget_nouveau.nouveau)


_register()
