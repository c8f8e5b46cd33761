"""The comptes annuels PDF read the way a person reads it, with poppler's tools (Debian's
``poppler-utils``, installed by ``.ci/run``): ``pdftotext -layout`` finds every named
total on its line, in French formatting (« 37 300,00 € »), ``pdftoppm`` renders every
page, and on the rendered pages the right margin is blank — no table runs off the
paper. The same checks on the PDF the Fava page streams are in
tests/test_fava_comptes_annuels.py.

Figures of the ledger (tests/livre_comptes_annuels.py, exercice 2025), by hand:
bank 20 000 + 500 + 10 000 − 4 000 (2024) − 3 600 − 2 500 + 10 000 (2025) = 30 400;
créances 1 200 (usagers) + 3 000 (commune) = 4 200; vélo 3 600 − 900 = 2 700;
total actif 30 400 + 4 200 + 2 700 = 37 300 = passif 22 200 (fonds propres: 20 000 +
500 + 1 700) + 3 500 (fonds dédiés) + 1 000 (provision) + 10 600 (dettes: 10 000 +
600, 8 000 at more than one year); résultat 6 700 − 5 000 = 1 700; contributions
volontaires 5 000 + 300 = 5 300; subventions 3 000.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import run_communs
from lecture_pdf import POPPLER, nombre_de_pages, texte_du_pdf, verifier_pages, verifier_totaux
from livre_comptes_annuels import ecrire_livre
from navigateur import OBLIGATOIRE, chromium_requis

pytestmark = [
    chromium_requis("pour imprimer le PDF"),
    pytest.mark.skipif(
        not POPPLER and not OBLIGATOIRE,
        reason="poppler absent (pdftotext, pdftoppm) : installez le paquet Debian "
        "« poppler-utils » (.ci/run le fait) pour relire le PDF",
    ),
]


def imprimer(main: Path, cible: Path) -> Path:
    """``communs comptes-annuels -e 2025 --pdf CIBLE`` on ``main``."""
    result = run_communs("comptes-annuels", "-f", str(main), "-e", "2025", "--pdf", str(cible))
    assert result.returncode == 0, result.stdout + result.stderr
    return cible


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("poppler")
    return imprimer(ecrire_livre(folder), folder / "comptes-2025.pdf")


def test_pdftotext_trouve_chaque_total_nomme(pdf: Path) -> None:
    verifier_totaux(pdf)
    assert "À compléter : engagements hors bilan." in texte_du_pdf(pdf)


def test_pdftoppm_rend_chaque_page_sans_rien_dans_la_marge(pdf: Path, tmp_path: Path) -> None:
    assert verifier_pages(pdf, tmp_path) == nombre_de_pages(pdf)


def test_la_marge_vide_est_verifiee_pour_de_vrai(pdf: Path, tmp_path: Path) -> None:
    """The check fails on a document with a table wider than the page: the same ledger
    with a 400-character asset label that cannot wrap (one word)."""
    folder = tmp_path / "large"
    folder.mkdir()
    main = ecrire_livre(folder)
    registre = folder / "immobilisations.yaml"
    long_mot = "Vélo" + "x" * 400
    registre.write_text(
        registre.read_text(encoding="utf-8").replace("Vélo cargo", long_mot), encoding="utf-8"
    )
    cible = imprimer(main, folder / "large.pdf")
    rendu = tmp_path / "rendu"
    rendu.mkdir()
    with pytest.raises(AssertionError, match=r"réduite|marge"):
        verifier_pages(cible, rendu)


def test_le_pdf_de_l_exemple_tient_dans_ses_pages(tmp_path: Path) -> None:
    """The example association's comptes 2025 (its real texts, eight funders, its fixed
    asset): every page rendered, nothing shrunk or cut."""
    from conftest import EXEMPLE

    copie = tmp_path / "association"
    shutil.copytree(EXEMPLE.parent, copie, ignore=shutil.ignore_patterns(".*picklecache"))
    cible = imprimer(copie / EXEMPLE.name, tmp_path / "exemple-2025.pdf")
    rendu = tmp_path / "rendu"
    rendu.mkdir()
    assert verifier_pages(cible, rendu) >= 10
    if os.environ.get("COMMUNS_CAPTURES_DOCS") == "1":
        _image_pour_la_doc(cible, nombre_de_pages(cible))


def _image_pour_la_doc(pdf: Path, pages: int) -> None:
    """docs/images/comptes-annuels-pdf-page.png: the example's PDF page with the fonds
    dédiés, rendered by pdftoppm at 60 dpi (COMMUNS_CAPTURES_DOCS=1)."""
    import subprocess

    from conftest import ROOT

    for numero in range(1, pages + 1):
        texte = subprocess.run(
            ["pdftotext", "-f", str(numero), "-l", str(numero), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "Tableau de variation des fonds dédiés" in texte:
            cible = ROOT / "docs" / "images" / "comptes-annuels-pdf-page"
            page = ["-f", str(numero), "-l", str(numero)]
            commande = ["pdftoppm", "-png", "-r", "60", "-singlefile", *page, str(pdf)]
            subprocess.run([*commande, str(cible)], check=True)
            return
    raise AssertionError("pas de page avec le tableau des fonds dédiés")
