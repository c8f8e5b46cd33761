"""``communs verifier`` also checks the side files declared in ``communs.yaml`` that the
plugins do not read: forecast inputs, conventions, allocation keys (file:line, exit 1)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

EXEMPLE = Path(__file__).resolve().parents[1] / "examples" / "association"


@pytest.fixture
def copie(tmp_path: Path) -> Path:
    target = tmp_path / "asso"
    shutil.copytree(EXEMPLE, target, ignore=shutil.ignore_patterns("*picklecache*"))
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def test_un_poste_qui_finit_avant_de_commencer(communs: Callable[..., Any], copie: Path) -> None:
    paie = copie / "previsions" / "paie.yaml"
    _replace(paie, "    debut: 2025-09-01\n", "    debut: 2025-09-01\n    fin: 2025-08-31\n")
    result = communs("verifier", str(copie / "main.beancount"))
    assert result.exit_code == 1
    line = _line_of(paie, "fin: 2025-08-31")
    assert (
        f"previsions/paie.yaml:{line}: poste « animatrice-cuisine » : la fin (2025-08-31) "
        "précède le début (2025-09-01)"
    ) in result.output
    assert "1 erreur dans 1 fichier" in result.output


def test_versements_superieurs_au_montant_en_json(communs: Callable[..., Any], copie: Path) -> None:
    conventions = copie / "conventions.yaml"
    _replace(conventions, "part: 50, date: 2026-07-21", "part: 60, date: 2026-07-21")
    result = communs("verifier", str(copie / "main.beancount"), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    # French amounts: narrow no-break space between thousands, no-break space before €.
    messages = [
        (e["fichier"], e["message"].replace("\u202f", " ").replace("\xa0", " "))
        for e in payload["erreurs"]
    ]
    assert any(
        fichier.endswith("conventions.yaml") and "les versements totalisent 11 000,00 €" in m
        for fichier, m in messages
    )


def test_scenario_qui_nomme_un_poste_inconnu(communs: Callable[..., Any], copie: Path) -> None:
    scenarios = copie / "previsions" / "scenarios.yaml"
    _replace(scenarios, "animatrice-cuisine: {fin", "animatrice: {fin")
    result = communs("verifier", str(copie / "main.beancount"))
    assert result.exit_code == 1
    assert "poste « animatrice » inconnu" in result.output


def test_l_exemple_est_sans_erreur(communs: Callable[..., Any], copie: Path) -> None:
    result = communs("verifier", str(copie / "main.beancount"))
    assert result.exit_code == 0, result.output
    assert "Aucune erreur" in result.output


def test_cle_de_repartition_sans_effet_avertie(communs: Callable[..., Any], copie: Path) -> None:
    # The 2026 coordination key names a payee no entry has (« Claire Morven »): it would
    # allocate nothing, silently; communs verifier warns at the key's line, exit 0.
    cles = copie / "analytique" / "repartition.yaml"
    text = cles.read_text(encoding="utf-8")
    start = text.index("  - code: COORDINATION-2026")
    end = text.index("tiers: Claire Morvan", start)
    cles.write_text(text[:end] + "tiers: Claire Morven" + text[end + 20 :], encoding="utf-8")
    result = communs("verifier", str(copie / "main.beancount"))
    assert result.exit_code == 0, result.output
    line = _line_of(cles, "code: COORDINATION-2026")
    output = " ".join(result.output.split())
    assert (
        f"repartition.yaml:{line}: clé de répartition « COORDINATION-2026 » "
        "(du 01/01/2026 au 31/12/2026, comptes 64, tiers « Claire Morven ») : aucune "
        "écriture ne lui revient, elle ne répartit rien" in output
    ), output
    assert "COORDINATION-2025" not in output


def test_regle_d_import_cassee(
    communs: Callable[..., Any], copie: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A rule naming an account the ledger does not open: communs verifier says so with the
    # very line communs importer stops on, even right after a clean run (results cache).
    monkeypatch.chdir(copie)
    assert communs("verifier").exit_code == 0
    regles = copie / "importation" / "regles.yaml"
    _replace(regles, '    compte: "6132"\n', '    compte: "6999"\n')
    line = _line_of(regles, 'compte: "6999"')
    attendu = f"importation/regles.yaml:{line}: aucun compte 6999 ouvert dans le grand livre"
    result = communs("verifier")
    assert result.exit_code == 1
    assert attendu in result.output
    assert "1 erreur dans 1 fichier" in result.output
    importe = communs("importer", "releves/credit-cooperatif-2026-11.ofx")
    assert importe.exit_code == 1
    assert attendu in importe.output


def test_fichier_de_regles_absent(
    communs: Callable[..., Any], copie: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(copie)
    config = copie / "communs.yaml"
    _replace(config, "  regles: importation/regles.yaml\n", "  regles: importation/absent.yaml\n")
    message = (
        "fichier de règles « importation/absent.yaml » introuvable "
        "(importation: regles dans communs.yaml)"
    )
    result = communs("verifier")
    assert result.exit_code == 1
    assert f"communs.yaml:{_line_of(config, 'absent.yaml')}: {message}" in result.output
    assert message in communs("importer", "releves/credit-cooperatif-2026-11.ofx").output


def test_profils_bancaires_casses(
    communs: Callable[..., Any], copie: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(copie)
    _replace(
        copie / "communs.yaml",
        "  regles: importation/regles.yaml\n",
        "  regles: importation/regles.yaml\n  profils: importation/profils.yaml\n",
    )
    (copie / "importation" / "profils.yaml").write_text("profils: [\n", encoding="utf-8")
    result = communs("verifier")
    assert result.exit_code == 1
    assert "importation/profils.yaml:" in result.output
    assert "1 erreur dans 1 fichier" in result.output


def test_modele_d_ecriture_casse(
    communs: Callable[..., Any], copie: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A key no template line has: communs verifier gives the error communs saisir gives.
    monkeypatch.chdir(copie)
    modeles = copie / "modeles" / "courant.yaml"
    _replace(modeles, '      - compte: "614"\n', '      - compte: "614"\n        sens: debit\n')
    line = _line_of(modeles, "sens: debit")
    attendu = f"modeles/courant.yaml:{line}: clé inconnue « sens »"
    result = communs("verifier")
    assert result.exit_code == 1
    assert attendu in result.output
    saisie = communs("saisir", "--modeles")
    assert saisie.exit_code == 1
    assert attendu in saisie.output
