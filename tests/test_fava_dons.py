"""The Fava page « Dons et adhésions » through Fava's Flask application: on the
hand-written ledger of test_dons.py, its figures are those computed by hand there and
those of ``communs recus`` and ``communs adherents``; names are escaped; no address is
shown; the page writes nothing.

Figures of 2026 (see test_dons.py): gifts Durand 100,00 (02-10) + 50,50 (06-10) =
150,50; Martin 84,00 (abandon de frais, 04-30); the bakery 300,00 (en nature, 05-15);
20,00 anonymous (07-01): total 554,50. Fees: 20 + 35 (January, A1 and A3) + 8 (January,
no member) + 10 (February, A4) = 73,00, of which January 63,00.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import write_ledger
from fava_pages import SCRIPT, SCRIPT_ECHAPPE, fava_client, lire_page, memes_chiffres
from test_dons import ADHERENTS, CONFIG, DONATEURS, FISCAL, LIVRE

FAVA = '2025-01-01 custom "fava-extension" "communs_ledger.fava_ext"\n'


def _dossier(folder: Path, fiscal: str | None = FISCAL, donateurs: str = DONATEURS) -> Path:
    main = write_ledger(folder, LIVRE + "\n" + FAVA, config=CONFIG + (fiscal or ""))
    (folder / "donateurs.yaml").write_text(donateurs, encoding="utf-8")
    (folder / "adherents.yaml").write_text(ADHERENTS, encoding="utf-8")
    return main


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ledger with receipts issued for 2026 (2026-0001 … 2026-0004 in date order:
    Durand 100,00, Martin 84,00, the bakery 300,00, Durand 50,50) and 2026-0002 then
    cancelled: its gift waits for a new receipt."""
    from typer.testing import CliRunner

    from communs_ledger.cli.app import app

    folder = tmp_path_factory.mktemp("fava_dons") / "asso"
    main = _dossier(folder)
    runner = CliRunner()
    for args in (
        ["recus", "-e", "2026", "--date", "2026-12-31"],
        ["recus", "annuler", "2026-0002", "--date", "2027-01-02"],
    ):
        result = runner.invoke(app, [*args, "-f", str(main)])
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def client(dossier: Path) -> tuple[Any, str]:
    return fava_client(dossier / "main.beancount")


def _page(client: tuple[Any, str], query: str = "exercice=2026") -> tuple[str, Any]:
    app, slug = client
    response = app.get(f"/{slug}/extension/DonsEtAdhesions/?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, lire_page(html)


def test_chiffres_calcules_a_la_main(client: tuple[Any, str]) -> None:
    html, lue = _page(client)
    c = lue.cellules
    assert lue.page == "dons" and lue.messages == []
    # by month: January fees 20 + 35 + 8 = 63; February gift 100 and fee 10; April 84;
    # May 300; June 50,50; July 20 (anonymous); totals 554,50 and 73,00
    assert c["mois", "2026-01", "cotisations"] == ["63.00"]
    assert c["mois", "2026-02", "dons"] == ["100.00"]
    assert c["mois", "2026-02", "cotisations"] == ["10.00"]
    assert c["mois", "2026-07", "dons"] == ["20.00"]
    assert c["mois", "total", "dons"] == ["554.50"]
    assert c["mois", "total", "cotisations"] == ["73.00"]
    # by donor: receipts issued and not cancelled (2026-0002, Martin's, was cancelled)
    assert c["donateurs", "DURAND-M", "montant"] == ["150.50"]
    assert c["donateurs", "DURAND-M", "nombre"] == ["2"]
    assert c["donateurs", "DURAND-M", "recus"] == ["2026-0001, 2026-0004"]
    assert c["donateurs", "MARTIN-P", "recus"] == [""]
    assert c["donateurs", "BOULANGERIE", "montant"] == ["300.00"]
    assert c["donateurs", "anonymes", "montant"] == ["20.00"]
    assert c["donateurs", "total", "montant"] == ["554.50"]
    # bands: under 100 € Martin 84; 100 to 500 Durand 150,50 and the bakery 300
    assert c["tranches", "tranche-1", "donateurs"] == ["1"]
    assert c["tranches", "tranche-1", "montant"] == ["84.00"]
    assert c["tranches", "tranche-2", "donateurs"] == ["2"]
    assert c["tranches", "tranche-2", "montant"] == ["450.50"]
    assert c["tranches", "tranche-3", "donateurs"] == ["0"]
    # receipts: three issued, one cancelled with its date
    assert c["recus", "2026-0002", "statut"] == ["annulé le 02/01/2027"]
    assert c["recus", "2026-0004", "montant"] == ["50.50"]
    assert "Reçus à émettre (dons sans reçu, « communs recus ») : 1, pour 84,00" in html
    # declaration: individuals 100 + 50,50 = 150,50 (2), companies 300 (1)
    assert c["declaration", "particulier", "montant"] == ["150.50"]
    assert c["declaration", "particulier", "nombre"] == ["2"]
    assert c["declaration", "entreprise", "montant"] == ["300.00"]
    assert c["declaration", "total", "nombre"] == ["3"]
    # members: A2 paid in 2025, not in 2026
    assert c["adherents", "A2", "statut"] == ["non renouvelé"]
    assert c["adherents", "A3", "montant"] == ["35.00"]
    assert c["adherents", "total", "montant"] == ["73.00"]
    # no address of any donor, anywhere on the page or in its data
    for adresse in ("rue des Lilas", "place du Marché", "allée des Tilleuls"):
        assert adresse not in html


def test_memes_chiffres_que_la_cli(
    client: tuple[Any, str], dossier: Path, communs: Callable[..., Any]
) -> None:
    _html, lue = _page(client)
    donnees = client[0].get(f"/{client[1]}/extension/DonsEtAdhesions/donnees?exercice=2026")
    assert memes_chiffres(lue, donnees.get_json()) > 60
    main = str(dossier / "main.beancount")
    for args, partie in (
        (("recus", "-e", "2026", "--declaration"), "declaration"),
        (("adherents", "-e", "2026"), "adherents"),
    ):
        result = communs(*args, "-f", main, "--format", "json")
        assert result.exit_code == 0, result.output
        cli = json.loads(result.stdout)["parties"][0]
        page = next(p for p in donnees.get_json()["parties"] if p["id"] == partie)
        assert page["lignes"] == cli["lignes"]
    assert "rue des Lilas" not in donnees.get_data(as_text=True)


def test_la_page_n_ecrit_rien(client: tuple[Any, str], dossier: Path) -> None:
    avant = {p: p.read_bytes() for p in dossier.rglob("*") if p.is_file() and "cache" not in p.name}
    _page(client)
    _page(client, "exercice=2025")
    apres = {p: p.read_bytes() for p in dossier.rglob("*") if p.is_file() and "cache" not in p.name}
    assert apres == avant  # no receipt issued, no register written, no export file


def test_nom_echappe_et_sans_eligibilite(tmp_path: Path) -> None:
    dossier = tmp_path / "asso"
    _dossier(dossier, fiscal=None, donateurs=DONATEURS.replace("Marie Durand", SCRIPT))
    html, lue = _page(fava_client(dossier / "main.beancount"))
    assert SCRIPT_ECHAPPE in html and SCRIPT not in html
    assert lue.cellules["donateurs", "DURAND-M", "montant"] == ["150.50"]
    assert ("recus", "2026-0001", "montant") not in lue.cellules
    assert "pas de reçus ni de déclaration" in html


def test_registre_en_erreur_message_en_francais(tmp_path: Path) -> None:
    dossier = tmp_path / "asso"
    _dossier(dossier, donateurs=DONATEURS.replace("code: MARTIN-P", "code: MARTIN-X"))
    shutil.rmtree(dossier / "recus", ignore_errors=True)
    html, lue = _page(fava_client(dossier / "main.beancount"))
    assert any("erreur(s) à corriger" in m for m in lue.messages), lue.messages
    assert "donateur « MARTIN-P » inconnu" in html
