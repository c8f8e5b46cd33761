"""Several reports in one XLSX workbook, with a « Sommaire » sheet first.

Each report's parts become sheets laid out exactly as by :mod:`.en_xlsx` (same
titles, number formats, bold totals, notes, print setup); the sheet names are
prefixed with the report's short name (``Bilan – Actif``) to stay unique and
within Excel's 31 characters. The « Sommaire » lists the sheets with links,
the key figures given, and remarks (a report left out and why).

The per-report « Totaux » sheet of :mod:`.en_xlsx` is not repeated here: the
totals are rows of the parts, and the named totals are in the JSON export.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from ..exercices import french_date
from ..rapports.objets import Genre, Partie, Rapport
from .en_xlsx import (
    _ENTETE_FOND,
    _GRAS,
    _ITALIQUE,
    _NOTE,
    _finish,
    _header,
    _partie,
    _print_setup,
    _set_value,
    _SheetNames,
    date_du_fichier,
)
from .textes import aujourdhui
from .xlsx_package import CellStyle, Font, Link, Properties, Sheet, Styles, package, quoted

SOMMAIRE = "Sommaire"
SEPARATEUR = " – "
ABREVIATIONS = {"contributions_volontaires": "Contrib. en nature"}
"""Short sheet names of parts whose title would not fit after a prefix."""

_LIEN = Font(color="0563C1", underline=True)


@dataclass(frozen=True, slots=True)
class Cahier:
    """A report of the workbook and the short name that prefixes its sheets."""

    rapport: Rapport
    prefixe: str


@dataclass(frozen=True, slots=True)
class ChiffreCle:
    """A key figure shown on the « Sommaire »."""

    libelle: str
    valeur: Decimal | None
    genre: Genre = Genre.MONTANT


@dataclass
class Classeur:
    """What the workbook holds: identity, reports, key figures, remarks."""

    association: str
    titre: str  # « Comptes de l'exercice 2025 »
    sous_titre: str = ""  # « du 1er janvier 2025 au 31 décembre 2025 »
    cahiers: list[Cahier] = field(default_factory=list)
    chiffres: list[ChiffreCle] = field(default_factory=list)
    remarques: list[str] = field(default_factory=list)
    genere_le: datetime.date | None = None


def nom_de_feuille(cahier: Cahier, partie: Partie) -> str:
    """``Bilan – Actif``; the report's main part is the prefix alone (``Balance``)."""
    if len(cahier.rapport.parties) == 1 or partie.titre == cahier.rapport.titre:
        return cahier.prefixe
    part = partie.onglet or partie.titre or partie.id
    name = f"{cahier.prefixe}{SEPARATEUR}{part}"
    if len(name) > 31 and partie.id in ABREVIATIONS:
        name = f"{cahier.prefixe}{SEPARATEUR}{ABREVIATIONS[partie.id]}"
    return name


def feuilles(classeur: Classeur) -> list[tuple[str, Cahier, Partie]]:
    """The sheets after the « Sommaire »: unique name, report, part (in order)."""
    names = _SheetNames(reserved=[SOMMAIRE])
    return [
        (names.unique(nom_de_feuille(cahier, partie)), cahier, partie)
        for cahier in classeur.cahiers
        for partie in cahier.rapport.parties
    ]


def render(classeur: Classeur) -> bytes:
    """The workbook's bytes."""
    styles = Styles()
    summary = Sheet(SOMMAIRE, styles)
    sheets = feuilles(classeur)
    written = [summary]
    done: set[int] = set()
    for name, cahier, partie in sheets:
        sheet = Sheet(name, styles)
        first = id(cahier) not in done
        done.add(id(cahier))
        _partie(sheet, cahier.rapport, partie, with_report_notes=first)
        written.append(sheet)
    _sommaire(summary, classeur, sheets)
    proprietes = Properties(
        title=f"{classeur.association} — {classeur.titre}",
        subject=classeur.association,
        description=classeur.sous_titre,
        keywords=", ".join(cahier.rapport.id for cahier in classeur.cahiers),
    )
    fins = [c.rapport.periode[1] for c in classeur.cahiers if c.rapport.periode is not None]
    return package(written, styles, proprietes, date_du_fichier(max(fins, default=None)))


def _location(name: str) -> str:
    return quoted(name) + "!A1"


def _sommaire(sheet: Sheet, classeur: Classeur, sheets: list[tuple[str, Cahier, Partie]]) -> None:
    row = 1
    generated = classeur.genere_le or aujourdhui()
    for text, font in (
        (classeur.association, Font(bold=True, size=12)),
        (classeur.titre, Font(bold=True, size=14)),
        (classeur.sous_titre, _ITALIQUE),
        (f"Document généré le {french_date(generated)} par communs-ledger", _NOTE),
    ):
        if text:
            sheet.text(row, 1, text, CellStyle(font=font))
            row += 1
    row += 1
    header = row
    _header(sheet, header, [("Feuille", False), ("Contenu", False)])
    widths = [len("Feuille"), len("Contenu")]
    for name, cahier, partie in sheets:
        row += 1
        sheet.text(row, 1, name, CellStyle(font=_LIEN))
        sheet.links.append(Link(f"A{row}", location=_location(name), display=name))
        content = cahier.rapport.titre
        if partie.titre and partie.titre != cahier.rapport.titre:
            content += f" — {partie.titre}"
        sheet.text(row, 2, content)
        widths = [max(widths[0], len(name)), max(widths[1], len(content))]
    row += 2
    if classeur.chiffres:
        sheet.text(row, 1, "Chiffres clés", CellStyle(font=_GRAS, fill=_ENTETE_FOND))
        row += 1
        for chiffre in classeur.chiffres:
            sheet.text(row, 1, chiffre.libelle)
            _set_value(sheet, row, 2, chiffre.valeur, chiffre.genre)
            widths[0] = max(widths[0], len(chiffre.libelle))
            row += 1
        row += 1
    if classeur.remarques:
        sheet.text(row, 1, "Remarques", CellStyle(font=_GRAS))
        row += 1
        for remarque in classeur.remarques:
            sheet.text(row, 1, remarque, CellStyle(font=_NOTE))
            row += 1
    _finish(sheet, header, widths, label_column=1)
    sheet.frozen = None
    _print_setup_sommaire(sheet, classeur, header)


def _print_setup_sommaire(sheet: Sheet, classeur: Classeur, header: int) -> None:
    rapport = Rapport(
        id="classeur", titre=classeur.titre, association=classeur.association, parties=[]
    )
    _print_setup(sheet, rapport, header, landscape=False)


__all__ = ["SOMMAIRE", "Cahier", "ChiffreCle", "Classeur", "feuilles", "nom_de_feuille", "render"]
