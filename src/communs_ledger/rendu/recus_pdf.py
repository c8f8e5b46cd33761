"""Tax receipts as PDF (fpdf2: pure Python, no browser nor system library needed).

The PDF core fonts (Helvetica) cover Latin-1 only: the few characters outside it are
written in Latin-1 (``€`` → ``euros``, ``œ`` → ``oe``…), so that no font file is needed.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..dons.mentions import RecuImprime

_LATIN1 = {
    "€": "euros",
    "Œ": "Oe",
    "œ": "oe",
    "’": "'",
    "–": "-",
    "—": "-",
    "\u202f": " ",
    "…": "...",
}


def _latin1(text: str) -> str:
    for char, replacement in _LATIN1.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


def _section(pdf: object, titre: str, lignes: Sequence[tuple[str, str]]) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    pdf.set_font("helvetica", "B", 11)
    pdf.set_fill_color(230, 230, 230)
    pdf.cell(0, 7, _latin1(titre), new_x="LMARGIN", new_y="NEXT", fill=True)
    pdf.set_font("helvetica", "", 10)
    for libelle, valeur in lignes:
        pdf.set_font("helvetica", "B", 10)
        pdf.cell(45, 6, _latin1(f"{libelle} :"))
        pdf.set_font("helvetica", "", 10)
        pdf.multi_cell(0, 6, _latin1(valeur), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _page(pdf: object, recu: RecuImprime) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 13)
    pdf.multi_cell(0, 7, _latin1(recu.titre), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    pdf.cell(
        0,
        5,
        "(articles 200, 238 bis et 978 du code général des impôts - modèle CERFA 11580)",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(
        0,
        8,
        _latin1(f"Numéro d'ordre du reçu : {recu.numero}"),
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _section(pdf, "Bénéficiaire des versements", recu.beneficiaire)
    _section(pdf, "Donateur", recu.donateur)
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(0, 6, _latin1(recu.attestation), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 9, _latin1(f"Somme : {recu.montant_chiffres} euros"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(
        0,
        6,
        _latin1(f"Somme en toutes lettres : {recu.montant_lettres}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _section(pdf, "Le don", recu.don)
    if recu.detail:
        _section(
            pdf,
            "Détail des versements",
            [
                (date, f"{montant} - {nature} - {mode}")
                for date, nature, mode, montant in recu.detail
            ],
        )
    pdf.ln(4)
    for line in recu.signature:
        pdf.cell(0, 6, _latin1(line), align="R", new_x="LMARGIN", new_y="NEXT")


def recus_pdf(recus: Sequence[RecuImprime]) -> bytes:
    """One PDF with a page per receipt (one receipt: its own PDF)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_creator("communs-ledger")
    for recu in recus:
        _page(pdf, recu)
    return bytes(pdf.output())
