"""``communs plan-comptable``: browse and search the plan comptable associatif."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from typing import Any

import typer


class Version(StrEnum):
    v2018 = "2018"
    v2025 = "2025"


class FormatPlan(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def plan_comptable(
    recherche: list[str] = typer.Argument(
        None,
        help="Numéro (début) ou mots du libellé, sans souci d'accents ni de majuscules.",
        show_default=False,
    ),
    version: Version = typer.Option(
        Version.v2025,
        "--version",
        "-v",
        help="2018 : exercices ouverts avant le 1er janvier 2025 ; 2025 : à partir de cette date.",
    ),
    retires: bool = typer.Option(
        False, "--retires", help="Liste les comptes retirés en 2025 et leur remplacement."
    ),
    format: FormatPlan = typer.Option(FormatPlan.table, "--format", help="table, csv ou json."),
) -> None:
    """Parcourt et cherche dans le plan comptable associatif (2018 ou 2025).

    Exemples : « communs plan-comptable deplacement », « communs plan-comptable 62 »,
    « communs plan-comptable --version 2018 subvention », « communs plan-comptable --retires ».
    """
    from ..plan import load_chart

    text = " ".join(recherche or [])
    if retires:
        _retires(text, format)
        return
    chart = load_chart(version.value)
    rows = _rows(chart.search(text))
    if format is FormatPlan.json:
        typer.echo(json.dumps({"version": chart.version, "comptes": rows}, ensure_ascii=False))
        return
    if format is FormatPlan.csv:
        _write_csv(rows)
        return
    _afficher(chart, text, rows)


def _rows(found: list[Any]) -> list[dict[str, str]]:
    """One row per account found, with its nature's label."""
    from ..plan import natures

    labels = {key: nature.libelle for key, nature in natures().items()}
    return [
        {
            "code": account.code,
            "libelle": account.libelle,
            "nature": account.nature,
            "nature_libelle": labels.get(account.nature, account.nature),
            "poste_resultat": "|".join(account.poste_resultat),
            "poste_bilan": "|".join(account.poste_bilan),
            "statut": account.statut,
        }
        for account in found
    ]


def _afficher(chart: Any, text: str, rows: list[dict[str, str]]) -> None:
    """The accounts found as a terminal table (a number's status when it is no account)."""
    from ..formatage import pluriel
    from .affichage import messages, sortie

    query = text.strip()
    if query.isdigit() and chart.get(query) is None:
        messages().print(_code_status(chart, query), markup=False, highlight=False)
    if not rows:
        if not query.isdigit():
            messages().print(
                f"Aucun compte du plan {chart.version} ne correspond à « {text} ».", markup=False
            )
        return
    sortie().print(_table(chart, text, rows))
    messages().print(pluriel(len(rows), "compte") + ".", style="attenue")


def _table(chart: Any, text: str, rows: list[dict[str, str]]) -> Any:  # -> rich Table
    from rich.table import Table
    from rich.text import Text

    from ..plan import fold

    table = Table(  # the query is user text: a Text, never read as markup
        title=Text(f"{chart.libelle}" + (f" — recherche « {text} »" if text else "")),
        title_justify="left",
        show_lines=False,
    )
    table.add_column("Numéro", no_wrap=True)
    table.add_column("Libellé")
    table.add_column("Nature", style="attenue")
    words = fold(text).split() if text and not text.strip().isdigit() else []
    for row in rows:
        indent = "  " * max(0, len(row["code"]) - 2)
        style = "bold" if row["nature"] == "titre" else None
        label = row["libelle"]
        if words and all(word in fold(label) for word in words):
            style = "bold cyan"
        table.add_row(indent + row["code"], label, row["nature_libelle"], style=style)
    return table


def _code_status(chart: Any, code: str) -> str:
    """What the chart says of a number that is not one of its accounts."""
    from ..plan import CodeState

    check = chart.check(code)
    plan = f"plan {chart.version}"
    if check.state is CodeState.EXTENDS_POSTABLE and check.account is not None:
        return (
            f"{code} n'est pas un compte du {plan} mais il est valable : il prolonge "
            f"{check.account.code} « {check.account.libelle} » (sous-compte)."
        )
    if check.state is CodeState.EXTENDS_HEADING and check.account is not None:
        return (
            f"{code} n'est pas valable dans le {plan} : il prolonge seulement le titre "
            f"{check.account.code} « {check.account.libelle} », non mouvementable."
        )
    if check.state is CodeState.RETIRED and check.retirement is not None:
        retired = check.retirement
        replacement = f" ; remplacement : {retired.remplacement}" if retired.remplacement else ""
        return f"{retired.code} « {retired.libelle} » est retiré du {plan}{replacement}."
    return f"{code} n'existe pas dans le {plan}."


def _sans_formules(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Text cells a spreadsheet would take for formulas, neutralised (see rendu/en_csv.py)."""
    from ..rendu.en_csv import sans_formule

    return [
        {
            key: sans_formule(value) if isinstance(value, str) else value
            for key, value in row.items()
        }
        for row in rows
    ]


def _write_csv(rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    fields = ["code", "libelle", "nature", "poste_resultat", "poste_bilan", "statut"]
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_sans_formules(rows))
    typer.echo(buffer.getvalue(), nl=False)


def _libelle(chart: Any, code: str | None) -> str:
    """The label of a replacement account ("" if none, or not in the chart)."""
    account = chart.get(code) if code else None
    return str(account.libelle) if account else ""


def _retires(text: str, format: FormatPlan) -> None:
    from ..plan import fold, load_chart

    chart = load_chart("2025")
    query = fold(text)
    rows = [
        {
            "code": r.code,
            "libelle": r.libelle,
            "remplacement": r.remplacement,
            "libelle_remplacement": _libelle(chart, r.remplacement),
            "precision": r.precision,
        }
        for r in chart.retirements.values()
        if not query or r.code.startswith(query) or all(w in fold(r.libelle) for w in query.split())
    ]
    if format is FormatPlan.json:
        typer.echo(json.dumps({"retraits_2025": rows}, ensure_ascii=False))
        return
    if format is FormatPlan.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(rows[0]) if rows else ["code"], lineterminator="\r\n"
        )
        writer.writeheader()
        writer.writerows(_sans_formules(rows))
        typer.echo(buffer.getvalue(), nl=False)
        return
    from rich.table import Table

    from .affichage import sortie

    table = Table(title="Comptes retirés du plan comptable en 2025", title_justify="left")
    # Only the number is kept on one line: a no_wrap label column squeezed the others to
    # nothing on an 80-column terminal.
    table.add_column("Numéro", no_wrap=True, min_width=6)
    table.add_column("Libellé (plan 2018)")
    table.add_column("Remplacement")
    table.add_column("Précision", style="attenue")
    for row in rows:
        replacement = (
            f"{row['remplacement']} {row['libelle_remplacement']}" if row["remplacement"] else "—"
        )
        table.add_row(row["code"], row["libelle"], replacement, row["precision"])
    sortie().print(table)
