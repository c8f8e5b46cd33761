"""``communs cloture affecter`` when the AG leaves the WHOLE result in report à nouveau:
the vote is still booked, by an entry without posting carrying ``affectation: "2024"``
dated on the AG's day (before: nothing was written). The balance, the grand livre and the
FEC then move the 2024 result from 120 to 110 (or from 129 to 119) on that day, and a
second vote is refused. Real command, real loader, on a small ledger written here."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from communs_ledger.assemblee.rapport_financier import compute_rapport_financier
from communs_ledger.budget.fichier import load_budgets
from communs_ledger.chargement import load_livre
from communs_ledger.fec.export import exporter
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.grand_livre import grand_livre
from communs_ledger.rapports.source import Source
from conftest import ROOT_OPTIONS, one_line

D = Decimal
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
REPORT = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"


def livre(loyer: str, cotisations: str, banque: str) -> str:
    return (
        ROOT_OPTIONS
        + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
        + f'option "account_previous_earnings" "{REPORT.split(":", 1)[1]}"\n'
        + 'plugin "communs_plugins.plan_comptable"\nplugin "communs_plugins.cloture"\n\n'
        + "\n".join(
            f"2024-01-01 open {name}"
            for name in (
                BANQUE,
                "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise",
                "Fonds-propres:10-Fonds-propres:1068-Reserves-pour-projet",
                REPORT,
                "Fonds-propres:11-Report-a-nouveau:119-Report-a-nouveau-debiteur",
                "Charges:61-Services-exterieurs:6132-Locations-immobilieres",
                "Produits:75-Autres-produits:756-Cotisations",
            )
        )
        + f"""

2024-01-01 * "Reprise du bilan au 31 décembre 2023"
  {BANQUE}  1000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise  -500.00 EUR
  Fonds-propres:10-Fonds-propres:1068-Reserves-pour-projet  -200.00 EUR
  {REPORT}  -300.00 EUR

2024-03-01 * "Loyer 2024"
  Charges:61-Services-exterieurs:6132-Locations-immobilieres  {loyer} EUR
  {BANQUE}

2024-04-01 * "Cotisations 2024"
  {BANQUE}  {cotisations} EUR
  Produits:75-Autres-produits:756-Cotisations

2025-01-01 balance {BANQUE}  {banque} EUR

2025-02-01 * "Cotisations 2025"
  {BANQUE}  10.00 EUR
  Produits:75-Autres-produits:756-Cotisations
"""
    )


def _vote(tmp_path: Path, communs, text: str, *parts: str) -> tuple[Source, str]:
    """Close 2024, book the AG's vote of 14/06/2025, refuse a second one; the source after."""
    main = tmp_path / "main.beancount"
    main.write_text(text, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    assert communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").exit_code == 0
    args = ("cloture", "affecter", "-f", str(main), "-e", "2024", "--date", "2025-06-14")
    done = communs(*args, *parts, "--ecrire", str(main))
    assert done.exit_code == 0, done.output
    assert 'affectation: "2024"' in main.read_text(encoding="utf-8")
    before = main.read_bytes()
    twice = communs(*args, *parts, "--ecrire", str(main))
    assert twice.exit_code == 1 and "déjà affecté" in one_line(twice.output)
    assert main.read_bytes() == before
    assert communs("verifier", "-f", str(main)).exit_code == 0
    loaded = load_livre(main)
    assert loaded.ok, [str(d) for d in loaded.diagnostics]
    return Source.from_livre(loaded), one_line(done.output)


def _balance(source: Source) -> dict[str, tuple[Decimal, Decimal]]:
    """(total débit, total crédit) by account code, balance 2025 at 31/12/2025."""
    lignes = balance(source, source.exercice("2025")).partie("balance").lignes
    return {
        ligne.code: (ligne.valeurs["debit"], ligne.valeurs["credit"])
        for ligne in lignes
        if ligne.code
    }


def _fec(source: Source) -> list[tuple[str, str, str, str, str]]:
    fec = exporter(source, source.exercice("2025"), "123456789")
    assert fec.debit == fec.credit
    return [(line[2], line[3], line[4], line[11], line[12]) for line in fec.lignes]


def test_an_excedent_left_in_report_a_nouveau_is_booked(tmp_path: Path, communs) -> None:
    # 2024: cotisations 1 500 − loyer 500 = excédent 1 000; the AG of 14/06/2025 leaves it
    # all in report à nouveau (only --report-a-nouveau given; --reserves 0 is the same).
    source, output = _vote(
        tmp_path, communs, livre("500.00", "1500.00", "2000.00"), "--report-a-nouveau", "1000"
    )
    assert (
        '2025-06-14 * "Affectation du résultat de l\'exercice 2024 (AG du 14/06/2025)" '
        'affectation: "2024"'
    ) in output
    assert "entièrement laissé en report à nouveau" in output
    assert "du compte 120 au 110" in output
    # The entry has no posting: the bilan is unchanged (the result was already in report à
    # nouveau: 300 + 1 000).
    rows = _balance(source)
    # 120: à-nouveau C 1 000, then D 1 000 on 14/06/2025 → 0.
    assert rows["120"] == (D(1000), D(1000))
    # 110: à-nouveau C 300 (the reprise), C 1 000 on 14/06/2025 → 1 300 C.
    assert rows["110"] == (D(0), D(1300))
    assert "129" not in rows and "119" not in rows
    # FEC: AN (512 D 2 000 = 1 000 + 1 500 − 500; 102 C 500, 1068 C 200, 110 C 300,
    # 120 C 1 000), the cotisations of 01/02/2025 (BQ), the transfer on 14/06/2025 (OD).
    lignes = _fec(source)
    assert ("AN-000001", "20250101", "120", "0,00", "1000,00") in lignes
    assert [line for line in lignes if line[0] == "OD-000001"] == [
        ("OD-000001", "20250614", "120", "1000,00", "0,00"),
        ("OD-000001", "20250614", "110", "0,00", "1000,00"),
    ]
    assert [line[0] for line in lignes][-2:] == ["OD-000001", "OD-000001"]  # after 01/02
    # Grand livre: 120 ends at zero, 110 at 1 300 C.
    gl = grand_livre(source, source.exercice("2025")).partie("grand_livre").lignes
    soldes = {ligne.code: ligne.valeurs["solde"] for ligne in gl if ligne.id == "total_compte"}
    assert soldes["120"] == 0 and soldes["110"] == D(-1300)
    # The rapport financier now says the vote is booked.
    affectation = compute_rapport_financier(
        source, load_budgets(source.context), source.exercice("2024")
    ).affectation
    assert (affectation.origine, affectation.date) == ("votee", datetime.date(2025, 6, 14))
    assert (affectation.report_a_nouveau, affectation.reserves) == (D(1000), D(0))


def test_a_deficit_left_in_report_a_nouveau_goes_to_119(tmp_path: Path, communs) -> None:
    # 2024: cotisations 400 − loyer 900 = déficit 500, all left in report à nouveau: the
    # entry credits 110 and debits 119 of 500; the reports add 129 C 500 / 110 D 500.
    source, _output = _vote(
        tmp_path, communs, livre("900.00", "400.00", "500.00"), "--report-a-nouveau", "-500"
    )
    rows = _balance(source)
    assert rows["129"] == (D(500), D(500))  # à-nouveau D 500, credited on 14/06/2025 → 0
    assert rows["119"] == (D(500), D(0))
    assert rows["110"] == (D(500), D(800))  # à-nouveau C 300 + C 500, D 500 → 300 C
    od = [line for line in _fec(source) if line[0] == "OD-000001"]
    assert sorted(od) == sorted(
        [
            ("OD-000001", "20250614", "110", "0,00", "500,00"),
            ("OD-000001", "20250614", "119", "500,00", "0,00"),
            ("OD-000001", "20250614", "129", "0,00", "500,00"),
            ("OD-000001", "20250614", "110", "500,00", "0,00"),
        ]
    )
