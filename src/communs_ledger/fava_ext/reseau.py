"""Page « Comparaison avec le réseau »: the association among its network's peers, from
their anonymised indicators (``communs reseau comparer``, the same engine): per
indicator, first quartile, median, third quartile and the association's position, and
a chart per unit. The network's folder is ``partage.reseau.chemin`` of
``communs.yaml``; when it is not set, the page says how to set it.

Without a chosen exercice, the page shows the latest exercice of the ledger the
network's files cover (the exercice in progress has no peers yet)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..partage.comparaison import (
    PairIllisible,
    ReseauIntrouvable,
    build_rapport_comparaison,
    comparer,
    dossier_du_reseau,
    lire_reseau,
)
from ..partage.indicateurs import IndicateursPartages, compute_indicateurs_partages
from ..partage.jetons import cle_propre
from ..partage.reglages import partage_config
from ..rapports.source import RapportImpossible, Source
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .compte_de_resultat import ContenuRapport
from .etat import Etat
from .extension import RENVOI, Choix, Page, PageCommuns, Selecteur, en_phrase
from .graphiques import svg
from .selection import Selection, SelectionInconnue, exercice_choisi
from .tableaux import tableau

TOUT_LE_RESEAU = "tous"
GROUPES_PROPOSES = {
    TOUT_LE_RESEAU: "Tout le réseau",
    "taille": "Même taille",
    "secteur": "Même secteur",
    "salaries": "Même nombre de salariés",
}
A_REGLER = (
    "La comparaison avec le réseau n'est pas encore réglée : chaque association du réseau "
    "dépose ses indicateurs anonymisés (tranches et ratios arrondis, sans nom ni montant) "
    "dans un dossier commun, et le gestionnaire indique à communs-ledger où est ce dossier."
)
REGLAGE = (
    "Indiquez le dossier des indicateurs du réseau dans communs.yaml : « partage: » puis "
    "« reseau: » puis « chemin: ../reseau/indicateurs » (chemin relatif au dossier de "
    "l'association, ou absolu) ; « groupe: taille » (ou secteur, salaries) compare par "
    "défaut aux seules associations du même groupe. Pour écrire les indicateurs de "
    "l'association : communs indicateurs --partage --sortie FICHIER.json (guide : "
    "docs/indicateurs-partages.md)."
)


@dataclass
class ContenuReseau(ContenuRapport):
    """The comparison's report, its tables and its charts (drawn, and as data)."""

    dessins: list[Markup] = field(default_factory=list)
    graphiques: list[dict[str, Any]] = field(default_factory=list)


class ComparaisonReseau(PageCommuns):
    """Comparaison avec le réseau : quartiles et position, indicateur par indicateur."""

    report_title = "Comparaison avec le réseau"

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuReseau:
        source = etat.source
        assert source is not None
        if selection.groupe is not None and selection.groupe not in GROUPES_PROPOSES:
            raise SelectionInconnue(
                f"groupe « {selection.groupe} » inconnu : tous, taille, secteur ou salaries"
            )
        dossier = dossier_du_reseau(source.context.config, source.context.ledger.parent)
        if dossier is None:
            page.explications.append(A_REGLER)
            page.details.append(REGLAGE)
            raise RapportImpossible("aucun dossier du réseau n'est indiqué pour l'instant")
        pairs = _pairs(page, dossier)
        exercice = _exercice(source, selection, {pair.exercice for pair in pairs})
        reglages = partage_config(source.context.config)
        groupe = _groupe(selection.groupe, reglages.reseau.groupe)
        propres = compute_indicateurs_partages(source, exercice, reglages)
        cle = cle_propre(source.context.config, source.context.ledger.parent)
        rapport = build_rapport_comparaison(
            comparer(propres, pairs, groupe, cle), source.association, graphiques=True
        )
        page.sous_titre = contexte(rapport)
        page.selecteurs = [
            self.selecteur_exercices(etat, selection, exercice),
            self._selecteur_groupes(selection, groupe),
        ]
        return ContenuReseau(
            rapport,
            [tableau(partie, None) for partie in rapport.parties],
            self.url_donnees(selection),
            dessins=[svg(graphique) for graphique in rapport.graphiques],
            graphiques=to_dict(rapport).get("graphiques", []),
        )

    def _selecteur_groupes(self, selection: Selection, groupe: str | None) -> Selecteur:
        actif = groupe or TOUT_LE_RESEAU
        choix = [
            Choix(libelle, self.url(selection, groupe=code), code == actif, code)
            for code, libelle in GROUPES_PROPOSES.items()
        ]
        return Selecteur("groupe", "Comparer à", choix)

    def donnees(self, contenu: ContenuReseau) -> dict[str, Any]:
        return to_dict(contenu.rapport)


def _pairs(page: Page, dossier: Path) -> list[IndicateursPartages]:
    """The peers' files; when unreadable, the board reads what is wrong and the folder's
    path or the file's name goes to the gestionnaire's folded block."""
    try:
        return lire_reseau(dossier)
    except ReseauIntrouvable as exc:
        page.details.append(en_phrase(str(exc)))
        probleme = "le dossier des indicateurs du réseau est introuvable sur cet ordinateur"
    except PairIllisible as exc:  # « pair-7.json : … »: the file's name keeps its case
        page.details.append(en_phrase(f"dans le dossier du réseau {dossier}, {exc}"))
        probleme = "un fichier d'indicateurs du réseau est illisible"
    raise RapportImpossible(probleme + RENVOI)


def _groupe(choisi: str | None, par_defaut: str | None) -> str | None:
    """The group compared with: the one chosen in the URL (« tous »: the whole network),
    else ``partage.reseau.groupe``."""
    if choisi == TOUT_LE_RESEAU:
        return None
    return choisi or par_defaut


def _exercice(source: Source, selection: Selection, couverts: set[str]) -> Any:
    """The exercice chosen; by default the latest the network's files cover."""
    if selection.exercice is None and selection.temps is None:
        for exercice in reversed(source.exercices):
            if exercice.code in couverts:
                return exercice
    return exercice_choisi(source, selection)
