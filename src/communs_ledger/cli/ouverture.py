"""``communs ouverture``: open the books from the previous software's FEC or balance."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .chargement import ecriture_exclusive
from .options import ledger_option

if TYPE_CHECKING:
    from ..chargement import Livre
    from ..config import Config
    from ..exercices import Exercice
    from ..fec.ouverture import TexteOuverture


@ecriture_exclusive(lambda parametres: parametres["ecrire"])
def ouverture(
    depuis: Path = typer.Option(
        ...,
        "--depuis",
        help="FEC du dernier exercice clôturé (tabulations ou « | ») ou balance CSV "
        "(compte, libellé, débit, crédit).",
        metavar="FICHIER",
        show_default=False,
    ),
    ecrire: bool = typer.Option(
        False,
        "--ecrire",
        help="Écrit la reprise dans le grand livre (revérifié, remis dans son état d'origine "
        "en cas d'erreur). Sans cette option, rien n'est écrit : les écritures sont montrées.",
    ),
    non_interactif: bool = typer.Option(
        False,
        "--non-interactif",
        help="Pour les scripts : aucune question ; les numéros que ni le plan comptable ni le "
        "fichier des correspondances ne placent sont listés et rien n'est écrit.",
    ),
    correspondances: Path | None = typer.Option(
        None,
        "--correspondances",
        help="Fichier YAML « correspondances: {numéro: compte ou numéro du plan} » pour les "
        "numéros de l'ancien logiciel.",
        metavar="FICHIER",
        show_default=False,
    ),
    au: datetime.datetime | None = typer.Option(
        None,
        "--au",
        formats=["%Y-%m-%d"],
        help="Balance seulement : date de clôture de l'exercice qu'elle termine (AAAA-MM-JJ).",
        show_default=False,
    ),
    ledger: Path | None = ledger_option(),
) -> None:
    """Reprend une comptabilité existante : soldes d'ouverture et chiffres de l'exercice N-1.

    Depuis un FEC, l'exercice du FEC est repris (soldes d'ouverture et mouvements totalisés
    par compte) : le premier exercice du grand livre, celui qui suit, a sa colonne N-1.
    Depuis une balance, une écriture d'ouverture reprend les soldes du bilan.
    """
    from ..fec.ouverture import (
        exercice_repris,
        faire_correspondre,
        lire_correspondances,
        resultats_non_affectes,
        texte_ouverture,
    )
    from ..fec.reprise import RepriseImpossible, lire_reprise
    from ..plan import load_chart
    from ..sources import display_path
    from .affichage import avertissement, info, succes
    from .echecs import Echec
    from .rapports import livre_sans_erreur

    livre = livre_sans_erreur(ledger, "d'abord (communs verifier)")
    table: dict[str, str] = {}
    if correspondances is not None:
        table, errors = lire_correspondances(correspondances)
        if errors:
            raise Echec("fichier des correspondances invalide", [str(e) for e in errors])
    try:
        reprise = lire_reprise(depuis)
        precedent = exercice_repris(reprise, livre.context.calendrier, au and au.date())
    except RepriseImpossible as exc:
        raise Echec(str(exc)) from None
    premier = livre.context.calendrier.containing(precedent.fin_exclusive)
    _refuser_un_livre_commence(livre, premier)
    chart = load_chart(precedent.version)
    ouverts = _comptes_ouverts(livre.entries)
    banque = _banque(livre.context.config, livre.entries)
    affectation = faire_correspondre(reprise, chart, ouverts, livre.context.roots, table, banque)
    if affectation.non_affectes and not non_interactif and _terminal():
        table.update(_demander(affectation.non_affectes))
        affectation = faire_correspondre(
            reprise, chart, ouverts, livre.context.roots, table, banque
        )
    if affectation.non_affectes:
        raise Echec(
            f"{len(affectation.non_affectes)} numéro(s) de {display_path(depuis)} sans compte "
            "du grand livre : indiquez-les dans un fichier --correspondances "
            "(« correspondances: {numéro: compte} ») ; rien n'est écrit",
            affectation.non_affectes,
        )
    try:
        texte = texte_ouverture(
            reprise, affectation, precedent, premier, ouverts, livre.context.roots
        )
    except RepriseImpossible as exc:
        raise Echec(str(exc)) from None
    if not ecrire:
        for block in texte.par_exercice.values():
            typer.echo(block)
        for remarque in reprise.remarques:
            info(remarque)
        for warning in resultats_non_affectes(reprise):
            avertissement(warning)
        info(
            f"Aperçu : rien n'est écrit. Premier exercice du grand livre : {premier.libelle}. "
            "Ajoutez --ecrire pour écrire la reprise."
        )
        return
    _ecrire(livre, texte)
    for remarque in reprise.remarques:
        info(remarque)
    for warning in resultats_non_affectes(reprise):
        avertissement(warning)
    succes(
        f"Reprise écrite depuis {display_path(depuis)} ; premier exercice : {premier.libelle}"
        + (
            f", avec les chiffres de l'exercice {precedent.code} en N-1."
            if reprise.est_un_fec
            else "."
        )
    )


def _terminal() -> bool:
    import sys

    return sys.stdin.isatty()


def _demander(non_affectes: list[str]) -> dict[str, str]:
    """Ask, for each unmapped number, the account of the ledger (or a chart number)."""
    from ..codes import account_code

    found: dict[str, str] = {}
    for ligne in non_affectes:
        numero = ligne.split(" ", 1)[0]
        typer.echo(ligne, err=True)
        answer = typer.prompt(
            f"Compte pour {numero} (numéro du plan comptable ou nom complet du compte ; "
            "vide pour arrêter)",
            default="",
            show_default=False,
            err=True,
            prompt_suffix=" : ",
        ).strip()
        if answer and not answer.isdigit() and account_code(answer) is None:
            typer.echo(f"« {answer} » n'a pas de numéro de compte : laissé de côté", err=True)
        elif answer:
            found[numero] = answer
    return found


def _banque(config: Config, entries: list[Any]) -> str | None:
    """The account of the bank statements (importation.compte), if it names one."""
    from ..importation.comptes import CompteIntrouvable, Comptes
    from ..importation.reglages import import_config

    compte = import_config(config).compte
    if compte is None:
        return None
    try:
        return Comptes.du_grand_livre(entries).trouver(compte)
    except CompteIntrouvable:
        return None


def _comptes_ouverts(entries: list[Any]) -> list[str]:
    """The accounts the ledger opens and does not close."""
    from ..importation.comptes import Comptes

    comptes = Comptes.du_grand_livre(entries)
    return [name for name in comptes.noms if name not in comptes.fermeture]


def _refuser_un_livre_commence(livre: Livre, premier: Exercice) -> None:
    """The opening goes into a new ledger: no transaction before the first exercice."""
    from beancount.core import data

    from ..exercices import french_date
    from .echecs import Echec

    earlier = [
        e for e in livre.entries if isinstance(e, data.Transaction) and e.date < premier.debut
    ]
    if earlier:
        first = earlier[0]
        raise Echec(
            f"le grand livre a déjà des écritures avant le {french_date(premier.debut)} "
            f"({first.meta['filename']}:{first.meta['lineno']}) : la reprise se fait dans un "
            "grand livre neuf (communs init) ; rien n'est écrit"
        )


def _ecrire(livre: Livre, texte: TexteOuverture) -> None:
    from ..ajout import ecrire_et_verifier
    from ..fec.ouverture import changements
    from ..sources import display_path
    from .echecs import Echec
    from .sortie import cause_lisible

    prevus = changements(livre.path, livre.entries, livre.context.roots, texte)
    resultat = ecrire_et_verifier(livre.path, prevus, livre.diagnostics)
    if resultat.echec is not None:
        raise Echec(
            f"impossible d'écrire {display_path(resultat.echec.fichier)} : "
            f"{cause_lisible(resultat.echec.erreur)} ; rien n'est écrit"
        )
    if resultat.nouvelles_erreurs:
        raise Echec(
            "le grand livre ne passe plus la vérification avec la reprise : chaque fichier est "
            "remis exactement dans son état d'origine",
            [str(d) for d in resultat.nouvelles_erreurs[:20]],
        )
