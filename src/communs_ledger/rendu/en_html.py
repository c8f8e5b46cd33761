"""HTML rendering: one standalone, printable page (inline CSS, no external resource),
for the assemblée générale or to send to funders.

Every cell carries ``data-ligne`` (row id, else account code), ``data-col``
(column id, or ``code``/``libelle``/``statut``) and, when it holds a value,
``data-valeur`` — the same text as in JSON (``"1234.50"``) — so figures can be
read back from the DOM. All text is escaped (jinja2 autoescape).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ..rapports.objets import Genre, Ligne, Partie, Rapport, Style
from .textes import contexte, mention_de_generation, statut
from .valeurs import NUMERIQUES, francais, machine, negatif

INDENTATION_EM = 1.2
"""Left indentation of a label per level below 1."""


@dataclass(slots=True)
class _Cellule:
    col: str
    texte: str
    valeur: str | None = None
    classes: list[str] = field(default_factory=list)
    statut: str | None = None  # badge colour family when the cell shows a status


@dataclass(slots=True)
class _Ligne:
    cle: str
    style: str
    niveau: int
    retrait: str  # CSS padding of the label
    libelle: str
    cellules: list[_Cellule]


@dataclass(slots=True)
class _Entete:
    col: str
    libelle: str
    classes: list[str]


@dataclass(slots=True)
class _Partie:
    id: str
    titre: str
    entetes: list[_Entete]
    lignes: list[_Ligne]
    notes: list[str]


@cache
def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("communs_ledger.rendu", "modeles"),
        autoescape=True,  # every .j2 here is HTML: escape all text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("rapport.html.j2")


def render(rapport: Rapport) -> bytes:
    return dumps(rapport).encode("utf-8")


def dumps(rapport: Rapport) -> str:
    parties = [_partie(partie) for partie in rapport.parties]
    widest = max((len(p.entetes) for p in parties), default=0)
    return _template().render(
        rapport=rapport,
        contexte=contexte(rapport),
        parties=parties,
        paysage=widest > 6,
        mention=mention_de_generation(rapport),
    )


def _partie(partie: Partie) -> _Partie:
    with_code = any(ligne.code for ligne in partie.lignes)
    with_status = any(ligne.statut for ligne in partie.lignes)
    entetes = []
    if with_code:
        entetes.append(_Entete("code", "N°", ["code"]))
    entetes.append(_Entete("libelle", "Libellé", ["libelle"]))
    for colonne in partie.colonnes:
        entetes.append(_Entete(colonne.id, colonne.libelle, _classes_of(colonne.genre)))
    if with_status:
        entetes.append(_Entete("statut", "Statut", ["statut"]))
    lignes = [_ligne(partie, ligne, with_code, with_status) for ligne in partie.lignes]
    return _Partie(partie.id, partie.titre, entetes, lignes, list(partie.notes))


def _classes_of(genre: Genre) -> list[str]:
    return ["nombre"] if genre in NUMERIQUES else [str(genre)]


def _ligne(partie: Partie, ligne: Ligne, with_code: bool, with_status: bool) -> _Ligne:
    cellules = []
    if with_code:
        cellules.append(_Cellule("code", ligne.code or "", ligne.code, ["code"]))
    cellules.append(_Cellule("libelle", ligne.libelle, None, ["libelle"]))
    for colonne in partie.colonnes:
        if ligne.style is Style.TITRE:
            cellules.append(_Cellule(colonne.id, "", None, _classes_of(colonne.genre)))
            continue
        value = ligne.valeurs.get(colonne.id)
        exported = machine(value, colonne.genre)
        classes = _classes_of(colonne.genre)
        if negatif(value, colonne.genre):
            classes = [*classes, "negatif"]
        cellules.append(
            _Cellule(
                colonne.id,
                francais(value, colonne.genre),
                None if exported is None else str(exported),
                classes,
            )
        )
    if with_status:
        if ligne.statut:
            display = statut(ligne.statut)
            cellules.append(
                _Cellule("statut", display.texte, ligne.statut, ["statut"], display.couleur)
            )
        else:
            cellules.append(_Cellule("statut", "", None, ["statut"]))
    niveau = max(0, ligne.niveau - 1)
    return _Ligne(
        cle=ligne.id or ligne.code or "",
        style=str(ligne.style),
        niveau=ligne.niveau,
        retrait=f"{0.4 + INDENTATION_EM * niveau:.1f}em",
        libelle=ligne.libelle,
        cellules=cellules,
    )
