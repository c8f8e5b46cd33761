"""Membership fees and tax receipts (financeurs audit): a ``donateur:`` on a fee.

A fee (756) gives no receipt; a « cotisation de soutien » of 100 € split into 20 € of
fee (756) and 80 € of gift (7541, ``donateur:`` on the gift's posting) gives a receipt of
80 €. Before this check, a ``donateur:`` written on a plain fee (50 €, 756) was dropped
silently: no receipt and no word from ``communs verifier``. Hand figures, 2025: gifts
with a receipt 80.00 (one receipt, particulier), fee of 20.00 and fee of 50.00 without.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import write_ledger
from test_dons import ADHERENTS, CONFIG, DONATEURS, FISCAL

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
DONS = "Produits:75-Autres-produits:754-Dons:7541-Dons-manuels"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"

LIVRE = f"""\
option "operating_currency" "EUR"
2025-01-01 open {BANQUE} EUR
2025-01-01 open {DONS}
2025-01-01 open {COTISATIONS}

2025-04-10 * "Alice Aubert" "Cotisation 2025 et don de soutien"
  {BANQUE}   100.00 EUR
  {COTISATIONS}   -20.00 EUR
    adherent: "A1"
  {DONS}   -80.00 EUR
    donateur: "DURAND-M"
    paiement: "virement"

2025-12-15 * "Marie Durand" "Cotisation de membre bienfaiteur"
  donateur: "DURAND-M"
  {BANQUE}   50.00 EUR
  {COTISATIONS}
"""


def test_donateur_sur_une_cotisation(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    write_ledger(ledger_dir, LIVRE, config=CONFIG + FISCAL)
    (ledger_dir / "donateurs.yaml").write_text(DONATEURS, encoding="utf-8")
    (ledger_dir / "adherents.yaml").write_text(ADHERENTS, encoding="utf-8")
    result = communs("verifier")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    # the plain fee of 15 December (line 20 of main.beancount, after the header), not the split one
    assert (
        "main.beancount:20: donateur « DURAND-M » sur une écriture qui n'est pas un don "
        "(crédit d'un compte 754) : aucun reçu fiscal n'en sortira ; une cotisation (756) "
        "n'ouvre droit à réduction d'impôt que si l'adhérent n'en retire aucune contrepartie"
    ) in output, output
    assert output.count("qui n'est pas un don") == 1

    declaration = communs("recus", "-e", "2025", "--date", "2026-01-10")
    assert declaration.exit_code == 0, declaration.output
    result = communs("recus", "-e", "2025", "--declaration", "--format", "json")
    lignes = {ligne["id"]: ligne for ligne in json.loads(result.output)["parties"][0]["lignes"]}
    assert lignes["particulier"]["valeurs"] == {"nombre": 1, "montant": "80.00"}
    assert lignes["total"]["valeurs"] == {"nombre": 1, "montant": "80.00"}
