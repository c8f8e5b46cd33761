"""communs adherents (audit 3): a fee without ``adherent:`` belongs to the member whose
name is its payee, written as a bank writes it (capitals, no accents, surname first), as
the import rules already find a member."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT_OPTIONS

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"

LIVRE = (
    ROOT_OPTIONS
    + 'option "title" "Ressourcerie"\noption "operating_currency" "EUR"\n'
    + f"""
2025-01-01 open {BANQUE}
2025-01-01 open {COTISATIONS}

2025-02-16 * "ALICE MARTIN" "Cotisation 2025"
  {BANQUE}  25.00 EUR
  {COTISATIONS}

2025-02-17 * "PETIT CHLOE" "Cotisation 2025"
  {BANQUE}  20.00 EUR
  {COTISATIONS}

2025-02-18 * "Bruno Durand" "Cotisation 2025"
  {BANQUE}  15.00 EUR
  {COTISATIONS}

2025-02-19 * "Adhérents" "Cotisations en espèces"
  {BANQUE}  40.00 EUR
  {COTISATIONS}
"""
)

CONFIG = """\
association:
  nom: Ressourcerie
dons:
  adherents: adherents.yaml
"""

ADHERENTS = """\
adherents:
  - {code: MARTIN-A, nom: Alice Martin}
  - {code: DURAND-B, nom: Bruno Durand}
  - {code: PETIT-C, nom: Chloé Petit}
"""


def test_payee_names_the_member_whatever_its_case(tmp_path: Path, communs) -> None:
    (tmp_path / "main.beancount").write_text(LIVRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "adherents.yaml").write_text(ADHERENTS, encoding="utf-8")
    main = str(tmp_path / "main.beancount")
    result = communs("adherents", "-f", main, "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    lignes = {x["id"]: x["valeurs"] for x in json.loads(result.stdout)["parties"][0]["lignes"]}
    # 25 (ALICE MARTIN) + 20 (PETIT CHLOE) + 15 (Bruno Durand) to members; 40 without one;
    # total 100.
    assert lignes["MARTIN-A"]["montant"] == "25.00"
    assert lignes["PETIT-C"]["montant"] == "20.00"
    assert lignes["DURAND-B"]["montant"] == "15.00"
    assert lignes["sans_adherent"]["montant"] == "40.00"
    assert lignes["total"]["montant"] == "100.00"
