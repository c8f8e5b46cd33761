"""CFONB 120 statements (« relevé de compte 120 caractères »), as French banks give them to
professional customers.

A small reader of the fixed-width records rather than a dependency: the one
package on PyPI (``python-cfonb``) was last released in 2021, answers in English
without the line, and pulls ``toml`` and ``semantic-version`` in. Records (one
per line, 120 characters; positions from 1):

- ``01`` old balance and ``07`` new balance: bank (3-7), counter (12-16),
  currency (17-19), decimals (20), account (22-32), date JJMMAA (35-40),
  amount (91-104);
- ``04`` operation: the same, then the booking date (35-40), value date
  (43-48), label (49-79), entry number (82-88), amount (91-104);
- ``05`` complement of the operation before: qualifier (46-48) and text (49-118):
  ``LIB``, ``LCC``, ``LC2``… add to the label, ``NPY`` (payer) and ``NBE``
  (payee) give the counterparty.

An amount is 14 characters whose last one carries both the last digit and
the sign: ``{`` and ``A``–``I`` for 0–9 positive, ``}`` and ``J``–``R`` for 0–9
negative (a debit). Each day's block is checked: old balance + operations =
new balance, else the file is refused at the new balance's line. A file whose
last block has no new balance is cut short: refused too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..montants import is_cent_exact
from ..sources import display_path
from .modele import ErreurImport, Operation, Releve, SoldeReleve, releve_des_operations
from .valeurs import nettoyer

CLE_REFERENCE = "ref_cfonb"
LONGUEUR = 120
_POSITIFS = {"{": 0, **{chr(ord("A") + n): n + 1 for n in range(9)}}
_NEGATIFS = {"}": 0, **{chr(ord("J") + n): n + 1 for n in range(9)}}
_LIBELLES = ("LIB", "LCC", "LC2", "LCS", "LCZ")
_TIERS = {"NPY": "payeur", "NBE": "bénéficiaire"}


def est_cfonb(raw: bytes) -> bool:
    """The first record is an old balance: ``01`` then a five-digit bank code."""
    premiere = raw.lstrip(b"\r\n").split(b"\n", 1)[0].rstrip(b"\r")
    return 104 <= len(premiere) <= LONGUEUR and premiere[:2] == b"01" and premiere[2:7].isdigit()


@dataclass
class _Enregistrement:
    ligne: int
    texte: str

    @property
    def code(self) -> str:
        return self.texte[:2]

    def zone(self, debut: int, fin: int) -> str:
        """Positions ``debut`` to ``fin`` (from 1, inclusive), as the standard counts."""
        return self.texte[debut - 1 : fin]


def _enregistrements(nom: str, raw: bytes) -> list[_Enregistrement]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lignes = text.splitlines()
    if len(lignes) == 1 and len(lignes[0]) > LONGUEUR and len(lignes[0]) % LONGUEUR == 0:
        lignes = [lignes[0][i : i + LONGUEUR] for i in range(0, len(lignes[0]), LONGUEUR)]
    result = []
    for numero, ligne in enumerate(lignes, start=1):
        if not ligne.strip():
            continue
        if len(ligne) > LONGUEUR and ligne[LONGUEUR:].strip():
            raise ErreurImport(
                f"{nom}, ligne {numero} : enregistrement de {len(ligne)} caractères (CFONB 120 : "
                f"{LONGUEUR} par ligne)"
            )
        result.append(_Enregistrement(numero, ligne[:LONGUEUR].ljust(LONGUEUR)))
    return result


def _montant(nom: str, enregistrement: _Enregistrement) -> Decimal:
    zone = enregistrement.zone(91, 104)
    decimales = enregistrement.zone(20, 20)
    chiffres, dernier = zone[:-1], zone[-1:]
    if (
        not chiffres.isdigit()
        or not decimales.isdigit()
        or dernier
        not in {
            **_POSITIFS,
            **_NEGATIFS,
        }
    ):
        raise ErreurImport(
            f"{nom}, ligne {enregistrement.ligne} : montant « {zone.strip()} » illisible "
            "(positions 91 à 104 : 13 chiffres et un caractère de signe)"
        )
    negatif = dernier in _NEGATIFS
    unites = int(chiffres) * 10 + (_NEGATIFS if negatif else _POSITIFS)[dernier]
    number = Decimal(unites).scaleb(-int(decimales))
    if not is_cent_exact(number):
        raise ErreurImport(
            f"{nom}, ligne {enregistrement.ligne} : montant à plus de deux décimales "
            f"({number}) : seuls les relevés en euros sont gérés"
        )
    return -number if negatif else number


def _date(nom: str, enregistrement: _Enregistrement, debut: int) -> datetime.date:
    zone = enregistrement.zone(debut, debut + 5)
    try:
        return datetime.datetime.strptime(zone, "%d%m%y").date()
    except ValueError:
        raise ErreurImport(
            f"{nom}, ligne {enregistrement.ligne} : date « {zone} » illisible (JJMMAA attendu, "
            f"positions {debut} à {debut + 5})"
        ) from None


def _compte(enregistrement: _Enregistrement) -> str:
    return " ".join(
        enregistrement.zone(debut, fin).strip() for debut, fin in ((3, 7), (12, 16), (22, 32))
    )


@dataclass
class _Brouillon:
    """An operation being read: its ``04`` record, then its ``05`` complements."""

    ligne: int
    date: datetime.date
    montant: Decimal
    libelle: list[str]
    tiers: str | None
    reference: str | None

    def operation(self) -> Operation:
        morceaux: list[str] = []
        for texte in self.libelle:
            texte = nettoyer(texte)
            if texte and not any(texte in deja for deja in morceaux):
                morceaux.append(texte)
        return Operation(
            ligne=self.ligne,
            date=self.date,
            montant=self.montant,
            libelle=" ".join(morceaux) or self.tiers or "(sans libellé)",
            tiers=self.tiers,
            reference=self.reference,
        )


def lire_cfonb(chemin: Path, raw: bytes) -> Releve:
    """Read a CFONB 120 statement file."""
    nom = display_path(chemin)
    enregistrements = _enregistrements(nom, raw)
    lecture = _Lecture(nom)
    for enregistrement in enregistrements:
        lecture.lire(enregistrement)
    operations = lecture.terminer(enregistrements)
    return releve_des_operations(
        chemin,
        "cfonb120",
        operations,
        f"{nom} : aucune opération dans le relevé CFONB",
        cle_reference=CLE_REFERENCE,
        solde=lecture.solde,
    )


class _Lecture:
    """The reading of a CFONB file, record after record: the operations read, the daily
    block open (old balance, operations so far) and the latest new balance."""

    def __init__(self, nom: str) -> None:
        self.nom = nom
        self.comptes: set[str] = set()
        self.operations: list[Operation] = []
        self.brouillon: _Brouillon | None = None
        self.ouvert: tuple[Decimal, Decimal] | None = None  # (old balance, operations so far)
        self.solde: SoldeReleve | None = None

    def erreur(self, enregistrement: _Enregistrement, message: str) -> ErreurImport:
        return ErreurImport(f"{self.nom}, ligne {enregistrement.ligne} : {message}")

    def lire(self, enregistrement: _Enregistrement) -> None:
        """Take one record into account."""
        code = enregistrement.code
        if code not in ("01", "04", "05", "07"):
            raise self.erreur(
                enregistrement,
                f"enregistrement « {code} » inconnu (CFONB 120 : 01, 04, 05 ou 07)",
            )
        if code == "05":
            self.complement(enregistrement)
            return
        if self.brouillon is not None:
            self.operations.append(self.brouillon.operation())
            self.brouillon = None
        devise = enregistrement.zone(17, 19).strip().upper()
        if devise not in ("EUR", ""):
            raise self.erreur(
                enregistrement, f"compte en {devise} : seuls les relevés en euros sont gérés"
            )
        self.comptes.add(_compte(enregistrement))
        montant = _montant(self.nom, enregistrement)
        if code == "01":
            self.ouvert = (montant, Decimal(0))
        elif code == "04":
            self.operation(enregistrement, montant)
        else:
            self.nouveau_solde(enregistrement, montant)

    def complement(self, enregistrement: _Enregistrement) -> None:
        """A ``05`` record: more label, or the counterparty, of the operation before."""
        brouillon = self.brouillon
        if brouillon is None:
            raise self.erreur(enregistrement, "complément (05) sans opération (04) avant lui")
        qualifiant = enregistrement.zone(46, 48).strip().upper()
        texte = enregistrement.zone(49, 118).strip()
        if qualifiant in _TIERS:
            brouillon.tiers = brouillon.tiers or nettoyer(texte) or None
        elif qualifiant in _LIBELLES:
            brouillon.libelle.append(texte)

    def operation(self, enregistrement: _Enregistrement, montant: Decimal) -> None:
        """A ``04`` record: an operation of the open daily block."""
        if self.ouvert is None:
            raise self.erreur(
                enregistrement,
                "opération (04) hors d'un relevé : l'ancien solde (01) manque avant elle",
            )
        self.ouvert = (self.ouvert[0], self.ouvert[1] + montant)
        numero = enregistrement.zone(82, 88).strip()
        day = _date(self.nom, enregistrement, 35)
        self.brouillon = _Brouillon(
            ligne=enregistrement.ligne,
            date=day,
            montant=montant,
            libelle=[enregistrement.zone(49, 79)],
            tiers=None,
            reference=f"{day:%Y%m%d}-{numero}" if numero else None,
        )

    def nouveau_solde(self, enregistrement: _Enregistrement, montant: Decimal) -> None:
        """A ``07`` record: the new balance closes the daily block, which must add up."""
        ouvert = self.ouvert
        if ouvert is None:
            raise self.erreur(enregistrement, "nouveau solde (07) sans ancien solde (01) avant lui")
        if ouvert[0] + ouvert[1] != montant:
            raise self.erreur(
                enregistrement,
                f"le nouveau solde ({montant}) n'est pas l'ancien ({ouvert[0]}) plus les "
                f"opérations ({ouvert[1]}) : relevé incomplet ou abîmé ; téléchargez-le à "
                "nouveau",
            )
        day = _date(self.nom, enregistrement, 35)
        trouve = SoldeReleve(day + datetime.timedelta(days=1), montant, "nouveau solde 07")
        if self.solde is None or trouve.date >= self.solde.date:
            self.solde = trouve
        self.ouvert = None

    def terminer(self, enregistrements: list[_Enregistrement]) -> list[Operation]:
        """Every operation read, once the file is known whole and of one account."""
        if self.brouillon is not None:
            self.operations.append(self.brouillon.operation())
        operations = self.operations
        if self.ouvert is not None:
            derniere = enregistrements[-1].ligne if enregistrements else 1
            apres = (
                f"après l'opération {len(operations)} (commencée ligne {operations[-1].ligne})"
                if operations
                else "avant sa première opération"
            )
            raise ErreurImport(
                f"{self.nom}, ligne {derniere} : fichier tronqué {apres} : le nouveau solde (07) "
                "du dernier relevé manque ; le téléchargement s'est-il interrompu ? "
                "Téléchargez à nouveau le relevé depuis la banque"
            )
        if len(self.comptes) > 1:
            raise ErreurImport(
                f"{self.nom} : le fichier CFONB contient {len(self.comptes)} comptes "
                f"({', '.join(sorted(self.comptes))}) : exportez un fichier par compte"
            )
        return operations
