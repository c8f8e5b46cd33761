"""``communs compte-rendu CONVENTION`` (CERFA 15059) on the small ledger of
:mod:`livre_subventions`, computed by hand: the project CUISINE with the
coordinatrice's allocated salary and the allocated rent."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from conftest import one_line
from livre_subventions import ecrire

D = Decimal


def _data(communs: Callable[..., Any], path: Path, *args: str) -> dict[str, Any]:
    result = communs("compte-rendu", "REG-CUISINE", "-f", str(path), *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(data: dict[str, Any], partie: str) -> dict[str, dict[str, Any]]:
    found = next(p for p in data["parties"] if p["id"] == partie)
    return {row["id"]: row["valeurs"] for row in found["lignes"]}


def _amounts(values: dict[str, Any]) -> tuple[Decimal | None, Decimal, Decimal]:
    prevision = values["prevision"]
    return (
        None if prevision is None else D(prevision),
        D(values["realisation"]),
        D(values["ecart"]),
    )


def test_compte_rendu_a_la_main(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    data = _data(communs, ecrire(ledger_dir))
    assert data["meta"]["convention"] == "REG-CUISINE" and data["meta"]["repartition"] is True
    # The convention runs all 2026; the ledger stops on 30 June: réalisation to that day.
    assert data["periode"] == {"debut": "2026-01-01", "fin": "2026-06-30"}

    charges = _rows(data, "charges")
    # Prévision: the CUISINE lines of the 2026 budget (whole exercice inside the period):
    # 6068 → « autres fournitures » 1 000, 6411 → rémunérations 1 200. The 36 000 of 6411
    # without project is not the action's.
    # Réalisation: denrées 600 + 90 (the 90 tagged REG-CUISINE) = 690; Inès 1 500.
    assert _amounts(charges["autres_fournitures"]) == (D("1000.00"), D("690.00"), D("-310.00"))
    assert D(charges["autres_fournitures"]["ecart_pct"]) == D("-0.3100")
    assert _amounts(charges["remunerations_personnels"]) == (
        D("1200.00"),
        D("1500.00"),
        D("300.00"),
    )
    # Allocated to CUISINE: Claire's pay 30 % of 3 000 + 1 000 = 1 200, rent 20 % of
    # 1 234.57 = 246.91 (largest remainder) → charges fixes de fonctionnement 1 446.91,
    # no prévision (budget lines are direct costs).
    assert _amounts(charges["charges_fixes_fonctionnement"]) == (
        None,
        D("1446.91"),
        D("1446.91"),
    )
    # Charges: prévision 2 200; réalisation 690 + 1 500 + 1 446.91 = 3 636.91. The produits
    # (16 000 / 15 800, below) exceed them: the balancing line « Excédent de l'action »
    # (16 000 − 2 200 = 13 800; 15 800 − 3 636.91 = 12 163.09) brings the total to the
    # produits', as in the CERFA table.
    assert _amounts(charges["ligne_excedent_previsionnel"]) == (
        D("13800.00"),
        D("12163.09"),
        D("-1636.91"),
    )
    assert _amounts(charges["total_charges"]) == (D("16000.00"), D("15800.00"), D("-200.00"))

    produits = _rows(data, "produits")
    # Subsidies by funder type: the convention's own type for its postings; the budget
    # lines on 7412 / 7413 take the type of the conventions on those accounts.
    assert _amounts(produits["subvention_region"]) == (D("10000.00"), D("10000.00"), D("0.00"))
    assert _amounts(produits["subvention_departement"]) == (
        D("5000.00"),
        D("5000.00"),
        D("0.00"),
    )
    assert "subvention_etat" not in produits  # funder lines without amounts are left out
    assert _amounts(produits["chapitre_70"]) == (D("1000.00"), D("800.00"), D("-200.00"))
    assert _amounts(produits["total_produits"]) == (D("16000.00"), D("15800.00"), D("-200.00"))

    cvn = _rows(data, "contributions_volontaires")
    assert _amounts(cvn["personnel_benevole"]) == (D("500.00"), D("400.00"), D("-100.00"))
    assert _amounts(cvn["benevolat"]) == (D("500.00"), D("400.00"), D("-100.00"))

    # Named totals: résultat of the action = produits − charges.
    totaux = data["totaux_par_colonne"]
    assert D(totaux["realisation"]["resultat"]) == D("12163.09")  # 15 800 − 3 636.91
    assert D(totaux["prevision"]["resultat"]) == D("13800.00")  # 16 000 − 2 200
    assert D(totaux["realisation"]["charges_indirectes"]) == D("1446.91")
    assert D(totaux["realisation"]["excedent"]) == D("12163.09")
    assert D(totaux["realisation"]["autofinancement"]) == D("0.00")
    # The JSON's « totaux » carries both columns (and the gap), not only the prévision.
    assert D(data["totaux"]["total_charges_prevu"]) == D("16000.00")
    assert D(data["totaux"]["total_charges_realise"]) == D("15800.00")
    assert D(data["totaux"]["resultat_realise"]) == D("12163.09")
    assert D(data["totaux"]["total_produits_ecart"]) == D("-200.00")

    convention = _rows(data, "convention")
    # Emploi of the Région's grant (see test_conventions_emploi): 1 490.00 direct, 964.61
    # allocated (its 2/3 of CUISINE's allocated part); left 10 000 − 2 454.61.
    assert D(convention["emploi_directes"]["montant"]) == D("1490.00")
    assert D(convention["emploi_reparties"]["montant"]) == D("964.61")
    assert D(convention["reste"]["montant"]) == D("7545.39")
    assert D(convention["recu"]["montant"]) == D("5000.00")

    # Significant gaps (beyond 15 % of the prévision): autres fournitures −31 %,
    # rémunérations +25 %, ventes −20 %, bénévolat −20 % (86 and 87); Région and
    # Département at 0 % are not listed. Each has an empty explanation to fill.
    ecarts = _rows(data, "ecarts")
    assert set(ecarts) == {
        "ecart:autres_fournitures",
        "ecart:remunerations_personnels",
        "ecart:chapitre_70",
        "ecart:personnel_benevole",
        "ecart:benevolat",
    }
    assert all(row["explication"] == "" for row in ecarts.values())

    repartition = _rows(data, "repartition")
    assert D(repartition["cle:COORDINATION"]["montant"]) == D("1200.00")
    assert D(repartition["cle:LOCAL"]["montant"]) == D("246.91")
    assert D(repartition["total_reparti"]["montant"]) == D("1446.91")
    assert (
        "surface (CUISINE 20 m², JARDINS 30 m², non affecté 50 m²)"
        in (repartition["cle:LOCAL"]["methode"])
    )


def test_sans_repartition(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    data = _data(communs, ecrire(ledger_dir), "--sans-repartition")
    charges = _rows(data, "charges")
    assert "charges_fixes_fonctionnement" not in charges
    # 690 + 1 500 = 2 190 of charges, plus the excédent 15 800 − 2 190 = 13 610
    assert D(charges["ligne_excedent_previsionnel"]["realisation"]) == D("13610.00")
    assert D(charges["total_charges"]["realisation"]) == D("15800.00")
    assert not any(p["id"] == "repartition" for p in data["parties"])


def test_xlsx_et_html(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    path = ecrire(ledger_dir)
    xlsx = ledger_dir / "cr.xlsx"
    result = communs("compte-rendu", "REG-CUISINE", "-f", str(path), "--sortie", str(xlsx))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(xlsx)
    assert "Écarts" in workbook.sheetnames and "Charges" in workbook.sheetnames
    sheet = workbook["Écarts"]
    headers = [cell.value for row in sheet.iter_rows(max_row=12) for cell in row]
    assert "Explication" in headers
    html = ledger_dir / "cr.html"
    result = communs("compte-rendu", "REG-CUISINE", "-f", str(path), "--sortie", str(html))
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert "15059" in text and "Explication" in text and "636,91" in text


def test_convention_inconnue(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    result = communs("compte-rendu", "REG-JARDINS", "-f", str(ecrire(ledger_dir)))
    assert result.exit_code == 1
    assert (
        "convention « REG-JARDINS » inconnue : conventions du fichier : REG-CUISINE, "
        "DEP-CUISINE, ETAT-2026" in one_line(result.output)
    )


def test_convention_sans_projet(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    # ETAT-2026 has no project: the compte-rendu covers the whole association.
    result = communs("compte-rendu", "ETAT-2026", "-f", str(ecrire(ledger_dir)), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    charges = _rows(data, "charges")
    # Every charge: 3 000 + 1 000 + 1 234.57 + 600 + 1 500 + 500 + 90 + 300 = 8 224.57,
    # prévision 1 000 + 1 200 + 36 000 = 38 200.
    # The charges exceed the planned produits (16 000): 22 200 of autofinancement on the
    # produits side, the charges' total unchanged.
    prevision = data["totaux_par_colonne"]["prevision"]
    assert D(prevision["total_charges"]) == D(charges["total_charges"]["prevision"]) == D("38200")
    assert D(prevision["autofinancement"]) == D("22200.00")
    assert D(prevision["total_produits"]) == D("38200.00")
    realisation = data["totaux_par_colonne"]["realisation"]
    assert D(realisation["total_charges"]) == D("8224.57") + D(realisation["excedent"])
    assert realisation["total_charges"] == realisation["total_produits"]
    assert "ensemble de l'association" in " ".join(data["notes"])
