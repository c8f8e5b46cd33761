"""HTML rendering: one standalone, printable page (inline CSS, no external resource),
for the assemblée générale or to send to funders.

Every cell carries ``data-ligne`` (row id, else account code), ``data-col``
(column id, or ``code``/``libelle``/``statut``) and, when it holds a value,
``data-valeur`` — the same text as in JSON (``"1234.50"``) — so figures can be
read back from the DOM. All text is escaped (jinja2 autoescape).

A report in sections (``meta["sections"]``: a list of ``{"id", "titre", "parties",
"graphiques"}``, ids of its parts and charts) is laid out section by section
(:mod:`.document`, ``document.html.j2``): each section's tables, then its charts, then
the parts named in ``meta["markdown"]``, whose one note is Markdown, rendered with raw
HTML escaped. Otherwise charts (:attr:`Rapport.graphiques`) are drawn first, as inline
SVG (no script, no external resource): axes with French amounts, one ``<path>`` per series of a line
chart (``<rect>`` per value for a column chart), a point per value with its
tooltip, the threshold as a dashed ``<line>``, a legend, and ``<title>`` /
``<desc>`` for screen readers. ``data-categories`` on the ``<svg>``, ``data-serie``
and ``data-valeurs`` (JSON list of the JSON texts, ``null`` for a gap) on each
series, ``data-valeur`` on each point and on the threshold give the figures back.

Under the notes, the block « Guide de bonnes pratiques » (:func:`.renvois.lignes_du_guide`,
as in the terminal and the XLSX): the report's page of the guide, then the section that
explains each indicator; each a link (``<a href>``) when ``lien_guide`` gives its address
(Fava's exports), else text (a file from the CLI travels by e-mail, where neither a path of
the tool nor a local Fava address would open).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from ..formatage import nombre
from ..rapports.objets import Genre, Graphique, Ligne, Partie, Rapport, Serie, Style
from .renvois import UrlRenvoi, lignes_du_guide, renvoi_du_rapport
from .textes import contexte, entete_insecable, mention_de_generation, statut
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

    @property
    def affiche(self) -> str:
        """The heading as shown (« N-1 » unbreakable: :func:`entete_insecable`)."""
        return entete_insecable(self.libelle)


@dataclass(slots=True)
class _Partie:
    id: str
    titre: str
    entetes: list[_Entete]
    lignes: list[_Ligne]
    notes: list[str]
    texte: bool = False
    """A text part (no column, no row): its title and its paragraphs, no table."""


@dataclass(slots=True)
class _Renvoi:
    texte: str
    lien: str | None  # the address of the section (Fava's exports), else None


def _guide(rapport: Rapport, lien: UrlRenvoi | None) -> list[_Renvoi]:
    """The block « Guide de bonnes pratiques »: its heading (with the report's page), then
    one reference per section; empty when the guide does not explain the report."""
    heading, lines = lignes_du_guide(rapport)
    if not heading:
        return []
    page = renvoi_du_rapport(rapport.id)
    entries = [(heading, page), *lines]
    return [
        _Renvoi(text, lien(cible) if lien is not None and cible is not None else None)
        for text, cible in entries
    ]


@cache
def _template(nom: str = "rapport.html.j2"):
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("communs_ledger.rendu", "modeles"),
        autoescape=True,  # every .j2 here is HTML: escape all text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template(nom)


def render(rapport: Rapport, lien_guide: UrlRenvoi | None = None) -> bytes:
    return dumps(rapport, lien_guide).encode("utf-8")


def dumps(rapport: Rapport, lien_guide: UrlRenvoi | None = None) -> str:
    parties = [_partie(partie) for partie in rapport.parties]
    widest = max((len(p.entetes) for p in parties), default=0)
    graphiques = [_courbe(chart) for chart in rapport.graphiques]
    guide = _guide(rapport, lien_guide)
    if isinstance(rapport.meta.get("sections"), list):
        from .document import sections

        return _template("document.html.j2").render(
            rapport=rapport,
            contexte=contexte(rapport),
            sections=sections(rapport, parties, graphiques),
            paysage=widest > 6,
            mention=mention_de_generation(rapport),
            guide=guide,
        )
    return _template().render(
        rapport=rapport,
        contexte=contexte(rapport),
        parties=parties,
        graphiques=graphiques,
        paysage=widest > 6,
        mention=mention_de_generation(rapport),
        guide=guide,
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
    texte = not partie.colonnes and not partie.lignes
    return _Partie(partie.id, partie.titre, entetes, lignes, list(partie.notes), texte)


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


# --- Charts -----------------------------------------------------------------------------------

LARGEUR_SVG = 760
HAUTEUR_SVG = 360
MARGES = (88, 20, 24, 96)  # left, right, top, bottom (x labels and legend below)
COULEURS = ("#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf8f00", "#2e75b6")
COULEUR_SEUIL = "#c00000"
ABSCISSES_MAX = 12  # x labels shown at most (one in k beyond)
CARACTERE_PX = 6.0  # width of an average 11-px character, to wrap the x labels
INTERLIGNE_PX = 13  # between the lines of an x label


@dataclass(slots=True)
class _Point:
    x: float
    y: float
    categorie: str
    valeur: str  # JSON text
    texte: str  # French, for the tooltip
    sous_seuil: bool


@dataclass(slots=True)
class _Trace:
    nom: str
    couleur: str
    chemin: str  # SVG path data (line charts)
    valeurs: str  # JSON list of the JSON texts
    points: list[_Point]
    barres: list[tuple[float, float, float, float]]  # x, y, width, height (column charts)


@dataclass(slots=True)
class _Graduation:
    position: float
    texte: str
    lignes: tuple[str, ...] = ()


@dataclass(slots=True)
class _Legende:
    x: float
    y: float
    texte: str
    couleur: str
    seuil: bool = False


@dataclass(slots=True)
class _Courbe:
    id: str
    titre: str
    description: str
    genre: str
    largeur: int
    hauteur: int
    gauche: float
    droite: float
    haut: float
    bas: float
    categories: str  # JSON list
    traces: list[_Trace]
    ordonnees: list[_Graduation]
    abscisses: list[_Graduation]
    zero: float | None
    seuil: _Graduation | None
    seuil_valeur: str | None
    legende: list[_Legende]


def _pas(etendue: float) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) giving about five intervals."""
    raw = etendue / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def _texte_axe(value: float, step: float, unite: str) -> str:
    decimals = 0 if step >= 1 else min(6, math.ceil(-math.log10(step)))
    shown = nombre(Decimal(str(round(value, 6))), decimals)
    return f"{shown}\u00a0{unite}" if unite else shown


@dataclass(frozen=True, slots=True)
class _Echelle:
    """Where values and categories go in the plot area: ``low``–``high`` (round steps of
    ``step``) from the bottom ``y1`` to the top ``y0``, one band per category."""

    low: float
    high: float
    step: float
    x0: float
    x1: float
    y0: float
    y1: float
    band: float

    def y_of(self, value: float) -> float:
        return round(self.y1 - (value - self.low) / (self.high - self.low) * (self.y1 - self.y0), 2)

    def x_of(self, index: int) -> float:
        return round(self.x0 + (index + 0.5) * self.band, 2)


def _echelle(chart: Graphique) -> _Echelle:
    """The scale of a chart: every value and the threshold shown, zero included."""
    left, right, top, bottom = MARGES
    x0, x1, y0, y1 = left, LARGEUR_SVG - right, top, HAUTEUR_SVG - bottom
    numbers = [float(v) for serie in chart.series for v in serie.valeurs if v is not None]
    if chart.seuil is not None:
        numbers.append(float(chart.seuil))
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    if high == low:
        high = low + 1
    step = _pas(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    band = (x1 - x0) / max(1, len(chart.categories))
    return _Echelle(low, high, step, x0, x1, y0, y1, band)


def _courbe(chart: Graphique) -> _Courbe:
    genre = Genre.MONTANT if chart.unite == "€" else Genre.NOMBRE
    height = HAUTEUR_SVG
    echelle = _echelle(chart)
    low, high = echelle.low, echelle.high
    traces = [_trace(chart, rank, serie, echelle, genre) for rank, serie in enumerate(chart.series)]
    abscisses = _abscisses(chart, echelle)
    lines = max((len(a.lignes) for a in abscisses), default=1)
    legend = _legende(chart, traces, echelle, lines)
    ly = legend[-1].y if legend else float(height - 22)
    threshold = None
    if chart.seuil is not None:
        threshold = _Graduation(echelle.y_of(float(chart.seuil)), francais(chart.seuil, genre))
    return _Courbe(
        id=chart.id,
        titre=chart.titre,
        description=_description(chart, genre),
        genre=chart.genre,
        largeur=LARGEUR_SVG,
        hauteur=height + max(0, int(ly - (height - 22))),
        gauche=echelle.x0,
        droite=echelle.x1,
        haut=echelle.y0,
        bas=echelle.y1,
        categories=json.dumps(list(chart.categories), ensure_ascii=False),
        traces=traces,
        ordonnees=_ordonnees(chart, echelle),
        abscisses=abscisses,
        zero=echelle.y_of(0.0) if low < 0 < high else None,
        seuil=threshold,
        seuil_valeur=None if chart.seuil is None else str(machine(chart.seuil, genre)),
        legende=legend,
    )


def _trace(chart: Graphique, rank: int, serie: Serie, echelle: _Echelle, genre: Genre) -> _Trace:
    """One series: its line (lifted over missing values), points and bars."""
    seuil = float(chart.seuil) if chart.seuil is not None else None
    path: list[str] = []
    points: list[_Point] = []
    bars: list[tuple[float, float, float, float]] = []
    pen_down = False
    for index, value in enumerate(serie.valeurs):
        if value is None:
            pen_down = False
            continue
        x, y = echelle.x_of(index), echelle.y_of(float(value))
        path.append(f"{'L' if pen_down else 'M'}{x},{y}")
        if chart.genre == "barres":  # the point on its own bar, not between two
            bars.append(_barre(chart, rank, index, y, echelle))
            x = round(bars[-1][0] + bars[-1][2] / 2, 2)
        pen_down = True
        category = chart.categories[index] if index < len(chart.categories) else ""
        shown = francais(value, genre)
        points.append(
            _Point(
                x,
                y,
                category,
                str(machine(value, genre)),
                f"{serie.nom} — {category} : {shown}",
                seuil is not None and float(value) < seuil,
            )
        )
    valeurs = json.dumps([machine(v, genre) for v in serie.valeurs], ensure_ascii=False)
    colour = COULEURS[rank % len(COULEURS)]
    return _Trace(serie.nom, colour, " ".join(path), valeurs, points, bars)


def _barre(
    chart: Graphique, rank: int, index: int, y: float, echelle: _Echelle
) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the bar of series ``rank`` at category ``index``."""
    band = echelle.band
    inner = band * 0.8 / max(1, len(chart.series))
    bx = echelle.x0 + index * band + band * 0.1 + rank * inner
    base = echelle.y_of(max(echelle.low, min(0.0, echelle.high)))
    return (round(bx, 2), min(y, base), round(inner, 2), abs(base - y))


def _ordonnees(chart: Graphique, echelle: _Echelle) -> list[_Graduation]:
    """The graduations of the vertical axis, one per step."""
    ordonnees = []
    value = echelle.low
    while value <= echelle.high + echelle.step / 2:
        ordonnees.append(
            _Graduation(echelle.y_of(value), _texte_axe(value, echelle.step, chart.unite))
        )
        value += echelle.step
    return ordonnees


def _abscisses(chart: Graphique, echelle: _Echelle) -> list[_Graduation]:
    """The graduations of the horizontal axis (at most ``ABSCISSES_MAX`` shown)."""
    every = max(1, math.ceil(len(chart.categories) / ABSCISSES_MAX))
    width = echelle.band * every
    return [
        _Graduation(echelle.x_of(index), category, _lignes_d_etiquette(category, width))
        for index, category in enumerate(chart.categories)
        if index % every == 0
    ]


def _lignes_d_etiquette(category: str, width: float) -> tuple[str, ...]:
    """An x label on lines no wider than its ``width`` (px) of the axis: « janv. 2026 »
    on two lines (month, year); a label too long for two lines, such as « Financements
    privés (fondations, mécénat) » under one of seven columns, word by word on as many
    lines as it needs (they overlapped their neighbours)."""
    most = max(1, int(width / CARACTERE_PX))
    two = tuple(category.rsplit(" ", 1))
    if all(len(part) <= most for part in two):
        return two
    lines: list[str] = []
    for word in category.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines)


def _legende(
    chart: Graphique, traces: list[_Trace], echelle: _Echelle, label_lines: int = 2
) -> list[_Legende]:
    """The legend under the plot, below the x labels (``label_lines`` lines at most):
    the series, then the threshold, wrapped to its width."""
    x0, x1 = echelle.x0, echelle.x1
    legend: list[_Legende] = []
    under_labels = echelle.y1 + 16 + INTERLIGNE_PX * (label_lines - 1) + 22
    lx, ly = float(x0), float(max(HAUTEUR_SVG - 22, under_labels))
    entries = [(trace.nom, trace.couleur, False) for trace in traces]
    if chart.seuil is not None:
        entries.append((chart.seuil_libelle or "Seuil", COULEUR_SEUIL, True))
    for text, colour, dashed in entries:
        size = 34 + 7 * len(text)
        if lx + size > x1 and lx > x0:
            lx, ly = float(x0), ly + 16
        legend.append(_Legende(lx, ly, text, colour, dashed))
        lx += size + 16
    return legend


def _description(chart: Graphique, genre: Genre) -> str:
    """What the chart shows, in words (``<desc>``)."""
    kind = "Courbe" if chart.genre != "barres" else "Histogramme"
    parts = [f"{kind} de {len(chart.series)} série(s) sur {len(chart.categories)} période(s)"]
    if chart.categories:
        parts[0] += f", de {chart.categories[0]} à {chart.categories[-1]}"
    for serie in chart.series:
        known = [
            (v, c) for v, c in zip(serie.valeurs, chart.categories, strict=False) if v is not None
        ]
        if not known:
            continue
        lowest = min(known, key=lambda item: item[0])
        parts.append(
            f"{serie.nom} : de {francais(known[0][0], genre)} à {francais(known[-1][0], genre)}, "
            f"minimum {francais(lowest[0], genre)} ({lowest[1]})"
        )
    if chart.seuil is not None:
        parts.append(f"{chart.seuil_libelle or 'Seuil'} : {francais(chart.seuil, genre)}")
    return ". ".join(parts) + "."
