"""The communs plugins give the same entries, errors and warnings whatever their own
speed-ups: the cache of parsed YAML files (cold, warm, or off) and the one context per
load shared by the plugins, with what the plan comptable plugin's pass hands to the
plugins after it (``LedgerContext.chart_pass``) (issue 22).

The reference load runs with every communs-ledger cache off (``COMMUNS_SANS_CACHE=1``)
and each plugin building its own context, as before these speed-ups; the loads with the
cache (first cold, then warm) must print the same entries, metadata and errors.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from beancount import loader
from beancount.parser import printer

from communs_ledger.application.generateur import generate_ledger
from communs_ledger.cloture.verrou import cloture_de, sources_de, texte_du_verrou
from communs_ledger.contexte import LedgerContext
from communs_ledger.sources import SourceError
from communs_ledger.yaml_lignes import load_yaml

# Appended to the last exercice's file: an unknown project on a transaction and on a
# posting (rule 6 of plan_comptable). Its lines, after the file's own N lines: N+1 empty,
# N+2 the first transaction, N+8 the posting with the second unknown project.
_FAUTES = """
{annee}-12-20 * "Atelier" "Projet inconnu sur l'écriture"
  projet: "INCONNU"
  Charges:60-Achats:6064-Fournitures-administratives  12.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant

{annee}-12-21 * "Atelier" "Projet inconnu sur une ligne"
  Charges:60-Achats:6064-Fournitures-administratives  7.00 EUR
    projet: "AUTRE"
  Actif:51-Banques:512-Banques:Compte-courant
"""


def _dump(main: Path) -> tuple[list[str], list[str]]:
    """Every entry (metadata and text) and every error of a load with the plugins."""
    entries, errors, _options = loader._uncached_load_file(str(main), None, None, None)
    printed = [
        f"{sorted(entry.meta.items())!r}\n{printer.format_entry(entry)}" for entry in entries
    ]
    found = [
        f"{type(e).__name__} {e.source.get('filename')}:{e.source.get('lineno')} {e.message}"
        for e in errors
    ]
    return printed, found


def _ledger(folder: Path) -> tuple[Path, Path, int]:
    """A generated ledger (3 exercices, budgets declared), the first exercice closed, then
    the faults of :data:`_FAUTES` appended to the last exercice's file."""
    main = generate_ledger(folder, 300, years=3).main
    entries, errors, options = loader._uncached_load_file(str(main), None, None, None)
    assert not errors, errors[:3]
    context = LedgerContext.from_options(options)
    first = context.exercice_of(min(e.date for e in entries if hasattr(e, "postings")))
    record = cloture_de(
        entries,
        first.code,
        first.debut,
        first.fin,
        datetime.date(2030, 1, 1),
        folder,
        sources_de(options),
    )
    (folder / "clotures.yaml").write_text(texte_du_verrou([record]), encoding="utf-8")
    last = sorted(folder.glob("20*.beancount"))[-1]
    text = last.read_text(encoding="utf-8")
    assert text.endswith("\n")
    last.write_text(text + _FAUTES.format(annee=last.stem), encoding="utf-8")
    return main, last, text.count("\n")


def test_memes_ecritures_et_erreurs_avec_ou_sans_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    main, last, lines = _ledger(tmp_path / "livre")
    monkeypatch.setenv("COMMUNS_CACHE", str(tmp_path / "cache"))

    # Reference: caches off, one context per plugin (as before the shared context), hence
    # no pass shared either: each plugin walks the entries itself.
    with monkeypatch.context() as patched:
        patched.setenv("COMMUNS_SANS_CACHE", "1")
        patched.setattr(LedgerContext, "of_load", LedgerContext.from_options)
        reference = _dump(main)
    assert not (tmp_path / "cache" / "yaml").exists()

    cold = _dump(main)
    kept = sorted((tmp_path / "cache" / "yaml").iterdir())
    # communs.yaml (read by the plugins), the 3 budget files, clotures.yaml and the data
    # files of the plan comptable: at least 5 parsed files kept
    assert len(kept) >= 5
    warm = _dump(main)
    assert cold == reference
    assert warm == reference

    entries, errors = reference
    # by hand (see _FAUTES): one error per unknown project, at the transaction (N+2) and at
    # the posting (N+8), in ledger order; the generated ledger has no other error
    listed = "ALPHA, ETE, JARDINS, REPAIR"
    assert errors == [
        f"CommunsError {last}:{lines + 2} Projet « INCONNU » inconnu : les projets déclarés "
        f"dans la configuration sont {listed}",
        f"CommunsError {last}:{lines + 8} Projet « AUTRE » inconnu : les projets déclarés "
        f"dans la configuration sont {listed}",
    ]
    # the Fava budget entries (custom "budget") are among the entries, in date order
    assert any('custom "budget"' in e for e in entries)


def test_un_fichier_modifie_est_relu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache follows the content: a changed file gives its new data and lines, a file in
    error gives the parser's error each time (errors are never kept)."""
    monkeypatch.setenv("COMMUNS_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\nb:\n  - x\n", encoding="utf-8")
    assert load_yaml(path).data == {"a": 1, "b": ["x"]}
    second = load_yaml(path)  # from the cache
    assert second.data == {"a": 1, "b": ["x"]}
    assert second.line_of(("b", 0)) == 3
    path.write_text("a: 2\n\nb:\n  - y\n", encoding="utf-8")
    changed = load_yaml(path)
    assert changed.data == {"a": 2, "b": ["y"]}
    assert changed.line_of(("b", 0)) == 4
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(SourceError) as raised:
            load_yaml(path)
        assert str(raised.value).endswith(":2: clé « a » en double")


def test_un_fichier_deja_lu_n_importe_pas_pyyaml(tmp_path: Path) -> None:
    """A hit of the cache does not import PyYAML (what it saves on every load)."""
    path = tmp_path / "f.yaml"
    path.write_text("a: 1.50\nb: 2025-01-31\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from communs_ledger.yaml_lignes import load_yaml\n"
        f"document = load_yaml({str(path)!r})\n"
        "print(sorted(document.data.items()), 'yaml' in sys.modules)\n"
    )
    env = dict(os.environ, COMMUNS_CACHE=str(tmp_path / "cache"))
    env.pop("COMMUNS_SANS_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.strip()
        for _ in range(2)
    ]
    expected = "[('a', Decimal('1.50')), ('b', datetime.date(2025, 1, 31))]"
    assert runs == [f"{expected} True", f"{expected} False"]


def test_la_cle_suit_la_version_de_pyyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key holds PyYAML's version, read beside its package without importing it
    (its dist-info folder's name): a file kept under one version of PyYAML is parsed again
    under another."""
    import yaml

    from communs_ledger import yaml_lignes

    # the installed PyYAML, as its dist-info folder names it (pyyaml-6.0.4.dist-info)
    assert f"-{yaml.__version__}.dist-info" in yaml_lignes._pyyaml_version().lower()
    # two versions installed in turn in a site folder: two readings
    package = tmp_path / "site" / "yaml"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("__version__ = '6.0.1'\n", encoding="utf-8")
    (tmp_path / "site" / "PyYAML-6.0.1.dist-info").mkdir()
    (tmp_path / "site" / "types_PyYAML-6.0.12.dist-info").mkdir()  # the stubs: not PyYAML
    assert yaml_lignes._version_beside(package) == "PyYAML-6.0.1.dist-info"
    (tmp_path / "site" / "PyYAML-6.0.1.dist-info").rename(
        tmp_path / "site" / "pyyaml-6.0.2.dist-info"
    )
    assert yaml_lignes._version_beside(package) == "pyyaml-6.0.2.dist-info"
    # no dist-info (an unusual install): the package's files, which a new version changes
    (tmp_path / "site" / "pyyaml-6.0.2.dist-info").rmdir()
    before = yaml_lignes._version_beside(package)
    assert before.startswith("__init__.py:22:")  # 22 bytes
    (package / "__init__.py").write_text("__version__ = '6.0.10'\n", encoding="utf-8")
    assert yaml_lignes._version_beside(package) != before

    # The key: the same text is a hit under the same version, parsed again under another.
    monkeypatch.setenv("COMMUNS_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("COMMUNS_SANS_CACHE", raising=False)
    parses: list[str] = []
    results = []
    for version in ("pyyaml-6.0.1.dist-info", "pyyaml-6.0.1.dist-info", "pyyaml-6.0.2.dist-info"):
        monkeypatch.setattr(yaml_lignes, "_pyyaml_version", lambda v=version: v)
        monkeypatch.setattr(yaml_lignes, "_code_digest", None)

        def parse(v: str = version) -> str:
            parses.append(v)
            return f"lu sous {v}"

        results.append(yaml_lignes.cached_parse("test", "f.yaml", "a: 1\n", parse))
    assert parses == ["pyyaml-6.0.1.dist-info", "pyyaml-6.0.2.dist-info"]
    assert results == [
        "lu sous pyyaml-6.0.1.dist-info",
        "lu sous pyyaml-6.0.1.dist-info",  # the hit
        "lu sous pyyaml-6.0.2.dist-info",
    ]
