"""``communs fava``: serve the ledger in Fava, in French, with the board's pages.

Binds to 127.0.0.1 by default (the association's accounts stay on this
computer); ``--hote 0.0.0.0`` opens it to the local network. Read-only by default
(``--ecriture`` lets the gestionnaire use Fava's editor); every response carries a
Content-Security-Policy and the other protections of :mod:`communs_ledger.fava_ext.securite`
(Fava 1.30 does not escape the journal's text). Fava is shown in
French whatever the browser's language, unless the ledger chooses another
language (``custom "fava-option" "language" …``). The board's pages come from
the line ``custom "fava-extension" "communs_ledger.fava_ext"`` of the ledger
(``communs init`` writes it): without it, the command says how to add it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .options import LEDGER_HELP

EXTENSION = "communs_ledger.fava_ext"
PAGE_D_ACCUEIL = "extension/TableauDeBord/"


def fava(
    ledger: Path | None = typer.Argument(
        None, help=LEDGER_HELP, show_default=False, metavar="GRAND_LIVRE"
    ),
    port: int = typer.Option(5000, "--port", "-p", help="Port d'écoute."),
    hote: str = typer.Option(
        "127.0.0.1",
        "--hote",
        "-H",
        help="Adresse d'écoute (127.0.0.1 : cet ordinateur seulement ; 0.0.0.0 : le réseau).",
    ),
    ecriture: bool = typer.Option(
        False,
        "--ecriture/--lecture-seule",
        help="Autoriser les modifications depuis Fava (éditeur, ajout d'écritures) ; "
        "par défaut, lecture seule.",
    ),
) -> None:
    """Ouvre la comptabilité dans Fava (navigateur), en français, avec les pages du conseil
    d'administration : tableau de bord, compte de résultat, bilan, budget, trésorerie."""
    import gc

    from ..chargement import LedgerNotFound, locate_ledger
    from ..fava_ext.securite import BOUCLE_LOCALE
    from .echecs import Echec, MauvaisUsage

    gc.enable()  # a server lives long: the collector paused by ``main`` works again
    if not 1 <= port <= 65535:
        raise MauvaisUsage(f"--port {port} : numéro de port attendu de 1 à 65535")
    try:
        path = locate_ledger(ledger)
    except LedgerNotFound as exc:
        raise Echec(str(exc)) from None
    _surveillance_en_francais()
    try:
        app, slug, titre, avec_extension = application_fava(
            path, ecriture=ecriture, hote=hote, port=port
        )
    except Exception as exc:  # Beancount's loader raised (include of a folder…)
        from ..chargement_impossible import expliquer

        raise Echec(" ; ".join(expliquer(path, exc))) from None
    adresse = f"http://{hote}:{port}/"
    accueil = f"{adresse}{slug}/{PAGE_D_ACCUEIL if avec_extension else ''}"
    typer.echo(f"Fava sert « {titre} » sur {adresse}", nl=True)
    typer.echo(f"Ouvrez dans votre navigateur : {accueil}")
    if not avec_extension:
        typer.echo(
            "Pages du conseil d'administration absentes : ajoutez au grand livre la ligne\n"
            f'  2024-01-01 custom "fava-extension" "{EXTENSION}"'
        )
    if hote.lower() not in BOUCLE_LOCALE:
        typer.echo(
            f"Attention : Fava est ouvert à toute machine qui peut joindre {hote}, sans mot "
            "de passe (voir le chapitre « Fava », section « Sécurité », du guide)."
        )
    if ecriture:
        typer.echo("Modifications autorisées depuis Fava (--ecriture).")
    else:
        typer.echo("Lecture seule (pour modifier depuis Fava : --ecriture).")
    typer.echo("Arrêt : Ctrl+C.")
    _servir(app, hote, port)


def _surveillance_en_francais() -> None:
    """Fava watches the ledger's files in a thread (watchfiles); when the system refuses a
    watcher (too many open files, inotify limits), that thread dies with a traceback. Say it
    in French instead: the pages still work, changes need a restart of ``communs fava``."""
    import threading

    def signaler(args: threading.ExceptHookArgs) -> None:
        cause = (
            "trop de fichiers ouverts"
            if "Too many open files" in str(args.exc_value)
            else (type(args.exc_value).__name__)
        )
        typer.echo(
            f"Attention : Fava ne peut pas surveiller les fichiers du grand livre ({cause}) ; "
            "les pages restent servies, mais relancez communs fava pour voir une modification.",
            err=True,
        )

    threading.excepthook = signaler


def application_fava(
    path: Path,
    *,
    ecriture: bool = False,
    hote: str = "127.0.0.1",
    port: int = 5000,
    poll_watcher: bool = False,
) -> tuple[Any, str, str, bool]:
    """Fava's WSGI application for the ledger as ``communs fava`` serves it on
    ``hote``:``port`` (read-only unless ``ecriture``, behind :class:`Protection`), its
    slug, title and whether the extension is declared. In writing mode, each write of Fava's
    holds the lock of the ledger's folder, as the writing commands do. ``poll_watcher``:
    Fava's polling file watcher instead of the inotify one (the tests build hundreds of
    applications in one process, which would exhaust the inotify instances)."""
    from fava.application import create_app

    from ..fava_ext.securite import Protection, hotes_autorises

    app = create_app([str(path)], load=True, read_only=not ecriture, poll_watcher=poll_watcher)
    ledgers = app.config["LEDGERS"]
    slug = ledgers.first_slug()
    fava_ledger = ledgers[slug]
    declared = any(
        entry.type == "fava-extension" and entry.values and entry.values[0].value == EXTENSION
        for entry in fava_ledger.all_entries_by_type.Custom
    )
    app.wsgi_app = Protection(  # type: ignore[method-assign]
        app.wsgi_app,
        hotes=hotes_autorises(hote, port),
        ecriture=ecriture,
        dossier=path.resolve().parent if ecriture else None,  # Fava's writes take its lock
    )
    return app, slug, str(fava_ledger.options.get("title") or path.name), declared


def _servir(app: Any, hote: str, port: int) -> None:
    from cheroot.wsgi import Server

    from .echecs import Echec

    server = Server((hote, port), app)
    try:
        server.start()
    except KeyboardInterrupt:
        typer.echo("Fava arrêté.")
        server.stop()
    except OSError as exc:
        if "No socket could be created" in str(exc) or "Address already in use" in str(exc):
            raise Echec(
                f"impossible d'écouter sur {hote}:{port} : port déjà utilisé ou adresse "
                "invalide ; choisissez un autre port avec --port"
            ) from None
        raise Echec(f"impossible de démarrer Fava sur {hote}:{port} : {exc}") from None
