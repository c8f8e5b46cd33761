"""The HTML documents board members receive (``communs rapport-financier --sortie`` and
``communs comptes-annuels --format html``, sent by e-mail, opened on a phone or
printed) as a real headless Chromium shows them, on the example association: on a
375-px phone the page never scrolls sideways (a wide table scrolls in itself), and
in every chart the labels under the columns neither overlap one another nor the
legend. Skipped without Chromium unless COMMUNS_NAVIGATEUR_OBLIGATOIRE=1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXEMPLE
from navigateur import chromium_lance, chromium_requis

pytestmark = [pytest.mark.lent, chromium_requis("pour ouvrir les pages HTML")]

DOCUMENTS = {
    "rapport-financier": ("rapport-financier", "-e", "2025"),
    "comptes-annuels": ("comptes-annuels", "-e", "2025", "--format", "html"),
}


@pytest.fixture(scope="module")
def pages_html(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from typer.testing import CliRunner

    from communs_ledger.cli.app import app
    from conftest import CLI_ENV

    dossier = tmp_path_factory.mktemp("html")
    found = {}
    for nom, args in DOCUMENTS.items():
        sortie = dossier / f"{nom}.html"
        result = CliRunner(env=CLI_ENV).invoke(
            app, [*args, "-f", str(EXEMPLE), "--sortie", str(sortie)]
        )
        assert result.exit_code == 0, result.output
        found[nom] = sortie
    return found


@pytest.fixture(scope="module")
def navigateur() -> Iterator[Any]:
    with chromium_lance() as browser:
        yield browser


@pytest.mark.parametrize("nom", list(DOCUMENTS))
def test_sur_un_telephone_la_page_ne_defile_pas_de_cote(
    pages_html: dict[str, Path], navigateur: Any, nom: str
) -> None:
    """375×667: the document is as wide as the screen (it was 582 px for the report and
    1 140 px for the comptes annuels: the whole page slid sideways); a table wider than
    the screen scrolls inside itself, and its last column can be reached."""
    page = navigateur.new_page(viewport={"width": 375, "height": 667}, locale="fr-FR")
    try:
        page.goto(pages_html[nom].as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        larges = page.evaluate(
            """() => Array.from(document.querySelectorAll('table'))
                .filter(t => t.scrollWidth > t.clientWidth + 1).map(t => {
                  t.scrollLeft = t.scrollWidth;
                  const derniere = t.querySelector('tbody tr td:last-child');
                  return derniere ? derniere.getBoundingClientRect().right : 0; })"""
        )
        assert [droite for droite in larges if droite > 375.5] == []
        # every amount can be read: none is cut by the right edge of the screen
        coupes = page.evaluate(
            """() => Array.from(document.querySelectorAll('td.nombre')).filter(td => {
                  const t = td.closest('table');
                  return t.scrollWidth <= t.clientWidth + 1
                         && td.getBoundingClientRect().right > 375.5; }).length"""
        )
        assert coupes == 0
    finally:
        page.close()


CHEVAUCHEMENTS = """() => Array.from(document.querySelectorAll('svg')).map(svg => {
  const etiquettes = Array.from(svg.querySelectorAll('g.abscisses text'))
    .map(t => t.getBoundingClientRect());
  const legende = Array.from(svg.querySelectorAll('g.legende text'))
    .map(t => t.getBoundingClientRect());
  const cadre = svg.getBoundingClientRect();
  let chevauchent = 0, sur_la_legende = 0, dehors = 0;
  etiquettes.forEach((a, i) => {
    if (a.left < cadre.left - 0.5 || a.right > cadre.right + 0.5 || a.bottom > cadre.bottom + 0.5)
      dehors += 1;
    etiquettes.slice(i + 1).forEach(b => { if (a.right > b.left + 0.5 && b.right > a.left + 0.5)
      chevauchent += 1; });
    legende.forEach(l => { if (a.bottom > l.top + 0.5 && a.right > l.left && l.right > a.left)
      sur_la_legende += 1; });
  });
  return [svg.closest('[data-graphique]').dataset.graphique, etiquettes.length,
          chevauchent, sur_la_legende, dehors];
})"""


@pytest.mark.parametrize("largeur", [1366, 718])
def test_etiquettes_des_graphiques_lisibles(
    pages_html: dict[str, Path], navigateur: Any, largeur: int
) -> None:
    """On a laptop and at the printed A4 width, the rapport financier's three charts:
    the labels under the columns (« Subventions et concours publics », « Financements
    privés (fondations, mécénat) »… seven of them under « D'où viennent les produits »)
    overlap neither each other nor the legend, and stay inside the chart."""
    page = navigateur.new_page(viewport={"width": largeur, "height": 900}, locale="fr-FR")
    try:
        page.goto(pages_html["rapport-financier"].as_uri())
        mesures = page.evaluate(CHEVAUCHEMENTS)
        assert len(mesures) == 3
        assert sum(m[1] for m in mesures) > 15
        assert [m for m in mesures if m[2] or m[3] or m[4]] == []
    finally:
        page.close()
