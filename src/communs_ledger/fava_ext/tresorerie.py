"""Page « Trésorerie »: the plan de trésorerie (the CLI's ``communs tresorerie``: 12, 24
or 36 months from the month of the last entry), one scenario or all side by side, and
Fava's chart of the month-end cash: the last twelve months of actuals, then the
forecast of each scenario, with the alert threshold.

The chart's history is the same engine asked to start twelve months earlier
(``communs tresorerie --depuis …``): its past months are the ledger's actual
balances. Forecast inputs in error or declared but missing: the page explains
instead of showing an empty chart.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ..dates import first_day, month_label, month_of, parse_month_key, shift_month
from ..previsions.modele import BASE
from ..rapports.objets import Genre, Rapport
from ..rapports.source import RapportImpossible
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from ..rendu.valeurs import francais
from .etat import Etat
from .explications import expliquer_chiffres
from .extension import Choix, Page, PageCommuns, Selecteur, url_guide
from .graphiques import courbe_de_tresorerie, en_graphique, svg
from .selection import MOIS_PROPOSES, TOUS, Selection, SelectionInconnue
from .tableaux import Chiffre, TableauVue, chiffre, tableau

HISTORIQUE = 12
"""Months of actuals drawn before the plan."""


@dataclass
class ContenuTresorerie:
    rapport: Rapport
    historique: Rapport | None
    tableaux: list[TableauVue] = field(default_factory=list)
    graphiques: list[dict[str, Any]] = field(default_factory=list)
    url_donnees: str = ""
    chiffres: list[Chiffre] = field(default_factory=list)

    @property
    def dessins(self) -> list[Any]:
        """The charts drawn in French (inline SVG)."""
        return [svg(en_graphique(g)) for g in self.graphiques]


def chiffres_du_plan(rapport: Rapport, libelles: dict[str, str]) -> list[Chiffre]:
    """Opening cash, low point (with its month) and closing cash of each scenario."""
    result = []
    several = len(rapport.totaux) > 1
    seuil = rapport.meta.get("seuil")
    sous_le_seuil = rapport.meta.get("mois_sous_seuil") or {}
    assert isinstance(sous_le_seuil, dict)
    for code, totaux in rapport.totaux.items():
        suffix = f" — {libelles.get(code, code)}" if several else ""
        month = str(totaux.get("mois_point_bas", ""))
        detail = f"fin {month_label(parse_month_key(month))}"
        etat = None  # the low point against the alert threshold, if there is one
        if seuil is not None:
            etat = "alerte" if sous_le_seuil.get(code) else "ok"
            detail += f" ; seuil d'alerte {francais(seuil, Genre.MONTANT)}"
        result.append(
            chiffre(
                f"point_bas:{code}",
                f"Point bas{suffix}",
                totaux["point_bas"],
                detail=detail,
                statut=etat,
            )
        )
        result.append(
            chiffre(
                f"solde_final:{code}", f"Trésorerie en fin de plan{suffix}", totaux["solde_final"]
            )
        )
    first = next(iter(rapport.totaux.values()), None)
    if first is not None:
        result.insert(
            0, chiffre("solde_initial", "Trésorerie en début de plan", first["solde_initial"])
        )
    return result


class Tresorerie(PageCommuns):
    """Plan de trésorerie, graphique du réalisé et des prévisions, choix du scénario."""

    report_title = "Trésorerie"
    guide_pratique = ("guide/routines", "Chaque mois", "Les routines du gestionnaire")

    def _scenarios(self, entrees: Any, selection: Selection) -> list[Any]:
        if selection.scenario == TOUS:
            return [BASE, *(entrees.scenarios[code] for code in sorted(entrees.scenarios))]
        found = entrees.scenario(selection.scenario)
        if found is None:
            known = ", ".join(["base", *sorted(entrees.scenarios)])
            raise SelectionInconnue(
                f"scénario « {selection.scenario} » inconnu : scénarios connus : {known}"
            )
        return [found]

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuTresorerie:
        source = etat.source
        assert source is not None
        entrees = etat.entrees
        scenarios = self._scenarios(entrees, selection)
        choix = [Choix(BASE.libelle, self.url(selection, scenario=None), scenarios == [BASE])]
        for code in sorted(entrees.scenarios):
            scenario = entrees.scenarios[code]
            actif = selection.scenario == code
            choix.append(Choix(scenario.libelle, self.url(selection, scenario=code), actif, code))
        if entrees.scenarios:
            choix.append(
                Choix("Tous", self.url(selection, scenario=TOUS), selection.scenario == TOUS, TOUS)
            )
        page.selecteurs = [
            Selecteur("scenario", "Scénario", choix),
            Selecteur(
                "mois",
                "Durée",
                [
                    Choix(f"{n} mois", self.url(selection, mois=n), selection.mois == n, str(n))
                    for n in MOIS_PROPOSES
                ],
            ),
        ]
        if entrees.erreurs:
            listed = " ; ".join(str(e) for e in entrees.erreurs[:10])
            raise RapportImpossible(
                f"les prévisions contiennent {len(entrees.erreurs)} erreur(s) (fichier "
                f"manquant ou invalide), à corriger avant le plan de trésorerie : {listed}"
            )
        if not entrees.fichiers:
            page.explications.append(
                "Aucun fichier de prévisions déclaré (paie, flux, scénarios, conventions) : "
                "les mois à venir ne reprennent que le budget restant et les créances et "
                "dettes en cours."
            )
            page.details.append(
                "Les prévisions se déclarent dans communs.yaml, section « previsions » "
                "(paie, flux, scenarios, seuil) et clé « conventions » (guide, chapitre "
                "« Plan de trésorerie et prévisions »)."
            )
        last = source.mouvements.derniere_date
        depuis = None if last is not None else datetime.date.today()
        rapport = etat.plan_de_tresorerie(depuis=depuis, mois=selection.mois, scenarios=scenarios)
        start = rapport.periode[0] if rapport.periode else datetime.date.today()
        debut_historique = first_day(shift_month(month_of(start), -HISTORIQUE))
        first = source.mouvements.premiere_date
        if first is not None and debut_historique < first.replace(day=1):
            debut_historique = first.replace(day=1)
        avant = (start.year - debut_historique.year) * 12 + start.month - debut_historique.month
        # the months before the plan: actual only (a plan ending before the last entry
        # generates no forecast), so the forecasts are computed once, for the table
        historique = (
            etat.plan_de_tresorerie(depuis=debut_historique, mois=avant) if avant > 0 else None
        )
        page.sous_titre = contexte(rapport)
        return ContenuTresorerie(
            rapport,
            historique,
            [tableau(p, defilant=True) for p in rapport.parties],
            [courbe_de_tresorerie(rapport, historique)],
            self.url_donnees(selection),
            expliquer_chiffres(
                chiffres_du_plan(rapport, {s.code: s.libelle for s in scenarios}), url_guide
            ),
        )

    def donnees(self, contenu: ContenuTresorerie) -> dict[str, Any]:
        return to_dict(contenu.rapport)
