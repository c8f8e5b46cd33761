"""The ``convention:`` tags of the ledger against ``conventions.yaml``.

A subsidy received whose entry carries no ``convention:`` tag, or a mistyped one,
is invisible to the convention's follow-up: the cash plan would forecast that
instalment again. Three checks:

- :func:`etiquettes_inconnues`: a ``convention:`` metadata (transaction or posting)
  naming no convention of the file is an **error** at its ``file:line``;
- :func:`sans_etiquette`: a receipt (a transaction moving a treasury account,
  class 5 but 59) or a recognition (a credit of an income account) on the
  receivable or income accounts of a convention, without a tag, whose funder
  matches a convention still open at its date, is a **warning** naming the likely
  convention (and instalment, when the amount matches one);
- :func:`versements_deja_recus`: the cash plan's rule — an untagged receipt that
  matches an instalment still unpaid by **funder account, amount and date** counts
  as that instalment received (the plan says so in its notes).

Funder: the label of the posting's account (:func:`.financeurs.financeur`:
``441-Subventions-a-recevoir:Region`` → « Région ») compared, accents and case
ignored, with the convention's sub-line in the plan (the funder named by the accounts
the ledger used for it), its ``financeur`` (whose first words may be the label: «
Région Île-de-France ») and its ``type_financeur`` (``7415-Commune`` → « Commune » is
a convention of ``type_financeur: commune``, « Ville de Gentilly »). An account
naming no funder (the chart's 441 itself) matches by amount and date alone. Date: a
convention is *open* from 92 days before its notification (or ``debut``) to 183 days
after its last expected instalment; an instalment matches a receipt dated within 183
days of its expected date, the nearest winning.
A convention with nothing left to receive (for a receipt) or to recognise (for a
recognition) is never the likely one.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..exercices import french_date
from ..formatage import montant
from ..montants import ZERO
from ..mouvements import Mouvement
from ..sources import Location, SourceError, display_path
from .fichier import (
    META_KEY,
    Convention,
    Conventions,
    Echeance,
    SuiviConvention,
    _moves_treasury,
    restant,
)
from .financeurs import FINANCEUR_NON_PRECISE, cle, details, financeur

AVANT_OUVERTURE = datetime.timedelta(days=92)
APRES_ECHEANCE = datetime.timedelta(days=183)
ECART_DE_DATE = datetime.timedelta(days=183)


def _location(meta: Any) -> Location:
    meta = meta or {}
    filename = meta.get("filename") or "?"
    if filename and not filename.startswith("<"):
        filename = display_path(filename)
    return Location(filename, meta.get("lineno"))


def etiquettes_inconnues(conventions: Conventions, entries: Iterable[Any]) -> list[SourceError]:
    """Errors for every ``convention:`` tag naming no convention of the file."""
    from beancount.core import data

    known = ", ".join(c.reference for c in conventions) or "aucune"
    where = display_path(conventions.fichier) if conventions.fichier else "conventions.yaml"
    errors: list[SourceError] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        tags = []
        if entry.meta and META_KEY in entry.meta:
            tags.append((entry.meta, entry.meta[META_KEY]))
        for posting in entry.postings:
            if posting.meta and META_KEY in posting.meta:
                tags.append((posting.meta, posting.meta[META_KEY]))
        for meta, value in tags:
            reference = str(value)
            if reference not in conventions:
                location = _location(meta if meta.get("lineno") else entry.meta)
                errors.append(
                    SourceError(
                        location,
                        f"convention « {reference} » inconnue de {where} (conventions "
                        f"déclarées : {known})",
                    )
                )
    return errors


@dataclass(frozen=True)
class SansEtiquette:
    """An untagged receipt or recognition on a convention's accounts."""

    date: datetime.date
    montant: Decimal  # received (receipt) or credited (recognition), positive
    compte: str
    recu: bool  # True: a receipt (moves the cash); False: a recognition
    location: Location
    convention: Convention  # the likely one
    echeance: Echeance | None  # the instalment it pays, when the amount matches one
    plusieurs_lignes: bool = False
    """The entry has untagged lines on several subsidy accounts (a reprise's totals…):
    the tag goes under the line, the entry's own would attach them all."""


def _cle(texte: str) -> str:
    return cle(texte)


def _funder_matches(label: str, convention: Convention, detail: str | None) -> bool:
    if label == FINANCEUR_NON_PRECISE:
        return True
    key = _cle(label)
    names = {_cle(convention.financeur)}
    if detail:
        names.add(_cle(detail))
    if any(name == key or name.startswith(key + " ") for name in names):
        return True
    # the account names the funder's kind (7415-Commune, 441-…:Region), the convention
    # names the funder (« Ville de Gentilly ») and its kind (type_financeur: commune)
    kind = _cle(convention.type_financeur)
    return key == kind or key.startswith(kind + " ")


def _open_at(convention: Convention, day: datetime.date) -> bool:
    echeances = convention.echeancier()
    last = max((e.date for e in echeances), default=convention.fin)
    start = convention.notification or convention.debut
    return start - AVANT_OUVERTURE <= day <= max(last, convention.fin) + APRES_ECHEANCE


def _settled(
    convention: Convention,
    suivi: SuiviConvention,
    unpaid: dict[str, list[Echeance]],
    received: bool,
) -> bool:
    """Nothing left to receive (for a receipt) or to recognise (for a recognition): the
    untagged movement is another subsidy, tagging it with this convention would count it
    twice."""
    if received:
        return not unpaid[convention.reference]
    return suivi.reconnu >= convention.montant


def _treasury(entry: Any, cache: dict[int, bool]) -> bool:
    key = id(entry)
    if key not in cache:
        cache[key] = _moves_treasury(entry)
    return cache[key]


def sans_etiquette(
    conventions: Conventions,
    mouvements: Iterable[Mouvement],
    suivis: dict[str, SuiviConvention] | None = None,
) -> list[SansEtiquette]:
    """Untagged receipts and recognitions on the accounts of a convention open at their
    date, with the likely convention (see the module docstring), in date order."""
    moves = list(mouvements)
    if suivis is None:
        suivis = conventions.suivi(moves)
    labels = details(conventions, suivis)
    unpaid = {c.reference: restant(c.echeancier(), suivis[c.reference].verse) for c in conventions}
    prefixes = tuple(
        {c.prefixe_produits for c in conventions} | {c.prefixe_creances for c in conventions}
    )
    amounts: dict[tuple[int, str], Decimal] = {}
    first: dict[tuple[int, str], Mouvement] = {}
    treasury: dict[int, bool] = {}
    for movement in moves:
        code = movement.code or ""
        if not code.startswith(prefixes) or conventions.reference_de(movement) is not None:
            continue
        key = (id(movement.entry), movement.account)
        amounts[key] = amounts.get(key, ZERO) - movement.montant
        first.setdefault(key, movement)
    # credits only: a recognition's debit on the receivable is not a line to tag
    lines_of_entry = Counter(key[0] for key, amount in amounts.items() if amount > 0)
    found: list[SansEtiquette] = []
    for key, amount in amounts.items():
        movement = first[key]
        if amount <= 0:
            continue  # a debit: a receivable recorded, a refund…
        code = movement.code or ""
        received = _treasury(movement.entry, treasury)
        label = financeur(movement.account)
        candidates: list[tuple[tuple[int, int], Convention, Echeance | None]] = []
        for convention in conventions:
            income = code.startswith(convention.prefixe_produits)
            receivable = code.startswith(convention.prefixe_creances)
            if not (income or (receivable and received)):
                continue
            if not _open_at(convention, movement.date):
                continue
            if _settled(convention, suivis[convention.reference], unpaid, received):
                continue
            if not _funder_matches(label, convention, labels[convention.reference]):
                continue
            echeance = None
            if received:
                near = [
                    e
                    for e in unpaid[convention.reference]
                    if e.montant == amount and abs(e.date - movement.date) <= ECART_DE_DATE
                ]
                if near:
                    echeance = min(near, key=lambda e: abs(e.date - movement.date))
            gap = abs((echeance.date if echeance else convention.debut) - movement.date).days
            candidates.append(((0 if echeance else 1, gap), convention, echeance))
        if not candidates:
            continue
        _rank, convention, echeance = min(candidates, key=lambda c: c[0])
        found.append(
            SansEtiquette(
                movement.date,
                amount,
                movement.account,
                received,
                _location(movement.entry.meta),
                convention,
                echeance,
                lines_of_entry[key[0]] > 1,
            )
        )
    found.sort(key=lambda f: (f.date, f.location.line or 0))
    return found


def message(item: SansEtiquette) -> str:
    """The warning of an untagged receipt or recognition (French)."""
    what = "encaissement" if item.recu else "produit constaté"
    instalment = f", versement « {item.echeance.libelle} »" if item.echeance else ""
    where = (
        f"sous la ligne {item.compte} (pas à l'écriture : elle a plusieurs lignes de "
        "subventions, que sa métadonnée rattacherait toutes à cette convention)"
        if item.plusieurs_lignes
        else "à l'écriture"
    )
    return (
        f"{what} de {montant(item.montant)} le {french_date(item.date)} sur {item.compte} sans "
        f"métadonnée « convention: » : convention probable {item.convention.reference}"
        f"{instalment} ({item.convention.financeur}) ; ajoutez convention: "
        f'"{item.convention.reference}" {where}'
    )


def avertissements(conventions: Conventions, mouvements: Iterable[Mouvement]) -> list[SourceError]:
    """The warnings of :func:`sans_etiquette`, at the entries' file:line."""
    return [
        SourceError(item.location, message(item))
        for item in sans_etiquette(conventions, mouvements)
    ]


def versements_deja_recus(
    conventions: Conventions,
    mouvements: Iterable[Mouvement],
    suivis: dict[str, SuiviConvention],
) -> dict[str, list[SansEtiquette]]:
    """The instalments an untagged receipt pays (matched by funder, amount and date), by
    convention reference; each receipt pays one instalment, each instalment once."""
    result: dict[str, list[SansEtiquette]] = {}
    used: set[tuple[str, int]] = set()
    for item in sans_etiquette(conventions, mouvements, suivis):
        if not item.recu or item.echeance is None:
            continue
        key = (item.convention.reference, item.echeance.rang)
        if key in used:
            continue
        used.add(key)
        result.setdefault(item.convention.reference, []).append(item)
    return result
