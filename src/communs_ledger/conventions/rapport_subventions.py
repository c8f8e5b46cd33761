"""``communs subventions`` as a :class:`Rapport` (parts « Conventions » and
« Échéances »): the figures of :func:`communs_ledger.conventions.subventions.compute_subventions`
with their French titles, notes and warnings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..analytique.cles import Cles
from ..exercices import Exercice, french_date
from ..formatage import montant
from ..rapports.entete import avertissements_devises
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, Valeur
from ..rapports.source import Source
from .emploi import hors_periode
from .fichier import Conventions
from .subventions import (
    EN_RETARD,
    EcheanceAVenir,
    LigneSubvention,
    SuiviSubventions,
    compute_subventions,
)

TOTAUX = {
    "montant": "total_accorde",
    "reconnu": "total_reconnu",
    "recu": "total_recu",
    "a_recevoir": "total_a_recevoir",
    "depense": "total_depense",
    "dont_reparti": "total_reparti",
    "reste": "total_reste_a_depenser",
}
"""Amount column → named total (:class:`SuiviSubventions` attribute)."""

_COLONNES = [
    Colonne("financeur", "Financeur", Genre.TEXTE),
    Colonne("projets", "Projet(s)", Genre.TEXTE),
    Colonne("montant", "Accordé"),
    Colonne("reconnu", "Reconnu (74)"),
    Colonne("recu", "Reçu"),
    Colonne("a_recevoir", "À recevoir (441)"),
    Colonne("depense", "Dépensé"),
    Colonne("dont_reparti", "dont charges réparties"),
    Colonne("reste", "Reste à dépenser"),
    Colonne("fin", "Fin", Genre.DATE),
    Colonne("compte_rendu", "Compte rendu", Genre.DATE),
    Colonne("etat", "État", Genre.TEXTE),
]
_COLONNES_ECHEANCES = [
    Colonne("date", "Date", Genre.DATE),
    Colonne("montant", "Montant attendu"),
    Colonne("etat", "État", Genre.TEXTE),
]


def _date_fr(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _ligne(line: LigneSubvention) -> Ligne:
    c = line.convention
    values: dict[str, Valeur] = {
        "financeur": c.financeur,
        "projets": ", ".join(c.projets) + (" (dédiée)" if c.dediee else "") or "—",
        "fin": c.fin,
        "montant": c.montant,
        "reconnu": line.reconnu,
        "recu": line.recu,
        "a_recevoir": line.a_recevoir,
        "depense": line.depense if line.suivie else None,
        "dont_reparti": line.dont_reparti if line.suivie else None,
        "reste": line.reste,
        "compte_rendu": c.compte_rendu,
        "etat": line.statut,
    }
    return Ligne(c.reference, values, id=f"convention:{c.reference}")


def _totaux(suivi: SuiviSubventions) -> dict[str, Decimal]:
    return {name: getattr(suivi, name) for name in TOTAUX.values()}


def _ligne_echeance(e: EcheanceAVenir) -> Ligne:
    return Ligne(
        f"{e.reference} — {e.libelle}",
        {"date": e.date, "montant": e.montant, "etat": e.etat},
        id=f"{e.nature}:{e.reference}:{e.date.isoformat()}:{e.libelle}",
        statut="alerte" if e.etat == EN_RETARD else None,
    )


def _notes(suivi: SuiviSubventions) -> list[str]:
    return [*_notes_generales(suivi), *_notes_reversements(suivi), *_notes_anterieures(suivi)]


def _notes_anterieures(suivi: SuiviSubventions) -> list[str]:
    references = sorted({e.reference for e in suivi.anterieures})
    if not references:
        return []
    return [
        "Échéances encore dues de conventions terminées avant l'exercice (hors du tableau "
        f"des conventions) : {', '.join(references)} ; leurs montants sont au suivi de leur "
        "exercice (--exercice)."
    ]


def _notes_reversements(suivi: SuiviSubventions) -> list[str]:
    """One note per convention partly repaid to its funder (« reversement »)."""
    return [
        f"{line.convention.reference} : {montant(line.reverse)} reversés au financeur "
        "(décaissement au débit de son compte de produits ou de créance) : le reçu est net "
        "du reversement, le reste à dépenser est calculé sur le montant accordé diminué du "
        "reversement, et un versement déjà reçu n'est plus attendu."
        for line in suivi.lignes
        if line.reverse > 0
    ]


def _notes_generales(suivi: SuiviSubventions) -> list[str]:
    return [
        f"Montants cumulés depuis le début du grand livre jusqu'au {french_date(suivi.au)} "
        + (
            "(date demandée par --au)."
            if suivi.au_demande
            else "(date de la dernière écriture du grand livre)."
        )
        + " Les échéances antérieures à cette date et non honorées sont « en retard ».",
        "Reconnu : produits de la convention (74, ou son compte) ; reçu : encaissements en "
        "trésorerie ; à recevoir : solde de sa créance (441) ; dépensé : charges éligibles de "
        "ses projets (ou portant « convention: ») et charges indirectes réparties par les clés "
        "de répartition ; reste à dépenser : accordé − dépensé, à zéro quand le projet a coûté "
        "plus que la subvention (cofinancement). « — » : subvention de fonctionnement, sans "
        "projet ni charge portant sa référence, dont l'emploi ne se suit pas par les dépenses.",
        "Versements reçus imputés aux échéances dans l'ordre de l'échéancier ; compte rendu "
        "financier attendu dans les six mois suivant la fin de l'exercice (loi 2000-321, "
        "art. 10) sauf date de la convention.",
    ]


def _avertissements(suivi: SuiviSubventions, source: Source, conventions: Conventions) -> list[str]:
    warnings = avertissements_devises(source)
    late = suivi.en_retard
    if late:
        warnings.append(
            f"{len(late)} échéance(s) en retard au {french_date(suivi.au)} : "
            + ", ".join(
                f"{e.reference} ({'compte rendu' if e.nature == 'compte_rendu' else e.libelle}, "
                f"{_date_fr(e.date)}"
                + (f", {montant(e.montant)}" if e.montant is not None else "")
                + ")"
                for e in late
            )
        )
    for line in suivi.lignes:
        outside = hors_periode(source, conventions, line.convention)
        if outside:
            warnings.append(outside)
    if not suivi.lignes:
        warnings.append(f"Aucune convention sur l'{suivi.exercice.libelle}.")
    return warnings


def build_rapport_subventions(
    suivi: SuiviSubventions, source: Source, conventions: Conventions
) -> Rapport:
    """The report of ``suivi`` (``source`` and ``conventions``: the warnings about
    postings outside a convention's period)."""
    totaux = _totaux(suivi)
    rows = [_ligne(line) for line in suivi.lignes]
    rows.append(
        Ligne(
            "Total",
            {key: totaux[name] for key, name in TOTAUX.items()},
            id="total",
            style=Style.TOTAL,
        )
    )
    exercice = suivi.exercice
    return Rapport(
        id="subventions",
        titre="Suivi des subventions",
        association=source.association,
        parties=[
            Partie("conventions", "Conventions", list(_COLONNES), rows, onglet="Conventions"),
            Partie(
                "echeances",
                "Prochaines échéances et retards",
                list(_COLONNES_ECHEANCES),
                [_ligne_echeance(e) for e in suivi.echeances],
                notes=["Versements attendus non reçus et comptes rendus non remis."],
                onglet="Échéances",
            ),
        ],
        sous_titre=(
            f"{exercice.libelle[0].upper()}{exercice.libelle[1:]} — situation au "
            f"{french_date(suivi.au)}"
        ),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux={"montant": totaux},
        notes=_notes(suivi),
        avertissements=_avertissements(suivi, source, conventions),
        meta={
            "au": suivi.au,
            "date_de_reference": "au" if suivi.au_demande else "derniere_ecriture",
        },
    )


def rapport_subventions(
    source: Source,
    conventions: Conventions,
    exercice: Exercice,
    au: datetime.date | None = None,
    cles: Cles | None = None,
) -> Rapport:
    """``communs subventions``: :func:`compute_subventions`, then the report."""
    suivi = compute_subventions(source, conventions, exercice, au, cles)
    return build_rapport_subventions(suivi, source, conventions)
