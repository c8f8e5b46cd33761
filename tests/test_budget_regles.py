"""One test per budget rule (:mod:`communs_ledger.budget.regles`): the example of its
docstring, on a budget written by hand (uniform monthly amounts over 2026), the exact
French message and the location it points to."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal

from communs_ledger.budget.fichier import LigneBudget, VersionBudget
from communs_ledger.budget.realise import Rattachement
from communs_ledger.budget.reglages import ReglesBudget
from communs_ledger.budget.regles import (
    CHECKS,
    Constat,
    check_depassement,
    check_depassement_projets,
    check_ligne_sans_realise,
    check_produits_en_retard,
    check_projet_sans_budget,
    evaluer,
)
from communs_ledger.exercices import Exercice
from communs_ledger.sources import Location

EXERCICE = Exercice(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
BUDGET = "budgets/2026.yaml"
LIEUX = {
    "": Location("communs.yaml", 1),
    "depassement": Location("communs.yaml", 3),
    "projet_sans_budget": Location("communs.yaml", 2),
}
NOMS = {"JARDINS": "Jardins partagés", "ECOLE": "École"}


def _ligne(compte: str, montant: int, ligne: int, projet: str | None = None) -> LigneBudget:
    """A line of ``montant`` € spread evenly over the twelve months of 2026."""
    mois = tuple(
        (
            datetime.date(2026, m, 1),
            datetime.date(2026, m, calendar.monthrange(2026, m)[1]),
            Decimal(montant) / 12,
        )
        for m in range(1, 13)
    )
    return LigneBudget(compte, Decimal(montant), projet, None, None, mois, Location(BUDGET, ligne))


def _evaluer(
    lignes: list[LigneBudget],
    realise: dict[tuple[str, str | None], Decimal],
    jour: datetime.date,
    charges_projets: dict[str, Decimal] | None = None,
) -> list[Constat]:
    version = VersionBudget("vote", "BP voté", EXERCICE.debut, tuple(lignes), Location(BUDGET))
    rattachement = Rattachement()
    for cle, montant in realise.items():
        rattachement.par_ligne[cle] += montant
        rattachement.comptes_par_ligne[cle].add(f"compte {cle[0]}")
    return evaluer(
        version,
        rattachement,
        EXERCICE,
        jour,
        ReglesBudget(),
        charges_projets=charges_projets or {},
        noms_projets=NOMS,
        lieux=LIEUX,
    )


def _vus(found: list[Constat]) -> list[tuple[str, str, str]]:
    return [(c.regle, str(c.location), c.message) for c in found]


def test_regles_dans_l_ordre() -> None:
    assert (
        check_depassement,
        check_depassement_projets,
        check_produits_en_retard,
        check_projet_sans_budget,
        check_ligne_sans_realise,
    ) == CHECKS


def test_depassement_d_une_ligne() -> None:
    found = _evaluer(
        [_ligne("6226", 6000, 6)], {("6226", None): Decimal("3450")}, datetime.date(2026, 4, 30)
    )
    assert _vus(found) == [
        (
            "depassement",
            "budgets/2026.yaml:6",
            "Budget 2026, ligne 6226 Honoraires : réalisé 3\u202f450,00\xa0€ pour un budget à "
            "date de 2\u202f000,00\xa0€ (+72,5\xa0%, seuil 10\xa0%)",
        )
    ]


def test_depassement_d_un_projet() -> None:
    found = _evaluer(
        [_ligne("6226", 1200, 6, "JARDINS")],
        {("6226", "JARDINS"): Decimal("500")},
        datetime.date(2026, 6, 30),
        charges_projets={"JARDINS": Decimal("800")},
    )
    assert _vus(found) == [
        (
            "depassement",
            "communs.yaml:3",
            "Budget 2026, projet JARDINS « Jardins partagés » : charges réalisées 800,00\xa0€ "
            "pour un budget à date de 600,00\xa0€ (+33,3\xa0%, seuil 10\xa0%)",
        )
    ]


def test_produits_en_retard() -> None:
    found = _evaluer(
        [_ligne("6226", 6000, 6), _ligne("741", 24000, 8)],
        {("6226", None): Decimal("2000"), ("741", None): Decimal("1000")},
        datetime.date(2026, 4, 30),
    )
    assert _vus(found) == [
        (
            "produits_en_retard",
            "budgets/2026.yaml:8",
            "Budget 2026, ligne 741 Subventions d'exploitation : réalisé 1\u202f000,00\xa0€ pour "
            "un budget à date de 8\u202f000,00\xa0€ (12,5\xa0% du budget à date, seuil 50\xa0%)",
        )
    ]


def test_projet_sans_budget() -> None:
    found = _evaluer(
        [_ligne("6226", 6000, 6)],
        {("6226", None): Decimal("500")},
        datetime.date(2026, 2, 10),
        charges_projets={"ECOLE": Decimal("120")},
    )
    assert _vus(found) == [
        (
            "projet_sans_budget",
            "communs.yaml:2",
            "Budget 2026 : le projet ECOLE « École » a 120,00\xa0€ de charges sur l'exercice "
            "mais aucune ligne dans le budget",
        )
    ]


def test_ligne_sans_realise_remplace_produits_en_retard() -> None:
    found = _evaluer(
        [_ligne("6226", 8400, 6), _ligne("6161", 1200, 10), _ligne("741", 24000, 12)],
        {("6226", None): Decimal("4900")},
        datetime.date(2026, 7, 31),
    )
    assert _vus(found) == [
        (
            "ligne_sans_realise",
            "budgets/2026.yaml:10",
            "Budget 2026, ligne 6161 Multirisques : aucune écriture sur l'exercice au 31 "
            "juillet 2026, après 7 mois (budget annuel 1\u202f200,00\xa0€, à date 700,00\xa0€)",
        ),
        (
            "ligne_sans_realise",
            "budgets/2026.yaml:12",
            "Budget 2026, ligne 741 Subventions d'exploitation : aucune écriture sur "
            "l'exercice au 31 juillet 2026, après 7 mois (budget annuel 24\u202f000,00\xa0€, "
            "à date 14\u202f000,00\xa0€)",
        ),
    ]
