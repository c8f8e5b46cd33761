"""``communs budget nouveau``: next year's budget file from a budget or from its actuals,
comments and profiles kept. Figures by hand."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.budget.fichier import load_budget_file
from communs_ledger.exercices import Exercice
from conftest import write_ledger

D = Decimal

LEDGER = """\
option "title" "Les Amis du Test"
option "operating_currency" "EUR"

2026-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2026-01-01 open Produits:75-Autres-produits:756-Cotisations
2026-01-01 open Charges:60-Achats:6064-Fournitures-administratives
2026-01-01 open Charges:61-Services-exterieurs:613-Locations:6132-Locations-immobilieres

2026-01-15 * "Cotisations"
  Actif:51-Banques:512-Banques:Compte-courant  450.00 EUR
  Produits:75-Autres-produits:756-Cotisations

2026-02-10 * "Papeterie"
  Charges:60-Achats:6064-Fournitures-administratives  300.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant

2026-03-01 * "Salle"
  Charges:61-Services-exterieurs:613-Locations:6132-Locations-immobilieres  500.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant
"""

CONFIG = """\
association:
  nom: Les Amis du Test
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

BUDGET = """\
# Budget 2026 des Amis
versions:
  - code: vote
    nom: BP voté
    date: 2026-03-14
    lignes:
      # les adhésions de janvier et de septembre
      - compte: "756"
        montant: 3000
        profil: {mois: [1, 9]}
        commentaire: campagne d'adhésion
      - compte: "6226"
        montant: 1000
        profil: {dates: {2026-02-28: 400, 2026-12-31: 600}}
      - {compte: "6064", montant: 1200}
"""


@pytest.fixture
def asso(ledger_dir: Path) -> Path:
    write_ledger(ledger_dir, LEDGER, config=CONFIG)
    (ledger_dir / "budgets").mkdir()
    (ledger_dir / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    return ledger_dir


def _lines(path: Path, year: int) -> dict[str, Any]:
    exercice = Exercice(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    budget, errors = load_budget_file(path, exercice, set())
    assert errors == []
    (version,) = budget.versions
    assert version.code == "projet"
    return {line.compte: line for line in version.lignes}


def test_depuis_le_budget_indexe(communs: Callable[..., Any], asso: Path) -> None:
    result = communs("budget", "nouveau", "2027", "--indexation", "2,5 %")
    assert result.exit_code == 0, result.output
    assert "Budget 2027 écrit dans budgets/2027.yaml : 3 ligne(s)" in result.output
    assert 'budget: {fichiers: {"2027": budgets/2027.yaml}}' in result.output
    target = asso / "budgets" / "2027.yaml"
    text = target.read_text(encoding="utf-8")
    # comments kept: the file's, the line's, and the commentaire: key
    assert "# Budget 2026 des Amis" in text
    assert "      # les adhésions de janvier et de septembre" in text
    assert "commentaire: campagne d'adhésion" in text
    lines = _lines(target, 2027)
    # 3 000 × 1,025 = 3 075 ; 1 000 × 1,025 = 1 025 ; 1 200 × 1,025 = 1 230
    assert {c: line.montant for c, line in lines.items()} == {
        "756": D(3075),
        "6226": D(1025),
        "6064": D(1230),
    }
    # profiles kept: January and September; dated amounts scaled and moved a year:
    # 400 × 1,025 = 410 on 28 February 2027, 600 × 1,025 = 615 on 31 December 2027
    assert [(d.month, m) for d, _f, m in lines["756"].echeances] == [
        (1, D("1537.5")),
        (9, D("1537.5")),
    ]
    assert [(d, m) for d, _f, m in lines["6226"].echeances] == [
        (datetime.date(2027, 2, 28), D(410)),
        (datetime.date(2027, 12, 31), D(615)),
    ]
    # never overwritten without --ecraser; nothing changed
    again = communs("budget", "nouveau", "2027")
    assert again.exit_code == 1
    assert "le fichier budgets/2027.yaml existe déjà : ajoutez --ecraser pour le remplacer" in (
        again.output
    )
    assert target.read_text(encoding="utf-8") == text
    replaced = communs("budget", "nouveau", "2027", "--ecraser")
    assert replaced.exit_code == 0, replaced.output
    assert _lines(target, 2027)["756"].montant == D(3000)


def test_depuis_le_realise(communs: Callable[..., Any], asso: Path) -> None:
    result = communs("budget", "nouveau", "2027", "--depuis", "realise")
    assert result.exit_code == 0, result.output
    target = asso / "budgets" / "2027.yaml"
    lines = _lines(target, 2027)
    # 756: 450 € réalisés ; 6064: 300 € ; 6226: nothing spent, the budget's 1 000 € kept
    # (with a word) ; 6132: 500 € hors budget in 2026, a new line
    assert {c: line.montant for c, line in lines.items()} == {
        "756": D(450),
        "6226": D(1000),
        "6064": D(300),
        "6132": D(500),
    }
    text = target.read_text(encoding="utf-8").replace("\u202f", " ").replace("\xa0", " ")
    assert "# aucun réalisé en 2026 : montant du budget (1 000,00 €) repris, à vérifier" in text
    assert "# hors budget en 2026 : Charges:61-Services-exterieurs" in text
    # the exercice 2026 is in progress (last entry 1 March): said
    assert "L'exercice 2026 est en cours (dernière écriture le 1er mars 2026)" in result.output


def test_erreurs_d_usage(communs: Callable[..., Any], asso: Path) -> None:
    assert communs("budget", "nouveau", "2027", "--depuis", "reel").exit_code == 2
    bad = communs("budget", "nouveau", "2027", "--indexation", "deux")
    assert bad.exit_code == 2
    assert "--indexation « deux » : pourcentage attendu" in bad.output
    assert not (asso / "budgets" / "2027.yaml").exists()
    none = communs("budget", "nouveau", "2025")
    assert none.exit_code == 1
    assert "aucun budget avant l'exercice 2025" in none.output
