"""``communs cloture``: pre-closing checks, closing (fonds dédiés, lock), idempotence,
locking, reopening, affectation du résultat — on the hand-computed ledger of
``tests/livre_fonds_dedies.py`` (2024 and 2025), through the real command and files.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import one_line
from livre_fonds_dedies import BANQUE, EQUIPEMENT

NEW_2024_ENTRY = (
    f'\n2024-11-15 * "Quincaillerie" "Sécateurs"\n  {EQUIPEMENT}  42.00 EUR\n  {BANQUE}\n'
)


def _files(folder: Path) -> dict[str, bytes]:
    """The folder's files, without Beancount's pickle cache (written by any load slower
    than the cache threshold, e.g. on a busy machine: not a write of the command)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(".picklecache")
    }


def _checks(communs, main: Path, *args: str) -> tuple[int, dict[str, str], str]:
    result = communs("cloture", "-f", str(main), "--format", "json", *args)
    data = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    rows = data["parties"][0]["lignes"]
    return (
        result.exit_code,
        {row["id"]: row["valeurs"]["resultat"] for row in rows if row.get("id")},
        one_line(result.output),
    )


def test_checklist_and_closing_with_fonds_dedies_to_book(tmp_path: Path, communs) -> None:
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    code, checks, output = _checks(communs, main, "-e", "2024")
    # Only the fonds dédiés are missing (5 500 to report, see livre_fonds_dedies).
    assert code == 1
    assert checks == {
        "exercice_termine": "✓ réussi",
        "soldes_tresorerie": "✓ réussi",
        "contributions": "✓ réussi",
        "comptes_attente": "✓ réussi",
        "fonds_dedies": "✗ échec",
        "previsions": "✓ réussi",
    }
    assert "5 500,00 € à passer" in output
    assert not (tmp_path / "clotures.yaml").exists()

    closed = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert closed.exit_code == 0, closed.output
    assert "6894-Reports-en-fonds-dedies-subventions       5500.00 EUR" in (
        tmp_path / "2024.beancount"
    ).read_text(encoding="utf-8")  # the file of the exercice's last entry
    lock = (tmp_path / "clotures.yaml").read_text(encoding="utf-8")
    # 11 open + 7 transactions + the fonds dédiés report, all dated in 2024, and the
    # balance of 2025-01-01 (it checks the end of 2024).
    assert 'exercice: "2024"' in lock and "ecritures: 20" in lock

    # Closing twice is idempotent: same message, not one byte changed.
    before = _files(tmp_path)
    again = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert again.exit_code == 0
    assert "déjà clôturé" in one_line(again.output)
    assert _files(tmp_path) == before


def test_lock_refuses_changes_inside_and_reopening_lifts_it(tmp_path: Path, communs) -> None:
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    assert communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").exit_code == 0
    e2024 = tmp_path / "2024.beancount"
    original = e2024.read_text(encoding="utf-8")
    lines = len(original.splitlines())
    e2024.write_text(original + NEW_2024_ENTRY, encoding="utf-8")
    # The new entry also breaks the 2025-01-01 bank assertion: only the lock is asserted.
    checked = communs("verifier", "-f", str(main))
    assert checked.exit_code == 1
    text = one_line(checked.output)
    assert (
        f"2024.beancount:{lines + 2}: Écriture du 15/11/2024 « Quincaillerie – Sécateurs »" in text
    )
    assert "clôturé le" in text
    refused = communs("fonds-dedies", "-f", str(main), "-e", "2024")
    assert refused.exit_code == 1  # a ledger with errors produces nothing

    # An entry in 2025 (open exercice) is fine.
    e2024.write_text(original, encoding="utf-8")
    e2025 = tmp_path / "2025.beancount"
    e2025.write_text(
        e2025.read_text(encoding="utf-8")
        .replace(
            "2026-01-01 balance",
            NEW_2024_ENTRY.replace("2024-11-15", "2025-11-15") + "\n2026-01-01 balance",
        )
        .replace("36800.00 EUR", "36758.00 EUR"),
        encoding="utf-8",
    )
    assert communs("verifier", "-f", str(main)).exit_code == 0

    # A changed 2024 entry is refused, until the exercice is reopened.
    e2024.write_text(
        original.replace("3000.00 EUR", "3100.00 EUR").replace("2024-07-01", "2024-07-02"),
        encoding="utf-8",
    )
    assert "écriture nouvelle ou modifiée refusée" in one_line(
        communs("verifier", "-f", str(main)).output
    )
    reopened = communs("cloture", "rouvrir", "-f", str(main), "-e", "2024")
    assert reopened.exit_code == 0, reopened.output
    assert "clôtur" not in one_line(communs("verifier", "-f", str(main)).output)
    assert "clotures: []" in (tmp_path / "clotures.yaml").read_text(encoding="utf-8")
    again = communs("cloture", "rouvrir", "-f", str(main), "-e", "2024")
    assert again.exit_code == 1 and "n'est pas clôturé" in again.output


def test_failing_checks_write_nothing(tmp_path: Path, communs) -> None:
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    e2025 = tmp_path / "2025.beancount"
    text = e2025.read_text(encoding="utf-8")
    # No balance assertion at the closing date; a forecast dated inside the exercice;
    # 120,00 left in the suspense account 471.
    text = text.replace(f"2025-01-01 balance {BANQUE}  39300.00 EUR", "")
    text += (
        "\n2024-12-30 open Actif:47-Attente:471-Compte-d-attente\n"
        f'2024-12-30 * "Banque" "À identifier"\n'
        f"  Actif:47-Attente:471-Compte-d-attente  120.00 EUR\n  {BANQUE}\n"
        f'\n2024-12-31 * "Paie de décembre" #prevision\n  {EQUIPEMENT}  10.00 EUR\n  {BANQUE}\n'
    )
    text = text.replace("36800.00 EUR", "36670.00 EUR")  # Beancount counts the forecast
    e2025.write_text(text, encoding="utf-8")
    before = _files(tmp_path)
    code, checks, output = _checks(communs, main, "-e", "2024", "--ecrire")
    assert code == 1
    assert checks["soldes_tresorerie"] == "✗ échec"
    assert checks["comptes_attente"] == "✗ échec"
    assert checks["previsions"] == "✗ échec"
    assert checks["fonds_dedies"] == "✗ échec"
    assert f"assertion manquante : 2025-01-01 balance {BANQUE}" in output
    assert "Actif:47-Attente:471-Compte-d-attente : solde de 120,00 €" in output
    assert "2025.beancount:" in output and "Paie de décembre" in output
    assert "clôture impossible" in output and "rien n'est écrit" in output
    # the fonds dédiés would be booked by --ecrire: three checks block the closing
    assert "clôture impossible : 3 contrôles en échec (Soldes de trésorerie" in output
    assert _files(tmp_path) == before


def test_one_failing_check_in_the_singular(tmp_path: Path, communs) -> None:
    """Only a forecast dated inside 2024 blocks the closing: « 1 contrôle en échec »
    (the balance assertions of 1 January 2025 lowered by its 10,00)."""
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    e2025 = tmp_path / "2025.beancount"
    text = e2025.read_text(encoding="utf-8")
    text += f'\n2024-12-31 * "Paie de décembre" #prevision\n  {EQUIPEMENT}  10.00 EUR\n  {BANQUE}\n'
    text = text.replace("36800.00 EUR", "36790.00 EUR")  # Beancount counts the forecast
    text = text.replace("39300.00 EUR", "39290.00 EUR")
    e2025.write_text(text, encoding="utf-8")
    before = _files(tmp_path)
    code, checks, output = _checks(communs, main, "-e", "2024", "--ecrire")
    assert code == 1
    # fonds dédiés to book fail too, but --ecrire books them: one check blocks
    assert [k for k, v in checks.items() if v == "✗ échec"] == ["fonds_dedies", "previsions"]
    assert "clôture impossible : 1 contrôle en échec (Aucune écriture de prévision" in output
    assert _files(tmp_path) == before


def test_unfinished_exercice_cannot_be_closed(tmp_path: Path, communs) -> None:
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    (tmp_path / "2025.beancount").write_text(
        (tmp_path / "2025.beancount").read_text(encoding="utf-8")
        + f'\n2099-01-05 * "Loin"\n  {EQUIPEMENT}  1.00 EUR\n  {BANQUE}\n',
        encoding="utf-8",
    )
    code, checks, _output = _checks(communs, main, "-e", "2099")
    assert code == 1 and checks["exercice_termine"] == "✗ échec"


def test_affectation_after_the_ag(tmp_path: Path, communs) -> None:
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    args = ("cloture", "affecter", "-f", str(main), "-e", "2024", "--date", "2025-06-14")
    not_closed = communs(*args, "--reserves", "3000")
    assert not_closed.exit_code == 1 and "n'est pas clôturé" in one_line(not_closed.output)
    assert communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").exit_code == 0

    # Résultat 2024 = 15 000 − 5 700 − 5 500 = 3 800 (livre_fonds_dedies).
    wrong = communs(*args, "--reserves", "3000", "--report-a-nouveau", "900")
    assert wrong.exit_code == 1
    assert "différent du résultat de l'exercice 2024 (3 800,00 €)" in one_line(wrong.output)
    in_closed = communs(*args[:-1], "2024-12-31", "--reserves", "3000")
    assert in_closed.exit_code == 1
    bad = communs(*args, "--reserves", "trois mille")
    assert bad.exit_code == 2

    preview = communs(*args, "--reserves", "3000")
    assert preview.exit_code == 0 and "Aperçu seulement" in one_line(preview.output)
    target = tmp_path / "2025.beancount"
    done = communs(*args, "--reserves", "3 000,00", "--ecrire", str(target))
    assert done.exit_code == 0, done.output
    text = target.read_text(encoding="utf-8")
    assert 'affectation: "2024"' in text
    assert "1068-Reserves-pour-projet              -3000.00 EUR" in text
    twice = communs(*args, "--reserves", "3000", "--ecrire", str(target))
    assert twice.exit_code == 1 and "déjà affecté" in one_line(twice.output)

    # The bilan of 2025 shows 3 000 of réserves and 3 800 − 3 000 = 800 of report à
    # nouveau; its total is unchanged (the result was already in report à nouveau).
    bilan = json.loads(communs("bilan", "-f", str(main), "-e", "2025", "--format", "json").stdout)
    passif = {row.get("id"): row["valeurs"] for row in bilan["parties"][1]["lignes"]}
    assert passif["reserves_projet"]["n"] == "3000.00"
    assert passif["report_a_nouveau"]["n"] == "800.00"


def test_reserves_above_the_result_are_refused(tmp_path: Path, communs) -> None:
    """3 800 of result: 5 000 to réserves would debit 119 while 110 is in credit
    (formerly written); refused with the maximum, nothing written."""
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    assert communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").exit_code == 0
    before = _files(tmp_path)
    args = ("cloture", "affecter", "-f", str(main), "-e", "2024", "--date", "2025-06-14")
    target = str(tmp_path / "2025.beancount")
    result = communs(*args, "--reserves", "5000", "--ecrire", target)
    assert result.exit_code == 1
    out = one_line(result.output)
    assert "--reserves 5 000,00 €" in out
    assert "les réserves reçoivent au plus l'excédent, 3 800,00 €" in out
    assert "119" not in out and "Traceback" not in out
    assert _files(tmp_path) == before
    negative = communs(*args, "--report-a-nouveau", "4000", "--ecrire", target)
    assert negative.exit_code == 1 and "pas moins de 0" in one_line(negative.output)
    assert _files(tmp_path) == before
    exact = communs(*args, "--reserves", "3800")
    assert exact.exit_code == 0, exact.output
    assert "1068-Reserves-pour-projet -3800.00 EUR" in one_line(exact.output)


def test_bad_usage(tmp_path: Path, communs) -> None:
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    assert communs("cloture", "-f", str(main)).exit_code == 2
    unknown = communs("cloture", "-f", str(main), "-e", "2019")
    assert unknown.exit_code == 1 and "inconnu" in unknown.output
    (tmp_path / "clotures.yaml").write_text("clotures: 3\n", encoding="utf-8")
    broken = communs("cloture", "rouvrir", "-f", str(main), "-e", "2024")
    assert broken.exit_code == 1 and "clotures.yaml" in broken.output


def test_files_changed_outside_the_exercice_refresh_the_digests(tmp_path: Path, communs) -> None:
    """An entry of 2025 written in 2024.beancount changes that file, not the closed
    exercice: accepted; closing again refreshes the file digests, then changes nothing."""
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    assert communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").exit_code == 0
    e2024 = tmp_path / "2024.beancount"
    e2024.write_text(
        e2024.read_text(encoding="utf-8") + NEW_2024_ENTRY.replace("2024-11-15", "2025-11-15"),
        encoding="utf-8",
    )
    e2025 = tmp_path / "2025.beancount"
    e2025.write_text(
        e2025.read_text(encoding="utf-8").replace("36800.00 EUR", "36758.00 EUR"),
        encoding="utf-8",
    )
    assert communs("verifier", "-f", str(main)).exit_code == 0
    lock = tmp_path / "clotures.yaml"
    before = lock.read_text(encoding="utf-8")
    refreshed = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert refreshed.exit_code == 0
    assert "empreintes des fichiers modifiés depuis" in one_line(refreshed.output)
    after = lock.read_text(encoding="utf-8")
    assert after != before and after.count("cloture_le:") == 1
    assert "rien à faire" in one_line(
        communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").output
    )
    assert lock.read_text(encoding="utf-8") == after


def test_fonds_dedies_check_counts_conventions_in_french(tmp_path: Path, communs) -> None:
    from livre_fonds_dedies import ecrire_livre

    # 2025 has two dedicated conventions (REG-P-2024 used, DEP-Q-2025 reported, see
    # livre_fonds_dedies); once their entries are booked, the check says so in French.
    main = ecrire_livre(tmp_path)
    for year in ("2024", "2025"):
        written = communs(
            "fonds-dedies",
            "-f",
            str(main),
            "-e",
            year,
            "--ecrire",
            str(tmp_path / f"{year}.beancount"),
        )
        assert written.exit_code == 0, written.output
    _, checks, output = _checks(communs, main, "-e", "2025")
    assert checks["fonds_dedies"] == "✓ réussi", output
    assert "2 conventions dédiées : écritures à jour" in output


def test_caisse_531_left_open_into_the_2025_chart(tmp_path: Path, communs) -> None:
    """531 is retired from the chart of the exercices opened from 1 January 2025: no balance
    assertion may name it on 2025-01-01 (the plan check refuses it), so the check asks to
    close it on the last day instead of asking for that assertion."""
    from livre_fonds_dedies import ecrire_livre

    main = ecrire_livre(tmp_path)
    e2024 = tmp_path / "2024.beancount"
    caisse = "Actif:53-Caisse:531-Caisse"
    e2024.write_text(
        e2024.read_text(encoding="utf-8") + f"\n2024-01-01 open {caisse} EUR\n", encoding="utf-8"
    )
    code, checks, output = _checks(communs, main, "-e", "2024")
    assert code == 1 and checks["soldes_tresorerie"] == "✗ échec"
    assert f"assertion manquante : 2025-01-01 balance {caisse}" not in output
    assert (
        f"{caisse} : compte 531 retiré du plan comptable 2025 de l'exercice suivant, aucune "
        f"assertion possible le 2025-01-01 : videz-le, puis fermez-le le dernier jour "
        f"(« 2024-12-31 close {caisse} »)"
    ) in output
    # Closed on 31 December, as docs/convention.md shows: the check passes.
    e2024.write_text(
        e2024.read_text(encoding="utf-8") + f"2024-12-31 close {caisse}\n", encoding="utf-8"
    )
    assert _checks(communs, main, "-e", "2024")[1]["soldes_tresorerie"] == "✓ réussi"
