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
from communs_plugins.plan_comptable import (
    ACCOUNT_RULES,
    ANNEXES,
    CODE_RULES,
    RULES,
    check_accounts,
    check_code_known,
    check_contributions_alone,
    check_contributions_balanced,
    check_entries,
    check_extends_parent,
    check_extends_postable,
    check_not_heading,
    check_not_retired,
    check_numbered,
    check_projects,
    check_root_fits_nature,
    plan_comptable,
    watch_files,
)

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


# --- One test per rule: the example of its docstring, exact message and line -------------


def _errors(text: str) -> list[tuple[int, str]]:
    """(line, message) of the plugin's errors; the ledger's first line is line 7."""
    _entries, errors, _options = _load(text)
    return [(e.source["lineno"], e.message) for e in errors]


def test_regle_compte_numerote() -> None:
    assert _errors("2025-01-01 open Actif:Banque EUR\n") == [
        (
            7,
            "Compte Actif:Banque : aucun composant numéroté ; le plan comptable exige un "
            "numéro de compte (ex. Actif:51-Banques:512-Banque:Credit-Cooperatif)",
        )
    ]


def test_regle_sous_compte_prolonge_son_parent() -> None:
    assert _errors("2025-01-01 open Charges:60-Achats:6132-Loyer\n") == [
        (
            7,
            "Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne prolonge pas le numéro de "
            "son parent « 60-Achats » : un sous-compte de 60 doit avoir un numéro plus long "
            "commençant par 60",
        )
    ]


def test_regle_numero_connu() -> None:
    assert _errors("2025-01-01 open Actif:99-Divers\n") == [
        (
            7,
            "Compte Actif:99-Divers : le numéro 99 n'existe pas dans le plan comptable associatif",
        )
    ]


_SUGGESTIONS_60 = (
    " ; choisissez par exemple : 601 Achats stockés - Matières premières et fournitures, "
    "602 Achats stockés - Autres approvisionnements, 603 Variation des stocks "
    "d'approvisionnements et de marchandises, 604 Achats d'études et prestations de services…"
)


def test_regle_pas_de_titre() -> None:
    assert _errors("2025-01-01 open Charges:60-Achats\n") == [
        (
            7,
            "Compte Charges:60-Achats : 60 « Achats (sauf 603) » est un titre, non "
            "mouvementable : ouvrez un sous-compte" + _SUGGESTIONS_60,
        )
    ]


def test_regle_prolonge_un_compte_mouvementable() -> None:
    assert _errors("2025-01-01 open Charges:60-Achats:6000-Divers\n") == [
        (
            7,
            "Compte Charges:60-Achats:6000-Divers : 6000 n'est pas dans le plan comptable et "
            "prolonge seulement le titre 60 « Achats (sauf 603) », non mouvementable"
            + _SUGGESTIONS_60,
        )
    ]


def test_regle_compte_retire() -> None:
    assert _errors("2025-01-01 open Produits:77-Exceptionnels:7715-Equilibre\n") == [
        (
            7,
            "Compte Produits:77-Exceptionnels:7715-Equilibre : 7715 « Subventions d'équilibre » "
            "est retiré du plan comptable pour les exercices ouverts à partir du 1er janvier "
            "2025 : utilisez 742 « Subventions d'équilibre » (les subventions d'équilibre "
            "passent en produits d'exploitation)",
        )
    ]


def test_regle_racine_conforme_a_la_nature() -> None:
    assert _errors("2025-01-01 open Produits:60-Achats:6064-Fournitures\n") == [
        (
            7,
            "Compte Produits:60-Achats:6064-Fournitures : 6064 « Fournitures administratives » "
            "relève de la nature « Charge » : il doit être sous Charges, pas sous Produits",
        )
    ]


_CVN_OPENS = """\
2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2025-01-01 open Charges:86-Emplois-des-CVN:864-Personnel-benevole
2025-01-01 open Produits:87-CVN:875-Benevolat
2025-01-01 open Charges:62-Autres-services-exterieurs:6257-Receptions
"""


def test_regle_contributions_en_nature_seules() -> None:
    found = _errors(
        _CVN_OPENS
        + """\
2025-06-01 * "Bénévolat"
  Charges:86-Emplois-des-CVN:864-Personnel-benevole      300.00 EUR
  Produits:87-CVN:875-Benevolat                         -300.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant            -10.00 EUR
  Charges:62-Autres-services-exterieurs:6257-Receptions   10.00 EUR
"""
    )
    assert found == [
        (
            11,
            "Une écriture de contributions volontaires en nature (86/87) ne doit contenir que "
            "des comptes 86 et 87 ; comptes d'autres classes : "
            "Actif:51-Banques:512-Banques:Compte-courant, "
            "Charges:62-Autres-services-exterieurs:6257-Receptions",
        )
    ]


def test_regle_contributions_en_nature_equilibrees() -> None:
    found = _errors(
        _CVN_OPENS
        + """\
2025-06-01 * "Bénévolat"
  Charges:86-Emplois-des-CVN:864-Personnel-benevole  300.00 EUR
  Produits:87-CVN:875-Benevolat                     -300.00 EUR
2025-07-01 * "Bénévolat valorisé contre la banque (erreur)"
  Charges:86-Emplois-des-CVN:864-Personnel-benevole   50.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant         -50.00 EUR
"""
    )
    assert found[1:] == [
        (
            14,
            "Exercice 2025 : le total des emplois des contributions volontaires en nature (86) "
            "vaut 350,00\xa0€ et celui des ressources (87) 300,00\xa0€ ; ils doivent être égaux",
        )
    ]
    assert found[0][0] == 14 and found[0][1].startswith("Une écriture de contributions")


def test_regle_projets_declares(tmp_path: Path) -> None:
    (tmp_path / "communs.yaml").write_text(
        "projets:\n  - code: JARDINS\n    nom: Jardins\n  - code: ECOLE\n    nom: École\n",
        encoding="utf-8",
    )
    main = tmp_path / "main.beancount"
    main.write_text(
        HEADER
        + 'plugin "communs_plugins.plan_comptable"\n'
        + """\
2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2025-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-associatifs
2025-02-02 * "Apport"
  projet: "JARDIN"
  Actif:51-Banques:512-Banques:Compte-courant  50.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-associatifs
""",
        encoding="utf-8",
    )
    _entries, errors, _options = loader.load_file(str(main))
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (
            9,
            "Projet « JARDIN » inconnu : les projets déclarés dans la configuration sont "
            "ECOLE, JARDINS",
        )
    ]


def test_les_regles_dans_l_ordre_des_erreurs() -> None:
    assert (
        check_contributions_alone,
        check_accounts,
        check_contributions_balanced,
        check_projects,
    ) == RULES
    assert (check_numbered, check_extends_parent) == ACCOUNT_RULES
    assert (
        check_code_known,
        check_not_heading,
        check_extends_postable,
        check_not_retired,
        check_root_fits_nature,
    ) == CODE_RULES
