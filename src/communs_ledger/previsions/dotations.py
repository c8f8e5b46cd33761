"""The dotations aux amortissements of the fixed-asset register, in the exercices a
projection goes to.

A dotation (6811) is a charge *calculated*, never paid: the plan de trésorerie never
counts it (:data:`.budget_restant.SANS_TRESORERIE`), and the year-end cash of the
multi-year projection neither. Its amount, though, is known in advance: the register's
depreciation plans (:func:`communs_ledger.immobilisations.calcul.plan_d_amortissement`).
When the budget a projected exercice uses (its own or the last one carried over) has no
line on 6811 (nor on a broader code, 681 or 68), the projection takes the register's
planned dotation of that exercice on 6811 and says so in a note; a budget line on 6811
is the treasurer's choice and is kept as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..exercices import Exercice
from ..formatage import montant
from ..immobilisations.calcul import plan_d_amortissement
from ..immobilisations.registre import registre_du_grand_livre
from ..montants import ZERO
from ..rapports.source import Source

COMPTE_DOTATIONS = "6811"


def dotations_du_registre(source: Source) -> dict[str, Decimal]:
    """The register's planned dotations by exercice code (empty without a register, or
    with a register in error: ``communs verifier`` reports it)."""
    registre, errors = registre_du_grand_livre(source.context, source.entries)
    if registre is None or errors:
        return {}
    found: dict[str, Decimal] = {}
    for item in registre.immobilisations:
        for annuite in plan_d_amortissement(item, source.context.calendrier):
            code = annuite.exercice.code
            found[code] = found.get(code, ZERO) + annuite.dotation
    return found


def budget_sans_dotations(resultats: Mapping[str, Decimal]) -> bool:
    """True when no forecast line is on 6811, below it or on a code containing it."""
    return not any(
        COMPTE_DOTATIONS.startswith(code) or code.startswith(COMPTE_DOTATIONS) for code in resultats
    )


def ajouter_dotations(
    resultats: dict[str, Decimal], exercice: Exercice, dotations: Mapping[str, Decimal]
) -> str | None:
    """Add the register's dotation of ``exercice`` to ``resultats`` (by code, debit −
    credit) when the budget has none; the note saying so, or None."""
    dotation = dotations.get(exercice.code, ZERO)
    if not dotation or not budget_sans_dotations(resultats):
        return None
    resultats[COMPTE_DOTATIONS] = resultats.get(COMPTE_DOTATIONS, ZERO) + dotation
    return (
        f"Exercice {exercice.code} : dotations aux amortissements prévues par le registre "
        f"des immobilisations ({montant(dotation)}, compte 6811), le budget n'ayant pas de "
        "ligne 6811 ; charge calculée, sans effet sur la trésorerie."
    )
