"""``communs prevision``: atterrissage of the exercice, multi-year projection, forecast
entries for Fava."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .budget_cerfa import version_option
from .chargement import ecriture_exclusive
from .echecs import VOIR_VERIFIER, refuser_erreurs
from .francais import TyperFrancais
from .options import commande_de_rapport, ledger_option
from .rapports import exercice_option

if TYPE_CHECKING:
    from ..budget.fichier import Budgets
    from ..chargement import Livre
    from ..previsions.destination import Destination
    from ..previsions.ecriture_previsions import FichierPrevisions
    from ..previsions.entrees import Entrees
    from ..rapports.objets import Rapport
    from ..rapports.source import Source

prevision_app = TyperFrancais(
    help=(
        "Prévisions : atterrissage de l'exercice, projection pluriannuelle, résultat de fin "
        "d'exercice retenu, versements de subventions attendus, écritures de prévision à "
        "inclure dans le grand livre (Fava)."
    ),
    no_args_is_help=True,
)

ANNEES_MAX = 10
JOURS_MAX = 3660
MOIS_MAX = 60  # as the engine (ecriture_previsions.MAX_MOIS), kept here for --help speed
SCENARIO_HELP = (
    "Scénario de previsions/scenarios.yaml (ex. pessimiste) ; par défaut la prévision de base."
)


def scenario_option() -> Any:
    return typer.Option(None, "--scenario", "-s", help=SCENARIO_HELP, show_default=False)


@prevision_app.command("atterrissage")
@commande_de_rapport
def atterrissage(
    exercice: str | None = exercice_option(),
    scenario: str | None = scenario_option(),
    version: str | None = version_option(
        "Version du budget comparée (code ou nom ; par défaut la plus récente)."
    ),
    *,
    ledger: Path | None,
) -> Rapport:
    """Résultat prévu de l'exercice (réalisé + prévision du reste) comparé au budget."""
    from ..previsions.atterrissage import atterrissage as construire
    from .rapports import produire

    source, entrees, budgets = _livre_entrees_budgets(ledger)
    return produire(
        construire, source, entrees, budgets, exercice, scenario=scenario, version=version
    )


@prevision_app.command("pluriannuelle")
@commande_de_rapport
def pluriannuelle_command(
    annees: int = typer.Option(
        3,
        "--annees",
        "-n",
        help=f"Nombre d'exercices projetés après l'exercice en cours (1 à {ANNEES_MAX}).",
    ),
    scenario: str | None = scenario_option(),
    *,
    ledger: Path | None,
) -> Rapport:
    """Compte de résultat et trésorerie de fin d'exercice des années à venir."""
    from .echecs import MauvaisUsage

    if not 1 <= annees <= ANNEES_MAX:
        raise MauvaisUsage(f"--annees {annees} : nombre d'exercices attendu de 1 à {ANNEES_MAX}")
    from ..previsions.pluriannuelle import pluriannuelle as construire
    from .rapports import produire

    source, entrees, budgets = _livre_entrees_budgets(ledger)
    return produire(construire, source, entrees, budgets, annees=annees, scenario=scenario)


@prevision_app.command("resultat")
@commande_de_rapport
def resultat_retenu(
    exercice: str | None = exercice_option(),
    *,
    ledger: Path | None,
) -> Rapport:
    """Résultat à date et de fin d'exercice retenu (atterrissage ou projection du budget)."""
    from ..previsions.resultat_projete import build_rapport_resultat_projete, resultat_projete
    from .rapports import produire

    source, entrees, budgets = _livre_entrees_budgets(ledger)
    periode = produire(source.exercice, exercice)
    resultats = produire(resultat_projete, source, budgets, entrees, periode)
    return build_rapport_resultat_projete(resultats, source.association)


@prevision_app.command("versements")
@commande_de_rapport
def versements(
    jours: int = typer.Option(
        365,
        "--jours",
        "-j",
        help=f"Horizon en jours après la dernière écriture (1 à {JOURS_MAX}).",
    ),
    *,
    ledger: Path | None,
) -> Rapport:
    """Versements de subventions attendus (échéanciers des conventions) du tableau de bord."""
    from .echecs import MauvaisUsage

    if not 1 <= jours <= JOURS_MAX:
        raise MauvaisUsage(f"--jours {jours} : nombre de jours attendu de 1 à {JOURS_MAX}")
    from ..previsions.versements import (
        build_rapport_versements_attendus,
        debut_des_versements,
        versements_attendus,
    )
    from .rapports import produire, source_du_grand_livre

    source = source_du_grand_livre(ledger)
    entrees = _entrees(source.context, source.entries)
    debut = debut_des_versements(source, datetime.date.today())
    attendus = produire(versements_attendus, source, entrees, debut, jours)
    return build_rapport_versements_attendus(attendus, source.association, debut, jours)


@prevision_app.command("ecrire")
@ecriture_exclusive()
def ecrire(
    fichier: Path = typer.Argument(
        ...,
        metavar="FICHIER",
        help="Fichier Beancount des prévisions (ex. previsions.beancount), à inclure dans le "
        "grand livre ; remplacé en entier à chaque génération.",
        show_default=False,
    ),
    scenario: str | None = scenario_option(),
    mois: int = typer.Option(
        12,
        "--mois",
        "-m",
        help=f"Nombre de mois (1 à {MOIS_MAX}), à compter du mois de la dernière écriture "
        "réelle (comme communs tresorerie) : prévisions du lendemain de celle-ci à la fin du "
        "dernier mois.",
    ),
    ecraser: bool = typer.Option(
        False,
        "--ecraser",
        help="Remplace FICHIER même s'il n'a pas été généré par communs (sans en-tête de "
        "fichier généré).",
    ),
    ledger: Path | None = ledger_option(),
) -> None:
    """Écrit la prévision en écritures Beancount (#prevision) à inclure pour Fava."""
    from ..previsions.destination import destination
    from .chargement import charger
    from .echecs import Echec, MauvaisUsage

    if not 1 <= mois <= MOIS_MAX:
        raise MauvaisUsage(f"--mois {mois} : nombre de mois attendu de 1 à {MOIS_MAX}")
    cible = _cible(fichier)
    ancien = _ancien(cible, fichier)
    _refuser_fichier_utilisateur(fichier, ancien, ecraser)
    livre = charger(ledger)
    if cible == livre.path:
        raise Echec(f"{fichier} est le grand livre lui-même : choisissez un autre fichier")
    dest = destination(livre, cible)
    # the ledger's errors, except those of the file being regenerated
    corriger = "avant d'écrire les prévisions"
    refuser_erreurs(dest.erreurs_bloquantes, "le grand livre contient", corriger, VOIR_VERIFIER)
    genere = _generer(livre, dest, scenario, mois, _commande(fichier, scenario, mois, ledger))
    _ecrire_fichier(livre, dest, genere.texte, fichier, nouveau=ancien is None)
    _annoncer(genere, fichier, dest, livre.path)


# --- Shared steps --------------------------------------------------------------------------


def _livre_entrees_budgets(ledger: Path | None) -> tuple[Source, Entrees, Budgets]:
    """The ledger's source, its forecast inputs (checked against its tags) and budgets."""
    from .rapports import source_du_grand_livre

    source = source_du_grand_livre(ledger)
    return source, _entrees(source.context, source.entries), _budgets(source.context)


def _entrees(context: Any, entries: list[Any] | None = None) -> Entrees:
    from ..previsions import entrees

    loaded = entrees.charger_entrees(context)
    if entries is not None:
        loaded.verifier_etiquettes(entries)  # convention: tags naming no convention
    refuser_erreurs(
        loaded.erreurs, "la configuration des prévisions contient", renvoi=VOIR_VERIFIER
    )
    return loaded


def _budgets(context: Any) -> Budgets:
    from ..budget.fichier import load_budgets

    budgets = load_budgets(context)
    refuser_erreurs(budgets.erreurs, "le budget contient", renvoi=VOIR_VERIFIER)
    return budgets


# --- ecrire --------------------------------------------------------------------------------


def _cible(fichier: Path) -> Path:
    """The absolute target; French failure for a folder or a missing folder (an existing
    file is checked afterwards: only a generated one is replaced without --ecraser)."""
    from .sortie import verifier_cible

    cible = Path(os.path.abspath(fichier))
    verifier_cible(cible, ecraser=True, nom=fichier)
    return cible


def _ancien(cible: Path, fichier: Path) -> bytes | None:
    from .echecs import Echec
    from .sortie import cause_lisible

    if not cible.exists():
        return None
    try:
        return cible.read_bytes()
    except OSError as exc:
        raise Echec(f"impossible de lire {fichier} : {cause_lisible(exc)}") from None


def _refuser_fichier_utilisateur(fichier: Path, ancien: bytes | None, ecraser: bool) -> None:
    """A file without the generated header is a user's file: replaced only with --ecraser."""
    from ..previsions.ecriture_previsions import est_genere
    from .echecs import Echec

    if ancien is not None and not ecraser and not est_genere(ancien.decode("utf-8", "replace")):
        raise Echec(
            f"{fichier} existe et n'a pas été généré par communs (pas d'en-tête de fichier "
            "généré) : choisissez un autre nom, ou ajoutez --ecraser pour le remplacer"
        )


def _commande(fichier: Path, scenario: str | None, mois: int, ledger: Path | None) -> str:
    from ..previsions.destination import commande_de

    return commande_de(fichier, scenario, mois, ledger)


def _generer(
    livre: Livre, dest: Destination, scenario: str | None, mois: int, commande: str
) -> FichierPrevisions:
    """The forecast file's text and what it holds (:class:`FichierPrevisions`)."""
    from ..previsions.ecriture_previsions import fichier_de_previsions
    from ..rapports.source import RapportImpossible, Source
    from .echecs import Echec

    source = Source.from_livre(livre)
    entrees = _entrees(livre.context, livre.entries)
    try:
        return fichier_de_previsions(
            source,
            entrees,
            comptes_ouverts=dest.comptes_ouverts,
            scenario=scenario,
            mois=mois,
            genere_le=datetime.date.today(),
            commande=commande,
            inclusion=dest.inclusion,
        )
    except RapportImpossible as exc:
        raise Echec(str(exc)) from None


def _ecrire_fichier(
    livre: Livre, dest: Destination, texte: str, fichier: Path, nouveau: bool
) -> None:
    """Write and check the file through the kernel's service; French failures."""
    from ..ajout import RestaurationImpossible
    from ..previsions.destination import ecrire_previsions
    from .affichage import messages
    from .echecs import Echec
    from .sortie import cause_lisible

    with messages().status("Vérification du grand livre avec les prévisions…", spinner="dots"):
        try:
            resultat = ecrire_previsions(livre, dest, texte)
        except RestaurationImpossible as exc:
            raise Echec(
                f"impossible de restaurer {fichier} : {cause_lisible(exc)}",
                [str(d) for d in exc.nouvelles_erreurs],
            ) from None
    if resultat.echec is not None:
        raise Echec(f"impossible d'écrire {fichier} : {cause_lisible(resultat.echec.erreur)}")
    if resultat.nouvelles_erreurs:
        etat = "supprimé" if nouveau else "laissé dans son état d'origine"
        raise Echec(
            f"le grand livre ne passe plus la vérification avec ces prévisions : {fichier} "
            f"est {etat}",
            [str(d) for d in resultat.nouvelles_erreurs],
        )


def _annoncer(genere: FichierPrevisions, fichier: Path, dest: Destination, ledger: Path) -> None:
    """What was written, over which period; what is left to do (the include)."""
    from ..formatage import pluriel
    from .affichage import avertissement, succes

    if genere.ignores:
        avertissement(
            f"{pluriel(genere.ignores, 'prévision')} hors charges et produits (classes 6 et 7 : "
            "contributions volontaires en nature 86/87…) non écrite(s), sans effet sur la "
            "trésorerie"
        )
    periode = genere.periode
    ecritures = pluriel(len(genere.ecritures), "écriture de prévision", "écritures de prévision")
    if periode.debut > periode.fin:
        quand = (
            f"(les mois demandés s'arrêtent au {periode.fin.strftime('%d/%m/%Y')}, jour de la "
            "dernière écriture réelle : augmentez --mois)"
        )
    else:
        quand = (
            f"du {periode.debut.strftime('%d/%m/%Y')} au {periode.fin.strftime('%d/%m/%Y')} "
            f"(scénario {genere.scenario.code})"
        )
    succes(
        f"{ecritures} {quand} écrites dans {fichier}"
        + (" ; grand livre revérifié : aucune nouvelle erreur." if dest.inclus else ".")
    )
    if not dest.inclus:
        avertissement(
            f"{fichier} n'est pas inclus dans le grand livre : ajoutez la ligne "
            f'include "{dest.inclusion}" à {ledger.name} pour voir les soldes futurs dans Fava'
        )
