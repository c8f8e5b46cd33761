"""The closing lock cannot be bypassed (issue 14 item 7, issue 13 item 2) and the
résultat accounts only move through the affectation (issue 14 item 8).

On the hand-computed ledger of ``tests/livre_fonds_dedies.py`` (2024 and 2025), closed
with the real command; each bypass is checked through ``communs verifier`` and a real
``bean-check`` subprocess.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT_OPTIONS, one_line
from livre_fonds_dedies import BANQUE, COMMUNE, EQUIPEMENT, FONDS_PROPRES, PUBLICITE, ecrire_livre

BEAN_CHECK = Path(sys.executable).parent / "bean-check"
RESULTAT = "Fonds-propres:12-Resultat:120-Resultat-de-l-exercice"


def _files(folder: Path) -> dict[str, bytes]:
    """The folder's files, without Beancount's pickle cache (written by any load slower
    than the cache threshold, e.g. on a busy machine: not a write of the command)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(".picklecache")
    }


def _bean_check(main: Path) -> tuple[int, str]:
    done = subprocess.run(
        [str(BEAN_CHECK), str(main)], capture_output=True, text=True, timeout=120, check=False
    )
    return done.returncode, one_line(done.stdout + done.stderr)


def _both(communs, main: Path) -> list[tuple[int, str]]:
    """(exit code, output) of communs verifier and of bean-check."""
    checked = communs("verifier", "-f", str(main))
    return [(checked.exit_code, one_line(checked.output)), _bean_check(main)]


def _append(path: Path, text: str) -> int:
    """Append ``text``; the line number of its first non-empty line."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return len(before.splitlines()) + 1 + len(text) - len(text.lstrip("\n"))


@pytest.fixture
def clos(tmp_path: Path, communs) -> Path:
    """The ledger, with 2024 closed (fonds dédiés booked by the closing)."""
    main = ecrire_livre(tmp_path)
    closed = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert closed.exit_code == 0, closed.output
    assert _both(communs, main)[1][0] == 0
    return main


NEUTRE = f"""
2024-11-15 P "Quincaillerie" "Reclassement"
  {EQUIPEMENT}  42.00 EUR
  {PUBLICITE}  -42.00 EUR
"""


def test_any_flag_is_locked(clos: Path, communs) -> None:
    line = _append(clos.parent / "2024.beancount", NEUTRE)
    for code, output in _both(communs, clos):
        assert code == 1
        assert (
            f"2024.beancount:{line}: Écriture du 15/11/2024 « Quincaillerie – Reclassement »"
            in (output)
        )
        assert "écriture nouvelle ou modifiée refusée" in output


@pytest.mark.parametrize("name", ["complement-2024.yaml"])
def test_entries_of_any_included_file_are_locked(clos: Path, communs, name: str) -> None:
    (clos.parent / name).write_text(NEUTRE.replace(" P ", " * "), encoding="utf-8")
    _append(clos, f'include "{name}"\n')
    for code, output in _both(communs, clos):
        assert code == 1
        assert f"{name}:2: Écriture du 15/11/2024 « Quincaillerie – Reclassement »" in output


def test_pad_in_the_exercice_and_balance_of_the_next_day_are_locked(
    tmp_path: Path, communs
) -> None:
    """A pad of 2024 fills the gap to the balance of 2025-01-01: editing that balance
    moves the 2024 result (here by 10 000 € of produits) and is refused."""
    main = ecrire_livre(tmp_path)
    e2024, e2025 = tmp_path / "2024.beancount", tmp_path / "2025.beancount"
    pad_line = _append(e2024, f"\n2024-12-31 pad {BANQUE} {COMMUNE}\n")
    text = e2025.read_text(encoding="utf-8")
    # +100 € padded at closing time (39 300 → 39 400; 36 800 → 36 900 at the end of 2025).
    text = text.replace("39300.00 EUR", "39400.00 EUR").replace("36800.00 EUR", "36900.00 EUR")
    e2025.write_text(text, encoding="utf-8")
    assert communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").exit_code == 0
    assert communs("verifier", "-f", str(main)).exit_code == 0
    edited = text.replace("39400.00 EUR", "49400.00 EUR").replace("36900.00 EUR", "46900.00 EUR")
    e2025.write_text(edited, encoding="utf-8")
    for code, output in _both(communs, main):
        assert code == 1
        assert f"2025.beancount:6: Écriture du 01/01/2025 « balance {BANQUE} »" in output
        assert f"2024.beancount:{pad_line}: Écriture du 31/12/2024" in output  # the P entry


def test_harmless_rewrites_are_not_flagged(clos: Path, communs) -> None:
    e2024 = clos.parent / "2024.beancount"
    text = e2024.read_text(encoding="utf-8")
    rewritten = "; relu le 02/02/2026\n" + text.replace("3000.00 EUR", "3000 EUR").replace(
        "1500.00 EUR", "1500.0   EUR"
    )
    e2024.write_text(rewritten, encoding="utf-8")
    assert [code for code, _ in _both(communs, clos)] == [0, 0]


def _trace_line(main: Path) -> int:
    lines = main.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if 'custom "cloture" "2024"' in text)


@pytest.mark.parametrize("how", ["supprime", "vide", "ailleurs"])
def test_the_lock_does_not_silently_disappear(clos: Path, communs, how: str) -> None:
    folder = clos.parent
    line = _trace_line(clos)
    if how == "supprime":
        (folder / "clotures.yaml").unlink()
    elif how == "vide":
        (folder / "clotures.yaml").write_text("clotures: []\n", encoding="utf-8")
    else:
        config = folder / "communs.yaml"
        config.write_text(
            config.read_text(encoding="utf-8") + "clotures: autres-clotures.yaml\n",
            encoding="utf-8",
        )
    for code, output in _both(communs, clos):
        assert code == 1
        assert f"main.beancount:{line}: Exercice 2024 clôturé (trace du " in output
        assert "n'enregistre plus cette clôture" in output
        assert "communs cloture rouvrir --exercice 2024" in output


def test_reopening_leaves_a_trace_in_the_ledger(clos: Path, communs) -> None:
    reopened = communs("cloture", "rouvrir", "-f", str(clos), "-e", "2024")
    assert reopened.exit_code == 0, reopened.output
    text = clos.read_text(encoding="utf-8")
    assert text.count('custom "cloture" "2024"') == 2
    assert text.rstrip().endswith('custom "cloture" "2024" "rouvert"')
    _append(clos.parent / "2024.beancount", NEUTRE)
    assert [code for code, _ in _both(communs, clos)] == [0, 0]


def test_openings_of_a_closed_exercice_are_locked(clos: Path, communs) -> None:
    """An entry dated before 2024 (2023 has no closing) changes the openings of 2024."""
    line = _trace_line(clos)
    _append(
        clos.parent / "2024.beancount",
        f'\n2023-12-31 * "Reprise"\n  {EQUIPEMENT}  10.00 EUR\n  {FONDS_PROPRES}  -10.00 EUR\n',
    )
    for code, output in _both(communs, clos):
        assert code == 1
        assert (
            f"main.beancount:{line}: Exercice 2024 clôturé le " in output
            and "ses soldes d'ouverture au 01/01/2024 ont changé" in output
        )
    # The closing command no longer says « tous les contrôles sont passés ».
    again = communs("cloture", "-f", str(clos), "-e", "2024")
    assert again.exit_code == 1 and "ont changé" in one_line(again.output)


def test_closings_in_order_and_reopenings_in_reverse(tmp_path: Path, communs) -> None:
    main = ecrire_livre(tmp_path)
    before = _files(tmp_path)
    early = communs("cloture", "-f", str(main), "-e", "2025", "--ecrire")
    assert early.exit_code == 1
    assert "l'exercice 2024, qui précède 2025, n'est pas clôturé" in one_line(early.output)
    assert _files(tmp_path) == before
    assert communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").exit_code == 0
    assert communs("cloture", "-f", str(main), "-e", "2025", "--ecrire").exit_code == 0
    closed = _files(tmp_path)
    refused = communs("cloture", "rouvrir", "-f", str(main), "-e", "2024")
    assert refused.exit_code == 1
    out = one_line(refused.output)
    assert "l'exercice 2024 ne peut pas être rouvert : l'exercice 2025, qui le suit" in out
    assert _files(tmp_path) == closed
    assert communs("cloture", "rouvrir", "-f", str(main), "-e", "2025").exit_code == 0
    assert communs("cloture", "rouvrir", "-f", str(main), "-e", "2024").exit_code == 0


def test_closing_never_follows_a_failed_check(tmp_path: Path, communs) -> None:
    """The fonds dédiés are booked before the checks are shown: no ✗ then a closing."""
    main = ecrire_livre(tmp_path)
    closed = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert closed.exit_code == 0, closed.output
    assert "✗" not in closed.output
    assert "Fonds dédiés calculés et comptabilisés ✓ réussi" in one_line(closed.output)


def test_result_accounts_only_move_through_the_affectation(tmp_path: Path, communs) -> None:
    main = ecrire_livre(tmp_path)
    e2025 = tmp_path / "2025.beancount"
    _append(tmp_path / "comptes.beancount", f"2024-01-01 open {RESULTAT}\n")
    line = _append(
        e2025,
        f'\n2025-03-01 * "Virement du résultat"\n  {RESULTAT}  -500.00 EUR\n'
        f"  {FONDS_PROPRES}  500.00 EUR\n",
    )
    for code, output in _both(communs, main):
        assert code == 1
        assert (
            f"2025.beancount:{line}: Écriture du 01/03/2025 « Virement du résultat » : le "
            f"compte {RESULTAT} (résultat de l'exercice) ne reçoit pas d'écriture" in output
        )
    text = e2025.read_text(encoding="utf-8")
    e2025.write_text(
        text.replace('"Virement du résultat"\n', '"Virement du résultat"\n  affectation: "2024"\n'),
        encoding="utf-8",
    )
    assert [code for code, _ in _both(communs, main)] == [0, 0]


def test_file_names_with_quotes_and_backslashes_are_locked(tmp_path: Path, communs) -> None:
    """A ledger file whose name holds « " », « \\ » and « ' » is recorded in the lock
    file readably (escaped YAML), and its entries are locked like any other."""
    from communs_ledger.texte_beancount import chaine
    from communs_ledger.yaml_lignes import load_yaml

    main = ecrire_livre(tmp_path)
    name = 'complément "2024" \\ l\'an.beancount'
    (tmp_path / name).write_text(ROOT_OPTIONS + NEUTRE.replace(" P ", " * "), encoding="utf-8")
    _append(main, f"include {chaine(name)}\n")
    closed = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert closed.exit_code == 0, closed.output
    lock = load_yaml(tmp_path / "clotures.yaml").data
    assert name in [f["fichier"] for f in lock["clotures"][0]["fichiers"]]
    assert [code for code, _ in _both(communs, main)] == [0, 0]
    line = _append(tmp_path / name, NEUTRE)
    for code, output in _both(communs, main):
        assert code == 1
        assert f"{name}:{line}: Écriture du 15/11/2024 « Quincaillerie – Reclassement »" in output
