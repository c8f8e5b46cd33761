"""What a board member sees, in a real headless Chromium on the example association
served by a real ``communs fava``: on a 375-px phone nothing makes the page scroll
sideways — neither the document nor Fava's ``<article>`` (which scrolls on its own:
measuring the document alone misses it); in the dark theme (Fava follows the
system's) negative amounts, budget gaps and the chosen selector keep a readable
contrast; the keyboard never stops on something invisible; printed, the manager's
details are left out and no section heading ends a page alone.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import EXEMPLE, ROOT
from navigateur import chromium_lance, chromium_requis
from test_fava_navigateur import Onglet, Serveur, _reseau_en_chemin_absolu

pytestmark = [
    pytest.mark.lent,
    chromium_requis("pour les tests dans un vrai navigateur"),
]

TELEPHONE = (375, 667)
PORTABLE = (1366, 768)
PAGES = [
    ("TableauDeBord", ""),
    ("CompteDeResultat", "exercice=2025"),
    ("Bilan", "exercice=2025"),
    ("BudgetVsRealise", "exercice=2026"),
    ("Tresorerie", ""),
    ("ComptesAnnuels", "exercice=2024"),
    ("ComptesAnnuels", "exercice=2025"),
    ("RapportDuTresorier", "exercice=2024"),
    ("RapportDuTresorier", "exercice=2025"),
    ("ComparaisonReseau", "exercice=2025"),
    ("DonsEtAdhesions", "exercice=2026"),
    ("Ressources", "exercice=2025"),
]


@pytest.fixture(scope="module")
def serveur(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serveur]:
    copie = tmp_path_factory.mktemp("exemple") / "association"
    shutil.copytree(EXEMPLE.parent, copie, ignore=shutil.ignore_patterns(".*picklecache"))
    _reseau_en_chemin_absolu(copie / "communs.yaml")
    found = Serveur(copie / EXEMPLE.name)
    yield found
    found.arreter()


@pytest.fixture(scope="module")
def navigateur() -> Iterator[Any]:
    with chromium_lance() as browser:
        yield browser


DEBORDS = """() => {
  const article = document.querySelector('article');
  const droite = article.getBoundingClientRect().right;
  const hors = Array.from(article.querySelectorAll('*')).filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > droite + 0.5 && !e.closest('.communs-cadre');
  }).map(e => e.tagName + '.' + e.className + ' : ' + (e.innerText || '').slice(0, 40));
  return {document: document.documentElement.scrollWidth - window.innerWidth,
          article: article.scrollWidth - article.clientWidth, hors: hors.slice(0, 3)};
}"""


SANS_CHIFFRE = """() => Array.from(document.querySelectorAll('table[data-partie]'))
  .filter(t => t.querySelector('td[data-valeur]') && !Array.from(
    t.querySelectorAll('td[data-valeur]')).some(td => td.getBoundingClientRect().width > 0))
  .map(t => t.dataset.partie)"""


def test_telephone_375_aucune_page_ne_defile_de_cote(serveur: Serveur, navigateur: Any) -> None:
    """On a 375×667 phone, every page — the manager's folded details included (Fava
    gives every ``<details>`` a 400-px minimum width) — fits the width: the document
    and Fava's article do not scroll sideways, only a wide table in its own frame; the
    page's text is marked French."""
    onglet = Onglet(navigateur, *TELEPHONE)
    debords, muettes = {}, {}
    try:
        for page, query in PAGES:
            onglet.ouvrir(serveur.url(page, query))
            mesure = onglet.page.evaluate(DEBORDS)
            # Fava's <html> has no lang: the pages say theirs (French voice of a reader)
            langue = "document.querySelector('article .communs').closest('[lang]')?.lang"
            assert onglet.page.evaluate(langue) == "fr", page
            if mesure["document"] > 0 or mesure["article"] > 0 or mesure["hors"]:
                debords[f"{page}?{query}"] = mesure
            muettes[f"{page}?{query}"] = onglet.page.evaluate(SANS_CHIFFRE)
        assert debords == {}
        assert {k: v for k, v in muettes.items() if v} == {}
        assert onglet.erreurs == []
    finally:
        onglet.fermer()


CONTRASTES = """(selecteurs) => {
  const rgb = c => { const p = c.match(/[\\d.]+/g).map(Number);
                     return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const sur = (h, b) => ({r: h.r * h.a + b.r * (1 - h.a), g: h.g * h.a + b.g * (1 - h.a),
                          b: h.b * h.a + b.b * (1 - h.a), a: 1});
  const lum = c => { const f = v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const fond = e => { const couches = [];
    for (let x = e; x; x = x.parentElement) {
      const c = rgb(getComputedStyle(x).backgroundColor);
      if (c.a > 0) { couches.push(c); if (c.a >= 1) break; } }
    if (!couches.length || couches[couches.length - 1].a < 1)
      couches.push(rgb(getComputedStyle(document.body).backgroundColor));
    return couches.reverse().reduce((b, h) => sur(h, b)); };
  const faibles = [];
  for (const s of selecteurs) for (const e of document.querySelectorAll(s)) {
    if (e.getBoundingClientRect().width === 0) continue;
    const b = fond(e), t = sur(rgb(getComputedStyle(e).color), b);
    const [l1, l2] = [lum(t), lum(b)];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    if (ratio < 4.5) {
      faibles.push([s, e.innerText.trim().slice(0, 20), ratio.toFixed(2)]);
      break;
    }
  }
  return faibles;
}"""
DESSINS = CONTRASTES.replace(
    "const faibles = [];",
    """return Array.from(document.querySelectorAll('.communs-graphiques svg')).map(svg => {
    const b = fond(svg), r = (c, d) => { const [l1, l2] = [lum(c), lum(d)];
      return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05); };
    const barre = rgb(getComputedStyle(svg.querySelector('g.trace rect')).fill);
    const texte = sur(rgb(getComputedStyle(svg.querySelector('text')).fill), b);
    return [r(barre, b), r(texte, b)]; });
    const faibles = [];""",
)
COLORES = [
    ".communs .negatif",
    ".communs .favorable",
    ".communs .defavorable",
    ".communs .selecteur a.actif",
    ".communs .selecteur a:not(.actif)",
    ".communs td.num",
]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_contraste_des_montants_et_des_ecarts(
    serveur: Serveur, navigateur: Any, theme: str
) -> None:
    """Negative amounts (red), favourable and unfavourable gaps (green, dark red), the
    chosen and the other selector buttons reach the 4.5:1 contrast of WCAG AA on
    their background, in Fava's light theme and in its dark theme (a phone in dark
    mode: #c00000 on Fava's #262626 was 2.3:1)."""
    onglet = Onglet(navigateur, *PORTABLE)
    onglet.context.close()
    onglet.context = navigateur.new_context(
        viewport={"width": PORTABLE[0], "height": PORTABLE[1]}, locale="fr-FR", color_scheme=theme
    )
    onglet.page = onglet.context.new_page()
    try:
        vus = {}
        for page, query in [("BudgetVsRealise", "exercice=2026"), ("Bilan", "exercice=2025")]:
            onglet.ouvrir(serveur.url(page, query))
            assert onglet.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (
                theme == "dark"
            )
            vus[page] = onglet.page.evaluate(CONTRASTES, COLORES)
        assert vus == {"BudgetVsRealise": [], "Bilan": []}
        # the charts: their columns (graphical objects: 3:1) and their text (4.5:1)
        onglet.ouvrir(serveur.url("BudgetVsRealise", "exercice=2026"))
        dessins = onglet.page.evaluate(DESSINS)
        assert len(dessins) == 2
        assert [d for d in dessins if d[0] < 3 or d[1] < 4.5] == []
    finally:
        onglet.fermer()


def test_la_tabulation_ne_s_arrete_que_sur_du_visible(serveur: Serveur, navigateur: Any) -> None:
    """Tab after Tab through the budget page on a laptop, each stop of the keyboard is
    something the user sees (the phone's « Afficher toutes les colonnes » checkbox,
    hidden there, is no stop on a laptop where all the columns are shown) and its
    focus is drawn (an outline)."""
    onglet = Onglet(navigateur, *PORTABLE)
    try:
        onglet.ouvrir(serveur.url("BudgetVsRealise", "exercice=2026"))
        onglet.page.evaluate(
            "() => { const c = document.querySelector('article .communs');"
            " c.tabIndex = -1; c.focus(); }"
        )
        arrets = []
        for _ in range(30):
            onglet.page.keyboard.press("Tab")
            arret = onglet.page.evaluate(
                """() => { const e = document.activeElement;
                  if (!e.closest('article .communs')) return null;
                  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                  return {quoi: e.tagName + '.' + e.className + ' ' + e.innerText.slice(0, 20),
                          visible: r.width > 2 && r.height > 2 && s.opacity !== '0'
                                   && s.visibility !== 'hidden',
                          contour: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0};
                }"""
            )
            if arret is not None:
                arrets.append(arret)
        assert len(arrets) > 10
        assert [a["quoi"] for a in arrets if not a["visible"]] == []
        assert [a["quoi"] for a in arrets if not a["contour"]] == []
    finally:
        onglet.fermer()


def test_impression_sans_detail_du_gestionnaire_ni_titre_en_bas_de_page(
    serveur: Serveur, navigateur: Any
) -> None:
    """The treasurer's report printed from its Fava page (A4): the manager's folded
    « Détail pour le gestionnaire » is not on paper, and no page ends on a section
    heading whose content starts on the next page."""
    from pypdf import PdfReader

    onglet = Onglet(navigateur, *PORTABLE)
    try:
        onglet.ouvrir(serveur.url("RapportDuTresorier", "exercice=2024"))
        assert onglet.page.locator("details.gestionnaire").count() == 1
        titres = set(  # the headings (a chart's legend may say « Exercice 2024 » too)
            onglet.page.evaluate(
                """() => { const dessins = new Set(Array.from(
                      document.querySelectorAll('.communs svg text')).map(t => t.textContent));
                    return Array.from(document.querySelectorAll('.communs h2, .communs h3'))
                      .map(h => h.innerText.trim()).filter(t => !dessins.has(t)); }"""
            )
        )
        lecteur = PdfReader(io.BytesIO(onglet.page.pdf(prefer_css_page_size=True)))
        textes = [page.extract_text() or "" for page in lecteur.pages]
        assert len(textes) > 3
        assert not any("Détail pour le gestionnaire" in t for t in textes)
        fins = [
            [ligne.strip() for ligne in t.splitlines() if ligne.strip()][-1] for t in textes[:-1]
        ]
        assert [fin for fin in fins if fin in titres] == []
    finally:
        onglet.fermer()


def test_deux_liens_d_aide_separes(serveur: Serveur, navigateur: Any) -> None:
    """Under a figure, « En savoir plus » (the user guide) and « Bonnes pratiques » (the
    good-practice guide) are two links: a separator between them, not one phrase that
    reads as a single link."""
    onglet = Onglet(navigateur, *PORTABLE)
    try:
        onglet.ouvrir(serveur.url("TableauDeBord"))
        textes = onglet.page.evaluate(
            "() => Array.from(document.querySelectorAll('.communs .explication'))"
            ".filter(e => e.querySelector('[data-aide]') && e.querySelector('[data-pratique]'))"
            ".map(e => e.innerText)"
        )
        assert len(textes) > 3
        assert [t for t in textes if "En savoir plus · Bonnes pratiques" not in t] == []
    finally:
        onglet.fermer()


def test_guide_sur_un_telephone(serveur: Serveur, navigateur: Any) -> None:
    """Every chapter of the guide served in Fava (where « Bonnes pratiques » and « En
    savoir plus » lead) fits a 375-px phone: a wide table scrolls in itself, a long
    inline code (``comptes_annuels.exercices."AAAA".…``) wraps; 18 of the chapters
    slid sideways (up to 684 px)."""
    docs = ROOT / "docs"
    chapitres = [f.stem for f in sorted(docs.glob("*.md"))]
    chapitres += [f"guide/{f.stem}" for f in sorted((docs / "guide").glob("*.md"))]
    assert len(chapitres) > 20
    onglet = Onglet(navigateur, *TELEPHONE)
    larges = {}
    try:
        for chapitre in chapitres:
            url = serveur.url("TableauDeBord", f"chapitre={chapitre}").replace("/?", "/guide?")
            reponse = onglet.page.goto(url)
            assert reponse is not None and reponse.status == 200, url
            largeur = onglet.page.evaluate("document.documentElement.scrollWidth")
            if largeur > TELEPHONE[0]:
                larges[chapitre] = largeur
        assert larges == {}
    finally:
        onglet.fermer()


def test_entetes_des_chiffres_dans_la_police_des_chiffres(
    serveur: Serveur, navigateur: Any
) -> None:
    """The heading of a column of figures is in the page's font, like its figures (Fava's
    ``.num`` made it monospace, « Réalisé N-1 » broken on its hyphen)."""
    onglet = Onglet(navigateur, *PORTABLE)
    try:
        onglet.ouvrir(serveur.url("BudgetVsRealise", "exercice=2026"))
        polices = onglet.page.evaluate(
            "() => ['th.num', 'td.num'].map(s => getComputedStyle("
            "document.querySelector('.communs table.communs-tableau ' + s)).fontFamily)"
        )
        assert polices[0] == polices[1] and "Mono" not in polices[0]
    finally:
        onglet.fermer()
