"""What the user chose in the page's URL: exercice, projet, budget version, scenario,
months of the cash plan. Unknown choices are refused in French, never with a 500.

``?exercice=2025&projet=ECOLE&version=revise&scenario=prudent&mois=24&groupe=taille``.
Without ``exercice``, Fava's own time filter (``?time=2025``) picks the exercice when it
names one; else the latest exercice of the ledger, like the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..exercices import Exercice
from ..rapports.source import RapportImpossible, Source

MOIS_PROPOSES = (12, 24, 36)
TOUS = "tous"
"""Scenario choice showing every scenario side by side."""


class SelectionInconnue(Exception):
    """A choice of the URL names nothing the ledger knows (French message)."""


@dataclass(frozen=True)
class Selection:
    exercice: str | None = None
    projet: str | None = None
    version: str | None = None
    scenario: str | None = None
    mois: int = 12
    temps: str | None = None  # Fava's time filter, if any
    groupe: str | None = None  # peers compared with (« Comparaison avec le réseau »)

    def parametres(self, **changes: str | int | None) -> dict[str, str]:
        """The URL parameters of this selection with ``changes`` (None removes one)."""
        values: dict[str, str | int | None] = {
            "exercice": self.exercice,
            "projet": self.projet,
            "version": self.version,
            "scenario": self.scenario,
            "mois": self.mois if self.mois != 12 else None,
            "groupe": self.groupe,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def _texte(args: Mapping[str, str], cle: str) -> str | None:
    value = (args.get(cle) or "").strip()
    return value or None


def lire_selection(args: Mapping[str, str]) -> Selection:
    """The selection of a request's query parameters."""
    mois_texte = _texte(args, "mois")
    mois = 12
    if mois_texte is not None:
        if not mois_texte.isdigit() or not 1 <= int(mois_texte) <= 60:
            raise SelectionInconnue(
                f"durée du plan « {mois_texte} » : nombre de mois attendu de 1 à 60"
            )
        mois = int(mois_texte)
    return Selection(
        exercice=_texte(args, "exercice"),
        projet=_texte(args, "projet"),
        version=_texte(args, "version"),
        scenario=_texte(args, "scenario"),
        mois=mois,
        temps=_texte(args, "time"),
        groupe=_texte(args, "groupe"),
    )


def exercice_choisi(source: Source, selection: Selection) -> Exercice:
    """The exercice asked for (or Fava's time filter's, or the latest one)."""
    code = selection.exercice
    if code is None and selection.temps is not None:
        known = {e.code for e in source.exercices}
        if selection.temps in known:
            code = selection.temps
    try:
        return source.exercice(code)
    except RapportImpossible as exc:
        if code is None:
            raise
        raise SelectionInconnue(str(exc)) from None


def projet_choisi(source: Source, selection: Selection) -> str | None:
    try:
        source.verifier_projet(selection.projet)
    except RapportImpossible as exc:
        raise SelectionInconnue(str(exc)) from None
    return selection.projet
