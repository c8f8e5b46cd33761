"""The kinds of guided entry, and the entry each one makes of a request.

Each kind books ``montant`` on the account the user names (``compte``: a charge, a
product, the destination of a transfer…) and the opposite on its counterpart
(``contrepartie``), whose default depends on the kind (``plan_comptable/saisie.yaml``):

========================  ===============  ============================
kind                      compte           contrepartie (default)
========================  ===============  ============================
recette                   crédit (7x)      débit, banque (512)
depense                   débit (6x)       crédit, banque (512)
virement                  débit (reçoit)   crédit (envoie), à indiquer
facture-recue             débit (6x)       crédit, fournisseurs (401)
facture-emise             crédit (7x)      débit, usagers (411)
subvention                crédit (74x)     débit, subventions (441)
note-de-frais             débit (6x)       crédit, personnel (421) ou frais des bénévoles (4681)
abandon-de-frais          débit (6x)       crédit, don (75412, sinon 7541, 754) ; ``donateur``
nature                    débit (86x)      crédit, la ressource 87x qui lui répond
reglement                 le compte de tiers de la facture (par sa pièce), soldé ;
                          contrepartie : banque (512)
========================  ===============  ============================

``donateur`` (a code of the donors' register) goes on a gift, a credit of a 754 account
(and ``paiement``: cheque, virement…); ``adherent`` on a fee, a credit of a 756 account.
An abandon de frais is the charge of the expenses a volunteer advanced and the gift of
the reimbursement he waives (``nature: "abandon_frais"``, a tax receipt follows).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import account_code
from ..dons.collecte import PAIEMENTS
from ..fec.lettrage import comptes_lettres
from ..importation.comptes import CompteIntrouvable
from ..montants import ZERO
from .ecriture import Ecriture, LigneDEcriture, SaisieInvalide
from .recherche import Repertoire


@dataclass(frozen=True, slots=True)
class GenreDEcriture:
    """One kind: the sign of ``compte`` (+1 debit), the counterpart's default role, whether
    a piece (invoice number) is required, and its French label."""

    sens: int
    defaut: str | None
    libelle: str
    piece_requise: bool = False


GENRES: dict[str, GenreDEcriture] = {
    "recette": GenreDEcriture(-1, "banque", "recette"),
    "depense": GenreDEcriture(1, "banque", "dépense"),
    "virement": GenreDEcriture(1, None, "virement interne"),
    "facture-recue": GenreDEcriture(1, "fournisseurs", "facture reçue", True),
    "facture-emise": GenreDEcriture(-1, "usagers", "facture émise", True),
    "subvention": GenreDEcriture(-1, "subventions", "subvention notifiée", True),
    "note-de-frais": GenreDEcriture(1, "personnel", "note de frais"),
    "nature": GenreDEcriture(1, None, "contribution volontaire en nature"),
    "reglement": GenreDEcriture(1, "banque", "règlement d'une facture", True),
    "abandon-de-frais": GenreDEcriture(1, "abandons", "abandon de frais"),
}
BENEFICIAIRES = {"salarie": "personnel", "benevole": "benevoles"}


@dataclass(frozen=True, slots=True)
class Demande:
    """What the user typed (``None``: not given)."""

    genre: str
    date: datetime.date
    montant: Decimal | None = None
    compte: str | None = None
    contrepartie: str | None = None
    tiers: str | None = None
    projet: str | None = None
    convention: str | None = None
    piece: str | None = None
    libelle: str | None = None
    beneficiaire: str | None = None
    donateur: str | None = None
    adherent: str | None = None
    paiement: str | None = None


@dataclass(frozen=True, slots=True)
class FactureOuverte:
    """An invoice not (fully) paid: its third-party account, what remains, its entry."""

    piece: str
    compte: str
    reste: Decimal  # the account's balance on this piece (debit > 0)
    tiers: str | None
    projet: str | None
    convention: str | None
    libelle: str


def factures_ouvertes(entries: list[Any]) -> dict[str, FactureOuverte]:
    """Open invoices by piece: lettered accounts (401, 411, 441) whose postings sharing a
    ``piece:`` (or a link of that name) do not add up to zero."""
    from beancount.core import data

    prefixes = comptes_lettres()
    soldes: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    premieres: dict[tuple[str, str], Any] = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        pieces = {str(entry.meta["piece"])} if entry.meta.get("piece") else set(entry.links)
        for piece in pieces:
            for posting in entry.postings:
                lettre = (account_code(posting.account) or "").startswith(prefixes)
                if lettre and posting.units is not None and posting.units.number is not None:
                    key = (piece, posting.account)
                    soldes[key] += posting.units.number
                    premieres.setdefault(key, entry)
    found: dict[str, FactureOuverte] = {}
    for (piece, compte), reste in soldes.items():
        if reste != 0:
            entry = premieres[(piece, compte)]
            found[piece] = FactureOuverte(
                piece,
                compte,
                reste,
                entry.payee,
                entry.meta.get("projet"),
                entry.meta.get("convention"),
                entry.narration,
            )
    return found


def _montant(demande: Demande) -> Decimal:
    if demande.montant is None:
        raise SaisieInvalide("montant manquant (--montant)")
    if demande.montant <= 0:
        raise SaisieInvalide(f"montant {demande.montant} refusé : un montant positif est attendu")
    return demande.montant


def _contrepartie(
    demande: Demande, genre: GenreDEcriture, rep: Repertoire, compte: str
) -> tuple[str, bool]:
    if demande.contrepartie:
        return rep.resoudre(demande.contrepartie)
    if demande.genre == "nature":
        return rep.ressource_en_nature(compte)
    if demande.genre == "note-de-frais":
        role = BENEFICIAIRES.get(demande.beneficiaire or "")
        if role is None:
            raise SaisieInvalide("note de frais : --beneficiaire salarie ou benevole attendu")
        return rep.par_role(role)
    if genre.defaut is None:
        raise SaisieInvalide(f"{genre.libelle} : contrepartie manquante (--contrepartie)")
    return rep.par_role(genre.defaut)


def _ouvertures(
    rep: Repertoire, *comptes: tuple[str, bool]
) -> tuple[tuple[datetime.date, str], ...]:
    seen: list[str] = []
    for nom, ouvrir in comptes:
        if ouvrir and nom not in seen:
            seen.append(nom)
    return tuple((rep.ouverture, nom) for nom in seen)


def _debit_d_abord(*lignes: LigneDEcriture) -> tuple[LigneDEcriture, ...]:
    """The debit line first, as in the ledgers people write by hand."""
    return tuple(sorted(lignes, key=lambda ligne: ligne.montant < 0))


def construire_ecriture(demande: Demande, rep: Repertoire, entries: list[Any]) -> Ecriture:
    """The entry of ``demande``; :class:`SaisieInvalide` or
    :class:`~communs_ledger.importation.comptes.CompteIntrouvable` (French) otherwise."""
    genre = GENRES.get(demande.genre)
    if genre is None:
        raise SaisieInvalide(
            f"genre d'écriture « {demande.genre} » inconnu : {', '.join(GENRES)} attendu"
        )
    if genre.piece_requise and not demande.piece:
        raise SaisieInvalide(f"{genre.libelle} : numéro de pièce manquant (--piece)")
    if demande.genre == "reglement":
        return _reglement(demande, rep, entries)
    montant = _montant(demande)
    if not demande.compte:
        raise SaisieInvalide(f"{genre.libelle} : compte manquant (--compte)")
    compte = rep.resoudre(demande.compte)
    contrepartie = _contrepartie(demande, genre, rep, compte[0])
    if compte[0] == contrepartie[0]:
        raise SaisieInvalide(f"le compte et la contrepartie sont le même compte : {compte[0]}")
    ecriture = Ecriture(
        date=demande.date,
        libelle=demande.libelle or genre.libelle.capitalize(),
        lignes=_debit_d_abord(
            LigneDEcriture(compte[0], genre.sens * montant),
            LigneDEcriture(contrepartie[0], -genre.sens * montant),
        ),
        tiers=demande.tiers,
        projet=demande.projet,
        convention=demande.convention,
        piece=demande.piece,
        genre=genre.libelle,
        ouvertures=_ouvertures(rep, compte, contrepartie),
        meta=_meta_personne(demande, (compte[0], genre.sens), (contrepartie[0], -genre.sens)),
    )
    ecriture.verifier()
    return ecriture


def _credite(prefixe: str, *lignes: tuple[str, int]) -> bool:
    return any((account_code(c) or "").startswith(prefixe) and sens < 0 for c, sens in lignes)


def _meta_personne(demande: Demande, *lignes: tuple[str, int]) -> tuple[tuple[str, str], ...]:
    """``donateur`` / ``nature`` / ``paiement`` of a gift, ``adherent`` of a fee; checked
    against the entry's accounts (a gift credits a 754 account, a fee a 756 one)."""
    meta: list[tuple[str, str]] = []
    if demande.genre == "abandon-de-frais" and not demande.donateur:
        raise SaisieInvalide("abandon de frais : code du bénévole donateur manquant (--donateur)")
    if demande.donateur:
        if not _credite("754", *lignes):
            raise SaisieInvalide("--donateur : réservé à un don, au crédit d'un compte 754")
        meta.append(("donateur", demande.donateur))
        if demande.genre == "abandon-de-frais":
            meta.append(("nature", "abandon_frais"))
    if demande.paiement:
        if not demande.donateur:
            raise SaisieInvalide("--paiement : mode de versement d'un don (avec --donateur)")
        if demande.paiement not in PAIEMENTS:
            raise SaisieInvalide(
                f"mode de versement « {demande.paiement} » inconnu : {', '.join(PAIEMENTS)}"
            )
        meta.append(("paiement", demande.paiement))
    if demande.adherent:
        if not _credite("756", *lignes):
            raise SaisieInvalide("--adherent : réservé à une cotisation, au crédit d'un compte 756")
        meta.append(("adherent", demande.adherent))
    return tuple(meta)


def _libelle_du_reglement(facture: FactureOuverte) -> str:
    code = account_code(facture.compte) or ""
    if code.startswith("441"):
        return f"Versement de la subvention {facture.piece}"
    if code.startswith("411"):
        return f"Encaissement de la facture {facture.piece}"
    return f"Règlement de la facture {facture.piece}"


def _reglement(demande: Demande, rep: Repertoire, entries: list[Any]) -> Ecriture:
    piece = demande.piece or ""
    ouvertes = factures_ouvertes(entries)
    facture = ouvertes.get(piece)
    if facture is None:
        connues = ", ".join(sorted(ouvertes)[:8]) or "aucune"
        raise SaisieInvalide(
            f"aucune facture ouverte de pièce « {piece} » (sur 401, 411 ou 441) ; factures "
            f"ouvertes : {connues}"
        )
    reste = abs(facture.reste)
    montant = demande.montant if demande.montant is not None else reste
    if montant <= 0 or montant > reste:
        raise SaisieInvalide(
            f"montant {montant} refusé : il reste {reste} à régler sur la facture {piece}"
        )
    sens = -1 if facture.reste > 0 else 1  # settle: the opposite of what remains
    try:
        contrepartie = _contrepartie(demande, GENRES["reglement"], rep, facture.compte)
    except CompteIntrouvable as exc:
        raise SaisieInvalide(f"{exc} (banque du règlement : --contrepartie)") from None
    ecriture = Ecriture(
        date=demande.date,
        libelle=demande.libelle or _libelle_du_reglement(facture),
        lignes=_debit_d_abord(
            LigneDEcriture(facture.compte, sens * montant),
            LigneDEcriture(contrepartie[0], -sens * montant),
        ),
        tiers=demande.tiers or facture.tiers,
        projet=demande.projet or facture.projet,
        convention=demande.convention or facture.convention,
        piece=piece,
        genre=GENRES["reglement"].libelle,
        ouvertures=_ouvertures(rep, contrepartie),
    )
    ecriture.verifier()
    return ecriture
