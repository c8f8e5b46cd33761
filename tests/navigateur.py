"""Where the tests find Debian's Chromium, and whether they may do without it: the tests
that print a PDF or drive a real browser are skipped when Chromium (or poppler) is
absent, except under .ci/run, which sets ``COMMUNS_NAVIGATEUR_OBLIGATOIRE=1``: there a
missing tool is a failure, never a silent skip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHEMIN_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM = CHEMIN_CHROMIUM.is_file()
OBLIGATOIRE = os.environ.get("COMMUNS_NAVIGATEUR_OBLIGATOIRE") == "1"  # set by .ci/run


def chromium_requis(pour: str) -> pytest.MarkDecorator:
    """Skip when Chromium is absent (unless :data:`OBLIGATOIRE`); ``pour`` says what for."""
    return pytest.mark.skipif(
        not CHROMIUM and not OBLIGATOIRE,
        reason=f"Chromium absent ({CHEMIN_CHROMIUM}) : installez le paquet Debian « chromium » "
        f"(.ci/run le fait) {pour}",
    )


@contextmanager
def chromium_lance() -> Iterator[Any]:
    """A headless Chromium driven by Playwright (a failure, not a skip, when Chromium is
    absent: the tests that ask for it are marked :func:`chromium_requis`)."""
    if not CHROMIUM:
        pytest.fail(
            f"{CHEMIN_CHROMIUM} absent alors que .ci/run exige les tests dans un navigateur"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHEMIN_CHROMIUM), headless=True)
        yield browser
        browser.close()
