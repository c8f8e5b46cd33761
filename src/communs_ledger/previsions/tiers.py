"""Open receivables and payables of the ledger: when they will be settled.

At the start of the period (balances of the movements dated before it), each
account (sub-accounts apart) of the tracked prefixes with a balance is settled
in cash: a debit balance (receivable) is a receipt, a credit balance (debt) a
payment. The balance is made of the latest movements that raised it (payments
settle the oldest items first): each of them is settled at its own due date,
computed from its date by the account's delay:

========  =============  ======================================================
prefix    settled        default delay (``previsions.delais`` overrides it)
========  =============  ======================================================
441       debit balance  60 days (payment term of a subsidy)
411       debit balance  30 days
401, 404  credit bal.    30 days
408       credit bal.    45 days (invoices not yet received)
467       either         30 days
421       credit bal.    0: paid at the end of the month (days after that month end)
43, 442   credit bal.    the 15th of the following month (the day of that month)
========  =============  ======================================================

A balance on the other side (an advance received on 4419 or 419, a credit
note on 401) is not cash to come and is left out.

The longest prefix wins; a prefix in ``delais`` that is not in the table adds
an account family, counted in days (in the mode of the closest prefix of the
table if there is one). A due date already past is the first day of the
period (the label says « en retard »). Accruals and deferrals (486, 487) are
not settlements and are left out.

An account's ``echeance:`` metadata on its ``open`` directive overrides the
delay: a date (every open item of the account is settled that day), or a
number of days. It is read from ``contexte.entries`` when the Source carries
the ledger's entries.

Subsidies: a 441 movement that belongs to a convention of ``conventions.yaml``
(metadata ``convention:`` or its dedicated account, see
:mod:`communs_ledger.conventions.fichier`) is left out here — the convention's
échéancier forecasts its payment (:mod:`.versements`); only the rest of the 441
balances is settled here. Without a conventions file, every 441 balance is.

Categories come from ``plan_comptable/tresorerie.yaml`` as for the actual
months (441 → subventions with the funder of the sub-account as detail, 411 →
prestations, 401 → achats…). No forecast result: these amounts are already in
the ledger's result.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import longest_prefix
from ..conventions.fichier import Conventions
from ..conventions.financeurs import FINANCEUR_NON_PRECISE, financeur, lisible
from ..dates import month_end
from ..exercices import french_date
from ..mouvements import Mouvement
from ..rapports.source import Source
from .flux import categorie_tresorerie
from .modele import MouvementPrevu, Periode, Previsions, Scenario

JOURS = "jours"
FIN_DE_MOIS = "fin_de_mois"
MOIS_SUIVANT = "mois_suivant"

CREANCE = 1  # only a debit balance is settled (received)
DETTE = -1  # only a credit balance is settled (paid)
LES_DEUX = 0
DELAIS: dict[str, tuple[int, str, int]] = {
    "441": (60, JOURS, CREANCE),
    "411": (30, JOURS, CREANCE),
    "401": (30, JOURS, DETTE),
    "404": (30, JOURS, DETTE),
    "408": (45, JOURS, DETTE),
    "467": (30, JOURS, LES_DEUX),
    "421": (0, FIN_DE_MOIS, DETTE),
    "43": (15, MOIS_SUIVANT, DETTE),
    "442": (15, MOIS_SUIVANT, DETTE),
}
ECHEANCE_KEY = "echeance"


def _day_of_next_month(day: datetime.date, number: int) -> datetime.date:
    first = month_end(day) + datetime.timedelta(days=1)
    last = month_end(first).day
    return first.replace(day=min(max(number, 1), last))


@dataclass(frozen=True)
class RegleDeReglement:
    prefixe: str
    delai: int
    mode: str
    sens: int = LES_DEUX

    def regle(self, balance: Decimal) -> bool:
        """Whether a balance of this sign is settled in cash."""
        return bool(balance) and (self.sens == LES_DEUX or (balance > 0) == (self.sens > 0))

    def echeance(self, day: datetime.date) -> datetime.date:
        if self.mode == FIN_DE_MOIS:
            return month_end(day) + datetime.timedelta(days=self.delai)
        if self.mode == MOIS_SUIVANT:
            return _day_of_next_month(day, self.delai)
        return day + datetime.timedelta(days=self.delai)


def regles(delais: dict[str, int] | None) -> list[RegleDeReglement]:
    """The settlement rules: defaults overridden by the config, longest prefix first."""
    rules = {
        prefix: RegleDeReglement(prefix, days, mode, side)
        for prefix, (days, mode, side) in DELAIS.items()
    }
    for prefix, days in (delais or {}).items():
        prefix = str(prefix).strip()
        if not prefix.isdigit():
            continue
        _days, mode, side = longest_prefix(prefix, DELAIS) or (0, JOURS, LES_DEUX)
        rules[prefix] = RegleDeReglement(prefix, int(days), mode, side)
    return sorted(rules.values(), key=lambda rule: -len(rule.prefixe))


def _open_items(
    movements: list[Mouvement], balance: Decimal
) -> list[tuple[datetime.date, Decimal]]:
    """The movements that make up ``balance`` (latest first, the oldest settled first)."""
    items: list[tuple[datetime.date, Decimal]] = []
    left = balance
    for movement in reversed(movements):
        if not left:
            break
        if (movement.montant > 0) != (left > 0) or not movement.montant:
            continue
        part = movement.montant if abs(movement.montant) <= abs(left) else left
        items.append((movement.date, part))
        left -= part
    if left:  # balance older than the movements (cannot happen with a full ledger)
        items.append((movements[0].date if movements else datetime.date.min, left))
    return list(reversed(items))


class Tiers:
    """Receivables and payables open at the start of the period."""

    def __init__(self, delais: dict[str, int] | None, conventions: Conventions | None) -> None:
        self.regles = regles(delais)
        self.conventions = conventions

    def regle(self, code: str | None) -> RegleDeReglement | None:
        if code is None:
            return None
        for rule in self.regles:
            if code.startswith(rule.prefixe):
                return rule
        return None

    def generer(self, periode: Periode, scenario: Scenario, contexte: Source) -> Previsions:
        result = Previsions()
        before = periode.debut - datetime.timedelta(days=1)
        by_account: dict[str, list[Mouvement]] = defaultdict(list)
        rules: dict[str, RegleDeReglement] = {}
        without_rule: set[str] = set()  # most accounts (charges, produits…): looked up once
        for movement in contexte.mouvements.entre(None, before):
            rule = rules.get(movement.account)
            if rule is None:
                if movement.account in without_rule:
                    continue
                rule = self.regle(movement.code)
                if rule is None:
                    without_rule.add(movement.account)
                    continue
                rules[movement.account] = rule
            if self._of_convention(movement):
                continue  # the convention's échéancier forecasts it (versements)
            by_account[movement.account].append(movement)
        metadata = _open_metadata(getattr(contexte, "entries", None) or (), ECHEANCE_KEY)
        for account, movements in sorted(by_account.items()):
            balance = sum((m.montant for m in movements), Decimal(0))
            rule = rules[account]
            if not rule.regle(balance):
                continue
            code = movements[0].code
            given = metadata.get(account)
            category = categorie_tresorerie(code, balance > 0)
            detail = None
            if category == "subventions" and financeur(account) != FINANCEUR_NON_PRECISE:
                detail = financeur(account)
            for day, amount in _open_items(movements, balance):
                if isinstance(given, datetime.date):
                    due = given
                elif isinstance(given, int | Decimal) and not isinstance(given, bool):
                    due = day + datetime.timedelta(days=int(given))
                else:
                    due = rule.echeance(day)
                what = "créance" if amount > 0 else "dette"
                due, retard = periode.echeance(due, "attendue")
                libelle = f"{_name(account)} : {what} du {french_date(day)}{retard}"
                if due > periode.fin:
                    continue
                result.tresorerie.append(
                    MouvementPrevu(
                        due,
                        amount,
                        category,
                        libelle,
                        f"tiers:{account}",
                        detail=detail,
                        compte=code,
                    )
                )
        return result

    def _of_convention(self, movement: Mouvement) -> bool:
        """A receivable movement of a convention of the file (left to its échéancier)."""
        if self.conventions is None:
            return False
        convention = self.conventions.get(self.conventions.reference_de(movement) or "")
        return convention is not None and (movement.code or "").startswith(
            convention.prefixe_creances
        )

    def codes_couverts(self) -> set[str]:
        return set()


def _open_metadata(entries: Any, key: str) -> dict[str, Any]:
    """``key`` metadata of the ``open`` directives, by account."""
    from beancount.core import data

    return {
        entry.account: entry.meta[key]
        for entry in entries
        if isinstance(entry, data.Open) and entry.meta and key in entry.meta
    }


def _name(account: str) -> str:
    """The last component of an account name, readable, without its number."""
    last = account.rsplit(":", 1)[-1]
    head, _, tail = last.partition("-")
    return lisible(tail if head.isdigit() and tail else last)
