"""One convention for ``ecart_pct`` and budget-line row ids across the JSON of
``communs budget``, ``communs budget comparer``, ``communs budget cerfa`` (CERFA 12156)
and ``communs compte-rendu`` (CERFA 15059), as documented in docs/formats.md:

- ``ecart`` = value − reference; ``ecart_pct`` = ecart / |reference| (a fraction),
  empty when the reference is 0; positive: above the reference (a charge over its
  budget, a produit or a résultat above its forecast);
- a budget line's row is ``ligne:<compte>`` or ``ligne:<compte>:<projet>`` in every
  report; a CERFA detail row is ``<form line id>:ligne:<compte>[:<projet>]``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import EXEMPLE_DIR

D = Decimal
LIGNE = re.compile(r"^ligne:\d+(:[A-Za-z0-9_-]+)?$")


@pytest.fixture(scope="module")
def exemple(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("conventions") / "association"
    shutil.copytree(EXEMPLE_DIR, folder)
    return folder / "main.beancount"


def _json(communs: Callable[..., Any], *args: str) -> Any:
    result = communs(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(data: Any) -> Iterator[dict[str, Any]]:
    for partie in data["parties"]:
        yield from partie["lignes"]


def _check_pct(data: Any, value: str, reference: str) -> int:
    """Every row: ecart = value − reference, ecart_pct = ecart / |reference| (4 places)."""
    checked = 0
    for row in _rows(data):
        v = row["valeurs"]
        if v.get("ecart") is None or v.get(reference) is None or v.get(value) is None:
            continue
        ref = D(v[reference])
        assert D(v["ecart"]) == D(v[value]) - ref, row["id"]
        if ref == 0:
            assert v.get("ecart_pct") is None, row["id"]
            continue
        expected = (D(v["ecart"]) / abs(ref)).quantize(D("0.0001"), rounding=ROUND_HALF_UP)
        assert D(v["ecart_pct"]) == expected, row["id"]
        checked += 1
    return checked


def test_ecart_pct_et_ids_dans_les_trois_json(exemple: Path, communs: Callable[..., Any]) -> None:
    e = str(exemple)
    budget = _json(communs, "budget", "-f", e, "-e", "2026")
    cerfa = _json(communs, "budget", "cerfa", "-f", e, "-e", "2026")
    compte_rendu = _json(communs, "compte-rendu", "DEP-JARDINS-2024", "-f", e)
    comparaison = _json(communs, "budget", "comparer", "vote", "revise", "-f", e, "-e", "2026")

    assert _check_pct(budget, "realise", "budget_a_date") > 40
    assert _check_pct(compte_rendu, "realisation", "prevision") > 3
    assert _check_pct(comparaison, "b", "a") > 40

    # The sign on a negative reference, by hand. Résultat of the budget at 19 November:
    # réalisé 5 443,63 − à date 5 487,36 = −43,73 ; −43,73 / 5 487,36 = −0,0080 (below).
    # (The budget to date is the sum of its lines, each rounded to the cent.)
    resultat = next(r for r in _rows(budget) if r["id"] == "resultat")["valeurs"]
    assert (resultat["ecart"], resultat["ecart_pct"]) == ("-43.73", "-0.0080")
    # Comparison: deficit −894 (vote) → −3 994 (revise): −3 100 / |−894| = −3,4676,
    # negative because the result gets worse (it was +3,4676 before the convention).
    resultat = next(r for r in _rows(comparaison) if r["id"] == "resultat")["valeurs"]
    assert (resultat["ecart"], resultat["ecart_pct"]) == ("-3100.00", "-3.4676")

    # Budget lines: the same ids in the budget report and the comparison.
    ids_budget = {r["id"] for r in _rows(budget) if r["id"].startswith("ligne:")}
    ids_comparaison = {r["id"] for r in _rows(comparaison) if r["id"].startswith("ligne")}
    assert all(LIGNE.match(i) for i in ids_budget | ids_comparaison)
    assert {"ligne:6132", "ligne:6411:CUISINE", "ligne:7551:CUISINE"} <= ids_budget
    # the revise version's lines are those of the budget report (removed ones aside)
    assert ids_budget <= ids_comparaison
    assert "chapitre:60" in {r["id"] for r in _rows(comparaison)}
    # CERFA 12156: detail rows of the subsidies name the budget line the same way.
    details = [r["id"] for r in _rows(cerfa) if ":ligne:" in r["id"]]
    assert "subvention_etat:ligne:7411" in details
    assert "subvention_region:ligne:7412:CUISINE" in details
    for detail in details:
        assert LIGNE.match(detail.split(":", 1)[1]) and detail.split(":", 1)[1] in ids_budget
    # The form tables (CERFA 12156 and 15059) share their line ids.
    form = {r["id"] for r in _rows(cerfa) if r["id"].startswith("chapitre_")}
    assert form <= {r["id"] for r in _rows(compte_rendu)}
