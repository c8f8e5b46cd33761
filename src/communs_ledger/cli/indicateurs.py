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
    from ..partage.indicateurs import IndicateursPartages
    from ..rapports.objets import Rapport
    from ..rapports.source import Source
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
    if not partage:
        typer.echo(propres.texte_json(), nl=False)
        return None
    assert sortie.fichier is not None
    _partager(source, propres, sortie.fichier, oui, sortie.ecraser)
    return None


def _partager(
    source: Source, propres: IndicateursPartages, sortie: Path, oui: bool, ecraser: bool
) -> None:
    """Show then write the shared file, with the association's token (its key created
    at the first share): the comparison leaves its own file out by this token."""
    from dataclasses import replace

    from ..partage.jetons import cle_creee, fichier_de_la_cle, jeton
    from .affichage import succes
    from .echecs import Echec
    from .sortie import cause_lisible, verifier_cible, write

    verifier_cible(sortie, ecraser)
    config, dossier = source.context.config, source.context.ledger.parent
    nouvelle = not fichier_de_la_cle(config, dossier).exists()
    try:
        cle = cle_creee(config, dossier)
    except OSError as exc:
        cause = cause_lisible(exc)
        raise Echec(f"impossible d'écrire {fichier_de_la_cle(config, dossier)} : {cause}") from None
    except ValueError as exc:
        raise Echec(str(exc)) from None
    propres = replace(propres, jeton=jeton(cle, propres.exercice))
    texte = propres.texte_json()
    typer.echo(f"Contenu exact du fichier {sortie} (rien d'autre n'y est écrit) :")
    typer.echo(texte, nl=False)
    if not oui:
        if not sys.stdin.isatty():
            typer.echo(f"{_rien_d_ecrit(sortie, nouvelle)} : relancez avec --oui pour l'écrire.")
            return
        from .affichage import confirmer

        if not confirmer("Écrire ce fichier ?"):
            typer.echo(f"{_rien_d_ecrit(sortie, nouvelle)}.")
            return
    write(sortie, texte.encode("utf-8"), ecraser)
    succes(f"Indicateurs anonymisés écrits dans {sortie}")


def _rien_d_ecrit(sortie: Path, cle_nouvelle: bool) -> str:
    """What a share that was not confirmed did: nothing, but for the association's key
    at its first share (kept so that the token shown is the one written later)."""
    if not cle_nouvelle:
        return f"Rien n'est écrit dans {sortie}"
    from ..partage.jetons import NOM_CLE

    return (
        f"Rien n'est écrit dans {sortie} ; seule la clé secrète de l'association a été créée "
        f"({NOM_CLE}, jamais partagée), pour que le jeton affiché soit celui qui sera écrit"
    )
