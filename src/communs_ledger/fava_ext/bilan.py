"""Page « Bilan »: the associative bilan (actif brut, amortissements, net, N-1; passif N,
N-1) at the close of the chosen exercice, with the accounts behind each line; an
exercice in progress at its last entry (``communs bilan --au``), never headed with
a closing date still to come."""

from __future__ import annotations

from typing import Any

from ..rapports.bilan import bilan
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .compte_de_resultat import ContenuRapport
from .etat import Etat
from .extension import Page, PageCommuns, phrase_d_arrete, url_compte
from .selection import Selection
from .tableaux import tableau


class Bilan(PageCommuns):
    """Bilan (modèle ANC 2018-06), N et N-1."""

    report_title = "Bilan associatif"
    guide_pratique = (
        "guide/lire-le-diagnostic",
        "Fonds de roulement",
        "Lire le bilan : le fonds de roulement",
    )

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuRapport:
        source, exercice, au = self.exercice_et_arrete(page, etat, selection)
        rapport = bilan(source, exercice, au=au, n1=True)
        page.sous_titre = contexte(rapport)
        if au is not None:
            page.arrete = phrase_d_arrete(au)
        lien = url_compte(exercice, au)
        return ContenuRapport(
            rapport, [tableau(p, lien) for p in rapport.parties], self.url_donnees(selection)
        )

    def donnees(self, contenu: ContenuRapport) -> dict[str, Any]:
        return to_dict(contenu.rapport)
