"""Tests beside the plugin: its contract, through the real loader and real files.

The rule-by-rule suite (budget files, profiles, Fava's budgets, rules, cache) is
in ``tests/test_budget_fichier.py`` and ``tests/test_budget_plugin.py``; here the
docstring's example, entries kept, nothing done without budgets, no exception.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from communs_ledger.erreurs import CommunsError, avertissements_de, is_warning
from communs_plugins import checks
from communs_plugins.budget import budget
from communs_plugins.plan_comptable import plan_comptable

HEADER = """\
option "name_assets" "Actif"
option "name_liabilities" "Passif"
option "name_equity" "Fonds-propres"
option "name_income" "Produits"
option "name_expenses" "Charges"
plugin "communs_plugins.plan_comptable"
plugin "communs_plugins.budget"
"""
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
SUBVENTIONS = "Produits:74-Subventions:741-Subventions-d-exploitation"
LEDGER = f"""\
2026-01-01 open {BANQUE} EUR
2026-01-01 open {HONORAIRES}
2026-01-01 open {SUBVENTIONS}

2026-04-30 * "Cabinet Martin" "Honoraires"
  {HONORAIRES}  3450.00 EUR
  {BANQUE}
"""
CONFIG = 'budget:\n  fichiers: {"2026": budgets/2026.yaml}\n'
BUDGET = """\
versions:
  - code: vote
    nom: BP voté en AG
    date: 2026-03-14
    lignes:
      - compte: "6226"           # line 6
        montant: 6000
      - compte: "741"
        montant: 24000
"""


def _association(folder: Path, header: str = HEADER, config: str = CONFIG) -> Path:
    (folder / "budgets").mkdir(parents=True, exist_ok=True)
    (folder / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    (folder / "communs.yaml").write_text(config, encoding="utf-8")
    path = folder / "main.beancount"
    path.write_text(header + LEDGER, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _isolated_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_exemple_de_la_documentation(tmp_path: Path) -> None:
    """The "Before / After" example of the module docstring."""
    entries, errors, _options = loader.load_file(str(_association(tmp_path)))
    assert errors == []  # warnings are not errors: bean-check and Fava count none
    warnings = avertissements_de(entries)
    found = sorted(
        (Path(e.source["filename"]).name, e.source["lineno"], e.message) for e in warnings
    )
    assert found == [
        (
            "2026.yaml",
            6,
            "Budget 2026, ligne 6226 Honoraires : réalisé 3\u202f450,00\u00a0€ pour un budget "
            "à date de 2\u202f000,00\u00a0€ (+72,5\u00a0%, seuil 10\u00a0%)",
        ),
        (
            "2026.yaml",
            8,
            "Budget 2026, ligne 741 Subventions d'exploitation : réalisé 0,00\u00a0€ pour un "
            "budget à date de 8\u202f000,00\u00a0€ (0,0\u00a0% du budget à date, seuil 50\u00a0%)",
        ),
    ]
    assert all(is_warning(e) for e in warnings)
    assert [(e.entry.date.isoformat(), e.entry.meta["regle"]) for e in warnings] == [
        ("2026-04-30", "depassement"),
        ("2026-04-30", "produits_en_retard"),
    ]
    customs = [e for e in entries if isinstance(e, data.Custom) and e.type == "budget"]
    first = [e for e in customs if e.date.isoformat() == "2026-01-01"]
    assert sorted(
        (e.values[0].value, e.values[1].value, e.values[2].value.number) for e in first
    ) == [
        (HONORAIRES, "monthly", 500),
        (SUBVENTIONS, "monthly", -2000),
    ]
    assert len(customs) == 2 * 13  # twelve months and a reset to 0 on 2027-01-01
    assert {e.date.isoformat() for e in customs if e.values[2].value.number == 0} == {"2027-01-01"}


def test_les_ecritures_du_grand_livre_sont_gardees(tmp_path: Path) -> None:
    path = _association(tmp_path, header=HEADER.replace('plugin "communs_plugins.budget"\n', ""))
    entries, errors, options = loader.load_file(str(path))
    assert errors == []
    options["plugin"].append(("communs_plugins.budget", None))
    returned, found = budget(list(entries), options)
    assert [e for e in returned if not isinstance(e, data.Custom)] == entries
    assert len(returned) == len(entries) + 26 + 2
    assert len(avertissements_de(returned)) == 2
    assert found == []


def test_sans_declaration_pas_d_entrees_fava(tmp_path: Path) -> None:
    """Run by ``communs verifier`` for a ledger that does not declare it: warnings only."""
    path = _association(tmp_path, header=HEADER.replace('plugin "communs_plugins.budget"\n', ""))
    entries, _errors, options = loader.load_file(str(path))
    returned, found = budget(entries, options)
    assert found == []
    assert not any(isinstance(e, data.Custom) and e.type == "budget" for e in returned)
    assert [e.source["lineno"] for e in avertissements_de(returned)] == [6, 8]
    assert [e for e in returned if not isinstance(e, data.Custom)] == entries


def test_sans_budget_declare_rien_n_est_fait(tmp_path: Path) -> None:
    path = _association(tmp_path, config="projets: []\n")
    entries, errors, options = loader.load_file(str(path))
    assert errors == []
    assert not any(isinstance(e, data.Custom) for e in entries)
    returned, found = budget(entries, options)
    assert returned is entries
    assert found == []
    # The config is watched all the same: declaring a budget later reloads the ledger.
    assert str(tmp_path / "communs.yaml") in options["include"]
    assert str(tmp_path / "budgets" / "2026.yaml") not in options["include"]


def test_fichiers_surveilles(tmp_path: Path) -> None:
    _entries, _errors, options = loader.load_file(str(_association(tmp_path)))
    assert str(tmp_path / "communs.yaml") in options["include"]
    assert str(tmp_path / "budgets" / "2026.yaml") in options["include"]


def test_greffon_enregistre_apres_le_plan_comptable() -> None:
    from communs_plugins.cloture import cloture

    assert checks() == [
        ("communs_plugins.plan_comptable", plan_comptable),
        ("communs_plugins.budget", budget),
        ("communs_plugins.cloture", cloture),
    ]


def test_aucune_exception_meme_sur_des_entrees_invalides(tmp_path: Path) -> None:
    path = _association(tmp_path)
    meta = data.new_metadata("<x>", 1)
    weird = [data.Transaction(meta, None, "*", None, "?", frozenset(), frozenset(), [])]
    _entries, found = budget(weird, {"filename": str(path)})  # type: ignore[arg-type]
    assert len(found) == 1
    assert isinstance(found[0], CommunsError)
    assert found[0].message.startswith("Erreur interne du greffon budget : ")
    _entries, found = budget([], {"filename": None})
    assert found == []


def test_budget_d_un_autre_exercice_sans_regle(tmp_path: Path) -> None:
    """Rules look at the exercice of the last transaction only: here 2027, without budget."""
    path = _association(tmp_path)
    text = path.read_text(encoding="utf-8") + textwrap.dedent(
        f"""
        2027-01-05 * "Cabinet Martin" "Honoraires"
          {HONORAIRES}  10.00 EUR
          {BANQUE}
        """
    )
    path.write_text(text, encoding="utf-8")
    entries, errors, _options = loader.load_file(str(path))
    assert errors == []
    assert any(isinstance(e, data.Custom) for e in entries)  # Fava still gets the 2026 budget


def test_insertion_dans_l_ordre_egale_un_tri_stable() -> None:
    """The added entries go where a stable sort of the whole ledger puts them: after the
    ledger's entries of equal key, in their own order among equals."""
    import datetime
    import random

    from communs_plugins.budget import insert_sorted

    rng = random.Random(7)

    def custom(day: int, line: int, label: str) -> data.Custom:
        meta = data.new_metadata("x.beancount", line)
        return data.Custom(meta, datetime.date(2026, 1, day), "n", [label])

    for _ in range(50):
        entries = sorted(
            (custom(rng.randint(1, 5), rng.randint(1, 3), f"e{i}") for i in range(30)),
            key=data.entry_sortkey,
        )
        added = [custom(rng.randint(1, 6), rng.randint(1, 3), f"a{i}") for i in range(8)]
        expected = sorted(entries + added, key=data.entry_sortkey)
        assert [e.values for e in insert_sorted(entries, added)] == [e.values for e in expected]
    # Ties: equal keys (2026-01-02, line 1) keep the ledger's entry first, then the added
    # ones in the order given.
    ledger = [custom(1, 1, "e0"), custom(2, 1, "e1"), custom(3, 1, "e2")]
    added = [custom(2, 1, "a0"), custom(2, 1, "a1"), custom(1, 0, "a2")]
    merged = insert_sorted(ledger, added)
    assert [e.values[0] for e in merged] == ["a2", "e0", "e1", "a0", "a1", "e2"]


def test_verification_n_importe_que_les_greffons_non_declares() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from communs_plugins import checks; "
        "found = checks(skip={'communs_plugins.budget', 'communs_plugins.cloture'}); "
        "print([name for name, _ in found], "
        "'communs_plugins.budget' in sys.modules, 'communs_plugins.cloture' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['communs_plugins.plan_comptable'] False False"
