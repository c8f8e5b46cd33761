"""The HTML of a report in sections (``Rapport.meta["sections"]``, e.g. the rapport
financier): which table, chart and comment goes in which section.

Comments are Markdown (``meta["markdown"]``: ids of the text parts whose note is
Markdown) rendered by markdown-it-py (already installed with rich), CommonMark with
tables, raw HTML escaped, images left out (the page loads no external resource) and
links limited to the safe schemes markdown-it allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..rapports.objets import Rapport

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(slots=True)
class CommentaireHtml:
    id: str
    titre: str
    html: Any  # markupsafe.Markup: rendered Markdown, raw HTML escaped


@dataclass(slots=True)
class Element:
    genre: str  # "tableau" | "graphique" | "commentaire"
    valeur: Any


@dataclass(slots=True)
class SectionHtml:
    id: str
    titre: str
    elements: list[Element]


@cache
def _md() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")


def markdown_html(texte: str) -> Any:
    """The HTML of a Markdown text, safe to insert in a page (raw HTML escaped)."""
    from markupsafe import Markup

    return Markup(_md().render(texte))  # safe: markdown-it escapes raw HTML


def _ids(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def sections(rapport: Rapport, parties: list[Any], courbes: list[Any]) -> list[SectionHtml]:
    """The sections of ``rapport`` with their elements: tables (``parties``, as
    :mod:`.en_html` prepares them, in the order of ``rapport.parties``), charts
    (``courbes``) and comments."""
    by_id = {p.id: p for p in parties}
    charts = {c.id: c for c in courbes}
    markdown = set(_ids(rapport.meta.get("markdown")))
    found = []
    for spec in rapport.meta.get("sections") or []:  # type: ignore[attr-defined]
        elements: list[Element] = []
        comments: list[Element] = []
        for id_ in _ids(spec.get("parties")):
            partie = by_id.get(id_)
            if partie is None:
                continue
            if id_ in markdown:
                html = markdown_html("\n\n".join(partie.notes))
                comments.append(Element("commentaire", CommentaireHtml(id_, partie.titre, html)))
            else:
                elements.append(Element("tableau", partie))
        elements += [
            Element("graphique", charts[c]) for c in _ids(spec.get("graphiques")) if c in charts
        ]
        titre = str(spec.get("titre"))
        for comment in comments:  # a comment alone in its section: no second heading
            if comment.valeur.titre == titre:
                comment.valeur.titre = ""
        found.append(SectionHtml(str(spec.get("id")), titre, elements + comments))
    return found
