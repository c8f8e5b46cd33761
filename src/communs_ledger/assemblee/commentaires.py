"""The treasurer's comments of the rapport financier: a Markdown file cut at its headings.

Convention (``docs/rapport-financier.md``): the text before the first heading opens the
report (« Le mot du trésorier »); a level 1 or 2 heading (``#`` or ``##``) that names a
section of the report (« ## Trésorerie », « ## La trésorerie » or « ## tresorerie »: case,
accents, punctuation and a leading article do not matter) places the text under it after
that section; « ## Conclusion », or any heading naming no section, puts its text at the end
under that heading — a heading naming no section is also reported, with the names known.
Level 3 headings and below stay inside the comment. Headings in fenced code blocks do not
cut. The text stays Markdown here: the renderers show it (HTML escapes it and renders it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..yaml_lignes import read_text_file

INTRODUCTION = "introduction"
FIN = "fin"
CONCLUSION = "conclusion"
TITRE = re.compile(r"^ {0,3}(#{1,2})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
CLOTURE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ARTICLES = ("l ", "le ", "la ", "les ")


@dataclass(frozen=True, slots=True)
class Commentaire:
    """One comment: ``apres`` the section it follows (:data:`INTRODUCTION` at the top,
    :data:`FIN` at the end), its heading as written (None for the introduction), its
    Markdown text and the line of its heading in the file."""

    apres: str
    titre: str | None
    texte: str
    ligne: int


@dataclass(frozen=True, slots=True)
class Commentaires:
    """The comments file: where it is looked for, whether it exists, its comments in
    file order, and the headings that name no section (``fichier:ligne: message``)."""

    fichier: Path
    existe: bool
    morceaux: tuple[Commentaire, ...]
    inconnus: tuple[str, ...] = ()

    def apres(self, section: str) -> list[Commentaire]:
        return [c for c in self.morceaux if c.apres == section]


def normaliser(titre: str) -> str:
    """« La Trésorerie ! » → ``tresorerie``: what a heading is matched on."""
    texte = unicodedata.normalize("NFKD", titre.lower())
    texte = "".join(c for c in texte if not unicodedata.combining(c))
    texte = " ".join(re.sub(r"[^a-z0-9]+", " ", texte).split())
    for article in ARTICLES:
        if texte.startswith(article):
            return texte[len(article) :]
    return texte


def _decouper(texte: str) -> list[tuple[str | None, int, list[str]]]:
    """(heading, line, body lines) of each piece; the first one has no heading."""
    pieces: list[tuple[str | None, int, list[str]]] = [(None, 0, [])]
    fence: str | None = None
    for number, line in enumerate(texte.splitlines(), 1):
        opening = CLOTURE.match(line)
        if opening is not None:
            mark = opening.group(1)
            if fence is None:
                fence = mark[0] * len(mark)
            elif mark.startswith(fence):
                fence = None
        heading = TITRE.match(line) if fence is None else None
        if heading is not None:
            pieces.append((heading.group(2).strip(), number, []))
        else:
            pieces[-1][2].append(line)
    return pieces


def lire_commentaires(fichier: Path, sections: Mapping[str, str]) -> Commentaires:
    """The comments of ``fichier`` placed after the ``sections`` (id → title); an absent
    file gives no comment. Raises :class:`~communs_ledger.sources.SourceError` when the
    file cannot be read."""
    if not fichier.is_file():
        return Commentaires(fichier, False, ())
    texte = read_text_file(fichier)
    names: dict[str, str] = {}
    for id_, titre in sections.items():
        names[normaliser(id_)] = id_
        names[normaliser(titre)] = id_
    found: list[Commentaire] = []
    unknown: list[str] = []
    for heading, line, body in _decouper(texte):
        content = "\n".join(body).strip("\n")
        if heading is None:
            if content.strip():
                found.append(Commentaire(INTRODUCTION, None, content, 1))
            continue
        key = normaliser(heading)
        section = names.get(key)
        if section is None:
            section = FIN
            if key != CONCLUSION:
                unknown.append(
                    f"{fichier.name}:{line}: « {heading} » ne nomme aucune partie du rapport : "
                    "texte placé à la fin (parties : " + ", ".join(sections.values()) + ")"
                )
        found.append(Commentaire(section, heading, content, line))
    return Commentaires(fichier, True, tuple(found), tuple(unknown))
