"""The example association's plan de trésorerie: what the guide and the README promise.

The example (``examples/association``) declares payroll, 31 conventions, recurring flows
and two scenarios. These tests pin what the documentation says of it: the pessimistic
scenario shows a real cash gap while the base stays above the alert threshold, the
coming subsidies of a funder stay on the sub-line of its past ones, and the plan's
invariants hold for every scenario. Figures checked by hand against the inputs are
marked so in comments; the others are the documented outputs.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from conftest import CLI_ENV, EXEMPLE

D = Decimal


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    from typer.testing import CliRunner

    from communs_ledger.cli.app import app

    result = CliRunner(env=CLI_ENV).invoke(
        app,
        [
            "tresorerie",
            "-f",
            str(EXEMPLE),
            "--scenario",
            "base,pessimiste,fin-cuisine",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _partie(data: dict[str, Any], id_: str) -> dict[str, Any]:
    return next(p for p in data["parties"] if p["id"] == id_)


def _row(data: dict[str, Any], partie: str, ligne: str) -> list[Decimal]:
    found = _partie(data, partie)
    row = next(r for r in found["lignes"] if r["id"] == ligne)
    return [D(row["valeurs"][c["id"]]) for c in found["colonnes"]]


def test_douze_mois_depuis_le_mois_de_la_derniere_ecriture(plan: dict[str, Any]) -> None:
    columns = [c["id"] for c in _partie(plan, "plan_base")["colonnes"]]
    assert columns[0] == "2026-11" and columns[-1] == "2027-10" and len(columns) == 12


def test_le_scenario_pessimiste_montre_un_vrai_trou_de_tresorerie(
    plan: dict[str, Any],
) -> None:
    base = _row(plan, "plan_base", "solde_final")
    pessimiste = _row(plan, "plan_pessimiste", "solde_final")
    seuil = _row(plan, "scenarios", "seuil")[0]
    assert min(base) > seuil  # the base never goes below one month of payments
    assert min(pessimiste) < 0  # the pessimistic scenario runs out of cash
    # The documented low points (docs/tresorerie.md, examples/association/README.md).
    assert min(base) == D("16825.33") and base.index(min(base)) == 0  # November 2026
    assert min(pessimiste) == D("-7922.49") and pessimiste.index(min(pessimiste)) == 6  # May
    assert pessimiste[2] == D("-801.21")  # January 2027


def test_les_retards_du_scenario_pessimiste(plan: dict[str, Any]) -> None:
    # By hand from conventions.yaml and scenarios.yaml: the Ville's second 2026 payment
    # (27 000) moves from 15 December to 26 February, the CAF (8 500) from 10 December to
    # 15 March, FONJEP's 4th quarter (1 830) from 15 January to 15 May, the Ville's first
    # 2027 payment (27 000) from 31 March to 30 June.
    base = _row(plan, "plan_base", "encaissement:subventions")
    pessimiste = _row(plan, "plan_pessimiste", "encaissement:subventions")
    assert base[1] == D(35500) and pessimiste[1] == 0  # December 2026
    assert base[2] == D(1830) and pessimiste[2] == 0  # January 2027
    assert pessimiste[3] == D(27000)  # February: the Ville's 2026 balance
    assert base[4] == D(27000) and pessimiste[4] == D(8500)  # March
    assert pessimiste[6] == D(1830)  # May: FONJEP's late quarter
    assert pessimiste[7] == base[7] + D(27000)  # June: the Ville's 2027 advance
    # The Région's 2027 advance (5 000 in July) is cut by 30 %: 3 500.
    assert base[8] - pessimiste[8] == D(1500)
    # Over the twelve months, the pessimistic scenario receives 1 500 less.
    assert sum(base) - sum(pessimiste) == D(1500)


def test_les_financeurs_gardent_leur_ligne(plan: dict[str, Any]) -> None:
    """A subsidy expected in 2027 (no entry yet) is shown on the sub-line its funder's past
    conventions use in the ledger (COM-FONCT-2027 under « Commune », like 2026)."""
    lines = [r["id"] for r in _partie(plan, "plan_base")["lignes"]]
    funders = [i.split(":")[-1] for i in lines if i.startswith("encaissement:subventions:")]
    assert funders == ["commune", "departement", "etat", "organismes-sociaux", "region"]
    commune = _row(plan, "plan_base", "encaissement:subventions:commune")
    assert commune[1] == D(27000) and commune[4] == D(27000)  # Dec. 2026, March 2027


@pytest.mark.parametrize("scenario", ["base", "pessimiste", "fin-cuisine"])
def test_invariants(plan: dict[str, Any], scenario: str) -> None:
    partie = f"plan_{scenario}"
    opening = _row(plan, partie, "solde_initial")
    closing = _row(plan, partie, "solde_final")
    receipts = _row(plan, partie, "total_encaissements")
    payments = _row(plan, partie, "total_decaissements")
    for month in range(12):
        assert closing[month] == opening[month] + receipts[month] - payments[month]
        if month:
            assert opening[month] == closing[month - 1]
    assert opening[0] == D("29430.91")  # the treasury accounts on 31 October 2026


def test_le_plan_et_la_projection_pluriannuelle_finissent_2027_au_meme_solde() -> None:
    """The plan de trésorerie to December 2027 and the multi-year projection's year-end
    cash of 2027 apply the same rules to the same inputs: the same balance."""
    from typer.testing import CliRunner

    from communs_ledger.cli.app import app

    runner = CliRunner(env=CLI_ENV)
    plan = runner.invoke(
        app, ["tresorerie", "-f", str(EXEMPLE), "--mois", "14", "--format", "json"]
    )
    projection = runner.invoke(
        app, ["prevision", "pluriannuelle", "-f", str(EXEMPLE), "--format", "json"]
    )
    assert plan.exit_code == 0 and projection.exit_code == 0, plan.output + projection.output
    closing = json.loads(plan.stdout)["totaux"]["solde_final"]
    assert json.loads(projection.stdout)["totaux_par_colonne"]["n_plus_1"]["tresorerie_fin"] == (
        closing
    )
    assert closing == "44175.57"


def test_depuis_trop_loin_apres_la_derniere_ecriture() -> None:
    """A plan may start at most 60 months after the last entry (19 November 2026): every
    month in between would be forecast, at length, for nothing."""
    from typer.testing import CliRunner

    from communs_ledger.cli.app import app

    runner = CliRunner(env=CLI_ENV)
    far = runner.invoke(app, ["tresorerie", "-f", str(EXEMPLE), "--depuis", "2031-12-01"])
    assert far.exit_code == 1
    assert "le plan doit commencer au plus 60 mois après la dernière écriture" in far.output
    assert "19 novembre 2026" in far.output
    ok = runner.invoke(
        app, ["tresorerie", "-f", str(EXEMPLE), "--depuis", "2031-11-01", "--mois", "1"]
    )
    assert ok.exit_code == 0, ok.output
