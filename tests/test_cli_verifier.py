"""``communs verifier``: exit codes, French output, JSON contract, ledger discovery."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    BANQUE,
    VALID_ACCOUNT_COUNT,
    VALID_TRANSACTIONS,
    one_line,
    run_communs,
    write_ledger,
    write_valid_ledger,
)

Communs = Callable[..., Any]

VALID_SUMMARY = (
    f"✓ Aucune erreur : {VALID_TRANSACTIONS} écritures, {VALID_ACCOUNT_COUNT} comptes, "
    "exercices 2024 (plan 2018) ; 2025 (plan 2025)."
)
LOYER = (
    "Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne prolonge pas le numéro de son "
    "parent « 60-Achats » : un sous-compte de 60 doit avoir un numéro plus long commençant par 60"
)
HONORAIRES_ACTIF = (
    "Compte Actif:62-Autres-services-exterieurs:6226-Honoraires : 6226 « Honoraires » relève "
    "de la nature « Charge » : il doit être sous Charges, pas sous Actif"
)
INCONNU = "Compte Charges:99-Inconnu : le numéro 99 n'existe pas dans le plan comptable associatif"


def _invalid_ledger(folder: Path) -> Path:
    """Errors in two files, written out of line order (Beancount sorts by date)."""
    return write_ledger(
        folder,
        f"""\
        include "2025.beancount"
        2025-03-01 open Charges:99-Inconnu
        2025-01-01 open Charges:60-Achats:6132-Loyer
        2024-01-01 open {BANQUE} EUR
        """,
        included={
            "2025.beancount": """\
            2025-01-01 open Actif:62-Autres-services-exterieurs:6226-Honoraires
            """
        },
    )


EXPECTED_LINES = [
    f"2025.beancount:6: {HONORAIRES_ACTIF}",
    f"main.beancount:8: {INCONNU}",
    f"main.beancount:9: {LOYER}",
]


def test_grand_livre_valide(ledger_dir: Path, communs: Communs) -> None:
    write_valid_ledger(ledger_dir)
    result = communs("verifier")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert one_line(result.stderr) == VALID_SUMMARY


def test_grand_livre_avec_erreurs(ledger_dir: Path, communs: Communs) -> None:
    _invalid_ledger(ledger_dir)
    result = communs("verifier", "main.beancount")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == EXPECTED_LINES
    assert one_line(result.stderr) == "✗ 3 erreurs dans 2 fichiers (0 écriture lue)."


def test_format_json_valide(ledger_dir: Path, communs: Communs) -> None:
    path = write_valid_ledger(ledger_dir)
    result = communs("verifier", "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload == {
        "grand_livre": str(path),
        "ok": True,
        "nombre_erreurs": 0,
        "erreurs": [],
        "nombre_avertissements": 0,
        "avertissements": [],
        "ecritures": VALID_TRANSACTIONS,
        "comptes": VALID_ACCOUNT_COUNT,
        "exercices": [
            {"code": "2024", "debut": "2024-01-01", "fin": "2024-12-31", "plan": "2018"},
            {"code": "2025", "debut": "2025-01-01", "fin": "2025-12-31", "plan": "2025"},
        ],
    }


def test_format_json_avec_erreurs(ledger_dir: Path, communs: Communs) -> None:
    _invalid_ledger(ledger_dir)
    result = communs("verifier", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["nombre_erreurs"] == 3
    assert payload["erreurs"] == [
        {"fichier": "2025.beancount", "ligne": 6, "message": HONORAIRES_ACTIF},
        {"fichier": "main.beancount", "ligne": 8, "message": INCONNU},
        {"fichier": "main.beancount", "ligne": 9, "message": LOYER},
    ]
    assert payload["exercices"] == [
        {"code": "2024", "debut": "2024-01-01", "fin": "2024-12-31", "plan": "2018"},
        {"code": "2025", "debut": "2025-01-01", "fin": "2025-12-31", "plan": "2025"},
    ]


def test_exercices_non_calendaires_dans_le_resume(ledger_dir: Path, communs: Communs) -> None:
    write_ledger(
        ledger_dir,
        f"""\
        2024-09-01 open {BANQUE} EUR
        2024-09-01 open Produits:75-Autres-produits:756-Cotisations

        2024-09-15 * "Adhésions de rentrée"
          {BANQUE}  300.00 EUR
          Produits:75-Autres-produits:756-Cotisations

        2025-09-15 * "Adhésions de rentrée"
          {BANQUE}  320.00 EUR
          Produits:75-Autres-produits:756-Cotisations
        """,
        config='exercice:\n  debut: "01-09"\n',
    )
    result = communs("verifier")
    assert result.exit_code == 0
    assert one_line(result.stderr) == (
        "✓ Aucune erreur : 2 écritures, 2 comptes, exercices 2024-2025 (plan 2018) ; "
        "2025-2026 (plan 2025)."
    )
    payload = json.loads(communs("verifier", "--format", "json").stdout)
    assert [e["code"] for e in payload["exercices"]] == ["2024-2025", "2025-2026"]


def test_erreur_beancount_traduite(ledger_dir: Path, communs: Communs) -> None:
    write_ledger(
        ledger_dir,
        f"""\
        2025-01-01 open {BANQUE} EUR

        2025-02-01 * "Cotisation"
          {BANQUE}  20.00 EUR
          Produits:75-Autres-produits:756-Cotisations
        """,
    )
    result = communs("verifier")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "main.beancount:9: Compte inconnu Produits:75-Autres-produits:756-Cotisations : ajoutez "
        "une directive « open » pour ce compte"
    ]
    assert one_line(result.stderr) == "✗ 1 erreur dans 1 fichier (1 écriture lue)."


# --- Where the ledger comes from ----------------------------------------------------------


@pytest.fixture
def three_ledgers(tmp_path: Path) -> dict[str, Path]:
    """An explicit ledger, one named by $COMMUNS_LEDGER, one in the current folder."""
    return {
        "option": write_valid_ledger(tmp_path / "option"),
        "variable": write_valid_ledger(tmp_path / "variable"),
        "dossier": write_valid_ledger(tmp_path / "dossier"),
    }


def _loaded(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["grand_livre"]


def test_grand_livre_par_option_puis_variable_puis_dossier(
    three_ledgers: dict[str, Path], communs: Communs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(three_ledgers["dossier"].parent)
    variable = {"COMMUNS_LEDGER": str(three_ledgers["variable"])}
    explicit = str(three_ledgers["option"])

    assert _loaded(communs("verifier", "--format", "json")) == str(three_ledgers["dossier"])
    assert _loaded(communs("verifier", "--format", "json", env=variable)) == str(
        three_ledgers["variable"]
    )
    for args in (["--ledger", explicit], ["-f", explicit], [explicit]):
        result = communs("verifier", "--format", "json", *args, env=variable)
        assert _loaded(result) == explicit


def test_variable_designant_un_dossier(
    three_ledgers: dict[str, Path], communs: Communs, tmp_path: Path
) -> None:
    folder = three_ledgers["variable"].parent
    result = communs("verifier", "--format", "json", env={"COMMUNS_LEDGER": str(folder)})
    assert _loaded(result) == str(three_ledgers["variable"])


def test_grand_livre_introuvable(tmp_path: Path, communs: Communs, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = communs("verifier")
    assert result.exit_code == 1
    assert one_line(result.output) == "Erreur : " + (
        "grand livre par défaut introuvable : main.beancount ; indiquez-le avec --ledger "
        "FICHIER ou la variable COMMUNS_LEDGER, ou créez une association avec « communs init "
        "DOSSIER »"
    )


def test_grand_livre_introuvable_sous_processus(tmp_path: Path) -> None:
    done = run_communs("verifier", "--ledger", "absent.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert one_line(done.stderr) == (
        "Erreur : grand livre indiqué introuvable : absent.beancount ; indiquez-le avec "
        "--ledger FICHIER ou la variable COMMUNS_LEDGER, ou créez une association avec "
        "« communs init DOSSIER »"
    )
    done = run_communs(
        "verifier", cwd=tmp_path, env={"COMMUNS_LEDGER": str(tmp_path / "nulle-part")}
    )
    assert done.returncode == 1
    assert "grand livre indiqué par $COMMUNS_LEDGER introuvable" in one_line(done.stderr)


def test_grand_livre_non_utf8(tmp_path: Path, communs: Communs) -> None:
    path = tmp_path / "main.beancount"
    path.write_bytes('option "title" "Assoc. des Pr\xe9s"\n'.encode("latin-1"))
    result = communs("verifier", str(path))
    assert result.exit_code == 1
    assert one_line(result.output).endswith(
        "main.beancount : fichier illisible, il doit être encodé en UTF-8"
    )
    done = run_communs("verifier", "main.beancount", cwd=tmp_path)
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        "Erreur : main.beancount : fichier illisible, il doit être encodé en UTF-8"
    )


def test_option_inconnue_code_2(ledger_dir: Path, communs: Communs) -> None:
    write_valid_ledger(ledger_dir)
    result = communs("verifier", "--nope")
    assert result.exit_code == 2
    assert "option inconnue : --nope" in result.output
    result = communs("verifier", "--format", "xml")
    assert result.exit_code == 2
    assert "valeur invalide pour '--format'" in result.output


def test_sous_processus_reel(ledger_dir: Path) -> None:
    write_valid_ledger(ledger_dir)
    done = run_communs("verifier", cwd=ledger_dir)
    assert done.returncode == 0
    assert one_line(done.stderr) == VALID_SUMMARY

    _invalid_ledger(ledger_dir / "invalide")
    done = run_communs("verifier", "main.beancount", cwd=ledger_dir / "invalide")
    assert done.returncode == 1
    assert done.stdout.splitlines() == EXPECTED_LINES
    done = run_communs("verifier", "--nope", cwd=ledger_dir)
    assert done.returncode == 2
    assert "option inconnue : --nope" in done.stderr
