"""One plain-French sentence for each card and indicator of the pages, and the section
of the user guide (served inside Fava, :mod:`.guide`) that explains it.

Sections are named by their heading, as written in ``docs/<chapitre>.md``; their
anchor is the guide's (:func:`.guide.ancre`). A test checks that each heading
exists, so that no link leads nowhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ..rapports.indicateurs import premiere_phrase
from ..rendu.renvois import renvoi_de_ligne
from .guide import ancre
from .tableaux import Chiffre, TableauVue

UrlGuide = Callable[[str, str], str]
"""``url_guide(chapitre, ancre)``: the address of a section of the guide in Fava."""


@dataclass(frozen=True)
class Explication:
    phrase: str
    chapitre: str
    section: str  # the heading's text in docs/<chapitre>.md


BUDGET_A_DATE = Explication(
    "Ce que le budget prévoyait du début de l'exercice à cette date (profil mensuel de "
    "chaque ligne), pour comparer au réalisé.",
    "budget",
    "Le budget à date",
)
CHIFFRES = {
    "resultat_a_date": Explication(
        "Produits moins charges enregistrés depuis le début de l'exercice : positif, "
        "l'association a gagné plus qu'elle n'a dépensé.",
        "etats",
        "En cours d'exercice : `--au`",
    ),
    "resultat": Explication(
        "Produits moins charges de l'exercice, comme au compte de résultat.",
        "etats",
        "Le compte de résultat : `communs resultat`",
    ),
    "budget_a_date": BUDGET_A_DATE,
    "projection_du_budget": Explication(
        "Le résultat de fin d'exercice si le reste de l'année suit le budget : le réalisé "
        "plus le budget qui reste à dépenser et à recevoir, ligne par ligne.",
        "budget",
        "La projection du budget et l'atterrissage",
    ),
    "atterrissage": Explication(
        "Le résultat attendu au dernier jour de l'exercice d'après les prévisions "
        "détaillées : le réalisé plus la paie, les subventions, les flux et le reste du budget.",
        "tresorerie",
        "`communs prevision atterrissage`",
    ),
    "resultat_projete": Explication(
        "Le résultat attendu au dernier jour de l'exercice : le réalisé plus ce qui reste "
        "prévu (paie, subventions, dépenses courantes, reste du budget).",
        "tresorerie",
        "`communs prevision atterrissage`",
    ),
    "tresorerie_constatee": Explication(
        "L'argent disponible sur les comptes bancaires et en caisse à cette date.",
        "diagnostic",
        "Trésorerie nette et trésorerie constatée",
    ),
    "fonds_propres_mois": Explication(
        "Combien de mois l'association pourrait couvrir ses charges avec ses réserves.",
        "diagnostic",
        "Fonds propres en mois de charges",
    ),
    "point_bas": Explication(
        "Le solde de trésorerie le plus bas prévu dans les mois qui viennent, à comparer "
        "au seuil d'alerte.",
        "tresorerie",
        "`communs tresorerie`",
    ),
    "solde_initial": Explication(
        "La trésorerie au début du plan : le solde réel des comptes bancaires et de caisse.",
        "tresorerie",
        "`communs tresorerie`",
    ),
    "solde_final": Explication(
        "La trésorerie prévue au dernier mois du plan.",
        "tresorerie",
        "`communs tresorerie`",
    ),
}
INDICATEURS = {
    "fonds_de_roulement": "Fonds de roulement (FR)",
    "besoin_en_fonds_de_roulement": "Besoin en fonds de roulement (BFR)",
    "tresorerie_nette": "Trésorerie nette et trésorerie constatée",
    "tresorerie_constatee": "Trésorerie nette et trésorerie constatée",
    "ecart_tresorerie": "Trésorerie nette et trésorerie constatée",
    "capacite_autofinancement": "Capacité d'autofinancement (CAF)",
    "tresorerie_jours": "Trésorerie en jours de charges",
    "fonds_propres_mois": "Fonds propres en mois de charges",
    "part_subventions_publiques": "Part des subventions publiques",
    "part_charges_personnel": "Part des charges de personnel",
    "resultat_sur_produits": "Résultat / total des produits",
}
"""Diagnostic indicators → their section of docs/diagnostic.md."""


def expliquer_chiffres(chiffres: list[Chiffre], url_guide: UrlGuide) -> list[Chiffre]:
    """The cards with their sentence and guide link (``url_guide(chapitre, section)``)."""
    result = []
    for carte in chiffres:
        explication = CHIFFRES.get(carte.id) or CHIFFRES.get(carte.id.split(":")[0])
        pratique = renvoi_de_ligne(TABLEAU_DE_BORD, carte.id.split(":")[0])
        if pratique is not None:
            carte = replace(carte, pratique=url_guide(pratique.chapitre, pratique.ancre))
        if explication is None:
            result.append(carte)
            continue
        result.append(
            replace(
                carte,
                explication=explication.phrase,
                aide=url_guide(explication.chapitre, ancre(explication.section)),
            )
        )
    return result


TABLEAU_DE_BORD = "tableau_de_bord"
"""The cards' entry in plan_comptable/guide.yaml."""


def bonnes_pratiques(tableaux: Iterable[TableauVue], rapport_id: str, url_guide: UrlGuide) -> None:
    """Each line of the tables of report ``rapport_id`` gets the link to the section of the
    good-practice guide that explains it (plan_comptable/guide.yaml), if any: indicators,
    cash alerts, budget lines flagged by a rule."""
    for table in tableaux:
        for ligne in table.lignes:
            statut = ligne.statut.valeur if ligne.statut else None
            cible = renvoi_de_ligne(rapport_id, ligne.cle.split(":")[0], statut)
            if cible is not None:
                ligne.pratique = url_guide(cible.chapitre, cible.ancre)


def expliquer_indicateurs(
    tableau: TableauVue, explications: dict[str, str], url_guide: UrlGuide
) -> TableauVue:
    """The diagnostic's table with, under each indicator, the first sentence of the
    engine's explanation and the link to its section of the guide."""
    for ligne in tableau.lignes:
        section = INDICATEURS.get(ligne.cle)
        texte = explications.get(ligne.cle)
        if texte:
            ligne.explication = premiere_phrase(texte)
        if section:
            ligne.aide = url_guide("diagnostic", ancre(section))
    bonnes_pratiques([tableau], "diagnostic", url_guide)
    return tableau
