"""``communs subventions`` on the example association: operating subsidies are not followed
through spending, and « reste à dépenser » never goes negative."""

from __future__ import annotations

import json
from decimal import Decimal

from typer.testing import CliRunner

from communs_ledger.cli.app import app
from conftest import CLI_ENV, EXEMPLE


def test_fonctionnement_et_cofinancement() -> None:
    result = CliRunner(env=CLI_ENV).invoke(
        app, ["subventions", "-f", str(EXEMPLE), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    partie = next(p for p in data["parties"] if p["id"] == "conventions")
    rows = {row["id"]: row["valeurs"] for row in partie["lignes"]}
    # The Ville's operating subsidy: no project, no charge tagged with it.
    ville = rows["convention:COM-FONCT-2026"]
    assert ville["depense"] is None and ville["reste"] is None
    assert Decimal(ville["a_recevoir"]) == Decimal(27000)
    # The Département's « Jardins solidaires »: the project cost more than the 21 000 €
    # granted (co-funded by the association's other resources): nothing left, not < 0.
    jardins = rows["convention:DEP-JARDINS-2026"]
    assert Decimal(jardins["depense"]) > Decimal(21000)
    assert Decimal(jardins["reste"]) == 0
    assert all(row["reste"] is None or Decimal(row["reste"]) >= 0 for row in rows.values())
