"""The results cache (:mod:`communs_ledger.result_cache`) never changes an output.

A report command (and ``communs verifier``) run a second time on unchanged files takes
its result from the cache, without loading the ledger: its output must be byte-identical
to the first run's and to a run without the cache (``COMMUNS_SANS_CACHE=1``), and any
change of any source or side file, of the options, of the day, of a ``COMMUNS_*``
variable or of the code must compute the result again.

A hit is proved in process by :func:`communs_ledger.chargement.loads_recorded` (no load
of the ledger during the command) and, in a fresh process, by Beancount never being
imported (:data:`TEMOIN`, a wrapper of the ``communs`` entry point).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communs_ledger import result_cache
from communs_ledger.application.generateur import generate_ledger
from communs_ledger.cache import code_fingerprint
from communs_ledger.chargement import loads_recorded
from communs_ledger.cli.en_cache import RAPPORTS_EN_CACHE
from conftest import (
    EXEMPLE_DIR,
    FOURNISSEUR,
    FOURNITURES,
    PLUGIN_LINE,
    VALID_2025,
    VALID_ACCOUNTS,
    VALID_MAIN,
    write_ledger,
    write_valid_ledger,
)

FORMATS = ("table", "json", "csv")
COMMANDES = sorted(RAPPORTS_EN_CACHE)
ARGUMENTS = {"compte-rendu": ("COM-FONCT-2026",)}
"""Arguments a command needs (a convention of the example)."""


Communs = Callable[..., Any]


def _run(communs: Communs, *args: str, env: dict[str, str | None] | None = None) -> Any:
    """``communs ARGS`` in process, with the loads of the ledger it did."""
    with loads_recorded() as loads:
        result = communs(*args, env=env)
    result.loads = len(loads)
    return result


def _same(first: Any, second: Any) -> None:
    assert (second.exit_code, second.output) == (first.exit_code, first.output)


def _cold_warm_off(communs: Communs, *args: str) -> None:
    """First run computes (one load), second is a hit (no load), a run without the
    cache loads again: the three outputs and exit codes are identical."""
    cold = _run(communs, *args)
    warm = _run(communs, *args)
    off = _run(communs, *args, env={"COMMUNS_SANS_CACHE": "1"})
    _same(cold, warm)
    _same(cold, off)
    assert (cold.loads, off.loads) == (1, 1)
    assert warm.loads == (0 if cold.exit_code == 0 else 1), cold.output  # errors: computed


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> Path:
    """Each test starts with an empty results cache of its own."""
    folder = tmp_path_factory.mktemp("cache-communs")
    monkeypatch.setenv("COMMUNS_CACHE", str(folder))
    return folder


# --- Equality -----------------------------------------------------------------------------


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    transactions=st.integers(min_value=20, max_value=150),
    graine=st.integers(min_value=0, max_value=10_000),
    commande=st.sampled_from(COMMANDES),
)
def test_meme_sortie_avec_et_sans_cache(
    communs: Communs, transactions: int, graine: int, commande: str
) -> None:
    """On generated ledgers, every cached command in every format prints the same bytes
    cold, warm (a hit) and without the cache."""
    folder = Path(tempfile.mkdtemp(prefix="communs-genere-"))
    try:
        ledger = generate_ledger(folder / "asso", transactions, graine).main
        for format in FORMATS:
            args = (*commande.split(), *ARGUMENTS.get(commande, ()), "-f", str(ledger))
            _cold_warm_off(communs, *args, "--format", format)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("commande", COMMANDES)
def test_meme_sortie_sur_l_exemple(tmp_path: Path, communs: Communs, commande: str) -> None:
    """The example association: every cached command, table, json and csv."""
    ledger = Path(shutil.copytree(EXEMPLE_DIR, tmp_path / "asso")) / "main.beancount"
    args = (*commande.split(), *ARGUMENTS.get(commande, ()), "-f", str(ledger))
    for format in FORMATS:
        _cold_warm_off(communs, *args, "--format", format)


def test_verifier_meme_sortie(tmp_path: Path, communs: Communs) -> None:
    ledger = Path(shutil.copytree(EXEMPLE_DIR, tmp_path / "asso")) / "main.beancount"
    for format in ("table", "json"):
        _cold_warm_off(communs, "verifier", str(ledger), "--format", format)


def test_un_fichier_ecrit_est_le_meme(tmp_path: Path, communs: Communs) -> None:
    """``--sortie``: the file written on a hit has the same bytes (the cached report goes
    through the same output path)."""
    ledger = write_valid_ledger(tmp_path / "asso")
    for nom in ("froid.json", "chaud.json"):
        result = _run(communs, "resultat", "-f", str(ledger), "--sortie", str(tmp_path / nom))
        assert result.exit_code == 0, result.output
    assert result.loads == 0
    froid = (tmp_path / "froid.json").read_bytes()
    assert froid == (tmp_path / "chaud.json").read_bytes()
    assert json.loads(froid)["totaux"]["resultat"] == "10650.00"


def test_un_grand_livre_en_erreur_n_est_jamais_garde(tmp_path: Path, communs: Communs) -> None:
    """Errors are looked for on every run: French message and exit 1 each time."""
    ledger = write_valid_ledger(tmp_path / "asso")
    _append(ledger.parent / "2025.beancount", ERREUR)
    for _ in range(2):
        result = _run(communs, "resultat", "-f", str(ledger))
        assert (result.exit_code, result.loads) == (1, 1)
        assert "Passif:Inconnu" in result.output
        verifier = _run(communs, "verifier", str(ledger))
        assert (verifier.exit_code, verifier.loads) == (1, 1)
    assert not any(Path(os.environ["COMMUNS_CACHE"], result_cache.KIND).iterdir())


# --- Invalidation: each change gives the new figure ----------------------------------------

ERREUR = f"""
2025-07-01 * "Erreur" "Compte inconnu"
  {FOURNITURES}  10.00 EUR
  Passif:Inconnu
"""
CHARGE = f"""
2025-06-01 * "Fournisseur" "Achat"
  {FOURNITURES}  1000.00 EUR
  {FOURNISSEUR}
"""


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _resultat(
    communs: Communs, ledger: Path, *args: str, loads: int | None = None, **kw: Any
) -> str:
    """The résultat printed by ``communs resultat --format json`` (exercice 2025 unless
    given); ``loads``: how many loads the run must have done (0: a hit)."""
    exercice = () if "-e" in args else ("-e", "2025")
    result = _run(
        communs, "resultat", "-f", str(ledger), *exercice, *args, "--format", "json", **kw
    )
    assert result.exit_code == 0, result.output
    if loads is not None:
        assert result.loads == loads
    return str(json.loads(result.output)["totaux"]["resultat"])


def test_rien_ne_change_rien_n_est_recharge(tmp_path: Path, communs: Communs) -> None:
    """Résultat 2025 by hand: produits 450 + 12 000 (+ 1 170 bénévolat), charges 1 800
    (+ 1 170 bénévolat) → 10 650."""
    ledger = write_valid_ledger(tmp_path / "asso")
    assert _resultat(communs, ledger, loads=1) == "10650.00"
    assert _resultat(communs, ledger, loads=0) == "10650.00"


def test_fichier_principal_modifie(tmp_path: Path, communs: Communs) -> None:
    ledger = write_valid_ledger(tmp_path / "asso")
    assert _resultat(communs, ledger) == "10650.00"
    _append(ledger, CHARGE)
    assert _resultat(communs, ledger, loads=1) == "9650.00"  # 10 650 − 1 000


def test_fichier_inclus_modifie(tmp_path: Path, communs: Communs) -> None:
    ledger = write_valid_ledger(tmp_path / "asso")
    assert _resultat(communs, ledger) == "10650.00"
    _append(ledger.parent / "2025.beancount", CHARGE.replace("1000.00", "2500.00"))
    assert _resultat(communs, ledger, loads=1) == "8150.00"  # 10 650 − 2 500


def test_contenu_change_sans_changer_taille_ni_date(tmp_path: Path, communs: Communs) -> None:
    ledger = write_valid_ledger(tmp_path / "asso")
    assert _resultat(communs, ledger) == "10650.00"
    exercice = ledger.parent / "2025.beancount"
    before = exercice.stat()
    text = exercice.read_text(encoding="utf-8")
    exercice.write_text(text.replace("1800.00 EUR", "8100.00 EUR"), encoding="utf-8")
    os.utime(exercice, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = exercice.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert _resultat(communs, ledger, loads=1) == "4350.00"  # 12 450 − 8 100


def test_nouveau_fichier_d_un_include_glob(tmp_path: Path, communs: Communs) -> None:
    main = VALID_MAIN.replace('include "2025.beancount"\n', 'include "mois/*.beancount"\n')
    main = main.replace('include "2024.beancount"\n', "")
    folder = tmp_path / "asso"
    ledger = write_ledger(folder, main, included={"comptes.beancount": VALID_ACCOUNTS})
    (folder / "mois").mkdir()
    write_ledger(folder / "mois", VALID_2025, name="2025-01.beancount", plugin=None)
    assert _resultat(communs, ledger) == "10650.00"
    write_ledger(folder / "mois", CHARGE, name="2025-06.beancount", plugin=None)
    assert _resultat(communs, ledger, loads=1) == "9650.00"


def test_include_hors_du_dossier(tmp_path: Path, communs: Communs) -> None:
    """An included file outside the ledger's folder is followed too (the load's manifest)."""
    ledger = write_valid_ledger(tmp_path / "asso")
    write_ledger(tmp_path / "ailleurs", "", name="achats.beancount", plugin=None)
    _append(ledger, 'include "../ailleurs/achats.beancount"\n')
    assert _resultat(communs, ledger) == "10650.00"
    _append(tmp_path / "ailleurs" / "achats.beancount", CHARGE)
    assert _resultat(communs, ledger, loads=1) == "9650.00"


def test_communs_yaml_modifie(tmp_path: Path, communs: Communs) -> None:
    ledger = write_valid_ledger(tmp_path / "asso")
    args = ("resultat", "-f", str(ledger), "--format", "json")
    assert json.loads(_run(communs, *args).output)["association"] == "Les Jardins de la Bièvre"
    config = ledger.parent / "communs.yaml"
    config.write_text(config.read_text("utf-8").replace("Bièvre", "Seine"), "utf-8")
    result = _run(communs, *args)
    assert (result.loads, json.loads(result.output)["association"]) == (
        1,
        "Les Jardins de la Seine",
    )


BUDGET_CONFIG = 'budget:\n  fichiers:\n    "2025": budgets/2025.yaml\n'
BUDGET = """\
versions:
  - code: vote
    nom: BP voté en AG
    date: 2025-03-14
    lignes:
      - compte: "6226"
        montant: {montant}
"""


def _budget_annuel(communs: Communs, ledger: Path, loads: int) -> str:
    result = _run(communs, "budget", "-f", str(ledger), "-e", "2025", "--format", "json")
    assert (result.exit_code, result.loads) == (0, loads), result.output
    return str(json.loads(result.output)["totaux_par_colonne"]["budget_annuel"]["total_charges"])


@pytest.mark.parametrize("plugin", [PLUGIN_LINE + 'plugin "communs_plugins.budget"\n', None])
def test_budget_modifie(tmp_path: Path, communs: Communs, plugin: str | None) -> None:
    """With or without the plugin lines: the budget's total charges are its one line
    (6226: 1 200 €, then 2 400 €)."""
    ledger = write_valid_ledger(tmp_path / "asso", plugin=plugin)
    _append(ledger.parent / "communs.yaml", BUDGET_CONFIG)
    (ledger.parent / "budgets").mkdir()
    budget = ledger.parent / "budgets" / "2025.yaml"
    budget.write_text(BUDGET.format(montant=1200), "utf-8")
    assert _budget_annuel(communs, ledger, loads=1) == "1200.00"
    assert _budget_annuel(communs, ledger, loads=0) == "1200.00"
    budget.write_text(BUDGET.format(montant=2400), "utf-8")
    assert _budget_annuel(communs, ledger, loads=1) == "2400.00"


def test_conventions_modifiees(tmp_path: Path, communs: Communs) -> None:
    """The example's conventions: ``communs subventions`` follows the file (one
    convention of 2026, the Ville's 54 000 €, granted 1 000 € more: 117 820 + 1 000)."""
    folder = Path(shutil.copytree(EXEMPLE_DIR, tmp_path / "asso"))
    args = ("subventions", "-f", str(folder / "main.beancount"), "--format", "json")
    avant = json.loads(_run(communs, *args).output)["totaux"]["total_accorde"]
    assert avant == "117820.00"
    conventions = folder / "conventions.yaml"
    text = conventions.read_text("utf-8")
    reference = "  - reference: COM-FONCT-2026"
    assert text.count(reference) == 1
    debut = text.index(reference)
    montant = text.index("    montant: ", debut)
    fin = text.index("\n", montant)
    assert text[montant:fin] == "    montant: 54000"
    conventions.write_text(text[:montant] + "    montant: 55000" + text[fin:], "utf-8")
    result = _run(communs, *args)
    assert result.loads == 1
    assert json.loads(result.output)["totaux"]["total_accorde"] == "118820.00"


def test_copie_du_dossier(tmp_path: Path, communs: Communs) -> None:
    orig = write_valid_ledger(tmp_path / "orig")
    assert _resultat(communs, orig) == "10650.00"
    copie = Path(shutil.copytree(orig.parent, tmp_path / "copie")) / "main.beancount"
    assert _resultat(communs, copie, loads=1) == "10650.00"  # another path: computed
    _append(copie.parent / "2025.beancount", CHARGE)
    assert _resultat(communs, copie, loads=1) == "9650.00"
    assert _resultat(communs, orig, loads=0) == "10650.00"


def test_autre_exercice(tmp_path: Path, communs: Communs) -> None:
    """2024 by hand: subvention 12 000, salaires 2 100 + charges sociales 880 → 9 020."""
    ledger = write_valid_ledger(tmp_path / "asso")
    assert _resultat(communs, ledger) == "10650.00"
    assert _resultat(communs, ledger, "-e", "2024", loads=1) == "9020.00"
    assert _resultat(communs, ledger, "-e", "2025", loads=0) == "10650.00"


def test_autre_jour(tmp_path: Path, communs: Communs, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime

    ledger = write_valid_ledger(tmp_path / "asso")
    assert _resultat(communs, ledger) == "10650.00"
    demain = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(result_cache, "today", lambda: demain)
    assert _resultat(communs, ledger, loads=1) == "10650.00"
    assert _resultat(communs, ledger, loads=0) == "10650.00"


def test_autre_variable_communs(tmp_path: Path, communs: Communs) -> None:
    ledger = write_valid_ledger(tmp_path / "asso")
    assert _resultat(communs, ledger) == "10650.00"
    variable = {"COMMUNS_ATTENTE_VERROU": "7"}
    assert _resultat(communs, ledger, loads=1, env=variable) == "10650.00"
    assert _resultat(communs, ledger, loads=0, env=variable) == "10650.00"
    assert _resultat(communs, ledger, loads=0) == "10650.00"


def test_autre_code(tmp_path: Path, communs: Communs, monkeypatch: pytest.MonkeyPatch) -> None:
    import communs_ledger

    ledger = write_valid_ledger(tmp_path / "asso")
    assert _resultat(communs, ledger) == "10650.00"
    monkeypatch.setattr(communs_ledger, "__version__", "99.0")
    code_fingerprint.cache_clear()
    try:
        assert _resultat(communs, ledger, loads=1) == "10650.00"
    finally:
        monkeypatch.undo()
        code_fingerprint.cache_clear()


def test_code_fingerprint_suit_beancount_sans_l_importer() -> None:
    """The fingerprint lists Beancount's files (an upgrade changes it) without importing
    Beancount (a hit must not pay its import)."""
    script = (
        "import sys\n"
        "from communs_ledger.cache import code_fingerprint\n"
        "code_fingerprint()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'beancount'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


# --- In a fresh process -------------------------------------------------------------------

TEMOIN = """\
import atexit
import os
import sys


def _temoin():
    with open(os.environ["TEMOIN_BEANCOUNT"], "w", encoding="utf-8") as file:
        file.write(str(any(m.split(".")[0] == "beancount" for m in sys.modules)))


atexit.register(_temoin)
sys.argv[0] = "communs"
from communs_ledger.cli.app import main

main()
"""


def _process(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[Any, bool]:
    """``communs ARGS`` in a fresh process; whether it imported Beancount."""
    wrapper = tmp_path / "temoin.py"
    wrapper.write_text(TEMOIN, encoding="utf-8")
    marker = tmp_path / "temoin.txt"
    full = {k: v for k, v in os.environ.items() if k not in ("COMMUNS_LEDGER", "FORCE_COLOR")}
    full.update({"COLUMNS": "200", "NO_COLOR": "1", "TEMOIN_BEANCOUNT": str(marker)})
    full.update(env or {})
    done = subprocess.run(
        [sys.executable, str(wrapper), *args],
        capture_output=True,
        env=full,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    return done, marker.read_text(encoding="utf-8") == "True"


@pytest.mark.parametrize(
    "args",
    [
        ("resultat",),
        ("bilan", "--format", "csv"),
        ("budget", "--format", "json"),
        ("tresorerie",),
        ("verifier",),
        ("verifier", "--format", "json"),
    ],
)
def test_un_succes_n_importe_pas_beancount(tmp_path: Path, args: tuple[str, ...]) -> None:
    folder = Path(shutil.copytree(EXEMPLE_DIR, tmp_path / "asso"))
    args = (*args, "-f", str(folder / "main.beancount"))
    cold, imported = _process(tmp_path, *args)
    assert cold.returncode == 0, cold.stderr
    assert imported
    warm, imported = _process(tmp_path, *args)
    assert not imported
    off, imported = _process(tmp_path, *args, env={"COMMUNS_SANS_CACHE": "1"})
    assert imported
    for other in (warm, off):
        assert (other.returncode, other.stdout, other.stderr) == (
            cold.returncode,
            cold.stdout,
            cold.stderr,
        )


def test_dossier_de_cache_inutilisable(tmp_path: Path) -> None:
    """A cache folder that cannot be created (under a file) or that others may write into:
    the command works, same output, nothing kept."""
    ledger = write_valid_ledger(tmp_path / "asso")
    (tmp_path / "fichier").write_text("", encoding="utf-8")
    partage = tmp_path / "partage"
    partage.mkdir()
    partage.chmod(0o777)
    reference, _ = _process(
        tmp_path, "resultat", "-f", str(ledger), env={"COMMUNS_SANS_CACHE": "1"}
    )
    for folder in (tmp_path / "fichier" / "cache", partage):
        for _ in range(2):
            done, imported = _process(
                tmp_path, "resultat", "-f", str(ledger), env={"COMMUNS_CACHE": str(folder)}
            )
            assert (done.returncode, done.stdout, done.stderr) == (
                reference.returncode,
                reference.stdout,
                reference.stderr,
            )
            assert imported  # computed every time
    assert not (partage / result_cache.KIND).exists() or not any(
        (partage / result_cache.KIND).iterdir()
    )


def test_entree_corrompue(tmp_path: Path, own_cache_folder: Path) -> None:
    ledger = write_valid_ledger(tmp_path / "asso")
    args = ("resultat", "-f", str(ledger), "--format", "json")
    cold, _ = _process(tmp_path, *args)
    (entry,) = (own_cache_folder / result_cache.KIND).iterdir()
    entry.write_bytes(b"pas un pickle")
    again, imported = _process(tmp_path, *args)
    assert imported  # computed again
    assert (again.returncode, again.stdout) == (cold.returncode, cold.stdout)
    assert json.loads(again.stdout)["totaux"]["resultat"] == "10650.00"
    warm, imported = _process(tmp_path, *args)  # the entry was written again
    assert not imported
    assert warm.stdout == cold.stdout


def test_nombre_d_entrees_borne(tmp_path: Path, own_cache_folder: Path, monkeypatch: Any) -> None:
    from communs_ledger import disk_cache

    monkeypatch.setattr(result_cache, "KEEP", 3)
    folder = disk_cache.cache_folder(result_cache.KIND)
    assert folder is not None
    ledger = write_valid_ledger(tmp_path / "asso")
    manifest, dossier = _manifest(ledger), result_cache.Dossier(ledger)
    for numero in range(6):
        result_cache.store(f"cle{numero}", manifest, dossier, numero)
    assert sorted(p.name for p in folder.iterdir()) == ["cle3", "cle4", "cle5"]


def _manifest(ledger: Path) -> Any:
    from communs_ledger.cache import manifest_of_load
    from communs_ledger.chargement import load_livre

    return manifest_of_load(load_livre(ledger).options)


def test_dossier_trop_grand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger in a folder too large to be an association's (a home folder): no cache."""
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    assert result_cache.folder_digest(tmp_path) is not None
    monkeypatch.setattr(result_cache, "MAX_FILES", 1)
    assert result_cache.folder_digest(tmp_path) is None


def test_tube_nomme_jamais_ouvert(tmp_path: Path) -> None:
    """A named pipe with a text suffix in the folder is listed, never opened (it would
    block the command)."""
    os.mkfifo(tmp_path / "tube.csv")
    (tmp_path / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    avant = result_cache.folder_digest(tmp_path)
    assert avant is not None
    (tmp_path / "a.yaml").write_text("a: 2\n", encoding="utf-8")
    assert result_cache.folder_digest(tmp_path) not in (None, avant)


def test_commande_interrompue_remise_avant_le_cache(tmp_path: Path, communs: Communs) -> None:
    """A journal of an interrupted command (``acces_exclusif``) is replayed before the cache
    is looked at: the cached figure of the half-written file is not shown, the file is put
    back and its own figure computed (10 650, not 10 650 − 1 000)."""
    import base64

    from communs_ledger.acces_exclusif import NOM_JOURNAL

    ledger = write_valid_ledger(tmp_path / "asso")
    exercice = ledger.parent / "2025.beancount"
    original = exercice.read_bytes()
    _append(exercice, CHARGE)  # what the interrupted command had written
    assert _resultat(communs, ledger) == "9650.00"
    assert _resultat(communs, ledger, loads=0) == "9650.00"  # cached
    journal = {"pid": 1, "fichiers": [{"chemin": "2025.beancount", "contenu": None}]}
    journal["fichiers"][0]["contenu"] = base64.b64encode(original).decode("ascii")
    (ledger.parent / NOM_JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    result = _run(communs, "resultat", "-f", str(ledger), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "remis dans leur état d'avant cette commande" in " ".join(result.stderr.split())
    assert exercice.read_bytes() == original
    assert not (ledger.parent / NOM_JOURNAL).exists()
    assert result.loads == 1
    assert json.loads(result.stdout)["totaux"]["resultat"] == "10650.00"


def test_une_option_sans_repr_exacte_n_est_pas_gardee() -> None:
    """An option whose value a key cannot hold exactly: no caching (None), rather than a
    key that forgets it."""
    from communs_ledger.cli.en_cache import parametres_de_rapport
    from communs_ledger.cli.sortie import Sortie

    sortie = Sortie(None, Path("bilan.json"))
    assert parametres_de_rapport({"exercice": "2025", "au": None}, sortie) == {
        "exercice": "2025",
        "au": None,
        "format": "json",
        "dans un fichier": True,
    }
    assert parametres_de_rapport({"exercice": object()}, sortie) is None


# --- Side files in hidden folders (named in communs.yaml) ------------------------------------


def _exemple_cache(tmp_path: Path, fichier: str, cle: str) -> Path:
    """The example with ``fichier`` moved into a hidden folder ``.prive/`` (communs.yaml's
    ``cle: fichier`` line follows it): the folder lets such a path, so the cache must
    follow it too."""
    folder = Path(shutil.copytree(EXEMPLE_DIR, tmp_path / "asso"))
    (folder / ".prive" / fichier).parent.mkdir(parents=True, exist_ok=True)
    (folder / fichier).rename(folder / ".prive" / fichier)
    config = folder / "communs.yaml"
    text = config.read_text("utf-8")
    assert text.count(f"  {cle}: {fichier}\n") == 1
    config.write_text(text.replace(f"  {cle}: {fichier}\n", f"  {cle}: .prive/{fichier}\n"))
    return folder


def test_registre_dans_un_dossier_cache(tmp_path: Path, communs: Communs) -> None:
    """``dons.adherents: .prive/adherents.yaml``: a member renamed in the register is
    shown renamed on the next run (Christophe André → Christophe Andrieu)."""
    folder = _exemple_cache(tmp_path, "adherents.yaml", "adherents")
    args = ("adherents", "-f", str(folder / "main.beancount"), "--format", "json")
    avant = _run(communs, *args)
    assert avant.exit_code == 0 and "Christophe André" in avant.output, avant.output
    registre = folder / ".prive" / "adherents.yaml"
    text = registre.read_text("utf-8")
    registre.write_text(text.replace("Christophe André}", "Christophe Andrieu}"), "utf-8")
    apres = _run(communs, *args)
    assert apres.loads == 1
    assert "Christophe Andrieu" in apres.output and "Christophe André" not in apres.output
    _same(apres, _run(communs, *args, env={"COMMUNS_SANS_CACHE": "1"}))


def test_previsions_dans_un_dossier_cache(tmp_path: Path, communs: Communs) -> None:
    """``previsions.flux: .prive/previsions/flux.yaml``: a recurring payment changed
    there changes the cash plan (the hit would show the old plan)."""
    folder = _exemple_cache(tmp_path, "previsions/flux.yaml", "flux")
    args = ("tresorerie", "-f", str(folder / "main.beancount"), "--format", "json")
    avant = _run(communs, *args)
    assert avant.exit_code == 0, avant.output
    flux = folder / ".prive" / "previsions" / "flux.yaml"
    text = flux.read_text("utf-8")
    assert text.count("montant: -190\n") == 1  # charges locatives, monthly
    flux.write_text(text.replace("montant: -190\n", "montant: -1190\n"), "utf-8")
    apres = _run(communs, *args)
    assert apres.loads == 1
    assert apres.output != avant.output
    _same(apres, _run(communs, *args, env={"COMMUNS_SANS_CACHE": "1"}))


# --- A file changed while the command computes ----------------------------------------------

ECRIVAIN = """\
import os
import pathlib

__plugins__ = ["ecrire"]


def ecrire(entries, options_map):
    cible = os.environ.get("ECRIVAIN_CIBLE")
    if cible:  # another program writes the register while the report is computed
        path = pathlib.Path(cible)
        text = path.read_text("utf-8")
        path.write_text(text.replace("Christophe André}", "Christophe Andrieu}"), "utf-8")
    return entries, []
"""


def test_fichier_modifie_puis_remis_pendant_le_calcul(
    tmp_path: Path, communs: Communs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A register changed during the load (by a plugin here, as another program would),
    read so by the report, then put back as it was (a rolled-back write): the entry of
    that run was derived from content the folder never has again, so the next run is
    computed and shows the register as it is (Christophe André, not Andrieu)."""
    (tmp_path / "greffons").mkdir()
    (tmp_path / "greffons" / "ecrivain_de_test.py").write_text(ECRIVAIN, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "greffons"))
    folder = Path(shutil.copytree(EXEMPLE_DIR, tmp_path / "asso"))
    ledger = folder / "main.beancount"
    _append(ledger, 'plugin "ecrivain_de_test"\n')
    registre = folder / "adherents.yaml"
    original = registre.read_bytes()
    args = ("adherents", "-f", str(ledger), "--format", "json")
    pendant = _run(communs, *args, env={"ECRIVAIN_CIBLE": str(registre)})
    assert pendant.exit_code == 0, pendant.output
    assert "Christophe Andrieu" in pendant.output  # what the register said meanwhile
    registre.write_bytes(original)  # the other program puts it back
    apres = _run(communs, *args)
    assert apres.loads == 1
    assert "Christophe André" in apres.output and "Christophe Andrieu" not in apres.output


def test_registre_sans_suffixe_connu_meme_taille_meme_date(
    tmp_path: Path, communs: Communs
) -> None:
    """A register whose name has no text suffix (``dons.adherents: adherents.registre``,
    only its times count), rewritten with the same size and its modification time put
    back (a restored backup): the member renamed (Christophe André → Andrez, as many
    bytes) is shown renamed."""
    folder = Path(shutil.copytree(EXEMPLE_DIR, tmp_path / "asso"))
    registre = folder / "adherents.registre"
    (folder / "adherents.yaml").rename(registre)
    config = folder / "communs.yaml"
    text = config.read_text("utf-8")
    config.write_text(
        text.replace("  adherents: adherents.yaml\n", f"  adherents: {registre.name}\n")
    )
    args = ("adherents", "-f", str(folder / "main.beancount"), "--format", "json")
    avant = _run(communs, *args)
    assert avant.exit_code == 0 and "Christophe André" in avant.output, avant.output
    before = registre.stat()
    text = registre.read_text("utf-8")
    registre.write_text(text.replace("Christophe André}", "Christophe Andrez}"), "utf-8")
    os.utime(registre, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = registre.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    apres = _run(communs, *args)
    assert apres.loads == 1
    assert "Christophe Andrez" in apres.output and "Christophe André" not in apres.output


AJOUTEUR = """\
import os
import pathlib

__plugins__ = ["ajouter"]


def ajouter(entries, options_map):
    cible = os.environ.get("AJOUTEUR_CIBLE")
    if cible:  # another program appends to a file the load already parsed
        path = pathlib.Path(cible)
        path.write_text(path.read_text("utf-8") + os.environ["AJOUTEUR_TEXTE"], "utf-8")
    return entries, []
"""


def test_include_hors_du_dossier_modifie_pendant_le_chargement(
    tmp_path: Path, communs: Communs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An included file outside the ledger's folder, changed after Beancount parsed it
    and before the communs plugin looked at it: that run's figure (10 650) came from the
    old content, the next run shows the new one (10 650 − 1 000 = 9 650)."""
    (tmp_path / "greffons").mkdir()
    (tmp_path / "greffons" / "ajouteur_de_test.py").write_text(AJOUTEUR, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "greffons"))
    ledger = write_valid_ledger(
        tmp_path / "asso", plugin='plugin "ajouteur_de_test"\n' + PLUGIN_LINE
    )
    achats = write_ledger(tmp_path / "ailleurs", "", name="achats.beancount", plugin=None)
    _append(ledger, 'include "../ailleurs/achats.beancount"\n')
    env = {"AJOUTEUR_CIBLE": str(achats), "AJOUTEUR_TEXTE": CHARGE}
    assert _resultat(communs, ledger, env=env) == "10650.00"
    assert _resultat(communs, ledger) == "9650.00"


def test_minuit_pendant_le_calcul(
    tmp_path: Path, communs: Communs, own_cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command begun on one day and ended on the next may have used either day (the
    expected payments of ``prevision versements`` start today): its result is not kept
    under the first day's key."""
    import datetime

    ledger = write_valid_ledger(tmp_path / "asso")
    jours = iter([datetime.date(2026, 12, 7)])  # the first call; every later one: the 8th
    monkeypatch.setattr(result_cache, "today", lambda: next(jours, datetime.date(2026, 12, 8)))
    assert _resultat(communs, ledger, loads=1) == "10650.00"
    assert not (own_cache_folder / result_cache.KIND).exists() or not any(
        (own_cache_folder / result_cache.KIND).iterdir()
    )
