"""Report parts as tables for the Fava pages: French text for the eye, the JSON text of
each figure in ``data-valeur`` for machines, the accounts behind each line for the
drill-down to Fava's account pages.

No figure is computed here: values are the engine's, rounded and written by the
same functions as the CLI's renderers (:mod:`communs_ledger.rendu.valeurs`).
Every cell carries ``data-ligne`` (row id, else account code), ``data-col``
(column id) and, when it holds a value, ``data-valeur`` — the text of the
CLI's JSON (``"1234.50"``).

Reading aids, decided here and drawn by the templates' CSS:

- column priorities: on a phone only the label and the main figures (N, N-1; the
  réalisé, budget à date and écart of a budget) show, the others behind a toggle
  (class ``prio2``);
- the sense of a budget variance: a charge under its budget is favourable, a
  produit under its budget is not (class and symbol ``favorable`` / ``defavorable``,
  never colour alone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..rapports.objets import Colonne, Genre, Ligne, Partie, Style
from ..rendu.textes import Statut, entete_insecable, statut
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
    sens: str | None = None  # favorable / defavorable (budget variances)

    @property
    def symbole(self) -> str:
        return SYMBOLES.get(self.sens or "", "")

    @property
    def sens_texte(self) -> str:
        return SENS_TEXTES.get(self.sens or "", "")


@dataclass
class LigneVue:
    cle: str
    style: str
    niveau: int
    libelle: str
    cellules: list[Cellule]
    comptes: list[CompteVue] = field(default_factory=list)
    statut: Cellule | None = None
    explication: str = ""  # one plain-French sentence (indicators)
    aide: str = ""  # its section of the user guide
    pratique: str = ""  # its section of the good-practice guide (plan_comptable/guide.yaml)


@dataclass
class Entete:
    col: str
    libelle: str
    classes: str

    @property
    def affiche(self) -> str:
        """The heading as shown (« N-1 » unbreakable: :func:`entete_insecable`)."""
        return entete_insecable(self.libelle)


@dataclass
class TableauVue:
    id: str
    titre: str
    entetes: list[Entete]
    lignes: list[LigneVue]
    notes: list[str]
    avec_statut: bool
    defilant: bool = False  # a wide table scrolling in its own frame (cash plan)

    @property
    def avec_priorites(self) -> bool:
        return any("prio2" in e.classes for e in self.entetes)

    @property
    def avec_sens(self) -> bool:
        return any(c.sens for ligne in self.lignes for c in ligne.cellules)


PRINCIPALES = frozenset({"n", "n1", "net", "realise", "budget_a_date", "ecart", "formule"})
"""Columns shown on a phone (the others behind the « toutes les colonnes » toggle)."""

ECARTS = ("ecart", "ecart_pct")
SENS_DES_PARTIES = {"charges": 1, "par_projet": 1, "produits": -1, "resultat": -1}
"""Budget parts whose variance has a sense: +1 when more is unfavourable (charges),
-1 when less is (produits, résultat)."""
SYMBOLES = {"favorable": "✓", "defavorable": "✗"}
SENS_TEXTES = {"favorable": "favorable", "defavorable": "défavorable"}


def _classes(genre: Genre, col: str = "", visibles: frozenset[str] = PRINCIPALES) -> str:
    base = "num" if genre in NUMERIQUES else str(genre)
    return base if not col or col in visibles else f"{base} prio2"


VISIBLES_SANS_PRINCIPALES = 2


def _visibles(colonnes: list[Colonne]) -> frozenset[str]:
    """The columns a phone shows: the main ones (:data:`PRINCIPALES`); in a table that
    has none of them (gifts by month, by donor; the network's quartiles), its first two
    figures — else the phone showed the labels alone."""
    if any(c.id in PRINCIPALES for c in colonnes):
        return PRINCIPALES
    figures = [c.id for c in colonnes if c.genre in NUMERIQUES] or [c.id for c in colonnes]
    return frozenset(figures[:VISIBLES_SANS_PRINCIPALES])


def _sens(partie_id: str, col: str, value: object) -> str | None:
    """favorable / defavorable for a budget variance, None elsewhere or when zero."""
    direction = SENS_DES_PARTIES.get(partie_id)
    if direction is None or col not in ECARTS or value is None or isinstance(value, str):
        return None
    try:
        signe = (value > 0) - (value < 0)  # type: ignore[operator]
    except TypeError:
        return None
    if signe == 0:
        return None
    return "defavorable" if signe == direction else "favorable"


def _cellule(
    ligne: Ligne, col: str, genre: Genre, partie_id: str, defilant: bool, visibles: frozenset[str]
) -> Cellule:
    base = _classes(genre, "" if defilant else col, visibles)
    if ligne.style is Style.TITRE:
        return Cellule(col, "", None, base)
    value = ligne.valeurs.get(col)
    exported = machine(value, genre)
    sens = _sens(partie_id, col, value)
    if sens is not None:
        classes = f"{base} {sens}"
    else:
        classes = base + (" negatif" if negatif(value, genre) else "")
    return Cellule(
        col,
        francais(value, genre),
        None if exported is None else str(exported),
        classes,
        sens=sens,
    )


def tableau(
    partie: Partie,
    url_compte: Callable[[str], str] | None = None,
    colonnes: list[str] | None = None,
    defilant: bool = False,
) -> TableauVue:
    """The table of a report part; ``url_compte`` gives the Fava page of an account (the
    drill-down), ``colonnes`` restricts the columns shown (all by default); a
    ``defilant`` table keeps all its columns on a phone and scrolls in its frame."""
    shown = [c for c in partie.colonnes if colonnes is None or c.id in colonnes]
    visibles = _visibles(shown)
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
                cellules=[
                    _cellule(ligne, c.id, c.genre, partie.id, defilant, visibles) for c in shown
                ],
                comptes=comptes,
                statut=badge,
            )
        )
    entetes = [
        Entete(c.id, c.libelle, _classes(c.genre, "" if defilant else c.id, visibles))
        for c in shown
    ]
    return TableauVue(
        partie.id, partie.titre, entetes, lignes, list(partie.notes), with_status, defilant
    )


@dataclass(frozen=True)
class Chiffre:
    """One headline figure of a page: label, French text, JSON text, status."""

    id: str
    libelle: str
    texte: str
    valeur: str | None
    statut: str | None = None  # ok / surveiller / alerte
    detail: str = ""
    explication: str = ""  # one plain-French sentence
    aide: str = ""  # its section of the user guide
    pratique: str = ""  # its section of the good-practice guide (plan_comptable/guide.yaml)

    @property
    def badge(self) -> Statut | None:
        return statut(self.statut) if self.statut else None


def chiffre(id_: str, libelle: str, value, genre: Genre = Genre.MONTANT, **extra) -> Chiffre:
    exported = machine(value, genre)
    return Chiffre(
        id_, libelle, francais(value, genre), None if exported is None else str(exported), **extra
    )
