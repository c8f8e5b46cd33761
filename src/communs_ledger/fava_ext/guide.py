"""The French user guide (``docs/*.md``, and the good-practice guide ``docs/guide/*.md``)
served inside Fava, so that every card and
indicator of the pages can link to the section that explains it.

``GET …/extension/TableauDeBord/guide?chapitre=tresorerie#point-bas``: the chapter
rendered to HTML by markdown-it-py (already installed with rich), raw HTML of the
Markdown escaped, headings given GitHub's anchors (the guide's own links use them),
links between chapters and images kept inside Fava. A standalone page: no script.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


CHAPITRE = re.compile(r"^(?:guide/)?[a-z0-9][a-z0-9_-]*$")
"""A chapter of the user guide (``budget``) or a page of the good-practice guide
(``guide/routines``, in ``docs/guide/``)."""
LIEN = re.compile(r"^((?:\.\./)?(?:guide/)?[a-z0-9][a-z0-9_-]*)\.md(?:#(.*))?$")
IMAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.png$")


class ChapitreInconnu(Exception):
    """No such chapter (French message)."""


def dossier_du_guide() -> Path:
    """Folder of the guide (in the wheel, or in the source tree)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "docs"
    if (packaged / "index.md").is_file():
        return packaged
    return here.parents[1] / "docs"


def ancre(titre: str) -> str:
    """GitHub's anchor of a heading: « Où apparaissent les avertissements » →
    ``où-apparaissent-les-avertissements`` (lower case, punctuation dropped, spaces
    as hyphens; accents kept)."""
    texte = unicodedata.normalize("NFC", titre.strip().lower())
    texte = "".join(c for c in texte if c.isalnum() or c in " -_")
    return texte.replace(" ", "-")


@cache
def _md() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def chapitre(
    nom: str, url_chapitre: Callable[[str, str], str], url_image: Callable[[str], str]
) -> tuple[str, str]:
    """(title, HTML body) of ``docs/<nom>.md``; ``url_chapitre(nom, ancre)`` and
    ``url_image(nom)`` give the addresses of links between chapters and of images."""
    if not CHAPITRE.match(nom):
        raise ChapitreInconnu(f"chapitre « {nom} » inconnu")
    path = dossier_du_guide() / f"{nom}.md"
    if not path.is_file():
        raise ChapitreInconnu(f"chapitre « {nom} » inconnu")
    md = _md()
    tokens = md.parse(path.read_text(encoding="utf-8"))
    titre = nom
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            token.attrSet("id", ancre(inline.content))
            if token.tag == "h1" and titre == nom:
                titre = inline.content
        for child in token.children or []:
            if child.type == "link_open":
                cible = str(child.attrGet("href") or "")
                lien = LIEN.match(cible)
                autre = _chapitre_lie(nom, lien.group(1)) if lien else None
                if lien and autre:
                    child.attrSet("href", url_chapitre(autre, lien.group(2) or ""))
                elif cible.startswith("#"):
                    child.attrSet("href", url_chapitre(nom, cible[1:]))
            elif child.type == "image":
                source = str(child.attrGet("src") or "")
                image = source.removeprefix("images/")
                if source.startswith("images/") and IMAGE.match(image):
                    child.attrSet("src", url_image(image))
    return titre, md.renderer.render(tokens, md.options, {})


def _chapitre_lie(nom: str, cible: str) -> str | None:
    """The chapter a link of chapter ``nom`` names, relative to its folder: from
    ``guide/routines``, ``budget-qui-tient`` is ``guide/budget-qui-tient`` and
    ``../budget`` is ``budget``; None if it leaves the guide."""
    found = posixpath.normpath(posixpath.join(posixpath.dirname(nom), cible))
    return found if CHAPITRE.match(found) else None


def image(nom: str) -> Path:
    if not IMAGE.match(nom):
        raise ChapitreInconnu(f"image « {nom} » inconnue")
    path = dossier_du_guide() / "images" / nom
    if not path.is_file():
        raise ChapitreInconnu(f"image « {nom} » inconnue")
    return path
