"""The Fava page « Rapport financier » through Fava's Flask app and its test client, on a
copy of the example association: the same document as ``communs rapport-financier``
(every figure of the CLI's JSON), the treasurer's comments rendered from Markdown with
raw HTML escaped, the PDF streamed by the page — nothing written beside the ledger — or
a French sentence when Chromium is missing, a French message for an unknown exercice.
In a real Chromium: tests/test_fava_navigateur.py.

Figures of 2025 (docs/rapport-financier.md, « L'exemple : le rapport 2025 »), checked by
hand from the CLI's totals: résultat = produits − charges = 171 499,53 − 172 673,84
= −1 174,31 ; évolution of the cash = 53 780,35 − 42 245,76 = 11 534,59 ; budget
écart on the résultat = −1 174,31 − (−2 340,00) = 1 165,69 ; the proposal (communs.yaml)
puts the whole deficit in report à nouveau: −1 174,31, réserves 0,00.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXEMPLE_DIR
from fava_pages import (
    SCRIPT,
    SCRIPT_ECHAPPE,
    fava_client,
    lire_page,
    memes_chiffres,
    pdf_sans_chromium,
)
from lecture_pdf import POPPLER, texte_du_pdf
from navigateur import CHROMIUM, OBLIGATOIRE

COMMENTAIRES = f"""\
Chers adhérents, l'année a été **difficile** mais tenue.

{SCRIPT}

## La trésorerie

Le creux de juin est *habituel* : les subventions arrivent à l'automne.
"""


def _copie(folder: Path) -> Path:
    target = folder / "asso"
    shutil.copytree(EXEMPLE_DIR, target, ignore=shutil.ignore_patterns("*picklecache*"))
    (target / "rapport-financier-2025.md").write_text(COMMENTAIRES, encoding="utf-8")
    return target / "main.beancount"


@pytest.fixture(scope="module")
def asso(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[Any, str]]:
    main = _copie(tmp_path_factory.mktemp("rapport"))
    return main, fava_client(main)


def _get(client_slug: tuple[Any, str], endpoint: str = "", query: str = "") -> Any:
    client, slug = client_slug
    return client.get(f"/{slug}/extension/RapportDuTresorier/{endpoint}?{query}")


def test_memes_chiffres_que_la_cli(asso: tuple[Path, tuple[Any, str]], communs) -> None:
    main, client = asso
    response = _get(client, query="exercice=2025")
    assert response.status_code == 200
    lue = lire_page(response.get_data(as_text=True))
    assert lue.page == "rapport_financier"
    assert lue.messages == []
    result = communs("rapport-financier", "-f", str(main), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert memes_chiffres(lue, document) > 100
    cellules = lue.cellules
    attendus = {
        ("chiffres_cles", "produits", "n"): "171499.53",
        ("chiffres_cles", "charges", "n"): "172673.84",
        ("chiffres_cles", "resultat", "n"): "-1174.31",
        ("chiffres_cles", "resultat", "n1"): "1098.46",
        ("chiffres_cles", "tresorerie", "n"): "53780.35",
        ("chiffres_cles", "tresorerie", "evolution"): "11534.59",
        ("budget", "resultat", "budget"): "-2340.00",
        ("budget", "resultat", "ecart"): "1165.69",
        ("affectation", "report_a_nouveau", "montant"): "-1174.31",
        ("affectation", "reserves", "montant"): "0.00",
        ("budget_suivant", "resultat", "montant"): "-894.00",
    }
    for cle, attendu in attendus.items():
        assert cellules[cle] == [attendu], cle
    parties = {p for p, _l, _c in cellules}
    assert {"ressources", "charges", "fonds_dedies", "tresorerie", "indicateurs"} <= parties
    assert len(cellules[("tresorerie", "mois:2025-06", "n")]) == 1
    assert [v for v, _t, actif in lue.selecteurs["exercice"] if actif] == ["2025"]
    assert _get(client, "donnees", "exercice=2025").get_json() == document


def test_graphiques_commentaires_et_echappement(asso: tuple[Path, tuple[Any, str]]) -> None:
    _main, client = asso
    html = _get(client, query="exercice=2025").get_data(as_text=True)
    for graphique in ("ressources", "charges", "tresorerie"):
        assert f'data-graphique="{graphique}"><figure' in html, graphique
    # the mean of the treasurer: Markdown rendered, the script shown as text
    assert "l'année a été <strong>difficile</strong> mais tenue." in html.replace("&#39;", "'")
    assert SCRIPT_ECHAPPE in html and SCRIPT not in html
    # the « ## La trésorerie » comment after the cash table, in its section
    section = html[html.index('data-section="tresorerie"') :]
    section = section[: section.index("</section>")]
    assert 'data-partie="tresorerie"' in section
    assert "Le creux de juin est <em>habituel</em>" in section
    # the chapter of the user guide on the comments file
    assert "chapitre=rapport-financier#les-commentaires-du-trésorier" in html
    guide = _get(client, "guide", "chapitre=rapport-financier").get_data(as_text=True)
    assert 'id="les-commentaires-du-trésorier"' in guide


def test_liens_de_telechargement(asso: tuple[Path, tuple[Any, str]]) -> None:
    _main, client = asso
    lue = lire_page(_get(client, query="exercice=2025").get_data(as_text=True))
    base = f"/{client[1]}/extension/RapportDuTresorier/"
    assert f"{base}pdf?exercice=2025" in lue.liens
    assert f"{base}export?exercice=2025&format=xlsx" in lue.liens
    assert f"{base}export?exercice=2025&format=html" in lue.liens
    imprimable = _get(client, "export", "exercice=2025&format=html").get_data(as_text=True)
    assert "<strong>difficile</strong>" in imprimable and SCRIPT not in imprimable
    assert 'data-valeur="53780.35"' in imprimable


def test_exercice_inconnu_en_francais(asso: tuple[Path, tuple[Any, str]]) -> None:
    _main, client = asso
    response = _get(client, query="exercice=1999")
    assert response.status_code == 200
    lue = lire_page(response.get_data(as_text=True))
    assert lue.messages == [
        "Exercice « 1999 » inconnu : exercices du grand livre : 2024, 2025, 2026."
    ]
    assert "Traceback" not in response.get_data(as_text=True)
    pdf = _get(client, "pdf", "exercice=1999")
    assert pdf.status_code == 400 and "1999" in pdf.get_data(as_text=True)


def test_pdf_sans_chromium_message_en_francais(
    asso: tuple[Path, tuple[Any, str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _main, client = asso
    pdf_sans_chromium(
        lambda: _get(client, "pdf", "exercice=2025"), monkeypatch, tmp_path / "pas-de-chromium"
    )


@pytest.mark.skipif(
    not (CHROMIUM and POPPLER) and not OBLIGATOIRE,
    reason="Chromium (/usr/bin/chromium) ou poppler (pdftotext) absent : installez les "
    "paquets Debian « chromium » et « poppler-utils » (.ci/run le fait)",
)
def test_pdf_de_la_page_et_rien_ecrit_dans_le_dossier(tmp_path: Path) -> None:
    main = _copie(tmp_path)
    folder = main.parent
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
    assert 'filename="rapport-financier-2025.pdf"' in response.headers["Content-Disposition"]
    assert contenu() == avant
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(response.data)
    texte = texte_du_pdf(pdf)
    assert "Rapport financier" in texte
    for montant in ("171 499,53", "-1 174,31", "53 780,35", "1 165,69"):
        assert montant in texte, montant
    assert "difficile" in texte


def test_chaque_exercice_de_l_exemple_repond(asso: tuple[Path, tuple[Any, str]]) -> None:
    _main, client = asso
    for exercice in ("2024", "2025", "2026"):
        lue = lire_page(_get(client, query=f"exercice={exercice}").get_data(as_text=True))
        assert lue.page == "rapport_financier" and len(lue.cellules) > 50, exercice
        assert not any("Erreur interne" in m for m in lue.messages)


def test_commentaires_relus_a_chaque_page(asso: tuple[Path, tuple[Any, str]]) -> None:
    """2024 has no comments file: « À compléter » on top; written, the next page shows it
    (nothing to restart)."""
    main, client = asso
    avant = _get(client, query="exercice=2024").get_data(as_text=True)
    assert "À compléter : commentaires du trésorier" in avant
    assert "data-commentaire=" not in avant
    fichier = main.parent / "rapport-financier-2024.md"
    fichier.write_text("Une année *sereine*.\n", encoding="utf-8")
    try:
        apres = _get(client, query="exercice=2024").get_data(as_text=True)
    finally:
        fichier.unlink()
    assert "Une année <em>sereine</em>." in apres
    assert "À compléter : commentaires du trésorier" not in apres
