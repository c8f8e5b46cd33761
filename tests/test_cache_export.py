"""``communs export xlsx`` and the results cache: the workbook's figures are reused while
nothing they come from changed; the file written is the same to the byte, and the target
is still checked on a hit (an existing file is never replaced without ``--ecraser``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from communs_ledger.chargement import loads_recorded
from conftest import EXEMPLE_DIR


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> Path:
    folder = tmp_path_factory.mktemp("cache-communs")
    monkeypatch.setenv("COMMUNS_CACHE", str(folder))
    return folder


def _export(communs: Any, ledger: Path, *args: str) -> tuple[Any, int]:
    """``communs export xlsx -f LEDGER -e 2025 ARGS``, with the number of loads it did."""
    with loads_recorded() as loads:
        result = communs("export", "xlsx", "-f", str(ledger), "-e", "2025", *args)
    return result, len(loads)


@pytest.fixture()
def ledger(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXEMPLE_DIR, tmp_path / "asso")) / "main.beancount"


def test_second_export_is_a_hit_with_the_same_bytes(
    communs: Any, ledger: Path, tmp_path: Path
) -> None:
    cold, cold_loads = _export(communs, ledger, "--sortie", str(tmp_path / "a.xlsx"))
    warm, warm_loads = _export(communs, ledger, "--sortie", str(tmp_path / "b.xlsx"))
    assert (cold.exit_code, warm.exit_code) == (0, 0), cold.output + warm.output
    assert (cold_loads, warm_loads) == (1, 0)
    assert warm.output == cold.output.replace("a.xlsx", "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_a_hit_still_refuses_to_replace_a_file(communs: Any, ledger: Path, tmp_path: Path) -> None:
    target = tmp_path / "classeur.xlsx"
    assert _export(communs, ledger, "--sortie", str(target))[0].exit_code == 0
    before = target.read_bytes()
    refused, loads = _export(communs, ledger, "--sortie", str(target))
    assert (refused.exit_code, loads) == (1, 0)
    assert "existe déjà" in refused.output and "--ecraser" in refused.output
    assert target.read_bytes() == before
    replaced, loads = _export(communs, ledger, "--sortie", str(target), "--ecraser")
    assert (replaced.exit_code, loads) == (0, 0)


def test_default_name_on_a_hit(
    communs: Any, ledger: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """Without ``--sortie`` the workbook goes to <association>-<exercice>.xlsx in the
    current folder (here outside the association's folder), on a hit too."""
    here = tmp_path / "ici"
    here.mkdir()
    monkeypatch.chdir(here)
    first, _loads = _export(communs, ledger)
    name = next(here.glob("*-2025.xlsx"))
    data = name.read_bytes()
    name.unlink()
    second, loads = _export(communs, ledger)
    assert (first.exit_code, second.exit_code, loads) == (0, 0, 0)
    assert name.read_bytes() == data


def test_a_changed_ledger_gives_the_new_figures(communs: Any, ledger: Path, tmp_path: Path) -> None:
    """A 1 000 € charge (6068, owed to a supplier) added in 2025 lowers the résultat
    d'exploitation of the Résultat sheet by 1 000 (from −1 480,43 to −2 480,43)."""

    def resultat(path: Path) -> Any:
        sheet = load_workbook(path, read_only=True)["Résultat"]
        for row in sheet.iter_rows(values_only=True):
            if row and isinstance(row[0], str) and row[0].startswith("1. Résultat d'exploitation"):
                return next(value for value in row[1:] if isinstance(value, int | float))
        raise AssertionError("ligne du résultat introuvable")

    assert _export(communs, ledger, "--sortie", str(tmp_path / "avant.xlsx"))[0].exit_code == 0
    with open(ledger.parent / "2025.beancount", "a", encoding="utf-8") as file:
        file.write(
            '\n2025-12-30 * "Fournitures ajoutées"\n'
            "  Charges:60-Achats:6068-Autres-fournitures  "
            "1000.00 EUR\n"
            "  Passif:40-Fournisseurs:401-Fournisseurs\n"
        )
    after, loads = _export(communs, ledger, "--sortie", str(tmp_path / "apres.xlsx"))
    assert (after.exit_code, loads) == (0, 1), after.output
    assert resultat(tmp_path / "avant.xlsx") == pytest.approx(-1480.43)
    assert resultat(tmp_path / "apres.xlsx") == pytest.approx(-2480.43)
