"""``communs immobilisations``: the fixed-asset register, depreciation plans and entries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .chargement import ecriture_exclusive
from .options import commande_de_rapport
from .rapports import exercice_option

if TYPE_CHECKING:
    from .sortie import Sortie

ECRIRE_HELP = (
    "Écrit les dotations et cessions de l'exercice qui manquent : ajoutées à ce fichier "
    "s'il fait partie du grand livre (ex. 2025.beancount, puis revérification et retour à "
    "l'état d'origine en cas d'erreur), sinon dans un nouveau fichier .beancount à inclure. "
    "Relancer la commande n'écrit rien de plus."
)


@ecriture_exclusive(lambda parametres: parametres["ecrire"] is not None)
@commande_de_rapport
def immobilisations(
    exercice: str | None = exercice_option(),
    plan: str | None = typer.Option(
        None,
        "--plan",
        help="Plan d'amortissement de cette immobilisation (son identifiant dans le registre).",
        metavar="ID",
        show_default=False,
    ),
    ecrire: Path | None = typer.Option(
        None, "--ecrire", help=ECRIRE_HELP, metavar="FICHIER", show_default=False
    ),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> None:
    """Immobilisations : valeur brute, amortissements, dotation de l'exercice et VNC.

    Lit le registre déclaré dans communs.yaml (immobilisations: immobilisations.yaml) ;
    amortissement linéaire, prorata temporis sur l'année de 360 jours. Avec --plan ID, le
    plan d'amortissement d'une immobilisation ; avec --ecrire, les écritures de dotation
    (6811/28x) et de cession qui manquent au grand livre.
    """
    from ..immobilisations.rapport import (
        compute_immobilisations,
        connus,
        rapport_immobilisations,
        rapport_plan,
    )
    from .affichage import succes
    from .echecs import Echec
    from .fonds_dedies import livre_et_source
    from .rapports import exercice_de, produire

    livre, source = livre_et_source(ledger)
    if plan is not None:
        if ecrire is not None:
            raise Echec("--plan et --ecrire ne vont pas ensemble : l'un montre, l'autre écrit")
        sortie.emettre(produire(rapport_plan, source, plan))
        return
    periode = exercice_de(source, exercice)
    sortie.emettre(produire(rapport_immobilisations, source, periode))
    if ecrire is None:
        return
    from ..immobilisations.ecritures import texte_des_dotations_et_cessions
    from .ajout_livre import ecrire_bloc

    a_passer = produire(compute_immobilisations, source, periode).a_passer
    if not a_passer:
        succes("Rien à écrire : les amortissements et cessions de l'exercice sont déjà passés.")
        return
    bloc = texte_des_dotations_et_cessions(a_passer, connus(source), source.mouvements.devise)
    en_tete = f"; Immobilisations de l'exercice {periode.code} (communs immobilisations)\n"
    succes(ecrire_bloc(livre, ecrire, en_tete + bloc, sortie.ecraser))
