"""``communs budget``: budget vs réalisé, and its sub-commands ``cerfa`` and ``comparer``."""

from __future__ import annotations

from pathlib import Path

import typer

from .options import ledger_option
from .rapports import au_option, exercice_option, projet_option
from .sortie import ecraser_option, format_option, sortie_option

budget_app = typer.Typer(
    help="Budget prévisionnel : budget vs réalisé, tableau CERFA 12156, comparaison de versions.",
    no_args_is_help=False,
)


@budget_app.callback(invoke_without_command=True)
def budget(
    ctx: typer.Context,
    exercice: str | None = exercice_option(),
    version: str | None = typer.Option(
        None,
        "--version",
        "-v",
        help="Version du budget (code ou nom ; par défaut la plus récente).",
    ),
    projet: str | None = projet_option(),
    au: str | None = au_option("Budget à date et réalisé arrêtés à cette date."),
    mensuel: bool = typer.Option(False, "--mensuel", help="Une colonne par mois."),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Budget vs réalisé : budget annuel, budget à date, réalisé, écarts, projection."""
    if ctx.invoked_subcommand is not None:
        return
    from .echecs import Echec

    raise Echec("le rapport budget vs réalisé n'est pas encore disponible")


def _register() -> None:
    from . import budget_cerfa, budget_comparer

    budget_app.command("cerfa")(budget_cerfa.cerfa)
    budget_app.command("comparer")(budget_comparer.comparer)


_register()
