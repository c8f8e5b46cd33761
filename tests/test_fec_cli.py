"""``communs fec`` and ``communs fec --verifier`` through the real CLI (CliRunner, and one
subprocess of the installed command): files written, refusals, French messages, exit codes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXEMPLE, one_line, run_communs, write_ledger
from test_fec import CONFIG, EXPECTED_2025, LEDGER

NOM_2025 = "843127655FEC20251231.txt"


@pytest.fixture
def livre(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "compta", LEDGER, config=CONFIG)


def test_fec_ecrit_le_fichier_normalise(
    communs: Callable[..., Any], livre: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = communs("fec", "-f", str(livre), "--exercice", "2025")
    assert result.exit_code == 0, result.output
    written = tmp_path / "123456782FEC20251231.txt"
    expected = EXPECTED_2025.replace("|", "\t").replace("\n", "\r\n").encode("iso8859_15")
    assert written.read_bytes() == expected
    output = one_line(result.output)
    assert "123456782FEC20251231.txt : 28 lignes, 12 écritures" in output
    assert "débit = crédit = 16 267,40 €" in output
    assert "AN À-nouveaux 1 4 5 420,00 5 420,00" in output
    assert "écrit dans 123456782FEC20251231.txt (ISO 8859-15" in output
    assert "« — » → « - »" in output  # transliterations are listed


def test_fec_refuse_d_ecraser_sans_option(
    communs: Callable[..., Any], livre: Path, tmp_path: Path
) -> None:
    target = tmp_path / "sortie"
    target.mkdir()
    first = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(target))
    assert first.exit_code == 0, first.output
    written = target / "123456782FEC20251231.txt"
    written.write_bytes(b"notes personnelles")
    again = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(target))
    assert again.exit_code == 1
    assert "existe déjà : ajoutez --ecraser pour le remplacer" in one_line(again.output)
    assert written.read_bytes() == b"notes personnelles"
    forced = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(target), "--ecraser")
    assert forced.exit_code == 0, forced.output
    assert written.read_bytes().startswith(b"JournalCode\tJournalLib")
    assert [p.name for p in target.iterdir()] == ["123456782FEC20251231.txt"]  # no temp file


def test_fec_siren_en_option_et_utf8(
    communs: Callable[..., Any], livre: Path, tmp_path: Path
) -> None:
    result = communs(
        "fec", "-f", str(livre), "-e", "2025", "--siren", "843 127 655",
        "--encodage", "utf-8", "--sortie", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = (tmp_path / "843127655FEC20251231.txt").read_bytes()
    assert "Marché de Villebrie — Légumes – atelier cuisine".encode() in data
    assert "(UTF-8" in one_line(result.output)


def test_fec_nom_de_fichier_libre_averti(
    communs: Callable[..., Any], livre: Path, tmp_path: Path
) -> None:
    target = tmp_path / "fec-2025.txt"
    result = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(target))
    assert result.exit_code == 0, result.output
    assert target.exists()
    assert "ne suit pas la norme (123456782FEC20251231.txt)" in one_line(result.output)


def test_fec_sans_siren(communs: Callable[..., Any], tmp_path: Path) -> None:
    livre = write_ledger(tmp_path, LEDGER, config='association:\n  nom: "Sans SIREN"\n')
    result = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(tmp_path))
    assert result.exit_code == 1
    assert one_line(result.output) == one_line(
        "Erreur : aucun SIREN : le nom du FEC commence par le SIREN de l'association "
        "(SIRENFECAAAAMMJJ.txt) ; indiquez-le dans communs.yaml "
        '(association: siren: "123456789") ou avec --siren 123456789'
    )
    assert not list(tmp_path.glob("*FEC*"))


def test_fec_mauvaises_entrees(communs: Callable[..., Any], livre: Path, tmp_path: Path) -> None:
    unknown = communs("fec", "-f", str(livre), "-e", "2023")
    assert unknown.exit_code == 1
    assert "exercice « 2023 » inconnu : exercices du grand livre : 2024, 2025" in one_line(
        unknown.output
    )
    missing = communs("fec", "-f", str(livre))
    assert missing.exit_code == 2
    assert "indiquez l'exercice du FEC : --exercice 2025" in one_line(missing.output)
    bad_siren = communs("fec", "-f", str(livre), "-e", "2025", "--siren", "123456789")
    assert bad_siren.exit_code == 2
    assert "--siren « 123456789 » : SIREN 123456789 invalide (clé de contrôle erronée)" in (
        one_line(bad_siren.output)
    )
    no_folder = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", f"{tmp_path}/absent/")
    assert no_folder.exit_code == 1
    assert "ce dossier n'existe pas" in one_line(no_folder.output)
    assert not (tmp_path / "absent").exists()
    stdout = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", "-")
    assert stdout.exit_code == 2
    assert "le FEC s'écrit dans un fichier" in one_line(stdout.output)
    both = communs("fec", "--verifier", str(livre), "-e", "2025")
    assert both.exit_code == 2
    assert "--verifier s'emploie seul" in one_line(both.output)


@pytest.mark.skipif(os.geteuid() == 0, reason="root écrit partout")
def test_fec_dossier_protege(communs: Callable[..., Any], livre: Path, tmp_path: Path) -> None:
    locked = tmp_path / "protege"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(locked))
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 1
    assert "permission refusée" in one_line(result.output)


def test_fec_sortie_impossible(communs: Callable[..., Any], livre: Path, tmp_path: Path) -> None:
    """A file where a folder is expected: whoever runs the tests, the write must fail."""
    blocker = tmp_path / "fichier"
    blocker.write_text("x", encoding="utf-8")
    result = communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(blocker / "fec.txt"))
    assert result.exit_code == 1
    assert f"impossible d'écrire {blocker / 'fec.txt'} : {blocker} n'est pas un dossier" in (
        one_line(result.output)
    )


def test_verifier_notre_fec(communs: Callable[..., Any], tmp_path: Path) -> None:
    for exercice in ("2024", "2025", "2026"):
        written = communs("fec", "-f", str(EXEMPLE), "-e", exercice, "--sortie", str(tmp_path))
        assert written.exit_code == 0, written.output
        path = tmp_path / f"843127655FEC{exercice}1231.txt"
        result = communs("fec", "--verifier", str(path))
        assert result.exit_code == 0, result.output
        output = one_line(result.output)
        assert f"SIREN 843127655, clôture le 31/12/{exercice}" in output
        assert f"Écritures du 01/01/{exercice} au" in output
        assert "respecte la structure du FEC (article A47 A-1 du LPF)" in output


def test_verifier_signale_les_problemes(
    communs: Callable[..., Any], livre: Path, tmp_path: Path
) -> None:
    communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(tmp_path))
    path = tmp_path / "123456782FEC20251231.txt"
    lines = path.read_bytes().split(b"\r\n")
    fields = lines[11].split(b"\t")  # line 12: CA-000001, debit 23,40
    fields[11] = b"23.40"
    lines[11] = b"\t".join(fields)
    path.write_bytes(b"\r\n".join(lines))
    result = communs("fec", "--verifier", str(path))
    assert result.exit_code == 1
    output = one_line(result.output)
    assert "Problèmes (2) : ligne 12 : Debit « 23.40 » : point décimal au lieu de la virgule" in (
        output
    )
    assert f"Erreur : 2 problèmes dans {path} : ce fichier ne respecte pas la structure" in output


def test_verifier_fichier_absent_ou_pas_un_fec(communs: Callable[..., Any], tmp_path: Path) -> None:
    absent = communs("fec", "--verifier", str(tmp_path / "absent.txt"))
    assert absent.exit_code == 1
    assert f"le fichier {tmp_path / 'absent.txt'} n'existe pas" in one_line(absent.output)
    notes = tmp_path / "notes.txt"
    notes.write_text("Ordre du jour de l'AG\n", encoding="utf-8")
    other = communs("fec", "--verifier", str(notes))
    assert other.exit_code == 1
    assert "notes.txt n'est pas un FEC : la première ligne doit nommer les 18 colonnes" in (
        one_line(other.output)
    )


def test_fec_commande_installee(livre: Path, tmp_path: Path) -> None:
    done = run_communs("fec", "-f", str(livre), "-e", "2025", "--sortie", str(tmp_path))
    assert done.returncode == 0, done.stderr
    path = tmp_path / "123456782FEC20251231.txt"
    check = run_communs("fec", "--verifier", str(path))
    assert check.returncode == 0, check.stderr
    assert "Total débit = total crédit = 16 267,40 €" in one_line(check.stdout)
    assert "Traceback" not in done.stderr + check.stderr
