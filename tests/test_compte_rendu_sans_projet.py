"""The compte-rendu of a convention without project whose charges carry its reference
(financeurs audit): the table covers the whole association (documented), while the
emploi counts only the tagged charges. Before, nothing pointed out that the two figures
differ; now a warning gives both.

Ledger of :mod:`livre_subventions`: ETAT-2026 has no project and one charge tagged with
it (honoraires 500.00). Every charge of the period: 3 000 + 1 000 + 1 234.57 + 600
+ 1 500 + 500 + 90 + 300 = 8 224.57 (see test_compte_rendu.test_convention_sans_projet).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from livre_subventions import ecrire


def _espaces(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_avertissement_convention_sans_projet(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    result = communs("compte-rendu", "ETAT-2026", "-f", str(ecrire(ledger_dir)), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    warnings = [_espaces(w) for w in data["avertissements"]]
    assert any(
        w.startswith(
            "ETAT-2026 n'a pas de projet : le tableau couvre l'ensemble de l'association "
            "(8 224,57 € de charges réalisées), alors que l'emploi de la subvention ne compte "
            "que les 500,00 € de charges portant « convention: ETAT-2026 »"
        )
        for w in warnings
    ), warnings


def test_pas_d_avertissement_pour_une_convention_de_projet(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    result = communs(
        "compte-rendu", "REG-CUISINE", "-f", str(ecrire(ledger_dir)), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert not any("n'a pas de projet" in w for w in json.loads(result.stdout)["avertissements"])
