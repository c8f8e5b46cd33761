"""Issue 12, cash plan side: figures the plan used to guess silently, on small ledgers
computed by hand (real YAML files, real loader, real ``communs`` commands).

Ledger « La Compagnie du Calcul » (calendar exercices, chart 2025)
------------------------------------------------------------------
- 2 January 2026: apport of 5 000 € on the bank;
- rent 1 000 € paid on the 5th of January to April (6132), also a flow of
  ``previsions/flux.yaml`` (−1 000 on the 5th of every month);
- convention REG-2026 of the Région, 20 000 € (7411), notified on 10 February
  (441…:Region against 7411, tagged ``convention: "REG-2026"``): « avance » 50 %
  expected on 15 March, « solde » 50 % on 30 September;
- 18 March: the avance, 10 000 €, received on 441…:Region **without a tag**.

Last entry: the rent of 5 April. Bank on 5 April: 5 000 − 4 × 1 000 + 10 000 = 11 000.

The plan from April, six months (defect 1, « phantom subsidy receipt »):
opening 1 April 12 000; April 11 000 (the rent of the 5th, realised); May to August one
rent each: 10 000, 9 000, 8 000, 7 000; September 7 000 − 1 000 + 10 000 (solde) =
16 000. Low point 7 000 € (August). Before the fix, the avance was forecast again on
6 April (« en retard »): every month 10 000 higher, low point 17 000.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_ledger

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
CREANCE = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7411-Region"

OPENS = "\n".join(
    f"2026-01-01 open {account}" for account in (BANQUE, FONDS, LOYER, FOURNITURES, CREANCE, REGION)
)


def _rent(month: int) -> str:
    return f"""
2026-{month:02d}-05 * "SCI" "Loyer"
  {LOYER}  1000.00 EUR
  {BANQUE}
"""


def ledger(receipt_meta: str = "") -> str:
    return f"""
{OPENS}

2026-01-02 * "Apport initial"
  {BANQUE}  5000.00 EUR
  {FONDS}

2026-02-10 * "Région" "Notification REG-2026"
  convention: "REG-2026"
  {CREANCE}  20000.00 EUR
  {REGION}

2026-03-18 * "Région" "Avance de la subvention"{receipt_meta}
  {BANQUE}  10000.00 EUR
  {CREANCE}
""" + "".join(_rent(m) for m in range(1, 5))


CONFIG = """\
association:
  nom: La Compagnie du Calcul
conventions: conventions.yaml
previsions:
  flux: previsions/flux.yaml
"""

CONVENTIONS = """\
conventions:
  - reference: REG-2026
    financeur: Région Île-de-France
    type_financeur: region
    objet: Création 2026
    montant: 20000
    debut: 2026-01-01
    fin: 2026-12-31
    notification: 2026-02-10
    compte: "7411"
    versements:
      - {libelle: avance, part: 50, date: 2026-03-15}
      - {libelle: solde, part: 50, date: 2026-09-30}
"""

FLUX = """\
flux:
  - code: loyer
    libelle: Loyer
    montant: -1000
    compte: "6132"
    frequence: mensuel
    jour: 5
    debut: 2025-01-05
"""

MONTHS = [f"2026-{m:02d}" for m in range(4, 10)]


def write_compagnie(folder: Path, receipt_meta: str = "") -> Path:
    path = write_ledger(folder, ledger(receipt_meta), config=CONFIG)
    (folder / "previsions").mkdir()
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    (folder / "previsions" / "flux.yaml").write_text(FLUX, encoding="utf-8")
    return path


def _row(data: dict[str, Any], ligne: str, partie: str = "plan_base") -> list[str]:
    found = next(p for p in data["parties"] if p["id"] == partie)
    for item in found["lignes"]:
        if item["id"] == ligne:
            return [item["valeurs"][month] for month in MONTHS]
    raise AssertionError(f"pas de ligne {ligne}")


def _plan(communs: Callable[..., Any], path: Path, *args: str) -> dict[str, Any]:
    result = communs(
        "tresorerie", "-f", str(path), "--format", "json", "--depuis", "2026-04-01", *args
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- Defect 1: phantom subsidy receipt ----------------------------------------------------


def test_untagged_instalment_received_is_not_forecast_again(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    path = write_compagnie(tmp_path / "asso")
    data = _plan(communs, path, "--mois", "6")
    assert _row(data, "solde_final") == [
        "11000.00",
        "10000.00",
        "9000.00",
        "8000.00",
        "7000.00",
        "16000.00",
    ]
    assert data["totaux"]["point_bas"] == "7000.00"
    assert data["totaux"]["mois_point_bas"] == "2026-08"
    notes = " ".join(data["notes"])
    assert "REG-2026, versement « avance » : considéré comme reçu" in notes
    assert "10 000,00 € le 18 mars 2026" in notes.replace("\u202f", " ").replace("\xa0", " ")
    assert "main.beancount:" in notes
    # the atterrissage says it too, and does not recognise the convention's produit twice
    result = communs("prevision", "atterrissage", "-f", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    atterrissage = json.loads(result.stdout)
    assert any("versement « avance » : considéré comme reçu" in n for n in atterrissage["notes"])
    assert atterrissage["totaux"]["concours_publics_subventions"] == "20000.00"


def test_verifier_warns_of_the_untagged_receipt_with_its_line(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    path = write_compagnie(tmp_path / "asso")
    line = next(
        number
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "Avance de la subvention" in text
    )
    result = communs("verifier", "-f", str(path))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert f"main.beancount:{line}: encaissement de 10 000,00" in text.replace("\u202f", " ")
    assert "convention probable REG-2026, versement « avance »" in text


def test_unknown_convention_tag_is_an_error_at_its_line(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    path = write_compagnie(tmp_path / "asso", '\n  convention: "REG-2062"')
    line = next(
        number
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "Avance de la subvention" in text
    )
    result = communs("verifier", "-f", str(path))
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())
    assert f"main.beancount:{line}: convention « REG-2062 » inconnue de " in text
    assert "conventions.yaml (conventions déclarées : REG-2026)" in text
    plan = communs("tresorerie", "-f", str(path))
    assert plan.exit_code == 1
    assert "REG-2062" in plan.output
    atterrissage = communs("prevision", "atterrissage", "-f", str(path))
    assert atterrissage.exit_code == 1
    assert "REG-2062" in atterrissage.output


# --- Defect 3: double count in a half-realised month --------------------------------------

BUDGET_2026 = """\
versions:
  - code: vote
    nom: Budget voté
    date: 2026-01-15
    lignes:
      - {compte: "6132", libelle: Loyer, montant: 12000}
"""

FOURNITURES_DU_7 = f"""
2026-04-07 * "Papeterie" "Fournitures"
  {FOURNITURES}  100.00 EUR
  {BANQUE}
"""


def write_mi_mois(folder: Path) -> Path:
    """The compagnie, its avance tagged, a budget 2026 (rent 12 000, 1 000 a month, covered
    by the rent flow) and a last entry on 7 April (fournitures 100 €)."""
    path = write_compagnie(folder, '\n  convention: "REG-2026"')
    with path.open("a", encoding="utf-8") as handle:
        handle.write(FOURNITURES_DU_7)
    config = CONFIG + 'budget:\n  fichiers:\n    "2026": budgets/2026.yaml\n'
    (folder / "communs.yaml").write_text(config, encoding="utf-8")
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(BUDGET_2026, encoding="utf-8")
    return path


def test_realised_flow_consumes_its_part_of_the_month(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    """Last entry on 7 April; the rent of 5 April is realised. The budget line 6132
    (1 000 a month) is covered by the flow: April to December it budgets 9 000, the ledger
    holds 1 000 (5 April) and the flow forecasts 8 000 (May to December): nothing left.
    Before: April's budget counted from the 8th (23/30 of 1 000 = 766,67) minus the
    flow's 8 000 over 8 766,67 left a phantom rent of 766,67 € spread over the months."""
    path = write_mi_mois(tmp_path / "asso")
    data = _plan(communs, path, "--mois", "6")
    assert _row(data, "solde_final") == [
        "10900.00",
        "9900.00",
        "8900.00",
        "7900.00",
        "6900.00",
        "15900.00",
    ]
    assert _row(data, "decaissement:loyer") == ["1000.00"] * 6

    result = communs("prevision", "atterrissage", "-f", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    atterrissage = json.loads(result.stdout)
    # 12 rents of 1 000 (4 realised, 8 forecast) + fournitures 100; produits: 20 000.
    assert atterrissage["totaux"]["autres_achats_charges_externes"] == "12100.00"


# --- Defect 2: a year without a budget; plan and multi-year projection agree --------------

SANS_BUDGET_2027 = """\
association:
  nom: La Compagnie du Calcul
previsions:
  flux: previsions/flux.yaml{sans_budget}
  croissance: {{charges: {charges}, produits: {produits}}}
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

LIGNES = {
    "6132": "Loyer",
    "6064": "Fournitures",
    "6226": "Honoraires",
    "756": "Cotisations",
    "706": "Prestations",
    "7411": "Subvention",
}


def _compagnie_sans_budget(
    folder: Path,
    last: tuple[int, int],
    lignes: dict[str, int],
    loyer: int,
    sans_budget: str,
    charges: str,
    produits: str,
) -> Path:
    body = f"""
{OPENS}

2026-01-02 * "Apport initial"
  {BANQUE}  50000.00 EUR
  {FONDS}

2026-{last[0]:02d}-{last[1]:02d} * "Papeterie" "Dernière écriture"
  {FOURNITURES}  10.00 EUR
  {BANQUE}
"""
    mode = sans_budget
    path = write_ledger(
        folder,
        body,
        config=SANS_BUDGET_2027.format(
            # the default (dernier_budget) is left implicit
            sans_budget="" if sans_budget == "dernier_budget" else f"\n  sans_budget: {mode}",
            charges=charges,
            produits=produits,
        ),
    )
    (folder / "previsions").mkdir()
    (folder / "previsions" / "flux.yaml").write_text(
        FLUX.replace("-1000", f"-{loyer}") if loyer else "flux: []\n", encoding="utf-8"
    )
    (folder / "budgets").mkdir()
    lines = "".join(
        f'      - {{compte: "{code}", libelle: {LIGNES[code]}, montant: {amount}}}\n'
        for code, amount in lignes.items()
    )
    (folder / "budgets" / "2026.yaml").write_text(
        BUDGET_2026.replace(
            '      - {compte: "6132", libelle: Loyer, montant: 12000}\n', lines or ""
        ).replace("    lignes:\n", "    lignes:\n" if lines else "    lignes: []\n"),
        encoding="utf-8",
    )
    return path


def _plan_et_projection(path: Path, last: tuple[int, int]) -> tuple[Any, Any, Any]:
    from communs_ledger.budget.fichier import load_budgets
    from communs_ledger.chargement import load_livre
    from communs_ledger.previsions.entrees import charger_entrees
    from communs_ledger.previsions.plan import plan_de_tresorerie
    from communs_ledger.previsions.pluriannuelle import pluriannuelle
    from communs_ledger.rapports.source import Source

    livre = load_livre(path)
    assert livre.ok, livre.diagnostics
    source = Source.from_livre(livre)
    entrees = charger_entrees(source.context)
    assert not entrees.erreurs, entrees.erreurs
    plan = plan_de_tresorerie(source, entrees, mois=12 - last[0] + 1 + 12)
    budgets = load_budgets(source.context)
    projection = pluriannuelle(source, entrees, budgets, annees=1)
    return plan, projection, source


@settings(max_examples=30, deadline=None)
@given(
    last=st.tuples(st.integers(1, 12), st.integers(1, 28)),
    lignes=st.dictionaries(st.sampled_from(sorted(LIGNES)), st.integers(1, 30000), max_size=6),
    loyer=st.sampled_from([0, 700, 1000]),
    sans_budget=st.sampled_from(["dernier_budget", "rien"]),
    charges=st.sampled_from(["0", "1.5", "2", "3.7"]),
    produits=st.sampled_from(["0", "1", "2.5"]),
)
def test_le_plan_et_la_projection_pluriannuelle_finissent_l_annee_au_meme_solde(
    last: tuple[int, int],
    lignes: dict[str, int],
    loyer: int,
    sans_budget: str,
    charges: str,
    produits: str,
) -> None:
    """Invariant: from the same files, the monthly plan to December 2027 and the
    multi-year projection give the same year-end cash of 2027 — also when 2027 has no
    budget (the last budget carried over and grown, or nothing). Before the fix the plan
    forecast nothing from a missing budget while the projection carried the last one."""
    with tempfile.TemporaryDirectory() as folder:
        path = _compagnie_sans_budget(
            Path(folder) / "asso", last, lignes, loyer, sans_budget, charges, produits
        )
        plan, projection, _source = _plan_et_projection(path, last)
        assert plan.totaux["base"]["solde_final"] == projection.totaux["n_plus_1"]["tresorerie_fin"]


def test_un_exercice_sans_budget_le_dit_dans_le_plan(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    """Budget 2026 only: rent 12 000 (covered by the rent flow) and cotisations 1 200
    (100 a month, uniform). Last entry 7 November 2026. With ``sans_budget: rien`` 2027
    forecasts only the rent: January 2027 closing = December's − 1 000. With
    ``dernier_budget`` and produits +2,5 %: cotisations 1 230 in 2027, 102,50 a month."""
    lignes = {"6132": 12000, "756": 1200}
    rien = _compagnie_sans_budget(tmp_path / "rien", (11, 7), lignes, 1000, "rien", "0", "0")
    data = json.loads(
        communs("tresorerie", "-f", str(rien), "--format", "json", "--mois", "3").stdout
    )
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    budget = next(r for r in partie["lignes"] if r["id"] == "budget")
    assert budget["valeurs"] == {"2026-11": "2026", "2026-12": "2026", "2027-01": "aucun"}
    assert data["meta"]["mois_sans_budget"] == ["2027-01"]
    assert any("Mois sans budget : janvier 2027" in a for a in data["avertissements"])
    cotisations = next(r for r in partie["lignes"] if r["id"] == "encaissement:cotisations")
    # November half realised (last entry the 7th): its 100 less the cotisations booked
    # from the 1st to the 7th (none) = 100; December 100; January nothing.
    assert cotisations["valeurs"] == {"2026-11": "100.00", "2026-12": "100.00", "2027-01": "0.00"}
    text = communs("tresorerie", "-f", str(rien), "--mois", "3").stdout
    assert "aucun" in text and "Mois sans budget" in text
    html = communs("tresorerie", "-f", str(rien), "--mois", "3", "--format", "html").stdout
    assert "aucun" in html and "Mois sans budget" in html
    classeur = tmp_path / "plan.xlsx"
    assert (
        communs("tresorerie", "-f", str(rien), "--mois", "3", "--sortie", str(classeur)).exit_code
        == 0
    )
    from openpyxl import load_workbook

    cells = {
        str(cell.value)
        for sheet in load_workbook(classeur).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert "aucun" in cells and any("Mois sans budget" in c for c in cells)
    # Fava: the Trésorerie page's table and the dashboard's message
    from fava_pages import fava_client, lire_page

    with rien.open("a", encoding="utf-8") as handle:
        handle.write('\n2026-01-01 custom "fava-extension" "communs_ledger.fava_ext"\n')
    client, slug = fava_client(rien)
    page = client.get(f"/{slug}/extension/Tresorerie/?mois=3")
    assert page.status_code == 200
    assert "Mois sans budget" in page.get_data(as_text=True)
    tableau = client.get(f"/{slug}/extension/TableauDeBord/")
    assert tableau.status_code == 200
    lue = lire_page(tableau.get_data(as_text=True))
    assert any("Mois sans budget" in m for m in lue.messages), lue.messages

    reconduit = _compagnie_sans_budget(
        tmp_path / "reconduit", (11, 7), lignes, 1000, "dernier_budget", "0", "2.5"
    )
    data = json.loads(
        communs("tresorerie", "-f", str(reconduit), "--format", "json", "--mois", "3").stdout
    )
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    budget = next(r for r in partie["lignes"] if r["id"] == "budget")
    assert budget["valeurs"]["2027-01"] == "2026 reconduit"
    cotisations = next(r for r in partie["lignes"] if r["id"] == "encaissement:cotisations")
    assert cotisations["valeurs"]["2027-01"] == "102.50"
    assert any("Exercice 2027 sans budget : le budget 2026" in n for n in data["notes"])
    projection = communs(
        "prevision", "pluriannuelle", "-f", str(rien), "--annees", "1", "--format", "json"
    )
    assert projection.exit_code == 0, projection.output
    assert any(
        "Exercice 2027 sans budget (communs.yaml, previsions.sans_budget : rien)" in a
        for a in json.loads(projection.stdout)["avertissements"]
    )


# --- Defect 6: tables add up to the cent; opening entry; threshold -----------------------

REPORT = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
PRESTATIONS = "Produits:70-Ventes:706-Prestations-de-services"


def write_ouverture(folder: Path) -> Path:
    """Opening entry on 1 January 2026 (bank 8 000 against the report à nouveau), rent
    1 000 on the 5th of January to March, fournitures 500 on 31 March (the last entry, a
    month end); a budget 2026: rent 1 000, cotisations 1 000, prestations 1 000 (uniform)."""
    body = (
        f"""
2026-01-01 open {BANQUE} EUR
2026-01-01 open {REPORT}
2026-01-01 open {LOYER}
2026-01-01 open {FOURNITURES}

2026-01-01 * "Reprise des soldes du bilan au 31 décembre 2025"
  {BANQUE}  8000.00 EUR
  {REPORT}
"""
        + "".join(_rent(m) for m in range(1, 4))
        + f"""
2026-03-31 * "Papeterie" "Fournitures"
  {FOURNITURES}  500.00 EUR
  {BANQUE}
"""
    )
    config = (
        "association:\n  nom: La Compagnie du Calcul\n"
        'budget:\n  fichiers:\n    "2026": budgets/2026.yaml\n'
    )
    path = write_ledger(folder, body, config=config)
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(
        BUDGET_2026.replace(
            '      - {compte: "6132", libelle: Loyer, montant: 12000}\n',
            '      - {compte: "6132", libelle: Loyer, montant: 1000}\n'
            '      - {compte: "756", libelle: Cotisations, montant: 1000}\n'
            '      - {compte: "706", libelle: Prestations, montant: 1000}\n',
        ),
        encoding="utf-8",
    )
    return path


def test_l_ecriture_d_ouverture_n_est_pas_un_encaissement(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    """January: opening 8 000 (the opening entry), no receipt, rent 1 000 → 7 000; February
    6 000; March 6 000 − 1 000 − 500 = 4 500. Before: the 8 000 were « Autres
    encaissements » of January and January opened at 0."""
    path = write_ouverture(tmp_path / "asso")
    result = communs(
        "tresorerie", "-f", str(path), "--format", "json", "--depuis", "2026-01-01", "--mois", "3"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    rows = {r["id"]: r["valeurs"] for r in partie["lignes"]}
    assert rows["solde_initial"]["2026-01"] == "8000.00"
    assert rows["total_encaissements"] == {"2026-01": "0.00", "2026-02": "0.00", "2026-03": "0.00"}
    assert rows["solde_final"] == {"2026-01": "7000.00", "2026-02": "6000.00", "2026-03": "4500.00"}


def test_le_seuil_compte_le_dernier_mois_complet(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    """Last entry on 31 March: March is complete. Threshold = average payments of January
    to March: (1 000 + 1 000 + 1 500) / 3 = 1 166,67. Before: January and February only,
    1 000."""
    path = write_ouverture(tmp_path / "asso")
    data = json.loads(communs("tresorerie", "-f", str(path), "--format", "json").stdout)
    assert data["meta"]["seuil"] == "1166.67"
    assert any("de janvier 2026 à mars 2026, 3 mois" in note for note in data["notes"])


def test_le_budget_a_date_s_additionne_au_centime(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    """Budget to 7 April (an entry that day): each line of 1 000 spreads 83,33 a month (the
    last month 83,37); to date: 3 × 83,33 + 83,33 × 7/30 = 249,99 + 19,44 = 269,43 per
    line. Produits 2 × 269,43 = 538,86, charges 269,43, résultat 269,43 = 538,86 − 269,43.
    Before: each line 269,4337…: produits 538,87 printed, résultat 269,43 — one cent off."""
    path = write_ouverture(tmp_path / "asso")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f'\n2026-04-07 * "Papeterie" "Fournitures"\n  {FOURNITURES}  1.00 EUR\n')
        handle.write(f"  {BANQUE}\n")
    result = communs("budget", "-f", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    totaux = json.loads(result.stdout)["totaux_par_colonne"]["budget_a_date"]
    assert totaux["total_produits"] == "538.86"
    assert totaux["total_charges"] == "269.43"
    assert totaux["resultat"] == "269.43"


# --- Cash alerts: authorised overdraft ------------------------------------------------------


def test_le_decouvert_autorise_separe_danger_et_sous_le_seuil(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    """The hand-computed plan of test_tresorerie_calcule_a_la_main: scenario « retard »
    closes November 2026 at −2 318,80. Without an authorised overdraft it is « danger »;
    with ``decouvert_autorise: 3000`` it is only « sous le seuil » (above −3 000)."""
    from test_tresorerie_calcule_a_la_main import CONFIG, MONTHS, write_association

    ledger = write_association(tmp_path / "asso", CONFIG + "  decouvert_autorise: 3000\n")
    result = communs(
        "tresorerie",
        "-f",
        str(ledger),
        "--format",
        "json",
        "--depuis",
        "2026-02-01",
        "--scenario",
        "base,retard",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["meta"]["decouvert_autorise"] == "3000"
    assert data["meta"]["mois_en_danger"] == {"base": [], "retard": []}
    partie = next(p for p in data["parties"] if p["id"] == "plan_retard")
    alerte = next(r for r in partie["lignes"] if r["id"] == "alerte")["valeurs"]
    assert alerte["2026-11"] == "sous le seuil"
    assert [m for m in MONTHS if alerte[m]] == ["2026-04", "2026-10", "2026-11", "2027-01"]
    text = communs(
        "tresorerie", "-f", str(ledger), "--depuis", "2026-02-01", "--scenario", "base,retard"
    ).stdout
    assert "sous le seuil : avr. 2026, oct. 2026, nov. 2026, janv. 2027" in " ".join(text.split())


# --- Payment delays on budget lines ---------------------------------------------------------


def test_les_delais_de_paiement_du_budget(tmp_path: Path, communs: Callable[..., Any]) -> None:
    """The ledger of the opening-entry test (last entry 31 March, cash 4 500), its budget
    with prestations (706) ``delai: 60`` and ``delais: {"61": 30}`` on the version. Each
    line spreads 83,33 a month. April–July: cotisations received at each month end;
    prestations of April (30 April) paid 29 June, of May 30 July; the rent of April
    (30 April) paid 30 May, of May 30 June, of June 30 July. Closings: April
    4 500 + 83,33 = 4 583,33; May 4 583,33; June 4 666,66; July 4 749,99."""
    path = write_ouverture(tmp_path / "asso")
    budget = path.parent / "budgets" / "2026.yaml"
    text = budget.read_text(encoding="utf-8")
    text = text.replace(
        '{compte: "706", libelle: Prestations, montant: 1000}',
        '{compte: "706", libelle: Prestations, montant: 1000, delai: 60}',
    )
    text = text.replace("    lignes:\n", '    delais: {"61": 30}\n    lignes:\n')
    budget.write_text(text, encoding="utf-8")
    result = communs(
        "tresorerie", "-f", str(path), "--format", "json", "--depuis", "2026-04-01", "--mois", "4"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    rows = {r["id"]: r["valeurs"] for r in partie["lignes"]}
    months = ["2026-04", "2026-05", "2026-06", "2026-07"]
    assert [rows["encaissement:prestations"][m] for m in months] == [
        "0.00",
        "0.00",
        "83.33",
        "83.33",
    ]
    assert [rows["decaissement:loyer"][m] for m in months] == ["0.00", "83.33", "83.33", "83.33"]
    assert [rows["solde_final"][m] for m in months] == [
        "4583.33",
        "4583.33",
        "4666.66",
        "4749.99",
    ]


def test_un_delai_impossible_est_refuse_avec_sa_ligne(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    path = write_ouverture(tmp_path / "asso")
    budget = path.parent / "budgets" / "2026.yaml"
    budget.write_text(
        budget.read_text(encoding="utf-8").replace(
            "montant: 1000}\n", "montant: 1000, delai: -30}\n", 1
        ),
        encoding="utf-8",
    )
    result = communs("verifier", "-f", str(path))
    assert result.exit_code == 1
    assert "2026.yaml:6" in result.output and "délai de paiement en jours" in result.output


# --- Cash by account; « arrêté au » -------------------------------------------------------

LIVRET = "Actif:51-Banques:512-Banques:Livret"


def test_tresorerie_par_compte(tmp_path: Path, communs: Callable[..., Any]) -> None:
    """The mid-month compagnie (last entry 7 April) with 3 000 moved to a savings account
    on 20 March. End of March: Compte courant 12 000 − 3 000 = 9 000, Livret 3 000; April
    (at the 7th): 9 000 − 1 000 − 100 = 7 900 and 3 000, forecasts after: none in April
    (the rent of May is on the 5th) → 0; May: the forecast rent (−1 000) is not split
    by account: 10 900 − 1 000 = 9 900 total."""
    path = write_mi_mois(tmp_path / "asso")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n2026-01-01 open {LIVRET} EUR\n\n2026-03-20 * "Épargne"\n'
            f"  {LIVRET}  3000.00 EUR\n  {BANQUE}\n"
        )
    result = communs(
        "tresorerie",
        "-f",
        str(path),
        "--format",
        "json",
        "--depuis",
        "2026-03-01",
        "--mois",
        "3",
        "--par-compte",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    partie = next(p for p in data["parties"] if p["id"] == "par_compte")
    rows = {r["id"]: r for r in partie["lignes"]}
    courant = rows[f"compte:{BANQUE}"]
    assert courant["libelle"] == "512 Compte courant"
    assert courant["valeurs"] == {"2026-03": "9000.00", "2026-04": "7900.00", "2026-05": None}
    assert rows[f"compte:{LIVRET}"]["valeurs"]["2026-04"] == "3000.00"
    assert rows["prevus_non_repartis"]["valeurs"] == {
        "2026-03": "0.00",
        "2026-04": "0.00",
        "2026-05": "9900.00",
    }
    assert rows["solde_final"]["valeurs"] == {
        "2026-03": "12000.00",
        "2026-04": "10900.00",
        "2026-05": "9900.00",
    }


def test_tresorerie_par_compte_plan_entierement_prevu(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    """A plan from May (last entry 7 April): every month forecast. As documented, the
    accounts (Compte courant, Livret) keep their rows, empty, and « Mouvements prévus »
    carries the whole closing: May 10 900 − 1 000 (rent) = 9 900, June 8 900. Before,
    the accounts had no row at all and the note spoke of real balances."""
    path = write_mi_mois(tmp_path / "asso")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n2026-01-01 open {LIVRET} EUR\n\n2026-03-20 * "Épargne"\n'
            f"  {LIVRET}  3000.00 EUR\n  {BANQUE}\n"
        )
    result = communs(
        "tresorerie", "-f", str(path), "--format", "json", "--depuis", "2026-05-01",
        "--mois", "2", "--par-compte",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    partie = next(p for p in data["parties"] if p["id"] == "par_compte")
    rows = {r["id"]: r for r in partie["lignes"]}
    assert rows[f"compte:{BANQUE}"]["valeurs"] == {"2026-05": None, "2026-06": None}
    assert rows[f"compte:{LIVRET}"]["valeurs"] == {"2026-05": None, "2026-06": None}
    attendu = {"2026-05": "9900.00", "2026-06": "8900.00"}
    assert rows["prevus_non_repartis"]["valeurs"] == attendu
    assert rows["solde_final"]["valeurs"] == attendu
    assert partie["notes"][0].startswith("Tous les mois du plan sont prévus")


def test_arrete_au(tmp_path: Path, communs: Callable[..., Any]) -> None:
    """``--au 2026-03-31``: the fournitures of 7 April and the rent of 5 April are ignored;
    March is realised (closing 12 000), April forecast from the 1st: the rent flow of the
    5th (−1 000) → 11 000; May 10 000. The budget line 6132 (covered by the flow) adds
    nothing. The threshold averages January to March (complete at 31 March): 1 000."""
    path = write_mi_mois(tmp_path / "asso")
    result = communs(
        "tresorerie", "-f", str(path), "--format", "json", "--au", "2026-03-31", "--mois", "3"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    rows = {r["id"]: r["valeurs"] for r in partie["lignes"]}
    assert rows["nature"] == {"2026-03": "réalisé", "2026-04": "prévu", "2026-05": "prévu"}
    assert rows["solde_final"] == {
        "2026-03": "12000.00",
        "2026-04": "11000.00",
        "2026-05": "10000.00",
    }
    assert data["meta"]["arrete_au"] == "2026-03-31"
    assert data["meta"]["seuil"] == "1000.00"
    assert data["notes"][0].startswith("Arrêté au 31 mars 2026 (--au)")


def test_le_budget_reconduit_garde_ses_delais(tmp_path: Path, communs: Callable[..., Any]) -> None:
    """Budget 2026 only, cotisations 1 200 (100 a month, dated at each month end) with
    ``delai: 60``; last entry 7 November 2026; 2027 carries the 2026 budget over with
    produits +2,5 % (102,50 a month) and must keep the line's 60 days. November's part
    left (its 100, nothing booked on 756 by the 7th: the rest of a half-realised month;
    dated 30 November) arrives 29 January 2027,
    December's 100 (31 December) on 1 March, January 2027's 102,50 (31 January) on
    1 April and February's (28 February) on 29 April, March's (31 March) on 30 May.
    Nothing arrives in November, December or February."""
    path = _compagnie_sans_budget(
        tmp_path / "reconduit", (11, 7), {"756": 1200}, 0, "dernier_budget", "0", "2.5"
    )
    budget = path.parent / "budgets" / "2026.yaml"
    text = budget.read_text(encoding="utf-8")
    assert "montant: 1200}" in text
    budget.write_text(text.replace("montant: 1200}", "montant: 1200, delai: 60}"), "utf-8")
    result = communs("tresorerie", "-f", str(path), "--format", "json", "--mois", "7")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    cotisations = next(r for r in partie["lignes"] if r["id"] == "encaissement:cotisations")
    assert cotisations["valeurs"] == {
        "2026-11": "0.00",
        "2026-12": "0.00",
        "2027-01": "100.00",
        "2027-02": "0.00",
        "2027-03": "100.00",
        "2027-04": "205.00",
        "2027-05": "102.50",
    }
