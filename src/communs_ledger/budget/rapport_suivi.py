"""The budget vs réalisé as a :class:`Rapport`: titles, notes and tabs in French around
the figures of :func:`communs_ledger.budget.suivi.compute_suivi`.

Parts: charges, produits (chapters, then their lines and hors budget rows), the
contributions volontaires en nature, by project, and the résultat prévisionnel vs
réalisé. Line ids are listed in :mod:`communs_ledger.budget.suivi`. Nothing is
computed here but the gaps shown beside the amounts (:attr:`Montants.ecart`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..analytique.repartition import notes_de_repartition
from ..exercices import Exercice, french_date
from ..formatage import montant
from ..montants import ZERO
from ..plan import Chart, load_chart
from ..rapports.comptes import libelle_compte
from ..rapports.entete import avertissements_devises, sous_titre
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, Valeur, rapport_de
from ..rapports.source import Source
from .fichier import LigneBudget
from .suivi import (
    BUDGET_A_DATE,
    BUDGET_ANNUEL,
    COMMENTAIRE,
    ECART,
    ECART_PCT,
    EMPLOIS,
    PROJECTION,
    REALISE,
    REALISE_N1,
    RESSOURCES,
    Atterrissage,
    Mois,
    Montants,
    PosteBudget,
    ProjetSuivi,
    SectionSuivi,
    SuiviBudget,
    classe_de,
    compute_suivi,
    statuts_des_constats,
)

_LIBELLES = {
    BUDGET_ANNUEL: "Budget annuel",
    BUDGET_A_DATE: "Budget à date",
    REALISE: "Réalisé",
    ECART: "Écart",
    ECART_PCT: "Écart %",
    PROJECTION: "Projection du budget",
}
ATTERRISSAGE = "atterrissage"
DEFINITION_PROJECTION = (
    "Projection du budget = réalisé à date + budget restant (budget annuel − budget à "
    "date), ligne par ligne ; pour les charges, jamais inférieure au réalisé."
)
DEFINITION_ATTERRISSAGE = (
    "Atterrissage = réalisé à la dernière écriture + prévisions détaillées du reste de "
    "l'exercice (paie, conventions, flux, puis reste du budget des comptes qu'elles ne "
    "couvrent pas), scénario de base : « communs prevision atterrissage »."
)


@dataclass(frozen=True, slots=True)
class _Contexte:
    chart: Chart
    colonnes: list[Colonne]
    ids: list[str]  # ids of the columns shown
    mois: tuple[Mois, ...]


def _valeurs_affichees(montants: Montants, ctx: _Contexte) -> dict[str, Valeur]:
    valeurs = montants.valeurs(ctx.mois)
    shown: dict[str, Valeur] = {}
    for colonne in ctx.ids:
        if colonne == ECART:
            shown[ECART] = montants.ecart
        elif colonne == ECART_PCT:
            shown[ECART_PCT] = montants.ecart_pct
        elif colonne == COMMENTAIRE:
            continue  # text of the budget line (_ligne_de_poste)
        else:
            shown[colonne] = valeurs.get(colonne)
    return shown


def libelle_du_chapitre(chart: Chart, code: str) -> str:
    """The label of a chapter (or of a code without own label: its nearest account's)."""
    found = chart.get(code) or chart.nearest(code)
    return found.libelle if found is not None else code


def _libelle_ligne(chart: Chart, ligne: LigneBudget) -> str:
    label = ligne.libelle or libelle_du_chapitre(chart, ligne.compte)
    return f"{label} — projet {ligne.projet}" if ligne.projet else label


def _ligne_de_poste(poste: PosteBudget, ctx: _Contexte) -> Ligne:
    if poste.ligne is not None:
        label = _libelle_ligne(ctx.chart, poste.ligne)
    else:
        assert poste.account is not None
        # the chart's label, and the account's own words in French (« Région »)
        label = f"{libelle_compte(ctx.chart, poste.account, accents=True)} (hors budget)"
    valeurs = _valeurs_affichees(poste.montants, ctx)
    if COMMENTAIRE in ctx.ids and poste.ligne is not None and poste.ligne.commentaire:
        valeurs[COMMENTAIRE] = poste.ligne.commentaire
    return Ligne(
        libelle=label,
        valeurs=valeurs,
        id=poste.id,
        code=poste.code,
        niveau=2,
        comptes=poste.comptes,
        statut=poste.statut,
    )


def _rows(section: SectionSuivi, ctx: _Contexte) -> list[Ligne]:
    """Chapter rows, each followed by its lines and hors budget rows."""
    rows: list[Ligne] = []
    for chapitre in section.chapitres:
        rows.append(
            Ligne(
                libelle=libelle_du_chapitre(ctx.chart, chapitre.code),
                valeurs=_valeurs_affichees(chapitre.total, ctx),
                id=f"chapitre:{chapitre.code}",
                code=chapitre.code,
                style=Style.SOUS_TOTAL,
                comptes=chapitre.comptes,
            )
        )
        rows.extend(_ligne_de_poste(p, ctx) for p in chapitre.postes)
    return rows


def _total_row(id_: str, libelle: str, montants: Montants, ctx: _Contexte) -> Ligne:
    return Ligne(libelle, _valeurs_affichees(montants, ctx), id=id_, style=Style.TOTAL)


def _colonnes(suivi: SuiviBudget) -> list[Colonne]:
    """The columns shown; with the réalisé N-1, after the réalisé."""
    if not suivi.mensuel:
        shown = [BUDGET_ANNUEL, BUDGET_A_DATE, REALISE, ECART, ECART_PCT, PROJECTION]
        colonnes = [
            Colonne(c, _LIBELLES[c], Genre.POURCENTAGE if c == ECART_PCT else Genre.MONTANT)
            for c in shown
        ]
        if suivi.jour_n1 is not None:
            label = f"Réalisé N-1 au {suivi.jour_n1.strftime('%d/%m/%Y')}"
            colonnes.insert(3, Colonne(REALISE_N1, label))
        if any(line.commentaire for line in suivi.version.lignes):
            colonnes.append(Colonne(COMMENTAIRE, "Commentaire", Genre.TEXTE))
        return colonnes
    colonnes = []
    for month in suivi.mois:
        colonnes.append(Colonne(month.budget, f"{month.nom} budget"))
        colonnes.append(Colonne(month.realise, f"{month.nom} réalisé"))
    colonnes.append(Colonne(BUDGET_ANNUEL, "Budget annuel"))
    colonnes.append(Colonne(REALISE, "Réalisé"))
    return colonnes


def _partie_resultat(suivi: SuiviBudget, ctx: _Contexte) -> Partie:
    """Produits, charges and résultat in the report's columns; beside the projection of
    the budget, the atterrissage when there is one: two end-of-exercice estimates, each
    under its own name."""
    colonnes = list(ctx.colonnes)
    rows = [
        Ligne("Produits", _valeurs_affichees(suivi.produits.total, ctx), id="resultat_produits"),
        Ligne("Charges", _valeurs_affichees(suivi.charges.total, ctx), id="resultat_charges"),
        Ligne(
            "Résultat (produits − charges)",
            _valeurs_affichees(suivi.resultat, ctx),
            id="resultat",
            style=Style.TOTAL,
        ),
    ]
    notes: list[str] = []
    atterrissage = suivi.atterrissage
    if not suivi.mensuel:
        notes = [
            f"{DEFINITION_PROJECTION} Réalisé au {suivi.au.strftime('%d/%m/%Y')}.",
            DEFINITION_ATTERRISSAGE,
        ]
        if isinstance(atterrissage, Atterrissage):
            colonnes.append(Colonne(ATTERRISSAGE, "Atterrissage"))
            rows[0].valeurs[ATTERRISSAGE] = atterrissage.produits
            rows[1].valeurs[ATTERRISSAGE] = atterrissage.charges
            rows[2].valeurs[ATTERRISSAGE] = atterrissage.resultat
            notes[1] += f" Réalisé au {atterrissage.fin_realise.strftime('%d/%m/%Y')}."
        elif isinstance(atterrissage, str):
            notes[1] = f"Atterrissage non montré : {atterrissage}."
        else:
            notes.pop()
    return Partie(
        "resultat",
        "Résultat prévisionnel et réalisé",
        colonnes,
        rows,
        notes=notes,
        onglet="Résultat",
    )


def _lignes_du_projet(projet: ProjetSuivi, ctx: _Contexte) -> list[Ligne]:
    group = projet.projet
    prefix = f"projet:{group}" if group else "sans_projet"
    title = f"{group} — {projet.nom}" if group else "Sans projet"
    return [
        Ligne(title, {}, id=prefix, style=Style.TITRE),
        Ligne(
            "Produits",
            _valeurs_affichees(projet.produits, ctx),
            id=f"{prefix}:produits",
            niveau=2,
        ),
        Ligne(
            "Charges",
            _valeurs_affichees(projet.charges, ctx),
            id=f"{prefix}:charges",
            niveau=2,
        ),
        Ligne(
            "Résultat" if group is None else "Résultat du projet",
            _valeurs_affichees(projet.resultat, ctx),
            id=f"{prefix}:resultat",
            niveau=2,
            style=Style.SOUS_TOTAL,
        ),
    ]


def _partie_projets(suivi: SuiviBudget, ctx: _Contexte) -> Partie:
    """Per project, then without project: they add up to the report's totals."""
    rows = [row for projet in suivi.projets for row in _lignes_du_projet(projet, ctx)]
    return Partie(
        "par_projet",
        "Par projet",
        ctx.colonnes,
        rows,
        notes=[
            "Projet : ses lignes de budget et ses écritures directes (métadonnée « projet: »), "
            "y compris sur des comptes qu'aucune ligne du projet ne couvre ; sans répartition "
            "des charges indirectes. « Sans projet » : lignes et écritures sans projet. Les "
            "projets et « Sans projet » s'additionnent aux totaux du rapport."
        ],
        onglet="Par projet",
    )


def _partie_contributions(
    emplois: SectionSuivi, ressources: SectionSuivi, ctx: _Contexte
) -> Partie:
    rows: list[Ligne] = []
    for section, id_, libelle in (
        (emplois, "contributions_volontaires_emplois", "Total des emplois (86)"),
        (ressources, "contributions_volontaires_ressources", "Total des ressources (87)"),
    ):
        rows.extend(_rows(section, ctx))
        rows.append(_total_row(id_, libelle, section.total, ctx))
    return Partie(
        "contributions_volontaires",
        "Contributions volontaires en nature",
        ctx.colonnes,
        rows,
        notes=[
            "Hors résultat. Dans le grand livre, emplois (86) et ressources (87) "
            "s'équilibrent sur l'exercice."
        ],
        onglet="Contributions en nature",
    )


def _notes(suivi: SuiviBudget) -> list[str]:
    version, day = suivi.version, suivi.au
    notes = [
        f"Budget : version « {version.nom} » ({version.code}) du {french_date(version.date)}.",
        f"Budget à date : part du budget annuel échue au {french_date(day)} selon le profil "
        "mensuel de chaque ligne, la période en cours au prorata des jours.",
        f"Réalisé : écritures du {french_date(suivi.exercice.debut)} au {french_date(day)}. "
        "Une ligne couvre les comptes dont le numéro commence par le sien ; la ligne au "
        "numéro le plus long l'emporte et, à numéro égal, la ligne du projet de l'écriture. "
        "Montants positifs dans leur sens naturel (charges au débit, produits au crédit).",
        "Écart = réalisé − budget à date, en euros et en % de la valeur absolue du budget "
        "à date : positif, une charge dépasse son budget, un produit ou un résultat dépasse "
        "sa prévision.",
        "Projection du budget (de fin d'exercice) = réalisé + budget restant (budget annuel "
        "− budget à date) ; pour les charges, jamais inférieure au réalisé (une dépense "
        "faite reste faite). À ne pas confondre avec l'atterrissage, qui prend les "
        "prévisions détaillées (voir le résultat prévisionnel).",
        "Hors budget : comptes mouvementés qu'aucune ligne du budget ne couvre (budget 0).",
    ]
    if suivi.en_cours:
        notes.append(
            f"Exercice en cours : arrêté au {french_date(day)}, date de la dernière écriture "
            "(option --au pour une autre date)."
        )
    projet = suivi.projet
    if projet is not None and suivi.repartition is None:
        notes.append(
            f"Projet {projet} : lignes du budget de ce projet et écritures directes du projet "
            f"(métadonnée « projet: {projet} »), sans répartition des charges indirectes."
        )
    if statuts_des_constats(suivi.constats):
        notes.append(
            f"Statut : règles du budget (communs.yaml, clé budget.regles) au {french_date(day)} "
            "— alerte : charges au-delà du seuil de dépassement ; à surveiller : produits en "
            "retard ou ligne sans réalisé. Le détail est dans les avertissements."
        )
    if suivi.mensuel:
        notes.append(
            "Budget du mois : échéances du profil de chaque ligne tombant dans le mois ; "
            "réalisé du mois : écritures du mois (jusqu'à la date d'arrêté)."
        )
    return notes


def _note_n1(precedent: Exercice | None, jour: datetime.date | None) -> list[str]:
    if precedent is None or jour is None:
        return []
    return [
        f"Réalisé N-1 : écritures de l'{precedent.libelle} jusqu'au {french_date(jour)}, "
        "même date un an plus tôt, rattachées aux lignes du budget choisi (comptes sans "
        "ligne : hors budget)."
    ]


def _notes_de_repartition(repartition: Any, projet: str | None) -> list[str]:
    """With allocated indirect costs: the note replacing « sans répartition », and one
    note per key used."""
    if repartition is None or projet is None:
        return []
    return [
        f"Réalisé du projet {projet} avec sa part des charges indirectes réparties par les "
        "clés de répartition (écritures non modifiées ; arrondi au centime par la méthode du "
        "plus fort reste) ; « --sans-repartition » : charges directes seules. Le budget du "
        "projet ne compte que ses lignes.",
        *notes_de_repartition(repartition, projet),
    ]


def _avertissements(source: Source, suivi: SuiviBudget) -> list[str]:
    version, lignes = suivi.version, suivi.lignes
    warnings = []
    if suivi.projet is not None and not lignes:
        warnings.append(
            f"Aucune ligne du budget « {version.code} » pour le projet {suivi.projet} : tout "
            "son réalisé est hors budget."
        )
    emplois = sum((line.montant for line in lignes if classe_de(line.compte) == EMPLOIS), ZERO)
    ressources = sum(
        (line.montant for line in lignes if classe_de(line.compte) == RESSOURCES), ZERO
    )
    if emplois != ressources:
        warnings.append(
            f"Budget « {version.code} » : contributions volontaires en nature déséquilibrées, "
            f"emplois (86) {montant(emplois)} pour des ressources (87) de "
            f"{montant(ressources)} ; elles s'équilibrent dans les comptes."
        )
    warnings.extend(constat.message for constat in suivi.constats)
    warnings.extend(avertissements_devises(source))
    return warnings


def _parties(suivi: SuiviBudget, ctx: _Contexte) -> list[Partie]:
    charges_rows = _rows(suivi.charges, ctx)
    charges_rows.append(_total_row("total_charges", "Total des charges", suivi.charges.total, ctx))
    produits_rows = _rows(suivi.produits, ctx)
    produits_rows.append(
        _total_row("total_produits", "Total des produits", suivi.produits.total, ctx)
    )
    parties = [
        Partie("charges", "Charges", ctx.colonnes, charges_rows, onglet="Charges"),
        Partie("produits", "Produits", ctx.colonnes, produits_rows, onglet="Produits"),
    ]
    if suivi.emplois is not None and suivi.ressources is not None:
        parties.append(_partie_contributions(suivi.emplois, suivi.ressources, ctx))
    if suivi.projets:
        parties.append(_partie_projets(suivi, ctx))
    parties.append(_partie_resultat(suivi, ctx))
    return parties


def _totaux(suivi: SuiviBudget, ctx: _Contexte) -> dict[str, dict[str, Decimal]]:
    """Named totals by amount column."""
    named: dict[str, Montants] = {
        "total_charges": suivi.charges.total,
        "total_produits": suivi.produits.total,
    }
    if suivi.emplois is not None and suivi.ressources is not None:
        named["contributions_volontaires_emplois"] = suivi.emplois.total
        named["contributions_volontaires_ressources"] = suivi.ressources.total
    named["resultat"] = suivi.resultat
    shown = {name: _valeurs_affichees(montants, ctx) for name, montants in named.items()}
    return {
        colonne.id: {
            name: value
            for name, valeurs in shown.items()
            if isinstance(value := valeurs.get(colonne.id), Decimal)
        }
        for colonne in ctx.colonnes
        if colonne.genre is Genre.MONTANT
    }


def _precision(source: Source, suivi: SuiviBudget) -> str:
    precision = f"budget « {suivi.version.nom} » ({suivi.version.code})"
    if suivi.projet is not None:
        precision += f", projet {suivi.projet} ({source.nom_projet(suivi.projet)})"
        if suivi.avec_repartition:
            precision += ", avec charges indirectes réparties"
    return precision


def build_rapport_suivi(suivi: SuiviBudget, source: Source) -> Rapport:
    """The budget vs réalisé report of ``suivi`` (``source``: the association's name,
    its projects' names, the currency warning)."""
    colonnes = _colonnes(suivi)
    ctx = _Contexte(
        load_chart(suivi.exercice.version),
        colonnes,
        [c.id for c in colonnes],
        suivi.mois,
    )
    exercice, day, atterrissage = suivi.exercice, suivi.au, suivi.atterrissage
    return Rapport(
        id="budget_vs_realise",
        titre="Budget vs réalisé mensuel" if suivi.mensuel else "Budget vs réalisé",
        association=source.association,
        parties=_parties(suivi, ctx),
        sous_titre=sous_titre(exercice, day, _precision(source, suivi)),
        exercice=exercice.code,
        periode=(exercice.debut, day),
        totaux=_totaux(suivi, ctx),
        notes=_notes(suivi)
        + _notes_de_repartition(suivi.repartition, suivi.projet)
        + _note_n1(suivi.precedent, suivi.jour_n1),
        avertissements=_avertissements(source, suivi),
        meta={
            "version": suivi.version.code,
            "version_nom": suivi.version.nom,
            "version_date": suivi.version.date,
            "au": day,
            "exercice_en_cours": suivi.en_cours,
            "projet": suivi.projet,
            "repartition": suivi.avec_repartition,
            "mensuel": suivi.mensuel,
            "plan": exercice.version,
            "atterrissage": atterrissage.fin_realise
            if isinstance(atterrissage, Atterrissage)
            else None,
        },
    )


budget_vs_realise = rapport_de(
    compute_suivi,
    build_rapport_suivi,
    """The budget vs réalisé report of ``exercice`` (:func:`compute_suivi`, then
    :func:`build_rapport_suivi`).""",
)
