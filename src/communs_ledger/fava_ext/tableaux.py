"""Report parts as tables for the Fava pages: French text for the eye, the JSON text of
each figure in ``data-valeur`` for machines, the accounts behind each line for the
drill-down to Fava's account pages.

No figure is computed here: values are the engine's, rounded and written by the
same functions as the CLI's renderers (:mod:`communs_ledger.rendu.valeurs`).
Every cell carries ``data-ligne`` (row id, else account code), ``data-col``
(column id) and, when it holds a value, ``data-valeur`` — the text of the
CLI's JSON (``"1234.50"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..rapports.objets import Genre, Ligne, Partie, Style
from ..rendu.textes import statut
from ..rendu.valeurs import NUMERIQUES, francais, machine, negatif


@dataclass(frozen=True)
class CompteVue:
    nom: str
    url: str


@dataclass
class Cellule:
    col: str
    texte: str
    valeur: str | None
    classes: str
    statut: str | None = None  # colour family of a status badge


@dataclass
class LigneVue:
    cle: str
    style: str
    niveau: int
    libelle: str
    cellules: list[Cellule]
    comptes: list[CompteVue] = field(default_factory=list)
    statut: Cellule | None = None


@dataclass
class Entete:
    col: str
    libelle: str
    classes: str


@dataclass
class TableauVue:
    id: str
    titre: str
    entetes: list[Entete]
    lignes: list[LigneVue]
    notes: list[str]
    avec_statut: bool


def _classes(genre: Genre) -> str:
    return "num" if genre in NUMERIQUES else str(genre)


def _cellule(ligne: Ligne, col: str, genre: Genre) -> Cellule:
    if ligne.style is Style.TITRE:
        return Cellule(col, "", None, _classes(genre))
    value = ligne.valeurs.get(col)
    exported = machine(value, genre)
    classes = _classes(genre) + (" negatif" if negatif(value, genre) else "")
    return Cellule(
        col, francais(value, genre), None if exported is None else str(exported), classes
    )


def tableau(
    partie: Partie,
    url_compte: Callable[[str], str] | None = None,
    colonnes: list[str] | None = None,
) -> TableauVue:
    """The table of a report part; ``url_compte`` gives the Fava page of an account (the
    drill-down), ``colonnes`` restricts the columns shown (all by default)."""
    shown = [c for c in partie.colonnes if colonnes is None or c.id in colonnes]
    with_status = any(ligne.statut for ligne in partie.lignes)
    lignes = []
    for ligne in partie.lignes:
        comptes = [CompteVue(nom, url_compte(nom)) for nom in ligne.comptes] if url_compte else []
        badge = None
        if ligne.statut:
            display = statut(ligne.statut)
            badge = Cellule("statut", display.texte, ligne.statut, "statut", display.couleur)
        lignes.append(
            LigneVue(
                cle=ligne.id or ligne.code or "",
                style=str(ligne.style),
                niveau=ligne.niveau,
                libelle=ligne.libelle,
                cellules=[_cellule(ligne, c.id, c.genre) for c in shown],
                comptes=comptes,
                statut=badge,
            )
        )
    entetes = [Entete(c.id, c.libelle, _classes(c.genre)) for c in shown]
    return TableauVue(partie.id, partie.titre, entetes, lignes, list(partie.notes), with_status)


@dataclass(frozen=True)
class Chiffre:
    """One headline figure of a page: label, French text, JSON text, status."""

    id: str
    libelle: str
    texte: str
    valeur: str | None
    statut: str | None = None  # ok / surveiller / alerte
    detail: str = ""

    @property
    def badge(self):  # -> Statut | None
        return statut(self.statut) if self.statut else None


def chiffre(id_: str, libelle: str, value, genre: Genre = Genre.MONTANT, **extra) -> Chiffre:
    exported = machine(value, genre)
    return Chiffre(
        id_, libelle, francais(value, genre), None if exported is None else str(exported), **extra
    )
