"""The good-practice guide (docs/guide/): every page reachable from docs/index.md, every
link between the guide and the user guide resolves to an existing section, the thresholds
it quotes are those of plan_comptable/diagnostic.yaml, every term of its glossary is used by
the tool, and Fava serves its pages with their links kept inside Fava."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.fava_ext.guide import ChapitreInconnu, ancre, chapitre
from communs_ledger.modele_economique.rapport import GUIDE
from communs_ledger.rapports.indicateurs import donnees
from conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted((DOCS / "guide").glob("*.md"))
LIEN = re.compile(r"\]\(([^)\s]+\.md)(?:#([^)\s]*))?\)")


def _titres(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings (outside code blocks)."""
    anchors, fence = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        elif not fence and line.startswith("#"):
            anchors.add(ancre(line.lstrip("#")))
    return anchors


def _liens(path: Path) -> list[tuple[Path, str]]:
    text = path.read_text(encoding="utf-8")
    return [((path.parent / m.group(1)).resolve(), m.group(2) or "") for m in LIEN.finditer(text)]


def test_le_guide_a_ses_pages() -> None:
    names = {p.name for p in PAGES}
    assert {"index.md", "routines.md", "lire-le-diagnostic.md", "glossaire.md"} <= names
    assert "modele-socio-economique.md" in names and (ROOT / GUIDE).is_file()


def test_chaque_page_est_atteinte_depuis_le_sommaire() -> None:
    sommaire = {cible for cible, _ in _liens(DOCS / "index.md")}
    assert (DOCS / "guide" / "index.md").resolve() in sommaire
    du_guide = {cible for cible, _ in _liens(DOCS / "guide" / "index.md")}
    assert {p.resolve() for p in PAGES if p.name != "index.md"} <= du_guide


def test_chaque_lien_mene_a_une_section() -> None:
    """Every link of the guide's pages, and every link of the user guide into the guide,
    names an existing file and, with an anchor, an existing heading of it."""
    sources = [*PAGES, *sorted(DOCS.glob("*.md"))]
    checked = 0
    for source in sources:
        for cible, section in _liens(source):
            if source.parent.name != "guide" and cible.parent.name != "guide":
                continue
            assert cible.is_file(), (source.name, cible)
            assert not section or section in _titres(cible), (source.name, cible.name, section)
            checked += 1
    assert checked > 40


def _sans_espaces(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _section(path: Path, titre: str) -> str:
    """The text of a heading's section, up to the next heading of the same or upper level."""
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^(#+) {re.escape(titre)}\s*$", text, re.M)
    assert start, titre
    level = len(start.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, start.end())
    return _sans_espaces(text[start.end() : end.start() if end else len(text)])


def _nombre(value: object) -> str:
    """30 → « 30 », 1500 → « 1 500 », -5 → « −5 »: a threshold as the guide writes it."""
    number = Decimal(str(value))
    text = f"{abs(number):,.0f}".replace(",", " ")
    return ("−" if number < 0 else "") + text


def _cite(section: str, value: object) -> bool:
    pattern = rf"(?<!\d)(?<!\d,)(?<!\d ){re.escape(_nombre(value))}(?!\d|,\d| \d)"
    return re.search(pattern, section) is not None


def test_les_seuils_du_modele_socio_economique_sont_ceux_des_donnees() -> None:
    page = DOCS / "guide" / "modele-socio-economique.md"
    for key, spec in donnees()["modele_socio_economique"]["indicateurs"].items():
        section = _section(page, spec["libelle"])
        seuils = spec.get("seuils")
        if seuils:
            assert _cite(section, seuils["surveiller"]), key
            assert _cite(section, seuils["alerte"]), key
        else:
            assert "sans seuil" in section or "Informati" in section, key


SECTIONS_DU_DIAGNOSTIC = {
    "Fonds de roulement": ["fonds_de_roulement"],
    "Trésorerie nette et trésorerie en jours de charges": ["tresorerie_jours"],
    "Fonds propres en mois de charges": ["fonds_propres_mois"],
    "Capacité d'autofinancement (CAF)": ["capacite_autofinancement"],
    "Les ratios de structure": [
        "part_subventions_publiques",
        "part_charges_personnel",
        "resultat_sur_produits",
    ],
}


def test_les_seuils_du_diagnostic_cites_sont_ceux_des_donnees() -> None:
    page = DOCS / "guide" / "lire-le-diagnostic.md"
    indicateurs = donnees()["indicateurs"]
    for titre, keys in SECTIONS_DU_DIAGNOSTIC.items():
        section = _section(page, titre)
        for key in keys:
            seuils = indicateurs[key]["seuils"]
            for value in (seuils["surveiller"], seuils["alerte"]):
                # 0 and 1 are written in words (« positif », « un mois »)
                if value not in (0, 1):
                    assert _cite(section, value), (key, value)


def test_chaque_terme_du_glossaire_est_employe_par_l_outil() -> None:
    """Each term of the glossary (without its parenthesised abbreviation) is written in the
    code or the data the tool prints from (src/, plan_comptable/)."""
    texte = (DOCS / "guide" / "glossaire.md").read_text(encoding="utf-8")
    termes = re.findall(r"^\| \*\*(.+?)\*\* \|", texte, re.M)
    assert len(termes) >= 30
    fichiers = [
        *ROOT.joinpath("src").rglob("*.py"),
        *ROOT.joinpath("src").rglob("*.html"),
        *ROOT.joinpath("plan_comptable").glob("*.yaml"),
    ]
    corpus = _sans_espaces(" ".join(f.read_text(encoding="utf-8") for f in fichiers)).casefold()
    absents = [t for t in termes if re.sub(r"\s*\(.*\)$", "", t).casefold() not in corpus]
    assert absents == []


def test_fava_sert_les_pages_du_guide() -> None:
    """``guide/routines`` is served; its links to the guide's pages stay in the guide,
    those to the user guide (``../budget.md``) go to its chapters; nothing outside."""

    def url(nom: str, section: str) -> str:
        return f"@{nom}#{section}"

    titre, corps = chapitre("guide/routines", url, lambda image: image)
    assert titre.startswith("Les routines du gestionnaire")
    assert 'href="@guide/lire-le-diagnostic#"' in corps
    assert 'href="@budget#"' in corps
    assert 'id="chaque-mois"' in corps
    for nom in ("guide/../pyproject", "guide/inconnu", "autre/routines", "../docs/index"):
        with pytest.raises(ChapitreInconnu):
            chapitre(nom, url, lambda image: image)


def test_chaque_lien_entre_chapitres_mene_a_une_section() -> None:
    """Every link between the chapters of the user guide (docs/*.md, also into the
    README), with an anchor, names an existing heading of its file, the anchor as GitHub
    and the guide served in Fava write it (accents kept): « #une-commande-qui-ecrit-… »
    led nowhere, on GitHub as in Fava."""
    casses = []
    checked = 0
    for source in sorted(DOCS.glob("*.md")):
        for cible, section in _liens(source):
            if section and cible.is_file():
                checked += 1
                if section not in _titres(cible):
                    casses.append((source.name, cible.name, section))
    assert casses == []
    assert checked > 60
