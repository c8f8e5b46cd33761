"""Loading the ledger from a command, with a spinner and French failures; the lock of the
association folder for the commands that write (:mod:`communs_ledger.acces_exclusif`)."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .echecs import Echec

if TYPE_CHECKING:
    from ..chargement import Livre


FREEZE_AFTER_LOAD = False
"""Set by the ``communs`` process (:func:`~communs_ledger.cli.app.main`), which ends after
its report: the loaded ledger is then frozen out of the garbage collector's scans
(:mod:`communs_ledger.gc_pause`). Left off where the CLI runs inside a longer process
(tests through Typer's runner)."""


def _localiser(explicit: Path | str | None) -> Path:
    from ..chargement import LedgerNotFound, locate_ledger

    try:
        return locate_ledger(explicit)
    except LedgerNotFound as exc:
        raise Echec(str(exc)) from None


def charger(explicit: Path | str | None) -> Livre:  # lazy imports keep start-up fast
    """Locate and load the ledger; raise :class:`Echec` if it cannot be read.

    Files left changed by an interrupted command (a journal in the folder) are put
    back first, under the folder's lock, and the user is told.
    """
    from ..chargement import load_livre
    from .affichage import messages

    path = _localiser(explicit)
    reparer_si_interrompu(path)
    console = messages()
    spinner = (  # drawn on a terminal only (elsewhere Rich would run it for nothing)
        console.status(f"Chargement de {path.name}…", spinner="dots")
        if console.is_terminal
        else contextlib.nullcontext()
    )
    with spinner:
        try:
            return load_livre(path, freeze=FREEZE_AFTER_LOAD)
        except Exception as exc:  # Beancount's loader raised: say where, in French
            if os.environ.get("COMMUNS_DEBUG"):
                raise
            from ..chargement_impossible import expliquer

            problems = expliquer(path, exc)
            if len(problems) == 1:
                raise Echec(problems[0]) from None
            raise Echec(
                f"{len(problems)} problèmes empêchent Beancount de lire le grand livre :",
                problems,
            ) from None


def reparer_si_interrompu(ledger: Path) -> None:
    """Put back, under the folder's lock, the files an interrupted command left changed
    (a journal in the ledger's folder), telling the user; nothing otherwise."""
    from ..acces_exclusif import journal_present

    if journal_present(ledger.parent):
        with _verrou(ledger.parent):
            pass


def ecrire_dans_le_dossier(
    explicit: Path | str | None, actif: bool = True
) -> contextlib.AbstractContextManager[object]:
    """The lock of the ledger's folder, for a ``with`` around a writing command's whole work
    (from loading the ledger to the re-check); nothing if not ``actif``.

    Waits (saying so) while another command writes there, then refuses (exit 1).
    """
    if not actif:
        return contextlib.nullcontext()
    return _verrou(_localiser(explicit).parent)


class _verrou:
    """The folder's lock, with French messages (a context manager)."""

    def __init__(self, dossier: Path) -> None:
        from ..acces_exclusif import acces_exclusif
        from .affichage import info

        self.dossier = dossier
        self.acces = acces_exclusif(dossier, annoncer=info)

    def __enter__(self) -> None:
        from ..acces_exclusif import NOM_JOURNAL, NOM_VERROU, DossierOccupe, JournalIllisible
        from ..sources import display_path
        from .affichage import avertissement

        nom = display_path(self.dossier)
        dossier = "ce dossier" if nom == "." else f"le dossier {nom}"
        try:
            restaures = self.acces.__enter__()
        except DossierOccupe as exc:
            raise Echec(
                f"une autre commande communs écrit toujours dans {dossier} "
                f"après {exc.attente:g} s d'attente : rien n'est fait ; relancez la commande "
                f"quand l'autre sera terminée (verrou {NOM_VERROU})"
            ) from None
        except JournalIllisible:
            raise Echec(
                f"{display_path(self.dossier / NOM_JOURNAL)} : journal d'une commande "
                "interrompue illisible ; vérifiez les derniers fichiers modifiés (git status, "
                "git diff) puis supprimez ce fichier"
            ) from None
        except OSError as exc:
            from .sortie import cause_lisible

            raise Echec(
                f"impossible de réserver {dossier} pour y écrire "
                f"({NOM_VERROU}) : {cause_lisible(exc)} ; rien n'est fait"
            ) from None
        if restaures:
            noms = ", ".join(display_path(path) for path in restaures)
            avertissement(
                "une commande communs a été interrompue pendant une écriture : "
                f"{noms} remis dans leur état d'avant cette commande ({NOM_JOURNAL})"
            )

    def __exit__(self, *exc: object) -> None:
        self.acces.__exit__(*exc)


def ecriture_exclusive(actif: Callable[[dict[str, Any]], bool] | None = None):
    """Decorator of a writing command: its whole work runs under the folder's lock (taken
    on the folder of its ``ledger`` option), or only when ``actif(parameters)`` holds."""

    def decorer(commande: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(commande)
        def executer(**parametres: Any) -> None:
            voulu = actif is None or actif(parametres)
            with ecrire_dans_le_dossier(parametres.get("ledger"), actif=voulu):
                commande(**parametres)

        return executer

    return decorer
