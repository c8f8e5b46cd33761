"""``communs prevision``: atterrissage of the exercice, multi-year projection, forecast
entries for Fava."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .chargement import ecriture_exclusive
from .options import ledger_option
from .rapports import exercice_option
from .sortie import ecraser_option, format_option, sortie_option

if TYPE_CHECKING:
    from ..budget.fichier import Budgets
    from ..contexte import LedgerContext
    from ..previsions.entrees import Entrees


prevision_app = typer.Typer(
    help=(
        "Prévisions : atterrissage de l'exercice, projection pluriannuelle, écritures de "
        "prévision à inclure dans le grand livre (Fava)."
    ),
    no_args_is_help=True,
)

ANNEES_MAX = 10
MOIS_MAX = 60  # as the engine (ecriture_previsions.MAX_MOIS), kept here for --help speed
SCENARIO_HELP = (
    "Scénario de previsions/scenarios.yaml (ex. pessimiste) ; par défaut la prévision de base."
)


def scenario_option() -> Any:
    return typer.Option(None, "--scenario", "-s", help=SCENARIO_HELP, show_default=False)


@prevision_app.command("atterrissage")
def atterrissage(
    exercice: str | None = exercice_option(),
    scenario: str | None = scenario_option(),
    version: str | None = typer.Option(
        None,
        "--version",
        "-v",
        help="Version du budget comparée (code ou nom ; par défaut la plus récente).",
        show_default=False,
    ),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Résultat prévu de l'exercice (réalisé + prévision du reste) comparé au budget."""
    from ..previsions.atterrissage import atterrissage as construire
    from .rapports import produire, source_du_grand_livre
    from .sortie import emettre

    source = source_du_grand_livre(ledger)
    entrees = _entrees(source.context, source.entries)
    budgets = _budgets(source.context)
    rapport = produire(
        construire, source, entrees, budgets, exercice, scenario=scenario, version=version
    )
    emettre(rapport, format, sortie, ecraser)


@prevision_app.command("pluriannuelle")
def pluriannuelle(
    annees: int = typer.Option(
        3,
        "--annees",
        "-n",
        help=f"Nombre d'exercices projetés après l'exercice en cours (1 à {ANNEES_MAX}).",
    ),
    scenario: str | None = scenario_option(),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Compte de résultat et trésorerie de fin d'exercice des années à venir."""
    from .echecs import MauvaisUsage

    if not 1 <= annees <= ANNEES_MAX:
        raise MauvaisUsage(f"--annees {annees} : nombre d'exercices attendu de 1 à {ANNEES_MAX}")
    from ..previsions.pluriannuelle import pluriannuelle as construire
    from .rapports import produire, source_du_grand_livre
    from .sortie import emettre

    source = source_du_grand_livre(ledger)
    entrees = _entrees(source.context, source.entries)
    budgets = _budgets(source.context)
    rapport = produire(construire, source, entrees, budgets, annees=annees, scenario=scenario)
    emettre(rapport, format, sortie, ecraser)


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
    from .echecs import Echec, MauvaisUsage

    if not 1 <= mois <= MOIS_MAX:
        raise MauvaisUsage(f"--mois {mois} : nombre de mois attendu de 1 à {MOIS_MAX}")
    from ..acces_exclusif import transaction
    from ..chargement import load_livre
    from ..formatage import pluriel
    from ..previsions.ecriture_previsions import est_genere, fichier_de_previsions
    from ..rapports.source import RapportImpossible, Source
    from .affichage import avertissement, messages, succes
    from .chargement import charger
    from .sortie import cause_lisible, write

    cible = _cible(fichier)
    ancien = _ancien(cible, fichier)
    if ancien is not None and not ecraser and not est_genere(ancien.decode("utf-8", "replace")):
        raise Echec(
            f"{fichier} existe et n'a pas été généré par communs (pas d'en-tête de fichier "
            "généré) : choisissez un autre nom, ou ajoutez --ecraser pour le remplacer"
        )
    livre = charger(ledger)
    if cible == livre.path:
        raise Echec(f"{fichier} est le grand livre lui-même : choisissez un autre fichier")
    _refuser_erreurs(livre, cible)
    inclus = _inclus(livre, cible)
    source = Source.from_livre(livre)
    entrees = _entrees(livre.context, livre.entries)
    commande = _commande(fichier, scenario, mois, ledger)
    try:
        genere = fichier_de_previsions(
            source,
            entrees,
            comptes_ouverts=_comptes_ouverts(livre.entries, cible),
            scenario=scenario,
            mois=mois,
            genere_le=datetime.date.today(),
            commande=commande,
            inclusion=os.path.relpath(cible, livre.path.parent),
        )
    except RapportImpossible as exc:
        raise Echec(str(exc)) from None

    # the old bytes go to the folder's journal first: a crash during the check is undone
    with transaction(livre.path.parent, [cible]) as annuler:
        write(fichier, genere.texte.encode("utf-8"), True)
        with messages().status("Vérification du grand livre avec les prévisions…", spinner="dots"):
            nouvelles = _verifier(cible, livre.path, inclus, ancien is None, load_livre)
        if nouvelles:
            try:
                annuler()
            except OSError as exc:
                raise Echec(
                    f"impossible de restaurer {fichier} : {cause_lisible(exc)}", nouvelles
                ) from None
    if nouvelles:
        etat = "laissé dans son état d'origine" if ancien is not None else "supprimé"
        raise Echec(
            f"le grand livre ne passe plus la vérification avec ces prévisions : {fichier} "
            f"est {etat}",
            nouvelles,
        )
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
        + (" ; grand livre revérifié : aucune nouvelle erreur." if inclus else ".")
    )
    if not inclus:
        avertissement(
            f"{fichier} n'est pas inclus dans le grand livre : ajoutez la ligne "
            f'include "{os.path.relpath(cible, livre.path.parent)}" à {livre.path.name} pour '
            "voir les soldes futurs dans Fava"
        )


# --- Shared steps --------------------------------------------------------------------------


def _refuser(erreurs: list, quoi: str) -> None:
    from .echecs import Echec, erreurs_listees

    if not erreurs:
        return
    raise Echec(
        f"{quoi} contient {len(erreurs)} erreur(s) : corrigez-les d'abord",
        erreurs_listees(erreurs, " ; voir « communs verifier »"),
    )


def _entrees(context: LedgerContext, entries: list[Any] | None = None) -> Entrees:
    from ..previsions import entrees

    loaded = entrees.charger_entrees(context)
    if entries is not None:
        loaded.verifier_etiquettes(entries)  # convention: tags naming no convention
    _refuser(loaded.erreurs, "la configuration des prévisions")
    return loaded


def _budgets(context: LedgerContext) -> Budgets:
    from ..budget.fichier import load_budgets

    budgets = load_budgets(context)
    _refuser(budgets.erreurs, "le budget")
    return budgets


# --- ecrire --------------------------------------------------------------------------------


def _cible(fichier: Path) -> Path:
    """The absolute target; French failure for a folder or a missing folder."""
    from .echecs import Echec

    cible = Path(os.path.abspath(fichier))
    if cible.is_dir():
        raise Echec(f"impossible d'écrire {fichier} : c'est un dossier, indiquez un nom de fichier")
    dossier = cible.parent
    if not dossier.exists():
        raise Echec(f"impossible d'écrire {fichier} : le dossier {dossier} n'existe pas")
    if not dossier.is_dir():
        raise Echec(f"impossible d'écrire {fichier} : {dossier} n'est pas un dossier")
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


def _meme(filename: str | None, cible: Path) -> bool:
    return bool(filename) and os.path.normpath(os.path.abspath(str(filename))) == str(cible)


def _manquant(diagnostic: Any, cible: Path, ledger: Path) -> bool:
    """A missing ``include`` of the target (its first generation). Beancount reports the
    path as written in the ``include``, relative to the including file's folder (the
    diagnostic's file when located, else the ledger's), not to the current folder."""
    prefix = "Fichier inclus introuvable : "
    if not diagnostic.message.startswith(prefix):
        return False
    written = diagnostic.message.removeprefix(prefix).strip()
    folders = [ledger.parent]
    if diagnostic.line and diagnostic.filename:
        folders.insert(0, Path(os.path.abspath(diagnostic.filename)).parent)
    return any(_meme(os.path.join(folder, written), cible) for folder in folders)


def _refuser_erreurs(livre: Any, cible: Path) -> None:
    """Refuse a ledger with errors, except those of the file being regenerated (an old
    forecast, or its missing include)."""
    from .echecs import Echec, erreurs_listees

    others = [
        d
        for d in livre.diagnostics
        if not (_meme(d.filename, cible) or _manquant(d, cible, livre.path))
    ]
    if not others:
        return
    raise Echec(
        f"le grand livre contient {len(others)} erreur(s) : corrigez-les avant d'écrire les "
        "prévisions",
        erreurs_listees(others, " ; voir « communs verifier »"),
    )


def _inclus(livre: Any, cible: Path) -> bool:
    if any(_meme(name, cible) for name in livre.options.get("include") or ()):
        return True
    return any(_manquant(d, cible, livre.path) for d in livre.diagnostics)


def _comptes_ouverts(entries: list[Any], cible: Path) -> set[str]:
    """Accounts the ledger opens outside the generated file."""
    from beancount.core import data

    return {
        entry.account
        for entry in entries
        if isinstance(entry, data.Open) and not _meme((entry.meta or {}).get("filename"), cible)
    }


def _commande(fichier: Path, scenario: str | None, mois: int, ledger: Path | None) -> str:
    parts = ["communs prevision ecrire", str(fichier)]
    if scenario:
        parts.append(f"--scenario {scenario}")
    parts.append(f"--mois {mois}")
    if ledger:
        parts.append(f"--ledger {ledger}")
    return " ".join(parts)


def _oublier_cache(ledger: Path) -> None:
    """Drop Beancount's pickle cache of the ledger: a cache made while the included file
    was missing does not know it and would be taken as up to date."""
    from beancount import loader

    pattern = os.getenv("BEANCOUNT_LOAD_CACHE_FILENAME") or loader.PICKLE_CACHE_FILENAME
    Path(loader.get_cache_filename(pattern, str(ledger))).unlink(missing_ok=True)


def _verifier(cible: Path, ledger: Path, inclus: bool, nouveau: bool, load_livre) -> list[str]:
    """Errors the written file brings: the whole ledger reloaded when it includes the file,
    else the file parsed alone."""
    if inclus:
        if nouveau:
            _oublier_cache(ledger)
        livre = load_livre(ledger)
        return [str(d) for d in livre.diagnostics]
    from beancount.parser import parser

    from ..chargement import to_diagnostic

    _entries, errors, _options = parser.parse_file(str(cible))
    return [str(to_diagnostic(error)) for error in errors]
