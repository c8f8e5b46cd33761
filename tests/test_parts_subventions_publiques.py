"""The three « parts des subventions publiques »: each command divides the same subsidies by
its own total, and its label names that total (docs/guide/glossaire.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import BANQUE, FOURNITURES, SUBVENTION, write_ledger

PRESTATIONS = "Produits:70-Ventes:706-Prestations-de-services"
INTERETS = "Produits:76-Produits-financiers:768-Autres-produits-financiers"
REPRISE = "Produits:78-Reprises:781-Reprises-sur-provisions"

# Exercice 2026: subvention 6 000, prestations 2 000, intérêts (financiers) 500, reprise de
# provision 1 500; fournitures 4 000.
#   total des produits        = 6 000 + 2 000 + 500 + 1 500 = 10 000 → 6 000 / 10 000 = 60,0 %
#   ressources (sans reprise) = 10 000 − 1 500 = 8 500          → 6 000 / 8 500  = 70,6 %
#   produits d'exploitation   = 10 000 − 500 (financiers) = 9 500 → 6 000 / 9 500 = 63,2 %
LIVRE = f"""\
2026-01-01 open {BANQUE} EUR
2026-01-01 open {SUBVENTION}
2026-01-01 open {PRESTATIONS}
2026-01-01 open {INTERETS}
2026-01-01 open {REPRISE}
2026-01-01 open {FOURNITURES}

2026-03-01 * "Ville" "Subvention de fonctionnement"
  {BANQUE}  6000.00 EUR
  {SUBVENTION}

2026-04-01 * "Prestations"
  {BANQUE}  2000.00 EUR
  {PRESTATIONS}

2026-05-01 * "Fournitures"
  {FOURNITURES}  4000.00 EUR
  {BANQUE}

2026-06-30 * "Intérêts du livret"
  {BANQUE}  500.00 EUR
  {INTERETS}

2026-12-31 * "Reprise de provision"
  {BANQUE}  1500.00 EUR
  {REPRISE}
"""


def _lignes(communs: Callable[..., Any], ledger: Path, commande: str) -> dict[str, Any]:
    """(part id, line id) → (line label, values, column labels) of the command's JSON."""
    result = communs(commande, "-e", "2026", "-f", str(ledger), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {
        (partie["id"], ligne["id"]): (
            ligne["libelle"],
            ligne["valeurs"],
            [colonne["libelle"] for colonne in partie["colonnes"]],
        )
        for partie in data["parties"]
        for ligne in partie["lignes"]
    }


def test_trois_bases_trois_libelles(tmp_path: Path, communs: Callable[..., Any]) -> None:
    ledger = write_ledger(tmp_path / "asso", LIVRE)
    rapport = _lignes(communs, ledger, "rapport-financier")
    libelle, valeurs, colonnes = rapport["ressources", "subventions_publiques"]
    assert valeurs["part"] == "0.6000"  # of the total des produits
    assert colonnes[-1] == "Part des produits 2026"
    assert rapport["ressources", "total"][:2] == (
        "Total des produits",
        {"n": "10000.00", "part": "1.0000"},
    )
    assert rapport["charges", "total"][2][-1] == "Part des charges 2026"

    ressources = _lignes(communs, ledger, "ressources")
    libelle, valeurs, _ = ressources["concentration", "part_subventions_publiques"]
    assert libelle == "Part des subventions et concours publics dans les ressources"
    assert valeurs == {"2026": "0.7059"}  # 6 000 / 8 500
    assert ressources["origines", "total"][1]["2026"] == "8500.00"

    diagnostic = _lignes(communs, ledger, "diagnostic")
    libelle, valeurs, _ = diagnostic["ratios", "part_subventions_publiques"]
    assert libelle == "Part des subventions publiques dans les produits d'exploitation"
    assert valeurs == {"n": "0.6316"}  # 6 000 / 9 500
    # the treasurer's report repeats the diagnostic's indicator, with its label
    libelle, valeurs, _ = rapport["indicateurs", "part_subventions_publiques"]
    assert libelle == "Part des subventions publiques dans les produits d'exploitation"
    assert valeurs["n"] == "63,2\u00a0%"
