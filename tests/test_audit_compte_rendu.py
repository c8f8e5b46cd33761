"""Audit (an association written from the user guide, checked by hand): the compte rendu
financier of an action that cost more than the subsidy. Its « reste à employer » is zero,
like the « reste à dépenser » of ``communs subventions`` and the fonds dédiés (nothing to
report), never negative; what the emploi exceeds the granted amount by is shown on its own
line, borne by the association. Ledger of :mod:`livre_fonds_dedies`."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from livre_fonds_dedies import BANQUE, EQUIPEMENT, ecrire_livre

D = Decimal


def _livre(folder: Path) -> Path:
    main = ecrire_livre(folder)
    fichier = folder / "2025.beancount"
    texte = fichier.read_text(encoding="utf-8")
    # One more purchase of project Q: 2 000 €, so the bank ends at 36 800 − 2 000.
    texte = texte.replace("36800.00 EUR", "34800.00 EUR")
    texte += f"""
2025-09-01 * "Jardinerie" "Serre"
  projet: "Q"
  {EQUIPEMENT}  2000.00 EUR
  {BANQUE}
"""
    fichier.write_text(texte, encoding="utf-8")
    return main


def _rows(data: dict[str, Any], partie: str) -> dict[str, dict[str, Any]]:
    found = next(p for p in data["parties"] if p["id"] == partie)
    return {row["id"]: row["valeurs"] for row in found["lignes"]}


def test_reste_a_employer_jamais_negatif(tmp_path: Path, communs: Callable[..., Any]) -> None:
    main = _livre(tmp_path / "asso")
    result = communs("compte-rendu", "DEP-Q-2025", "-f", str(main), "--format", "json")
    assert result.exit_code == 0, result.output
    convention = _rows(json.loads(result.stdout), "convention")
    # DEP-Q-2025: 2 000 granted; eligible charges (60) of project Q: 500 + 2 000 = 2 500.
    assert D(convention["emploi_directes"]["montant"]) == D("2500.00")
    # Nothing left to use (2 000 − 2 500 < 0 → 0); 500 borne by the association.
    assert D(convention["reste"]["montant"]) == D("0.00")
    assert D(convention["emploi_au_dela"]["montant"]) == D("500.00")
    # The follow-up agrees: reste à dépenser 0.
    suivi = communs("subventions", "-f", str(main), "-e", "2025", "--format", "json")
    assert suivi.exit_code == 0, suivi.output
    ligne = _rows(json.loads(suivi.stdout), "conventions")["convention:DEP-Q-2025"]
    assert (D(ligne["depense"]), D(ligne["reste"])) == (D("2500.00"), D("0.00"))


def test_sans_depassement_pas_de_ligne(tmp_path: Path, communs: Callable[..., Any]) -> None:
    main = ecrire_livre(tmp_path / "asso")
    result = communs("compte-rendu", "DEP-Q-2025", "-f", str(main), "--format", "json")
    assert result.exit_code == 0, result.output
    convention = _rows(json.loads(result.stdout), "convention")
    # 2 000 − 500 = 1 500 left to use; no line beyond the granted amount.
    assert D(convention["reste"]["montant"]) == D("1500.00")
    assert "emploi_au_dela" not in convention
