"""Entry templates: named entries with placeholders (``communs saisir loyer --montant 1100``).

A template file (``modeles/*.yaml`` in the association's folder, or the templates shipped
in ``plan_comptable/modeles_de_saisie.yaml``) starts with ``modeles:``; each template has
a ``libelle`` (with ``{mois}``, ``{mois_precedent}``, ``{date}``, ``{annee}`` or any value
in braces), optional ``tiers``, ``projet``, ``convention``, ``piece``, default
``valeurs``, ``controles``, and ``lignes``: an account (number, name or name's end;
``sinon``: the account used when the first is not open; ``@banque``, ``@fournisseurs``…:
the default accounts of ``plan_comptable/saisie.yaml``; ``{compte}``, ``{contrepartie}``:
the accounts the user gives) and an amount written as a sum of values and numbers
(``brut - pas``, ``-montant``). A line whose amount is zero is left out. A line with
``solde: true`` pays a debt's balance (421, 431…): a payment over the balance the account
owes at the entry's date is warned of (:func:`depassements_de_solde`). A template of the
association's folder replaces a shipped one, or a shared model pack's, of the same name.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..codes import account_code
from ..dates import elide_month, month_label, shift_month
from ..exercices import french_date
from ..formatage import montant as euros
from ..formatage import nombre
from ..importation.comptes import CompteIntrouvable
from ..montants import ZERO, lire_decimal
from ..mouvements import collect
from ..plan import Chart, plan_comptable_dir
from ..rapports.comptes import libelle_compte
from ..schemas import Schema, champ, charger_fichier
from ..sources import SourceError
from .ecriture import Ecriture, LigneDEcriture, SaisieInvalide
from .recherche import Repertoire

_TERME = re.compile(r"\s*([+-])?\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:[.,]\d+)?)\s*")
_NOM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CHAMP = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)")
_CHAMPS_DE_DATE = frozenset({"mois", "mois_precedent", "date", "annee"})
"""The fields of a template's texts the date fills (see ``_texte``)."""
FICHIER_FOURNI = "modeles_de_saisie.yaml"
DOSSIER = "modeles"


def termes(expression: str) -> list[tuple[int, str]]:
    """``brut - pas + 10`` → ``[(1, "brut"), (-1, "pas"), (1, "10")]``; ValueError (French)."""
    found: list[tuple[int, str]] = []
    position = 0
    text = expression.strip()
    while position < len(text):
        match = _TERME.match(text, position)
        if match is None or match.end() == position or (found and not match.group(1)):
            raise ValueError(
                f"montant « {expression} » illisible : une somme de valeurs et de nombres est "
                "attendue (ex. brut - pas, -montant, 1100)"
            )
        found.append((-1 if match.group(1) == "-" else 1, match.group(2)))
        position = match.end()
    if not found:
        raise ValueError("montant vide")
    return found


def _valider_expression(value: object) -> str:
    text = str(value)
    termes(text)
    return text


class LigneModeleDeSaisie(Schema):
    compte: str = champ(min_longueur=1)
    montant: str = champ(valider=_valider_expression)
    sinon: str | None = None
    solde: bool = False  # the line pays the account's credit balance (warned when over)


class ModeleDeSaisie(Schema):
    libelle: str = champ(min_longueur=1)
    lignes: list[LigneModeleDeSaisie] = champ(default_factory=list)
    description: str | None = None
    tiers: str | None = None
    projet: str | None = None
    convention: str | None = None
    piece: str | None = None
    valeurs: dict[str, Decimal] = field(default_factory=dict)
    controles: dict[str, str] = field(default_factory=dict)
    """A value given by the user (``net``) must equal this sum of the others."""
    journal: list[str] = field(default_factory=list)
    """Values only the pay journal knows: asked, even with a default, when the others
    come from the forecast payroll (``--depuis-previsions``)."""

    def verifier(self) -> None:
        if len(self.lignes) < 2:
            raise ValueError("un modèle a au moins deux lignes (lignes:)")
        for expression in self.controles.values():
            termes(expression)

    def noms(self) -> list[str]:
        """The values the template's amounts use, in order of first use."""
        found: list[str] = []
        for ligne in self.lignes:
            for _sign, term in termes(ligne.montant):
                if _NOM.fullmatch(term) and term not in found:
                    found.append(term)
        return found

    def connus(self) -> set[str]:
        """Every value name the template reads: its amounts, defaults, controls and the
        ``{nom}`` fields of its texts."""
        found = set(self.noms()) | set(self.valeurs) | set(self.controles)
        for expression in self.controles.values():
            found.update(term for _sign, term in termes(expression) if _NOM.fullmatch(term))
        for texte in (self.libelle, self.tiers, self.piece):
            found.update(_CHAMP.findall(texte or ""))
        return found - _CHAMPS_DE_DATE


class FichierModeles(Schema):
    modeles: dict[str, ModeleDeSaisie] = champ(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ModeleConnu:
    """A template and where it comes from (``fichier:ligne``)."""

    nom: str
    modele: ModeleDeSaisie
    origine: str
    origines_des_lignes: tuple[str, ...] = ()
    """``fichier:ligne`` of each of its ``lignes`` (for an account it cannot find)."""


def _lire(path: Path, origine: str) -> tuple[dict[str, ModeleConnu], list[SourceError]]:
    document, data, errors = charger_fichier(path, FichierModeles, "modèles", "modeles")
    if data is None or document is None:
        return {}, errors
    return {
        nom: ModeleConnu(
            nom,
            modele,
            f"{origine}:{document.line_of(('modeles', nom))}",
            tuple(
                f"{origine}:{document.line_of(('modeles', nom, 'lignes', i, 'compte'))}"
                for i in range(len(modele.lignes))
            ),
        )
        for nom, modele in data.modeles.items()
    }, errors


def charger_modeles(
    dossier: Path | None, communs: Sequence[tuple[Path, str]] = ()
) -> tuple[dict[str, ModeleConnu], list[SourceError]]:
    """The shipped templates, then those of the shared model packs (``communs``: path and
    how errors name it), then those of ``dossier/modeles/*.yaml`` (same name: the later
    wins, the association's above all), and the files' errors (``fichier:ligne``)."""
    found, errors = _lire(plan_comptable_dir() / FICHIER_FOURNI, FICHIER_FOURNI)
    for path, origine in communs:
        du_modele, errors_du_modele = _lire(path, origine)
        found.update(du_modele)
        errors.extend(errors_du_modele)
    if dossier is not None and (dossier / DOSSIER).is_dir():
        for path in sorted((dossier / DOSSIER).glob("*.y*ml")):
            own, own_errors = _lire(path, f"{DOSSIER}/{path.name}")
            found.update(own)
            errors.extend(own_errors)
    return found, errors


def evaluer_expression(expression: str, valeurs: dict[str, Decimal]) -> Decimal:
    """The sum ``expression`` writes, with ``valeurs``; SaisieInvalide for a missing one."""
    total = ZERO
    for sign, term in termes(expression):
        if _NOM.fullmatch(term):
            if term not in valeurs:
                raise SaisieInvalide(f"valeur « {term} » manquante (--valeur {term}=MONTANT)")
            total += sign * valeurs[term]
        else:
            total += sign * (lire_decimal(term) or ZERO)
    return total


def _texte(modele_texte: str | None, jour: datetime.date, valeurs: dict[str, Decimal]) -> str:
    if not modele_texte:
        return ""
    champs: dict[str, str] = {k: nombre(v) for k, v in valeurs.items()}
    champs.update(
        mois=month_label((jour.year, jour.month)),
        mois_precedent=month_label(shift_month((jour.year, jour.month), -1)),
        date=jour.isoformat(),
        annee=str(jour.year),
    )
    try:
        return elide_month(modele_texte.format_map(champs))
    except (KeyError, ValueError, IndexError) as exc:
        raise SaisieInvalide(f"« {modele_texte} » : champ {exc} inconnu du modèle") from None


def _un_compte(texte: str, rep: Repertoire, comptes: dict[str, str]) -> tuple[str, bool]:
    if texte in ("{compte}", "{contrepartie}"):
        donne = comptes.get(texte.strip("{}"))
        if not donne:
            raise SaisieInvalide(f"{texte.strip('{}')} manquant (--{texte.strip('{}')})")
        return rep.resoudre(donne)
    if texte.startswith("@"):
        if texte == "@banque" and comptes.get("contrepartie"):
            return rep.resoudre(comptes["contrepartie"])
        return rep.par_role(texte[1:])
    return rep.resoudre(texte)


def _compte(
    ligne: LigneModeleDeSaisie, rep: Repertoire, comptes: dict[str, str]
) -> tuple[str, bool]:
    try:
        return _un_compte(ligne.compte, rep, comptes)
    except CompteIntrouvable:
        if ligne.sinon is None:
            raise
        return _un_compte(ligne.sinon, rep, comptes)


@dataclass(frozen=True, slots=True)
class Remplissage:
    """What the user adds to a template (``None``: the template's own)."""

    date: datetime.date
    valeurs: dict[str, Decimal]
    tiers: str | None = None
    projet: str | None = None
    convention: str | None = None
    piece: str | None = None
    libelle: str | None = None
    defauts: dict[str, Decimal] = field(default_factory=dict)
    """Values from elsewhere (the forecast payroll): over the template's, under the
    user's, never controlled."""
    comptes: dict[str, str] = field(default_factory=dict)
    """``compte`` and ``contrepartie`` given: they fill a template's ``{compte}`` and
    ``{contrepartie}`` lines, and ``contrepartie`` replaces its bank (``@banque``)."""


def instancier(connu: ModeleConnu, remplissage: Remplissage, rep: Repertoire) -> Ecriture:
    """The entry of a template filled with the user's values."""
    modele = connu.modele
    connus = modele.connus()
    for nom in remplissage.valeurs:
        if nom not in connus:
            raise SaisieInvalide(
                f"valeur « {nom} » inconnue du modèle {connu.nom} "
                f"(valeurs : {', '.join(sorted(connus)) or 'aucune'})"
            )
    valeurs = {**modele.valeurs, **remplissage.defauts, **remplissage.valeurs}
    for nom, expression in modele.controles.items():
        if nom in remplissage.valeurs:
            attendu = evaluer_expression(expression, valeurs)
            if attendu != valeurs[nom]:
                raise SaisieInvalide(
                    f"{nom} = {nombre(valeurs[nom])} mais {expression} = {nombre(attendu)} : "
                    "vérifiez les montants du journal de paie"
                )
    lignes: list[LigneDEcriture] = []
    ouvertures: list[tuple[datetime.date, str]] = []
    a_solder: list[str] = []
    for i, ligne in enumerate(modele.lignes):
        montant = evaluer_expression(ligne.montant, valeurs)
        if montant == 0:
            continue
        try:
            compte, ouvrir = _compte(ligne, rep, remplissage.comptes)
        except CompteIntrouvable as error:
            where = connu.origines_des_lignes[i : i + 1] or (connu.origine,)
            raise CompteIntrouvable(f"{where[0]}: modèle {connu.nom} : {error}") from None
        if ouvrir and (rep.ouverture, compte) not in ouvertures:
            ouvertures.append((rep.ouverture, compte))
        lignes.append(LigneDEcriture(compte, montant))
        if ligne.solde:
            a_solder.append(compte)
    jour = remplissage.date
    ecriture = Ecriture(
        date=jour,
        libelle=remplissage.libelle or _texte(modele.libelle, jour, valeurs),
        lignes=tuple(lignes),
        tiers=remplissage.tiers or _texte(modele.tiers, jour, valeurs) or None,
        projet=remplissage.projet or modele.projet,
        convention=remplissage.convention or modele.convention,
        piece=remplissage.piece or _texte(modele.piece, jour, valeurs) or None,
        genre=f"modèle {connu.nom}",
        ouvertures=tuple(ouvertures),
        a_solder=tuple(a_solder),
    )
    ecriture.verifier()
    return ecriture


def depassements_de_solde(ecriture: Ecriture, entries: Sequence[Any], chart: Chart) -> list[str]:
    """French warnings for the lines of ``ecriture`` that pay more than their account
    (``a_solder``, with its sub-accounts) owes at the entry's date, that day's entries
    included (the pay entry of the month is usually dated the same day)."""
    mouvements = collect(entries).entre(None, ecriture.date)
    found: list[str] = []
    for compte in dict.fromkeys(ecriture.a_solder):
        paye = sum((ligne.montant for ligne in ecriture.lignes if ligne.compte == compte), ZERO)
        du = -sum((m.montant for m in mouvements if _sous(m.account, compte)), ZERO)
        if paye <= 0 or paye <= du:
            continue
        code = account_code(compte)
        nom = f"{code} {libelle_compte(chart, compte)}" if code else compte
        found.append(
            f"{euros(paye)} versés sur le compte {nom}, qui ne doit que {euros(du)} "
            f"au {french_date(ecriture.date)} : vérifiez le montant, ou saisissez d'abord "
            "l'écriture qui crée cette dette (la paie)"
        )
    return found


def _sous(account: str, compte: str) -> bool:
    """``account`` is ``compte`` or one of its sub-accounts."""
    return account == compte or account.startswith(compte + ":")
