"""Which budget lines the multi-year projection carries over when explicit inputs cover
part of them: a broader line keeps what exceeds the inputs, the payroll replaces its
chapters, conventions cover their income code only in the exercices they are granted for.

Ledger « Les Petits Pois » of :mod:`test_prevision_fixtures` (budget 2026, no growth):
6132 9 600, 641 24 000, 645 9 600, 6811 1 200, 60 500, 7411 12 000, 756 1 000 (version
``revise``: 756 1 500).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.chargement import load_livre
from communs_ledger.conventions.fichier import charger_conventions
from communs_ledger.previsions.modele import ResultatPrevu
from communs_ledger.previsions.pluriannuelle import pluriannuelle
from communs_ledger.previsions.versements import Versements
from communs_ledger.rapports.objets import Rapport
from conftest import EXEMPLE
from test_prevision_fixtures import FaussePaie, Fixe, entrees_de, load_source, write_petits_pois

D = Decimal


def _line(rapport: Rapport, id_: str) -> tuple[Decimal, Decimal]:
    row = rapport.partie("compte_de_resultat").ligne(id_)
    assert row is not None, id_
    return row.valeurs["n_plus_1"], row.valeurs["n_plus_2"]


def test_une_ligne_plus_large_garde_ce_qui_depasse_les_entrees(ledger_dir: Path) -> None:
    source = load_source(write_petits_pois(ledger_dir))
    # A flow on 6064 of 700 € in 2027 only: the budget line 60 (500) is covered by it in
    # 2027 (max(0, 500 − 700) = 0 left) and carried whole in 2028 (nothing on 6064).
    achat = ResultatPrevu(datetime.date(2027, 3, 31), "6064", D(700), "Achat", "flux:achat")
    entrees = entrees_de(Fixe("achat", resultats=[achat], couverts={"6064"}))
    rapport = pluriannuelle(source, entrees, load_budgets(source.context), annees=2)
    # autres achats et charges externes = 6132 9 600 + line 60 + the flow
    assert _line(rapport, "autres_achats_charges_externes") == (D(10300), D(10100))


def test_une_ligne_plus_large_sans_depassement(ledger_dir: Path) -> None:
    source = load_source(write_petits_pois(ledger_dir))
    # 6064: 200 € in 2027 → line 60 keeps 300; total 9 600 + 300 + 200 = 10 100.
    achat = ResultatPrevu(datetime.date(2027, 3, 31), "6064", D(200), "Achat", "flux:achat")
    entrees = entrees_de(Fixe("achat", resultats=[achat], couverts={"6064"}))
    rapport = pluriannuelle(source, entrees, load_budgets(source.context), annees=2)
    assert _line(rapport, "autres_achats_charges_externes") == (D(10100), D(10100))


def test_la_paie_remplace_ses_chapitres(ledger_dir: Path) -> None:
    """Payroll on 6411 replaces the budget line 641 (its chapter) entirely: the contract
    ending on 30 June 2027 is not made up by the line (6 × 2 100 = 12 600, then 0)."""
    source = load_source(write_petits_pois(ledger_dir))
    rapport = pluriannuelle(
        source, entrees_de(FaussePaie()), load_budgets(source.context), annees=2
    )
    assert _line(rapport, "salaires_traitements") == (D(12600), D(0))


def test_conventions_couvrent_leur_compte_l_annee_de_leur_notification() -> None:
    livre = load_livre(EXEMPLE)
    context = livre.context
    conventions, errors = charger_conventions(EXEMPLE.parent / "conventions.yaml", context)
    assert not errors
    versements = Versements(conventions)

    def year(y: int) -> set[str]:
        return versements.codes_couverts_entre(datetime.date(y, 1, 1), datetime.date(y, 12, 31))

    assert year(2027) == {"7411", "7412", "7413", "7415", "7416"}
    assert year(2025) == {"7411", "7412", "7413", "7415", "7416", "7551"}
    assert "7418" in year(2024)  # ASP-PEC-2024: no notification, starts in July 2024
    assert year(2028) == set()
    assert versements.codes_couverts() >= year(2025) | year(2027)


def test_exemple_subventions_reconduites_apres_les_conventions_connues() -> None:
    """The example: 2027 subsidies come from its conventions (7 320 + 54 000 + 10 000 +
    21 000 + 12 000 + 5 000 + 8 500 = 117 820); 2028 has no convention yet, so the 2027
    budget lines are carried (12 320 + 12 000 + 10 000 + 21 000 + 54 000 + 8 500 =
    117 820): the association is assumed to apply again."""
    from communs_ledger.previsions.entrees import charger_entrees
    from communs_ledger.rapports.source import Source

    livre = load_livre(EXEMPLE)
    source = Source.from_livre(livre)
    entrees = charger_entrees(livre.context)
    rapport = pluriannuelle(source, entrees, load_budgets(livre.context), annees=2)
    assert _line(rapport, "concours_publics_subventions") == (D(117820), D(117820))


def test_le_reste_du_budget_laisse_les_lignes_de_paie_a_la_paie(ledger_dir: Path) -> None:
    """In the plan de trésorerie too, the payroll replaces the budget lines 641 and 645 of
    « Les Petits Pois » (24 000 and 9 600 a year, 2 000 and 800 a month): nothing of them
    is forecast from May to December; without payroll, 8 months of each are."""
    from communs_ledger.previsions.budget_restant import BudgetRestant
    from communs_ledger.previsions.modele import BASE, Periode

    source = load_source(write_petits_pois(ledger_dir))
    periode = Periode(datetime.date(2026, 5, 1), datetime.date(2026, 12, 31))
    paie = FaussePaie()
    avec = BudgetRestant(paie.codes_couverts(), [paie]).generer(periode, BASE, source)
    assert not [r for r in avec.resultat if r.compte.startswith("64")]
    sans = BudgetRestant(set()).generer(periode, BASE, source)
    assert sum(r.montant for r in sans.resultat if r.compte == "641") == D(16000)
    assert sum(r.montant for r in sans.resultat if r.compte == "645") == D(6400)
