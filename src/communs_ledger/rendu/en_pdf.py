"""PDF rendering: the HTML page (:mod:`.en_html`, A4, headers repeated on every page by
its print style sheet) printed by a headless Chromium.

Chromium is the browser the test suite already drives (Playwright) and that ``.ci/run``
installs; printing through it keeps one layout, the HTML one, for the screen and the
paper, with no second page-layout engine to maintain. It is looked up on the ``PATH``
(``chromium``, ``chromium-browser``, ``google-chrome``) or given by ``COMMUNS_CHROMIUM``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..rapports.objets import Rapport
from .en_html import render as render_html

NAVIGATEURS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DELAI = 120  # seconds


class PdfImpossible(RuntimeError):
    """The PDF cannot be made (French message)."""


def navigateur() -> str | None:
    """The Chromium executable to print with, if any."""
    named = os.environ.get("COMMUNS_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for name in NAVIGATEURS:
        found = shutil.which(name)
        if found:
            return found
    return None


def render(rapport: Rapport) -> bytes:
    """The PDF of ``rapport``; :class:`PdfImpossible` without Chromium or when it fails."""
    chromium = navigateur()
    if chromium is None:
        raise PdfImpossible(
            "le PDF est imprimé par Chromium, introuvable sur cette machine : installez-le "
            "(apt install chromium) ou indiquez son chemin dans COMMUNS_CHROMIUM ; la "
            "version HTML (--format html) s'imprime aussi depuis un navigateur"
        )
    with tempfile.TemporaryDirectory(prefix="communs-pdf-") as folder:
        page = Path(folder) / "document.html"
        cible = Path(folder) / "document.pdf"
        page.write_bytes(render_html(rapport))
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profil'}",
            f"--print-to-pdf={cible}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=DELAI, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfImpossible(f"Chromium n'a pas pu imprimer le PDF : {exc}") from None
        if not cible.is_file() or cible.stat().st_size == 0:
            raise PdfImpossible("Chromium n'a pas produit de PDF")
        return cible.read_bytes()
