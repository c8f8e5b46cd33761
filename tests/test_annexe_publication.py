"""Annexe of the comptes annuels: the 153 000 € publication thresholds, public subsidies
(investment subsidies received included) and, apart, gifts giving right to a tax
reduction (7541, 7542), each named with its amount."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT_OPTIONS

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"
INVEST = "Fonds-propres:13-Subventions-d-investissement:131-Subventions-d-equipement:1312-Regions"
QUOTE_PART = "Fonds-propres:13-Subventions-d-investissement:139-Inscrites-au-resultat"
PRODUIT_QP = "Produits:77-Exceptionnels:777-Quote-part-subventions-investissement"
DONS = "Produits:75-Autres-produits:7541-Dons-manuels"
MECENAT = "Produits:75-Autres-produits:7542-Mecenat"
LEGS = "Produits:75-Autres-produits:7543-Legs"
REPORT = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau"
OUVERTS = (BANQUE, COMMUNE, INVEST, QUOTE_PART, PRODUIT_QP, DONS, MECENAT, LEGS, REPORT)


def _livre(commune: str, region: str, dons: str, mecenat: str) -> str:
    return (
        ROOT_OPTIONS
        + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
        + 'plugin "communs_plugins.plan_comptable"\n\n'
        + "\n".join(f"2024-01-01 open {name}" for name in OUVERTS)
        + f"""

2024-01-01 * "Reprise du bilan"
  {BANQUE}  50000.00 EUR
  {INVEST}  -20000.00 EUR
  {REPORT}  -30000.00 EUR

2024-03-01 * "Ville" "Subvention de fonctionnement"
  {BANQUE}  {commune} EUR
  {COMMUNE}

2024-05-01 * "Région" "Subvention d'équipement"
  {BANQUE}  {region} EUR
  {INVEST}

2024-12-31 * "Quote-part virée au résultat"
  {QUOTE_PART}  4000.00 EUR
  {PRODUIT_QP}

2024-06-01 * "Dons manuels de l'année"
  {BANQUE}  {dons} EUR
  {DONS}

2024-07-01 * "Mécénat d'une entreprise"
  {BANQUE}  {mecenat} EUR
  {MECENAT}

2024-08-01 * "Legs"
  {BANQUE}  90000.00 EUR
  {LEGS}
"""
    )


def _subventions(tmp_path: Path, communs, livre: str) -> dict:
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    main = str(tmp_path / "main.beancount")
    result = communs("comptes-annuels", "-f", main, "-e", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return next(p for p in doc["parties"] if p["id"] == "annexe_subventions")


def _notes(partie: dict) -> str:
    return " ".join(partie["notes"]).replace("\u202f", " ").replace("\xa0", " ")


def test_investment_subsidy_received_counts_toward_the_public_threshold(
    tmp_path: Path, communs
) -> None:
    partie = _subventions(tmp_path, communs, _livre("100000.00", "60000.00", "1000", "500"))
    rows = {r["libelle"]: r["valeurs"]["montant"] for r in partie["lignes"]}
    # Ville 100 000 (74) + Région 60 000 received in 2024 (1312 credit) = 160 000; the
    # 20 000 of the opening entry was received earlier, the 4 000 of quote-part (139 debit,
    # 777) is not received: 160 000 > 153 000, the subsidies threshold is crossed.
    assert rows["Total"] == "160000.00"
    assert len(rows) == 3
    notes = _notes(partie)
    assert "Subventions publiques de l'exercice : 160 000,00 €, plus de 153 000,00 €" in notes
    assert "L. 612-4" in notes
    # Dons 1 000 + mécénat 500 = 1 500: far under; the 90 000 of legs (7543) do not count.
    assert "Dons" not in notes


def test_gifts_threshold_is_separate_from_the_subsidies(tmp_path: Path, communs) -> None:
    partie = _subventions(tmp_path, communs, _livre("10000.00", "5000.00", "150000", "4000.50"))
    notes = _notes(partie)
    # Subsidies 10 000 + 5 000 = 15 000: under. Gifts 150 000 + 4 000,50 = 154 000,50 >
    # 153 000 (the 90 000 of legs left out, else 244 000,50): the gifts threshold only.
    assert "Subventions publiques" not in notes
    assert (
        "Dons ouvrant droit à réduction d'impôt de l'exercice (7541, 7542) : 154 000,50 €, "
        "plus de 153 000,00 €" in notes
    )
    assert "loi n° 87-571" in notes


def test_nothing_said_under_both_thresholds(tmp_path: Path, communs) -> None:
    partie = _subventions(tmp_path, communs, _livre("100000.00", "53000.00", "152000", "1000"))
    # 100 000 + 53 000 = 153 000 and 152 000 + 1 000 = 153 000: « plus de » 153 000, not
    # reached.
    assert partie["notes"] == []
