"""Annexe of the comptes annuels on a pre-2025 exercice without a conventions file (audit 3):
subsidies listed by financeur (the account's own label, not the chart's heading that every
74 account shares), the pre-2025 subvention d'équilibre (7715) among them, and a loan
wholly due within a year once communs.yaml says so (``dettes_a_plus_d_un_an: {"164": 0}``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT_OPTIONS

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"
EQUILIBRE = "Produits:77-Exceptionnels:7715-Subventions-d-equilibre"
EMPRUNT = "Passif:16-Emprunts:164-Emprunts-aupres-des-etablissements-de-credit"
AUTRES = "Actif:46-Divers:467-Autres-comptes-debiteurs"
APPORT = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"

LIVRE = (
    ROOT_OPTIONS
    + 'option "title" "Ressourcerie"\noption "operating_currency" "EUR"\n'
    + 'plugin "communs_plugins.plan_comptable"\n\n'
    + "\n".join(
        f"2024-01-01 open {name}"
        for name in (BANQUE, REGION, COMMUNE, EQUILIBRE, EMPRUNT, APPORT, AUTRES)
    )
    + f"""

2024-01-02 * "Apport"
  {BANQUE}  1000.00 EUR
  {APPORT}

2024-02-01 * "Banque" "Emprunt, dernière échéance en 2025"
  {BANQUE}  5000.00 EUR
  {EMPRUNT}

2024-03-01 * "Région" "Subvention"
  {BANQUE}  4000.00 EUR
  {REGION}

2024-04-01 * "Ville" "Subvention"
  {BANQUE}  3000.00 EUR
  {COMMUNE}

2024-12-15 * "Avance remboursable à une association partenaire"
  {AUTRES}  500.00 EUR
  {BANQUE}

2024-11-30 * "Département" "Subvention d'équilibre"
  {BANQUE}  1000.00 EUR
  {EQUILIBRE}
"""
)

CONFIG = """\
association:
  nom: Ressourcerie
comptes_annuels:
  exercices:
    "2024":
      dettes_a_plus_d_un_an: PART
      creances_a_plus_d_un_an: {"467": 800}
"""


def _annexe(tmp_path: Path, communs, part: str = '{"164": 0}') -> dict:
    (tmp_path / "main.beancount").write_text(LIVRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text(CONFIG.replace("PART", part), encoding="utf-8")
    main = str(tmp_path / "main.beancount")
    result = communs("comptes-annuels", "-f", main, "-e", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_subsidies_by_financeur_without_conventions(tmp_path: Path, communs) -> None:
    doc = _annexe(tmp_path, communs)
    partie = next(p for p in doc["parties"] if p["id"] == "annexe_subventions")
    rows = {r["libelle"]: r["valeurs"]["montant"] for r in partie["lignes"]}
    # Région 4 000 and Ville 3 000 stay apart (both under 741 in the chart); the 1 000 of
    # subvention d'équilibre (7715, exceptional before 2025) is a subsidy too:
    # 4 000 + 3 000 + 1 000 = 8 000.
    assert rows == {
        "Subventions d'exploitation — Region": "4000.00",
        "Subventions d'exploitation — Commune": "3000.00",
        "Subventions d'équilibre": "1000.00",
        "Total": "8000.00",
    }


def test_loan_due_within_a_year_is_not_left_to_complete(tmp_path: Path, communs) -> None:
    doc = _annexe(tmp_path, communs)
    # communs.yaml gives 0 € after one year: the whole 5 000 is due within a year and
    # nothing about the loan is « à compléter ».
    assert not [m for m in doc["meta"]["a_completer"] if "Emprunts" in m]
    dettes = next(p for p in doc["parties"] if p["id"] == "annexe_dettes")["lignes"]
    assert [
        (r["valeurs"]["montant"], r["valeurs"]["un_an"], r["valeurs"]["plus_d_un_an"])
        for r in dettes
    ] == [("5000.00", "5000.00", "0.00"), ("5000.00", "5000.00", "0.00")]


def test_missing_loan_split_names_the_exercice_key(tmp_path: Path, communs) -> None:
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Ressourcerie\n", encoding="utf-8")
    (tmp_path / "main.beancount").write_text(LIVRE, encoding="utf-8")
    result = communs("comptes-annuels", "-f", str(tmp_path / "main.beancount"), "-e", "2024")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert 'comptes_annuels.exercices."2024".dettes_a_plus_d_un_an' in text


def test_loan_split_above_the_debt_is_flagged(tmp_path: Path, communs) -> None:
    doc = _annexe(tmp_path, communs, '{"164": 6000}')
    # 6 000 said due after one year on a 5 000 debt: « à un an au plus » would be −1 000.
    missing = [m.replace("\u202f", " ").replace("\xa0", " ") for m in doc["meta"]["a_completer"]]
    assert any(
        "6 000,00 € dans communs.yaml, plus que les 5 000,00 € du bilan" in m for m in missing
    )


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ('{"164": -5}', "compte 164 : montant négatif (-5)"),
        ('{"9ZZ": 3}', "« 9ZZ » : numéro de compte attendu"),
    ],
)
def test_wrong_split_refused_at_its_line(tmp_path: Path, communs, part: str, message: str) -> None:
    (tmp_path / "main.beancount").write_text(LIVRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text(CONFIG.replace("PART", part), encoding="utf-8")
    result = communs("verifier", str(tmp_path / "main.beancount"))
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert "communs.yaml:6: comptes_annuels.exercices.2024.dettes_a_plus_d_un_an" in text
    assert message in text


QUOTE_PART = "Produits:74-Subventions:747-Quote-part-subventions-investissement"
SUBV_INVEST = "Fonds-propres:13-Subventions-d-investissement:139-Inscrites-au-resultat"


def test_quote_part_of_investment_subsidy_is_not_a_subsidy_received(
    tmp_path: Path, communs
) -> None:
    livre = (
        ROOT_OPTIONS
        + 'option "title" "Ressourcerie"\noption "operating_currency" "EUR"\n'
        + 'plugin "communs_plugins.plan_comptable"\n\n'
        + "\n".join(f"2025-01-01 open {n}" for n in (BANQUE, COMMUNE, QUOTE_PART, SUBV_INVEST))
        + f"""

2025-04-01 * "Ville" "Subvention"
  {BANQUE}  3000.00 EUR
  {COMMUNE}

2025-12-31 * "Quote-part 2025 de la subvention d'équipement reçue en 2023"
  {SUBV_INVEST}  800.00 EUR
  {QUOTE_PART}
"""
    )
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: R\n", encoding="utf-8")
    main = str(tmp_path / "main.beancount")
    result = communs("comptes-annuels", "-f", main, "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    partie = next(p for p in doc["parties"] if p["id"] == "annexe_subventions")
    rows = {r["libelle"]: r["valeurs"]["montant"] for r in partie["lignes"]}
    # Only the 3 000 received from the Ville: the 800 of 747 spreads a subsidy received in
    # an earlier exercice over the asset's life, nothing is received in 2025.
    assert rows == {"Subventions d'exploitation — Commune": "3000.00", "Total": "3000.00"}
