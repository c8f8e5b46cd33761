"""``communs verifier``: load the ledger with every communs check and list the errors."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .options import LEDGER_HELP

if TYPE_CHECKING:
    from ..application.verification import VerificationDuLivre
    from ..chargement import Diagnostic


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
    de répartition, règles d'import) et les modèles d'écritures (modeles/).

    Toutes les vérifications de communs s'appliquent, même si le grand livre ne
    déclare pas les greffons. Code de sortie 1 s'il y a au moins une erreur ; les
    avertissements (budget comparé au réalisé) sont listés à part, après les
    erreurs, et ne changent pas le code de sortie ; du balisage HTML (« < », « > »,
    « javascript: », « on…= ») dans un libellé, un bénéficiaire ou une métadonnée
    donne un avertissement.
    """
    from .en_cache import resultat_en_cache

    explicite = grand_livre or ledger
    path, verification = resultat_en_cache(
        "verifier",
        explicite,
        {"format": format.value},
        lambda: _verifier(explicite),
        garder=lambda resultat: resultat[1].ok,  # errors are always looked for again
    )
    if format is FormatVerif.json:
        _imprimer_json(path, verification)
        raise typer.Exit(0 if verification.ok else 1)
    _imprimer(verification)
    if not verification.ok:
        raise typer.Exit(1)


def _verifier(explicite: Path | None) -> tuple[Path, VerificationDuLivre]:
    """Load the ledger and run every check (the result the cache keeps)."""
    from ..application.verification import verifier_livre
    from .chargement import charger

    livre = charger(explicite)
    return livre.path, verifier_livre(livre)


def _lieux(diagnostics: tuple[Diagnostic, ...]) -> list[dict[str, Any]]:
    return [{"fichier": d.filename, "ligne": d.line, "message": d.message} for d in diagnostics]


def _imprimer_json(path: Path, verification: VerificationDuLivre) -> None:
    from .affichage import sortie

    payload: dict[str, Any] = {
        "grand_livre": str(path),
        "ok": verification.ok,
        "nombre_erreurs": len(verification.diagnostics),
        "erreurs": _lieux(verification.diagnostics),
        "ecritures": verification.ecritures,
        "comptes": verification.comptes,
        "exercices": [
            {
                "code": exercice.code,
                "debut": exercice.debut.isoformat(),
                "fin": exercice.fin.isoformat(),
                "plan": exercice.plan,
            }
            for exercice in verification.exercices
        ],
        "nombre_avertissements": len(verification.avertissements),
        "avertissements": _lieux(verification.avertissements),
    }
    sortie().print_json(json.dumps(payload, ensure_ascii=False))


def _imprimer(verification: VerificationDuLivre) -> None:
    """Errors, then warnings, on standard output; the summary line on the messages."""
    from ..formatage import pluriel
    from .affichage import messages, sortie, succes

    out = sortie()
    for diagnostic in verification.diagnostics:
        out.print(str(diagnostic), markup=False, highlight=False, soft_wrap=True)
    if verification.avertissements:
        if verification.diagnostics:
            out.print()
        out.print("Avertissements :", markup=False, highlight=False)
        for diagnostic in verification.avertissements:
            out.print(str(diagnostic), markup=False, highlight=False, soft_wrap=True)
    nombre = len(verification.avertissements)
    warnings = f", {pluriel(nombre, 'avertissement')}" if nombre else ""
    if verification.ok:
        succes(
            f"Aucune erreur{warnings} : {pluriel(verification.ecritures, 'écriture')}, "
            f"{pluriel(verification.comptes, 'compte')}{_exercices_text(verification)}."
        )
        return
    files = {d.filename for d in verification.diagnostics}
    messages().print(
        f"[erreur]✗ {pluriel(len(verification.diagnostics), 'erreur')}[/] "
        f"dans {pluriel(len(files), 'fichier')} "
        f"({pluriel(verification.ecritures, 'écriture lue', 'écritures lues')}){warnings}.",
        highlight=False,
    )


def _exercices_text(verification: VerificationDuLivre) -> str:
    exercices = verification.exercices
    if not exercices:
        return ""
    groups: dict[str, list[str]] = {}
    for exercice in exercices:
        groups.setdefault(exercice.plan, []).append(exercice.code)
    parts = []
    for plan, codes in groups.items():
        listed = codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " et " + codes[-1]
        parts.append(f"{listed} (plan {plan})")
    label = "exercice" if len(exercices) == 1 else "exercices"
    return f", {label} " + " ; ".join(parts)
