"""Tests beside the plugin, Beancount-style: ledgers as strings through the real loader.

The full rule-by-rule suite (files, lines, config, cache) is in ``tests/``; here
the plugin's own contract: entries unchanged, errors only, the docstring's
example still true, files watched for the cache, no exception ever.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from communs_ledger.application.configuration import ConfigFile
from communs_ledger.config import Config
from communs_ledger.contexte import LedgerContext
from communs_plugins import checks
from communs_plugins.plan_comptable import ANNEXES, check_entries, plan_comptable, watch_files

HEADER = """\
option "name_assets" "Actif"
option "name_liabilities" "Passif"
option "name_equity" "Fonds-propres"
option "name_income" "Produits"
option "name_expenses" "Charges"
"""


@pytest.fixture(autouse=True)
def _isolated_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A string ledger has no folder: keep any communs.yaml of the current folder away."""
    monkeypatch.chdir(tmp_path)


def _load(text: str, plugin: bool = True):
    source = HEADER + ('plugin "communs_plugins.plan_comptable"\n' if plugin else "")
    return loader.load_string(source + textwrap.dedent(text))


def test_exemple_de_la_documentation() -> None:
    """The "Before / After" example of the module docstring."""
    _entries, errors, _options = _load(
        """\
        2025-01-01 open Charges:60-Achats:6000-Divers
        2025-01-01 open Charges:60-Achats:6132-Loyer
        2025-01-01 open Produits:60-Achats:6064-Fournitures
        2025-01-01 open Produits:77-Exceptionnels:7715-Equilibre
        """
    )
    found = sorted((e.source["lineno"], e.message) for e in errors)
    assert [line for line, _ in found] == [7, 8, 9, 10]
    assert found[0][1].startswith(
        "Compte Charges:60-Achats:6000-Divers : 6000 n'est pas dans le plan comptable et "
        "prolonge seulement le titre 60 « Achats (sauf 603) », non mouvementable ; "
    )
    assert found[1][1].startswith(
        "Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne prolonge pas le numéro de son "
        "parent « 60-Achats »"
    )
    assert found[2][1] == (
        "Compte Produits:60-Achats:6064-Fournitures : 6064 « Fournitures administratives » "
        "relève de la nature « Charge » : il doit être sous Charges, pas sous Produits"
    )
    assert found[3][1].startswith(
        "Compte Produits:77-Exceptionnels:7715-Equilibre : 7715 « Subventions d'équilibre » "
        "est retiré du plan comptable"
    )
    assert "utilisez 742 « Subventions d'équilibre »" in found[3][1]


def test_les_ecritures_ne_sont_pas_modifiees() -> None:
    entries, errors, options = _load(
        """\
        2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
        2025-01-01 open Charges:60-Achats:6132-Loyer

        2025-02-01 * "Loyer"
          Charges:60-Achats:6132-Loyer  600.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant
        """,
        plugin=False,
    )
    assert errors == []
    returned, found = plan_comptable(entries, options)
    assert returned is entries
    assert len(found) == 1
    assert found[0].entry is entries[1]
    assert isinstance(found[0].entry, data.Open)


def test_fichier_de_configuration_surveille_une_seule_fois() -> None:
    options: dict = {"include": ["/asso/main.beancount"]}
    watch_files(options, ["/asso/communs.yaml"])
    watch_files(options, ["/asso/communs.yaml"])
    assert options["include"] == ["/asso/main.beancount", "/asso/communs.yaml"]
    assert options[ANNEXES] == ["/asso/communs.yaml"]  # not a file Beancount parsed
    empty: dict = {}
    watch_files(empty, [])
    assert empty == {"include": [], ANNEXES: []}


def test_check_entries_sans_chargeur() -> None:
    entries, errors, _options = _load(
        "2025-01-01 open Actif:Banque EUR\n2025-01-01 open Actif:51-Banques:512-Banques EUR\n",
        plugin=False,
    )
    assert errors == []
    roots = {
        "actif": "Actif",
        "passif": "Passif",
        "fonds_propres": "Fonds-propres",
        "produits": "Produits",
        "charges": "Charges",
    }
    context = LedgerContext(Path("main.beancount"), Config(ConfigFile(), None), roots)
    found = check_entries(entries, context)
    assert [e.message.split(" : ")[0] for e in found] == ["Compte Actif:Banque"]


def test_greffon_enregistre() -> None:
    from communs_plugins.budget import budget
    from communs_plugins.cloture import cloture

    assert checks() == [
        ("communs_plugins.plan_comptable", plan_comptable),
        ("communs_plugins.budget", budget),
        ("communs_plugins.cloture", cloture),
    ]


def test_aucune_exception_meme_sur_des_entrees_invalides() -> None:
    weird = [data.Open(data.new_metadata("<x>", 1), None, "Actif:51-Banques", None, None)]
    _entries, found = plan_comptable(weird, {"filename": "<x>"})  # type: ignore[arg-type]
    assert len(found) == 1
    assert found[0].message.startswith("Erreur interne du greffon plan_comptable : ")
    _entries, found = plan_comptable([], {"filename": None})
    assert found == []
