"""The FEC balances per écriture to the cent when the ledger's amounts have more than two
decimals (a foreign-currency invoice converted at a four-decimal rate, amounts with three
decimals): rounding per écriture by largest remainder, and every FEC written passes
``communs fec --verifier``. Figures computed by hand."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from communs_ledger.chargement import load_livre
from communs_ledger.fec.export import exporter
from communs_ledger.rapports.source import Source
from conftest import one_line, write_ledger

D = Decimal
SIREN = "123456782"
CONFIG = f'association:\n  nom: "Test"\n  siren: "{SIREN}"\n'
LEDGER = """\
option "operating_currency" "EUR"

2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant
2025-01-01 open Passif:40-Fournisseurs:401-Fournisseurs:Logiciels-SA
2025-01-01 open Charges:60-Achats:6064-Fournitures-administratives
2025-01-01 open Charges:61-Services-exterieurs:6135-Locations-mobilieres
2025-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise

2025-01-02 * "Apport"
  Actif:51-Banques:512-Banques:Compte-courant  1000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise  -1000.00 EUR

; a two-line invoice in US dollars at 1.0505: 10.505 + 10.505 = 21.01 EUR
2025-03-10 * "Logiciels SA" "Facture USD"
  Charges:60-Achats:6064-Fournitures-administratives  10.00 USD @ 1.0505 EUR
  Charges:61-Services-exterieurs:6135-Locations-mobilieres  10.00 USD @ 1.0505 EUR
  Passif:40-Fournisseurs:401-Fournisseurs:Logiciels-SA  -20.00 USD @ 1.0505 EUR

; three decimals: 10.005 + 10.005 = 20.01
2025-04-10 * "Papeterie" "Montants à trois décimales"
  Charges:60-Achats:6064-Fournitures-administratives  10.005 EUR
  Charges:61-Services-exterieurs:6135-Locations-mobilieres  10.005 EUR
  Actif:51-Banques:512-Banques:Compte-courant  -20.01 EUR
"""


def _source(folder: Path) -> Source:
    livre = load_livre(write_ledger(folder, LEDGER, config=CONFIG))
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


def test_arrondi_par_ecriture_plus_fort_reste() -> None:
    from communs_ledger.fec.export import arrondir_ecriture

    assert arrondir_ecriture([D("10.00"), D("-10.00")]) is None
    # the credit side is at the cent: 21.01 split 50/50 → 10.50 + 10.50, the cent left to
    # the first (equal remainders: file order)
    assert arrondir_ecriture([D("10.505"), D("10.505"), D("-21.01")]) == [
        D("10.51"),
        D("10.50"),
        D("-21.01"),
    ]
    # 9.234 + 10.00 against 19.23: 19.23 × 9.234 / 19.234 = 9.2320…, 19.23 × 10 / 19.234
    # = 9.9979… → 9.23 + 9.99, the cent to the largest remainder (10.00)
    assert arrondir_ecriture([D("9.234"), D("10.00"), D("-19.23")]) == [
        D("9.23"),
        D("10.00"),
        D("-19.23"),
    ]


def test_fec_equilibre_par_ecriture(tmp_path: Path) -> None:
    source = _source(tmp_path)
    fec = exporter(source, source.exercice("2025"), SIREN)
    lines = [(line[2], line[4], line[11], line[12], line[16], line[17]) for line in fec.lignes]
    assert [line for line in lines if line[0] == "AC-000001"] == [
        ("AC-000001", "6064", "10,51", "0,00", "10,00", "USD"),
        ("AC-000001", "6135", "10,50", "0,00", "10,00", "USD"),
        ("AC-000001", "401", "0,00", "21,01", "20,00", "USD"),
    ]
    assert [line[:4] for line in lines if line[0] == "BQ-000002"] == [
        ("BQ-000002", "6064", "10,01", "0,00"),
        ("BQ-000002", "6135", "10,00", "0,00"),
        ("BQ-000002", "512", "0,00", "20,01"),
    ]
    # 1 000 + 21.01 + 20.01
    assert fec.debit == fec.credit == D("1041.02")
    assert any("arrondis au centime écriture par écriture" in w for w in fec.avertissements)


def test_fec_ecrit_passe_la_verification(communs: Callable[..., Any], tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "compta", LEDGER, config=CONFIG)
    written = communs("fec", "-f", str(ledger), "-e", "2025", "--sortie", str(tmp_path))
    assert written.exit_code == 0, written.output
    path = tmp_path / f"{SIREN}FEC20251231.txt"
    checked = communs("fec", "--verifier", str(path))
    assert checked.exit_code == 0, checked.output
    assert "Total débit = total crédit = 1 041,02 €" in one_line(checked.output)
