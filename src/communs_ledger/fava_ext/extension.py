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
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import jsonify, request, url_for

from ..chargement import Diagnostic
from ..exercices import Exercice
from ..rapports.source import RapportImpossible
from .etat import Etat, etat_de
from .selection import Selection, SelectionInconnue, lire

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


class PageCommuns(FavaExtensionBase):
    """Base of the extension's pages (not itself a page: no ``report_title``)."""

    report_title: str | None = None

    # --- to be given by each page -----------------------------------------------------------

    def construire(self, page: Page, etat: Etat, selection: Selection) -> Any:
        """The page's content (raise :class:`SelectionInconnue` or RapportImpossible)."""
        raise NotImplementedError

    def donnees(self, contenu: Any) -> dict[str, Any]:
        """The content as JSON-ready data (the CLI's JSON of the reports shown)."""
        raise NotImplementedError

    # --- shared ---------------------------------------------------------------------------

    def etat(self) -> Etat:
        return etat_de(self.ledger)

    def _preparer(self) -> tuple[Page, Etat]:
        etat = self.etat()
        page = Page(titre=self.report_title or "")
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
            selection = lire(request.args)
            page.contenu = self.construire(page, etat, selection)
        except (SelectionInconnue, RapportImpossible) as exc:
            page.message = _phrase(str(exc))
        except Exception as exc:  # no 500 for a board member: say it, log the detail
            log.exception("page %s", self.name)
            page.message = (
                f"Erreur interne de communs-ledger ({exc.__class__.__name__} : {exc}). "
                "Vérifiez le grand livre avec « communs verifier » et signalez le problème."
            )
        return page

    @extension_endpoint("donnees")
    def endpoint_donnees(self):  # -> Response
        """``GET …/extension/<Page>/donnees?exercice=…``: the page's data as JSON, read
        only. 400 with ``{"erreur": …}`` for an unknown choice in the URL."""
        page, etat = self._preparer()
        if etat.source is None:
            return jsonify({"erreur": f"configuration illisible : {etat.probleme}"})
        try:
            selection = lire(request.args)
            contenu = self.construire(page, etat, selection)
        except SelectionInconnue as exc:
            response = jsonify({"erreur": _phrase(str(exc))})
            response.status_code = 400
            return response
        except RapportImpossible as exc:
            return jsonify({"erreur": _phrase(str(exc))})
        except Exception as exc:  # same as the page: French, logged, no HTML traceback
            log.exception("données %s", self.name)
            response = jsonify({"erreur": f"erreur interne de communs-ledger : {exc}"})
            response.status_code = 500
            return response
        return jsonify(self.donnees(contenu))

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


def url_compte(exercice: Exercice, fin: datetime.date | None = None):  # -> Callable
    """The drill-down link of an account: its Fava page, filtered on the exercice."""
    end = fin or exercice.fin
    if exercice.code.isdigit() and end == exercice.fin:
        temps = exercice.code
    else:
        temps = f"{exercice.debut.isoformat()} - {end.isoformat()}"

    def lien(compte: str) -> str:
        return url_for("account", name=compte, time=temps)

    return lien


def _phrase(text: str) -> str:
    """A message as a sentence: capital letter, final full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "»")) else text + "."
