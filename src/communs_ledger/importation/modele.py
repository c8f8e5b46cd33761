"""What a statement holds once read, whatever its format: dated operations with amounts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path


class ErreurImport(Exception):
    """A problem with the statement, the rules or the target (French message, exit 1)."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


@dataclass(frozen=True, slots=True)
class Operation:
    """One line of a statement. ``montant`` is signed: positive when money comes in."""

    ligne: int  # line of the statement where the operation starts (1-based)
    date: datetime.date
    montant: Decimal
    libelle: str
    tiers: str | None = None
    reference: str | None = None
    date_valeur: datetime.date | None = None
    solde: Decimal | None = None  # balance after the operation, when the bank gives it
    libelle_court: str | None = None  # the bank's short label, when it also gives a detailed one


@dataclass(frozen=True, slots=True)
class SoldeReleve:
    """The balance a statement states: ``montant`` at the start of day ``date``."""

    date: datetime.date
    montant: Decimal
    origine: str  # "colonne Solde", "LEDGERBAL"…


FORMATS = {"ofx": "OFX", "camt053": "camt.053", "cfonb120": "CFONB 120"}


@dataclass
class Releve:
    """A statement read from a file."""

    chemin: Path
    format: str  # "csv", "xlsx", "ofx", "camt053" or "cfonb120"
    operations: list[Operation]
    cle_reference: str = "ref_banque"  # metadata key of the bank reference (fitid for OFX)
    profil: str | None = None  # profile name (CSV/XLSX)
    profil_nom: str | None = None  # its display name
    profil_detecte: bool = False
    meme_disposition: list[str] = field(default_factory=list)  # other profiles matching
    encodage: str | None = None
    solde: SoldeReleve | None = None
    lignes_ignorees: int = 0  # zero amounts
    avertissements: list[str] = field(default_factory=list)

    @property
    def nom_format(self) -> str:
        """The format as users know it (CSV and XLSX are named by their profile)."""
        return FORMATS.get(self.format, self.format.upper())

    @property
    def premiere_date(self) -> datetime.date | None:
        return min((op.date for op in self.operations), default=None)

    @property
    def derniere_date(self) -> datetime.date | None:
        return max((op.date for op in self.operations), default=None)


def releve_des_operations(
    chemin: Path,
    format: str,
    operations: list[Operation],
    vide: str,
    *,
    cle_reference: str,
    encodage: str | None = None,
    solde: SoldeReleve | None = None,
) -> Releve:
    """The statement of the ``operations`` with an amount: those of zero are counted in
    ``lignes_ignorees``; :class:`ErreurImport` with message ``vide`` when none is left."""
    kept = [op for op in operations if op.montant != 0]
    if not kept:
        raise ErreurImport(vide)
    return Releve(
        chemin,
        format,
        kept,
        cle_reference=cle_reference,
        encodage=encodage,
        solde=solde,
        lignes_ignorees=len(operations) - len(kept),
    )
