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

The atterrissage of the exercice under way (:mod:`.atterrissage`) follows the same rule
on its forecast of the rest of the exercice, less what the actuals of the exercice
already hold on 6811 (:func:`completer_dotations`): a dotation booked only at closing
is then in the projected result, and one already booked is not counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..codes import account_code
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


def dotation_a_prevoir(
    resultats: Mapping[str, Decimal], exercice: Exercice, dotations: Mapping[str, Decimal]
) -> Decimal:
    """The register's dotation of ``exercice`` when the forecast ``resultats`` (by code)
    have no 6811 line (:func:`budget_sans_dotations`), else zero."""
    if not budget_sans_dotations(resultats):
        return ZERO
    return dotations.get(exercice.code, ZERO)


def ajouter_dotations(
    resultats: dict[str, Decimal], exercice: Exercice, dotations: Mapping[str, Decimal]
) -> str | None:
    """Add the register's dotation of ``exercice`` to ``resultats`` (by code, debit −
    credit) when the budget has none; the note saying so, or None."""
    dotation = dotation_a_prevoir(resultats, exercice, dotations)
    if not dotation:
        return None
    resultats[COMPTE_DOTATIONS] = resultats.get(COMPTE_DOTATIONS, ZERO) + dotation
    return (
        f"Exercice {exercice.code} : dotations aux amortissements prévues par le registre "
        f"des immobilisations ({montant(dotation)}, compte 6811), le budget n'ayant pas de "
        "ligne 6811 ; charge calculée, sans effet sur la trésorerie."
    )


def dotations_comptabilisees(totaux: Mapping[str, Decimal]) -> Decimal:
    """What ``totaux`` (by Beancount account, debit − credit) hold on 6811 and below."""
    return sum(
        (
            amount
            for account, amount in totaux.items()
            if (account_code(account) or "").startswith(COMPTE_DOTATIONS)
        ),
        ZERO,
    )


@dataclass(frozen=True, slots=True)
class DotationsCompletees:
    """The register's dotation of an exercice under way against its actuals on 6811."""

    exercice: Exercice
    prevues: Decimal
    """The register's planned dotation of the exercice."""
    comptabilisees: Decimal
    """What the actuals of the exercice already hold on 6811 (and below)."""

    @property
    def ajoutees(self) -> Decimal:
        """What the forecast of the rest of the exercice gets on 6811 (never negative)."""
        return max(ZERO, self.prevues - self.comptabilisees)

    @property
    def note(self) -> str | None:
        """The note of the report (None when the actuals exceed the plan: a warning)."""
        code, prevues = self.exercice.code, montant(self.prevues)
        if self.comptabilisees > self.prevues:
            return None
        if not self.ajoutees:
            return (
                f"Exercice {code} : dotations aux amortissements prévues par le registre des "
                f"immobilisations ({prevues}, compte 6811) déjà comptabilisées : rien "
                "à ajouter à la prévision du reste de l'exercice."
            )
        ajout = (
            f", dont {montant(self.comptabilisees)} déjà comptabilisés : "
            f"{montant(self.ajoutees)} ajoutés"
            if self.comptabilisees
            else " ajoutées"
        )
        return (
            f"Exercice {code} : dotations aux amortissements prévues par le registre des "
            f"immobilisations ({prevues}, compte 6811){ajout} à la prévision du reste de "
            "l'exercice, le budget n'y ayant pas de ligne 6811 ; charge calculée, sans "
            "effet sur la trésorerie."
        )

    @property
    def avertissement(self) -> str | None:
        """The warning when the actuals already exceed the register's plan."""
        if self.comptabilisees <= self.prevues:
            return None
        return (
            f"Exercice {self.exercice.code} : {montant(self.comptabilisees)} comptabilisés "
            "sur le compte 6811, plus que les dotations aux amortissements prévues par le "
            f"registre des immobilisations ({montant(self.prevues)}) : rien n'est ajouté à "
            "la prévision du reste de l'exercice ; à vérifier (communs immobilisations)."
        )


def completer_dotations(
    prevu: dict[str, Decimal],
    exercice: Exercice,
    dotations: Mapping[str, Decimal],
    realise: Mapping[str, Decimal],
) -> DotationsCompletees | None:
    """Add to ``prevu`` (the forecast of the rest of ``exercice``, by code, debit −
    credit) the register's dotation of the exercice less what its actuals ``realise`` (by
    Beancount account) hold on 6811, when the forecast has no 6811 line (the rule of
    :func:`ajouter_dotations`); None when the rule adds nothing to consider."""
    prevues = dotation_a_prevoir(prevu, exercice, dotations)
    if not prevues:
        return None
    found = DotationsCompletees(exercice, prevues, dotations_comptabilisees(realise))
    if found.ajoutees:
        prevu[COMPTE_DOTATIONS] = prevu.get(COMPTE_DOTATIONS, ZERO) + found.ajoutees
    return found
