"""Terminal layouts of the budget reports: the monthly budget vs réalisé one column per
month, and the budget lines' comments moved below the tables.

Nothing is computed here: the figures and texts are those of the report given.
"""

from __future__ import annotations

from dataclasses import replace

from ..budget.suivi import BUDGET_ANNUEL, COMMENTAIRE, REALISE
from ..dates import MOIS_COURTS
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style


def vue_mensuelle_compacte(rapport: Rapport) -> Rapport:
    """The monthly report laid out for a terminal: one column per month and a total,
    each row showing the actual, followed by a « budget » row; whole euros.

    No figure is computed here: values are those of ``rapport`` (rounded at display).
    """
    parties = []
    for partie in rapport.parties:
        months = [c.id.removesuffix("_budget") for c in partie.colonnes if c.id.endswith("_budget")]
        span_years = len({m[1:5] for m in months}) > 1
        colonnes = [Colonne(m, _mois_court(m, span_years), Genre.ENTIER) for m in months] + [
            Colonne("total", "Total", Genre.ENTIER)
        ]
        rows: list[Ligne] = []
        for ligne in partie.lignes:
            if ligne.style is Style.TITRE:
                rows.append(ligne)
                continue
            realise = {m: ligne.valeurs.get(f"{m}_realise") for m in months}
            realise["total"] = ligne.valeurs.get(REALISE)
            budget = {m: ligne.valeurs.get(f"{m}_budget") for m in months}
            budget["total"] = ligne.valeurs.get(BUDGET_ANNUEL)
            rows.append(
                Ligne(
                    ligne.libelle,
                    realise,
                    id=ligne.id,
                    code=ligne.code,
                    niveau=ligne.niveau,
                    style=ligne.style,
                    comptes=ligne.comptes,
                    statut=ligne.statut,
                )
            )
            if ligne.id is not None and ligne.id.startswith("hors_budget:"):
                continue  # no budget by definition
            rows.append(
                Ligne(
                    "budget",
                    budget,
                    id=f"{ligne.id}:budget" if ligne.id else None,
                    niveau=ligne.niveau + 1,
                    style=Style.DONT,
                )
            )
        parties.append(
            Partie(partie.id, partie.titre, colonnes, rows, list(partie.notes), partie.onglet)
        )
    notes = [
        *rapport.notes,
        "Affichage compact : pour chaque ligne, le réalisé de chaque mois puis, en dessous, "
        "son budget (« budget » ; aucun pour les lignes hors budget), arrondis à l'euro ; "
        "colonne Total : réalisé à date et budget annuel. Toutes les colonnes au centime avec "
        "--format xlsx, csv, json ou html.",
    ]
    return replace(
        rapport,
        parties=parties,
        totaux={},
        notes=notes,
        avertissements=list(rapport.avertissements),
        meta=dict(rapport.meta),
        graphiques=[],
    )


def _mois_court(cle: str, avec_annee: bool) -> str:
    year, month = int(cle[1:5]), int(cle[6:8])
    label = MOIS_COURTS[month - 1]
    return f"{label} {year % 100:02d}" if avec_annee else label


def commentaires_a_part(
    rapport: Rapport, colonne: str = COMMENTAIRE, intitule: str | None = "Commentaire"
) -> Rapport:
    """For a terminal: the « Commentaire » column of the budget lines moved to the notes
    of its part (« Commentaire, 6061 Eau et électricité : … »), so that the tables of
    amounts keep their width; any other text ``colonne`` likewise (without ``intitule``:
    « Fonds de roulement : … »). The figures and texts are those of ``rapport``."""
    parties: list[Partie] = []
    for partie in rapport.parties:
        if not any(c.id == colonne for c in partie.colonnes):
            parties.append(partie)
            continue
        rows, notes = [], list(partie.notes)
        for ligne in partie.lignes:
            texte = ligne.valeurs.get(colonne)
            if texte:
                label = f"{ligne.code} {ligne.libelle}" if ligne.code else ligne.libelle
                notes.append(f"{intitule}, {label} : {texte}" if intitule else f"{label} : {texte}")
            valeurs = {k: v for k, v in ligne.valeurs.items() if k != colonne}
            rows.append(replace(ligne, valeurs=valeurs))
        colonnes = [c for c in partie.colonnes if c.id != colonne]
        parties.append(replace(partie, colonnes=colonnes, lignes=rows, notes=notes))
    return replace(rapport, parties=parties)
