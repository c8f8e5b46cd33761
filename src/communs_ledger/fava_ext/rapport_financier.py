"""Page « Rapport financier »: the treasurer's report of ``communs rapport-financier``
for the chosen exercice, section by section as its HTML — key figures with N-1, produits
by origin, charges, affectation, budget and réalisé, fonds dédiés, cash month by month,
indicators, budget of the next exercice, the three charts — with the treasurer's
comments (``rapport-financier-AAAA.md``) rendered from Markdown, raw HTML escaped, and
the document to download as PDF (:class:`.pdf.PageAvecPdf`), XLSX or printable HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..assemblee.rapport import rapport_financier
from ..rapports.objets import Rapport
from ..rapports.source import RapportImpossible
from ..rendu.document import sections
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .etat import Etat
from .extension import Page, phrase_d_arrete, url_guide
from .graphiques import svg
from .guide import ancre
from .pdf import PageAvecPdf
from .selection import Selection
from .tableaux import TableauVue, tableau

DEFILANTS = frozenset({"tresorerie", "fonds_dedies", "projets"})
"""Tables keeping all their columns on a phone, scrolling in their frame."""


@dataclass
class Dessin:
    """A chart of the report drawn in French (inline SVG), by its id."""

    id: str
    svg: Any


@dataclass
class SectionVue:
    """One section of the document: its tables, text parts, charts and comments in the
    order of the CLI's HTML (``genre``: tableau, texte, graphique, commentaire)."""

    id: str
    titre: str
    elements: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class ContenuRapportFinancier:
    rapport: Rapport
    sections: list[SectionVue]
    tableaux: list[TableauVue]
    url_donnees: str = ""


def _genre(genre: str, valeur: Any) -> str:
    if genre == "tableau" and not valeur.entetes and not valeur.lignes:
        return "texte"  # « À compléter : … », « Aucun fonds dédié. »: its sentences
    return genre


class RapportDuTresorier(PageAvecPdf):
    """Rapport financier du trésorier à l'assemblée générale (``communs rapport-financier``)."""

    report_title = "Rapport financier"
    guide_pratique = (
        "guide/routines",
        "Chaque année",
        "Les routines de l'année : inventaire, clôture, assemblée générale",
    )

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuRapportFinancier:
        source, exercice, au = self.exercice_et_arrete(page, etat, selection)
        budgets = etat.budgets
        if budgets.erreurs:  # as the CLI: no report on a budget it cannot read
            listed = " ; ".join(str(e) for e in budgets.erreurs[:10])
            raise RapportImpossible(
                f"les fichiers de budget contiennent {len(budgets.erreurs)} erreur(s), à "
                f"corriger avant le rapport financier : {listed}"
            )
        rapport = rapport_financier(source, budgets, exercice)
        page.sous_titre = contexte(rapport)
        if au is not None:
            page.arrete = (
                phrase_d_arrete(au) + " Le rapport financier de cet exercice est provisoire."
            )
        for item in rapport.meta.get("a_completer") or []:  # type: ignore[union-attr]
            page.details.append(f"À compléter : {item}")
        vues = [tableau(p, defilant=p.id in DEFILANTS) for p in rapport.parties]
        dessins = [Dessin(g.id, svg(g)) for g in rapport.graphiques]
        vues_sections = [
            SectionVue(s.id, s.titre, [(_genre(e.genre, e.valeur), e.valeur) for e in s.elements])
            for s in sections(rapport, vues, dessins)
        ]
        return ContenuRapportFinancier(rapport, vues_sections, vues, self.url_donnees(selection))

    def donnees(self, contenu: ContenuRapportFinancier) -> dict[str, Any]:
        return to_dict(contenu.rapport)

    @staticmethod
    def url_du_chapitre() -> str:
        """The user guide's chapter on the report (the treasurer's comments file)."""
        return url_guide("rapport-financier", ancre("Les commentaires du trésorier"))
