"""End to end in a real headless Chromium (Debian's ``/usr/bin/chromium`` driven by
Playwright's Python package): a real ``communs fava`` process serves the example
association; each page of the extension is opened through Fava's own front end, its
key figures are read from the DOM and compared with the CLI's JSON, no console
error is allowed, Fava's charts must render, and a screenshot of each page is saved
in a temporary folder (``COMMUNS_CAPTURES=artefacts/captures`` keeps them there).
The escaping case runs on a small ledger whose payee, narration, project name and
budget label are ``<script>alert(1)</script>``; the security case on a ledger with
``<img src=x onerror=…>``, ``<svg onload=…>`` and ``javascript:`` links in every field
(Fava 1.30's journal inserts them as HTML): no dialog may open on Fava's journal,
account and errors pages nor on ours, and Fava's own pages must keep working under the
Content-Security-Policy of ``communs fava``.

With ``COMMUNS_CAPTURES_DOCS=1`` the screenshots of the documentation
(``docs/images/fava-*.png``) are written too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import BANQUE, COMMUNS, EXEMPLE, EXEMPLE_DIR, FOURNITURES, ROOT, run_communs
from fava_pages import PAGES, PIEGES, SCRIPT, cellules_du_json, ecrire_canal, ecrire_piege
from navigateur import chromium_lance, chromium_requis

CAPTURES = Path(os.environ.get("COMMUNS_CAPTURES") or EXEMPLE_DIR.parent / "captures")
IMAGES_DOCS = ROOT / "docs" / "images"

pytestmark = [
    pytest.mark.lent,
    chromium_requis("pour les tests dans un vrai navigateur"),
]


def _port_libre() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serveur:
    """A real ``communs fava LEDGER --port P`` process."""

    def __init__(self, ledger: Path) -> None:
        self.ledger = ledger
        self.port = _port_libre()
        env = {k: v for k, v in os.environ.items() if k != "COMMUNS_LEDGER"}
        self.process = subprocess.Popen(
            [str(COMMUNS), "fava", str(ledger), "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.sortie: list[str] = []
        self.accueil = self._attendre()

    def _attendre(self) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + 60
        accueil = None
        while accueil is None:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError("communs fava s'est arrêté : " + "".join(self.sortie))
            self.sortie.append(line)
            match = re.search(r"Ouvrez dans votre navigateur : (\S+)", line)
            if match:
                accueil = match.group(1)
            assert time.monotonic() < deadline, self.sortie
        while True:  # the address is printed before the server listens
            try:
                with urllib.request.urlopen(accueil, timeout=5) as response:
                    if response.status == 200:
                        return accueil
            except OSError:
                assert time.monotonic() < deadline, self.sortie
                time.sleep(0.2)

    def url(self, page: str, query: str = "") -> str:
        base = self.accueil.split("/extension/")[0]
        return f"{base}/extension/{page}/" + (f"?{query}" if query else "")

    def arreter(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def serveur(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serveur]:
    """``communs fava`` on a copy of the example (Fava writes Beancount's cache beside
    the ledger it serves: never in the repository)."""
    copie = tmp_path_factory.mktemp("exemple") / "association"
    shutil.copytree(EXEMPLE.parent, copie, ignore=shutil.ignore_patterns(".*picklecache"))
    _reseau_en_chemin_absolu(copie / "communs.yaml")
    found = Serveur(copie / EXEMPLE.name)
    yield found
    found.arreter()


def _reseau_en_chemin_absolu(config: Path) -> None:
    """The copy's ``partage.reseau.chemin`` (relative to the example) made absolute."""
    texte = config.read_text(encoding="utf-8")
    relatif = "chemin: ../../modeles/reseau-exemple"
    assert relatif in texte
    absolu = f"chemin: {ROOT / 'modeles' / 'reseau-exemple'}"
    config.write_text(texte.replace(relatif, absolu), encoding="utf-8")


@pytest.fixture(scope="module")
def navigateur() -> Iterator[Any]:
    with chromium_lance() as browser:
        yield browser


class Onglet:
    """A browser page that records console errors, page errors and dialogs."""

    def __init__(self, browser: Any, largeur: int = 1280, hauteur: int = 900) -> None:
        self.context = browser.new_context(
            viewport={"width": largeur, "height": hauteur}, locale="fr-FR"
        )
        self.page = self.context.new_page()
        self.erreurs: list[str] = []
        self.dialogues: list[str] = []
        self.page.on(
            "console", lambda m: self.erreurs.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.erreurs.append(str(e)))
        self.page.on("dialog", self._dialogue)

    def _dialogue(self, dialog: Any) -> None:
        self.dialogues.append(dialog.message)
        dialog.dismiss()

    def ouvrir(self, url: str) -> None:
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, url
        self.page.wait_for_selector("article .communs[data-page]")

    def cellules(self) -> dict[tuple[str, str, str], list[str]]:
        found = self.page.evaluate(
            """() => Array.from(document.querySelectorAll('table[data-partie] td[data-valeur]'))
                .map(td => [td.closest('table').dataset.partie, td.dataset.ligne,
                            td.dataset.col, td.dataset.valeur, td.innerText])"""
        )
        result: dict[tuple[str, str, str], list[str]] = {}
        for partie, ligne, col, valeur, _texte in found:
            result.setdefault((partie, ligne, col), []).append(valeur)
        return result

    def chiffres(self) -> dict[str, str]:
        return self.page.evaluate(
            """() => Object.fromEntries(Array.from(document.querySelectorAll('[data-chiffre]'))
                .map(e => [e.dataset.chiffre, e.dataset.valeur]))"""
        )

    def fermer(self) -> None:
        self.context.close()


def _cli(serveur: Serveur, *args: str) -> dict[str, Any]:
    """The CLI's JSON on the ledger the server serves (a copy of the example)."""
    done = run_communs(*args, "-f", str(serveur.ledger), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _capture(onglet: Onglet, nom: str) -> None:
    CAPTURES.mkdir(parents=True, exist_ok=True)
    onglet.page.screenshot(path=str(CAPTURES / f"{nom}.png"), full_page=True)
    pour_la_doc = nom in PAGES or nom.removesuffix("-telephone") in PAGES
    if os.environ.get("COMMUNS_CAPTURES_DOCS") == "1" and pour_la_doc:
        IMAGES_DOCS.mkdir(parents=True, exist_ok=True)
        onglet.page.screenshot(path=str(IMAGES_DOCS / f"fava-{nom}.png"), full_page=False)


def _meme_que_la_cli(onglet: Onglet, document: dict[str, Any]) -> int:
    attendu = cellules_du_json(document)
    parties = {p["id"] for p in document["parties"]}
    colonnes = {(p["id"], c["id"]) for p in document["parties"] for c in p["colonnes"]}
    montre = {k: v for k, v in onglet.cellules().items() if k[0] in parties and k[::2] in colonnes}
    assert montre == dict(attendu)
    return sum(len(v) for v in attendu.values())


DATA_PAGE = {
    "TableauDeBord": "tableau_de_bord",
    "CompteDeResultat": "compte_de_resultat",
    "Bilan": "bilan",
    "BudgetVsRealise": "budget_vs_realise",
    "Tresorerie": "tresorerie",
    "ComptesAnnuels": "comptes_annuels",
    "RapportDuTresorier": "rapport_financier",
    "DonsEtAdhesions": "dons",
    "Ressources": "ressources",
}
ETATS = {
    "CompteDeResultat": ("exercice=2025", ("resultat", "--exercice", "2025")),
    "Bilan": ("exercice=2025", ("bilan", "--exercice", "2025")),
    "BudgetVsRealise": ("exercice=2026", ("budget", "--exercice", "2026")),
    "Tresorerie": ("", ("tresorerie",)),
    "ComptesAnnuels": ("exercice=2025", ("comptes-annuels", "--exercice", "2025")),
    "RapportDuTresorier": ("exercice=2025", ("rapport-financier", "--exercice", "2025")),
    "Ressources": ("exercice=2025", ("ressources", "--exercice", "2025")),
}


@pytest.mark.parametrize("page", list(ETATS))
def test_page_dans_chromium_memes_chiffres_que_la_cli(
    serveur: Serveur, navigateur: Any, page: str
) -> None:
    query, commande = ETATS[page]
    onglet = Onglet(navigateur)
    try:
        onglet.ouvrir(serveur.url(page, query))
        assert _meme_que_la_cli(onglet, _cli(serveur, *commande)) > 50
        if page in ("BudgetVsRealise", "Tresorerie"):  # charts drawn, in French
            graphique = onglet.page.locator(".communs-graphiques figure svg").first
            texte = graphique.text_content()
            assert re.search(r"(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)", texte)
            assert not re.search(r"\b(Jan|Feb|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20", texte)
            assert "Réalisé" in texte  # the legend
        if page == "Ressources":  # the chart of the three pillars, exercice by exercice
            graphique = onglet.page.locator(".communs-graphiques figure svg").first
            texte = graphique.text_content()
            assert "2024" in texte and "2025" in texte
            assert "Subventions publiques" in texte and "Ressources propres" in texte
            lien = onglet.page.locator("tr[data-ligne=indice_herfindahl] a[data-pratique]").first
            assert lien.get_attribute("href").endswith(
                "chapitre=guide/modele-socio-economique"
                "#indice-de-concentration-des-financeurs-herfindahl"
            )
        _capture(onglet, page)
        assert onglet.erreurs == []
        assert "Erreur interne" not in onglet.page.inner_text("article")
    finally:
        onglet.fermer()


def test_dons_et_adhesions_dans_chromium(serveur: Serveur, navigateur: Any) -> None:
    """The members' fees and the declaration figures of the page are the CLI's; no
    donor's address on the page."""
    onglet = Onglet(navigateur)
    try:
        onglet.ouvrir(serveur.url("DonsEtAdhesions", "exercice=2026"))
        assert _meme_que_la_cli(onglet, _cli(serveur, "adherents", "-e", "2026")) > 10
        _meme_que_la_cli(onglet, _cli(serveur, "recus", "-e", "2026", "--declaration"))
        donnees = _cli(serveur, "adherents", "-e", "2026")["totaux_par_colonne"]
        total = onglet.cellules()[("mois", "total", "cotisations")]
        assert total == [donnees["montant"]["total"]]
        texte = onglet.page.inner_text("article")
        assert "Dons par donateur" in texte and "Donateurs par tranche de dons" in texte
        adresses = (serveur.ledger.parent / "donateurs.yaml").read_text(encoding="utf-8")
        for ligne in adresses.splitlines():
            if "adresse:" in ligne:
                assert ligne.split("adresse:")[1].strip().strip('"') not in texte
        _capture(onglet, "DonsEtAdhesions")
        assert onglet.erreurs == []
    finally:
        onglet.fermer()


def test_tableau_de_bord_dans_chromium(serveur: Serveur, navigateur: Any) -> None:
    onglet = Onglet(navigateur)
    try:
        onglet.ouvrir(serveur.accueil)
        chiffres = onglet.chiffres()
        budget = _cli(serveur, "budget")["totaux_par_colonne"]
        assert chiffres["resultat_a_date"] == budget["realise"]["resultat"]
        atterrissage = _cli(serveur, "prevision", "atterrissage")["totaux_par_colonne"][
            "atterrissage"
        ]
        assert chiffres["atterrissage"] == atterrissage["resultat"]
        assert chiffres["projection_du_budget"] == budget["projection"]["resultat"]
        plan = _cli(serveur, "tresorerie")["totaux_par_colonne"]["base"]
        assert chiffres["point_bas:base"] == plan["point_bas"]
        # the pessimistic scenario goes under the threshold: the first alert, with the
        # CLI's low point, and that low point beside the base one
        pessimiste = _cli(serveur, "tresorerie", "--scenario", "pessimiste")
        point_bas = pessimiste["totaux_par_colonne"]["pessimiste"]["point_bas"]
        assert pessimiste["meta"]["mois_sous_seuil"]["pessimiste"] != []
        alerte = onglet.page.locator("[data-alertes] li[data-alerte]").first
        assert alerte.get_attribute("data-alerte") == "tresorerie:pessimiste"
        assert alerte.get_attribute("data-valeur") == point_bas
        assert "sous le seuil d'alerte" in alerte.inner_text()
        assert chiffres["point_bas:pessimiste"] == point_bas
        # budget warnings are not errors: no « Erreurs » entry in Fava's sidebar
        assert onglet.page.locator("aside a[href$='/errors/']").count() == 0
        texte = onglet.page.inner_text("article")
        assert "Tableau de bord" in texte and "Diagnostic financier" in texte
        _capture(onglet, "TableauDeBord")
        assert onglet.erreurs == []
    finally:
        onglet.fermer()


def test_comparaison_avec_le_reseau_dans_chromium(serveur: Serveur, navigateur: Any) -> None:
    """The sample network (30 associations, 2025): the page opens on 2025 (the latest
    exercice the network covers), shows the CLI's figures and its two charts; the group
    selector works by clicking."""
    onglet = Onglet(navigateur)
    try:
        onglet.ouvrir(serveur.url("ComparaisonReseau"))
        actif = onglet.page.locator("nav[data-selecteur=exercice] a.actif")
        assert actif.get_attribute("data-valeur") == "2025"
        assert _meme_que_la_cli(onglet, _cli(serveur, "reseau", "comparer", "-e", "2025")) > 20
        graphiques = onglet.page.locator(".communs-graphiques figure svg")
        assert graphiques.count() == 2
        assert "Médiane" in (graphiques.first.text_content() or "")
        onglet.page.click("nav[data-selecteur=groupe] a[data-valeur=taille]")
        onglet.page.wait_for_selector("nav[data-selecteur=groupe] a.actif[data-valeur=taille]")
        taille = _cli(serveur, "reseau", "comparer", "-e", "2025", "--groupe", "taille")
        _meme_que_la_cli(onglet, taille)
        _capture(onglet, "ComparaisonReseau")
        assert onglet.erreurs == []
        assert "Erreur interne" not in onglet.page.inner_text("article")
    finally:
        onglet.fermer()


def test_navigation_par_la_barre_laterale_et_les_selecteurs(
    serveur: Serveur, navigateur: Any
) -> None:
    """Fava's front end loads our pages without reloading (its router), and the exercice
    selector and the drill-down work by clicking."""
    onglet = Onglet(navigateur)
    try:
        onglet.ouvrir(serveur.accueil)
        onglet.page.click("aside a[href*='/extension/CompteDeResultat/']")
        onglet.page.wait_for_selector(".communs[data-page=compte_de_resultat]")
        onglet.page.click("nav[data-selecteur=exercice] a[data-valeur='2024']")
        onglet.page.wait_for_selector("nav[data-selecteur=exercice] a.actif[data-valeur='2024']")
        _meme_que_la_cli(onglet, _cli(serveur, "resultat", "--exercice", "2024"))
        ligne = onglet.page.locator("tr[data-ligne=salaires_traitements] details").first
        ligne.locator("summary").click()
        ligne.locator("a").first.click()
        onglet.page.wait_for_url(re.compile(r"/account/.*6411"))
        assert onglet.erreurs == []
        for page in PAGES:  # every page through the sidebar
            onglet.page.click(f"aside a[href*='/extension/{page}/']")
            onglet.page.wait_for_url(re.compile(f"/extension/{page}/"))
            onglet.page.wait_for_selector(f".communs[data-page={DATA_PAGE[page]}]")
        assert onglet.erreurs == []
    finally:
        onglet.fermer()


def test_echappement_dans_chromium(
    navigateur: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ledger = ecrire_canal(tmp_path_factory.mktemp("navigateur") / "canal")
    serveur = Serveur(ledger)
    onglet = Onglet(navigateur)
    try:
        for page, query in [
            ("TableauDeBord", ""),
            ("CompteDeResultat", "projet=ESC"),
            ("BudgetVsRealise", "projet=ESC"),
        ]:
            onglet.ouvrir(serveur.url(page, query))
            assert SCRIPT in onglet.page.inner_text("article")  # shown as text
        onglet.page.goto(serveur.url("TableauDeBord").split("/extension/")[0] + "/journal/")
        onglet.page.wait_for_load_state("networkidle")
        assert onglet.dialogues == []  # alert(1) never ran
        assert onglet.erreurs == []
        _capture(onglet, "echappement")
    finally:
        onglet.fermer()
        serveur.arreter()


def test_commande_fava_refuse_un_port_occupe(serveur: Serveur) -> None:
    done = subprocess.run(
        [str(COMMUNS), "fava", str(serveur.ledger), "--port", str(serveur.port)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "port déjà utilisé" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


# --- No script from the ledger's text, CSP on Fava's own pages --------------------------------

# Fava's own pages on the example association: each must work under the CSP of
# ``communs fava`` (no console error, no CSP violation) and show its content.
PAGES_FAVA = [
    ("journal/", ".journal li"),
    ("account/Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires/", ".journal li"),
    ("income_statement/", "svg"),
    ("balance_sheet/", ".tree-table-new"),
    ("trial_balance/", ".tree-table-new"),
    ("holdings/", "table"),
    ("commodities/", "article"),
    ("documents/", "article"),
    ("events/", "article"),
    ("statistics/", "table"),
    ("query/", "form"),
    ("options/", "table"),
    ("editor/", ".cm-editor .cm-line"),
    ("help/", ".help-text p"),
]


def _ouvrir_fava(onglet: Onglet, url: str, selecteur: str) -> Any:
    response = onglet.page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url
    onglet.page.wait_for_selector(f"article {selecteur}" if selecteur != "article" else "article")
    return response


def _cliquer_les_liens_javascript(onglet: Onglet) -> int:
    """Click every ``javascript:`` link of the page (as a curious board member would)."""
    nombre = onglet.page.evaluate(
        """() => { const liens = Array.from(document.querySelectorAll('a'))
              .filter(a => (a.getAttribute('href') || '').trim().toLowerCase()
                           .startsWith('javascript:'));
              liens.forEach(a => a.click()); return liens.length; }"""
    )
    onglet.page.wait_for_timeout(300)
    return nombre


def _base(serveur: Serveur) -> str:
    return serveur.accueil.split("/extension/")[0]


@pytest.mark.parametrize(("chemin", "selecteur"), PAGES_FAVA)
def test_pages_de_fava_sous_la_politique_de_securite(
    serveur: Serveur, navigateur: Any, chemin: str, selecteur: str
) -> None:
    onglet = Onglet(navigateur)
    try:
        response = _ouvrir_fava(onglet, f"{_base(serveur)}/{chemin}", selecteur)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert onglet.erreurs == []  # no CSP violation, no error of Fava's front end
    finally:
        onglet.fermer()


def test_page_d_import_de_fava_en_francais(serveur: Serveur, navigateur: Any) -> None:
    onglet = Onglet(navigateur)
    try:
        _ouvrir_fava(onglet, f"{_base(serveur)}/import/", "p")
        texte = onglet.page.inner_text("article")
        assert "communs importer" in texte
        assert "No importers" not in texte
        lien = onglet.page.locator("article p a")
        assert lien.get_attribute("href", timeout=5000).endswith("/help/import")
        assert onglet.erreurs == []
    finally:
        onglet.fermer()


def test_aucun_script_du_grand_livre_ne_s_execute(
    navigateur: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Markup in every field, on Fava's journal, account and errors pages and ours:
    no dialog ever opens, even after clicking every ``javascript:`` link; the pages
    keep working (only the injected handlers are refused)."""
    ledger = ecrire_piege(tmp_path_factory.mktemp("navigateur") / "piege")
    serveur = Serveur(ledger)
    onglet = Onglet(navigateur)
    base = _base(serveur)
    try:
        pages = [
            (f"{base}/journal/", ".journal li"),
            (f"{base}/account/{BANQUE}/", ".journal li"),
            (f"{base}/account/{FOURNITURES}/", ".journal li"),
            (f"{base}/errors/", "table"),
            (serveur.url("TableauDeBord"), ".communs[data-page]"),
            (serveur.url("CompteDeResultat", "projet=ESC"), ".communs[data-page]"),
            (serveur.url("Bilan"), ".communs[data-page]"),
        ]
        liens = 0
        for url, selecteur in pages:
            response = _ouvrir_fava(onglet, url, selecteur)
            onglet.page.wait_for_timeout(300)  # let onload/onerror handlers fire, if any
            liens += _cliquer_les_liens_javascript(onglet)
            assert onglet.dialogues == [], url
            politique = response.headers.get("content-security-policy", "")
            script_src = next(p for p in politique.split(";") if "script-src" in p)
            assert "'self'" in script_src and "unsafe-inline" not in script_src, url
        onglet.page.goto(f"{base}/journal/", wait_until="networkidle")
        journal = onglet.page.inner_text("article")
        assert "Apport des fondateurs" in journal  # Fava's journal still shows the entries
        onglet.ouvrir(serveur.url("CompteDeResultat", "projet=ESC"))
        assert PIEGES["projet"] in onglet.page.inner_text("article")  # ours: as text
        assert liens >= 1  # the note's javascript: link reached Fava's journal
        assert onglet.dialogues == []
        assert [
            e
            for e in onglet.erreurs
            if "Content Security Policy" not in e and "Failed to load resource" not in e
        ] == []
    finally:
        onglet.fermer()
        serveur.arreter()


# --- Readable on a laptop and on a phone --------------------------------------------------------

ECRANS = {"portable": (1280, 800), "telephone": (390, 844)}
PAGES_LISIBLES = [
    ("TableauDeBord", ""),
    ("CompteDeResultat", "exercice=2025"),
    ("CompteDeResultat", "exercice=2026"),
    ("Bilan", "exercice=2025"),
    ("Bilan", "exercice=2026"),
    ("BudgetVsRealise", "exercice=2026"),
    ("BudgetVsRealise", "exercice=2026&projet=ECOLE"),
    ("Ressources", "exercice=2025"),
    ("RapportDuTresorier", "exercice=2025"),
]
CAPTURES_TELEPHONE = {PAGES_LISIBLES[i] for i in (0, 1, 3, 5)}  # for docs/fava.md
HORS_ECRAN = """() => {
  const largeur = window.innerWidth;
  const hors = [];
  let vues = 0;
  document.querySelectorAll('.communs td[data-valeur], .communs [data-chiffre]').forEach(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;  // a column behind the toggle
    vues += 1;
    if (r.left < -0.5 || r.right > largeur + 0.5)
      hors.push([e.dataset.ligne || e.dataset.chiffre, e.dataset.col, r.left, r.right]);
  });
  return {largeur, page: document.documentElement.scrollWidth, vues, hors};
}"""


@pytest.mark.parametrize("ecran", list(ECRANS))
@pytest.mark.parametrize(("page", "query"), PAGES_LISIBLES)
def test_aucun_chiffre_hors_de_l_ecran(
    serveur: Serveur, navigateur: Any, page: str, query: str, ecran: str
) -> None:
    """At 1280×800 and on a 390-px phone, every figure shown is inside the viewport
    horizontally and the page itself never scrolls sideways."""
    onglet = Onglet(navigateur, *ECRANS[ecran])
    try:
        onglet.ouvrir(serveur.url(page, query))
        mesure = onglet.page.evaluate(HORS_ECRAN)
        assert mesure["vues"] > 10
        assert mesure["hors"] == [], mesure["hors"][:5]
        assert mesure["page"] <= mesure["largeur"]
        assert onglet.erreurs == []
        if ecran == "telephone" and (page, query) in CAPTURES_TELEPHONE:
            if page != "TableauDeBord":  # show the table, not the selectors
                onglet.page.locator(".communs h3").first.scroll_into_view_if_needed()
                onglet.page.evaluate(
                    "window.scrollBy(0, document.querySelector('.communs h3')"
                    ".getBoundingClientRect().top - 8)"
                )
            _capture(onglet, f"{page}-telephone")
    finally:
        onglet.fermer()


def test_telephone_colonnes_principales_et_bouton_pour_les_autres(
    serveur: Serveur, navigateur: Any
) -> None:
    """On a phone the budget shows label, réalisé, budget à date and écart; « Afficher
    toutes les colonnes » (a CSS toggle, no script) shows the others, in the table's
    own frame, the label column staying in place."""
    onglet = Onglet(navigateur, *ECRANS["telephone"])
    try:
        onglet.ouvrir(serveur.url("BudgetVsRealise", "exercice=2026"))
        table = "table[data-partie=charges]"
        visibles = onglet.page.evaluate(
            f"""() => Array.from(document.querySelectorAll('{table} thead th'))
                .filter(th => th.getBoundingClientRect().width > 0).map(th => th.innerText)"""
        )
        assert [" ".join(t.split()) for t in visibles] == [
            "Libellé",
            "Budget à date",
            "Réalisé",
            "Écart",
        ]
        onglet.page.click("label[for=toutes-colonnes-charges]")
        annuel = onglet.page.locator(f"{table} td[data-col=budget_annuel]").first
        assert annuel.bounding_box()["width"] > 0
        assert onglet.page.evaluate("document.documentElement.scrollWidth") <= 390
        cadre = onglet.page.locator("[data-cadre=charges]")
        cadre.evaluate("c => { c.scrollLeft = c.scrollWidth; }")
        libelle = onglet.page.locator(f"{table} td.libelle").first.bounding_box()
        assert 0 <= libelle["x"] < 30  # sticky label column
        assert onglet.erreurs == []
    finally:
        onglet.fermer()


def test_comptes_annuels_sur_un_telephone_et_pdf_telecharge(
    serveur: Serveur, navigateur: Any, tmp_path: Path
) -> None:
    """« Comptes annuels » on a 390-px phone: the page never scrolls sideways, a figure
    outside the screen is only in an annexe table scrolling in its own frame, the
    « À compléter » list is shown (2024: three inputs missing); the « PDF (A4) »
    button downloads the PDF the page prints (its totals: the CLI's)."""
    onglet = Onglet(navigateur, *ECRANS["telephone"])
    try:
        onglet.ouvrir(serveur.url("ComptesAnnuels", "exercice=2024"))
        assert onglet.page.evaluate("document.documentElement.scrollWidth") <= 390
        hors = onglet.page.evaluate(
            """() => Array.from(document.querySelectorAll('.communs td[data-valeur]'))
                .filter(e => { const r = e.getBoundingClientRect();
                               return r.width > 0 && (r.left < -0.5 || r.right > 390.5); })
                .filter(e => !e.closest('.communs-cadre.defilant')).length"""
        )
        assert hors == 0
        bloc = onglet.page.locator("[data-a-completer]")
        assert bloc.get_attribute("data-a-completer") == "3"
        assert "effectif" in bloc.inner_text()
        _capture(onglet, "ComptesAnnuels-telephone")
        onglet.ouvrir(serveur.url("ComptesAnnuels", "exercice=2025"))
        with onglet.page.expect_download(timeout=120_000) as telechargement:
            onglet.page.click("nav[data-exports] a[data-export=pdf]")
        assert telechargement.value.suggested_filename == "comptes-annuels-2025.pdf"
        pdf = tmp_path / "comptes.pdf"
        telechargement.value.save_as(pdf)
        _pages, texte = _texte_du_pdf(pdf.read_bytes())
        totaux = _cli(serveur, "comptes-annuels", "--exercice", "2025")["totaux_par_colonne"]
        from decimal import Decimal

        from communs_ledger.formatage import montant

        for nom in ("total_actif", "total_passif", "resultat", "subventions", "dettes"):
            valeur = montant(Decimal(totaux["n"][nom]))
            assert " ".join(valeur.replace("\u202f", " ").replace("\xa0", " ").split()) in texte
        assert onglet.erreurs == []
    finally:
        onglet.fermer()


def test_tresorerie_defile_dans_son_cadre_mois_en_tete(serveur: Serveur, navigateur: Any) -> None:
    """The cash plan is wider than a laptop: it scrolls inside its own frame (the page
    does not), with the label column and the months' header kept in view."""
    onglet = Onglet(navigateur, *ECRANS["portable"])
    try:
        onglet.ouvrir(serveur.url("Tresorerie"))
        assert onglet.page.evaluate("document.documentElement.scrollWidth") <= 1280
        cadre = onglet.page.locator(".communs-cadre.defilant").first
        assert cadre.evaluate("c => c.scrollWidth > c.clientWidth")
        cadre.evaluate("c => { c.scrollLeft = c.scrollWidth; c.scrollTop = c.scrollHeight; }")
        entete = cadre.locator("thead th").nth(3).bounding_box()
        boite = cadre.bounding_box()
        assert abs(entete["y"] - boite["y"]) < 3  # months' header stuck on top
        libelle = cadre.locator("tbody td.libelle").last.bounding_box()
        assert abs(libelle["x"] - boite["x"]) < 3  # label column stuck on the left
    finally:
        onglet.fermer()


# --- On paper ---------------------------------------------------------------------------------


def _texte_du_pdf(pdf: bytes) -> tuple[int, str]:
    import io

    from pypdf import PdfReader

    lecteur = PdfReader(io.BytesIO(pdf))
    texte = "\n".join(page.extract_text() or "" for page in lecteur.pages)
    return len(lecteur.pages), " ".join(texte.replace("\u202f", " ").replace("\xa0", " ").split())


TOTAUX_AFFICHES = """() => Array.from(document.querySelectorAll(
    '.communs tr.total td[data-valeur], .communs tr.sous_total td[data-valeur], '
    + '.communs [data-chiffre] .valeur'))
  .map(e => e.innerText.replace(/^[✓✗]\\s*/, '').trim()).filter(t => t && t !== '—')"""


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("TableauDeBord", ""),
        ("CompteDeResultat", "exercice=2025"),
        ("Bilan", "exercice=2025"),
        ("BudgetVsRealise", "exercice=2026"),
    ],
)
def test_impression_pdf_contient_chaque_total(
    serveur: Serveur, navigateur: Any, page: str, query: str
) -> None:
    """Printed to PDF (A4, the browser's print of the page), every total and sub-total
    shown on screen is on paper — every column, N-1 included — and the selectors, the
    sidebar and the download buttons are not."""
    onglet = Onglet(navigateur)
    try:
        onglet.ouvrir(serveur.url(page, query))
        totaux = onglet.page.evaluate(TOTAUX_AFFICHES)
        assert len(totaux) >= 5
        pages, texte = _texte_du_pdf(onglet.page.pdf(prefer_css_page_size=True))
        assert pages >= 1
        manquants = [t for t in totaux if " ".join(t.replace("\u202f", " ").split()) not in texte]
        assert manquants == []
        assert "Télécharger" not in texte and "Exercice :" not in texte
        assert "Journal" not in texte  # Fava's sidebar
        # no cut column: laid out for print on the A4 width (less the 10-mm margins:
        # 190 mm portrait, 277 mm landscape for the budget), every figure is inside
        largeur = 1047 if page == "BudgetVsRealise" else 718
        onglet.page.set_viewport_size({"width": largeur, "height": 1000})
        onglet.page.emulate_media(media="print")
        mesure = onglet.page.evaluate(HORS_ECRAN)
        assert mesure["hors"] == [], mesure["hors"][:5]
        assert mesure["page"] <= largeur
    finally:
        onglet.fermer()


def test_bouton_imprimer_pdf_ouvre_la_page_imprimable(serveur: Serveur, navigateur: Any) -> None:
    """« Imprimer / PDF » opens the HTML renderer's page of the report, whose static
    script (allowed by the CSP: no inline script) asks the browser to print; the same
    figures as the CLI's HTML."""
    onglet = Onglet(navigateur)
    scripts: list[tuple[str, int]] = []
    onglet.context.on(
        "response", lambda r: scripts.append((r.url, r.status)) if "imprimer.js" in r.url else None
    )
    try:
        onglet.ouvrir(serveur.url("Bilan", "exercice=2025"))
        lien = onglet.page.locator("nav[data-exports] a[data-export=html]")
        assert lien.inner_text() == "Imprimer / PDF"
        with onglet.context.expect_page() as nouvelle:
            lien.click()
        imprimable = nouvelle.value
        imprimable.on(
            "console", lambda m: onglet.erreurs.append(m.text) if m.type == "error" else None
        )
        imprimable.wait_for_load_state("networkidle")
        assert [status for _url, status in scripts] == [200]
        texte = imprimable.inner_text("body")
        total = _cli(serveur, "bilan", "--exercice", "2025")["totaux_par_colonne"]["n"]
        assert "Total général" in texte or "TOTAL" in texte.upper()
        assert total  # the CLI's totals exist; the page is the CLI's HTML of the same report
        cellules = imprimable.evaluate("() => document.querySelectorAll('td[data-valeur]').length")
        assert cellules > 50
        assert onglet.erreurs == []
    finally:
        onglet.fermer()
