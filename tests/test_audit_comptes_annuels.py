"""Audit (an association written from the user guide, checked by hand): the état des
créances and the état des dettes of the annexe include the charges and produits constatés
d'avance, as the état des échéances of the PCG does, so that the annexe's total of the
dettes is the bilan's (docs/comptes-annuels.md: « le total des dettes le total IV du
passif »). Ledger of :mod:`livre_comptes_annuels`, with two accruals added."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import write_ledger
from livre_comptes_annuels import COTISATIONS, ENTRETIEN
from livre_comptes_annuels import ecrire_livre as _ledger

D = Decimal
CCA = "Actif:48-Regularisation:486-Charges-constatees-d-avance"
PCA = "Passif:48-Regularisation:487-Produits-constates-d-avance"


def _livre(folder: Path) -> Path:
    folder.mkdir(parents=True)
    main = _ledger(folder)
    with open(folder / "2025.beancount", "a", encoding="utf-8") as file:
        file.write(
            f"""
2025-01-01 open {CCA}
2025-01-01 open {PCA}

2025-12-31 * "Produit constaté d'avance : cotisations 2026 encaissées en 2025"
  {COTISATIONS}  150.00 EUR
  {PCA}  -150.00 EUR

2025-12-31 * "Charge constatée d'avance : contrat d'entretien, part 2026"
  {CCA}  200.00 EUR
  {ENTRETIEN}  -200.00 EUR
"""
        )
    return main


def _lignes(doc: dict[str, Any], partie: str) -> dict[str, tuple[str, str]]:
    found = next(p for p in doc["parties"] if p["id"] == partie)
    return {r["libelle"]: (r["valeurs"]["montant"], r["valeurs"]["un_an"]) for r in found["lignes"]}


def test_charges_et_produits_constates_d_avance_dans_l_annexe(tmp_path: Path, communs) -> None:
    main = _livre(tmp_path / "asso")
    result = communs("comptes-annuels", "-f", str(main), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    # Créances: 411 1 200, 441 3 000, and the prepaid charge 200 (due within a year).
    assert _lignes(doc, "annexe_creances") == {
        "Créances clients, usagers et comptes rattachés": ("1200.00", "1200.00"),
        "Autres créances": ("3000.00", "3000.00"),
        "Charges constatées d'avance": ("200.00", "200.00"),
        "Total": ("4400.00", "4400.00"),
    }
    # Dettes: the loan 10 000 (2 000 within a year), the garage 600, the cotisations
    # received in advance 150: 10 750, the bilan's total of the dettes.
    dettes = _lignes(doc, "annexe_dettes")
    assert dettes["Produits constatés d'avance"] == ("150.00", "150.00")
    assert dettes["Total"] == ("10750.00", "2750.00")
    assert doc["totaux"]["dettes"] == "10750.00"


def test_fonds_propres_a_l_ouverture_du_premier_exercice(tmp_path: Path, communs) -> None:
    """The first exercice of a ledger started as docs/init.md says (« Reprise du bilan »
    dated its first day): its fonds propres at the opening are those of the reprise, not
    zero. A contribution booked the same day on 102 without a report à nouveau is not an
    opening entry: it is a variation of the exercice."""
    banque = "Actif:51-Banques:512-Banques:Compte-courant"
    fonds = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
    report = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
    cotisations = "Produits:75-Autres-produits:756-Cotisations"
    body = f"""
2025-01-01 open {banque}
2025-01-01 open {fonds}
2025-01-01 open {report}
2025-01-01 open {cotisations}

2025-01-01 * "Reprise du bilan au 31 décembre 2024"
  {banque}  12000.00 EUR
  {fonds}  -10000.00 EUR
  {report}  -2000.00 EUR

2025-01-01 * "Apport d'un fondateur"
  {banque}  500.00 EUR
  {fonds}  -500.00 EUR

2025-03-01 * "Cotisations"
  {banque}  300.00 EUR
  {cotisations}
"""
    path = write_ledger(tmp_path / "asso", body)
    result = communs("comptes-annuels", "-f", str(path), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    found = next(
        p for p in json.loads(result.stdout)["parties"] if p["id"] == "annexe_fonds_propres"
    )
    lignes = {r["libelle"]: r["valeurs"] for r in found["lignes"]}
    # 102: 10 000 at the opening (the reprise), + 500 (the contribution) = 10 500.
    assert lignes["Fonds propres sans droit de reprise"] == {
        "ouverture": "10000.00",
        "variation": "500.00",
        "cloture": "10500.00",
    }
    assert lignes["Report à nouveau"] == {
        "ouverture": "2000.00",
        "variation": "0.00",
        "cloture": "2000.00",
    }
    # Result: the cotisations, 300; total 12 000 → 12 800.
    assert lignes["Total des fonds propres"] == {
        "ouverture": "12000.00",
        "variation": "800.00",
        "cloture": "12800.00",
    }
