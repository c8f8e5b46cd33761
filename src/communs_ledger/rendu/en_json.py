"""JSON rendering — the contract other tools rely on.

Amounts are strings with two decimals (``"1234.50"``), never floats; pourcentage
is a ratio with four decimals (``"0.1250"``), nombre two decimals, entier an int,
dates ISO, empty cells ``null``. Rounding (half-up) happens here. Every line
lists every column of its part, in the part's column order. Keys come in a fixed
order; ``meta`` keeps the engine's order.

Charts (a report's :class:`~communs_ledger.rapports.objets.Graphique`) come last, under
``graphiques``, only when the report has some (the keys of other reports do not change)::

    "graphiques": [{"id": "tresorerie", "titre": "…", "genre": "courbe", "unite": "€",
                    "categories": ["nov. 2026", …],
                    "series": [{"nom": "Prévision de base", "valeurs": ["1234.50", …]}],
                    "seuil": "12000.00", "seuil_libelle": "Seuil d'alerte"}]

Chart values in euros are rounded like amounts (``"1234.50"``), others like
``nombre``; a missing value is ``null``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from ..rapports.objets import Genre, Graphique, Ligne, Partie, Rapport, Valeur
from .valeurs import colonne_principale, genre_des_totaux, machine


def to_dict(rapport: Rapport) -> dict[str, Any]:
    """The report as plain JSON-ready data (str, int, list, dict, None only)."""
    return _document(rapport, _partie)


def _document(rapport: Rapport, partie: Callable[[Partie], dict[str, Any]]) -> dict[str, Any]:
    """The report's document, each part made by ``partie``."""
    totaux_par_colonne = {
        colonne: {
            nom: machine(value, genre_des_totaux(rapport, colonne)) for nom, value in totals.items()
        }
        for colonne, totals in rapport.totaux.items()
    }
    principale = colonne_principale(rapport)
    document: dict[str, Any] = {
        "rapport": rapport.id,
        "titre": rapport.titre,
        "sous_titre": rapport.sous_titre,
        "association": rapport.association,
        "exercice": rapport.exercice,
        "periode": (
            {"debut": rapport.periode[0].isoformat(), "fin": rapport.periode[1].isoformat()}
            if rapport.periode
            else None
        ),
        "totaux": dict(totaux_par_colonne[principale]) if principale is not None else {},
        "totaux_par_colonne": totaux_par_colonne,
        "parties": [partie(part) for part in rapport.parties],
        "notes": list(rapport.notes),
        "avertissements": list(rapport.avertissements),
        "meta": {str(key): _meta(value) for key, value in rapport.meta.items()},
    }
    if rapport.graphiques:
        document["graphiques"] = [graphique(chart) for chart in rapport.graphiques]
    return document


def graphique(chart: Graphique) -> dict[str, Any]:
    """One chart as JSON-ready data."""
    genre = Genre.MONTANT if chart.unite == "€" else Genre.NOMBRE
    return {
        "id": chart.id,
        "titre": chart.titre,
        "genre": chart.genre,
        "unite": chart.unite,
        "categories": list(chart.categories),
        "series": [
            {"nom": serie.nom, "valeurs": [machine(value, genre) for value in serie.valeurs]}
            for serie in chart.series
        ],
        "seuil": machine(chart.seuil, genre),
        "seuil_libelle": chart.seuil_libelle,
    }


def _partie(partie: Partie, lignes: Any = None) -> dict[str, Any]:
    return {
        "id": partie.id,
        "titre": partie.titre,
        "colonnes": [
            {"id": colonne.id, "libelle": colonne.libelle, "genre": str(colonne.genre)}
            for colonne in partie.colonnes
        ],
        "lignes": [_ligne(partie, ligne) for ligne in partie.lignes] if lignes is None else lignes,
        "notes": list(partie.notes),
    }


def _ligne(partie: Partie, ligne: Ligne) -> dict[str, Any]:
    return {
        "id": ligne.id,
        "code": ligne.code,
        "libelle": ligne.libelle,
        "niveau": ligne.niveau,
        "style": str(ligne.style),
        "valeurs": {
            colonne.id: machine(ligne.valeurs.get(colonne.id), colonne.genre)
            for colonne in partie.colonnes
        },
        "comptes": list(ligne.comptes),
        "statut": ligne.statut,
    }


def _meta(value: Valeur | list | tuple | dict) -> Any:
    if isinstance(value, dict):
        return {str(key): _meta(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_meta(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")  # exact: meta values are not amounts to round
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        raise TypeError(f"valeur {value!r} refusée dans meta : pas de float")
    return value


def _json(value: Any, indent: str) -> str:
    """``value`` as ``json.dumps(…, ensure_ascii=False, indent=2)`` writes it at a place
    indented by ``indent``."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


_LIGNE = " " * 8  # where the rows of a part are written in the document
_CHAMP = _LIGNE + "  "
_VALEUR = _CHAMP + "  "


def _lignes(partie: Partie) -> str:
    """The ``lignes`` list of a part as :func:`json.dumps` indents it in the document, written
    row by row from templates (the standard library's indenting encoder is pure Python: most
    of the time of a large report)."""
    colonnes = partie.colonnes
    if len({colonne.id for colonne in colonnes}) != len(colonnes) or not all(
        type(colonne.id) is str for colonne in colonnes
    ):
        rows = [_ligne(partie, ligne) for ligne in partie.lignes]
        return _json(rows, _LIGNE[:-2])
    if not partie.lignes:
        return "[]"
    cles = [
        (colonne.id, f"\n{_VALEUR}{encode_basestring(colonne.id)}: ", colonne.genre)
        for colonne in colonnes
    ]
    rows = []
    for ligne in partie.lignes:
        valeurs = ligne.valeurs
        cells = ",".join(
            prefix + ("null" if value is None else _json(machine(value, genre), _VALEUR))
            for key, prefix, genre in cles
            for value in (valeurs.get(key),)
        )
        comptes = ",".join(f"\n{_VALEUR}{_json(compte, _VALEUR)}" for compte in ligne.comptes)
        rows.append(
            f'{{\n{_CHAMP}"id": {_json(ligne.id, _CHAMP)},'
            f'\n{_CHAMP}"code": {_json(ligne.code, _CHAMP)},'
            f'\n{_CHAMP}"libelle": {_json(ligne.libelle, _CHAMP)},'
            f'\n{_CHAMP}"niveau": {_json(ligne.niveau, _CHAMP)},'
            f'\n{_CHAMP}"style": {_json(str(ligne.style), _CHAMP)},'
            f'\n{_CHAMP}"valeurs": {"{" + cells + chr(10) + _CHAMP + "}" if cells else "{}"},'
            f'\n{_CHAMP}"comptes": {"[" + comptes + chr(10) + _CHAMP + "]" if comptes else "[]"},'
            f'\n{_CHAMP}"statut": {_json(ligne.statut, _CHAMP)}\n{_LIGNE}}}'
        )
    return f"[\n{_LIGNE}" + f",\n{_LIGNE}".join(rows) + f"\n{_LIGNE[:-2]}]"


def dumps(rapport: Rapport) -> str:
    """The JSON text (indent 2, UTF-8 characters kept, final newline).

    Byte for byte ``json.dumps(to_dict(rapport), ensure_ascii=False, indent=2)``: the rows
    of each part are written by :func:`_lignes` in place of a marker.
    """
    markers: list[str] = []

    def partie(part: Partie) -> dict[str, Any]:
        markers.append(f"\x00lignes {len(markers)} {id(part)}\x00")
        return _partie(part, markers[-1])

    text = json.dumps(_document(rapport, partie), ensure_ascii=False, indent=2)
    found = [encode_basestring(marker) for marker in markers]
    if any(text.count(marker) != 1 for marker in found):  # a marker in the data itself
        return json.dumps(to_dict(rapport), ensure_ascii=False, indent=2) + "\n"
    pieces = []
    for marker, part in zip(found, rapport.parties, strict=True):
        before, _marker, text = text.partition(marker)
        pieces += [before, _lignes(part)]
    pieces += [text, "\n"]
    return "".join(pieces)


def render(rapport: Rapport) -> bytes:
    return dumps(rapport).encode("utf-8")
