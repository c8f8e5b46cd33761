"""The payroll forecast input (``previsions/paie.yaml``): validation at file:line, and the
charges, aids and cash movements it forecasts, computed by hand.

Each test writes a small association (ledger, ``communs.yaml`` declaring the
payroll file, the payroll file), loads the ledger with the real Beancount
loader, then the payroll with :func:`charger_paie` and generates a period.
Rates are those the files give (22 % withheld from the employee, 30 % or 28 %
employer): hand computations below each test.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path

from beancount import loader

from communs_ledger.contexte import LedgerContext
from communs_ledger.previsions.entrees import charger_entrees
from communs_ledger.previsions.modele import BASE, Periode, Previsions, Scenario
from communs_ledger.previsions.paie import Paie, charger_paie
from communs_ledger.previsions.paie import valider_surcharges_du_poste as valider_surcharges
from communs_ledger.rapports.source import Source
from communs_ledger.sources import Location
from conftest import BANQUE, write_ledger

SALAIRES = "Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires"
PERSONNEL = "Passif:42-Personnel:421-Remunerations-dues"
BODY = f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {SALAIRES} EUR
2025-01-01 open {PERSONNEL} EUR
"""
CONFIG = """\
projets:
  - code: CUISINE
    nom: Cuisine solidaire
previsions:
  paie: previsions/paie.yaml
"""
PARAMETRES = """\
parametres:
  taux_salarial: 22
  taux_patronal: 30
  paiement_salaires: fin_de_mois
  paiement_cotisations: 15
"""
D = datetime.date


def _ecrire(folder: Path, paie: str, body: str = BODY) -> tuple[Path, Path]:
    """Ledger + config + payroll file; returns (ledger, payroll file)."""
    ledger = write_ledger(folder, body, config=CONFIG)
    target = folder / "previsions" / "paie.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(paie), encoding="utf-8")
    return ledger, target


def _charger(folder: Path, paie: str, body: str = BODY) -> tuple[Paie, Source]:
    ledger, target = _ecrire(folder, paie, body)
    entries, errors, options = loader.load_file(str(ledger))
    assert errors == []
    paie_chargee, erreurs = charger_paie(target, LedgerContext.from_options(options))
    assert erreurs == []
    assert paie_chargee is not None
    return paie_chargee, Source.from_entries(entries, options)


def _erreurs(folder: Path, paie: str) -> list[tuple[int, str]]:
    ledger, target = _ecrire(folder, paie)
    _entries, _errors, options = loader.load_file(str(ledger))
    paie_chargee, erreurs = charger_paie(target, LedgerContext.from_options(options))
    assert paie_chargee is None
    assert {e.location.filename for e in erreurs} == {"previsions/paie.yaml"}
    return [(e.location.line, e.message) for e in erreurs]


def _resultat(previsions: Previsions) -> list[tuple[str, str, str]]:
    """(date, compte, montant) of the forecast charges and produits, sorted."""
    return sorted((r.date.isoformat(), r.compte, f"{r.montant}") for r in previsions.resultat)


def _tresorerie(previsions: Previsions) -> list[tuple[str, str, str, str | None]]:
    """(date, catégorie, montant, compte) of the forecast cash movements, sorted."""
    return sorted(
        (m.date.isoformat(), m.categorie, f"{m.montant}", m.compte) for m in previsions.tresorerie
    )


COORDINATRICE = """\
postes:
  - code: coordinatrice
    intitule: Coordinatrice (CDI)
    debut: 2020-09-01
    brut_mensuel: 2650
    brut_au: 2025-01-01
    taux_patronal: 28
    augmentation: {taux: 2, mois: 1}
    primes: [{mois: 12, montant: 500, libelle: Prime de fin d'année}]
"""


# --- Generation: hand-computed figures ---------------------------------------------------


def test_augmentation_en_janvier_et_prime_en_decembre(ledger_dir: Path) -> None:
    """Nov.: 2650 brut; 28 % = 742.00; 22 % = 583.00 → net 2067.00, cotisations 1325.00.
    Dec.: 2650 + prime 500 = 3150; 882.00; 693.00 → net 2457.00, cotisations 1575.00.
    Jan. and Feb.: 2650 × 1.02 = 2703.00; 756.84; 594.66 → net 2108.34, cotisations 1351.50.
    The 2025-01-01 raise is not applied (brut_au is that day); February's contributions
    (15 March) fall after the period."""
    paie, source = _charger(ledger_dir, PARAMETRES + COORDINATRICE)
    previsions = paie.generer(Periode(D(2025, 11, 1), D(2026, 2, 28)), BASE, source)
    assert _resultat(previsions) == [
        ("2025-11-30", "6411", "2650.00"),
        ("2025-11-30", "6451", "742.00"),
        ("2025-12-31", "6411", "2650.00"),
        ("2025-12-31", "6413", "500"),
        ("2025-12-31", "6451", "882.00"),
        ("2026-01-31", "6411", "2703.00"),
        ("2026-01-31", "6451", "756.84"),
        ("2026-02-28", "6411", "2703.00"),
        ("2026-02-28", "6451", "756.84"),
    ]
    assert _tresorerie(previsions) == [
        ("2025-11-30", "salaires", "-2067.00", "421"),
        ("2025-12-15", "charges_sociales", "-1325.00", "431"),
        ("2025-12-31", "salaires", "-2457.00", "421"),
        ("2026-01-15", "charges_sociales", "-1575.00", "431"),
        ("2026-01-31", "salaires", "-2108.34", "421"),
        ("2026-02-15", "charges_sociales", "-1351.50", "431"),
        ("2026-02-28", "salaires", "-2108.34", "421"),
    ]
    prime = next(r for r in previsions.resultat if r.compte == "6413")
    assert prime.libelle == "Prime de fin d'année — Coordinatrice (CDI)"
    assert prime.origine == "paie:coordinatrice"
    assert prime.location == Location("previsions/paie.yaml", 7)
    net = next(m for m in previsions.tresorerie if m.categorie == "salaires")
    assert net.libelle == "Salaire net de novembre 2025 — Coordinatrice (CDI)"
    assert paie.codes_couverts() == {"6411", "6413", "6451"}


def test_poste_commencant_en_milieu_de_mois(ledger_dir: Path) -> None:
    """Start on 16 March: 16 days of 31. Brut 2000 × 16/31 = 1032.258… → 1032.26;
    30 % = 309.678 → 309.68; 22 % = 227.0972 → 227.10; net 805.16; cotisations
    227.10 + 309.68 = 536.78 on 15 April. April whole: 2000, 600.00, net 1560.00."""
    paie, source = _charger(
        ledger_dir,
        PARAMETRES
        + """\
postes:
  - code: animateur
    debut: 2026-03-16
    etp: 0.8
    brut_mensuel: 2000
    projet: CUISINE
""",
    )
    previsions = paie.generer(Periode(D(2026, 3, 1), D(2026, 4, 30)), BASE, source)
    assert _resultat(previsions) == [
        ("2026-03-31", "6411", "1032.26"),
        ("2026-03-31", "6451", "309.68"),
        ("2026-04-30", "6411", "2000.00"),
        ("2026-04-30", "6451", "600.00"),
    ]
    assert _tresorerie(previsions) == [
        ("2026-03-31", "salaires", "-805.16", "421"),
        ("2026-04-15", "charges_sociales", "-536.78", "431"),
        ("2026-04-30", "salaires", "-1560.00", "421"),
    ]
    assert {r.projet for r in previsions.resultat} == {"CUISINE"}
    assert {m.projet for m in previsions.tresorerie} == {"CUISINE"}


MEDIATEUR = """\
postes:
  - code: mediateur
    intitule: Médiateur (adulte-relais)
    debut: 2025-01-01
    fin: 2026-06-15
    brut_mensuel: 1900
    treizieme_mois: true
    aides:
      - type: adulte_relais
        financeur: État (ASP)
        montant_annuel: 12000
        compte: "7411"
        fin: 2026-05-20
        versements: trimestriel
"""


def test_poste_finissant_en_cours_d_annee_et_aide_trimestrielle(ledger_dir: Path) -> None:
    """January to May: 1900; 30 % = 570.00; 22 % = 418.00 → net 1482.00, cotisations 988.00.
    June, 15 days of 30: 950.00, and the 13th month with it (the post ends before
    December): 1900 × 166 days of presence / 365 = 864.109… → 864.11; total 1814.11;
    30 % = 544.233 → 544.23; 22 % = 399.1042 → 399.10; net 1415.01; cotisations 943.33.
    Aid: 12000 / 12 = 1000 a month to April, May 1000 × 20/31 = 645.16; quarterly:
    Q1 3000.00 on 30 April, Q2 1645.16 on 31 July; Q4 2025 (paid 31 January) was
    acquired before the period: the open 441 balance, not this module."""
    paie, source = _charger(ledger_dir, PARAMETRES + MEDIATEUR)
    previsions = paie.generer(Periode(D(2026, 1, 1), D(2026, 12, 31)), BASE, source)
    months = ["01-31", "02-28", "03-31", "04-30", "05-31"]
    expected = []
    for month in months:
        expected += [(f"2026-{month}", "6411", "1900.00"), (f"2026-{month}", "6451", "570.00")]
    expected += [(f"2026-{month}", "7411", "1000.00") for month in months[:4]]
    expected += [
        ("2026-05-31", "7411", "645.16"),
        ("2026-06-30", "6411", "950.00"),
        ("2026-06-30", "6413", "864.11"),
        ("2026-06-30", "6451", "544.23"),
    ]
    assert _resultat(previsions) == sorted(expected)
    cash = [(f"2026-{m}", "salaires", "-1482.00", "421") for m in months]
    cash += [(f"2026-{m:02d}-15", "charges_sociales", "-988.00", "431") for m in range(2, 7)]
    cash += [
        ("2026-04-30", "subventions", "3000.00", "441"),
        ("2026-06-30", "salaires", "-1415.01", "421"),
        ("2026-07-15", "charges_sociales", "-943.33", "431"),
        ("2026-07-31", "subventions", "1645.16", "441"),
    ]
    assert _tresorerie(previsions) == sorted(cash)
    aide = next(m for m in previsions.tresorerie if m.categorie == "subventions")
    assert aide.detail == "État (ASP)"
    assert aide.libelle == "Aide adulte-relais — Médiateur (adulte-relais)"
    assert aide.location == Location("previsions/paie.yaml", 14)
    treizieme = next(r for r in previsions.resultat if r.compte == "6413")
    assert treizieme.libelle == "Treizième mois 2026 — Médiateur (adulte-relais)"
    assert paie.codes_couverts() == {"6411", "6413", "6451", "7411"}


def test_treizieme_mois_en_decembre_au_prorata_de_presence(ledger_dir: Path) -> None:
    """Start on 1 July: 184 days of 2026. 13th month 1800 × 184 / 365 = 907.397… → 907.40,
    paid with December's salary: total 2707.40; 30 % = 812.22; 22 % = 595.628 → 595.63;
    net 2111.77."""
    paie, source = _charger(
        ledger_dir,
        PARAMETRES
        + """\
postes:
  - code: cuisinier
    debut: 2026-07-01
    brut_mensuel: 1800
    treizieme_mois: true
""",
    )
    previsions = paie.generer(Periode(D(2026, 12, 1), D(2026, 12, 31)), BASE, source)
    assert _resultat(previsions) == [
        ("2026-12-31", "6411", "1800.00"),
        ("2026-12-31", "6413", "907.40"),
        ("2026-12-31", "6451", "812.22"),
    ]
    assert _tresorerie(previsions) == [("2026-12-31", "salaires", "-2111.77", "421")]


def test_detail_des_cotisations_et_aides_mensuelles_ou_datees(ledger_dir: Path) -> None:
    """Detail: 2000 × 14 % = 280.00 (6451), × 9 % = 180.00 (6453), × 2 % = 40.00 (6452);
    cotisations paid: 440.00 withheld + 500.00 = 940.00. PEC aid 800 a month from
    February, paid the following month's last day; FONJEP 500 a month paid on the
    listed dates: 30 June pays January–June, 31 December July–December."""
    paie, source = _charger(
        ledger_dir,
        """\
        parametres:
          taux_salarial: 22
          organismes: {urssaf: "6451", retraite: "6453"}
        postes:
          - code: animatrice
            debut: 2026-01-01
            brut_mensuel: 2000
            cotisations: {urssaf: 14, retraite: 9, "6452": 2}
            aides:
              - type: pec
                montant_mensuel: 800
                compte: "7412"
                debut: 2026-02-01
              - type: fonjep
                montant_annuel: 6000
                compte: "7413"
                versements: {dates: [2026-06-30, 2026-12-31]}
        """,
    )
    previsions = paie.generer(Periode(D(2026, 1, 1), D(2026, 12, 31)), BASE, source)
    january = [r for r in _resultat(previsions) if r[0] == "2026-01-31"]
    assert january == [
        ("2026-01-31", "6411", "2000.00"),
        ("2026-01-31", "6451", "280.00"),
        ("2026-01-31", "6452", "40.00"),
        ("2026-01-31", "6453", "180.00"),
        ("2026-01-31", "7413", "500.00"),
    ]
    cotisations = {m.montant for m in previsions.tresorerie if m.categorie == "charges_sociales"}
    assert cotisations == {Decimal("-940.00")}
    subsidies = [t for t in _tresorerie(previsions) if t[1] == "subventions"]
    pec = [
        (f"2026-{m:02d}-{d}", "subventions", "800.00", "441")
        for m, d in (
            (3, 31),
            (4, 30),
            (5, 31),
            (6, 30),
            (7, 31),
            (8, 31),
            (9, 30),
            (10, 31),
            (11, 30),
            (12, 31),
        )
    ]
    fonjep = [
        ("2026-06-30", "subventions", "3000.00", "441"),
        ("2026-12-31", "subventions", "3000.00", "441"),
    ]
    assert subsidies == sorted(pec + fonjep)
    details = {m.detail for m in previsions.tresorerie if m.categorie == "subventions"}
    assert details == {"Aide au parcours emploi compétences", "Poste FONJEP"}
    assert paie.codes_couverts() == {"6411", "6451", "6452", "6453", "7412", "7413"}


# --- The first month of the period -------------------------------------------------------

SIMPLE = """\
parametres:
  taux_salarial: 22
  taux_patronal: 30
  paiement_salaires: {jour}
  paiement_cotisations: 20
postes:
  - code: agent
    debut: 2025-01-01
    brut_mensuel: 2000
"""


def test_premier_mois_compte_en_entier_si_la_paie_est_a_venir(ledger_dir: Path) -> None:
    """Period from 16 April: April's payroll (paid 30 April) is forecast whole: 2000,
    net 1560.00, cotisations 440 + 600 = 1040.00 on 20 May. March's contributions,
    paid on 20 April, are an open 43x balance of the ledger: not emitted here."""
    paie, source = _charger(ledger_dir, SIMPLE.format(jour="fin_de_mois"))
    previsions = paie.generer(Periode(D(2026, 4, 16), D(2026, 5, 31)), BASE, source)
    assert _resultat(previsions) == [
        ("2026-04-30", "6411", "2000.00"),
        ("2026-04-30", "6451", "600.00"),
        ("2026-05-31", "6411", "2000.00"),
        ("2026-05-31", "6451", "600.00"),
    ]
    assert _tresorerie(previsions) == [
        ("2026-04-30", "salaires", "-1560.00", "421"),
        ("2026-05-20", "charges_sociales", "-1040.00", "431"),
        ("2026-05-31", "salaires", "-1560.00", "421"),
    ]


def test_premier_mois_deja_enregistre_dans_le_livre(ledger_dir: Path) -> None:
    """April's salaries recorded on 10 April: the plan from 16 April starts with May."""
    body = BODY + textwrap.dedent(
        f"""\

        2026-04-10 * "Paie" "Salaires d'avril"
          {SALAIRES}  2000.00 EUR
          {PERSONNEL}
        """
    )
    paie, source = _charger(ledger_dir, SIMPLE.format(jour="fin_de_mois"), body)
    previsions = paie.generer(Periode(D(2026, 4, 16), D(2026, 5, 31)), BASE, source)
    assert _resultat(previsions) == [
        ("2026-05-31", "6411", "2000.00"),
        ("2026-05-31", "6451", "600.00"),
    ]
    assert _tresorerie(previsions) == [("2026-05-31", "salaires", "-1560.00", "421")]
    # Without the ledger (no context), April would be forecast.
    assert len(paie.generer(Periode(D(2026, 4, 16), D(2026, 5, 31)), BASE, None).resultat) == 4


def test_premier_mois_dont_le_jour_de_paie_est_passe(ledger_dir: Path) -> None:
    """Salaries paid on the 28th: a plan from 29 April starts with May's payroll."""
    paie, source = _charger(ledger_dir, SIMPLE.format(jour=28))
    previsions = paie.generer(Periode(D(2026, 4, 29), D(2026, 5, 31)), BASE, source)
    assert _resultat(previsions) == [
        ("2026-05-31", "6411", "2000.00"),
        ("2026-05-31", "6451", "600.00"),
    ]
    assert _tresorerie(previsions) == [("2026-05-28", "salaires", "-1560.00", "421")]


# --- Scenarios ---------------------------------------------------------------------------

DEUX_POSTES = (
    PARAMETRES
    + COORDINATRICE
    + """\
  - code: animateur
    debut: 2026-03-16
    etp: 0.8
    brut_mensuel: 2000
    aides:
      - type: pec
        montant_mensuel: 800
        compte: "7412"
"""
)


def test_scenario_sans_surcharge_egal_a_la_base(ledger_dir: Path) -> None:
    paie, source = _charger(ledger_dir, DEUX_POSTES)
    periode = Periode(D(2026, 1, 1), D(2026, 12, 31))
    base = paie.generer(periode, BASE, source)
    vide = paie.generer(periode, Scenario("vide", "Sans surcharge"), source)
    assert base.resultat == vide.resultat
    assert base.tresorerie == vide.tresorerie


def test_scenario_poste_non_renouvele_et_salaire_reduit(ledger_dir: Path) -> None:
    """Coordinatrice −10 %: 2650 × 0.9 = 2385.00, raised in January: 2432.70;
    28 % = 681.156 → 681.16; 22 % = 535.194 → 535.19; net 1897.51. Animateur ends on
    30 April: nothing after April, its aid stops with it (April: 800.00, paid 31 May)."""
    paie, source = _charger(ledger_dir, DEUX_POSTES)
    scenario = Scenario(
        "pessimiste",
        "Pessimiste",
        postes={"animateur": {"fin": D(2026, 4, 30)}, "coordinatrice": {"brut_mensuel": "-10%"}},
    )
    previsions = paie.generer(Periode(D(2026, 1, 1), D(2026, 12, 31)), scenario, source)
    coordinatrice = [r for r in previsions.resultat if r.origine == "paie:coordinatrice"]
    assert {(r.compte, r.montant) for r in coordinatrice if r.date.month == 1} == {
        ("6411", Decimal("2432.70")),
        ("6451", Decimal("681.16")),
    }
    net = next(m for m in previsions.tresorerie if m.date == D(2026, 1, 31))
    assert net.montant == Decimal("-1897.51")
    animateur = [r for r in previsions.resultat if r.origine == "paie:animateur"]
    assert max(r.date for r in animateur) == D(2026, 4, 30)
    aides = [m for m in previsions.tresorerie if m.categorie == "subventions"]
    assert [(m.date, m.montant) for m in aides] == [
        (D(2026, 4, 30), Decimal("412.90")),  # March: 800 × 16/31 = 412.903… → 412.90
        (D(2026, 5, 31), Decimal("800.00")),
    ]


def test_scenario_etp_taux_et_aides_supprimees(ledger_dir: Path) -> None:
    """Animateur at 0.5 ETP instead of 0.8: April 2000 × 0.5 / 0.8 = 1250.00; employer rate
    25 %: 312.50; no aid."""
    paie, source = _charger(ledger_dir, DEUX_POSTES)
    scenario = Scenario(
        "reduit",
        "Temps réduit",
        postes={"animateur": {"etp": Decimal("0.5"), "taux_patronal": 25, "aides": False}},
    )
    previsions = paie.generer(Periode(D(2026, 4, 1), D(2026, 4, 30)), scenario, source)
    animateur = [r for r in previsions.resultat if r.origine == "paie:animateur"]
    assert sorted((r.date, r.compte, r.montant) for r in animateur) == [
        (D(2026, 4, 30), "6411", Decimal("1250.00")),
        (D(2026, 4, 30), "6451", Decimal("312.50")),
    ]
    assert not any(m.categorie == "subventions" for m in previsions.tresorerie)


def test_valider_surcharges(ledger_dir: Path) -> None:
    """One post's overrides, as the scenarios module passes them (a dict, the post's line)."""
    paie, _source = _charger(ledger_dir, DEUX_POSTES)
    where = Location("previsions/scenarios.yaml", 4)
    overrides = {"fin": D(2026, 3, 1), "etp": 2, "salaire": 1, "aides": "non"}
    assert [str(e) for e in valider_surcharges(overrides, where)] == [
        "previsions/scenarios.yaml:4: etp : ETP entre 0 (exclu) et 1,2 attendu (valeur lue : 2)",
        "previsions/scenarios.yaml:4: clé inconnue « salaire » (clés possibles : debut, fin, "
        "brut_mensuel, etp, taux_patronal, aides)",
        "previsions/scenarios.yaml:4: aides : false (aides supprimées) ou true attendu "
        "(valeur lue : 'non')",
    ]
    # With the post: named in messages, and the new end is checked against its start.
    assert [
        str(e) for e in paie.valider_surcharges("animateur", {"fin": D(2026, 3, 1)}, where)
    ] == [
        "previsions/scenarios.yaml:4: poste « animateur » : la fin (2026-03-01) précède le "
        "début (2026-03-16)"
    ]
    assert [str(e) for e in paie.valider_surcharges("secretaire", {}, where)] == [
        "previsions/scenarios.yaml:4: poste « secretaire » inconnu (coordinatrice, animateur)"
    ]
    # A function gives each key its own line.
    lines = {(): 5, ("fin",): 6, ("brut_mensuel",): 7}
    errors = valider_surcharges(
        {"fin": "31/12/2026", "brut_mensuel": "beaucoup"},
        lambda path: Location("s.yaml", lines[path]),
    )
    assert [str(e) for e in errors] == [
        "s.yaml:6: fin : date AAAA-MM-JJ attendue (valeur lue : '31/12/2026')",
        "s.yaml:7: brut_mensuel : montant attendu : un nombre, ou une variation comme "
        "« -30% » (valeur lue : 'beaucoup')",
    ]
    assert [
        str(e) for e in valider_surcharges(["fin"], lambda path: Location("s.yaml", lines[path]))
    ] == ["s.yaml:5: ensemble « clé: valeur » attendu (ex. {fin: 2026-08-31})"]
    valides = {"fin": None, "aides": False, "brut_mensuel": "-10 %", "taux_patronal": "25"}
    assert valider_surcharges(valides, where) == []
    assert [str(e) for e in valider_surcharges({"brut_mensuel": "-100%"}, where)] == [
        "previsions/scenarios.yaml:4: brut_mensuel : variation supérieure à -100 % attendue "
        "(valeur lue : '-100%')"
    ]


# --- Validation: exact French messages at their lines ------------------------------------


def test_erreurs_de_schema(ledger_dir: Path) -> None:
    assert _erreurs(
        ledger_dir,
        """\
        parametres:
          taux_salarial: 22
          taux_patronal: 130
        postes:
          - code: coordinatrice
            debut: 2020-09-01
            brut_mensuel: 2650
            etp: 1.5
            intitulé: Coordinatrice
            aides:
              - type: emploi_franc
                compte: "7411"
                montant_mensuel: 500
        """,
    ) == [
        (3, "parametres.taux_patronal : pourcentage entre 0 et 100 attendu (valeur lue : 130)"),
        (8, "postes[1].etp : ETP entre 0 (exclu) et 1,2 attendu (valeur lue : 1.5)"),
        (9, "clé inconnue « intitulé » : vouliez-vous dire « intitule » ?"),
        (
            11,
            "postes[1].aides[1].type : valeur « emploi_franc » non admise (valeurs possibles : "
            "fonjep, pec, adulte_relais, apprentissage, autre)",
        ),
    ]


def test_erreurs_de_coherence(ledger_dir: Path) -> None:
    assert _erreurs(
        ledger_dir,
        """\
        parametres:
          taux_salarial: 22
          taux_patronal: 30
        postes:
          - code: animateur
            debut: 2026-06-01
            fin: 2026-03-31
            brut_mensuel: 2000
          - code: mediateur
            debut: 2025-01-01
            fin: 2026-06-30
            brut_mensuel: 1900
            projet: INCONNU
            aides:
              - type: adulte_relais
                compte: "7411"
                montant_annuel: 12000
                debut: 2024-12-01
                fin: 2026-12-31
          - code: mediateur
            debut: 2026-01-01
            brut_mensuel: 1800
          - code: cuisinier
            debut: 2026-01-01
            brut_mensuel: 1800
            cotisations: {urssaf: 20}
            aides:
              - type: pec
                compte: "7401"
                montant_mensuel: 800
                versements: hebdomadaire
        """,
    ) == [
        (7, "poste « animateur » : la fin (2026-03-31) précède le début (2026-06-01)"),
        (13, "projet « INCONNU » inconnu (CUISINE)"),
        (
            18,
            "aide « Aide adulte-relais » : elle commence le 2024-12-01, avant le début du poste "
            "« mediateur » (2025-01-01)",
        ),
        (
            19,
            "aide « Aide adulte-relais » : elle se termine le 2026-12-31, après la fin du poste "
            "« mediateur » (2026-06-30)",
        ),
        (20, "poste « mediateur » déclaré deux fois"),
        (
            26,
            "poste « cuisinier » : organisme « urssaf » inconnu (numéro de compte 64… ou "
            "organisme déclaré : aucun dans parametres.organismes)",
        ),
        (29, "compte 7401 inconnu du plan comptable 2025"),
        (
            31,
            "aide « Aide au parcours emploi compétences » : versements : mensuel, trimestriel, "
            "annuel ou {dates: [AAAA-MM-JJ, …]} attendu (valeur lue : 'hebdomadaire')",
        ),
    ]


def test_erreurs_de_comptes(ledger_dir: Path) -> None:
    """Accounts of the wrong class, a heading; 7401 extends the postable 74 of the 2018 chart
    (a post of 2024 only) but only the heading 74 of the 2025 one."""
    assert _erreurs(
        ledger_dir,
        """\
        parametres:
          taux_salarial: 22
          taux_patronal: 30
          comptes: {salaires: "6064", cotisations: "64"}
        postes:
          - code: ancien
            debut: 2024-01-01
            fin: 2024-12-31
            brut_mensuel: 2000
            aides:
              - {type: autre, compte: "7401", montant_mensuel: 100}
          - code: nouveau
            debut: 2026-01-01
            brut_mensuel: 2000
            aides:
              - {type: autre, compte: "756", montant_mensuel: 100}
              - {type: autre, compte: "7401", montant_mensuel: 100}
        """,
    ) == [
        (4, "compte 6064 : un compte de charges de personnel (64…) est attendu"),
        (
            4,
            "compte 64 « Charges de personnel » : titre du plan comptable 2018, choisissez un "
            "compte mouvementable (641, 645, 647, 648)",
        ),
        (16, "compte 756 : une aide à l'emploi se comptabilise en subvention d'exploitation (74…)"),
        (17, "compte 7401 inconnu du plan comptable 2025"),
    ]


def test_taux_patronal_manquant_ou_en_double(ledger_dir: Path) -> None:
    assert _erreurs(
        ledger_dir,
        """\
        parametres:
          taux_salarial: 22
        postes:
          - code: agent
            debut: 2026-01-01
            brut_mensuel: 2000
          - code: agente
            debut: 2026-01-01
            brut_mensuel: 2000
            taux_patronal: 30
            cotisations: {"6451": 30}
        """,
    ) == [
        (
            4,
            "poste « agent » : taux de cotisations patronales manquant (taux_patronal ou "
            "cotisations, dans le poste ou dans parametres)",
        ),
        (11, "poste « agente » : taux_patronal et cotisations s'excluent (donnez l'un ou l'autre)"),
    ]


def test_chargement_par_les_entrees_de_prevision(ledger_dir: Path) -> None:
    """Through ``charger_entrees``: the payroll joins the inputs; its errors carry file:line."""
    ledger, _target = _ecrire(ledger_dir, PARAMETRES + COORDINATRICE)
    _entries, _errors, options = loader.load_file(str(ledger))
    entrees = charger_entrees(LedgerContext.from_options(options))
    assert entrees.erreurs == []
    assert any(isinstance(entree, Paie) for entree in entrees.entrees)
    assert {"6411", "6413", "6451"} <= entrees.codes_couverts()

    (ledger_dir / "previsions" / "paie.yaml").write_text(
        "parametres:\n  taux_salarial: 122\n", encoding="utf-8"
    )
    entrees = charger_entrees(LedgerContext.from_options(options))
    assert [str(e) for e in entrees.erreurs] == [
        "previsions/paie.yaml:2: parametres.taux_salarial : pourcentage entre 0 et 100 attendu "
        "(valeur lue : 122)"
    ]
    assert not any(isinstance(entree, Paie) for entree in entrees.entrees)
