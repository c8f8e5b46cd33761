"""``communs verifier``: load the ledger with every communs check and list the errors."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from .options import LEDGER_HELP


class FormatVerif(StrEnum):
    table = "table"
    json = "json"


def verifier(
    grand_livre: Path | None = typer.Argument(None, help=LEDGER_HELP, show_default=False),
    ledger: Path | None = typer.Option(
        None, "--ledger", "-f", help="Équivalent de l'argument GRAND_LIVRE.", show_default=False
    ),
    format: FormatVerif = typer.Option(
        FormatVerif.table, "--format", help="table (lisible) ou json (pour les outils)."
    ),
) -> None:
    """Vérifie le grand livre : syntaxe, équilibre, soldes, plan comptable associatif,
    et les fichiers déclarés dans communs.yaml (budgets, prévisions, conventions, clés
    de répartition).

    Toutes les vérifications de communs s'appliquent, même si le grand livre ne
    déclare pas les greffons. Code de sortie 1 s'il y a au moins une erreur ; les
    avertissements (budget comparé au réalisé) sont listés à part, après les
    erreurs, et ne changent pas le code de sortie ; du balisage HTML (« < », « > »,
    « javascript: », « on…= ») dans un libellé, un bénéficiaire ou une métadonnée
    donne un avertissement.
    """
    from ..formatage import pluriel
    from .affichage import messages, sortie, succes
    from .chargement import charger

    livre = charger(grand_livre or ledger)
    if livre.context is not None:
        from ..application.fichiers_annexes import (
            avertissements_des_conventions,
            erreurs_des_fichiers_annexes,
        )

        annexes = erreurs_des_fichiers_annexes(livre.context, livre.entries)
        livre.diagnostics = sorted({*livre.diagnostics, *annexes})
        if livre.ok:
            from ..application.fichiers_annexes import avertissements_des_fichiers_annexes

            conventions = avertissements_des_conventions(livre.context, livre.entries)
            livre.avertissements = [
                *livre.avertissements,
                *avertissements_des_fichiers_annexes(livre.context, livre.entries),
                *conventions,
            ]
    from ..balisage import avertissements_balisage

    balisage = avertissements_balisage(livre.entries)
    livre.avertissements = sorted({*livre.avertissements, *balisage})
    resume = _resume(livre)
    if format is FormatVerif.json:
        payload = {
            "grand_livre": str(livre.path),
            "ok": livre.ok,
            "nombre_erreurs": len(livre.diagnostics),
            "erreurs": [
                {"fichier": d.filename, "ligne": d.line, "message": d.message}
                for d in livre.diagnostics
            ],
            **resume,
        }
        payload["nombre_avertissements"] = len(livre.avertissements)
        payload["avertissements"] = [
            {"fichier": d.filename, "ligne": d.line, "message": d.message}
            for d in livre.avertissements
        ]
        sortie().print_json(json.dumps(payload, ensure_ascii=False))
        raise typer.Exit(0 if livre.ok else 1)

    out = sortie()
    for diagnostic in livre.diagnostics:
        out.print(str(diagnostic), markup=False, highlight=False, soft_wrap=True)
    if livre.avertissements:
        if livre.diagnostics:
            out.print()
        out.print("Avertissements :", markup=False, highlight=False)
        for diagnostic in livre.avertissements:
            out.print(str(diagnostic), markup=False, highlight=False, soft_wrap=True)
    warnings = (
        f", {pluriel(len(livre.avertissements), 'avertissement')}" if livre.avertissements else ""
    )
    exercices = _exercices_text(resume["exercices"])
    if livre.ok:
        succes(
            f"Aucune erreur{warnings} : {pluriel(resume['ecritures'], 'écriture')}, "
            f"{pluriel(resume['comptes'], 'compte')}{exercices}."
        )
        return
    files = {d.filename for d in livre.diagnostics}
    messages().print(
        f"[erreur]✗ {pluriel(len(livre.diagnostics), 'erreur')}[/] "
        f"dans {pluriel(len(files), 'fichier')} "
        f"({pluriel(resume['ecritures'], 'écriture lue', 'écritures lues')}){warnings}.",
        highlight=False,
    )
    raise typer.Exit(1)


def _resume(livre) -> dict:
    from beancount.core import data

    transactions = [e for e in livre.entries if isinstance(e, data.Transaction)]
    accounts = {e.account for e in livre.entries if isinstance(e, data.Open)}
    exercices = []
    if livre.entries:
        dated = [e.date for e in transactions] or [e.date for e in livre.entries]
        for exercice in livre.context.calendrier.between(min(dated), max(dated)):
            exercices.append(
                {
                    "code": exercice.code,
                    "debut": exercice.debut.isoformat(),
                    "fin": exercice.fin.isoformat(),
                    "plan": exercice.version,
                }
            )
    return {"ecritures": len(transactions), "comptes": len(accounts), "exercices": exercices}


def _exercices_text(exercices: list[dict]) -> str:
    if not exercices:
        return ""
    groups: dict[str, list[str]] = {}
    for exercice in exercices:
        groups.setdefault(exercice["plan"], []).append(exercice["code"])
    parts = []
    for plan, codes in groups.items():
        listed = codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " et " + codes[-1]
        parts.append(f"{listed} (plan {plan})")
    label = "exercice" if len(exercices) == 1 else "exercices"
    return f", {label} " + " ; ".join(parts)
