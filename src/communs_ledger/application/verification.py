"""What ``communs verifier`` checks and reports: the loaded ledger's errors completed with
those of the side files (budgets, forecasts, conventions, allocation keys), the warnings,
and a summary of what was read."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..chargement import Diagnostic, Livre

if TYPE_CHECKING:
    from beancount.core import data

    from ..mouvements import Mouvement


@dataclass(frozen=True, slots=True)
class ExerciceLu:
    """An exercice the ledger's entries cover, and its chart of accounts."""

    code: str
    debut: datetime.date
    fin: datetime.date
    plan: str


@dataclass(frozen=True, slots=True)
class VerificationDuLivre:
    """Errors and warnings (sorted by file and line), and what was read."""

    diagnostics: tuple[Diagnostic, ...]
    avertissements: tuple[Diagnostic, ...]
    ecritures: int
    comptes: int
    exercices: tuple[ExerciceLu, ...]

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def _exercices(livre: Livre, transactions: list[data.Transaction]) -> tuple[ExerciceLu, ...]:
    if not livre.entries:
        return ()
    dated = [e.date for e in transactions] or [e.date for e in livre.entries]
    return tuple(
        ExerciceLu(exercice.code, exercice.debut, exercice.fin, exercice.version)
        for exercice in livre.context.calendrier.between(min(dated), max(dated))
    )


def _mouvements_une_fois(entries: list[Any]) -> Callable[[], list[Mouvement]]:
    """The ledger's movements, collected on the first call only (and not at all when no
    check needs them), shared by the warnings of the side files."""
    found: list[list[Mouvement]] = []

    def mouvements() -> list[Mouvement]:
        from ..mouvements import collect

        if not found:
            found.append(collect(entries, "EUR").liste)
        return found[0]

    return mouvements


def verifier_livre(livre: Livre) -> VerificationDuLivre:
    """Every check of ``communs verifier`` on a loaded ledger. The side files' warnings
    are looked for only when the ledger has no error.

    (The checks are imported here: a :class:`VerificationDuLivre` kept by the results
    cache is read back without them, nor Beancount.)"""
    from beancount.core import data

    from ..balisage import avertissements_balisage
    from ..dons.controles import avertissements_des_dons
    from ..importation.attente import avertissement_attente
    from .fichiers_annexes import (
        avertissements_des_conventions,
        avertissements_des_fichiers_annexes,
        erreurs_des_fichiers_annexes,
    )

    diagnostics = list(livre.diagnostics)
    avertissements = list(livre.avertissements)
    if livre.context is not None:
        annexes = erreurs_des_fichiers_annexes(livre.context, livre.entries)
        diagnostics = sorted({*diagnostics, *annexes})
        if not diagnostics:
            mouvements = _mouvements_une_fois(livre.entries)
            conventions = avertissements_des_conventions(livre.context, livre.entries, mouvements)
            avertissements += [
                *avertissements_des_fichiers_annexes(livre.context, livre.entries, mouvements),
                *conventions,
                *avertissements_des_dons(livre.entries),
                *avertissement_attente(livre.context.config, livre.entries),
            ]
    avertissements = sorted({*avertissements, *avertissements_balisage(livre.entries)})
    transactions = [e for e in livre.entries if isinstance(e, data.Transaction)]
    comptes = {e.account for e in livre.entries if isinstance(e, data.Open)}
    return VerificationDuLivre(
        tuple(diagnostics),
        tuple(avertissements),
        len(transactions),
        len(comptes),
        _exercices(livre, transactions),
    )
