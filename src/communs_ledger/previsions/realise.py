"""Actual cash by category: the ledger's receipts and payments, month by month.

The treasury accounts are those of class 5 except 59 (provisions for the
depreciation of securities): 51 banks, 53 cash, 58 internal transfers… For each
actual transaction touching them (forecast entries tagged ``#prevision`` are
never read: :mod:`communs_ledger.mouvements` leaves them out), the
*treasury delta* (the sum of its treasury postings) is a receipt if positive, a
payment if negative, and is classified by the transaction's other postings, the
*counterparts*, with ``plan_comptable/tresorerie.yaml`` (longest account-code
prefix of the receipts' or payments' list).

Several counterparts. A transaction balances, so each counterpart brings to
the cash exactly minus its amount: a payment of 105 € booked 100 € on 6064 and
5 € on 627 is 100 € and 5 € of purchases. When every counterpart goes the way
of the cash (« signs are clear »), each one keeps its own amount, in its own
category. When some go the other way — a salary paid net of what is withheld
(6411 + 2 000, 431 − 500, bank − 1 500), a subsidy received net of bank fees
(441 − 1 000, 627 + 5, bank + 995) — those reduce the others instead of
showing as receipts or payments of their own: the treasury delta is split among
the counterparts that go the way of the cash, in proportion to their amounts
(1 500 € of salaries; 995 € of subsidies). Both cases are the same rule: split
the delta among the counterparts going the cash's way, pro rata. A pro rata share
is an allocation, rounded to the cent (half up) like any split of a payment, and
the last share takes the remainder: the categories of a transaction add up to
its treasury delta exactly, and every sum of them stays exact.

Transfers between treasury accounts only (bank to savings account, cash paid
into the bank) have a zero delta: neither receipts nor payments.

Categories with ``detail: financeur`` (subsidies) have one sub-line per funder:
see :func:`~communs_ledger.conventions.financeurs.financeur`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from ..codes import est_tresorerie
from ..conventions.financeurs import FINANCEUR_NON_PRECISE, cle, financeur
from ..dates import Mois, month_of
from ..montants import ZERO, split_proportionally
from ..mouvements import Mouvement, Mouvements
from ..plan import load_data_yaml

ENCAISSEMENT = "encaissement"
DECAISSEMENT = "decaissement"
DETAIL_FINANCEUR = "financeur"

"""A calendar month: (year, month)."""


# --- Categories -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategorieTresorerie:
    """A line of the cash plan (``plan_comptable/tresorerie.yaml``)."""

    id: str
    libelle: str
    sens: str  # ENCAISSEMENT | DECAISSEMENT
    comptes: tuple[str, ...]  # counterpart code prefixes ("" matches every code)
    detail: str | None = None  # "financeur": one sub-line per funder


@dataclass(frozen=True)
class Categories:
    """The receipt and payment categories, in the order of the file."""

    encaissements: tuple[CategorieTresorerie, ...]
    decaissements: tuple[CategorieTresorerie, ...]
    _par_id: dict[str, CategorieTresorerie] = field(default_factory=dict, repr=False, compare=False)
    _classes: dict[tuple[str, str], CategorieTresorerie] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for categorie in (*self.encaissements, *self.decaissements):
            self._par_id[categorie.id] = categorie

    def du_sens(self, sens: str) -> tuple[CategorieTresorerie, ...]:
        return self.encaissements if sens == ENCAISSEMENT else self.decaissements

    def get(self, id_: str) -> CategorieTresorerie | None:
        return self._par_id.get(id_)

    def autres(self, sens: str) -> CategorieTresorerie:
        """The catch-all category of a side (the one with the empty prefix, else the last)."""
        side = self.du_sens(sens)
        for categorie in side:
            if "" in categorie.comptes:
                return categorie
        return side[-1]

    def classer(self, code: str | None, sens: str) -> CategorieTresorerie:
        """The category of a counterpart code on one side: longest matching prefix."""
        key = (code or "", sens)
        found = self._classes.get(key)
        if found is None:
            found = self._classes[key] = self._longest(key[0], sens)
        return found

    def _longest(self, code: str, sens: str) -> CategorieTresorerie:
        best: CategorieTresorerie | None = None
        length = -1
        for categorie in self.du_sens(sens):
            for prefix in categorie.comptes:
                if len(prefix) > length and code.startswith(prefix):
                    best, length = categorie, len(prefix)
        return best if best is not None else self.autres(sens)


def _categories(raw: Any, sens: str) -> tuple[CategorieTresorerie, ...]:
    return tuple(
        CategorieTresorerie(
            id=str(item["id"]),
            libelle=str(item["libelle"]),
            sens=sens,
            comptes=tuple(str(prefix) for prefix in item.get("comptes") or ()),
            detail=item.get("detail"),
        )
        for item in raw
    )


@cache
def categories_de_tresorerie() -> Categories:
    """The categories of ``plan_comptable/tresorerie.yaml`` (loaded once per process)."""
    raw = load_data_yaml("tresorerie.yaml")
    return Categories(
        _categories(raw["encaissements"], ENCAISSEMENT),
        _categories(raw["decaissements"], DECAISSEMENT),
    )


# --- Classification of the actual movements ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class FluxReel:
    """One classified part of an actual transaction's treasury delta."""

    date: datetime.date
    montant: Decimal  # + receipt, - payment
    categorie: str
    detail: str | None  # the funder, for categories with ``detail: financeur``
    compte: str  # the counterpart account
    entry: Any = None  # the Beancount transaction


def _transactions(mouvements: Iterable[Mouvement]) -> Iterator[list[Mouvement]]:
    """Movements grouped by transaction (a transaction's postings are consecutive: the
    list is sorted by date, stably, from entries in order)."""
    group: list[Mouvement] = []
    current: Any = None
    for movement in mouvements:
        if movement.entry is not current:
            if group:
                yield group
            group, current = [], movement.entry
        group.append(movement)
    if group:
        yield group


def classer_transaction(
    postings: Sequence[Mouvement], categories: Categories | None = None
) -> list[FluxReel]:
    """The receipts and payments of one transaction (empty if it does not move the cash)."""
    categories = categories or categories_de_tresorerie()
    delta = ZERO
    counterparts: list[Mouvement] = []
    for posting in postings:
        if est_tresorerie(posting.code):
            delta += posting.montant
        else:
            counterparts.append(posting)
    if delta == 0:
        return []  # no treasury posting, or a transfer between treasury accounts
    sens = ENCAISSEMENT if delta > 0 else DECAISSEMENT
    day = postings[0].date
    entry = postings[0].entry
    # counterparts going the cash's way: their share (-amount) has the delta's sign
    drivers = [m for m in counterparts if (-m.montant > 0) == (delta > 0) and m.montant != 0]
    if not drivers:
        autres = categories.autres(sens)
        return [FluxReel(day, delta, autres.id, None, "", entry)]
    amounts = [-m.montant for m in drivers]
    # signs are clear when the amounts add up to the delta: each counterpart its own amount
    shares = amounts if sum(amounts, ZERO) == delta else split_proportionally(delta, amounts)
    result: list[FluxReel] = []
    for movement, share in zip(drivers, shares, strict=True):
        categorie = categories.classer(movement.code, sens)
        detail = financeur(movement.account) if categorie.detail == DETAIL_FINANCEUR else None
        result.append(FluxReel(day, share, categorie.id, detail, movement.account, entry))
    return result


OUVERTURE = ("11", "12", "89")
"""Report à nouveau, résultat, bilan d'ouverture: an entry bringing cash against them (and
balance-sheet accounts only) takes over the balances of the books before the ledger."""


def est_ouverture(postings: Sequence[Mouvement]) -> bool:
    """An opening-balance entry (« reprise des soldes du bilan »): it moves the cash against
    balance-sheet accounts only (classes 1 to 5), one of them a report à nouveau, a
    résultat or the bilan d'ouverture (11, 12, 89). Its cash is not a receipt: it is the
    cash the association had before its books started here."""
    codes = [m.code or "" for m in postings if not est_tresorerie(m.code)]
    return (
        any(code.startswith(OUVERTURE) for code in codes)
        and all(code[:1] in "12345" or code.startswith("89") for code in codes)
        and any(est_tresorerie(m.code) for m in postings)
    )


def flux_reels(
    mouvements: Iterable[Mouvement],
    categories: Categories | None = None,
    ouvertures: dict[Mois, Decimal] | None = None,
) -> list[FluxReel]:
    """Every receipt and payment of the given actual movements, in date order; the cash
    of opening-balance entries (:func:`est_ouverture`) is left out, added by month to
    ``ouvertures`` when given."""
    categories = categories or categories_de_tresorerie()
    result: list[FluxReel] = []
    for postings in _transactions(mouvements):
        if any(est_tresorerie(m.code) for m in postings):
            if est_ouverture(postings):
                if ouvertures is not None:
                    month = month_of(postings[0].date)
                    delta = sum((m.montant for m in postings if est_tresorerie(m.code)), ZERO)
                    ouvertures[month] = ouvertures.get(month, ZERO) + delta
                continue
            result.extend(classer_transaction(postings, categories))
    return result


def solde_de_tresorerie(mouvements: Mouvements, au: datetime.date) -> Decimal:
    """The actual balance of the treasury accounts at the end of ``au``."""
    return sum(
        (m.montant for m in mouvements.entre(None, au) if est_tresorerie(m.code)),
        ZERO,
    )


Cle = tuple[str, str, str | None]
"""A cell of the plan: (sens, category id, funder key or None)."""


@dataclass
class TresorerieReelle:
    """The actual receipts and payments by month, category and funder."""

    par_mois: dict[Mois, dict[Cle, Decimal]] = field(default_factory=dict)
    libelles_financeurs: dict[str, str] = field(default_factory=dict)  # funder key → label
    ouvertures: dict[Mois, Decimal] = field(default_factory=dict)
    """Cash of opening-balance entries by month: part of the month's opening, not receipts."""

    def total(self, mois: Mois, sens: str) -> Decimal:
        cells = self.par_mois.get(mois, {})
        return sum((v for (s, _c, d), v in cells.items() if s == sens and d is None), ZERO)


def ajouter_aux_cellules(
    cells: dict[Cle, Decimal],
    libelles: dict[str, str],
    montant: Decimal,
    categorie: CategorieTresorerie,
    detail: str | None,
) -> None:
    """Add one receipt or payment (signed) to a month's cells: the category, and its funder
    sub-line if the category has one. Amounts are stored positive (received / paid)."""
    value = montant if categorie.sens == ENCAISSEMENT else -montant
    key: Cle = (categorie.sens, categorie.id, None)
    cells[key] = cells.get(key, ZERO) + value
    if categorie.detail == DETAIL_FINANCEUR:
        label = detail or FINANCEUR_NON_PRECISE
        funder = cle(label)
        known = libelles.get(funder)
        if known is None or _accents(label) > _accents(known):
            libelles[funder] = label  # « Région » rather than « Region »
        sub: Cle = (categorie.sens, categorie.id, funder)
        cells[sub] = cells.get(sub, ZERO) + value


def _accents(text: str) -> int:
    return sum(1 for ch in text if not ch.isascii())


def tresorerie_reelle(
    mouvements: Iterable[Mouvement], categories: Categories | None = None
) -> TresorerieReelle:
    """Actual receipts and payments by month (amounts positive), by category and funder."""
    categories = categories or categories_de_tresorerie()
    result = TresorerieReelle()
    months: dict[Mois, dict[Cle, Decimal]] = defaultdict(dict)
    for flux in flux_reels(mouvements, categories, result.ouvertures):
        categorie = categories.get(flux.categorie)
        assert categorie is not None
        ajouter_aux_cellules(
            months[month_of(flux.date)],
            result.libelles_financeurs,
            flux.montant,
            categorie,
            flux.detail,
        )
    result.par_mois = dict(months)
    return result
