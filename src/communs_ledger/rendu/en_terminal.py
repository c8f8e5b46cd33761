"""Terminal rendering (rich): one table per part, French number formatting.

:func:`afficher` prints on any rich console (the CLI's, with colours when stdout is
a terminal); :func:`render` returns the text, without colour codes unless asked.
Amounts are shown without the € sign (the title says « montants en euros »).
All report text goes through :class:`rich.text.Text`: a label is never read as
rich markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..rapports.objets import Genre, Ligne, Partie, Rapport, Style
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
    for element in _elements(rapport):
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


def _elements(rapport: Rapport) -> list[RenderableType | _Tableau]:
    """Header, one table per part (with its notes), then the report's notes and warnings."""
    items: list[RenderableType | _Tableau] = [_entete(rapport)]
    for partie in rapport.parties:
        items.append(Text())
        items.append(_table(partie))
        if partie.notes:
            items.append(_liste(partie.notes, style="dim"))
    if rapport.notes:
        items.append(Text())
        items.append(Text("Notes", style="bold"))
        items.append(_liste(rapport.notes))
    if rapport.avertissements:
        items.append(Text())
        items.append(Text("Avertissements", style="bold yellow"))
        items.append(_liste(rapport.avertissements, style="yellow"))
    return items


def _entete(rapport: Rapport) -> Group:
    lines = []
    if rapport.association:
        lines.append(Text(rapport.association, style="bold"))
    lines.append(Text(rapport.titre, style="bold underline"))
    context = contexte(rapport)
    if any(c.genre is Genre.MONTANT for p in rapport.parties for c in p.colonnes):
        context = f"{context} — montants en euros" if context else "Montants en euros"
    if context:
        lines.append(Text(context, style="dim"))
    return Group(*lines)


def _liste(texts: list[str], style: str = "") -> Group:
    return Group(*(Text(f"• {text}", style=style) for text in texts))


def _table(partie: Partie) -> _Tableau:
    with_code = any(ligne.code for ligne in partie.lignes)
    with_status = any(ligne.statut for ligne in partie.lignes)
    rows = [(ligne, _cellules(partie, ligne, with_code, with_status)) for ligne in partie.lignes]
    table = Table(
        title=Text(partie.titre, style="bold"),
        title_justify="left",
        box=box.HORIZONTALS,
        show_edge=False,
        header_style="bold",
        pad_edge=False,
    )
    if with_code:
        table.add_column(Text("N°"), no_wrap=True)
    table.add_column(Text("Libellé"), overflow="fold", ratio=1, min_width=LIBELLE_MIN)
    first = 2 if with_code else 1
    for index, colonne in enumerate(partie.colonnes, start=first):
        header = Text(colonne.libelle)
        # Neither figures, dates, nor any single word (of a header or a text cell) is ever
        # cut: rich would otherwise shrink the column below them (« Projecti… »).
        widest = max((_min_cell(cells[index]) for _, cells in rows), default=0)
        table.add_column(
            header,
            justify="right" if colonne.genre in NUMERIQUES else "left",
            # a fixed width: headers wrap inside it, and the label column takes the rest
            width=max(widest, _min_cell(header)),
        )
    if with_status:
        width = max((_min_cell(cells[-1]) for _, cells in rows), default=0)
        table.add_column(Text("Statut"), no_wrap=True, min_width=max(width, len("Statut")))
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
        cells.append(Text(ligne.code or ""))
    indent = len(RETRAIT) * max(0, ligne.niveau - 1)
    label = Text(ligne.libelle)
    cells.append(Padding(label, (0, 0, 0, indent)) if indent else label)  # wraps indented
    for colonne in partie.colonnes:
        if ligne.style is Style.TITRE:
            cells.append(Text())
            continue
        value = ligne.valeurs.get(colonne.id)
        cells.append(
            Text(
                francais(value, colonne.genre, euro=False),
                style="red" if negatif(value, colonne.genre) else "",
                no_wrap=colonne.genre in NUMERIQUES or colonne.genre is Genre.DATE,
            )
        )
    if with_status:
        if ligne.statut:
            display = statut(ligne.statut)
            cells.append(Text(display.texte, style=_COULEURS_STATUT[display.couleur]))
        else:
            cells.append(Text())
    return cells


def _cell_len(cell: RenderableType) -> int:
    return cell.cell_len if isinstance(cell, Text) else 0
