"""Terminal rendering (rich): one table per part, French number formatting.

:func:`afficher` prints on any rich console (the CLI's, with colours when stdout is
a terminal); :func:`render` returns the text, without colour codes unless asked.
Amounts are shown without the € sign (the title says « montants en euros »).
All report text goes through :class:`rich.text.Text` (:func:`_texte`): a label is never
read as rich markup, and its control characters are removed (a narration, a label or a
name from the ledger cannot send escape sequences to the terminal). The treasurer's
comments (the text parts named in ``meta["markdown"]``) are Markdown, rendered by rich
(headings, lists, bold; links followed by their address), after the control characters
are removed from them too.

Charts (:attr:`Rapport.graphiques`) come after the tables, as a text curve: one row
per category (month), and for each series a horizontal bar proportional to its
value and the value itself; a bar below the threshold is red and marked ``!``
(never colour alone), the threshold is a dotted mark ``┆`` across the rows; under
it, each series' low point (value and category) and the months below the threshold.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..rapports.objets import Genre, Graphique, Ligne, Partie, Rapport, Style
from .renvois import lignes_du_guide
from .textes import contexte, statut
from .valeurs import NUMERIQUES, francais, negatif

LARGEUR = 100
RETRAIT = "  "  # per level below 1
LIBELLE_MIN = 18

_STYLE_LIGNE = {
    Style.TITRE: "bold",
    Style.SOUS_TOTAL: "bold",
    Style.TOTAL: "bold",
    Style.DONT: "italic dim",
    Style.NOTE: "dim",
}
_COULEURS_STATUT = {"vert": "green", "orange": "dark_orange", "rouge": "bold red", "neutre": ""}


def render(rapport: Rapport, *, largeur: int | None = None, couleur: bool = False) -> str:
    """The report as text, ``largeur`` characters wide (100 by default)."""
    console = Console(
        file=io.StringIO(),
        width=largeur or LARGEUR,
        force_terminal=couleur,
        color_system="truecolor" if couleur else None,
        no_color=not couleur,
        highlight=False,
        emoji=False,
        legacy_windows=False,
        force_jupyter=False,
    )
    afficher(rapport, console)
    return console.file.getvalue()


def afficher(rapport: Rapport, console: Console) -> None:
    """Print the report on ``console``."""
    for element in _elements(rapport, console.width):
        if isinstance(element, _Tableau):
            if element.minimum > console.width:
                # Never crop a figure: a table wider than the console is printed whole
                # (rich's print() caps its width argument at the console's width).
                saved = console.width
                console.width = element.minimum
                try:
                    console.print(element.table, crop=False)
                finally:
                    console.width = saved
            else:
                console.print(element.table)
        else:
            console.print(element)


@dataclass(frozen=True, slots=True)
class _Tableau:
    table: Table
    minimum: int  # width under which rich would crop cells


def _elements(rapport: Rapport, largeur: int = LARGEUR) -> list[RenderableType | _Tableau]:
    """Header, one table per part (with its notes), the charts, then the report's notes and
    warnings."""
    items: list[RenderableType | _Tableau] = [_entete(rapport)]
    ids = rapport.meta.get("markdown")
    markdown = set(ids) if isinstance(ids, list) else set()
    for partie in rapport.parties:
        items.append(_texte())
        if partie.colonnes or partie.lignes:
            items.append(_table(partie))
        else:  # a text part: its title, then its paragraphs
            items.append(_texte(partie.titre, style="bold"))
        if partie.id in markdown:
            items.append(_markdown("\n\n".join(partie.notes)))
        elif partie.notes:
            items.append(_liste(partie.notes, style="dim"))
    for chart in rapport.graphiques:
        items.append(_texte())
        items.extend(_graphique(chart, largeur))
    if rapport.notes:
        items.append(_texte())
        items.append(_texte("Notes", style="bold"))
        items.append(_liste(rapport.notes))
    titre_guide, guide = lignes_du_guide(rapport, court=True)
    if titre_guide:
        items.append(_texte())
        items.append(_texte(titre_guide, style="bold"))
        items.append(_liste([texte for texte, _ in guide], style="dim"))
    if rapport.avertissements:
        items.append(_texte())
        items.append(_texte("Avertissements", style="bold yellow"))
        items.append(_liste(rapport.avertissements, style="yellow"))
    return items


def _entete(rapport: Rapport) -> Group:
    lines = []
    if rapport.association:
        lines.append(_texte(rapport.association, style="bold"))
    lines.append(_texte(rapport.titre, style="bold underline"))
    context = contexte(rapport)
    if any(c.genre is Genre.MONTANT for p in rapport.parties for c in p.colonnes):
        context = f"{context} — montants en euros" if context else "Montants en euros"
    if context:
        lines.append(_texte(context, style="dim"))
    return Group(*lines)


CONTROLE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI sequences (colours, clear screen…)
    r"|(?:\x1b[]PX^_]|[\x90\x9d\x98\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC…
    r"|\x1b[ -/]*[0-~]?"  # other escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # the other control characters but tab and newline
)
"""The terminal's escape sequences, then the control characters left (C0 but tab and
newline, DEL, C1): a text never drives the terminal (CR would rewrite the line)."""


def _texte(text: str = "", style: str = "", **options: Any) -> Text:
    """A rich text of report text, without the terminal's control characters."""
    if text and not text.isprintable():  # tab, newline, NBSP… or a control character
        text = CONTROLE.sub("", text)
    return Text(text, style=style, **options)


def _markdown(texte: str) -> RenderableType:
    """A Markdown text (a treasurer's comment) for the terminal, without its control
    characters; links show their address (a printed terminal has no hyperlinks)."""
    from rich.markdown import Markdown

    return Markdown(CONTROLE.sub("", texte), hyperlinks=False)


def _liste(texts: list[str], style: str = "") -> Group:
    return Group(*(_texte(f"• {text}", style=style) for text in texts))


def _table(partie: Partie) -> _Tableau:
    with_code = any(ligne.code for ligne in partie.lignes)
    with_status = any(ligne.statut for ligne in partie.lignes)
    rows = [(ligne, _cellules(partie, ligne, with_code, with_status)) for ligne in partie.lignes]
    table = Table(
        title=_texte(partie.titre, style="bold"),
        title_justify="left",
        box=box.HORIZONTALS,
        show_edge=False,
        header_style="bold",
        pad_edge=False,
    )
    if with_code:
        table.add_column(_texte("N°"), no_wrap=True)
    table.add_column(_texte("Libellé"), overflow="fold", ratio=1, min_width=LIBELLE_MIN)
    first = 2 if with_code else 1
    for index, colonne in enumerate(partie.colonnes, start=first):
        header = _texte(colonne.libelle)
        # Neither figures, dates, nor any single word (of a header or a text cell) is ever
        # cut: rich would otherwise shrink the column below them (« Projecti… »).
        widest = max((_min_cell(cells[index]) for _, cells in rows), default=0)
        if colonne.genre is Genre.TEXTE:
            # short texts (« à jour », « en retard ») on one line; longer ones wrap
            widest = max(widest, *(_court(cells[index]) for _, cells in rows), 0)
        table.add_column(
            header,
            justify="right" if colonne.genre in NUMERIQUES else "left",
            # a fixed width: headers wrap inside it, and the label column takes the rest
            width=max(widest, _min_cell(header)),
        )
    if with_status:
        width = max((_min_cell(cells[-1]) for _, cells in rows), default=0)
        table.add_column(_texte("Statut"), no_wrap=True, min_width=max(width, len("Statut")))
    for ligne, cells in rows:
        if ligne.style is Style.TOTAL and table.rows:
            table.add_section()  # rule above the total
        table.add_row(*cells, style=_STYLE_LIGNE.get(ligne.style))
    return _Tableau(table, _minimum(table, [cells for _, cells in rows]))


def _minimum(table: Table, rows: list[list[RenderableType]]) -> int:
    """The narrowest width at which no cell is cropped (cheap: no rich measurement pass,
    which doubles the time of long tables)."""
    widths = []
    for index, column in enumerate(table.columns):
        header = column.header
        width = max(
            column.width or column.min_width or 0,
            _min_cell(header) if isinstance(header, Text) else 0,
        )
        for cells in rows:
            width = max(width, _min_cell(cells[index]))
        widths.append(width)
    count = len(widths)
    return sum(widths) + 2 * count - 2 + (count - 1)  # padding (not at the edges), dividers


TEXTE_SUR_UNE_LIGNE = 20
"""A text cell up to this width is never wrapped (its column is at least as wide)."""


def _court(cell: RenderableType) -> int:
    """The width of a short text cell (kept on one line), else 0."""
    if isinstance(cell, Text) and cell.cell_len <= TEXTE_SUR_UNE_LIGNE:
        return cell.cell_len
    return 0


def _min_cell(cell: RenderableType) -> int:
    if isinstance(cell, Padding):
        return cell.left + _min_cell(cell.renderable)
    if isinstance(cell, Text):
        if cell.no_wrap:
            return cell.cell_len
        return max((cell_len(word) for word in cell.plain.split()), default=0)
    return 0


def _cellules(
    partie: Partie, ligne: Ligne, with_code: bool, with_status: bool
) -> list[RenderableType]:
    cells: list[RenderableType] = []
    if with_code:
        cells.append(_texte(ligne.code or ""))
    indent = len(RETRAIT) * max(0, ligne.niveau - 1)
    label = _texte(ligne.libelle)
    cells.append(Padding(label, (0, 0, 0, indent)) if indent else label)  # wraps indented
    for colonne in partie.colonnes:
        if ligne.style is Style.TITRE:
            cells.append(_texte())
            continue
        value = ligne.valeurs.get(colonne.id)
        cells.append(
            _texte(
                francais(value, colonne.genre, euro=False),
                style="red" if negatif(value, colonne.genre) else "",
                no_wrap=colonne.genre in NUMERIQUES or colonne.genre is Genre.DATE,
            )
        )
    if with_status:
        if ligne.statut:
            display = statut(ligne.statut)
            cells.append(_texte(display.texte, style=_COULEURS_STATUT[display.couleur]))
        else:
            cells.append(_texte())
    return cells


def _cell_len(cell: RenderableType) -> int:
    return cell.cell_len if isinstance(cell, Text) else 0


# --- Charts -----------------------------------------------------------------------------------

HUITIEMES = " ▏▎▍▌▋▊▉█"
"""Partial blocks: a bar is drawn to the eighth of a character."""
MARQUE_SEUIL = "┆"
COULEURS_SERIES = ("cyan", "magenta", "green", "blue", "yellow", "bright_cyan")
BARRE_MIN = 8


def _graphique(chart: Graphique, largeur: int) -> list[RenderableType | _Tableau]:
    """A chart as text: one row per category, a bar and the value per series."""
    genre = Genre.MONTANT if chart.unite == "€" else Genre.NOMBRE
    numbers = [v for serie in chart.series for v in serie.valeurs if v is not None]
    if chart.seuil is not None:
        numbers.append(chart.seuil)
    low = min([0, *numbers])
    high = max([0, *numbers])
    span = (high - low) or 1
    texts = [
        [francais(v, genre, euro=False) if v is not None else "" for v in serie.valeurs]
        for serie in chart.series
    ]
    value_width = max((len(t) for column in texts for t in column), default=1)
    category_width = max((len(c) for c in chart.categories), default=4)
    count = max(1, len(chart.series))
    per_series = (largeur - category_width - 2) // count - value_width - 4
    bar_width = max(BARRE_MIN, per_series)
    marker = None
    if chart.seuil is not None:
        marker = min(bar_width - 1, int((chart.seuil - low) / span * bar_width))

    table = Table(
        title=_texte(
            f"{chart.titre} ({chart.unite})" if chart.unite else chart.titre, style="bold"
        ),
        title_justify="left",
        box=None,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )
    table.add_column(_texte(""), no_wrap=True)
    for serie in chart.series:
        table.add_column(_texte(serie.nom), no_wrap=True, width=bar_width + value_width + 3)
    for index, category in enumerate(chart.categories):
        cells: list[RenderableType] = [_texte(category)]
        for rank, serie in enumerate(chart.series):
            value = serie.valeurs[index] if index < len(serie.valeurs) else None
            cells.append(
                _barre(
                    value,
                    texts[rank][index] if index < len(texts[rank]) else "",
                    low,
                    span,
                    bar_width,
                    value_width,
                    marker,
                    chart.seuil,
                    COULEURS_SERIES[rank % len(COULEURS_SERIES)],
                )
            )
        table.add_row(*cells)
    minimum = category_width + count * (bar_width + value_width + 3) + count
    items: list[RenderableType | _Tableau] = [_Tableau(table, minimum)]
    lines = []
    if chart.seuil is not None:
        lines.append(
            _texte(
                f"{MARQUE_SEUIL} {chart.seuil_libelle or 'Seuil'} : {francais(chart.seuil, genre)}"
                " ; « ! » et rouge : sous le seuil",
                style="red",
            )
        )
    for serie in chart.series:
        known = [
            (v, c) for v, c in zip(serie.valeurs, chart.categories, strict=False) if v is not None
        ]
        if not known:
            continue
        lowest, where = min(known, key=lambda item: item[0])
        text = f"{serie.nom} — point bas : {francais(lowest, genre)} ({where})"
        if chart.seuil is not None:
            below = [c for v, c in known if v < chart.seuil]
            text += f" ; sous le seuil : {', '.join(below)}" if below else " ; jamais sous le seuil"
        lines.append(_texte(text, style="bold" if chart.seuil is None else ""))
    items.append(_liste([line.plain for line in lines]) if lines else _texte())
    return items


def _barre(
    value,
    shown: str,
    low,
    span,
    width: int,
    value_width: int,
    marker: int | None,
    seuil,
    colour: str,
) -> Text:
    """One bar (to the eighth of a character), the threshold mark, then the value."""
    text = _texte(no_wrap=True)
    if value is None:
        text.append(" " * (width + 3 + value_width))
        return text
    eighths = int((value - low) / span * width * 8)
    full, partial = divmod(max(0, min(width * 8, eighths)), 8)
    bar = "█" * full + (HUITIEMES[partial] if partial else "")
    below = seuil is not None and value < seuil
    cells = list(bar.ljust(width))
    if marker is not None and marker >= len(bar):
        cells[marker] = MARQUE_SEUIL
    drawn = "".join(cells)
    style = "red" if below else colour
    text.append(drawn[: len(bar)], style=style)
    text.append(drawn[len(bar) :], style="red dim")
    text.append(" !" if below else "  ", style="bold red")
    text.append(" " + shown.rjust(value_width), style="red" if below else "")
    return text
