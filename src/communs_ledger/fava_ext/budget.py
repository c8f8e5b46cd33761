"""Page « Budget vs réalisé »: the chosen version of the exercice's budget against the
ledger, by chapter and by project, with Fava's bar charts of the actual against the
budget month by month (stacked by chapter), for all projects or one.

The table is the CLI's ``communs budget`` report, the atterrissage beside the projection of the
budget in its résultat part (two end-of-exercice estimates, each under its name);
the charts place the figures of its monthly form (``communs budget --mensuel``).
Without a budget for the exercice, or with budget files in error, the page explains
what to do instead of an empty chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..budget.suivi import atterrissage_de, budget_vs_realise
from ..rapports.objets import Rapport
from ..rapports.source import RapportImpossible
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .etat import Etat
from .extension import Choix, Page, PageCommuns, Selecteur
from .graphiques import barres_du_budget
from .selection import Selection, SelectionInconnue, exercice_choisi, projet_choisi
from .tableaux import TableauVue, tableau


@dataclass
class ContenuBudget:
    rapport: Rapport
    mensuel: Rapport
    tableaux: list[TableauVue] = field(default_factory=list)
    graphiques: list[dict[str, Any]] = field(default_factory=list)
    url_donnees: str = ""


class BudgetVsRealise(PageCommuns):
    """Budget vs réalisé par chapitre et par projet, graphiques de Fava, choix de la version."""

    report_title = "Budget vs réalisé"

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuBudget:
        source = etat.source
        assert source is not None
        exercice = exercice_choisi(source, selection)
        projet = projet_choisi(source, selection)
        page.selecteurs = [
            self.selecteur_exercices(etat, selection, exercice),
            self.selecteur_projets(etat, selection, projet),
        ]
        budgets = etat.budgets
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
        cles = etat.cles_pour(projet)
        options = {"version": selection.version, "projet": projet, "cles": cles}
        atterri = (
            atterrissage_de(source, etat.entrees, budgets, exercice, selection.version)
            if projet is None
            else None
        )
        rapport = budget_vs_realise(source, budgets, exercice, atterrissage=atterri, **options)
        mensuel = budget_vs_realise(source, budgets, exercice, mensuel=True, **options)
        page.sous_titre = contexte(rapport)
        devise = (self.ledger.options.get("operating_currency") or ["EUR"])[0]
        graphiques = [
            barres_du_budget(mensuel.partie("charges"), "total_charges", "Charges", devise),
            barres_du_budget(mensuel.partie("produits"), "total_produits", "Produits", devise),
        ]
        return ContenuBudget(
            rapport,
            mensuel,
            [tableau(p) for p in rapport.parties],
            graphiques,
            self.url_donnees(selection),
        )

    def donnees(self, contenu: ContenuBudget) -> dict[str, Any]:
        return to_dict(contenu.rapport)
