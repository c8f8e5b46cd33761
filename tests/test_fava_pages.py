"""The Fava extension through Fava's own Flask application (``create_app``) and its test
client: every page and data endpoint answers 200, the figures shown are those of the
CLI's JSON for the same choices, user text is escaped, unknown choices and broken
inputs give French messages, never a 500."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXEMPLE
from fava_pages import (
    CANAL_CONFIG,
    CANAL_RESULTAT,
    CANAL_TRESORERIE,
    PAGES,
    SCRIPT,
    SCRIPT_ECHAPPE,
    ecrire_canal,
    fava_client,
    lire_page,
    memes_chiffres,
)


@pytest.fixture(scope="module")
def exemple() -> tuple[Any, str]:
    return fava_client(EXEMPLE)


@pytest.fixture(scope="module")
def canal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    return fava_client(ecrire_canal(tmp_path_factory.mktemp("fava") / "canal"))


def _get(client_slug: tuple[Any, str], page: str, query: str = "", endpoint: str = "") -> Any:
    client, slug = client_slug
    url = f"/{slug}/extension/{page}/{endpoint}"
    response = client.get(url + (f"?{query}" if query else ""))
    return response


def _page(client_slug: tuple[Any, str], page: str, query: str = ""):  # -> PageLue
    response = _get(client_slug, page, query)
    assert response.status_code == 200, (page, query)
    return lire_page(response.get_data(as_text=True))


def _cli_json(communs: Callable[..., Any], *args: str) -> dict[str, Any]:
    result = communs(*args, "-f", str(EXEMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- Every page and endpoint answers ------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_chaque_page_et_ses_donnees_repondent_sur_l_exemple(
    exemple: tuple[Any, str], page: str
) -> None:
    lue = _page(exemple, page)
    assert lue.page is not None
    assert lue.messages == [] or all("inconnu" not in m for m in lue.messages)
    assert lue.erreurs == []  # the example has no error
    donnees = _get(exemple, page, endpoint="donnees")
    assert donnees.status_code == 200
    assert "erreur" not in donnees.get_json()


def test_les_pages_sont_dans_la_barre_laterale_de_fava(exemple: tuple[Any, str]) -> None:
    client, slug = exemple
    html = client.get(f"/{slug}/income_statement/").get_data(as_text=True)
    start = html.index('id="ledger-data">') + len('id="ledger-data">')
    data = json.loads(html[start : html.index("</script>", start)])
    titles = {e["name"]: e["report_title"] for e in data["extensions"]}
    assert titles == {
        "TableauDeBord": "Tableau de bord",
        # « associatif »: Fava's own income statement and balance sheet are « Compte de
        # résultat » and « Bilan » in French
        "CompteDeResultat": "Compte de résultat associatif",
        "Bilan": "Bilan associatif",
        "BudgetVsRealise": "Budget vs réalisé",
        "Tresorerie": "Trésorerie",
        "ComptesAnnuels": "Comptes annuels",
        "RapportDuTresorier": "Rapport financier",
        "ComparaisonReseau": "Comparaison avec le réseau",
        "DonsEtAdhesions": "Dons et adhésions",
        "Ressources": "Ressources et financeurs",
    }
    assert data["fava_options"]["language"] == "fr"


@pytest.mark.parametrize("page", PAGES)
def test_chaque_page_repond_sur_un_grand_livre_vide(
    communs: Callable[..., Any], tmp_path: Path, page: str
) -> None:
    folder = tmp_path / "vide"
    result = communs("init", str(folder), "--nom", "Association vide", "--sans-git")
    assert result.exit_code == 0, result.output
    client_slug = fava_client(folder / "main.beancount")
    lue = _page(client_slug, page)
    assert lue.erreurs == []
    # nothing to show: said in French; the cash plan shows forecast months from today
    attendu = "Aucun fichier de prévisions" if page == "Tresorerie" else "aucune écriture"
    assert any(attendu in m for m in lue.messages), lue.messages
    assert _get(client_slug, page, endpoint="donnees").status_code == 200


# --- Same figures as the CLI's JSON -------------------------------------------------------------


@pytest.mark.parametrize("exercice", ["2024", "2025", "2026"])
def test_compte_de_resultat_egal_au_json_de_la_cli(
    exemple: tuple[Any, str], communs: Callable[..., Any], exercice: str
) -> None:
    lue = _page(exemple, "CompteDeResultat", f"exercice={exercice}")
    # 2026 is in progress: stopped at its last entry, 19/11/2026
    au = ("--au", "2026-11-19") if exercice == "2026" else ()
    document = _cli_json(communs, "resultat", "--exercice", exercice, *au)
    assert memes_chiffres(lue, document) > 50
    assert [v for v, _t, actif in lue.selecteurs["exercice"] if actif] == [exercice]
    assert _get(exemple, "CompteDeResultat", f"exercice={exercice}", "donnees").get_json() == (
        document
    )


def test_compte_de_resultat_d_un_projet_egal_au_json_de_la_cli(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    lue = _page(exemple, "CompteDeResultat", "exercice=2025&projet=ECOLE")
    document = _cli_json(communs, "resultat", "--exercice", "2025", "--projet", "ECOLE")
    assert memes_chiffres(lue, document) > 20
    assert [v for v, _t, actif in lue.selecteurs["projet"] if actif] == ["ECOLE"]


@pytest.mark.parametrize("exercice", ["2025", "2026"])
def test_bilan_egal_au_json_de_la_cli(
    exemple: tuple[Any, str], communs: Callable[..., Any], exercice: str
) -> None:
    lue = _page(exemple, "Bilan", f"exercice={exercice}")
    au = ("--au", "2026-11-19") if exercice == "2026" else ()
    document = _cli_json(communs, "bilan", "--exercice", exercice, *au)
    assert memes_chiffres(lue, document) > 50
    total = lue.cellules[("passif", "total_passif", "n")]
    assert total == lue.cellules[("actif", "total_actif", "net")] != []


def test_budget_egal_au_json_de_la_cli_pour_chaque_version(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    lue = _page(exemple, "BudgetVsRealise", "exercice=2026")
    versions = [v for v, _t, _a in lue.selecteurs["version"]]
    assert len(versions) >= 2
    for version in versions:
        lue = _page(exemple, "BudgetVsRealise", f"exercice=2026&version={version}")
        document = _cli_json(communs, "budget", "--exercice", "2026", "--version", version)
        assert memes_chiffres(lue, document) > 100
        assert [v for v, _t, actif in lue.selecteurs["version"] if actif] == [version]
    # the comments of the budget lines, and the atterrissage beside the projection
    html = _get(exemple, "BudgetVsRealise", "exercice=2026").get_data(as_text=True)
    assert "1 575 € par mois avec l&#39;indexation d&#39;avril" in html.replace("\u202f", " ")
    assert "Projection du budget" in html and "Atterrissage" in html


def test_entete_n1_insecable(exemple: tuple[Any, str]) -> None:
    """« Réalisé N-1 au 31/12/2024 » is never broken after « N- » in a narrow column: a
    non-breaking hyphen (U+2011) in the heading shown, the plain text as its name."""
    html = _get(exemple, "BudgetVsRealise", "exercice=2025").get_data(as_text=True)
    assert (
        '<th class="num" aria-label="Réalisé N-1 au 31/12/2024">Réalisé N\u20111 au 31/12/2024</th>'
    ) in html.replace(' prio2"', '"')
    assert ">Réalisé N-1 au" not in html


def test_budget_graphiques_de_fava_places_depuis_le_budget_mensuel(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    lue = _page(exemple, "BudgetVsRealise", "exercice=2025")
    mensuel = _cli_json(communs, "budget", "--exercice", "2025", "--mensuel")
    charges = next(p for p in mensuel["parties"] if p["id"] == "charges")
    total = next(ligne for ligne in charges["lignes"] if ligne["id"] == "total_charges")
    barres = lue.graphiques[0]
    assert barres["type"] == "bar" and barres["label"] == "Charges"
    assert len(barres["data"]) == 12
    mars = barres["data"][2]
    assert mars["date"] == "2025-03-01"
    assert f"{mars['balance']['EUR']:.2f}" == total["valeurs"]["m2025_03_realise"]
    assert f"{mars['budgets']['EUR']:.2f}" == total["valeurs"]["m2025_03_budget"]
    stacked = sum(v["EUR"] for v in mars["account_balances"].values())
    assert round(stacked, 2) == round(mars["balance"]["EUR"], 2)
    # drawn in French by the HTML renderer: month names, legend, labelled tooltips
    html = _get(exemple, "BudgetVsRealise", "exercice=2025").get_data(as_text=True)
    dessin = html.split('<div class="communs-graphiques">')[1].split("</div>")[0]
    assert dessin.count("<svg") == 2 and "<script" not in dessin
    assert "mars 2025" in dessin and "Mar 2025" not in dessin
    assert '<g class="legende">' in dessin and ">Budget<" in dessin and ">Réalisé<" in dessin
    assert f'data-valeur="{total["valeurs"]["m2025_03_realise"]}"' in dessin


def test_budget_d_un_projet_egal_au_json_de_la_cli(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    lue = _page(exemple, "BudgetVsRealise", "exercice=2026&projet=CUISINE")
    document = _cli_json(communs, "budget", "--exercice", "2026", "--projet", "CUISINE")
    assert memes_chiffres(lue, document) > 20


@pytest.mark.parametrize("mois", ["12", "24"])
def test_tresorerie_egale_au_json_de_la_cli(
    exemple: tuple[Any, str], communs: Callable[..., Any], mois: str
) -> None:
    lue = _page(exemple, "Tresorerie", f"mois={mois}")
    document = _cli_json(communs, "tresorerie", "--mois", mois)
    assert memes_chiffres(lue, document) > 100
    totaux = document["totaux_par_colonne"]["base"]
    assert lue.chiffres["point_bas:base"] == totaux["point_bas"]
    assert lue.chiffres["solde_initial"] == totaux["solde_initial"]
    # the chart: actual month ends, then the forecast joining them, and the threshold
    courbe = lue.graphiques[0]
    assert courbe["type"] == "balances"
    prevision = [
        p["balance"]["Prévision — Prévision de base"] for p in courbe["data"][-int(mois) :]
    ]
    solde_final = next(
        ligne for ligne in document["parties"][0]["lignes"] if ligne["id"] == "solde_final"
    )
    assert [f"{v:.2f}" for v in prevision] == list(solde_final["valeurs"].values())
    assert sum("Réalisé" in p["balance"] for p in courbe["data"]) >= 12


def test_tresorerie_tous_les_scenarios(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    lue = _page(exemple, "Tresorerie")
    scenarios = [v for v, _t, _a in lue.selecteurs["scenario"] if v not in ("", "tous")]
    assert scenarios  # the example declares its scenarios (previsions/scenarios.yaml)
    lue = _page(exemple, "Tresorerie", "scenario=tous")
    args = [a for code in ["base", *scenarios] for a in ("--scenario", code)]
    document = _cli_json(communs, "tresorerie", *args)
    assert memes_chiffres(lue, document) > 100
    noms = set().union(*(p["balance"] for p in lue.graphiques[0]["data"]))
    assert len([n for n in noms if n.startswith("Prévision — ")]) == len(scenarios) + 1


def test_tableau_de_bord_egal_aux_json_de_la_cli(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    lue = _page(exemple, "TableauDeBord", "exercice=2026")
    budget = _cli_json(communs, "budget", "--exercice", "2026")["totaux_par_colonne"]
    assert lue.chiffres["resultat_a_date"] == budget["realise"]["resultat"]
    assert lue.chiffres["budget_a_date"] == budget["budget_a_date"]["resultat"]
    # two named end-of-exercice results: the budget's projection and the atterrissage
    atterrissage = _cli_json(communs, "prevision", "atterrissage", "--exercice", "2026")
    assert (
        lue.chiffres["atterrissage"]
        == atterrissage["totaux_par_colonne"]["atterrissage"]["resultat"]
    )
    assert lue.chiffres["projection_du_budget"] == budget["projection"]["resultat"]
    assert lue.chiffres["atterrissage"] != lue.chiffres["projection_du_budget"]
    assert "resultat_projete" not in lue.chiffres
    diagnostic = _cli_json(communs, "diagnostic", "--exercice", "2026")
    lignes = {(p["id"], ligne["id"]): ligne for p in diagnostic["parties"] for ligne in p["lignes"]}
    tresorerie = lignes[("montants", "tresorerie_constatee")]
    assert lue.chiffres["tresorerie_constatee"] == tresorerie["valeurs"]["n"]
    fonds = lignes[("durees", "fonds_propres_mois")]
    assert lue.chiffres["fonds_propres_mois"] == fonds["valeurs"]["n"]
    assert lue.statuts["fonds_propres_mois"] == fonds["statut"]
    for partie in ("montants", "durees", "ratios"):
        document = {"parties": [p for p in diagnostic["parties"] if p["id"] == partie]}
        assert memes_chiffres(lue, document) > 0
    plan = _cli_json(communs, "tresorerie")["totaux_par_colonne"]["base"]
    assert lue.chiffres["point_bas:base"] == plan["point_bas"]
    # the worst scenario's low point beside the base's (issue 12): the pessimistic one
    scenarios = _cli_json(communs, "tresorerie", "--scenario", "pessimiste,fin-cuisine")
    pire = min(
        (totaux["point_bas"] for totaux in scenarios["totaux_par_colonne"].values()), key=float
    )
    assert (
        lue.chiffres["point_bas:pessimiste"]
        == pire
        == scenarios["totaux_par_colonne"]["pessimiste"]["point_bas"]
    )
    assert lue.statuts["point_bas:pessimiste"] == "alerte"


def test_tableau_de_bord_calcule_a_la_main(canal: tuple[Any, str]) -> None:
    """See fava_pages.CANAL_BODY and CANAL_BUDGET for the arithmetic."""
    lue = _page(canal, "TableauDeBord")
    assert lue.chiffres["resultat_a_date"] == CANAL_RESULTAT
    assert lue.chiffres["tresorerie_constatee"] == CANAL_TRESORERIE
    # budget à date at 30 April (last entry), uniform profile: 4/12 of each line:
    # produits (6 000 + 600) × 4/12 = 2 200 ; charges (1 200 + 24 000) × 4/12 = 8 400
    assert lue.chiffres["budget_a_date"] == "-6200.00"
    # projection: actual + (annual − à date); produits 5 450 + 4 400 = 9 850;
    # charges 6064: 300 + 800 = 1 100, 6411: 2 000 + 16 000 = 18 000 → −9 250
    assert lue.chiffres["projection_du_budget"] == "-9250.00"
    # the budget rule « project without budget » is an active warning, shown as text
    html = _get(canal, "TableauDeBord").get_data(as_text=True)
    assert f"Budget 2026 : le projet ESC « {SCRIPT_ECHAPPE} » a 300,00" in html


# --- Drill-down, read-only ----------------------------------------------------------------------


def test_drill_down_d_une_ligne_vers_les_pages_de_compte_de_fava(
    exemple: tuple[Any, str],
) -> None:
    client, slug = exemple
    lue = _page(exemple, "CompteDeResultat", "exercice=2025")
    comptes = [lien for lien in lue.liens if f"/{slug}/account/" in lien]
    assert any("6411" in lien and "time=2025" in lien for lien in comptes)
    response = client.get(next(lien for lien in comptes if "6411" in lien))
    assert response.status_code == 200


def test_les_donnees_sont_en_lecture_seule(tmp_path: Path) -> None:
    """Even when Fava may write (``--ecriture``), the pages' data endpoints only read."""
    client, slug = fava_client(ecrire_canal(tmp_path / "canal"), ecriture=True)
    for page in PAGES:
        for method in (client.post, client.put, client.delete):
            response = method(f"/{slug}/extension/{page}/donnees")
            assert response.status_code in (404, 405), (page, method)


# --- Escaping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_le_texte_des_utilisateurs_est_echappe(canal: tuple[Any, str], page: str) -> None:
    html = _get(canal, page, "projet=ESC" if page != "Bilan" else "").get_data(as_text=True)
    assert SCRIPT not in html
    # project names and budget labels are shown, as text (the comptes annuels: their
    # annexe texts, tests/test_fava_comptes_annuels.py; donors' names on « Dons et
    # adhésions »: tests/test_fava_dons.py; not on the resources: the script is the
    # payee of a charge)
    if page not in ("Bilan", "ComptesAnnuels", "DonsEtAdhesions", "Ressources"):
        assert SCRIPT_ECHAPPE in html


# --- Bad input: French messages, no 500 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "query", "attendu"),
    [
        ("TableauDeBord", "exercice=1999", "Exercice « 1999 » inconnu"),
        ("CompteDeResultat", "exercice=1999", "Exercice « 1999 » inconnu"),
        ("CompteDeResultat", "projet=NIMPORTE", "Projet « NIMPORTE » inconnu"),
        ("Bilan", "exercice=2030", "Exercice « 2030 » inconnu"),
        ("BudgetVsRealise", "projet=<b>x</b>", "Projet « <b>x</b> » inconnu"),
        ("BudgetVsRealise", "version=v9", "Version « v9 » inconnue"),
        ("Tresorerie", "scenario=catastrophe", "Scénario « catastrophe » inconnu"),
        ("Tresorerie", "mois=abc", "Durée du plan « abc »"),
    ],
)
def test_choix_inconnu_message_en_francais(
    exemple: tuple[Any, str], page: str, query: str, attendu: str
) -> None:
    response = _get(exemple, page, query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<b>x</b>" not in html
    lue = lire_page(html)
    assert any(m.startswith(attendu) for m in lue.messages), lue.messages
    donnees = _get(exemple, page, query, "donnees")
    assert donnees.status_code == 400
    assert donnees.get_json()["erreur"].startswith(attendu)


def test_grand_livre_en_erreur_les_pages_listent_les_erreurs(tmp_path: Path) -> None:
    main = ecrire_canal(tmp_path / "canal")
    with main.open("a", encoding="utf-8") as ledger:
        ledger.write(
            textwrap.dedent(
                """
                2026-01-01 open Charges:60-Achats:6000-Inconnu

                2026-05-02 * "Achat mal classé"
                  Charges:60-Achats:6000-Inconnu  10.00 EUR
                  Actif:51-Banques:512-Banques:Compte-courant
                """
            )
        )
    client_slug = fava_client(main)
    for page in PAGES:
        lue = _page(client_slug, page)
        assert any("6000" in erreur for erreur in lue.erreurs), (page, lue.erreurs)
    lue = _page(client_slug, "CompteDeResultat")
    # the figures are still shown (the wrong account goes to the « autres » line):
    # résultat = 3 150 − 10 = 3 140
    assert lue.cellules[("compte_de_resultat", "resultat", "n")] == ["3140.00"]


def test_budget_absent_message_explicatif(tmp_path: Path) -> None:
    main = ecrire_canal(tmp_path / "canal", budget=False)
    client_slug = fava_client(main)
    lue = _page(client_slug, "BudgetVsRealise")
    assert not lue.graphiques
    assert any("introuvable" in m or "budget" in m for m in lue.messages + lue.erreurs)
    lue = _page(client_slug, "TableauDeBord")
    assert lue.chiffres["resultat"] == CANAL_RESULTAT  # the résultat still shows
    assert any(m.startswith("Budget :") for m in lue.messages)


def test_budget_non_declare_message_explicatif(tmp_path: Path) -> None:
    config = CANAL_CONFIG.split("budget:")[0]
    client_slug = fava_client(ecrire_canal(tmp_path / "canal", budget=False, config=config))
    lue = _page(client_slug, "BudgetVsRealise")
    assert not lue.graphiques
    assert any("aucun budget pour l'exercice 2026" in m.lower() for m in lue.messages)


def test_prevision_absente_message_explicatif_sans_graphique(tmp_path: Path) -> None:
    config = CANAL_CONFIG + "previsions:\n  paie: previsions/paie.yaml\n"
    client_slug = fava_client(ecrire_canal(tmp_path / "canal", config=config))
    lue = _page(client_slug, "Tresorerie")
    assert not lue.graphiques
    assert any("previsions.paie : fichier introuvable" in m for m in lue.messages), lue.messages
    lue = _page(client_slug, "TableauDeBord")
    assert any(m.startswith("Prévisions :") for m in lue.messages)
    assert lue.chiffres["resultat_a_date"] == CANAL_RESULTAT


def test_la_page_suit_les_changements_du_grand_livre(tmp_path: Path) -> None:
    folder = tmp_path / "canal"
    main = ecrire_canal(folder)
    client, slug = fava_client(main)
    before = lire_page(client.get(f"/{slug}/extension/TableauDeBord/").get_data(as_text=True))
    assert before.chiffres["resultat_a_date"] == CANAL_RESULTAT
    shutil.copy(main, folder / "copie.beancount")
    with main.open("a", encoding="utf-8") as ledger:  # 100 more cotisations on 2 May
        ledger.write(
            '\n2026-05-02 * "Cotisation tardive"\n'
            "  Actif:51-Banques:512-Banques:Compte-courant  100.00 EUR\n"
            "  Produits:75-Autres-produits:756-Cotisations\n"
        )
    client.application.config["LEDGERS"][slug].load_file()  # what Fava's watcher does
    after = lire_page(client.get(f"/{slug}/extension/TableauDeBord/").get_data(as_text=True))
    assert after.chiffres["resultat_a_date"] == "3250.00"


def test_le_filtre_de_periode_de_fava_choisit_l_exercice(exemple: tuple[Any, str]) -> None:
    lue = _page(exemple, "CompteDeResultat", "time=2024")
    assert [v for v, _t, actif in lue.selecteurs["exercice"] if actif] == ["2024"]
    lue = _page(exemple, "CompteDeResultat", "time=2025&exercice=2024")  # the page's choice wins
    assert [v for v, _t, actif in lue.selecteurs["exercice"] if actif] == ["2024"]
    lue = _page(exemple, "CompteDeResultat", "time=month")  # not an exercice: the latest one
    assert [v for v, _t, actif in lue.selecteurs["exercice"] if actif] == ["2026"]


# --- The command, before it serves --------------------------------------------------------------


def test_commande_fava_refuse_un_grand_livre_absent(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    result = communs("fava", str(tmp_path / "absent.beancount"))
    assert result.exit_code == 1
    assert "introuvable" in result.output


def test_commande_fava_refuse_un_port_invalide(communs: Callable[..., Any]) -> None:
    result = communs("fava", str(EXEMPLE), "--port", "70000")
    assert result.exit_code == 2
    assert "--port 70000" in result.output


def test_versements_de_subvention_attendus(tmp_path: Path) -> None:
    """Convention of the Ville: 10 000 € in two halves (15 March, 30 September 2026). The
    first half came on 15 March; on 30 April (last entry) the second, 5 000 €, is the one
    instalment expected in the next twelve months."""
    folder = tmp_path / "canal"
    main = ecrire_canal(folder, config=CANAL_CONFIG + "conventions: conventions.yaml\n")
    text = main.read_text(encoding="utf-8").replace(
        '"Ville" "Subvention de fonctionnement"\n',
        '"Ville" "Subvention de fonctionnement"\n  convention: "VILLE-2026"\n',
    )
    main.write_text(text, encoding="utf-8")
    (folder / "conventions.yaml").write_text(
        textwrap.dedent(
            """\
            conventions:
              - reference: VILLE-2026
                financeur: Ville du Canal
                type_financeur: commune
                objet: Subvention de fonctionnement 2026
                montant: 10000
                debut: 2026-01-01
                fin: 2026-12-31
                exercice: "2026"
                compte: "741"
                versements:
                  - {libelle: premier versement, part: 50, date: 2026-03-15}
                  - {libelle: second versement, part: 50, date: 2026-09-30}
            """
        ),
        encoding="utf-8",
    )
    client_slug = fava_client(main)
    lue = _page(client_slug, "TableauDeBord")
    assert lue.erreurs == [], lue.erreurs
    assert lue.cellules[("versements", "versement", "montant")] == ["5000.00"], lue.messages
    donnees = _get(client_slug, "TableauDeBord", endpoint="donnees").get_json()
    assert [(v["date"], v["montant"]) for v in donnees["versements"]] == [("2026-09-30", "5000.00")]
    assert "second versement" in donnees["versements"][0]["libelle"]


# --- Colours by meaning -------------------------------------------------------------------------


def _sens_des_ecarts(html: str) -> list[tuple[str, str, str, str, str]]:
    """(part, line, column, JSON value, sense) of every budget variance with a sense."""
    import re

    found = []
    for partie, corps in re.findall(r'data-partie="([^"]+)"(.*?)</table>', html, re.S):
        for ligne, col, valeur, sens in re.findall(
            r'data-ligne="([^"]*)" data-col="([^"]*)" data-valeur="([^"]*)" '
            r'data-sens="([^"]*)"',
            corps,
        ):
            found.append((partie, ligne, col, valeur, sens))
    return found


def test_ecarts_du_budget_favorables_ou_defavorables_selon_le_sens(
    exemple: tuple[Any, str], canal: tuple[Any, str]
) -> None:
    """A charge under its budget is favourable, a produit under its budget is not; the
    sense is written with a symbol and a word, not only a colour."""
    html = _get(exemple, "BudgetVsRealise", "exercice=2026").get_data(as_text=True)
    sens = _sens_des_ecarts(html)
    assert {s for *_x, s in sens} == {"favorable", "defavorable"}
    for partie, ligne, _col, valeur, s in sens:
        plus = not valeur.startswith("-")
        if partie in ("charges", "par_projet"):
            assert s == ("defavorable" if plus else "favorable"), (partie, ligne, valeur)
        else:
            assert partie in ("produits", "resultat")
            assert s == ("favorable" if plus else "defavorable"), (partie, ligne, valeur)
    assert "✗ défavorable" in html and "✓ favorable" in html  # the legend, in words
    # Les Amis du Canal at 30/04/2026: salaires 2 000 € paid for a budget of 24 000 € a
    # year (under budget: favourable), subvention 5 000 € received for 6 000 € a year
    # (over the budget à date: favourable), no red sign on a favourable variance
    canal_html = _get(canal, "BudgetVsRealise").get_data(as_text=True)
    by_line = {(p, ligne, c): (v, s) for p, ligne, c, v, s in _sens_des_ecarts(canal_html)}
    valeur, s = by_line[("charges", "ligne:6411", "ecart")]
    assert valeur.startswith("-") and s == "favorable"
    valeur, s = by_line[("produits", "ligne:741", "ecart")]
    assert not valeur.startswith("-") and s == "favorable"
    assert 'class="num favorable negatif' not in canal_html


# --- Downloads: the CLI's renderers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "query", "commande"),
    [
        ("CompteDeResultat", "exercice=2025", ("resultat", "--exercice", "2025")),
        ("Bilan", "exercice=2025", ("bilan", "--exercice", "2025")),
        ("BudgetVsRealise", "exercice=2026", ("budget", "--exercice", "2026")),
        ("TableauDeBord", "exercice=2025", ("diagnostic", "--exercice", "2025")),
    ],
)
def test_telechargements_identiques_a_la_commande(
    exemple: tuple[Any, str], communs: Callable[..., Any], page: str, query: str, commande: tuple
) -> None:
    """Each page's « Télécharger » links give the report of the page as the CLI writes it:
    the same CSV bytes, an XLSX workbook, and the printable HTML page with the static
    print script (no inline script)."""
    lue = _page(exemple, page, query)
    liens = [lien for lien in lue.liens if "/export?" in lien]
    assert sorted(lien.split("format=")[1][:4].rstrip("&") for lien in liens) == [
        "csv",
        "html",
        "xlsx",
    ]
    client, _slug = exemple
    csv = client.get(next(lien for lien in liens if "format=csv" in lien))
    attendu = communs(*commande, "-f", str(EXEMPLE), "--format", "csv")
    assert csv.status_code == 200
    assert csv.get_data(as_text=True).replace("\r\n", "\n") == attendu.stdout
    assert "attachment" in csv.headers["Content-Disposition"]
    xlsx = client.get(next(lien for lien in liens if "format=xlsx" in lien))
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"
    assert xlsx.headers["Content-Disposition"].endswith('.xlsx"')
    html = client.get(next(lien for lien in liens if "format=html" in lien))
    texte = html.get_data(as_text=True)
    script = texte.split("<script", 1)[1]
    assert script.startswith(' src="') and "/imprimer.js" in script.split(">")[0]
    assert texte.count("<script") == 1
    js = client.get(script.split('"')[1])
    assert js.status_code == 200 and "window.print()" in js.get_data(as_text=True)
    assert js.mimetype == "text/javascript"


def test_telechargement_format_inconnu(exemple: tuple[Any, str]) -> None:
    response = _get(exemple, "Bilan", "format=pdf2", "export")
    assert response.status_code == 400
    assert "Format « pdf2 » inconnu" in response.get_data(as_text=True)


# --- Alerts first -------------------------------------------------------------------------------

CANAL_PREVISIONS_CONFIG = """\
association:
  nom: "Les Amis du Canal"
previsions:
  flux: previsions/flux.yaml
  scenarios: previsions/scenarios.yaml
  seuil: {montant: 10000}
"""
CANAL_FLUX = """\
flux:
  - code: loyer
    libelle: Loyer
    montant: -1000
    compte: "6132"
    frequence: mensuel
    jour: 5
    debut: 2026-05-05
"""
CANAL_SCENARIOS = """\
scenarios:
  - code: noir
    libelle: Loyer quintuplé
    flux:
      loyer: {montant: -5000}
"""


def test_tableau_de_bord_alerte_quand_un_scenario_passe_sous_le_seuil(tmp_path: Path) -> None:
    """Les Amis du Canal, 23 150,00 € in the bank at 30/04/2026, threshold 10 000 €, plan
    of April 2026 to March 2027 (12 months). Base: rent 1 000 € a month from May: low
    point 23 150 − 11 × 1 000 = 12 150,00 € (March 2027), never under the threshold.
    « noir »: 5 000 € a month: 18 150 (May), 13 150 (June), 8 150 (July, under),
    … 23 150 − 11 × 5 000 = −31 850,00 € in March 2027: nine months under the threshold
    (July 2026 to March 2027). The dashboard opens with that alert, its figure, the
    worst low point beside the base one, and a link to the cash plan of all scenarios."""
    folder = tmp_path / "canal"
    main = ecrire_canal(folder, budget=False, config=CANAL_PREVISIONS_CONFIG)
    (folder / "previsions").mkdir()
    (folder / "previsions" / "flux.yaml").write_text(CANAL_FLUX, encoding="utf-8")
    (folder / "previsions" / "scenarios.yaml").write_text(CANAL_SCENARIOS, encoding="utf-8")
    client_slug = fava_client(main)
    html = _get(client_slug, "TableauDeBord").get_data(as_text=True)
    lue = lire_page(html)
    assert lue.chiffres["point_bas:base"] == "12150.00"
    assert lue.statuts["point_bas:base"] == "ok"
    assert lue.chiffres["point_bas:noir"] == "-31850.00"
    assert lue.statuts["point_bas:noir"] == "alerte"
    donnees = _get(client_slug, "TableauDeBord", endpoint="donnees").get_json()
    alertes = {a["id"]: a for a in donnees["alertes"]}
    assert list(alertes) == ["tresorerie:noir"]
    alerte = alertes["tresorerie:noir"]
    assert alerte["niveau"] == "alerte" and alerte["valeur"] == "-31850.00"
    assert "Loyer quintuplé" in alerte["titre"]
    assert alerte["texte"].startswith("9 mois sous le seuil de 10\u202f000,00\xa0€ (juillet 2026, ")
    assert "mars 2027" in alerte["texte"]
    # on the page: first block, with the figure and the link to the cash plan
    assert html.index('data-alertes="1"') < html.index('data-chiffre="')
    assert 'data-alerte="tresorerie:noir" data-valeur="-31850.00"' in html
    assert "/extension/Tresorerie/?scenario=tous" in html


# --- Honest dates -------------------------------------------------------------------------------


def test_exercice_en_cours_arrete_a_la_derniere_ecriture_et_n1_a_meme_date(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    """2026 is in progress (last entry 19/11/2026): its compte de résultat is stopped at
    that date and shown beside 2025 at 19/11/2025 (the CLI with ``--au``) and 2025 in
    full; its bilan is headed 19/11/2026, never « 31/12/2026 »; each page says so."""
    html = _get(exemple, "CompteDeResultat", "exercice=2026").get_data(as_text=True)
    lue = lire_page(html)
    assert "chiffres arrêtés au 19/11/2026" in html
    a_date = _cli_json(communs, "resultat", "--exercice", "2025", "--au", "2025-11-19")
    complet = _cli_json(communs, "resultat", "--exercice", "2025")
    for partie in a_date["parties"]:
        for ligne in partie["lignes"]:
            cle = ligne["id"] or ligne["code"]
            valeur = ligne["valeurs"].get("n")
            if valeur is not None:
                assert lue.cellules[(partie["id"], cle, "n1_a_date")] == [valeur], cle
    produits = ("compte_de_resultat", "total_produits", "n1_a_date")
    total_a_date = a_date["totaux_par_colonne"]["n"]["total_produits"]
    assert lue.cellules[produits] == [total_a_date]
    assert total_a_date != complet["totaux_par_colonne"]["n"]["total_produits"]
    assert "2025 au 19/11/2025" in html
    bilan = _get(exemple, "Bilan", "exercice=2026").get_data(as_text=True)
    assert "Net au 19/11/2026" in bilan and "31/12/2026" not in bilan
    assert "chiffres arrêtés au 19/11/2026" in bilan
    for page in ("TableauDeBord", "BudgetVsRealise"):
        assert "arrêtés au 19/11/2026" in _get(exemple, page, "exercice=2026").get_data(
            as_text=True
        )
    # a closed exercice has no such line
    assert "arrêtés au" not in _get(exemple, "CompteDeResultat", "exercice=2025").get_data(
        as_text=True
    )


def test_filtre_de_periode_de_fava_non_applique_le_dit(exemple: tuple[Any, str]) -> None:
    for page in PAGES:
        lue = _page(exemple, page, "time=2025-Q1")
        assert any("filtre de période de Fava (« 2025-Q1 »)" in m for m in lue.messages), page
    lue = _page(exemple, "Bilan", "time=2025")  # an exercice: followed, nothing to say
    assert not any("filtre de période" in m for m in lue.messages)


def test_projet_dans_l_adresse_d_une_page_non_filtree_le_dit(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    """Only the compte de résultat and the budget are restricted to a project: the other
    pages (tableau de bord, bilan…) keep the whole association's figures when the URL
    names one (``?projet=ECOLE``, kept from those pages), and say so; the figures are
    the CLI's without --projet."""
    note = "Le projet choisi (« ECOLE ») ne s'applique pas à cette page"
    for page in PAGES:
        lue = _page(exemple, page, "exercice=2025&projet=ECOLE")
        dit = any(note in m for m in lue.messages)
        assert dit == (page not in ("CompteDeResultat", "BudgetVsRealise")), page
    bilan = _page(exemple, "Bilan", "exercice=2025&projet=ECOLE")
    assert bilan.cellules == _page(exemple, "Bilan", "exercice=2025").cellules
    assert memes_chiffres(bilan, _cli_json(communs, "bilan", "--exercice", "2025")) > 50
    tableau = _page(exemple, "TableauDeBord", "exercice=2026&projet=ECOLE")
    budget = _cli_json(communs, "budget", "--exercice", "2026")["totaux_par_colonne"]
    assert tableau.chiffres["resultat_a_date"] == budget["realise"]["resultat"]
    assert tableau.chiffres == _page(exemple, "TableauDeBord", "exercice=2026").chiffres


def test_budget_vote_d_un_exercice_a_venir(
    exemple: tuple[Any, str], communs: Callable[..., Any]
) -> None:
    """The example's 2027 budget (voted ahead, no entry in 2027 yet) can be opened: the
    same figures as ``communs budget cerfa --exercice 2027``."""
    lue = _page(exemple, "BudgetVsRealise", "exercice=2026")
    assert "2027" in [v for v, _t, _a in lue.selecteurs["exercice"]]
    lue = _page(exemple, "BudgetVsRealise", "exercice=2027")
    assert [v for v, _t, actif in lue.selecteurs["exercice"] if actif] == ["2027"]
    document = _cli_json(communs, "budget", "cerfa", "--exercice", "2027")
    assert memes_chiffres(lue, document) > 20
    assert any("L'exercice 2027 n'a pas commencé" in m for m in lue.messages)
    assert (
        _page(exemple, "BudgetVsRealise", "exercice=2028")
        .messages[0]
        .startswith("Exercice « 2028 » inconnu")
    )


# --- Explained ----------------------------------------------------------------------------------


def test_chaque_carte_et_indicateur_explique_avec_lien_vers_le_guide(
    exemple: tuple[Any, str],
) -> None:
    """Each card of the dashboard and the cash plan, each indicator of the diagnostic,
    has a sentence and a link to its section of the guide, served inside Fava: every
    link answers and its anchor is a heading of the chapter."""
    import re

    client, _slug = exemple
    liens: set[str] = set()
    for page in ("TableauDeBord", "Tresorerie"):
        html = _get(exemple, page).get_data(as_text=True)
        cartes = list(lire_page(html).chiffres)
        assert len(cartes) >= 3
        for nom in cartes:
            carte = html.split(f'data-chiffre="{nom}"')[1].split("data-chiffre=")[0]
            assert 'class="explication"' in carte and "data-aide" in carte, nom
        liens |= set(re.findall(r'<a href="([^"]+)" data-remote data-aide>', html))
        if page == "TableauDeBord":
            for indicateur in ("fonds_de_roulement", "capacite_autofinancement"):
                ligne = html.split(f'<tr class="normal" data-ligne="{indicateur}">')[1]
                assert 'class="explication"' in ligne.split("</td>")[0], indicateur
    assert len(liens) >= 8
    for lien in liens:
        adresse, _diese, ancre = lien.replace("&amp;", "&").partition("#")
        response = client.get(adresse)
        assert response.status_code == 200, lien
        assert f'id="{ancre}"' in response.get_data(as_text=True), lien


def test_guide_servi_dans_fava_echappe_le_html(exemple: tuple[Any, str]) -> None:
    response = _get(exemple, "TableauDeBord", "chapitre=fava", "guide")
    assert response.status_code == 200
    texte = response.get_data(as_text=True)
    assert "<h1" in texte and "Fava pour le conseil" in texte
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texte and "<script" not in texte
    assert "guide_image?nom=fava-TableauDeBord" in texte  # images served too
    assert "guide?chapitre=budget#" in texte  # links between chapters stay in Fava
    for chapitre in ("inconnu", "../pyproject", "fava.md"):
        assert _get(exemple, "TableauDeBord", f"chapitre={chapitre}", "guide").status_code == 404


def _texte_pour_le_conseil(html: str) -> str:
    """The text of our page a board member reads: tags, attributes and the folded
    « pour le gestionnaire » blocks removed."""
    import re

    debut = html.index('<div class="communs"')
    page = html[debut : html.index("</article>", debut)]
    page = re.sub(r'<details class="gestionnaire".*?</details>', " ", page, flags=re.S)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


CHEMINS_ET_CLES = (".yaml", ".beancount", "previsions.", "budget.fichiers", "clé «")


def test_aucun_chemin_ni_cle_de_configuration_dans_le_texte_des_pages(
    exemple: tuple[Any, str], tmp_path: Path
) -> None:
    """File paths and configuration keys are for the gestionnaire: folded in a « détail
    pour le gestionnaire » block, never in the text the board reads — on the example,
    on a ledger with a forecast file missing and no conventions, on a ledger in error."""
    config = CANAL_CONFIG + "previsions:\n  paie: previsions/paie.yaml\n"
    manquant = fava_client(ecrire_canal(tmp_path / "manquant", config=config))
    sans_budget = fava_client(ecrire_canal(tmp_path / "sans_budget", budget=False))
    for client_slug in (exemple, manquant, sans_budget):
        for page in PAGES:
            html = _get(client_slug, page).get_data(as_text=True)
            texte = _texte_pour_le_conseil(html)
            trouves = [c for c in CHEMINS_ET_CLES if c in texte]
            assert trouves == [], (page, trouves, texte[:2000])
    html = _get(manquant, "Tresorerie").get_data(as_text=True)
    assert "détail pour le gestionnaire" in _texte_pour_le_conseil(html)
    gestionnaire = html.split('<details class="gestionnaire" data-gestionnaire>')[1]
    assert "previsions.paie : fichier introuvable" in gestionnaire.split("</details>")[0]


def test_alertes_subventions_fonds_dedies_et_erreurs(
    exemple: tuple[Any, str], communs: Callable[..., Any], tmp_path: Path
) -> None:
    """The example: the compte rendu of ETAT-FDVA-2025, due 30/06/2026 and not sent, is
    late at 19/11/2026 (as ``communs subventions`` says); the fonds dédiés of 2025 are
    booked (no alert). Without the 2025 entry using the « Compost de quartier » fonds
    dédiés (6 753,32 €), the 2025 dashboard asks for it; with an error in the ledger,
    the dashboard's first alert is that error."""
    suivi = _cli_json(communs, "subventions", "--exercice", "2025")
    echeances = {ligne["id"]: ligne for p in suivi["parties"] for ligne in p["lignes"]}
    retard = "compte_rendu:ETAT-FDVA-2025:2026-06-30:compte rendu financier"
    assert echeances[retard]["valeurs"]["etat"] == "en retard"
    for exercice in ("2025", "2026"):
        donnees = _get(exemple, "TableauDeBord", f"exercice={exercice}", "donnees").get_json()
        alertes = {a["id"]: a for a in donnees["alertes"]}
        assert alertes["compte_rendu:ETAT-FDVA-2025"]["niveau"] == "alerte", exercice
        assert "depuis le 30/06/2026" in alertes["compte_rendu:ETAT-FDVA-2025"]["texte"]
        assert "fonds_dedies" not in alertes
    # each alert's link leads somewhere: a page, or an existing section of the guide
    import re

    client, _slug = exemple
    html = _get(exemple, "TableauDeBord", "exercice=2025").get_data(as_text=True)
    blocs = html.split("data-alertes=")[1].split("</section>")[0]
    liens = re.findall(r'<a href="([^"]+)"', blocs)
    assert any("guide?chapitre=conventions#" in lien for lien in liens)
    for lien in liens:
        adresse, _diese, ancre = lien.replace("&amp;", "&").partition("#")
        response = client.get(adresse)
        assert response.status_code == 200, lien
        assert not ancre or f'id="{ancre}"' in response.get_data(as_text=True), lien

    copie = tmp_path / "association"
    shutil.copytree(EXEMPLE.parent, copie, ignore=shutil.ignore_patterns(".*picklecache"))
    livre = copie / "2025.beancount"
    texte = livre.read_text(encoding="utf-8")
    debut = texte.index("; Utilisation des fonds dédiés reportés au 31 décembre 2024")
    fin = texte.index('2025-12-31 * "Crédit Coopératif" "Intérêts 2025')
    livre.write_text(texte[:debut] + texte[fin:], encoding="utf-8")
    client_slug = fava_client(copie / EXEMPLE.name)
    donnees = _get(client_slug, "TableauDeBord", "exercice=2025", "donnees").get_json()
    alertes = {a["id"]: a for a in donnees["alertes"]}
    assert alertes["fonds_dedies"]["valeur"] == "6753.32"
    assert alertes["fonds_dedies"]["niveau"] == "alerte"

    with livre.open("a", encoding="utf-8") as ajout:
        ajout.write(
            '\n2025-12-31 * "Déséquilibrée"\n  Actif:51-Banques:512-Banques:Livret  1.00 EUR\n'
        )
    client_slug = fava_client(copie / EXEMPLE.name)
    donnees = _get(client_slug, "TableauDeBord", "exercice=2025", "donnees").get_json()
    premiere = donnees["alertes"][0]
    html = _get(client_slug, "TableauDeBord", "exercice=2025").get_data(as_text=True)
    nombre = html.split('data-erreurs="')[1].split('"')[0]  # the errors listed atop
    assert premiere["id"] == "erreurs" and premiere["valeur"] == nombre != "0"


def test_chaque_page_renvoie_au_guide_de_bonnes_pratiques(exemple: tuple[Any, str]) -> None:
    """Each page links to its section of the good-practice guide (docs/guide/), served
    inside Fava: the link answers and its anchor, if any, is a heading of the page."""
    import re

    client, _slug = exemple
    for page in PAGES:
        html = _get(exemple, page).get_data(as_text=True)
        found = re.search(r'data-guide-pratique>Bonnes pratiques : <a href="([^"]+)"', html)
        assert found, page
        adresse, _diese, ancre = found.group(1).replace("&amp;", "&").partition("#")
        assert "chapitre=guide/" in adresse, page
        response = client.get(adresse)
        assert response.status_code == 200, page
        texte = response.get_data(as_text=True)
        assert not ancre or f'id="{ancre}"' in texte, (page, ancre)
