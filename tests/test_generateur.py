"""The large-ledger generator behind ``communs exemple``."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from typer.testing import CliRunner

from communs_ledger.application.generateur import generate_ledger, render_ledger
from communs_ledger.application.initialisation import render_files
from communs_ledger.chargement import load_livre
from communs_ledger.cli.app import app
from communs_ledger.codes import account_code
from communs_ledger.config import ExerciceConfig, load_config
from communs_ledger.ecriture import FichierExistant
from communs_ledger.exercices import Calendrier

ROOT_OPTIONS = (
    'option "name_assets" "Actif"',
    'option "name_liabilities" "Passif"',
    'option "name_equity" "Fonds-propres"',
    'option "name_income" "Produits"',
    'option "name_expenses" "Charges"',
)
BANK = "Actif:51-Banques:512-Banques:Compte-courant"


def _load(main: Path):
    """Beancount's own loader, without its pickle cache (tmp folders are fresh anyway)."""
    return loader._uncached_load_file(str(main), None, None, None)


def _transactions(entries) -> list[data.Transaction]:
    return [entry for entry in entries if isinstance(entry, data.Transaction)]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("genere") / "asso"
    written = generate_ledger(folder, 2000, seed=11)
    assert written.main == folder / "main.beancount"
    assert written.transactions == 2000
    return written.main


@pytest.fixture(scope="module")
def loaded(ledger):
    return _load(ledger)


def test_same_seed_gives_byte_identical_files(tmp_path):
    first = generate_ledger(tmp_path / "a", 1500, seed=5)
    second = generate_ledger(tmp_path / "b", 1500, seed=5)
    folder = first.main.parent
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert names == sorted(
        str(p.relative_to(second.main.parent)) for p in second.main.parent.rglob("*") if p.is_file()
    )
    assert names == [
        ".gitignore",
        "2025.beancount",
        "budgets/2025.yaml",
        "communs.yaml",
        "comptes.beancount",
        "main.beancount",
    ]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_another_seed_gives_another_ledger():
    assert (
        render_ledger(500, seed=1)["2025.beancount"] != render_ledger(500, seed=2)["2025.beancount"]
    )


def test_loads_without_errors_and_count_respected(loaded):
    entries, errors, options = loaded
    assert errors == []
    assert len(_transactions(entries)) == 2000
    assert options["name_assets"] == "Actif"


def test_communs_checks_find_nothing(ledger):
    livre = load_livre(ledger)
    assert livre.diagnostics == []


@pytest.mark.parametrize(("count", "exercices"), [(1, 1), (150, 1), (4001, 2), (8003, 3)])
def test_exact_count_over_one_or_several_exercices(tmp_path, count, exercices):
    written = generate_ledger(tmp_path / "asso", count, seed=3)
    entries, errors, _options = _load(written.main)
    assert errors == []
    assert len(_transactions(entries)) == count
    years = sorted({entry.date.year for entry in _transactions(entries)})
    assert years == list(range(2025, 2025 + exercices))[: len(years)]
    files = sorted(p.name for p in written.main.parent.glob("20*.beancount"))
    assert files == [f"{2025 + index}.beancount" for index in range(exercices)]


def test_number_of_exercices_chosen(tmp_path):
    """The benchmarks spread 10 000 and 100 000 transactions over the same exercices."""
    written = generate_ledger(tmp_path / "asso", 9000, seed=3, years=3)
    entries, errors, _options = _load(written.main)
    assert errors == []
    assert len(_transactions(entries)) == 9000
    files = sorted(p.name for p in written.main.parent.glob("20*.beancount"))
    assert files == ["2025.beancount", "2026.beancount", "2027.beancount"]
    with pytest.raises(ValueError):
        render_ledger(10, seed=1, years=0)


def test_main_header_is_the_init_template_and_every_file_repeats_the_roots():
    files = render_ledger(4001, seed=9)
    exercice = Calendrier(ExerciceConfig()).containing(datetime.date(2025, 1, 1))
    expected = render_files("Maison des Communs de Belleville (exemple généré)", exercice, "01-01")[
        "main.beancount"
    ]
    assert files["main.beancount"] == expected + 'include "2026.beancount"\n'
    for name, text in files.items():
        if name.endswith(".beancount"):
            for line in ROOT_OPTIONS:
                assert line in text.splitlines(), (name, line)


def test_contributions_balance_per_exercice(loaded):
    entries, _errors, _options = loaded
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for entry in _transactions(entries):
        codes = [account_code(p.account) or "" for p in entry.postings]
        if any(code[:2] in ("86", "87") for code in codes):
            assert all(code[:2] in ("86", "87") for code in codes)
        for posting, code in zip(entry.postings, codes, strict=True):
            if code.startswith("86"):
                sums[entry.date.year][0] += posting.units.number
            elif code.startswith("87"):
                sums[entry.date.year][1] -= posting.units.number
    assert sums  # the generated ledger values bénévolat
    for emplois, ressources in sums.values():
        assert emplois == ressources > 0


def test_monthly_bank_assertions_hold(loaded, ledger, tmp_path):
    entries, _errors, _options = loaded
    balances = [e for e in entries if isinstance(e, data.Balance)]
    assert [b.date.isoformat() for b in balances] == [f"2025-{m:02d}-01" for m in range(2, 13)]
    assert {b.account for b in balances} == {BANK}
    # Recompute the first assertion by hand from the postings before 1 February.
    running = sum(
        (
            p.units.number
            for e in _transactions(entries)
            for p in e.postings
            if p.account == BANK and e.date.isoformat() < "2025-02-01"
        ),
        Decimal(0),
    )
    assert balances[0].amount.number == running
    assert running.as_tuple().exponent == -2
    # A few cents off (beyond the one-cent tolerance) is caught: the assertions are live.
    copy = tmp_path / "copie"
    shutil.copytree(ledger.parent, copy)
    text = (copy / "2025.beancount").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    number = balances[0].meta["lineno"] - 1
    assert lines[number].split()[-2] == str(running)
    lines[number] = lines[number].replace(str(running), str(running + Decimal("0.05")))
    (copy / "2025.beancount").write_text("".join(lines), encoding="utf-8")
    _entries, errors, _options = _load(copy / "main.beancount")
    assert len(errors) == 1
    assert "Balance failed" in errors[0].message


def test_only_opening_transaction_for_one(tmp_path):
    written = generate_ledger(tmp_path / "asso", 1)
    entries, errors, _options = _load(written.main)
    assert errors == []
    (opening,) = _transactions(entries)
    assert opening.date.isoformat() == "2025-01-01"
    bank = next(p.units.number for p in opening.postings if p.account == BANK)
    balances = [e.amount.number for e in entries if isinstance(e, data.Balance)]
    assert balances == [bank] * 11


def test_amounts_have_two_decimals_and_projects_are_declared(loaded, ledger):
    entries, _errors, _options = loaded
    declared = set(load_config(ledger).projets)
    assert declared == {"JARDINS", "ALPHA", "REPAIR", "ETE"}
    used = set()
    for entry in _transactions(entries):
        for posting in entry.postings:
            assert posting.units.number.as_tuple().exponent == -2
            assert posting.units.currency == "EUR"
        if "projet" in entry.meta:
            used.add(entry.meta["projet"])
    assert used == declared


def test_no_file_is_replaced(tmp_path):
    folder = tmp_path / "asso"
    folder.mkdir()
    (folder / "communs.yaml").write_text("# à moi\n", encoding="utf-8")
    with pytest.raises(FichierExistant):
        generate_ledger(folder, 100)
    assert sorted(p.name for p in folder.iterdir()) == ["communs.yaml"]
    assert (folder / "communs.yaml").read_text(encoding="utf-8") == "# à moi\n"


def test_cli_writes_the_ledger(tmp_path):
    result = CliRunner().invoke(
        app, ["exemple", str(tmp_path / "asso"), "-n", "300", "--graine", "4"]
    )
    assert result.exit_code == 0, result.output
    entries, errors, _options = _load(tmp_path / "asso" / "main.beancount")
    assert errors == []
    assert len(_transactions(entries)) == 300
    assert "300 écritures générées" in result.output


def test_cli_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["exemple", str(tmp_path), "-n", "10"])
    assert result.exit_code == 1
    assert f"Erreur : le dossier {tmp_path} n'est pas vide (ajoutez --force)" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    # The real command prints it in French too, without a traceback.
    done = subprocess.run(
        [sys.executable, "-m", "communs_ledger", "exemple", str(tmp_path), "-n", "10"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "n'est pas vide (ajoutez --force)" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_force_keeps_existing_files(tmp_path):
    (tmp_path / "main.beancount").write_text("; à moi\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["exemple", str(tmp_path), "-n", "10", "--force"])
    assert result.exit_code == 1
    assert "main.beancount existe déjà : il n'est pas remplacé" in result.output
    assert (tmp_path / "main.beancount").read_text(encoding="utf-8") == "; à moi\n"
