"""The compte rendu financier (CERFA 15059) of an action whose convention has fonds dédiés:
its own reports (6894) and utilisations (7894) are transfers of the resource between
exercices, neither charges nor produits of the action. Ledger of :mod:`livre_fonds_dedies`
with the fonds dédiés booked, figures computed by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from livre_fonds_dedies import BANQUE, FONDS_DEDIES, REPORT, ecrire_livre

D = Decimal
UTILISATION = "Produits:78-Reprises:789-Report-des-ressources:7894-Utilisations-fonds-dedies"


def _livre(folder: Path) -> Path:
    main = ecrire_livre(folder)
    with open(folder / "2024.beancount", "a", encoding="utf-8") as file:
        file.write(
            f"""
2024-12-31 * "Report en fonds dédiés : Projet P (REG-P-2024)"
  convention: "REG-P-2024"
  projet: "P"
  {REPORT}  5500.00 EUR
  {FONDS_DEDIES}  -5500.00 EUR
"""
        )
    with open(folder / "2025.beancount", "a", encoding="utf-8") as file:
        file.write(
            f"""
2025-01-01 open {UTILISATION}

2025-12-31 * "Utilisation des fonds dédiés : Projet P (REG-P-2024)"
  convention: "REG-P-2024"
  projet: "P"
  {FONDS_DEDIES}  4000.00 EUR
  {UTILISATION}  -4000.00 EUR
"""
        )
    assert BANQUE  # the bank is untouched by the fonds dédiés
    return main


def _rows(data: dict[str, Any], partie: str) -> dict[str, dict[str, Any]]:
    found = next(p for p in data["parties"] if p["id"] == partie)
    return {row["id"]: row["valeurs"] for row in found["lignes"]}


def test_compte_rendu_sans_les_fonds_dedies_de_la_convention(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    main = _livre(tmp_path / "asso")
    result = communs("compte-rendu", "REG-P-2024", "-f", str(main), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    charges, produits = _rows(data, "charges"), _rows(data, "produits")
    # Action P, 1 March 2024 – 31 December 2025: composteurs 3 000 + 2 500 (6063 → autres
    # fournitures), affiches and guides 1 500 + 1 500 (623 → publicité) = 8 500.
    # The 6894 of 31/12/2024 (5 500) is not a charge: no « 68 » line.
    assert D(charges["chapitre_68"]["realisation"]) == 0
    assert D(charges["autres_fournitures"]["realisation"]) == D("5500.00")
    assert D(charges["publicite"]["realisation"]) == D("3000.00")
    # Produits: the Région's 10 000 only; the 7894 (4 000) is not a produit of the action.
    assert D(produits.get("report_ressources", {"realisation": "0"})["realisation"]) == 0
    assert D(produits.get("chapitre_78", {"realisation": "0"})["realisation"]) == 0
    assert D(produits["subvention_region"]["realisation"]) == D("10000.00")
    # Balancing line: 10 000 − 8 500 = 1 500 of excédent (still in fonds dédiés).
    assert D(charges["ligne_excedent_previsionnel"]["realisation"]) == D("1500.00")
    totaux = data["totaux_par_colonne"]["realisation"]
    assert D(totaux["total_charges"]) == D(totaux["total_produits"]) == D("10000.00")
    assert D(totaux["resultat"]) == D("1500.00")
    assert D(data["totaux"]["total_charges_realise"]) == D("10000.00")
    # The emploi agrees: 8 500 used, 1 500 left to use.
    convention = _rows(data, "convention")
    assert D(convention["emploi_directes"]["montant"]) == D("8500.00")
    assert D(convention["reste"]["montant"]) == D("1500.00")
