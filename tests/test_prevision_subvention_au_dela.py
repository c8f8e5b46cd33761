"""A subsidy budget line (74) projected beyond what the conventions sign for the exercice:
the forecasts keep the budget (figures unchanged) and a note names the budget file:line and
both amounts.

Ledger « Les Petits Pois » of :mod:`test_prevision_fixtures`: budget 2026 line 7411
12 000 € spread evenly (1 000 € a month, ``budgets/2026.yaml`` line 11), 6 000 € received
from the Région on 10 March 2026, tagged with the convention REG-2026, which signs
8 000 € (notified 1 February 2026). Last actual entry 30 April: the forecast covers
1 May – 31 December.

By hand: the convention's produit not yet recognised, 8 000 − 6 000 = 2 000, is forecast
on 1 May; the budget line is covered by the convention and keeps what it exceeds it by:
May–December budget 8 000 − 2 000 = 6 000, capped by the annual budget's remainder
12 000 − 6 000 (realised) − 2 000 = 4 000. Projection of 7411: 6 000 + 2 000 + 4 000 =
12 000 € > 8 000 € signed: gap 4 000 €.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_prevision_fixtures import CONFIG, write_petits_pois

CONVENTIONS = """\
conventions:
  - reference: REG-2026
    financeur: Région Île-de-France
    type_financeur: region
    objet: Fonctionnement 2026
    montant: 8000
    debut: 2026-01-01
    fin: 2026-12-31
    notification: 2026-02-01
    compte: "7411"
    versements:
      - part: 100
        date: 2026-03-10
"""


def _ecrire(folder: Path, montant: int) -> Path:
    path = write_petits_pois(folder, config=CONFIG + "conventions: conventions.yaml\n")
    text = path.read_text(encoding="utf-8").replace(
        '"Région" "Subvention de fonctionnement"\n',
        '"Région" "Subvention de fonctionnement"\n  convention: "REG-2026"\n',
    )
    path.write_text(text, encoding="utf-8")
    (folder / "conventions.yaml").write_text(
        CONVENTIONS.replace("montant: 8000", f"montant: {montant}"), encoding="utf-8"
    )
    return path


def _atterrissage(communs: Callable[..., Any], path: Path) -> dict[str, Any]:
    result = communs("prevision", "atterrissage", "-f", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _notes(data: dict[str, Any]) -> list[str]:
    """The notes on conventions signed, spaces of French amounts made plain."""
    return [
        note.replace("\u202f", " ").replace("\xa0", " ")
        for note in data["notes"]
        if "conventions signées" in note
    ]


def test_budget_de_subvention_au_dela_des_conventions(
    communs: Callable[..., Any], ledger_dir: Path
) -> None:
    data = _atterrissage(communs, _ecrire(ledger_dir, 8000))
    (note,) = _notes(data)
    assert note.startswith("budgets/2026.yaml:11 : ligne 7411 du budget 2026 : "), note
    assert "réalisé + budget restant = 12 000,00 € pour l'exercice" in note, note
    assert "(8 000,00 € : REG-2026)" in note, note
    assert "l'écart de 4 000,00 €" in note, note
    # the figures are not changed: 7411 lands on 12 000 (concours publics)
    assert data["totaux_par_colonne"]["atterrissage"]["concours_publics_subventions"] == (
        "12000.00"
    )


def test_convention_qui_couvre_le_budget_pas_de_note(
    communs: Callable[..., Any], ledger_dir: Path
) -> None:
    # signed 12 000: the projection (6 000 + 6 000 forecast, nothing left of the budget)
    # does not exceed it
    assert _notes(_atterrissage(communs, _ecrire(ledger_dir, 12000))) == []
