"""Reading a PDF back with poppler's tools, as a person would (tests of the comptes
annuels' PDF): the named totals on their lines (``pdftotext -layout``), every page
rendered (``pdftoppm``), nothing shrunk or cut (``pdftotext -bbox``). The figures of
:data:`TOTAUX_NOMMES` are those of tests/livre_comptes_annuels.py, exercice 2025,
computed by hand in tests/test_comptes_annuels_poppler.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdfinfo"))

# (part's heading, total's label, amounts on the total's line, left to right)
TOTAUX_NOMMES = [
    ("Bilan — actif", "Total de l'actif", ["38 200,00 €", "900,00 €", "37 300,00 €"]),
    ("Bilan — passif", "Total du passif", ["37 300,00 €", "26 500,00 €"]),
    ("Compte de résultat", "5. Excédent ou déficit", ["1 700,00 €", "500,00 €"]),
    ("Immobilisations et amortissements", "Total", ["3 600,00 €", "900,00 €", "2 700,00 €"]),
    ("État des créances", "Total", ["4 200,00 €", "4 200,00 €", "0,00 €"]),
    ("État des dettes", "Total", ["10 600,00 €", "2 600,00 €", "8 000,00 €"]),
    ("Tableau de variation des fonds dédiés", "Total", ["6 000,00 €", "2 500,00 €", "3 500,00 €"]),
    ("Contributions volontaires en nature", "Total", ["5 300,00 €"]),
    ("Fonds propres et leur variation", "Total des fonds propres", ["20 500,00 €", "22 200,00 €"]),
    ("Provisions pour risques et charges", "Total des provisions", ["1 000,00 €"]),
    ("Subventions reçues, par financeur", "Total", ["3 000,00 €"]),
]


def texte_normalise(text: str) -> str:
    """The text with the narrow and non-breaking spaces of French amounts as spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def ligne_du_total(lines: list[str], titre: str, libelle: str) -> str:
    """The first line starting with ``libelle`` after the part's heading ``titre``."""
    debut = next(i for i, line in enumerate(lines) if line.strip() == titre)
    return next(
        " ".join(line.split()) for line in lines[debut + 1 :] if line.strip().startswith(libelle)
    )


def verifier_totaux(pdf: Path) -> None:
    """Every named total of :data:`TOTAUX_NOMMES` on its line of ``pdftotext -layout``."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    lines = texte_normalise(done.stdout).splitlines()
    for titre, libelle, montants in TOTAUX_NOMMES:
        ligne = ligne_du_total(lines, titre, libelle)
        position = 0
        for amount in montants:  # in the columns' order
            found = ligne.find(amount, position)
            assert found >= 0, (titre, libelle, amount, ligne)
            position = found + len(amount)


def pages_rendues(pdf: Path, folder: Path, dpi: int = 40) -> list[tuple[int, int, bytes]]:
    """Every page rendered by ``pdftoppm`` in grey levels: (width, height, pixels)."""
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(folder / "page")],
        capture_output=True,
        check=True,
    )
    rendered = []
    for image in sorted(folder.glob("page-*.pgm")):
        data = image.read_bytes()
        magic, size, maximum, pixels = data.split(b"\n", 3)
        assert magic == b"P5" and maximum == b"255"
        width, height = (int(v) for v in size.split())
        assert len(pixels) == width * height
        rendered.append((width, height, pixels))
    return rendered


def nombre_de_pages(pdf: Path) -> int:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(line for line in done.stdout.splitlines() if line.startswith("Pages:"))[6:])


def verifier_pages(pdf: Path, folder: Path) -> int:
    """Every page rendered by ``pdftoppm``, not blank, A4 landscape, its right margin
    blank; and no table wider than the page (:func:`verifier_a_l_echelle`). Returns the
    number of pages."""
    dpi = 40
    pages = pages_rendues(pdf, folder, dpi)
    assert len(pages) == nombre_de_pages(pdf) >= 2
    # the print margin is 10 mm on the right: the last 8 mm of every row are paper
    marge = round(8 / 25.4 * dpi)
    for number, (width, height, pixels) in enumerate(pages, 1):
        assert (width, height) == (round(297 / 25.4 * dpi), round(210 / 25.4 * dpi))
        assert min(pixels) < 250, f"page {number} blanche"  # some ink on every page
        encre = [
            y
            for y in range(height)
            if min(pixels[y * width + width - marge : (y + 1) * width]) < 250
        ]
        assert encre == [], f"page {number} : encre dans la marge de droite, lignes {encre[:5]}"
    verifier_a_l_echelle(pdf)
    return len(pages)


MOT = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')


def verifier_a_l_echelle(pdf: Path) -> None:
    """No table wider than the page, read from the words' boxes (``pdftotext -bbox``).

    Chromium prints a page whose content is wider than the paper *shrunk to fit*: the
    table is whole but everything is smaller. So on every page the smallest word of the
    document (tables are 8 pt) must be at least as tall as the page number (8 pt, in the
    page's margin box, never shrunk), and every word must end before the right margin
    (297 − 10 mm)."""
    done = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    bas = 15 / 25.4 * 72  # the bottom margin, where the page number is
    droite = (297 - 10) / 25.4 * 72 + 0.5
    for number, page in enumerate(done.stdout.split("<page ")[1:], 1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        mots = [
            (float(x1), float(y1), float(x2), float(y2), t)
            for x1, y1, x2, y2, t in MOT.findall(page)
        ]
        numero = [y2 - y1 for _x1, y1, _x2, y2, t in mots if y1 > height - bas and t == "Page"]
        corps = [y2 - y1 for _x1, y1, _x2, y2, _t in mots if y2 < height - bas]
        assert numero and corps, f"page {number} sans numéro ou sans texte"
        assert min(corps) >= numero[0] - 0.01, f"page {number} imprimée réduite (trop large)"
        assert max(x2 for _x1, _y1, x2, _y2, _t in mots) <= droite, f"page {number} : marge"


def texte_du_pdf(pdf: Path) -> str:
    """The PDF's text (``pdftotext``), spaces normalised, on one line."""
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(texte_normalise(done.stdout).split())
