"""OFX statements: SGML (OFX 1.x, what French banks export) and XML (OFX 2.x).

A small tolerant reader rather than a dependency: ``ofxparse`` (last release
2021, BeautifulSoup) and ``ofxtools`` (strict validation of the whole
specification) either add weight or refuse what French banks actually write
(decimal commas, ``CHARSET:1252`` with accented labels, unclosed leaves).
We read the tags ourselves: an element whose name is closed somewhere in the
file is an aggregate, any other is a leaf whose value runs to the next tag.

What is kept: each ``STMTTRN`` (``DTPOSTED``, ``TRNAMT``, ``FITID``, ``NAME``,
``MEMO``, ``CHECKNUM``) and the ``LEDGERBAL`` (``BALAMT`` at ``DTASOF``), of the
single bank or card statement of the file.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..plan import fold
from ..sources import display_path
from .modele import ErreurImport, Operation, Releve, SoldeReleve, releve_des_operations
from .valeurs import lire_montant, nettoyer, nom_encodage

_TAG = re.compile(r"<(/?)([A-Za-z0-9_.]+)(?:\s[^>]*)?>([^<]*)")
_CLOSING = re.compile(rb"</([A-Za-z0-9_.]+)\s*>")
_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.-]+)[\"']", re.IGNORECASE)
_CHARSETS = {"1252": "cp1252", "ISO-8859-1": "latin-1", "8859-1": "latin-1", "UTF-8": "utf-8"}


@dataclass
class Noeud:
    """An OFX element: a leaf (``valeur``) or an aggregate (``enfants``)."""

    nom: str
    ligne: int
    valeur: str | None = None
    enfants: list[Noeud] = field(default_factory=list)
    ferme: bool = False  # an aggregate whose closing tag was read

    def tous(self, nom: str) -> list[Noeud]:
        """Every descendant named ``nom``, in document order."""
        found = []
        for enfant in self.enfants:
            if enfant.nom == nom:
                found.append(enfant)
            found.extend(enfant.tous(nom))
        return found

    def feuille(self, nom: str) -> Noeud | None:
        """The first descendant leaf named ``nom``."""
        for enfant in self.enfants:
            if enfant.nom == nom and enfant.valeur is not None:
                return enfant
            found = enfant.feuille(nom)
            if found is not None:
                return found
        return None

    def texte(self, nom: str) -> str | None:
        """The value of the first descendant leaf named ``nom``."""
        found = self.feuille(nom)
        return found.valeur if found is not None else None


def _encodage(raw: bytes) -> str:
    """The declared encoding: XML prolog, else SGML ENCODING and CHARSET headers."""
    declared = _XML_ENCODING.search(raw[:512])
    if declared:
        return declared.group(1).decode("ascii")
    header = raw[: raw.upper().find(b"<OFX")].decode("ascii", errors="replace").upper()
    values = dict(
        (line.split(":", 1)[0].strip(), line.split(":", 1)[1].strip())
        for line in header.splitlines()
        if ":" in line
    )
    if values.get("ENCODING") in ("UTF-8", "UTF8"):
        return "utf-8"
    return _CHARSETS.get(values.get("CHARSET", ""), "cp1252")


def _decoder(raw: bytes) -> tuple[str, str]:
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    declared = _encodage(raw)
    for encodage in (declared, "utf-8", "cp1252"):
        try:
            return raw.decode(encodage), nom_encodage(encodage)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("latin-1"), "iso-8859-1"  # never fails


def analyser(text: str, fermes: set[str]) -> Noeud:
    """The element tree of an OFX text (SGML or XML)."""
    racine = Noeud("", 0)
    pile = [racine]
    start = text.upper().find("<OFX")
    position, ligne = 0, 1
    for match in _TAG.finditer(text, max(start, 0)):
        ligne += text.count("\n", position, match.start())
        position = match.start()
        closing, nom, valeur = match.group(1), match.group(2).upper(), match.group(3)
        if closing:
            for index in range(len(pile) - 1, 0, -1):
                if pile[index].nom == nom:
                    for ouvert in pile[index:]:
                        ouvert.ferme = True
                    del pile[index:]
                    break
            continue
        noeud = Noeud(nom, ligne)
        pile[-1].enfants.append(noeud)
        valeur = valeur.strip()
        if valeur or nom not in fermes:
            noeud.valeur = html.unescape(valeur)
        else:
            pile.append(noeud)
    return racine


def lire_ofx(chemin: Path, raw: bytes) -> Releve:
    """Read an OFX statement file."""
    nom = display_path(chemin)
    text, encodage = _decoder(raw)
    fermes = {name.decode("ascii").upper() for name in _CLOSING.findall(raw)}
    racine = analyser(text, fermes)
    _verifier_complet(nom, text, racine)
    releves = racine.tous("STMTRS") + racine.tous("CCSTMTRS")
    if not releves:
        raise ErreurImport(f"{nom} : fichier OFX sans relevé de compte (STMTRS)")
    if len(releves) > 1:
        comptes = ", ".join(r.texte("ACCTID") or "?" for r in releves)
        raise ErreurImport(
            f"{nom} : le fichier OFX contient {len(releves)} comptes ({comptes}) : "
            "exportez un fichier par compte"
        )
    releve = releves[0]
    devise = (releve.texte("CURDEF") or "EUR").upper()
    if devise != "EUR":
        raise ErreurImport(f"{nom} : relevé en {devise} : seuls les relevés en euros sont gérés")
    operations = [_operation(nom, noeud) for noeud in releve.tous("STMTTRN")]
    result = releve_des_operations(
        chemin,
        "ofx",
        operations,
        f"{nom} : aucune opération dans le relevé OFX",
        cle_reference="fitid",
        encodage=encodage,
    )
    for solde in releve.tous("LEDGERBAL")[:1]:
        result.solde = _solde(nom, solde)
    return result


def _verifier_complet(nom: str, text: str, racine: Noeud) -> None:
    """A file cut short (an interrupted download) lacks its closing ``</OFX>``: refused,
    with the operations it still holds in full, rather than imported in part."""
    ofx = next((noeud for noeud in racine.enfants if noeud.nom == "OFX"), None)
    if ofx is not None and ofx.ferme:
        return
    completes = [noeud for noeud in racine.tous("STMTTRN") if noeud.ferme]
    ligne = text.rstrip().count("\n") + 1
    apres = (
        f"après l'opération {len(completes)} (commencée ligne {completes[-1].ligne})"
        if completes
        else "avant sa première opération complète"
    )
    raise ErreurImport(
        f"{nom}, ligne {ligne} : fichier tronqué {apres} : la fin du relevé (</OFX>) manque ; "
        "le téléchargement s'est-il interrompu ? Téléchargez à nouveau le relevé depuis la "
        "banque"
    )


def _date(nom: str, noeud: Noeud, balise: str) -> datetime.date:
    feuille = noeud.feuille(balise)
    if feuille is None or not (feuille.valeur or "").strip():
        raise ErreurImport(f"{nom}, ligne {noeud.ligne} : {balise} manquant")
    value = feuille.valeur or ""
    try:
        return datetime.datetime.strptime(value.strip()[:8], "%Y%m%d").date()
    except ValueError:
        raise ErreurImport(
            f"{nom}, ligne {feuille.ligne} : date {balise} « {value} » illisible (AAAAMMJJ attendu)"
        ) from None


def _montant(nom: str, noeud: Noeud, balise: str) -> Decimal:
    feuille = noeud.feuille(balise)
    if feuille is None or not (feuille.valeur or "").strip():
        raise ErreurImport(f"{nom}, ligne {noeud.ligne} : montant {balise} manquant")
    value = feuille.valeur or ""
    try:
        found = lire_montant(value, "," if "," in value else ".", "")
    except ValueError:
        found = None
    if found is None:
        raise ErreurImport(f"{nom}, ligne {feuille.ligne} : montant {balise} « {value} » illisible")
    return found


def _operation(nom: str, noeud: Noeud) -> Operation:
    day = _date(nom, noeud, "DTPOSTED")
    montant = _montant(nom, noeud, "TRNAMT")
    name = nettoyer(noeud.texte("NAME") or "")
    memo = nettoyer(noeud.texte("MEMO") or "")
    if name and memo:
        libelle = memo if name in memo else name if memo in name else f"{name} {memo}"
    else:
        libelle = name or memo
    cheque = (noeud.texte("CHECKNUM") or "").strip()
    if cheque and cheque not in libelle:
        if "cheque" in fold(libelle):
            libelle = f"{libelle} n° {cheque}"
        else:
            libelle = f"{libelle} (chèque n° {cheque})".strip()
    return Operation(
        ligne=noeud.ligne,
        date=day,
        montant=montant,
        libelle=libelle or "(sans libellé)",
        reference=(noeud.texte("FITID") or "").strip() or None,
    )


def _solde(nom: str, noeud: Noeud) -> SoldeReleve:
    day = _date(nom, noeud, "DTASOF")
    return SoldeReleve(
        day + datetime.timedelta(days=1), _montant(nom, noeud, "BALAMT"), "LEDGERBAL"
    )
