"""Fixed assets: depreciation plans, the register of an exercice, writing the dotations and
a disposal, on a small ledger written here (figures computed by hand in the comments),
through the real loader, files and ``communs`` command.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.immobilisations.calcul import jours_360, plan_d_amortissement
from communs_ledger.immobilisations.rapport import compute_immobilisations, registre_du_livre
from communs_ledger.plan import VERSIONS, comptes_des_immobilisations, load_chart
from communs_ledger.rapports.bilan import compute_bilan
from communs_ledger.rapports.source import Source
from conftest import EXEMPLE, ROOT_OPTIONS

D = Decimal
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS_PROPRES = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
VELO = "Actif:21-Immobilisations-corporelles:2182-Materiel-de-transport"
ORDI = "Actif:21-Immobilisations-corporelles:2183-Materiel-de-bureau-et-informatique"
LOGICIEL = "Actif:20-Immobilisations-incorporelles:205-Logiciels"
AMORT_VELO = "Actif:28-Amortissements:28182-Amortissements-velo"
DOTATION = "Charges:68-Dotations:6811-Dotations-aux-amortissements"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"

MAIN = (
    ROOT_OPTIONS
    + """\
option "title" "Atelier vélo"
option "operating_currency" "EUR"
plugin "communs_plugins.plan_comptable"

include "2025.beancount"
include "2026.beancount"
include "2027.beancount"
"""
)

# The VELO dotation of 2025 (900,00) is booked by hand, without `immobilisation:`: its
# depreciation account holds this asset only, so it counts as booked.
E2025 = f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {FONDS_PROPRES}
2025-01-01 open {VELO}
2025-01-01 open {ORDI}
2025-01-01 open {LOGICIEL}
2025-01-01 open {AMORT_VELO}
2025-01-01 open {DOTATION}
2025-01-01 open {LOYER}

2025-01-01 * "Apport"
  {BANQUE}  20000.00 EUR
  {FONDS_PROPRES}

2025-01-01 * "Éditeur" "Logiciel de gestion"
  {LOGICIEL}  1000.00 EUR
  {BANQUE}

2025-04-01 * "Cycles" "Vélo cargo"
  {VELO}  3600.00 EUR
  {BANQUE}

2025-07-15 * "Informatique" "Ordinateur"
  {ORDI}  1500.00 EUR
  {BANQUE}

2025-12-31 * "Dotation 2025 du vélo, passée à la main"
  {DOTATION}  900.00 EUR
  {AMORT_VELO}  -900.00 EUR
"""


def _loyer(year: int) -> str:
    return f'{year}-02-01 * "SCI" "Loyer"\n  {LOYER}  500.00 EUR\n  {BANQUE}\n'


REGISTRE = """\
immobilisations:
  - id: VELO
    libelle: Vélo cargo
    compte: "2182"
    compte_amortissement: "28182"
    valeur_origine: 3600.00
    mise_en_service: 2025-04-01
    duree: 3
  - id: LOGICIEL
    libelle: Logiciel de gestion
    compte: "205"
    valeur_origine: 1000.00
    mise_en_service: 2025-01-01
    duree: 3
  - id: ORDI
    libelle: Ordinateur
    compte: "2183"
    valeur_origine: 1500.00
    mise_en_service: 2025-07-15
    duree: 3
    cession:
      date: 2026-06-30
      prix: 400.00
"""

CONFIG = """\
association:
  nom: Atelier vélo
immobilisations: immobilisations.yaml
"""


def _ledger(folder: Path, registre: str = REGISTRE) -> Path:
    (folder / "main.beancount").write_text(MAIN, encoding="utf-8")
    for year, body in (("2025", E2025), ("2026", _loyer(2026)), ("2027", _loyer(2027))):
        (folder / f"{year}.beancount").write_text(ROOT_OPTIONS + body, encoding="utf-8")
    (folder / "communs.yaml").write_text(CONFIG, encoding="utf-8")
    (folder / "immobilisations.yaml").write_text(registre, encoding="utf-8")
    return folder / "main.beancount"


def _source(main: Path) -> Source:
    livre = load_livre(main)
    assert livre.ok, livre.diagnostics
    return Source.from_livre(livre)


def _json(communs, main: Path, *args: str) -> dict:
    result = communs("immobilisations", "-f", str(main), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_jours_sur_l_annee_de_360_jours() -> None:
    # 1 April to 1 January: 9 months of 30 days; a 31st counts as the 30th.
    assert jours_360(datetime.date(2025, 4, 1), datetime.date(2026, 1, 1)) == 270
    assert jours_360(datetime.date(2024, 3, 12), datetime.date(2025, 1, 1)) == 289
    assert jours_360(datetime.date(2025, 1, 31), datetime.date(2025, 3, 1)) == 31
    assert jours_360(datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)) == 360


def test_plans_computed_by_hand(tmp_path: Path) -> None:
    source = _source(_ledger(tmp_path))
    registre = registre_du_livre(source)
    calendrier = source.context.calendrier

    def plan(identifiant: str) -> list[tuple[str, int, Decimal]]:
        item = registre.get(identifiant)
        assert item is not None
        return [
            (a.exercice.code, a.jours, a.dotation) for a in plan_d_amortissement(item, calendrier)
        ]

    # 3 600 / 3 = 1 200 a year; 2025 from 1 April: 270/360 → 900; 2028: 90 days, the rest.
    assert plan("VELO") == [
        ("2025", 270, D("900.00")),
        ("2026", 360, D("1200.00")),
        ("2027", 360, D("1200.00")),
        ("2028", 90, D("300.00")),
    ]
    # 1 000 / 3 = 333,333…: 333,33 twice, the last year absorbs the rounding (333,34).
    assert plan("LOGICIEL") == [
        ("2025", 360, D("333.33")),
        ("2026", 360, D("333.33")),
        ("2027", 360, D("333.34")),
    ]
    # 1 500 / 3 = 500 a year; 2025 from 15 July: 360 − 180 − 14 = 166 days → 230,555… →
    # 230,56; sold on 30 June 2026: 180 days → 250,00, and the plan stops there.
    assert plan("ORDI") == [("2025", 166, D("230.56")), ("2026", 180, D("250.00"))]


def test_plan_command(tmp_path: Path, communs) -> None:
    main = _ledger(tmp_path)
    doc = _json(communs, main, "--plan", "VELO")
    lignes = doc["parties"][0]["lignes"]
    assert [(row["id"], row["valeurs"]["dotation"], row["valeurs"]["vnc"]) for row in lignes] == [
        ("2025", "900.00", "2700.00"),
        ("2026", "1200.00", "1500.00"),
        ("2027", "1200.00", "300.00"),
        ("2028", "300.00", "0.00"),
        ("total", "3600.00", None),
    ]
    unknown = communs("immobilisations", "-f", str(main), "--plan", "TRAIN")
    assert unknown.exit_code == 1
    assert "immobilisation « TRAIN » inconnue du registre" in unknown.output


def test_register_2025_then_write_twice(tmp_path: Path, communs) -> None:
    main = _ledger(tmp_path)
    doc = _json(communs, main, "-e", "2025")
    # Brut 3 600 + 1 000 + 1 500 = 6 100; dotations 900 + 333,33 + 230,56 = 1 463,89;
    # VNC 6 100 − 1 463,89 = 4 636,11. Booked: the 900 of the vélo; to write 563,89.
    assert doc["totaux"] == {
        "brut": "6100.00",
        "amortissements_ouverture": "0.00",
        "dotations": "1463.89",
        "reprises": "0.00",
        "amortissements": "1463.89",
        "vnc": "4636.11",
        "a_passer": "563.89",
    }
    target = tmp_path / "2025.beancount"
    written = communs("immobilisations", "-f", str(main), "-e", "2025", "--ecrire", str(target))
    assert written.exit_code == 0, written.output
    text = target.read_text(encoding="utf-8")
    assert text.count("immobilisation:") == 2  # LOGICIEL and ORDI, not the vélo again
    assert "2025-12-31 open Actif:28-Amortissements:2805-" in text
    assert "2025-12-31 open Actif:28-Amortissements:28183-Amortissements-materiel-de-bureau" in text
    assert f"  {DOTATION}" in text and "333.33 EUR" in text and "-230.56 EUR" in text

    again = communs("immobilisations", "-f", str(main), "-e", "2025", "--ecrire", str(target))
    assert again.exit_code == 0, again.output
    assert "Rien à écrire" in again.output
    assert target.read_text(encoding="utf-8") == text
    after = _json(communs, main, "-e", "2025")
    assert after["totaux"]["a_passer"] == "0.00"
    assert after["avertissements"] == []  # the ledger's 2x and 28x balances = the register


def test_disposal_2026(tmp_path: Path, communs) -> None:
    main = _ledger(tmp_path)
    for year in ("2025", "2026"):
        target = tmp_path / f"{year}.beancount"
        done = communs("immobilisations", "-f", str(main), "-e", year, "--ecrire", str(target))
        assert done.exit_code == 0, done.output
    text = (tmp_path / "2026.beancount").read_text(encoding="utf-8")
    # ORDI: cumul 230,56 + 250,00 = 480,56 reversed; VNC 1 500 − 480,56 = 1 019,44 to 652
    # (chart 2025); price 400 to the receivable 462 and the product 757.
    assert '2026-06-30 * "Cession : Ordinateur (ORDI)"' in text
    bloc = text.split('"Cession : Ordinateur (ORDI)"')[1]
    assert "28183-Amortissements-materiel-de-bureau" in bloc.splitlines()[2]
    for amount in ("480.56 EUR", "1019.44 EUR", "-1500.00 EUR", "400.00 EUR", "-400.00 EUR"):
        assert amount in bloc
    assert ":652-" in bloc and ":757-" in bloc and ":462-" in bloc
    # The dotation of the year of the sale runs to the sale date, and is dated that day.
    assert '2026-06-30 * "Dotation aux amortissements 2026 : Ordinateur (ORDI)"' in text

    doc = _json(communs, main, "-e", "2026")
    # Brut 3 600 + 1 000 (the ordinateur left); amortissements at the opening
    # 900 + 333,33 + 230,56 = 1 463,89; dotations 1 200 + 333,33 + 250 = 1 783,33;
    # reversal 480,56; at the closing 2 100 + 666,66 = 2 766,66; VNC 4 600 − 2 766,66.
    assert doc["totaux"] == {
        "brut": "4600.00",
        "amortissements_ouverture": "1463.89",
        "dotations": "1783.33",
        "reprises": "480.56",
        "amortissements": "2766.66",
        "vnc": "1833.34",
        "a_passer": "0.00",
    }
    assert doc["avertissements"] == []
    ordi = next(row for row in doc["parties"][0]["lignes"] if row["id"] == "ORDI")
    assert ordi["valeurs"]["brut"] == "0.00" and ordi["valeurs"]["vnc"] == "0.00"
    # 2027: the ordinateur is gone.
    ids = [row["id"] for row in _json(communs, main, "-e", "2027")["parties"][0]["lignes"]]
    assert ids == ["VELO", "LOGICIEL", "total"]


def test_the_compte_de_resultat_shows_the_written_entries(tmp_path: Path, communs) -> None:
    main = _ledger(tmp_path)
    for year in ("2025", "2026"):
        target = tmp_path / f"{year}.beancount"
        done = communs("immobilisations", "-f", str(main), "-e", year, "--ecrire", str(target))
        assert done.exit_code == 0, done.output
    source = _source(main)
    exercice = source.exercice("2026")
    by_code: dict[str, Decimal] = {}
    for m in source.mouvements.entre(exercice.debut, exercice.fin):
        key = (m.code or "")[:3]
        by_code[key] = by_code.get(key, D(0)) + m.montant
    assert by_code["681"] == D("1783.33")
    assert by_code["652"] == D("1019.44")
    assert by_code["757"] == D("-400.00")


@pytest.mark.parametrize(
    ("remplace", "par", "ligne", "message"),
    [
        (
            "    duree: 3\n  - id: LOGICIEL",
            "    duree: 0\n  - id: LOGICIEL",
            8,
            "durée de 0 ans : un nombre entier d'années de 1 à 100",
        ),
        ('compte: "205"', 'compte: "2111"', 11, "compte 2111 : un compte d'immobilisation"),
        ('compte: "205"', 'compte: "2184"', 11, "compte « 2184 » : aucun compte ouvert"),
        ("id: ORDI", "id: VELO", 15, "immobilisation « VELO » déclarée deux fois"),
        (
            "    valeur_origine: 1000.00",
            "    valeur_origine: 0",
            12,
            "la valeur d'origine doit être positive",
        ),
        ("      prix: 400.00", "      prix: 400.00\n      acheteur: X", 24, "clé inconnue"),
        (
            "mise_en_service: 2025-07-15",
            "mise_en_service: 2026-07-15",
            15,
            "la date de cession précède la mise en service",
        ),
    ],
)
def test_register_errors_at_their_line(
    tmp_path: Path, communs, remplace: str, par: str, ligne: int, message: str
) -> None:
    assert remplace in REGISTRE
    main = _ledger(tmp_path, REGISTRE.replace(remplace, par, 1))
    result = communs("immobilisations", "-f", str(main))
    assert result.exit_code == 1
    assert f"immobilisations.yaml:{ligne}:" in result.output, result.output
    assert message in result.output
    verifier = communs("verifier", "-f", str(main))
    assert verifier.exit_code == 1
    assert f"immobilisations.yaml:{ligne}:" in verifier.output


@pytest.mark.parametrize("version", VERSIONS)
def test_accounts_exist_in_each_chart(version: str) -> None:
    comptes = comptes_des_immobilisations(version)
    chart = load_chart(version)
    codes = [*comptes.creance_cession]
    for table in (comptes.dotation, comptes.valeur_cedee, comptes.produit_cession):
        for candidats in table.values():
            codes.extend(candidats)
    for code in codes:
        assert chart.check(code).ok, (version, code)
    assert comptes.compte_amortissement("2183") == "28183"
    assert chart.check("28183").ok and chart.check("2805").ok
    assert not comptes.amortissable("2111") and comptes.amortissable("2121")


def test_no_register_declared(tmp_path: Path, communs) -> None:
    main = _ledger(tmp_path)
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Atelier vélo\n", encoding="utf-8")
    result = communs("immobilisations", "-f", str(main))
    assert result.exit_code == 1
    assert "aucun registre des immobilisations : déclarez-le dans communs.yaml" in result.output


@pytest.mark.parametrize(("code", "vnc"), [("2024", "2645.46"), ("2025", "1441.46")])
def test_example_register_agrees_with_the_bilan_and_the_ledger(code: str, vnc: str) -> None:
    """« Les Jardins du Coteau »: 3 612,00 of computers put in service on 12 March 2024,
    3 years: 2024 289/360 × 1 204 = 966,54, 2025 1 204,00 (booked by hand, without
    metadata): the register's net value is the bilan's actif immobilisé, its dotation the
    6811 of the compte de résultat, and nothing is left to write."""
    source = _source(EXEMPLE)
    exercice = source.exercice(code)
    figures = compute_immobilisations(source, exercice)
    bilan = compute_bilan(source, exercice, n1=False)
    assert figures.total("vnc") == bilan.n.montant("total_actif_immobilise") == D(vnc)
    dotations = sum(
        (
            m.montant
            for m in source.mouvements.entre(exercice.debut, exercice.fin)
            if (m.code or "").startswith("6811")
        ),
        D(0),
    )
    assert figures.total("dotation") == dotations
    assert figures.a_passer == []


def test_disposal_in_a_2018_chart_exercice(tmp_path: Path, communs) -> None:
    """An exercice opened before 2025: the disposal goes to 6752 / 7752 (675 / 775).
    1 200 over 2 years from 1 January 2024, sold 300 on 30 September 2024: 270/360 × 600
    = 450 of dotation, VNC 1 200 − 450 = 750."""
    main = tmp_path / "main.beancount"
    main.write_text(
        ROOT_OPTIONS
        + 'option "operating_currency" "EUR"\nplugin "communs_plugins.plan_comptable"\n'
        + f"""
2024-01-01 open {BANQUE} EUR
2024-01-01 open {FONDS_PROPRES}
2024-01-01 open {ORDI}
2024-01-01 open {DOTATION}

2024-01-01 * "Apport"
  {BANQUE}  5000.00 EUR
  {FONDS_PROPRES}

2024-01-01 * "Informatique" "Ordinateur"
  {ORDI}  1200.00 EUR
  {BANQUE}
""",
        encoding="utf-8",
    )
    (tmp_path / "communs.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "immobilisations.yaml").write_text(
        """\
immobilisations:
  - id: PC
    libelle: Ordinateur
    compte: "2183"
    valeur_origine: 1200.00
    mise_en_service: 2024-01-01
    duree: 2
    cession: {date: 2024-09-30, prix: 300.00}
""",
        encoding="utf-8",
    )
    done = communs("immobilisations", "-f", str(main), "-e", "2024", "--ecrire", str(main))
    assert done.exit_code == 0, done.output
    text = main.read_text(encoding="utf-8")
    bloc = text.split('"Cession : Ordinateur (PC)"')[1]
    assert ":6752-" in bloc and ":7752-" in bloc and ":462-" in bloc
    for amount in ("450.00 EUR", "750.00 EUR", "-1200.00 EUR", "300.00 EUR", "-300.00 EUR"):
        assert amount in bloc
    assert '2024-09-30 * "Dotation aux amortissements 2024 : Ordinateur (PC)"' in text
    doc = _json(communs, main, "-e", "2024")
    assert doc["totaux"]["brut"] == "0.00" and doc["totaux"]["dotations"] == "450.00"
    assert doc["totaux"]["reprises"] == "450.00" and doc["avertissements"] == []


def test_one_hand_entry_for_two_assets_counts_for_both(tmp_path: Path, communs) -> None:
    # Audit 3: a single dotation entry, without `immobilisation:`, credits the vélo's 28182
    # (900) and the computer's 28183 (230,56), each account used by one asset only: both
    # dotations are booked, only the logiciel's 333,33 is left to write.
    amort_ordi = "Actif:28-Amortissements:28183-Amortissements-materiel-de-bureau"
    ledger = E2025.replace(
        f"  {AMORT_VELO}  -900.00 EUR\n",
        f"  {DOTATION}  230.56 EUR\n  {AMORT_VELO}  -900.00 EUR\n  {amort_ordi}  -230.56 EUR\n",
    ).replace(f"2025-01-01 open {LOYER}", f"2025-01-01 open {LOYER}\n2025-01-01 open {amort_ordi}")
    main = _ledger(tmp_path)
    (tmp_path / "2025.beancount").write_text(ROOT_OPTIONS + ledger, encoding="utf-8")
    doc = _json(communs, main, "-e", "2025")
    assert doc["totaux"]["dotations"] == "1463.89"
    assert doc["totaux"]["a_passer"] == "333.33"
