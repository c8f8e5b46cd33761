"""Forecast inputs on a small association, figures computed by hand: subsidy payments
(conventions), recurring and one-off flows, open receivables and payables, the rest of
the budget, scenarios.

The ledger stops on 30 June 2026; the forecast period runs from 1 July 2026 to
30 June 2027. What the ledger holds at the start:

- Région (REG-2026, 10 000 €): notified and recognised (7412) on 1 March, advance of
  5 000 € received on 10 May; an extra 1 200 € on 441 Région without convention;
- FONJEP (ETAT-2026, 8 000 €): notified on 20 May but not recorded, advance expected
  on 15 June not received (overdue);
- 441 Commune: 3 000 € since 1 February, no convention;
- 411: invoices of 1 000 € (20 May, 400 € paid on 5 June) and 2 400 € (10 June);
- 401: 800 € (Scierie, 20 June), 300 € (Imprimerie, 25 June, account `echeance`
  2026-08-31); 408: 1 500 € since 31 December 2025;
  a 50 € credit note on 401 Papeterie (a debit balance: ignored);
- June payroll on 30 June: 421 1 600 €, 431 1 600 €, 442 100 €; 487: 200 € (ignored).
"""

from __future__ import annotations

import datetime
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.previsions.budget_restant import BudgetRestant
from communs_ledger.previsions.entrees import Entrees, charger_entrees
from communs_ledger.previsions.flux import FluxPrevus, categorie_tresorerie
from communs_ledger.previsions.modele import (
    BASE,
    MouvementPrevu,
    Periode,
    Previsions,
    lire_variation,
)
from communs_ledger.previsions.scenarios import charger_scenarios
from communs_ledger.previsions.tiers import Tiers
from communs_ledger.previsions.versements import Versements
from communs_ledger.rapports.source import Source
from conftest import BANQUE, write_ledger

D = Decimal
d = datetime.date
PERIODE = Periode(d(2026, 7, 1), d(2027, 6, 30))

FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
CREANCE_REGION = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
CREANCE_COMMUNE = "Actif:44-Etat:441-Subventions-a-recevoir:Commune"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"
CLIENTS = "Actif:41-Clients:411-Clients"
PRESTATIONS = "Produits:70-Ventes:706-Prestations-de-services"
SCIERIE = "Passif:40-Fournisseurs:401-Fournisseurs:Scierie"
IMPRIMERIE = "Passif:40-Fournisseurs:401-Fournisseurs:Imprimerie"
PAPETERIE = "Passif:40-Fournisseurs:401-Fournisseurs:Papeterie"
FNP = "Passif:40-Fournisseurs:408-Factures-non-parvenues"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
CHARGES_SOCIALES = "Charges:64-Charges-de-personnel:645-Charges-sociales"
NET = "Passif:42-Personnel:421-Remunerations-dues"
URSSAF = "Passif:43-Organismes-sociaux:431-Urssaf"
PAS = "Passif:44-Etat:442-Prelevement-a-la-source"
PCA = "Passif:48-Regularisation:487-Produits-constates-d-avance"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"

LEDGER = f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {FONDS}
2025-01-01 open {CREANCE_REGION}
2025-01-01 open {CREANCE_COMMUNE}
2025-01-01 open {REGION}
2025-01-01 open {COMMUNE}
2025-01-01 open {CLIENTS}
2025-01-01 open {PRESTATIONS}
2025-01-01 open {SCIERIE}
2025-01-01 open {IMPRIMERIE}
  echeance: 2026-08-31
2025-01-01 open {PAPETERIE}
2025-01-01 open {FNP}
2025-01-01 open {FOURNITURES}
2025-01-01 open {HONORAIRES}
2025-01-01 open {SALAIRES}
2025-01-01 open {CHARGES_SOCIALES}
2025-01-01 open {NET}
2025-01-01 open {URSSAF}
2025-01-01 open {PAS}
2025-01-01 open {PCA}
2025-01-01 open {COTISATIONS}

2025-01-02 * "Apport"
  {BANQUE}  50000.00 EUR
  {FONDS}

2025-12-31 * "Cabinet" "Honoraires des comptes 2025 (facture à recevoir)"
  {HONORAIRES}  1500.00 EUR
  {FNP}

2026-02-01 * "Ville" "Solde de la subvention 2025"
  {CREANCE_COMMUNE}  3000.00 EUR
  {COMMUNE}

2026-03-01 * "Région" "Notification"
  convention: "REG-2026"
  {CREANCE_REGION}  10000.00 EUR
  {REGION}

2026-05-10 * "Région" "Avance"
  convention: "REG-2026"
  {BANQUE}  5000.00 EUR
  {CREANCE_REGION}

2026-05-20 * "Centre social" "Facture FA-1"
  {CLIENTS}  1000.00 EUR
  {PRESTATIONS}

2026-06-05 * "Centre social" "Acompte sur FA-1"
  {BANQUE}  400.00 EUR
  {CLIENTS}

2026-06-10 * "Ville" "Facture FA-2"
  {CLIENTS}  2400.00 EUR
  {PRESTATIONS}

2026-06-15 * "Papeterie" "Avoir à valoir (pas de l'argent à recevoir)"
  {PAPETERIE}  50.00 EUR
  {FOURNITURES}

2026-06-20 * "Région" "Aide exceptionnelle (hors convention)"
  {CREANCE_REGION}  1200.00 EUR
  {REGION}

2026-06-20 * "Scierie" "Facture"
  {FOURNITURES}  800.00 EUR
  {SCIERIE}

2026-06-25 * "Imprimerie" "Facture"
  {FOURNITURES}  300.00 EUR
  {IMPRIMERIE}

2026-06-30 * "Paie de juin"
  {SALAIRES}  2500.00 EUR
  {CHARGES_SOCIALES}  800.00 EUR
  {NET}  -1600.00 EUR
  {URSSAF}  -1600.00 EUR
  {PAS}  -100.00 EUR

2026-06-30 * "Cotisations 2027 perçues d'avance"
  {BANQUE}  200.00 EUR
  {PCA}
"""

CONFIG = """\
association:
  nom: Les Jardins de la Bièvre
projets:
  - code: CUISINE
    nom: Cuisine du jardin
conventions: conventions.yaml
budget:
  fichiers:
    "2026": budgets/2026.yaml
previsions:
  flux: previsions/flux.yaml
  scenarios: previsions/scenarios.yaml
  delais: {"411": 45}
"""

CONVENTIONS = """\
conventions:
  - reference: REG-2026
    financeur: Région
    type_financeur: region
    objet: Cuisine du jardin
    projets: [CUISINE]
    dediee: true
    montant: 10000
    debut: 2026-01-01
    fin: 2026-12-31
    compte: "7412"
    versements:
      - {libelle: avance, part: 50, date: 2026-04-15}
      - {libelle: solde, part: 50, date: 2026-09-15}
  - reference: ETAT-2026
    financeur: FONJEP
    type_financeur: etat
    objet: Poste de coordination
    montant: 8000
    debut: 2026-01-01
    fin: 2026-12-31
    notification: 2026-05-20
    compte: "7411"
    compte_rendu: 2026-08-31
    versements:
      - {libelle: avance, part: 50, date: 2026-06-15}
      - {libelle: solde, part: 50, apres_compte_rendu: true}
"""

FLUX = """\
flux:
  - code: loyer
    libelle: Loyer du local
    montant: -1000
    compte: "6132"
    frequence: mensuel
    jour: 5
    debut: 2025-03-01
    indexation: 2
  - code: assurance
    libelle: Assurance multirisque
    montant: -1200
    compte: "616"
    frequence: annuel
    mois: 1
    jour: 15
  - code: ordinateur
    libelle: Achat d'un ordinateur
    montant: -900
    compte: "2183"
    frequence: ponctuel
    date: 2026-09-10
    projet: CUISINE
  - code: pret
    libelle: Prêt (échéance)
    montant: -500
    compte: "164"
    interets: 40
    frequence: mensuel
    jour: 10
    fin: 2026-09-30
"""

BUDGET = """\
versions:
  - code: vote
    nom: BP voté
    date: 2026-03-14
    lignes:
      - {compte: "6132", montant: 12000}
      - {compte: "61", montant: 3600}
      - {compte: "6161", montant: 1200}
      - {compte: "74", libelle: Autres subventions, montant: 25000,
         profil: {mois: {3: 10000, 9: 15000}}}
      - {compte: "7412", libelle: Région, montant: 12000, profil: {mois: {3: 6000, 10: 6000}}}
      - {compte: "6811", montant: 1200}
      - {compte: "756", montant: 2400}
"""

SCENARIOS = """\
scenarios:
  - code: pessimiste
    libelle: Région −30 %, solde du FONJEP 4 mois plus tard, loyer en hausse
    conventions:
      REG-2026: {montant: "-30%"}
      ETAT-2026: {versements: {solde: {retard_mois: 4}}}
    flux:
      loyer: {montant: -1100}
  - code: neutre
    libelle: Sans surcharge
"""


@dataclass
class SourceAvecEcritures(Source):
    """The Source with the ledger's entries (for the `echeance` metadata of accounts)."""

    entries: list[Any] = field(default_factory=list)


def _write(folder: Path, files: dict[str, str] | None = None) -> Path:
    contents = {
        "conventions.yaml": CONVENTIONS,
        "budgets/2026.yaml": BUDGET,
        "previsions/flux.yaml": FLUX,
        "previsions/scenarios.yaml": SCENARIOS,
    }
    contents.update(files or {})
    path = write_ledger(folder, LEDGER, config=CONFIG)
    for relative, text in contents.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def chargees(ledger_dir: Path) -> tuple[Entrees, SourceAvecEcritures]:
    livre = load_livre(_write(ledger_dir))
    assert livre.ok, livre.diagnostics
    source = Source.from_livre(livre)
    avec = SourceAvecEcritures(source.context, source.mouvements, source.exercices, livre.entries)
    entrees = charger_entrees(livre.context)
    assert entrees.erreurs == []
    return entrees, avec


def _of(entrees: Entrees, kind: type) -> Any:
    (found,) = [e for e in entrees.entrees if isinstance(e, kind)]
    return found


def _cash(previsions: Previsions) -> list[tuple[datetime.date, Decimal, str, str]]:
    return sorted((m.date, m.montant, m.categorie, m.libelle) for m in previsions.tresorerie)


def _results(previsions: Previsions) -> list[tuple[datetime.date, str, Decimal]]:
    return sorted((r.date, r.compte, r.montant) for r in previsions.resultat)


# --- Loading --------------------------------------------------------------------------------


def test_chargement_des_entrees(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    entrees, _source = chargees
    kinds = [type(e).__name__ for e in entrees.entrees]
    assert kinds == ["Versements", "FluxPrevus", "Tiers", "BudgetRestant"]
    assert sorted(entrees.scenarios) == ["neutre", "pessimiste"]
    assert entrees.scenario(None) is BASE and entrees.scenario("inconnu") is None
    assert [p.name for p in entrees.fichiers] == [
        "conventions.yaml",
        "flux.yaml",
        "scenarios.yaml",
    ]
    # Codes the explicit inputs forecast: conventions' income, flows' P&L accounts.
    assert _of(entrees, Versements).codes_couverts() == {"7412", "7411"}
    assert _of(entrees, FluxPrevus).codes_couverts() == {"6132", "616", "6611"}
    assert entrees.codes_couverts() == {"7412", "7411", "6132", "616", "6611"}


# --- Subsidy payments -----------------------------------------------------------------------


def test_versements_base(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    entrees, source = chargees
    previsions = _of(entrees, Versements).generer(PERIODE, BASE, source)
    # Région: 5 000 received go to the advance; the balance (5 000) on 15 September.
    # FONJEP: advance (4 000) expected 15 June, overdue: on 1 July, flagged; balance
    # 60 days after the compte rendu of 31 August: 30 October.
    assert _cash(previsions) == [
        (
            d(2026, 7, 1),
            D(4000),
            "subventions",
            "FONJEP – avance (en retard : attendu le 15 juin 2026)",
        ),
        (d(2026, 9, 15), D(5000), "subventions", "Région – solde"),
        (d(2026, 10, 30), D(4000), "subventions", "FONJEP – solde"),
    ]
    assert {m.detail for m in previsions.tresorerie} == {"Région", "FONJEP"}
    assert {m.compte for m in previsions.tresorerie} == {"441"}
    region = [m for m in previsions.tresorerie if m.origine == "convention:REG-2026"]
    assert [m.projet for m in region] == ["CUISINE"]
    # Région fully recognised; FONJEP not recorded yet: 8 000 on 7411 at the start
    # (its notification, 20 May, is past).
    assert _results(previsions) == [(d(2026, 7, 1), "7411", D(8000))]


def test_versements_scenario_pessimiste(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    entrees, source = chargees
    scenario = entrees.scenarios["pessimiste"]
    previsions = _of(entrees, Versements).generer(PERIODE, scenario, source)
    # Région −30 %: 7 000 in two instalments of 3 500; the 5 000 received pay the
    # advance (3 500) and 1 500 of the balance: 2 000 left on 15 September. FONJEP's
    # balance 4 months late: 30 October → 28 February 2027.
    assert [(m.date, m.montant, m.libelle) for m in sorted(previsions.tresorerie, key=_key)] == [
        (d(2026, 7, 1), D(4000), "FONJEP – avance (en retard : attendu le 15 juin 2026)"),
        (d(2026, 9, 15), D(2000), "Région – solde"),
        (d(2027, 2, 28), D(4000), "FONJEP – solde"),
    ]
    # The 10 000 recognised exceed the 7 000: a 3 000 reduction of the produit.
    assert _results(previsions) == [
        (d(2026, 7, 1), "7411", D(8000)),
        (d(2026, 7, 1), "7412", D(-3000)),
    ]


def _key(movement: MouvementPrevu) -> tuple[datetime.date, Decimal]:
    return (movement.date, movement.montant)


def test_versements_periode_plus_courte(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    entrees, source = chargees
    periode = Periode(d(2026, 7, 1), d(2026, 9, 30))
    previsions = _of(entrees, Versements).generer(periode, BASE, source)
    # The FONJEP balance (30 October) is after the period.
    assert [m.montant for m in sorted(previsions.tresorerie, key=_key)] == [D(4000), D(5000)]


# --- Flows ----------------------------------------------------------------------------------


def test_flux_base(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    entrees, source = chargees
    previsions = _of(entrees, FluxPrevus).generer(PERIODE, BASE, source)
    by_origin: dict[str, list[tuple[datetime.date, Decimal, str]]] = defaultdict(list)
    for m in sorted(previsions.tresorerie, key=_key):
        by_origin[m.origine].append((m.date, m.montant, m.categorie))
    # Rent indexed 2 % on each anniversary of 1 March 2025: 1 020 until February 2027,
    # then 1 040.40, on the 5th.
    rent = [(day, -amount) for day, amount, _c in by_origin["flux:loyer"]]
    assert rent == [(d(2026, month, 5), D("1020.00")) for month in range(7, 13)] + [
        (d(2027, 1, 5), D("1020.00")),
        (d(2027, 2, 5), D("1020.00")),
    ] + [(d(2027, month, 5), D("1040.40")) for month in range(3, 7)]
    assert {c for _d, _a, c in by_origin["flux:loyer"]} == {"loyer"}
    assert sum(a for _d, a, _c in by_origin["flux:loyer"]) == D("-12321.60")
    assert by_origin["flux:assurance"] == [(d(2027, 1, 15), D(-1200), "achats")]
    assert by_origin["flux:ordinateur"] == [(d(2026, 9, 10), D(-900), "investissements")]
    # Loan: 500 a month until September, of which 40 interest (6611) and 460 principal.
    assert sorted(by_origin["flux:pret"]) == [
        (d(2026, month, 10), amount, "emprunts")
        for month in (7, 8, 9)
        for amount in (D(-460), D(-40))
    ]
    # Results: rent and insurance charges, loan interest; no result for the principal
    # nor the computer (an investment).
    results = _results(previsions)
    assert [r for r in results if r[1] == "6611"] == [
        (d(2026, month, 10), "6611", D(40)) for month in (7, 8, 9)
    ]
    assert sum(r[2] for r in results if r[1] == "6132") == D("12321.60")
    assert [r for r in results if r[1] == "616"] == [(d(2027, 1, 15), "616", D(1200))]
    assert {r[1] for r in results} == {"6132", "616", "6611"}
    projects = {m.origine: m.projet for m in previsions.tresorerie}
    assert projects["flux:ordinateur"] == "CUISINE"


def test_flux_scenario(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    entrees, source = chargees
    previsions = _of(entrees, FluxPrevus).generer(PERIODE, entrees.scenarios["pessimiste"], source)
    rent = sorted(m.montant for m in previsions.tresorerie if m.origine == "flux:loyer")
    # 1 100 indexed: 1 122.00 (8 months), then 1 144.44 (4 months).
    assert rent == [D("-1144.44")] * 4 + [D("-1122.00")] * 8


def _flux_errors(folder: Path, flux: str) -> list[tuple[int, str]]:
    livre = load_livre(_write(folder, {"previsions/flux.yaml": flux}))
    errors = charger_entrees(livre.context).erreurs
    assert {e.location.filename for e in errors} == {"previsions/flux.yaml"}
    return [(e.location.line, e.message) for e in errors]


def test_flux_erreurs_de_schema(ledger_dir: Path) -> None:
    assert _flux_errors(
        ledger_dir,
        """\
        flux:
          - code: annuel
            libelle: Sans mois
            montant: -10
            frequence: annuel
          - code: trimestre
            libelle: Mois impossible
            montant: -10
            frequence: trimestriel
            mois: 13
          - code: ponctuel
            libelle: Sans date
            montant: -10
            frequence: ponctuel
          - code: fin
            libelle: Fin avant début
            montant: -10
            frequence: hebdomadaire
            debut: 2026-05-01
            fin: 2026-04-01
        """,
    ) == [
        (2, "flux[1] : un flux annuel sans date de début indique son mois"),
        (6, "flux[2] : mois 13 : un mois entre 1 et 12 est attendu"),
        (11, "flux[3] : un flux ponctuel a une date (date: AAAA-MM-JJ)"),
        (
            18,
            "flux[4].frequence : valeur « hebdomadaire » non admise (valeurs possibles : "
            "mensuel, trimestriel, semestriel, annuel, ponctuel)",
        ),
    ]


def test_flux_erreurs_de_comptes(ledger_dir: Path) -> None:
    assert _flux_errors(
        ledger_dir,
        """\
        flux:
          - code: loyer
            libelle: Loyer
            montant: 1000
            compte: "6132"
            frequence: mensuel
          - code: loyer
            libelle: Doublon
            montant: -10
            frequence: mensuel
          - code: banque
            libelle: Virement
            montant: -10
            compte: "512"
            frequence: ponctuel
            date: 2026-08-01
          - code: bizarre
            libelle: Catégorie
            montant: -10
            categorie: cotisations
            projet: INCONNU
            frequence: mensuel
          - code: pret
            libelle: Prêt
            montant: -100
            compte: "164"
            interets: 150
            compte_interets: "627"
            frequence: mensuel
          - code: inconnu
            libelle: Compte inconnu
            montant: 10
            compte: "7000"
            frequence: mensuel
        """,
    ) == [
        (
            5,
            "compte de charges 6132 avec un montant positif : un décaissement s'écrit en "
            "négatif (ex. -1650)",
        ),
        (7, "flux « loyer » déclaré deux fois"),
        (
            14,
            "compte 512 : un flux se fait avec la trésorerie, sa contrepartie n'en est pas un "
            "compte",
        ),
        (
            20,
            "catégorie « cotisations » inconnue pour un décaissement (achats, "
            "autres_decaissements, charges_sociales, emprunts, impots, investissements, "
            "loyer, personnel, salaires)",
        ),
        (21, "projet « INCONNU » inconnu (CUISINE)"),
        (
            27,
            "les intérêts sont la part du montant qui n'est pas du capital : un nombre "
            "positif inférieur au montant",
        ),
        (28, "compte 627 : un compte 66 est attendu"),
        (33, "compte 7000 inconnu du plan comptable 2025"),
    ]


# --- Open receivables and payables ----------------------------------------------------------


def test_tiers_ouverts(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    entrees, source = chargees
    previsions = _of(entrees, Tiers).generer(PERIODE, BASE, source)
    assert previsions.resultat == []
    assert _cash(previsions) == [
        # 421: paid at the end of June, overdue on 1 July.
        (
            d(2026, 7, 1),
            D(-1600),
            "salaires",
            "Remunerations dues : dette du 30 juin 2026 (en retard : attendue le 30 juin 2026)",
        ),
        # 408 of 31 December 2025 + 45 days = 14 February 2026: overdue.
        (
            d(2026, 7, 1),
            D(-1500),
            "achats",
            "Factures non parvenues : dette du 31 décembre 2025 (en retard : attendue le "
            "14 février 2026)",
        ),
        # 441 Commune (no convention): 1 February + 60 days = 2 April, overdue.
        (
            d(2026, 7, 1),
            D(3000),
            "subventions",
            "Commune : créance du 1er février 2026 (en retard : attendue le 2 avril 2026)",
        ),
        # 411 (delay set to 45 days): 600 left of FA-1 (20 May + 45 = 4 July), FA-2
        # (10 June + 45 = 25 July).
        (d(2026, 7, 4), D(600), "prestations", "Clients : créance du 20 mai 2026"),
        # 431 and 442: the 15th of the following month.
        (d(2026, 7, 15), D(-1600), "charges_sociales", "Urssaf : dette du 30 juin 2026"),
        (
            d(2026, 7, 15),
            D(-100),
            "charges_sociales",
            "Prelevement a la source : dette du 30 juin 2026",
        ),
        # 401 Scierie: 20 June + 30 days.
        (d(2026, 7, 20), D(-800), "achats", "Scierie : dette du 20 juin 2026"),
        (d(2026, 7, 25), D(2400), "prestations", "Clients : créance du 10 juin 2026"),
        # 441 Région: only the 1 200 outside the convention (the 5 000 left of REG-2026
        # are the convention's balance, forecast by its échéancier): 20 June + 60 days.
        (d(2026, 8, 19), D(1200), "subventions", "Région : créance du 20 juin 2026"),
        # 401 Imprimerie: the account's `echeance` metadata.
        (d(2026, 8, 31), D(-300), "achats", "Imprimerie : dette du 25 juin 2026"),
    ]
    details = {m.libelle.split(" :")[0]: m.detail for m in previsions.tresorerie}
    assert details["Région"] == "Région" and details["Commune"] == "Commune"
    assert details["Clients"] is None


def test_tiers_sans_conventions(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    _entrees, source = chargees
    # Without a conventions file, the whole 441 Région balance (6 200) is settled: its
    # 1 200 (20 June) and 5 000 of the notification of 1 March (+ 60 days: overdue).
    previsions = Tiers({"411": 45}, None).generer(PERIODE, BASE, source)
    region = sorted(
        (m.date, m.montant) for m in previsions.tresorerie if m.origine.endswith("Region")
    )
    assert region == [(d(2026, 7, 1), D(5000)), (d(2026, 8, 19), D(1200))]


def test_tiers_delais_configures(chargees: tuple[Entrees, SourceAvecEcritures]) -> None:
    _entrees, source = chargees
    previsions = Tiers({"431": 10, "4011": 5}, None).generer(PERIODE, BASE, source)
    urssaf = [m.date for m in previsions.tresorerie if "Urssaf" in m.libelle]
    assert urssaf == [d(2026, 7, 10)]  # the 10th of the following month (mode of 43)
    clients = sorted(m.date for m in previsions.tresorerie if "Clients" in m.libelle)
    assert clients == [d(2026, 7, 1), d(2026, 7, 10)]  # default 30 days: 19 June, 10 July


# --- Rest of the budget ---------------------------------------------------------------------


def test_budget_restant_les_entrees_explicites_l_emportent(
    chargees: tuple[Entrees, SourceAvecEcritures],
) -> None:
    entrees, source = chargees
    explicit = [_of(entrees, Versements), _of(entrees, FluxPrevus)]
    restant = BudgetRestant(entrees.codes_couverts(), explicit)
    # exercice 2026 only (2027 has no budget: the 2026 budget carried over, tested apart)
    periode_2026 = Periode(PERIODE.debut, d(2026, 12, 31))
    previsions = restant.generer(periode_2026, BASE, source)
    results: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for day, code, amount in _results(previsions):
        results[code].append((day, amount))
    months = [d(2026, 7, 31), d(2026, 8, 31), d(2026, 9, 30), d(2026, 10, 31)]
    months += [d(2026, 11, 30), d(2026, 12, 31)]
    assert dict(results) == {
        # 6132: 6 000 budgeted July–December, the rent flow forecasts 6 × 1 020 = 6 120.
        # 6161: the insurance flow is on 616, which covers it entirely.
        # 61: not covered by the flows' 6132 (its own line) nor 616 (out of 2026): all.
        "61": [(day, D(300)) for day in months],
        # 74: 15 000 in September, less FONJEP's 8 000 on 7411 (no 7411 or 741 line).
        "74": [(d(2026, 9, 30), D(7000))],
        # 7412: 6 000 budgeted in October, but a produit is never forecast beyond its
        # annual budget: 12 000 − 11 200 already recognised on 7412 (REG-2026's 10 000
        # on 1 March + the 1 200 without convention on 20 June) − 0 forecast by the
        # convention = 800 (it was 6 000: the Région counted twice).
        "7412": [(d(2026, 10, 31), D(800))],
        # Not covered: amortisation (no cash) and cotisations.
        "6811": [(day, D(100)) for day in months],
        "756": [(day, D(200)) for day in months],
    }
    cash = sorted((m.date, m.compte, m.montant, m.categorie) for m in previsions.tresorerie)
    assert [c for c in cash if c[1] == "74"] == [(d(2026, 9, 30), "74", D(7000), "subventions")]
    assert {c[3] for c in cash if c[1] == "61"} == {"achats"}
    assert {c[3] for c in cash if c[1] == "756"} == {"cotisations"}
    assert sum(c[2] for c in cash if c[1] == "61") == D(-1800)
    assert not [c for c in cash if c[1] == "6811"]
    detail = [m.detail for m in previsions.tresorerie if m.compte == "7412"]
    assert detail == ["Région"]
    # A scenario changes the explicit inputs, never the budget's remainder: the
    # Région's cut is not made up by its budget line.
    pessimiste = restant.generer(periode_2026, entrees.scenarios["pessimiste"], source)
    assert pessimiste == previsions


def test_budget_restant_mois_entame_et_sans_entrees_explicites(
    chargees: tuple[Entrees, SourceAvecEcritures],
) -> None:
    entrees, source = chargees
    # Starting on 20 July: July is half realised; what is left of its budget on a line
    # is its month's budget less the ledger's postings of 1–19 July on it (none here):
    # 300 for 61 (the old pro rata of the 12 days left gave 116.13).
    periode = Periode(d(2026, 7, 20), d(2026, 8, 31))
    restant = BudgetRestant(set())
    results = _results(restant.generer(periode, BASE, source))
    assert [r for r in results if r[1] == "61"] == [
        (d(2026, 7, 31), "61", D(300)),
        (d(2026, 8, 31), "61", D(300)),
    ]
    # Nothing covers 6132 here: the budget counts fully (1 000 a month, July included).
    assert [r for r in results if r[1] == "6132"] == [
        (d(2026, 7, 31), "6132", D(1000)),
        (d(2026, 8, 31), "6132", D(1000)),
    ]
    # Through the loaded inputs (which hand it their base forecasts): the excess of a
    # covered line is computed from the first day of the period's month (July: its
    # days before the 20th are the realised part of a half-realised month, the ledger
    # holds nothing on them here) to the end of the exercice, whatever the period's end.
    # 6132: July to December budgeted 6 × 1 000 = 6 000; the rent (1 000 indexed +2 % =
    # 1 020 on the 5th) is paid 5 times (August to December): 5 100. Excess 900, 150 a
    # month; the period keeps July and August. 61 is covered (the flows on 6132 and 616
    # extend it) but nothing is attached to it in 2026 (6132 has its own line, the
    # insurance falls in January 2027): its whole budget, 300 in July and in August.
    # Lines no input covers (6811, 756): July's whole budget (100, 200), nothing of it
    # being booked from the 1st to the 19th.
    loaded = _of(entrees, BudgetRestant).generer(periode, BASE, source)
    assert sorted(_results(loaded)) == [
        (d(2026, 7, 31), "61", D(300)),
        (d(2026, 7, 31), "6132", D(150)),
        (d(2026, 7, 31), "6811", D(100)),
        (d(2026, 7, 31), "756", D(200)),
        (d(2026, 8, 31), "61", D(300)),
        (d(2026, 8, 31), "6132", D(150)),
        (d(2026, 8, 31), "6811", D(100)),
        (d(2026, 8, 31), "756", D(200)),
    ]
    # The same months in a longer period: the same figures.
    longer = _of(entrees, BudgetRestant).generer(
        Periode(d(2026, 7, 20), d(2026, 12, 31)), BASE, source
    )
    assert [r for r in sorted(_results(longer)) if r[0] <= d(2026, 8, 31)] == sorted(
        _results(loaded)
    )


# --- Scenarios ------------------------------------------------------------------------------


def test_scenario_sans_surcharge_egale_la_base(
    chargees: tuple[Entrees, SourceAvecEcritures],
) -> None:
    entrees, source = chargees
    base = entrees.generer(PERIODE, BASE, source)
    neutre = entrees.generer(PERIODE, entrees.scenarios["neutre"], source)
    assert neutre == base
    assert base.tresorerie and base.resultat
    pessimiste = entrees.generer(PERIODE, entrees.scenarios["pessimiste"], source)
    assert pessimiste != base


def test_variations() -> None:
    assert lire_variation("-30%").appliquer(D(10000)) == D(7000)
    assert lire_variation("+5 %").appliquer(D(1000)) == D(1050)
    assert lire_variation("−10%").appliquer(D(-1000)) == D(-900)
    assert lire_variation(-1700).appliquer(D(-1650)) == D(-1700)
    assert lire_variation("1 700,50").appliquer(D(0)) == D("1700.50")
    with pytest.raises(ValueError, match="variation comme « -30% »"):
        lire_variation("moins trente")


def test_scenarios_invalides(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        {
            "previsions/scenarios.yaml": """\
        scenarios:
          - code: base
            libelle: Réservé
          - code: pessimiste
            libelle: Mauvais
            postes:
              coordinatrice: {fin: 2026-12-31}
            conventions:
              REG-INCONNUE: {montant: "-30%"}
              REG-2026: {montant: "moins trente", retard_mois: "4", report: 2}
              ETAT-2026:
                versements:
                  reliquat: {retard_mois: 4}
                  2: {retard_semaines: 2}
            flux:
              chauffage: {montant: -100}
              loyer: {montant: -1100, fin: demain, suspendu: true}
          - code: pessimiste
            libelle: Doublon
        """
        },
    )
    livre = load_livre(path)
    entrees = charger_entrees(livre.context)
    found = [(e.location.line, e.message) for e in entrees.erreurs]
    expected = [
        (
            2,
            "le code « base » désigne la prévision sans surcharge : choisissez-en un autre",
        ),
        (6, "postes : aucun fichier déclaré dans communs.yaml (previsions.paie)"),
        (
            9,
            "convention « REG-INCONNUE » inconnue (connues : ETAT-2026, REG-2026)",
        ),
        (
            10,
            "montant attendu : un nombre, ou une variation comme « -30% » (valeur lue : "
            "'moins trente')",
        ),
        (10, "retard_mois : nombre entier attendu (lu : '4')"),
        (
            10,
            "surcharge « report » inconnue pour une convention (montant, retard_mois, "
            "retard_jours, versements, annulee)",
        ),
        (
            13,
            "versement « reliquat » inconnu de ETAT-2026 (avance, solde, ou son rang : 1, 2…)",
        ),
        (
            14,
            "surcharge « retard_semaines » inconnue pour un versement (retard_mois, "
            "retard_jours, date)",
        ),
        (16, "flux « chauffage » inconnu (connus : assurance, loyer, ordinateur, pret)"),
        (17, "fin : date AAAA-MM-JJ attendue (lu : 'demain')"),
        (
            17,
            "surcharge « suspendu » inconnue pour un flux (montant, debut, fin, annule)",
        ),
        (18, "scénario « pessimiste » déclaré deux fois"),
    ]
    assert sorted(found) == sorted(expected)


def test_scenarios_sans_fichier_de_conventions(ledger_dir: Path) -> None:
    path = _write(ledger_dir)
    livre = load_livre(path)
    scenarios, errors = charger_scenarios(
        ledger_dir / "previsions" / "scenarios.yaml", livre.context, None, None, None
    )
    # The conventions and flows files are declared (not loaded here): nothing to check.
    assert errors == []
    assert sorted(scenarios) == ["neutre", "pessimiste"]
    pessimiste = scenarios["pessimiste"]
    assert pessimiste.conventions["REG-2026"] == {"montant": "-30%"}
    assert pessimiste.flux == {"loyer": {"montant": -1100}}
    assert pessimiste.location is not None and pessimiste.location.line == 2


def test_categories_de_tresorerie() -> None:
    assert categorie_tresorerie("7412", True) == "subventions"
    assert categorie_tresorerie("6132", False) == "loyer"
    assert categorie_tresorerie("6611", False) == "emprunts"
    assert categorie_tresorerie("467", True) == "autres_encaissements"
    assert categorie_tresorerie(None, False) == "autres_decaissements"


PAIE = """\
parametres:
  taux_salarial: 22
  taux_patronal: 30
postes:
  - code: coordinatrice
    debut: 2020-09-01
    brut_mensuel: 2650
"""


def test_scenarios_des_postes_verifies_par_la_paie(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        {
            "previsions/paie.yaml": PAIE,
            "previsions/scenarios.yaml": """\
            scenarios:
              - code: depart
                libelle: Poste non renouvelé
                postes:
                  coordinatrice: {fin: 2026-12-31}
              - code: erreurs
                libelle: Erreurs
                postes:
                  animateur: {fin: 2026-12-31}
                  coordinatrice: {fin: bientot}
            """,
        },
    )
    (ledger_dir / "communs.yaml").write_text(
        CONFIG.replace(
            "  flux: previsions/flux.yaml",
            "  flux: previsions/flux.yaml\n  paie: previsions/paie.yaml",
        ),
        encoding="utf-8",
    )
    livre = load_livre(path)
    entrees = charger_entrees(livre.context)
    found = [(e.location.filename, e.location.line) for e in entrees.erreurs]
    # The payroll reports its unknown post and its bad value, at their lines.
    assert found == [("previsions/scenarios.yaml", 9), ("previsions/scenarios.yaml", 10)]
    assert "animateur" in entrees.erreurs[0].message
    assert "date" in entrees.erreurs[1].message
    assert sorted(entrees.scenarios) == ["depart"]
    assert entrees.scenarios["depart"].postes == {"coordinatrice": {"fin": d(2026, 12, 31)}}
