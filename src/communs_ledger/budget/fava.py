"""Fava's own budget entries from the budget files: ``custom "budget"`` directives.

Fava reads entries such as::

    2026-01-01 custom "budget" Charges:64-Charges-de-personnel "monthly" 6500.00 EUR

(the account, the period, an amount). A budget entry stays in force for its
account until the next one; Fava spreads its amount over the days of its period
(``monthly``: the days of the current month, ``daily``: one day) and sums the
days of the range it shows, for the account (``budgets.calculate``) or with its
sub-accounts (``calculate_children``).

What is emitted, for each line of the version in force of each budget:

- **Account.** The shallowest account name of the ledger whose path ends with a
  coded component of exactly the line's code (``62`` →
  ``Charges:62-Autres-services-exterieurs``, which Fava shows as the roll-up of
  its sub-accounts); failing that, the name is built from the first account that
  extends the code: its prefix up to its deepest coded component that is a
  prefix of the code, then the code (``641`` with only
  ``Charges:64-Charges-de-personnel:6411-Salaires`` →
  ``Charges:64-Charges-de-personnel:641``, counted in the 64 roll-up). A code no
  account reaches is left out (the ``ligne_sans_realise`` rule reports it).
- **Periods.** A whole calendar month gives a ``monthly`` entry on its first day
  with the month's amount; a dated échéance (``profil: dates``) a ``daily`` entry
  on its day; a month cut by the exercice's bounds (irregular first exercice, an
  exercice opening on another day than the 1st) a ``daily`` entry with the cent
  share of each day, the last day taking the rounding difference. When nothing
  follows, an entry resets the account to 0 on the next day. Lines mapped to the
  same account (several projects: Fava has no projects) are summed day by day,
  so Fava's total over the exercice equals the sum of the lines' annual amounts;
  on a day where a dated amount ``d`` meets a monthly budget ``m`` of the same
  account, the single entry Fava allows is ``monthly`` ``m + d × days of the
  month`` (Fava counts a month's amount divided by its days), then ``m`` again.
- **Sign.** Fava compares a budget with the account's balance, as is: it shows
  ``budget − balance`` and draws both bars with their sign. Produits (and 87)
  have credit, negative, balances: their budgets are emitted negative, so that
  a subvention of 20 000 € budgeted and 15 000 € received shows −20 000 against
  −15 000 (5 000 still to receive), like with like. Charges stay positive.
- **Origin.** Every entry carries ``communs: "budget"``, ``version: CODE`` and,
  as its filename and line, the budget file and the line it comes from.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from ..codes import parse_account
from ..dates import ONE_DAY, days_in_month, month_end
from ..montants import to_cent
from .fichier import Budgets, LigneBudget
from .realise import budgetable, sens

MONTHLY = "monthly"
DAILY = "daily"


class ComptesParCode:
    """The ledger's accounts, indexed by the codes of their coded components."""

    def __init__(self, comptes: Iterable[str]) -> None:
        self._exact: dict[str, list[str]] = defaultdict(list)  # code -> account prefixes
        self._all: list[str] = sorted(set(comptes))
        for name in self._all:
            parsed = parse_account(name)
            parts = name.split(":")
            for component in parsed.coded:
                prefix = ":".join(parts[: component.index + 1])
                if prefix not in self._exact[component.code]:
                    self._exact[component.code].append(prefix)

    def resoudre(self, code: str, racine: str | None = None) -> str | None:
        """The account name a budget line on ``code`` is given to in Fava (None: none)."""
        exact = [name for name in self._exact.get(code, ()) if _under(name, racine)]
        if exact:
            return min(exact, key=lambda name: (name.count(":"), name))
        for name in self._all:
            if not _under(name, racine):
                continue
            parsed = parse_account(name)
            if not any(c.code.startswith(code) for c in parsed.coded):
                continue
            parts = name.split(":")
            base = parts[:1]
            for component in parsed.coded:
                if code.startswith(component.code):
                    base = parts[: component.index + 1]
            return ":".join([*base, code])
        return None


def _under(name: str, racine: str | None) -> bool:
    return racine is None or name.split(":", 1)[0] == racine


# Compared by identity: two lines may give equal pieces. Not frozen: a frozen dataclass is
# ten times slower to build, and every load builds one piece per month of every line.
@dataclass(eq=False, slots=True)
class _Piece:
    """A stretch of days with a constant budget: a whole month, or a daily amount."""

    debut: datetime.date
    fin: datetime.date
    mensuel: bool
    montant: Decimal
    fichier: str
    ligne: int
    version: str


def _pieces(line: LigneBudget, signe: int, fichier: str, version: str) -> list[_Piece]:
    pieces = []
    where = (fichier, line.location.line, version)
    for debut, fin, amount in line.echeances:
        amount = amount * signe
        if debut == fin:
            pieces.append(_Piece(debut, fin, False, amount, *where))
        elif debut.day == 1 and fin == month_end(debut):
            pieces.append(_Piece(debut, fin, True, amount, *where))
        else:  # a month cut by the exercice: a cent share per day, the rest on the last day
            days = (fin - debut).days + 1
            share = to_cent(amount / days)
            pieces.append(_Piece(debut, fin - ONE_DAY, False, share, *where))
            pieces.append(_Piece(fin, fin, False, amount - share * (days - 1), *where))
    return pieces


@dataclass(frozen=True)
class EntreeBudget:
    """One Fava budget entry, before it becomes a Beancount ``Custom`` directive."""

    date: datetime.date
    compte: str
    periode: str
    montant: Decimal
    fichier: str
    ligne: int
    version: str


def _timeline(compte: str, pieces: list[_Piece]) -> list[EntreeBudget]:
    """The entries that make Fava's daily budget of ``compte`` equal the pieces' sum."""
    starting: dict[datetime.date, list[_Piece]] = defaultdict(list)
    ending: dict[datetime.date, list[_Piece]] = defaultdict(list)  # by the day after
    for piece in pieces:
        starting[piece.debut].append(piece)
        ending[piece.fin + ONE_DAY].append(piece)
    result: list[EntreeBudget] = []
    active: list[_Piece] = []
    for day in sorted(starting.keys() | ending.keys()):
        gone = ending.get(day, ())
        active = [p for p in active if p not in gone] + starting.get(day, [])
        if not active:
            if result and result[-1].montant != 0:
                last = result[-1]
                result.append(
                    EntreeBudget(
                        day,
                        compte,
                        last.periode,
                        Decimal(0),
                        last.fichier,
                        last.ligne,
                        last.version,
                    )
                )
            continue
        monthly = sum((p.montant for p in active if p.mensuel), Decimal(0))
        daily = sum((p.montant for p in active if not p.mensuel), Decimal(0))
        if any(p.mensuel for p in active):
            # Per day Fava counts amount / days of the month: a daily part d counts d × days.
            days = days_in_month(day.year, day.month)
            periode, amount = MONTHLY, monthly + daily * days
        else:
            periode, amount = DAILY, daily
        origin = min(active, key=lambda p: p.ligne)
        result.append(
            EntreeBudget(day, compte, periode, amount, origin.fichier, origin.ligne, origin.version)
        )
    return result


def entrees_budget(
    budgets: Budgets,
    comptes: Iterable[str],
    racines: Mapping[str, str] | None = None,
    versions: Mapping[str, str | None] | None = None,
) -> list[EntreeBudget]:
    """Fava budget entries for the version in force of every budget, sorted by date.

    ``racines`` maps the roles ``charges`` and ``produits`` to the ledger's root
    names (only accounts under the matching root are candidates); ``versions``
    gives, per exercice code, the version to use (default: the latest by date).
    """
    index = ComptesParCode(comptes)
    racines = racines or {}
    versions = versions or {}
    pieces: dict[str, list[_Piece]] = defaultdict(list)
    for code, budget in budgets.par_exercice.items():
        version = budget.version(versions.get(code))
        if version is None:
            continue
        fichier = str(Path(budget.fichier))
        for line in version.lignes:
            if not budgetable(line.compte):
                continue
            signe = sens(line.compte)
            racine = racines.get("produits" if signe < 0 else "charges")
            compte = index.resoudre(line.compte, racine)
            if compte is None:
                continue
            pieces[compte].extend(_pieces(line, signe, fichier, version.code))
    result: list[EntreeBudget] = []
    for compte in sorted(pieces):
        result.extend(_timeline(compte, pieces[compte]))
    result.sort(key=lambda e: (e.date, e.compte))
    return result


def directives(entrees: Iterable[EntreeBudget], devise: str = "EUR") -> list[Any]:
    """Beancount ``Custom`` directives of type ``budget`` for the entries."""
    from beancount.core import account, data
    from beancount.core.amount import Amount
    from beancount.parser.grammar import ValueType

    result = []
    for entree in entrees:
        meta = data.new_metadata(
            entree.fichier, entree.ligne, {"communs": "budget", "version": entree.version}
        )
        values = [
            ValueType(entree.compte, cast(type, account.TYPE)),  # a string, in Beancount
            ValueType(entree.periode, str),
            ValueType(Amount(entree.montant, devise), Amount),
        ]
        result.append(data.Custom(meta, entree.date, "budget", values))
    return result
