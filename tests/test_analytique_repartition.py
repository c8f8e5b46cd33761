"""Allocation of indirect costs by the clés de répartition: the rounding rule by hand,
reconciliation to the cent as a property, and ``communs resultat|budget --projet``
with and without allocation on the small ledger of :mod:`livre_subventions`."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from communs_ledger.analytique.cles import NON_AFFECTE, Cle, Cles, cles_du_grand_livre
from communs_ledger.analytique.repartition import partager, repartir
from communs_ledger.chargement import load_livre
from communs_ledger.mouvements import Mouvement
from communs_ledger.rapports.source import Source
from communs_ledger.sources import Location
from livre_subventions import ecrire

D = Decimal


def test_plus_fort_reste_a_la_main() -> None:
    # 1 234.57 by 20 / 30 / 50 %: exact 246.914, 370.371, 617.285; truncated 246.91,
    # 370.37, 617.28 (sum 1 234.56); the cent left goes to the largest remainder
    # (.005 of the third share): 617.29.
    parts = [("CUISINE", D(20)), ("JARDINS", D(30)), (NON_AFFECTE, D(50))]
    assert partager(D("1234.57"), parts) == [D("246.91"), D("370.37"), D("617.29")]
    # A credit (refund) splits the same way, sign kept.
    assert partager(D("-1234.57"), parts) == [D("-246.91"), D("-370.37"), D("-617.29")]
    # 100.00 in thirds (quantities 1/1/1): 33.33 each, the cent to the first on a tie.
    thirds = [("A", D(100) / 3), ("B", D(100) / 3), ("C", D(100) / 3)]
    assert partager(D("100.00"), thirds) == [D("33.34"), D("33.33"), D("33.33")]


def _cle(parts: list[tuple[str, Decimal]]) -> Cle:
    return Cle(
        code="K",
        libelle="K",
        base="pourcentage",
        comptes=("6",),
        tiers=None,
        du=datetime.date.min,
        au=datetime.date.max,
        parts=tuple(parts),
        quantites=None,
        unite=None,
        location=Location("repartition.yaml", 1),
    )


class _Entry:
    """Stands for a Beancount transaction: only what the allocation reads."""

    def __init__(self) -> None:
        self.meta: dict[str, Any] = {}
        self.payee = None
        self.postings = [type("P", (), {"meta": {}})()]


_weights = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=6).filter(
    lambda w: sum(w) > 0
)
_amounts = st.lists(
    st.decimals(min_value=D("-5000"), max_value=D("50000"), places=2), min_size=1, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(weights=_weights, amounts=_amounts)
def test_la_repartition_se_reconcilie_au_centime(weights: list[int], amounts: list[Decimal]):
    # Shares from any quantities (like a key by surface or hours): Σ projects + non affecté
    # = total, to the cent, for every posting and so for their sum.
    total_weight = sum(weights)
    names = [f"P{i}" for i in range(len(weights) - 1)] + [NON_AFFECTE]
    parts = [(name, D(w) * 100 / total_weight) for name, w in zip(names, weights, strict=True)]
    cles = Cles([_cle(parts)])
    entry = _Entry()
    moves = [
        Mouvement(datetime.date(2026, 1, 1), "Charges:60-Achats", "60", amount, None, entry, 0)
        for amount in amounts
    ]
    for amount in amounts:
        shares = partager(amount, parts)
        assert sum(shares, D(0)) == amount
        for share, (_name, percent) in zip(shares, parts, strict=True):
            assert abs(share - amount * percent / 100) < D("0.01")
    repartition = repartir(moves, cles)
    by_project = repartition.par_cle.get("K", {})
    assert sum(by_project.values(), D(0)) == sum(amounts, D(0))
    allocated = sum((m.montant for m in repartition.parts), D(0))
    assert allocated + by_project.get(NON_AFFECTE, D(0)) == sum(amounts, D(0))


def _source(folder: Path) -> tuple[Source, Cles]:
    livre = load_livre(ecrire(folder))
    assert livre.ok, livre.diagnostics
    cles, errors = cles_du_grand_livre(livre.context)
    assert errors == []
    return Source.from_livre(livre), cles


def test_repartition_du_petit_livre(ledger_dir: Path) -> None:
    source, cles = _source(ledger_dir)
    repartition = repartir(source.mouvements.liste, cles)
    # Claire's pay 3 000 + 1 000 (key COORDINATION 30/50/20), rent 1 234.57 (LOCAL 20/30/50);
    # Inès's pay carries project CUISINE and the honoraires a convention: not allocated.
    assert dict(repartition.totaux) == {"COORDINATION": D("4000.00"), "LOCAL": D("1234.57")}
    assert repartition.par_cle["COORDINATION"] == {
        "CUISINE": D("1200.00"),
        "JARDINS": D("2000.00"),
        NON_AFFECTE: D("800.00"),
    }
    assert repartition.par_cle["LOCAL"] == {
        "CUISINE": D("246.91"),
        "JARDINS": D("370.37"),
        NON_AFFECTE: D("617.29"),
    }
    assert repartition.projets() == {
        "CUISINE": D("1446.91"),
        "JARDINS": D("2370.37"),
        NON_AFFECTE: D("1417.29"),
    }


def _json(communs: Callable[..., Any], *args: str) -> dict[str, Any]:
    result = communs(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_resultat_du_projet(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    path = str(ecrire(ledger_dir))
    data = _json(communs, "resultat", "-f", path, "-p", "CUISINE", "--sans-n1")
    totaux = data["totaux"]
    # Direct CUISINE charges: denrées 600 + 90, Inès 1 500 = 2 190;
    # allocated: 1 200 (Claire, 30 %) + 246.91 (loyer, 20 m² of 100) = 1 446.91.
    assert D(totaux["total_charges_exploitation"]) == D("3636.91")
    # Produits of CUISINE: Région 10 000 + Département 5 000 + ateliers 800.
    assert D(totaux["total_produits_exploitation"]) == D("15800.00")
    assert D(totaux["resultat"]) == D("12163.09")
    assert data["meta"]["repartition"] is True
    assert "avec charges indirectes réparties" in data["sous_titre"]
    assert any("Local – surface" in note and "246,91" in note for note in data["notes"])

    direct = _json(
        communs, "resultat", "-f", path, "-p", "CUISINE", "--sans-n1", "--sans-repartition"
    )
    assert D(direct["totaux"]["total_charges_exploitation"]) == D("2190.00")
    assert direct["meta"]["repartition"] is False
    assert any("sans répartition des charges indirectes" in n for n in direct["notes"])


def test_budget_du_projet(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    path = str(ecrire(ledger_dir))
    data = _json(communs, "budget", "-f", path, "-p", "CUISINE", "--au", "2026-12-31")
    rows = {row["id"]: row for p in data["parties"] for row in p["lignes"]}
    # Line 6411 of CUISINE: Inès 1 500 + Claire's 30 % of 3 000 = 900 → réalisé 2 400.
    assert D(rows["ligne:6411:CUISINE"]["valeurs"]["realise"]) == D("2400.00")
    # Charges of the project: 3 636.91 as in the compte de résultat (same allocation).
    assert D(data["totaux_par_colonne"]["realise"]["total_charges"]) == D("3636.91")
    assert D(data["totaux_par_colonne"]["budget_annuel"]["total_charges"]) == D("2200.00")
    assert "avec charges indirectes réparties" in data["sous_titre"]

    direct = _json(
        communs, "budget", "-f", path, "-p", "CUISINE", "--au", "2026-12-31", "--sans-repartition"
    )
    rows = {row["id"]: row for p in direct["parties"] for row in p["lignes"]}
    assert D(rows["ligne:6411:CUISINE"]["valeurs"]["realise"]) == D("1500.00")
    assert D(direct["totaux_par_colonne"]["realise"]["total_charges"]) == D("2190.00")


def test_budget_mensuel_du_projet(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    path = str(ecrire(ledger_dir))
    data = _json(communs, "budget", "-f", path, "-p", "CUISINE", "--au", "2026-12-31", "--mensuel")
    rows = {row["id"]: row for p in data["parties"] for row in p["lignes"]}
    values = rows["ligne:6411:CUISINE"]["valeurs"]
    # March: Claire's allocated 900 ; May: Inès's 1 500.
    assert D(values["m2026_03_realise"]) == D("900.00")
    assert D(values["m2026_05_realise"]) == D("1500.00")
