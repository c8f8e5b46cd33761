"""Entry point of the ``communs`` command.

Only Typer is imported at start-up (``communs --help`` must answer fast);
each command imports Beancount, openpyxl… inside its body.
"""

from __future__ import annotations

import importlib
import os
import sys

from ..gc_pause import gc_paused

# Importing Typer and the commands' modules allocates thousands of long-lived objects
# that the cyclic collector would rescan several times: paused meanwhile, and while the
# commands are registered (:func:`_application`; restored after: this module is also
# imported by longer processes).
with gc_paused():
    import typer

    from .francais import TyperFrancais

app: TyperFrancais
"""Every command (tests, documentation): made on first access, see :func:`__getattr__`."""


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"communs-ledger {__version__}")
        raise typer.Exit()


def racine(
    version: bool = typer.Option(
        False, "--version", help="Affiche la version et quitte.", callback=_version, is_eager=True
    ),
) -> None:
    """Comptabilité, budget et trésorerie des associations employeuses (grand livre Beancount)."""


# (command, module of this package, attribute): a function is a command, a Typer a group
# of sub-commands; modules are imported at registration, their heavy imports stay lazy.
_COMMANDES: tuple[tuple[str, str, str], ...] = (
    ("verifier", "verifier", "verifier"),
    ("resultat", "resultat", "resultat"),
    ("bilan", "bilan", "bilan"),
    ("balance", "balance", "balance"),
    ("grand-livre", "grand_livre", "grand_livre_command"),
    ("journal", "journal", "journal"),
    ("fec", "fec", "fec"),
    ("export", "export", "export_app"),
    ("diagnostic", "diagnostic", "diagnostic"),
    ("ressources", "ressources", "ressources"),
    ("budget", "budget", "budget_app"),
    ("prevision", "prevision", "prevision_app"),
    ("plan-comptable", "plan_comptable", "plan_comptable"),
    ("init", "init", "init"),
    ("ouverture", "ouverture", "ouverture"),
    ("exemple", "exemple", "exemple"),
    ("importer", "importer", "importer"),
    ("tresorerie", "tresorerie", "tresorerie"),
    ("fava", "serveur", "fava"),
    ("subventions", "subventions", "subventions"),
    ("compte-rendu", "compte_rendu", "compte_rendu_command"),
    ("fonds-dedies", "fonds_dedies", "fonds_dedies"),
    ("cloture", "cloture", "cloture_app"),
    ("immobilisations", "immobilisations", "immobilisations"),
    ("comptes-annuels", "comptes_annuels", "comptes_annuels"),
    ("rapport-financier", "rapport_financier", "rapport_financier_command"),
    ("modeles", "modeles", "modeles_app"),
    ("indicateurs", "indicateurs", "indicateurs_command"),
    ("reseau", "reseau", "reseau_app"),
    ("saisir", "saisir", "saisir"),
    ("recus", "recus", "recus_app"),
    ("adherents", "adherents", "adherents"),
)


def _application(commandes: tuple[tuple[str, str, str], ...] = _COMMANDES) -> TyperFrancais:
    """The ``communs`` application with ``commandes`` (all by default)."""
    application = TyperFrancais(
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
    application.callback()(racine)
    with gc_paused():
        for nom, module, attribut in commandes:
            commande = getattr(importlib.import_module(f".{module}", __package__), attribut)
            if isinstance(commande, typer.Typer):
                application.add_typer(commande, name=nom)
            else:
                application.command(nom)(commande)
    return application


def __getattr__(name: str) -> TyperFrancais:
    """``app``: the application with every command, made on first use (``main`` makes only
    the one it runs)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    global app
    app = _application()
    return app


def _commandes_de(argv: list[str]) -> tuple[tuple[str, str, str], ...]:
    """The commands ``communs`` needs for these arguments: only the one named first (its
    module alone is imported and turned into a click command), else all (``--help``,
    ``--version``, an unknown command and its suggestions)."""
    if len(argv) > 1:
        found = tuple(commande for commande in _COMMANDES if commande[0] == argv[1])
        if found:
            return found
    return _COMMANDES


def main() -> None:
    """Run the CLI; French errors, exit codes 0/1/2, never a traceback."""
    import gc

    from . import chargement
    from .echecs import Echec

    # A command is a short-lived process that builds many acyclic objects (the loaded
    # ledger, movements, report rows): the cyclic collector would only rescan them again
    # and again (a fifth of ``communs resultat``'s CPU at 10k transactions). Objects are
    # still freed by reference counting; a long-lived command (``communs fava``) turns
    # the collector back on.
    gc.disable()
    chargement.FREEZE_AFTER_LOAD = True
    try:
        _application(_commandes_de(sys.argv))()
    except Echec as failure:
        from .affichage import erreur, messages

        erreur(failure.message)
        for line in failure.details:
            messages().print(f"  {line}", markup=False, highlight=False)
        sys.exit(failure.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("Interrompu.\n")
        sys.exit(130)
    except OSError as exc:  # a full disk, a folder or a file the system refuses
        if os.environ.get("COMMUNS_DEBUG"):
            raise
        from .affichage import erreur, sans_controle
        from .sortie import cause_lisible

        where = f" ({sans_controle(str(exc.filename))})" if exc.filename else ""
        erreur(f"lecture ou écriture impossible{where} : {cause_lisible(exc)}")
        sys.exit(1)
    except Exception as exc:  # last resort: no traceback for users
        if os.environ.get("COMMUNS_DEBUG"):
            raise
        from .affichage import sans_controle

        sys.stderr.write(
            f"Erreur interne de communs-ledger : {exc.__class__.__name__} : "
            f"{sans_controle(str(exc))}\n"
            "Relancez avec COMMUNS_DEBUG=1 pour le détail et signalez le problème.\n"
        )
        sys.exit(1)
