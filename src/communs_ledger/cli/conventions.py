"""What the subsidy commands share: loading the conventions and the clés de répartition,
refusing files with errors (exit 1, file:line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from .echecs import Echec, erreurs_listees

if TYPE_CHECKING:
    from ..analytique.cles import Cles
    from ..conventions.fichier import Conventions
    from ..rapports.source import Source


AIDE_REPARTITION = (
    "Avec --projet : ajoute la part du projet des charges indirectes réparties par les clés "
    "de répartition (par défaut) ; --sans-repartition : charges directes seules."
)


def repartition_option(help_text: str = AIDE_REPARTITION) -> Any:
    """``--repartition/--sans-repartition`` (default: with the allocated indirect costs)."""
    return typer.Option(True, "--repartition/--sans-repartition", help=help_text)


def refuser(erreurs, quoi: str) -> None:  # erreurs: list[SourceError]
    from ..formatage import pluriel

    if not erreurs:
        return
    raise Echec(f"{quoi} : {pluriel(len(erreurs), 'erreur')} à corriger", erreurs_listees(erreurs))


def cles_ou_echec(source):  # -> Cles
    """The ledger's clés de répartition; exit 1 if their file has errors."""
    from ..analytique.cles import cles_du_grand_livre as load

    cles, erreurs = load(source.context)
    refuser(erreurs, "les clés de répartition contiennent des erreurs")
    return cles


def cles_et_conventions(
    source: Source, sans_convention: Callable[[], str] | None = None
) -> tuple[Conventions, Cles]:
    """The ledger's conventions and keys; exit 1 without conventions or with errors
    (``sans_convention``: what to add to the refusal, e.g. where the subsidies can be read
    without a convention)."""
    from ..conventions.etiquettes import etiquettes_inconnues
    from ..conventions.fichier import conventions_du_grand_livre

    conventions, erreurs = conventions_du_grand_livre(source.context)
    refuser(erreurs, "le fichier des conventions contient des erreurs")
    if conventions is None:
        raise Echec(
            "aucune convention déclarée : ajoutez « conventions: conventions.yaml » à "
            "communs.yaml (voir docs/conventions.md)"
            + (sans_convention() if sans_convention else "")
        )
    # an entry tagged with a convention the file lacks (a typo, an emptied file) would be
    # left out of every figure without a word, as the cash plan refuses it
    refuser(
        etiquettes_inconnues(conventions, source.entries),
        "des écritures sont rattachées à une convention inconnue",
    )
    return conventions, cles_ou_echec(source)
