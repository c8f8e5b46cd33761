"""The importer: a statement and a ledger in, the directives to add out.

:class:`ImporteurReleve` is a beangulp importer (``identify``, ``account``,
``date``, ``extract``, ``deduplicate``), so an association can also list it in
a beangulp import script. ``communs importer`` calls :func:`preparer`, which
does the same steps and keeps what the user is told: duplicates with their
reason, lines left for review, the balance check.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import beangulp
from beangulp.extract import DUPLICATE

from ..formatage import montant
from .doublons import Doublon, IndexDoublons
from .ecritures import (
    CLE_A_REVOIR,
    EcritureImportee,
    controle_solde,
    emplacement,
    marquer_doublon_possible,
    open_directive,
    texte_directives,
    transaction_de_l_operation,
)
from .lecture import Progression, lire_releve
from .modele import ErreurImport, Releve
from .profils import ProfilNomme
from .regles import RegleCompilee, categoriser


@dataclass
class Parametres:
    """What an import needs besides the statement."""

    compte: str  # the bank account of the ledger
    regles: list[RegleCompilee]
    compte_attente: str
    ouvrir_attente: datetime.date | None = None  # open the suspense account on this day
    ecart: int = 5  # days between a statement's date and the ledger's, for duplicates
    dossier: Path | None = None  # the ledger's folder: where entries are named from


@dataclass
class PlanImport:
    """What an import adds, and what it skips."""

    releve: Releve
    parametres: Parametres
    ecritures: list[EcritureImportee] = field(default_factory=list)
    doublons: list[Doublon] = field(default_factory=list)
    ouverture: Any | None = None
    solde: Any | None = None
    solde_message: str = ""  # why the statement's balance is not asserted (or "")

    @property
    def a_revoir(self) -> list[EcritureImportee]:
        return [e for e in self.ecritures if e.categorie is None]

    @property
    def personnes_a_revoir(self) -> list[EcritureImportee]:
        """Entries whose donor or member, read on the statement, names nobody."""
        return [e for e in self.ecritures if e.categorie is not None and e.categorie.a_revoir]

    @property
    def doublons_possibles(self) -> list[EcritureImportee]:
        return [e for e in self.ecritures if e.doublon_possible]

    @property
    def vide(self) -> bool:
        return not self.ecritures and self.solde is None

    def directives(self) -> list[Any]:
        result: list[Any] = [self.ouverture] if self.ouverture is not None else []
        result += [e.transaction for e in self.ecritures]
        if self.solde is not None:
            result.append(self.solde)
        return result

    def texte(self) -> str:
        origine = self.releve.solde.origine if self.releve.solde else ""
        note = f" ({origine})" if origine else ""
        return texte_directives(self.ecritures, self.releve, self.ouverture, self.solde, note)


def preparer(
    releve: Releve,
    existantes: list[Any],
    parametres: Parametres,
    progression: Callable[[int], None] | None = None,
) -> PlanImport:
    """Categorise every operation, set aside those already in the ledger, check the balance."""
    plan = PlanImport(releve, parametres)
    index = IndexDoublons.construire(
        existantes,
        parametres.compte,
        releve.cle_reference,
        parametres.ecart,
        parametres.compte_attente,
    )
    operations = sorted(releve.operations, key=lambda op: (op.date, op.ligne))
    for position, operation in enumerate(operations, start=1):
        categorie = categoriser(operation, parametres.regles)
        entry = transaction_de_l_operation(
            operation, categorie, parametres.compte, parametres.compte_attente, releve
        )
        doublon = index.chercher(operation, entry)
        if doublon is not None:
            plan.doublons.append(doublon)
        else:
            possible = index.candidat(operation)
            ou = emplacement(possible, parametres.dossier) if possible is not None else None
            if ou is not None:
                entry = marquer_doublon_possible(entry, ou)
            plan.ecritures.append(EcritureImportee(operation, categorie, entry, ou))
        if progression is not None:
            progression(position)
    if plan.a_revoir and parametres.ouvrir_attente is not None:
        plan.ouverture = open_directive(parametres.compte_attente, parametres.ouvrir_attente)
    _controler_solde(plan, existantes)
    return plan


def _controler_solde(plan: PlanImport, existantes: list[Any]) -> None:
    """Assert the statement's balance if the ledger, with the new entries, agrees."""
    from beancount.core import data

    solde = plan.releve.solde
    if solde is None:
        return
    compte = plan.parametres.compte
    for entry in existantes:
        if isinstance(entry, data.Balance) and entry.account == compte and entry.date == solde.date:
            if entry.amount.number == solde.montant:
                plan.solde_message = "déjà présent dans le grand livre"
            else:
                plan.solde_message = (
                    f"le grand livre en a déjà un à cette date ({montant(entry.amount.number)})"
                )
            return
    total = Decimal(0)
    for entry in existantes:
        if isinstance(entry, data.Transaction) and entry.date < solde.date:
            for posting in entry.postings:
                if posting.account == compte and posting.units is not None:
                    total += posting.units.number or 0
    for ecriture in plan.ecritures:
        if ecriture.operation.date < solde.date:
            total += ecriture.operation.montant
    if total != solde.montant:
        plan.solde_message = (
            f"solde du relevé {montant(solde.montant)}, solde du grand livre "
            f"{montant(total)} : écart de {montant(solde.montant - total)} à rapprocher"
        )
        return
    plan.solde = controle_solde(compte, solde.date, solde.montant)


class ImporteurReleve(beangulp.Importer):
    """A beangulp importer for CSV (bank profiles), XLSX, OFX, camt.053 and CFONB 120
    statements."""

    def __init__(
        self,
        parametres: Parametres,
        profils: list[ProfilNomme],
        profil: str | None = None,
        progression: Progression | None = None,
    ) -> None:
        self.parametres = parametres
        self.profils = profils
        self.profil = profil
        self.progression = progression
        self._releves: dict[str, Releve] = {}

    @property
    def name(self) -> str:
        return "communs_ledger.importation.ImporteurReleve"

    def lire(self, filepath: str) -> Releve:
        """The statement (read once; keyed as the transactions' ``filename`` metadata)."""
        key = str(Path(filepath))
        if key not in self._releves:
            self._releves[key] = lire_releve(Path(key), self.profils, self.profil, self.progression)
        return self._releves[key]

    def identify(self, filepath: str) -> bool:
        try:
            self.lire(filepath)
        except ErreurImport:
            return False
        return True

    def account(self, filepath: str) -> str:
        return self.parametres.compte

    def date(self, filepath: str) -> datetime.date | None:
        return self.lire(filepath).derniere_date

    def extract(self, filepath: str, existing: list[Any]) -> list[Any]:
        """Every operation as a transaction (duplicates are marked by :meth:`deduplicate`),
        and the statement's balance when it gives one."""
        releve = self.lire(filepath)
        parametres = self.parametres
        entries: list[Any] = []
        for operation in releve.operations:
            categorie = categoriser(operation, parametres.regles)
            entries.append(
                transaction_de_l_operation(
                    operation, categorie, parametres.compte, parametres.compte_attente, releve
                )
            )
        if releve.solde is not None:
            entries.append(
                controle_solde(parametres.compte, releve.solde.date, releve.solde.montant)
            )
        return entries

    def deduplicate(self, entries: list[Any], existing: list[Any]) -> None:
        """Mark (beangulp's ``__duplicate__`` metadata) what the ledger already has."""
        from beancount.core import data

        by_file: dict[str, IndexDoublons] = {}
        for entry in entries:
            if not isinstance(entry, data.Transaction):
                continue
            filename = entry.meta.get("filename", "")
            releve = self._releves.get(filename)
            if releve is None:
                continue
            index = by_file.get(filename)
            if index is None:
                index = by_file[filename] = IndexDoublons.construire(
                    existing,
                    self.parametres.compte,
                    releve.cle_reference,
                    self.parametres.ecart,
                    self.parametres.compte_attente,
                )
            operation = next(
                (op for op in releve.operations if op.ligne == entry.meta.get("lineno")), None
            )
            if operation is None:
                continue
            doublon = index.chercher(operation, entry)
            if doublon is not None:
                entry.meta[DUPLICATE] = doublon.existante
                continue
            possible = index.candidat(operation)
            if possible is not None:  # the flag cannot change in place: the note says it
                note = f"doublon possible de {emplacement(possible, self.parametres.dossier)}"
                deja = entry.meta.get(CLE_A_REVOIR)
                entry.meta[CLE_A_REVOIR] = f"{deja} ; {note}" if deja else note
