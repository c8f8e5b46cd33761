"""Data for Fava's own chart component (``<svelte-component type="charts">``), taken
from the engine's reports — no figure is computed here, values are only placed.

Fava's charts (``fava/static``, validators ``balances`` and ``bar``)::

    [{"type": "balances", "label": "…", "data": [{"date": "2026-01-31",
                                               "balance": {"Réalisé": 1234.5, …}}]},
     {"type": "bar", "label": "…", "data": [{"date": "2026-01-01",
                                          "balance": {"EUR": 900}, "budgets": {"EUR": 1000},
                                          "account_balances": {"60 Achats": {"EUR": 400}}}]}]

A ``balances`` chart draws one line per key of ``balance`` (Fava calls them
currencies; here: réalisé, each scenario's forecast, the alert threshold). A
``bar`` chart draws, per date, the bar of ``balance`` against its ``budgets``, and
stacks ``account_balances`` (here: the chapters) when there are several.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ..rapports.objets import Genre, Partie, Rapport
from ..rendu.valeurs import arrondi


def _nombre(value: Any) -> Decimal | None:
    """An amount rounded to the cent like the tables (Fava's JSON writes Decimal as a
    number); None for an empty or text cell."""
    if value is None or isinstance(value, str):
        return None
    rounded = arrondi(value, Genre.MONTANT)
    return rounded if isinstance(rounded, Decimal) else None


def _fin_de_mois(cle: str) -> datetime.date:
    """``"2026-03"`` → 31 March 2026."""
    year, month = (int(part) for part in cle.split("-"))
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


REALISE = "Réalisé"


def courbe_de_tresorerie(rapport: Rapport, historique: Rapport | None = None) -> dict[str, Any]:
    """Month-end cash of a plan de trésorerie: the actual months as « Réalisé », then
    each scenario's forecast (from the last actual month on, so the lines join), and
    the alert threshold. ``rapport``: :func:`~communs_ledger.previsions.plan.plan_de_tresorerie`;
    ``historique``: the same for the months before it, all actual (no forecast is
    computed twice), drawn as « Réalisé » before them."""
    points, balances = _points(rapport)
    if historique is not None:
        before, before_balances = _points(historique, actual_only=True)
        if before:
            last = before[-1]["balance"].get(REALISE)
            starts_actual = bool(points) and REALISE in points[0]["balance"]
            if last is not None and not starts_actual:
                for name in balances:  # each forecast line starts on the last actual month
                    if name.startswith(PREVISION):
                        last_point = before[-1]["balance"]
                        last_point[name] = last
            points = before + points
            balances |= before_balances
    graphique = rapport.graphiques[0]
    if graphique.seuil is not None:
        threshold = _nombre(graphique.seuil)
        for point in points:
            point["balance"][graphique.seuil_libelle or "Seuil d'alerte"] = threshold
    return {"type": "balances", "label": graphique.titre, "data": points}


PREVISION = "Prévision — "


def _points(rapport: Rapport, actual_only: bool = False) -> tuple[list[dict[str, Any]], set[str]]:
    """The month-end points of one plan (threshold apart) and the line names used."""
    graphique = rapport.graphiques[0]
    natures = rapport.meta.get("mois") or {}
    assert isinstance(natures, dict)
    months = list(natures)
    actual = [index for index, month in enumerate(months) if natures[month] == "réalisé"]
    last_actual = actual[-1] if actual else None
    points: list[dict[str, Any]] = [
        {"date": _fin_de_mois(month), "balance": {}} for month in months
    ]
    names: set[str] = set()
    for rank, serie in enumerate(graphique.series):
        for index, value in enumerate(serie.valeurs):
            amount = _nombre(value)
            if amount is None:
                continue
            if rank == 0 and last_actual is not None and index <= last_actual:
                points[index]["balance"][REALISE] = amount
                names.add(REALISE)
            if actual_only:
                continue
            if last_actual is None or index >= last_actual:
                points[index]["balance"][f"{PREVISION}{serie.nom}"] = amount
                names.add(f"{PREVISION}{serie.nom}")
    return points, names


def barres_du_budget(partie: Partie, total_id: str, titre: str, devise: str) -> dict[str, Any]:
    """Month by month, the actual against the budget of one side (charges or produits)
    of the monthly budget vs réalisé, stacked by chapter. ``partie``: a part of
    :func:`~communs_ledger.budget.suivi.budget_vs_realise` with ``mensuel=True``."""
    months = [c.id.removesuffix("_budget") for c in partie.colonnes if c.id.endswith("_budget")]
    total = partie.ligne(total_id)
    chapters = [ligne for ligne in partie.lignes if (ligne.id or "").startswith("chapitre:")]
    data = []
    for month in months:
        year, number = int(month[1:5]), int(month[6:8])
        realise = _nombre(total.valeurs.get(f"{month}_realise")) if total else None
        budget = _nombre(total.valeurs.get(f"{month}_budget")) if total else None
        stacks = {}
        for chapter in chapters:
            value = _nombre(chapter.valeurs.get(f"{month}_realise"))
            if value is not None:
                stacks[chapter.libelle] = {devise: value}
        data.append(
            {
                "date": datetime.date(year, number, 1),
                "balance": {devise: realise} if realise is not None else {},
                "budgets": {devise: budget} if budget is not None else {},
                "account_balances": stacks,
            }
        )
    return {"type": "bar", "label": titre, "data": data}
