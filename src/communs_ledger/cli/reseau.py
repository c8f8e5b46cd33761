"""``communs reseau``: the association among its network's peers (``comparer``).

``communs reseau comparer [DOSSIER]`` and ``communs indicateurs --comparer DOSSIER`` run
the same code (:func:`rapport_de_comparaison`); ``reseau comparer`` reads the folder from
``partage.reseau.chemin`` when none is given, and adds the charts to its HTML and XLSX
(the terminal's table says it all)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .francais import TyperFrancais
from .options import commande_de_rapport
from .rapports import exercice_option

if TYPE_CHECKING:
    from ..exercices import Exercice
    from ..rapports.objets import Rapport
    from ..rapports.source import Source
    from .sortie import Sortie

reseau_app = TyperFrancais(
    help="Réseau d'associations : se situer parmi les autres à partir de leurs indicateurs "
    "anonymisés (communs indicateurs --partage).",
    no_args_is_help=True,
)


def groupe_option(aide: str) -> Any:
    """``--groupe taille|secteur|salaries``."""
    return typer.Option(None, "--groupe", help=aide, show_default=False)


def verifier_groupe(groupe: str | None) -> None:
    from ..partage.reglages import GROUPES_DE_COMPARAISON
    from .echecs import MauvaisUsage

    if groupe is not None and groupe not in GROUPES_DE_COMPARAISON:
        raise MauvaisUsage(f"--groupe « {groupe} » inconnu : taille, secteur ou salaries")


@reseau_app.command("comparer")
@commande_de_rapport
def comparer_au_reseau_command(
    dossier: Path | None = typer.Argument(
        None,
        help="Dossier des fichiers d'indicateurs des associations du réseau ; par défaut "
        "celui de partage.reseau.chemin dans communs.yaml.",
        show_default=False,
    ),
    exercice: str | None = exercice_option(),
    groupe: str | None = groupe_option(
        "Seulement les associations de même tranche de taille (taille), de même secteur "
        "(secteur) ou de même tranche de salariés (salaries) ; par défaut "
        "partage.reseau.groupe, sinon toutes."
    ),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> Rapport:
    """Situe l'association parmi celles du réseau : pour chaque indicateur, 1er quartile,
    médiane, 3e quartile et sa position (aucun groupe de moins de 5 associations)."""
    from ..partage.comparaison import dossier_du_reseau
    from ..partage.reglages import partage_config
    from ..rendu import Format
    from .echecs import Echec
    from .rapports import exercice_de, source_du_grand_livre

    verifier_groupe(groupe)
    source = source_du_grand_livre(ledger)
    config = source.context.config
    if dossier is None:
        dossier = dossier_du_reseau(config, source.context.ledger.parent)
        if dossier is None:
            raise Echec(
                "indiquez le dossier des indicateurs du réseau : communs reseau comparer "
                "DOSSIER, ou dans communs.yaml, partage: reseau: chemin: DOSSIER"
            )
    groupe = groupe or partage_config(config).reseau.groupe
    periode = exercice_de(source, exercice)
    graphiques = sortie.format_ecrit in (Format.html, Format.xlsx)
    return rapport_de_comparaison(source, periode, dossier, groupe, graphiques)


def rapport_de_comparaison(
    source: Source,
    periode: Exercice,
    dossier: Path,
    groupe: str | None,
    graphiques: bool,
    option: str = "",
) -> Rapport:
    """Compare and build the report (``option``: the option named in a failure,
    ``--comparer``)."""
    from ..partage.comparaison import (
        PairIllisible,
        ReseauIntrouvable,
        build_rapport_comparaison,
        comparer_au_reseau,
    )
    from .echecs import Echec

    prefixe = f"{option} : " if option else ""
    try:
        comparaison = comparer_au_reseau(source, periode, dossier, groupe)
    except (ReseauIntrouvable, PairIllisible) as exc:
        raise Echec(f"{prefixe}{exc}") from None
    return build_rapport_comparaison(comparaison, source.association, graphiques)
