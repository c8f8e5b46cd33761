"""The results of an exercice a board looks at, and which end-of-exercice result to show.

- the résultat à date against the budget à date (``communs budget``: the totals
  ``realise`` and ``budget_a_date`` of ``resultat``) and the annual budget;
- the two end-of-exercice results, each under its own name: the « projection du budget »
  (actuals + the rest of the budget, ``communs budget``) and, with valid forecast inputs
  (payroll, conventions, flows), the « atterrissage » (``communs prevision atterrissage``);
- without a budget (or with budget files in error), the résultat of the compte de
  résultat and the reason there is no budget comparison; without a budget (not with
  budget files in error), the atterrissage all the same when the forecast inputs give
  one.

The result shown for the end of the exercice (:attr:`ResultatProjete.retenu`) is the
atterrissage when there is one, else the projection du budget, else the résultat to date.
The dashboard of Fava and ``communs prevision resultat`` show these figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..budget.fichier import Budgets
from ..budget.rapport_suivi import build_rapport_suivi
from ..budget.suivi import SuiviBudget, compute_suivi
from ..exercices import Exercice
from ..rapports.entete import sous_titre
from ..rapports.objets import Colonne, Ligne, Partie, Rapport, Style
from ..rapports.resultat import build_rapport_compte_de_resultat, compute_compte_de_resultat
from ..rapports.source import RapportImpossible, Source
from .atterrissage import build_rapport_atterrissage, compute_atterrissage
from .entrees import Entrees

ATTERRISSAGE = "atterrissage"
PROJECTION_DU_BUDGET = "projection_du_budget"
RESULTAT = "resultat"


@dataclass(frozen=True, slots=True)
class ResultatProjete:
    """The results of an exercice to date and at its end, with the reports behind them."""

    exercice: Exercice
    resultat_a_date: Decimal
    """The réalisé of ``communs budget`` (to ``au``), or the compte de résultat's result
    without a budget."""
    au: datetime.date | None = None
    """The date of the budget figures (None without a budget)."""
    budget_a_date: Decimal | None = None
    budget_annuel: Decimal | None = None
    version_budget: str | None = None
    """The name of the budget version compared."""
    projection_du_budget: Decimal | None = None
    atterrissage: Decimal | None = None
    sans_budget: str | None = None
    """Why there is no budget comparison (French), None with one."""
    rapports: Mapping[str, Rapport] = field(default_factory=dict)
    """The reports the figures come from: ``budget`` and ``atterrissage``, or
    ``compte_de_resultat`` without a budget."""
    suivi: SuiviBudget | None = None
    """The budget vs réalisé figures (None without a budget)."""

    @property
    def retenu(self) -> str:
        """Which result is the end-of-exercice one: ``atterrissage``,
        ``projection_du_budget`` or (no budget) ``resultat``."""
        if self.atterrissage is not None:
            return ATTERRISSAGE
        if self.projection_du_budget is not None:
            return PROJECTION_DU_BUDGET
        return RESULTAT

    @property
    def resultat_de_fin(self) -> Decimal:
        """The end-of-exercice result retained (:attr:`retenu`)."""
        if self.atterrissage is not None:
            return self.atterrissage
        if self.projection_du_budget is not None:
            return self.projection_du_budget
        return self.resultat_a_date


def atterrissage_si_prevu(
    source: Source, entrees: Entrees | None, budgets: Budgets, exercice: Exercice
) -> tuple[Decimal, Rapport] | None:
    """The atterrissage of ``exercice`` and its report when forecast inputs are declared
    (payroll, conventions, flows) and valid; None otherwise."""
    if entrees is None or not entrees.fichiers or entrees.erreurs:
        return None
    try:
        figures = compute_atterrissage(source, entrees, budgets, exercice.code)
    except RapportImpossible:
        return None
    return figures.resultat, build_rapport_atterrissage(figures, source)


def _sans_budget(
    source: Source, exercice: Exercice, raison: str, atterri: tuple[Decimal, Rapport] | None
) -> ResultatProjete:
    figures = compute_compte_de_resultat(source, exercice, n1=False)
    rapports = {"compte_de_resultat": build_rapport_compte_de_resultat(figures, source)}
    if atterri is not None:
        rapports[ATTERRISSAGE] = atterri[1]
    return ResultatProjete(
        exercice,
        figures.n.resultat_net,
        sans_budget=raison,
        atterrissage=atterri[0] if atterri is not None else None,
        rapports=rapports,
    )


def resultat_projete(
    source: Source, budgets: Budgets, entrees: Entrees | None, exercice: Exercice
) -> ResultatProjete:
    """The results of ``exercice`` to date and at its end (see the module docstring)."""
    try:
        if budgets.erreurs:
            raise RapportImpossible(
                f"les fichiers de budget contiennent {len(budgets.erreurs)} erreur(s) "
                "(voir la page Budget vs réalisé)"
            )
        suivi = compute_suivi(source, budgets, exercice)
    except RapportImpossible as exc:
        # no budget: the atterrissage (payroll, conventions, flows) still exists
        atterri = (
            None if budgets.erreurs else atterrissage_si_prevu(source, entrees, budgets, exercice)
        )
        return _sans_budget(source, exercice, str(exc), atterri)
    rapports = {"budget": build_rapport_suivi(suivi, source)}
    atterri = atterrissage_si_prevu(source, entrees, budgets, exercice)
    if atterri is not None:
        rapports[ATTERRISSAGE] = atterri[1]
    resultat = suivi.resultat
    return ResultatProjete(
        exercice,
        resultat.realise,
        au=suivi.au,
        budget_a_date=resultat.budget_a_date,
        budget_annuel=resultat.budget_annuel,
        version_budget=suivi.version.nom,
        projection_du_budget=resultat.projection,
        atterrissage=atterri[0] if atterri is not None else None,
        rapports=rapports,
        suivi=suivi,
    )


_LIBELLES_RETENU = {
    ATTERRISSAGE: "atterrissage",
    PROJECTION_DU_BUDGET: "projection du budget",
    RESULTAT: "résultat à date, faute de budget",
}


def _lignes(resultats: ResultatProjete) -> list[Ligne]:
    date = f" au {resultats.au.strftime('%d/%m/%Y')}" if resultats.au is not None else ""
    figures: list[tuple[str, str, Decimal | None]] = [
        ("resultat_a_date", f"Résultat{date}", resultats.resultat_a_date)
    ]
    if resultats.sans_budget is None:
        figures += [
            ("budget_a_date", f"Résultat budgété{date}", resultats.budget_a_date),
            (
                "budget_annuel",
                f"Budget annuel (version « {resultats.version_budget} »)",
                resultats.budget_annuel,
            ),
            (
                PROJECTION_DU_BUDGET,
                "Projection du budget (résultat de fin d'exercice)",
                resultats.projection_du_budget,
            ),
        ]
    if resultats.atterrissage is not None:
        figures.append(
            (ATTERRISSAGE, "Atterrissage (résultat de fin d'exercice)", resultats.atterrissage)
        )
    lignes = [Ligne(libelle, {"montant": value}, id=id_) for id_, libelle, value in figures]
    lignes.append(
        Ligne(
            f"Résultat de fin d'exercice retenu ({_LIBELLES_RETENU[resultats.retenu]})",
            {"montant": resultats.resultat_de_fin},
            id="resultat_de_fin",
            style=Style.TOTAL,
        )
    )
    return lignes


def build_rapport_resultat_projete(resultats: ResultatProjete, association: str) -> Rapport:
    """The figures of :func:`resultat_projete` as a one-table report."""
    exercice = resultats.exercice
    notes = [
        "Résultat de fin d'exercice retenu : l'atterrissage (réalisé + prévisions "
        "détaillées : communs prevision atterrissage) s'il existe, sinon la projection du "
        "budget (réalisé à date + budget restant : communs budget), sinon le résultat à "
        "date ; le tableau de bord de Fava montre les mêmes chiffres."
    ]
    if resultats.sans_budget is not None:
        notes.append(f"Budget : {resultats.sans_budget}")
    elif resultats.atterrissage is None:
        notes.append(
            "Atterrissage : aucune prévision détaillée valide (paie, conventions, flux) ; "
            "seule la projection du budget est montrée."
        )
    lignes = _lignes(resultats)
    return Rapport(
        id="resultat_projete",
        titre="Résultat de l'exercice, à date et en fin d'exercice",
        association=association,
        parties=[Partie("resultat_projete", "Résultat", [Colonne("montant", "Montant")], lignes)],
        sous_titre=sous_titre(exercice, exercice.fin),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux={
            "n": {
                ligne.id: value
                for ligne in lignes
                if ligne.id and isinstance(value := ligne.valeurs["montant"], Decimal)
            }
        },
        notes=notes,
        meta={"retenu": resultats.retenu, "au": resultats.au},
    )
