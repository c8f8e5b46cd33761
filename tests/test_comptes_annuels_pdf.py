"""The comptes annuels printed to PDF by Chromium, checked the way a person would: the
text of every page (named totals, page numbers), the A4 page, and, in Chromium with the
print style sheet, no table wider than the page.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import EXEMPLE, ROOT
from livre_comptes_annuels import ecrire_livre as _ledger
from navigateur import CHEMIN_CHROMIUM, chromium_requis

pytestmark = chromium_requis("pour imprimer le PDF")


def _sans_espaces_speciaux(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_pdf_read_back(tmp_path: Path, communs) -> None:
    from pypdf import PdfReader

    main = _ledger(tmp_path)
    pdf = tmp_path / "comptes-2025.pdf"
    result = communs("comptes-annuels", "-f", str(main), "-e", "2025", "--pdf", str(pdf))
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(pdf))
    pages = [_sans_espaces_speciaux(page.extract_text()) for page in reader.pages]
    total = len(pages)
    assert total >= 2
    for number, text in enumerate(pages, 1):
        assert f"Page {number} / {total}" in text
        box = reader.pages[number - 1].mediabox  # A4 landscape, in points
        assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    whole = "\n".join(pages)
    for named in (
        "Tableau de variation des fonds dédiés",
        "2 700,00",  # VNC of the vélo
        "10 600,00",  # total of the debts
        "3 500,00",  # fonds dédiés at the closing
        "22 200,00",  # fonds propres at the closing
        "Provisions pour risques et charges",
        "5 300,00",  # contributions volontaires en nature
        "À compléter : engagements hors bilan.",
    ):
        assert named in whole, named
    again = communs("comptes-annuels", "-f", str(main), "-e", "2025", "--pdf", str(pdf))
    assert again.exit_code == 1 and "existe déjà" in again.output


def test_no_table_wider_than_the_page(tmp_path: Path, communs) -> None:
    """The HTML printed to PDF, in Chromium with the print style sheet: the printable
    width of A4 landscape (297 − 2 × 10 mm = 277 mm = 1 047 CSS pixels) holds every table."""
    from playwright.sync_api import sync_playwright

    html = tmp_path / "comptes.html"
    for ledger in (_ledger(tmp_path), EXEMPLE):
        result = communs(
            "comptes-annuels", "-f", str(ledger), "-e", "2025", "--format", "html",
            "--sortie", str(html), "--ecraser",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHEMIN_CHROMIUM))
            page = browser.new_page(viewport={"width": 1047, "height": 1400})
            page.emulate_media(media="print")
            page.goto(html.as_uri())
            if ledger == EXEMPLE and os.environ.get("COMMUNS_CAPTURES_DOCS") == "1":
                _capture(page)
            widths = page.evaluate(
                "() => [...document.querySelectorAll('table')].map(t => "
                "[t.closest('section').id, Math.ceil(t.getBoundingClientRect().right)])"
            )
            browser.close()
        assert len(widths) >= 10
        assert [w for w in widths if w[1] > 1047] == []


def _capture(page) -> None:
    """docs/images/comptes-annuels-annexe.png: the example's annexe, from the fixed assets
    to the fonds dédiés, as printed (COMMUNS_CAPTURES_DOCS=1)."""
    top = page.locator("#partie-annexe_immobilisations").bounding_box()
    bottom = page.locator("#partie-annexe_fonds_dedies").bounding_box()
    clip = {
        "x": 0,
        "y": top["y"] - 8,
        "width": 1047,
        "height": bottom["y"] + bottom["height"] - top["y"] + 16,
    }
    path = ROOT / "docs" / "images" / "comptes-annuels-annexe.png"
    page.screenshot(path=str(path), clip=clip, full_page=True)
