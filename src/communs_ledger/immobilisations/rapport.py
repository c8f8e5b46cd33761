"""The register of an exercice and the depreciation plan of an asset, as reports.

``immobilisations``: one row per asset in the books during the exercice (valeur brute,
amortissements at the opening, dotation, reversal by disposals, amortissements at the
closing, VNC), a total, the entries still to write and, as warnings, the differences
between the register and the ledger's balances of the asset and depreciation accounts.
Named totals (column ``n``): ``brut``, ``amortissements_ouverture``, ``dotations``,
``reprises``, ``amortissements``, ``vnc``, ``a_passer``.

``plan_amortissement``: one row per exercice of the plan (days, dotation, cumul, VNC).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..exercices import Exercice, french_date
from ..fonds_dedies.ecritures import comptes_ouverts
from ..formatage import montant
from ..montants import ZERO
from ..rapports.entete import sous_titre
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from ..rapports.source import RapportImpossible, Source
from .calcul import JOURS_PAR_AN, SituationImmobilisation, plan_d_amortissement, situation
from .ecritures import (
    Comptabilise,
    EcritureImmobilisation,
    a_ecrire,
    comptabilise,
)
from .registre import Registre, noms_des_comptes, registre_du_grand_livre

METHODE = (
    "Amortissement linéaire, prorata temporis à compter de la date de mise en service, "
    f"sur l'année de {JOURS_PAR_AN} jours (mois de 30 jours) ; la dernière annuité reçoit "
    "l'écart d'arrondi. Une cession arrête l'amortissement à sa date (jour compris)."
)

_COLONNES = [
    Colonne("id", "Immobilisation", Genre.TEXTE),
    Colonne("mise_en_service", "Mise en service", Genre.DATE),
    Colonne("duree", "Durée (ans)", Genre.ENTIER),
    Colonne("brut", "Valeur brute"),
    Colonne("amortissements_ouverture", "Amort. à l'ouverture"),
    Colonne("dotation", "Dotation"),
    Colonne("reprise", "Reprise (cession)"),
    Colonne("amortissements", "Amort. à la clôture"),
    Colonne("vnc", "VNC"),
]


def registre_du_livre(source: Source) -> Registre:
    """The register declared in the config; RapportImpossible if none or invalid."""
    registre, errors = registre_du_grand_livre(source.context, source.entries)
    if errors:
        details = "\n".join(str(error) for error in errors[:10])
        raise RapportImpossible(f"le registre des immobilisations a des erreurs :\n{details}")
    if registre is None:
        raise RapportImpossible(
            "aucun registre des immobilisations : déclarez-le dans communs.yaml "
            "(immobilisations: immobilisations.yaml)" + _sans_immobilisation(source)
        )
    return registre


def _sans_immobilisation(source: Source) -> str:
    """When no class 2 account ever moved: the association has nothing to register (a
    small club), said instead of leaving it to wonder what to write in the file."""
    if any((m.code or "").startswith("2") for m in source.mouvements.liste):
        return ""
    return (
        ". Le grand livre ne porte aucune immobilisation (aucun mouvement des comptes de "
        "classe 2) : rien à déclarer tant que l'association n'achète pas de bien durable "
        "(voir docs/immobilisations.md) ; l'annexe des comptes annuels dit « Aucune "
        "immobilisation. »"
    )


@dataclass(frozen=True, slots=True)
class Immobilisations:
    """The register in one exercice: situations, what is booked, what is missing."""

    exercice: Exercice
    situations: list[SituationImmobilisation]
    comptabilise: dict[str, Comptabilise]
    a_passer: list[EcritureImmobilisation]

    def total(self, name: str) -> Decimal:
        return sum((getattr(s, name) for s in self.situations), ZERO)


def compute_immobilisations(source: Source, exercice: Exercice) -> Immobilisations:
    """The figures of the register for ``exercice`` (amounts at its closing)."""
    registre = registre_du_livre(source)
    calendrier = source.context.calendrier
    situations = [
        found
        for item in registre.immobilisations
        if (found := situation(item, exercice, calendrier)) is not None
    ]
    deja = comptabilise(registre, source.mouvements.entre(exercice.debut, exercice.fin))
    ouverts = comptes_ouverts(source.entries)
    missing = a_ecrire(situations, deja, exercice, ouverts, source.context.roots)
    return Immobilisations(exercice, situations, deja, missing)


def _row(s: SituationImmobilisation) -> Ligne:
    item = s.immobilisation
    libelle = item.libelle
    if s.cedee and item.cession is not None:
        libelle += f" (cédée le {french_date(item.cession.date)})"
    return Ligne(
        libelle,
        {
            "id": item.id,
            "mise_en_service": item.mise_en_service,
            "duree": item.duree,
            "brut": s.brut,
            "amortissements_ouverture": s.amortissements_ouverture,
            "dotation": s.dotation,
            "reprise": s.sortie_amortissements,
            "amortissements": s.amortissements,
            "vnc": s.vnc,
        },
        id=item.id,
        code=item.code,
        comptes=(item.compte, item.compte_amortissement),
    )


def _ecarts(source: Source, resultat: Immobilisations) -> list[str]:
    """Differences between the register and the ledger's balances at the closing."""
    attendu: dict[str, Decimal] = defaultdict(Decimal)
    for s in resultat.situations:
        attendu[s.immobilisation.compte] += s.brut
        attendu[s.immobilisation.compte_amortissement] -= s.amortissements
    solde: dict[str, Decimal] = defaultdict(Decimal)
    for mouvement in source.mouvements.entre(None, resultat.exercice.fin):
        if mouvement.account in attendu:
            solde[mouvement.account] += mouvement.montant
    return [
        f"{account} : solde du grand livre {montant(solde[account])}, registre "
        f"{montant(attendu[account])} au {french_date(resultat.exercice.fin)}"
        + (" (écritures d'amortissement à passer : --ecrire)" if resultat.a_passer else "")
        for account in sorted(attendu)
        if solde[account] != attendu[account]
    ]


def _entry_rows(items: list[EcritureImmobilisation]) -> list[Ligne]:
    rows = []
    for item in items:
        for rang, (account, amount) in enumerate(item.lignes):
            rows.append(
                Ligne(
                    item.libelle if rang == 0 else "",
                    {
                        "date": item.date,
                        "compte": account,
                        "debit": amount if amount > 0 else None,
                        "credit": -amount if amount < 0 else None,
                    },
                    niveau=2,
                )
            )
    return rows


def rapport_immobilisations(source: Source, exercice: Exercice) -> Rapport:
    """The register of ``exercice`` (see the module docstring)."""
    resultat = compute_immobilisations(source, exercice)
    totaux = {
        "brut": resultat.total("brut"),
        "amortissements_ouverture": resultat.total("amortissements_ouverture"),
        "dotations": resultat.total("dotation"),
        "reprises": resultat.total("sortie_amortissements"),
        "amortissements": resultat.total("amortissements"),
        "vnc": resultat.total("vnc"),
        "a_passer": sum((e.montant for e in resultat.a_passer), ZERO),
    }
    rows = [_row(s) for s in resultat.situations]
    if rows:
        valeurs: dict[str, Decimal | str | None] = {
            "brut": totaux["brut"],
            "amortissements_ouverture": totaux["amortissements_ouverture"],
            "dotation": totaux["dotations"],
            "reprise": totaux["reprises"],
            "amortissements": totaux["amortissements"],
            "vnc": totaux["vnc"],
        }
        rows.append(Ligne("Total", dict(valeurs), id="total", style=Style.TOTAL))
    partie = Partie("immobilisations", "Immobilisations", list(_COLONNES), rows, onglet="Registre")
    if not rows:
        partie.notes.append("Aucune immobilisation en service pendant l'exercice.")
    ecritures = Partie(
        "ecritures",
        "Écritures à passer",
        [
            Colonne("date", "Date", Genre.DATE),
            Colonne("compte", "Compte", Genre.TEXTE),
            Colonne("debit", "Débit"),
            Colonne("credit", "Crédit"),
        ],
        _entry_rows(resultat.a_passer),
        onglet="Ecritures",
    )
    if not resultat.a_passer:
        ecritures.notes.append("Aucune : les amortissements et cessions de l'exercice sont passés.")
    return Rapport(
        id="immobilisations",
        titre="Immobilisations et amortissements",
        association=source.association,
        parties=[partie, ecritures],
        sous_titre=sous_titre(exercice, exercice.fin),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux={"n": totaux},
        notes=[METHODE],
        avertissements=_ecarts(source, resultat),
    )


def rapport_plan(source: Source, identifiant: str) -> Rapport:
    """The depreciation plan of the asset ``identifiant``."""
    registre = registre_du_livre(source)
    item = registre.get(identifiant)
    if item is None:
        known = ", ".join(i.id for i in registre.immobilisations) or "aucune"
        raise RapportImpossible(
            f"immobilisation « {identifiant} » inconnue du registre (immobilisations : {known})"
        )
    plan = plan_d_amortissement(item, source.context.calendrier)
    rows = [
        Ligne(
            f"Exercice {annuite.exercice.code}",
            {
                "jours": annuite.jours,
                "dotation": annuite.dotation,
                "cumul": annuite.cumul,
                "vnc": annuite.vnc,
            },
            id=annuite.exercice.code,
        )
        for annuite in plan
    ]
    total = sum((annuite.dotation for annuite in plan), ZERO)
    rows.append(Ligne("Total", {"dotation": total}, id="total", style=Style.TOTAL))
    colonnes = [
        Colonne("jours", "Jours", Genre.ENTIER),
        Colonne("dotation", "Dotation"),
        Colonne("cumul", "Amortissements cumulés"),
        Colonne("vnc", "VNC"),
    ]
    details = [
        f"{item.libelle} ({item.id}), compte {item.code} : valeur d'origine "
        f"{montant(item.valeur_origine)}, mise en service le {french_date(item.mise_en_service)}, "
        f"{item.duree} ans.",
    ]
    if item.valeur_residuelle:
        details.append(f"Valeur résiduelle non amortie : {montant(item.valeur_residuelle)}.")
    if item.cession is not None:
        details.append(
            f"Cédée le {french_date(item.cession.date)} pour {montant(item.cession.prix)}."
        )
    return Rapport(
        id="plan_amortissement",
        titre=f"Plan d'amortissement : {item.libelle}",
        association=source.association,
        parties=[Partie("plan", "Plan d'amortissement", colonnes, rows, onglet="Plan")],
        sous_titre=f"{item.id} — base amortissable {montant(item.base)}",
        totaux={"n": {"dotations": total}},
        notes=[*details, METHODE],
    )


def connus(source: Source) -> set[str]:
    """The ledger's open accounts (for the ``open`` directives of the entries)."""
    return noms_des_comptes(source.entries)
