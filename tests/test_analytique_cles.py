"""The clés de répartition file: which key claims a posting, and bad input reported in
French at file:line (exit 1 from the commands, nothing written)."""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from communs_ledger.analytique.cles import charger_cles
from communs_ledger.chargement import load_livre
from conftest import one_line
from livre_subventions import REPARTITION, ecrire

D = Decimal


def _load(folder: Path, text: str):
    livre = load_livre(ecrire(folder))
    assert livre.ok, livre.diagnostics
    (folder / "repartition.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    cles, errors = charger_cles(folder / "repartition.yaml", livre.context)
    return cles, [(e.location.line, e.message) for e in errors]


def test_cle_d_une_ecriture(ledger_dir: Path) -> None:
    cles, errors = _load(
        ledger_dir,
        REPARTITION
        + """\
  - code: SALAIRES
    comptes: ["641"]
    parts: {JARDINS: 100}
""",
    )
    assert errors == [] and cles is not None
    day = datetime.date(2026, 3, 31)
    # A key with « tiers » wins over one without; then the longest prefix.
    assert cles.cle_de("6411", "Claire Morvan", day).code == "COORDINATION"
    assert cles.cle_de("6411", "claire morvan", day).code == "COORDINATION"  # case ignored
    assert cles.cle_de("6411", "Inès", day).code == "SALAIRES"
    assert cles.cle_de("6451", "Inès", day) is None
    # COORDINATION is for exercice 2026 only.
    assert cles.cle_de("6451", "Claire Morvan", datetime.date(2027, 1, 4)) is None
    # Quantities become per cent shares: 20 / 30 / 50 m² of 100.
    local = next(c for c in cles if c.code == "LOCAL")
    assert [(n, v) for n, v in local.parts] == [
        ("CUISINE", D(20)),
        ("JARDINS", D(30)),
        ("non_affecte", D(50)),
    ]
    assert "surface (CUISINE 20 m², JARDINS 30 m², non affecté 50 m²)" in local.methode


def test_erreurs_de_schema(ledger_dir: Path) -> None:
    cles, errors = _load(
        ledger_dir,
        """\
        cles:
          - code: B
            comptes: ["74"]
            parts: {CUISINE: 100}
          - code: E
            comptes: ["613"]
            parts: {CUISINE: 60}
            quantites: {CUISINE: 1}
        """,
    )
    assert cles is None
    assert errors == [
        (
            3,
            "cles[1].comptes : « 74 » : préfixe de compte de charges attendu (classe 6 ou 86, "
            "ex. 641)",
        ),
        (5, "cles[2] : indiquez soit « parts » (en %), soit « quantites » (heures, m²…)"),
    ]


def test_erreurs(ledger_dir: Path) -> None:
    cles, errors = _load(
        ledger_dir,
        """\
        cles:
          - code: A
            comptes: ["64"]
            parts: {CUISINE: 30, JARDINS: 50}
          - code: C
            comptes: ["613"]
            parts: {INCONNU: 50, CUISINE: 50}
          - code: D
            comptes: ["613"]
            exercice: "2026"
            parts: {CUISINE: 100}
          - code: A
            comptes: ["60"]
            quantites: {CUISINE: 0}
        """,
    )
    assert cles is None
    assert errors == [
        (4, "clé « A » : les parts totalisent 80 % au lieu de 100 %"),
        (7, "projet « INCONNU » inconnu (CUISINE, JARDINS ; ou non_affecte)"),
        (12, "clé « A » déclarée deux fois"),
        (14, "clé « A » : les quantités totalisent zéro : rien à répartir"),
    ]


def test_cles_qui_se_chevauchent(ledger_dir: Path) -> None:
    cles, errors = _load(
        ledger_dir,
        """\
        cles:
          - code: C
            comptes: ["613", "614"]
            au: 2026-06-30
            parts: {CUISINE: 100}
          - code: D
            comptes: ["613"]
            exercice: "2026"
            parts: {JARDINS: 100}
          - code: E
            comptes: ["613"]
            tiers: SCI des Tilleuls
            parts: {JARDINS: 100}
        """,
    )
    # D claims 613 from 1 January 2026 like C (until 30 June): ambiguous. E has a payee:
    # it wins over both, no ambiguity.
    assert cles is None
    assert errors == [
        (
            6,
            "clé « D » : les comptes 613 sont déjà répartis par la clé « C » "
            "(repartition.yaml:2) sur une période commune",
        )
    ]


def test_commandes_refusent_des_cles_invalides(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    path = ecrire(
        ledger_dir, repartition=REPARTITION.replace("non_affecte: 20}", "non_affecte: 25}")
    )
    for args in (
        ("resultat", "-f", str(path), "-p", "CUISINE"),
        ("budget", "-f", str(path), "-p", "CUISINE"),
        ("subventions", "-f", str(path)),
    ):
        result = communs(*args)
        assert result.exit_code == 1, result.output
        text = one_line(result.output)
        assert "clés de répartition contiennent des erreurs" in text
        assert "repartition.yaml:8: clé « COORDINATION » : les parts totalisent 105 %" in text
    # Without --projet the compte de résultat does not need the keys.
    assert communs("resultat", "-f", str(path)).exit_code == 0


def test_fichier_introuvable(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    path = ecrire(ledger_dir)
    (ledger_dir / "repartition.yaml").unlink()
    result = communs("resultat", "-f", str(path), "-p", "CUISINE")
    assert result.exit_code == 1
    assert "analytique.repartition : fichier introuvable (repartition.yaml)" in one_line(
        result.output
    )
