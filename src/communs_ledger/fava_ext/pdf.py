"""The PDF of a page's document (« Comptes annuels », « Rapport financier »): the
download buttons PDF, XLSX and printable HTML, and the endpoint that prints the page's
report with Chromium as the CLI's ``--pdf`` does.

The endpoint only reads: the document is printed in a temporary folder
(:func:`communs_ledger.rendu.en_pdf.render`) and streamed, never written beside the
ledger; without Chromium it answers a French sentence saying what to install. This
module is not the extension module Fava imports: its base class is not a page.
"""

from __future__ import annotations

from fava.ext import extension_endpoint
from flask import Response

from .extension import Choix, PageCommuns, en_phrase, nom_de_fichier_du_rapport, reponse_texte
from .selection import Selection, SelectionInconnue, lire_selection


class PageAvecPdf(PageCommuns):
    """A page whose report downloads as PDF (A4), XLSX or printable HTML."""

    def liens_d_export(self, selection: Selection) -> list[Choix]:
        parametres = selection.parametres()
        pdf = Choix("PDF (A4)", self._url_endpoint("pdf", parametres), False, "pdf")
        autres = {"xlsx": "Excel (XLSX)", "html": "Page imprimable"}
        return [pdf] + [
            Choix(libelle, self._url_endpoint("export", {**parametres, "format": c}), False, c)
            for c, libelle in autres.items()
        ]

    @extension_endpoint("pdf")
    def endpoint_pdf(self) -> Response:
        """``GET …/extension/<Page>/pdf?exercice=…``: the page's report as the PDF of the
        CLI's ``--pdf``, streamed (nothing written beside the ledger); a French sentence
        when Chromium is missing."""
        from flask import request

        from ..rapports.source import RapportImpossible
        from ..rendu.en_pdf import PdfImpossible, render

        page, etat = self._preparer()
        if etat.source is None:
            return reponse_texte(f"Configuration illisible : {etat.probleme}", 200)
        try:
            rapport = self.rapport_exporte(
                self.construire(page, etat, lire_selection(request.args))
            )
        except SelectionInconnue as exc:
            return reponse_texte(en_phrase(str(exc)), 400)
        except RapportImpossible as exc:
            return reponse_texte(en_phrase(str(exc)), 200)
        if rapport is None:
            return reponse_texte("Rien à imprimer sur cette page.", 200)
        try:
            corps = render(rapport)
        except PdfImpossible as exc:
            return reponse_texte(
                en_phrase(f"PDF impossible : {exc}") + " Le classeur XLSX et la page imprimable "
                "restent disponibles.",
                503,
            )
        reponse = Response(corps, content_type="application/pdf")
        nom = nom_de_fichier_du_rapport(rapport) + ".pdf"
        reponse.headers["Content-Disposition"] = f'attachment; filename="{nom}"'
        return reponse
