"""The plan de trésorerie (``previsions.plan``) on the small association of
:mod:`test_tresorerie_realise` (last actual date 10 April 2026, treasury 15 745 € at the
end of March) with a fake forecast input whose movements are known:

- the 5th of each month: cotisations + 100 (from May: the 5 April is before the
  forecasts start, the day after the last actual date);
- the 15th: Urssaf − 1 300 and rent − 800; the 25th: net salaries − 1 500;
- 15 July 2026: Région subsidy + 9 000 (detail « Région »); 15 January 2027: État
  subsidy + 12 000 (detail « Etat »).

Scenarios: « retard » (Région paid 3 months late: 15 October), « pessimiste » (Région
−30 %: 6 300), « neutre » (no override: the base).

Base, 12 months from April 2026 (the month of the last actual date, mixed):

=========  ==========  ==========  ==========  ==========
month      opening     receipts    payments    closing
=========  ==========  ==========  ==========  ==========
avr. 2026  15 745      1 200       3 600       13 345
mai        13 345      100         3 600       9 845
juin       9 845       100         3 600       6 345
juil.      6 345       9 100       3 600       11 845
août       11 845      100         3 600       8 345
sept.      8 345       100         3 600       4 845
oct.       4 845       100         3 600       1 345
nov.       1 345       100         3 600       −2 155
déc.       −2 155      100         3 600       −5 655
janv. 27   −5 655      12 100      3 600       2 845
févr.      2 845       100         3 600       −655
mars       −655        100         3 600       −4 155
=========  ==========  ==========  ==========  ==========

Threshold (``mois_de_charges: 2``): complete months of actuals before April 2026 since
the first movement: Dec. 2025 – Mar. 2026, payments 0 + 2 300 + 1 300 + 3 300 = 6 900,
average 1 725, threshold 3 450. Base months below: Oct. 2026 – Mar. 2027 (6 months).
Low point: − 5 655 € in December 2026 (pessimiste: − 8 355 €, retard: also − 5 655 €).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communs_ledger.chargement import load_livre
from communs_ledger.previsions.entrees import Entrees
from communs_ledger.previsions.modele import (
    BASE,
    MouvementPrevu,
    Periode,
    Previsions,
    Scenario,
)
from communs_ledger.previsions.plan import (
    MIXTE,
    PREVU,
    REALISE,
    plan_de_tresorerie,
    seuil_d_alerte,
)
from communs_ledger.previsions.realise import solde_de_tresorerie
from communs_ledger.rapports.objets import Partie, Rapport, Style
from communs_ledger.rapports.source import RapportImpossible, Source
from communs_ledger.rendu.vues_tresorerie import vue_terminal
from test_tresorerie_realise import CONFIG, DERNIERE, SOLDES_FIN_DE_MOIS, write_association

D = Decimal


def _add_months(day: datetime.date, count: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + count
    return day.replace(year=index // 12, month=index % 12 + 1)


@dataclass
class EntreeFactice:
    """A forecast input with known movements; ``Scenario.conventions["REG"]`` may delay
    (``retard_mois``) or scale (``taux``) the Région subsidy."""

    appels: list[Periode]

    def generer(self, periode: Periode, scenario: Scenario, contexte: Any) -> Previsions:
        self.appels.append(periode)
        assert isinstance(contexte, Source)
        moves: list[MouvementPrevu] = []
        month = periode.debut.replace(day=1)
        while month <= periode.fin:
            for day, amount, categorie, libelle in (
                (5, "100", "cotisations", "Cotisations"),
                (15, "-1300", "charges_sociales", "Urssaf"),
                (15, "-800", "loyer", "Loyer"),
                (25, "-1500", "salaires", "Salaires nets"),
            ):
                moves.append(
                    MouvementPrevu(month.replace(day=day), D(amount), categorie, libelle, "test")
                )
            month = _add_months(month, 1)
        region = scenario.conventions.get("REG", {})
        moves.append(
            MouvementPrevu(
                _add_months(datetime.date(2026, 7, 15), region.get("retard_mois", 0)),
                D("9000") * region.get("taux", D(1)),
                "subventions",
                "Subvention Région",
                "convention:REG",
                detail="Région",
            )
        )
        moves.append(
            MouvementPrevu(
                datetime.date(2027, 1, 15),
                D("12000"),
                "subventions",
                "Subvention État",
                "convention:ETAT",
                detail="Etat",
            )
        )
        return Previsions([m for m in moves if periode.debut <= m.date <= periode.fin])

    def codes_couverts(self) -> set[str]:
        return {"6411", "645", "741"}


RETARD = Scenario("retard", "Région en retard", conventions={"REG": {"retard_mois": 3}})
PESSIMISTE = Scenario("pessimiste", "Pessimiste", conventions={"REG": {"taux": D("0.7")}})
NEUTRE = Scenario("neutre", "Sans surcharge")


def entrees(appels: list[Periode] | None = None) -> Entrees:
    return Entrees(
        entrees=[EntreeFactice(appels if appels is not None else [])],
        scenarios={s.code: s for s in (RETARD, PESSIMISTE, NEUTRE)},
    )


@pytest.fixture(scope="module")
def association(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_association(tmp_path_factory.mktemp("plan") / "asso")


@pytest.fixture(scope="module")
def source(association: Path) -> Source:
    livre = load_livre(association)
    assert livre.ok, livre.diagnostics
    return Source.from_livre(livre)


@pytest.fixture(scope="module")
def base(source: Source) -> Rapport:
    return plan_de_tresorerie(source, entrees())


MOIS_BASE = [
    "2026-04",
    "2026-05",
    "2026-06",
    "2026-07",
    "2026-08",
    "2026-09",
    "2026-10",
    "2026-11",
    "2026-12",
    "2027-01",
    "2027-02",
    "2027-03",
]
CLOTURE_BASE = [
    "13345",
    "9845",
    "6345",
    "11845",
    "8345",
    "4845",
    "1345",
    "-2155",
    "-5655",
    "2845",
    "-655",
    "-4155",
]


def _plain(text: str) -> str:
    """French amounts with ordinary spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _row(partie: Partie, id_: str) -> list:
    ligne = partie.ligne(id_)
    assert ligne is not None, id_
    return [ligne.valeurs[c.id] for c in partie.colonnes]


# --- The hand-computed base plan ---------------------------------------------------------------


def test_douze_mois_a_partir_du_mois_de_la_derniere_ecriture(base: Rapport):
    partie = base.partie("plan_base")
    assert [c.id for c in partie.colonnes] == MOIS_BASE
    assert partie.colonnes[0].libelle == "avr. 2026"
    assert partie.colonnes[9].libelle == "janv. 2027"
    assert base.periode == (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    assert _row(partie, "nature") == [MIXTE] + [PREVU] * 11
    assert base.meta["derniere_ecriture"] == DERNIERE
    assert base.meta["debut_previsions"] == datetime.date(2026, 4, 11)


def test_soldes_encaissements_decaissements(base: Rapport):
    partie = base.partie("plan_base")
    assert _row(partie, "solde_final") == [D(v) for v in CLOTURE_BASE]
    assert _row(partie, "solde_initial") == [D("15745")] + [D(v) for v in CLOTURE_BASE[:-1]]
    receipts = "1200 100 100 9100 100 100 100 100 100 12100 100 100"
    assert _row(partie, "total_encaissements") == [D(v) for v in receipts.split()]
    assert _row(partie, "total_decaissements") == [D("3600")] * 12


def test_categories_et_financeurs(base: Rapport):
    partie = base.partie("plan_base")
    ids = [ligne.id for ligne in partie.lignes]
    assert ids == [
        "nature",
        "solde_initial",
        "encaissements",
        "encaissement:subventions",
        "encaissement:subventions:etat",
        "encaissement:subventions:region",
        "encaissement:cotisations",
        "encaissement:prestations",
        "total_encaissements",
        "decaissements",
        "decaissement:salaires",
        "decaissement:charges_sociales",
        "decaissement:loyer",
        "total_decaissements",
        "solde_final",
        "ecart_seuil",
        "alerte",
    ]
    region = partie.ligne("encaissement:subventions:region")
    assert region.libelle == "Région" and region.style is Style.DONT and region.niveau == 2
    assert partie.ligne("encaissement:subventions:etat").libelle == "État"  # « Etat » made readable
    assert region.valeurs["2026-07"] == D("9000")
    assert _row(partie, "encaissement:subventions")[9] == D("12000")
    # April mixes the actual prestation (10 April) and the forecasts after it
    assert partie.ligne("encaissement:prestations").valeurs["2026-04"] == D("1200")
    assert partie.ligne("encaissement:cotisations").valeurs["2026-04"] == D("0")
    assert partie.ligne("encaissement:cotisations").valeurs["2026-05"] == D("100")
    assert partie.ligne("decaissement:salaires").valeurs["2026-04"] == D("1500")
    assert partie.ligne("decaissement:charges_sociales").valeurs["2026-04"] == D("1300")
    assert partie.ligne("decaissement:loyer").valeurs["2026-04"] == D("800")


def test_seuil_et_mois_sous_le_seuil(base: Rapport, source: Source):
    seuil = seuil_d_alerte(source)
    assert seuil.montant == D("3450")
    assert "2 mois de charges" in seuil.regle and "décembre 2025 à mars 2026" in seuil.regle
    partie = base.partie("plan_base")
    ecart = partie.ligne("ecart_seuil")
    assert ecart.statut == "alerte"
    assert [ecart.valeurs[m] for m in MOIS_BASE] == [D(v) - D("3450") for v in CLOTURE_BASE]
    assert base.meta["mois_sous_seuil"] == {
        "base": ["2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03"]
    }
    assert any("Sous le seuil d'alerte (3 450,00 €) : 6 mois" in _plain(n) for n in partie.notes)
    assert base.totaux["base"]["seuil"] == D("3450")


def test_seuil_en_montant(tmp_path: Path):
    config = CONFIG.replace("{mois_de_charges: 2}", "{montant: 5000}")
    source = Source.from_livre(load_livre(write_association(tmp_path, config)))
    seuil = seuil_d_alerte(source)
    assert seuil.montant == D("5000") and "montant fixé" in seuil.regle
    rapport = plan_de_tresorerie(source, entrees())
    # below 5 000: 4 845 in September too
    assert rapport.meta["mois_sous_seuil"]["base"][0] == "2026-09"


def test_sans_seuil(tmp_path: Path):
    config = CONFIG.replace("{mois_de_charges: 2}", "{mois_de_charges: 0}")
    source = Source.from_livre(load_livre(write_association(tmp_path, config)))
    rapport = plan_de_tresorerie(source, entrees())
    assert rapport.partie("plan_base").ligne("ecart_seuil") is None
    assert rapport.graphiques[0].seuil is None
    assert "seuil" not in rapport.totaux["base"]


def test_seuil_par_defaut_un_mois(tmp_path: Path):
    source = Source.from_livre(load_livre(write_association(tmp_path, "association:\n  nom: X\n")))
    assert seuil_d_alerte(source).montant == D("1725")


def test_point_bas_et_totaux_nommes(base: Rapport):
    assert base.totaux["base"] == {
        "solde_initial": D("15745"),
        "total_encaissements": D("23300"),
        "total_decaissements": D("43200"),
        "solde_final": D("-4155"),
        "point_bas": D("-5655"),
        "mois_point_bas": "2026-12",
        "seuil": D("3450"),
    }
    assert "Point bas : -5 655,00 € fin décembre 2026." in [
        _plain(n) for n in base.partie("plan_base").notes
    ]


def test_notes_du_mois_mixte(base: Rapport):
    assert any(
        "Avril 2026 (« mixte ») : réalisé jusqu'au 10 avril 2026, prévisions ensuite" in note
        for note in base.notes
    )


def test_les_entrees_recoivent_la_periode_apres_la_derniere_ecriture(source: Source):
    appels: list[Periode] = []
    plan_de_tresorerie(source, entrees(appels), mois=24)
    assert appels == [Periode(datetime.date(2026, 4, 11), datetime.date(2028, 3, 31))]


# --- Past months, future start --------------------------------------------------------------


def test_mois_passes_egaux_au_grand_livre(source: Source):
    rapport = plan_de_tresorerie(source, entrees(), depuis=datetime.date(2026, 1, 20))
    partie = rapport.partie("plan_base")
    assert [c.id for c in partie.colonnes][:4] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert _row(partie, "nature")[:5] == [REALISE, REALISE, REALISE, MIXTE, PREVU]
    closing = _row(partie, "solde_final")
    assert closing[:3] == [SOLDES_FIN_DE_MOIS[(2026, m)] for m in (1, 2, 3)]
    assert _row(partie, "solde_initial")[0] == D("15000")
    # the actual categories of the past months (see test_tresorerie_realise)
    assert partie.ligne("encaissement:subventions:region").valeurs["2026-02"] == D("6000")
    assert partie.ligne("encaissement:subventions:etat").valeurs["2026-03"] == D("995")
    assert partie.ligne("decaissement:salaires").valeurs["2026-03"] == D("1071.43")
    assert closing[3:] == [D(v) for v in CLOTURE_BASE[:9]]


def test_plan_commencant_apres_la_derniere_ecriture(source: Source):
    rapport = plan_de_tresorerie(source, entrees(), depuis=datetime.date(2026, 6, 1), mois=3)
    partie = rapport.partie("plan_base")
    # 16 945 at 10 April, then April's and May's forecasts: − 3 600, + 100 − 3 600
    assert _row(partie, "solde_initial")[0] == D("9845")
    assert _row(partie, "solde_final") == [D("6345"), D("11845"), D("8345")]
    assert _row(partie, "nature") == [PREVU] * 3
    assert any("Tous les mois du plan sont prévus" in n for n in rapport.notes)


def test_plan_entierement_passe_sans_prevision(source: Source):
    appels: list[Periode] = []
    rapport = plan_de_tresorerie(source, entrees(appels), depuis=datetime.date(2026, 1, 1), mois=3)
    assert appels == []  # the plan ends before the last actual date: nothing to forecast
    assert _row(rapport.partie("plan_base"), "solde_final") == [
        D("13300"),
        D("18000"),
        D("15745"),
    ]


def test_duree_et_grand_livre_vide_refuses(source: Source, tmp_path: Path):
    with pytest.raises(RapportImpossible, match="de 1 à 60 mois"):
        plan_de_tresorerie(source, entrees(), mois=0)
    with pytest.raises(RapportImpossible, match="de 1 à 60 mois"):
        plan_de_tresorerie(source, entrees(), mois=61)
    from conftest import write_ledger

    empty = Source.from_livre(load_livre(write_ledger(tmp_path, "")))
    with pytest.raises(RapportImpossible, match="aucune écriture"):
        plan_de_tresorerie(empty, entrees())
    # with a start month, a new association can plan from its forecasts alone
    rapport = plan_de_tresorerie(empty, entrees(), depuis=datetime.date(2026, 5, 1), mois=2)
    assert _row(rapport.partie("plan_base"), "solde_final") == [D("-3500"), D("-7000")]


# --- Scenarios ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trois(source: Source) -> Rapport:
    return plan_de_tresorerie(source, entrees(), scenarios=[BASE, RETARD, PESSIMISTE])


def test_une_partie_par_scenario_et_une_partie_scenarios(trois: Rapport):
    assert [p.id for p in trois.parties] == [
        "plan_base",
        "plan_retard",
        "plan_pessimiste",
        "scenarios",
    ]
    rows = [[ligne.id for ligne in p.lignes] for p in trois.parties[:3]]
    assert rows[0] == rows[1] == rows[2]  # same rows in every scenario
    assert trois.parties[1].titre == "Plan de trésorerie — Région en retard"
    assert trois.parties[1].onglet == "Région en retard"


def test_figures_des_scenarios(trois: Rapport):
    retard = _row(trois.partie("plan_retard"), "solde_final")
    assert retard[3:7] == [D("2845"), D("-655"), D("-4155"), D("1345")]
    assert retard[7:] == [D(v) for v in CLOTURE_BASE[7:]]
    pessimiste = _row(trois.partie("plan_pessimiste"), "solde_final")
    assert pessimiste[3:] == [
        D(v) for v in ("9145", "5645", "2145", "-1355", "-4855", "-8355", "145", "-3355", "-6855")
    ]
    assert trois.totaux["pessimiste"]["point_bas"] == D("-8355")
    assert trois.totaux["pessimiste"]["mois_point_bas"] == "2026-12"
    assert trois.totaux["retard"]["point_bas"] == D("-5655")
    assert trois.totaux["pessimiste"]["total_encaissements"] == D("20600")


def test_partie_scenarios_et_graphique(trois: Rapport):
    partie = trois.partie("scenarios")
    assert [ligne.id for ligne in partie.lignes] == [
        "solde_final:base",
        "solde_final:retard",
        "solde_final:pessimiste",
        "seuil",
    ]
    assert _row(partie, "solde_final:base") == [D(v) for v in CLOTURE_BASE]
    assert _row(partie, "seuil") == [D("3450")] * 12
    assert partie.ligne("solde_final:base").statut == "alerte"
    (graphique,) = trois.graphiques
    assert graphique.id == "tresorerie" and graphique.genre == "courbe"
    assert graphique.categories[0] == "avr. 2026" and len(graphique.categories) == 12
    assert [s.nom for s in graphique.series] == [
        "Prévision de base",
        "Région en retard",
        "Pessimiste",
    ]
    assert list(graphique.series[0].valeurs) == [D(v) for v in CLOTURE_BASE]
    assert graphique.seuil == D("3450") and graphique.seuil_libelle == "Seuil d'alerte"


def test_un_scenario_sans_surcharge_egale_la_base(source: Source, base: Rapport):
    neutre = plan_de_tresorerie(source, entrees(), scenarios=[NEUTRE])
    assert [ligne.valeurs for ligne in neutre.partie("plan_neutre").lignes] == [
        ligne.valeurs for ligne in base.partie("plan_base").lignes
    ]
    assert neutre.totaux["neutre"] == base.totaux["base"]


def test_scenarios_en_double_ignores(source: Source):
    rapport = plan_de_tresorerie(source, entrees(), scenarios=[BASE, BASE])
    assert [p.id for p in rapport.parties] == ["plan_base"]


def test_categorie_inconnue_classee_en_autres(source: Source):
    class Bizarre:
        def generer(self, periode, scenario, contexte):
            return Previsions(
                [
                    MouvementPrevu(datetime.date(2026, 5, 2), D("70"), "inconnue", "x", "t:1"),
                    MouvementPrevu(datetime.date(2026, 5, 3), D("-30"), "subventions", "y", "t:2"),
                    MouvementPrevu(datetime.date(2025, 5, 3), D("-99"), "loyer", "z", "t:3"),
                ]
            )

        def codes_couverts(self):
            return set()

    rapport = plan_de_tresorerie(source, Entrees(entrees=[Bizarre()]), mois=2)
    partie = rapport.partie("plan_base")
    assert partie.ligne("encaissement:autres_encaissements").valeurs["2026-05"] == D("70")
    assert partie.ligne("decaissement:autres_decaissements").valeurs["2026-05"] == D("30")
    assert any("« inconnue » (t:1)" in w for w in rapport.avertissements)
    assert any("« subventions » (t:2)" in w for w in rapport.avertissements)
    assert any("1 mouvement(s) prévu(s) hors de la période" in w for w in rapport.avertissements)


def test_vue_terminal_par_tranches(trois: Rapport):
    vue = vue_terminal(trois, 100)
    bases = [p for p in vue.parties if p.id.startswith("plan_base")]
    assert len(bases) > 1
    assert sum(len(p.colonnes) for p in bases) == 12
    assert all(c.genre == "entier" for p in bases for c in p.colonnes)
    assert bases[0].ligne("ecart_seuil").statut == "ok"  # April – no month below
    assert bases[-1].ligne("ecart_seuil").statut == "alerte"
    # Audit: the « Alerte » row agrees with the « Écart au seuil » row of the same table
    # (it kept the status of the whole plan: ✗ under a table without alert).
    assert bases[0].ligne("alerte").statut == "ok"
    assert bases[-1].ligne("alerte").statut == "alerte"
    assert bases[-1].notes == trois.partie("plan_base").notes and bases[0].notes == []
    assert len(vue_terminal(trois, 400).parties) == len(trois.parties)


# --- Invariants, also as properties with random forecasts ----------------------------------------


def check_invariants(rapport: Rapport, source: Source) -> None:
    last = source.mouvements.derniere_date
    for partie in rapport.parties:
        if not partie.id.startswith("plan_"):
            continue
        months = [c.id for c in partie.colonnes]
        opening = _row(partie, "solde_initial")
        received = _row(partie, "total_encaissements")
        paid = _row(partie, "total_decaissements")
        closing = _row(partie, "solde_final")
        for index in range(len(months)):
            assert closing[index] == opening[index] + received[index] - paid[index]
            if index:
                assert opening[index] == closing[index - 1]
            year, month = (int(x) for x in months[index].split("-"))
            end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(1)
            if end <= last:
                assert closing[index] == solde_de_tresorerie(source.mouvements, end)
        for sens in ("encaissement", "decaissement"):
            rows = [
                ligne
                for ligne in partie.lignes
                if (ligne.id or "").startswith(f"{sens}:") and ligne.niveau == 1
            ]
            total = _row(partie, f"total_{sens}s")
            for index, month in enumerate(months):
                assert sum((r.valeurs[month] for r in rows), D(0)) == total[index]
            for row in rows:
                subs = [
                    ligne
                    for ligne in partie.lignes
                    if (ligne.id or "").startswith(f"{row.id}:") and ligne.niveau == 2
                ]
                if subs:
                    for month in months:
                        assert sum((s.valeurs[month] for s in subs), D(0)) == row.valeurs[month]


def test_invariants_du_plan_de_base(source: Source, trois: Rapport):
    check_invariants(trois, source)
    check_invariants(
        plan_de_tresorerie(source, entrees(), depuis=datetime.date(2025, 12, 1), mois=36), source
    )


_CATEGORIES = (
    "subventions",
    "cotisations",
    "dons",
    "salaires",
    "charges_sociales",
    "loyer",
    "achats",
    "inconnue",
)


@dataclass
class EntreeAleatoire:
    """Random movements; a scenario's ``postes["tous"]["facteur"]`` scales them."""

    mouvements: list[tuple[int, int, str, str | None]]  # day offset, cents, category, detail

    def generer(self, periode: Periode, scenario: Scenario, contexte: Any) -> Previsions:
        factor = scenario.postes.get("tous", {}).get("facteur", 1)
        result = []
        for offset, cents, categorie, detail in self.mouvements:
            day = periode.debut + datetime.timedelta(days=offset)
            if day <= periode.fin:
                amount = D(cents) / 100 * factor
                result.append(MouvementPrevu(day, amount, categorie, "x", "alea", detail))
        return Previsions(result)

    def codes_couverts(self) -> set[str]:
        return set()


_MOVES = st.lists(
    st.tuples(
        st.integers(0, 800),
        st.integers(-2_000_000, 2_000_000),
        st.sampled_from(_CATEGORIES),
        st.sampled_from([None, "Région", "Region", "Etat", "CAF"]),
    ),
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    moves=_MOVES,
    months=st.integers(1, 30),
    start=st.integers(-8, 6),
    factor=st.sampled_from([D("1"), D("0.7"), D("1.25")]),
)
def test_propriete_invariants(source: Source, moves, months: int, start: int, factor: Decimal):
    fake = Entrees(entrees=[EntreeAleatoire(moves)])
    depuis = _add_months(datetime.date(2026, 4, 1), start)
    scenario = Scenario("variante", "Variante", postes={"tous": {"facteur": factor}})
    neutre = Scenario("neutre", "Neutre")
    rapport = plan_de_tresorerie(
        source, fake, depuis=depuis, mois=months, scenarios=[BASE, scenario, neutre]
    )
    check_invariants(rapport, source)
    base_rows = [ligne.valeurs for ligne in rapport.partie("plan_base").lignes]
    assert [ligne.valeurs for ligne in rapport.partie("plan_neutre").lignes] == base_rows
    assert rapport.totaux["neutre"] == rapport.totaux["base"]
    if factor == 1:
        assert rapport.totaux["variante"] == rapport.totaux["base"]
    lows = rapport.totaux["base"]
    closing = _row(rapport.partie("plan_base"), "solde_final")
    assert lows["point_bas"] == min(closing)
