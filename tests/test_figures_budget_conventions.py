"""The typed figures of the budget and conventions reports (``compute_*``), on a small
ledger written here; every expected amount is computed by hand below.

Exercice 2026 (calendar year), one project JARDINS, one convention REG (Région, 4 000 €
for JARDINS). Entries to 31 March:

- 6064 fournitures 300 (JARDINS, 15/01), 6411 salaires 2 000 (28/02, no project);
- 706 prestations 500 (JARDINS, 10/03), 7412 Région 4 000 (JARDINS, REG, 20/03), of
  which 1 000 received on 25/03 (441 keeps 3 000);
- 864/875 bénévolat 100 (31/03).

Budget « vote » (uniform profile unless said): 6064 JARDINS 1 200, 6411 12 000, 706
JARDINS 2 400, 7412 JARDINS 4 000 all in March, 864 120, 875 120. Version « revise »
(base vote): 6411 13 000, and a new line 6226 600.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal

import pytest

from communs_ledger.analytique.cles import Cles
from communs_ledger.budget.cerfa import compute_cerfa, ouvertures
from communs_ledger.budget.comparaison import VersionDesignee, compute_comparaison
from communs_ledger.budget.fichier import Budgets, load_budgets
from communs_ledger.budget.suivi import Montants, compute_suivi
from communs_ledger.chargement import load_livre
from communs_ledger.conventions.compte_rendu import PrevuRealise, compute_compte_rendu
from communs_ledger.conventions.fichier import Conventions, conventions_du_grand_livre
from communs_ledger.conventions.subventions import compute_subventions
from communs_ledger.rapports.source import Source
from conftest import BANQUE, FONDS, write_ledger

D = Decimal
AU = datetime.date(2026, 3, 31)

FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
PRESTATIONS = "Produits:70-Ventes:706-Prestations-de-services"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
CREANCE = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
BENEVOLAT_EMPLOI = "Charges:86-Emplois-contributions-en-nature:864-Personnel-benevole"
BENEVOLAT = "Produits:87-Contributions-en-nature:875-Benevolat"

LEDGER = "".join(
    f"2026-01-01 open {account}\n"
    for account in (
        BANQUE,
        FONDS,
        FOURNITURES,
        SALAIRES,
        PRESTATIONS,
        REGION,
        CREANCE,
        BENEVOLAT_EMPLOI,
        BENEVOLAT,
    )
) + textwrap.dedent(
    f"""
    2026-01-02 * "Apport"
      {BANQUE}  10000.00 EUR
      {FONDS}

    2026-01-15 * "Outils"
      projet: "JARDINS"
      {FOURNITURES}  300.00 EUR
      {BANQUE}

    2026-02-28 * "Salaires"
      {SALAIRES}  2000.00 EUR
      {BANQUE}

    2026-03-10 * "Ateliers"
      projet: "JARDINS"
      {BANQUE}  500.00 EUR
      {PRESTATIONS}

    2026-03-20 * "Région" "Notification"
      convention: "REG"
      projet: "JARDINS"
      {CREANCE}  4000.00 EUR
      {REGION}

    2026-03-25 * "Région" "Avance"
      convention: "REG"
      {BANQUE}  1000.00 EUR
      {CREANCE}

    2026-03-31 * "Bénévolat"
      {BENEVOLAT_EMPLOI}  100.00 EUR
      {BENEVOLAT}
    """
)

CONFIG = """\
association:
  nom: Les Jardins du Canal
projets:
  - code: JARDINS
    nom: Jardins partagés
conventions: conventions.yaml
financeurs:
  "7412": region
budget:
  fichiers:
    "2026": budget-2026.yaml
"""

CONVENTIONS = """\
conventions:
  - reference: REG
    financeur: Région
    type_financeur: region
    objet: Jardins partagés
    projets: [JARDINS]
    montant: 4000
    debut: 2026-01-01
    fin: 2026-12-31
    compte: "7412"
    charges_eligibles: ["60", "64"]
"""

BUDGET = """\
versions:
  - code: vote
    nom: BP voté
    date: 2026-01-10
    lignes:
      - {compte: "6064", projet: JARDINS, montant: 1200}
      - {compte: "6411", montant: 12000}
      - {compte: "706", projet: JARDINS, montant: 2400}
      - {compte: "7412", projet: JARDINS, montant: 4000, profil: {mois: {3: 4000}}}
      - {compte: "864", montant: 120}
      - {compte: "875", montant: 120}
  - code: revise
    nom: BP révisé
    date: 2026-03-01
    base: vote
    lignes:
      - {compte: "6411", montant: 13000}
      - {compte: "6226", montant: 600}
"""


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    folder = tmp_path_factory.mktemp("figures") / "asso"
    main = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    (folder / "budget-2026.yaml").write_text(BUDGET, encoding="utf-8")
    livre = load_livre(main)
    assert livre.ok, livre.diagnostics
    return Source.from_livre(livre)


@pytest.fixture(scope="module")
def budgets(source: Source) -> Budgets:
    found = load_budgets(source.context)
    assert found.erreurs == []
    return found


@pytest.fixture(scope="module")
def conventions(source: Source) -> Conventions:
    found, errors = conventions_du_grand_livre(source.context)
    assert errors == [] and found is not None
    return found


def _annual(montants: Montants) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return (
        montants.budget_annuel,
        montants.budget_a_date,
        montants.realise,
        montants.projection,
    )


def test_compute_suivi(source: Source, budgets: Budgets) -> None:
    suivi = compute_suivi(source, budgets, source.exercice("2026"), version="vote", au=AU)
    assert suivi.au == AU and not suivi.en_cours and not suivi.mensuel
    # Budget à date on 31/03 (uniform): 3/12 of the year; 7412 falls due in March.
    # Projection of a charge: réalisé + annual − to date: 6064 300 + 900, 6411 2 000 + 9 000.
    lines = {p.id: p for c in suivi.charges.chapitres for p in c.postes}
    assert _annual(lines["ligne:6064:JARDINS"].montants) == (D(1200), D(300), D(300), D(1200))
    assert _annual(lines["ligne:6411"].montants) == (D(12000), D(3000), D(2000), D(11000))
    assert [c.code for c in suivi.charges.chapitres] == ["60", "64"]
    assert _annual(suivi.total_charges) == (D(13200), D(3300), D(2300), D(12200))
    assert suivi.total_charges.ecart == D(-1000)
    assert suivi.total_charges.ecart_pct == D(-1000) / D(3300)
    # Produits: 706 500 + 2 400 − 600 = 2 300; 7412 4 000 + 4 000 − 4 000 = 4 000.
    assert _annual(suivi.total_produits) == (D(6400), D(4600), D(4500), D(6300))
    assert _annual(suivi.resultat) == (D(-6800), D(1300), D(2200), D(-5900))
    # Contributions en nature: 100 + 120 − 30 = 190 on both sides.
    assert suivi.emplois is not None and suivi.ressources is not None
    assert _annual(suivi.emplois.total) == (D(120), D(30), D(100), D(190))
    assert _annual(suivi.ressources.total) == (D(120), D(30), D(100), D(190))
    # By project: JARDINS (6064, 706, 7412) then the lines without project (6411).
    projets = {p.projet: p for p in suivi.projets}
    assert list(projets) == ["JARDINS", None]
    assert projets["JARDINS"].nom == "Jardins partagés"
    assert projets["JARDINS"].resultat.realise == D(500 + 4000 - 300)
    assert projets[None].resultat.realise == D(-2000)
    assert projets["JARDINS"].resultat.budget_annuel == D(2400 + 4000 - 1200)


def test_compute_suivi_mensuel_et_projet(source: Source, budgets: Budgets) -> None:
    exercice = source.exercice("2026")
    au = datetime.date(2026, 2, 15)
    suivi = compute_suivi(source, budgets, exercice, version="vote", au=au, mensuel=True)
    # Each month: 100 (6064) + 1 000 (6411) of budget; actuals: January 300, February
    # to the 15th 0 (the salaries are on the 28th), none after.
    months = suivi.charges.total.mois
    assert len(months) == 12 and suivi.jour_n1 is None
    assert (months[0].budget, months[0].realise) == (D(1100), D(300))
    assert (months[1].budget, months[1].realise) == (D(1100), D(0))
    assert months[2].realise is None and months[11].budget == D(1100)
    # The project's report: its lines only, no part by project.
    projet = compute_suivi(source, budgets, exercice, version="vote", au=AU, projet="JARDINS")
    assert projet.projets == () and projet.emplois is None
    assert [line.compte for line in projet.lignes] == ["6064", "706", "7412"]
    assert _annual(projet.total_charges) == (D(1200), D(300), D(300), D(1200))
    assert projet.resultat.realise == D(4200)


def test_compute_cerfa(source: Source, budgets: Budgets) -> None:
    budget = budgets.pour(source.exercice("2026"))
    assert budget is not None
    version = budget.version("vote")
    assert version is not None
    cerfa = compute_cerfa(source.context, budget.exercice, version, ouvertures(source.entries))
    assert cerfa.par_ligne["autres_fournitures"] == D(1200)
    assert cerfa.par_ligne["remunerations_personnels"] == D(12000)
    assert cerfa.par_ligne["subvention_region"] == D(4000)  # financeurs: "7412": region
    assert cerfa.par_chapitre["chapitre_70"] == D(2400)
    assert cerfa.charges_prevues == D(13200) and cerfa.produits_prevus == D(6400)
    # Insuffisance 6 800 balances the table at 13 200.
    assert cerfa.resultat_previsionnel == D(-6800)
    assert (cerfa.excedent_previsionnel, cerfa.insuffisance_previsionnelle) == (D(0), D(6800))
    assert cerfa.total_charges == cerfa.total_produits == D(13200)
    assert cerfa.ecart_charges_produits == D(0)
    assert cerfa.contributions_volontaires_emplois == D(120)
    assert cerfa.contributions_volontaires_ressources == D(120)
    assert cerfa.ecart_contributions == D(0)
    assert cerfa.financeurs_inconnus == () and cerfa.hors_tableau == ()
    # The project's budget: 6064 and 706, 7412 (no indirect costs without keys).
    projet = compute_cerfa(
        source.context, budget.exercice, version, ouvertures(source.entries), projet="JARDINS"
    )
    assert projet.charges_prevues == D(1200) and projet.produits_prevus == D(6400)
    assert projet.excedent_previsionnel == D(5200) and projet.total_produits == D(6400)
    assert projet.indirectes is None
    with_keys = compute_cerfa(
        source.context,
        budget.exercice,
        version,
        ouvertures(source.entries),
        projet="JARDINS",
        cles=Cles([]),
    )
    assert with_keys.indirectes is not None and with_keys.indirectes.parts == []


def test_compute_comparaison(source: Source, budgets: Budgets) -> None:
    budget = budgets.pour(source.exercice("2026"))
    assert budget is not None
    vote, revise = budget.version("vote"), budget.version("revise")
    assert vote is not None and revise is not None
    comparaison = compute_comparaison(
        budget.exercice,
        VersionDesignee(vote, "voté", "version vote"),
        VersionDesignee(revise, "révisé", "version revise"),
    )
    lines = {line.cle: line for line in comparaison.lignes}
    assert lines[("6411", None)].statut == "modifiée"
    assert lines[("6411", None)].montants.ecart == D(1000)
    assert lines[("6226", None)].statut == "ajoutée"
    assert (lines[("6226", None)].montants.a, lines[("6226", None)].montants.b) == (D(0), D(600))
    assert lines[("6064", "JARDINS")].statut == "identique"
    assert [c.code for c in comparaison.charges] == ["60", "62", "64"]
    total = comparaison.total_charges
    assert (total.a, total.b, total.ecart) == (D(13200), D(13200 + 1000 + 600), D(1600))
    assert total.ecart_pct == D(1600) / D(13200)
    assert (comparaison.total_produits.a, comparaison.total_produits.b) == (D(6400), D(6400))
    assert (comparaison.resultat.a, comparaison.resultat.b) == (D(-6800), D(6400 - 14800))
    assert comparaison.contributions_volontaires_emplois.b == D(120)
    assert comparaison.contributions_volontaires_ressources.a == D(120)


def test_compute_subventions(source: Source, conventions: Conventions) -> None:
    suivi = compute_subventions(source, conventions, source.exercice("2026"), au=AU)
    assert suivi.au == AU and suivi.au_demande
    (line,) = suivi.lignes
    # Recognised 4 000 (7412), received 1 000, 3 000 still on 441; spent: the JARDINS
    # charges of 60 and 64 (the salaries have no project): 300.
    assert (line.reconnu, line.recu, line.a_recevoir) == (D(4000), D(1000), D(3000))
    assert (line.depense, line.dont_reparti, line.reste) == (D(300), D(0), D(3700))
    assert suivi.total_accorde == D(4000) and suivi.total_reconnu == D(4000)
    assert suivi.total_recu == D(1000) and suivi.total_a_recevoir == D(3000)
    assert suivi.total_depense == D(300) and suivi.total_reparti == D(0)
    assert suivi.total_reste_a_depenser == D(3700)
    assert any(e.nature == "compte_rendu" for e in suivi.echeances)


def test_compute_compte_rendu(source: Source, conventions: Conventions, budgets: Budgets) -> None:
    cr = compute_compte_rendu(source, conventions, "REG", budgets)
    # Réalisation to the last entry (31/03), before the end of the convention.
    assert cr.fin == AU and not cr.sans_projet and cr.sans_budget == ()
    # Prévision: the JARDINS lines of the budget over the whole year; réalisation: the
    # JARDINS postings (and those tagged REG).
    assert (cr.prevision["autres_fournitures"], cr.realisation["autres_fournitures"]) == (
        D(1200),
        D(300),
    )
    assert cr.realisation["subvention_region"] == D(4000)
    assert cr.chapitres["chapitre_70"].prevision == D(2400)
    assert cr.chapitres["chapitre_70"].realisation == D(500)
    assert cr.chapitres["chapitre_64"] == PrevuRealise(D(0), D(0))  # 6411 has no project
    charges, produits = cr.parties["charges"], cr.parties["produits"]
    assert (charges.prevision, charges.realisation) == (D(1200), D(300))
    assert (produits.prevision, produits.realisation) == (D(6400), D(4500))
    # Produits beyond charges: an excédent on the charges side, which then balance.
    assert (cr.resultat.prevision, cr.resultat.realisation) == (D(5200), D(4200))
    assert (cr.excedent.prevision, cr.excedent.realisation) == (D(5200), D(4200))
    assert cr.autofinancement == PrevuRealise(D(0), D(0))
    assert cr.total("charges") == cr.total("produits")
    assert cr.total("charges").realisation == D(4500)
    # Emploi: the eligible JARDINS charges; nothing allocated without keys.
    assert cr.emploi.total == D(300) and cr.reste_a_employer == D(3700)
    assert (cr.reconnu, cr.recu) == (D(4000), D(1000))
    assert cr.allocation is None and cr.total_reparti == D(0)
