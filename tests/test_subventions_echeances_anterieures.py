"""``communs subventions`` for the current exercice keeps showing what conventions of an
earlier exercice still expect (financeurs audit).

DEP-FONCT-2025 (Département, 5 000 €, year 2025, operating subsidy) is received in full;
its compte rendu is due six months after the end of 2025: 30 June 2026, and is not sent.
The ledger runs to 30 October 2026 (one 2026 entry). Hand figures at that date:

- ``communs subventions`` (default exercice 2026): the 2025 convention is not in the table
  (its period is 2025), but its compte rendu, due 30/06/2026 < 30/10/2026, is « en retard »
  in « Prochaines échéances et retards » and in the warnings (before the fix: nothing, the
  report looked up to date);
- a compte rendu sent (``compte_rendu_remis``) is no longer listed.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import BANQUE, FONDS, write_ledger

DEPT = "Produits:74-Subventions:741-Subventions-d-exploitation:7413-Departement"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"

CONFIG = """\
association:
  nom: Les Ateliers du Val
conventions: conventions.yaml
"""

CONVENTIONS = """\
conventions:
  - reference: DEP-FONCT-2025
    financeur: Département de la Drôme
    type_financeur: departement
    objet: Subvention de fonctionnement 2025
    montant: 5000
    debut: 2025-01-01
    fin: 2025-12-31
    exercice: "2025"
    compte: "7413"
    versements:
      - {libelle: versement unique, part: 100, date: 2025-04-01}
"""

LEDGER = f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {FONDS}
2025-01-01 open {DEPT}
2025-01-01 open {COTISATIONS}

2025-04-01 * "Département de la Drôme" "Subvention de fonctionnement 2025"
  convention: "DEP-FONCT-2025"
  {BANQUE}   5000.00 EUR
  {DEPT}

2026-10-30 * "Cotisation"
  {BANQUE}   20.00 EUR
  {COTISATIONS}
"""


def _suivi(folder: Path, communs: Callable[..., Any], conventions: str) -> dict[str, Any]:
    path = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "conventions.yaml").write_text(textwrap.dedent(conventions), encoding="utf-8")
    result = communs("subventions", "-f", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_compte_rendu_en_retard_d_une_convention_anterieure(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    data = _suivi(ledger_dir, communs, CONVENTIONS)
    assert data["meta"]["au"] == "2026-10-30"
    conventions = next(p for p in data["parties"] if p["id"] == "conventions")
    assert not any("DEP-FONCT-2025" in row["id"] for row in conventions["lignes"])
    echeances = next(p for p in data["parties"] if p["id"] == "echeances")
    rows = {row["id"]: row["valeurs"] for row in echeances["lignes"]}
    key = "compte_rendu:DEP-FONCT-2025:2026-06-30:compte rendu financier"
    assert rows[key] == {"date": "2026-06-30", "montant": None, "etat": "en retard"}
    assert any(
        "1 échéance(s) en retard au 30 octobre 2026 : DEP-FONCT-2025 (compte rendu, 30/06/2026)"
        in w
        for w in data["avertissements"]
    ), data["avertissements"]


def test_compte_rendu_remis_n_apparait_plus(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    remis = CONVENTIONS.replace(
        "    exercice:", "    compte_rendu_remis: 2026-06-15\n    exercice:"
    )
    data = _suivi(ledger_dir, communs, remis)
    echeances = next(p for p in data["parties"] if p["id"] == "echeances")
    assert not any("DEP-FONCT-2025" in row["id"] for row in echeances["lignes"])
    assert not any("en retard" in w for w in data["avertissements"])
