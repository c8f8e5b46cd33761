"""HTML renderer: standalone printable page, escaped text, figures readable from the DOM."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from communs_ledger.rapports.objets import Rapport
from communs_ledger.rendu import Format, render
from test_rendu_exemples import (
    ASSOCIATION,
    SCRIPT,
    compte_de_resultat,
    diagnostic,
    grand_livre,
    tous,
)


class _Dom(HTMLParser):
    """Collects the table cells (attributes and text) and every start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[dict] = []
        self.entetes: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self._open: list[dict] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("td", "th"):
            cell = {"tag": tag, **attributes, "texte": ""}
            if "data-ligne" in attributes:  # body cells (header cells only have data-col)
                self.cells.append(cell)
            else:
                self.entetes.append(cell)
            self._open.append(cell)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._open:
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        for cell in self._open:
            cell["texte"] += data


def _dom(rapport: Rapport) -> tuple[str, _Dom]:
    page = render(rapport, Format.html).decode("utf-8")
    dom = _Dom()
    dom.feed(page)
    return page, dom


def test_page_autonome_en_francais():
    page, dom = _dom(compte_de_resultat())
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert '<meta charset="utf-8">' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "<style>" in page and "@media print" in page
    assert "size: A4" in page and "display: table-header-group" in page
    assert "break-inside: avoid" in page
    assert "Les Jardins Partagés &amp; Cie" in page
    assert "<h1>Compte de résultat</h1>" in page
    assert "Exercice 2025" in page
    assert "Document généré le 2 mars 2026 par communs-ledger" in page
    assert [tag for tag, _ in dom.tags].count("section") == 2  # one partie + report notes
    assert ("section", {"class": "partie", "id": "partie-compte_de_resultat",
            "data-partie": "compte_de_resultat"}) in dom.tags  # fmt: skip
    assert "thead" in [tag for tag, _ in dom.tags]
    assert all("data-col" in cell for cell in dom.cells + dom.entetes)
    assert [c["texte"] for c in dom.entetes] == ["Libellé", "Exercice 2025", "Exercice 2024"]
    assert [c["data-col"] for c in dom.entetes] == ["libelle", "n", "n1"]


def test_texte_echappe():
    page, dom = _dom(grand_livre())
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not [tag for tag, _ in dom.tags if tag == "script"]
    labels = [c["texte"] for c in dom.cells if c["data-col"] == "libelle" and c["tag"] == "td"]
    assert labels[0] == SCRIPT  # shown as text, exactly
    rapport = compte_de_resultat()
    rapport.association = '"><img src=x onerror=alert(1)>'
    page, dom = _dom(rapport)
    assert "<img" not in page
    assert ASSOCIATION not in page


@pytest.mark.parametrize("rapport", tous(), ids=lambda r: r.id)
def test_data_valeur_egale_au_json(rapport):
    data = json.loads(render(rapport, Format.json))
    _, dom = _dom(rapport)
    for partie in data["parties"]:
        for ligne in partie["lignes"]:
            key = ligne["id"] or ligne["code"] or ""
            cells = {c["data-col"]: c for c in dom.cells if c["data-ligne"] == key}
            assert cells, key
            for colonne, value in ligne["valeurs"].items():
                if ligne["style"] == "titre":
                    continue
                cell = cells[colonne]
                if ligne["code"] and not ligne["id"]:
                    continue  # several rows share the code: checked in order below
                if value is None:
                    assert "data-valeur" not in cell
                else:
                    assert cell["data-valeur"] == str(value)
    # rows keyed by code (grand livre): in document order
    if rapport.id == "grand_livre":
        debits = [c.get("data-valeur") for c in dom.cells if c["data-col"] == "debit"]
        attendus = [row["valeurs"]["debit"] for p in data["parties"] for row in p["lignes"]]
        assert debits == attendus


def test_chiffres_a_la_francaise_negatifs_en_rouge():
    _, dom = _dom(compte_de_resultat())

    def cell(ligne, col):
        return next(c for c in dom.cells if c["data-ligne"] == ligne and c["data-col"] == col)

    resultat = cell("resultat", "n")
    assert resultat["data-valeur"] == "3722.06"
    assert resultat["texte"] == "3\u202f722,06\u00a0€"
    assert "nombre" in resultat["class"].split()
    financier = cell("resultat_financier", "n")
    assert financier["data-valeur"] == "-12.01"
    assert financier["texte"] == "-12,01\u00a0€"
    assert "negatif" in financier["class"].split()
    assert "negatif" not in cell("resultat_financier", "n1")["class"].split()
    assert cell("cotisations", "n")["texte"] == "1\u202f234,56\u00a0€"


def test_styles_des_lignes_et_indentation():
    page, dom = _dom(compte_de_resultat())
    rows = {a["data-ligne"]: a for tag, a in dom.tags if tag == "tr" and "data-ligne" in a}
    assert rows["resultat"]["class"].split()[0] == "total"
    assert rows["total_produits_exploitation"]["class"].split()[0] == "sous_total"
    assert rows["dont_subventions_etat"]["class"].split()[0] == "dont"
    assert rows["bloc_produits_exploitation"]["class"].split()[0] == "titre"
    titre = next(c for c in dom.cells if c["data-ligne"] == "bloc_produits_exploitation")
    assert titre["tag"] == "th" and titre["colspan"] == "3"
    assert titre["texte"] == "Produits d'exploitation"
    label = next(
        c
        for c in dom.cells
        if c["data-ligne"] == "dont_subventions_etat" and c["data-col"] == "libelle"
    )
    assert label["style"] == "padding-left: 2.8em"  # niveau 3
    assert "tr.total td { font-weight: 700" in page.replace("tr.sous_total td, ", "")
    assert "tr.dont td { font-style: italic" in page


def test_statuts_en_badges_avec_texte():
    _, dom = _dom(diagnostic())
    statuts = {
        c["data-ligne"]: c for c in dom.cells if c["data-col"] == "statut" and c["tag"] == "td"
    }
    assert statuts["autofinancement"]["texte"] == "✓ ok"
    assert statuts["autofinancement"]["data-valeur"] == "ok"
    assert statuts["tresorerie_mois"]["texte"] == "! à surveiller"
    assert statuts["dependance_subventions"]["texte"] == "✗ alerte"
    assert statuts["variation_fp"]["texte"] == ""
    badges = [a["class"] for tag, a in dom.tags if tag == "span"]
    assert badges == ["badge vert", "badge orange", "badge rouge"]
    pourcentage = next(
        c for c in dom.cells if c["data-ligne"] == "autofinancement" and c["data-col"] == "valeur"
    )
    assert pourcentage["texte"] == "12,5\u00a0%"
    assert pourcentage["data-valeur"] == "0.1250"


def test_notes_et_avertissements():
    page, _ = _dom(compte_de_resultat())
    assert "2 écritures sans pièce justificative." in page
    assert "Modèle du règlement ANC 2018-06." in page
    assert "Montants arrondis au centime à l&#39;affichage." in page


def test_contexte_sans_repetition():
    rapport = compte_de_resultat()
    rapport.sous_titre = "Exercice 2025 (du 1er janvier 2025 au 31 décembre 2025)"
    page, _ = _dom(rapport)
    assert '<p class="contexte">Exercice 2025 (du 1er janvier 2025 au 31 décembre 2025)</p>' in page
    rapport.sous_titre = ""
    page, _ = _dom(rapport)
    assert '<p class="contexte">Exercice 2025 — du 1er janvier 2025 au 31 décembre 2025</p>' in page
