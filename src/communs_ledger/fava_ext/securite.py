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
- the documents Fava serves as they are (``/document/``, ``/statement/``: an HTML file
  put in the documents folder) are sandboxed: no script, not this site's origin;
- the French text of Fava's import page, which has none (« No importers configured »):
  the association imports its statements with ``communs importer``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

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

    def __init__(self, app: Any, *, hotes: frozenset[str] | None, ecriture: bool = False) -> None:
        self.app = app
        self.hotes = hotes
        self.ecriture = ecriture

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
        chemin = str(environ.get("PATH_INFO", ""))
        if chemin.endswith("/static/app.js"):
            return self._app_js_en_francais(environ, start_response)
        if chemin.endswith(("/document/", "/statement/")):
            return self.app(environ, _avec_entetes(start_response, ENTETES_DOCUMENT))
        return self.app(environ, _avec_entetes(start_response))

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

        corps_iter = self.app(environ, garder)
        try:
            corps = b"".join(corps_iter)
        finally:
            if hasattr(corps_iter, "close"):
                corps_iter.close()
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
    statut = {403: "403 Forbidden"}[code]
    _avec_entetes(start_response)(
        statut,
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(corps)))],
    )
    return [corps]
