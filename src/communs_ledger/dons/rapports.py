"""The donations' and memberships' figures as :class:`~communs_ledger.rapports.objets.Rapport`
objects: the register of receipts, the declaration figures, the members' fees."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..formatage import montant
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from .adhesions import Adhesions
from .recus import Declaration, RecusDeLExercice

TYPES = {
    "particulier": "Particuliers (art. 200 du CGI)",
    "entreprise": "Entreprises (art. 238 bis du CGI)",
}


def colonnes_des_recus(*, avec_type: bool) -> list[Colonne]:
    """The columns of a table of receipts (the donor's kind when ``avec_type``)."""
    type_ = [Colonne("type", "Type", Genre.TEXTE)] if avec_type else []
    return [
        Colonne("emis", "Émis le", Genre.DATE),
        Colonne("donateur", "Donateur", Genre.TEXTE),
        *type_,
        Colonne("montant", "Montant"),
        Colonne("statut", "Statut", Genre.TEXTE),
    ]


def lignes_des_recus(
    recus: RecusDeLExercice, colonnes: list[Colonne], *, a_emettre: bool
) -> list[Ligne]:
    """One row per receipt (those still to issue only when ``a_emettre``) and per
    cancelled one, by number; each row holds the values of ``colonnes`` only."""
    ids = {colonne.id for colonne in colonnes}

    def ligne(numero: str, valeurs: dict[str, Any]) -> Ligne:
        return Ligne(numero, {k: v for k, v in valeurs.items() if k in ids}, id=numero)

    lignes = [
        ligne(
            recu.numero,
            {
                "emis": recu.emis,
                "donateur": recu.donateur.nom,
                "type": recu.donateur.type,
                "montant": recu.montant,
                "statut": "émis" if not recu.nouveau else "à émettre",
            },
        )
        for recu in recus.recus
        if a_emettre or not recu.nouveau
    ]
    lignes += [
        ligne(
            annule.numero,
            {
                "emis": annule.emis,
                "donateur": recus.noms.get(annule.donateur, annule.donateur),
                "type": recus.types.get(annule.donateur),
                "montant": annule.montant,
                "statut": f"annulé le {annule.annule:%d/%m/%Y}",
            },
        )
        for annule in recus.annules
    ]
    lignes.sort(key=lambda ligne: ligne.libelle)
    return lignes


def sans_nom_et_total(
    lignes: list[Ligne], sans_nom: tuple[str, str, Decimal], total: tuple[str, Decimal]
) -> list[Ligne]:
    """``lignes`` (one per person), then the row of the amounts of no named person
    (``(libellé, id, montant)``, left out when nil), then the total row."""
    libelle, id_, somme = sans_nom
    if somme:
        lignes.append(Ligne(libelle, {"montant": somme}, id=id_))
    lignes.append(Ligne(total[0], {"montant": total[1]}, id="total", style=Style.TOTAL))
    return lignes


def build_rapport_registre(recus: RecusDeLExercice, association: str) -> Rapport:
    """Every receipt of the exercice, cancelled ones included."""
    colonnes = colonnes_des_recus(avec_type=True)
    lignes = lignes_des_recus(recus, colonnes, a_emettre=True)
    exercice = (
        recus.recus[0].exercice
        if recus.recus
        else (recus.annules[0].exercice if recus.annules else None)
    )
    return Rapport(
        "registre_des_recus",
        "Registre des reçus fiscaux",
        association,
        [Partie("recus", "Reçus", colonnes, lignes, onglet="Reçus")],
        exercice=exercice,
    )


def build_rapport_declaration(declaration: Declaration, association: str) -> Rapport:
    """Number of receipts and amount of the gifts they cover, by kind of donor."""
    colonnes = [Colonne("nombre", "Reçus", Genre.ENTIER), Colonne("montant", "Montant des dons")]
    lignes = [
        Ligne(TYPES[ligne.type], {"nombre": ligne.nombre, "montant": ligne.montant}, id=ligne.type)
        for ligne in declaration.lignes
    ]
    lignes.append(
        Ligne(
            "Total",
            {"nombre": declaration.nombre, "montant": declaration.montant},
            id="total",
            style=Style.TOTAL,
        )
    )
    notes = [f"Reçus annulés (non comptés) : {declaration.annules}"]
    if declaration.dons_sans_recu:
        notes.append(f"Dons de l'exercice sans reçu émis : {montant(declaration.dons_sans_recu)}")
    return Rapport(
        "declaration_des_dons",
        "Dons ayant donné lieu à reçu fiscal",
        association,
        [Partie("declaration", "Déclaration annuelle", colonnes, lignes, notes=notes)],
        exercice=declaration.exercice,
        totaux={"montant": {"total": declaration.montant}},
    )


SANS_ADHERENT_DESIGNE = (
    "Aucune cotisation ne désigne d'adhérent : le nombre d'adhérents à jour n'est pas connu. "
    "Pour suivre les adhérents un par un : un registre (communs.yaml, clé « adherents »), "
    "puis la métadonnée « adherent: CODE » ou le nom de l'adhérent en tiers sur chaque "
    "cotisation (docs/dons-et-recus.md)."
)


def build_rapport_adherents(adhesions: Adhesions, association: str) -> Rapport:
    """Fees by member: paid in the exercice, in the previous one, status; totals."""
    colonnes = [
        Colonne("adherent", "Adhérent", Genre.TEXTE),
        Colonne("montant", "Cotisation"),
        Colonne("date", "Payée le", Genre.DATE),
        Colonne("precedent", "Exercice précédent"),
        Colonne("statut", "Statut", Genre.TEXTE),
    ]
    lignes = [
        Ligne(
            a.nom,
            {
                "adherent": a.code,
                "montant": a.montant,
                "date": a.derniere,
                "precedent": a.montant_precedent,
                "statut": a.statut,
            },
            id=a.code,
        )
        for a in adhesions.adhesions
    ]
    sans_nom_et_total(
        lignes,
        ("Cotisations sans adhérent désigné", "sans_adherent", adhesions.sans_adherent),
        ("Total des cotisations", adhesions.total),
    )
    notes = [
        f"Adhérents à jour : {adhesions.a_jour} ; non renouvelés depuis l'exercice précédent : "
        f"{adhesions.non_renouveles}"
    ]
    if not adhesions.adhesions and adhesions.sans_adherent:
        # cotisations booked in bulk (a small club): « 0 à jour » would be a wrong count
        notes = [SANS_ADHERENT_DESIGNE]
    return Rapport(
        "adherents",
        "Cotisations des adhérents",
        association,
        [Partie("adherents", "Adhérents", colonnes, lignes, notes=notes, onglet="Adhérents")],
        exercice=adhesions.exercice,
        totaux={"montant": {"total": adhesions.total}},
    )
