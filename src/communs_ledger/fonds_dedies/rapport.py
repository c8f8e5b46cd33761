"""The fonds dédiés report: computation by convention, entries to book.

Two parts: ``fonds`` (one row per dedicated convention: fonds at opening,
resource of the exercice, emploi, utilisation, report, fonds at closing, what
is booked and what is left to book) and ``ecritures`` (the entries still
missing, account by account). Named totals (column ``n``): ``ouverture``,
``utilisations``, ``reports``, ``cloture``, ``a_passer``.
"""

from __future__ import annotations

from ..codes import parse_account
from ..conventions.emploi import avertissement_repartition
from ..exercices import Exercice, french_date
from ..montants import ZERO
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from ..rapports.source import Source
from ..sources import display_path
from .calcul import (
    FondsDedie,
    calculer,
    conventions_du_livre,
    fonds_sans_emploi,
    sans_convention,
)
from .ecritures import EcritureFondsDedies, comptes_ouverts, ecritures

_COLONNES = [
    Colonne("convention", "Convention", Genre.TEXTE),
    Colonne("projets", "Projet(s)", Genre.TEXTE),
    Colonne("compte", "Fonds", Genre.TEXTE),
    Colonne("ouverture", "Fonds à l'ouverture"),
    Colonne("ressource", "Ressource de l'exercice"),
    Colonne("emploi", "Emploi de l'exercice"),
    Colonne("utilisation", "Utilisation (789)"),
    Colonne("report", "Report (689)"),
    Colonne("cloture", "Fonds à la clôture"),
    Colonne("depassement", "Non couvert"),
    Colonne("passe", "Déjà passé"),
    Colonne("a_passer", "À passer"),
]

NOTES = [
    "Utilisation = min(fonds à l'ouverture, emploi) : les fonds reportés des exercices "
    "précédents sont utilisés en premier (compte 19x → 789x).",
    "Report = ressource de l'exercice − (emploi − utilisation), jamais négatif : la part "
    "non utilisée à la clôture est reportée en fonds dédiés (689x → 19x). Les charges "
    "au-delà des ressources dédiées (« non couvert ») sont financées par les autres "
    "ressources de l'association.",
    "Emploi : charges éligibles directes du projet (ou portant la référence de la "
    "convention), sans les reports en fonds dédiés (689) ni les contributions en nature "
    "(86) ; les charges indirectes réparties par les clés de répartition ne comptent "
    "que pour les conventions qui les prennent en charge (frais_indirects: true dans le "
    "fichier des conventions), comme dans le suivi des subventions, le compte rendu "
    "financier et la clôture.",
    "Seules les conventions dédiées (dediee: true) sont concernées : ressources affectées "
    "par le financeur à un projet défini (règlement ANC 2018-06, art. 132-1 et 132-2).",
]


def _row(item: FondsDedie) -> Ligne:
    passe = item.utilisation_passee + item.report_passe
    a_passer = item.utilisation_a_passer + item.report_a_passer
    return Ligne(
        item.objet,
        {
            "convention": item.reference,
            "projets": ", ".join(item.projets),
            "compte": item.famille.fonds,
            "ouverture": item.ouverture,
            "ressource": item.ressource,
            "emploi": item.emploi,
            "utilisation": item.utilisation,
            "report": item.report,
            "cloture": item.cloture,
            "depassement": item.depassement,
            "passe": passe,
            "a_passer": a_passer,
        },
        id=item.reference,
        statut="ok" if item.a_jour else "alerte",
    )


def _entry_rows(items: list[EcritureFondsDedies]) -> list[Ligne]:
    rows = []
    for item in items:
        for account, debit, credit in (
            (item.debit, item.montant, None),
            (item.credit, None, item.montant),
        ):
            rows.append(
                Ligne(
                    item.libelle,
                    {
                        "date": item.date,
                        "convention": item.reference,
                        "compte": account,
                        "debit": debit,
                        "credit": credit,
                    },
                    code=parse_account(account).code,
                )
            )
    return rows


def rapport_fonds_dedies(
    source: Source, exercice: Exercice, repartition: bool | None = None
) -> Rapport:
    """The fonds dédiés of ``exercice`` and the entries still to book."""
    conventions = conventions_du_livre(source)
    fonds = calculer(source, conventions, exercice, repartition)
    ouverts = comptes_ouverts(source.entries)
    a_passer = ecritures(fonds, exercice, ouverts, source.context.roots)
    rows = [_row(item) for item in fonds]
    totals = {
        "ouverture": sum((f.ouverture for f in fonds), ZERO),
        "utilisations": sum((f.utilisation for f in fonds), ZERO),
        "reports": sum((f.report for f in fonds), ZERO),
        "cloture": sum((f.cloture for f in fonds), ZERO),
        "a_passer": sum((abs(e.montant) for e in a_passer), ZERO),
    }
    if rows:
        rows.append(
            Ligne(
                "Total",
                {
                    "ouverture": totals["ouverture"],
                    "utilisation": totals["utilisations"],
                    "report": totals["reports"],
                    "cloture": totals["cloture"],
                },
                id="total",
                style=Style.TOTAL,
            )
        )
    partie = Partie("fonds", "Fonds dédiés par convention", list(_COLONNES), rows, onglet="Fonds")
    if not fonds:
        partie.notes.append("Aucune convention dédiée concernée par cet exercice.")
    ecritures_partie = Partie(
        "ecritures",
        "Écritures à passer",
        [
            Colonne("date", "Date", Genre.DATE),
            Colonne("convention", "Convention", Genre.TEXTE),
            Colonne("compte", "Compte", Genre.TEXTE),
            Colonne("debit", "Débit"),
            Colonne("credit", "Crédit"),
        ],
        _entry_rows(a_passer),
        onglet="Ecritures",
    )
    if not a_passer:
        ecritures_partie.notes.append(
            "Aucune : les écritures de fonds dédiés de l'exercice sont déjà passées."
            if fonds
            else "Aucune."
        )
    avertissements = [
        f"{display_path(entry.meta.get('filename', '?'))}:{entry.meta.get('lineno', 0)} : "
        f"écriture de fonds dédiés sans convention connue (métadonnée « convention: »), "
        "non comptée"
        for entry in sans_convention(source, conventions, exercice)
    ]
    avertissements.extend(fonds_sans_emploi(fonds, exercice))
    if repartition is not None:
        differ = [c for c in conventions if c.dediee and c.frais_indirects != repartition]
        if differ:
            avertissements.append(avertissement_repartition(repartition, differ))
    return Rapport(
        avertissements=avertissements,
        id="fonds_dedies",
        titre="Fonds dédiés",
        association=source.association,
        parties=[partie, ecritures_partie],
        sous_titre=f"{exercice.libelle[0].upper()}{exercice.libelle[1:]}, clôture au "
        f"{french_date(exercice.fin)}",
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux={"n": totals},
        notes=list(NOTES),
    )


def a_passer(
    source: Source, exercice: Exercice, repartition: bool | None = None
) -> tuple[list[FondsDedie], list[EcritureFondsDedies]]:
    """The computed fonds dédiés and the entries still to book (for ``cloture``)."""
    conventions = conventions_du_livre(source)
    fonds = calculer(source, conventions, exercice, repartition)
    return fonds, ecritures(fonds, exercice, comptes_ouverts(source.entries), source.context.roots)
