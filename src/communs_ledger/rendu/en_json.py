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
from decimal import Decimal
from typing import Any

from ..rapports.objets import Genre, Graphique, Ligne, Partie, Rapport, Valeur
from .valeurs import colonne_principale, genre_des_totaux, machine


def to_dict(rapport: Rapport) -> dict[str, Any]:
    """The report as plain JSON-ready data (str, int, list, dict, None only)."""
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
        "parties": [_partie(partie) for partie in rapport.parties],
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


def _partie(partie: Partie) -> dict[str, Any]:
    return {
        "id": partie.id,
        "titre": partie.titre,
        "colonnes": [
            {"id": colonne.id, "libelle": colonne.libelle, "genre": str(colonne.genre)}
            for colonne in partie.colonnes
        ],
        "lignes": [_ligne(partie, ligne) for ligne in partie.lignes],
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


def dumps(rapport: Rapport) -> str:
    """The JSON text (indent 2, UTF-8 characters kept, final newline)."""
    return json.dumps(to_dict(rapport), ensure_ascii=False, indent=2) + "\n"


def render(rapport: Rapport) -> bytes:
    return dumps(rapport).encode("utf-8")
