"""Affectation du résultat after the AG: report à nouveau (110/119) and réserves (1068).

The ledger has no closing entry moving the result to 12: the bilan (and Fava,
through Beancount's ``account_previous_earnings`` option, the 110 account)
compute the results of earlier exercices from classes 6 and 7 and show them
as report à nouveau. So the result R of exercice E already sits in
« report à nouveau » from the first day of E+1; the affectation voted by the AG
(R = X to report à nouveau + Y to réserves) only moves what leaves it::

    2025-06-14 * "Affectation du résultat de l'exercice 2024 (AG du 14/06/2025)"
      affectation: "2024"
      Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur      Y EUR
      Fonds-propres:10-Fonds-propres:1068-Reserves-pour-projet             -Y EUR

A loss carried forward (X < 0) is moved to 119 (report à nouveau débiteur):
110 is credited by R and 119 debited by |X|; a loss charged to réserves
(Y < 0) debits 1068. Postings of zero are left out; with Y = 0 and X ≥ 0
nothing needs writing. In every case the bilan of E+1 shows report à nouveau
+ X and réserves + Y, and X + Y must equal R to the cent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import parse_account
from ..exercices import Exercice
from ..montants import ZERO
from ..rapports.source import Source

META_AFFECTATION = "affectation"
CODE_REPORT_CREDITEUR = "110"
CODE_REPORT_DEBITEUR = "119"
CODE_RESERVES = "1068"


def resultat_de(source: Source, exercice: Exercice) -> Decimal:
    """The result of ``exercice``: produits − charges (classes 7 and 6; 86/87 are class 8)."""
    total = ZERO
    for mouvement in source.mouvements.entre(exercice.debut, exercice.fin):
        code = mouvement.code or ""
        if code[:1] in ("6", "7"):
            total -= mouvement.montant
    return total


def deja_affecte(entries: list[Any], exercice: Exercice) -> Any | None:
    """The affectation entry of ``exercice`` already in the ledger, if any."""
    for entry in entries:
        meta = getattr(entry, "meta", None) or {}
        if str(meta.get(META_AFFECTATION, "")) == exercice.code:
            return entry
    return None


@dataclass(frozen=True)
class Affectation:
    exercice: Exercice
    date: datetime.date
    resultat: Decimal
    report_a_nouveau: Decimal
    reserves: Decimal


def postings(
    affectation: Affectation, compte: Any, report_crediteur: str
) -> list[tuple[str, Decimal]]:
    """(account, amount) of the entry; ``compte(code)`` names the account of a code."""
    x, y, r = affectation.report_a_nouveau, affectation.reserves, affectation.resultat
    lines: list[tuple[str, Decimal]] = []
    if x < 0:
        lines.append((report_crediteur, r))
        lines.append((compte(CODE_REPORT_DEBITEUR), -x))
    elif y:
        lines.append((report_crediteur, y))
    if y:
        lines.append((compte(CODE_RESERVES), -y))
    return [(account, amount) for account, amount in lines if amount]


def compte_report(options: dict[str, Any], roots: dict[str, str]) -> str | None:
    """The account Beancount carries earlier results to, if it is a 110."""
    name = options.get("account_previous_earnings")
    if not name:
        return None
    full = (
        name
        if name.startswith(roots.get("fonds_propres", "Fonds-propres") + ":")
        else (f"{roots.get('fonds_propres', 'Fonds-propres')}:{name}")
    )
    code = parse_account(full).code or ""
    return full if code.startswith(CODE_REPORT_CREDITEUR) else None
