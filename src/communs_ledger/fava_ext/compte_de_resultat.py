"""Page « Compte de résultat »: the associative compte de résultat (N and N-1) of the
chosen exercice, for all projects or one, with the accounts behind each line.

An exercice in progress is stopped at its last entry (``communs resultat --au``),
and shown beside the previous exercice at the same date (the same engine with
``--au`` one year earlier, column « N-1 à même date ») and in full."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..rapports.objets import Colonne, Partie, Rapport
from ..rapports.resultat import compte_de_resultat
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .etat import Etat
from .extension import (
    Page,
    PageCommuns,
    meme_date,
    phrase_d_arrete,
    url_compte,
)
from .selection import Selection, projet_choisi
from .tableaux import TableauVue, tableau


@dataclass
class ContenuRapport:
    """A page showing one report of the engine as tables."""

    rapport: Rapport
    tableaux: list[TableauVue] = field(default_factory=list)
    url_donnees: str = ""


N1_A_DATE = "n1_a_date"
"""Column of the previous exercice at the same date (display only: not in the JSON)."""


def avec_colonne(partie: Partie, autre: Partie, libelle: str) -> Partie:
    """``partie`` with, after its N column, the N column of ``autre`` (the same report of
    the previous exercice at the same date) as « N-1 à même date », line by line."""
    valeurs = {(ligne.id or ligne.code): ligne.valeurs.get("n") for ligne in autre.lignes}
    colonnes: list[Colonne] = []
    for colonne in partie.colonnes:
        colonnes.append(colonne)
        if colonne.id == "n":
            colonnes.append(Colonne(N1_A_DATE, libelle, colonne.genre))
    lignes = [
        replace(
            ligne,
            valeurs={**ligne.valeurs, N1_A_DATE: valeurs.get(ligne.id or ligne.code)},
        )
        for ligne in partie.lignes
    ]
    return replace(partie, colonnes=colonnes, lignes=lignes)


class CompteDeResultat(PageCommuns):
    """Compte de résultat (modèle ANC 2018-06), N et N-1, par projet."""

    report_title = "Compte de résultat associatif"
    filtre_projet = True
    guide_pratique = (
        "guide/modele-socio-economique",
        "",
        "D'où vient l'argent : le modèle socio-économique",
    )

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuRapport:
        source, exercice, au = self.exercice_et_arrete(page, etat, selection)
        projet = projet_choisi(source, selection)
        page.selecteurs.append(self.selecteur_projets(etat, selection, projet))
        cles = etat.cles_pour(projet)
        rapport = compte_de_resultat(source, exercice, n1=True, projet=projet, au=au, cles=cles)
        page.sous_titre = contexte(rapport)
        lien = url_compte(exercice, au)
        precedent = source.precedent(exercice)
        parties = rapport.parties
        if au is not None:
            page.arrete = phrase_d_arrete(au)
            if precedent is not None:
                jour = meme_date(exercice, au, precedent)
                a_date = compte_de_resultat(
                    source, precedent, n1=False, projet=projet, au=jour, cles=cles
                )
                parties = [
                    avec_colonne(p, a_date.partie(p.id), f"{precedent.code} au {jour:%d/%m/%Y}")
                    for p in parties
                ]
        return ContenuRapport(
            rapport, [tableau(p, lien) for p in parties], self.url_donnees(selection)
        )

    def donnees(self, contenu: ContenuRapport) -> dict[str, Any]:
        return to_dict(contenu.rapport)
