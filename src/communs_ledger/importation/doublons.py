"""What a statement holds that the ledger already has.

An operation of the statement is already in the ledger when a transaction
there moves the same bank account by the same amount and:

1. carries the same bank reference (``fitid`` for OFX, ``ref_banque`` for a
   CSV reference column, ``ref_camt`` and ``ref_cfonb``), whatever its date;
   or, failing that, does not carry a different reference of the same kind, and
2. was imported from a statement (``libelle_banque`` metadata), is dated
   within a day and has the same or a close bank label (the same operation
   from an overlapping statement, maybe in another format); or
3. was typed by hand, is dated within ``ecart`` days (bank value dates,
   cheques cashed later) and has a significant word in common with the
   operation's label, or the same counter account (beangulp's
   :func:`~beangulp.similar.heuristic_comparator`, not used for lines left
   to the suspense account: two unknown operations of the same amount are
   not the same for all that).

An existing transaction answers for one operation only: a statement with
two identical operations needs two transactions to skip both.

An operation none of these recognise, but with a transaction typed by hand
on the same account, of the same amount, within ``ecart`` days (and no
different bank reference), may still be it under other words: it is imported
all the same, but flagged for review (:meth:`IndexDoublons.candidat`), never
silently added as new nor silently dropped.
"""

from __future__ import annotations

import bisect
import datetime
import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from .modele import Operation
from .regles import plier

CLES_REFERENCE = ("fitid", "ref_banque", "ref_camt", "ref_cfonb")
CLE_LIBELLE = "libelle_banque"


def libelle_en_meta(libelle: str) -> str:
    """The bank label as kept in ``libelle_banque``: ``<`` and ``>`` escaped."""
    return libelle.replace("<", "&lt;").replace(">", "&gt;")


def libelle_de_meta(valeur: str) -> str:
    """The bank label of a ``libelle_banque`` value (labels are read with their HTML
    entities decoded, so that decoding the value gives the label back)."""
    return html.unescape(valeur) if "&" in valeur else valeur


_WORD = re.compile(r"[0-9a-z]+")
# Words that say nothing of who or what: bank jargon, articles, months.
_JARGON = (
    "les des du de la le et pour par sur aux avec au en une un sepa prlv prelevement vir "
    "virement recu recue emis emise ref motif reglement paiement facture carte cb mme mr "
    "madame monsieur ste sarl sas eur euros date janvier fevrier mars avril mai juin juillet "
    "aout septembre octobre novembre decembre"
)
_MOTS_VIDES = frozenset(_JARGON.split())


def mots(text: str) -> set[str]:
    """Significant words: not bank jargon, articles, months nor short numbers."""
    return {
        word
        for word in _WORD.findall(plier(text))
        if len(word) >= 3 and word not in _MOTS_VIDES and not (word.isdigit() and len(word) < 5)
    }


@dataclass(frozen=True, slots=True)
class Doublon:
    operation: Operation
    existante: Any  # the ledger's Transaction
    raison: str


@dataclass
class _Mouvement:
    date: datetime.date
    entry: Any
    references: dict[str, str]
    libelle: str | None  # bank label when imported, else None

    @property
    def importe(self) -> bool:
        return self.libelle is not None or bool(self.references)


@dataclass
class IndexDoublons:
    """The transactions of the ledger on one bank account, to recognise an operation."""

    compte: str
    cle_reference: str
    ecart: int
    attente: str = ""  # the suspense account: same counter account there proves nothing
    _par_reference: dict[tuple[str, str], list[_Mouvement]] = field(default_factory=dict)
    _par_montant: dict[Decimal, list[_Mouvement]] = field(default_factory=dict)
    _dates: dict[Decimal, list[datetime.date]] = field(default_factory=dict)
    _utilises: set[int] = field(default_factory=set)

    @classmethod
    def construire(
        cls, entries: list[Any], compte: str, cle_reference: str, ecart: int, attente: str = ""
    ) -> IndexDoublons:
        from beancount.core import data

        index = cls(compte, cle_reference, ecart, attente)
        by_amount: dict[Decimal, list[_Mouvement]] = defaultdict(list)
        by_reference: dict[tuple[str, str], list[_Mouvement]] = defaultdict(list)
        for entry in entries:
            if not isinstance(entry, data.Transaction):
                continue
            for posting in entry.postings:
                if posting.account != compte or posting.units is None:
                    continue
                number = posting.units.number
                if number is None:
                    continue
                references = {}
                for key in CLES_REFERENCE:
                    value = (posting.meta or {}).get(key) or entry.meta.get(key)
                    if value:
                        references[key] = str(value)
                mouvement = _Mouvement(entry.date, entry, references, entry.meta.get(CLE_LIBELLE))
                by_amount[number].append(mouvement)
                for key, value in references.items():
                    by_reference[(key, value)].append(mouvement)
        for number, mouvements in by_amount.items():
            mouvements.sort(key=lambda m: m.date)
            index._par_montant[number] = mouvements
            index._dates[number] = [m.date for m in mouvements]
        index._par_reference = dict(by_reference)
        return index

    def chercher(self, operation: Operation, transaction: Any) -> Doublon | None:
        """The ledger's transaction this operation already is, if any (then used up)."""
        key = self.cle_reference
        if operation.reference:
            for mouvement in self._par_reference.get((key, operation.reference), ()):
                if id(mouvement.entry) in self._utilises:
                    continue
                if mouvement.entry.postings and self._montant(mouvement) == operation.montant:
                    return self._retenir(operation, mouvement, "même référence bancaire")
        for mouvement in self._proches(operation):
            if id(mouvement.entry) in self._utilises:
                continue
            if operation.reference and key in mouvement.references:
                continue  # both carry a reference of the same kind, and they differ
            raison = _ressemblance(operation, mouvement, transaction, self.attente)
            if raison:
                return self._retenir(operation, mouvement, raison)
        return None

    def candidat(self, operation: Operation) -> Any | None:
        """A transaction typed by hand that may be this operation (same account and amount,
        close date, but nothing else in common): the nearest unused one, or None."""
        for mouvement in self._proches(operation):
            if id(mouvement.entry) in self._utilises or mouvement.importe:
                continue
            return mouvement.entry
        return None

    def _proches(self, operation: Operation) -> list[_Mouvement]:
        """The movements of the same amount within ``ecart`` days, the nearest first."""
        mouvements = self._par_montant.get(operation.montant)
        if not mouvements:
            return []
        dates = self._dates[operation.montant]
        low = bisect.bisect_left(dates, operation.date - datetime.timedelta(days=self.ecart))
        high = bisect.bisect_right(dates, operation.date + datetime.timedelta(days=self.ecart))
        return sorted(mouvements[low:high], key=lambda m: abs((m.date - operation.date).days))

    def _montant(self, mouvement: _Mouvement) -> Decimal | None:
        for posting in mouvement.entry.postings:
            if posting.account == self.compte and posting.units is not None:
                return posting.units.number
        return None

    def _retenir(self, operation: Operation, mouvement: _Mouvement, raison: str) -> Doublon:
        self._utilises.add(id(mouvement.entry))
        return Doublon(operation, mouvement.entry, raison)


@cache
def _comparateur() -> Any:
    """beangulp's heuristic: same amounts on common accounts, one account set within the other."""
    from beangulp.similar import heuristic_comparator

    return heuristic_comparator()


def _ressemblance(
    operation: Operation, mouvement: _Mouvement, transaction: Any, attente: str
) -> str:
    """Why an existing transaction of the same amount nearby is this operation ("" if not)."""
    entry = mouvement.entry
    mots_operation = mots(" ".join(p for p in (operation.tiers, operation.libelle) if p))
    if mouvement.importe:
        if abs((mouvement.date - operation.date).days) > 1:
            return ""
        libelle = libelle_de_meta(str(mouvement.libelle or entry.narration or ""))
        if plier(libelle) == plier(operation.libelle):
            return "même libellé bancaire"
        return "libellé bancaire proche" if mots(libelle) & mots_operation else ""
    texte = " ".join(part for part in (entry.payee, entry.narration) if part)
    if mots(texte) & mots_operation:
        return "saisie à la main, libellé proche"
    contrepartie = {p.account for p in transaction.postings} if transaction is not None else set()
    if (
        transaction is not None
        and attente not in contrepartie
        and _comparateur()(transaction, entry)
    ):
        return "saisie à la main, même compte de contrepartie"
    return ""
