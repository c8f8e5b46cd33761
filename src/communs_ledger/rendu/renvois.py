"""Where the good-practice guide (``docs/guide/``) explains a report's figures: the links
of ``plan_comptable/guide.yaml``, as data.

A :class:`Renvoi` names a page of the guide and, optionally, the GitHub-style anchor of
one of its headings. :func:`renvois_du_rapport` gives, for a report, the references the
renderers print under its notes (terminal, XLSX, HTML): the report's page, then one line per
section explaining some of its indicators (the indicators' labels beside it); a line
flagged « à surveiller » or « alerte » without its own section goes to the report's
``statuts`` section (the budget's rules). The Fava pages link each indicator the same
way (:func:`renvoi_de_ligne`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..plan import load_data_yaml
from ..rapports.objets import Ligne, Rapport

DATA_FILE = "guide.yaml"
DOSSIER = "docs/guide"
SIGNALES = ("surveiller", "alerte")
LIBELLES_MONTRES = 4
"""Labels shown beside a section in the terminal and the XLSX (then « … »)."""


@dataclass(frozen=True, slots=True)
class Renvoi:
    """A page of the guide (``lire-le-diagnostic``) and a heading's anchor or ""."""

    page: str
    ancre: str = ""

    @property
    def chemin(self) -> str:
        """``docs/guide/lire-le-diagnostic.md#fonds-de-roulement``: the reference printed."""
        return f"{DOSSIER}/{self.page}.md" + (f"#{self.ancre}" if self.ancre else "")

    @property
    def chapitre(self) -> str:
        """The chapter as the Fava guide serves it: ``guide/lire-le-diagnostic``."""
        return f"guide/{self.page}"


UrlRenvoi = Callable[[Renvoi], str]
"""The address a renderer gives a reference (the Fava guide's, when exported from Fava)."""


def renvoi(cible: str) -> Renvoi:
    """``page.md#ancre`` (relative to docs/guide/) as a :class:`Renvoi`."""
    page, _, anchor = cible.partition("#")
    return Renvoi(page.removesuffix(".md"), anchor)


@cache
def _donnees() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = load_data_yaml(DATA_FILE)["rapports"]
    return data


def cibles() -> Iterator[tuple[str, str, Renvoi]]:
    """Every reference of the data: (report id, line id or « page » / « statuts »)."""
    for rapport_id, spec in _donnees().items():
        for key in ("page", "statuts"):
            if spec.get(key):
                yield rapport_id, key, renvoi(spec[key])
        for ligne_id, cible in (spec.get("lignes") or {}).items():
            yield rapport_id, ligne_id, renvoi(cible)


def renvoi_du_rapport(rapport_id: str) -> Renvoi | None:
    """The page of the guide that explains a whole report, if any."""
    spec = _donnees().get(rapport_id) or {}
    return renvoi(spec["page"]) if spec.get("page") else None


def renvoi_de_ligne(rapport_id: str, ligne_id: str, statut: str | None = None) -> Renvoi | None:
    """The section explaining one line (indicator) of a report; for a line flagged
    « à surveiller » or « alerte » without its own, the report's ``statuts`` section."""
    spec = _donnees().get(rapport_id) or {}
    cible = (spec.get("lignes") or {}).get(ligne_id)
    if cible is None and statut in SIGNALES:
        cible = spec.get("statuts")
    return renvoi(cible) if cible else None


def renvois_du_rapport(rapport: Rapport) -> list[tuple[Renvoi, list[str]]]:
    """The report's page (no label), then each section its lines link to, with the labels
    of those lines (in order, without repeats), as the renderers list them."""
    found: dict[Renvoi, list[str]] = {}
    page = renvoi_du_rapport(rapport.id)
    if page is not None:
        found[page] = []
    for partie in rapport.parties:
        for ligne in partie.lignes:
            _ajouter(found, rapport.id, ligne)
    return [(r, labels) for r, labels in found.items() if labels or r == page]


def _ajouter(found: dict[Renvoi, list[str]], rapport_id: str, ligne: Ligne) -> None:
    if ligne.id is None:
        return
    cible = renvoi_de_ligne(rapport_id, ligne.id.split(":")[0], ligne.statut)
    if cible is None:
        return
    labels = found.setdefault(cible, [])
    if ligne.libelle not in labels:
        labels.append(ligne.libelle)


def texte_du_renvoi(cible: Renvoi, libelles: list[str], page: Renvoi | None = None) -> str:
    """« Fonds de roulement → docs/guide/lire-le-diagnostic.md#fonds-de-roulement »; only
    « → #fonds-de-roulement » when ``page`` (printed above) is the same page."""
    shown = libelles[:LIBELLES_MONTRES]
    more = ", …" if len(libelles) > LIBELLES_MONTRES else ""
    where = cible.chemin
    if page is not None and page.page == cible.page and cible.ancre:
        where = f"#{cible.ancre}"
    return f"{', '.join(shown)}{more} → {where}"


def lignes_du_guide(
    rapport: Rapport, *, court: bool = False
) -> tuple[str, list[tuple[str, Renvoi]]]:
    """The heading of the block « Guide de bonnes pratiques » (with the report's page)
    and (text, reference) for each section its indicators link to; ``court``: anchors
    of the report's page without the page (the terminal). No heading, no line: the
    report has no reference."""
    page = renvoi_du_rapport(rapport.id)
    found = renvois_du_rapport(rapport)
    if not found:
        return "", []
    heading = f"{TITRE} : {page.chemin}" if page is not None else TITRE
    lines = [
        (texte_du_renvoi(cible, libelles, page if court else None), cible)
        for cible, libelles in found
        if libelles
    ]
    return heading, lines


TITRE = "Guide de bonnes pratiques"
