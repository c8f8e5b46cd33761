"""The rapport financier printed to PDF by Chromium, checked the way a person would:
``pdftotext`` finds every named total in French formatting and the page numbers,
``pdftoppm`` renders each page, and, in Chromium with the print style sheet, no table
nor chart is wider than the A4 page.

Chromium and poppler-utils are skipped when absent, unless COMMUNS_NAVIGATEUR_OBLIGATOIRE=1
(set by .ci/run, which installs them).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXEMPLE, ROOT
from navigateur import CHEMIN_CHROMIUM, OBLIGATOIRE, chromium_requis
from test_rapport_financier import _livre

pytestmark = chromium_requis("pour imprimer le PDF")
POPPLER = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")) and not OBLIGATOIRE,
    reason="pdftotext et pdftoppm absents : installez le paquet Debian « poppler-utils »",
)
LARGEUR_A4 = 718
"""Printable width of A4 portrait in CSS pixels: 210 − 2 × 10 mm = 190 mm."""


def _texte(pdf: Path) -> list[str]:
    """The text of each page (pdftotext, layout kept), special spaces as plain ones."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page.replace("\u202f", " ").replace("\xa0", " ") for page in out.split("\f")[:-1]]


@POPPLER
def test_pdf_read_back_and_rendered(tmp_path: Path, communs) -> None:
    main = _livre(tmp_path)
    pdf = tmp_path / "rapport-2025.pdf"
    result = communs("rapport-financier", "-f", str(main), "-e", "2025", "--pdf", str(pdf))
    assert result.exit_code == 0, result.output
    assert "PDF écrit dans" in result.output
    pages = _texte(pdf)
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, 1):
        assert f"Page {number} / {total}" in text
    whole = " ".join(" ".join(pages).split())
    for named in (
        "Les chiffres clés",
        "6 700,00 €",  # produits 2025
        "10 500,00 €",  # produits 2024
        "5 000,00 €",  # charges
        "1 700,00 €",  # résultat
        "22 200,00 €",  # fonds propres
        "30 400,00 €",  # trésorerie à la clôture
        "3 500,00 €",  # fonds dédiés
        "700,00 €",  # report à nouveau proposed
        "1 000,00 €",  # réserves proposed
        "117,7 mois",  # months of charges in reserve
        "4 800,00 €",  # charges of the budget 2026 put to the vote
        "44,8 %",  # part des subventions publiques
        "l'année 2025 est celle du vélo cargo",  # the treasurer's introduction
        "Merci à tous.",
    ):
        assert named in whole, named
    # Each page renders to an image (poppler): as many PNG files as pages, none blank.
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == total
    assert all(image.stat().st_size > 1000 for image in images)
    # The files of the user are kept: the PDF is not replaced without --ecraser.
    again = communs("rapport-financier", "-f", str(main), "-e", "2025", "--pdf", str(pdf))
    assert again.exit_code == 1 and "existe déjà" in again.output
    assert re.search(rf"Pages:\s+{total}\b", _pdfinfo(pdf))


def _pdfinfo(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_nothing_wider_than_the_page(tmp_path: Path, communs) -> None:
    """The HTML as Chromium prints it (print style sheet, A4 portrait): every table and
    chart within the printable width, for the small ledger and the example."""
    from playwright.sync_api import sync_playwright

    html = tmp_path / "rapport.html"
    for ledger in (_livre(tmp_path), EXEMPLE):
        result = communs(
            "rapport-financier", "-f", str(ledger), "-e", "2025", "--sortie", str(html),
            "--ecraser",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHEMIN_CHROMIUM))
            page = browser.new_page(viewport={"width": LARGEUR_A4, "height": 1400})
            page.emulate_media(media="print")
            page.goto(html.as_uri())
            if ledger == EXEMPLE and os.environ.get("COMMUNS_CAPTURES_DOCS") == "1":
                page.locator("#graphique-tresorerie").screenshot(
                    path=str(ROOT / "docs" / "images" / "rapport-financier-tresorerie.png")
                )  # docs/rapport-financier.md: the example's cash curve, as printed
            widths = page.evaluate(
                "() => [...document.querySelectorAll('table, svg')].map(t => "
                "[t.closest('[data-partie], [data-graphique]').id, "
                "Math.ceil(t.getBoundingClientRect().right)])"
            )
            browser.close()
        assert len(widths) >= 10
        assert [w for w in widths if w[1] > LARGEUR_A4] == []
