"""Earlier results in the à-nouveaux of the grand livre, the balance and the FEC: the
previous exercice's result opens on 120 (excédent) / 129 (déficit) until the AG's
affectation, which moves it (120 → 1068/110, 129 → 119); older results on 110/119.
Σ débits = Σ crédits in every exercice. Figures computed by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.fec.export import exporter
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.grand_livre import grand_livre
from communs_ledger.rapports.source import Source
from conftest import BANQUE, COTISATIONS, FONDS, FOURNITURES, write_ledger

D = Decimal
REPORT = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
REPORT_DEBITEUR = "Fonds-propres:11-Report-a-nouveau:119-Report-a-nouveau-debiteur"
RESERVES = "Fonds-propres:10-Fonds-propres:1068-Reserves-pour-projet"
EXCEDENT = "Fonds-propres:12-Resultat:120-Resultat-de-l-exercice"
DEFICIT = "Fonds-propres:12-Resultat:129-Deficit-de-l-exercice"
CONFIG = 'association:\n  nom: "Test"\nexercice:\n  debut: "01-01"\n'


def ledger(folder: Path, affectation: str) -> Source:
    # 2024: cotisations 1 500, fournitures 500 → excédent 1 000.
    # 2025: fournitures 1 200 → déficit 1 200. 2026: cotisations 100.
    body = f"""\
2024-01-01 open {BANQUE}
2024-01-01 open {FONDS}
2024-01-01 open {FOURNITURES}
2024-01-01 open {COTISATIONS}
2024-01-01 open {REPORT}
2024-01-01 open {REPORT_DEBITEUR}
2024-01-01 open {RESERVES}

2024-01-02 * "Apport"
  {BANQUE}  5000.00 EUR
  {FONDS}  -5000.00 EUR

2024-03-01 * "Cotisations"
  {BANQUE}  1500.00 EUR
  {COTISATIONS}  -1500.00 EUR

2024-05-01 * "Fournitures"
  {FOURNITURES}  500.00 EUR
  {BANQUE}  -500.00 EUR

2025-02-01 * "Fournitures"
  {FOURNITURES}  1200.00 EUR
  {BANQUE}  -1200.00 EUR
{affectation}
2026-02-01 * "Cotisations"
  {BANQUE}  100.00 EUR
  {COTISATIONS}  -100.00 EUR
"""
    livre = load_livre(write_ledger(folder, body, config=CONFIG))
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


# The AG of 14 June 2025 puts 600 of the 2024 result (1 000) in réserves (as
# « communs cloture affecter --reserves 600 » writes it).
AFFECTATION = f"""
2025-06-14 * "Affectation du résultat de l'exercice 2024 (AG du 14/06/2025)"
  affectation: "2024"
  {REPORT}  600.00 EUR
  {RESERVES}  -600.00 EUR
"""


def soldes(source: Source, code: str) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """(à nouveau, total débit, total crédit) of each account of the grand livre."""
    rows = grand_livre(source, source.exercice(code)).partie("grand_livre").lignes
    found: dict[str, list[Decimal]] = {}
    for ligne in rows:
        if ligne.id == "a_nouveau":
            found.setdefault(ligne.comptes[0], [D(0), D(0), D(0)])[0] = ligne.valeurs["solde"]
        elif ligne.id == "total_compte":
            entry = found.setdefault(ligne.comptes[0], [D(0), D(0), D(0)])
            entry[1], entry[2] = ligne.valeurs["debit"], ligne.valeurs["credit"]
    return {account: (v[0], v[1], v[2]) for account, v in found.items()}


@pytest.fixture(scope="module")
def avec_affectation(tmp_path_factory: pytest.TempPathFactory) -> Source:
    return ledger(tmp_path_factory.mktemp("avec"), AFFECTATION)


def test_grand_livre_2025_resultat_2024_sur_120_puis_affecte(avec_affectation: Source) -> None:
    source = avec_affectation
    found = soldes(source, "2025")
    # 120: à nouveau C 1 000; the affectation debits it of the 1 000 → soldé
    assert found[EXCEDENT] == (D(-1000), D(1000), D(1000))
    # 110: 600 D (the ledger's entry) and 1 000 C (the transfer) → 400 C left in report
    assert found[REPORT] == (D(0), D(600), D(1000))
    assert found[RESERVES] == (D(0), D(0), D(600))
    # 512: 5 000 + 1 500 − 500 = 6 000 D at opening, − 1 200
    assert found[BANQUE] == (D(6000), D(6000), D(1200))
    totaux = grand_livre(source, source.exercice("2025")).totaux["n"]
    # D: 1 000 + 600 + 6 000 + 1 200 (6064) = 8 800 ; C: 1 000 + 1 000 + 600 + 5 000 + 1 200
    assert totaux == {"total_debit": D(8800), "total_credit": D(8800)}


def test_ouverture_2026_deficit_2025_sur_129(avec_affectation: Source) -> None:
    found = soldes(avec_affectation, "2026")
    assert found[DEFICIT][0] == D(1200)  # the 2025 déficit, not yet allocated
    assert found[REPORT][0] == D(-400)  # 1 000 − 600 of 2024 left in report à nouveau
    assert found[RESERVES][0] == D(-600)
    assert EXCEDENT not in found
    totaux = grand_livre(avec_affectation, avec_affectation.exercice("2026")).totaux["n"]
    assert totaux["total_debit"] == totaux["total_credit"]


def test_balance_et_fec_2025(avec_affectation: Source) -> None:
    source = avec_affectation
    exercice = source.exercice("2025")
    rows = {
        ligne.code: (ligne.valeurs["debit"], ligne.valeurs["credit"])
        for ligne in balance(source, exercice).partie("balance").lignes
        if ligne.code
    }
    assert rows["120"] == (D(1000), D(1000))
    assert rows["110"] == (D(600), D(1000))
    fec = exporter(source, exercice, "123456789")
    assert fec.debit == fec.credit == D(8800)
    lignes = [(line[2], line[4], line[11], line[12]) for line in fec.lignes]
    assert lignes[0][0] == "AN-000001"
    assert ("AN-000001", "120", "0,00", "1000,00") in lignes
    assert not any(number.startswith("AN") and compte == "110" for number, compte, *_ in lignes)
    affectation = [line for line in lignes if line[0] == "OD-000001"]
    assert affectation == [
        ("OD-000001", "110", "600,00", "0,00"),
        ("OD-000001", "1068", "0,00", "600,00"),
        ("OD-000001", "120", "1000,00", "0,00"),
        ("OD-000001", "110", "0,00", "1000,00"),
    ]


def test_sans_affectation_le_resultat_reste_sur_120(tmp_path: Path) -> None:
    source = ledger(tmp_path, "")
    found = soldes(source, "2025")
    assert found[EXCEDENT] == (D(-1000), D(0), D(1000))
    assert REPORT not in found
    found = soldes(source, "2026")
    assert found[DEFICIT][0] == D(1200) and found[REPORT][0] == D(-1000)


def test_deficit_affecte_en_report_debiteur(tmp_path: Path) -> None:
    # 2025 (déficit 1 200) left in report à nouveau débiteur by the AG of 2026: the ledger's
    # entry credits 110 and debits 119 (cloture/affectation.py); 129 → 119.
    affectation = f"""
2026-06-20 * "Affectation du résultat de l'exercice 2025"
  affectation: "2025"
  {REPORT}  -1200.00 EUR
  {REPORT_DEBITEUR}  1200.00 EUR
"""
    source = ledger(tmp_path, "")
    text = source.context.ledger.read_text(encoding="utf-8") + affectation
    source.context.ledger.write_text(text, encoding="utf-8")
    livre = load_livre(source.context.ledger)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    source = Source.from_livre(livre)
    found = soldes(source, "2026")
    assert found[DEFICIT] == (D(1200), D(1200), D(1200))  # à nouveau D, then credited
    assert found[REPORT_DEBITEUR] == (D(0), D(1200), D(0))
    # 110: 1 000 C (2024) at opening (in the total credit), the ledger's 1 200 C, the
    # transfer's 1 200 D: still 1 000 C at the end
    assert found[REPORT] == (D(-1000), D(1200), D(2200))
    totaux = grand_livre(source, source.exercice("2026")).totaux["n"]
    assert totaux["total_debit"] == totaux["total_credit"]
