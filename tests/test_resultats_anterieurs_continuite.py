"""The à-nouveaux of an exercice are the closing balances of the one before, account by
account, also after the AG has left a déficit in report à nouveau (110 → 119, as
« communs cloture affecter --report-a-nouveau » writes it): the grand livre and the
balance of 2026 open 110 and 119 at their 2025 closing balances. Figures by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from communs_ledger.chargement import load_livre
from communs_ledger.fec.export import exporter
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.source import Source
from conftest import BANQUE, COTISATIONS, FONDS, FOURNITURES, write_ledger
from test_resultats_anterieurs import CONFIG, DEFICIT, EXCEDENT, REPORT, REPORT_DEBITEUR, soldes

D = Decimal

# Opening 2024: bank 7 000 = fonds propres 5 000 + report à nouveau 2 000.
# 2024: fournitures 1 300 → déficit 1 300, left in report à nouveau by the AG of
# 14/06/2025 (110 credited 1 300, 119 debited 1 300). 2025: cotisations 100 →
# excédent 100, not yet allocated. 2026: cotisations 10.
BODY = f"""\
2024-01-01 open {BANQUE}
2024-01-01 open {FONDS}
2024-01-01 open {FOURNITURES}
2024-01-01 open {COTISATIONS}
2024-01-01 open {REPORT}
2024-01-01 open {REPORT_DEBITEUR}

2024-01-01 * "Reprise du bilan"
  {BANQUE}  7000.00 EUR
  {FONDS}  -5000.00 EUR
  {REPORT}  -2000.00 EUR

2024-05-01 * "Fournitures"
  {FOURNITURES}  1300.00 EUR
  {BANQUE}  -1300.00 EUR

2025-03-01 * "Cotisations"
  {BANQUE}  100.00 EUR
  {COTISATIONS}  -100.00 EUR

2025-06-14 * "Affectation du résultat de l'exercice 2024 (AG du 14/06/2025)"
  affectation: "2024"
  {REPORT}  -1300.00 EUR
  {REPORT_DEBITEUR}  1300.00 EUR

2026-03-01 * "Cotisations"
  {BANQUE}  10.00 EUR
  {COTISATIONS}  -10.00 EUR
"""


def test_2026_opens_110_and_119_at_their_2025_closing(tmp_path: Path) -> None:
    livre = load_livre(write_ledger(tmp_path, BODY, config=CONFIG))
    assert livre.ok, [str(d) for d in livre.diagnostics]
    source = Source.from_livre(livre)

    # 2025 (totals with the à-nouveaux): 110 opens at 2 000 C; the AG's entry credits it
    # 1 300 and the transfer of the 2024 déficit from 129 debits it 1 300 → D 1 300,
    # C 3 300: 2 000 C at the closing; 119: 1 300 D.
    s2025 = soldes(source, "2025")
    assert s2025[REPORT] == (D(-2000), D(1300), D(3300))
    assert s2025[REPORT_DEBITEUR] == (D(0), D(1300), D(0))
    assert s2025[DEFICIT] == (D(1300), D(1300), D(1300))

    # 2026 opens where 2025 closed: 110 2 000 C, 119 1 300 D (before: 3 300 C and
    # 2 600 D, the 2024 déficit counted a second time on both), 120 the 2025 excédent.
    s2026 = soldes(source, "2026")
    assert s2026[REPORT][0] == D(-2000)
    assert s2026[REPORT_DEBITEUR][0] == D(1300)
    assert s2026[EXCEDENT][0] == D(-100)
    rows = {
        ligne.code: (ligne.valeurs["debit"], ligne.valeurs["credit"])
        for ligne in balance(source, source.exercice("2026")).partie("balance").lignes
        if ligne.code
    }
    assert rows["110"] == (D(0), D(2000))
    assert rows["119"] == (D(1300), D(0))
    # FEC 2026: à-nouveaux 512 7 000 − 1 300 + 100 = 5 800 D and 119 1 300 D against
    # 102 5 000 C, 110 2 000 C and 120 100 C; then 10 of cotisations.
    fec = exporter(source, source.exercice("2026"), "123456789")
    assert fec.debit == fec.credit == D(5800) + D(1300) + D(10)
