"""Which journal each entry of the FEC goes to.

A Beancount ledger has no journals: the FEC needs one per entry. The journals
declared in ``communs.yaml`` (``fec.journaux``: code, libellé, account code
prefixes or account names, tags) are tried first, in order, the first match
winning; an entry none of them takes goes to the journal derived from its
accounts, the first rule that applies:

- ``AN`` à-nouveaux: the opening balances the export generates at the first day
  of the exercice, and an entry of that day on balance-sheet accounts only
  (classes 1 to 5) that touches the report à nouveau or the résultat (11, 12), or
  that ``communs ouverture`` wrote from a FEC (``reprise: "FEC"``): the ledger's own
  reprise of the opening balances;
- ``BQ`` banque: an entry with a bank posting (512, 514);
- ``CA`` caisse: with a cash posting (53);
- ``PA`` paie: with personnel or social charges or debts (64, 42, 43);
- ``AC`` achats: a supplier (40) against a charge or a fixed asset (6, 2);
- ``VE`` ventes et prestations: an usager or client (41) against a produit (7);
- ``OD`` opérations diverses: everything else.

Treasury comes first, as in most French bookkeeping: a purchase paid at once
is a bank entry. With ``fec.journaux_derives: false`` every entry no declared
journal takes goes to ``OD``.

The derived journals' codes and labels (:data:`JOURNAUX_DERIVES`) live in
:mod:`.reglages`, beside the ``fec:`` section of the config that checks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .reglages import A_NOUVEAUX, DIVERS, JOURNAUX_DERIVES, FecConfig

BILAN = ("1", "2", "3", "4", "5")
OUVERTURE = ("11", "12")
BANQUE = ("512", "514")
CAISSE = ("53",)
PAIE = ("64", "42", "43")
FOURNISSEURS = ("40",)
ACHATS = ("6", "2")
USAGERS = ("41",)
VENTES = ("7",)


def _any(codes: Sequence[str], prefixes: tuple[str, ...]) -> bool:
    return any(code.startswith(prefixes) for code in codes)


def journal_derive(codes: Sequence[str | None], premier_jour: bool, reprise: bool = False) -> str:
    """The derived journal of an entry from its account codes; ``premier_jour``: the
    entry is dated on the first day of the exercice; ``reprise``: it is the opening
    entry ``communs ouverture`` wrote from a FEC (an opening without report à nouveau,
    a young association's, is still one)."""
    known = [code for code in codes if code]
    if (
        premier_jour
        and len(known) == len(codes)
        and all(code.startswith(BILAN) for code in known)
        and (reprise or _any(known, OUVERTURE))
    ):
        return A_NOUVEAUX
    if _any(known, BANQUE):
        return "BQ"
    if _any(known, CAISSE):
        return "CA"
    if _any(known, PAIE):
        return "PA"
    if _any(known, FOURNISSEURS) and _any(known, ACHATS):
        return "AC"
    if _any(known, USAGERS) and _any(known, VENTES):
        return "VE"
    return DIVERS


@dataclass(frozen=True, slots=True)
class _Declare:
    code: str
    prefixes: tuple[str, ...]
    noms: tuple[str, ...]  # casefolded fragments of account names
    etiquettes: frozenset[str]

    def retient(
        self, accounts: Sequence[str], codes: Sequence[str | None], tags: frozenset
    ) -> bool:
        if self.etiquettes & tags:
            return True
        if self.prefixes and any(code and code.startswith(self.prefixes) for code in codes):
            return True
        return bool(self.noms) and any(
            fragment in account.casefold() for account in accounts for fragment in self.noms
        )


class RepartitionJournaux:
    """The journals of a FEC: declared ones first (first match wins), then derived ones."""

    def __init__(self, config: FecConfig | None = None) -> None:
        self.libelles = dict(JOURNAUX_DERIVES)
        self.derives = True if config is None else config.journaux_derives
        self._declares: list[_Declare] = []
        for journal in config.journaux if config is not None else ():
            self.libelles[journal.code] = journal.libelle
            if not (journal.comptes or journal.etiquettes):
                continue  # renames a derived journal
            self._declares.append(
                _Declare(
                    journal.code,
                    tuple(item for item in journal.comptes if item.isdigit()),
                    tuple(item.casefold() for item in journal.comptes if not item.isdigit()),
                    frozenset(journal.etiquettes),
                )
            )
        self._cache: dict[tuple[tuple[str, ...], frozenset, bool, bool], str] = {}

    def libelle(self, code: str) -> str:
        return self.libelles.get(code, code)

    def journal(
        self,
        accounts: tuple[str, ...],
        codes: tuple[str | None, ...],
        tags: frozenset,
        premier_jour: bool,
        reprise: bool = False,
    ) -> str:
        """The journal code of an entry (its accounts, their codes, its tags)."""
        key = (accounts, tags, premier_jour, reprise)
        found = self._cache.get(key)
        if found is None:
            found = next((d.code for d in self._declares if d.retient(accounts, codes, tags)), None)
            if found is None:
                found = journal_derive(codes, premier_jour, reprise) if self.derives else DIVERS
            self._cache[key] = found
        return found
