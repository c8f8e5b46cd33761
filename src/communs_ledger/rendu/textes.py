"""French texts shared by the human renderers (terminal, XLSX, HTML): context line,
status labels, generation date."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..exercices import french_date
from ..rapports.objets import Rapport


@dataclass(frozen=True, slots=True)
class Statut:
    """How a row status (diagnostics) is shown: symbol + text, never colour alone."""

    code: str
    symbole: str
    libelle: str
    couleur: str  # CSS/rich colour name family: vert, orange, rouge, neutre

    @property
    def texte(self) -> str:
        return f"{self.symbole} {self.libelle}" if self.symbole else self.libelle


_STATUTS = {
    "ok": Statut("ok", "✓", "ok", "vert"),
    "surveiller": Statut("surveiller", "!", "à surveiller", "orange"),
    "alerte": Statut("alerte", "✗", "alerte", "rouge"),
}


def statut(code: str) -> Statut:
    """Display of a status code (``ok``, ``surveiller``, ``alerte``; others shown as is)."""
    return _STATUTS.get(code, Statut(code, "", code, "neutre"))


def contexte(rapport: Rapport) -> str:
    """``Sous-titre — Exercice 2025 — du 1er janvier 2025 au 31 décembre 2025``."""
    parts = []
    if rapport.sous_titre:
        parts.append(rapport.sous_titre)
    if rapport.exercice and rapport.exercice not in rapport.sous_titre:
        parts.append(f"Exercice {rapport.exercice}")
    if rapport.periode:
        debut, fin = (french_date(day) for day in rapport.periode)
        if not (debut in rapport.sous_titre and fin in rapport.sous_titre):
            parts.append(f"du {debut} au {fin}")
    return " — ".join(parts)


def date_de_generation(rapport: Rapport) -> datetime.date:
    """``meta["genere_le"]`` if the engine set it (a date), else :func:`aujourdhui`."""
    value = rapport.meta.get("genere_le")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return aujourdhui()


def aujourdhui() -> datetime.date:
    """Today, or the day of ``$SOURCE_DATE_EPOCH`` when set (reproducible files)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.date.today()


def mention_de_generation(rapport: Rapport) -> str:
    """``Document généré le 3 mars 2026 par communs-ledger``."""
    return f"Document généré le {french_date(date_de_generation(rapport))} par communs-ledger"


_N_MOINS = re.compile(r"\bN-(?=\d)")


def entete_insecable(libelle: str) -> str:
    """A column heading as the HTML pages show it: « N-1 » with a non-breaking hyphen
    (U+2011), so that a narrow column never shows « Réalisé N- » over « 1 au … ». The
    heading's text elsewhere (CSV, JSON, XLSX, terminal, the cell's accessible name)
    keeps its hyphen."""
    return _N_MOINS.sub("N\u2011", libelle)
