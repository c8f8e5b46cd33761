"""What every page of the extension shares: the ledger's state, the user's selection,
the French messages instead of errors, the selectors, the links to Fava's pages, and
a read-only JSON endpoint giving the page's data.

A page is a subclass of :class:`PageCommuns` with a ``report_title`` (its name in
Fava's sidebar), a template named after the class (``templates/<Classe>.html``),
:meth:`PageCommuns.construire` (the page's content from the engine's reports) and
:meth:`PageCommuns.donnees` (that content as JSON). This module is not the
extension module Fava imports (``communs_ledger.fava_ext``): its base class is not
a page.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import Response, jsonify, request, url_for

from ..chargement import Diagnostic
from ..exercices import Exercice
from ..rapports.objets import Rapport
from ..rapports.source import RapportImpossible, Source
from ..rendu import Format, extension, mime, render
from ..rendu.renvois import Renvoi
from .etat import Etat, etat_de
from .explications import bonnes_pratiques
from .guide import ChapitreInconnu, ancre, chapitre, image
from .selection import Selection, SelectionInconnue, exercice_choisi, lire_selection

log = logging.getLogger(__name__)

ERREURS_AFFICHEES = 20


@dataclass(frozen=True)
class Choix:
    libelle: str
    url: str
    actif: bool
    valeur: str = ""


@dataclass(frozen=True)
class Selecteur:
    id: str
    titre: str
    choix: list[Choix]


@dataclass
class Page:
    """What a page template shows around its content."""

    titre: str
    association: str = ""
    sous_titre: str = ""
    erreurs: list[Diagnostic] = field(default_factory=list)
    nombre_erreurs: int = 0
    url_erreurs: str = ""
    message: str | None = None  # why the content cannot be shown (French)
    explications: list[str] = field(default_factory=list)
    selecteurs: list[Selecteur] = field(default_factory=list)
    contenu: Any = None
    exports: list[Choix] = field(default_factory=list)
    """Download links of the page's report (XLSX, CSV, printable HTML)."""
    arrete: str = ""
    """« Exercice en cours : chiffres arrêtés au … » for an exercice in progress."""
    details: list[str] = field(default_factory=list)
    """Texts naming files, lines or configuration keys: for the gestionnaire, folded."""
    notes: list[str] = field(default_factory=list)
    """The report's notes and warnings, as the board reads them."""
    avertissements: list[str] = field(default_factory=list)
    guide: str = ""
    """Address of the page's section of the good-practice guide (served in Fava)."""
    guide_titre: str = ""

    def pour_le_conseil(self, texte: str) -> str:
        """``texte`` as a board member reads it; its detail naming files or configuration
        keys, if any, goes to :attr:`details` (shown folded)."""
        public, detail = separer(texte)
        if detail is not None and detail not in self.details:
            self.details.append(detail)
        return public


class PageCommuns(FavaExtensionBase):
    """Base of the extension's pages (not itself a page: no ``report_title``)."""

    report_title: str | None = None
    filtre_projet: bool = False
    """Whether the page honours ``?projet=`` (its figures restricted to one project);
    otherwise a project in the URL is said not to apply (:func:`_note_du_filtre_de_projet`)."""
    guide_pratique: tuple[str, str, str] = ("guide/index", "", "Guide de bonnes pratiques")
    """(page of docs/guide/, heading of its section or "", label) the page links to."""

    # --- to be given by each page -----------------------------------------------------------

    def construire(self, page: Page, etat: Etat, selection: Selection) -> Any:
        """The page's content (raise :class:`SelectionInconnue` or RapportImpossible)."""
        raise NotImplementedError

    def donnees(self, contenu: Any) -> dict[str, Any]:
        """The content as JSON-ready data (the CLI's JSON of the reports shown)."""
        raise NotImplementedError

    def rapport_exporte(self, contenu: Any) -> Rapport | None:
        """The engine's report the page's download buttons give (the CLI's renderers)."""
        return getattr(contenu, "rapport", None)

    # --- shared ---------------------------------------------------------------------------

    def etat(self) -> Etat:
        return etat_de(self.ledger)

    def _preparer(self) -> tuple[Page, Etat]:
        etat = self.etat()
        page = Page(titre=self.report_title or "")
        chapitre, section, titre = self.guide_pratique
        page.guide = url_guide(chapitre, ancre(section) if section else "")
        page.guide_titre = titre
        page.erreurs = etat.erreurs[:ERREURS_AFFICHEES]
        page.nombre_erreurs = len(etat.erreurs)
        page.url_erreurs = url_for("report", report_name="errors")
        if etat.source is not None:
            page.association = etat.source.association
        return page, etat

    def page(self) -> Page:
        """The page for the current request; never raises (French message instead)."""
        page, etat = self._preparer()
        if etat.source is None:
            page.message = f"Impossible de lire la configuration du grand livre : {etat.probleme}"
            return page
        try:
            selection = lire_selection(request.args)
            page.contenu = self.construire(page, etat, selection)
            _bonnes_pratiques(page.contenu)
            if self.rapport_exporte(page.contenu) is not None:
                page.exports = self.liens_d_export(selection)
            _note_du_filtre_de_periode(page, etat, selection)
            if not self.filtre_projet:
                _note_du_filtre_de_projet(page, selection)
        except (SelectionInconnue, RapportImpossible) as exc:
            page.message = page.pour_le_conseil(en_phrase(str(exc)))
        except Exception as exc:  # no 500 for a board member: say it, log the detail
            log.exception("page %s", self.name)
            page.message = (
                f"Erreur interne de communs-ledger ({exc.__class__.__name__} : {exc}). "
                "Vérifiez le grand livre avec « communs verifier » et signalez le problème."
            )
        page.explications = [page.pour_le_conseil(e) for e in page.explications]
        _pour_le_conseil(page)
        return page

    @extension_endpoint("donnees")
    def endpoint_donnees(self) -> Response:
        """``GET …/extension/<Page>/donnees?exercice=…``: the page's data as JSON, read
        only. 400 with ``{"erreur": …}`` for an unknown choice in the URL."""
        page, etat = self._preparer()
        if etat.source is None:
            return jsonify({"erreur": f"configuration illisible : {etat.probleme}"})
        try:
            selection = lire_selection(request.args)
            contenu = self.construire(page, etat, selection)
        except SelectionInconnue as exc:
            response = jsonify({"erreur": en_phrase(str(exc))})
            response.status_code = 400
            return response
        except RapportImpossible as exc:
            return jsonify({"erreur": en_phrase(str(exc))})
        except Exception as exc:  # same as the page: French, logged, no HTML traceback
            log.exception("données %s", self.name)
            response = jsonify({"erreur": f"erreur interne de communs-ledger : {exc}"})
            response.status_code = 500
            return response
        return jsonify(self.donnees(contenu))

    @extension_endpoint("export")
    def endpoint_export(self) -> Response:
        """``GET …/extension/<Page>/export?format=xlsx|csv|html&exercice=…``: the page's
        report as a file, made by the same renderers as ``communs … --format``; ``html``
        is the printable page (with :data:`IMPRIMER_JS`: the browser's print dialog, to
        print or save as PDF)."""
        format_demande = request.args.get("format", "")
        if format_demande not in FORMATS_D_EXPORT:
            return reponse_texte(
                f"Format « {format_demande} » inconnu : formats proposés : "
                f"{', '.join(FORMATS_D_EXPORT)}.",
                400,
            )
        page, etat = self._preparer()
        if etat.source is None:
            return reponse_texte(f"Configuration illisible : {etat.probleme}", 200)
        try:
            contenu = self.construire(page, etat, lire_selection(request.args))
            rapport = self.rapport_exporte(contenu)
        except SelectionInconnue as exc:
            return reponse_texte(en_phrase(str(exc)), 400)
        except RapportImpossible as exc:
            return reponse_texte(en_phrase(str(exc)), 200)
        if rapport is None:
            return reponse_texte("Rien à exporter sur cette page.", 200)
        format_ = Format(format_demande)
        corps = render(rapport, format_, lien_guide=lien_absolu_du_guide)
        if format_ is Format.html:
            script = (  # no favicon request (404) from this standalone page
                f'<link rel="icon" href="data:,"><script src="{self.url_statique()}" defer>'
                "</script>"
            ).encode()
            corps = corps.replace(b"</head>", script + b"</head>", 1)
            return Response(corps, mimetype="text/html")
        nom = nom_de_fichier_du_rapport(rapport) + extension(format_)
        reponse = Response(corps, content_type=mime(format_))
        reponse.headers["Content-Disposition"] = f'attachment; filename="{nom}"'
        return reponse

    @extension_endpoint("guide")
    def endpoint_guide(self) -> Response:
        """``GET …/extension/<Page>/guide?chapitre=budget``: a chapter of the user guide."""
        from markupsafe import escape

        nom = request.args.get("chapitre", "index")
        try:
            titre, corps = chapitre(
                nom,
                lambda autre, section: url_guide(autre, section),
                lambda image: self._url_endpoint("guide_image", {"nom": image}),
            )
        except ChapitreInconnu as exc:
            return reponse_texte(en_phrase(str(exc)), 404)
        retour = url_for("extension_report", extension_name="TableauDeBord")
        page = (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(titre)} — guide communs-ledger</title><style>{STYLE_GUIDE}</style>"
            f'</head><body><nav><a href="{escape(retour)}">← Tableau de bord</a> · '
            f'<a href="{escape(url_guide("index"))}">Sommaire du guide</a></nav>'
            f'<main data-guide="{escape(nom)}">{corps}</main></body></html>'
        )
        return Response(page, mimetype="text/html")

    @extension_endpoint("guide_image")
    def endpoint_guide_image(self) -> Response:
        from flask import send_file

        try:
            return send_file(image(request.args.get("nom", "")), mimetype="image/png")
        except ChapitreInconnu as exc:
            return reponse_texte(en_phrase(str(exc)), 404)

    @extension_endpoint("imprimer.js")
    def endpoint_imprimer_js(self) -> Response:
        """The static script of the printable page (no inline script under the CSP)."""
        return Response(IMPRIMER_JS.read_bytes(), mimetype="text/javascript")

    def url_statique(self) -> str:
        return self._url_endpoint("imprimer.js", {})

    def _url_endpoint(self, nom: str, parametres: dict[str, str]) -> str:
        page = urlsplit(url_for("extension_report", extension_name=self.name, **parametres))
        return urlunsplit(page._replace(path=page.path + nom))

    def liens_d_export(self, selection: Selection) -> list[Choix]:
        parametres = selection.parametres()
        return [
            Choix(
                libelle, self._url_endpoint("export", {**parametres, "format": code}), False, code
            )
            for code, libelle in FORMATS_D_EXPORT.items()
        ]

    # --- helpers for pages --------------------------------------------------------------------

    def url(self, selection: Selection, **changes: str | int | None) -> str:
        return url_for(
            "extension_report", extension_name=self.name, **selection.parametres(**changes)
        )

    def url_donnees(self, selection: Selection) -> str:
        # flask's url_for takes its first argument as ``endpoint``: the route's own
        # ``endpoint`` variable cannot be passed; the data URL is the page's plus its name
        page = urlsplit(self.url(selection))
        return urlunsplit(page._replace(path=page.path + "donnees"))

    def exercice_et_arrete(
        self, page: Page, etat: Etat, selection: Selection
    ) -> tuple[Source, Exercice, datetime.date | None]:
        """The ledger's source, the exercice chosen (its selector put on ``page``) and, for
        an exercice in progress, the date it is stopped at."""
        source = etat.source
        assert source is not None
        exercice = exercice_choisi(source, selection)
        page.selecteurs = [self.selecteur_exercices(etat, selection, exercice)]
        return source, exercice, date_d_arrete_en_cours(source, exercice)

    def selecteur_exercices(
        self, etat: Etat, selection: Selection, exercice: Exercice
    ) -> Selecteur:
        assert etat.source is not None
        choix = [
            Choix(e.code, self.url(selection, exercice=e.code), e == exercice, e.code)
            for e in reversed(etat.source.exercices)
        ]
        return Selecteur("exercice", "Exercice", choix)

    def selecteur_projets(self, etat: Etat, selection: Selection, projet: str | None) -> Selecteur:
        assert etat.source is not None
        choix = [Choix("Tous", self.url(selection, projet=None), projet is None, "")]
        for code in sorted(etat.source.projets_connus()):
            libelle = f"{code} — {etat.source.nom_projet(code)}"
            choix.append(Choix(libelle, self.url(selection, projet=code), code == projet, code))
        return Selecteur("projet", "Projet", choix)


def date_d_arrete_en_cours(source: Any, exercice: Exercice) -> datetime.date | None:
    """The date an exercice in progress is stopped at: its last entry (None when the
    exercice is over, i.e. the ledger has an entry on or after its last day)."""
    last = source.mouvements.derniere_date
    if last is None or last >= exercice.fin or last < exercice.debut:
        return None
    return last


def meme_date(exercice: Exercice, au: datetime.date, precedent: Exercice) -> datetime.date:
    """The day of ``precedent`` as far from its start as ``au`` is from ``exercice``'s
    (19/11/2026 → 19/11/2025), within it."""
    try:
        day = au.replace(year=au.year - (exercice.debut.year - precedent.debut.year))
    except ValueError:  # 29 February
        day = au.replace(day=28, year=au.year - (exercice.debut.year - precedent.debut.year))
    return min(max(day, precedent.debut), precedent.fin)


def phrase_d_arrete(au: datetime.date) -> str:
    return (
        f"Exercice en cours : chiffres arrêtés au {au.strftime('%d/%m/%Y')} "
        "(date de la dernière écriture du grand livre), pas au dernier jour de l'exercice."
    )


def _note_du_filtre_de_periode(page: Page, etat: Etat, selection: Selection) -> None:
    """Fava's time filter (``?time=…``) applies to these pages only when it names an
    exercice; otherwise say so, visibly."""
    if selection.temps is None or etat.source is None:
        return
    if selection.exercice is None and selection.temps in {e.code for e in etat.source.exercices}:
        return
    page.explications.append(
        f"Le filtre de période de Fava (« {selection.temps} ») ne s'applique pas à cette "
        "page : elle montre l'exercice choisi par les boutons « Exercice » (états de "
        "l'exercice entier, ou arrêtés à la dernière écriture pour l'exercice en cours)."
    )


def _note_du_filtre_de_projet(page: Page, selection: Selection) -> None:
    """A page whose figures are the whole association's says so when the URL names a
    project (``?projet=``, kept from the compte de résultat or the budget)."""
    if not selection.projet:
        return
    page.explications.append(
        f"Le projet choisi (« {selection.projet} ») ne s'applique pas à cette page : ses "
        "chiffres sont ceux de toute l'association. Seuls le compte de résultat associatif "
        "et le budget vs réalisé se restreignent à un projet."
    )


def url_compte(exercice: Exercice, fin: datetime.date | None = None) -> Callable[[str], str]:
    """The drill-down link of an account: its Fava page, filtered on the exercice."""
    end = fin or exercice.fin
    if exercice.code.isdigit() and end == exercice.fin:
        temps = exercice.code
    else:
        temps = f"{exercice.debut.isoformat()} - {end.isoformat()}"

    def lien(compte: str) -> str:
        return url_for("account", name=compte, time=temps)

    return lien


STYLE_GUIDE = (
    "body{font-family:sans-serif;max-width:52em;margin:1em auto;padding:0 1em;line-height:1.5}"
    "img{max-width:100%;border:1px solid #ddd}table{border-collapse:collapse}"
    "td,th{border:1px solid #ddd;padding:.2em .5em}pre{background:#f5f5f5;padding:.5em;"
    "overflow-x:auto}code{background:#f5f5f5;overflow-wrap:anywhere}:target{background:#fff3c4}"
    "@media (max-width:40em){table{display:block;max-width:100%;overflow-x:auto}}"
)
FORMATS_D_EXPORT = {"html": "Imprimer / PDF", "xlsx": "Excel (XLSX)", "csv": "CSV"}
IMPRIMER_JS = Path(__file__).parent / "static" / "imprimer.js"


def reponse_texte(message: str, code: int) -> Response:
    return Response(message, status=code, mimetype="text/plain")


def nom_de_fichier_du_rapport(rapport: Rapport) -> str:
    """``compte-de-resultat-2025``: the report's title and exercice, ASCII, for a file."""
    import unicodedata

    texte = f"{rapport.titre} {rapport.exercice or ''}"
    ascii_ = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    mots = "".join(c if c.isalnum() else " " for c in ascii_.lower()).split()
    return "-".join(mots) or "rapport"


def url_guide(chapitre: str, section: str = "") -> str:
    """The user guide's chapter (``docs/<chapitre>.md``, ``guide/…`` for the good-practice
    guide) served inside Fava."""
    url = url_for("extension_report", extension_name="TableauDeBord")
    page = urlsplit(url)
    lien = urlunsplit(page._replace(path=page.path + "guide", query=f"chapitre={chapitre}"))
    return lien + (f"#{section}" if section else "")


def url_renvoi(cible: Renvoi) -> str:
    """The Fava guide's address of a section named by ``plan_comptable/guide.yaml``."""
    return url_guide(cible.chapitre, cible.ancre)


def lien_absolu_du_guide(cible: Renvoi) -> str:
    """:func:`url_renvoi` with the server's address (a hyperlink of an exported XLSX, opened
    outside the browser), the anchor percent-encoded for spreadsheet software."""
    page, _, anchor = url_renvoi(cible).partition("#")
    lien = request.host_url.rstrip("/") + page
    return lien + (f"#{quote(anchor)}" if anchor else "")


CHEMIN = re.compile(
    r"(?:[\w.-]+/)*[\w.-]+\.(?:ya?ml|beancount|csv|ofx|qif)\b(?::\d+)?"
    r"|\b(?:previsions|budget|conventions|analytique|diagnostic)\.[a-z_]+\b"
    r"|(?:clé|section) « [a-z_]+ »"
)
"""A file path (``budgets/2026.yaml:12``) or a configuration key (``previsions.paie``)."""
RENVOI = " (détail pour le gestionnaire plus bas)"


def _bonnes_pratiques(contenu: Any) -> None:
    """The tables of the page's report link each line explained by the good-practice guide
    (plan_comptable/guide.yaml) to its section."""
    rapport = getattr(contenu, "rapport", None)
    if isinstance(rapport, Rapport):
        bonnes_pratiques(getattr(contenu, "tableaux", []), rapport.id, url_guide)


def _pour_le_conseil(page: Page) -> None:
    """The notes of the page's report and of its tables, without file paths or
    configuration keys (those go to the gestionnaire's block)."""
    contenu = page.contenu
    rapport = getattr(contenu, "rapport", None)
    if isinstance(rapport, Rapport):
        page.notes = [page.pour_le_conseil(n) for n in rapport.notes]
        page.avertissements = [page.pour_le_conseil(a) for a in rapport.avertissements]
    for tableau in [*getattr(contenu, "tableaux", []), *getattr(contenu, "ratios", [])]:
        tableau.notes = [page.pour_le_conseil(n) for n in tableau.notes]


PARENTHESE = re.compile(r" ?\([^()]*\)")


def separer(texte: str) -> tuple[str, str | None]:
    """(what the board reads, the detail for the gestionnaire or None): a text naming a
    file or a configuration key loses the parentheses that name them, else is cut
    before the first « : » that precedes them."""
    trouve = CHEMIN.search(texte)
    if trouve is None:
        return texte, None
    sans = PARENTHESE.sub(lambda m: "" if CHEMIN.search(m.group(0)) else m.group(0), texte)
    if CHEMIN.search(sans) is None:
        return sans, texte
    coupure = texte.rfind(" : ", 0, trouve.start())
    parenthese = texte.rfind(" (", 0, trouve.start())
    if parenthese > coupure and ")" not in texte[parenthese : trouve.start()]:
        coupure = parenthese
    if coupure <= 0:
        return "Un fichier de l'association pose problème" + RENVOI + ".", texte
    return texte[:coupure].rstrip(" ,;") + RENVOI + ".", texte


def en_phrase(text: str) -> str:
    """A message as a sentence: capital letter, final full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "»")) else text + "."
