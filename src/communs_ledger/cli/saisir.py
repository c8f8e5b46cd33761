"""``communs saisir``: guided entry of one entry, by kind or by template.

Every answer can be given as an option (``--date --montant --compte --contrepartie
--tiers --projet --convention --piece --libelle``): when all the required ones are, no
question is asked and the entry is written at once. Otherwise the command asks for what
is missing (accounts searched by number or words, « loyer » → 6132), shows the entry and
asks for confirmation (``--oui``: none). The entry is appended to the exercice's file
(or ``--fichier``) through the kernel's « append and re-check » service.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..montants import montant_saisi
from .echecs import Echec, MauvaisUsage
from .options import ledger_option

if TYPE_CHECKING:
    from ..chargement import Livre
    from ..saisie.ecriture import Ecriture
    from ..saisie.recherche import Repertoire

AIDE_QUOI = (
    "Genre d'écriture (recette, depense, virement, facture-recue, facture-emise, subvention, "
    "reglement, note-de-frais, nature, abandon-de-frais) ou nom d'un modèle (paie, loyer… : "
    "--modeles les liste)."
)


def _texte(*noms: str, aide: str) -> Any:
    """A text option without default (``None``: not given)."""
    return typer.Option(None, *noms, help=aide, show_default=False)


def saisir(
    quoi: str | None = typer.Argument(None, help=AIDE_QUOI, show_default=False),
    date: str | None = _texte("--date", "-d", aide="Date (AAAA-MM-JJ ou JJ/MM/AAAA)."),
    montant: str | None = _texte("--montant", "-m", aide="Montant (1100 ou 1 100,50)."),
    compte: str | None = _texte(
        "--compte",
        "-c",
        aide="Compte de la charge, du produit… : numéro (6132), nom ou mots (« loyer »).",
    ),
    contrepartie: str | None = _texte(
        "--contrepartie",
        aide="Contrepartie (par défaut selon le genre : banque, 401, 411, 441, 421…).",
    ),
    tiers: str | None = _texte("--tiers", "-t", aide="Tiers."),
    projet: str | None = _texte("--projet", "-p", aide="Code du projet."),
    convention: str | None = _texte("--convention", aide="Code de la convention."),
    piece: str | None = _texte("--piece", aide="Numéro de la pièce (facture…)."),
    libelle: str | None = _texte("--libelle", "-l", aide="Libellé."),
    beneficiaire: str | None = _texte(
        "--beneficiaire", aide="Note de frais : salarie ou benevole."
    ),
    donateur: str | None = _texte(
        "--donateur",
        aide="Don (754) ou abandon de frais : code ou nom du donateur (donateurs.yaml).",
    ),
    adherent: str | None = _texte(
        "--adherent", aide="Cotisation (756) : code ou nom de l'adhérent (adherents.yaml)."
    ),
    paiement: str | None = _texte(
        "--paiement",
        aide="Don : mode de versement (cheque, virement, especes, carte, prelevement).",
    ),
    valeurs: list[str] = typer.Option(
        [],
        "--valeur",
        "-v",
        help="Valeur d'un modèle : NOM=MONTANT (ex. --valeur brut=6760), à répéter.",
        show_default=False,
    ),
    depuis_previsions: bool = typer.Option(
        False,
        "--depuis-previsions",
        help="Modèle paie : brut, primes et cotisations patronales du mois repris de la "
        "masse salariale prévue (previsions/paie.yaml) ; les cotisations salariales et le "
        "prélèvement à la source restent à donner (journal de paie).",
    ),
    fichier: Path | None = typer.Option(
        None,
        "--fichier",
        help="Fichier du grand livre où écrire (par défaut celui de l'exercice, ex. "
        "2026.beancount).",
        show_default=False,
    ),
    oui: bool = typer.Option(False, "--oui", "-y", help="Écrire sans demander de confirmation."),
    essai: bool = typer.Option(False, "--essai", help="Montrer l'écriture sans l'écrire."),
    modeles: bool = typer.Option(False, "--modeles", help="Lister les modèles d'écritures."),
    ledger: Path | None = ledger_option(),
) -> None:
    """Saisit une écriture sans écrire de Beancount : recette, dépense, facture, paie…

    Exemples : « communs saisir depense --compte loyer --montant 1100 », « communs
    saisir paie --valeur brut=6760 --valeur urssaf_patronale=1319,44 », « communs saisir »
    (questions). L'écriture est montrée, puis ajoutée au fichier de l'exercice et le grand
    livre revérifié : en cas d'erreur, le fichier reste exactement dans son état d'origine.
    """
    from ..saisie.modeles import charger_modeles
    from .rapports import livre_sans_erreur

    livre = livre_sans_erreur(ledger, "avant de saisir (communs verifier)")
    connus, erreurs = charger_modeles(livre.path.parent, _ecritures_des_modeles(livre))
    if modeles:
        _lister(connus, erreurs)
        return
    reponses = dict(
        montant=montant, compte=compte, contrepartie=contrepartie, tiers=tiers, projet=projet,
        convention=convention, piece=piece, libelle=libelle, beneficiaire=beneficiaire,
        donateur=donateur, adherent=adherent, paiement=paiement,
    )  # fmt: skip
    session = Session(livre, connus, erreurs, depuis_previsions)
    try:
        ecriture = session.ecriture(quoi, date, reponses, valeurs)
        _montrer_et_ecrire(session, ecriture, fichier, oui, essai)
    except typer.Abort:
        raise Echec("saisie interrompue : rien n'est écrit") from None


def _ecritures_des_modeles(livre: Any) -> list[tuple[Path, str]]:
    """The entry templates files of the shared model packs installed."""
    from ..partage.modeles import ModeleInvalide, fichiers_d_ecritures, modeles_installes

    if not livre.context.config.valeur("modeles_communs", []):
        return []
    try:
        return fichiers_d_ecritures(modeles_installes(livre.context.config, livre.path.parent))
    except ModeleInvalide as exc:
        raise Echec(exc.message, exc.erreurs) from None


def _lister(connus: dict[str, Any], erreurs: list[Any]) -> None:
    for nom, connu in sorted(connus.items()):
        description = connu.modele.description or connu.modele.libelle
        typer.echo(f"{nom:<22} {description} ({connu.origine})")
    if erreurs:
        raise Echec("modèles d'écritures invalides", [str(e) for e in erreurs])


class Session:
    """One guided entry: the ledger, the templates, what was asked."""

    def __init__(
        self, livre: Livre, connus: dict[str, Any], erreurs: list[Any], previsions: bool = False
    ) -> None:
        self.livre = livre
        self.connus = connus
        self.erreurs = erreurs
        self.previsions = previsions
        self.interactif = False

    # --- questions ---------------------------------------------------------------------

    def demander(
        self, question: str, defaut: str | None = None, completions: Sequence[str] = ()
    ) -> str:
        """One question; ``defaut`` "" makes it optional (an empty answer is kept);
        ``completions``: what the Tab key proposes, in a terminal."""
        self.interactif = True
        _completer(completions)
        try:
            answer: str = typer.prompt(
                question, default=defaut, show_default=bool(defaut), prompt_suffix=" : "
            )
        finally:
            _completer(())
        return answer.strip()

    def confirmer(self, question: str) -> bool:
        from .affichage import oui_ou_non

        return self.demander_valide(f"{question} (o/n)", oui_ou_non, "o")  # type: ignore[no-any-return]

    def demander_valide(self, question: str, lire: Any, defaut: str | None = None) -> Any:
        """Ask until ``lire(answer)`` accepts it (its French error shown otherwise)."""
        from ..importation.comptes import CompteIntrouvable
        from ..saisie.ecriture import SaisieInvalide
        from .affichage import avertissement

        while True:
            try:
                return lire(self.demander(question, defaut))
            except (ValueError, CompteIntrouvable, SaisieInvalide, MauvaisUsage) as exc:
                avertissement(getattr(exc, "message", None) or str(exc))

    def choisir_compte(self, question: str, rep: Repertoire) -> str:
        """An account: number, name or words; several matches are listed to choose."""
        from ..importation.comptes import CompteIntrouvable
        from .affichage import avertissement, info

        while True:
            texte = self.demander(question, completions=_noms_de_comptes(rep))
            try:
                return rep.resoudre(texte)[0]
            except CompteIntrouvable as exc:
                found = rep.chercher(texte)
                if len(found) < 2:
                    avertissement(str(exc))
                    continue
            for rank, nom in enumerate(found[:20], 1):
                info(f"{rank:>3}. {nom}")
            choix = self.demander("Numéro dans la liste (ou Entrée pour chercher encore)", "")
            if choix.isdigit() and 1 <= int(choix) <= min(len(found), 20):
                return found[int(choix) - 1]

    # --- the entry ---------------------------------------------------------------------

    def ecriture(
        self,
        quoi: str | None,
        date: str | None,
        reponses: dict[str, str | None],
        valeurs: list[str],
    ) -> Ecriture:
        from ..importation.comptes import CompteIntrouvable
        from ..saisie.ecriture import SaisieInvalide
        from ..saisie.genres import GENRES
        from .affichage import info

        if quoi is None:
            info(f"Genres d'écriture : {', '.join(GENRES)}")
            info(f"Modèles : {', '.join(sorted(self.connus))}")
            quoi = self.demander("Genre d'écriture ou modèle", completions=[*GENRES, *self.connus])
        genre = _genre(quoi)
        if genre not in GENRES and quoi not in self.connus:
            if self.erreurs:
                raise Echec("modèles d'écritures invalides", [str(e) for e in self.erreurs])
            raise MauvaisUsage(
                f"« {quoi} » n'est ni un genre d'écriture ({', '.join(GENRES)}) ni un modèle "
                f"({', '.join(sorted(self.connus))})"
            )
        jour = self._date(date)
        try:
            if genre in GENRES:
                return self._par_genre(genre, jour, reponses)
            if reponses["donateur"] or reponses["adherent"] or reponses["paiement"]:
                raise MauvaisUsage(
                    "--donateur, --adherent et --paiement vont avec un genre d'écriture "
                    "(recette, abandon-de-frais…), pas avec un modèle"
                )
            return self._par_modele(quoi, jour, reponses, valeurs)
        except (SaisieInvalide, CompteIntrouvable) as exc:
            raise Echec(f"{exc} : rien n'est écrit") from None

    def _date(self, date: str | None) -> datetime.date:
        from .rapports import parse_date

        if date is not None:
            jour = parse_date(date, "--date")
        else:
            jour = self.demander_valide(
                "Date", lambda t: parse_date(t, "date"), datetime.date.today().isoformat()
            )
        assert jour is not None
        raison = self.livre.context.calendrier.hors_exercice(jour)
        if raison:
            raise Echec(raison)
        return jour

    def _repertoire(self, jour: datetime.date) -> Repertoire:
        from ..saisie.destination import repertoire

        return repertoire(self.livre, jour)

    def _par_genre(
        self, genre: str, jour: datetime.date, reponses: dict[str, str | None]
    ) -> Ecriture:
        from ..saisie.genres import GENRES, Demande, construire_ecriture

        rep = self._repertoire(jour)
        spec = GENRES[genre]
        r = dict(reponses)
        if spec.piece_requise and not r["piece"]:
            r["piece"] = self.demander_valide("Numéro de pièce (facture)", _non_vide)
        if genre != "reglement":
            if not r["compte"]:
                r["compte"] = self.choisir_compte(_QUESTION_COMPTE[genre], rep)
            if spec.defaut is None and genre != "nature" and not r["contrepartie"]:
                r["contrepartie"] = self.choisir_compte("Compte qui envoie (contrepartie)", rep)
            if genre == "abandon-de-frais" and not r["donateur"]:
                r["donateur"] = self.demander_valide(
                    "Bénévole qui renonce au remboursement (code ou nom du donateur)", _non_vide
                )
            if genre == "note-de-frais" and not r["beneficiaire"]:
                r["beneficiaire"] = self.demander_valide(
                    "Frais avancés par un salarié ou un bénévole (salarie, benevole)", _beneficiaire
                )
        montant = self._montant(r["montant"], obligatoire=genre != "reglement")
        if self.interactif:
            self._facultatifs(r)
        donateur = self._personne("donateur", r["donateur"])
        adherent = self._personne("adherent", r["adherent"])
        # the payee, as on the other gifts and fees: the register's name (--tiers wins)
        tiers = r["tiers"] or self._nom("donateur", donateur) or self._nom("adherent", adherent)
        demande = Demande(
            genre, jour, montant, r["compte"], r["contrepartie"], tiers, r["projet"],
            r["convention"], r["piece"], r["libelle"], r["beneficiaire"],
            donateur, adherent, r["paiement"],
        )  # fmt: skip
        return construire_ecriture(demande, rep, self.livre.entries)

    def _nom(self, champ: str, code: str | None) -> str | None:
        """The name the donors' (``champ`` "donateur") or members' register gives to ``code``."""
        from ..application.import_et_saisie import personnes_des_registres

        if not code:
            return None
        registres = personnes_des_registres(self.livre.context.config)
        return registres.repertoire(champ).noms.get(code)

    def _personne(self, champ: str, valeur: str | None) -> str | None:
        """The register's code of the donor or member ``valeur`` (a code or a name)."""
        from ..application.import_et_saisie import personnes_des_registres

        if not valeur:
            return None
        registres = personnes_des_registres(self.livre.context.config)
        code, pourquoi = registres.repertoire(champ).trouver(valeur)
        if code is None:
            raise Echec(f"--{champ} : « {valeur} » inconnu ({pourquoi}) : rien n'est écrit")
        return code

    def _previsions(self, jour: datetime.date) -> dict[str, Decimal]:
        """The forecast payroll's values of the month (and its forecast net, shown)."""
        from ..dates import month_label
        from ..formatage import montant
        from ..saisie.paie import valeurs_prevues
        from .affichage import info

        valeurs, net = valeurs_prevues(self.livre, jour)
        mois = month_label((jour.year, jour.month))
        info(
            f"Masse salariale prévue pour {mois} : brut {montant(valeurs['brut'])}, net "
            f"prévu {montant(net)} (previsions/paie.yaml)"
        )
        return valeurs

    def _montant(self, texte: str | None, obligatoire: bool) -> Decimal | None:
        if texte is not None:
            try:
                return montant_saisi(texte)
            except ValueError as exc:
                raise MauvaisUsage(str(exc)) from None
        if not obligatoire:
            return None
        return self.demander_valide("Montant", montant_saisi)  # type: ignore[no-any-return]

    def _facultatifs(self, r: dict[str, str | None]) -> None:
        """Tiers, libellé, projet, convention: asked when the entry is typed interactively."""
        tiers = sorted({e.payee for e in self.livre.entries if getattr(e, "payee", None)})
        for cle, question, connus in (
            ("tiers", "Tiers (facultatif)", tiers),
            ("libelle", "Libellé (facultatif)", []),
            ("projet", "Projet (facultatif)", sorted(_valeurs_meta(self.livre, "projet"))),
            (
                "convention",
                "Convention (facultatif)",
                sorted(_valeurs_meta(self.livre, "convention")),
            ),
        ):
            if r[cle]:
                continue
            montres = connus if cle != "tiers" else []
            suffixe = f" ; connus : {', '.join(montres[:10])}" if montres else ""
            r[cle] = self.demander(question.replace(")", suffixe + ")"), "", connus) or None

    def _par_modele(
        self, nom: str, jour: datetime.date, reponses: dict[str, str | None], valeurs: list[str]
    ) -> Ecriture:
        from ..saisie.modeles import Remplissage, instancier

        if self.erreurs:
            raise Echec("modèles d'écritures invalides", [str(e) for e in self.erreurs])
        connu = self.connus[nom]
        donnees = _valeurs(valeurs)
        if reponses["montant"] is not None:
            donnees["montant"] = self._montant(reponses["montant"], True) or Decimal(0)
        defauts = self._previsions(jour) if self.previsions else {}
        for manquant in connu.modele.noms():
            connue = manquant in connu.modele.valeurs or manquant in defauts
            if self.previsions and manquant in connu.modele.journal:
                connue = False  # only the pay journal knows it
            if manquant not in donnees and not connue:
                donnees[manquant] = self.demander_valide(manquant.replace("_", " "), montant_saisi)
        comptes = {k: v for k in ("compte", "contrepartie") if (v := reponses[k])}
        remplissage = Remplissage(
            jour, donnees, reponses["tiers"], reponses["projet"], reponses["convention"],
            reponses["piece"], reponses["libelle"], defauts, comptes,
        )  # fmt: skip
        return instancier(connu, remplissage, self._repertoire(jour))


_QUESTION_COMPTE = {
    "recette": "Compte de produit (numéro ou mots, ex. 756, cotisation)",
    "depense": "Compte de charge (numéro ou mots, ex. 6132, loyer)",
    "virement": "Compte qui reçoit (numéro ou nom, ex. Livret)",
    "facture-recue": "Compte de charge (numéro ou mots, ex. 604, prestations)",
    "facture-emise": "Compte de produit (numéro ou mots, ex. 706, prestations)",
    "subvention": "Compte de subvention (numéro ou mots, ex. 7415, commune)",
    "note-de-frais": "Compte de charge (numéro ou mots, ex. 6251, deplacements)",
    "nature": "Emploi en nature 86x (ex. 864, benevole)",
    "abandon-de-frais": "Compte de charge des frais avancés (ex. 6251, deplacements)",
}


def _completer(candidats: Sequence[str]) -> None:
    """Tab completion of the next answer among ``candidats`` (accents and capitals
    ignored), in a terminal where Python has readline; none with no candidate."""
    if not sys.stdin.isatty():
        return
    try:
        import readline
    except ImportError:  # pragma: no cover - Python built without readline
        return
    if not candidats:
        readline.set_completer(None)
        return
    from ..plan import fold

    plies = [(fold(candidat), candidat) for candidat in candidats]

    def completer(texte: str, rang: int) -> str | None:
        debut = fold(texte)
        found = [candidat for plie, candidat in plies if plie.startswith(debut)]
        return found[rang] if rang < len(found) else None

    readline.set_completer_delims("")
    readline.set_completer(completer)
    readline.parse_and_bind("tab: complete")


def _noms_de_comptes(rep: Repertoire) -> list[str]:
    """What completes an account: its full name, its last part (« Livret »,
    « 6132-Locations-immobilieres ») and the everyday words of saisie.yaml."""
    from ..saisie.recherche import reglages

    noms = rep.comptes.noms
    return sorted({*noms, *(nom.rsplit(":", 1)[-1] for nom in noms), *reglages()["synonymes"]})


def _genre(texte: str) -> str:
    from ..plan import fold

    return fold(texte).strip().replace(" ", "-").replace("'", "-")


def _non_vide(texte: str) -> str:
    if not texte:
        raise ValueError("réponse attendue")
    return texte


def _beneficiaire(texte: str) -> str:
    from ..plan import fold

    value = fold(texte).strip()
    if value not in ("salarie", "benevole"):
        raise ValueError("salarie ou benevole attendu")
    return value


def _valeurs(textes: list[str]) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    for texte in textes:
        nom, egal, valeur = texte.partition("=")
        if not egal or not nom.strip():
            raise MauvaisUsage(f"--valeur « {texte} » : NOM=MONTANT attendu (ex. brut=6760)")
        try:
            found[nom.strip()] = montant_saisi(valeur, nom.strip())
        except ValueError as exc:
            raise MauvaisUsage(str(exc)) from None
    return found


def _valeurs_meta(livre: Livre, cle: str) -> set[str]:
    return {
        str(entry.meta[cle])
        for entry in livre.entries
        if getattr(entry, "meta", None) and entry.meta.get(cle)
    }


def _montrer_et_ecrire(
    session: Session, ecriture: Ecriture, fichier: Path | None, oui: bool, essai: bool
) -> None:
    from ..saisie.destination import fichier_de_l_exercice
    from ..saisie.ecriture import texte_ecriture
    from ..sources import display_path
    from .affichage import succes
    from .ajout_livre import ecrire_bloc

    texte = texte_ecriture(ecriture)
    typer.echo(texte)
    if ecriture.a_solder:
        from ..saisie.destination import repertoire
        from ..saisie.modeles import depassements_de_solde
        from .affichage import avertissement

        chart = repertoire(session.livre, ecriture.date).chart
        for message in depassements_de_solde(ecriture, session.livre.entries, chart):
            avertissement(message)
    cible = fichier or fichier_de_l_exercice(session.livre, ecriture.date)
    if cible is None:
        from ..exercices import french_date

        code = session.livre.context.exercice_of(ecriture.date).code
        raise Echec(
            f"aucun fichier du grand livre pour l'exercice {code} (écriture du "
            f"{french_date(ecriture.date)}) : indiquez-le avec --fichier {code}.beancount "
            f"(créé s'il n'existe pas ; ajoutez ensuite include \"{code}.beancount\" à "
            "main.beancount) ; rien n'est écrit"
        )
    if essai:
        succes(f"Essai : rien n'est écrit (l'écriture irait dans {display_path(cible)}).")
        return
    question = f"Écrire cette écriture dans {display_path(cible)} ?"
    if session.interactif and not oui and not session.confirmer(question):
        succes("Rien n'est écrit.")
        return
    succes(ecrire_bloc(session.livre, cible, texte, une_seule=True))
