"""Fonds dédiés across two exercices (report, then use), on the hand-computed ledger of
``tests/livre_fonds_dedies.py``, through the real loader, files and ``communs`` command.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communs_ledger.chargement import load_livre
from communs_ledger.fonds_dedies.calcul import (
    calculer,
    conventions_du_livre,
    famille_de,
    familles,
    mouvements_de_fonds,
)
from communs_ledger.plan import load_chart
from communs_ledger.rapports.source import Source
from conftest import EXEMPLE, ROOT_OPTIONS
from livre_fonds_dedies import (
    BANQUE,
    CONFIG,
    CONVENTIONS,
    EQUIPEMENT,
    FONDS_DEDIES,
    MAIN,
    ecrire_livre,
)

D = Decimal


def _source(main: Path, ok: bool = True) -> Source:
    livre = load_livre(main)
    assert livre.ok or not ok, livre.diagnostics
    return Source.from_livre(livre)


def _par_convention(main: Path, code: str, ok: bool = True) -> dict:
    source = _source(main, ok)
    exercice = source.exercice(code)
    return {f.reference: f for f in calculer(source, conventions_du_livre(source), exercice)}


def _json(communs, main: Path, *args: str) -> dict:
    result = communs("fonds-dedies", "-f", str(main), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_report_then_use_computed_by_hand(tmp_path: Path, communs) -> None:
    main = ecrire_livre(tmp_path)
    # 2024: resource 10 000, emploi of P 3 000 + 1 500 = 4 500 (the loyer has no
    # project), so 5 500 are carried to 194. COM-2024 is not dedicated: absent.
    fonds = _par_convention(main, "2024")
    assert set(fonds) == {"REG-P-2024"}
    p = fonds["REG-P-2024"]
    assert (p.ouverture, p.ressource, p.emploi) == (D(0), D("10000.00"), D("4500.00"))
    assert (p.utilisation, p.report, p.cloture) == (D(0), D("5500.00"), D("5500.00"))
    assert p.report_a_passer == D("5500.00") and not p.a_jour

    target = tmp_path / "2024.beancount"
    written = communs("fonds-dedies", "-f", str(main), "-e", "2024", "--ecrire", str(target))
    assert written.exit_code == 0, written.output
    text = target.read_text(encoding="utf-8")
    assert 'convention: "REG-P-2024"' in text
    assert "6894-Reports-en-fonds-dedies-subventions       5500.00 EUR" in text
    assert "194-Fonds-dedies-subventions                -5500.00 EUR" in text
    assert _par_convention(main, "2024")["REG-P-2024"].a_jour

    # 2025: opening 5 500 (as booked); emploi of P 2 500 + 1 500 = 4 000, all taken from
    # the fonds (min(5 500, 4 000)); 1 500 left. DEP-Q-2025: 2 000 − 500 = 1 500 reported.
    fonds = _par_convention(main, "2025")
    p, q = fonds["REG-P-2024"], fonds["DEP-Q-2025"]
    assert (p.ouverture, p.ressource, p.emploi) == (D("5500.00"), D(0), D("4000.00"))
    assert (p.utilisation, p.report, p.cloture) == (D("4000.00"), D(0), D("1500.00"))
    assert (q.ouverture, q.ressource, q.emploi) == (D(0), D("2000.00"), D("500.00"))
    assert (q.utilisation, q.report, q.cloture) == (D(0), D("1500.00"), D("1500.00"))
    totals = _json(communs, main, "-e", "2025")["totaux"]
    assert totals == {
        "ouverture": "5500.00",
        "utilisations": "4000.00",
        "reports": "1500.00",
        "cloture": "3000.00",
        "a_passer": "5500.00",  # 4 000 of utilisation + 1 500 of report to book
    }

    target = tmp_path / "2025.beancount"
    written = communs("fonds-dedies", "-f", str(main), "-e", "2025", "--ecrire", str(target))
    assert written.exit_code == 0, written.output
    text = target.read_text(encoding="utf-8")
    # 7894 was not open: the block opens it, with the starter account's name.
    assert "2025-12-31 open Produits:78-Reprises:7894-Utilisations-fonds-dedies-subventions" in text
    assert _json(communs, main, "-e", "2025")["totaux"]["a_passer"] == "0.00"

    # The bilan shows what the computation says is left: 1 500 + 1 500 at the end of 2025.
    bilan = communs("bilan", "-f", str(main), "-e", "2025", "--format", "json")
    assert json.loads(bilan.stdout)["totaux"]["fonds_dedies"] == "3000.00"


def test_writing_twice_changes_nothing(tmp_path: Path, communs) -> None:
    main = ecrire_livre(tmp_path)
    target = tmp_path / "2024.beancount"
    assert (
        communs("fonds-dedies", "-f", str(main), "-e", "2024", "--ecrire", str(target)).exit_code
        == 0
    )
    before = target.read_bytes()
    again = communs("fonds-dedies", "-f", str(main), "-e", "2024", "--ecrire", str(target))
    assert again.exit_code == 0
    assert "Rien à écrire" in again.output
    assert target.read_bytes() == before


def test_overspending_is_not_a_negative_fonds(tmp_path: Path) -> None:
    main = ecrire_livre(tmp_path)
    # Shrink the 2024 resource to 4 000 < emploi 4 500: no report (never negative),
    # 500 not covered by the dedicated resource. (The bank assertions now fail: the
    # computation does not depend on them.)
    path = tmp_path / "2024.beancount"
    text = path.read_text(encoding="utf-8").replace("10000.00 EUR", "4000.00 EUR")
    path.write_text(text, encoding="utf-8")
    p = _par_convention(main, "2024", ok=False)["REG-P-2024"]
    assert (p.report, p.depassement, p.cloture) == (D(0), D("500.00"), D(0))


def test_new_file_never_replaced_without_ecraser(tmp_path: Path, communs) -> None:
    main = ecrire_livre(tmp_path)
    other = tmp_path / "fonds-dedies-2024.beancount"
    other.write_text("; mon fichier\n", encoding="utf-8")
    refused = communs("fonds-dedies", "-f", str(main), "-e", "2024", "--ecrire", str(other))
    assert refused.exit_code == 1
    assert "existe déjà" in refused.output
    assert other.read_text(encoding="utf-8") == "; mon fichier\n"
    done = communs(
        "fonds-dedies", "-f", str(main), "-e", "2024", "--ecrire", str(other), "--ecraser"
    )
    assert done.exit_code == 0, done.output
    text = other.read_text(encoding="utf-8")
    assert 'option "name_liabilities" "Passif"' in text and "5500.00 EUR" in text
    assert "include" in " ".join(done.output.split())


def test_restored_byte_for_byte_when_the_ledger_breaks(tmp_path: Path, communs) -> None:
    """A block that makes the ledger invalid (here: 6894 closed before the closing date)."""
    main = ecrire_livre(tmp_path)
    comptes = tmp_path / "comptes.beancount"
    comptes.write_text(
        comptes.read_text(encoding="utf-8")
        + "2024-12-30 close Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions\n",
        encoding="utf-8",
    )
    target = tmp_path / "2024.beancount"
    before = target.read_bytes()
    result = communs("fonds-dedies", "-f", str(main), "-e", "2024", "--ecrire", str(target))
    assert result.exit_code == 1
    assert "état d'origine" in " ".join(result.output.split())
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_bad_input(tmp_path: Path, communs) -> None:
    main = ecrire_livre(tmp_path)
    unknown = communs("fonds-dedies", "-f", str(main), "-e", "2019")
    assert unknown.exit_code == 1 and "inconnu" in unknown.output
    (tmp_path / "communs.yaml").write_text(
        "projets:\n  - {code: P, nom: P}\n  - {code: Q, nom: Q}\nconventions: absent.yaml\n",
        encoding="utf-8",
    )
    missing = communs("fonds-dedies", "-f", str(main), "-e", "2024")
    assert missing.exit_code == 1 and "introuvable" in missing.output
    (tmp_path / "communs.yaml").write_text(
        "projets:\n  - {code: P, nom: P}\n  - {code: Q, nom: Q}\n", encoding="utf-8"
    )
    undeclared = communs("fonds-dedies", "-f", str(main), "-e", "2024")
    assert undeclared.exit_code == 1 and "conventions" in undeclared.output


@pytest.mark.parametrize("version", ["2018", "2025"])
def test_accounts_exist_in_each_chart(version: str) -> None:
    """The fonds dédiés accounts of the data file are postable accounts of both charts,
    with the reference labels (ANC 2018-06: 6894/194/7894…, no 197/6897/7897)."""
    chart = load_chart(version)
    for famille in familles():
        for code in (famille.report, famille.fonds, famille.utilisation):
            account = chart.get(code)
            assert account is not None and not account.is_heading, code
    assert chart.get("194").libelle == "Fonds dédiés sur subventions d'exploitation"
    assert chart.get("7896").libelle.startswith("Utilisations des fonds dédiés sur ressources")
    assert chart.get("197") is None and chart.get("6897") is None
    assert famille_de("7412").fonds == "194"
    assert famille_de("7551").fonds == "195"
    assert famille_de("7541").fonds == "196"
    assert famille_de("706") is None


def test_example_association_books_what_is_computed() -> None:
    """« Les Jardins du Coteau » booked 16 000 − 9 246,68 = 6 753,32 of fonds dédiés for
    the Compost convention at the end of 2024, used in full in 2025 (charges 7 045,30,
    the 291,98 above the fonds financed by the association): the computation agrees."""
    main = EXEMPLE
    fonds_2024 = _par_convention(main, "2024")["REG-COMPOST-2024"]
    assert (fonds_2024.ressource, fonds_2024.emploi) == (D("16000.00"), D("9246.68"))
    assert fonds_2024.report == fonds_2024.report_passe == D("6753.32")
    fonds_2025 = _par_convention(main, "2025")["REG-COMPOST-2024"]
    assert (fonds_2025.ouverture, fonds_2025.emploi) == (D("6753.32"), D("7045.30"))
    assert fonds_2025.utilisation == fonds_2025.utilisation_passee == D("6753.32")
    assert (fonds_2025.depassement, fonds_2025.cloture) == (D("291.98"), D(0))


_CENTS = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c) / 100)


@given(st.lists(st.tuples(_CENTS, _CENTS), min_size=1, max_size=6))
def test_fonds_over_several_exercices_never_negative_and_reconcile(years) -> None:
    """For any sequence of (resource, emploi) per exercice: nothing negative, the fonds
    never used beyond what was reported, and Σ reports − Σ utilisations = fonds left;
    every euro of emploi is covered by fonds, by the resource, or is « non couvert »."""
    fonds = Decimal(0)
    reports = utilisations = Decimal(0)
    for ressource, emploi in years:
        utilisation, report, depassement = mouvements_de_fonds(fonds, ressource, emploi)
        assert min(utilisation, report, depassement) >= 0
        assert utilisation <= fonds
        assert utilisation + min(ressource, emploi - utilisation) + depassement == emploi
        assert report == ressource - min(ressource, emploi - utilisation)
        fonds = fonds - utilisation + report
        reports += report
        utilisations += utilisation
        assert fonds >= 0
    assert reports - utilisations == fonds


def test_fonds_entries_without_convention_are_flagged(tmp_path: Path, communs) -> None:
    """A 6894/194 entry without ``convention:`` is not counted (the report still asks
    for the 5 500) and is named in a warning, at its file and line."""
    main = ecrire_livre(tmp_path)
    e2024 = tmp_path / "2024.beancount"
    text = e2024.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    e2024.write_text(
        text + '\n2024-12-31 * "Report en fonds dédiés"\n'
        "  Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions  5500.00 EUR\n"
        "  Passif:19-Fonds-dedies:194-Fonds-dedies-subventions\n",
        encoding="utf-8",
    )
    data = _json(communs, main, "-e", "2024")
    assert data["totaux"]["a_passer"] == "5500.00"
    (warning,) = data["avertissements"]
    assert f"2024.beancount:{lines + 2} : écriture de fonds dédiés sans convention" in warning


def test_fonds_of_the_opening_entry_are_the_fonds_at_opening(tmp_path: Path) -> None:
    """A ledger that starts with its own opening entry (a reprise of the bilan, as
    ``communs ouverture`` writes it), dated on the first day of its first exercice: its
    194 line is the fonds at opening, not a movement of the exercice.

    By hand, 2025: opening 194 of REG-P-2024 = 1 500 (the 2024 report, booked by the
    previous software); emploi of P in 2025 = 900 (6063) → utilisation min(1 500, 900)
    = 900, report 0, fonds at closing 600, nothing uncovered; the 900 utilisation is
    booked, so nothing is left to book.
    """
    report_a_nouveau = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
    utilisation = "Produits:78-Reprises:7894-Utilisations-fonds-dedies-subventions"
    comptes = "".join(
        f"2025-01-01 open {account}\n"
        for account in (BANQUE, report_a_nouveau, FONDS_DEDIES, EQUIPEMENT, utilisation)
    )
    e2025 = f"""\
2025-01-01 * "Reprise des soldes d'ouverture de l'exercice 2025"
  reprise: "FEC"
  {BANQUE}  8000.00 EUR
  {report_a_nouveau}  -6500.00 EUR
  {FONDS_DEDIES}  -1500.00 EUR
    convention: "REG-P-2024"

2025-03-10 * "Jardinerie" "Outils"
  projet: "P"
  {EQUIPEMENT}  900.00 EUR
  {BANQUE}

2025-12-31 * "Utilisation des fonds dédiés"
  convention: "REG-P-2024"
  {FONDS_DEDIES}  900.00 EUR
  {utilisation}  -900.00 EUR
"""
    main_text = MAIN.replace('include "2024.beancount"\n', "")
    (tmp_path / "main.beancount").write_text(main_text, encoding="utf-8")
    (tmp_path / "comptes.beancount").write_text(ROOT_OPTIONS + comptes, encoding="utf-8")
    (tmp_path / "2025.beancount").write_text(ROOT_OPTIONS + e2025, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")

    p = _par_convention(tmp_path / "main.beancount", "2025")["REG-P-2024"]
    assert (p.ouverture, p.ressource, p.emploi) == (D("1500.00"), D(0), D("900.00"))
    assert (p.utilisation, p.report, p.cloture) == (D("900.00"), D(0), D("600.00"))
    assert p.depassement == D(0) and p.a_jour

    # The same opening without a report à nouveau (a young association: fonds propres
    # only), as communs ouverture writes it (metadata reprise:): the same figures.
    fonds_propres = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
    (tmp_path / "comptes.beancount").write_text(
        ROOT_OPTIONS + comptes + f"2025-01-01 open {fonds_propres}\n", encoding="utf-8"
    )
    (tmp_path / "2025.beancount").write_text(
        ROOT_OPTIONS + e2025.replace(report_a_nouveau, fonds_propres), encoding="utf-8"
    )
    p = _par_convention(tmp_path / "main.beancount", "2025")["REG-P-2024"]
    assert (p.ouverture, p.utilisation, p.cloture) == (D("1500.00"), D("900.00"), D("600.00"))
