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

Fava's component writes months in English and labels lines with bare keys: the
pages draw the same placed figures with the project's HTML renderer instead
(:func:`en_graphique`, :func:`svg`: French months, legend, threshold, labelled
tooltips), and keep the placed data beside the drawing as JSON for machines.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from ..budget.rapport_suivi import libelle_du_chapitre
from ..budget.suivi import SectionSuivi, SuiviBudget
from ..dates import last_day, month_of, parse_month_key, short_month_label
from ..plan import load_chart
from ..rapports.objets import Genre, Graphique, Rapport, Serie
from ..rendu.en_html import dumps
from ..rendu.valeurs import arrondi


def _nombre(value: Any) -> Decimal | None:
    """An amount rounded to the cent like the tables (Fava's JSON writes Decimal as a
    number); None for an empty or text cell."""
    if value is None or isinstance(value, str):
        return None
    rounded = arrondi(value, Genre.MONTANT)
    return rounded if isinstance(rounded, Decimal) else None


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
        {"date": last_day(parse_month_key(month)), "balance": {}} for month in months
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


def barres_du_budget(
    suivi: SuiviBudget, section: SectionSuivi, titre: str, devise: str
) -> dict[str, Any]:
    """Month by month, the actual against the budget of one side (charges or produits)
    of the monthly budget vs réalisé, stacked by chapter. ``suivi``: the figures of
    :func:`~communs_ledger.budget.suivi.compute_suivi` with ``mensuel=True``;
    ``section``: its charges or its produits."""
    chart = load_chart(suivi.exercice.version)
    chapters = [(libelle_du_chapitre(chart, c.code), c.total.mois) for c in section.chapitres]
    data = []
    for index, month in enumerate(suivi.mois):
        total = section.total.mois[index]
        realise = _nombre(total.realise)
        budget = _nombre(total.budget)
        stacks = {}
        for label, amounts in chapters:
            value = _nombre(amounts[index].realise)
            if value is not None:
                stacks[label] = {devise: value}
        data.append(
            {
                "date": datetime.date(month.debut.year, month.debut.month, 1),
                "balance": {devise: realise} if realise is not None else {},
                "budgets": {devise: budget} if budget is not None else {},
                "account_balances": stacks,
            }
        )
    return {"type": "bar", "label": titre, "data": data}


# --- Drawn in French, by the HTML renderer ------------------------------------------------------


def _categorie(day: datetime.date) -> str:
    """``2026-03-31`` → « mars 2026 » (the engine's short month names)."""
    return short_month_label(month_of(day))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def en_graphique(donnees: dict[str, Any], seuil_libelle: str = "Seuil d'alerte") -> Graphique:
    """The chart placed for Fava's component (``balances`` or ``bar``) as the engine's
    :class:`Graphique`, for the HTML renderer to draw in French: month names, axes in
    euros, a legend, a labelled tooltip on each point."""
    points = donnees["data"]
    categories = tuple(_categorie(point["date"]) for point in points)
    if donnees["type"] == "bar":
        series = [
            Serie(
                nom,
                tuple(_decimal(next(iter(p[cle].values()), None)) for p in points),
            )
            for nom, cle in ((REALISE, "balance"), ("Budget", "budgets"))
        ]
        return Graphique("budget", donnees["label"], categories, series, genre="barres")
    noms = list(dict.fromkeys(nom for point in points for nom in point["balance"]))
    seuil = None
    if seuil_libelle in noms:
        noms.remove(seuil_libelle)
        seuil = next(
            (
                _decimal(p["balance"][seuil_libelle])
                for p in points
                if seuil_libelle in p["balance"]
            ),
            None,
        )
    series = [Serie(nom, tuple(_decimal(p["balance"].get(nom)) for p in points)) for nom in noms]
    return Graphique(
        "tresorerie",
        donnees["label"],
        categories,
        series,
        seuil=seuil,
        seuil_libelle=seuil_libelle if seuil is not None else "",
    )


FIGURE = re.compile(r'<figure class="graphique".*?</figure>', re.S)


def svg(graphique: Graphique) -> Markup:
    """The chart as the HTML renderer draws it (inline SVG, no script: escaped text)."""
    rapport = Rapport(id="graphique", titre=graphique.titre, association="", parties=[])
    rapport.graphiques = [graphique]
    found = FIGURE.search(dumps(rapport))
    return Markup(found.group(0) if found else "")
