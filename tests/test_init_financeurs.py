"""``communs init`` writes the ``financeurs:`` section that classes its starter subsidy
accounts (7411–7418) by funder type for the CERFA 12156 budget table (audit: a budget
line on 7415 went to « Autres subventions (type de financeur non précisé) »)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from communs_ledger.budget.reglages import financeurs_config
from communs_ledger.config import load_config
from communs_ledger.plan import starter_accounts, starter_financeurs

BUDGET = """\
versions:
  - code: vote
    nom: BP voté
    date: 2026-01-10
    lignes:
      - {compte: "6411", montant: 9000}
      - {compte: "7412", montant: 7000}
      - {compte: "7415", montant: 2000}
"""


def test_init_classe_les_subventions_de_depart(tmp_path: Path, communs: Callable[..., Any]) -> None:
    folder = tmp_path / "asso"
    result = communs("init", str(folder), "--nom", "Les Ateliers", "-e", "2026", "--sans-git")
    assert result.exit_code == 0, result.output
    config_file = folder / "communs.yaml"
    config_file.write_text(
        config_file.read_text(encoding="utf-8")
        + '\nbudget:\n  fichiers:\n    "2026": budgets/2026.yaml\n',
        encoding="utf-8",
    )
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    assert financeurs_config(load_config(folder / "main.beancount"))["7412"] == "region"

    env = {"COMMUNS_LEDGER": str(folder / "main.beancount")}
    result = communs("budget", "cerfa", "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (produits,) = [p for p in data["parties"] if p["id"] == "produits"]
    rows = {row["id"]: Decimal(row["valeurs"]["montant"]) for row in produits["lignes"]}
    # The budget's 7 000 on 7412 under Région(s), its 2 000 on 7415 under Commune(s);
    # nothing left to « Autres subventions », no warning.
    assert rows["subvention_region"] == Decimal(7000)
    assert rows["subvention_commune"] == Decimal(2000)
    assert rows.get("subvention_autres_financeurs", Decimal(0)) == 0
    assert data["avertissements"] == []


def test_financeurs_de_depart_ouverts_et_types_connus() -> None:
    """Every classed account is a starter account of each chart version, with a funder
    type of the CERFA table; every starter 741x account is classed."""
    from communs_ledger.budget.cerfa import modele_cerfa
    from communs_ledger.codes import account_code

    types = set(dict(modele_cerfa().financeurs))
    for version in ("2018", "2025"):
        found = starter_financeurs(version)
        subsidies = {
            code
            for name in starter_accounts(version)
            if (code := account_code(name) or "").startswith("741") and len(code) == 4
        }
        assert set(found) == subsidies == {f"741{i}" for i in range(1, 9)}
        assert set(found.values()) <= types
