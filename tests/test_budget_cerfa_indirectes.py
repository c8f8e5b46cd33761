"""``communs budget cerfa --projet``: the project's share of the general budget lines by
the clés de répartition (« Charges indirectes affectées au projet »), so that a project
does not show a surplus that only exists because its overheads were left out; a clear
warning for what cannot be allocated. Figures by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import write_ledger

LEDGER = """\
option "title" "Les Amis du Test"
option "operating_currency" "EUR"

2026-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2026-01-01 open Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region
  type_financeur: "region"

2026-01-15 * "Acompte"
  Actif:51-Banques:512-Banques:Compte-courant  100.00 EUR
  Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region
"""

CONFIG = """\
association:
  nom: Les Amis du Test
projets:
  - code: JARDINS
    nom: Jardins partagés
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

CLES = """\
cles:
  - code: LOCAL
    comptes: ["613"]
    base: surface
    quantites: {JARDINS: 30, non_affecte: 90}
  - code: BANQUE
    comptes: ["661"]
    parts: {JARDINS: 10, non_affecte: 90}
  - code: ANA
    tiers: Ana
    comptes: ["64"]
    parts: {JARDINS: 50, non_affecte: 50}
  - code: COMMUNICATION
    comptes: ["623"]
    parts: {JARDINS: 20, non_affecte: 80}
"""

BUDGET = """\
versions:
  - code: vote
    nom: BP voté
    date: 2026-03-14
    lignes:
      - {compte: "6132", montant: 12001}
      - {compte: "6611", montant: 400}
      - {compte: "6411", montant: 30000}
      - {compte: "62", montant: 1000}
      - {compte: "60", projet: JARDINS, montant: 2000}
      - {compte: "7412", projet: JARDINS, montant: 20000}
"""


@pytest.fixture
def asso(ledger_dir: Path) -> Path:
    write_ledger(ledger_dir, LEDGER, config=CONFIG)
    (ledger_dir / "budgets").mkdir()
    (ledger_dir / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    return ledger_dir


def _cerfa(communs: Callable[..., Any], *args: str) -> dict[str, Any]:
    result = communs("budget", "cerfa", "--projet", "JARDINS", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(data: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["valeurs"].get("montant") for p in data["parties"] for r in p["lignes"]}


def test_part_des_charges_indirectes(communs: Callable[..., Any], asso: Path) -> None:
    (asso / "analytique").mkdir()
    (asso / "analytique" / "repartition.yaml").write_text(CLES, encoding="utf-8")
    config = asso / "communs.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "analytique:\n  repartition: analytique/repartition.yaml\n",
        encoding="utf-8",
    )
    data = _cerfa(communs)
    rows = _rows(data)
    # Loyer 6132: 12 001 € under the key LOCAL all year, × 30 / 120 m² = 3 000,25 €
    # (the amount under one key is split once, largest remainder to the cent);
    # 6611 intérêts: 400 × 10 % = 40 € → « Frais financiers ».
    assert rows["charges_fixes_fonctionnement"] == "3000.25"
    assert rows["frais_financiers"] == "40.00"
    assert rows["charges_indirectes"] == "3040.25"
    # direct 2 000 + indirect 3 040,25 = 5 040,25 ; produits 20 000 ;
    # excédent 20 000 − 5 040,25 = 14 959,75 (instead of 18 000 without the overheads)
    totaux = data["totaux_par_colonne"]["montant"]
    assert totaux["charges_prevues"] == "5040.25"
    assert totaux["excedent_previsionnel"] == "14959.75"
    assert rows["charges_fixes_fonctionnement:ligne:6132:LOCAL"] == "3000.25"
    warnings = " ".join(data["avertissements"]).replace("\u202f", " ").replace("\xa0", " ")
    # 6411: the key is Ana's time, a budget line has no payee; 62: keys on 623 only
    assert "leurs clés dépendent du tiers" in warnings and "6411 (30 000,00 €" in warnings
    assert "62 (1 000,00 € ; clés sur 623)" in warnings
    # without the allocation: the surplus that only exists because overheads are left out
    sans = _cerfa(communs, "--sans-repartition")
    assert sans["totaux_par_colonne"]["montant"]["excedent_previsionnel"] == "18000.00"


def test_sans_cle_un_avertissement(communs: Callable[..., Any], asso: Path) -> None:
    data = _cerfa(communs)
    assert data["totaux_par_colonne"]["montant"]["excedent_previsionnel"] == "18000.00"
    warnings = " ".join(data["avertissements"]).replace("\u202f", " ").replace("\xa0", " ")
    # general charges 12 001 + 400 + 30 000 + 1 000 = 43 401 €
    assert "Aucune clé de répartition (analytique/)" in warnings
    assert "les 43 401,00 € de charges générales du budget restent à la structure" in warnings
