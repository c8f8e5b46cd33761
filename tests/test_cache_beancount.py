"""Beancount's pickle cache is invalidated when ``communs.yaml`` changes.

Beancount keys its cache on the files listed in ``options_map["include"]``
(their names, modification times and sizes). The plugin adds the config file to
that list, so a change of the config reloads the ledger instead of replaying
stale errors. These tests use the real cache: threshold 0 so that even a tiny
ledger is cached, restored afterwards (see ``beancount/loader.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from beancount import loader

from conftest import errors_of, write_ledger

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
BODY = f"""\
2024-07-01 open {BANQUE} EUR
2024-07-01 open Produits:74-Subventions:7401-Etat

2025-03-03 * "Préfecture" "Subvention"
  {BANQUE}  3000.00 EUR
  Produits:74-Subventions:7401-Etat
"""


@pytest.fixture
def real_cache() -> Iterator[None]:
    threshold = loader.PICKLE_CACHE_THRESHOLD
    loader.PICKLE_CACHE_THRESHOLD = 0
    loader.initialize(use_cache=True)
    try:
        yield
    finally:
        loader.PICKLE_CACHE_THRESHOLD = threshold
        loader.initialize(use_cache=os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None)


def _stamp(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _rewrite(path: Path, text: str) -> None:
    """Replace a file's content, making sure its size and modification time both change."""
    before = path.stat()
    assert len(text.encode("utf-8")) != before.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))
    after = path.stat()
    assert (after.st_mtime_ns, after.st_size) != (before.st_mtime_ns, before.st_size)


def test_modifier_communs_yaml_invalide_le_cache(tmp_path: Path, real_cache: None) -> None:
    config = tmp_path / "communs.yaml"
    path = write_ledger(tmp_path, BODY, config='exercice:\n  debut: "01-01"\n')
    cache = tmp_path / ".main.beancount.picklecache"
    assert not cache.exists()

    entries, errors, options = loader.load_file(str(path))
    assert cache.exists()
    # Calendar exercices: 2025-03-03 is in exercice 2025, chart 2025, where 74 is a heading.
    assert [(e.ligne, e.message.split(" : ")[1]) for e in errors_of(errors)] == [
        (10, "dans l'exercice 2025 (plan 2025)")
    ]

    # Control: nothing changed, the cache is used (file untouched, same result).
    stamp = _stamp(cache)
    entries_again, errors_again, _ = loader.load_file(str(path))
    assert _stamp(cache) == stamp
    assert entries_again == entries
    assert errors_of(errors_again) == errors_of(errors)

    # Exercices from 1 July: 2025-03-03 is in the exercice opened on 2024-07-01, chart 2018.
    _rewrite(config, 'exercice:\n  debut: "01-07"   # juillet\n')
    _entries, errors, options = loader.load_file(str(path))
    assert errors == []
    assert _stamp(cache) != stamp  # recomputed and rewritten

    # A config error appears at once, at its line; the valid sections are kept
    # (exercices from 1 July still apply: no spurious 7401 error).
    _rewrite(config, 'exercice:\n  debut: "01-07"\nprojet: []\n')
    _entries, errors, _ = loader.load_file(str(path))
    assert [(e.fichier, e.ligne, e.message) for e in errors_of(errors)] == [
        ("communs.yaml", 3, "clé inconnue « projet » : vouliez-vous dire « projets » ?"),
    ]

    # An invalid exercice section falls back to calendar exercices: the 7401 error is back.
    _rewrite(config, 'exercice:\n  debut: "31-02"\n')
    _entries, errors, _ = loader.load_file(str(path))
    assert [(e.fichier, e.ligne, e.message[:41]) for e in errors_of(errors)] == [
        ("communs.yaml", 2, "exercice.debut : « 31-02 » n'est pas un j"),
        ("main.beancount", 10, "Compte Produits:74-Subventions:7401-Etat "),
    ]
    # How: the plugin lists the config among the files the cache depends on.
    assert str(config) in options["include"]


def test_creer_communs_yaml_apres_coup_invalide_le_cache(tmp_path: Path, real_cache: None) -> None:
    path = write_ledger(tmp_path, BODY)
    config = tmp_path / "communs.yaml"
    _entries, errors, options = loader.load_file(str(path))
    assert len(errors) == 1

    config.write_text('exercice:\n  debut: "01-07"\n', encoding="utf-8")
    _entries, errors, _ = loader.load_file(str(path))
    assert errors == []
    assert str(config) in options["include"]  # watched even before it existed


def test_sans_cache_le_fichier_n_est_pas_cree(tmp_path: Path) -> None:
    """Sanity check of the fixture's effect: below the default 1 s threshold, no cache file."""
    threshold = loader.PICKLE_CACHE_THRESHOLD
    try:
        loader.PICKLE_CACHE_THRESHOLD = 3600
        loader.initialize(use_cache=True)
        path = write_ledger(tmp_path, BODY)
        loader.load_file(str(path))
        assert not (tmp_path / ".main.beancount.picklecache").exists()
    finally:
        loader.PICKLE_CACHE_THRESHOLD = threshold
        loader.initialize(use_cache=os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None)
