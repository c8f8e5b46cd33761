"""Page « Comptes annuels »: the document of ``communs comptes-annuels`` for the chosen
exercice — bilan, compte de résultat, then the annexe, one section per note — with the
« À compléter » items listed on top and marked in their section, and the document to
download as PDF (printed by Chromium, as ``--pdf`` does), XLSX or printable HTML.

The PDF endpoint (:class:`.pdf.PageAvecPdf`) only reads: the document is printed in a
temporary folder and streamed, never written beside the ledger; without Chromium it
answers a French sentence saying what to install.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..comptes_annuels.annexe import A_COMPLETER
from ..comptes_annuels.rapport import rapport_comptes_annuels
from ..rapports.objets import Partie, Rapport
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .etat import Etat
from .extension import Page, phrase_d_arrete, url_compte, url_guide
from .pdf import PageAvecPdf
from .selection import Selection
from .tableaux import TableauVue, tableau

ETATS = frozenset({"actif", "passif", "compte_de_resultat", "contributions_volontaires"})
"""Parts of the statements (N and N-1, the usual tables); the others are the annexe's."""


@dataclass
class Section:
    """One part of the document: a table, or the paragraphs of a text note."""

    id: str
    titre: str
    tableau: TableauVue | None = None
    paragraphes: list[str] = field(default_factory=list)
    annexe: bool = False

    @staticmethod
    def a_completer(texte: str) -> bool:
        return texte.startswith(A_COMPLETER)


@dataclass
class ContenuComptesAnnuels:
    rapport: Rapport
    sections: list[Section]
    a_completer: list[str]
    url_donnees: str = ""

    @property
    def tableaux(self) -> list[TableauVue]:
        """The tables shown (their notes are read by the board: see ``_pour_le_conseil``)."""
        return [s.tableau for s in self.sections if s.tableau is not None]


def _section(partie: Partie, lien: Any) -> Section:
    annexe = partie.id not in ETATS
    if not partie.colonnes and not partie.lignes:  # a text note: its paragraphs
        return Section(partie.id, partie.titre, paragraphes=list(partie.notes), annexe=True)
    # the annexe's tables keep every column on a phone, scrolling in their frame
    vue = tableau(partie, None if annexe else lien, defilant=annexe)
    return Section(partie.id, partie.titre, vue, annexe=annexe)


class ComptesAnnuels(PageAvecPdf):
    """Comptes annuels : bilan, compte de résultat et annexe (ANC 2018-06)."""

    report_title = "Comptes annuels"
    guide_pratique = (
        "guide/routines",
        "Chaque année",
        "Les routines de l'année : inventaire, clôture, assemblée générale",
    )

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuComptesAnnuels:
        source, exercice, au = self.exercice_et_arrete(page, etat, selection)
        rapport = rapport_comptes_annuels(source, exercice)
        page.sous_titre = contexte(rapport)
        if au is not None:
            page.arrete = (
                phrase_d_arrete(au) + " Les comptes annuels de cet exercice sont provisoires."
            )
        manque = rapport.meta.get("a_completer") or []
        a_completer = []
        for item in manque if isinstance(manque, list) else []:
            # « effectif (comptes_annuels.exercices."2024".effectif : …) »: the
            # configuration key is for the gestionnaire's block
            public, _parenthese, _cle = str(item).partition(" (")
            a_completer.append(public)
            page.details.append(f"À compléter : {item}")
        lien = url_compte(exercice)
        return ContenuComptesAnnuels(
            rapport,
            [_section(p, lien) for p in rapport.parties],
            a_completer,
            self.url_donnees(selection),
        )

    def donnees(self, contenu: ContenuComptesAnnuels) -> dict[str, Any]:
        return to_dict(contenu.rapport)

    @staticmethod
    def url_du_chapitre() -> str:
        """The user guide's chapter on the comptes annuels (its texts in communs.yaml)."""
        return url_guide("comptes-annuels", "les-textes-de-lannexe--communsyaml")

    @staticmethod
    def autres_avertissements(page: Page) -> list[str]:
        """The report's warnings but the « À compléter » ones (listed on top)."""
        return [a for a in page.avertissements if not Section.a_completer(a)]
