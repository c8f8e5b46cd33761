"""The current month of the cash plan and of the atterrissage: what is left of each budget
line's month once the ledger's postings of that month on it are deducted, never below
zero (docs/tresorerie.md, « Qui l'emporte sur le budget ? »).

The association (calendar exercices), no forecast file: the budget 2026 alone
-----------------------------------------------------------------------------
Budget 2026, uniform (a twelfth each month, dated at the month's end):

======  ==========================  ===========  ==========
code    line                        annual       a month
======  ==========================  ===========  ==========
6132    Loyer                       13 200       1 100
6064    Fournitures                  3 600         300
756     Cotisations                  2 400         200
7541    Dons                         1 200         100
======  ==========================  ===========  ==========

The ledger: an apport of 10 000 on 2 January; in April the rent of 1 100 paid on the 5th,
100 of supplies on the 8th, 50 of cotisations on the 10th and 150 of dons on the 12th
(the last entry). Bank on 12 April: 10 000 − 1 100 − 100 + 50 + 150 = 9 000.

April is half realised (the forecast starts on the 13th, 18 of its 30 days left):

======  ===========================  ==============================  ====================
code    month's budget − booked      forecast (new rule)             old pro rata 18/30
======  ===========================  ==============================  ====================
6132    1 100 − 1 100                0 (the rent is paid)            660
6064    300 − 100                    200 (the other part)            180
756     200 − 50                     150                             120
7541    100 − 150, floored           0 (more received than budgeted)  60
======  ===========================  ==============================  ====================

Bank: April 9 000 − 0 − 200 + 150 + 0 = 8 950; May (whole month) 8 950 − 1 100 − 300
+ 200 + 100 = 7 850.

Atterrissage 2026: charges realised 1 100 + 100 = 1 200, forecast April 200 and May to
December 8 × 1 400 = 11 200: 12 600; produits realised 50 + 150 = 200, forecast April
150 and 8 × 300 = 2 400: 2 750; result 2 750 − 12 600 = −9 850 (the old pro rata gave
charges 13 240, produits 2 780: −10 460).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import write_ledger

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
DONS = "Produits:75-Autres-produits:7541-Dons-manuels"

LEDGER = f"""
2026-01-01 open {BANQUE}
2026-01-01 open {FONDS}
2026-01-01 open {LOYER}
2026-01-01 open {FOURNITURES}
2026-01-01 open {COTISATIONS}
2026-01-01 open {DONS}

2026-01-02 * "Apport initial"
  {BANQUE}  10000.00 EUR
  {FONDS}

2026-04-05 * "SCI" "Loyer d'avril"
  {LOYER}  1100.00 EUR
  {BANQUE}

2026-04-08 * "Papeterie" "Fournitures"
  {FOURNITURES}  100.00 EUR
  {BANQUE}

2026-04-10 * "Adhérents" "Cotisations"
  {BANQUE}  50.00 EUR
  {COTISATIONS}

2026-04-12 * "Donateurs" "Dons"
  {BANQUE}  150.00 EUR
  {DONS}
"""

CONFIG = """\
association:
  nom: La Compagnie du Mois
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

BUDGET = """\
versions:
  - code: vote
    nom: Budget voté
    date: 2026-01-15
    lignes:
      - {compte: "6132", libelle: Loyer, montant: 13200}
      - {compte: "6064", libelle: Fournitures, montant: 3600}
      - {compte: "756", libelle: Cotisations, montant: 2400}
      - {compte: "7541", libelle: Dons, montant: 1200}
"""


def _compagnie(folder: Path) -> Path:
    path = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    return path


def _ligne(data: dict[str, Any], ligne: str) -> dict[str, str]:
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    valeurs: dict[str, str] = next(r for r in partie["lignes"] if r["id"] == ligne)["valeurs"]
    return valeurs


def test_le_mois_en_cours_prevoit_le_reste_de_chaque_ligne(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    path = _compagnie(tmp_path / "asso")
    result = communs("tresorerie", "-f", str(path), "--format", "json", "--mois", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # April is « mixte »: realised + forecast. The rent paid on the 5th: 1 100 + 0 (the
    # old pro rata added 660: 1 760).
    assert _ligne(data, "decaissement:loyer") == {"2026-04": "1100.00", "2026-05": "1100.00"}
    # Supplies 300 with 100 booked: 100 + the other 200 (not 100 + 300 × 18/30 = 280).
    assert _ligne(data, "decaissement:achats") == {"2026-04": "300.00", "2026-05": "300.00"}
    # A produit: cotisations 200 with 50 received: 50 + 150 (not 50 + 120).
    assert _ligne(data, "encaissement:cotisations") == {"2026-04": "200.00", "2026-05": "200.00"}
    # Dons: 150 received for 100 budgeted: 150 + 0, never below zero (not 150 + 60).
    assert _ligne(data, "encaissement:dons") == {"2026-04": "150.00", "2026-05": "100.00"}
    assert _ligne(data, "solde_initial") == {"2026-04": "10000.00", "2026-05": "8950.00"}
    assert _ligne(data, "solde_final") == {"2026-04": "8950.00", "2026-05": "7850.00"}


def test_l_atterrissage_compte_le_reste_du_mois_en_cours(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    path = _compagnie(tmp_path / "asso")
    result = communs("prevision", "atterrissage", "-f", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    colonne = data["totaux_par_colonne"]["atterrissage"]
    # 1 100 + 100 realised, 200 left of April, 8 × 1 400 from May (old: 13 240).
    assert colonne["total_charges_exploitation"] == "12600.00"
    # Cotisations 50 + 150 + 8 × 200 (old 1 770); dons 150 + 0 + 8 × 100 (old 1 010).
    assert colonne["cotisations"] == "1800.00" and colonne["dons_manuels"] == "950.00"
    assert colonne["total_produits_exploitation"] == "2750.00"
    assert data["totaux"]["resultat"] == "-9850.00"  # old pro rata: −10 460
