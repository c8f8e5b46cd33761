"""Options shared by several commands, and the decorator of the report commands.

A report command declares its own options only; :func:`commande_de_rapport` adds
``--ledger``, ``--format``, ``--sortie`` and ``--ecraser`` after them (the same names,
help and defaults everywhere) and shows or writes the :class:`Rapport` it returns —
for the commands of :data:`.en_cache.RAPPORTS_EN_CACHE`, the one kept by the results
cache when nothing it was derived from changed (:mod:`communs_ledger.result_cache`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from ..rapports.objets import Rapport

LEDGER_HELP = (
    "Grand livre à utiliser (sinon $COMMUNS_LEDGER, sinon main.beancount dans le dossier courant)."
)


def ledger_option() -> Path | None:
    return typer.Option(None, "--ledger", "-f", help=LEDGER_HELP, show_default=False)


# What the decorator may hand to the command, if the command names it.
_FOURNIS = ("ledger", "sortie")


def commande_de_rapport(commande: Callable[..., Rapport | None]) -> Callable[..., None]:
    """Decorator of a report command: adds ``--ledger --format --sortie --ecraser`` after
    the command's own options, and shows or writes the report it returns.

    The command names, as keyword-only parameters without default, what it needs of
    these: ``ledger`` (the path given, or None) and ``sortie`` (a :class:`.sortie.Sortie`,
    for a command that adapts the report to the format or writes more than one). It
    returns the ``Rapport`` to show or write (:func:`.sortie.emettre`), or None when it
    wrote what it had to itself::

        @commande_de_rapport
        def adherents(exercice: str | None = exercice_option(), *, ledger: Path | None) -> Rapport:
            source = source_du_grand_livre(ledger)
            ...
            return build_rapport_adherents(adhesions, source.context.config.nom)

    Typer reads the options from the signature given here (``__signature__``); a
    decorator above it (:func:`.chargement.ecriture_exclusive`) sees ``ledger`` among
    the parameters.
    """
    propres = inspect.signature(commande).parameters
    voulus = [nom for nom in _FOURNIS if nom in propres]

    @functools.wraps(commande)
    def executer(**parametres: Any) -> None:
        from .en_cache import commande_en_cache, parametres_de_rapport, resultat_en_cache
        from .sortie import Sortie

        ledger = parametres.pop("ledger")
        sortie = Sortie(
            parametres.pop("format"), parametres.pop("sortie"), parametres.pop("ecraser")
        )
        fournis = {"ledger": ledger, "sortie": sortie}
        nom = commande_en_cache()
        cle = parametres_de_rapport(parametres, sortie) if nom else None
        rapport = resultat_en_cache(
            nom if cle is not None else None,
            ledger,
            cle or {},
            lambda: commande(**parametres, **{n: fournis[n] for n in voulus}),
        )
        if rapport is not None:
            sortie.emettre(rapport)

    parametres = [
        parametre.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for parametre in propres.values()
        if parametre.name not in _FOURNIS
    ]
    parametres += _options_de_sortie()
    executer.__signature__ = inspect.Signature(parametres)  # type: ignore[attr-defined]
    executer.__annotations__ = {
        parametre.name: parametre.annotation
        for parametre in parametres
        if parametre.annotation is not inspect.Parameter.empty
    }
    return executer


def _options_de_sortie() -> list[inspect.Parameter]:
    """``--ledger --format --sortie --ecraser``, in this order, as Typer parameters."""
    from .sortie import ecraser_option, format_option, sortie_option

    def option(nom: str, defaut: Any, annotation: Any = inspect.Parameter.empty) -> Any:
        return inspect.Parameter(
            nom, inspect.Parameter.KEYWORD_ONLY, default=defaut, annotation=annotation
        )

    return [
        option("ledger", ledger_option(), Path | None),
        option("format", format_option()),  # parsed by the option (no Typer type)
        option("sortie", sortie_option(), Path | None),
        option("ecraser", ecraser_option(), bool),
    ]
