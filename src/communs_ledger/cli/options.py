"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import typer

LEDGER_HELP = (
    "Grand livre à utiliser (sinon $COMMUNS_LEDGER, sinon main.beancount dans le dossier courant)."
)


def ledger_option() -> Path | None:
    return typer.Option(None, "--ledger", "-f", help=LEDGER_HELP, show_default=False)
