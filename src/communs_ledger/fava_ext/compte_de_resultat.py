"""Page « Compte de résultat »: the associative compte de résultat (N and N-1) of the
chosen exercice, for all projects or one, with the accounts behind each line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..rapports.objets import Rapport
from ..rapports.resultat import compte_de_resultat
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .etat import Etat
from .extension import Page, PageCommuns, url_compte
from .selection import Selection, exercice_choisi, projet_choisi
from .tableaux import TableauVue, tableau


@dataclass
class ContenuRapport:
    """A page showing one report of the engine as tables."""

    rapport: Rapport
    tableaux: list[TableauVue] = field(default_factory=list)
    url_donnees: str = ""


class CompteDeResultat(PageCommuns):
    """Compte de résultat (modèle ANC 2018-06), N et N-1, par projet."""

    report_title = "Compte de résultat associatif"

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuRapport:
        source = etat.source
        assert source is not None
        exercice = exercice_choisi(source, selection)
        projet = projet_choisi(source, selection)
        page.selecteurs = [
            self.selecteur_exercices(etat, selection, exercice),
            self.selecteur_projets(etat, selection, projet),
        ]
        rapport = compte_de_resultat(
            source, exercice, n1=True, projet=projet, cles=etat.cles_pour(projet)
        )
        page.sous_titre = contexte(rapport)
        lien = url_compte(exercice)
        return ContenuRapport(
            rapport, [tableau(p, lien) for p in rapport.parties], self.url_donnees(selection)
        )

    def donnees(self, contenu: ContenuRapport) -> dict[str, Any]:
        return to_dict(contenu.rapport)
