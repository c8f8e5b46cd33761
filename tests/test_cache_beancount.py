"""Beancount's pickle cache never changes a figure.

Beancount keys its cache on the files listed in ``options_map["include"]``
(their names, modification times and sizes). The plugins add the config and side
files to that list, and :mod:`communs_ledger.cache` validates a cached result on
the ledger's path, the content of every file, the include patterns and the code
before Beancount replays it: a copied folder, a new file matched by an include
glob or a fixed error are seen at once. These tests use the real cache: threshold
0 so that even a tiny ledger is cached, restored afterwards (see
``beancount/loader.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

from communs_ledger.cache import code_fingerprint, guarded, manifest
from communs_ledger.chargement import load_livre
from conftest import (
    FOURNISSEUR,
    FOURNITURES,
    PLUGIN_LINE,
    VALID_2024,
    VALID_2025,
    VALID_ACCOUNTS,
    VALID_MAIN,
    VENV_BIN,
    errors_of,
    write_ledger,
    write_valid_ledger,
)

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


# --- The cache validated on content and location (communs_ledger.cache) ------------------

COPIE_CHARGE = f"""
2025-06-01 * "Fournisseur" "Achat exceptionnel"
  {FOURNITURES}  1000000.00 EUR
  {FOURNISSEUR}
"""


def _resultat(communs: Callable[..., Any], path: Path, exercice: str = "2025") -> str:
    """The résultat ``communs resultat`` prints (JSON), loading through the cache."""
    result = communs("resultat", "-f", str(path), "-e", exercice, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["totaux"]["resultat"]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_copie_au_cache_chaud_donne_les_chiffres_de_la_copie(
    tmp_path: Path, real_cache: None, communs: Callable[..., Any]
) -> None:
    """Issue 14 item 1: a copied folder brings the original's cache along; editing the
    copy must change the copy's figures (résultat 2025 by hand: produits 450 + 12 000
    + 1 170 (bénévolat), charges 1 800 + 1 170 → 10 650)."""
    orig = write_valid_ledger(tmp_path / "orig")
    assert _resultat(communs, orig) == "10650.00"
    assert (orig.parent / ".main.beancount.picklecache").exists()

    copie = Path(shutil.copytree(orig.parent, tmp_path / "copie")) / "main.beancount"
    assert (copie.parent / ".main.beancount.picklecache").exists()  # the warm cache came along
    _append(copie.parent / "2025.beancount", COPIE_CHARGE)
    # 10 650 − 1 000 000
    assert _resultat(communs, copie) == "-989350.00"
    assert _resultat(communs, orig) == "10650.00"
    # Every entry of the copy comes from the copy's files.
    livre = load_livre(copie)
    assert {Path(e.meta["filename"]).parent for e in livre.entries} == {copie.parent}


def test_bean_check_sur_une_copie_au_cache_chaud(tmp_path: Path, real_cache: None) -> None:
    """Plain ``bean-check`` reads the same cache: on a copy it must check the copy."""
    orig = write_valid_ledger(tmp_path / "orig")
    _entries, errors, _options = loader.load_file(str(orig))  # warm cache, as the demo leaves
    assert errors == []
    copie = Path(shutil.copytree(orig.parent, tmp_path / "copie")) / "main.beancount"
    _append(copie.parent / "2025.beancount", COPIE_CHARGE.replace(FOURNISSEUR, "Passif:Inconnu"))
    bean_check = VENV_BIN / "bean-check"
    done = subprocess.run(
        [str(bean_check), str(copie)], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{copie.parent / '2025.beancount'}:" in done.stdout + done.stderr
    assert "Passif:Inconnu" in done.stdout + done.stderr
    again = subprocess.run(
        [str(bean_check), str(orig)], capture_output=True, text=True, check=False, timeout=120
    )
    assert again.returncode == 0, again.stdout + again.stderr


PROJETS = """\
projets:
  - code: JARDINS
    nom: Jardins partagés
"""
PROJET_ECOLE = "  - code: ECOLE\n    nom: Jardiner à l'école\n"


def test_copie_fichier_de_configuration_modifie(tmp_path: Path, real_cache: None) -> None:
    """A side file (communs.yaml) edited in a copy: the copy's errors follow it."""
    body = BODY.replace('"Subvention"', '"Subvention"\n  projet: "ECOLE"')
    orig = write_ledger(tmp_path / "orig", body, config='exercice:\n  debut: "01-07"\n' + PROJETS)
    assert [e.message[:26] for e in errors_of(loader.load_file(str(orig))[1])] == [
        "Projet « ECOLE » inconnu :"
    ]
    copie = Path(shutil.copytree(orig.parent, tmp_path / "copie")) / "main.beancount"
    _append(copie.parent / "communs.yaml", PROJET_ECOLE)
    assert errors_of(loader.load_file(str(copie))[1]) == []
    assert len(errors_of(loader.load_file(str(orig))[1])) == 1


HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
BUDGET = """\
versions:
  - code: vote
    nom: BP voté en AG
    date: 2026-03-14
    lignes:
      - compte: "6226"
        montant: {montant}
"""


def _budgets_fava(path: Path) -> list[str]:
    """Monthly amounts of the Fava budgets the budget plugin makes for 6226."""
    entries, _errors, _options = loader.load_file(str(path))
    return sorted(
        {
            str(e.values[2].value.number)
            for e in entries
            if isinstance(e, data.Custom) and e.values[0].value == HONORAIRES
        }
    )


def test_copie_budget_modifie(tmp_path: Path, real_cache: None) -> None:
    """A budget (side YAML file read by the budget plugin) changed in a copy: Fava's
    budgets follow (1 200 € a year → 100 € a month; 2 400 € → 200 €)."""
    plugins = PLUGIN_LINE + 'plugin "communs_plugins.budget"\n'
    body = f"2025-01-01 open {BANQUE} EUR\n2025-01-01 open {HONORAIRES}\n"
    orig = write_ledger(
        tmp_path / "orig",
        body,
        plugin=plugins,
        config='budget:\n  fichiers:\n    "2026": budgets/budget.yaml\n',
    )
    (orig.parent / "budgets").mkdir()
    (orig.parent / "budgets" / "budget.yaml").write_text(BUDGET.format(montant=1200), "utf-8")
    assert _budgets_fava(orig) == ["0", "100.00"]  # 0: reset after the exercice
    copie = Path(shutil.copytree(orig.parent, tmp_path / "copie")) / "main.beancount"
    (copie.parent / "budgets" / "budget.yaml").write_text(BUDGET.format(montant=2400), "utf-8")
    assert _budgets_fava(copie) == ["0", "200.00"]
    assert _budgets_fava(orig) == ["0", "100.00"]  # 0: reset after the exercice


def test_contenu_change_sans_changer_taille_ni_date(
    tmp_path: Path, real_cache: None, communs: Callable[..., Any]
) -> None:
    """A restored file (same size, same modification time, other content) is seen."""
    path = write_valid_ledger(tmp_path)
    assert _resultat(communs, path) == "10650.00"
    exercice = tmp_path / "2025.beancount"
    before = exercice.stat()
    text = exercice.read_text(encoding="utf-8")
    assert text.count("1800.00 EUR") == 1
    exercice.write_text(text.replace("1800.00 EUR", "8100.00 EUR"), encoding="utf-8")
    os.utime(exercice, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (exercice.stat().st_size, exercice.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    # 12 450 + 1 170 − 8 100 − 1 170
    assert _resultat(communs, path) == "4350.00"


MOIS_MAIN = VALID_MAIN.replace('include "2025.beancount"\n', 'include "mois/*.beancount"\n')


def _mois_ledger(folder: Path) -> Path:
    path = write_ledger(
        folder,
        MOIS_MAIN,
        config='association:\n  nom: "Les Jardins de la Bièvre"\n',
        included={"comptes.beancount": VALID_ACCOUNTS, "2024.beancount": VALID_2024},
    )
    (folder / "mois").mkdir()
    return path


def test_nouveau_fichier_d_un_include_glob(
    tmp_path: Path, real_cache: None, communs: Callable[..., Any]
) -> None:
    """Issue 14 item 8: a new file matching ``include "mois/*.beancount"`` is loaded."""
    path = _mois_ledger(tmp_path)
    write_ledger(tmp_path / "mois", "", name="2025-01.beancount", plugin=None)
    _append(tmp_path / "mois" / "2025-01.beancount", VALID_2025)
    assert _resultat(communs, path) == "10650.00"
    write_ledger(tmp_path / "mois", "", name="2025-06.beancount", plugin=None)
    _append(tmp_path / "mois" / "2025-06.beancount", COPIE_CHARGE)
    assert _resultat(communs, path) == "-989350.00"


@pytest.mark.parametrize("include", ["mois/*.beancount", "mois/2025.beancount"])
def test_une_erreur_corrigee_disparait(tmp_path: Path, real_cache: None, include: str) -> None:
    """Issue 14 item 8: an include that matched nothing (glob or plain file) is an error;
    once the file exists the error is gone, without deleting the cache."""
    path = _mois_ledger(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("mois/*.beancount", include))
    livre = load_livre(path)
    # include line: 6 header lines + line 9 of VALID_MAIN
    assert [(Path(d.filename).name, d.line) for d in livre.diagnostics] == [("main.beancount", 15)]
    assert "mois/" in livre.diagnostics[0].message
    assert (tmp_path / ".main.beancount.picklecache").exists()
    write_ledger(tmp_path / "mois", "", name="2025.beancount", plugin=None)
    _append(tmp_path / "mois" / "2025.beancount", VALID_2025)
    livre = load_livre(path)
    assert livre.diagnostics == []
    assert len([e for e in livre.entries if isinstance(e, data.Transaction)]) == 11


def _cache_stamp(folder: Path) -> tuple[int, int]:
    stat = (folder / ".main.beancount.picklecache").stat()
    return stat.st_ino, stat.st_mtime_ns


def test_le_cache_reste_utilise_quand_rien_ne_change(tmp_path: Path, real_cache: None) -> None:
    """The validation keeps the speed benefit: unchanged files, the cache is replayed."""
    path = write_valid_ledger(tmp_path)
    first = load_livre(path)
    stamp = _cache_stamp(tmp_path)
    again = load_livre(path)
    assert _cache_stamp(tmp_path) == stamp  # not recomputed nor rewritten
    assert again.entries == first.entries
    # bean-check replays it too (a rewrite would change the file's time).
    done = subprocess.run(
        [str(VENV_BIN / "bean-check"), str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert _cache_stamp(tmp_path) == stamp


def test_une_mise_a_jour_de_communs_invalide_le_cache(
    tmp_path: Path, real_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New code or chart data may compute other figures: the cache is not replayed."""
    import communs_ledger

    path = write_valid_ledger(tmp_path)
    load_livre(path)
    stamp = _cache_stamp(tmp_path)
    monkeypatch.setattr(communs_ledger, "__version__", "99.0")
    code_fingerprint.cache_clear()
    try:
        load_livre(path)
        assert _cache_stamp(tmp_path) != stamp
    finally:
        monkeypatch.undo()
        code_fingerprint.cache_clear()


def test_cache_ecrit_sans_les_greffons_communs(tmp_path: Path, real_cache: None) -> None:
    """A cache Beancount wrote alone (a ledger without communs plugins, checked with
    bean-check) is not trusted by ``communs``: it is dropped and the copy reloaded."""
    orig = write_valid_ledger(tmp_path / "orig", plugin=None)
    loader.load_file(str(orig))  # no communs plugin: Beancount's own cache only
    copie = Path(shutil.copytree(orig.parent, tmp_path / "copie")) / "main.beancount"
    _append(copie.parent / "2025.beancount", COPIE_CHARGE)
    livre = load_livre(copie)
    assert {Path(e.meta["filename"]).parent for e in livre.entries} == {copie.parent}
    assert len([e for e in livre.entries if isinstance(e, data.Transaction)]) == 12


def test_nouveau_justificatif_dans_documents(tmp_path: Path, real_cache: None) -> None:
    """Beancount turns the files of the ``documents`` folders into entries: a new one
    is seen."""
    body = f'option "documents" "pieces"\n2025-01-01 open {BANQUE} EUR\n'
    path = write_ledger(tmp_path, body)
    folder = tmp_path / "pieces" / Path(*BANQUE.split(":"))
    folder.mkdir(parents=True)
    (folder / "2025-01-02.releve.pdf").write_bytes(b"%PDF")

    def documents() -> int:
        entries = loader.load_file(str(path))[0]
        return len([e for e in entries if isinstance(e, data.Document)])

    assert documents() == 1
    (folder / "2025-02-02.releve.pdf").write_bytes(b"%PDF")
    assert documents() == 2


def test_chemin_non_normalise(tmp_path: Path, real_cache: None) -> None:
    """``bean-check dossier/./main.beancount``: the cache is still guarded, and reused."""
    path = write_valid_ledger(tmp_path)
    detour = f"{tmp_path}/./main.beancount"
    _entries, _errors, options = loader.load_file(detour)
    assert guarded(options)
    stamp = _cache_stamp(tmp_path)
    _entries, _errors, options = loader.load_file(detour)
    assert guarded(options)
    assert _cache_stamp(tmp_path) == stamp
    _entries, _errors, options = loader.load_file(str(path))
    assert guarded(options)


def test_cle_de_contenu(tmp_path: Path) -> None:
    """The manifest's key (for a content-keyed cache of our own) follows the content of
    the sources and side files, not their dates."""
    path = write_valid_ledger(tmp_path)

    def key() -> str:
        return manifest(loader._uncached_load_file(str(path), None, None, None)[2]).key

    first = key()
    config = tmp_path / "communs.yaml"
    os.utime(config, ns=(0, 0))
    assert key() == first
    _append(config, "# commentaire\n")
    assert key() != first


def test_communs_ecrit_le_cache_sous_le_seuil_de_beancount(tmp_path: Path) -> None:
    """Beancount writes its cache only for loads over 1 s; with the garbage collector paused
    our loads of a 10 000-entry ledger take less, so communs never wrote it and paid the
    full load on every command. ``load_raw`` lowers that threshold (here to 0, in a fresh
    process so that Beancount's module state is its own)."""
    path = write_ledger(tmp_path, BODY)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from communs_ledger import chargement\n"
        "chargement.CACHE_THRESHOLD = 0.0\n"
        "chargement.load_raw(Path(sys.argv[1]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "BEANCOUNT_DISABLE_LOAD_CACHE"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".main.beancount.picklecache").exists()
