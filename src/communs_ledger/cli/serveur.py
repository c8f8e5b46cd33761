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
    _verifier_adresse(hote, port)  # before the load: a wrong --hote fails at once
    _surveillance_en_francais()
    try:
        app, slug, titre, avec_extension = application_fava(
            path, ecriture=ecriture, hote=hote, port=port
        )
    except Exception as exc:  # Beancount's loader raised (include of a folder…)
        from ..chargement_impossible import expliquer

        raise Echec(" ; ".join(expliquer(path, exc))) from None
    server = _ecouter(app, hote, port)  # bound before « Fava sert… » is announced
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
    _servir(server, hote, port)


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


def _verifier_adresse(hote: str, port: int) -> None:
    """Echec (French) when ``hote``:``port`` cannot be listened on: no such address, an
    address of another computer, a port in use or reserved. (A probe: the real bind comes
    after the load, in :func:`_ecouter`.)"""
    from .echecs import Echec

    pourquoi = _pourquoi_pas(hote, port)
    if pourquoi is not None:
        raise Echec(pourquoi)


def _pourquoi_pas(hote: str, port: int) -> str | None:
    """Why ``hote``:``port`` cannot be listened on (None: it can, at this moment)."""
    import errno
    import socket

    conseil = "127.0.0.1 : cet ordinateur seulement ; 0.0.0.0 : le réseau"
    try:
        adresses = socket.getaddrinfo(
            hote, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
        )
    except (OSError, UnicodeError):
        return f"--hote {hote} : adresse invalide ou inconnue ({conseil})"
    erreurs = []
    for famille, genre, proto, _nom, adresse in adresses:
        try:
            with socket.socket(famille, genre, proto) as essai:
                essai.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as cheroot
                essai.bind(adresse)
            return None
        except OSError as exc:
            erreurs.append(exc)
    codes = {exc.errno for exc in erreurs}
    if errno.EADDRINUSE in codes:
        return (
            f"impossible d'écouter sur {hote}:{port} : port déjà utilisé (un autre communs "
            "fava ?) ; choisissez un autre port avec --port"
        )
    if errno.EACCES in codes:
        return (
            f"impossible d'écouter sur {hote}:{port} : port réservé à l'administrateur "
            "(au-dessous de 1024) ; choisissez un autre port avec --port (ex. 5000)"
        )
    if errno.EADDRNOTAVAIL in codes:
        return f"--hote {hote} : adresse qui n'est pas celle de cet ordinateur ({conseil})"
    details = "; ".join(sorted({exc.strerror or str(exc) for exc in erreurs}))
    return f"impossible d'écouter sur {hote}:{port} : {details}"


def _ecouter(app: Any, hote: str, port: int) -> Any:
    """Cheroot's server for ``app``, bound to ``hote``:``port`` (Echec in French if not)."""
    from cheroot.wsgi import Server

    from .echecs import Echec

    server = Server((hote, port), app)
    try:
        server.prepare()
    except OSError as exc:
        raise Echec(
            _pourquoi_pas(hote, port) or f"impossible d'écouter sur {hote}:{port} : {exc}"
        ) from None
    return server


def _servir(server: Any, hote: str, port: int) -> None:
    """Serve until Ctrl+C (the server is bound: :func:`_ecouter`)."""
    from .echecs import Echec

    try:
        server.serve()
    except KeyboardInterrupt:
        typer.echo("Fava arrêté.")
        server.stop()
    except OSError as exc:
        raise Echec(f"Fava arrêté sur {hote}:{port} : {exc}") from None
