"""Page « Budget vs réalisé »: the chosen version of the exercice's budget against the
ledger, by chapter and by project, with Fava's bar charts of the actual against the
budget month by month (stacked by chapter), for all projects or one.

The table is the CLI's ``communs budget`` report, the atterrissage beside the projection of the
budget in its résultat part (two end-of-exercice estimates, each under its name);
the charts place the figures of its monthly form (``communs budget --mensuel``).
Without a budget for the exercice, or with budget files in error, the page explains
what to do instead of an empty chart. A budget voted for an exercice not started yet
(after the ledger's last one) is shown as voted, in the layout of ``communs budget cerfa``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ..budget.rapport_suivi import budget_vs_realise, build_rapport_suivi
from ..budget.suivi import compute_suivi
from ..previsions.atterrissage import atterrissage_de
from ..rapports.objets import Rapport
from ..rapports.source import RapportImpossible
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .etat import Etat
from .extension import Choix, Page, PageCommuns, Selecteur, phrase_d_arrete
from .graphiques import barres_du_budget, en_graphique, svg
from .selection import Selection, SelectionInconnue, exercice_choisi, projet_choisi
from .tableaux import TableauVue, tableau


@dataclass
class ContenuBudget:
    rapport: Rapport
    mensuel: Rapport
    tableaux: list[TableauVue] = field(default_factory=list)
    graphiques: list[dict[str, Any]] = field(default_factory=list)
    url_donnees: str = ""

    @property
    def dessins(self) -> list[Any]:
        """The charts drawn in French (inline SVG)."""
        return [svg(en_graphique(g)) for g in self.graphiques]


def budgets_a_venir(source: Any, budgets: Any) -> dict[str, Any]:
    """The budgets of exercices after the ledger's last one (voted ahead), by code."""
    derniere = source.exercices[-1].fin if source.exercices else None
    return {
        code: budget
        for code, budget in budgets.par_exercice.items()
        if derniere is None or budget.exercice.debut > derniere
    }


class BudgetVsRealise(PageCommuns):
    """Budget vs réalisé par chapitre et par projet, graphiques de Fava, choix de la version."""

    report_title = "Budget vs réalisé"
    filtre_projet = True
    guide_pratique = (
        "guide/budget-qui-tient",
        "Suivre : les écarts et l'atterrissage",
        "Construire un budget qui tient",
    )

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuBudget:
        source = etat.source
        assert source is not None
        budgets = etat.budgets
        futurs = budgets_a_venir(source, budgets)
        a_venir = futurs.get(selection.exercice or "")
        exercice = a_venir.exercice if a_venir else exercice_choisi(source, selection)
        projet = projet_choisi(source, selection)
        selecteur = self.selecteur_exercices(etat, selection, exercice)
        for code in sorted(futurs, reverse=True):
            selecteur.choix.insert(
                0,
                Choix(
                    f"{code} (budget)",
                    self.url(selection, exercice=code),
                    a_venir is not None and a_venir.exercice.code == code,
                    code,
                ),
            )
        page.selecteurs = [selecteur, self.selecteur_projets(etat, selection, projet)]
        if budgets.erreurs:
            listed = " ; ".join(str(e) for e in budgets.erreurs[:10])
            raise RapportImpossible(
                f"les fichiers de budget contiennent {len(budgets.erreurs)} erreur(s), à "
                f"corriger avant le suivi du budget : {listed}"
            )
        budget = budgets.pour(exercice)
        if budget is not None and budget.versions:
            chosen = budget.version(selection.version)
            if chosen is None:
                known = ", ".join(f"{v.code} (« {v.nom} »)" for v in budget.versions)
                raise SelectionInconnue(
                    f"version « {selection.version} » inconnue dans le budget "
                    f"{exercice.code} : versions : {known}"
                )
            page.selecteurs.append(
                Selecteur(
                    "version",
                    "Version du budget",
                    [
                        Choix(
                            f"{v.nom} ({v.date.strftime('%d/%m/%Y')})",
                            self.url(selection, version=v.code),
                            v.code == chosen.code,
                            v.code,
                        )
                        for v in sorted(budget.versions, key=lambda v: v.date)
                    ],
                )
            )
        if a_venir is not None:
            return self._budget_a_venir(page, etat, selection, a_venir, projet)
        cles = etat.cles_pour(projet)
        options = {"version": selection.version, "projet": projet, "cles": cles}
        atterri = (
            atterrissage_de(source, etat.entrees, budgets, exercice, selection.version)
            if projet is None
            else None
        )
        rapport = budget_vs_realise(source, budgets, exercice, atterrissage=atterri, **options)
        suivi_mensuel = compute_suivi(source, budgets, exercice, mensuel=True, **options)
        mensuel = build_rapport_suivi(suivi_mensuel, source)
        page.sous_titre = contexte(rapport)
        au = rapport.meta.get("au")
        if rapport.meta.get("exercice_en_cours") and isinstance(au, datetime.date):
            page.arrete = phrase_d_arrete(au)
        devise = (self.ledger.options.get("operating_currency") or ["EUR"])[0]
        graphiques = [
            barres_du_budget(suivi_mensuel, suivi_mensuel.charges, "Charges", devise),
            barres_du_budget(suivi_mensuel, suivi_mensuel.produits, "Produits", devise),
        ]
        return ContenuBudget(
            rapport,
            mensuel,
            [tableau(p) for p in rapport.parties],
            graphiques,
            self.url_donnees(selection),
        )

    def _budget_a_venir(
        self, page: Page, etat: Etat, selection: Selection, budget: Any, projet: str | None
    ) -> ContenuBudget:
        """An exercice not started yet: its budget as voted (the CERFA 12156 layout of
        ``communs budget cerfa``), no actual to compare with."""
        from ..budget.cerfa import ouvertures
        from ..budget.rapport_cerfa import cerfa_12156

        source = etat.source
        assert source is not None
        version = budget.version(selection.version)
        if version is None:
            raise RapportImpossible(f"le budget {budget.exercice.code} ne contient aucune version")
        rapport = cerfa_12156(
            source.context, budget.exercice, version, ouvertures(source.entries), projet=projet
        )
        page.sous_titre = contexte(rapport)
        page.explications.append(
            f"L'exercice {budget.exercice.code} n'a pas commencé : voici son budget "
            f"(version « {version.nom} »), sans réalisé à comparer."
        )
        return ContenuBudget(
            rapport, rapport, [tableau(p) for p in rapport.parties], [], self.url_donnees(selection)
        )

    def donnees(self, contenu: ContenuBudget) -> dict[str, Any]:
        return to_dict(contenu.rapport)
