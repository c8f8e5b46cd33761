"""What the ledger holds of the register, and the entries still to write.

An entry belongs to an asset when its transaction says ``immobilisation: "ID"``, or,
without that metadata, when it moves a depreciation account that only this asset uses
(entries written by hand before the register). Of an asset's entries in an exercice:

- a *disposal* (sortie) credits its asset account: written once;
- every other movement of its depreciation account is *dotation* (credits positive).

Only the difference between the plan and what is booked is written (a correcting
dotation, negative when too much was booked), so writing twice writes nothing new::

    2025-12-31 * "Dotation aux amortissements 2025 : Vélo cargo (VELO)"
      immobilisation: "VELO"
      Charges:68-Dotations:6811-Dotations-aux-amortissements      900.00 EUR
      Actif:28-Amortissements:28182-Amortissements-velo          -900.00 EUR

    2027-06-30 * "Cession : Vélo cargo (VELO)"
      immobilisation: "VELO"
      Actif:28-Amortissements:28182-Amortissements-velo          2100.00 EUR
      Charges:67-Charges-exceptionnelles:6752-…                  1500.00 EUR
      Actif:21-Immobilisations-corporelles:2182-Velo            -3600.00 EUR
      Actif:46-Debiteurs-et-crediteurs-divers:462-…              1000.00 EUR
      Produits:77-Produits-exceptionnels:7752-…                 -1000.00 EUR

The sale price goes to the receivable on disposals (462), settled when the buyer
pays; a scrapping (``prix: 0``) has no price lines.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..exercices import Exercice
from ..fonds_dedies.ecritures import nom_de_compte
from ..montants import ZERO
from ..mouvements import Mouvement
from ..plan import comptes_des_immobilisations
from ..texte_beancount import Transaction, texte_des_transactions
from .calcul import SituationImmobilisation
from .registre import META_KEY, Immobilisation, Registre


@dataclass
class Comptabilise:
    """What the ledger holds of one asset in one exercice."""

    dotation: Decimal = ZERO
    sortie: bool = False
    ecritures: list[Any] = field(default_factory=list)


def _proprietaire(mouvement: Mouvement, registre: Registre, dediees: dict[str, str]) -> str | None:
    meta = mouvement.entry.meta or {}
    value = meta.get(META_KEY)
    if value is not None:
        return str(value) if registre.get(str(value)) is not None else None
    return dediees.get(mouvement.account)


def comptabilise(registre: Registre, mouvements: Iterable[Mouvement]) -> dict[str, Comptabilise]:
    """What the ledger holds of each asset in ``mouvements`` (one exercice's)."""
    dediees = registre.dediees()
    by_entry: dict[tuple[int, str], tuple[Any, str]] = {}
    result: dict[str, Comptabilise] = {item.id: Comptabilise() for item in registre.immobilisations}
    comptes = {item.id: item for item in registre.immobilisations}
    for mouvement in mouvements:
        owner = _proprietaire(mouvement, registre, dediees)
        if owner is None:
            continue
        # One hand-written entry may depreciate several assets, each on its own account.
        by_entry.setdefault((id(mouvement.entry), owner), (mouvement.entry, owner))
    for entry, owner in by_entry.values():
        item = comptes[owner]
        found = result[owner]
        found.ecritures.append(entry)
        if any(p.account == item.compte and p.units.number < 0 for p in entry.postings):
            found.sortie = True
            continue
        for posting in entry.postings:
            if posting.account == item.compte_amortissement:
                found.dotation -= posting.units.number
    return result


@dataclass(frozen=True, slots=True)
class EcritureImmobilisation:
    """One entry to write: its postings (account, amount; debit positive)."""

    date: datetime.date
    libelle: str
    immobilisation: str
    lignes: tuple[tuple[str, Decimal], ...]

    @property
    def montant(self) -> Decimal:
        """The total of its debits."""
        return sum((amount for _account, amount in self.lignes if amount > 0), ZERO)

    @property
    def transaction(self) -> Transaction:
        """The entry as the Beancount transaction to write."""
        return Transaction(self.date, self.libelle, ((META_KEY, self.immobilisation),), self.lignes)


class _Comptes:
    """The accounts of the entries: open in the ledger, else to be opened."""

    def __init__(self, ouverts: dict[str, str], version: str, roots: dict[str, str]) -> None:
        self.ouverts = ouverts
        self.version = version
        self.roots = roots
        self.comptes = comptes_des_immobilisations(version)

    def premier(self, candidats: tuple[str, ...]) -> str:
        for code in candidats:
            if code in self.ouverts:
                return self.ouverts[code]
        return nom_de_compte(candidats[0], self.version, self.roots)


def _dotation(
    item: Immobilisation,
    montant: Decimal,
    date: datetime.date,
    comptes: _Comptes,
    exercice: Exercice,
) -> EcritureImmobilisation:
    charge = comptes.premier(comptes.comptes.dotation[item.classe])
    return EcritureImmobilisation(
        date,
        f"Dotation aux amortissements {exercice.code} : {item.libelle} ({item.id})",
        item.id,
        ((charge, montant), (item.compte_amortissement, -montant)),
    )


def _sortie(s: SituationImmobilisation, comptes: _Comptes) -> EcritureImmobilisation:
    item = s.immobilisation
    assert item.cession is not None
    lignes: list[tuple[str, Decimal]] = []
    if s.sortie_amortissements:
        lignes.append((item.compte_amortissement, s.sortie_amortissements))
    if s.valeur_cedee:
        lignes.append((comptes.premier(comptes.comptes.valeur_cedee[item.classe]), s.valeur_cedee))
    lignes.append((item.compte, -s.sortie_brut))
    if item.cession.prix:
        lignes.append((comptes.premier(comptes.comptes.creance_cession), item.cession.prix))
        produit = comptes.premier(comptes.comptes.produit_cession[item.classe])
        lignes.append((produit, -item.cession.prix))
    quoi = "Cession" if item.cession.prix else "Mise au rebut"
    return EcritureImmobilisation(
        item.cession.date, f"{quoi} : {item.libelle} ({item.id})", item.id, tuple(lignes)
    )


def a_ecrire(
    situations: list[SituationImmobilisation],
    deja: dict[str, Comptabilise],
    exercice: Exercice,
    ouverts: dict[str, str],
    roots: dict[str, str],
) -> list[EcritureImmobilisation]:
    """The entries still missing for ``exercice``: dotation differences, then disposals."""
    comptes = _Comptes(ouverts, exercice.version, roots)
    result: list[EcritureImmobilisation] = []
    for s in situations:
        item = s.immobilisation
        booked = deja.get(item.id, Comptabilise())
        ecart = s.dotation - booked.dotation
        if ecart:
            date = item.cession.date if s.cedee and item.cession else exercice.fin
            result.append(_dotation(item, ecart, date, comptes, exercice))
        if s.cedee and not booked.sortie:
            result.append(_sortie(s, comptes))
    return result


def texte_des_dotations_et_cessions(
    items: list[EcritureImmobilisation], known: set[str], devise: str = "EUR"
) -> str:
    """The Beancount text of the entries, with ``open`` directives (dated the first entry)
    for the accounts not in ``known`` (the ledger's open accounts)."""
    premier = min((item.date for item in items), default=None)
    transactions = [item.transaction for item in items]
    return texte_des_transactions(transactions, known, devise, ouverture=premier)
