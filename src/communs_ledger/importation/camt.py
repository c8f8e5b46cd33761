"""camt.053 statements (ISO 20022 XML ``BkToCstmrStmt``), as French banks give them to
professional customers.

Read with the standard library's ElementTree through ``defusedxml``: a bank file
has no DTD, so one is refused, and with it every entity expansion (« billion
laughs ») and external reference. The ``pycamt`` package was considered: it
returns strings without their line in the file (every error here names its
line), keeps no balances' dates, and brings ``lxml`` in through its own pins.

What is kept, for the single account of the file (a file often holds one
``Stmt`` per day: they are read one after the other):

- each booked ``Ntry`` (``Sts`` ``BOOK``; pending ones are left out with a
  warning): ``Amt`` signed by ``CdtDbtInd``, ``BookgDt`` (else ``ValDt``),
  ``AcctSvcrRef`` (else ``NtryRef``) as the bank reference, the counterparty's
  name (``Dbtr`` of a credit, ``Cdtr`` of a debit) as payee, ``AddtlNtryInf`` and
  the unstructured remittance (``RmtInf/Ustrd``) as the label;
- the last closing booked balance (``Bal`` of type ``CLBD``).

Any version (``camt.053.001.02`` to ``.13``): elements are found by local name.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from ..sources import display_path
from .modele import ErreurImport, Operation, Releve, SoldeReleve, releve_des_operations
from .valeurs import au_centime, nettoyer, nom_encodage

CLE_REFERENCE = "ref_camt"
_TRONQUE = (3, 5, 6)  # expat: no element found, unclosed token, partial character
_ENCODAGE = re.compile(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9_.-]+)["']""")


def est_camt(raw: bytes) -> bool:
    head = raw[:2048]
    return b"BkToCstmr" in head or b"camt.05" in head


class _Constructeur(TreeBuilder):
    """A tree builder that records each element's line and counts the entries read."""

    def __init__(self) -> None:
        super().__init__()
        self.lignes: dict[int, int] = {}
        self.expat: Any = None
        self.entrees = 0
        self.derniere_entree = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = super().start(tag, attrs)
        self.lignes[id(element)] = self.expat.CurrentLineNumber
        return element

    def end(self, tag: str) -> Element:
        element = super().end(tag)
        if _local(tag) == "Ntry":
            self.entrees += 1
            self.derniere_entree = self.lignes[id(element)]
        return element


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Document:
    """The parsed file: its elements, each with its line."""

    def __init__(self, nom: str, racine: Element, lignes: dict[int, int]) -> None:
        self.nom = nom
        self.racine = racine
        self._lignes = lignes

    def ligne(self, element: Element) -> int:
        return self._lignes.get(id(element), 0)

    def erreur(self, element: Element, message: str) -> ErreurImport:
        return ErreurImport(f"{self.nom}, ligne {self.ligne(element)} : {message}")


def _analyser(nom: str, raw: bytes) -> _Document:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    constructeur = _Constructeur()
    parseur = DefusedXMLParser(target=constructeur, forbid_dtd=True)
    constructeur.expat = parseur.parser
    try:
        parseur.feed(raw)
        racine = parseur.close()
    except DefusedXmlException:
        raise ErreurImport(
            f"{nom} : relevé camt.053 refusé : il déclare une DTD ou des entités, ce qu'un "
            "relevé bancaire ne fait jamais"
        ) from None
    except ParseError as exc:
        ligne = exc.position[0]
        if exc.code in _TRONQUE:
            apres = (
                f"après l'opération {constructeur.entrees} (commencée ligne "
                f"{constructeur.derniere_entree})"
                if constructeur.entrees
                else "avant sa première opération complète"
            )
            raise ErreurImport(
                f"{nom}, ligne {ligne} : fichier tronqué {apres} : la fin du relevé manque ; "
                "le téléchargement s'est-il interrompu ? Téléchargez à nouveau le relevé "
                "depuis la banque"
            ) from None
        raise ErreurImport(f"{nom}, ligne {ligne} : XML mal formé ({exc.msg})") from None
    return _Document(nom, racine, constructeur.lignes)


def _enfant(element: Element | None, *chemin: str) -> Element | None:
    """The first descendant along ``chemin`` (local names, each a direct child)."""
    for nom in chemin:
        if element is None:
            return None
        element = next((child for child in element if _local(child.tag) == nom), None)
    return element


def _enfants(element: Element, nom: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == nom]


def _texte(element: Element | None, *chemin: str) -> str:
    found = _enfant(element, *chemin)
    return (found.text or "").strip() if found is not None else ""


def _tous(element: Element, nom: str) -> list[Element]:
    return [child for child in element.iter() if _local(child.tag) == nom]


def lire_camt(chemin: Path, raw: bytes) -> Releve:
    """Read a camt.053 statement file."""
    nom = display_path(chemin)
    document = _analyser(nom, raw)
    racine = document.racine
    if _local(racine.tag) != "Document" or _enfant(racine, "BkToCstmrStmt") is None:
        if _tous(racine, "BkToCstmrAcctRpt") or _tous(racine, "BkToCstmrDbtCdtNtfctn"):
            raise ErreurImport(
                f"{nom} : ce fichier camt est un avis (camt.052 ou camt.054), pas un relevé : "
                "téléchargez le relevé de compte camt.053"
            )
        raise ErreurImport(f"{nom} : fichier XML sans relevé camt.053 (BkToCstmrStmt)")
    releves = _enfants(_enfant(racine, "BkToCstmrStmt"), "Stmt")  # type: ignore[arg-type]
    if not releves:
        raise ErreurImport(f"{nom} : relevé camt.053 sans relevé de compte (Stmt)")
    comptes = sorted({_compte(stmt) for stmt in releves})
    if len(comptes) > 1:
        raise ErreurImport(
            f"{nom} : le fichier camt.053 contient {len(comptes)} comptes "
            f"({', '.join(comptes)}) : exportez un fichier par compte"
        )
    operations: list[Operation] = []
    en_attente = 0
    solde: SoldeReleve | None = None
    for stmt in releves:
        for entree in _enfants(stmt, "Ntry"):
            statut = _texte(entree, "Sts", "Cd") or _texte(entree, "Sts")
            if statut and statut.upper() not in ("BOOK", "BOOKED"):
                en_attente += 1
                continue
            operations.append(_operation(document, entree))
        for balance in _enfants(stmt, "Bal"):
            if _texte(balance, "Tp", "CdOrPrtry", "Cd").upper() == "CLBD":
                trouve = _solde(document, balance)
                if solde is None or trouve.date >= solde.date:
                    solde = trouve
    result = releve_des_operations(
        chemin,
        "camt053",
        operations,
        f"{nom} : aucune opération comptabilisée dans le relevé camt.053",
        cle_reference=CLE_REFERENCE,
        encodage=_encodage(raw),
        solde=solde,
    )
    if en_attente:
        result.avertissements.append(
            f"{en_attente} opération{'s' if en_attente > 1 else ''} en attente (statut autre "
            f"que BOOK) laissée{'s' if en_attente > 1 else ''} de côté : à importer avec le "
            "relevé suivant"
        )
    return result


def _encodage(raw: bytes) -> str:
    """The encoding the XML declaration names (UTF-8 without one)."""
    declared = _ENCODAGE.search(raw[:200])
    try:
        return nom_encodage(declared.group(1).decode("ascii") if declared else "utf-8")
    except LookupError:
        return "utf-8"


def _compte(stmt: Element) -> str:
    compte = _enfant(stmt, "Acct", "Id")
    return _texte(compte, "IBAN") or _texte(compte, "Othr", "Id") or "?"


def _montant(document: _Document, element: Element) -> Decimal:
    """``Amt`` signed by ``CdtDbtInd`` (a debit is money going out)."""
    amt = _enfant(element, "Amt")
    if amt is None or not (amt.text or "").strip():
        raise document.erreur(element, "montant (Amt) manquant")
    devise = amt.get("Ccy", "EUR").upper()
    if devise != "EUR":
        raise document.erreur(amt, f"montant en {devise} : seuls les relevés en euros sont gérés")
    texte = (amt.text or "").strip()
    try:
        number = Decimal(texte)
    except InvalidOperation:
        raise document.erreur(amt, f"montant « {texte} » illisible") from None
    try:
        au_centime(number, texte)
    except ValueError as exc:
        raise document.erreur(amt, str(exc)) from None
    if number < 0:
        raise document.erreur(amt, f"montant « {texte} » négatif : le sens se dit par CdtDbtInd")
    sens = _texte(element, "CdtDbtInd").upper()
    if sens not in ("CRDT", "DBIT"):
        raise document.erreur(
            element, f"sens (CdtDbtInd) « {sens} » illisible : CRDT ou DBIT attendu"
        )
    return number if sens == "CRDT" else -number


def _date(document: _Document, element: Element, *balises: str) -> datetime.date:
    for balise in balises:
        bloc = _enfant(element, balise)
        if bloc is None:
            continue
        texte = _texte(bloc, "Dt") or _texte(bloc, "DtTm")[:10]
        try:
            return datetime.date.fromisoformat(texte)
        except ValueError:
            raise document.erreur(
                bloc, f"date {balise} « {texte} » illisible (AAAA-MM-JJ attendu)"
            ) from None
    raise document.erreur(element, f"date ({' ou '.join(balises)}) manquante")


def _operation(document: _Document, entree: Element) -> Operation:
    montant = _montant(document, entree)
    day = _date(document, entree, "BookgDt", "ValDt")
    details = _tous(entree, "TxDtls")
    partie = "Dbtr" if montant > 0 else "Cdtr"
    tiers = ""
    textes: list[str] = []
    for detail in details:
        parties = _enfant(detail, "RltdPties")
        tiers = tiers or _texte(parties, partie, "Nm") or _texte(parties, partie, "Pty", "Nm")
        textes += [(element.text or "").strip() for element in _tous(detail, "Ustrd")]
    info = _texte(entree, "AddtlNtryInf")
    morceaux: list[str] = []
    for texte in [info, *textes]:
        texte = nettoyer(texte)
        if texte and not any(texte in deja for deja in morceaux):
            morceaux.append(texte)
    libelle = " ".join(morceaux)
    if len(details) > 1:
        libelle = f"{libelle} ({len(details)} opérations)".strip()
    reference = _texte(entree, "AcctSvcrRef") or _texte(entree, "NtryRef")
    return Operation(
        ligne=document.ligne(entree),
        date=day,
        montant=montant,
        libelle=libelle or nettoyer(tiers) or "(sans libellé)",
        tiers=nettoyer(tiers) or None,
        reference=reference or None,
    )


def _solde(document: _Document, balance: Element) -> SoldeReleve:
    """A closing balance at the end of its day: asserted at the start of the next one."""
    day = _date(document, balance, "Dt")
    return SoldeReleve(day + datetime.timedelta(days=1), _montant(document, balance), "solde CLBD")
