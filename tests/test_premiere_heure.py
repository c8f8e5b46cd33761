"""The first hour after ``communs init``: what a new user does first must not stop on the
accounts ``init`` opened (issue 15, part 4)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.application.initialisation import initialise
from communs_ledger.cli.init import etape_suivante

Communs = Callable[..., Any]
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"


@pytest.fixture
def livre_neuf(tmp_path: Path) -> Path:
    folder = tmp_path / "lavoir"
    initialise(folder, "Les Amis du Lavoir", today=datetime.date(2026, 3, 2), git=False)
    return folder


def _ledger(folder: Path) -> list[str]:
    return ["--ledger", str(folder / "main.beancount")]


def test_budget_par_financeur_dans_un_dossier_neuf(communs: Communs, livre_neuf: Path) -> None:
    """One budget line per funder (7411 État, 7412 Région): no « ligne en double : compte
    741 »; the 3 000 received from the Région is the actual of its line only."""
    (livre_neuf / "budgets").mkdir()
    (livre_neuf / "budgets" / "2026.yaml").write_text(
        "versions:\n  - code: vote\n    nom: BP voté\n    date: 2026-03-01\n    lignes:\n"
        '      - compte: "7411"\n        libelle: Subvention de l\'État\n        montant: 10000\n'
        '      - compte: "7412"\n        libelle: Subvention de la Région\n        montant: 5000\n',
        encoding="utf-8",
    )
    with open(livre_neuf / "communs.yaml", "a", encoding="utf-8") as file:
        file.write('\nbudget:\n  fichiers:\n    "2026": budgets/2026.yaml\n')
    with open(livre_neuf / "2026.beancount", "a", encoding="utf-8") as file:
        file.write(
            '\n2026-02-10 * "Région" "Subvention 2026"\n'
            "  Actif:51-Banques:512-Banques:Compte-courant  3000.00 EUR\n"
            f"  {REGION}\n"
        )
    result = communs("budget", "--format", "json", *_ledger(livre_neuf))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    lignes = {
        ligne["code"]: ligne["valeurs"]
        for partie in data["parties"]
        for ligne in partie["lignes"]
        if ligne.get("code") in ("7411", "7412")
    }
    assert lignes["7411"]["budget_annuel"] == "10000.00"
    assert lignes["7411"]["realise"] == "0.00"
    assert lignes["7412"]["budget_annuel"] == "5000.00"
    assert lignes["7412"]["realise"] == "3000.00"


def test_premier_import_bancaire_dans_un_dossier_neuf(communs: Communs, livre_neuf: Path) -> None:
    """Two 512 accounts (current account, livret): the statement goes to the one
    communs.yaml names (importation.compte), without --compte."""
    releve = livre_neuf / "releve.csv"
    releve.write_bytes(
        "Date de comptabilisation;Libelle simplifie;Libelle operation;Reference;"
        "Informations complementaires;Type operation;Categorie;Sous categorie;Debit;Credit;"
        "Date operation;Date de valeur;Pointage operation\r\n"
        "12/03/2026;FRAIS;FRAIS TENUE DE COMPTE;R1;;Frais;;;-12,00;;12/03/2026;12/03/2026;0\r\n"
        "15/03/2026;ADHERENT;VIR ADHÉSION;R2;;Virement;;;;+20,00;15/03/2026;15/03/2026;0"
        "\r\n".encode("cp1252")
    )
    target = livre_neuf / "2026.beancount"
    result = communs("importer", str(releve), "--ecrire", str(target), *_ledger(livre_neuf))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "Actif:51-Banques:512-Banques:Compte-courant        -12.00 EUR" in text
    assert "Actif:51-Banques:512-Banques:Compte-courant         20.00 EUR" in text


def test_etape_suivante_sans_communs_dans_le_path(
    livre_neuf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.chdir(livre_neuf.parent)
    lines = etape_suivante(livre_neuf)
    assert lines[0] == "La commande communs n'est pas dans le PATH de ce terminal ; au choix :"
    assert any(line.strip().startswith("source ") for line in lines)
    assert lines[-1] == "Étape suivante : cd lavoir && communs verifier"


def test_init_ne_laisse_pas_le_cache_de_beancount(tmp_path: Path, communs: Communs) -> None:
    """The first commit's hook checks the ledger; on a busy machine that load can pass
    Beancount's cache threshold (0.25 s) and leave ``.main.beancount.picklecache`` in the
    new folder. Init runs the commit with the cache disabled: a hook of the user's (kept by
    init) records the variable it sees."""
    import subprocess

    from conftest import git_env

    folder = tmp_path / "asso"
    folder.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=folder, env=git_env(), check=True)
    seen = tmp_path / "vu.txt"
    hook = folder / ".git" / "hooks" / "pre-commit"
    hook.write_text(f'#!/bin/sh\necho "$BEANCOUNT_DISABLE_LOAD_CACHE" > "{seen}"\n')
    hook.chmod(0o755)
    result = communs("init", str(folder), "--nom", "Les Jardins", "--force")
    assert result.exit_code == 0, result.output
    assert seen.read_text().strip() == "1"
    assert not list(folder.glob("*picklecache*"))
