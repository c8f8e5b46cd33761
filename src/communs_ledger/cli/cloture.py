"""``communs cloture``: pre-closing checks, closing, lock, affectation du résultat, reopening."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .chargement import ecriture_exclusive
from .francais import TyperFrancais
from .options import commande_de_rapport, ledger_option
from .rapports import exercice_option

if TYPE_CHECKING:
    from ..ajout import Changement
    from .sortie import Sortie

cloture_app = TyperFrancais(
    help="Clôture d'un exercice : contrôles, écritures de clôture, verrou, affectation du "
    "résultat, réouverture.",
    no_args_is_help=False,
)

FICHIER_HELP = (
    "Fichier du grand livre où ajouter les écritures de fonds dédiés manquantes (par défaut "
    "celui de la dernière écriture de l'exercice)."
)


AIDE_EXERCICE_REQUIS = "Exercice (ex. 2025, ou 2025-2026)."


def _aujourdhui() -> datetime.date:
    return datetime.date.today()


@cloture_app.callback(invoke_without_command=True)
@commande_de_rapport
def cloture(
    ctx: typer.Context,
    exercice: str | None = exercice_option("Exercice à clôturer (ex. 2025)."),
    ecrire: bool = typer.Option(
        False,
        "--ecrire",
        help="Clôture : passe les écritures de fonds dédiés manquantes, puis verrouille les "
        "écritures de l'exercice (clotures.yaml). Sans cette option : contrôles seulement.",
    ),
    fichier: Path | None = typer.Option(
        None, "--fichier", help=FICHIER_HELP, metavar="FICHIER", show_default=False
    ),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> None:
    """Contrôles avant clôture (✓/✗) et, avec --ecrire, clôture et verrou de l'exercice.

    Contrôles : exercice terminé, assertions de solde de chaque compte de trésorerie au
    lendemain de la clôture, Σ86 = Σ87, comptes d'attente soldés, fonds dédiés
    comptabilisés, aucune prévision dans l'exercice. Code de sortie 1 si un contrôle échoue.
    """
    if ctx.invoked_subcommand is not None:
        return
    from .echecs import MauvaisUsage

    if exercice is None:
        raise MauvaisUsage("indiquez l'exercice à clôturer : --exercice AAAA")
    from .chargement import ecrire_dans_le_dossier

    with ecrire_dans_le_dossier(ledger, actif=ecrire):  # from the loading to the re-check
        _cloturer(exercice, ecrire, fichier, ledger, sortie)


def _lire_verrou(context):  # -> (Path, list[Cloture])
    from ..cloture.verrou import VerrouIllisible, chemin, lire_verrou
    from ..sources import display_path
    from .echecs import Echec

    path = chemin(context)
    try:
        return path, lire_verrou(path)
    except VerrouIllisible as exc:
        where = f"{display_path(path)}:{exc.ligne}" if exc.ligne else display_path(path)
        raise Echec(f"{where}: {exc.message}") from None


def _cloturer(exercice, ecrire, fichier, ledger, sortie: Sortie) -> None:
    from ..ajout import remplacer
    from ..cloture.controles import FONDS_DEDIES, controler, rapport_controles
    from ..cloture.preparation import fonds_dedies_a_passer
    from ..formatage import pluriel
    from .affichage import info, succes
    from .echecs import Echec
    from .fonds_dedies import livre_et_source
    from .rapports import exercice_de

    livre, source = livre_et_source(ledger)
    periode = exercice_de(source, exercice)
    path, clotures = _lire_verrou(source.context)
    recorded = next((c for c in clotures if c.exercice == periode.code), None)
    if ecrire and recorded is None:
        _dans_l_ordre(livre, source, periode, clotures)
    today = _aujourdhui()
    controles = controler(source, periode, today)
    when = recorded.cloture_le.strftime("%d/%m/%Y") if recorded else None
    failed = [c for c in controles if not c.ok]
    blocking = [
        c for c in failed if c.id != FONDS_DEDIES or not fonds_dedies_a_passer(source, periode)
    ]
    booked: tuple[Path, bytes] | None = None
    if ecrire and failed and not blocking:
        # Only fonds dédiés to book: book them first, then show the checks as they stand,
        # so that a closing never follows a check printed as failed.
        cible, before = booked = _cible_fonds_dedies(livre, periode, fichier)
        livre, source = _passer_fonds_dedies(livre, source, periode, cible)
        controles = controler(source, periode, today)
        failed = blocking = [c for c in controles if not c.ok]
        if failed:
            remplacer(cible, before)  # a closing that fails writes nothing
    sortie.emettre(rapport_controles(source, periode, controles, when))
    if failed and (not ecrire or blocking):
        shown = blocking if ecrire else failed
        names = ", ".join(c.libelle for c in shown)
        raise Echec(
            f"clôture impossible : {pluriel(len(shown), 'contrôle')} en échec ({names}) ; "
            "rien n'est écrit",
        )
    if not ecrire:
        if recorded:
            info(f"Exercice {periode.code} déjà clôturé le {when}.")
        else:
            info(
                f"Tous les contrôles sont passés : communs cloture --exercice {periode.code} "
                "--ecrire clôture l'exercice et verrouille ses écritures."
            )
        return
    try:
        message = _verrouiller(livre, path, clotures, periode, today)
    except Echec:
        if booked is not None:  # a closing that fails writes nothing
            remplacer(*booked)
        raise
    succes(message)


def _dans_l_ordre(livre, source, periode, clotures) -> None:
    """Refuse closing an exercice while the previous one, which has entries, is open."""
    from ..cloture.preparation import exercice_precedent_ouvert
    from .echecs import Echec

    previous = exercice_precedent_ouvert(livre, source, periode, clotures)
    if previous is not None:
        raise Echec(
            f"l'exercice {previous.code}, qui précède {periode.code}, n'est pas clôturé : "
            f"clôturez-le d'abord (communs cloture --exercice {previous.code} --ecrire) ; "
            "les exercices se clôturent dans l'ordre. Rien n'est écrit"
        )


def _cible_fonds_dedies(livre, periode, fichier: Path | None) -> tuple[Path, bytes]:
    """Where the missing fonds dédiés go, and its bytes before (to restore on failure)."""
    from ..ajout import fichiers_du_livre
    from ..cloture.preparation import fichier_des_fonds_dedies
    from .echecs import Echec

    cible = (fichier or fichier_des_fonds_dedies(livre, periode)).resolve()
    if cible not in fichiers_du_livre(livre):
        raise Echec(
            f"--fichier {fichier} : un fichier du grand livre est attendu ; rien n'est écrit"
        )
    return cible, cible.read_bytes()


def _passer_fonds_dedies(livre, source, periode, cible: Path):
    from ..cloture.preparation import bloc_fonds_dedies
    from ..rapports.source import Source
    from .affichage import succes
    from .ajout_livre import ecrire_bloc
    from .chargement import charger

    succes(ecrire_bloc(livre, cible, bloc_fonds_dedies(source, periode)))
    livre = charger(livre.path)
    return livre, Source.from_livre(livre)


def _verrouiller(livre, path: Path, clotures, periode, today) -> str:
    from dataclasses import replace

    from ..ajout import Changement
    from ..cloture.verrou import cloture_de, sources_de, texte_du_verrou, texte_trace, traces
    from ..sources import display_path

    folder = path.parent
    recorded = next((c for c in clotures if c.exercice == periode.code), None)
    when = recorded.cloture_le if recorded is not None else today
    record = cloture_de(
        livre.entries,
        periode.code,
        periode.debut,
        periode.fin,
        when,
        folder,
        sources_de(livre.options),
    )
    trace = traces(livre.entries).get(periode.code)
    traced = trace is not None and trace.sceau == record.sceau
    same = recorded is not None and recorded == replace(record, ligne=recorded.ligne)
    if same and traced:
        return (
            f"Exercice {periode.code} déjà clôturé le {recorded.cloture_le.strftime('%d/%m/%Y')} "
            "et verrouillé : rien à faire."
        )
    refresh = recorded is not None and recorded.empreintes == record.empreintes
    others = [c for c in clotures if c.exercice != periode.code]
    changements = []
    if not same:
        changements.append(Changement(path, texte_du_verrou([*others, record]), remplacer=True))
    if not traced:  # the trace in the ledger, so that Git shows the closing
        changements.append(Changement(livre.path, texte_trace(today, periode.code, record.sceau)))
    _ecrire_et_verifier(livre, path, changements)
    if refresh:
        return (
            f"Exercice {periode.code} déjà clôturé ; empreintes des fichiers modifiés depuis "
            f"(hors de l'exercice) mises à jour dans {display_path(path)}."
        )
    return (
        f"Exercice {periode.code} clôturé : {_verrouillees(livre, periode)} "
        f"({display_path(path)}). Pour y revenir : communs cloture rouvrir "
        f"--exercice {periode.code}."
    )


def _verrouillees(livre, periode) -> str:
    """What the lock holds, counted as ``communs verifier`` counts: the transactions
    (« écritures »), then the other directives (openings, balances…)."""
    from beancount.core import data

    from ..cloture.verrou import entrees_de, sources_de
    from ..formatage import pluriel

    locked = entrees_de(livre.entries, periode.debut, periode.fin, sources_de(livre.options))
    ecritures = sum(1 for entry in locked if isinstance(entry, data.Transaction))
    autres = len(locked) - ecritures
    text = pluriel(ecritures, "écriture")
    if autres:
        text += f" et {pluriel(autres, 'autre directive', 'autres directives')}"
    return text + (" verrouillées" if ecritures + autres > 1 else " verrouillée")


def _ecrire_et_verifier(livre, path: Path, changements: list[Changement]) -> None:
    """Write the lock (and the trace) through the kernel's service: a failed check or a
    crash during it puts both back."""
    from ..ajout import ecrire_et_verifier
    from ..sources import display_path
    from .echecs import Echec
    from .sortie import cause_lisible

    resultat = ecrire_et_verifier(livre.path, changements, livre.diagnostics)
    if resultat.echec is not None:  # the lock or the trace in the main file: both put back
        echec = resultat.echec
        nom = path if echec.fichier == path else display_path(echec.fichier)
        raise Echec(f"impossible d'écrire {nom} : {cause_lisible(echec.erreur)} ; rien n'est écrit")
    if resultat.nouvelles_erreurs:
        raise Echec(
            f"le verrou rend le grand livre invalide : {display_path(path)} est remis dans son "
            "état d'origine",
            [str(d) for d in resultat.nouvelles_erreurs[:20]],
        )


def _ecrire_verrou(path: Path, text: str) -> None:
    from ..ecriture import write_file
    from .echecs import Echec
    from .sortie import cause_lisible

    try:
        write_file(path, text.encode("utf-8"), replace=True)
    except OSError as exc:
        raise Echec(f"impossible d'écrire {path} : {cause_lisible(exc)}") from None


@cloture_app.command("rouvrir")
@ecriture_exclusive()
def rouvrir(
    exercice: str = exercice_option(AIDE_EXERCICE_REQUIS, requis=True),
    ledger: Path | None = ledger_option(),
) -> None:
    """Rouvre un exercice clôturé : ses écritures peuvent de nouveau être modifiées.

    La réouverture laisse une trace dans le grand livre (custom "cloture" … "rouvert") ; un
    exercice ne se rouvre pas tant qu'un exercice suivant est clôturé.
    """
    from ..cloture.verrou import ROUVERT, texte_du_verrou, texte_trace, traces
    from ..sources import display_path
    from .affichage import succes
    from .ajout_livre import ecrire_bloc
    from .chargement import charger
    from .echecs import Echec

    livre = charger(ledger)  # errors allowed: the lock's own errors are why one reopens
    path, clotures = _lire_verrou(livre.context)
    code = exercice.strip()
    found = traces(livre.entries)
    record = next((c for c in clotures if c.exercice == code), None)
    trace = found.get(code)
    if record is None and (trace is None or not trace.close):
        listed = ", ".join(c.exercice for c in clotures) or "aucun"
        raise Echec(f"l'exercice {code} n'est pas clôturé (exercices clôturés : {listed})")
    later = sorted(
        (c for c in clotures if record is not None and c.debut > record.fin),
        key=lambda c: c.debut,
    )
    if record is not None and later:
        raise Echec(
            f"l'exercice {code} ne peut pas être rouvert : l'exercice {later[0].exercice}, qui "
            "le suit, est clôturé et ses soldes d'ouverture en dépendent ; rouvrez d'abord "
            f"{' puis '.join(c.exercice for c in reversed(later))} (communs cloture rouvrir "
            f"--exercice {later[-1].exercice})"
        )
    if trace is not None and trace.close:
        ecrire_bloc(livre, livre.path, texte_trace(_aujourdhui(), code, ROUVERT))
    kept = [c for c in clotures if c.exercice != code]
    _ecrire_verrou(path, texte_du_verrou(kept))
    succes(
        f"Exercice {code} rouvert ({display_path(path)}) : ses écritures peuvent de nouveau "
        f"être modifiées. Après correction : communs cloture --exercice {code} --ecrire."
    )


def _montant(text: str | None, option: str) -> Decimal | None:
    from ..importation.valeurs import lire_montant
    from .echecs import MauvaisUsage

    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        pass
    else:
        if value.is_finite():
            return value
        raise MauvaisUsage(f"{option} « {text} » : montant attendu (ex. 1234,56 ou -500)")
    try:
        value = lire_montant(text)
    except ValueError:
        value = None
    if value is None:
        raise MauvaisUsage(f"{option} « {text} » : montant attendu (ex. 1234,56 ou -500)")
    return value


@cloture_app.command("affecter")
@ecriture_exclusive(lambda parametres: parametres["ecrire"] is not None)
def affecter(
    exercice: str = exercice_option(AIDE_EXERCICE_REQUIS, requis=True),
    report_a_nouveau: str | None = typer.Option(
        None,
        "--report-a-nouveau",
        help="Part du résultat laissée en report à nouveau (110, ou 119 si négative).",
        show_default=False,
    ),
    reserves: str | None = typer.Option(
        None,
        "--reserves",
        help="Part du résultat affectée aux réserves (1068 ; négative : perte imputée).",
        show_default=False,
    ),
    date: str | None = typer.Option(
        None,
        "--date",
        help="Date de l'assemblée générale (par défaut : aujourd'hui).",
        show_default=False,
    ),
    ecrire: Path | None = typer.Option(
        None,
        "--ecrire",
        help="Fichier du grand livre où ajouter l'écriture (ex. 2026.beancount). Sans cette "
        "option, l'écriture est seulement affichée.",
        metavar="FICHIER",
        show_default=False,
    ),
    ledger: Path | None = ledger_option(),
) -> None:
    """Affectation du résultat voté en AG : report à nouveau et réserves (total = résultat).

    Une seule des deux parts suffit : l'autre est le reste du résultat. L'exercice doit
    être clôturé (communs cloture --exercice AAAA --ecrire).
    """
    from ..cloture.affectation import AffectationImpossible, affectation_votee
    from ..formatage import montant
    from .affichage import succes
    from .ajout_livre import ecrire_bloc
    from .echecs import Echec, MauvaisUsage
    from .fonds_dedies import livre_et_source
    from .rapports import exercice_de, parse_date

    x = _montant(report_a_nouveau, "--report-a-nouveau")
    y = _montant(reserves, "--reserves")
    if x is None and y is None:
        raise MauvaisUsage("indiquez --report-a-nouveau et/ou --reserves")
    day = parse_date(date, "--date") or _aujourdhui()
    livre, source = livre_et_source(ledger)
    periode = exercice_de(source, exercice)
    _path, clotures = _lire_verrou(source.context)
    try:
        ecriture = affectation_votee(source, livre.options, periode, clotures, day, x, y)
    except AffectationImpossible as exc:
        raise Echec(str(exc)) from None
    typer.echo(ecriture.texte, nl=False)
    if not ecriture.lignes:
        resultat = ecriture.affectation.resultat
        virement = (
            " ; à sa date, la balance, le grand livre et le FEC virent le résultat du compte "
            "120 au 110"
            if resultat
            else ""
        )
        typer.echo(
            f"Résultat {periode.code} de {montant(resultat)} entièrement laissé en report à "
            "nouveau : l'écriture n'a pas de ligne (le bilan le présente déjà en report à "
            f"nouveau), elle enregistre le vote de l'AG{virement}."
        )
    if ecrire is None:
        succes("Aperçu seulement : ajoutez --ecrire FICHIER pour passer l'écriture.")
        return
    succes(ecrire_bloc(livre, ecrire, ecriture.texte))
