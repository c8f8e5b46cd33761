"""Reading a statement file: OFX, camt.053, CFONB 120, spreadsheet (XLSX) or CSV with a
bank profile.

A CSV is decoded with its profile's encoding. A byte order mark decides
(UTF-8 or UTF-16), and a file that is valid UTF-8 with accents is read as
UTF-8 whatever the profile says (a statement re-saved by a spreadsheet); bytes
that the expected encoding cannot read are an error naming that encoding.
Each operation keeps the line of the file where it starts (a quoted label may
span several lines): every error names it.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..sources import display_path
from .camt import est_camt, lire_camt
from .cfonb import est_cfonb, lire_cfonb
from .modele import ErreurImport, Operation, Releve, SoldeReleve
from .ofx import lire_ofx
from .profils import Disposition, ProfilNomme, chercher_entete, detecter
from .valeurs import au_centime, lire_date, lire_montant, nettoyer, nom_encodage

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (avec BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_HEAD_LINES = 80
Progression = Callable[[int], None]


class ProfilInconnu(ErreurImport):
    """``--profil`` names no profile (a usage error)."""


def lire_releve(
    chemin: Path,
    profils: list[ProfilNomme],
    profil_impose: str | None = None,
    progression: Progression | None = None,
) -> Releve:
    """Read a statement; raise :class:`ErreurImport` (French) on any problem."""
    nom = display_path(chemin)
    try:
        raw = chemin.read_bytes()
    except FileNotFoundError:
        raise ErreurImport(f"relevé introuvable : {nom}") from None
    except IsADirectoryError:
        raise ErreurImport(f"{nom} est un dossier, pas un relevé") from None
    except OSError as exc:
        raise ErreurImport(f"{nom} : lecture impossible ({exc.strerror})") from None
    if not raw.strip():
        raise ErreurImport(f"{nom} : le relevé est vide")
    if _est_ofx(raw):
        return lire_ofx(chemin, raw)
    if est_camt(raw):
        return lire_camt(chemin, raw)
    if est_cfonb(raw):
        return lire_cfonb(chemin, raw)
    if raw.startswith(b"%PDF"):
        raise ErreurImport(
            f"{nom} : relevé PDF illisible : exportez vos opérations en CSV ou en OFX "
            "depuis votre banque en ligne"
        )
    choisi = _profil_impose(profils, profil_impose)
    lire = _lire_xlsx if raw.startswith(b"PK\x03\x04") else _lire_csv
    releve, same = lire(_Fichier(chemin, raw, profils, choisi, progression))
    releve.profil_detecte = choisi is None
    releve.meme_disposition = [item.code for item in same]
    return releve


def _est_ofx(raw: bytes) -> bool:
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    return head.startswith(b"OFXHEADER") or b"<OFX>" in head or b"<?OFX" in head


def _profil_impose(profils: list[ProfilNomme], code: str | None) -> ProfilNomme | None:
    if code is None:
        return None
    for item in profils:
        if item.code == code:
            return item
    codes = ", ".join(item.code for item in profils)
    raise ProfilInconnu(f"profil « {code} » inconnu (profils : {codes})")


# --- CSV ---------------------------------------------------------------------------------


def _decoder_souple(raw: bytes) -> str:
    """Text good enough to recognise a header: BOM, else UTF-8, else Windows-1252."""
    for bom, codec, _label in _BOMS:
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def decoder(raw: bytes, encodage: str, nom: str, profil: str) -> tuple[str, str]:
    """The text of a statement and the name of the encoding used."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            return raw.decode(codec), label
    attendu = nom_encodage(encodage)
    try:
        text = raw.decode("utf-8")
        return text, attendu if text.isascii() else "utf-8"
    except UnicodeDecodeError as exc:
        if attendu == "utf-8":
            raise _mauvais_encodage(raw, exc, attendu, nom, profil) from None
    try:
        return raw.decode(encodage), attendu
    except UnicodeDecodeError as exc:
        raise _mauvais_encodage(raw, exc, attendu, nom, profil) from None


def _mauvais_encodage(
    raw: bytes, exc: UnicodeDecodeError, attendu: str, nom: str, profil: str
) -> ErreurImport:
    ligne = raw[: exc.start].count(b"\n") + 1
    return ErreurImport(
        f"{nom}, ligne {ligne} : caractères illisibles en {attendu} (encodage du profil "
        f"« {profil} ») : ce relevé vient-il d'une autre banque ? Indiquez son profil "
        "avec --profil NOM"
    )


def _lignes_entete(text: str) -> dict[str, list[list[str]]]:
    head = "\n".join(text.splitlines()[:_HEAD_LINES])
    return {separateur: _debut(head, separateur) for separateur in (";", "\t", ",", "|")}


def _debut(head: str, separateur: str) -> list[list[str]]:
    """The rows of the first lines, up to one the csv module cannot read (a huge field:
    reading the whole file later names its line)."""
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(head), delimiter=separateur):
            rows.append(row)
    except csv.Error:
        pass
    return rows


def _lignes_csv(text: str, separateur: str, nom: str) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line where each starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separateur)
    previous = 0
    try:
        for row in reader:
            yield previous + 1, row
            previous = reader.line_num
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _champ_trop_long(nom, previous + 1) from None
        raise ErreurImport(f"{nom}, ligne {previous + 1} : CSV mal formé ({exc})") from None


# A bank label holds a few hundred characters at most (SEPA: 140 for the remittance).
LONGUEUR_MAX = 4000


def _champ_trop_long(nom: str, ligne: int) -> ErreurImport:
    limite = f"{LONGUEUR_MAX:,}".replace(",", "\u202f")
    return ErreurImport(
        f"{nom}, ligne {ligne} : une colonne dépasse {limite} caractères, ce qu'aucun libellé "
        "bancaire n'atteint : un guillemet (\") ouvert et jamais fermé avale-t-il la suite du "
        "fichier ? Vérifiez cette ligne, ou exportez à nouveau le relevé depuis la banque"
    )


@dataclass(frozen=True, slots=True)
class _Fichier:
    """A CSV or XLSX statement being read, and the profiles that may recognise it."""

    chemin: Path
    raw: bytes
    profils: list[ProfilNomme]
    choisi: ProfilNomme | None
    progression: Progression | None

    @property
    def nom(self) -> str:
        return display_path(self.chemin)

    def disposition(
        self, head: dict[str, list[list[str]]], apercu: list[str], inconnu: str, conseils: list[str]
    ) -> tuple[Disposition, list[ProfilNomme]]:
        """:func:`_disposition` of this file's header ``head``."""
        return _disposition(self.nom, head, self.profils, self.choisi, apercu, inconnu, conseils)


def _lire_csv(fichier: _Fichier) -> tuple[Releve, list[ProfilNomme]]:
    """A CSV statement, with the other profiles of the same layout."""
    nom, raw = fichier.nom, fichier.raw
    head = _lignes_entete(_decoder_souple(raw))
    disposition, same = fichier.disposition(
        head,
        [_premiere_ligne(head)],
        "format de relevé inconnu : aucun profil bancaire ne reconnaît son en-tête",
        [
            "profils connus : " + ", ".join(item.code for item in fichier.profils),
            "indiquez le profil de votre banque avec --profil NOM, ou décrivez ses "
            "colonnes dans votre fichier de profils (importation: profils, "
            "dans communs.yaml)",
        ],
    )
    profil = disposition.profil
    text, encodage = decoder(raw, profil.profil.encodage, nom, profil.code)
    rows = _lignes_csv(text, disposition.separateur, nom)
    releve = _releve(fichier.chemin, "csv", rows, disposition, fichier.progression)
    releve.encodage = encodage
    return releve, same


def _disposition(
    nom: str,
    head: dict[str, list[list[str]]],
    profils: list[ProfilNomme],
    choisi: ProfilNomme | None,
    apercu: list[str],
    inconnu: str,
    conseils: list[str],
) -> tuple[Disposition, list[ProfilNomme]]:
    """The layout of a statement's header ``head``, with the other profiles of the same
    layout: that of the profile ``choisi``, else the one found among ``profils``.
    Failures name the file (``nom``), show ``apercu`` of its first lines and, when no
    profile recognises it, say ``inconnu`` and give ``conseils``."""
    if choisi is not None:
        disposition = chercher_entete(choisi, head)
        if disposition is None:
            raise ErreurImport(
                f"{nom} : en-tête du profil « {choisi.code} » introuvable",
                [f"colonnes attendues : {_colonnes_attendues(choisi)}", *apercu],
            )
        return disposition, []
    disposition, same = detecter(profils, head)
    if disposition is None:
        raise ErreurImport(f"{nom} : {inconnu}", [*apercu, *conseils])
    return disposition, same


def _colonnes_attendues(item: ProfilNomme) -> str:
    colonnes = item.profil.colonnes
    names = [colonnes.date[0], colonnes.libelle[0]]
    names += colonnes.montant[:1] or [colonnes.debit[0], colonnes.credit[0]]
    return ", ".join(names)


def _premiere_ligne(head: dict[str, list[list[str]]]) -> str:
    for row in head[";"]:
        text = ";".join(row).strip()
        if text.strip(";"):
            return f"première ligne : « {text[:120]} »"
    return "aucune ligne lisible"


# --- XLSX --------------------------------------------------------------------------------


def _lire_xlsx(fichier: _Fichier) -> tuple[Releve, list[ProfilNomme]]:
    """An XLSX statement (its first sheet), with the other profiles of the same layout."""
    from openpyxl import load_workbook

    nom = fichier.nom
    try:
        workbook = load_workbook(io.BytesIO(fichier.raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip
        raise ErreurImport(f"{nom} : classeur illisible (XLSX attendu)") from None
    sheet = workbook.worksheets[0]
    rows = [
        (number, ["" if cell is None else cell for cell in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    workbook.close()
    texts = [[_texte(cell) for cell in row] for _number, row in rows[:_HEAD_LINES]]
    head = {separateur: texts for separateur in (";", "\t", ",", "|")}
    disposition, same = fichier.disposition(
        head,
        [],
        "format de classeur inconnu : aucun profil bancaire ne reconnaît son en-tête "
        "(première feuille)",
        ["indiquez le profil avec --profil NOM"],
    )
    releve = _releve(fichier.chemin, "xlsx", iter(rows), disposition, fichier.progression)
    return releve, same


def _texte(cell: Any) -> str:
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    return str(cell)


# --- Rows to operations ------------------------------------------------------------------


def _releve(
    chemin: Path,
    format_: str,
    rows: Iterator[tuple[int, list[Any]]],
    disposition: Disposition,
    progression: Progression | None,
) -> Releve:
    nom = display_path(chemin)
    profil = disposition.profil.profil
    index = disposition.index
    operations: list[Operation] = []
    ignored = 0
    for position, (ligne, row) in enumerate(rows):
        if position <= disposition.ligne_entete:
            continue
        if progression is not None:
            progression(ligne)
        if any(isinstance(cell, str) and len(cell) > LONGUEUR_MAX for cell in row):
            raise _champ_trop_long(nom, ligne)
        if not any(_texte(cell).strip() for cell in row):
            if profil.fin == "ligne_vide":
                break
            continue

        def cell(role: str, row: list[Any] = row) -> Any:
            column = index.get(role)
            if column is None or column >= len(row):
                return ""
            return row[column]

        try:
            operation = _operation(ligne, cell, profil)
        except ValueError as exc:
            raise ErreurImport(f"{nom}, ligne {ligne} : {exc}") from None
        if operation is None:
            continue
        if operation.montant == 0:
            ignored += 1
            continue
        operations.append(operation)
    if not operations:
        raise ErreurImport(f"{nom} : aucune opération dans le relevé")
    releve = Releve(
        chemin,
        format_,
        operations,
        profil=disposition.profil.code,
        profil_nom=profil.nom,
        lignes_ignorees=ignored,
    )
    releve.solde, avertissement = solde_final(operations, "colonne Solde")
    if avertissement:
        releve.avertissements.append(avertissement)
    return releve


def _operation(ligne: int, cell: Callable[[str], Any], profil: Any) -> Operation | None:
    montant = _montant(cell, profil)
    date_cell = cell("date")
    if not _texte(date_cell).strip():
        if montant is None:
            return None  # a continuation or summary line without date nor amount
        raise ValueError("date manquante")
    day = _date(date_cell, profil.format_date)
    if montant is None:
        raise ValueError("montant manquant")
    libelle = nettoyer(_texte(cell("libelle")))
    complement = nettoyer(_texte(cell("complement")))
    if complement and complement not in libelle:
        libelle = f"{libelle} {complement}".strip()
    court = nettoyer(_texte(cell("libelle_court"))) or None
    if not libelle:  # no detailed label on this line: the short one
        libelle, court = court or "", None
    if court == libelle:
        court = None
    valeur_cell = cell("date_valeur")
    date_valeur = _date(valeur_cell, profil.format_date) if _texte(valeur_cell).strip() else None
    solde_cell = cell("solde")
    solde = _nombre(solde_cell, profil) if _texte(solde_cell).strip() else None
    return Operation(
        ligne=ligne,
        date=day,
        montant=montant,
        libelle=libelle or "(sans libellé)",
        tiers=nettoyer(_texte(cell("tiers"))) or None,
        reference=nettoyer(_texte(cell("reference"))) or None,
        date_valeur=date_valeur,
        solde=solde,
        libelle_court=court,
    )


def _montant(cell: Callable[[str], Any], profil: Any) -> Decimal | None:
    if profil.colonnes.montant and _texte(cell("montant")).strip():
        return _nombre(cell("montant"), profil)
    if profil.colonnes.montant and not profil.colonnes.debit:
        return None
    debit = _nombre(cell("debit"), profil) if _texte(cell("debit")).strip() else None
    credit = _nombre(cell("credit"), profil) if _texte(cell("credit")).strip() else None
    if debit is None and credit is None:
        return None
    if debit and credit:  # both filled (a zero in the unused column is what some banks write)
        raise ValueError(
            f"débit « {_texte(cell('debit')).strip()} » et crédit "
            f"« {_texte(cell('credit')).strip()} » tous deux remplis : une opération est un "
            "débit ou un crédit, pas les deux ; vérifiez la ligne sur le relevé de la banque "
            "(deux opérations sur une ligne : écrivez-les sur deux lignes)"
        )
    return abs(credit or Decimal(0)) - abs(debit or Decimal(0))


def _nombre(value: Any, profil: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"montant « {value} » illisible")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # a spreadsheet number: to the cent, if it is one
        number = Decimal(str(value))
        if number.is_finite() and abs(number) < 10**12:
            arrondi = round(number, 2)
            if abs(number - arrondi) < Decimal("0.000001"):  # float noise: 0.30000000000000004
                number = arrondi
        au_centime(number, str(value))
        return number
    found = lire_montant(str(value), profil.decimale, profil.milliers)
    if found is None:
        raise ValueError("montant manquant")
    return found


def _date(value: Any, formats: list[str]) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return lire_date(str(value), formats)


def solde_final(operations: list[Operation], origine: str) -> tuple[SoldeReleve | None, str]:
    """The balance after the last operation (file in either order) at the next day's start.

    The file order is the one in which the running balance is consistent
    (each balance = the previous one + the operation). No balance, or an
    inconsistent one: no assertion (with a warning for the latter).
    """
    with_balance = [op for op in operations if op.solde is not None]
    if not with_balance:
        return None, ""
    if len(with_balance) != len(operations):
        return None, "solde absent sur certaines lignes : pas de contrôle de solde"
    ascending = all(
        b.solde == a.solde + b.montant  # type: ignore[operator]
        for a, b in itertools.pairwise(operations)
    )
    descending = all(
        a.solde == b.solde + a.montant  # type: ignore[operator]
        for a, b in itertools.pairwise(operations)
    )
    if ascending:
        last = operations[-1]
    elif descending:
        last = operations[0]
    else:
        return None, "les soldes du relevé ne suivent pas ses opérations : pas de contrôle de solde"
    assert last.solde is not None
    return SoldeReleve(last.date + datetime.timedelta(days=1), last.solde, origine), ""
