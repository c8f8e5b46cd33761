"""The donations and memberships of an exercice at a glance (Fava's « Dons et adhésions »
page): gifts and fees by month, gifts by donor with the numbers of their receipts,
donors by band of amount, the receipts issued and cancelled, the declaration figures and
the members' fees.

The figures are those of ``communs recus`` and ``communs adherents`` (the same
functions); donors' addresses are never part of it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..config import Config
from ..dates import Mois, month_label, month_of, months_from_to
from ..exercices import Exercice
from ..formatage import montant
from ..montants import ZERO
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from ..sources import SourceError
from .adhesions import Adhesions, compute_adhesions
from .collecte import Collecte, collecter
from .rapports import (
    build_rapport_adherents,
    build_rapport_declaration,
    colonnes_des_recus,
    lignes_des_recus,
    sans_nom_et_total,
)
from .recus import Declaration, RecusDeLExercice, compute_declaration, preparer_recus
from .registres import (
    RegistreDesTiers,
    charger_adherents,
    charger_donateurs,
    charger_recus,
    chemin_des_recus,
)
from .reglages import recus_fiscaux

TRANCHES: tuple[tuple[Decimal, Decimal | None], ...] = (
    (Decimal(0), Decimal(100)),
    (Decimal(100), Decimal(500)),
    (Decimal(500), Decimal(2000)),
    (Decimal(2000), None),
)
"""Bands of a donor's total in the exercice: [bas, haut[ (the last one open)."""


def recus_de_l_exercice(
    config: Config,
    entries: list[Any],
    exercice: Exercice,
    annuel: bool,
    aujourdhui: datetime.date,
) -> tuple[Collecte, RecusDeLExercice | None, list[SourceError]]:
    """The gifts of ``exercice`` and its receipts (issued, and those a run of ``communs
    recus`` on ``aujourdhui`` would issue); with any error, no receipts and the errors."""
    collecte = collecter(entries, exercice.debut, exercice.fin)
    donateurs, errors = charger_donateurs(config)
    emis, errors_emis = charger_recus(chemin_des_recus(config))
    plan = None
    if not errors and not errors_emis:
        decale = exercice.fin if exercice.debut.year != exercice.fin.year else None
        plan, errors = preparer_recus(
            collecte, donateurs, emis, exercice.code, annuel, aujourdhui, decale
        )
    return collecte, plan, [*errors, *errors_emis]


@dataclass(frozen=True, slots=True)
class DonsDuDonateur:
    code: str
    nom: str
    type: str
    nombre: int
    montant: Decimal
    recus: tuple[str, ...]
    """Numbers of the receipts issued (not cancelled) for these gifts."""


@dataclass(frozen=True, slots=True)
class Tranche:
    bas: Decimal
    haut: Decimal | None
    donateurs: int
    montant: Decimal

    @property
    def libelle(self) -> str:
        if self.haut is None:
            return f"{montant(self.bas)} et plus"
        if not self.bas:
            return f"Moins de {montant(self.haut)}"
        return f"De {montant(self.bas)} à moins de {montant(self.haut)}"


@dataclass(frozen=True, slots=True)
class SyntheseDesDons:
    exercice: str
    par_mois: tuple[tuple[Mois, Decimal, Decimal], ...]
    """(month, gifts, fees) of each month of the exercice."""
    donateurs: tuple[DonsDuDonateur, ...]
    tranches: tuple[Tranche, ...]
    dons_anonymes: Decimal
    recus: RecusDeLExercice | None
    """None when the association has not declared it may issue receipts."""
    declaration: Declaration | None
    adhesions: Adhesions

    @property
    def total_dons(self) -> Decimal:
        return sum((d.montant for d in self.donateurs), ZERO) + self.dons_anonymes


def _par_mois(exercice: Exercice, collecte: Collecte) -> tuple[tuple[Mois, Decimal, Decimal], ...]:
    dons: dict[Mois, Decimal] = defaultdict(lambda: ZERO)
    cotisations: dict[Mois, Decimal] = defaultdict(lambda: ZERO)
    for don in collecte.dons:
        dons[month_of(don.date)] += don.montant
    for cotisation in collecte.cotisations:
        cotisations[month_of(cotisation.date)] += cotisation.montant
    for day, somme in collecte.anonymes:
        dons[month_of(day)] += somme
    mois = months_from_to(month_of(exercice.debut), month_of(exercice.fin))
    return tuple((m, dons[m], cotisations[m]) for m in mois)


def _donateurs(
    collecte: Collecte, donateurs: RegistreDesTiers, recus: RecusDeLExercice | None
) -> tuple[DonsDuDonateur, ...]:
    numeros: dict[str, list[str]] = defaultdict(list)
    for recu in recus.recus if recus is not None else ():
        if not recu.nouveau:
            numeros[recu.donateur.code].append(recu.numero)
    dons: dict[str, list[Decimal]] = defaultdict(list)
    for don in collecte.dons:
        dons[don.donateur].append(don.montant)
    lignes = []
    for code, montants in dons.items():
        fiche = donateurs.fiches.get(code)
        lignes.append(
            DonsDuDonateur(
                code,
                fiche.nom if fiche else code,
                fiche.type if fiche else "particulier",
                len(montants),
                sum(montants, ZERO),
                tuple(numeros.get(code, ())),
            )
        )
    lignes.sort(key=lambda d: (-d.montant, d.nom))
    return tuple(lignes)


def _tranches(donateurs: tuple[DonsDuDonateur, ...]) -> tuple[Tranche, ...]:
    result = []
    for bas, haut in TRANCHES:
        dedans = [d for d in donateurs if d.montant >= bas and (haut is None or d.montant < haut)]
        result.append(Tranche(bas, haut, len(dedans), sum((d.montant for d in dedans), ZERO)))
    return tuple(result)


def compute_synthese_des_dons(
    config: Config,
    entries: list[Any],
    exercice: Exercice,
    precedent: Exercice,
    aujourdhui: datetime.date,
) -> tuple[SyntheseDesDons | None, list[SourceError]]:
    """The synthesis of ``exercice`` (``precedent``: the exercice members renew from), or
    None and the errors of the registers and receipts (those of ``communs verifier``)."""
    fiscal = recus_fiscaux(config)
    annuel = fiscal is not None and fiscal.regroupement == "annuel"
    collecte, recus, errors = recus_de_l_exercice(config, entries, exercice, annuel, aujourdhui)
    donateurs, _ = charger_donateurs(config)
    adherents, errors_adherents = charger_adherents(config)
    errors += errors_adherents
    if fiscal is None:
        recus = None
    if errors:
        return None, errors
    precedente = collecter(entries, precedent.debut, precedent.fin)
    lignes = _donateurs(collecte, donateurs, recus)
    return SyntheseDesDons(
        exercice.code,
        _par_mois(exercice, collecte),
        lignes,
        _tranches(lignes),
        collecte.dons_anonymes,
        recus,
        compute_declaration(recus, collecte, exercice.code) if recus is not None else None,
        compute_adhesions(exercice.code, collecte, precedente, adherents),
    ), []


def _partie_mois(synthese: SyntheseDesDons) -> Partie:
    colonnes = [Colonne("dons", "Dons"), Colonne("cotisations", "Cotisations")]
    lignes = [
        Ligne(
            month_label(mois),
            {"dons": dons, "cotisations": cotisations},
            id=f"{mois[0]}-{mois[1]:02d}",
        )
        for mois, dons, cotisations in synthese.par_mois
    ]
    lignes.append(
        Ligne(
            "Total",
            {"dons": synthese.total_dons, "cotisations": synthese.adhesions.total},
            id="total",
            style=Style.TOTAL,
        )
    )
    return Partie("mois", "Dons et cotisations par mois", colonnes, lignes, onglet="Par mois")


def _partie_donateurs(synthese: SyntheseDesDons) -> Partie:
    colonnes = [
        Colonne("type", "Type", Genre.TEXTE),
        Colonne("nombre", "Dons", Genre.ENTIER),
        Colonne("montant", "Montant"),
        Colonne("recus", "Reçus émis", Genre.TEXTE),
    ]
    lignes = [
        Ligne(
            d.nom,
            {"type": d.type, "nombre": d.nombre, "montant": d.montant, "recus": ", ".join(d.recus)},
            id=d.code,
        )
        for d in synthese.donateurs
    ]
    sans_nom_et_total(
        lignes,
        ("Dons sans donateur désigné (pas de reçu possible)", "anonymes", synthese.dons_anonymes),
        ("Total des dons", synthese.total_dons),
    )
    return Partie("donateurs", "Dons par donateur", colonnes, lignes, onglet="Donateurs")


def _partie_tranches(synthese: SyntheseDesDons) -> Partie:
    colonnes = [Colonne("donateurs", "Donateurs", Genre.ENTIER), Colonne("montant", "Montant")]
    lignes = [
        Ligne(t.libelle, {"donateurs": t.donateurs, "montant": t.montant}, id=f"tranche-{i + 1}")
        for i, t in enumerate(synthese.tranches)
    ]
    notes = ["Total des dons de l'exercice de chaque donateur désigné."]
    return Partie("tranches", "Donateurs par tranche de dons", colonnes, lignes, notes, "Tranches")


def _partie_recus(recus: RecusDeLExercice) -> Partie:
    colonnes = colonnes_des_recus(avec_type=False)
    lignes = lignes_des_recus(recus, colonnes, a_emettre=False)
    a_emettre = recus.nouveaux
    notes = []
    if a_emettre:
        somme = sum((r.montant for r in a_emettre), ZERO)
        notes.append(
            f"Reçus à émettre (dons sans reçu, « communs recus ») : {len(a_emettre)}, "
            f"pour {montant(somme)}."
        )
    return Partie("recus", "Reçus fiscaux émis et annulés", colonnes, lignes, notes, "Reçus")


def build_rapport_synthese_des_dons(synthese: SyntheseDesDons, association: str) -> Rapport:
    """The synthesis as a report: by month, by donor, by band, receipts, declaration,
    members."""
    parties = [_partie_mois(synthese), _partie_donateurs(synthese), _partie_tranches(synthese)]
    notes = []
    if synthese.recus is not None and synthese.declaration is not None:
        parties.append(_partie_recus(synthese.recus))
        parties += build_rapport_declaration(synthese.declaration, association).parties
    else:
        notes.append(
            "L'association n'a pas déclaré pouvoir émettre des reçus fiscaux (section "
            "« recus_fiscaux: » de communs.yaml) : pas de reçus ni de déclaration."
        )
    parties += build_rapport_adherents(synthese.adhesions, association).parties
    return Rapport(
        "dons_et_adhesions",
        "Dons et adhésions",
        association,
        parties,
        exercice=synthese.exercice,
        notes=notes,
        totaux={
            "dons": {"total": synthese.total_dons},
            "cotisations": {"total": synthese.adhesions.total},
        },
    )
