"""``communs budget cerfa``: the budget in the layout of the CERFA 12156 budget table.

A small association (exercice 2026, chart 2025) with a budget file of three
versions; every figure below is computed by hand from the budget lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from communs_ledger.budget.cerfa import Financeurs, modele_cerfa
from communs_ledger.budget.reglages import TYPES_FINANCEUR
from communs_ledger.formatage import montant
from communs_ledger.plan import CodeState, load_chart, plan_comptable_dir
from conftest import one_line, write_ledger

D = Decimal
SUBV = "Produits:74-Subventions:741-Subventions-d-exploitation"

LEDGER = f"""\
option "title" "Les Amis du Test"
option "operating_currency" "EUR"

2026-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2026-01-01 open Produits:75-Autres-produits:756-Cotisations
2026-01-01 open {SUBV}:7411-Etat
  type_financeur: "etat"
2026-01-01 open {SUBV}:7412-Region
  type_financeur: "region"
2026-01-01 open {SUBV}:7413-Departement
2026-01-01 open {SUBV}:7415-CAF
2026-01-01 open {SUBV}:7418-Fondation-Verte
  type_financeur: "aides_privees"
2026-01-01 open {SUBV}:7419-Divers

2026-01-15 * "Cotisations"
  Actif:51-Banques:512-Banques:Compte-courant  450.00 EUR
  Produits:75-Autres-produits:756-Cotisations
"""

CONFIG = """\
association:
  nom: Les Amis du Test
projets:
  - code: JARDINS
    nom: Jardins partagés
  - code: ECOLE
    nom: Jardiner à l'école
budget:
  fichiers:
    "2026": budgets/2026.yaml
financeurs:
  "7411": commune           # ignoré : la métadonnée du compte (etat) passe avant
  "7413": departement       # par numéro de compte
  CAF: organismes_sociaux   # par nom de compte (7415-CAF)
"""

BUDGET = """\
versions:
  - code: vote
    nom: BP voté en AG
    date: 2026-03-14
    lignes:
      - {compte: "604", montant: 2000}
      - {compte: "6064", montant: 1500}
      - {compte: "6064", projet: JARDINS, montant: 900}
      - {compte: "602", montant: 300}
      - {compte: "611", montant: 700}
      - {compte: "613", montant: 6000}
      - {compte: "616", montant: 800}
      - {compte: "622", montant: 1800}
      - {compte: "625", montant: 400}
      - {compte: "626", montant: 200}
      - {compte: "627", montant: 100}
      - {compte: "631", montant: 500}
      - {compte: "637", montant: 150}
      - {compte: "6411", montant: 40000}
      - {compte: "6411", projet: ECOLE, montant: 5000}
      - {compte: "645", montant: 16000}
      - {compte: "647", montant: 600}
      - {compte: "6811", montant: 1000}
      - {compte: "706", montant: 8000}
      - {compte: "7411", montant: 12000, libelle: FONJEP}
      - {compte: "7412", projet: JARDINS, montant: 20000, libelle: Région Île-de-France}
      - {compte: "7413", montant: 6000}
      - {compte: "7415", montant: 4000}
      - {compte: "7418", montant: 3000}
      - {compte: "7419", montant: 1000}
      - {compte: "756", montant: 3000}
      - {compte: "7541", montant: 1500}
      - {compte: "7542", montant: 2500}
      - {compte: "758", montant: 200}
      - {compte: "768", montant: 50}
      - {compte: "7894", montant: 2000}
      - {compte: "864", montant: 5000}
      - {compte: "861", montant: 1000}
      - {compte: "875", montant: 5000}
      - {compte: "870", montant: 1000}
  - code: revise
    nom: BP révisé
    date: 2026-06-20
    base: vote
    lignes:
      - {compte: "7411", montant: 30000, libelle: FONJEP}
      - {compte: "862", montant: 500}
      - {compte: "871", montant: 500}
  - code: cvn
    nom: Bénévolat revu
    date: 2026-01-10
    base: vote
    lignes:
      - {compte: "875", montant: 4000}
  - code: global
    nom: Lignes globales
    date: 2026-01-05
    base: vote
    lignes:
      - {compte: "6", montant: 100, libelle: Imprévus}
      - {compte: "71", montant: 50}
"""
BUDGET_7419_LINE = 1 + BUDGET.splitlines().index('      - {compte: "7419", montant: 1000}')

# Hand-computed totals of version « vote ».
CHARGES_VOTE = D(
    2000
    + 1500
    + 900
    + 300
    + 700
    + 6000
    + 800
    + 1800
    + 400
    + 200
    + 100
    + 500
    + 150
    + 40000
    + 5000
    + 16000
    + 600
    + 1000
)  # 77 950
PRODUITS_VOTE = D(
    8000 + 12000 + 20000 + 6000 + 4000 + 3000 + 1000 + 3000 + 1500 + 2500 + 200 + 50 + 2000
)  # 63 250


@pytest.fixture
def asso(ledger_dir: Path) -> Path:
    write_ledger(ledger_dir, LEDGER, config=CONFIG)
    (ledger_dir / "budgets").mkdir()
    (ledger_dir / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    return ledger_dir


def _json(communs: Callable[..., Any], *args: str) -> dict[str, Any]:
    result = communs("budget", "cerfa", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rows(data: dict[str, Any], partie: str) -> dict[str, Decimal]:
    (found,) = [p for p in data["parties"] if p["id"] == partie]
    return {row["id"]: D(row["valeurs"]["montant"]) for row in found["lignes"]}


def _labels(data: dict[str, Any], partie: str) -> dict[str, str]:
    (found,) = [p for p in data["parties"] if p["id"] == partie]
    return {row["id"]: row["libelle"] for row in found["lignes"]}


def _totaux(data: dict[str, Any]) -> dict[str, Decimal]:
    return {name: D(value) for name, value in data["totaux"].items()}


# --- Lines ----------------------------------------------------------------------------------


def test_chaque_ligne_des_charges(communs: Callable[..., Any], asso: Path) -> None:
    assert CHARGES_VOTE == 77950
    charges = _rows(_json(communs, "--version", "vote"), "charges")
    assert charges == {
        "chapitre_60": D(4700),
        "prestations_services": D(2000),
        "achats_matieres_fournitures": D(300),
        "autres_fournitures": D(2400),  # 6064 : 1 500 + 900 (projet JARDINS)
        "chapitre_61": D(7500),
        "locations": D(6000),
        "entretien_reparation": D(0),
        "assurance": D(800),
        "documentation": D(0),
        "autres_services_exterieurs_61": D(700),  # 611 : ligne ajoutée car non nulle
        "chapitre_62": D(2500),
        "honoraires": D(1800),
        "publicite": D(0),
        "deplacements": D(400),
        "services_bancaires_autres": D(300),  # 626 + 627
        "chapitre_63": D(650),
        "impots_remunerations": D(500),
        "autres_impots_taxes": D(150),
        "chapitre_64": D(61600),
        "remunerations_personnels": D(45000),
        "charges_sociales": D(16000),
        "autres_charges_personnel": D(600),
        "chapitre_65": D(0),
        "chapitre_66": D(0),
        "chapitre_67": D(0),
        "chapitre_68": D(1000),
        "chapitre_69": D(0),
        "total_charges": CHARGES_VOTE,  # déficit : pas de ligne d'excédent
    }


def test_chaque_ligne_des_produits(communs: Callable[..., Any], asso: Path) -> None:
    assert PRODUITS_VOTE == 63250
    produits = _rows(_json(communs, "--version", "vote"), "produits")
    details = {key: value for key, value in produits.items() if key.count(":")}
    lines = {key: value for key, value in produits.items() if not key.count(":")}
    assert lines == {
        "chapitre_70": D(8000),
        "chapitre_73": D(0),
        "chapitre_74": D(46000),
        "subvention_etat": D(12000),
        "subvention_region": D(20000),
        "subvention_departement": D(6000),
        "subvention_intercommunalite": D(0),
        "subvention_commune": D(0),
        "subvention_organismes_sociaux": D(4000),
        "subvention_fonds_europeens": D(0),
        "subvention_asp": D(0),
        "subvention_autres_etablissements_publics": D(0),
        "subvention_aides_privees": D(3000),
        "subvention_autres_financeurs": D(1000),
        "chapitre_75": D(7200),
        "cotisations": D(3000),
        "dons_mecenat": D(4000),  # 7541 + 7542
        "autres_produits_gestion": D(200),  # 758
        "chapitre_76": D(50),
        "chapitre_77": D(0),
        "chapitre_78": D(2000),
        "report_ressources": D(2000),  # 7894 ; « autres reprises » nulle, absente
        "chapitre_79": D(0),
        "ligne_insuffisance_previsionnelle": D(14700),
        "total_produits": CHARGES_VOTE,
    }
    assert details == {
        "subvention_etat:ligne:7411": D(12000),
        "subvention_region:ligne:7412:JARDINS": D(20000),
        "subvention_departement:ligne:7413": D(6000),
        "subvention_organismes_sociaux:ligne:7415": D(4000),
        "subvention_aides_privees:ligne:7418": D(3000),
        "subvention_autres_financeurs:ligne:7419": D(1000),
    }


def test_subventions_par_type_de_financeur(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "vote")
    labels = _labels(data, "produits")
    # libellé de la ligne du budget, sinon numéro et libellé du compte du grand livre
    assert labels["subvention_etat:ligne:7411"] == "FONJEP"  # métadonnée etat, pas config commune
    assert labels["subvention_region:ligne:7412:JARDINS"] == "Région Île-de-France (projet JARDINS)"
    assert labels["subvention_departement:ligne:7413"] == "7413 Departement"  # config par numéro
    assert labels["subvention_organismes_sociaux:ligne:7415"] == "7415 CAF"  # config par nom
    assert labels["subvention_aides_privees:ligne:7418"] == "7418 Fondation Verte"
    assert labels["subvention_region"] == "Région(s)"
    assert labels["subvention_autres_financeurs"] == (
        "Autres subventions (type de financeur non précisé)"
    )
    (warning,) = [w for w in data["avertissements"] if "7419" in w]
    assert warning.startswith(f"budgets/2026.yaml:{BUDGET_7419_LINE}: subvention (compte 7419)")
    assert "type de financeur inconnu" in warning and "type_financeur:" in warning
    assert len(data["avertissements"]) == 1


def test_type_de_financeur_conflit_et_valeur_inconnue() -> None:
    comptes = {
        f"{SUBV}:Region": {"type_financeur": "region"},
        f"{SUBV}:Ville": {"type_financeur": "commune"},
        f"{SUBV}:7417-EPCI": {"type_financeur": "epci"},
        f"{SUBV}:7416-ASP": {},
    }
    financeurs = Financeurs(comptes, {"ASP": "asp", "74": "etat"})
    conflict = financeurs.de("741")
    assert conflict.type is None and conflict.probleme is not None
    assert "types de financeur différents sous le compte 741" in conflict.probleme
    assert "7411-Etat" in conflict.probleme  # suggests coded sub-accounts
    # unknown value ignored (warning), then the config: prefix 74 wins over names
    assert financeurs.de("7417").type == "etat"
    assert financeurs.de("7417").origine == "config_compte"
    assert financeurs.avertissements == [
        f"compte {SUBV}:7417-EPCI : type_financeur « epci » inconnu, ignoré (valeurs possibles "
        f": {', '.join(TYPES_FINANCEUR)})"
    ]
    by_name = Financeurs(comptes, {"asp": "asp"}).de("7416")
    assert (by_name.type, by_name.origine) == ("asp", "config_nom")
    assert Financeurs(comptes, {}).de("7416").type is None


def test_insuffisance_du_cote_des_produits(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "vote")
    assert "ligne_excedent_previsionnel" not in _rows(data, "charges")
    assert _labels(data, "produits")["ligne_insuffisance_previsionnelle"] == (
        "Insuffisance prévisionnelle"
    )
    totaux = _totaux(data)
    assert totaux["charges_prevues"] == CHARGES_VOTE
    assert totaux["produits_prevus"] == PRODUITS_VOTE
    assert totaux["resultat_previsionnel"] == D(-14700)
    assert totaux["insuffisance_previsionnelle"] == D(14700)
    assert totaux["excedent_previsionnel"] == 0
    assert totaux["total_charges"] == totaux["total_produits"] == D(77950)
    assert totaux["ecart_charges_produits"] == 0
    assert any(
        "total des charges = total des produits = 77 950,00" in one_line(note)
        and "insuffisance prévisionnelle de 14 700,00" in one_line(note)
        for note in data["notes"]
    )
    equilibre = _rows(data, "equilibre")
    assert equilibre["insuffisance_previsionnelle"] == D(14700)
    assert equilibre["ecart_charges_produits"] == 0


def test_excedent_du_cote_des_charges(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "revise")  # 7411 : 12 000 → 30 000
    charges, produits = _rows(data, "charges"), _rows(data, "produits")
    assert produits["subvention_etat"] == D(30000)
    assert charges["ligne_excedent_previsionnel"] == D(3300)  # 81 250 − 77 950
    assert "ligne_insuffisance_previsionnelle" not in produits
    assert charges["total_charges"] == produits["total_produits"] == D(81250)
    totaux = _totaux(data)
    assert totaux["excedent_previsionnel"] == D(3300)
    assert totaux["insuffisance_previsionnelle"] == 0
    assert (totaux["total_charges"], totaux["total_produits"]) == (D(81250), D(81250))
    # the charges part ends with the surplus then the total
    (part,) = [p for p in data["parties"] if p["id"] == "charges"]
    assert [row["id"] for row in part["lignes"][-2:]] == [
        "ligne_excedent_previsionnel",
        "total_charges",
    ]
    assert part["lignes"][-2]["libelle"] == "Excédent prévisionnel"


def test_version_par_defaut_la_plus_recente(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs)  # revise (20 juin) is the latest version by date
    assert data["meta"]["version"] == "revise"
    assert "version « BP révisé » (revise)" in data["sous_titre"]


def test_contributions_numerotation_du_cerfa(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "vote")
    cvn = _rows(data, "contributions_volontaires")
    labels = _labels(data, "contributions_volontaires")
    assert cvn == {
        "chapitre_86": D(6000),
        "secours_en_nature": D(0),
        "mise_a_disposition": D(1000),
        "prestations": D(0),
        "personnel_benevole": D(5000),
        "contributions_volontaires_emplois": D(6000),
        "chapitre_87": D(6000),
        "benevolat": D(5000),  # compte 875 (ANC 2018-06) → « 870 Bénévolat »
        "prestations_en_nature": D(0),
        "dons_en_nature": D(1000),  # compte 870 (ANC 2018-06) → « 875 Dons en nature »
        "contributions_volontaires_ressources": D(6000),
    }
    assert labels["benevolat"] == "870 Bénévolat"
    assert labels["prestations_en_nature"] == "871 Prestations en nature"
    assert labels["dons_en_nature"] == "875 Dons en nature"
    assert labels["personnel_benevole"] == "864 Personnel bénévole"
    (rows,) = [p["lignes"] for p in data["parties"] if p["id"] == "contributions_volontaires"]
    assert next(r for r in rows if r["id"] == "benevolat")["comptes"] == ["875"]
    assert next(r for r in rows if r["id"] == "dons_en_nature")["comptes"] == ["870"]
    note = next(n for n in data["notes"] if "CRC 99-01" in n)
    assert "« 870 Bénévolat » reçoit le compte 875 Bénévolat" in note
    assert "« 875 Dons en nature » le compte 870 Dons en nature" in note
    totaux = _totaux(data)
    assert totaux["contributions_volontaires_emplois"] == D(6000)
    assert totaux["contributions_volontaires_ressources"] == D(6000)
    assert totaux["ecart_contributions"] == 0
    assert f"Contributions volontaires : total 86 = total 87 = {montant(D(6000))}." in data["notes"]


def test_contributions_desequilibrees(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "cvn")  # 875 : 5 000 → 4 000
    totaux = _totaux(data)
    assert totaux["contributions_volontaires_emplois"] == D(6000)
    assert totaux["contributions_volontaires_ressources"] == D(5000)
    assert totaux["ecart_contributions"] == D(1000)
    assert any(
        "Contributions volontaires déséquilibrées" in w and "total 86 = total 87" in w
        for w in data["avertissements"]
    )


def test_lignes_sans_place_au_formulaire(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "global")
    charges, produits = _rows(data, "charges"), _rows(data, "produits")
    assert charges["autres_charges"] == D(100)
    assert produits["autres_produits"] == D(50)
    assert charges["total_charges"] == produits["total_produits"] == CHARGES_VOTE + 100
    assert _totaux(data)["insuffisance_previsionnelle"] == D(14700 + 100 - 50)
    (warning,) = [w for w in data["avertissements"] if w.startswith("Lignes du budget sans")]
    assert warning.endswith(": compte 6 « Imprévus », compte 71")
    assert "autres_charges" not in _rows(_json(communs, "--version", "vote"), "charges")


# --- Project budget ---------------------------------------------------------------------------


def test_budget_du_projet_en_excedent(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "vote", "--projet", "JARDINS")
    assert data["titre"] == "Budget prévisionnel du projet (CERFA n° 12156)"
    assert "projet JARDINS (Jardins partagés)" in data["sous_titre"]
    charges, produits = _rows(data, "charges"), _rows(data, "produits")
    assert charges["chapitre_60"] == charges["autres_fournitures"] == D(900)
    assert charges["chapitre_64"] == 0
    assert charges["charges_indirectes"] == 0  # bloc du budget du projet, à compléter
    assert {"charges_fixes_fonctionnement", "frais_financiers", "autres_charges_indirectes"} <= (
        set(charges)
    )
    assert produits["chapitre_74"] == produits["subvention_region"] == D(20000)
    assert produits["subvention_etat"] == 0
    assert charges["ligne_excedent_previsionnel"] == D(19100)
    assert _labels(data, "charges")["ligne_excedent_previsionnel"] == (
        "Excédent prévisionnel du projet"
    )
    assert charges["total_charges"] == produits["total_produits"] == D(20000)
    assert (
        _labels(data, "produits")["subvention_region:ligne:7412:JARDINS"] == "Région Île-de-France"
    )
    assert _rows(data, "contributions_volontaires")["chapitre_86"] == 0
    assert data["meta"]["projet"] == "JARDINS"
    # the 7419 line is not the project's; the only warning: no keys, so the surplus
    # leaves the project's share of the general charges out (budget/indirectes.py)
    (warning,) = data["avertissements"]
    assert warning.startswith("Aucune clé de répartition (analytique/) : les charges indirectes")


def test_budget_du_projet_en_insuffisance(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "vote", "--projet", "ECOLE")
    produits = _rows(data, "produits")
    assert produits["ligne_insuffisance_previsionnelle"] == D(5000)
    assert _labels(data, "produits")["ligne_insuffisance_previsionnelle"] == (
        "Ressources propres affectées au projet (autofinancement)"
    )
    assert produits["total_produits"] == _rows(data, "charges")["total_charges"] == D(5000)


def test_budget_de_l_association_sans_charges_indirectes(
    communs: Callable[..., Any], asso: Path
) -> None:
    charges = _rows(_json(communs, "--version", "vote"), "charges")
    assert "charges_indirectes" not in charges


# --- Formats ------------------------------------------------------------------------------------


def test_xlsx_egale_json(communs: Callable[..., Any], asso: Path) -> None:
    data = _json(communs, "--version", "vote")
    result = communs("budget", "cerfa", "--version", "vote", "--sortie", "cerfa.xlsx")
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(asso / "cerfa.xlsx")
    assert workbook.sheetnames == [
        "Charges",
        "Produits",
        "Contributions volontaires",
        "Équilibre",
        "Totaux",
    ]
    for partie, sheet_name in zip(data["parties"], workbook.sheetnames, strict=False):
        sheet = workbook[sheet_name]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows.index(("Libellé", "Montant"))
        for expected, (label, value) in zip(partie["lignes"], rows[header + 1 :], strict=False):
            assert label == expected["libelle"]
            assert isinstance(value, int | float)
            assert D(str(value)).quantize(D("0.01")) == D(expected["valeurs"]["montant"])
        assert rows[header + len(partie["lignes"])][0] == partie["lignes"][-1]["libelle"]
    totals = {
        row[1]: row[2]
        for row in workbook["Totaux"].iter_rows(values_only=True)
        if row[1] in data["totaux"]
    }
    assert {name: D(str(value)).quantize(D("0.01")) for name, value in totals.items()} == {
        name: D(value) for name, value in data["totaux"].items()
    }
    bold = workbook["Charges"]
    total_row = next(row for row in bold.iter_rows() if row[0].value == "Total des charges")
    assert total_row[0].font.bold and total_row[1].font.bold


def test_csv_et_html(communs: Callable[..., Any], asso: Path) -> None:
    csv_result = communs("budget", "cerfa", "--version", "vote", "--format", "csv")
    assert csv_result.exit_code == 0, csv_result.output
    assert "produits,subvention_region,,Région(s),2,normal,20000.00" in csv_result.stdout
    html = communs("budget", "cerfa", "--version", "vote", "--format", "html")
    assert html.exit_code == 0, html.output
    assert "870 Bénévolat" in html.stdout and "Contrôle de l&#39;équilibre" in html.stdout
    table = communs("budget", "cerfa", "--version", "vote")
    assert table.exit_code == 0, table.output
    assert "Insuffisance prévisionnelle" in table.output


# --- Failures -----------------------------------------------------------------------------------


def test_version_inconnue(communs: Callable[..., Any], asso: Path) -> None:
    result = communs("budget", "cerfa", "--version", "initial")
    assert result.exit_code == 1
    assert one_line(result.output) == (
        "Erreur : version « initial » inconnue dans le budget 2026 (budgets/2026.yaml) : "
        "versions : vote (BP voté en AG), revise (BP révisé), cvn (Bénévolat revu), "
        "global (Lignes globales)"
    )


def test_projet_inconnu(communs: Callable[..., Any], asso: Path) -> None:
    result = communs("budget", "cerfa", "--projet", "CUISINE")
    assert result.exit_code == 1
    assert "projet « CUISINE » inconnu : projets de communs.yaml : ECOLE, JARDINS" in (
        one_line(result.output)
    )


def test_exercice_sans_budget(communs: Callable[..., Any], asso: Path) -> None:
    result = communs("budget", "cerfa", "--exercice", "2025")
    assert result.exit_code == 1
    assert "aucun budget pour l'exercice « 2025 » : budgets déclarés : 2026" in (
        one_line(result.output)
    )


def test_aucun_budget_declare(communs: Callable[..., Any], ledger_dir: Path) -> None:
    write_ledger(ledger_dir, LEDGER, config="association:\n  nom: Sans budget\n")
    result = communs("budget", "cerfa")
    assert result.exit_code == 1
    assert "aucun budget déclaré" in one_line(result.output)


def test_financeurs_invalides_dans_la_config(communs: Callable[..., Any], asso: Path) -> None:
    config = CONFIG + '  "6064": etat\n  Caf: commune\n'
    (asso / "communs.yaml").write_text(config, encoding="utf-8")
    result = communs("budget", "cerfa")
    assert result.exit_code == 1
    text = one_line(result.output)
    lines = config.splitlines()
    line_6064 = lines.index('  "6064": etat') + 1
    line_caf = lines.index("  Caf: commune") + 1
    assert (
        f"communs.yaml:{line_6064}: financeurs : « 6064 » : un numéro de compte de subvention "
        "commence par 74"
    ) in text
    assert f"communs.yaml:{line_caf}: financeurs : « Caf » répète « CAF »" in text
    (asso / "communs.yaml").write_text(CONFIG + "  Ville: mairie\n", encoding="utf-8")
    result = communs("budget", "cerfa")
    assert result.exit_code == 1
    assert "financeurs.Ville : valeur « mairie » non admise" in one_line(result.output)


# --- Data ---------------------------------------------------------------------------------------


def test_types_de_financeur_du_modele_et_de_la_config() -> None:
    assert tuple(modele_cerfa().financeurs) == TYPES_FINANCEUR
    raw = yaml.safe_load((plan_comptable_dir() / "cerfa_12156.yaml").read_text(encoding="utf-8"))
    ids = [
        item["id"]
        for partie in raw["parties"]
        for chapitre in partie["chapitres"]
        for item in [chapitre, *(chapitre.get("lignes") or [])]
    ]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("version", ["2018", "2025"])
def test_sous_comptes_numerotes_par_financeur_valides(version: str) -> None:
    chart = load_chart(version)
    for code in ("7411", "7412", "7419"):
        assert chart.check(code).state is CodeState.EXTENDS_POSTABLE, (version, code)


def test_chaque_compte_budgetable_a_une_ligne() -> None:
    """Every postable chart account of classes 6, 7, 86, 87 lands on a line of the table."""
    modele = modele_cerfa()
    from communs_ledger.rapports.modeles import longest_prefix

    for version in ("2018", "2025"):
        for code in load_chart(version).accounts:
            if code[:1] in "67" or code[:2] in ("86", "87"):
                assert longest_prefix(code, modele.index) is not None, (version, code)
