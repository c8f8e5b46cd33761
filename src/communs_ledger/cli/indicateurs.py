"""``communs indicateurs``: the anonymised indicators an association may share, and its
place among peers (``--comparer DOSSIER``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import commande_de_rapport
from .rapports import exercice_option
from .reseau import groupe_option, verifier_groupe

if TYPE_CHECKING:
    from ..rapports.objets import Rapport
    from .sortie import Sortie


@commande_de_rapport
def indicateurs_command(
    exercice: str | None = exercice_option(),
    partage: bool = typer.Option(
        False,
        "--partage",
        help="Écrit les indicateurs anonymisés dans le fichier --sortie (JSON), après les "
        "avoir montrés.",
    ),
    comparer: Path | None = typer.Option(
        None,
        "--comparer",
        help="Dossier des fichiers d'indicateurs d'autres associations : situe l'association "
        "parmi elles (au moins 5 par indicateur).",
        show_default=False,
    ),
    groupe: str | None = groupe_option(
        "Avec --comparer : seulement les associations de même tranche de taille "
        "(taille), de même secteur (secteur) ou de même tranche de salariés (salaries)."
    ),
    oui: bool = typer.Option(False, "--oui", help="Écrit sans demander de confirmation."),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> Rapport | None:
    """Indicateurs anonymisés de l'association (tranches et ratios arrondis, sans nom ni
    montant) : les montre, les écrit pour le réseau (--partage) ou compare l'association
    aux autres (--comparer)."""
    from ..partage.indicateurs import compute_indicateurs_partages
    from ..partage.reglages import partage_config
    from .echecs import MauvaisUsage
    from .rapports import exercice_de, source_du_grand_livre
    from .reseau import rapport_de_comparaison

    if partage and comparer is not None:
        raise MauvaisUsage("--partage et --comparer ne vont pas ensemble")
    verifier_groupe(groupe)
    if partage and sortie.fichier is None:
        raise MauvaisUsage("--partage : indiquez le fichier à écrire (--sortie FICHIER.json)")
    source = source_du_grand_livre(ledger)
    periode = exercice_de(source, exercice)
    if comparer is not None:  # the same code as « communs reseau comparer », no chart
        return rapport_de_comparaison(source, periode, comparer, groupe, False, "--comparer")
    propres = compute_indicateurs_partages(source, periode, partage_config(source.context.config))
    texte = propres.texte_json()
    if not partage:
        typer.echo(texte, nl=False)
        return None
    assert sortie.fichier is not None
    _partager(texte, sortie.fichier, oui, sortie.ecraser)
    return None


def _partager(texte: str, sortie: Path, oui: bool, ecraser: bool) -> None:
    from .affichage import succes
    from .sortie import verifier_cible, write

    verifier_cible(sortie, ecraser)
    typer.echo(f"Contenu exact du fichier {sortie} (rien d'autre n'y est écrit) :")
    typer.echo(texte, nl=False)
    if not oui:
        if not sys.stdin.isatty():
            typer.echo("Rien n'est écrit : relancez avec --oui pour écrire ce fichier.")
            return
        from .affichage import confirmer

        if not confirmer("Écrire ce fichier ?"):
            typer.echo("Rien n'est écrit.")
            return
    write(sortie, texte.encode("utf-8"), ecraser)
    succes(f"Indicateurs anonymisés écrits dans {sortie}")
