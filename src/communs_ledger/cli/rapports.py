"""What every report command shares: loading the ledger into a report source,
refusing a ledger with errors, parsing dates, turning engine failures into
French messages.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from .echecs import VOIR_VERIFIER, Echec, MauvaisUsage, refuser_erreurs

if TYPE_CHECKING:
    from ..chargement import Livre
    from ..exercices import Exercice
    from ..rapports.objets import Rapport
    from ..rapports.source import Source

P = ParamSpec("P")
R = TypeVar("R")


AIDE_EXERCICE = (
    "Exercice (ex. 2025, ou 2025-2026 pour un exercice décalé) ; "
    "par défaut le dernier exercice du grand livre."
)


def exercice_option(aide: str = AIDE_EXERCICE, *, requis: bool = False) -> Any:
    """``--exercice/-e`` with the help ``aide``; ``requis``: without default (to be given)."""
    return typer.Option(... if requis else None, "--exercice", "-e", help=aide, show_default=False)


def au_option(help_text: str = "Date d'arrêté (AAAA-MM-JJ ou JJ/MM/AAAA).") -> str | None:
    return typer.Option(None, "--au", help=help_text, show_default=False)


def projet_option() -> str | None:
    return typer.Option(
        None, "--projet", "-p", help="Code du projet (métadonnée « projet: »).", show_default=False
    )


def parse_date(text: str | None, option: str = "--au") -> datetime.date | None:
    """``2025-06-30`` or ``30/06/2025`` → date; French usage error otherwise."""
    if text is None:
        return None
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.date.fromisoformat(value)
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    raise MauvaisUsage(f"{option} « {text} » : date attendue au format AAAA-MM-JJ ou JJ/MM/AAAA")


def source_du_grand_livre(ledger: Path | str | None) -> Source:
    """Load the ledger; refuse it (exit 1) if it has errors; return a report source."""
    from ..rapports.source import Source

    return Source.from_livre(livre_sans_erreur(ledger, "avant de produire les états"))


def livre_sans_erreur(ledger: Path | str | None, avant: str) -> Livre:
    """The loaded ledger; exit 1 listing its errors if it has any (« corrigez-les {avant} »)."""
    from .chargement import charger

    livre = charger(ledger)
    refuser_erreurs(livre.diagnostics, "le grand livre contient", avant, VOIR_VERIFIER)
    return livre


def exercice_de(source: Source, code: str | None) -> Exercice:
    from ..rapports.source import RapportImpossible

    try:
        return source.exercice(code)
    except RapportImpossible as exc:
        raise Echec(str(exc)) from None


def rapport_d_etat(builder, ledger, exercice, au, **options) -> Rapport:
    """What every statement command does: load, pick the exercice stopped at ``--au``,
    build the statement with ``builder(source, periode, au=date, **options)``."""
    date = parse_date(au)
    source = source_du_grand_livre(ledger)
    periode = exercice_arrete(source, exercice, date)
    return produire(builder, source, periode, au=date, **options)


def etat(builder, ledger, exercice, au, format, sortie, ecraser, **options) -> None:
    """:func:`rapport_d_etat`, then write it (for a command not declared with
    :func:`.options.commande_de_rapport`)."""
    from .sortie import emettre

    emettre(rapport_d_etat(builder, ledger, exercice, au, **options), format, sortie, ecraser)


def commande_d_etat(moteur: str, aide_au: str, doc: str) -> Callable[..., None]:
    """The command of a statement with the usual options only (``--exercice --au --ledger
    --format --sortie --ecraser``): ``moteur``, « module:function » below the package,
    builds it (imported when the command runs); ``aide_au`` is the help of ``--au`` and
    ``doc`` the command's help."""
    from .options import commande_de_rapport

    @commande_de_rapport
    def commande(
        exercice: str | None = exercice_option(),
        au: str | None = au_option(aide_au),
        *,
        ledger: Path | None,
    ) -> Rapport:
        import importlib

        module, nom = moteur.split(":")
        builder = getattr(importlib.import_module(f"..{module}", __package__), nom)
        return rapport_d_etat(builder, ledger, exercice, au)

    commande.__doc__ = doc
    return commande


def produire(builder: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call an engine function, turning RapportImpossible into a French failure."""
    from ..rapports.source import RapportImpossible

    try:
        return builder(*args, **kwargs)
    except RapportImpossible as exc:
        raise Echec(str(exc)) from None


def exercice_arrete(source: Source, code: str | None, date: datetime.date | None) -> Exercice:
    """The exercice of a report stopped at ``date`` (``--au``): the one named, which must
    contain the date, else the one containing the date, else the latest one."""
    if date is None or code is not None:
        periode = exercice_de(source, code)
        if date is not None and not periode.contains(date):
            raise Echec(f"--au {date.isoformat()} est hors de l'{periode.libelle}")
        return periode
    periode = source.context.calendrier.containing(date)
    if periode not in source.exercices:
        known = ", ".join(e.code for e in source.exercices) or "aucun"
        raise Echec(
            f"--au {date.isoformat()} : aucune écriture dans l'{periode.libelle} "
            f"(exercices du grand livre : {known})"
        )
    return periode
