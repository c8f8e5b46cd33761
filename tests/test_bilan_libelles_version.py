"""A bilan of an exercice shows the labels of its own chart version (``libelles`` of
``plan_comptable/bilan.yaml``): 481 is « Charges à répartir sur plusieurs exercices »
before 2025, without the 2025 name « Frais d'émission des emprunts »."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT_OPTIONS

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
CHARGES = "Actif:48-Regularisation:481-Charges-a-repartir"
APPORT = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"

LIVRE = (
    ROOT_OPTIONS
    + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
    + 'plugin "communs_plugins.plan_comptable"\n\n'
    + "\n".join(f"2024-01-01 open {name}" for name in (BANQUE, CHARGES, APPORT))
    + f"""

2024-01-02 * "Apport"
  {BANQUE}  1000.00 EUR
  {APPORT}

2024-03-01 * "Charges à étaler"
  {CHARGES}  600.00 EUR
  {BANQUE}

2025-02-01 * "Cotisation"
  {BANQUE}  10.00 EUR
  {APPORT}

2026-02-01 * "Cotisation"
  {BANQUE}  10.00 EUR
  {APPORT}
"""
)


def _ligne(tmp_path: Path, communs, exercice: str, *options: str) -> dict:
    (tmp_path / "main.beancount").write_text(LIVRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    main = str(tmp_path / "main.beancount")
    result = communs("bilan", "-f", main, "-e", exercice, "--format", "json", *options)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return next(
        ligne
        for partie in doc["parties"]
        for ligne in partie["lignes"]
        if ligne.get("id") == "charges_a_repartir_frais_emission"
    )


def test_pre_2025_bilan_shows_its_own_label(tmp_path: Path, communs) -> None:
    ligne = _ligne(tmp_path, communs, "2024")
    assert ligne["libelle"] == "Charges à répartir sur plusieurs exercices"
    # 600 paid in 2024 and spread later: the line's gross amount.
    assert ligne["valeurs"]["brut"] == "600.00"


def test_2025_bilan_names_both_with_its_2024_column(tmp_path: Path, communs) -> None:
    # The 2025 bilan shows the 2024 balances (N-1, pre-2025 chart) on the same line.
    ligne = _ligne(tmp_path, communs, "2025")
    assert "Frais d'émission des emprunts (2025)" in ligne["libelle"]
    assert ligne["valeurs"]["n1"] == "600.00"


def test_2026_bilan_shows_only_the_2025_label(tmp_path: Path, communs) -> None:
    # N (2026) and N-1 (2025) both follow the 2025 chart: no pre-2025 column, so the
    # line and its rubrique carry the 2025 name only (before: both names, as in 2025).
    ligne = _ligne(tmp_path, communs, "2026")
    assert ligne["libelle"] == "Frais d'émission des emprunts"
    # 600 debited in 2024 and never spread: 600 at 31/12/2025 and at 31/12/2026.
    assert ligne["valeurs"]["n1"] == "600.00"
    assert ligne["valeurs"]["brut"] == "600.00"


def test_2025_bilan_without_n1_shows_only_the_2025_label(tmp_path: Path, communs) -> None:
    # --sans-n1: no 2024 column to name, so the 2025 name only.
    ligne = _ligne(tmp_path, communs, "2025", "--sans-n1")
    assert ligne["libelle"] == "Frais d'émission des emprunts"
    assert ligne["valeurs"]["brut"] == "600.00"
