"""The Fava page « Comptes annuels » through Fava's Flask app and its test client: the
same document as ``communs comptes-annuels`` (every figure of the CLI's JSON, and the
totals computed by hand), the « À compléter » items visible, the annexe's texts from
communs.yaml escaped, the XLSX of the CLI, and the PDF streamed by the page — read
back with poppler, nothing written beside the ledger — or a French sentence when
Chromium is missing. In a real Chromium: tests/test_fava_navigateur.py.

Figures (tests/livre_comptes_annuels.py, exercice 2025, computed by hand in
tests/test_comptes_annuels_poppler.py): total actif = total passif = 37 300,00 €
(N-1 26 500,00), résultat 1 700,00, VNC of the vélo 2 700,00 (3 600 − 270/360 ×
1 200), créances 4 200,00, dettes 10 600,00 (8 000,00 at more than one year), fonds
dédiés at the closing 3 500,00 (6 000 − 2 500), contributions volontaires 5 300,00,
fonds propres 22 200,00, subventions 3 000,00.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import EXEMPLE
from fava_pages import (
    SCRIPT,
    SCRIPT_ECHAPPE,
    fava_client,
    lire_page,
    memes_chiffres,
    pdf_sans_chromium,
)
from lecture_pdf import POPPLER, verifier_pages, verifier_totaux
from livre_comptes_annuels import CONFIG, ecrire_livre
from navigateur import CHROMIUM, OBLIGATOIRE

EXTENSION = '2024-01-01 custom "fava-extension" "communs_ledger.fava_ext"\n'


def _livre(folder: Path, config: str = CONFIG) -> Path:
    main = ecrire_livre(folder)
    with main.open("a", encoding="utf-8") as fichier:
        fichier.write(EXTENSION)
    (folder / "communs.yaml").write_text(config, encoding="utf-8")
    return main


@pytest.fixture(scope="module")
def atelier(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[Any, str]]:
    """The hand-computed ledger, its objet social holding markup."""
    folder = tmp_path_factory.mktemp("atelier")
    config = CONFIG.replace(
        "objet: Réparer des vélos avec les habitants du quartier.",
        f'objet: "Réparer des vélos {SCRIPT} avec les habitants du quartier."',
    )
    main = _livre(folder, config)
    return main, fava_client(main)


def _get(client_slug: tuple[Any, str], endpoint: str = "", query: str = "") -> Any:
    client, slug = client_slug
    return client.get(f"/{slug}/extension/ComptesAnnuels/{endpoint}?{query}")


def test_memes_chiffres_que_la_cli_et_totaux_calcules_a_la_main(
    atelier: tuple[Path, tuple[Any, str]], communs
) -> None:
    main, client = atelier
    response = _get(client, query="exercice=2025")
    assert response.status_code == 200
    lue = lire_page(response.get_data(as_text=True))
    assert lue.page == "comptes_annuels"
    result = communs("comptes-annuels", "-f", str(main), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert memes_chiffres(lue, document) > 150
    cellules = lue.cellules
    assert cellules[("actif", "total_actif", "net")] == ["37300.00"]
    assert cellules[("actif", "total_actif", "n1")] == ["26500.00"]
    assert cellules[("passif", "total_passif", "n")] == ["37300.00"]
    assert cellules[("compte_de_resultat", "resultat", "n")] == ["1700.00"]
    annexe = {
        ("annexe_immobilisations", "vnc"): "2700.00",
        ("annexe_creances", "montant"): "4200.00",
        ("annexe_dettes", "montant"): "10600.00",
        ("annexe_dettes", "plus_d_un_an"): "8000.00",
        ("annexe_fonds_dedies", "cloture"): "3500.00",
        ("annexe_contributions", "montant"): "5300.00",
        ("annexe_fonds_propres", "cloture"): "22200.00",
        ("annexe_subventions", "montant"): "3000.00",
    }
    for (partie, colonne), attendu in annexe.items():
        assert cellules[(partie, "total", colonne)] == [attendu], partie
    assert [v for v, _t, actif in lue.selecteurs["exercice"] if actif] == ["2025"]
    assert _get(client, "donnees", "exercice=2025").get_json() == document


def test_a_completer_visible_et_textes_echappes(atelier: tuple[Path, tuple[Any, str]]) -> None:
    _main, client = atelier
    html = _get(client, query="exercice=2025").get_data(as_text=True)
    # the one missing input of 2025: listed on top and marked in its section
    assert 'data-a-completer="1"' in html
    assert "engagements hors bilan (comptes_annuels.exercices.&#34;2025&#34;" in html
    assert (
        'class="a-completer" data-a-completer-section="annexe_engagements">'
        "À compléter : engagements hors bilan.</p>"
    ) in html
    # the objet social from communs.yaml, shown as text
    assert f"Réparer des vélos {SCRIPT_ECHAPPE} avec" in html
    assert SCRIPT not in html
    # 2024: two inputs missing (faits, engagements); no wages in 2024, so no effectif asked
    assert 'data-a-completer="2"' in _get(client, query="exercice=2024").get_data(as_text=True)


def test_liens_de_telechargement(atelier: tuple[Path, tuple[Any, str]]) -> None:
    _main, client = atelier
    lue = lire_page(_get(client, query="exercice=2025").get_data(as_text=True))
    slug = client[1]
    base = f"/{slug}/extension/ComptesAnnuels/"
    assert f"{base}pdf?exercice=2025" in lue.liens
    assert f"{base}export?exercice=2025&format=xlsx" in lue.liens


def test_xlsx_comme_la_cli(atelier: tuple[Path, tuple[Any, str]], communs, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    main, client = atelier
    response = _get(client, "export", "exercice=2025&format=xlsx")
    assert response.status_code == 200
    assert 'filename="comptes-annuels-2025.xlsx"' in response.headers["Content-Disposition"]
    cible = tmp_path / "cli.xlsx"
    result = communs(
        "comptes-annuels", "-f", str(main), "-e", "2025", "--format", "xlsx", "--sortie", str(cible)
    )
    assert result.exit_code == 0, result.output

    def valeurs(classeur: Any) -> dict[str, list[tuple[Any, ...]]]:
        return {f.title: list(f.iter_rows(values_only=True)) for f in classeur.worksheets}

    page = valeurs(load_workbook(io.BytesIO(response.data)))
    cli = valeurs(load_workbook(cible))
    assert page.keys() == cli.keys() and len(page) >= 10
    # same cells but the generation stamp (« Généré le … à hh:mm »)
    for titre in page:
        differentes = [(a, b) for a, b in zip(page[titre], cli[titre], strict=True) if a != b]
        assert all("Généré" in str(a) for a, _b in differentes), (titre, differentes[:3])


def test_choix_inconnu_en_francais(atelier: tuple[Path, tuple[Any, str]]) -> None:
    _main, client = atelier
    response = _get(client, "pdf", "exercice=1999")
    assert response.status_code == 400
    assert "1999" in response.get_data(as_text=True)
    lue = lire_page(_get(client, query="exercice=1999").get_data(as_text=True))
    assert any("1999" in m for m in lue.messages)


def test_pdf_sans_chromium_message_en_francais(
    atelier: tuple[Path, tuple[Any, str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _main, client = atelier
    pdf_sans_chromium(
        lambda: _get(client, "pdf", "exercice=2025"), monkeypatch, tmp_path / "pas-de-chromium"
    )


@pytest.mark.skipif(
    not (CHROMIUM and POPPLER) and not OBLIGATOIRE,
    reason="Chromium (/usr/bin/chromium) ou poppler (pdftotext) absent : installez les "
    "paquets Debian « chromium » et « poppler-utils » (.ci/run le fait)",
)
def test_pdf_de_la_page_relu_et_rien_ecrit_dans_le_dossier(tmp_path: Path) -> None:
    """The PDF the page streams: every named total where pdftotext reads it, every page
    rendered and nothing shrunk or cut; the ledger's folder unchanged (Fava's own cache
    aside)."""
    folder = tmp_path / "atelier"
    folder.mkdir()
    main = _livre(folder)
    client = fava_client(main)

    def contenu() -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and "picklecache" not in p.name
        }

    avant = contenu()
    response = _get(client, "pdf", "exercice=2025")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type == "application/pdf"
    assert 'filename="comptes-annuels-2025.pdf"' in response.headers["Content-Disposition"]
    assert contenu() == avant
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(response.data)
    verifier_totaux(pdf)
    rendu = tmp_path / "rendu"
    rendu.mkdir()
    assert verifier_pages(pdf, rendu) >= 10


def test_page_de_l_exemple_repond_pour_chaque_exercice() -> None:
    client = fava_client(EXEMPLE)
    for exercice in ("2024", "2025", "2026"):
        lue = lire_page(_get(client, query=f"exercice={exercice}").get_data(as_text=True))
        assert lue.page == "comptes_annuels" and len(lue.cellules) > 100, exercice
        assert not any("Erreur interne" in m for m in lue.messages)
