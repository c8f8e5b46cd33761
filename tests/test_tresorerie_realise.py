"""Actual cash by category (``previsions.realise``) on a small association whose figures
are computed by hand, loaded with the real Beancount loader; property tests on random
ledgers (every month, receipts − payments = the change of the treasury balance).

The association (exercices 2025 and 2026, calendar) — treasury: bank, savings account,
cash box:

====================  =======================================================  =========
date                  transaction                                              cash
====================  =======================================================  =========
2025-12-31            opening: bank 10 000, savings 5 000 (fonds propres)      +15 000
2026-01-10            cotisations                                              +600
2026-01-15            rent (6132)                                              −800
2026-01-31            payroll booked: 6411 2 000, 6451 800 / 421, 431          0
2026-01-31            net salary paid (421)                                    −1 500
2026-02-05            bank → savings account (transfer)                        0
2026-02-15            Urssaf paid (431)                                        −1 300
2026-02-20            Région subsidy notified: 441:Region / 7412-Region        0
2026-02-25            Région subsidy received (441:Region)                     +6 000
2026-03-03            État subsidy net of 5 € fees: 7411-Etat −1 000, 627 +5   +995
2026-03-10            supplies 300 (6064) and rent 200 (6132), one payment     −500
2026-03-20            payroll paid directly: 6411 2 000, 6451 800, 431 −1 300  −1 500
2026-03-25            Urssaf paid (431)                                        −1 300
2026-03-31            bank → cash box (transfer)                               0
2026-03-31            cotisation in cash                                       +50
2026-04-10            prestation (706)                                         +1 200
====================  =======================================================  =========

Month-end treasury balances: Dec. 15 000, Jan. 13 300, Feb. 18 000, Mar. 15 745,
and 16 945 at 10 April (the last actual date).
"""

from __future__ import annotations

import datetime
import random
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communs_ledger.chargement import load_livre
from communs_ledger.codes import est_tresorerie
from communs_ledger.conventions.financeurs import FINANCEUR_NON_PRECISE, cle, financeur, lisible
from communs_ledger.previsions.realise import (
    DECAISSEMENT,
    ENCAISSEMENT,
    categories_de_tresorerie,
    flux_reels,
    solde_de_tresorerie,
    tresorerie_reelle,
)
from communs_ledger.rapports.source import Source
from conftest import ROOT_OPTIONS, write_ledger

D = Decimal

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
LIVRET = "Actif:51-Banques:512-Banques:Livret"
CAISSE = "Actif:53-Caisse"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
CREANCE_REGION = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
REMUNERATIONS = "Passif:42-Personnel:421-Remunerations-dues"
URSSAF = "Passif:43-Organismes-sociaux:431-Urssaf"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
COTISATIONS_URSSAF = "Charges:64-Charges-de-personnel:6451-Cotisations-Urssaf"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
FRAIS_BANCAIRES = "Charges:62-Autres-services-exterieurs:627-Services-bancaires"
PRESTATIONS = "Produits:70-Ventes-et-prestations:706-Prestations-de-services"
SUBV_ETAT = "Produits:74-Subventions:741-Subventions-d-exploitation:7411-Etat"
SUBV_REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"

ACCOUNTS = (
    BANQUE,
    LIVRET,
    CAISSE,
    FONDS,
    CREANCE_REGION,
    REMUNERATIONS,
    URSSAF,
    SALAIRES,
    COTISATIONS_URSSAF,
    LOYER,
    FOURNITURES,
    FRAIS_BANCAIRES,
    PRESTATIONS,
    SUBV_ETAT,
    SUBV_REGION,
    COTISATIONS,
)

LEDGER = "\n".join(
    [
        'option "title" "Les Potagers de la Vallée"',
        'option "operating_currency" "EUR"',
        "",
        *(f"2025-01-01 open {account}" for account in ACCOUNTS),
        "",
        textwrap.dedent(
            f"""\
            2025-12-31 * "Apport" "Fonds propres en banque et sur le livret"
              {BANQUE}  10000.00 EUR
              {LIVRET}  5000.00 EUR
              {FONDS}  -15000.00 EUR

            2026-01-10 * "Adhérents" "Cotisations de janvier"
              {BANQUE}  600.00 EUR
              {COTISATIONS}  -600.00 EUR

            2026-01-15 * "SCI du Moulin" "Loyer de janvier"
              {LOYER}  800.00 EUR
              {BANQUE}  -800.00 EUR

            2026-01-31 * "Paie de janvier"
              {SALAIRES}  2000.00 EUR
              {COTISATIONS_URSSAF}  800.00 EUR
              {REMUNERATIONS}  -1500.00 EUR
              {URSSAF}  -1300.00 EUR

            2026-01-31 * "Salariée" "Salaire net de janvier"
              {REMUNERATIONS}  1500.00 EUR
              {BANQUE}  -1500.00 EUR

            2026-02-05 * "Virement vers le livret"
              {LIVRET}  2000.00 EUR
              {BANQUE}  -2000.00 EUR

            2026-02-15 * "Urssaf" "Cotisations de janvier"
              {URSSAF}  1300.00 EUR
              {BANQUE}  -1300.00 EUR

            2026-02-20 * "Région" "Notification de la subvention 2026"
              {CREANCE_REGION}  6000.00 EUR
              {SUBV_REGION}  -6000.00 EUR

            2026-02-25 * "Région" "Versement de la subvention"
              {BANQUE}  6000.00 EUR
              {CREANCE_REGION}  -6000.00 EUR

            2026-03-03 * "État" "Subvention FDVA, nette des frais de virement"
              {BANQUE}  995.00 EUR
              {FRAIS_BANCAIRES}  5.00 EUR
              {SUBV_ETAT}  -1000.00 EUR

            2026-03-10 * "Fournitures et complément de loyer"
              {FOURNITURES}  300.00 EUR
              {LOYER}  200.00 EUR
              {BANQUE}  -500.00 EUR

            2026-03-20 * "Paie de mars, payée directement"
              {SALAIRES}  2000.00 EUR
              {COTISATIONS_URSSAF}  800.00 EUR
              {URSSAF}  -1300.00 EUR
              {BANQUE}  -1500.00 EUR

            2026-03-25 * "Urssaf" "Cotisations de mars"
              {URSSAF}  1300.00 EUR
              {BANQUE}  -1300.00 EUR

            2026-03-31 * "Retrait pour la caisse"
              {CAISSE}  100.00 EUR
              {BANQUE}  -100.00 EUR

            2026-03-31 * "Adhérent" "Cotisation en espèces"
              {CAISSE}  50.00 EUR
              {COTISATIONS}  -50.00 EUR

            2026-04-10 * "Ville" "Ateliers de jardinage"
              {BANQUE}  1200.00 EUR
              {PRESTATIONS}  -1200.00 EUR
            """
        ),
    ]
)

CONFIG = """\
association:
  nom: "Les Potagers de la Vallée"
previsions:
  seuil: {mois_de_charges: 2}
"""

DERNIERE = datetime.date(2026, 4, 10)
SOLDES_FIN_DE_MOIS = {
    (2025, 12): D("15000"),
    (2026, 1): D("13300"),
    (2026, 2): D("18000"),
    (2026, 3): D("15745"),
}


def write_association(folder: Path, config: str = CONFIG) -> Path:
    return write_ledger(folder, LEDGER, config=config)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    path = write_association(tmp_path_factory.mktemp("tresorerie") / "asso")
    livre = load_livre(path)
    assert livre.ok, livre.diagnostics
    return Source.from_livre(livre)


# --- Categories and funders -------------------------------------------------------------------


def test_les_comptes_de_tresorerie_sont_la_classe_5_sauf_59():
    assert est_tresorerie("512") and est_tresorerie("53") and est_tresorerie("58")
    assert est_tresorerie("5121")
    assert not est_tresorerie("59") and not est_tresorerie("590")
    assert not est_tresorerie("441") and not est_tresorerie(None)


def test_categorie_par_le_plus_long_prefixe():
    categories = categories_de_tresorerie()
    assert categories.classer("7412", ENCAISSEMENT).id == "subventions"
    assert categories.classer("441", ENCAISSEMENT).id == "subventions"
    assert categories.classer("756", ENCAISSEMENT).id == "cotisations"
    assert categories.classer("7541", ENCAISSEMENT).id == "dons"
    assert categories.classer("102", ENCAISSEMENT).id == "autres_encaissements"
    assert categories.classer("6411", DECAISSEMENT).id == "salaires"
    assert categories.classer("421", DECAISSEMENT).id == "salaires"
    assert categories.classer("431", DECAISSEMENT).id == "charges_sociales"
    assert categories.classer("442", DECAISSEMENT).id == "charges_sociales"  # not 44: impôts
    assert categories.classer("6132", DECAISSEMENT).id == "loyer"  # 613 before 61: achats
    assert categories.classer("616", DECAISSEMENT).id == "achats"
    assert categories.classer("6333", DECAISSEMENT).id == "charges_sociales"  # 633 before 63
    assert categories.classer("2183", DECAISSEMENT).id == "investissements"
    assert categories.classer("164", DECAISSEMENT).id == "emprunts"
    assert categories.classer("", DECAISSEMENT).id == "autres_decaissements"
    assert categories.get("subventions").detail == "financeur"


def test_libelle_du_financeur():
    assert financeur(SUBV_REGION) == "Région"
    assert financeur(CREANCE_REGION) == "Région"
    assert financeur(SUBV_ETAT) == "État"
    assert financeur("Produits:74-Subventions:7401-Region") == "Région"
    assert (
        financeur("Actif:44-Etat:441-Subventions-a-recevoir:Conseil-departemental")
        == "Conseil départemental"
    )
    assert financeur("Produits:74-Subventions:741-Subventions-d-exploitation:CAF-Essonne") == (
        "CAF Essonne"
    )
    # a chart account itself names no funder
    assert financeur("Produits:74-Subventions:741-Subventions-d-exploitation") == (
        FINANCEUR_NON_PRECISE
    )
    assert financeur("Actif:44-Etat:441-Subventions-a-recevoir") == FINANCEUR_NON_PRECISE
    assert lisible("Organismes-sociaux") == "Organismes sociaux"
    assert lisible("fonds_europeens") == "Fonds européens"
    assert cle("Région") == cle("Region") == cle("REGION") == "region"


# --- The small association --------------------------------------------------------------------


def _cells(source: Source) -> dict:
    moves = source.mouvements.entre(datetime.date(2026, 1, 1), DERNIERE)
    return tresorerie_reelle(moves).par_mois


def test_janvier_cotisations_loyer_salaire_net(source: Source):
    january = _cells(source)[(2026, 1)]
    assert january == {
        (ENCAISSEMENT, "cotisations", None): D("600"),
        (DECAISSEMENT, "loyer", None): D("800"),
        (DECAISSEMENT, "salaires", None): D("1500"),
    }


def test_fevrier_urssaf_et_subvention_par_le_441_virement_exclu(source: Source):
    february = _cells(source)[(2026, 2)]
    assert february == {
        (DECAISSEMENT, "charges_sociales", None): D("1300"),
        (ENCAISSEMENT, "subventions", None): D("6000"),
        (ENCAISSEMENT, "subventions", "region"): D("6000"),
    }


def test_mars_contreparties_multiples(source: Source):
    march = _cells(source)[(2026, 3)]
    salaries = march[(DECAISSEMENT, "salaires", None)]
    social = march[(DECAISSEMENT, "charges_sociales", None)]
    # net payroll paid directly: 1 500 split 2 000 : 800 between 6411 and 6451; the 431
    # withheld reduces them instead of being a receipt of its own; 1 500 × 2 000 / 2 800 =
    # 1 071.428… → 1 071.43 (shares to the cent), the last share takes the rest: 428.57
    assert salaries == D("1071.43")
    assert social == D("428.57") + D("1300")  # + the Urssaf paid on 25 March
    assert march[(DECAISSEMENT, "achats", None)] == D("300")  # signs clear: each its amount
    assert march[(DECAISSEMENT, "loyer", None)] == D("200")
    # subsidy net of fees: 995 of subsidies, no 5 € payment of bank fees
    assert march[(ENCAISSEMENT, "subventions", None)] == D("995")
    assert march[(ENCAISSEMENT, "subventions", "etat")] == D("995")
    assert march[(ENCAISSEMENT, "cotisations", None)] == D("50")  # cash box counts
    assert set(march) == {
        (DECAISSEMENT, "salaires", None),
        (DECAISSEMENT, "charges_sociales", None),
        (DECAISSEMENT, "achats", None),
        (DECAISSEMENT, "loyer", None),
        (ENCAISSEMENT, "subventions", None),
        (ENCAISSEMENT, "subventions", "etat"),
        (ENCAISSEMENT, "cotisations", None),
    }


def test_les_libelles_de_financeurs(source: Source):
    moves = source.mouvements.entre(datetime.date(2026, 1, 1), DERNIERE)
    assert tresorerie_reelle(moves).libelles_financeurs == {"region": "Région", "etat": "État"}


def test_chaque_ecriture_repartie_exactement(source: Source):
    by_entry: dict[int, Decimal] = {}
    for flux in flux_reels(source.mouvements.liste):
        by_entry[id(flux.entry)] = by_entry.get(id(flux.entry), D(0)) + flux.montant
    for postings in _by_entry(source):
        delta = sum((m.montant for m in postings if est_tresorerie(m.code)), D(0))
        assert by_entry.get(id(postings[0].entry), D(0)) == delta


def _by_entry(source: Source) -> list[list]:
    groups: dict[int, list] = {}
    for movement in source.mouvements.liste:
        groups.setdefault(id(movement.entry), []).append(movement)
    return list(groups.values())


def test_soldes_de_tresorerie(source: Source):
    for (year, month), expected in SOLDES_FIN_DE_MOIS.items():
        end = (datetime.date(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(1)
        assert solde_de_tresorerie(source.mouvements, end) == expected
    assert solde_de_tresorerie(source.mouvements, DERNIERE) == D("16945")
    assert source.mouvements.derniere_date == DERNIERE


def test_les_ecritures_de_prevision_sont_ignorees(tmp_path: Path):
    body = LEDGER + textwrap.dedent(
        f"""
        2026-05-10 * "Prévision" #prevision
          {BANQUE}  99999.00 EUR
          {PRESTATIONS}  -99999.00 EUR
        """
    )
    livre = load_livre(write_ledger(tmp_path, body, config=CONFIG))
    source = Source.from_livre(livre)
    assert source.mouvements.derniere_date == DERNIERE
    assert (2026, 5) not in tresorerie_reelle(source.mouvements.liste).par_mois


# --- Properties on random ledgers ------------------------------------------------------------

_COUNTERPARTS = (
    SALAIRES,
    COTISATIONS_URSSAF,
    URSSAF,
    REMUNERATIONS,
    LOYER,
    FOURNITURES,
    FRAIS_BANCAIRES,
    PRESTATIONS,
    SUBV_ETAT,
    SUBV_REGION,
    CREANCE_REGION,
    COTISATIONS,
    FONDS,
)
_TREASURY = (BANQUE, LIVRET, CAISSE)


def _random_ledger(seed: int, count: int) -> str:
    rng = random.Random(seed)
    lines = [*(f"2025-01-01 open {account}" for account in ACCOUNTS), ""]
    for _ in range(count):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        legs: list[tuple[str, int]] = []
        for _ in range(rng.randint(1, 3)):
            legs.append((rng.choice(_TREASURY), rng.randint(-50_000, 50_000)))
        for _ in range(rng.randint(0, 3)):
            legs.append((rng.choice(_COUNTERPARTS), rng.randint(-50_000, 50_000)))
        balance = -sum(amount for _account, amount in legs)
        legs.append((rng.choice(_COUNTERPARTS + _TREASURY), balance))
        lines.append(f'{day} * "Écriture aléatoire"')
        for account, cents in legs:
            lines.append(f"  {account}  {D(cents) / 100:.2f} EUR")
        lines.append("")
    return ROOT_OPTIONS + "\n".join(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), count=st.integers(1, 30))
def test_propriete_encaissements_moins_decaissements_egale_la_variation(seed: int, count: int):
    from beancount import loader

    entries, errors, options = loader.load_string(_random_ledger(seed, count))
    assert not errors, errors[:2]
    source = Source.from_entries(entries, options)
    actual = tresorerie_reelle(source.mouvements.liste)
    for month, cells in actual.par_mois.items():
        first = datetime.date(month[0], month[1], 1)
        last = datetime.date(month[0] + month[1] // 12, month[1] % 12 + 1, 1) - datetime.timedelta(
            1
        )
        change = solde_de_tresorerie(source.mouvements, last) - solde_de_tresorerie(
            source.mouvements, first - datetime.timedelta(1)
        )
        received = actual.total(month, ENCAISSEMENT)
        paid = actual.total(month, DECAISSEMENT)
        assert received - paid == change
        for (sens, _categorie, detail), value in cells.items():
            if detail is None:
                assert value >= 0, (sens, _categorie, value)  # a side's amounts are positive
        for (sens, categorie, detail), _value in cells.items():
            if detail is not None:
                subs = sum(
                    (v for (s, c, d), v in cells.items() if (s, c) == (sens, categorie) and d),
                    D(0),
                )
                assert subs == cells[(sens, categorie, None)]
