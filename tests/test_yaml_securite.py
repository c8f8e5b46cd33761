"""Hostile YAML side files: alias bombs, foreign paths, unsafe tags, English syntax errors.

- an alias bomb (« billion laughs ») is refused at its line before any expansion, in
  ``communs verifier``, ``bean-check`` and Fava, under a memory and time bound;
- a configuration path outside the association folder (``/etc/passwd``, ``..``, a
  symbolic link) is refused at its line in ``communs.yaml``, and the foreign file's
  content never shows, in the CLI nor on Fava's error page;
- YAML is only ever loaded safely (a ``!!python/object`` tag is refused);
- PyYAML's syntax errors are French, at the line of the problem.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.sources import SourceError
from communs_ledger.yaml_lignes import load_yaml
from conftest import COMMUNS, VENV_BIN, one_line

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def copie(copie_exemple: Path) -> Path:
    return copie_exemple


# --- Alias bomb ---------------------------------------------------------------------------

# Nine levels of nine aliases: 9⁹ ≈ 387 million strings once expanded.
BOMBE = 'bombe: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"bombe{level}: &{chr(98 + level)} [{', '.join([f'*{chr(97 + level)}'] * 9)}]\n"
    for level in range(9)
)
MEMOIRE = 3 * 1024**3  # address space of the child process: far below the expanded bomb


def _borne() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMOIRE, MEMOIRE))


def _lancer(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        preexec_fn=_borne,
        env={"PATH": str(VENV_BIN), "COLUMNS": "200", "NO_COLOR": "1", "HOME": str(cwd)},
    )


def _planter_bombe(copie: Path, fichier: str) -> int:
    path = copie / fichier
    text = path.read_text(encoding="utf-8")
    path.write_text(text + BOMBE, encoding="utf-8")
    return len(text.splitlines()) + 1


@pytest.mark.parametrize(
    "fichier", ["budgets/2026.yaml", "conventions.yaml", "communs.yaml", "previsions/paie.yaml"]
)
def test_bombe_d_alias_refusee_par_verifier(copie: Path, fichier: str) -> None:
    line = _planter_bombe(copie, fichier)
    done = _lancer([str(COMMUNS), "verifier", "main.beancount"], copie)
    output = one_line(done.stdout + done.stderr)
    assert done.returncode == 1, output
    assert f"{fichier}:{line}: « &a » : les ancres et alias YAML" in output, output
    assert "Traceback" not in output and "Erreur interne" not in output


def test_bombe_d_alias_refusee_par_bean_check(copie: Path) -> None:
    line = _planter_bombe(copie, "budgets/2026.yaml")
    done = _lancer([str(VENV_BIN / "bean-check"), "main.beancount"], copie)
    output = one_line(done.stdout + done.stderr)
    assert done.returncode == 1, output
    assert f"budgets/2026.yaml:{line}:" in output and "ancres et alias" in output, output
    assert "Traceback" not in output


FAVA = """
import sys
from fava.application import create_app
app = create_app([sys.argv[1]], load=True)
client = app.test_client()
slug = client.get("/").location.strip("/").split("/")[-2]
page = client.get(f"/{slug}/errors/")
print(page.status_code)
print(page.get_data(as_text=True))
"""


def test_bombe_d_alias_refusee_par_fava(copie: Path) -> None:
    line = _planter_bombe(copie, "budgets/2026.yaml")
    done = _lancer([sys.executable, "-c", FAVA, str(copie / "main.beancount")], copie)
    assert done.returncode == 0, done.stderr[-2000:]
    status, _, page = done.stdout.partition("\n")
    assert status == "200"
    assert "ancres et alias YAML" in page
    assert re.search(rf"budgets/2026\.yaml.{{0,200}}{line}", page, re.S)


def test_bombe_dans_le_chargeur_sans_expansion() -> None:
    """The loader refuses at the first anchor, in well under a second."""
    with pytest.raises(SourceError) as raised:
        load_yaml("bombe.yaml", "a: 1\n" + BOMBE)
    assert str(raised.value).startswith("bombe.yaml:2: « &a » : les ancres et alias YAML")
    with pytest.raises(SourceError) as raised:
        load_yaml("alias.yaml", "a: 1\nb: [2, 3]\nc:\n  - *x\n")
    assert str(raised.value).startswith("alias.yaml:4: « *x »")


def test_bombe_sans_le_filtre_rapide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if the quick text filter missed an anchor, the builder never expands a shared
    node: the bomb is refused, not built."""
    import re as re_module

    from communs_ledger import yaml_lignes

    monkeypatch.setattr(yaml_lignes, "_MAYBE_ANCHOR", re_module.compile("(?!)"))
    with pytest.raises(SourceError) as raised:
        load_yaml("bombe.yaml", BOMBE)
    assert "ancres et alias YAML" in str(raised.value)


def test_esperluette_et_etoile_dans_un_texte_admises() -> None:
    document = load_yaml("f.yaml", 'a: R&D\nb: "*urgent*"\nc: 3 * 4 # voir *note\n')
    assert document.data == {"a": "R&D", "b": "*urgent*", "c": "3 * 4"}


# --- Paths outside the association folder -------------------------------------------------

SECRET = "SECRET-DU-VOISIN: [contenu confidentiel"


def _remplacer(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return next(n for n, row in enumerate(text.splitlines(), 1) if new.split("\n")[0] in row)


def _chemins_hors_du_dossier(copie: Path) -> dict[str, int]:
    """Plant four escapes in communs.yaml; the line of each key."""
    dehors = copie.parent / "dehors.yaml"
    dehors.write_text(SECRET + "\n", encoding="utf-8")
    (copie / "budgets" / "lien.yaml").symlink_to(dehors)
    config = copie / "communs.yaml"
    return {
        "conventions": _remplacer(
            config, "conventions: conventions.yaml", "conventions: /etc/passwd"
        ),
        "previsions.paie": _remplacer(
            config, "paie: previsions/paie.yaml", "paie: previsions/../../dehors.yaml"
        ),
        "budget.fichiers.2026": _remplacer(
            config, '"2026": budgets/2026.yaml', '"2026": budgets/lien.yaml'
        ),
        "analytique.repartition": _remplacer(
            config, "repartition: analytique/repartition.yaml", f"repartition: {dehors}"
        ),
    }


def test_chemins_hors_du_dossier_refuses(communs: Callable[..., Any], copie: Path) -> None:
    lines = _chemins_hors_du_dossier(copie)
    result = communs("verifier", "main.beancount")
    output = one_line(result.output)
    assert result.exit_code == 1, output
    for key, line in lines.items():
        assert f"communs.yaml:{line}: {key} : «" in output, (key, output)
        assert "hors du dossier de l'association" in output
    assert "SECRET" not in output and "confidentiel" not in output
    assert "root:" not in output


def test_chemins_hors_du_dossier_sur_la_page_d_erreurs_de_fava(copie: Path) -> None:
    from fava_pages import fava_client

    lines = _chemins_hors_du_dossier(copie)
    client, slug = fava_client(copie / "main.beancount")
    page = client.get(f"/{slug}/errors/").get_data(as_text=True)
    assert "hors du dossier de l" in page
    assert "SECRET" not in page and "confidentiel" not in page and "root:x" not in page
    assert str(lines["conventions"]) in page


def test_configuration_du_greffon_hors_du_dossier(copie: Path) -> None:
    """``plugin "communs_plugins.plan_comptable" "../dehors.yaml"``: refused at the line of
    the plugin directive, the foreign file is not read."""
    (copie.parent / "dehors.yaml").write_text(SECRET + "\n", encoding="utf-8")
    line = _remplacer(
        copie / "main.beancount",
        'plugin "communs_plugins.plan_comptable"',
        'plugin "communs_plugins.plan_comptable" "../dehors.yaml"',
    )
    done = _lancer([str(VENV_BIN / "bean-check"), "main.beancount"], copie)
    output = one_line(done.stdout + done.stderr)
    assert done.returncode == 1
    assert f"main.beancount:{line}: configuration : « ../dehors.yaml » désigne un fichier hors" in (
        output
    ), output
    assert "SECRET" not in output and "confidentiel" not in output


def test_un_lien_interne_au_dossier_reste_admis(communs: Callable[..., Any], copie: Path) -> None:
    (copie / "budgets" / "courant.yaml").symlink_to(copie / "budgets" / "2026.yaml")
    _remplacer(copie / "communs.yaml", '"2026": budgets/2026.yaml', '"2026": budgets/courant.yaml')
    result = communs("verifier", "main.beancount")
    assert result.exit_code == 0, result.output


# --- Safe loading ---------------------------------------------------------------------------

_UNSAFE = re.compile(
    r"yaml\.(unsafe_load|full_load|load_all)\b|FullLoader|UnsafeLoader|"
    r"Loader\s*=\s*yaml\.Loader\b|yaml\.load\((?![^)]*Loader\s*=\s*_?\w*Safe)"
)


def test_yaml_toujours_charge_sans_risque() -> None:
    """No unsafe loader anywhere in the code (the plugins and the package)."""
    found = []
    for folder in (ROOT / "src", ROOT / "plugins"):
        for path in folder.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in _UNSAFE.finditer(text)]
    assert found == []
    # The pattern does catch what it must.
    assert _UNSAFE.search("yaml.load(text, Loader=yaml.FullLoader)")
    assert _UNSAFE.search("yaml.load(text)")
    assert not _UNSAFE.search("yaml.load(file, Loader=_SafeLoader)")


@pytest.mark.parametrize(
    "texte",
    [
        'a: !!python/object/apply:os.system ["touch pirate"]\n',
        "a: !!python/object:collections.OrderedDict {x: 1}\n",
        "a: !!python/name:os.system\n",
        "a: !ma-balise 1\n",
        "a: !!set {x, y}\n",
    ],
)
def test_etiquette_python_refusee(tmp_path: Path, texte: str) -> None:
    with pytest.raises(SourceError) as raised:
        load_yaml(tmp_path / "f.yaml", texte, filename="f.yaml")
    assert str(raised.value).startswith("f.yaml:1: étiquette YAML « !")
    assert "refusée" in str(raised.value)
    assert not (tmp_path / "pirate").exists()


# --- Syntax errors in French, at their line -------------------------------------------------


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        (
            'a: 1\nb: "sans fin\nc: 2\n',
            "f.yaml:2: YAML invalide : guillemet ouvert ici et jamais fermé",
        ),
        ("a: 1\nb: 'sans fin\n", "f.yaml:2: YAML invalide : guillemet ouvert ici et jamais fermé"),
        ("a: 1\nb: c: d\n", "f.yaml:2: YAML invalide : « : » inattendu"),
        ("a: 1\nb\nc: 2\n", "f.yaml:2: YAML invalide : « : » manquant après une clé"),
        ("a:\n\tb: 1\n", "f.yaml:2: YAML invalide : tabulation interdite"),
        ("a:\n  b: 1\n c: 2\n", "f.yaml:3: YAML invalide : indentation incohérente"),
        ("a:\n  - 1\n  b: 2\n", "f.yaml:3: YAML invalide : élément de liste mal indenté"),
        ("a: [1, 2\nb: 3\n", "f.yaml:2: YAML invalide : liste entre crochets non fermée"),
        ("a: {x: 1\nb: 3\n", "f.yaml:2: YAML invalide : accolade non fermée"),
        ("a: @x\n", "f.yaml:1: YAML invalide : caractère « @ » inattendu"),
        ("a: `x\n", "f.yaml:1: YAML invalide : caractère « ` » inattendu"),
        ('a: "C:\\dossier"\n', "f.yaml:1: YAML invalide : séquence « \\ » inconnue"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2: YAML invalide : un seul document par fichier"),
        ("a: 1\nb: \x01\n", "f.yaml:2: YAML invalide : caractère de contrôle interdit (U+0001)"),
        ("a: 1\nb: 2025-09-31\n", "f.yaml:2: date impossible « 2025-09-31 »"),
        ("a: 1\nb: .inf\n", "f.yaml:2: nombre « .inf » refusé"),
        (
            "a: " + "[" * 3000 + "]" * 3000 + "\n",
            "f.yaml:1: YAML invalide : imbrication trop profonde",
        ),
    ],
)
def test_erreurs_de_syntaxe_en_francais(texte: str, attendu: str) -> None:
    with pytest.raises(SourceError) as raised:
        load_yaml("f.yaml", texte)
    message = str(raised.value)
    assert message.startswith(attendu), message
    for english in ("while ", "found ", "expected ", "could not", "not allowed", "scanning"):
        assert english not in message, message


def test_le_pur_python_aussi(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml (pure-Python PyYAML), the same French messages."""
    import yaml

    from communs_ledger import yaml_lignes

    monkeypatch.setattr(yaml_lignes, "_Loader", yaml.SafeLoader)
    for texte, attendu in [
        ("a:\n  b: 1\n c: 2\n", "f.yaml:3: YAML invalide : indentation incohérente"),
        ("a:\n  - 1\n  b: 2\n", "f.yaml:3: YAML invalide : indentation incohérente"),
        ("a: [1, 2\nb: 3\n", "f.yaml:2: YAML invalide : liste entre crochets non fermée"),
        ("a: @x\n", "f.yaml:1: YAML invalide : caractère « @ » inattendu"),
        ("a: &x 1\nb: *x\n", "f.yaml:1: « &x » : les ancres et alias YAML"),
    ]:
        with pytest.raises(SourceError) as raised:
            load_yaml("f.yaml", texte)
        assert str(raised.value).startswith(attendu), str(raised.value)


def test_guillemet_non_ferme_nomme_sa_ligne(communs: Callable[..., Any], copie: Path) -> None:
    """A quote left open runs to the next quote of the file, where libyaml gives up: the
    message names the line of the opening quote, not that later line."""
    budget = copie / "budgets" / "2026.yaml"
    line = _remplacer(
        budget,
        "        libelle: Achats (outillage, fournitures)",
        '        libelle: "Achats (outillage, fournitures)',
    )
    closing = next(
        n
        for n, row in enumerate(budget.read_text("utf-8").splitlines(), 1)
        if n > line and '"' in row
    )
    result = communs("verifier", "main.beancount")
    output = one_line(result.output)
    assert result.exit_code == 1
    assert (
        f"budgets/2026.yaml:{line}: YAML invalide : guillemet ouvert ici et fermé seulement "
        f"ligne {closing} (guillemet fermant manquant ?)"
    ) in output, output


@pytest.mark.parametrize(
    "texte",
    [
        "2024.beancount",
        'complément "2024" \\ l\'an.beancount',
        "tab\there, newline\nthere, # not a comment: - nor a list",
        "controls \x00\x07\x7f\x85, separators \u2028\u2029, BOM \ufeff, emoji 😀",
        "",
    ],
)
def test_chaine_yaml_reads_back_exactly(texte: str) -> None:
    from communs_ledger.yaml_lignes import chaine_yaml, load_yaml

    ecrit = f"cle: {chaine_yaml(texte)}\n"
    assert "\n" not in ecrit[:-1]  # one line, whatever the text holds
    assert load_yaml("ecrit.yaml", ecrit).data == {"cle": texte}
