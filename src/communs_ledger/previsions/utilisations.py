"""The utilisation of the fonds dédiés carried from earlier exercices, in the
atterrissage of the exercice under way.

At closing, the fonds dédiés (19x) of a dedicated convention carried from earlier
exercices are taken back to income (*utilisations des fonds dédiés*, 789x) as far as
the convention's project was spent during the exercice
(:func:`communs_ledger.fonds_dedies.calcul.mouvements_de_fonds`: ``utilisation`` =
min(ouverture, emploi)). The atterrissage of an exercice under way
(:mod:`.atterrissage`) adds to its forecast of the rest of the exercice the utilisation
the spending **to date** already justifies (the fonds dédiés computation of
:func:`communs_ledger.fonds_dedies.calcul.calculer` on the actuals), less what the
actuals already hold on 789x, never negative — when the forecast has no line on the
689x and 789x accounts (nor on a broader code, 78 or 68): a budget line there is the
treasurer's choice and is kept as it is (:func:`completer_utilisations`).

Not projected: the spending still to come (the utilisation may grow up to the fonds
carried as the project goes on), and the reports en fonds dédiés (689x) of the unspent
part of the resources of the exercice, which depend on the spending at year end. The
note says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..exercices import Exercice
from ..fonds_dedies.calcul import calculer, conventions_du_livre
from ..formatage import montant
from ..montants import ZERO
from ..plan import familles
from ..rapports.source import RapportImpossible, Source


def comptes_des_fonds_dedies() -> tuple[str, ...]:
    """The report (689x) and utilisation (789x) accounts of every family."""
    return tuple(code for f in familles() for code in (f.report, f.utilisation))


def prevision_sans_fonds_dedies(resultats: Mapping[str, Decimal]) -> bool:
    """True when no forecast line is on a 689x or 789x account, below it or on a code
    containing it (68, 78…)."""
    comptes = comptes_des_fonds_dedies()
    return not any(
        compte.startswith(code) or code.startswith(compte)
        for code in resultats
        for compte in comptes
    )


@dataclass(frozen=True, slots=True)
class UtilisationAPrevoir:
    """One dedicated convention with fonds carried into the exercice under way."""

    reference: str
    compte: str  # 789x of its family
    ouverture: Decimal
    """Its fonds dédiés at the opening of the exercice (19x, as booked)."""
    justifiee: Decimal
    """min(ouverture, spending of the project to date)."""
    comptabilisee: Decimal
    """What the actuals of the exercice already hold on its 789x."""

    @property
    def ajoutee(self) -> Decimal:
        return max(ZERO, self.justifiee - self.comptabilisee)


@dataclass(frozen=True, slots=True)
class UtilisationsCompletees:
    """The utilisations of the fonds carried into an exercice under way."""

    exercice: Exercice
    fonds: tuple[UtilisationAPrevoir, ...]

    @property
    def ajoutees(self) -> Decimal:
        return sum((item.ajoutee for item in self.fonds), ZERO)

    def par_compte(self) -> dict[str, Decimal]:
        """What the forecast gets, by 789x account (credits, positive)."""
        found: dict[str, Decimal] = {}
        for item in self.fonds:
            if item.ajoutee:
                found[item.compte] = found.get(item.compte, ZERO) + item.ajoutee
        return found

    @property
    def note(self) -> str:
        """The note of the report: what was added, and what is not projected."""
        ouverture = sum((item.ouverture for item in self.fonds), ZERO)
        justifiee = sum((item.justifiee for item in self.fonds), ZERO)
        comptabilisee = sum((item.comptabilisee for item in self.fonds), ZERO)
        comptes = ", ".join(sorted({item.compte for item in self.fonds}))
        references = ", ".join(item.reference for item in self.fonds)
        debut = (
            f"Exercice {self.exercice.code} : fonds dédiés reportés des exercices antérieurs "
            f"{montant(ouverture)} ({references}) ; utilisation justifiée par les dépenses "
            f"des projets dédiés comptabilisées à date {montant(justifiee)} (compte {comptes})"
        )
        if not justifiee:
            milieu = " : rien à ajouter à la prévision du reste de l'exercice"
        elif not self.ajoutees:
            milieu = " déjà comptabilisée : rien à ajouter à la prévision du reste de l'exercice"
        elif comptabilisee:
            milieu = (
                f", dont {montant(comptabilisee)} déjà comptabilisés : "
                f"{montant(self.ajoutees)} ajoutés à la prévision du reste de l'exercice"
            )
        else:
            milieu = " ajoutée à la prévision du reste de l'exercice"
        return (
            f"{debut}{milieu}, la prévision n'ayant pas de ligne 689x ni 789x ; produit "
            "calculé, sans effet sur la trésorerie. Non prévus : l'utilisation due aux "
            "dépenses restant à venir et les reports en fonds dédiés (689x) de la part non "
            "employée des ressources de l'exercice, qui dépendent des dépenses de fin "
            "d'exercice (communs fonds-dedies à la clôture)."
        )


def utilisations_a_prevoir(source: Source, exercice: Exercice) -> tuple[UtilisationAPrevoir, ...]:
    """The dedicated conventions with fonds carried into ``exercice`` (empty without
    conventions or with conventions in error: ``communs verifier`` reports them)."""
    try:
        fonds = calculer(source, conventions_du_livre(source), exercice)
    except RapportImpossible:
        return ()
    return tuple(
        UtilisationAPrevoir(
            f.reference, f.famille.utilisation, f.ouverture, f.utilisation, f.utilisation_passee
        )
        for f in fonds
        if f.ouverture > 0
    )


def completer_utilisations(
    prevu: dict[str, Decimal], exercice: Exercice, source: Source
) -> UtilisationsCompletees | None:
    """Add to ``prevu`` (the forecast of the rest of ``exercice``, by code, debit −
    credit) the utilisation of the fonds carried into the exercice the spending to date
    justifies, less what is already booked on 789x, when the forecast has no 689x/789x
    line; None when the rule does not apply or no fonds were carried."""
    if not prevision_sans_fonds_dedies(prevu):
        return None
    fonds = utilisations_a_prevoir(source, exercice)
    if not fonds:
        return None
    found = UtilisationsCompletees(exercice, fonds)
    for compte, amount in found.par_compte().items():
        prevu[compte] = prevu.get(compte, ZERO) - amount  # a produit: credit
    return found
