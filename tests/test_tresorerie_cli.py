"""``communs tresorerie`` through Typer's CliRunner (and one real subprocess): formats,
figures of the engine, French refusals with exit codes 1 and 2.

The ledger is the small association of :mod:`test_tresorerie_realise` (last actual date
10 April 2026); it declares no forecast input, so these tests check the actual months
and the invariants, the forecast figures being those of the engine's tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import one_line, run_communs, write_ledger
from test_tresorerie_realise import CONFIG, LEDGER, write_association

D = Decimal


@pytest.fixture(scope="module")
def association(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_association(tmp_path_factory.mktemp("cli-tresorerie") / "asso")


def _run(communs: Callable[..., Any], association: Path, *args: str) -> Any:
    return communs("tresorerie", "-f", str(association), *args)


def _json(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _row(data: dict[str, Any], partie: str, ligne: str) -> list[str]:
    found = next(p for p in data["parties"] if p["id"] == partie)
    row = next(r for r in found["lignes"] if r["id"] == ligne)
    return [row["valeurs"][c["id"]] for c in found["colonnes"]]


def test_json_mois_passes_et_invariants(communs: Callable[..., Any], association: Path):
    data = _json(_run(communs, association, "--format", "json", "--depuis", "2026-01-15"))
    assert data["rapport"] == "plan_de_tresorerie"
    assert data["periode"] == {"debut": "2026-01-01", "fin": "2026-12-31"}
    closing = _row(data, "plan_base", "solde_final")
    assert closing[:3] == ["13300.00", "18000.00", "15745.00"]
    opening = _row(data, "plan_base", "solde_initial")
    received = _row(data, "plan_base", "total_encaissements")
    paid = _row(data, "plan_base", "total_decaissements")
    for index in range(12):
        assert D(closing[index]) == D(opening[index]) + D(received[index]) - D(paid[index])
        if index:
            assert opening[index] == closing[index - 1]
    assert _row(data, "plan_base", "nature")[:4] == ["réalisé", "réalisé", "réalisé", "mixte"]
    assert data["totaux"]["solde_initial"] == "15000.00"
    assert data["totaux"]["seuil"] == "3450.00"
    (graphique,) = data["graphiques"]
    assert graphique["id"] == "tresorerie" and graphique["seuil"] == "3450.00"
    assert graphique["series"][0]["valeurs"] == closing
    assert graphique["categories"][0] == "janv. 2026"


def test_par_defaut_douze_mois_depuis_le_mois_de_la_derniere_ecriture(
    communs: Callable[..., Any], association: Path
):
    data = _json(_run(communs, association, "--format", "json"))
    assert data["periode"] == {"debut": "2026-04-01", "fin": "2027-03-31"}
    assert data["meta"]["derniere_ecriture"] == "2026-04-10"
    assert data["meta"]["scenarios"] == ["base"]
    data = _json(_run(communs, association, "--format", "json", "--mois", "36"))
    assert data["periode"]["fin"] == "2029-03-31"
    assert len(data["graphiques"][0]["categories"]) == 36


def test_tableau_avec_courbe(communs: Callable[..., Any], association: Path):
    result = _run(communs, association, "--depuis", "01/01/2026", "--mois", "6")
    assert result.exit_code == 0, result.output
    text = one_line(result.output)
    assert "Plan de trésorerie" in text
    assert "Trésorerie en fin de mois" in text
    assert "point bas : 13 300,00 € (janv. 2026)" in text.replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    assert "Montants arrondis à l'euro" in text


def test_scenarios_repetes_ou_separes_par_des_virgules(
    communs: Callable[..., Any], association: Path
):
    data = _json(_run(communs, association, "--format", "json", "-s", "base,base", "-s", "base"))
    assert data["meta"]["scenarios"] == ["base"]


def test_xlsx_avec_graphique(communs: Callable[..., Any], association: Path, tmp_path: Path):
    sortie = tmp_path / "plan.xlsx"
    result = _run(communs, association, "--sortie", str(sortie))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(sortie)
    assert workbook.sheetnames == ["Plan de trésorerie", "Graphique", "Totaux"]
    (chart,) = workbook["Graphique"]._charts
    assert chart.tagname == "lineChart"
    assert len(chart.series) == 2  # the base and the threshold


def test_html_avec_svg(communs: Callable[..., Any], association: Path):
    result = _run(communs, association, "--format", "html")
    assert result.exit_code == 0
    assert result.stdout.count("<svg") == 1 and 'data-graphique="tresorerie"' in result.stdout


def test_csv_sans_graphique(communs: Callable[..., Any], association: Path):
    result = _run(communs, association, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("partie,id,code,libelle,niveau,style,statut,")
    assert "svg" not in result.stdout


# --- Refusals ----------------------------------------------------------------------------------


def test_scenario_inconnu(communs: Callable[..., Any], association: Path):
    result = _run(communs, association, "--scenario", "catastrophe")
    assert result.exit_code == 1
    assert "scénario « catastrophe » inconnu : scénarios connus : base" in one_line(result.output)


@pytest.mark.parametrize("value", ["0", "61", "-3"])
def test_duree_hors_bornes(communs: Callable[..., Any], association: Path, value: str):
    result = _run(communs, association, "--mois", value)
    assert result.exit_code == 2
    assert f"--mois {value} : nombre de mois attendu de 1 à 60" in one_line(result.output)


def test_duree_non_numerique(communs: Callable[..., Any], association: Path):
    assert _run(communs, association, "--mois", "douze").exit_code == 2


@pytest.mark.parametrize("value", ["2026-02-30", "demain", "31/13/2026"])
def test_date_de_debut_invalide(communs: Callable[..., Any], association: Path, value: str):
    result = _run(communs, association, "--depuis", value)
    assert result.exit_code == 2
    assert f"--depuis « {value} » : date attendue" in one_line(result.output)


def test_sortie_impossible(communs: Callable[..., Any], association: Path, tmp_path: Path):
    absent = _run(communs, association, "--sortie", str(tmp_path / "absent" / "plan.json"))
    assert absent.exit_code == 1
    assert "n'existe pas" in one_line(absent.output)
    assert not (tmp_path / "absent").exists()
    blocker = tmp_path / "fichier"
    blocker.write_text("x", encoding="utf-8")
    blocked = _run(communs, association, "--sortie", str(blocker / "plan.html"))
    assert blocked.exit_code == 1
    existing = tmp_path / "plan.json"
    existing.write_text("ancien", encoding="utf-8")
    refused = _run(communs, association, "--sortie", str(existing))
    assert refused.exit_code == 1
    assert "existe déjà : ajoutez --ecraser" in one_line(refused.output)
    assert existing.read_text(encoding="utf-8") == "ancien"
    replaced = _run(communs, association, "--sortie", str(existing), "--ecraser")
    assert replaced.exit_code == 0
    assert json.loads(existing.read_text(encoding="utf-8"))["rapport"] == "plan_de_tresorerie"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fichier", "plan.json"]


def test_xlsx_sans_fichier(communs: Callable[..., Any], association: Path):
    assert _run(communs, association, "--format", "xlsx").exit_code == 2


def test_grand_livre_en_erreur(communs: Callable[..., Any], tmp_path: Path):
    path = write_ledger(tmp_path, LEDGER + '\n2026-05-01 * "x"\n  Actif:99-Inconnu  1 EUR\n')
    result = communs("tresorerie", "-f", str(path))
    assert result.exit_code == 1
    assert "le grand livre contient" in one_line(result.output)


def test_previsions_en_erreur(communs: Callable[..., Any], tmp_path: Path):
    config = CONFIG + "  paie: previsions/paie.yaml\n"
    path = write_association(tmp_path, config)
    result = communs("tresorerie", "-f", str(path))
    assert result.exit_code == 1
    text = one_line(result.output)
    assert "les prévisions contiennent 1 erreur :" in text
    assert "communs.yaml" in text and "previsions.paie : fichier introuvable" in text


def test_sous_processus(association: Path):
    done = run_communs("tresorerie", "-f", str(association), "--format", "json", "-m", "3")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["periode"]["fin"] == "2026-06-30"
    refused = run_communs("tresorerie", "-f", str(association), "-s", "inconnu")
    assert refused.returncode == 1 and "scénarios connus" in one_line(refused.stderr)


def test_seuil_sans_les_mois_d_un_exercice_repris(communs: Callable[..., Any], tmp_path: Path):
    """An exercice taken over by communs ouverture (2025: opening, then its movements
    totalled per account on 31 December, bank +3 800 net) has no real payments month by
    month: the threshold averages the ledger's own months only.

    By hand: payments of January 2026 (300) and February 2026 (600), the last entry on
    28 February: (300 + 600) / 2 = 450.00 (it was 900 / 12 = 75.00, ten months of 2025
    counted as months without payments)."""
    banque = "Actif:51-Banques:512-Banques:Compte-courant"
    fonds_propres = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
    cotisations = "Produits:75-Autres-produits:756-Cotisations"
    achats = "Charges:60-Achats:6063-Petit-equipement"
    main = write_ledger(
        tmp_path,
        f"""\
        2025-01-01 open {banque} EUR
        2025-01-01 open {fonds_propres}
        2025-01-01 open {cotisations}
        2025-01-01 open {achats}

        2025-01-01 * "Reprise des soldes d'ouverture de l'exercice 2025"
          reprise: "FEC"
          {banque}  5000.00 EUR
          {fonds_propres}  -5000.00 EUR

        2025-12-31 * "Mouvements de l'exercice 2025 repris du FEC (totaux par compte)"
          reprise: "FEC"
          {banque}  3800.00 EUR
          {cotisations}  -6000.00 EUR
          {achats}  2200.00 EUR

        2026-01-20 * "Jardinerie" "Outils"
          {achats}  300.00 EUR
          {banque}

        2026-02-28 * "Jardinerie" "Graines"
          {achats}  600.00 EUR
          {banque}
        """,
    )
    result = communs("tresorerie", "-f", str(main), "--mois", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["meta"]["seuil"] == "450.00"
