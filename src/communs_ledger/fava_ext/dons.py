"""Page « Dons et adhésions »: the donations and memberships of the chosen exercice —
by month, by donor (with the numbers of their receipts), by band of amount, the
receipts issued and cancelled, the declaration figures by kind of donor, and the
members' fees (paid, not renewed, totals). The figures of ``communs recus`` and
``communs adherents``.

Read only: the page issues no receipt and writes nothing. Donors' and members' names
are personal data shown to whoever may open this Fava; their addresses are never
shown (nor given by the page's ``donnees`` endpoint)."""

from __future__ import annotations

import datetime
from typing import Any

from ..dons.synthese import build_rapport_synthese_des_dons, compute_synthese_des_dons
from ..rapports.source import RapportImpossible
from ..rendu.en_json import to_dict
from ..rendu.textes import contexte
from .compte_de_resultat import ContenuRapport
from .etat import Etat
from .extension import Page, PageCommuns
from .selection import Selection
from .tableaux import tableau

ERREURS_AFFICHEES = 5


class DonsEtAdhesions(PageCommuns):
    """Dons par donateur, reçus fiscaux, déclaration annuelle, cotisations des adhérents."""

    report_title = "Dons et adhésions"
    guide_pratique = (
        "guide/modele-socio-economique",
        "Part des ressources propres",
        "D'où vient l'argent : cotisations et dons",
    )

    def construire(self, page: Page, etat: Etat, selection: Selection) -> ContenuRapport:
        source, exercice, _au = self.exercice_et_arrete(page, etat, selection)
        context = source.context
        precedent = context.calendrier.containing(exercice.debut - datetime.timedelta(days=1))
        synthese, errors = compute_synthese_des_dons(
            context.config, source.entries, exercice, precedent, datetime.date.today()
        )
        if synthese is None:
            listees = " ; ".join(str(e) for e in errors[:ERREURS_AFFICHEES])
            plus = f" ; … et {len(errors) - ERREURS_AFFICHEES} autre(s)" if len(errors) > 5 else ""
            raise RapportImpossible(
                f"les registres des donateurs, des adhérents ou des reçus ont {len(errors)} "
                f"erreur(s) à corriger (communs verifier) : {listees}{plus}"
            )
        rapport = build_rapport_synthese_des_dons(synthese, context.config.nom)
        page.sous_titre = contexte(rapport)
        return ContenuRapport(
            rapport, [tableau(p) for p in rapport.parties], self.url_donnees(selection)
        )

    def donnees(self, contenu: ContenuRapport) -> dict[str, Any]:
        return to_dict(contenu.rapport)
