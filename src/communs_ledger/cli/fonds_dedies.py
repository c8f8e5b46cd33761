"""``communs fonds-dedies``: the fonds dédiés of an exercice and the entries they require."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .chargement import ecriture_exclusive
from .options import commande_de_rapport
from .rapports import exercice_option

if TYPE_CHECKING:
    from ..chargement import Livre
    from ..rapports.source import Source
    from .sortie import Sortie


ECRIRE_HELP = (
    "Écrit les écritures manquantes : ajoutées à ce fichier s'il fait partie du grand livre "
    "(ex. 2025.beancount, puis revérification et retour à l'état d'origine en cas d'erreur), "
    "sinon dans un nouveau fichier .beancount à inclure. Sans cette option, rien n'est écrit."
)


def livre_et_source(ledger: Path | None) -> tuple[Livre, Source]:
    """Load the ledger, refuse it if it has errors, and build its report source."""
    from ..rapports.source import Source
    from .rapports import livre_sans_erreur

    livre = livre_sans_erreur(ledger, "d'abord (communs verifier)")
    return livre, Source.from_livre(livre)


@ecriture_exclusive(lambda parametres: parametres["ecrire"] is not None)
@commande_de_rapport
def fonds_dedies(
    exercice: str | None = exercice_option(),
    ecrire: Path | None = typer.Option(
        None, "--ecrire", help=ECRIRE_HELP, metavar="FICHIER", show_default=False
    ),
    repartition: bool | None = typer.Option(
        None,
        "--avec-repartition/--sans-repartition",
        help="Remplace le choix des conventions (frais_indirects dans le fichier des "
        "conventions, par défaut charges directes seules) : compter, ou non, dans l'emploi "
        "les charges indirectes réparties par les clés de répartition. Avertissement : la "
        "clôture suit le choix des conventions.",
        show_default=False,
    ),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> None:
    """Fonds dédiés : part non utilisée des ressources affectées à la clôture, utilisations.

    Pour chaque convention dédiée (dediee: true) : fonds à l'ouverture, ressource et
    emploi de l'exercice, utilisation des fonds antérieurs (19x → 789x), report de la
    part non utilisée (689x → 19x), et les écritures qui manquent au grand livre.
    """
    from ..fonds_dedies.ecritures import comptes_ouverts, texte_des_ecritures
    from ..fonds_dedies.rapport import a_passer, rapport_fonds_dedies
    from .affichage import succes
    from .rapports import exercice_de, produire

    livre, source = livre_et_source(ledger)
    periode = exercice_de(source, exercice)
    rapport = produire(rapport_fonds_dedies, source, periode, repartition)
    sortie.emettre(rapport)
    if ecrire is None:
        return
    from .ajout_livre import ecrire_bloc

    _fonds, ecritures = produire(a_passer, source, periode, repartition)
    if not ecritures:
        succes("Rien à écrire : les écritures de fonds dédiés de l'exercice sont déjà passées.")
        return
    bloc = texte_des_ecritures(ecritures, comptes_ouverts(source.entries), source.mouvements.devise)
    en_tete = f"; Fonds dédiés de l'exercice {periode.code} (communs fonds-dedies)\n"
    succes(ecrire_bloc(livre, ecrire, en_tete + bloc, sortie.ecraser))
