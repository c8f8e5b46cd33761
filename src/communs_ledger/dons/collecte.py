"""Gifts (754x) and membership fees (756x) read from the ledger, with who gave.

A gift is a credit on a 754 account (dons manuels, mécénat…) of a transaction whose
metadata (or the posting's) says ``donateur: CODE``; the metadata also tell::

    2026-03-05 * "Marie Durand" "Don"
      donateur: "DURAND-M"
      paiement: "cheque"             # cheque | virement | especes | carte | prelevement
      Actif:51-Banques:512-Banques:Compte-courant     150.00 EUR
      Produits:75-Autres-produits:754-Dons:7541-Dons-manuels  -150.00 EUR

    2026-04-30 * "Marie Durand" "Abandon de frais de déplacement (avril)"
      donateur: "DURAND-M"
      nature: "abandon_frais"        # numeraire (default) | abandon_frais | nature
      Charges:62-Autres-services-exterieurs:625-Deplacements:6251-Voyages   84.00 EUR
      Produits:75-Autres-produits:754-Dons:7541-Dons-manuels               -84.00 EUR

A don en nature adds ``valorisation: "…"`` (what was given and how it was valued). A fee
is a credit on a 756 account with ``adherent: CODE`` (or, without it, whose payee is the
name of a member of the register).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from beancount.core import data

from ..codes import account_code
from ..montants import ZERO
from ..sources import Location, SourceError, display_path

Nature = Literal["numeraire", "abandon_frais", "nature"]
NATURES: tuple[str, ...] = ("numeraire", "abandon_frais", "nature")
PAIEMENTS: tuple[str, ...] = ("cheque", "virement", "especes", "carte", "prelevement")
PREFIXE_DONS = "754"
PREFIXE_COTISATIONS = "756"


@dataclass(frozen=True, slots=True)
class Don:
    """One gift: a credit on 754 by a donor."""

    date: datetime.date
    donateur: str
    montant: Decimal
    nature: str
    paiement: str | None
    valorisation: str | None
    rang: int
    """Order of this gift among the donor's gifts of the same day (from 1)."""
    location: Location

    @property
    def cle(self) -> str:
        return f"{self.date.isoformat()}/{self.donateur}/{self.rang}"


@dataclass(frozen=True, slots=True)
class Cotisation:
    date: datetime.date
    adherent: str | None
    montant: Decimal
    location: Location
    tiers: str | None
    """The transaction's payee: names the member when ``adherent:`` is absent."""


def _meta(entry: Any, posting: Any, key: str) -> str | None:
    for meta in (posting.meta, entry.meta):
        value = (meta or {}).get(key)
        if value is not None:
            return str(value).strip()
    return None


def _location(entry: Any, noms: dict[str, str]) -> Location:
    """Where the entry is written; ``noms`` caches the displayed file names (a display
    resolves the path: once per file, not per entry)."""
    filename = entry.meta.get("filename", "?")
    if filename not in noms:
        noms[filename] = display_path(filename)
    return Location(noms[filename], entry.meta.get("lineno", 0))


def _paiement(entry: data.Transaction, posting: Any) -> str | None:
    declared = _meta(entry, posting, "paiement")
    if declared:
        return declared
    codes = [account_code(p.account) or "" for p in entry.postings]
    if any(code.startswith("53") for code in codes):
        return "especes"
    return None


def _verifier(don: Don, errors: list[SourceError]) -> None:
    quoi = f"don de {don.donateur} du {don.date.strftime('%d/%m/%Y')}"
    if don.nature not in NATURES:
        errors.append(
            SourceError(
                don.location,
                f"{quoi} : nature « {don.nature} » inconnue (valeurs possibles : "
                f"{', '.join(NATURES)})",
            )
        )
    elif don.nature == "nature" and not don.valorisation:
        errors.append(
            SourceError(
                don.location,
                f"{quoi} : un don en nature indique sa valorisation (métadonnée "
                "« valorisation: » : ce qui a été donné et comment il a été évalué)",
            )
        )
    if don.paiement is not None and don.paiement not in PAIEMENTS:
        errors.append(
            SourceError(
                don.location,
                f"{quoi} : mode de paiement « {don.paiement} » inconnu (valeurs possibles : "
                f"{', '.join(PAIEMENTS)})",
            )
        )


@dataclass(frozen=True, slots=True)
class Collecte:
    dons: tuple[Don, ...]
    dons_anonymes: Decimal
    """754 credits without a ``donateur:`` (no receipt possible)."""
    cotisations: tuple[Cotisation, ...]
    erreurs: tuple[SourceError, ...]
    anonymes: tuple[tuple[datetime.date, Decimal], ...] = ()
    """(date, amount) of each 754 credit without a ``donateur:``."""


def _credits(entry: data.Transaction, prefix: str) -> list[tuple[Any, Decimal]]:
    found = []
    for posting in entry.postings:
        if prefix not in posting.account:  # cheap test first: most postings are not 75x
            continue
        code = account_code(posting.account) or ""
        if code.startswith(prefix) and posting.units is not None and posting.units.number:
            found.append((posting, -posting.units.number))
    return found


def collecter(entries: list[Any], debut: datetime.date, fin: datetime.date) -> Collecte:
    """Gifts and fees of the period ``debut``–``fin`` (forecasts excluded), and the
    metadata errors of the gifts (unknown nature, payment, missing valuation)."""
    dons: list[Don] = []
    cotisations: list[Cotisation] = []
    anonymes = ZERO
    sans_nom: list[tuple[datetime.date, Decimal]] = []
    errors: list[SourceError] = []
    rangs: dict[tuple[datetime.date, str], int] = defaultdict(int)
    noms: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction) or not debut <= entry.date <= fin:
            continue
        if "prevision" in (entry.tags or ()):
            continue
        for posting, amount in _credits(entry, PREFIXE_DONS):
            donateur = _meta(entry, posting, "donateur")
            if not donateur:
                anonymes += amount
                sans_nom.append((entry.date, amount))
                continue
            rangs[entry.date, donateur] += 1
            don = Don(
                entry.date,
                donateur,
                amount,
                _meta(entry, posting, "nature") or "numeraire",
                _paiement(entry, posting),
                _meta(entry, posting, "valorisation"),
                rangs[entry.date, donateur],
                _location(entry, noms),
            )
            _verifier(don, errors)
            dons.append(don)
        for posting, amount in _credits(entry, PREFIXE_COTISATIONS):
            adherent = _meta(entry, posting, "adherent")
            cotisations.append(
                Cotisation(entry.date, adherent, amount, _location(entry, noms), entry.payee)
            )
    return Collecte(tuple(dons), anonymes, tuple(cotisations), tuple(errors), tuple(sans_nom))


def donateurs_sans_don(entries: list[Any]) -> list[tuple[Location, str, bool]]:
    """``donateur:`` metadata that names no gift: on a transaction without any 754 credit,
    or on a posting that is not a 754 credit. (location, code, on a fee 756) of each: no
    receipt comes out of them, which the writer probably expected."""
    found: list[tuple[Location, str, bool]] = []
    noms: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction) or "prevision" in (entry.tags or ()):
            continue
        gifts = {id(posting) for posting, _amount in _credits(entry, PREFIXE_DONS)}
        fees = bool(_credits(entry, PREFIXE_COTISATIONS))
        code = (entry.meta or {}).get("donateur")
        if code is not None and not gifts:
            found.append((_location(entry, noms), str(code), fees))
        for posting in entry.postings:
            code = (posting.meta or {}).get("donateur")
            if code is not None and id(posting) not in gifts:
                on_fee = (account_code(posting.account) or "").startswith(PREFIXE_COTISATIONS)
                found.append((_location(entry, noms), str(code), on_fee))
    return found
