"""Audit of the cash plan and the atterrissage (session 16, lane « tresorerie »): cases a
new treasurer meets when following docs/tresorerie.md and docs/budget.md, figures
computed by hand and read through the real command (``--format json``).

The association (calendar exercices, chart 2025), last actual entry on 31 March 2026
------------------------------------------------------------------------------------
- 2 January 2026: apport of 10 000 € on the bank.
- 10 February: the Ville's convention VILLE-2026 (20 000 €) is notified and recognised
  in full (441…:Commune against 7415, metadata ``convention``).
- 16 March: its advance (60 % = 12 000 €) is received.
- 31 March: rent of March, 1 000 € (6132).

Bank on 31 March: 10 000 + 12 000 − 1 000 = 21 000.

Budget 2026 (one version): 6132 rent 12 000 uniform (1 000 a month), 7415 Ville
20 000 **uniform** (1 666,67 a month: what a new treasurer writes, the docs'
example profiles it on its notification date instead). The convention: advance 60 %
on 15 March (received), balance 40 % = 8 000 on 15 September.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import write_ledger

D = Decimal

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
CREANCE_COMMUNE = "Actif:44-Etat:441-Subventions-a-recevoir:Commune"
COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"

LEDGER = f"""
2026-01-01 open {BANQUE} EUR
2026-01-01 open {FONDS}
2026-01-01 open {LOYER}
2026-01-01 open {CREANCE_COMMUNE}
2026-01-01 open {COMMUNE}

2026-01-02 * "Apport"
  {BANQUE}  10000.00 EUR
  {FONDS}

2026-02-10 * "Ville" "Subvention de fonctionnement 2026 notifiée"
  convention: "VILLE-2026"
  {CREANCE_COMMUNE}  20000.00 EUR
  {COMMUNE}

2026-03-16 * "Ville" "Avance 60 %"
  convention: "VILLE-2026"
  {BANQUE}  12000.00 EUR
  {CREANCE_COMMUNE}

2026-03-31 * "SCI" "Loyer de mars"
  {LOYER}  1000.00 EUR
  {BANQUE}
"""

CONFIG = """\
association:
  nom: Atelier Vélo
exercice:
  debut: "01-01"
budget:
  fichiers:
    "2026": budgets/2026.yaml
conventions: conventions.yaml
previsions:
  seuil: {montant: 1000}
"""

BUDGET = """\
versions:
  - code: vote
    nom: BP voté
    date: 2026-01-10
    lignes:
      - {compte: "6132", libelle: Loyer, montant: 12000}
      - {compte: "7415", libelle: Ville, montant: 20000}
"""

CONVENTIONS = """\
conventions:
  - reference: VILLE-2026
    financeur: Ville de Port-Vélo
    type_financeur: commune
    objet: Fonctionnement 2026
    montant: 20000
    debut: 2026-01-01
    fin: 2026-12-31
    notification: 2026-02-10
    exercice: "2026"
    compte: "7415"
    versements:
      - {libelle: avance, part: 60, date: 2026-03-15}
      - {libelle: solde, part: 40, date: 2026-09-15}
"""

MONTHS = [f"2026-{m:02d}" for m in range(4, 13)]


@pytest.fixture(scope="module")
def association(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit") / "asso"
    path = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    return path


def _json(communs: Callable[..., Any], *args: str) -> dict[str, Any]:
    result = communs(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _row(data: dict[str, Any], ligne: str) -> list[Decimal]:
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    for item in partie["lignes"]:
        if item["id"] == ligne:
            return [D(item["valeurs"][month] or 0) for month in MONTHS]
    return [D(0)] * len(MONTHS)


def test_un_budget_uniforme_ne_double_pas_une_convention_deja_constatee(
    communs: Callable[..., Any], association: Path
) -> None:
    """The convention (20 000) is wholly recognised in February: its budget line
    (20 000) has nothing left for April–December. By hand: receipts only the balance,
    8 000 in September; payments the rent, 1 000 a month. Closing 21 000 − 1 000 a
    month, + 8 000 in September: 20 000, 19 000, 18 000, 17 000, 16 000, 23 000,
    22 000, 21 000, 20 000. Before the fix the budget's uniform line added its
    April–December months (9 × 1 666,67 = 15 000) on top of the convention: closing
    December 35 000,03."""
    data = _json(
        communs, "tresorerie", "-f", str(association), "--depuis", "2026-04-01", "--mois", "9"
    )
    subsidies = _row(data, "encaissement:subventions")
    assert subsidies == [D(0)] * 5 + [D(8000)] + [D(0)] * 3
    closing = [D(20000), D(19000), D(18000), D(17000), D(16000)]
    closing += [D(23000), D(22000), D(21000), D(20000)]
    assert _row(data, "solde_final") == closing
    assert D(data["totaux"]["total_encaissements"]) == D(8000)


def test_atterrissage_sans_double_compte_de_la_convention(
    communs: Callable[..., Any], association: Path
) -> None:
    """Atterrissage 2026 by hand: produits 20 000 realised + 0 forecast (the Ville's
    whole convention is recognised); charges 1 000 realised + 9 × 1 000 of rent =
    10 000; résultat 10 000. Before the fix: produits 35 000 (the budget's 15 000 more),
    résultat 25 000."""
    data = _json(communs, "prevision", "atterrissage", "-f", str(association))
    totaux = data["totaux"]
    assert D(totaux["total_produits"]) == D(20000)
    assert D(totaux["total_charges"]) == D(10000)
    assert D(totaux["resultat"]) == D(10000)


CPO = """\
  - reference: REG-CPO
    financeur: Région
    type_financeur: region
    objet: Convention pluriannuelle d'objectifs 2026-2028
    montant: 24000
    debut: 2026-01-01
    fin: 2028-12-31
    notification: 2026-03-20
    exercice: "2026"
    compte: "7412"
    versements:
      - {libelle: tranche 2026, montant: 8000, date: 2026-06-15}
      - {libelle: tranche 2027, montant: 8000, date: 2027-06-15}
      - {libelle: tranche 2028, montant: 8000, date: 2028-06-15}
"""


def test_convention_pluriannuelle_non_constatee_avertit_avec_fichier_ligne(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """A three-year convention (24 000, 2026–2028) whose ledger recognised only the 2026
    tranche (8 000 on 7412, the other 16 000 in 487 produits constatés d'avance): the
    forecast puts the 16 000 in 2026's produits (its rule: the whole amount belongs to
    the exercice of the notification), which the ledger contradicts. Whether it is right
    depends on the convention's wording: the atterrissage must say so, at the
    convention's line in conventions.yaml (line 15: the second convention starts after
    the 14 lines of the first and the « conventions: » key). Before: no word of it."""
    region = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
    creance = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
    pca = "Passif:48-Regularisation:487-Produits-constates-d-avance"
    body = (
        LEDGER
        + f"""
2026-01-01 open {region}
2026-01-01 open {creance}
2026-01-01 open {pca}

2026-03-20 * "Région" "CPO 2026-2028 notifiée, part 2026 en produit"
  convention: "REG-CPO"
  {creance}  24000.00 EUR
  {region}  -8000.00 EUR
  {pca}  -16000.00 EUR
"""
    )
    folder = tmp_path / "asso"
    path = write_ledger(folder, body, config=CONFIG)
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    (folder / "conventions.yaml").write_text(CONVENTIONS + CPO, encoding="utf-8")
    data = _json(communs, "prevision", "atterrissage", "-f", str(path))
    # 20 000 (Ville) + 8 000 (Région 2026) realised + 16 000 forecast by the rule.
    assert D(data["totaux"]["total_produits"]) == D(44000)
    notes = [n for n in data["notes"] if "REG-CPO" in n]
    assert len(notes) == 1, data["notes"]
    assert "conventions.yaml:15 : REG-CPO, action du 1er janvier 2026" in notes[0]
    text = " ".join(notes[0].split())  # French figures use no-break spaces
    assert "16 000,00 €" in text and "une convention par exercice" in text


def test_date_de_versement_improbable_avertit_avec_fichier_ligne(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """The balance typed 2029-09-15 instead of 2026-09-15: the compte-rendu deadline is
    30 June 2027 (six months after the end of the 2026 exercice), the date more than a
    year later. The plan (April–December 2026) has then no balance: closing December
    21 000 − 9 × 1 000 = 12 000 instead of 20 000, and it must say why, at the
    instalment's line (conventions.yaml:14). Before: the 8 000 vanished silently."""
    folder = tmp_path / "asso"
    path = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    typo = CONVENTIONS.replace("date: 2026-09-15", "date: 2029-09-15")
    (folder / "conventions.yaml").write_text(typo, encoding="utf-8")
    args = ("tresorerie", "-f", str(path), "--depuis", "2026-04-01", "--mois", "9")
    data = _json(communs, *args)
    assert D(data["totaux"]["solde_final"]) == D(12000)
    notes = [" ".join(n.split()) for n in data["notes"] if "date à vérifier" in n]
    assert len(notes) == 1, data["notes"]
    assert (
        "conventions.yaml:14 : VILLE-2026, versement « solde » attendu le 15 septembre 2029"
        in (notes[0])
    )
    assert "(30 juin 2027)" in notes[0]


def test_pluriannuelle_un_emprunt_rembourse_laisse_revenir_sa_ligne_et_la_note_le_dit(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """A loan whose last instalment is on 10 June 2026 (interest 40 € a month on 6611)
    and a budget line 6611 of 480 €. By the documented rule (docs/tresorerie.md, « Qui
    l'emporte sur le budget ? »: a flow leaves its line what exceeds it): 2026 =
    April–June 3 × 40 = 120 + (April–December budget 9 × 40 = 360 − 120) = 360; 2027
    (no flow any more) = the line carried over, 480. The note used to claim that the
    explicit inputs « replace entirely » the lines of 6611 and 7415 (false: 480 in
    2027); it now says the payroll replaces, the flows and conventions leave the excess."""
    interets = "Charges:66-Charges-financieres:6611-Interets-des-emprunts"
    emprunt = "Passif:16-Emprunts:164-Emprunts-aupres-des-etablissements-de-credit"
    body = (
        LEDGER
        + f"""
2026-01-01 open {interets}
2026-01-01 open {emprunt}
"""
    )
    config = CONFIG.replace("previsions:\n", "previsions:\n  flux: previsions/flux.yaml\n")
    folder = tmp_path / "asso"
    path = write_ledger(folder, body, config=config)
    (folder / "budgets").mkdir()
    budget = BUDGET + '      - {compte: "6611", libelle: Intérêts, montant: 480}\n'
    (folder / "budgets" / "2026.yaml").write_text(budget, encoding="utf-8")
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    (folder / "previsions").mkdir()
    (folder / "previsions" / "flux.yaml").write_text(
        'flux:\n  - {code: pret, libelle: Prêt, montant: -520, compte: "164", interets: 40,\n'
        '     compte_interets: "6611", frequence: mensuel, jour: 10, fin: 2026-06-10}\n',
        encoding="utf-8",
    )
    data = _json(communs, "prevision", "pluriannuelle", "-f", str(path), "--annees", "1")
    partie = next(p for p in data["parties"] if p["id"] == "compte_de_resultat")
    ligne = next(item for item in partie["lignes"] if item["id"] == "cf_interets")
    assert ligne["valeurs"] == {"atterrissage": "360.00", "n_plus_1": "480.00"}
    assert not [n for n in data["notes"] if "remplacent entièrement" in n]
    notes = [n for n in data["notes"] if n.startswith("Les conventions et les flux")]
    assert len(notes) == 1 and "(6611, 7415)" in notes[0], data["notes"]


PAIE_SANS_BRUT_AU = """\
parametres:
  taux_salarial: 22
  taux_patronal: 40
postes:
  - code: coordinateur
    debut: 2024-01-01
    brut_mensuel: 2500
    augmentation: {taux: 2, mois: 7}
"""


def test_poste_sans_brut_au_avertit_avec_fichier_ligne(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """``brut_au`` left out: the tool takes ``debut`` (1 January 2024) and raises the
    2 500 € twice before April 2026 (1 July 2024 and 2025): 2 500 × 1,02 = 2 550,
    × 1,02 = 2 601,00; net salary of April 2 601 − 22 % (572,22) = 2 028,78. If 2 500 is
    the current payslip (what a treasurer copies), that is 4 % too much, so the plan must
    say it, at the post's line (previsions/paie.yaml:5). Before: silent."""
    config = CONFIG.replace("previsions:\n", "previsions:\n  paie: previsions/paie.yaml\n")
    folder = tmp_path / "asso"
    path = write_ledger(folder, LEDGER, config=config)
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    (folder / "previsions").mkdir()
    (folder / "previsions" / "paie.yaml").write_text(PAIE_SANS_BRUT_AU, encoding="utf-8")
    args = ("tresorerie", "-f", str(path), "--depuis", "2026-04-01", "--mois", "9")
    data = _json(communs, *args)
    assert _row(data, "decaissement:salaires")[0] == D("2028.78")
    notes = [" ".join(n.split()) for n in data["notes"] if "sans brut_au" in n]
    assert len(notes) == 1, data["notes"]
    assert "previsions/paie.yaml:5 : poste « coordinateur » sans brut_au" in notes[0]
    assert "2 601,00 € en avril 2026" in notes[0] and "chaque 1er juillet" in notes[0]


def test_un_financeur_garde_une_seule_ligne_dans_le_plan(
    communs: Callable[..., Any], association: Path
) -> None:
    """January–February 2027 have no budget: the 2026 budget is carried over, its line
    7415 « Ville » (20 000 / 12 = 1 666,67 a month) with it. The ledger names that
    funder « Commune » (7415-Commune, where the advance of March went): the carried-over
    line must come under « Commune », not beside it as a second sub-line « Ville »
    (docs/tresorerie.md: « Un financeur garde sa ligne dans le plan »)."""
    args = ("tresorerie", "-f", str(association), "--depuis", "2026-03-01", "--mois", "12")
    data = _json(communs, *args)
    partie = next(p for p in data["parties"] if p["id"] == "plan_base")
    details = [
        item["id"]
        for item in partie["lignes"]
        if item["id"].startswith("encaissement:subventions:")
    ]
    assert details == ["encaissement:subventions:commune"]
    commune = next(i for i in partie["lignes"] if i["id"] == "encaissement:subventions:commune")
    # March: the advance 12 000 (actual); September: the balance 8 000; 2027: the budget.
    assert commune["valeurs"]["2026-03"] == "12000.00"
    assert commune["valeurs"]["2026-09"] == "8000.00"
    assert commune["valeurs"]["2027-01"] == commune["valeurs"]["2027-02"] == "1666.67"


def test_prime_datee_hors_du_poste_est_une_erreur_fichier_ligne(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """A one-time bonus dated 15 April 2026 for a post starting on 18 May 2026: a bonus is
    paid only in a month the post runs, so it would vanish from the plan. Like an aid
    outside the post's dates, it is an error at its line (previsions/paie.yaml:8), exit
    1, nothing produced. Before: silently left out."""
    paie = """\
parametres:
  taux_salarial: 22
  taux_patronal: 30
postes:
  - code: animatrice
    debut: 2026-05-18
    brut_mensuel: 1800
    primes: [{montant: 300, date: 2026-04-15, libelle: Prime d'arrivée}]
"""
    config = CONFIG.replace("previsions:\n", "previsions:\n  paie: previsions/paie.yaml\n")
    folder = tmp_path / "asso"
    path = write_ledger(folder, LEDGER, config=config)
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    (folder / "previsions").mkdir()
    (folder / "previsions" / "paie.yaml").write_text(paie, encoding="utf-8")
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2026.yaml").write_text(BUDGET, encoding="utf-8")
    result = communs("tresorerie", "-f", str(path))
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "previsions/paie.yaml:8: poste « animatrice » : prime « Prime d'arrivée »" in text
    assert "datée du 2026-04-15, un mois où le poste n'est pas en cours" in text
