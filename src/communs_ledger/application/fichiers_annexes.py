"""Checks of the side files that the Beancount plugins do not load.

The budget files are checked by the ``budget`` plugin at every load (bean-check,
Fava). The forecast inputs (``previsions.paie``, ``flux``, ``scenarios``), the
conventions file, the fixed-asset register, the allocation keys
(``analytique.repartition``), the shared model packs (``modeles_communs``), the import
rules and bank profiles and the entry templates (:mod:`.import_et_saisie`) are only
read by the commands that use them; ``communs verifier`` checks them too, so
that one command tells every problem of the folder, with its file and line.
They stay out of the plugins: reading them at every load would slow Fava and
bean-check for files most loads never use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..analytique.cles import cles_du_grand_livre
from ..analytique.repartition import cles_sans_effet
from ..chargement import Diagnostic
from ..contexte import LedgerContext
from ..conventions.etiquettes import avertissements
from ..conventions.fichier import conventions_du_grand_livre
from ..dons.controles import erreurs_des_dons
from ..immobilisations.registre import registre_du_grand_livre
from ..mouvements import Mouvement, collect
from ..partage.reglages import modeles_inscrits
from ..previsions.entrees import charger_entrees
from ..sources import SourceError
from .import_et_saisie import erreurs_d_import_et_de_saisie


def _diagnostic(error: SourceError) -> Diagnostic:
    return Diagnostic(error.location.filename, error.location.line, error.message)


def erreurs_des_fichiers_annexes(context: LedgerContext, entries: Any = None) -> list[Diagnostic]:
    """Errors of the forecast inputs, conventions, allocation keys, shared model packs,
    donors' and members' registers and the fixed-asset register, sorted, unique; with the
    ledger's ``entries``, its ``convention:`` tags naming no convention and its
    ``donateur:`` / ``adherent:`` metadata naming nobody, and the import rules, bank
    profiles and entry templates too."""

    entrees = charger_entrees(context)
    if entries is not None:
        entrees.verifier_etiquettes(entries)
    errors: list[SourceError] = list(entrees.erreurs)
    if entries is not None:
        errors.extend(registre_du_grand_livre(context, entries)[1])
    _cles, key_errors = cles_du_grand_livre(context)
    errors.extend(key_errors)
    if modeles_inscrits(context.config):  # the packs' module is long to import: only then
        from ..partage.modeles import erreurs_des_modeles

        errors.extend(erreurs_des_modeles(context.config, context.ledger.resolve().parent))
    errors.extend(erreurs_des_dons(context.config, entries))
    if entries is not None:
        errors.extend(erreurs_d_import_et_de_saisie(context, entries))
    return sorted({_diagnostic(error) for error in errors})


def avertissements_des_fichiers_annexes(
    context: LedgerContext,
    entries: list[Any],
    mouvements: Callable[[], list[Mouvement]] | None = None,
) -> list[Diagnostic]:
    """Warnings of the allocation keys: a key that allocates nothing over its period (its
    ``tiers`` or its accounts match no entry) loses overheads silently. ``mouvements``: the
    ledger's movements, when the caller collects them once for several checks."""

    cles, errors = cles_du_grand_livre(context)
    if errors or not len(cles):
        return []
    found = []
    moves = mouvements() if mouvements is not None else collect(entries).liste
    for cle in cles_sans_effet(moves, cles):
        tiers = f", tiers « {cle.tiers} »" if cle.tiers else ""
        found.append(
            Diagnostic(
                cle.location.filename,
                cle.location.line,
                f"clé de répartition « {cle.code} » ({cle.periode}, comptes "
                f"{', '.join(cle.comptes)}{tiers}) : aucune écriture ne lui revient, elle ne "
                "répartit rien ; vérifiez le tiers (bénéficiaire exact des écritures) et les "
                "comptes",
            )
        )
    return found


def avertissements_des_conventions(
    context: LedgerContext,
    entries: Any,
    mouvements: Callable[[], list[Mouvement]] | None = None,
) -> list[Diagnostic]:
    """Warnings of untagged receipts and recognitions on the accounts of an open convention
    (:mod:`communs_ledger.conventions.etiquettes`), at their file:line."""

    conventions, errors = conventions_du_grand_livre(context)
    if conventions is None or errors:
        return []
    moves = mouvements() if mouvements is not None else collect(entries, "EUR").liste
    return sorted({_diagnostic(w) for w in avertissements(conventions, moves)})
