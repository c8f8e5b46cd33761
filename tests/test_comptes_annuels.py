"""The comptes annuels and their annexe, on a small ledger written here over 2024 and 2025
(figures computed by hand in the comments): every table of the annexe to the cent, its
totals equal to the bilan's and the compte de résultat's lines, and « à compléter »
for what the ledger cannot say (the PDF: tests/test_comptes_annuels_pdf.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from communs_ledger.chargement import load_livre
from communs_ledger.comptes_annuels.annexe import compute_comptes_annuels
from communs_ledger.rapports.source import Source
from livre_comptes_annuels import ecrire_livre as _ledger

D = Decimal


def _source(main: Path) -> Source:
    livre = load_livre(main)
    assert livre.ok, livre.diagnostics
    return Source.from_livre(livre)


def _doc(communs, main: Path) -> dict:
    result = communs("comptes-annuels", "-f", str(main), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _table(doc: dict, partie: str, colonne: str) -> dict[str, str]:
    found = next(p for p in doc["parties"] if p["id"] == partie)
    return {row["libelle"]: row["valeurs"][colonne] for row in found["lignes"]}


def test_annexe_tables_computed_by_hand(tmp_path: Path, communs) -> None:
    doc = _doc(communs, _ledger(tmp_path))
    # Immobilisations: 3 600 from 1 April 2025 over 3 years, 270/360 × 1 200 = 900.
    immo = _table(doc, "annexe_immobilisations", "vnc")
    assert immo == {"Vélo cargo": "2700.00", "Total": "2700.00"}
    # Créances: 411 1 200 (usagers), 441 3 000 (the commune's subsidy not yet paid).
    assert _table(doc, "annexe_creances", "montant") == {
        "Créances clients, usagers et comptes rattachés": "1200.00",
        "Autres créances": "3000.00",
        "Total": "4200.00",
    }
    # Dettes: the 10 000 borrowed, 8 000 of them due after one year (communs.yaml); 600
    # owed to the garage.
    dettes = next(p for p in doc["parties"] if p["id"] == "annexe_dettes")["lignes"]
    assert [
        (r["valeurs"]["montant"], r["valeurs"]["un_an"], r["valeurs"]["plus_d_un_an"])
        for r in dettes
    ] == [
        ("10000.00", "2000.00", "8000.00"),
        ("600.00", "600.00", "0.00"),
        ("10600.00", "2600.00", "8000.00"),
    ]
    # Fonds dédiés: 6 000 reported in 2024, 2 500 used in 2025, 3 500 left.
    fonds = next(p for p in doc["parties"] if p["id"] == "annexe_fonds_dedies")["lignes"][0]
    assert fonds["valeurs"] == {
        "ouverture": "6000.00",
        "reports": "0.00",
        "utilisations": "2500.00",
        "transferts": "0.00",
        "cloture": "3500.00",
    }
    assert _table(doc, "annexe_contributions", "montant") == {
        "Dons en nature": "300.00",
        "Bénévolat": "5000.00",
        "Total": "5300.00",
    }
    # Fonds propres: 20 000 + the 2024 result 500 at the opening; 1 700 of result in 2025.
    propres = _table(doc, "annexe_fonds_propres", "cloture")
    assert propres["Total des fonds propres"] == "22200.00"
    assert _table(doc, "annexe_fonds_propres", "ouverture")["Total des fonds propres"] == (
        "20500.00"
    )
    # Provisions: none at the opening, a dotation of 1 000 for the litigation, no reprise,
    # 1 000 at the closing.
    provisions = next(p for p in doc["parties"] if p["id"] == "annexe_provisions")["lignes"]
    keys = ("ouverture", "dotations", "reprises", "cloture")
    assert [tuple(r["valeurs"][k] for k in keys) for r in provisions] == [
        ("0.00", "1000.00", "0.00", "1000.00"),
        ("0.00", "1000.00", "0.00", "1000.00"),
    ]
    assert _table(doc, "annexe_subventions", "montant") == {
        "Ville de Test": "3000.00",
        "Total": "3000.00",
    }
    assert _table(doc, "annexe_effectif", "nombre") == {
        "Salariés au cours de l'exercice": "0",
        "Équivalents temps plein": "0,00",
        "Bénévoles réguliers": "12",
    }


def test_annexe_totals_equal_the_statements(tmp_path: Path) -> None:
    source = _source(_ledger(tmp_path))
    comptes = compute_comptes_annuels(source, source.exercice("2025"))
    bilan, resultat = comptes.bilan.n, comptes.resultat.n
    assert comptes.immobilisations is not None and comptes.fonds_dedies is not None
    assert comptes.immobilisations.total("vnc") == bilan.montant("total_actif_immobilise")
    assert comptes.immobilisations.total("dotation") == D("900.00")
    assert sum(f.cloture for f in comptes.fonds_dedies) == bilan.fonds_dedies == D("3500.00")
    propres = sum(r.cloture for r in comptes.fonds_propres)
    assert propres == bilan.fonds_propres == D("22200.00")
    assert resultat.montant("resultat") == D("1700.00") == bilan.resultat_net
    assert sum(r.cloture for r in comptes.provisions) == bilan.montant("provisions") == D("1000")
    assert sum(c[2] for c in comptes.contributions) == D("5300.00")
    assert bilan.montant("dettes") == sum(r.montant for r in comptes.dettes) == D("10600.00")


def test_missing_inputs_are_listed_and_shown(tmp_path: Path, communs) -> None:
    main = _ledger(tmp_path)
    result = communs("comptes-annuels", "-f", str(main), "-e", "2025")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    # Only the engagements hors bilan are missing for 2025.
    assert "À compléter (1) :" in text
    assert 'engagements hors bilan (comptes_annuels.exercices."2025".engagements_hors_bilan' in text
    doc = _doc(communs, main)
    engagements = next(p for p in doc["parties"] if p["id"] == "annexe_engagements")
    assert engagements["notes"] == ["À compléter : engagements hors bilan."]
    # 2024: no faits, no register of 2024 needed but the loan is absent. No wages nor
    # social charges (no 64 account in this ledger): the effectif is not asked, the annexe
    # says there was no employee (tests/test_audit_minimal.py).
    result = communs("comptes-annuels", "-f", str(main), "-e", "2024", "--format", "json")
    missing = json.loads(result.stdout)["meta"]["a_completer"]
    assert not any(item.startswith("effectif") for item in missing)
    assert any(item.startswith("faits caractéristiques") for item in missing)
