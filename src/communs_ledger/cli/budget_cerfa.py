"""``communs budget cerfa``: the budget in the layout of CERFA 12156."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .conventions import repartition_option
from .options import commande_de_rapport
from .rapports import exercice_option, projet_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport
    from .sortie import Sortie


AIDE_EXERCICE_BUDGET = (
    "Exercice du budget (ex. 2026, ou 2025-2026) ; par défaut le dernier exercice "
    "doté d'un fichier de budget (communs.yaml, budget.fichiers)."
)


def version_option(
    aide: str = "Version du budget (code ou nom ; par défaut la plus récente).",
) -> Any:
    """``--version/-v``: a version of the budget, with the help ``aide``."""
    return typer.Option(None, "--version", "-v", help=aide, show_default=False)


@dataclass
class BudgetChoisi:
    """A loaded ledger without errors and the budget of the exercice asked for."""

    livre: Any  # chargement.Livre
    budget: Any  # budget.fichier.BudgetExercice


def charger_budget(ledger: Path | None, exercice: str | None) -> BudgetChoisi:
    """Load the ledger and its budgets; refuse errors; pick the exercice's budget."""
    from ..budget.fichier import load_budgets
    from .echecs import VOIR_VERIFIER, Echec, refuser_erreurs
    from .rapports import livre_sans_erreur

    livre = livre_sans_erreur(ledger, "avant de produire le budget")
    budgets = load_budgets(livre.context)
    contient = "les fichiers de budget contiennent"
    refuser_erreurs(budgets.erreurs, contient, corriger=None, renvoi=VOIR_VERIFIER)
    declared = sorted(budgets.par_exercice.values(), key=lambda b: b.exercice.debut)
    if not declared:
        raise Echec(
            "aucun budget déclaré : indiquez le fichier du budget de l'exercice dans "
            'communs.yaml (budget: {fichiers: {"2026": budgets/2026.yaml}})'
        )
    if exercice is None:
        return BudgetChoisi(livre, declared[-1])
    found = livre.context.calendrier.find(exercice.strip(), [b.exercice for b in declared])
    if found is None:
        known = ", ".join(b.exercice.code for b in declared)
        raise Echec(f"aucun budget pour l'exercice « {exercice} » : budgets déclarés : {known}")
    return BudgetChoisi(livre, budgets.pour(found))


def version_ou_echec(budget: Any, code: str | None) -> Any:  # -> VersionBudget
    from ..sources import display_path
    from .echecs import Echec

    found = budget.version(code)
    if found is not None:
        return found
    where = display_path(budget.fichier)
    if not budget.versions:
        raise Echec(f"le budget {budget.exercice.code} ({where}) ne contient aucune version")
    known = ", ".join(f"{v.code} ({v.nom})" for v in budget.versions)
    raise Echec(
        f"version « {code} » inconnue dans le budget {budget.exercice.code} ({where}) : "
        f"versions : {known}"
    )


@commande_de_rapport
def cerfa(
    exercice: str | None = exercice_option(AIDE_EXERCICE_BUDGET),
    version: str | None = version_option(),
    projet: str | None = projet_option(),
    repartition: bool = repartition_option(
        "Avec --projet : la part du projet des charges générales du budget, par les clés de "
        "répartition (par défaut), ou sans elle."
    ),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> Rapport:
    """Budget au format du tableau du CERFA 12156 (demande de subvention) : charges, produits
    (subventions par type de financeur), contributions volontaires en nature."""
    from ..budget.cerfa import ouvertures
    from ..budget.rapport_cerfa import cerfa_12156
    from ..rendu import Format
    from ..rendu.vues_budget import commentaires_a_part
    from ..sources import display_path
    from .echecs import Echec

    choisi = charger_budget(ledger, exercice)
    budget = choisi.budget
    chosen = version_ou_echec(budget, version)
    context = choisi.livre.context
    if projet is not None and projet not in context.config.projets:
        known = ", ".join(sorted(context.config.projets)) or "aucun projet déclaré"
        raise Echec(f"projet « {projet} » inconnu : projets de communs.yaml : {known}")
    cles = None
    if projet is not None and repartition:
        from ..rapports.source import Source
        from .conventions import cles_ou_echec

        cles = cles_ou_echec(Source.from_livre(choisi.livre))
    rapport = cerfa_12156(
        context,
        budget.exercice,
        chosen,
        ouvertures(choisi.livre.entries),
        projet=projet,
        fichier=display_path(budget.fichier),
        cles=cles,
    )
    if sortie.format_ecrit is Format.table:
        rapport = commentaires_a_part(rapport)  # long texts below the tables
    return rapport
