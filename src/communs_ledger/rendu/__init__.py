"""Output renderers: a :class:`~communs_ledger.rapports.objets.Rapport` as a terminal
table, CSV, JSON, XLSX or HTML.

Renderers know nothing of Beancount: they only read report objects. Every format
is returned as bytes (UTF-8 for the text formats). This module stays light (no
rich, openpyxl or jinja2 import) so that CLI commands can name :class:`Format`
without slowing ``communs --help``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..rapports.objets import Rapport
    from .renvois import UrlRenvoi


class Format(StrEnum):
    """Output formats of every report command (``--format``)."""

    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    html = "html"


_EXTENSIONS = {
    Format.table: ".txt",
    Format.csv: ".csv",
    Format.json: ".json",
    Format.xlsx: ".xlsx",
    Format.html: ".html",
}

_MIME = {
    Format.table: "text/plain; charset=utf-8",
    Format.csv: "text/csv; charset=utf-8",
    Format.json: "application/json",
    Format.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.html: "text/html; charset=utf-8",
}


def extension(format: Format) -> str:
    """File extension of a format, with its dot: ``.xlsx``."""
    return _EXTENSIONS[Format(format)]


def mime(format: Format) -> str:
    """Media type of a format (for downloads)."""
    return _MIME[Format(format)]


def format_of_path(suffix: str) -> Format | None:
    """Format named by a file extension (``.xlsx`` → xlsx, ``.htm`` → html), else None."""
    suffix = suffix.lower()
    if suffix == ".htm":
        return Format.html
    for format, ext in _EXTENSIONS.items():
        if ext == suffix:
            return format
    return None


def render(
    rapport: Rapport,
    format: Format,
    *,
    largeur: int | None = None,
    couleur: bool = False,
    lien_guide: UrlRenvoi | None = None,
) -> bytes:
    """Render ``rapport`` in ``format``.

    ``largeur`` and ``couleur`` only matter for ``table`` (width in characters,
    default 100; ANSI colour codes only if ``couleur``); ``lien_guide`` for ``xlsx`` and
    ``html`` (the address of a section of the guide, made a hyperlink: Fava's exports).
    """
    format = Format(format)
    if format is Format.table:
        from .en_terminal import render as terminal

        return terminal(rapport, largeur=largeur, couleur=couleur).encode("utf-8")
    if format is Format.csv:
        from .en_csv import render as csv

        return csv(rapport)
    if format is Format.json:
        from .en_json import render as json

        return json(rapport)
    if format is Format.xlsx:
        from .en_xlsx import render as xlsx

        return xlsx(rapport, lien_guide)
    from .en_html import render as html

    return html(rapport, lien_guide)


__all__ = ["Format", "extension", "format_of_path", "mime", "render"]
