"""``communs exemple``: generate a large realistic ledger (benchmarks, trials)."""

from __future__ import annotations

from pathlib import Path

import typer

MAX_TRANSACTIONS = 1_000_000


def exemple(
    dossier: Path = typer.Argument(..., help="Dossier à créer.", show_default=False),
    transactions: int = typer.Option(
        10_000,
        "--transactions",
        "-n",
        min=1,
        help=f"Nombre approximatif d'écritures (au plus {MAX_TRANSACTIONS:_}).".replace("_", " "),
    ),
    graine: int = typer.Option(2024, "--graine", help="Graine du générateur (reproductible)."),
    force: bool = typer.Option(
        False, "--force", help="Accepter un dossier non vide (aucun fichier existant remplacé)."
    ),
) -> None:
    """Génère un grand livre d'association réaliste et reproductible (tests de charge)."""
    from ..application.generateur import generate_ledger
    from ..ecriture import FichierExistant
    from ..sources import display_path
    from .affichage import messages, succes
    from .echecs import Echec, MauvaisUsage

    if transactions > MAX_TRANSACTIONS:  # a few digits too many would run for hours
        raise MauvaisUsage(
            f"--transactions {transactions} : au plus {MAX_TRANSACTIONS:_} écritures".replace(
                "_", " "
            )
        )
    if dossier.exists() and any(dossier.iterdir()) and not force:
        raise Echec(f"le dossier {display_path(dossier)} n'est pas vide (ajoutez --force)")
    with messages().status(f"Génération de {transactions} écritures…"):
        try:
            written = generate_ledger(dossier, transactions=transactions, seed=graine)
        except FichierExistant as exc:
            raise Echec(f"{display_path(exc.path)} existe déjà : il n'est pas remplacé") from None
        except OSError as exc:  # permissions, a read-only or missing parent, /proc…
            from .sortie import cause_lisible

            raise Echec(
                f"écriture impossible dans {display_path(dossier)} : {cause_lisible(exc)}"
            ) from None
    succes(f"{written.transactions} écritures générées dans {display_path(written.main)}.")
