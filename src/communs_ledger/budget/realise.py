"""Actual amounts (réalisé) of budget lines: which postings a budget line covers.

A budget line covers the postings whose account code starts with the line's
code. A line with a project covers only the postings of that project; a line
without project covers every posting its code matches that no project line
takes. Among the lines that match a posting, the one with the longest code
wins, and at equal length the project line. Postings of classes 6, 7, 86 and
87 that no line covers are *hors budget*, by account.

Amounts are positive in the natural direction of the line: débits − crédits
for charges (6) and emplois (86), crédits − débits for produits (7) and
ressources (87).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..mouvements import Mouvement
from .fichier import LigneBudget

Cle = tuple[str, str | None]


def sens(code: str) -> int:
    """+1 if a debit increases the line (charges, 86), -1 otherwise (produits, 87)."""
    return -1 if code[:1] == "7" or code[:2] == "87" else 1


def budgetable(code: str | None) -> bool:
    """Codes a budget speaks of: classes 6 and 7, contributions 86 and 87."""
    return code is not None and (code[:1] in ("6", "7") or code[:2] in ("86", "87"))


@dataclass
class Rattachement:
    """Where actual amounts go: budget lines, or hors budget by account."""

    par_ligne: dict[Cle, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    comptes_par_ligne: dict[Cle, set[str]] = field(default_factory=lambda: defaultdict(set))
    hors_budget: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    """Account name → amount, for postings no line covers."""


class Index:
    """Fast lookup of the budget line that covers a (code, project)."""

    def __init__(self, lignes: Iterable[LigneBudget]) -> None:
        self._lines: dict[Cle, LigneBudget] = {line.cle: line for line in lignes}
        self._cache: dict[Cle, Cle | None] = {}

    def ligne(self, code: str, projet: str | None) -> Cle | None:
        key = (code, projet)
        if key in self._cache:
            return self._cache[key]
        found: Cle | None = None
        for length in range(len(code), 0, -1):
            prefix = code[:length]
            if projet is not None and (prefix, projet) in self._lines:
                found = (prefix, projet)
                break
            if (prefix, None) in self._lines:
                found = (prefix, None)
                break
        self._cache[key] = found
        return found


def rattacher(mouvements: Iterable[Mouvement], lignes: Iterable[LigneBudget]) -> Rattachement:
    """Sum the actual amounts of ``mouvements`` by budget line (and hors budget)."""
    index = Index(lignes)
    result = Rattachement()
    par_ligne, comptes, hors_budget = result.par_ligne, result.comptes_par_ligne, result.hors_budget
    # (code, project) -> (line or None, sign), None when not budgetable: asked once each
    targets: dict[tuple[str | None, str | None], tuple[Cle | None, int] | None] = {}
    for movement in mouvements:
        code = movement.code
        pair = (code, movement.projet)
        target = targets.get(pair, _UNSET)
        if target is _UNSET:
            target = targets[pair] = _target(index, code, movement.projet)
        if target is None:
            continue
        key, sign = target
        signed = movement.montant * sign
        if key is None:
            hors_budget[movement.account] += signed
        else:
            par_ligne[key] += signed
            comptes[key].add(movement.account)
    return result


_UNSET: Any = object()


def _target(index: Index, code: str | None, projet: str | None) -> tuple[Cle | None, int] | None:
    """Where a movement of ``code`` and ``projet`` goes (:func:`rattacher`): its budget line
    (None: hors budget) and the sign of its amount; None when no budget speaks of it."""
    if not budgetable(code):
        return None
    assert code is not None
    return index.ligne(code, projet), sens(code)
