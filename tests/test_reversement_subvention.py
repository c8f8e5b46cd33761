"""A subsidy partly repaid to its funder (« reversement »), found by the financeurs audit.

The CAF grants 3 000 € (single instalment, 10 June 2025), pays it, the action spends
2 000 € (charges tagged ``convention: CAF-ETE``), and in November the association repays
the unused 1 000 € (debit 7416, credit 512). Hand figures at 31 December 2025:

- recognised 3 000 − 1 000 = 2 000; received (net) 3 000 − 1 000 = 2 000; receivable 0;
- spent 1 200 + 800 = 2 000; left to spend (3 000 − 1 000 repaid) − 2 000 = 0
  (before the fix: 3 000 − 2 000 = 1 000);
- the single instalment was paid in full (3 000 on 10 June): nothing is late (before the
  fix: « versement unique » 1 000 € « en retard », as if the CAF still owed it), and the
  plan de trésorerie does not expect 1 000 € from the CAF (before the fix it did).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from conftest import BANQUE, FONDS, write_ledger

CAF = "Produits:74-Subventions:741-Subventions-d-exploitation:7416-Organismes-sociaux"
TRANSPORT = "Charges:62-Autres-services-exterieurs:6251-Voyages-et-deplacements"
ENTREES = "Charges:60-Achats:604-Prestations-de-services"

CONFIG = """\
association:
  nom: Les Ateliers du Val
conventions: conventions.yaml
"""

CONVENTIONS = """\
conventions:
  - reference: CAF-ETE
    financeur: CAF de la Drôme
    type_financeur: organismes_sociaux
    objet: Sorties d'été 2025
    montant: 3000
    debut: 2025-06-01
    fin: 2025-08-31
    notification: 2025-05-20
    exercice: "2025"
    compte: "7416"
    compte_rendu_remis: 2025-10-15
    versements:
      - {libelle: versement unique, part: 100, date: 2025-06-10}
"""

LEDGER = f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {FONDS}
2025-01-01 open {CAF}
2025-01-01 open {TRANSPORT}
2025-01-01 open {ENTREES}

2025-01-01 * "Reprise du bilan d'ouverture"
  {BANQUE}   10000.00 EUR
  {FONDS}

2025-06-10 * "CAF de la Drôme" "Subvention sorties d'été"
  convention: "CAF-ETE"
  {BANQUE}   3000.00 EUR
  {CAF}

2025-07-20 * "Cars du Val" "Transport sortie d'été"
  convention: "CAF-ETE"
  {TRANSPORT}   1200.00 EUR
  {BANQUE}

2025-08-10 * "Parc aventure" "Entrées sortie d'été"
  convention: "CAF-ETE"
  {ENTREES}   800.00 EUR
  {BANQUE}

2025-11-12 * "CAF de la Drôme" "Reversement de la part non utilisée"
  convention: "CAF-ETE"
  {CAF}   1000.00 EUR
  {BANQUE}
"""


def _ecrire(folder: Path) -> Path:
    path = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "conventions.yaml").write_text(textwrap.dedent(CONVENTIONS), encoding="utf-8")
    return path


def _json(communs: Callable[..., Any], *args: str) -> dict[str, Any]:
    result = communs(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _rows(data: dict[str, Any], partie: str) -> dict[str, dict[str, Any]]:
    found = next(p for p in data["parties"] if p["id"] == partie)
    return {row["id"]: row["valeurs"] for row in found["lignes"]}


def test_suivi_apres_reversement(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    path = _ecrire(ledger_dir)
    data = _json(communs, "subventions", "-f", str(path), "-e", "2025", "--au", "2025-12-31")
    caf = _rows(data, "conventions")["convention:CAF-ETE"]
    figures = ("montant", "reconnu", "recu", "a_recevoir", "depense", "reste")
    assert {k: D(caf[k]) for k in figures} == {
        "montant": D("3000.00"),
        "reconnu": D("2000.00"),
        "recu": D("2000.00"),
        "a_recevoir": D("0.00"),
        "depense": D("2000.00"),
        "reste": D("0.00"),  # was 1 000.00: the repaid part is no longer to spend
    }
    assert caf["etat"] == "à jour"  # was « versement en retard »
    dues = _rows(data, "echeances")
    assert not any(key.startswith("versement:CAF-ETE") for key in dues)
    assert not any("en retard" in w for w in data["avertissements"])
    notes = [n.replace("\u202f", " ").replace("\xa0", " ") for n in data["notes"]]
    assert any("CAF-ETE : 1 000,00 € reversés au financeur" in n for n in notes), notes


def test_tresorerie_n_attend_pas_le_reversement(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    path = _ecrire(ledger_dir)
    result = communs("tresorerie", "-f", str(path))
    assert result.exit_code == 0, result.output
    # Before the fix: « CAF-ETE, versement « versement unique » (1 000,00 €) : attendu le
    # 10 juin 2025, introuvable au grand livre : prévu en retard… » and « 1 000,00 € jamais
    # constatés en produit ».
    assert "CAF-ETE" not in result.output, result.output
