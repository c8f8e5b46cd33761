"""Checking a FEC file, ours or anyone's, against the structure of article A47 A-1.

What is checked, each problem with its line number (the header is line 1):

- the file name ``SIRENFECAAAAMMJJ.txt`` (SIREN key, valid closing date);
- the header: the 18 field names in their order, with ``Debit`` and ``Credit`` or,
  the other variant of the norm, ``Montant`` and ``Sens`` (``D``/``C`` or ``+1``/``-1``);
- one separator for the whole file, tabulation or ``|``, the one of the header;
- every line has the header's number of fields;
- the mandatory fields are filled; the dates (``EcritureDate``, ``PieceDate``,
  ``ValidDate``, ``DateLet`` if given) are valid ``AAAAMMJJ``;
- ``Debit`` and ``Credit`` read with a decimal comma (a decimal point, a
  thousands separator are named), never both non-zero;
- ``CompteNum`` starts with three digits; ``CompAuxNum`` and ``CompAuxLib`` go
  together;
- per entry (``EcritureNum`` within a ``JournalCode``): one date, Σ débit =
  Σ crédit; in total Σ débit = Σ crédit;
- ``EcritureNum`` numbers each journal without gaps (the trailing digits);
- the entry dates fit one exercice: within the 24 months before the closing
  date of the file name, never after it (the range is reported).

Remarks (not errors): lines with neither debit nor credit, negative amounts,
numbers out of date order within a journal, an exercice over 12 months, UTF-8
(accepted by the administration? unverified), mixed line ends.

The file is read as UTF-8 when it decodes as such, else as Windows-1252 when it holds
bytes 0x80 to 0x9F (a remark), else as ISO 8859-15.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

from ..config import luhn_ok
from ..dates import add_months
from ..formatage import montant, nombre, pluriel
from ..montants import ZERO
from .norme import (
    COLONNES,
    COLONNES_MONTANT_SENS,
    DATES,
    NOM_DE_FICHIER,
    OBLIGATOIRES,
    SEPARATEUR_FINAL,
    SEPARATEURS,
    decoder_windows_1252,
    lire_date_fec,
    lire_montant_fec,
    lire_sens,
    remarque_separateur_final,
    separateur_final,
)

MOIS_MAX = 24
VARIANTE_MONTANT_SENS = ("Montant", "Sens")
_TRAILING_NUMBER = re.compile(r"(\d+)$")


class PasUnFec(Exception):
    """The file cannot be read as a FEC at all (French message)."""


@dataclass(frozen=True, slots=True)
class Probleme:
    ligne: int | None  # None: the file as a whole (its name, its totals…)
    message: str

    def __str__(self) -> str:
        return f"ligne {self.ligne} : {self.message}" if self.ligne else self.message


@dataclass
class _Ecriture:
    ligne: int
    date: datetime.date | None
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    autre_date: int | None = None  # first line with another date
    illisible: bool = False  # an amount could not be read: its balance is not checked


@dataclass
class Verification:
    """What the check found."""

    nom: str
    encodage: str = ""
    separateur: str = ""
    variante: str = "Debit / Credit"
    fins_de_ligne: str = ""
    lignes: int = 0  # lines of entries (header excluded)
    ecritures: int = 0
    journaux: dict[str, int] = field(default_factory=dict)  # entries per journal
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    premiere_date: datetime.date | None = None
    derniere_date: datetime.date | None = None
    siren: str | None = None
    cloture: datetime.date | None = None
    problemes: list[Probleme] = field(default_factory=list)
    remarques: list[Probleme] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problemes

    def probleme(self, ligne: int | None, message: str) -> None:
        self.problemes.append(Probleme(ligne, message))

    def remarque(self, ligne: int | None, message: str) -> None:
        self.remarques.append(Probleme(ligne, message))


def verifier_fichier(path: str | Path) -> Verification:
    """Check the FEC at ``path``; :class:`PasUnFec` or ``OSError`` if it cannot be read."""
    path = Path(path)
    if path.is_dir():
        raise PasUnFec(f"{path} est un dossier, pas un fichier FEC")
    return verifier_octets(path.read_bytes(), path.name)


def verifier_octets(data: bytes, nom: str) -> Verification:
    """Check the bytes of a FEC named ``nom`` (the file name, checked too)."""
    result = Verification(nom)
    text = _decode(data, result)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or not lines[0].strip():
        raise PasUnFec(f"{nom} est vide : un FEC commence par la ligne des noms de colonnes")
    _line_ends(lines, result)
    lines = [line.removesuffix("\r") for line in lines]
    separator, header = _header(lines[0], nom, result)
    _name(nom, result)
    _Lecture(result, separator, header).lire(lines)
    return result


def _decode(data: bytes, result: Verification) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        result.remarque(None, "le fichier commence par une marque d'ordre des octets (BOM) UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        windows = decoder_windows_1252(data)
        if windows is None:
            result.encodage = "ISO 8859-15"
            return data.decode("iso8859_15")
        result.encodage = "Windows-1252"
        result.remarque(
            None,
            "fichier en Windows-1252 (octets 0x80 à 0x9F : ’, €, œ, –…) : la norme cite ASCII, "
            "ISO 8859-15 et EBCDIC ; lus en ISO 8859-15, ces octets sont des caractères de "
            "contrôle (communs fec écrit en ISO 8859-15)",
        )
        return windows
    if text.isascii():
        result.encodage = "ASCII"
    else:
        result.encodage = "UTF-8"
        result.remarque(
            None,
            "fichier en UTF-8 : la norme cite ASCII, ISO 8859-15 et EBCDIC ; l'acceptation "
            "de l'UTF-8 par l'administration n'est pas vérifiée (communs fec écrit en "
            "ISO 8859-15 par défaut)",
        )
    return text


def _line_ends(lines: list[str], result: Verification) -> None:
    with_cr = sum(1 for line in lines if line.endswith("\r"))
    if with_cr == len(lines):
        result.fins_de_ligne = "CRLF"
    elif with_cr == 0:
        result.fins_de_ligne = "LF"
    else:
        result.fins_de_ligne = "mélangées"
        result.remarque(None, f"fins de ligne mélangées : {with_cr} CRLF sur {len(lines)} lignes")


def _header(first: str, nom: str, result: Verification) -> tuple[str, list[str]]:
    separators = [sep for sep in SEPARATEURS if sep in first]
    if not separators:
        raise PasUnFec(
            f"{nom} n'est pas un FEC : la première ligne doit nommer les 18 colonnes "
            f"({', '.join(COLONNES[:3])}, …) séparées par des tabulations ou des « | »"
        )
    separator = separators[0]
    result.separateur = SEPARATEURS[separator]
    if len(separators) > 1:
        result.probleme(1, "l'en-tête mêle tabulations et « | » : un seul séparateur par fichier")
    header = [name.strip() for name in first.lstrip("\ufeff").split(separator)]
    if separateur_final(header):
        header.pop()
        result.remarque(1, SEPARATEUR_FINAL)
    known = sum(1 for name in header if name in COLONNES or name in VARIANTE_MONTANT_SENS)
    if known < len(COLONNES) // 2:
        raise PasUnFec(
            f"{nom} n'est pas un FEC : la première ligne ne nomme pas les colonnes du FEC "
            f"(attendu : {', '.join(COLONNES)})"
        )
    expected = COLONNES
    if all(name in header for name in VARIANTE_MONTANT_SENS):
        expected = COLONNES_MONTANT_SENS
        result.variante = "Montant / Sens"
    if tuple(header) == expected:
        return separator, header
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    details = []
    if len(header) != len(expected):
        details.append(f"{len(header)} colonnes au lieu de {len(expected)}")
    if missing:
        details.append("manquantes : " + ", ".join(missing))
    if extra:
        details.append("inconnues : " + ", ".join(f"« {name} »" for name in extra))
    if not missing and not extra:
        details.append("colonnes dans le désordre")
    result.probleme(
        1,
        "en-tête non conforme ("
        + " ; ".join(details)
        + f") ; attendu dans cet ordre : {', '.join(expected)}",
    )
    return separator, header


def _name(nom: str, result: Verification) -> None:
    match = NOM_DE_FICHIER.match(nom)
    if match is None:
        result.probleme(
            None,
            f"nom de fichier « {nom} » non conforme : SIRENFECAAAAMMJJ.txt attendu "
            "(ex. 123456789FEC20241231.txt, AAAAMMJJ étant la date de clôture)",
        )
        return
    result.siren = match.group("siren")

    if not luhn_ok(result.siren):
        result.remarque(None, f"SIREN {result.siren} du nom de fichier : clé de contrôle erronée")
    closing = lire_date_fec(match.group("cloture"))
    if closing is None:
        result.probleme(
            None, f"nom de fichier : « {match.group('cloture')} » n'est pas une date AAAAMMJJ"
        )
    result.cloture = closing


def _earliest(closing: datetime.date) -> datetime.date:
    """The first day of the longest exercice (24 months) ending at ``closing``."""
    return add_months(closing, -MOIS_MAX) + datetime.timedelta(days=1)


JOURNAUX_A_NOUVEAUX = frozenset({"AN", "RAN", "ANO"})


class _Lecture:
    """The line-by-line checks."""

    def __init__(self, result: Verification, separator: str, header: list[str]) -> None:
        self.result = result
        self.separator = separator
        self.other = next(sep for sep in SEPARATEURS if sep != separator)
        self.width = len(header)
        self.index = {
            name: position
            for position, name in enumerate(header)
            if name in COLONNES or name in VARIANTE_MONTANT_SENS
        }
        self.obligatoires = [name for name in header if name in OBLIGATOIRES]
        self.ecritures: dict[tuple[str, str], _Ecriture] = {}
        self.numeros: dict[str, dict[int, tuple[str, int, datetime.date | None]]] = defaultdict(
            dict
        )
        self.sans_numero: dict[str, int] = {}
        self.autre_que_a_nouveaux: int | None = None  # first line outside the à-nouveaux
        self.a_nouveaux_tardifs = 0
        self.separateur_final: list[int] = []  # lines a separator ends
        earliest = None
        if result.cloture is not None:
            earliest = _earliest(result.cloture)
        self.earliest = earliest

    def lire(self, lines: list[str]) -> None:
        result = self.result
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                result.remarque(number, "ligne vide")
                continue
            fields = line.split(self.separator)
            if separateur_final(fields, self.width):
                fields.pop()
                self.separateur_final.append(number)
            if len(fields) != self.width:
                hint = ""
                if self.other in line and line.count(self.other) + 1 == self.width:
                    hint = (
                        f" (séparateur « {self._shown(self.other)} » au lieu de celui de l'en-tête)"
                    )
                result.probleme(
                    number,
                    f"{pluriel(len(fields), 'champ')} au lieu de {self.width}{hint}",
                )
                continue
            result.lignes += 1
            self._line(number, fields)
        if self.separateur_final:
            first = self.separateur_final[0]
            result.remarque(first, remarque_separateur_final(self.separateur_final))
        self._entries()
        self._numbering()
        self._totals()

    @staticmethod
    def _shown(separator: str) -> str:
        return "tabulation" if separator == "\t" else separator

    def _line(self, number: int, fields: list[str]) -> None:
        result = self.result
        values = {name: fields[position].strip() for name, position in self.index.items()}
        for name in self.obligatoires:
            if not values[name]:
                result.probleme(number, f"{name} vide")
        dates: dict[str, datetime.date | None] = {}
        for name in DATES:
            text = values.get(name)
            if not text:
                continue
            day = lire_date_fec(text)
            if day is None:
                result.probleme(number, f"{name} « {text} » n'est pas une date AAAAMMJJ valide")
            dates[name] = day
        debit, credit = self._debit_credit(number, values)
        if debit is not None and credit is not None:
            if debit and credit:
                result.probleme(number, "Debit et Credit tous deux non nuls")
            elif not debit and not credit:
                result.remarque(number, "ni débit ni crédit (ligne à zéro)")
            if debit < 0 or credit < 0:
                result.remarque(number, "montant négatif")
        account = values.get("CompteNum")
        if account and not account[:3].isdigit():
            result.probleme(
                number, f"CompteNum « {account} » : les trois premiers caractères sont des chiffres"
            )
        aux_number, aux_label = values.get("CompAuxNum"), values.get("CompAuxLib")
        if aux_number is not None and aux_label is not None and bool(aux_number) != bool(aux_label):
            result.probleme(number, "CompAuxNum et CompAuxLib vont ensemble : l'un est vide")
        if values.get("EcritureLet") and not values.get("DateLet"):
            result.probleme(number, "EcritureLet rempli sans DateLet (date du lettrage)")
        self._ordre_des_a_nouveaux(number, values)
        self._entry(number, values, dates.get("EcritureDate"), debit, credit)

    def _ordre_des_a_nouveaux(self, number: int, values: dict[str, str]) -> None:
        """The à-nouveaux (journal AN, RAN, ANO or labelled « … nouveau… ») come first."""
        code = values.get("JournalCode", "").upper()
        label = values.get("JournalLib", "").casefold()
        if code in JOURNAUX_A_NOUVEAUX or "nouveau" in label:
            if self.autre_que_a_nouveaux is not None:
                if not self.a_nouveaux_tardifs:
                    self.result.probleme(
                        number,
                        f"à-nouveaux (journal {code}) après d'autres écritures (ligne "
                        f"{self.autre_que_a_nouveaux}) : ils viennent en tête du fichier",
                    )
                self.a_nouveaux_tardifs += 1
        elif self.autre_que_a_nouveaux is None:
            self.autre_que_a_nouveaux = number

    def _debit_credit(
        self, number: int, values: dict[str, str]
    ) -> tuple[Decimal | None, Decimal | None]:
        """Debit and credit of a line, in either variant (None: unreadable)."""
        if "Debit" in values or "Montant" not in values:
            return (
                self._amount(number, "Debit", values.get("Debit")),
                self._amount(number, "Credit", values.get("Credit")),
            )
        amount = self._amount(number, "Montant", values["Montant"])
        sens = lire_sens(values.get("Sens", ""))
        if sens is None:
            self.result.probleme(
                number, f"Sens « {values.get('Sens', '')} » : D, C, +1 ou -1 attendu"
            )
            return None, None
        if amount is None:
            return None, None
        return (amount, ZERO) if sens > 0 else (ZERO, amount)

    def _amount(self, number: int, name: str, text: str | None) -> Decimal | None:
        if text is None:
            return None
        try:
            return lire_montant_fec(text)
        except ValueError as exc:
            self.result.probleme(number, f"{name} « {text} » : {exc}")
            return None

    def _entry(
        self,
        number: int,
        values: dict[str, str],
        day: datetime.date | None,
        debit: Decimal | None,
        credit: Decimal | None,
    ) -> None:
        result = self.result
        journal = values.get("JournalCode") or ""
        ecriture = values.get("EcritureNum") or ""
        if day is not None:
            if result.premiere_date is None or day < result.premiere_date:
                result.premiere_date = day
            if result.derniere_date is None or day > result.derniere_date:
                result.derniere_date = day
            self._in_exercice(number, day)
        key = (journal, ecriture)
        found = self.ecritures.get(key)
        if found is None:
            found = self.ecritures[key] = _Ecriture(number, day)
            self._number(journal, ecriture, number, day)
        elif (
            day is not None
            and found.date is not None
            and day != found.date
            and found.autre_date is None
        ):
            found.autre_date = number
        found.debit += debit or ZERO
        found.credit += credit or ZERO
        if debit is None or credit is None:
            found.illisible = True
        result.debit += debit or ZERO
        result.credit += credit or ZERO

    def _in_exercice(self, number: int, day: datetime.date) -> None:
        closing = self.result.cloture
        if closing is None or self.earliest is None:
            return
        if day > closing:
            self.result.probleme(
                number,
                f"EcritureDate {day.strftime('%d/%m/%Y')} après la clôture du "
                f"{closing.strftime('%d/%m/%Y')} (nom du fichier)",
            )
        elif day < self.earliest:
            self.result.probleme(
                number,
                f"EcritureDate {day.strftime('%d/%m/%Y')} plus de {MOIS_MAX} mois avant la "
                f"clôture du {closing.strftime('%d/%m/%Y')} : hors de l'exercice",
            )

    def _number(self, journal: str, ecriture: str, number: int, day: datetime.date | None) -> None:
        text = ecriture.removeprefix(journal) if journal else ecriture
        match = _TRAILING_NUMBER.search(text)
        if match is None:
            self.sans_numero.setdefault(journal, number)
            return
        self.numeros[journal].setdefault(int(match.group(1)), (ecriture, number, day))

    def _entries(self) -> None:
        result = self.result
        result.ecritures = len(self.ecritures)
        counts: dict[str, int] = defaultdict(int)
        for (journal, numero), ecriture in self.ecritures.items():
            counts[journal] += 1
            if ecriture.autre_date is not None:
                result.probleme(
                    ecriture.autre_date,
                    f"l'écriture {numero} du journal {journal} porte une autre date que sa "
                    f"première ligne (ligne {ecriture.ligne})",
                )
            if ecriture.debit != ecriture.credit and not ecriture.illisible:
                result.probleme(
                    ecriture.ligne,
                    f"écriture {numero} du journal {journal} déséquilibrée : débit "
                    f"{nombre(ecriture.debit)}, crédit {nombre(ecriture.credit)} "
                    f"(écart {nombre(ecriture.debit - ecriture.credit)})",
                )
        result.journaux = dict(sorted(counts.items()))

    def _numbering(self) -> None:
        result = self.result
        for journal, line in self.sans_numero.items():
            result.remarque(
                line,
                f"journal {journal} : EcritureNum sans partie numérique, continuité de la "
                "numérotation non vérifiable",
            )
        for journal, numbers in sorted(self.numeros.items()):
            ordered = sorted(numbers)
            for previous, current in pairwise(ordered):
                if current != previous + 1:
                    missing = current - previous - 1
                    text, line, _day = numbers[current]
                    result.probleme(
                        line,
                        f"journal {journal} : numérotation interrompue, "
                        f"{pluriel(missing, 'numéro manquant', 'numéros manquants')} entre "
                        f"{numbers[previous][0]} et {text}",
                    )
            dated = [numbers[n] for n in ordered if numbers[n][2] is not None]
            for (text_a, _line_a, day_a), (text_b, line_b, day_b) in pairwise(dated):
                if day_b < day_a:  # type: ignore[operator]
                    result.remarque(
                        line_b,
                        f"journal {journal} : {text_b} est daté avant {text_a} (numérotation "
                        "hors de l'ordre chronologique)",
                    )
                    break

    def _totals(self) -> None:
        result = self.result
        if result.debit != result.credit:
            result.probleme(
                None,
                f"total débit {montant(result.debit)} ≠ total crédit {montant(result.credit)} "
                f"(écart {montant(result.debit - result.credit)})",
            )
        first, last = result.premiere_date, result.derniere_date
        if first is None or last is None:
            if result.lignes == 0:
                result.probleme(None, "aucune ligne d'écriture après l'en-tête")
            return
        if result.cloture is None:
            if last >= add_months(first, MOIS_MAX):
                result.probleme(
                    None,
                    f"les écritures vont du {first.strftime('%d/%m/%Y')} au "
                    f"{last.strftime('%d/%m/%Y')} : plus de {MOIS_MAX} mois, plus d'un exercice",
                )
        elif (last - first).days > 366:
            result.remarque(
                None,
                f"les écritures couvrent plus de 12 mois (du {first.strftime('%d/%m/%Y')} au "
                f"{last.strftime('%d/%m/%Y')}) : premier exercice allongé ?",
            )
