"""Helpers of the Fava extension's tests: a Fava app on a ledger, reading the figures
back from the pages (``data-*`` attributes), a small association whose figures are
computed by hand."""

from __future__ import annotations

import json
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from conftest import BANQUE, COTISATIONS, FONDS, FOURNITURES, SUBVENTION, write_ledger

PAGES = (
    "TableauDeBord",
    "CompteDeResultat",
    "Bilan",
    "BudgetVsRealise",
    "Tresorerie",
    "ComptesAnnuels",
    "RapportDuTresorier",
    "DonsEtAdhesions",
    "Ressources",
)
SCRIPT = "<script>alert(1)</script>"
SCRIPT_ECHAPPE = "&lt;script&gt;alert(1)&lt;/script&gt;"
SALAIRES = "Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires"

# Les Amis du Canal, exercice 2026 (calendar), one bank account:
#   bank = 20 000 (apport) + 450 (cotisations) + 5 000 (subvention) − 300 (fournitures)
#          − 2 000 (salaires) = 23 150,00 €
#   résultat = 450 + 5 000 − 300 − 2 000 = 3 150,00 €
#   produits = 5 450,00 € ; charges = 2 300,00 €
# The fournitures entry has a payee and a narration that are a script, and the
# project ESC a script as its name: every page must show them as text.
CANAL_BODY = f"""\
plugin "communs_plugins.budget"
option "operating_currency" "EUR"
2026-01-01 custom "fava-option" "language" "fr"
2026-01-01 custom "fava-extension" "communs_ledger.fava_ext"

2026-01-01 open {BANQUE} EUR
2026-01-01 open {FONDS}
2026-01-01 open {COTISATIONS}
2026-01-01 open {SUBVENTION}
2026-01-01 open {FOURNITURES}
2026-01-01 open {SALAIRES}

2026-01-05 * "Apport des fondateurs"
  {BANQUE}  20000.00 EUR
  {FONDS}

2026-02-10 * "Cotisations 2026"
  {BANQUE}  450.00 EUR
  {COTISATIONS}

2026-03-15 * "Ville" "Subvention de fonctionnement"
  {BANQUE}  5000.00 EUR
  {SUBVENTION}

2026-03-20 * "{SCRIPT}" "{SCRIPT}"
  projet: "ESC"
  {FOURNITURES}  300.00 EUR
  {BANQUE}

2026-04-30 * "Paie d'avril"
  {SALAIRES}  2000.00 EUR
  {BANQUE}
"""
CANAL_RESULTAT = "3150.00"

# Markup that runs when a page inserts the text as HTML (unlike <script>, which never
# runs through innerHTML): one alert number per field, so that a dialog names its field.
PIEGES = {
    "beneficiaire": "<svg onload=alert(2)>",
    "libelle": '"><img src=x onerror=alert(3)>',
    "meta": "<img src=x onerror=alert(4)>",
    "lien_meta": "javascript:alert(5)",
    "meta_compte": "'><img src=x onerror=alert(6)>",
    "note": "<a href=javascript:alert(7)>note</a>",
    "custom": "<img src=x onerror=alert(8)>",
    "erreur": '"><img src=x onerror=alert(9)>',
    "projet": "<svg onload=alert(10)>",
}


def _chaine(text: str) -> str:
    """``text`` inside a Beancount string (its ``"`` escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


# The small association with markup in every field Fava or the pages show: payee,
# narration, metadata (also a javascript: link), account open metadata, a note, a
# custom directive, the narration of an unbalanced transaction (Fava's errors page and
# the pages' error lists), the name of a project. Tags and links cannot hold markup
# (Beancount's grammar). Bank = 20 000 − 300 = 19 700,00 €.
PIEGE_BODY = f"""\
plugin "communs_plugins.budget"
option "operating_currency" "EUR"
2026-01-01 custom "fava-option" "language" "fr"
2026-01-01 custom "fava-extension" "communs_ledger.fava_ext"

2026-01-01 open {BANQUE} EUR
  description: "{_chaine(PIEGES["meta_compte"])}"
2026-01-01 open {FONDS}
2026-01-01 open {FOURNITURES}

2026-01-05 * "Apport des fondateurs"
  {BANQUE}  20000.00 EUR
  {FONDS}

2026-03-20 * "{_chaine(PIEGES["beneficiaire"])}" "{_chaine(PIEGES["libelle"])}" #piege ^piege-1
  projet: "ESC"
  releve: "{_chaine(PIEGES["meta"])}"
  lien: "{_chaine(PIEGES["lien_meta"])}"
  {FOURNITURES}  300.00 EUR
    detail: "{_chaine(PIEGES["meta"])}"
  {BANQUE}

2026-03-21 note {BANQUE} "{_chaine(PIEGES["note"])}"
2026-03-22 custom "rappel" "{_chaine(PIEGES["custom"])}"

2026-03-23 * "Fournisseur" "{_chaine(PIEGES["erreur"])}"
  {FOURNITURES}  10.00 EUR
  {BANQUE}  -9.00 EUR
"""
PIEGE_CONFIG = f"""\
association:
  nom: "Les Amis du Canal"
projets:
  - code: ESC
    nom: "{_chaine(PIEGES["projet"])}"
"""


def ecrire_piege(folder: Path) -> Path:
    """The association with markup in every field (:data:`PIEGE_BODY`)."""
    return write_ledger(folder, PIEGE_BODY, config=PIEGE_CONFIG)


CANAL_TRESORERIE = "23150.00"

CANAL_CONFIG = f"""\
association:
  nom: "Les Amis du Canal"
projets:
  - code: ESC
    nom: "{SCRIPT}"
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

# Budget 2026, version « vote » (uniform profile): produits 6 000 + 600 = 6 600, charges
# 1 200 + 24 000 = 25 200 → résultat budgété −18 600 on the year.
CANAL_BUDGET = f"""\
versions:
  - code: vote
    nom: BP voté
    date: 2026-01-10
    lignes:
      - compte: "741"
        libelle: "{SCRIPT}"
        montant: 6000
      - compte: "756"
        montant: 600
      - compte: "6064"
        montant: 1200
      - compte: "6411"
        montant: 24000
"""


def ecrire_canal(folder: Path, *, budget: bool = True, config: str = CANAL_CONFIG) -> Path:
    """The small association (main file, communs.yaml, budgets/2026.yaml)."""
    main = write_ledger(folder, CANAL_BODY, config=config)
    if budget:
        (folder / "budgets").mkdir(exist_ok=True)
        (folder / "budgets" / "2026.yaml").write_text(
            textwrap.dedent(CANAL_BUDGET), encoding="utf-8"
        )
    return main


def fava_client(ledger: Path, *, ecriture: bool = False) -> tuple[Any, str]:
    """A Flask test client of Fava on ``ledger`` as ``communs fava`` serves it (read-only
    unless ``ecriture``, with its protections) and the ledger's slug. The test client
    sends ``Host: localhost``, which a browser sends for a server on port 80."""
    from communs_ledger.cli.serveur import application_fava

    # Fava's polling watcher: hundreds of applications in one test process would exhaust
    # the inotify instances of the watchfiles one (« Too many open files »)
    app, *_ = application_fava(ledger.resolve(), ecriture=ecriture, port=80, poll_watcher=True)
    app.testing = True
    client = app.test_client()
    response = client.get("/")
    assert response.status_code == 302
    slug = response.location.strip("/").split("/")[-2]
    return client, slug


@dataclass
class PageLue:
    """What a page shows, read back from its ``data-*`` attributes."""

    cellules: dict[tuple[str, str, str], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    chiffres: dict[str, str | None] = field(default_factory=dict)
    statuts: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    liens: list[str] = field(default_factory=list)
    graphiques: list[Any] = field(default_factory=list)
    selecteurs: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)
    page: str | None = None


class _Lecteur(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lue = PageLue()
        self._partie: str | None = None
        self._texte: list[str] | None = None
        self._cible: list[str] | None = None
        self._profondeur = 0
        self._chart = False
        self._chart_text: list[str] = []
        self._selecteur: str | None = None
        self._lien: tuple[str, bool] | None = None
        self._chiffre: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-page" in a:
            self.lue.page = a["data-page"]
        if tag == "table" and "data-partie" in a:
            self._partie = a["data-partie"]
            self._chiffre = None  # a table's statuses are not the last figure's
        if tag == "td" and self._partie and "data-col" in a and "data-valeur" in a:
            key = (self._partie, a.get("data-ligne") or "", a["data-col"] or "")
            self.lue.cellules[key].append(a["data-valeur"] or "")
        if "data-chiffre" in a:
            self._chiffre = a["data-chiffre"]
            self.lue.chiffres[a["data-chiffre"] or ""] = a.get("data-valeur")
        if "data-statut" in a and self._chiffre and tag == "span":  # a card's badge
            self.lue.statuts[self._chiffre] = a["data-statut"] or ""
        if tag == "nav" and "data-selecteur" in a:
            self._selecteur = a["data-selecteur"]
            self.lue.selecteurs[self._selecteur or ""] = []
        if tag == "a":
            self.lue.liens.append(a.get("href") or "")
            if self._selecteur:
                self._lien = (a.get("data-valeur") or "", "actif" in (a.get("class") or ""))
                self._cible = []
        if tag == "div" and ("data-message" in a or "data-explication" in a):
            self._cible = []
        if tag == "p" and "data-explication" in a:
            self._cible = []
        if tag == "li" and (a.get("class") == "erreur"):
            self._cible = []
        if tag == "script" and "data-graphiques" in a:  # the charts' placed data
            self._chart = True
            self._chart_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._partie = None
        if tag == "nav":
            self._selecteur = None
        if tag == "a" and self._lien is not None and self._cible is not None:
            valeur, actif = self._lien
            self.lue.selecteurs[self._selecteur or ""].append(
                (valeur, "".join(self._cible).strip(), actif)
            )
            self._lien, self._cible = None, None
        if tag in ("div", "p") and self._cible is not None and self._lien is None:
            self.lue.messages.append(" ".join("".join(self._cible).split()))
            self._cible = None
        if tag == "li" and self._cible is not None and self._lien is None:
            self.lue.erreurs.append(" ".join("".join(self._cible).split()))
            self._cible = None
        if tag == "script" and self._chart:
            self.lue.graphiques.extend(json.loads("".join(self._chart_text)))
            self._chart = False

    def handle_data(self, data: str) -> None:
        if self._cible is not None:
            self._cible.append(data)
        if self._chart:
            self._chart_text.append(data)


def lire_page(html: str) -> PageLue:
    lecteur = _Lecteur()
    lecteur.feed(html)
    lecteur.close()
    return lecteur.lue


def cellules_du_json(document: dict[str, Any]) -> dict[tuple[str, str, str], list[str]]:
    """Every value of the CLI's JSON by (part, line id, column), as the pages key them."""
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for partie in document["parties"]:
        for ligne in partie["lignes"]:
            cle = ligne["id"] or ligne["code"] or ""
            for col, value in ligne["valeurs"].items():
                if value is not None:
                    found[(partie["id"], cle, col)].append(str(value))
    return found


def memes_chiffres(lue: PageLue, document: dict[str, Any]) -> int:
    """Assert the page shows every figure of the CLI's JSON, no other; return how many."""
    attendu = cellules_du_json(document)
    parties = {p["id"] for p in document["parties"]}
    # the JSON's columns (a page may add one beside them: « N-1 à même date »)
    colonnes = {(p["id"], c["id"]) for p in document["parties"] for c in p["colonnes"]}
    montre = {k: v for k, v in lue.cellules.items() if k[0] in parties and k[::2] in colonnes}
    differences = {
        k: (montre.get(k), attendu.get(k))
        for k in montre.keys() | attendu.keys()
        if montre.get(k) != attendu.get(k)
    }
    assert not differences, sorted(differences.items())[:10]
    return sum(len(v) for v in attendu.values())


def pdf_sans_chromium(get: Any, monkeypatch: Any, absent: Path) -> None:
    """The PDF endpoint of a page (``get()`` fetches it) without Chromium: 503 and the
    French sentence naming the Debian package and the XLSX fallback (shared by the pages
    built on ``PageAvecPdf``)."""
    monkeypatch.setenv("COMMUNS_CHROMIUM", str(absent))
    response = get()
    assert response.status_code == 503
    texte = response.get_data(as_text=True)
    assert "Chromium, introuvable sur cette machine" in texte
    assert "apt install chromium" in texte and "XLSX" in texte
