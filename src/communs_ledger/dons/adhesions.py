"""Membership fees by member (``communs adherents``): who paid in the exercice, who paid
the year before and has not renewed."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..conventions.financeurs import cle
from ..importation.personnes import cle_de_nom
from ..montants import ZERO
from ..sources import SourceError
from .collecte import Collecte, Cotisation
from .registres import RegistreDesTiers


@dataclass(frozen=True, slots=True)
class Adhesion:
    code: str
    nom: str
    montant: Decimal
    """Fees paid in the exercice."""
    derniere: datetime.date | None
    """Date of the last fee paid in the exercice."""
    montant_precedent: Decimal
    """Fees paid in the previous exercice."""

    @property
    def statut(self) -> str:
        if self.montant:
            return "à jour"
        return "non renouvelé" if self.montant_precedent else "sans cotisation"


@dataclass(frozen=True, slots=True)
class Adhesions:
    exercice: str
    adhesions: tuple[Adhesion, ...]
    sans_adherent: Decimal
    """756 credits of the exercice without ``adherent:``."""

    @property
    def total(self) -> Decimal:
        return sum((a.montant for a in self.adhesions), ZERO) + self.sans_adherent

    @property
    def a_jour(self) -> int:
        return sum(1 for a in self.adhesions if a.montant)

    @property
    def non_renouveles(self) -> int:
        return sum(1 for a in self.adhesions if a.statut == "non renouvelé")


def erreurs_des_adherents(
    cotisations: tuple[Cotisation, ...], adherents: RegistreDesTiers
) -> list[SourceError]:
    """A fee naming a member absent from the register (when one is declared)."""
    return [
        SourceError(
            c.location, f"adhérent « {c.adherent} » inconnu : absent du registre des adhérents"
        )
        for c in cotisations
        if c.adherent and adherents.declare and c.adherent not in adherents.fiches
    ]


def compute_adhesions(
    exercice: str, collecte: Collecte, precedente: Collecte, adherents: RegistreDesTiers
) -> Adhesions:
    """Fees by member of the register (and any member code met in the ledger). A fee
    without ``adherent:`` belongs to the member whose name is its payee, if any."""
    # The payee as a bank writes it (« MARTIN ALICE »): compared as the import rules do.
    par_nom = {cle_de_nom(fiche.nom): code for code, fiche in adherents.fiches.items()}

    def membre(cotisation: Cotisation) -> str | None:
        return cotisation.adherent or par_nom.get(cle_de_nom(cotisation.tiers or ""))

    paye: dict[str, list[Cotisation]] = defaultdict(list)
    sans = ZERO
    for cotisation in collecte.cotisations:
        code = membre(cotisation)
        if code:
            paye[code].append(cotisation)
        else:
            sans += cotisation.montant
    avant: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for cotisation in precedente.cotisations:
        code = membre(cotisation)
        if code:
            avant[code] += cotisation.montant
    codes = dict.fromkeys([*adherents.fiches, *sorted(paye), *sorted(avant)])
    lignes = []
    for code in codes:
        fiche = adherents.fiches.get(code)
        versements = paye.get(code, [])
        lignes.append(
            Adhesion(
                code,
                fiche.nom if fiche else code,
                sum((c.montant for c in versements), ZERO),
                max((c.date for c in versements), default=None),
                avant.get(code, ZERO),
            )
        )
    lignes.sort(key=lambda a: (cle(a.nom), a.code))
    return Adhesions(exercice, tuple(lignes), sans)
