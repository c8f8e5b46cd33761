"""CSV rendering: RFC 4180 (``\\r\\n``, minimal quoting), UTF-8 without BOM, dot decimals.

One header row: ``partie,id,code,libelle,niveau,style``, then ``statut`` if some
row has a status, then the union of the column ids of all parts in order of
first appearance (a column id equal to one of these fixed fields is written
``colonne_<id>``). Values as in JSON: montant and nombre with 2 decimals,
pourcentage with 4 (ratio), entier as integer, dates ISO, empty cells empty.

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
    writer.writerow(entete(rapport))
    columns = list(colonnes_du_rapport(rapport))
    statut = _avec_statut(rapport)
    for partie in rapport.parties:
        genres = {colonne.id: colonne.genre for colonne in partie.colonnes}
        for ligne in partie.lignes:
            row: list[object] = [
                partie.id,
                ligne.id or "",
                ligne.code or "",
                ligne.libelle,
                ligne.niveau,
                str(ligne.style),
            ]
            if statut:
                row.append(ligne.statut or "")
            for colonne in columns:
                value = (
                    machine(ligne.valeurs.get(colonne), genres[colonne])
                    if colonne in genres
                    else None
                )
                row.append("" if value is None else value)
            writer.writerow(row)
    return buffer.getvalue()


def render(rapport: Rapport) -> bytes:
    return dumps(rapport).encode("utf-8")
