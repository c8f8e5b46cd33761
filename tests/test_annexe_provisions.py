"""Annexe of the comptes annuels: the état des provisions shows, by bilan line, the
opening, the dotations and the reprises of the exercice apart, and the closing (the
bilan's); the opening entry of the ledger's first exercice is the opening, not a dotation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT_OPTIONS

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
LITIGES = "Passif:15-Provisions:1511-Provisions-pour-litiges"
DOTATION = "Charges:68-Dotations:6815-Dotations-aux-provisions"
REPRISE = "Produits:78-Reprises:7815-Reprises-sur-provisions"
REPORT = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau"

LIVRE = (
    ROOT_OPTIONS
    + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
    + 'plugin "communs_plugins.plan_comptable"\n\n'
    + "\n".join(f"2024-01-01 open {name}" for name in (BANQUE, LITIGES, DOTATION, REPRISE, REPORT))
    + f"""

2024-01-01 * "Reprise du bilan"
  {BANQUE}  10000.00 EUR
  {LITIGES}  -2000.00 EUR
  {REPORT}  -8000.00 EUR

2024-12-31 * "Provision : litige prud'homal"
  {DOTATION}  3000.00 EUR
  {LITIGES}

2025-06-30 * "Litige prud'homal clos : reprise"
  {LITIGES}  3000.00 EUR
  {REPRISE}

2025-12-31 * "Provision : litige avec un fournisseur"
  {DOTATION}  1000.00 EUR
  {LITIGES}
"""
)


@pytest.mark.parametrize(
    ("exercice", "attendu"),
    [
        # 2024: 2 000 taken over at the opening (not a dotation), + 3 000 = 5 000.
        ("2024", ("2000.00", "3000.00", "0.00", "5000.00")),
        # 2025: 5 000 − reprise 3 000 + dotation 1 000 = 3 000 (net change −2 000).
        ("2025", ("5000.00", "1000.00", "3000.00", "3000.00")),
    ],
)
def test_provisions_show_dotations_and_reprises(
    tmp_path: Path, communs, exercice: str, attendu: tuple[str, ...]
) -> None:
    (tmp_path / "main.beancount").write_text(LIVRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    main = str(tmp_path / "main.beancount")
    result = communs("comptes-annuels", "-f", main, "-e", exercice, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    partie = next(p for p in doc["parties"] if p["id"] == "annexe_provisions")
    assert [c["id"] for c in partie["colonnes"]][-4:] == [
        "ouverture",
        "dotations",
        "reprises",
        "cloture",
    ]
    keys = ("ouverture", "dotations", "reprises", "cloture")
    # One provision line and the total, equal (one account).
    assert [tuple(r["valeurs"][k] for k in keys) for r in partie["lignes"]] == [attendu, attendu]
    # The closing is the bilan's line of provisions.
    assert doc["totaux"]["provisions"] == attendu[-1]


def test_missing_items_printed_once_on_the_terminal(tmp_path: Path, communs) -> None:
    (tmp_path / "main.beancount").write_text(LIVRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    main = str(tmp_path / "main.beancount")
    result = communs("comptes-annuels", "-f", main, "-e", "2025")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    # 3 missing: objet, faits, engagements (no wages in the ledger: no effectif asked); the
    # key of the engagements is named once, in the list « À compléter (3) » (not again among
    # the warnings above it).
    assert "À compléter (3) :" in text
    assert text.count('comptes_annuels.exercices."2025".engagements_hors_bilan') == 1
    # The JSON keeps them among its warnings, as before.
    doc = json.loads(
        communs("comptes-annuels", "-f", main, "-e", "2025", "--format", "json").stdout
    )
    assert sum('"2025".engagements_hors_bilan' in a for a in doc["avertissements"]) == 1
    assert len(doc["meta"]["a_completer"]) == 3
