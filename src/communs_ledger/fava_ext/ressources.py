"""Page « Ressources »: the socio-economic model of ``communs ressources`` — resources by
origin and by kind of public funder over the last exercices, the funders, the
concentration indicators with their thresholds, the readable sentences, and the chart of
public, private and own resources year by year. Linked to the guide's page « Le modèle
socio-économique »; every indicator to its section."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..conventions.fichier import conventions_du_grand_livre
from ..modele_economique.rapport import modele_socio_economique
from ..rapports.objets import Rapport
from ..rapports.source import RapportImpossible
from ..rendu.en_json import graphique, to_dict
from ..rendu.textes import contexte
from .etat import Etat
from .extension import Page, PageCommuns, phrase_d_arrete
from .graphiques import svg
from .selection import Selection
from .tableaux import TableauVue, tableau

TEXTES = "explications"
"""The part of explanations and thresholds (text columns, not scrolled)."""
ANNEES = 3
"""Exercices shown (N and the two before), as ``communs ressources`` by default."""


@dataclass
class ContenuRessources:
    rapport: Rapport
    tableaux: list[TableauVue] = field(default_factory=list)
    url_donnees: str = ""

    @property
    def graphiques(self) -> list[dict[str, Any]]:
        """The charts' placed figures (the CLI's JSON), for machines."""
        return [graphique(chart) for chart in self.rapport.graphiques]

    @property
    def dessins(self) -> list[Any]:
        """The charts drawn in French (inline SVG)."""
        return [svg(chart) for chart in self.rapport.graphiques]


class Ressources(PageCommuns):
    """Modèle socio-économique : d'où viennent les ressources (``communs ressources``)."""

    report_title = "Ressources et financeurs"
    # the tables of figures keep every exercice on a phone and scroll in their frame (no
    # main column); the explanations' text wraps, behind the « toutes les colonnes » toggle
    guide_pratique = (
        "guide/modele-socio-economique",
        "",
        "Le modèle socio-économique : d'où vient l'argent",
    )

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuRessources:
        source, exercice, au = self.exercice_et_arrete(page, etat, selection)
        conventions, erreurs = conventions_du_grand_livre(source.context)
        if erreurs:
            listed = " ; ".join(str(e) for e in erreurs[:5])
            raise RapportImpossible(
                f"le fichier des conventions contient {len(erreurs)} erreur(s) : {listed}"
            )
        rapport = modele_socio_economique(source, exercice, conventions, annees=ANNEES)
        page.sous_titre = contexte(rapport)
        if au is not None:
            page.arrete = phrase_d_arrete(au)
        return ContenuRessources(
            rapport,
            [tableau(p, defilant=p.id != TEXTES) for p in rapport.parties],
            self.url_donnees(selection),
        )

    def donnees(self, contenu: ContenuRessources) -> dict[str, Any]:
        return to_dict(contenu.rapport)
