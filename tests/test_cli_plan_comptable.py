"""``communs plan-comptable``: search, versions, retired accounts, table/CSV/JSON output."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from conftest import one_line, run_communs

Communs = Callable[..., Any]


def _codes(result: Any) -> list[str]:
    assert result.exit_code == 0, result.output
    return [row["code"] for row in json.loads(result.stdout)["comptes"]]


def test_recherche_deplacement_table(communs: Communs) -> None:
    result = communs("plan-comptable", "deplacement")
    assert result.exit_code == 0
    rows = [one_line(line.replace("│", " ")) for line in result.stdout.splitlines()]
    assert "6251 Voyages et déplacements Charge" in rows
    assert "625 Déplacements, missions et réceptions Charge" in rows
    assert one_line(result.stderr) == "2 comptes."


def test_recherche_accents_et_majuscules(communs: Communs) -> None:
    assert _codes(communs("plan-comptable", "DÉPLACEMENT", "--format", "json")) == ["625", "6251"]
    assert _codes(communs("plan-comptable", "Voyages", "deplacements", "--format", "json")) == [
        "6251"
    ]


def test_recherche_par_numero(communs: Communs) -> None:
    assert _codes(communs("plan-comptable", "74", "--format", "json")) == [
        "74",
        "741",
        "742",
        "747",
    ]
    assert _codes(communs("plan-comptable", "74", "--version", "2018", "--format", "json")) == [
        "74"
    ]


def test_json_du_compte(communs: Communs) -> None:
    result = communs("plan-comptable", "6251", "--format", "json")
    assert json.loads(result.stdout) == {
        "version": "2025",
        "comptes": [
            {
                "code": "6251",
                "libelle": "Voyages et déplacements",
                "nature": "charge",
                "nature_libelle": "Charge",
                "poste_resultat": "autres_achats_charges_externes",
                "poste_bilan": "",
                "statut": "verifie",
            }
        ],
    }


def test_version_2018(communs: Communs) -> None:
    codes_2018 = _codes(
        communs("plan-comptable", "--version", "2018", "subvention", "--format", "json")
    )
    codes_2025 = _codes(communs("plan-comptable", "subvention", "--format", "json"))
    assert "7715" in codes_2018
    assert "777" in codes_2018
    assert "7715" not in codes_2025
    assert {"741", "742", "747"} <= set(codes_2025)
    assert not {"741", "742", "747"} & set(codes_2018)
    result = communs("plan-comptable", "-v", "2018", "7715")
    assert "Subventions d'équilibre" in result.stdout


def test_version_inconnue_code_2(communs: Communs) -> None:
    result = communs("plan-comptable", "--version", "2019")
    assert result.exit_code == 2
    assert "« 2019 » n'est pas l'une des valeurs '2018', '2025'" in one_line(
        result.output.replace("│", " ")
    )


def test_csv(communs: Communs) -> None:
    result = communs("plan-comptable", "625", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode("utf-8").startswith(  # RFC 4180: CRLF line endings
        "code,libelle,nature,poste_resultat,poste_bilan,statut\r\n"
        '625,"Déplacements, missions et réceptions",charge,autres_achats_charges_externes,,'
        "verifie\r\n"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["code"] for row in rows] == ["625", "6251", "6255", "6256", "6257"]
    assert rows[1]["libelle"] == "Voyages et déplacements"


def test_aucun_resultat(communs: Communs) -> None:
    result = communs("plan-comptable", "zzzz")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert one_line(result.stderr) == "Aucun compte du plan 2025 ne correspond à « zzzz »."


def test_retires_json(communs: Communs) -> None:
    result = communs("plan-comptable", "--retires", "--format", "json")
    assert result.exit_code == 0
    rows = {row["code"]: row for row in json.loads(result.stdout)["retraits_2025"]}
    assert len(rows) == 227
    assert rows["7715"] == {
        "code": "7715",
        "libelle": "Subventions d'équilibre",
        "remplacement": "742",
        "libelle_remplacement": "Subventions d'équilibre",
        "precision": "les subventions d'équilibre passent en produits d'exploitation",
    }
    assert (rows["777"]["remplacement"], rows["531"]["remplacement"]) == ("747", "53")
    assert rows["531"]["libelle_remplacement"] == "Caisse"
    assert rows["79"]["remplacement"] == ""


def test_retires_filtre(communs: Communs) -> None:
    result = communs("plan-comptable", "--retires", "777", "--format", "json")
    assert [row["code"] for row in json.loads(result.stdout)["retraits_2025"]] == ["777"]


def test_retires_csv(communs: Communs) -> None:
    result = communs("plan-comptable", "--retires", "771", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["code"], r["remplacement"]) for r in rows][:2] == [("771", "758"), ("7711", "7581")]


def test_retires_table_lisible_sur_80_colonnes(tmp_path) -> None:
    """Every column keeps its text on a standard terminal (the number is never cut)."""
    done = run_communs("plan-comptable", "--retires", "77", cwd=tmp_path, env={"COLUMNS": "80"})
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if "│" in line]
    numbers = [row[0] for row in rows if row[0]]
    assert numbers[:3] == ["771", "7711", "7713"]
    assert "7715" in numbers
    first = rows.index(next(row for row in rows if row[0] == "7715"))
    replacement = " ".join(row[2] for row in rows[first : first + 3] if row[0] in ("7715", ""))
    assert replacement.startswith("742 Subventions")


def test_sous_processus(tmp_path) -> None:
    done = run_communs("plan-comptable", "deplacement", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0
    assert [row["code"] for row in json.loads(done.stdout)["comptes"]] == ["625", "6251"]
