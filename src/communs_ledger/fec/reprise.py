"""Reading the books of the previous software (``communs ouverture --depuis``): a FEC of
the last closed exercice, or a balance (CSV: compte, libellé, débit, crédit).

A FEC is read in either variant the norm allows (Debit / Credit columns, or Montant /
Sens with ``D``/``C`` or ``+1``/``-1``), tab or ``|`` separated, ISO 8859-15 or UTF-8,
dates ``AAAAMMJJ``. Its lines give, for each account number, the à-nouveaux (journal
AN, RAN, ANO, or a journal labelled « … nouveau… ») and the movements of the exercice.
A balance gives the closing balance of each account only.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..exercices import french_date
from ..formatage import montant
from ..montants import ZERO, lire_decimal
from ..plan import fold
from .norme import (
    COLONNES,
    NOM_DE_FICHIER,
    SEPARATEUR_FINAL,
    SEPARATEURS,
    decoder_windows_1252,
    lire_date_fec,
    lire_montant_fec,
    lire_sens,
    remarque_separateur_final,
    separateur_final,
)
from .verification import JOURNAUX_A_NOUVEAUX, VARIANTE_MONTANT_SENS


class RepriseImpossible(ValueError):
    """The file cannot be taken over (French message, with its line when there is one)."""


@dataclass
class CompteRepris:
    """One account number of the previous books: debit-positive amounts."""

    numero: str
    libelle: str
    ligne: int  # first line of the file naming it
    a_nouveau: Decimal = ZERO
    mouvement: Decimal = ZERO

    @property
    def solde(self) -> Decimal:
        return self.a_nouveau + self.mouvement


@dataclass
class Reprise:
    """What the file holds: accounts by number, in the order of the file."""

    nom: str
    genre: str  # "FEC" or "balance"
    comptes: dict[str, CompteRepris] = field(default_factory=dict)
    premiere_date: datetime.date | None = None
    derniere_date: datetime.date | None = None
    cloture: datetime.date | None = None  # from the FEC's file name
    remarques: list[str] = field(default_factory=list)
    """What was read outside the norm but tolerated (French, ``fichier:ligne``)."""

    @property
    def est_un_fec(self) -> bool:
        return self.genre == "FEC"

    def compte(self, numero: str, libelle: str, ligne: int) -> CompteRepris:
        found = self.comptes.get(numero)
        if found is None:
            found = self.comptes[numero] = CompteRepris(numero, libelle, ligne)
        return found

    def dater(self, day: datetime.date) -> None:
        if self.premiere_date is None or day < self.premiere_date:
            self.premiere_date = day
        if self.derniere_date is None or day > self.derniere_date:
            self.derniere_date = day


def _decode(data: bytes) -> str:
    """UTF-8 (with or without its BOM), else Windows-1252 when its signs are there (several
    programs write it), else ISO 8859-15."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return decoder_windows_1252(data) or data.decode("iso8859_15")


def lire_reprise(path: Path) -> Reprise:
    """A FEC (its first line names the FEC's columns) or a balance CSV."""
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise RepriseImpossible(f"{path.name} : lecture impossible ({exc.strerror})") from None
    first = text.split("\n", 1)[0]
    if "JournalCode" in first and "CompteNum" in first:
        return lire_fec(text, path.name)
    return lire_balance(text, path.name)


# --- FEC ----------------------------------------------------------------------------------


def _fec_header(first: str, nom: str) -> tuple[str, dict[str, int]]:
    separators = [sep for sep in SEPARATEURS if sep in first]
    if len(separators) != 1:
        raise RepriseImpossible(
            f"{nom}:1: en-tête du FEC illisible : les colonnes sont séparées par des "
            "tabulations ou des « | », un seul séparateur par fichier"
        )
    separator = separators[0]
    header = [name.strip() for name in first.split(separator)]
    if separateur_final(header):
        header.pop()
    index = {name: position for position, name in enumerate(header)}
    needed = ["JournalCode", "JournalLib", "EcritureDate", "CompteNum", "CompteLib"]
    missing = [name for name in needed if name not in index]
    if not all(name in index for name in VARIANTE_MONTANT_SENS):
        absent = [name for name in ("Debit", "Credit") if name not in index]
        if absent:
            missing.append(f"{', '.join(absent)} (ou Montant et Sens)")
    if missing:
        raise RepriseImpossible(
            f"{nom}:1: colonnes du FEC manquantes : {', '.join(missing)} (attendu : "
            f"{', '.join(COLONNES)})"
        )
    return separator, index


def _montant(text: str, nom: str, ligne: int, colonne: str) -> Decimal:
    try:
        return lire_montant_fec(text)
    except ValueError as exc:
        # a decimal point is outside the norm but unambiguous: several programs write it
        if "point décimal" in str(exc):
            return Decimal(text)
        raise RepriseImpossible(f"{nom}:{ligne}: {colonne} « {text} » : {exc}") from None


def _debit_moins_credit(values: dict[str, str], nom: str, ligne: int) -> Decimal:
    """The line's amount, debit positive, in either variant of the norm."""
    if "Debit" in values and "Credit" in values:
        debit = _montant(values["Debit"] or "0", nom, ligne, "Debit")
        credit = _montant(values["Credit"] or "0", nom, ligne, "Credit")
        return debit - credit
    amount = _montant(values["Montant"], nom, ligne, "Montant")
    sens = lire_sens(values["Sens"])
    if sens is not None:
        return amount * sens
    raise RepriseImpossible(f"{nom}:{ligne}: Sens « {values['Sens']} » : D, C, +1 ou -1 attendu")


def _est_a_nouveau(values: dict[str, str]) -> bool:
    code = values["JournalCode"].upper()
    return code in JOURNAUX_A_NOUVEAUX or "nouveau" in fold(values["JournalLib"])


def _date(values: dict[str, str], reprise: Reprise, ligne: int) -> datetime.date:
    """The line's EcritureDate, a valid date no later than the closing date of the file's
    name."""
    day = lire_date_fec(values["EcritureDate"])
    if day is None:
        raise RepriseImpossible(
            f"{reprise.nom}:{ligne}: EcritureDate « {values['EcritureDate']} » n'est pas une "
            "date AAAAMMJJ"
        )
    if reprise.cloture is not None and day > reprise.cloture:
        raise RepriseImpossible(
            f"{reprise.nom}:{ligne}: EcritureDate {french_date(day)} après la clôture du "
            f"{french_date(reprise.cloture)} que donne le nom du fichier : hors de l'exercice"
        )
    return day


@dataclass
class _Ecriture:
    """One entry of the FEC (``EcritureNum`` in a journal): its first line, its totals."""

    ligne: int
    debit: Decimal = ZERO
    credit: Decimal = ZERO


def _ecritures_equilibrees(ecritures: dict[tuple[str, str], _Ecriture], nom: str) -> None:
    """Each entry balances: an unbalanced one is named at its first line, even when
    another one offsets it in the file's total."""
    for (journal, numero), ecriture in ecritures.items():
        if ecriture.debit != ecriture.credit:
            raise RepriseImpossible(
                f"{nom}:{ecriture.ligne}: écriture {numero} du journal {journal} "
                f"déséquilibrée : débit {montant(ecriture.debit)}, crédit "
                f"{montant(ecriture.credit)} (écart {montant(ecriture.debit - ecriture.credit)})"
            )


def lire_fec(text: str, nom: str) -> Reprise:
    """The accounts of a FEC, with their à-nouveaux and the movements of the exercice."""
    lines = text.replace("\r\n", "\n").split("\n")
    separator, index = _fec_header(lines[0], nom)
    reprise = Reprise(nom, "FEC")
    match = NOM_DE_FICHIER.match(nom)
    if match is not None:
        reprise.cloture = lire_date_fec(match.group("cloture"))
    if separateur_final(lines[0].split(separator)):
        reprise.remarques.append(f"{nom}:1: {SEPARATEUR_FINAL}")
    ecritures: dict[tuple[str, str], _Ecriture] = {}
    finales: list[int] = []  # lines a separator ends
    for ligne, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split(separator)
        if separateur_final(fields, len(index)):
            fields.pop()
            finales.append(ligne)
        if len(fields) != len(index):
            raise RepriseImpossible(f"{nom}:{ligne}: {len(fields)} champs au lieu de {len(index)}")
        values = {name: fields[position].strip() for name, position in index.items()}
        day = _date(values, reprise, ligne)
        numero = values["CompteNum"]
        if not numero[:3].isdigit():
            raise RepriseImpossible(f"{nom}:{ligne}: CompteNum « {numero} » sans numéro")
        compte = reprise.compte(numero, values["CompteLib"], ligne)
        amount = _debit_moins_credit(values, nom, ligne)
        if _est_a_nouveau(values):
            compte.a_nouveau += amount
        else:
            compte.mouvement += amount
        reprise.dater(day)
        if values.get("EcritureNum"):
            key = (values["JournalCode"], values["EcritureNum"])
            ecriture = ecritures.setdefault(key, _Ecriture(ligne))
            ecriture.debit += max(amount, ZERO)
            ecriture.credit += max(-amount, ZERO)
    if finales:
        reprise.remarques.append(f"{nom}:{finales[0]}: {remarque_separateur_final(finales)}")
    _ecritures_equilibrees(ecritures, nom)
    _equilibre(reprise, nom)
    return reprise


def _equilibre(reprise: Reprise, nom: str) -> None:
    if not reprise.comptes:
        raise RepriseImpossible(f"{nom} : aucune ligne d'écriture")
    for label, part in (
        ("des à-nouveaux", sum((c.a_nouveau for c in reprise.comptes.values()), ZERO)),
        ("des soldes", sum((c.solde for c in reprise.comptes.values()), ZERO)),
    ):
        if part:
            raise RepriseImpossible(
                f"{nom} : le total {label} n'est pas équilibré (débit − crédit = "
                f"{montant(part)}) : le fichier est incomplet"
            )


# --- Balance ------------------------------------------------------------------------------

_COLONNES_BALANCE = {
    "compte": ("compte", "numero", "n° de compte", "comptenum"),
    "libelle": ("libelle", "intitule", "comptelib"),
    "debit": ("debit", "solde debiteur", "solde debit"),
    "credit": ("credit", "solde crediteur", "solde credit"),
}


def _balance_header(row: list[str], nom: str) -> dict[str, int]:
    names = [fold(cell).strip() for cell in row]
    index: dict[str, int] = {}
    for key, accepted in _COLONNES_BALANCE.items():
        for position, name in enumerate(names):
            if name in accepted:
                index[key] = position
                break
    missing = [key for key in _COLONNES_BALANCE if key not in index]
    if missing:
        raise RepriseImpossible(
            f"{nom}:1: ni FEC ni balance lisible : colonnes attendues compte, libellé, débit, "
            f"crédit (manquantes : {', '.join(missing)})"
        )
    return index


def _nombre(text: str, nom: str, ligne: int) -> Decimal:
    if not text.strip():
        return ZERO
    number = lire_decimal(text)
    if number is None:
        raise RepriseImpossible(f"{nom}:{ligne}: montant « {text} » illisible")
    return number


def lire_balance(text: str, nom: str) -> Reprise:
    """The closing balances of a balance (CSV separated by ``;``, ``,`` or tabs)."""
    first = text.split("\n", 1)[0]
    delimiter = max(";\t,", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error:  # a binary file, a stray NUL…: no CSV at all
        raise RepriseImpossible(
            f"{nom}:{reader.line_num}: ni FEC ni balance lisible : ce n'est pas un fichier CSV"
        ) from None
    if not rows:
        raise RepriseImpossible(f"{nom} : fichier vide")
    index = _balance_header(rows[0], nom)
    reprise = Reprise(nom, "balance")
    for ligne, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        numero = row[index["compte"]].strip() if len(row) > index["compte"] else ""
        if not numero[:1].isdigit():
            continue  # a total or subtotal line
        cells = {key: row[pos] if pos < len(row) else "" for key, pos in index.items()}
        compte = reprise.compte(numero, cells["libelle"].strip(), ligne)
        compte.mouvement += _nombre(cells["debit"], nom, ligne) - _nombre(
            cells["credit"], nom, ligne
        )
    _equilibre(reprise, nom)
    return reprise
