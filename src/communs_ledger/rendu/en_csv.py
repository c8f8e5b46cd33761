"""CSV rendering: RFC 4180 (``\\r\\n``, minimal quoting), UTF-8 without BOM, dot decimals.

One header row: ``partie,id,code,libelle,niveau,style``, then ``statut`` if some
row has a status, then the union of the column ids of all parts in order of
first appearance (a column id equal to one of these fixed fields is written
``colonne_<id>``). Values as in JSON: montant and nombre with 2 decimals,
pourcentage with 4 (ratio), entier as integer, dates ISO, empty cells empty.

Text a spreadsheet would take for a formula — a text cell (label, code, text
column) starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return —
is written with a leading ``'`` (OWASP « CSV injection »): a narration or a bank
label ``=HYPERLINK(…)`` stays text when the file is opened in a spreadsheet.
Numbers are never changed: a negative amount stays ``-1234.50``.

Charts (:attr:`Rapport.graphiques`) are not written: a CSV holds one table, and the
figures a chart shows are rows of the report (for the cash plan: the closing balances,
and the threshold through the « écart au seuil » row).
"""

from __future__ import annotations

import csv
import io

from ..rapports.objets import Rapport
from .valeurs import colonnes_du_rapport, machine

CHAMPS_FIXES = ("partie", "id", "code", "libelle", "niveau", "style")
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def sans_formule(text: str) -> str:
    """``text``, prefixed with ``'`` if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(DEBUTS_DE_FORMULE) else text


def entete(rapport: Rapport) -> list[str]:
    """The header row."""
    fixed = list(CHAMPS_FIXES)
    if _avec_statut(rapport):
        fixed.append("statut")
    return fixed + [_nom_de_colonne(colonne, fixed) for colonne in colonnes_du_rapport(rapport)]


def _nom_de_colonne(colonne: str, fixed: list[str]) -> str:
    return f"colonne_{colonne}" if colonne in fixed else colonne


def _avec_statut(rapport: Rapport) -> bool:
    return any(ligne.statut for partie in rapport.parties for ligne in partie.lignes)


def dumps(rapport: Rapport) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([sans_formule(nom) for nom in entete(rapport)])
    columns = list(colonnes_du_rapport(rapport))
    statut = _avec_statut(rapport)
    for partie in rapport.parties:
        genres = {colonne.id: colonne.genre for colonne in partie.colonnes}
        for ligne in partie.lignes:
            row: list[object] = [
                sans_formule(partie.id),
                sans_formule(ligne.id or ""),
                sans_formule(ligne.code or ""),
                sans_formule(ligne.libelle),
                ligne.niveau,
                str(ligne.style),
            ]
            if statut:
                row.append(sans_formule(ligne.statut or ""))
            for colonne in columns:
                brut = ligne.valeurs.get(colonne)
                value = machine(brut, genres[colonne]) if colonne in genres else None
                if isinstance(brut, str) and isinstance(value, str):
                    value = sans_formule(value)  # user text; numbers are never strings here
                row.append("" if value is None else value)
            writer.writerow(row)
    return buffer.getvalue()


def render(rapport: Rapport) -> bytes:
    return dumps(rapport).encode("utf-8")
