"""``communs reseau comparer`` and the Fava page « Comparaison avec le réseau »: the
association of ``test_partage_indicateurs`` (figures computed by hand there) among six
peers whose quartiles are computed by hand below; terminal, XLSX (numbers and chart),
HTML (inline SVG charts), the network folder read from ``partage.reseau.chemin``, a
group of 4 refused; the page through Fava's test client, and unset: how to set it."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.partage.indicateurs import IndicateursPartages
from communs_ledger.partage.jetons import jeton
from conftest import one_line
from fava_pages import fava_client, lire_page
from test_fava_pages import CHEMINS_ET_CLES, _texte_pour_le_conseil
from test_partage_indicateurs import _petit_livre

D = Decimal
FAVA = (
    'option "operating_currency" "EUR"\n'
    '2025-01-01 custom "fava-extension" "communs_ledger.fava_ext"\n'
)

# Six peers of 2025, size band « 50 à 200 k€ » except the last (« 200 k€ à 1 M€ »).
#   trésorerie (5 peers give it): 1, 2, 4, 8, 10 → rank p × 4: Q1 = 2, median = 4, Q3 = 8;
#     the association's 3.3 lies between Q1 and the median.
#   financements publics (6 peers): 10, 20, 40, 80, 100, 120 → rank p × 5:
#     Q1 at 1.25 = 20 + 0.25 × 20 = 25; median at 2.5 = 40 + 0.5 × 40 = 60;
#     Q3 at 3.75 = 80 + 0.75 × 20 = 95; the association's 80 lies between median and Q3.
#   the other indicators: given by no peer, not compared.
PAIRS = [
    ("1", "10"), ("2", "20"), ("4", "40"), ("8", "80"), ("10", "100"), (None, "120"),
]  # fmt: skip


def _reseau(dossier: Path) -> Path:
    dossier.mkdir()
    for numero, (tresorerie, publics) in enumerate(PAIRS, start=1):
        bande = "200 k€ à 1 M€" if numero == 6 else "50 à 200 k€"
        valeurs = {
            "tresorerie_mois": None if tresorerie is None else D(tresorerie),
            "part_financements_publics": D(publics),
        }
        pair = IndicateursPartages("2025", bande, "culture", "3 à 5", valeurs)
        (dossier / f"pair-{numero}.json").write_text(pair.texte_json(), encoding="utf-8")
    return dossier


@pytest.fixture
def asso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = _petit_livre(tmp_path / "asso")
    path.write_text(FAVA + path.read_text(encoding="utf-8"), encoding="utf-8")
    _reseau(tmp_path / "reseau")
    monkeypatch.chdir(path.parent)
    return path


def _avec_reglage(path: Path, groupe: str = "") -> None:
    config = path.parent / "communs.yaml"
    reglage = "  reseau:\n    chemin: ../reseau\n" + (f"    groupe: {groupe}\n" if groupe else "")
    config.write_text(config.read_text(encoding="utf-8") + reglage, encoding="utf-8")


def test_terminal_quartiles_et_positions_a_la_main(asso: Path, communs) -> None:
    result = communs("reseau", "comparer", "../reseau", "-e", "2025")
    assert result.exit_code == 0, result.output
    text = one_line(result.output)
    assert "3,3 2,0 4,0 8,0 5 entre le 1er quartile et la médiane" in text
    assert "80,0 25,0 60,0 95,0 6 entre la médiane et le 3e quartile" in text
    assert "6 fichier(s) d'associations pour l'exercice 2025." in text
    # the same code as « communs indicateurs --comparer »
    ancien = communs("indicateurs", "-e", "2025", "--comparer", "../reseau")
    assert ancien.exit_code == 0
    assert one_line(ancien.output) == text


def test_json_des_positions(asso: Path, communs) -> None:
    result = communs("reseau", "comparer", "../reseau", "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    lignes = {ligne["id"]: ligne["valeurs"] for ligne in document["parties"][0]["lignes"]}
    publics = lignes["part_financements_publics"]
    assert [D(publics[k]) for k in ("association", "q1", "mediane", "q3")] == [
        D(80), D(25), D(60), D(95),
    ]  # fmt: skip
    assert publics["pairs"] == 6
    assert lignes["marge_resultat"]["q1"] is None  # no peer gives it
    assert "graphiques" not in document  # the charts are for HTML and XLSX


def test_groupe_de_quatre_refuse_en_ligne_de_commande(asso: Path, communs) -> None:
    """With ``--groupe taille`` the peers are the 5 of the same size band: trésorerie is
    given by 5 of them (compared), financements publics by 5 (10…100); from
    ``partage.reseau.groupe``, the same. With one more peer out of the band, 4 remain:
    nothing is compared, and the report says why."""
    result = communs("reseau", "comparer", "../reseau", "-e", "2025", "--groupe", "taille")
    assert result.exit_code == 0, result.output
    text = one_line(result.output)
    # financements publics among 10, 20, 40, 80, 100: Q1 20, median 40, Q3 80 → « à » Q3
    assert "80,0 20,0 40,0 80,0 5 entre la médiane et le 3e quartile" in text
    (asso.parent.parent / "reseau" / "pair-1.json").unlink()
    _avec_reglage(asso, groupe="taille")
    quatre = communs("reseau", "comparer", "-e", "2025")
    assert quatre.exit_code == 0, quatre.output
    text = one_line(quatre.output)
    assert "Seulement 4 association(s) dans ce groupe : moins de 5" in text
    assert "25,0" not in text and "2,0" not in text
    assert text.count("non comparé (moins de 5)") == 6


def test_xlsx_et_html_avec_graphiques(asso: Path, communs) -> None:
    from openpyxl import load_workbook

    _avec_reglage(asso)
    assert communs("reseau", "comparer", "-e", "2025", "--sortie", "c.xlsx").exit_code == 0
    feuilles = load_workbook(asso.parent / "c.xlsx").worksheets
    lignes = [[c.value for c in row] for row in feuilles[0].iter_rows()]
    publics = next(row for row in lignes if row[0] == "Financements publics (%)")
    assert publics[1:6] == [80, 25, 60, 95, 6]
    assert any(feuille._charts for feuille in feuilles)
    assert communs("reseau", "comparer", "-e", "2025", "--sortie", "c.html").exit_code == 0
    html = (asso.parent / "c.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 2  # months, per cent
    assert "Parts et marge (%) : l&#39;association et les quartiles du réseau" in html


def test_sans_dossier_ni_reglage(asso: Path, communs) -> None:
    result = communs("reseau", "comparer", "-e", "2025")
    assert result.exit_code == 1
    assert "partage: reseau: chemin: DOSSIER" in one_line(result.output)
    absent = communs("reseau", "comparer", "../nulle-part", "-e", "2025")
    assert absent.exit_code == 1
    assert "dossier du réseau ../nulle-part introuvable" in one_line(absent.output)


# --- Fava page ---------------------------------------------------------------------------


def _page(client_slug: tuple[Any, str], query: str = "", endpoint: str = "") -> Any:
    client, slug = client_slug
    response = client.get(f"/{slug}/extension/ComparaisonReseau/{endpoint}?{query}")
    assert response.status_code == 200
    return response


def test_page_fava_quartiles_a_la_main(asso: Path) -> None:
    _avec_reglage(asso)
    client_slug = fava_client(asso)
    html = _page(client_slug).get_data(as_text=True)
    lue = lire_page(html)
    assert lue.page == "reseau"
    assert (lue.messages, lue.erreurs) == ([], [])
    cellules = {k[1:]: v[0] for k, v in lue.cellules.items()}
    tresorerie = [cellules[("tresorerie_mois", c)] for c in ("association", "q1", "mediane", "q3")]
    assert [D(v) for v in tresorerie] == [D("3.3"), D(2), D(4), D(8)]
    assert D(cellules[("part_financements_publics", "mediane")]) == D(60)
    assert "entre la médiane et le 3e quartile" in html
    assert html.count("<svg") == 2
    assert [(c[0], c[2]) for c in lue.selecteurs["groupe"]] == [
        ("tous", True), ("taille", False), ("secteur", False), ("salaries", False),
    ]  # fmt: skip
    assert "Même nombre de salariés" in html
    # the same figures as the command's JSON, in the data endpoint
    donnees = _page(client_slug, endpoint="donnees").get_json()
    lignes = {ligne["id"]: ligne["valeurs"] for ligne in donnees["parties"][0]["lignes"]}
    assert D(lignes["part_financements_publics"]["q3"]) == D(95)
    # the group chosen in the URL: the 5 peers of the same size band
    taille = lire_page(_page(client_slug, "groupe=taille").get_data(as_text=True))
    assert [
        D(v) for v in taille.cellules[("indicateurs", "part_financements_publics", "mediane")]
    ] == [D(40)]
    # « Tout le réseau » even when communs.yaml sets a default group
    config = asso.parent / "communs.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "    groupe: taille\n", "utf-8")
    client, slug = client_slug
    client.application.config["LEDGERS"][slug].load_file()  # what Fava's watcher does
    defaut = lire_page(_page(client_slug).get_data(as_text=True))
    assert [c[0] for c in defaut.selecteurs["groupe"] if c[2]] == ["taille"]
    assert defaut.cellules[("indicateurs", "part_financements_publics", "pairs")] == ["5"]
    tous = lire_page(_page(client_slug, "groupe=tous").get_data(as_text=True))
    assert tous.cellules[("indicateurs", "part_financements_publics", "pairs")] == ["6"]
    inconnu = lire_page(_page(client_slug, "groupe=ville").get_data(as_text=True))
    assert any("Groupe « ville » inconnu" in m for m in inconnu.messages)


def test_page_fava_sans_reglage_explique(asso: Path) -> None:
    html = _page(fava_client(asso)).get_data(as_text=True)
    lue = lire_page(html)
    assert any("pas encore réglée" in m for m in lue.messages), lue.messages
    gestionnaire = html.split("data-gestionnaire>")[1].split("</details>")[0]
    assert "« chemin: ../reseau/indicateurs »" in gestionnaire
    assert "<svg" not in html
    # the setting is for the gestionnaire, folded: not in the text the board reads
    texte = _texte_pour_le_conseil(html)
    assert "dépose ses indicateurs anonymisés" in texte
    assert [c for c in (*CHEMINS_ET_CLES, "partage", "chemin:") if c in texte] == []


def test_page_fava_dossier_absent_ou_fichier_illisible_sans_chemin_pour_le_conseil(
    asso: Path,
) -> None:
    """The network's folder set but absent on this computer (the network's repository not
    cloned yet, the association's folder copied elsewhere), or a peer's file out of the
    format: the board reads what is wrong without a file path; the path and the file's
    name go to the gestionnaire's folded block."""
    config = asso.parent / "communs.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "  reseau:\n    chemin: ../pas-encore-clone\n",
        encoding="utf-8",
    )
    html = _page(fava_client(asso)).get_data(as_text=True)
    texte = _texte_pour_le_conseil(html)
    assert "dossier des indicateurs du réseau est introuvable" in texte, texte
    assert "pas-encore-clone" not in texte
    gestionnaire = html.split("data-gestionnaire>")[1].split("</details>")[0]
    assert "pas-encore-clone introuvable" in gestionnaire
    # a peer's file that is not JSON: named for the gestionnaire only
    config.write_text(
        config.read_text(encoding="utf-8").replace("pas-encore-clone", "reseau"), "utf-8"
    )
    (asso.parent.parent / "reseau" / "pair-7.json").write_text("{", encoding="utf-8")
    html = _page(fava_client(asso)).get_data(as_text=True)
    texte = _texte_pour_le_conseil(html)
    assert "indicateurs du réseau est illisible" in texte, texte
    assert "pair-7.json" not in texte
    gestionnaire = html.split("data-gestionnaire>")[1].split("</details>")[0]
    assert "reseau, pair-7.json : fichier JSON illisible." in gestionnaire


# --- The association's own file in the network's folder ---------------------------------


def _partager(communs, sortie: str, exercice: str = "2025") -> dict[str, Any]:
    result = communs("indicateurs", "--partage", "-e", exercice, "--sortie", sortie, "--oui")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(Path(sortie).read_text(encoding="utf-8"))
    return document


def test_fichier_propre_dans_le_dossier_du_reseau_ecarte(asso: Path, communs) -> None:
    """Four peers plus the association's own file (written by ``--partage`` into the
    network's folder): only 4 peers, under the minimum of 5, so nothing is compared
    (before the token, its own 3.3 months made a fifth « peer »: 1, 2, 3.3, 4, 8 →
    median 3.3). The same content without the token (another association could have the
    same figures) is a peer: with it, 1, 2, 3.3, 4, 8 → Q1 2, median 3.3, Q3 4."""
    reseau = asso.parent.parent / "reseau"
    for numero in (5, 6):  # peers 1 to 4 remain: trésorerie 1, 2, 4, 8
        (reseau / f"pair-{numero}.json").unlink()
    document = _partager(communs, "../reseau/nous.json")
    assert re.fullmatch(r"[0-9a-f]{32}", document["jeton"])
    assert document["indicateurs"]["tresorerie_mois"] == "3.3"
    cle = (asso.parent / "indicateurs-partages.cle").read_text(encoding="utf-8")
    assert "ne le partagez jamais" in cle and cle.split()[-1] not in json.dumps(document)
    result = communs("reseau", "comparer", "../reseau", "-e", "2025")
    assert result.exit_code == 0, result.output
    text = one_line(result.output)
    assert "4 fichier(s) d'associations pour l'exercice 2025" in text
    assert "1 fichier(s) de l'association elle-même écarté(s)" in text
    assert "Seulement 4 association(s) dans ce groupe : moins de 5" in text
    assert text.count("non comparé (moins de 5)") == 6
    # the Fava page: the same 4 peers
    _avec_reglage(asso)
    page = lire_page(_page(fava_client(asso)).get_data(as_text=True))
    assert page.cellules[("indicateurs", "tresorerie_mois", "pairs")] == ["4"]
    assert page.cellules[("indicateurs", "tresorerie_mois", "position")] == [
        "non comparé (moins de 5)"
    ]
    # a peer with the very same figures but no token (or another association's) counts
    del document["jeton"]
    (reseau / "jumelle.json").write_text(json.dumps(document), encoding="utf-8")
    jumelle = one_line(communs("reseau", "comparer", "../reseau", "-e", "2025").output)
    assert "3,3 2,0 3,3 4,0 5 à la médiane" in jumelle


def test_jeton_stable_par_exercice_et_sans_lien_entre_exercices(asso: Path, communs) -> None:
    """The same exercice shared again keeps its token (what was shown is what is
    written); another exercice gets an unrelated one; a token that is not 32 hexadecimal
    digits (a name slipped in) makes the file refused."""
    premier = _partager(communs, "a.json")["jeton"]
    assert _partager(communs, "b.json")["jeton"] == premier
    cle = bytes.fromhex((asso.parent / "indicateurs-partages.cle").read_text("utf-8").split()[-1])
    assert jeton(cle, "2025") == premier  # HMAC-SHA256(key, exercice), 32 digits
    assert jeton(cle, "2024") != premier
    reseau = asso.parent.parent / "reseau"
    faux = json.loads((reseau / "pair-1.json").read_text(encoding="utf-8"))
    faux["jeton"] = "Les Amis du Lavoir"
    (reseau / "pair-1.json").write_text(json.dumps(faux), encoding="utf-8")
    refuse = communs("reseau", "comparer", "../reseau", "-e", "2025")
    assert refuse.exit_code == 1
    assert "pair-1.json : jeton invalide" in one_line(refuse.output)


def test_apercu_du_premier_partage_dit_qu_il_cree_la_cle(asso: Path, communs) -> None:
    """Without ``--oui`` (not a terminal) the file is not written; at the first share the
    association's key is, and the message says so (the token shown is the one written)."""
    result = communs("indicateurs", "--partage", "-e", "2025", "--sortie", "a.json")
    assert result.exit_code == 0, result.output
    text = one_line(result.output)
    assert (
        "Rien n'est écrit dans a.json ; seule la clé secrète de l'association a été créée" in text
    )
    assert (asso.parent / "indicateurs-partages.cle").exists()
    assert not Path("a.json").exists()
    again = one_line(communs("indicateurs", "--partage", "-e", "2025", "--sortie", "a.json").output)
    assert "Rien n'est écrit dans a.json : relancez avec --oui" in again and "clé" not in again
