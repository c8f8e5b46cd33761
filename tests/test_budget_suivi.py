"""Budget vs réalisé (``budget.suivi.budget_vs_realise``) on a small association whose
figures are computed by hand, loaded with the real Beancount loader.

The ledger (exercice 2026, calendar) and its budget (``budgets/2026.yaml``, versions
``vote`` and ``revise``) are below; the report is mostly taken at 15 April 2026, half of
April (30 days) elapsed, so that every budget to date is exact.
"""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.application.generateur import generate_ledger
from communs_ledger.budget.fichier import Budgets, load_budgets
from communs_ledger.budget.rapport_suivi import budget_vs_realise
from communs_ledger.budget.realise import sens
from communs_ledger.budget.suivi import (
    BUDGET_A_DATE,
    BUDGET_ANNUEL,
    COLONNES_ANNUELLES,
    ECART,
    ECART_PCT,
    PROJECTION,
    REALISE,
    mois_de_l_exercice,
)
from communs_ledger.chargement import load_livre
from communs_ledger.rapports.objets import Ligne, Rapport, Style
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.source import RapportImpossible, Source
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.vues_budget import vue_mensuelle_compacte
from conftest import BANQUE, write_ledger

D = Decimal
AU = datetime.date(2026, 4, 15)

FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
ASSURANCE = "Charges:61-Services-exterieurs:616-Assurances"
HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
VOYAGES = "Charges:62-Autres-services-exterieurs:6251-Voyages-et-deplacements"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
PRESTATIONS = "Produits:70-Ventes-et-prestations:706-Prestations-de-services"
SUBV_COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:Commune"
SUBV_REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:Region"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
BENEVOLAT_EMPLOI = "Charges:86-Emplois-contributions-en-nature:864-Personnel-benevole"
BENEVOLAT = "Produits:87-Contributions-en-nature:875-Benevolat"

ACCOUNTS = (
    BANQUE,
    FONDS,
    FOURNITURES,
    ASSURANCE,
    HONORAIRES,
    VOYAGES,
    SALAIRES,
    PRESTATIONS,
    SUBV_COMMUNE,
    SUBV_REGION,
    COTISATIONS,
    BENEVOLAT_EMPLOI,
    BENEVOLAT,
)


def _tx(day: str, narration: str, account: str, amount: str, projet: str | None = None) -> str:
    """A transaction: ``amount`` to ``account`` against the bank (charges: debit)."""
    meta = f'\n  projet: "{projet}"' if projet else ""
    return f'{day} * "{narration}"{meta}\n  {account}  {amount} EUR\n  {BANQUE}\n'


LEDGER = "\n".join(
    [
        "".join(f"2026-01-01 open {account}\n" for account in ACCOUNTS),
        _tx("2026-01-05", "Apport", FONDS, "-50000.00"),
        _tx("2026-01-20", "Assurance", ASSURANCE, "400.00"),
        _tx("2026-01-31", "Salaires de janvier", SALAIRES, "3000.00"),
        _tx("2026-02-10", "Fournitures", FOURNITURES, "240.00"),
        _tx("2026-02-15", "Cotisations", COTISATIONS, "-300.00"),
        _tx("2026-02-27", "Salaires de février", SALAIRES, "3000.00"),
        _tx("2026-03-05", "Outils du jardin", FOURNITURES, "180.00", "JARDINS"),
        _tx("2026-03-12", "Cabinet", HONORAIRES, "450.00"),
        _tx("2026-03-20", "Ville", SUBV_COMMUNE, "-5000.00"),
        _tx("2026-03-25", "Ateliers", PRESTATIONS, "-800.00", "ALPHA"),
        f'2026-03-31 * "Bénévolat du trimestre"\n  {BENEVOLAT_EMPLOI}  200.00 EUR\n  {BENEVOLAT}\n',
        _tx("2026-03-31", "Salaires de mars", SALAIRES, "3200.00"),
        _tx("2026-04-02", "SNCF", VOYAGES, "130.00"),
        _tx("2026-04-10", "Région", SUBV_REGION, "-6000.00", "JARDINS"),
        _tx("2026-04-14", "Cahiers des ateliers", FOURNITURES, "60.00", "ALPHA"),
        _tx("2026-04-20", "SNCF", VOYAGES, "70.00"),
        _tx("2026-06-30", "Salaires de juin", SALAIRES, "3250.00"),
    ]
)

CONFIG = """\
association:
  nom: "Les Amis du Canal"
projets:
  - code: JARDINS
    nom: Jardins partagés
  - code: ALPHA
    nom: Ateliers de français
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

BUDGET = """\
versions:
  - code: vote
    nom: BP voté en AG
    date: 2026-01-10
    lignes:
      - compte: "6064"
        montant: 1200
      - compte: "6064"
        projet: JARDINS
        montant: 600
      - compte: "62"
        montant: 2400
        profil: {saisonnier: [2, 2, 2, 2, 2, 2, 0, 0, 3, 3, 3, 3]}
      - compte: "6411"
        montant: 36000
      - compte: "741"
        libelle: Subvention de la Ville
        montant: 12000
        profil: {dates: {2026-03-15: 5000, 2026-09-15: 7000}}
      - compte: "741"
        projet: JARDINS
        montant: 6000
        profil: {mois: {4: 6000}}
      - compte: "756"
        montant: 1200
      - compte: "864"
        montant: 600
      - compte: "875"
        montant: 600
  - code: revise
    nom: BP révisé en juin
    date: 2026-06-20
    base: vote
    lignes:
      - compte: "6411"
        montant: 39000
      - compte: "756"
        montant: 0
      - compte: "6226"
        montant: 600
"""


def write_association(folder: Path, budget: str | None = BUDGET, config: str = CONFIG) -> Path:
    main = write_ledger(folder, LEDGER, config=config)
    if budget is not None:
        (folder / "budgets").mkdir()
        (folder / "budgets" / "2026.yaml").write_text(textwrap.dedent(budget), encoding="utf-8")
    return main


@pytest.fixture(scope="module")
def association(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_association(tmp_path_factory.mktemp("budget") / "asso")


@pytest.fixture(scope="module")
def source(association: Path) -> Source:
    livre = load_livre(association)
    assert livre.ok, livre.diagnostics
    return Source.from_livre(livre)


@pytest.fixture(scope="module")
def budgets(source: Source) -> Budgets:
    found = load_budgets(source.context)
    assert found.erreurs == []
    return found


def _rapport(source: Source, budgets: Budgets, **options: object) -> Rapport:
    options.setdefault("version", "vote")
    options.setdefault("au", AU)
    return budget_vs_realise(source, budgets, source.exercice("2026"), **options)  # type: ignore[arg-type]


def _rows(rapport: Rapport) -> Iterator[Ligne]:
    for partie in rapport.parties:
        yield from partie.lignes


def _row(rapport: Rapport, id_: str, partie: str | None = None) -> Ligne:
    parts = [rapport.partie(partie)] if partie else rapport.parties
    for part in parts:
        found = part.ligne(id_)
        if found is not None:
            return found
    raise AssertionError(f"ligne {id_} absente")


def _values(ligne: Ligne, *columns: str) -> tuple[object, ...]:
    return tuple(ligne.valeurs[c] for c in columns)


BASE = (BUDGET_ANNUEL, BUDGET_A_DATE, REALISE)


@pytest.fixture(scope="module")
def vote(source: Source, budgets: Budgets) -> Rapport:
    return _rapport(source, budgets)


# --- Lines, profiles, actuals -----------------------------------------------------------------


def test_budget_a_date_pro_rata_par_profil(vote: Rapport) -> None:
    # uniforme 1 200: three months of 100, half of April
    assert _values(_row(vote, "ligne:6064"), *BASE) == (D(1200), D(350), D(300))
    # saisonnier 2,2,2,2,2,2,0,0,3,3,3,3 of 2 400: 200 a month until June
    assert _values(_row(vote, "ligne:62"), *BASE) == (D(2400), D(700), D(580))
    # dates: 5 000 on 15 March (passed), 7 000 on 15 September
    assert _values(_row(vote, "ligne:741"), *BASE) == (D(12000), D(5000), D(5000))
    # mois {4: 6000}: the April period is half elapsed
    assert _values(_row(vote, "ligne:741:JARDINS"), *BASE) == (D(6000), D(3000), D(6000))
    assert _values(_row(vote, "ligne:6411"), *BASE) == (D(36000), D(10500), D(9200))
    assert _values(_row(vote, "ligne:756"), *BASE) == (D(1200), D(350), D(300))


def test_date_d_une_echeance_comprise(source: Source, budgets: Budgets) -> None:
    before = _rapport(source, budgets, au=datetime.date(2026, 3, 14))
    on = _rapport(source, budgets, au=datetime.date(2026, 3, 15))
    assert _row(before, "ligne:741").valeurs[BUDGET_A_DATE] == 0
    assert _row(on, "ligne:741").valeurs[BUDGET_A_DATE] == D(5000)


def test_ligne_de_chapitre_couvre_ses_comptes(vote: Rapport) -> None:
    ligne = _row(vote, "ligne:62")
    assert ligne.valeurs[REALISE] == D(450) + D(130)  # 6226 and 6251 (the 20 April trip is later)
    assert ligne.comptes == (HONORAIRES, VOYAGES)
    assert ligne.code == "62" and ligne.libelle == "Autres services extérieurs"


def test_ligne_de_projet_et_ligne_generale_du_meme_compte(vote: Rapport) -> None:
    # the JARDINS purchase goes to the project line; the ALPHA one (no ALPHA line) and the
    # one without project to the general line
    assert _row(vote, "ligne:6064:JARDINS").valeurs[REALISE] == D(180)
    assert _row(vote, "ligne:6064").valeurs[REALISE] == D(240) + D(60)
    assert _row(vote, "ligne:6064:JARDINS").libelle == (
        "Fournitures administratives — projet JARDINS"
    )
    assert _row(vote, "ligne:741").libelle == "Subvention de la Ville"


def test_hors_budget(vote: Rapport) -> None:
    assurance = _row(vote, f"hors_budget:{ASSURANCE}", "charges")
    assert _values(assurance, *BASE, PROJECTION) == (0, 0, D(400), D(400))
    assert assurance.code == "616" and assurance.libelle.endswith("(hors budget)")
    assert assurance.valeurs[ECART_PCT] is None
    prestations = _row(vote, f"hors_budget:{PRESTATIONS}", "produits")
    assert _values(prestations, *BASE) == (0, 0, D(800))


def test_hors_budget_libelle_en_francais(tmp_path: Path) -> None:
    """A hors budget row is labelled like the other rows, by the chart (741 « Subventions
    d'exploitation »), then by what the account's name adds, in French: the ASCII
    ``Region`` of the account's name reads « Région » (« Commune » needs no accent)."""
    budget = "versions:\n  - code: vote\n    nom: BP\n    date: 2026-01-10\n    lignes:\n"
    budget += '      - compte: "6064"\n        montant: 1200\n'
    livre = load_livre(write_association(tmp_path / "asso", budget))
    source = Source.from_livre(livre)
    rapport = _rapport(source, load_budgets(source.context))
    region = _row(rapport, f"hors_budget:{SUBV_REGION}", "produits")
    assert region.libelle == "Subventions d'exploitation — Région (hors budget)"
    assert _values(region, *BASE) == (0, 0, D(6000))
    commune = _row(rapport, f"hors_budget:{SUBV_COMMUNE}", "produits")
    assert commune.libelle == "Subventions d'exploitation — Commune (hors budget)"


def test_ecarts(vote: Rapport) -> None:
    ligne = _row(vote, "ligne:741:JARDINS")
    assert ligne.valeurs[ECART] == D(3000) and ligne.valeurs[ECART_PCT] == 1
    ligne = _row(vote, "ligne:62")
    assert ligne.valeurs[ECART] == D(-120) and ligne.valeurs[ECART_PCT] == D(-120) / D(700)


def test_projection(vote: Rapport) -> None:
    # réalisé + budget annuel − budget à date
    assert _row(vote, "ligne:6064").valeurs[PROJECTION] == D(300) + D(1200) - D(350)
    assert _row(vote, "ligne:6411").valeurs[PROJECTION] == D(9200) + D(36000) - D(10500)
    assert _row(vote, "ligne:741:JARDINS").valeurs[PROJECTION] == D(6000) + D(3000)


def test_projection_jamais_sous_le_realise_pour_une_charge(tmp_path: Path) -> None:
    # a negative line (a rebate expected, on 609) would pull the projection below the actual
    budget = BUDGET.replace(
        '      - compte: "6064"\n        montant: 1200',
        '      - compte: "609"\n        montant: -1200',
        1,
    )
    main = write_association(tmp_path / "asso", budget)
    source = Source.from_livre(load_livre(main))
    rapport = _rapport(source, load_budgets(source.context))
    ligne = _row(rapport, "ligne:609")
    assert ligne.valeurs[BUDGET_A_DATE] == D(-350)
    assert ligne.valeurs[PROJECTION] == D(0)  # the actual, not 0 − 1 200 + 350
    assert any("jamais inférieure au réalisé" in note for note in rapport.notes)


def test_montant_negatif_refuse_hors_des_comptes_en_deduction(tmp_path: Path) -> None:
    budget = BUDGET.replace(
        '      - compte: "6064"\n        montant: 1200',
        '      - compte: "6064"\n        montant: -1200',
        1,
    )
    main = write_association(tmp_path / "asso", budget)
    source = Source.from_livre(load_livre(main))
    erreurs = load_budgets(source.context).erreurs
    line = budget.splitlines().index("        montant: -1200") + 1
    assert [(e.location.line, e.message) for e in erreurs] == [
        (
            line,
            "compte 6064 : montant négatif (-1200) refusé : un budget s'écrit en positif, pour "
            "les charges comme pour les produits (seuls 609, 619, 629, 649, 709, qui viennent "
            "en déduction, se budgètent en négatif)",
        )
    ]


def test_contributions_desequilibrees_signalees(tmp_path: Path) -> None:
    budget = BUDGET.replace('"875"\n        montant: 600', '"875"\n        montant: 500')
    main = write_association(tmp_path / "asso", budget)
    source = Source.from_livre(load_livre(main))
    rapport = _rapport(source, load_budgets(source.context))
    assert (
        "Budget « vote » : contributions volontaires en nature déséquilibrées, emplois (86) "
        "600,00\u00a0€ pour des ressources (87) de 500,00\u00a0€ ; elles s'équilibrent dans "
        "les comptes."
    ) in rapport.avertissements


# --- Roll-ups -----------------------------------------------------------------------------------


def test_chapitres(vote: Rapport) -> None:
    assert _values(_row(vote, "chapitre:60"), *BASE) == (D(1800), D(525), D(480))
    assert _values(_row(vote, "chapitre:61"), *BASE) == (0, 0, D(400))
    assert _values(_row(vote, "chapitre:62"), *BASE) == (D(2400), D(700), D(580))
    assert _values(_row(vote, "chapitre:64"), *BASE) == (D(36000), D(10500), D(9200))
    assert _values(_row(vote, "chapitre:70"), *BASE) == (0, 0, D(800))
    assert _values(_row(vote, "chapitre:74"), *BASE) == (D(18000), D(8000), D(11000))
    assert _values(_row(vote, "chapitre:75"), *BASE) == (D(1200), D(350), D(300))
    assert _row(vote, "chapitre:60").style is Style.SOUS_TOTAL


def test_ordre_des_lignes_d_un_chapitre(vote: Rapport) -> None:
    ids = [ligne.id for ligne in vote.partie("charges").lignes]
    assert ids == [
        "chapitre:60",
        "ligne:6064",
        "ligne:6064:JARDINS",
        "chapitre:61",
        f"hors_budget:{ASSURANCE}",
        "chapitre:62",
        "ligne:62",
        "chapitre:64",
        "ligne:6411",
        "total_charges",
    ]


def test_totaux_par_classe(vote: Rapport) -> None:
    charges = _row(vote, "total_charges")
    assert _values(charges, *BASE, ECART, PROJECTION) == (
        D(40200),
        D(11725),
        D(10660),
        D(-1065),
        D(39135),
    )
    produits = _row(vote, "total_produits")
    assert _values(produits, *BASE, PROJECTION) == (D(19200), D(8350), D(12100), D(22950))
    assert vote.totaux[REALISE]["total_charges"] == D(10660)
    assert vote.totaux[PROJECTION]["total_produits"] == D(22950)
    assert set(vote.totaux) == set(COLONNES_ANNUELLES)


def test_resultat_previsionnel_et_realise(vote: Rapport) -> None:
    resultat = _row(vote, "resultat", "resultat")
    assert _values(resultat, *BASE, ECART, PROJECTION) == (
        D(-21000),
        D(-3375),
        D(1440),
        D(4815),
        D(-16185),
    )
    # docs/formats.md: écart / |référence| ; 4 815 / |−3 375|, positive: better than forecast
    assert resultat.valeurs[ECART_PCT] == D(4815) / D(3375)
    assert {c: vote.totaux[c]["resultat"] for c in COLONNES_ANNUELLES} == {
        BUDGET_ANNUEL: D(-21000),
        BUDGET_A_DATE: D(-3375),
        REALISE: D(1440),
        ECART: D(4815),
        PROJECTION: D(-16185),
    }


def test_contributions_volontaires_a_part(vote: Rapport) -> None:
    partie = vote.partie("contributions_volontaires")
    assert [ligne.id for ligne in partie.lignes] == [
        "chapitre:86",
        "ligne:864",
        "contributions_volontaires_emplois",
        "chapitre:87",
        "ligne:875",
        "contributions_volontaires_ressources",
    ]
    assert _values(_row(vote, "ligne:864"), *BASE) == (D(600), D(175), D(200))
    assert vote.totaux[REALISE]["contributions_volontaires_ressources"] == D(200)
    # not in the result
    assert vote.totaux[REALISE]["resultat"] == D(12100) - D(10660)


def test_par_projet(vote: Rapport) -> None:
    partie = vote.partie("par_projet")
    assert [ligne.id for ligne in partie.lignes] == [
        "projet:ALPHA",
        "projet:ALPHA:produits",
        "projet:ALPHA:charges",
        "projet:ALPHA:resultat",
        "projet:JARDINS",
        "projet:JARDINS:produits",
        "projet:JARDINS:charges",
        "projet:JARDINS:resultat",
        "sans_projet",
        "sans_projet:produits",
        "sans_projet:charges",
        "sans_projet:resultat",
    ]
    assert _row(vote, "projet:JARDINS").libelle == "JARDINS — Jardins partagés"
    # ALPHA has no line: its actuals are its hors budget
    assert _values(_row(vote, "projet:ALPHA:charges"), *BASE) == (0, 0, D(60))
    assert _values(_row(vote, "projet:ALPHA:produits"), *BASE) == (0, 0, D(800))
    assert _values(_row(vote, "projet:JARDINS:charges"), *BASE) == (D(600), D(175), D(180))
    assert _values(_row(vote, "projet:JARDINS:produits"), *BASE) == (D(6000), D(3000), D(6000))
    assert _values(_row(vote, "projet:JARDINS:resultat"), *BASE) == (D(5400), D(2825), D(5820))
    sans = _row(vote, "sans_projet:charges")
    assert _values(sans, *BASE) == (D(39600), D(11550), D(240 + 450 + 130 + 9200 + 400))
    assert _values(_row(vote, "sans_projet:produits"), *BASE) == (D(13200), D(5350), D(5300))
    # projects and « sans projet » add up to the totals
    for classe, total in (("charges", "total_charges"), ("produits", "total_produits")):
        for column in (*BASE, PROJECTION):
            parts = [
                _row(vote, f"{p}:{classe}").valeurs[column]
                for p in ("projet:ALPHA", "projet:JARDINS", "sans_projet")
            ]
            assert sum(parts) == _row(vote, total).valeurs[column], (classe, column)


def test_option_projet(source: Source, budgets: Budgets) -> None:
    rapport = _rapport(source, budgets, projet="JARDINS")
    assert [ligne.id for ligne in _rows(rapport) if (ligne.id or "").startswith("ligne:")] == [
        "ligne:6064:JARDINS",
        "ligne:741:JARDINS",
    ]
    assert _values(_row(rapport, "total_charges"), *BASE) == (D(600), D(175), D(180))
    assert _values(_row(rapport, "total_produits"), *BASE) == (D(6000), D(3000), D(6000))
    assert [p.id for p in rapport.parties] == ["charges", "produits", "resultat"]
    assert any("sans répartition des charges indirectes" in note for note in rapport.notes)
    assert "projet JARDINS (Jardins partagés)" in rapport.sous_titre


def test_option_projet_sans_ligne(source: Source, budgets: Budgets) -> None:
    rapport = _rapport(source, budgets, projet="ALPHA")
    assert _values(_row(rapport, f"hors_budget:{FOURNITURES}"), *BASE) == (0, 0, D(60))
    assert _values(_row(rapport, f"hors_budget:{PRESTATIONS}"), *BASE) == (0, 0, D(800))
    assert rapport.avertissements == [
        "Aucune ligne du budget « vote » pour le projet ALPHA : tout son réalisé est hors budget.",
        "Budget 2026 : le projet ALPHA « Ateliers de français » a 60,00\u00a0€ de charges sur "
        "l'exercice mais aucune ligne dans le budget",
    ]


def test_regles_du_budget_en_statut_et_avertissements(vote: Rapport) -> None:
    # bénévolat valued 200 for a budget to date of 175 (+14,3 %, threshold 10 %)
    assert _row(vote, "ligne:864").statut == "alerte"
    assert _row(vote, "ligne:6064:JARDINS").statut is None  # 180 for 175: +2,9 %
    assert [ligne.id for ligne in _rows(vote) if ligne.statut] == ["ligne:864"]
    assert vote.avertissements == [
        "Budget 2026, ligne 864 Personnel bénévole : réalisé 200,00\u00a0€ pour un budget à "
        "date de 175,00\u00a0€ (+14,3\u00a0%, seuil 10\u00a0%)",
        "Budget 2026 : le projet ALPHA « Ateliers de français » a 60,00\u00a0€ de charges sur "
        "l'exercice mais aucune ligne dans le budget",
    ]
    assert any(note.startswith("Statut : règles du budget") for note in vote.notes)


# --- Versions, dates ----------------------------------------------------------------------------


def test_version_revisee_sur_sa_base(source: Source, budgets: Budgets) -> None:
    rapport = _rapport(source, budgets, version=None)  # the latest by date
    assert rapport.meta["version"] == "revise"
    assert _values(_row(rapport, "ligne:6411"), *BASE) == (D(39000), D(11375), D(9200))
    assert _values(_row(rapport, "ligne:6226"), *BASE) == (D(600), D(175), D(450))
    assert _values(_row(rapport, "ligne:62"), *BASE) == (D(2400), D(700), D(130))
    assert _values(_row(rapport, f"hors_budget:{COTISATIONS}"), *BASE) == (0, 0, D(300))
    assert _values(_row(rapport, "ligne:6064"), *BASE) == (D(1200), D(350), D(300))  # from base
    assert rapport.totaux[BUDGET_ANNUEL]["total_charges"] == D(40200) + D(3000) + D(600)
    by_name = _rapport(source, budgets, version="BP révisé en juin")
    assert by_name.meta["version"] == "revise"
    assert "« BP révisé en juin » (revise)" in rapport.sous_titre


def test_exercice_en_cours_arrete_a_la_derniere_ecriture(source: Source, budgets: Budgets) -> None:
    rapport = _rapport(source, budgets, au=None)
    assert rapport.meta["au"] == datetime.date(2026, 6, 30)
    assert rapport.meta["exercice_en_cours"] is True
    assert rapport.periode == (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    assert _values(_row(rapport, "ligne:6411"), *BASE) == (D(36000), D(18000), D(12450))
    assert _row(rapport, "ligne:62").valeurs[REALISE] == D(650)
    assert any(note.startswith("Exercice en cours") for note in rapport.notes)


def test_au_fin_d_exercice(source: Source, budgets: Budgets) -> None:
    rapport = _rapport(source, budgets, au=datetime.date(2026, 12, 31))
    for ligne in _rows(rapport):
        if ligne.style is not Style.TITRE:
            assert ligne.valeurs[BUDGET_A_DATE] == ligne.valeurs[BUDGET_ANNUEL], ligne.id


def test_au_hors_exercice(source: Source, budgets: Budgets) -> None:
    with pytest.raises(RapportImpossible, match="hors de l'exercice 2026"):
        _rapport(source, budgets, au=datetime.date(2027, 1, 5))


# --- Monthly ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mensuel(source: Source, budgets: Budgets) -> Rapport:
    return _rapport(source, budgets, mensuel=True)


def test_colonnes_mensuelles(mensuel: Rapport) -> None:
    colonnes = mensuel.partie("charges").colonnes
    assert [c.id for c in colonnes[:4]] == [
        "m2026_01_budget",
        "m2026_01_realise",
        "m2026_02_budget",
        "m2026_02_realise",
    ]
    assert colonnes[4].libelle == "mars 2026 budget"
    assert colonnes[5].libelle == "mars 2026 réalisé"
    assert [c.id for c in colonnes[-2:]] == [BUDGET_ANNUEL, REALISE]
    assert len(colonnes) == 26


def test_montants_mensuels(mensuel: Rapport) -> None:
    salaires = _row(mensuel, "ligne:6411").valeurs
    assert [salaires[f"m2026_{m:02d}_budget"] for m in range(1, 13)] == [D(3000)] * 12
    assert [salaires[f"m2026_{m:02d}_realise"] for m in range(1, 5)] == [
        D(3000),
        D(3000),
        D(3200),
        0,
    ]
    assert all(salaires[f"m2026_{m:02d}_realise"] is None for m in range(5, 13))  # after --au
    ville = _row(mensuel, "ligne:741").valeurs
    assert {m: ville[f"m2026_{m:02d}_budget"] for m in (2, 3, 9)} == {2: 0, 3: 5000, 9: 7000}
    saisonnier = _row(mensuel, "ligne:62").valeurs
    assert [saisonnier[f"m2026_{m:02d}_budget"] for m in (6, 7, 8, 9)] == [200, 0, 0, 300]
    assert saisonnier["m2026_04_realise"] == D(130)


def test_sommes_mensuelles(mensuel: Rapport) -> None:
    months = mois_de_l_exercice(mensuel_exercice())
    for ligne in _rows(mensuel):
        if ligne.style is Style.TITRE:
            continue
        budget = sum(ligne.valeurs[m.budget] for m in months)
        realise = sum(ligne.valeurs[m.realise] or 0 for m in months)
        assert budget == ligne.valeurs[BUDGET_ANNUEL], ligne.id
        assert realise == ligne.valeurs[REALISE], ligne.id
    assert mensuel.totaux["m2026_03_budget"]["total_produits"] == D(5000) + D(100)
    assert mensuel.totaux[REALISE]["total_charges"] == D(10660)


def mensuel_exercice():  # -> Exercice
    from communs_ledger.exercices import Exercice

    return Exercice(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def test_vue_mensuelle_compacte(mensuel: Rapport) -> None:
    vue = vue_mensuelle_compacte(mensuel)
    charges = vue.partie("charges")
    assert [c.libelle for c in charges.colonnes] == [
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
        "Total",
    ]
    salaires = charges.ligne("ligne:6411")
    budget = charges.ligne("ligne:6411:budget")
    assert salaires is not None and budget is not None
    assert salaires.valeurs["m2026_03"] == D(3200) and salaires.valeurs["total"] == D(9200)
    assert budget.valeurs["m2026_03"] == D(3000) and budget.valeurs["total"] == D(36000)
    assert charges.ligne(f"hors_budget:{ASSURANCE}:budget") is None  # no budget by definition
    benevolat = vue.partie("contributions_volontaires").ligne("ligne:864")
    assert benevolat is not None and benevolat.statut == "alerte"
    text = render(vue, Format.table, largeur=200).decode()
    assert "Salaires, appointements" in text and "36\u202f000" in text


# --- Invariants ---------------------------------------------------------------------------------


@pytest.mark.parametrize("au", [AU, datetime.date(2026, 6, 30), datetime.date(2026, 12, 31)])
@pytest.mark.parametrize("version", ["vote", "revise"])
def test_realise_egale_le_compte_de_resultat(
    source: Source, budgets: Budgets, au: datetime.date, version: str
) -> None:
    rapport = _rapport(source, budgets, au=au, version=version)
    exercice = source.exercice("2026")
    by_class = {"6": D(0), "7": D(0), "86": D(0), "87": D(0)}
    for movement in source.mouvements.entre(exercice.debut, au):
        code = movement.code or ""
        key = code[:2] if code[:2] in ("86", "87") else code[:1]
        if key in by_class:
            by_class[key] += movement.montant * sens(code)
    for partie, total, key in (
        ("charges", "total_charges", "6"),
        ("produits", "total_produits", "7"),
    ):
        detail = [
            ligne.valeurs[REALISE]
            for ligne in rapport.partie(partie).lignes
            if (ligne.id or "").startswith(("ligne:", "hors_budget:"))
        ]
        assert sum(detail) == by_class[key] == rapport.totaux[REALISE][total]
    assert rapport.totaux[REALISE]["contributions_volontaires_emplois"] == by_class["86"]
    resultat = compte_de_resultat(source, exercice, au=au, n1=False)
    assert rapport.totaux[REALISE]["resultat"] == resultat.totaux["n"]["resultat"]


def test_chapitres_egalent_leurs_lignes(vote: Rapport) -> None:
    for partie in vote.parties[:3]:
        current: Ligne | None = None
        sums: dict[str, D] = {}
        for ligne in [*partie.lignes, Ligne("fin", id="chapitre:fin")]:
            if (ligne.id or "").startswith("chapitre:"):
                if current is not None:
                    assert sums == {c: current.valeurs[c] for c in sums}, current.id
                current, sums = ligne, dict.fromkeys((*BASE, PROJECTION), D(0))
            elif (ligne.id or "").startswith(("ligne:", "hors_budget:")):
                for column in sums:
                    sums[column] += ligne.valeurs[column]


# --- Refusals -----------------------------------------------------------------------------------


def test_sans_fichier_de_budget(tmp_path: Path) -> None:
    config = CONFIG.split("budget:")[0]
    main = write_association(tmp_path / "asso", budget=None, config=config)
    source = Source.from_livre(load_livre(main))
    with pytest.raises(RapportImpossible) as error:
        _rapport(source, load_budgets(source.context))
    message = str(error.value)
    assert message.startswith("aucun budget pour l'exercice 2026 : déclarez son fichier dans")
    assert 'communs.yaml, par exemple « budget: {fichiers: {"2026": budgets/2026.yaml}} »' in (
        message
    )


def test_version_inconnue(source: Source, budgets: Budgets) -> None:
    with pytest.raises(RapportImpossible) as error:
        _rapport(source, budgets, version="juin")
    assert str(error.value) == (
        "version « juin » inconnue dans le budget 2026 : versions : vote (« BP voté en AG », "
        "10/01/2026), revise (« BP révisé en juin », 20/06/2026)"
    )


def test_projet_inconnu(source: Source, budgets: Budgets) -> None:
    with pytest.raises(RapportImpossible, match="projet « ETE » inconnu : projets connus"):
        _rapport(source, budgets, projet="ETE")


# --- Generated ledgers --------------------------------------------------------------------------


def test_grand_livre_genere_a_un_budget(tmp_path: Path) -> None:
    written = generate_ledger(tmp_path / "asso", 8003, seed=7)
    folder = written.main.parent
    assert sorted(p.name for p in (folder / "budgets").iterdir()) == [
        "2025.yaml",
        "2026.yaml",
        "2027.yaml",
    ]
    livre = load_livre(written.main)
    assert livre.ok, livre.diagnostics[:5]
    source = Source.from_livre(livre)
    budgets = load_budgets(source.context)
    assert budgets.erreurs == []
    assert [v.code for v in budgets.par_exercice["2025"].versions] == ["vote"]
    assert [v.code for v in budgets.par_exercice["2027"].versions] == ["vote", "revise"]
    for exercice in source.exercices:
        for version in budgets.par_exercice[exercice.code].versions:
            rapport = budget_vs_realise(source, budgets, exercice, version=version.code)
            lines = [ligne for ligne in _rows(rapport) if (ligne.id or "").startswith("ligne:")]
            assert any(ligne.id == "ligne:64" for ligne in lines)  # chapter lines
            assert any(ligne.id == "ligne:741:JARDINS" for ligne in lines)  # project lines
            for ligne in lines:  # within 10 % of the actual (whole exercice)
                realise, budget = ligne.valeurs[REALISE], ligne.valeurs[BUDGET_ANNUEL]
                assert abs(budget - realise) <= realise / 10 + 1, (exercice, ligne.id)  # euros
            assert rapport.partie("par_projet")
            assert rapport.avertissements == []  # no budget rule fires on a generated year
            # Σ86 = Σ87 in the budget too
            totals = rapport.totaux[BUDGET_ANNUEL]
            assert (
                totals["contributions_volontaires_emplois"]
                == totals["contributions_volontaires_ressources"]
            )
