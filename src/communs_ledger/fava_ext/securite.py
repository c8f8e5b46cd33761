"""What ``communs fava`` puts around Fava's WSGI application, as defence in depth.

Fava 1.30 renders the journal's payees, narrations, notes, custom values and query
names without escaping (``templates/_journal_table.html`` is wrapped in ``{% autoescape false %}``
and the front end inserts it with ``innerHTML``): a narration such as
``"><img src=x onerror=…>`` brought in by a bank label or a shared ledger would run
in the gestionnaire's browser. Whatever Fava renders, :class:`Protection` makes sure
that no script of the page's text runs and that nothing is written unless asked:

- a Content-Security-Policy on every response: scripts only from Fava's own static
  files (no inline script, no ``on…=`` handler, no ``javascript:`` link, no
  ``eval``; ``'wasm-unsafe-eval'`` only lets Fava's editor compile its WebAssembly
  syntax highlighter: without it the editor stays empty), nothing loaded from
  elsewhere, no framing; plus
  ``X-Frame-Options``, ``X-Content-Type-Options``, ``Referrer-Policy``;
- a Host check while serving on the loopback interface: a page of another site whose
  name is made to resolve to 127.0.0.1 (DNS rebinding) is refused;
- read-only unless ``--ecriture``: every method but GET/HEAD is refused with a French
  message (Fava's own ``read_only`` is set too); in writing mode, a write whose
  ``Origin`` is another site is refused;
- in writing mode, every request but GET/HEAD (a save of the source editor, an entry
  added, a document deleted…) holds the association folder's lock
  (:mod:`communs_ledger.acces_exclusif`) until its response is complete, as the writing
  commands do: while another ``communs`` command writes there, Fava waits up to
  :data:`ATTENTE_FAVA` seconds, then refuses in French (HTTP 423) and writes nothing;
- the documents Fava serves as they are (``/document/``, ``/statement/``: an HTML file
  put in the documents folder) are sandboxed: no script, not this site's origin;
- the French text of Fava's import page, which has none (« No importers configured »):
  the association imports its statements with ``communs importer``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..acces_exclusif import (
    NOM_JOURNAL,
    NOM_VERROU,
    DossierOccupe,
    JournalIllisible,
    acces_exclusif,
    attente_maximale,
)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

ENTETES_DOCUMENT = [("Content-Security-Policy", CSP + "; sandbox")]
ENTETES = [
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]

BOUCLE_LOCALE = ("127.0.0.1", "localhost", "::1", "[::1]")
NOMS_LOCAUX = ("127.0.0.1", "localhost", "[::1]")

LECTURE_SEULE = (
    "Fava est ouvert en lecture seule : rien ne peut être modifié depuis le navigateur. "
    "Pour modifier le grand livre dans Fava, relancez « communs fava --ecriture »."
)
HOTE_REFUSE = (
    "Adresse refusée : Fava ne répond qu'aux adresses {attendues} "
    "(protection contre les sites qui se font passer pour cet ordinateur)."
)
ORIGINE_REFUSEE = "Modification refusée : la demande vient d'un autre site ({origine})."

ATTENTE_FAVA = 10.0
"""Seconds a write of Fava's waits for another command (less if ``$COMMUNS_ATTENTE_VERROU``
says less): the browser waits meanwhile."""
RIEN_N_EST_ENREGISTRE = "Rien n'a été enregistré : "
DOSSIER_OCCUPE = (
    RIEN_N_EST_ENREGISTRE + "une autre commande communs (import, saisie, clôture…) écrit en ce "
    "moment dans le dossier de la comptabilité. Réessayez dans un instant, quand elle sera "
    f"terminée (verrou {NOM_VERROU})."
)
ECRITURE_INTERROMPUE = (
    RIEN_N_EST_ENREGISTRE + "une commande communs avait été interrompue pendant une écriture ; "
    f"{{fichiers}} remis dans leur état d'avant cette commande ({NOM_JOURNAL}). Rechargez la "
    "page, puis recommencez la modification."
)
JOURNAL_ILLISIBLE = (
    RIEN_N_EST_ENREGISTRE + f"{NOM_JOURNAL}, le journal d'une commande interrompue, est "
    "illisible ; vérifiez les derniers fichiers modifiés (git status, git diff) puis "
    "supprimez ce fichier."
)
DOSSIER_INACCESSIBLE = (
    RIEN_N_EST_ENREGISTRE + "impossible de réserver le dossier de la comptabilité pour y "
    f"écrire ({NOM_VERROU}) : {{cause}}."
)

# Fava's import page without importers (static/app.js, Fava 1.30): same markup (text,
# link to Fava's help, text) so that the front end still finds its link.
IMPORT_ANGLAIS = b"No importers configured. See <a>Help (Import)</a> for more information."
IMPORT_FRANCAIS = (
    "Les relevés bancaires de l'association s'importent avec la commande "
    "« communs importer », pas depuis Fava (voir le guide, chapitre « Importer les "
    "relevés bancaires ») ; <a>aide de Fava sur ses importateurs</a>."
).encode()


def hotes_autorises(hote: str, port: int) -> frozenset[str] | None:
    """The Host headers accepted when serving on ``hote``:``port``; ``None`` (any) when
    the user chose to serve on another interface than the loopback."""
    if hote.lower() not in BOUCLE_LOCALE:
        return None
    noms = {f"{nom}:{port}" for nom in NOMS_LOCAUX}
    if port == 80:
        noms.update(NOMS_LOCAUX)
    return frozenset(noms)


StartResponse = Callable[..., Any]


class Protection:
    """WSGI middleware around Fava (see the module's docstring)."""

    def __init__(
        self,
        app: Any,
        *,
        hotes: frozenset[str] | None,
        ecriture: bool = False,
        dossier: Path | None = None,
    ) -> None:
        """``dossier``: the association folder whose lock Fava's writes take (none: no lock)."""
        self.app = app
        self.hotes = hotes
        self.ecriture = ecriture
        self.dossier = dossier

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        hote = str(environ.get("HTTP_HOST", "")).lower()
        if self.hotes is not None and hote not in self.hotes:
            attendues = ", ".join(sorted(self.hotes))
            return _refus(start_response, 403, HOTE_REFUSE.format(attendues=attendues))
        methode = environ.get("REQUEST_METHOD", "GET")
        if methode not in ("GET", "HEAD"):
            if not self.ecriture:
                return _refus(start_response, 403, LECTURE_SEULE)
            origine = environ.get("HTTP_ORIGIN")
            if origine and origine.split("://", 1)[-1].lower() != hote:
                return _refus(start_response, 403, ORIGINE_REFUSEE.format(origine=origine))
        environ["HTTP_ACCEPT_LANGUAGE"] = "fr-FR,fr;q=0.9"  # Fava in French
        if methode not in ("GET", "HEAD") and self.dossier is not None:
            return self._sous_verrou(self.dossier, environ, start_response)
        return self._servir(environ, start_response)

    def _servir(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        chemin = str(environ.get("PATH_INFO", ""))
        if chemin.endswith("/static/app.js"):
            return self._app_js_en_francais(environ, start_response)
        if chemin.endswith(("/document/", "/statement/")):
            return self.app(environ, _avec_entetes(start_response, ENTETES_DOCUMENT))
        return self.app(environ, _avec_entetes(start_response))

    def _sous_verrou(
        self, dossier: Path, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Fava's answer to a write, under the folder's lock until its body is complete; a
        French refusal, nothing written, when the lock cannot be had."""
        with contextlib.ExitStack() as pile:
            refus = _verrouiller(pile, dossier)
            if refus is None:
                corps = [_corps_complet(self._servir(environ, start_response))]
            else:
                corps = _refus(start_response, *refus)
        return corps

    def _app_js_en_francais(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """Fava's front end with the import page's sentence in French (always a full
        response, so that no copy cached without it is reused)."""
        environ.pop("HTTP_IF_NONE_MATCH", None)
        environ.pop("HTTP_IF_MODIFIED_SINCE", None)
        reponse: dict[str, Any] = {}

        def garder(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            reponse["status"], reponse["headers"] = status, headers
            return lambda _data: None

        corps = _corps_complet(self.app(environ, garder))
        if reponse["status"].startswith("200"):
            corps = corps.replace(IMPORT_ANGLAIS, IMPORT_FRANCAIS)
        headers = [
            (nom, valeur)
            for nom, valeur in reponse["headers"]
            if nom.lower() not in ("content-length", "etag", "last-modified")
        ]
        headers.append(("Content-Length", str(len(corps))))
        _avec_entetes(start_response)(reponse["status"], headers)
        return [corps]


def _verrouiller(pile: contextlib.ExitStack, dossier: Path) -> tuple[int, str] | None:
    """Take the folder's lock into ``pile``; or the refusal (HTTP code, message) to answer."""
    try:
        restaures = pile.enter_context(
            acces_exclusif(dossier, attente=min(ATTENTE_FAVA, attente_maximale()))
        )
    except DossierOccupe:
        return 423, DOSSIER_OCCUPE
    except JournalIllisible:
        return 409, JOURNAL_ILLISIBLE
    except OSError as exc:
        return 503, DOSSIER_INACCESSIBLE.format(cause=exc.strerror or str(exc))
    if restaures:  # what Fava shows is no longer what the files hold
        fichiers = ", ".join(_nom(dossier, path) for path in restaures)
        return 409, ECRITURE_INTERROMPUE.format(fichiers=fichiers)
    return None


def _corps_complet(corps: Iterable[bytes]) -> bytes:
    """A WSGI response body read to its end, then closed (as a server would)."""
    try:
        return b"".join(corps)
    finally:
        if hasattr(corps, "close"):
            corps.close()


def _nom(dossier: Path, path: Path) -> str:
    try:
        return str(path.relative_to(dossier))
    except ValueError:
        return str(path)


def _avec_entetes(
    start_response: StartResponse, propres: list[tuple[str, str]] | None = None
) -> StartResponse:
    """``start_response`` with the security headers, which replace any of the same name
    (``propres`` before the common ones)."""
    entetes = {nom.lower(): (nom, valeur) for nom, valeur in ENTETES}
    entetes.update((nom.lower(), (nom, valeur)) for nom, valeur in propres or [])

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        gardes = [(nom, valeur) for nom, valeur in headers if nom.lower() not in entetes]
        return start_response(status, gardes + list(entetes.values()), exc_info)

    return start


def _refus(start_response: StartResponse, code: int, message: str) -> list[bytes]:
    """A refusal Fava's front end shows as a notification (``{"error": …}``)."""
    corps = json.dumps({"error": message}, ensure_ascii=False).encode()
    statut = {
        403: "403 Forbidden",
        409: "409 Conflict",
        423: "423 Locked",
        503: "503 Service Unavailable",
    }[code]
    _avec_entetes(start_response)(
        statut,
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(corps)))],
    )
    return [corps]
