"""What the norm of the FEC fixes (article A47 A-1 du LPF, BOI-CF-IOR-60-40-20): the 18
columns in order, the separator, the dates ``AAAAMMJJ``, the amounts with a decimal
comma, the file name ``SIRENFECAAAAMMJJ.txt`` and the character sets.

Choices of communs-ledger where the norm leaves one: tab separator, CRLF line ends,
amounts with two decimals and no thousands separator, ISO 8859-15 by default (the
norm names ASCII, ISO 8859-15 and EBCDIC; UTF-8, which several tools write, is
accepted on request — whether the administration accepts it is unverified).
Characters outside ISO 8859-15 (dashes, curly quotes, ellipsis…) are transliterated
(``–`` → ``-``, ``’`` → ``'``, ``…`` → ``...``, letters lose their accent, anything
else becomes ``?``) and counted, never refused.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from ..montants import to_cent

COLONNES: tuple[str, ...] = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
"""The 18 columns of a FEC (Debit / Credit variant), in their order."""

COLONNES_MONTANT_SENS: tuple[str, ...] = tuple(
    {"Debit": "Montant", "Credit": "Sens"}.get(name, name) for name in COLONNES
)
"""The other variant the norm allows: ``Montant`` and ``Sens`` in place of ``Debit`` and
``Credit``."""

FACULTATIVES = frozenset(
    {"CompAuxNum", "CompAuxLib", "EcritureLet", "DateLet", "Montantdevise", "Idevise"}
)
"""Columns that may be empty: auxiliary account, lettering, foreign currency."""

OBLIGATOIRES = frozenset(COLONNES + COLONNES_MONTANT_SENS) - FACULTATIVES
"""Columns that must hold a value on every line."""

DATES = ("EcritureDate", "PieceDate", "ValidDate", "DateLet")
SEPARATEUR = "\t"
FIN_DE_LIGNE = "\r\n"
SEPARATEURS = {"\t": "tabulation", "|": "barre verticale (|)"}

SEPARATEUR_FINAL = (
    "séparateur en fin de ligne : la norme (article A47 A-1 du LPF) prévoit 18 champs "
    "par ligne ; le champ vide qui le suit est ignoré"
)
"""The remark both readers of a FEC (``communs fec --verifier``, ``communs ouverture``)
make when they drop the empty field a trailing separator leaves."""


def separateur_final(fields: list[str], width: int | None = None) -> bool:
    """Whether a separator ends the line: its last field is empty and, on a line of
    entries, it has one field more than the header (``width``). Several programs write
    one; the field it leaves is dropped, with :data:`SEPARATEUR_FINAL` as a remark."""
    if len(fields) < 2 or fields[-1].strip():
        return False
    return width is None or len(fields) == width + 1


def remarque_separateur_final(lignes: list[int]) -> str:
    """:data:`SEPARATEUR_FINAL` for the entry lines ``lignes`` (numbers) a separator ends,
    to be given at the first one."""
    others = len(lignes) - 1
    if not others:
        return SEPARATEUR_FINAL
    return SEPARATEUR_FINAL + (
        " (et 1 autre ligne)" if others == 1 else f" (et {others} autres lignes)"
    )


NOM_DE_FICHIER = re.compile(r"^(?P<siren>\d{9})FEC(?P<cloture>\d{8})\.txt$", re.IGNORECASE)
"""``123456789FEC20241231.txt``: SIREN, « FEC », closing date of the exercice."""


class Encodage(StrEnum):
    """Character sets ``communs fec --encodage`` writes."""

    iso = "iso-8859-15"
    utf8 = "utf-8"

    @property
    def codec(self) -> str:
        return "iso8859_15" if self is Encodage.iso else "utf-8"

    @property
    def libelle(self) -> str:
        return "ISO 8859-15" if self is Encodage.iso else "UTF-8"


def nom_de_fichier(siren: str, cloture: datetime.date) -> str:
    """``843127655FEC20251231.txt``."""
    return f"{siren}FEC{date_fec(cloture)}.txt"


def date_fec(day: datetime.date) -> str:
    """``20250131``."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def lire_date_fec(text: str) -> datetime.date | None:
    """``AAAAMMJJ`` → date; None if the text is not a valid date in that form."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def montant_fec(value: Decimal) -> str:
    """A non-negative amount, rounded half-up to the cent: ``1234,50``."""
    return f"{to_cent(value):f}".replace(".", ",")


_AMOUNT = re.compile(r"^[+-]?\d+(?:,\d+)?$")
_POINT = re.compile(r"^[+-]?\d+\.\d+$")


def lire_montant_fec(text: str) -> Decimal:
    """``1234,50`` → Decimal; ``ValueError`` with the French reason otherwise."""
    if _AMOUNT.match(text):
        return Decimal(text.replace(",", "."))
    if _POINT.match(text):
        raise ValueError("point décimal au lieu de la virgule")
    if not text:
        raise ValueError("montant vide (0,00 attendu pour zéro)")
    stripped = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if stripped != text and _AMOUNT.match(stripped):
        raise ValueError("séparateur de milliers interdit")
    if text.count(",") == 1 and text.count(".") >= 1:
        raise ValueError("séparateur de milliers interdit")
    raise ValueError("montant illisible")


_C1 = re.compile(rb"[\x80-\x9f]")


def decoder_windows_1252(data: bytes) -> str | None:
    """``data`` read as Windows-1252 when it holds its signs (bytes 0x80 to 0x9F: €, ’,
    œ, –…, control characters in ISO 8859-15, never in a FEC's text), else None."""
    if not _C1.search(data):
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def lire_sens(text: str) -> int | None:
    """The ``Sens`` of the Montant / Sens variant: ``D`` or ``+1`` → 1, ``C`` or ``-1``
    → -1; None otherwise."""
    sens = text.strip().upper()
    if sens in ("D", "+1", "1"):
        return 1
    if sens in ("C", "-1"):
        return -1
    return None


_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def texte_propre(text: str) -> str:
    """One line of text: tabs, line breaks and other control characters become spaces,
    runs of spaces one space."""
    return " ".join(_CONTROLS.sub(" ", text).split())


_TRANSLITERATION = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2026": "...",
    "\u2022": "-",
    "\u2009": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u200b": "",
    "\u2122": "TM",
    "\u2044": "/",
    "\u0142": "l",
    "\u0141": "L",
    "\u0111": "d",
    "\u0110": "D",
}


def _substitute(char: str, codec: str) -> str:
    known = _TRANSLITERATION.get(char)
    if known is not None:
        return known
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(
        _TRANSLITERATION.get(part, part)
        for part in decomposed
        if not unicodedata.combining(part)
        and (part in _TRANSLITERATION or part.encode(codec, errors="ignore"))
    )
    return kept or "?"


@dataclass
class Encode:
    """Encoded bytes, and the characters that had to be replaced (char → (by, count))."""

    octets: bytes
    remplaces: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def nombre_remplaces(self) -> int:
        return sum(count for _by, count in self.remplaces.values())


# Candidates for transliteration: beyond Latin-1, and the 8 Latin-1 signs ISO 8859-15 replaced.
_OUTSIDE_LATIN_9 = re.compile("[^\x00-\xff]|[\xa4\xa6\xa8\xb4\xb8\xbc-\xbe]")


def encoder(text: str, encodage: Encodage) -> Encode:
    """``text`` in ``encodage``; in ISO 8859-15, characters outside it are transliterated."""
    codec = encodage.codec
    try:
        return Encode(text.encode(codec))
    except UnicodeEncodeError:
        pass
    candidates = set(_OUTSIDE_LATIN_9.findall(text))
    counts: dict[str, tuple[str, int]] = {}
    for char in sorted(candidates):
        if char.encode(codec, errors="ignore"):
            continue  # one of the 8 signs ISO 8859-15 added (€, œ…)
        by = _substitute(char, codec)
        counts[char] = (by, text.count(char))
        text = text.replace(char, by)
    return Encode(text.encode(codec, errors="replace"), counts)
