"""Tests beside the plugin: the docstring's contract through the real loader and files.

The closing command (checks, writing the lock, reopening) is tested in
``tests/test_cloture.py``.
"""

from __future__ import annotations

import os
import textwrap
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from beancount import loader

from communs_ledger.cloture.verrou import cloture_de
from communs_ledger.cloture.verrou import lire_verrou as lire
from communs_ledger.cloture.verrou import texte_du_verrou as texte
from communs_plugins import checks
from communs_plugins.cloture import (
    CLOSING_RULES,
    check_missing,
    check_openings,
    check_refused,
    cloture,
)

HEADER = """\
option "name_assets" "Actif"
option "name_liabilities" "Passif"
option "name_equity" "Fonds-propres"
option "name_income" "Produits"
option "name_expenses" "Charges"
plugin "communs_plugins.cloture"
"""
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
ACHATS = "Charges:60-Achats:6063-Petit-equipement"
BODY = f"""\
2024-01-01 open {BANQUE} EUR
2024-01-01 open {ACHATS}

2024-03-22 * "EDF" "Facture annuelle"
  {ACHATS}  86.40 EUR
  {BANQUE}

2025-01-01 balance {BANQUE}  -86.40 EUR
"""
LINE_EDF = 10  # 6 header lines, then the body: the transaction is on its 4th line


def _ledger(folder: Path, body: str = BODY) -> Path:
    path = folder / "main.beancount"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def _close_2024(main: Path) -> None:
    import datetime

    entries, errors, _options = loader.load_file(str(main))
    assert not errors
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
    record = cloture_de(entries, "2024", start, end, datetime.date(2025, 5, 2), main.parent)
    (main.parent / "clotures.yaml").write_text(texte([record]), encoding="utf-8")


def _messages(main: Path) -> list[tuple[str, int, str]]:
    _entries, errors, _options = loader.load_file(str(main))
    return sorted((Path(e.source["filename"]).name, e.source["lineno"], e.message) for e in errors)


def test_without_lock_file_nothing_happens(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    entries, errors, options = loader.load_file(str(main))
    assert errors == []
    again, found = cloture(entries, options)
    assert again is entries and found == []
    assert str(tmp_path / "clotures.yaml") in options["include"]  # the cache follows it


def test_unchanged_closed_exercice_passes_and_records_every_entry(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    _close_2024(main)
    assert _messages(main) == []
    (recorded,) = lire(tmp_path / "clotures.yaml")
    # 2 open + 1 transaction in 2024, and the balance of 2025-01-01 (end of 2024).
    assert recorded.ecritures == 4 and recorded.ligne == 6


def test_changed_added_and_removed_entries_are_refused(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    _close_2024(main)
    changed = BODY.replace("86.40 EUR", "68.40 EUR")
    added = (
        changed + f'\n2024-12-20 * "Quincaillerie" "Sécateurs"\n  {ACHATS}  42.00 EUR\n  {BANQUE}\n'
    )
    main.write_text(HEADER + added, encoding="utf-8")
    found = [(name, line, msg) for name, line, msg in _messages(main) if "clôturé" in msg]
    # The changed balance of 2025-01-01 (line 14) checks the end of 2024: locked too.
    assert [(name, line) for name, line, _ in found] == [
        ("clotures.yaml", 6),
        ("main.beancount", LINE_EDF),
        ("main.beancount", 14),
        ("main.beancount", 16),
    ]
    assert "2 écritures enregistrées à la clôture sont introuvables" in found[0][2]
    assert found[1][2].startswith("Écriture du 22/03/2024 « EDF – Facture annuelle » dans ")
    assert "clôturé le 02/05/2025" in found[1][2]
    assert "communs cloture rouvrir --exercice 2024" in found[3][2]


def test_entries_outside_closed_exercices_are_free(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    _close_2024(main)
    later = BODY + (
        f'\n2025-02-01 * "Quincaillerie" "Sécateurs"\n  {ACHATS}  42.00 EUR\n  {BANQUE}\n'
        f"\n2025-03-01 balance {BANQUE}  -100.00 EUR\n"
    )
    main.write_text(HEADER + later, encoding="utf-8")
    # The changed 2025 balance fails on its own (Beancount), not because of the lock.
    assert [m for m in _messages(main) if "clôturé" in m[2]] == []


def test_comments_and_moves_do_not_count(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    _close_2024(main)
    main.write_text(HEADER + "; un commentaire\n\n" + BODY, encoding="utf-8")
    assert _messages(main) == []


def test_unreadable_lock_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    (tmp_path / "clotures.yaml").write_text("clotures:\n  - debut: 2024-01-01\n", encoding="utf-8")
    assert _messages(main) == [("clotures.yaml", 2, "clôture sans « exercice »")]


def test_registered_for_communs_verifier() -> None:
    assert ("communs_plugins.cloture", cloture) in checks()


def test_duplicate_entries_are_counted_one_by_one(tmp_path: Path) -> None:
    """Two identical cotisations the same day: removing one of them is seen."""
    twice = BODY + f'\n2024-05-02 * "Cotisation"\n  {BANQUE}  20.00 EUR\n  {ACHATS}\n' * 2
    main = _ledger(tmp_path, twice.replace("-86.40 EUR", "-46.40 EUR"))
    _close_2024(main)
    assert _messages(main) == []
    once = BODY + f'\n2024-05-02 * "Cotisation"\n  {BANQUE}  20.00 EUR\n  {ACHATS}\n'
    main.write_text(HEADER + once.replace("-86.40 EUR", "-66.40 EUR"), encoding="utf-8")
    (found,) = [m for m in _messages(main) if "introuvable" in m[2]]
    assert found[:2] == ("clotures.yaml", 6)
    # The cotisation and the balance of 2025-01-01 as it was (-46.40).
    assert "2 écritures enregistrées à la clôture sont introuvables" in found[2]


def test_unchanged_files_are_not_looked_into(tmp_path: Path) -> None:
    """Fast path: a file with the recorded SHA-256 is trusted (here the recorded
    fingerprints are blanked: no error while the file is unchanged, errors once it is)."""
    main = _ledger(tmp_path)
    _close_2024(main)
    lock = tmp_path / "clotures.yaml"
    (recorded,) = lire(lock)
    blanked = {
        name: replace(fichier, empreintes=Counter()) for name, fichier in recorded.fichiers.items()
    }
    lock.write_text(texte([replace(recorded, fichiers=blanked)]), encoding="utf-8")
    assert _messages(main) == []
    main.write_text(HEADER + "; un commentaire\n" + BODY, encoding="utf-8")
    assert len([m for m in _messages(main) if "refusée" in m[2]]) == 4


def test_pickle_cache_follows_the_lock_file(tmp_path: Path) -> None:
    """Closing after a cached load must not be hidden by Beancount's cache: the lock
    file is watched even before it exists."""
    threshold = loader.PICKLE_CACHE_THRESHOLD
    loader.PICKLE_CACHE_THRESHOLD = 0
    loader.initialize(use_cache=True)
    try:
        main = _ledger(tmp_path)
        assert _messages(main) == []
        assert (tmp_path / ".main.beancount.picklecache").exists()
        _close_2024(main)
        (recorded,) = lire(tmp_path / "clotures.yaml")
        empty = {
            name: replace(f, sha256="", empreintes=Counter())
            for name, f in recorded.fichiers.items()
        }
        (tmp_path / "clotures.yaml").write_text(texte([replace(recorded, fichiers=empty)]))
        assert len([m for m in _messages(main) if "refusée" in m[2]]) == 4
    finally:
        loader.PICKLE_CACHE_THRESHOLD = threshold
        loader.initialize(use_cache=os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None)


def test_record_of_an_earlier_format_asks_for_a_renewal(tmp_path: Path) -> None:
    """A record written before version 2 (amounts as written, no openings) cannot be
    checked: one clear error at its line, instead of every entry refused."""
    main = _ledger(tmp_path)
    _close_2024(main)
    lock = tmp_path / "clotures.yaml"
    lock.write_text(lock.read_text(encoding="utf-8").replace("    version: 2\n", ""))
    ((name, line, message),) = _messages(main)
    assert (name, line) == ("clotures.yaml", 6)
    assert message.startswith("Exercice 2024 clôturé le 02/05/2025 par une autre version")
    assert "communs cloture rouvrir --exercice 2024" in message


# --- One test per rule: the example of its docstring, exact message and line -------------

CLOSED = "Exercice 2024 clôturé le 02/05/2025"


def test_regle_ecriture_modifiee_refusee(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    _close_2024(main)
    main.write_text(HEADER + BODY.replace("86.40 EUR", "68.40 EUR"), encoding="utf-8")
    assert _messages(main)[1] == (
        "main.beancount",
        LINE_EDF,
        "Écriture du 22/03/2024 « EDF – Facture annuelle » dans l'exercice 2024, clôturé le "
        "02/05/2025 : écriture nouvelle ou modifiée refusée (communs cloture rouvrir "
        "--exercice 2024 pour rouvrir l'exercice)",
    )


def test_regle_ecriture_enregistree_introuvable(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    _close_2024(main)
    edf = f'2024-03-22 * "EDF" "Facture annuelle"\n  {ACHATS}  86.40 EUR\n  {BANQUE}\n'
    main.write_text(HEADER + BODY.replace(edf, ""), encoding="utf-8")
    assert _messages(main)[0] == (
        "clotures.yaml",
        6,
        f"{CLOSED} : 1 écriture enregistrée à la clôture est introuvable "
        "(supprimée(s) ou modifiée(s))",
    )


def test_regle_soldes_d_ouverture_inchanges(tmp_path: Path) -> None:
    fonds = "Fonds-propres:10-Fonds-propres:102-Fonds-associatifs"
    body = f"""\
2023-01-01 open {BANQUE} EUR
2023-01-01 open {fonds}
2024-01-01 open {ACHATS}

2023-06-01 * "Apport"
  {BANQUE}  100.00 EUR
  {fonds}

2024-03-22 * "EDF" "Facture annuelle"
  {ACHATS}  86.40 EUR
  {BANQUE}
"""
    main = _ledger(tmp_path, body)
    _close_2024(main)
    main.write_text(HEADER + body.replace("100.00", "120.00"), encoding="utf-8")
    assert _messages(main) == [
        (
            "clotures.yaml",
            6,
            f"{CLOSED} : ses soldes d'ouverture au 01/01/2024 ont changé (écriture antérieure "
            "à l'exercice ajoutée, modifiée ou supprimée) ; un exercice clôturé ne change pas, "
            "à-nouveaux compris",
        )
    ]


def test_regle_version_des_empreintes(tmp_path: Path) -> None:
    main = _ledger(tmp_path)
    _close_2024(main)
    lock = tmp_path / "clotures.yaml"
    lock.write_text(lock.read_text(encoding="utf-8").replace("    version: 2\n", ""))
    assert _messages(main) == [
        (
            "clotures.yaml",
            6,
            f"{CLOSED} par une autre version de communs-ledger (empreintes d'un autre format) : "
            "le verrou ne peut pas être contrôlé ; renouvelez-le : communs cloture rouvrir "
            "--exercice 2024, puis communs cloture --exercice 2024 --ecrire (dans l'ordre des "
            "exercices)",
        )
    ]


def test_regle_trace_de_cloture_sans_enregistrement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    main = _ledger(tmp_path, BODY + '\n2025-05-02 custom "cloture" "2024" "abc"\n')
    assert _messages(main) == [
        (
            "main.beancount",
            16,
            "Exercice 2024 clôturé (trace du 02/05/2025) : clotures.yaml n'enregistre plus "
            "cette clôture (fichier supprimé, vidé ou remplacé, ou « clotures: » de "
            "communs.yaml changé) ; le verrou ne se lève que par communs cloture rouvrir "
            "--exercice 2024, qui en laisse la trace dans le grand livre",
        )
    ]


def test_regle_resultat_hors_affectation(tmp_path: Path) -> None:
    resultat = "Fonds-propres:12-Resultat:120-Excedent"
    reserves = "Fonds-propres:10-Fonds-propres:106-Reserves"
    main = _ledger(
        tmp_path,
        f"""\
2025-01-01 open {resultat}
2025-01-01 open {reserves}

2025-03-01 * "Virement du résultat"
  {resultat}  -500.00 EUR
  {reserves}
""",
    )
    assert _messages(main) == [
        (
            "main.beancount",
            10,
            f"Écriture du 01/03/2025 « Virement du résultat » : le compte {resultat} (résultat "
            "de l'exercice) ne reçoit pas d'écriture. Le résultat est calculé à partir des "
            "classes 6 et 7 : une écriture en 12 le compterait deux fois au bilan, qui "
            "différerait alors du compte de résultat. L'affectation du résultat se passe avec "
            "communs cloture affecter",
        )
    ]


def test_les_regles_dans_l_ordre_des_erreurs() -> None:
    assert (check_refused, check_missing, check_openings) == CLOSING_RULES


RESULTAT = "Fonds-propres:12-Resultat:120-Excedent"
RESERVES = "Fonds-propres:10-Fonds-propres:106-Reserves"
ERREUR_RESULTAT = (
    f"Écriture du 01/03/2025 « Virement du résultat » : le compte {RESULTAT} (résultat "
    "de l'exercice) ne reçoit pas d'écriture. Le résultat est calculé à partir des "
    "classes 6 et 7 : une écriture en 12 le compterait deux fois au bilan, qui "
    "différerait alors du compte de résultat. L'affectation du résultat se passe avec "
    "communs cloture affecter"
)


AFTER_CHART = HEADER.replace(
    'plugin "communs_plugins.cloture"',
    'plugin "communs_plugins.plan_comptable"\nplugin "communs_plugins.budget"\n'
    'plugin "communs_plugins.cloture"',
)
"""The header with the plugins in their usual order: this one reuses what the plan comptable
plugin's pass found (its open and custom directives, the accounts used)."""


def test_regle_trace_apres_le_plan_comptable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The closing trace is found among the custom directives of the plan comptable
    plugin's pass (line 18: 8 header lines, the body, then the trace)."""
    monkeypatch.chdir(tmp_path)
    main = tmp_path / "main.beancount"
    main.write_text(AFTER_CHART + BODY + '\n2025-05-02 custom "cloture" "2024" "abc"\n')
    assert [(name, line) for name, line, _message in _messages(main)] == [("main.beancount", 18)]


def test_resultat_hors_affectation_apres_le_plan_comptable(tmp_path: Path) -> None:
    """After the plan comptable plugin (and the budget one), the accounts its pass found used
    are reused: the posting on 120 is still found (line 12: 8 header lines, then the body)."""
    body = f"""\
2025-01-01 open {RESULTAT}
2025-01-01 open {RESERVES}

2025-03-01 * "Virement du résultat"
  {RESULTAT}  -500.00 EUR
  {RESERVES}
"""
    main = tmp_path / "main.beancount"
    main.write_text(AFTER_CHART + body, encoding="utf-8")
    assert _messages(main) == [("main.beancount", 12, ERREUR_RESULTAT)]
    # 120 only opened: nothing to report
    main.write_text(main.read_text(encoding="utf-8").split("\n2025-03-01")[0], encoding="utf-8")
    assert _messages(main) == []


def test_resultat_hors_affectation_apres_un_autre_greffon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin between the plan comptable one and this one may add transactions: the accounts
    the plan comptable plugin found used are not trusted then. Here it adds the transfer of
    the result, at line 99 of the ledger."""
    (tmp_path / "greffon_virement.py").write_text(
        textwrap.dedent(
            f"""\
            import datetime
            from decimal import Decimal
            from beancount.core import data
            from beancount.core.amount import Amount

            __plugins__ = ("virement",)

            def virement(entries, options_map):
                meta = data.new_metadata(options_map["filename"], 99)
                postings = [
                    data.Posting("{RESULTAT}", Amount(Decimal("-500.00"), "EUR"),
                                 None, None, None, None),
                    data.Posting("{RESERVES}", Amount(Decimal("500.00"), "EUR"),
                                 None, None, None, None),
                ]
                added = data.Transaction(meta, datetime.date(2025, 3, 1), "*", None,
                                         "Virement du résultat", frozenset(), frozenset(),
                                         postings)
                return entries + [added], []
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    main = tmp_path / "main.beancount"
    main.write_text(
        HEADER.replace(
            'plugin "communs_plugins.cloture"',
            'plugin "communs_plugins.plan_comptable"\nplugin "greffon_virement"\n'
            'plugin "communs_plugins.cloture"',
        )
        + f"2025-01-01 open {RESULTAT}\n2025-01-01 open {RESERVES}\n",
        encoding="utf-8",
    )
    assert _messages(main) == [("main.beancount", 99, ERREUR_RESULTAT)]
