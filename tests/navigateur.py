"""Where the tests find Debian's Chromium, and whether they may do without it: the tests
that print a PDF or drive a real browser are skipped when Chromium (or poppler) is
absent, except under .ci/run, which sets ``COMMUNS_NAVIGATEUR_OBLIGATOIRE=1``: there a
missing tool is a failure, never a silent skip."""

from __future__ import annotations

import os
from pathlib import Path

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
