"""Payroll rates in ``previsions/paie.yaml``: the unit is per cent, and a missing
``taux_salarial`` is reported where it is missing.

Before, ``parametres.taux_salarial`` was required even when every post gave its own:
the error pointed at ``parametres:`` while each post carried the rate; and ``0.25``
(a fraction for 25 %) was read as 0,25 %.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import one_line


@pytest.fixture
def copie(copie_exemple: Path) -> Path:
    return copie_exemple


def _paie(copie: Path, *remplacements: tuple[str, str]) -> Path:
    path = copie / "previsions" / "paie.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in remplacements:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_taux_salarial_donne_par_chaque_poste(communs: Callable[..., Any], copie: Path) -> None:
    """Every post gives its rate: ``parametres`` needs none, the payroll is unchanged."""
    avant = communs("tresorerie", "main.beancount", "--format", "json").output
    _paie(copie, ("  taux_salarial: 25\n", ""))
    result = communs("verifier", "main.beancount")
    assert result.exit_code == 0, result.output
    assert communs("tresorerie", "main.beancount", "--format", "json").output == avant


def test_taux_salarial_manquant_nomme_le_poste(communs: Callable[..., Any], copie: Path) -> None:
    path = _paie(copie, ("  taux_salarial: 25\n", ""), ("    taux_salarial: 25.24\n", ""))
    line = path.read_text(encoding="utf-8").splitlines().index("  - code: animateur-jardins") + 1
    result = communs("verifier", "main.beancount")
    assert result.exit_code == 1
    assert (
        f"previsions/paie.yaml:{line}: poste « animateur-jardins » : taux_salarial manquant "
        "(part salariale en % du brut, dans le poste ou dans parametres)"
    ) in one_line(result.output)
    assert "parametres.taux_salarial" not in result.output


@pytest.mark.parametrize(
    ("old", "new", "attendu"),
    [
        (
            "  taux_salarial: 25\n",
            "  taux_salarial: 0.25\n",
            "parametres.taux_salarial : taux « 0.25 » : les taux s'écrivent en pour cent "
            "(25 pour 25 %), pas en fraction",
        ),
        (
            "    taux_salarial: 26.96\n",
            "    taux_salarial: 0.2696\n",
            "postes[1].taux_salarial : taux « 0.2696 » : les taux s'écrivent en pour cent "
            "(26.96 pour 26.96 %)",
        ),
        (
            "    cotisations: {urssaf: 23.2, retraite: 6.01, prevoyance: 2.74}\n",
            "    cotisations: {urssaf: 0.232, retraite: 0.0601, prevoyance: 0.0274}\n",
            "postes[1].cotisations : les cotisations totalisent 0.3195 % : les taux s'écrivent "
            "en pour cent (31.95 pour 31.95 %), pas en fraction",
        ),
    ],
)
def test_taux_en_fraction_refuse(
    communs: Callable[..., Any], copie: Path, old: str, new: str, attendu: str
) -> None:
    path = _paie(copie, (old, new))
    line = path.read_text(encoding="utf-8").splitlines().index(new.rstrip("\n")) + 1
    result = communs("verifier", "main.beancount")
    assert result.exit_code == 1
    assert f"previsions/paie.yaml:{line}: {attendu}" in one_line(result.output), result.output


def test_taux_inferieur_a_un_pour_cent_avec_son_signe(
    communs: Callable[..., Any], copie: Path
) -> None:
    """A rate really below 1 % is written with « % »: accepted."""
    _paie(
        copie,
        (
            "    cotisations: {urssaf: 23.2, retraite: 6.01, prevoyance: 2.74}\n",
            '    cotisations: {urssaf: 23.2, retraite: 6.01, prevoyance: "0.74 %"}\n',
        ),
    )
    result = communs("verifier", "main.beancount")
    assert result.exit_code == 0, result.output
