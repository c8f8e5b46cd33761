"""The guide where the figures are: every link from the CLI's output (terminal, XLSX) and
from the Fava pages to the good-practice guide (docs/guide/) names an existing page and
an existing heading of it — anchors computed as the Fava guide renderer and GitHub compute
them — and every term of the glossary is used in the tool's output or labels (the reports
of the example, the commands' help, the YAML layouts, the Fava templates)."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from communs_ledger.fava_ext.guide import ancre
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.renvois import Renvoi, cibles, renvoi_de_ligne
from conftest import EXEMPLE_DIR, ROOT
from fava_pages import PAGES, fava_client

GUIDE = ROOT / "docs" / "guide"
REFERENCE = re.compile(r"docs/guide/([a-z0-9-]+)\.md(?:#(\S+))?")


def _titres(page: str) -> list[str]:
    """The headings of a page of the guide (outside code blocks)."""
    titles, fence = [], False
    for line in (GUIDE / f"{page}.md").read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        elif not fence and re.match(r"#{1,6} ", line):
            titles.append(line.lstrip("#").strip())
    return titles


def _resout(page: str, anchor: str) -> None:
    assert (GUIDE / f"{page}.md").is_file(), page
    if anchor:
        assert anchor in {ancre(t) for t in _titres(page)}, (page, anchor)


def test_ancres_a_la_facon_de_github() -> None:
    """GitHub's anchors (lower case, punctuation dropped, each space a hyphen, accents kept),
    checked on headings of the guide whose anchors GitHub shows; and no heading of a page
    twice (GitHub would suffix the second « -1 », the Fava renderer would not)."""
    assert ancre("Capacité d'autofinancement (CAF)") == "capacité-dautofinancement-caf"
    assert ancre("Suivre : les écarts et l'atterrissage") == "suivre--les-écarts-et-latterrissage"
    assert ancre("Indice de concentration des financeurs (Herfindahl)") == (
        "indice-de-concentration-des-financeurs-herfindahl"
    )
    for path in GUIDE.glob("*.md"):
        anchors = [ancre(t) for t in _titres(path.stem)]
        assert len(anchors) == len(set(anchors)), path.name


def test_chaque_renvoi_des_donnees_mene_a_une_section() -> None:
    """Every reference of plan_comptable/guide.yaml resolves; every indicator of the
    diagnostic and of the socio-economic model has one."""
    from communs_ledger.rapports.indicateurs import (
        indicateurs_du_modele_par_defaut,
        indicateurs_par_defaut,
    )

    found = list(cibles())
    assert len(found) > 25
    for _rapport, _ligne, cible in found:
        _resout(cible.page, cible.ancre)
    for key in indicateurs_par_defaut():
        assert renvoi_de_ligne("diagnostic", key) is not None, key
    for key in [*indicateurs_du_modele_par_defaut(), "part_subventions_publiques"]:
        assert renvoi_de_ligne("ressources", key) is not None, key
    # a budget line flagged by a rule goes to « Suivre : les écarts et l'atterrissage »
    flagged = renvoi_de_ligne("budget_vs_realise", "6061", "alerte")
    assert flagged == Renvoi("budget-qui-tient", "suivre--les-écarts-et-latterrissage")
    assert renvoi_de_ligne("budget_vs_realise", "6061", "ok") is None


COMMANDES = {
    "diagnostic": ["diagnostic", "-e", "2025"],
    "plan_de_tresorerie": ["tresorerie", "--scenario", "pessimiste"],
    "budget_vs_realise": ["budget"],
    "ressources": ["ressources"],
}


@pytest.fixture(scope="module")
def exemple(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("renvois") / "asso"
    shutil.copytree(EXEMPLE_DIR, target, ignore=shutil.ignore_patterns("*picklecache*"))
    return target / "main.beancount"


def _sortie(communs: Callable[..., Any], ledger: Path, args: list[str], *more: str) -> Any:
    result = communs(*args, "-f", str(ledger), *more)
    assert result.exit_code == 0, result.output
    return result


def _renvois_du_terminal(text: str) -> Iterator[tuple[str, str]]:
    """(page, anchor) of each line of the block « Guide de bonnes pratiques »: the heading
    names the page, « → #ancre » a section of it, « → docs/guide/… » another page."""
    block = text.split("Guide de bonnes pratiques : ", 1)[1].split("\n\n", 1)[0]
    first = REFERENCE.match(block)
    assert first is not None, block
    yield first.group(1), first.group(2) or ""
    # a narrow terminal wraps a line: its continuations do not start with the bullet
    lines: list[str] = []
    for line in block.splitlines()[1:]:
        if line.startswith("• ") or not lines:
            lines.append(line)
        else:
            lines[-1] += " " + line
    for line in lines:
        where = line.rsplit("→ ", 1)[1].strip()
        other = REFERENCE.fullmatch(where)
        yield (other.group(1), other.group(2) or "") if other else (first.group(1), where[1:])


@pytest.mark.parametrize("rapport", list(COMMANDES))
def test_terminal_renvoie_au_guide(
    communs: Callable[..., Any], exemple: Path, rapport: str
) -> None:
    """The terminal output ends with the report's page of the guide and the section of
    each indicator or flagged line; every one resolves."""
    text = _sortie(communs, exemple, COMMANDES[rapport]).output
    found = list(_renvois_du_terminal(text))
    assert len(found) >= 2, text[-1500:]
    for page, anchor in found:
        _resout(page, anchor)
    expected = {
        "diagnostic": ("lire-le-diagnostic", "fonds-de-roulement"),
        # the pessimistic scenario goes under the threshold: the cash alert's section
        "plan_de_tresorerie": (
            "lire-le-diagnostic",
            "trésorerie-nette-et-trésorerie-en-jours-de-charges",
        ),
        # 6061 and 615 exceed their budget to date by more than 10 % (docs/guide/routines.md)
        "budget_vs_realise": ("budget-qui-tient", "suivre--les-écarts-et-latterrissage"),
        "ressources": (
            "modele-socio-economique",
            "indice-de-concentration-des-financeurs-herfindahl",
        ),
    }[rapport]
    assert expected in found
    if rapport == "budget_vs_realise":
        assert "Eau et électricité" in text.split("Guide de bonnes pratiques")[1]


def _bloc_xlsx(contenu: bytes) -> list[tuple[str, str | None]]:
    """(text, hyperlink) of the cells of the block « Guide de bonnes pratiques » of the
    first sheet."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(contenu)).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_col=1, max_col=1)]
    start = next(i for i, c in enumerate(cells) if str(c.value or "").startswith("Guide de"))
    block = []
    for cell in cells[start:]:
        if not cell.value:
            break
        block.append((str(cell.value), cell.hyperlink.target if cell.hyperlink else None))
    return block


def test_xlsx_de_la_cli_renvoie_au_guide(
    communs: Callable[..., Any], exemple: Path, tmp_path: Path
) -> None:
    """The CLI's workbook: under the notes of its first sheet, the guide's page and each
    indicator's section, as text (no hyperlink: the file travels by e-mail, where
    neither a path of the tool nor a local Fava address would open)."""
    out = tmp_path / "diagnostic.xlsx"
    _sortie(communs, exemple, COMMANDES["diagnostic"], "--format", "xlsx", "--sortie", str(out))
    block = _bloc_xlsx(out.read_bytes())
    assert block[0] == ("Guide de bonnes pratiques : docs/guide/lire-le-diagnostic.md", None)
    assert ("Fonds de roulement → docs/guide/lire-le-diagnostic.md#fonds-de-roulement", None) in (
        block
    )
    assert len(block) == 7  # the page and the six sections of the eleven indicators
    for text, _link in block:
        reference = REFERENCE.search(text)
        assert reference is not None, text
        _resout(reference.group(1), reference.group(2) or "")


def _bloc_html(page: str) -> list[tuple[str, str | None]]:
    """(text, href) of the heading and items of the block « Guide de bonnes pratiques »
    of an HTML page, the text unescaped."""
    from html import unescape

    section = page.split('<section class="guide" data-guide>', 1)[1].split("</section>", 1)[0]
    block = []
    for item in re.findall(r"<(?:h2|li)>(.*?)</(?:h2|li)>", section):
        link = re.fullmatch(r'<a href="([^"]*)">(.*)</a>', item)
        text, href = (link.group(2), unescape(link.group(1))) if link else (item, None)
        assert "<" not in text, item
        block.append((unescape(text), href))
    return block


def test_html_de_la_cli_renvoie_au_guide(
    communs: Callable[..., Any], exemple: Path, tmp_path: Path
) -> None:
    """The CLI's HTML page: under the notes, the same block as the workbook's — the guide's
    page and each indicator's section, as text (the page travels by e-mail, as the XLSX);
    the CSV and the JSON (machine contracts) have no such block."""
    out = tmp_path / "diagnostic.html"
    _sortie(communs, exemple, COMMANDES["diagnostic"], "--format", "html", "--sortie", str(out))
    page = out.read_text(encoding="utf-8")
    block = _bloc_html(page)
    xlsx = tmp_path / "diagnostic.xlsx"
    _sortie(communs, exemple, COMMANDES["diagnostic"], "--format", "xlsx", "--sortie", str(xlsx))
    assert block == _bloc_xlsx(xlsx.read_bytes())
    assert block[0] == ("Guide de bonnes pratiques : docs/guide/lire-le-diagnostic.md", None)
    caf = "docs/guide/lire-le-diagnostic.md#capacité-dautofinancement-caf"
    assert (f"Capacité d'autofinancement → {caf}", None) in block
    assert "Capacité d&#39;autofinancement →" in page  # escaped
    assert len(block) == 7  # the page and the six sections of the eleven indicators
    # After the notes, before the footer; kept whole on a printed page.
    assert page.index('class="notes"') < page.index("data-guide") < page.index("<footer>")
    assert "section.guide { break-inside: avoid;" in page
    for fmt in ("csv", "json"):
        text = _sortie(communs, exemple, COMMANDES["diagnostic"], "--format", fmt).stdout
        assert "Guide de bonnes pratiques" not in text and "docs/guide" not in text, fmt


def test_html_lie_le_guide_et_echappe() -> None:
    """Given the guide's addresses (``lien_guide``, Fava's exports), each reference is a link
    to its section; a label and an address are escaped."""
    from communs_ledger.rapports.objets import Colonne, Genre, Ligne, Partie, Rapport
    from communs_ledger.rendu.en_html import render as html

    rapport = Rapport(
        id="diagnostic",
        titre="Diagnostic",
        association="Asso",
        parties=[
            Partie(
                "indicateurs",
                "Indicateurs",
                [Colonne("n", "N", Genre.MONTANT)],
                [Ligne("<b>Fonds</b> & roulement", {"n": None}, id="fonds_de_roulement")],
            )
        ],
    )

    def lien(cible: Renvoi) -> str:
        return f'http://h/guide?chapitre={cible.chapitre}&x="y"#{cible.ancre}'

    page = html(rapport, lien).decode()
    assert _bloc_html(page) == [
        (
            "Guide de bonnes pratiques : docs/guide/lire-le-diagnostic.md",
            'http://h/guide?chapitre=guide/lire-le-diagnostic&x="y"#',
        ),
        (
            "<b>Fonds</b> & roulement → docs/guide/lire-le-diagnostic.md#fonds-de-roulement",
            'http://h/guide?chapitre=guide/lire-le-diagnostic&x="y"#fonds-de-roulement',
        ),
    ]
    assert "&lt;b&gt;Fonds&lt;/b&gt; &amp; roulement" in page and "<b>" not in page
    assert "&amp;x=&#34;y&#34;#fonds-de-roulement" in page


@pytest.fixture(scope="module")
def client(exemple: Path) -> tuple[Any, str]:
    return fava_client(exemple)


def _liens_fava(html: str) -> list[str]:
    pratiques = re.findall(r'<a href="([^"]+)" data-remote data-pratique>', html)
    page = re.findall(r'data-guide-pratique>Bonnes pratiques : <a href="([^"]+)"', html)
    return [lien.replace("&amp;", "&") for lien in page + pratiques]


def _ouvre_la_section(client: Any, lien: str) -> None:
    """The Fava guide serves the page and the anchor is the id of one of its headings."""
    adresse, _diese, anchor = lien.partition("#")
    response = client.get(adresse)
    assert response.status_code == 200, lien
    body = response.get_data(as_text=True)
    nom = re.search(r"chapitre=(guide/[a-z0-9-]+)", adresse)
    assert nom is not None, lien
    _resout(nom.group(1).removeprefix("guide/"), unquote(anchor))
    if anchor:
        assert f'id="{unquote(anchor)}"' in body, lien


def test_pages_de_fava_renvoient_au_guide(client: tuple[Any, str]) -> None:
    """Every page links to its page of the guide; the diagnostic's indicators, the cash
    alerts, the flagged budget lines and the resources' indicators each to their section;
    every link is served by the Fava guide with its anchor."""
    test_client, slug = client
    liens: dict[str, list[str]] = {}
    for page in PAGES:
        html = test_client.get(f"/{slug}/extension/{page}/").get_data(as_text=True)
        liens[page] = _liens_fava(html)
        assert liens[page], page  # at least the page's own link
    assert any("fonds-de-roulement" in lien for lien in liens["TableauDeBord"])
    assert any("#suivre--les-écarts" in lien for lien in liens["BudgetVsRealise"])
    assert any("#trésorerie-nette" in lien for lien in liens["Tresorerie"])
    assert any("#part-du-premier-financeur" in lien for lien in liens["Ressources"])
    distincts = {lien for found in liens.values() for lien in found}
    assert len(distincts) >= 15
    for lien in distincts:
        _ouvre_la_section(test_client, lien)


def test_xlsx_exporte_de_fava_a_des_liens_vers_le_guide(client: tuple[Any, str]) -> None:
    """Exported from Fava, the workbook's guide block is hyperlinked to the Fava guide
    (the server the file was downloaded from): each link opens its section."""
    test_client, slug = client
    response = test_client.get(f"/{slug}/extension/Ressources/export?format=xlsx")
    assert response.status_code == 200
    block = _bloc_xlsx(response.data)
    assert len(block) == 8  # the page and the seven indicators
    for text, link in block:
        assert link is not None and link.startswith("http://localhost/"), (text, link)
        adresse = urlsplit(link)
        _ouvre_la_section(test_client, f"{adresse.path}?{adresse.query}" + (f"#{adresse.fragment}"))


def test_html_exporte_de_fava_a_des_liens_vers_le_guide(client: tuple[Any, str]) -> None:
    """Exported from Fava, the HTML page's guide block links to the Fava guide, as the
    workbook does: each link opens its section."""
    test_client, slug = client
    response = test_client.get(f"/{slug}/extension/Ressources/export?format=html")
    assert response.status_code == 200
    block = _bloc_html(response.get_data(as_text=True))
    xlsx = test_client.get(f"/{slug}/extension/Ressources/export?format=xlsx")
    assert block == _bloc_xlsx(xlsx.data)
    assert len(block) == 8  # the page and the seven indicators
    for text, link in block:
        assert link is not None and link.startswith("http://localhost/"), (text, link)
        adresse = urlsplit(link)
        _ouvre_la_section(test_client, f"{adresse.path}?{adresse.query}" + (f"#{adresse.fragment}"))


def test_rapport_sans_renvoi_inchange() -> None:
    """A report the guide does not explain gets no block (outputs unchanged)."""
    from test_rendu_exemples import compte_de_resultat

    assert "Guide de bonnes pratiques" not in render(compte_de_resultat(), Format.table).decode()


# --- Glossary ------------------------------------------------------------------------------

RAPPORTS_DE_L_EXEMPLE = [
    ["resultat"],
    ["bilan"],
    ["balance"],
    ["diagnostic"],
    ["ressources"],
    ["tresorerie"],
    ["subventions"],
    ["fonds-dedies"],
    ["budget"],
    ["budget", "--projet", "ECOLE"],
    ["prevision", "atterrissage"],
    ["budget", "cerfa"],
]


def _aides(communs: Callable[..., Any]) -> list[str]:
    """The help of every command and sub-command (the tool's labels)."""
    import typer.main

    from communs_ledger.cli.app import app

    texts = []

    def visit(command: Any, path: list[str]) -> None:
        texts.append(communs(*path, "--help").output)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            visit(sub, [*path, name])

    visit(typer.main.get_command(app), [])
    return texts


def _terme(term: str) -> re.Pattern[str]:
    """A glossary term without its parenthesised abbreviation, each word singular or
    plural (« Clé de répartition » is printed « clés de répartition »)."""
    words = re.sub(r"\s*\(.*\)$", "", term).casefold().split()
    return re.compile(r"\b" + " ".join(re.escape(w) + "[sx]?" for w in words) + r"\b")


def test_chaque_terme_du_glossaire_est_dans_les_sorties_de_l_outil(
    communs: Callable[..., Any], exemple: Path
) -> None:
    """Each term of the glossary appears in what the tool prints or shows: the reports of
    the example association, the resources of a ledger with an unidentified funder, the
    help of every command, the YAML layouts (plan_comptable/) and the Fava templates —
    not in its Python source. Fails with the list of the terms used nowhere."""
    from test_ressources import ecrire

    texts = [_sortie(communs, exemple, args).output for args in RAPPORTS_DE_L_EXEMPLE]
    ruches = ecrire(exemple.parent.parent / "ruches")
    texts.append(_sortie(communs, ruches, ["ressources", "-e", "2024"]).output)
    texts += _aides(communs)
    texts += [f.read_text(encoding="utf-8") for f in (ROOT / "plan_comptable").glob("*.yaml")]
    templates = ROOT / "src" / "communs_ledger" / "fava_ext" / "templates"
    texts += [f.read_text(encoding="utf-8") for f in templates.glob("*.html")]
    corpus = " ".join(
        " ".join(t.replace("\u00a0", " ").replace("\u202f", " ").split()) for t in texts
    )
    corpus = corpus.casefold()
    glossaire = (GUIDE / "glossaire.md").read_text(encoding="utf-8")
    termes = re.findall(r"^\| \*\*(.+?)\*\* \|", glossaire, re.M)
    assert len(termes) >= 30
    absents = [t for t in termes if not _terme(t).search(corpus)]
    assert absents == [], f"termes du glossaire employés nulle part : {absents}"
