"""``communs budget nouveau EXERCICE``: next year's budget file, from a budget or its actuals."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from .budget_cerfa import version_option
from .options import ledger_option
from .sortie import ecraser_option

DEPUIS = ("budget", "realise")


def nouveau(
    cible: str = typer.Argument(
        ..., metavar="EXERCICE", help="Exercice du nouveau budget (ex. 2027).", show_default=False
    ),
    depuis: str = typer.Option(
        "budget",
        "--depuis",
        help="Point de départ : « budget » (montants du budget) ou « realise » (réalisé de "
        "l'exercice source).",
    ),
    indexation: str | None = typer.Option(
        None,
        "--indexation",
        help="Hausse appliquée à chaque montant, en pour cent (ex. « 2 » ou « 2,5 % »).",
        show_default=False,
    ),
    exercice: str | None = typer.Option(
        None,
        "--exercice",
        "-e",
        help="Exercice source ; par défaut le dernier exercice doté d'un budget avant EXERCICE.",
        show_default=False,
    ),
    version: str | None = version_option(),
    sortie: Path | None = typer.Option(
        None,
        "--sortie",
        "-o",
        help="Fichier à écrire ; par défaut EXERCICE.yaml dans le dossier du budget source.",
        show_default=False,
    ),
    ledger: Path | None = ledger_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Prépare le budget d'un nouvel exercice à partir du budget ou du réalisé d'un exercice :
    lignes, libellés, projets, profils et commentaires repris, montants indexés au besoin."""
    from ..budget.fichier import _exercice_named, load_budgets
    from ..budget.nouveau import nouveau_budget
    from ..rapports.source import RapportImpossible, Source
    from ..sources import display_path
    from .budget_cerfa import charger_budget, version_ou_echec
    from .echecs import Echec, MauvaisUsage
    from .sortie import write

    if depuis not in DEPUIS:
        raise MauvaisUsage(f"--depuis « {depuis} » inconnu : budget ou realise")
    taux = _taux(indexation)
    livre_budget = charger_budget(ledger, None)
    context = livre_budget.livre.context
    target = _exercice_named(context, cible)
    if target is None:
        raise MauvaisUsage(f"exercice « {cible} » invalide (ex. 2027, ou 2026-2027)")
    budgets = load_budgets(context)
    declared = sorted(budgets.par_exercice.values(), key=lambda b: b.exercice.debut)
    if exercice is not None:
        choisi = charger_budget(ledger, exercice).budget
    else:
        before = [b for b in declared if b.exercice.debut < target.debut]
        if not before:
            raise Echec(
                f"aucun budget avant l'exercice {target.code} : indiquez l'exercice source "
                "(--exercice)"
            )
        choisi = before[-1]
    chosen = version_ou_echec(choisi, version)
    source = Source.from_livre(livre_budget.livre)
    moves = source.mouvements.entre(choisi.exercice.debut, choisi.exercice.fin)
    path = sortie if sortie is not None else Path(choisi.fichier).parent / f"{target.code}.yaml"
    try:
        fait = nouveau_budget(
            choisi,
            chosen,
            target,
            depuis,
            taux,
            moves,
            set(context.config.projets),
            datetime.date.today(),
            source.mouvements.derniere_date,
        )
    except RapportImpossible as exc:
        raise Echec(str(exc)) from None
    path = Path(display_path(path))
    write(path, fait.texte.encode("utf-8"), ecraser)  # atomic; never replaces without --ecraser
    typer.echo(
        f"Budget {target.code} écrit dans {path} : {fait.lignes} ligne(s), version « projet »."
    )
    for note in fait.notes:
        typer.echo(f"• {note}")
    if target.code not in budgets.par_exercice:
        typer.echo(
            f'• Déclarez-le dans communs.yaml : budget: {{fichiers: {{"{target.code}": '
            f"{_relatif(path, context)}}}}}"
        )


def _taux(text: str | None) -> Decimal:
    from .echecs import MauvaisUsage

    if text is None:
        return Decimal(0)
    cleaned = re.sub(r"\s|%", "", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MauvaisUsage(
            f"--indexation « {text} » : pourcentage attendu (ex. 2 ou 2,5 %)"
        ) from None
    if not value.is_finite() or not Decimal(-100) < value < Decimal(1000):
        raise MauvaisUsage(f"--indexation « {text} » : pourcentage attendu (ex. 2 ou 2,5 %)")
    return value


def _relatif(path: Path, context) -> str:
    folder = Path(context.ledger).resolve().parent
    try:
        return path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return str(path)
