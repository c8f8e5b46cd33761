"""``communs importer``: a bank statement (CSV, XLSX, OFX, camt.053, CFONB 120) into the
ledger."""

from __future__ import annotations

from pathlib import Path

import typer

from .options import LEDGER_HELP

_LISTE_MAX = 30  # duplicates and lines to review listed one by one, beyond: a count
_BARRE_DES = 500  # lines from which a progress bar is shown (on a terminal)


def importer(
    releve: Path = typer.Argument(
        ...,
        help=(
            "Relevé bancaire : export CSV de la banque, classeur XLSX, fichier OFX, "
            "camt.053 (XML) ou CFONB 120."
        ),
        show_default=False,
    ),
    compte: str | None = typer.Option(
        None,
        "--compte",
        "-c",
        help=(
            "Compte bancaire du relevé : numéro (ex. 512) ou nom du compte. Par défaut : "
            "importation.compte de communs.yaml, sinon l'unique compte 512 ouvert."
        ),
        show_default=False,
    ),
    profil: str | None = typer.Option(
        None,
        "--profil",
        "-p",
        help="Profil CSV de la banque (ex. credit-cooperatif) ; sinon reconnu d'après l'en-tête.",
        show_default=False,
    ),
    ecrire: Path | None = typer.Option(
        None,
        "--ecrire",
        "-e",
        help=(
            "Ajouter les écritures à ce fichier du grand livre (ex. 2026.beancount), puis "
            "revérifier le grand livre. Sans cette option, elles sont seulement affichées."
        ),
        show_default=False,
    ),
    ledger: Path | None = typer.Option(
        None, "--ledger", "-f", help=LEDGER_HELP, show_default=False
    ),
) -> None:
    """Importe un relevé bancaire : catégorise les opérations, écarte les doublons.

    Les règles (importation.regles de communs.yaml) donnent le compte de chaque
    opération ; les autres vont au compte d'attente 471, à revoir. Les opérations
    déjà au grand livre (même référence bancaire, ou même montant à quelques jours
    près avec un libellé proche) ne sont pas reprises. Avec --ecrire, l'ajout est
    atomique et le grand livre revérifié : en cas d'erreur nouvelle, le fichier est
    remis exactement dans son état d'origine (code de sortie 1).
    """
    from ..importation.modele import ErreurImport
    from .chargement import ecrire_dans_le_dossier
    from .echecs import Echec

    try:
        with ecrire_dans_le_dossier(ledger, actif=ecrire is not None):
            _importer(releve, compte, profil, ecrire, ledger)
    except ErreurImport as exc:
        raise Echec(exc.message, exc.details) from None


def _importer(
    releve: Path,
    compte: str | None,
    profil: str | None,
    ecrire: Path | None,
    ledger: Path | None,
) -> None:
    from ..importation.importeur import preparer
    from ..importation.lecture import ProfilInconnu, lire_releve
    from ..importation.profils import charger_profils
    from ..importation.reglages import import_config
    from ..sources import display_path
    from .affichage import messages
    from .chargement import charger
    from .echecs import Echec, MauvaisUsage

    livre = charger(ledger)
    cible = _cible(ecrire, livre) if ecrire is not None else None
    config = livre.context.config
    if config.errors:
        raise Echec(
            "la configuration a des erreurs : corrigez-les avant d'importer (communs verifier)",
            [str(error) for error in config.errors],
        )
    reglages = import_config(config)
    dossier = config.path.parent if config.path else livre.path.parent
    modeles, communs = _modeles_communs(livre)
    profils = charger_profils(dossier / reglages.profils if reglages.profils else None, communs)
    parametres = _parametres(livre, compte, dossier, modeles)
    try:
        with _progression(releve, "Lecture du relevé") as avancer:
            lu = lire_releve(releve, profils, profil, avancer)
    except ProfilInconnu as exc:
        raise MauvaisUsage(f"--profil : {exc.message}") from None
    parametres.ouvrir_attente = _ouverture_attente(livre, parametres, lu)
    with _progression(None, "Catégorisation et doublons", len(lu.operations)) as avancer:
        plan = preparer(lu, livre.entries, parametres, avancer)
    _resume(plan, livre)
    if livre.diagnostics and cible is not None:
        from ..formatage import pluriel
        from .affichage import avertissement

        avertissement(
            f"le grand livre a déjà {pluriel(len(livre.diagnostics), 'erreur')} (communs "
            "verifier) : seules les erreurs nouvelles empêchent l'ajout."
        )
    if plan.vide:
        messages().print(
            "[succes]✓[/] Rien à ajouter : toutes les opérations du relevé sont déjà dans le "
            "grand livre.",
            soft_wrap=True,
        )
        return
    texte = plan.texte()
    if cible is None:
        typer.echo(texte, nl=False)  # the directives as they are: no markup, no emoji codes
        _texte(
            "Aperçu seulement : rien n'est écrit. Ajoutez --ecrire FICHIER (ex. --ecrire "
            f"{_exemple_cible(livre)}) pour ajouter ces écritures au grand livre."
        )
        return
    _ecrire(cible, texte, plan, livre, display_path(cible))


# --- Target, accounts ---------------------------------------------------------------------


def _cible(ecrire: Path, livre) -> Path:
    import os

    from ..sources import display_path
    from .echecs import Echec

    nom = display_path(ecrire)
    if not ecrire.exists():
        raise Echec(
            f"{nom} introuvable : --ecrire attend un fichier du grand livre (ex. "
            f"{_exemple_cible(livre)}) ; rien n'est écrit"
        )
    resolved = ecrire.resolve()
    if resolved not in _fichiers_du_grand_livre(livre):
        raise Echec(
            f"{nom} n'est pas un fichier du grand livre {display_path(livre.path)} (ni le "
            "fichier principal ni un fichier qu'il inclut) : rien n'est écrit"
        )
    try:
        resolved.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise Echec(f"{nom} n'est pas un fichier texte UTF-8 : rien n'est écrit") from None
    if not os.access(resolved, os.W_OK) or not os.access(resolved.parent, os.W_OK):
        raise Echec(f"{nom} : écriture interdite (droits du fichier ou du dossier)")
    return resolved


_NON_BEANCOUNT = (".yaml", ".yml", ".json", ".csv")


def _fichiers_du_grand_livre(livre) -> list[Path]:
    """The main file and the files it includes (not the config files Beancount watches)."""
    return [
        Path(name).resolve()
        for name in livre.options.get("include") or ()
        if Path(name).suffix.lower() not in _NON_BEANCOUNT
    ]


def _exemple_cible(livre) -> str:
    from ..sources import display_path

    annuels = sorted(p for p in _fichiers_du_grand_livre(livre) if p.stem.isdigit())
    return display_path(annuels[-1] if annuels else livre.path)


def _modeles_communs(livre):
    """The shared model packs of the association (communs modeles), checked, and their
    bank profiles (two packs with the same profile: an error naming both)."""
    from ..partage.modeles import ModeleInvalide, modeles_installes, profils_communs
    from .echecs import Echec

    try:
        modeles = modeles_installes(livre.context.config, livre.path.parent)
        return modeles, profils_communs(modeles)
    except ModeleInvalide as exc:
        raise Echec(exc.message, exc.erreurs) from None


def _parametres(livre, compte: str | None, dossier: Path, modeles=()):
    from ..application.import_et_saisie import personnes_des_registres
    from ..importation.comptes import CompteIntrouvable, Comptes
    from ..importation.importeur import Parametres
    from ..importation.reglages import import_config
    from ..importation.regles import charger_regles
    from ..partage.modeles import fichiers_de_regles
    from .echecs import Echec, MauvaisUsage

    reglages = import_config(livre.context.config)
    comptes = Comptes.du_grand_livre(livre.entries)
    if compte is not None:
        try:
            banque = comptes.trouver(compte)
        except CompteIntrouvable as exc:
            raise MauvaisUsage(f"--compte : {exc}") from None
    elif reglages.compte is not None:
        try:
            banque = comptes.trouver(reglages.compte)
        except CompteIntrouvable as exc:
            raise Echec(f"communs.yaml, importation.compte : {exc}") from None
    else:
        try:
            banque = comptes.trouver("512")
        except CompteIntrouvable as exc:
            raise MauvaisUsage(
                f"indiquez le compte bancaire du relevé avec --compte : {exc}"
            ) from None
    projets = set(livre.context.config.projets)
    personnes = personnes_des_registres(livre.context.config)
    regles = charger_regles(
        dossier / reglages.regles if reglages.regles else None, comptes, projets, personnes
    )
    for fichier in fichiers_de_regles(modeles):  # the association's own rules come first
        regles += charger_regles(fichier, comptes, projets, personnes)
    attente = comptes.attente(reglages.compte_attente)
    return Parametres(
        compte=banque,
        regles=regles,
        compte_attente=attente or "",
        ecart=reglages.ecart_jours,
        dossier=livre.path.parent,
    )


def _ouverture_attente(livre, parametres, releve):
    """The day to open the suspense account on, when the ledger has none (else None)."""
    from ..importation.comptes import compte_de_depart
    from ..importation.reglages import import_config
    from .echecs import Echec

    if parametres.compte_attente:
        return None
    code = import_config(livre.context.config).compte_attente
    premier = releve.premiere_date
    exercice = livre.context.exercice_of(premier)
    nom = compte_de_depart(code, exercice.version, livre.context.roots) if code.isdigit() else code
    if nom is None:
        raise Echec(
            f"aucun compte d'attente {code} ouvert dans le grand livre : ouvrez-en un "
            "(ex. Actif:47-Attente:471-Compte-d-attente) pour les opérations à revoir"
        )
    parametres.compte_attente = nom
    return exercice.debut


# --- Progress, summary, writing -----------------------------------------------------------


def _texte(line: str = "") -> None:
    """A line on stderr exactly as written (statement labels may hold [brackets] or :codes:)."""
    from .affichage import messages

    messages().print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)


class _Rien:
    def __enter__(self):
        return None

    def __exit__(self, *exc) -> None:
        return None


def _progression(fichier: Path | None, titre: str, total: int | None = None):
    """A progress bar on stderr for large statements (on a terminal only)."""
    from contextlib import contextmanager

    from .affichage import messages

    console = messages()
    if total is None and fichier is not None:
        try:
            raw = fichier.read_bytes()
        except OSError:
            raw = b""
        # lines of a CSV; a workbook, an OFX, camt.053 or CFONB file is read at once
        from ..importation.camt import est_camt
        from ..importation.cfonb import est_cfonb

        texte = not (
            raw.startswith(b"PK") or b"OFX" in raw[:512].upper() or est_camt(raw) or est_cfonb(raw)
        )
        total = raw.count(b"\n") if texte else 0
    if not console.is_terminal or not total or total < _BARRE_DES:
        return _Rien()

    @contextmanager
    def barre():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(titre, total=total)
            yield lambda done: progress.update(task, completed=done)

    return barre()


def _compteur(label: str, value: object) -> str:
    return f"  {label:<34}{value:>6}" if isinstance(value, int) else f"  {label:<34}{value}"


def _source_du_releve(releve) -> str:
    """How the statement was read: its format, or its bank profile and how it was chosen."""
    if releve.profil is None:
        return releve.nom_format
    origine = "reconnu à l'en-tête" if releve.profil_detecte else "indiqué par --profil"
    source = f"profil {releve.profil} « {releve.profil_nom} » ({origine}"
    if releve.meme_disposition:
        source += f" ; même disposition : {', '.join(releve.meme_disposition)}"
    return source + ")"


def _resume(plan, livre) -> None:
    """The French summary on stderr: what was read, added, skipped, left for review."""
    from ..formatage import montant, pluriel
    from ..sources import display_path

    releve = plan.releve
    source = _source_du_releve(releve)
    encodage = f", encodage {releve.encodage}" if releve.encodage else ""
    _texte(f"Relevé {display_path(releve.chemin)} : {source}{encodage}")
    _texte(f"Compte bancaire : {plan.parametres.compte}")
    _texte()
    _texte(_compteur("Lignes lues", len(releve.operations) + releve.lignes_ignorees))
    _texte(_compteur("Écritures à ajouter", len(plan.ecritures)))
    _texte(_compteur("Doublons ignorés", len(plan.doublons)))
    _texte(_compteur("À revoir (compte d'attente)", len(plan.a_revoir)))
    if plan.doublons_possibles:
        _texte(_compteur("Doublons possibles (drapeau !)", len(plan.doublons_possibles)))
    if releve.lignes_ignorees:
        _texte(_compteur("Lignes de montant nul ignorées", releve.lignes_ignorees))
    if plan.solde is not None:
        ajout = f"ajouté au {_date_fr(plan.solde.date)} : {montant(plan.solde.amount.number)}"
        _texte(_compteur("Contrôle de solde", ajout))
    elif releve.solde is not None:
        _texte(_compteur("Contrôle de solde", f"non ajouté : {plan.solde_message}"))
    for avertissement in releve.avertissements:
        _texte(f"  Attention : {avertissement}")
    if plan.doublons:
        _texte()
        titre = pluriel(len(plan.doublons), "doublon ignoré", "doublons ignorés")
        _texte(f"{titre} (déjà dans le grand livre) :")
        for doublon in plan.doublons[:_LISTE_MAX]:
            op, where = doublon.operation, doublon.existante.meta
            _texte(
                f"  ligne {op.ligne}, {op.date:%d/%m/%Y}, {montant(op.montant)} "
                f"« {op.libelle} » → {display_path(where.get('filename', '?'))}:"
                f"{where.get('lineno', 0)} ({doublon.raison})"
            )
        if len(plan.doublons) > _LISTE_MAX:
            _texte(f"  … et {len(plan.doublons) - _LISTE_MAX} autres")
    if plan.a_revoir:
        _texte()
        _texte(f"À revoir, imputées au compte d'attente {plan.parametres.compte_attente} :")
        for ecriture in plan.a_revoir[:_LISTE_MAX]:
            op = ecriture.operation
            _texte(
                f"  ligne {op.ligne}, {op.date:%d/%m/%Y}, {montant(op.montant)} « {op.libelle} »"
            )
        if len(plan.a_revoir) > _LISTE_MAX:
            _texte(f"  … et {len(plan.a_revoir) - _LISTE_MAX} autres")
    _personnes_a_revoir(plan)
    if plan.doublons_possibles:
        _texte()
        _texte(
            "Doublons possibles, ajoutés avec le drapeau ! et a_revoir : même montant qu'une "
            "écriture saisie à la main à quelques jours près, sans mot en commun ; si c'est la "
            "même opération, supprimez l'une des deux :"
        )
        for ecriture in plan.doublons_possibles[:_LISTE_MAX]:
            op = ecriture.operation
            _texte(
                f"  ligne {op.ligne}, {op.date:%d/%m/%Y}, {montant(op.montant)} "
                f"« {op.libelle} » → {ecriture.doublon_possible}"
            )
        if len(plan.doublons_possibles) > _LISTE_MAX:
            _texte(f"  … et {len(plan.doublons_possibles) - _LISTE_MAX} autres")
    _texte()


def _personnes_a_revoir(plan) -> None:
    """The donors or members read on the statement that name nobody of the registers."""
    from ..formatage import montant

    if not plan.personnes_a_revoir:
        return
    _texte()
    _texte("Donateurs ou adhérents à revoir, ajoutés avec le drapeau ! et sans métadonnée :")
    for ecriture in plan.personnes_a_revoir[:_LISTE_MAX]:
        op = ecriture.operation
        _texte(
            f"  ligne {op.ligne}, {op.date:%d/%m/%Y}, {montant(op.montant)} : "
            f"{ecriture.categorie.a_revoir}"
        )
    if len(plan.personnes_a_revoir) > _LISTE_MAX:
        _texte(f"  … et {len(plan.personnes_a_revoir) - _LISTE_MAX} autres")


def _date_fr(day) -> str:
    from ..exercices import french_date

    return french_date(day)


def _ecrire(cible: Path, texte: str, plan, livre, nom: str) -> None:
    from ..ajout import ajouter
    from ..formatage import pluriel
    from .affichage import messages, succes
    from .echecs import Echec

    with messages().status("Ajout et vérification du grand livre…", spinner="dots"):
        resultat = ajouter(livre, cible, texte)
    if resultat.echec is not None:
        raise resultat.echec.erreur
    if not resultat.ok:
        raise Echec(
            f"le grand livre ne passe plus la vérification avec ces écritures : {nom} est "
            "laissé exactement dans son état d'origine",
            [str(error) for error in resultat.nouvelles_erreurs],
        )
    ajoutees = pluriel(len(plan.ecritures), "écriture ajoutée", "écritures ajoutées")
    extra = " et un contrôle de solde" if plan.solde is not None else ""
    succes(f"{ajoutees}{extra} à {nom} ; grand livre revérifié : aucune nouvelle erreur.")
