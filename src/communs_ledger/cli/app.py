"""Entry point of the ``communs`` command.

Only Typer is imported at start-up (``communs --help`` must answer fast);
each command imports Beancount, openpyxl… inside its body.
"""

from __future__ import annotations

import os
import sys

import typer

from .francais import TyperFrancais

app = TyperFrancais(
    name="communs",
    help=(
        "Comptabilité, budget et trésorerie des associations employeuses, "
        "sur un grand livre Beancount tenu dans Git."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"communs-ledger {__version__}")
        raise typer.Exit()


@app.callback()
def racine(
    version: bool = typer.Option(
        False, "--version", help="Affiche la version et quitte.", callback=_version, is_eager=True
    ),
) -> None:
    """Comptabilité, budget et trésorerie des associations employeuses (grand livre Beancount)."""


def _register() -> None:
    from . import (
        balance,
        bilan,
        budget,
        cloture,
        diagnostic,
        exemple,
        export,
        fec,
        fonds_dedies,
        grand_livre,
        importer,
        init,
        journal,
        plan_comptable,
        prevision,
        resultat,
        tresorerie,
        verifier,
    )

    app.command("verifier")(verifier.verifier)
    app.command("resultat")(resultat.resultat)
    app.command("bilan")(bilan.bilan)
    app.command("balance")(balance.balance)
    app.command("grand-livre")(grand_livre.grand_livre)
    app.command("journal")(journal.journal)
    app.command("fec")(fec.fec)
    app.add_typer(export.export_app, name="export")
    app.command("diagnostic")(diagnostic.diagnostic)
    app.add_typer(budget.budget_app, name="budget")
    app.add_typer(prevision.prevision_app, name="prevision")
    app.command("plan-comptable")(plan_comptable.plan_comptable)
    app.command("init")(init.init)
    app.command("exemple")(exemple.exemple)
    app.command("importer")(importer.importer)
    app.command("tresorerie")(tresorerie.tresorerie)
    from . import serveur

    app.command("fava")(serveur.fava)
    from . import subventions

    app.command("subventions")(subventions.subventions)
    from . import compte_rendu

    app.command("compte-rendu")(compte_rendu.compte_rendu)
    app.command("fonds-dedies")(fonds_dedies.fonds_dedies)
    app.add_typer(cloture.cloture_app, name="cloture")
    from . import immobilisations

    app.command("immobilisations")(immobilisations.immobilisations)
    from . import comptes_annuels

    app.command("comptes-annuels")(comptes_annuels.comptes_annuels)


_register()


def main() -> None:
    """Run the CLI; French errors, exit codes 0/1/2, never a traceback."""
    from . import chargement
    from .echecs import Echec

    chargement.FREEZE_AFTER_LOAD = True
    try:
        app()
    except Echec as failure:
        from .affichage import erreur, messages

        erreur(failure.message)
        for line in failure.details:
            messages().print(f"  {line}", markup=False, highlight=False)
        sys.exit(failure.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("Interrompu.\n")
        sys.exit(130)
    except Exception as exc:  # last resort: no traceback for users
        if os.environ.get("COMMUNS_DEBUG"):
            raise
        sys.stderr.write(
            f"Erreur interne de communs-ledger : {exc.__class__.__name__} : {exc}\n"
            "Relancez avec COMMUNS_DEBUG=1 pour le détail et signalez le problème.\n"
        )
        sys.exit(1)
