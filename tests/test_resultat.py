"""``rapports/resultat.py``: the compte de résultat (modèle ANC 2018-06), in its 2018
layout (exercice 2024) and its 2025 layout (exercice 2025), with the N-1 column,
``projet`` filtering and a closing date inside the exercice (``au``).

One ledger over three calendar exercices (2023 and 2024: chart 2018; 2025: chart
2025), loaded with the real Beancount loader. Every figure asserted below is
computed by hand in the comments next to the entries.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import Livre, load_livre
from communs_ledger.rapports.objets import Rapport, Style
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.source import RapportImpossible, Source
from conftest import write_ledger

D = Decimal

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
# 37x changes between the charts (371 retired, 37 postable in 2025): goods in deposit (38)
# are valid in both.
STOCK = "Actif:38-Stocks-en-depot"
AMORT = "Actif:28-Amortissements:281-Amortissements-corporels:2818-Autres"
PROVISION = "Passif:15-Provisions:151-Provisions-pour-risques"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-sur-subventions-d-exploitation"

COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
VENTES = "Produits:70-Ventes:707-Ventes-de-marchandises"
PRESTATIONS = "Produits:70-Ventes:706-Prestations-de-services"
PARRAINAGES = "Produits:70-Ventes:706-Prestations-de-services:7063-Parrainages"
RABAIS = "Produits:70-Ventes:709-Rabais-remises-ristournes"
SUBVENTION_74 = "Produits:74-Subventions-d-exploitation"  # postable in the 2018 chart only
SUBVENTION = "Produits:74-Subventions:741-Subventions-d-exploitation"
DONS = "Produits:75-Autres-produits:754-Generosite:7541-Dons-manuels"
MECENAT = "Produits:75-Autres-produits:754-Generosite:7542-Mecenat"
CONTRIBUTION = "Produits:75-Autres-produits:755-Contributions:7551-Contributions-financieres"
REPRISES = "Produits:78-Reprises:781-Reprises-exploitation"
UTILISATION_FD = "Produits:78-Reprises:789-Fonds-dedies:7894-Utilisations-subventions"
DIVERS = "Produits:75-Autres-produits:758-Produits-divers"
CESSION = "Produits:75-Autres-produits:757-Produits-des-cessions"  # 2025 only
FINANCIER = "Produits:76-Produits-financiers:768-Autres-produits-financiers"
EXCEPTIONNEL_2018 = "Produits:77-Produits-exceptionnels:7718-Autres-sur-operations-de-gestion"
EXCEPTIONNEL = "Produits:77-Produits-exceptionnels:778-Autres-produits-exceptionnels"
BENEVOLAT = "Produits:87-Contributions-volontaires:875-Benevolat"
PRESTATIONS_NATURE = "Produits:87-Contributions-volontaires:871-Prestations-en-nature"

FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
MARCHANDISES = "Charges:60-Achats:607-Achats-de-marchandises"
VARIATION_STOCK = "Charges:60-Achats:6037-Variation-des-stocks-de-marchandises"
AIDES = "Charges:65-Autres-charges:6571-Aides-financieres"
TAXE = "Charges:63-Impots-et-taxes:6311-Taxe-sur-les-salaires"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
AUTRES_PERSONNEL = "Charges:64-Charges-de-personnel:648-Autres-charges-de-personnel"
REMBOURSEMENTS = "Charges:64-Charges-de-personnel:649-Remboursements"  # 2025 only
URSSAF = "Charges:64-Charges-de-personnel:6451-Cotisations-Urssaf"
DOTATION_AMORT = "Charges:68-Dotations:6811-Dotations-amortissements"
DOTATION_PROV = "Charges:68-Dotations:6815-Dotations-provisions"
REPORT_FD = "Charges:68-Dotations:6894-Reports-fonds-dedies"
PENALITES = "Charges:65-Autres-charges:6581-Penalites"  # 2025 only
VALEUR_CEDEE = "Charges:65-Autres-charges:652-Valeurs-comptables-cedees"  # 2025 only
INTERETS = "Charges:66-Charges-financieres:661-Charges-d-interets"
IMPOT_SOCIETES = "Charges:69-Impots-sur-les-benefices:695-Impots-sur-les-benefices"
BENEVOLES = "Charges:86-Emplois-des-contributions:864-Personnel-benevole"
MISE_A_DISPOSITION = "Charges:86-Emplois-des-contributions:861-Mises-a-disposition"

CONFIG = """\
association:
  nom: "Les Amis du Verger"
exercice:
  debut: "01-01"
projets:
  - code: JARDINS
    nom: Jardins partagés
  - code: ECOLE
    nom: Jardiner à l'école
"""

_OPEN_2023 = [
    BANQUE, FONDS, AMORT, PROVISION, FONDS_DEDIES, COTISATIONS, VENTES, PRESTATIONS,
    PARRAINAGES, RABAIS, SUBVENTION, DONS, MECENAT, CONTRIBUTION, REPRISES, UTILISATION_FD,
    DIVERS, FINANCIER, EXCEPTIONNEL, BENEVOLAT, PRESTATIONS_NATURE, FOURNITURES, LOYER,
    HONORAIRES, MARCHANDISES, VARIATION_STOCK, AIDES, TAXE, SALAIRES, AUTRES_PERSONNEL, URSSAF,
    DOTATION_AMORT, DOTATION_PROV, REPORT_FD, INTERETS, IMPOT_SOCIETES, BENEVOLES,
    MISE_A_DISPOSITION,
]  # fmt: skip
_OPEN_2025 = [CESSION, REMBOURSEMENTS, PENALITES, VALEUR_CEDEE]

OPENS = (
    "".join(f"2023-01-01 open {account}\n" for account in _OPEN_2023)
    + f"2023-01-01 open {STOCK}\n"
    + f"2023-01-01 open {SUBVENTION_74}\n"
    + f"2023-01-01 open {EXCEPTIONNEL_2018}\n"
    + f"2024-12-31 close {SUBVENTION_74}\n"
    + f"2024-12-31 close {EXCEPTIONNEL_2018}\n"
    + "".join(f"2025-01-01 open {account}\n" for account in _OPEN_2025)
)


def _tx(
    date: str, narration: str, *postings: tuple[str, str], meta: str = "", tags: str = ""
) -> str:
    """A transaction with explicit amounts (``meta``: a line under the header)."""
    lines = [f'{date} * "{narration}"{tags}']
    if meta:
        lines.append(f"  {meta}")
    for account, amount in postings:
        lines.append(f"  {account}  {amount} EUR" if amount else f"  {account}")
    return "\n".join(lines) + "\n\n"


# --- Exercice 2023 (chart 2018): the N-1 of the 2024 report --------------------------------
# cotisations 800.00 ; prestations 1 000.00 (projet ECOLE) ; fournitures 200.00
# total produits d'exploitation 800 + 1 000 = 1 800.00 ; charges 200.00 ; résultat 1 600.00
# projet ECOLE : produits 1 000.00, résultat 1 000.00
EXERCICE_2023 = (
    _tx("2023-01-02", "Apport initial", (BANQUE, "10000.00"), (FONDS, "-10000.00"))
    + _tx("2023-02-01", "Cotisations 2023", (BANQUE, "800.00"), (COTISATIONS, "-800.00"))
    + _tx(
        "2023-05-01",
        "Ateliers à l'école",
        (BANQUE, "1000.00"),
        (PRESTATIONS, "-1000.00"),
        meta='projet: "ECOLE"',
    )
    + _tx("2023-06-01", "Papeterie", (FOURNITURES, "200.00"), (BANQUE, "-200.00"))
)

# --- Exercice 2024 (chart 2018, layout 2018) ------------------------------------------------
# Produits d'exploitation
#   cotisations 756                                   1 200.00
#   ventes de biens 707                               3 000.00
#   prestations 706 4 500 + parrainages 7063 600 - rabais 709 150 = 4 950.00 (dont parrainages 600)
#   ventes de biens et services 3 000 + 4 950        = 7 950.00
#   concours publics 741 8 000 + 74 2 000            = 10 000.00
#   dons manuels 7541 900 + mécénats 7542 1 500      = 2 400.00 (générosité du public)
#   contributions financières 7551                      700.00
#   produits de tiers financeurs 10 000 + 2 400 + 700 = 13 100.00
#   reprises 781 250.00 ; utilisations fonds dédiés 7894 1 000.00 ; autres produits 758 80.00
#   total (I) 1 200 + 7 950 + 13 100 + 250 + 1 000 + 80 = 23 580.00
# Charges d'exploitation
#   achats de marchandises 607 1 800.00 ; variation de stocks 6037 -300.00 (stock up)
#   autres achats et charges externes 6064 320 + 6132 2 400 + 6226 1 100 = 3 820.00
#   aides financières 6571 500.00 ; impôts et taxes 6311 210.00
#   salaires 6411 6 000 + 3 000 + 648 400 = 9 400.00 ; charges sociales 6451 3 600.00
#   dotations amortissements 6811 700.00 ; provisions 6815 500.00 ;
#   reports en fonds dédiés 6894 1 200.00
#   total (II) 1 800 - 300 + 3 820 + 500 + 210 + 9 400 + 3 600 + 700 + 500 + 1 200 = 21 430.00
# résultat d'exploitation 23 580 - 21 430 = 2 150.00
# financier 768 45.00 - 661 90.00 = -45.00 ; courant 2 150 - 45 = 2 105.00
# exceptionnel 7718 130.00 (sur opérations de gestion) ; impôts sur les bénéfices 695 12.00
# total produits 23 580 + 45 + 130 = 23 755.00 ; total charges 21 430 + 90 + 12 = 21 532.00
# résultat 23 755 - 21 532 = 2 223.00 (= 2 105 + 130 - 12)
# contributions volontaires : 864 2 000 + 861 600 = 2 600.00 = 875 2 000 + 871 600
# projet JARDINS (transaction metadata): 741 8 000.00 - 6064 320.00 = 7 680.00
# projet ECOLE: 706 4 500.00 (transaction) - 6411 3 000.00 (posting metadata) = 1 500.00
# au 31/03/2024: 756 1 200 + 707 3 000 + (706 4 500 + 7063 600 - 709 150) = 9 150.00 ;
#   6132 2 400.00 ; résultat 6 750.00
EXERCICE_2024 = (
    _tx("2024-01-10", "Cotisations 2024", (BANQUE, "1200.00"), (COTISATIONS, "-1200.00"))
    + _tx("2024-01-31", "Loyer annuel", (LOYER, "2400.00"), (BANQUE, "-2400.00"))
    + _tx("2024-02-05", "Marché aux plants", (BANQUE, "3000.00"), (VENTES, "-3000.00"))
    + _tx(
        "2024-02-20",
        "Ateliers à l'école",
        (BANQUE, "4500.00"),
        (PRESTATIONS, "-4500.00"),
        meta='projet: "ECOLE"',
    )
    + _tx("2024-03-01", "Parrainage", (BANQUE, "600.00"), (PARRAINAGES, "-600.00"))
    + _tx("2024-03-15", "Remise accordée", (RABAIS, "150.00"), (BANQUE, "-150.00"))
    + _tx(
        "2024-04-01",
        "Subvention de la Région",
        (BANQUE, "8000.00"),
        (SUBVENTION, "-8000.00"),
        meta='projet: "JARDINS"',
    )
    + _tx("2024-04-02", "Subvention de la Ville", (BANQUE, "2000.00"), (SUBVENTION_74, "-2000.00"))
    + _tx(
        "2024-04-10",
        "Générosité",
        (BANQUE, "2400.00"),
        (DONS, "-900.00"),
        (MECENAT, "-1500.00"),
    )
    + _tx("2024-04-20", "Fondation", (BANQUE, "700.00"), (CONTRIBUTION, "-700.00"))
    + _tx(
        "2024-05-02",
        "Papeterie",
        (FOURNITURES, "320.00"),
        (BANQUE, "-320.00"),
        meta='projet: "JARDINS"',
    )
    + _tx("2024-05-10", "Honoraires", (HONORAIRES, "1100.00"), (BANQUE, "-1100.00"))
    + _tx("2024-05-20", "Plants à revendre", (MARCHANDISES, "1800.00"), (BANQUE, "-1800.00"))
    + _tx("2024-06-01", "Aide à une autre association", (AIDES, "500.00"), (BANQUE, "-500.00"))
    + _tx(
        "2024-06-01",
        "Subvention espérée",
        (BANQUE, "50000.00"),
        (SUBVENTION, "-50000.00"),
        tags=" #prevision",
    )
    + _tx(
        "2024-06-30",
        "Paie du semestre",
        (SALAIRES, "6000.00"),
        (AUTRES_PERSONNEL, "400.00"),
        (URSSAF, "3600.00"),
        (TAXE, "210.00"),
        (BANQUE, "-10210.00"),
    )
    + (
        '2024-09-30 * "Animatrice école"\n'
        f"  {SALAIRES}  3000.00 EUR\n"
        '    projet: "ECOLE"\n'
        f"  {BANQUE}  -3000.00 EUR\n\n"
    )
    + _tx("2024-10-01", "Intérêts du livret", (BANQUE, "45.00"), (FINANCIER, "-45.00"))
    + _tx("2024-10-02", "Intérêts d'emprunt", (INTERETS, "90.00"), (BANQUE, "-90.00"))
    + _tx("2024-11-01", "Indemnité d'assurance", (BANQUE, "130.00"), (EXCEPTIONNEL_2018, "-130.00"))
    + _tx("2024-11-02", "Produits divers", (BANQUE, "80.00"), (DIVERS, "-80.00"))
    + _tx("2024-11-03", "Impôt sur les revenus", (IMPOT_SOCIETES, "12.00"), (BANQUE, "-12.00"))
    + _tx(
        "2024-12-31",
        "Inventaire",
        (STOCK, "300.00"),
        (VARIATION_STOCK, "-300.00"),
    )
    + _tx("2024-12-31", "Amortissements", (DOTATION_AMORT, "700.00"), (AMORT, "-700.00"))
    + _tx("2024-12-31", "Provision litige", (DOTATION_PROV, "500.00"), (PROVISION, "-500.00"))
    + _tx("2024-12-31", "Reprise", (PROVISION, "250.00"), (REPRISES, "-250.00"))
    + _tx("2024-12-31", "Report fonds dédiés", (REPORT_FD, "1200.00"), (FONDS_DEDIES, "-1200.00"))
    + _tx(
        "2024-12-31",
        "Utilisation fonds dédiés",
        (FONDS_DEDIES, "1000.00"),
        (UTILISATION_FD, "-1000.00"),
    )
    + _tx(
        "2024-12-31",
        "Bénévolat et locaux prêtés",
        (BENEVOLES, "2000.00"),
        (MISE_A_DISPOSITION, "600.00"),
        (BENEVOLAT, "-2000.00"),
        (PRESTATIONS_NATURE, "-600.00"),
    )
)

# --- Exercice 2025 (chart 2025, layout 2025) ------------------------------------------------
# Produits d'exploitation
#   cotisations 1 300.00 ; ventes de biens 707 2 000.00
#   prestations 706 5 000 + 7063 400 - 709 100 = 5 300.00 (dont parrainages 400.00)
#   ventes de biens et services 2 000 + 5 300 = 7 300.00
#   concours publics 741 9 000.00 ; générosité 7541 1 100 + 7542 500 = 1 600.00
#   contributions financières 7551 800.00 ; tiers financeurs 9 000 + 1 600 + 800 = 11 400.00
#   reprises 781 300.00 ; utilisations fonds dédiés 7894 1 200.00
#   produits des cessions d'immobilisations 757 1 500.00 ; autres produits 758 60.00
#   total (I) 1 300 + 7 300 + 11 400 + 300 + 1 200 + 1 500 + 60 = 23 060.00
# Charges d'exploitation
#   607 1 600.00 ; 6037 200.00 (stock down) ; 6064 280 + 6132 2 500 + 6226 1 200 = 3 980.00
#   6571 400.00 ; 6311 230.00 ; salaires 6411 10 000 + 648 300 - 649 500 = 9 800.00
#   6451 3 900.00 ; 6811 700.00 ; 6815 200.00 ; 6894 800.00
#   valeurs comptables des immobilisations cédées 652 900.00 ; autres charges 6581 50.00
#   total (II) 1 600 + 200 + 3 980 + 400 + 230 + 9 800 + 3 900 + 700 + 200 + 800 + 900 + 50
#            = 22 760.00
# résultat d'exploitation 23 060 - 22 760 = 300.00
# financier 768 30.00 - 661 80.00 = -50.00 ; courant 250.00
# exceptionnel 778 250.00 (ligne unique) ; impôts sur les bénéfices 695 8.00
# total produits 23 060 + 30 + 250 = 23 340.00 ; total charges 22 760 + 80 + 8 = 22 848.00
# résultat 492.00 (= 250 + 250 - 8)
# contributions volontaires : 864 2 500 + 861 700 = 3 200.00 = 875 2 500 + 871 700
EXERCICE_2025 = (
    _tx("2025-01-10", "Cotisations 2025", (BANQUE, "1300.00"), (COTISATIONS, "-1300.00"))
    + _tx("2025-01-31", "Loyer annuel", (LOYER, "2500.00"), (BANQUE, "-2500.00"))
    + _tx("2025-02-05", "Marché aux plants", (BANQUE, "2000.00"), (VENTES, "-2000.00"))
    + _tx("2025-02-20", "Ateliers", (BANQUE, "5000.00"), (PRESTATIONS, "-5000.00"))
    + _tx("2025-03-01", "Parrainage", (BANQUE, "400.00"), (PARRAINAGES, "-400.00"))
    + _tx("2025-03-15", "Remise accordée", (RABAIS, "100.00"), (BANQUE, "-100.00"))
    + _tx("2025-04-01", "Subvention", (BANQUE, "9000.00"), (SUBVENTION, "-9000.00"))
    + _tx(
        "2025-04-10",
        "Générosité",
        (BANQUE, "1600.00"),
        (DONS, "-1100.00"),
        (MECENAT, "-500.00"),
    )
    + _tx("2025-04-20", "Fondation", (BANQUE, "800.00"), (CONTRIBUTION, "-800.00"))
    + _tx("2025-05-02", "Papeterie", (FOURNITURES, "280.00"), (BANQUE, "-280.00"))
    + _tx("2025-05-10", "Honoraires", (HONORAIRES, "1200.00"), (BANQUE, "-1200.00"))
    + _tx("2025-05-20", "Plants à revendre", (MARCHANDISES, "1600.00"), (BANQUE, "-1600.00"))
    + _tx("2025-06-01", "Aide à une autre association", (AIDES, "400.00"), (BANQUE, "-400.00"))
    + _tx(
        "2025-06-30",
        "Paie du semestre",
        (SALAIRES, "10000.00"),
        (AUTRES_PERSONNEL, "300.00"),
        (URSSAF, "3900.00"),
        (TAXE, "230.00"),
        (BANQUE, "-14430.00"),
    )
    + _tx("2025-07-01", "Indemnités journalières", (BANQUE, "500.00"), (REMBOURSEMENTS, "-500.00"))
    + _tx(
        "2025-07-15",
        "Vente de la vieille camionnette",
        (BANQUE, "1500.00"),
        (CESSION, "-1500.00"),
    )
    + _tx("2025-07-15", "Sortie de la camionnette", (VALEUR_CEDEE, "900.00"), (BANQUE, "-900.00"))
    + _tx("2025-08-01", "Pénalité de retard", (PENALITES, "50.00"), (BANQUE, "-50.00"))
    + _tx("2025-10-01", "Intérêts du livret", (BANQUE, "30.00"), (FINANCIER, "-30.00"))
    + _tx("2025-10-02", "Intérêts d'emprunt", (INTERETS, "80.00"), (BANQUE, "-80.00"))
    + _tx("2025-11-01", "Produit exceptionnel", (BANQUE, "250.00"), (EXCEPTIONNEL, "-250.00"))
    + _tx("2025-11-02", "Produits divers", (BANQUE, "60.00"), (DIVERS, "-60.00"))
    + _tx("2025-11-03", "Impôt sur les revenus", (IMPOT_SOCIETES, "8.00"), (BANQUE, "-8.00"))
    + _tx("2025-12-31", "Inventaire", (VARIATION_STOCK, "200.00"), (STOCK, "-200.00"))
    + _tx("2025-12-31", "Amortissements", (DOTATION_AMORT, "700.00"), (AMORT, "-700.00"))
    + _tx("2025-12-31", "Provision", (DOTATION_PROV, "200.00"), (PROVISION, "-200.00"))
    + _tx("2025-12-31", "Reprise", (PROVISION, "300.00"), (REPRISES, "-300.00"))
    + _tx("2025-12-31", "Report fonds dédiés", (REPORT_FD, "800.00"), (FONDS_DEDIES, "-800.00"))
    + _tx(
        "2025-12-31",
        "Utilisation fonds dédiés",
        (FONDS_DEDIES, "1200.00"),
        (UTILISATION_FD, "-1200.00"),
    )
    + _tx(
        "2025-12-31",
        "Bénévolat et locaux prêtés",
        (BENEVOLES, "2500.00"),
        (MISE_A_DISPOSITION, "700.00"),
        (BENEVOLAT, "-2500.00"),
        (PRESTATIONS_NATURE, "-700.00"),
    )
)

LEDGER = OPENS + "\n" + EXERCICE_2023 + EXERCICE_2024 + EXERCICE_2025


@pytest.fixture(scope="module")
def livre(tmp_path_factory: pytest.TempPathFactory) -> Livre:
    folder: Path = tmp_path_factory.mktemp("verger")
    found = load_livre(write_ledger(folder, LEDGER, config=CONFIG))
    assert found.ok, [str(d) for d in found.diagnostics]
    return found


@pytest.fixture(scope="module")
def source(livre: Livre) -> Source:
    return Source.from_livre(livre)


# --- Expected figures (from the comments above); every line not listed is 0 ---------------

LIGNES_2024 = {
    "cotisations": D("1200.00"),
    "ventes_biens_services": D("7950.00"),
    "ventes_biens": D("3000.00"),
    "ventes_prestations_services": D("4950.00"),
    "dont_parrainages": D("600.00"),
    "produits_tiers_financeurs": D("13100.00"),
    "concours_publics_subventions": D("10000.00"),
    "generosite_public": D("2400.00"),
    "dons_manuels": D("900.00"),
    "mecenats": D("1500.00"),
    "contributions_financieres": D("700.00"),
    "reprises_exploitation": D("250.00"),
    "utilisations_fonds_dedies": D("1000.00"),
    "autres_produits": D("80.00"),
    "total_produits_exploitation": D("23580.00"),
    "achats_marchandises": D("1800.00"),
    "variation_stocks": D("-300.00"),
    "autres_achats_charges_externes": D("3820.00"),
    "aides_financieres": D("500.00"),
    "impots_taxes": D("210.00"),
    "salaires_traitements": D("9400.00"),
    "charges_sociales": D("3600.00"),
    "dotations_amortissements_depreciations": D("700.00"),
    "dotations_provisions": D("500.00"),
    "reports_fonds_dedies": D("1200.00"),
    "total_charges_exploitation": D("21430.00"),
    "resultat_exploitation": D("2150.00"),
    "pf_autres_interets": D("45.00"),
    "total_produits_financiers": D("45.00"),
    "cf_interets": D("90.00"),
    "total_charges_financieres": D("90.00"),
    "resultat_financier": D("-45.00"),
    "resultat_courant": D("2105.00"),
    "pe_operations_gestion": D("130.00"),
    "total_produits_exceptionnels": D("130.00"),
    "resultat_exceptionnel": D("130.00"),
    "impots_benefices": D("12.00"),
    "total_produits": D("23755.00"),
    "total_charges": D("21532.00"),
    "resultat": D("2223.00"),
}
CONTRIBUTIONS_2024 = {
    "cvn_mises_a_disposition": D("600.00"),
    "cvn_personnel_benevole": D("2000.00"),
    "contributions_volontaires_emplois": D("2600.00"),
    "cvn_prestations_en_nature": D("600.00"),
    "cvn_benevolat": D("2000.00"),
    "contributions_volontaires_ressources": D("2600.00"),
}
LIGNES_2023 = {
    "cotisations": D("800.00"),
    "ventes_biens_services": D("1000.00"),
    "ventes_prestations_services": D("1000.00"),
    "total_produits_exploitation": D("1800.00"),
    "autres_achats_charges_externes": D("200.00"),
    "total_charges_exploitation": D("200.00"),
    "resultat_exploitation": D("1600.00"),
    "resultat_courant": D("1600.00"),
    "total_produits": D("1800.00"),
    "total_charges": D("200.00"),
    "resultat": D("1600.00"),
}
LIGNES_2025 = {
    "cotisations": D("1300.00"),
    "ventes_biens_services": D("7300.00"),
    "ventes_biens": D("2000.00"),
    "ventes_prestations_services": D("5300.00"),
    "dont_parrainages": D("400.00"),
    "produits_tiers_financeurs": D("11400.00"),
    "concours_publics_subventions": D("9000.00"),
    "generosite_public": D("1600.00"),
    "dons_manuels": D("1100.00"),
    "mecenats": D("500.00"),
    "contributions_financieres": D("800.00"),
    "reprises_exploitation": D("300.00"),
    "utilisations_fonds_dedies": D("1200.00"),
    "produits_cessions_immobilisations": D("1500.00"),
    "autres_produits": D("60.00"),
    "total_produits_exploitation": D("23060.00"),
    "achats_marchandises": D("1600.00"),
    "variation_stocks": D("200.00"),
    "autres_achats_charges_externes": D("3980.00"),
    "aides_financieres": D("400.00"),
    "impots_taxes": D("230.00"),
    "salaires_traitements": D("9800.00"),
    "charges_sociales": D("3900.00"),
    "dotations_amortissements_depreciations": D("700.00"),
    "dotations_provisions": D("200.00"),
    "reports_fonds_dedies": D("800.00"),
    "valeurs_comptables_cessions": D("900.00"),
    "autres_charges": D("50.00"),
    "total_charges_exploitation": D("22760.00"),
    "resultat_exploitation": D("300.00"),
    "pf_autres_interets": D("30.00"),
    "total_produits_financiers": D("30.00"),
    "cf_interets": D("80.00"),
    "total_charges_financieres": D("80.00"),
    "resultat_financier": D("-50.00"),
    "resultat_courant": D("250.00"),
    "produits_exceptionnels": D("250.00"),
    "total_produits_exceptionnels": D("250.00"),
    "resultat_exceptionnel": D("250.00"),
    "impots_benefices": D("8.00"),
    "total_produits": D("23340.00"),
    "total_charges": D("22848.00"),
    "resultat": D("492.00"),
}
CONTRIBUTIONS_2025 = {
    "cvn_mises_a_disposition": D("700.00"),
    "cvn_personnel_benevole": D("2500.00"),
    "contributions_volontaires_emplois": D("3200.00"),
    "cvn_prestations_en_nature": D("700.00"),
    "cvn_benevolat": D("2500.00"),
    "contributions_volontaires_ressources": D("3200.00"),
}
# 2024 restated in the 2025 layout (N-1 column of the 2025 report). 74 (2 000.00), postable
# before 2025 and a heading in 2025, is restated as a subsidy (retraitement of the layout):
# concours publics 8 000 + 2 000 = 10 000.00, tiers financeurs 10 000 + 2 400 + 700
# = 13 100.00. 7718, retired in 2025, follows its replacement 758 (« autres produits »):
# 80 + 130 = 210.00, so the exceptional result becomes 0 and the operating result
# 2 150 + 130 = 2 280.00; produits d'exploitation 23 580 + 130 = 23 710.00; résultat
# courant 2 105 + 130 = 2 235.00. Total produits, total charges and résultat unchanged.
LIGNES_2024_RETRAITEES = {
    **{k: v for k, v in LIGNES_2024.items() if k != "pe_operations_gestion"},
    "concours_publics_subventions": D("10000.00"),
    "produits_tiers_financeurs": D("13100.00"),
    "autres_produits": D("210.00"),
    "total_produits_exploitation": D("23710.00"),
    "resultat_exploitation": D("2280.00"),
    "resultat_courant": D("2235.00"),
    "total_produits_exceptionnels": D("0.00"),
    "resultat_exceptionnel": D("0.00"),
}
INCHANGES_AU_RETRAITEMENT = (
    "total_charges_exploitation",
    "resultat_financier",
    "total_produits",
    "total_charges",
    "resultat",
    "contributions_volontaires_emplois",
    "contributions_volontaires_ressources",
)

TOTAUX_NOMMES = (
    "total_produits_exploitation",
    "total_charges_exploitation",
    "resultat_exploitation",
    "resultat_financier",
    "resultat_courant",
    "resultat_exceptionnel",
    "total_produits",
    "total_charges",
    "resultat",
    "contributions_volontaires_emplois",
    "contributions_volontaires_ressources",
)


def _column(rapport: Rapport, partie: str, column: str) -> dict[str, Decimal]:
    """Values of one column of a part, by line id (heading rows left out)."""
    return {
        ligne.id: ligne.valeurs[column]
        for ligne in rapport.partie(partie).lignes
        if ligne.style is not Style.TITRE and ligne.id is not None
    }


def _assert_lines(found: dict[str, Decimal], expected: dict[str, Decimal]) -> None:
    """Every line equals its expected value (0 when not listed), exactly, as Decimal."""
    assert set(expected) <= set(found), set(expected) - set(found)
    wrong = {
        line: (value, expected.get(line, D(0)))
        for line, value in found.items()
        if not isinstance(value, Decimal) or value != expected.get(line, D(0))
    }
    assert not wrong, wrong


def _cr(source: Source, code: str, **kwargs) -> Rapport:
    return compte_de_resultat(source, source.exercice(code), **kwargs)


# --- Tests ----------------------------------------------------------------------------------


def test_exercices_et_versions_du_plan(source: Source) -> None:
    assert [e.code for e in source.exercices] == ["2023", "2024", "2025"]
    assert [e.version for e in source.exercices] == ["2018", "2018", "2025"]


def test_modele_2018_exercice_2024_chaque_ligne(source: Source) -> None:
    rapport = _cr(source, "2024")
    assert rapport.meta["plan"] == "2018"
    assert [c.id for c in rapport.partie("compte_de_resultat").colonnes] == ["n", "n1"]
    assert [c.libelle for c in rapport.partie("compte_de_resultat").colonnes] == [
        "Exercice 2024",
        "Exercice 2023",
    ]
    _assert_lines(_column(rapport, "compte_de_resultat", "n"), LIGNES_2024)
    _assert_lines(_column(rapport, "contributions_volontaires", "n"), CONTRIBUTIONS_2024)


def test_modele_2018_colonne_n1_exercice_2023(source: Source) -> None:
    rapport = _cr(source, "2024")
    _assert_lines(_column(rapport, "compte_de_resultat", "n1"), LIGNES_2023)
    _assert_lines(_column(rapport, "contributions_volontaires", "n1"), {})
    assert rapport.totaux["n1"]["resultat"] == D("1600.00")
    # same chart version on both columns: nothing restated
    assert not any("retraitée" in note for note in rapport.notes)
    assert rapport.avertissements == []


def test_modele_2018_totaux_nommes(source: Source) -> None:
    totaux = _cr(source, "2024").totaux["n"]
    expected = {**LIGNES_2024, **CONTRIBUTIONS_2024}
    assert {name: totaux[name] for name in TOTAUX_NOMMES} == {
        name: expected[name] for name in TOTAUX_NOMMES
    }
    # the result is the sum of its parts: courant + exceptionnel - impôts sur les bénéfices
    assert totaux["resultat"] == (
        totaux["resultat_courant"] + totaux["resultat_exceptionnel"] - totaux["impots_benefices"]
    )


def test_modele_2018_dont_et_deductions(source: Source) -> None:
    rapport = _cr(source, "2024")
    partie = rapport.partie("compte_de_resultat")
    dont = partie.ligne("dont_parrainages")
    assert dont is not None and dont.style is Style.DONT
    assert dont.comptes == (PARRAINAGES,)
    prestations = partie.ligne("ventes_prestations_services")
    assert prestations is not None
    # 709 (rabais, debit balance) is deducted on the prestations line: 4 500 + 600 - 150
    assert prestations.comptes == tuple(sorted((PRESTATIONS, PARRAINAGES, RABAIS)))
    assert prestations.valeurs["n"] == D("4950.00")
    # the parent of a « dont » line is still an ordinary line (its amount is its own accounts)
    ventes = partie.ligne("ventes_biens")
    assert ventes is not None and ventes.style is Style.NORMAL
    assert partie.ligne("ventes_biens_services").style is Style.SOUS_TOTAL
    stocks = partie.ligne("variation_stocks")
    assert stocks is not None and stocks.comptes == (VARIATION_STOCK,)
    assert partie.ligne("resultat").style is Style.TOTAL


def test_modele_2018_subvention_74_directe(source: Source) -> None:
    """``Produits:74-…`` (postable in the 2018 chart) is a concours public in 2024."""
    partie = _cr(source, "2024").partie("compte_de_resultat")
    ligne = partie.ligne("concours_publics_subventions")
    assert ligne is not None
    assert ligne.comptes == tuple(sorted((SUBVENTION, SUBVENTION_74)))
    assert ligne.valeurs["n"] == D("10000.00")


def test_modele_2025_exercice_2025_chaque_ligne(source: Source) -> None:
    rapport = _cr(source, "2025")
    assert rapport.meta["plan"] == "2025"
    _assert_lines(_column(rapport, "compte_de_resultat", "n"), LIGNES_2025)
    _assert_lines(_column(rapport, "contributions_volontaires", "n"), CONTRIBUTIONS_2025)
    salaires = rapport.partie("compte_de_resultat").ligne("salaires_traitements")
    assert salaires is not None
    # 649 (remboursements, credit balance) deducted: 10 000 + 300 - 500
    assert salaires.comptes == tuple(sorted((SALAIRES, AUTRES_PERSONNEL, REMBOURSEMENTS)))


def test_modele_2025_totaux_nommes(source: Source) -> None:
    totaux = _cr(source, "2025").totaux["n"]
    expected = {**LIGNES_2025, **CONTRIBUTIONS_2025}
    assert {name: totaux[name] for name in TOTAUX_NOMMES} == {
        name: expected[name] for name in TOTAUX_NOMMES
    }


LIGNES_2025_SEULEMENT = ("produits_cessions_immobilisations", "valeurs_comptables_cessions")


def test_lignes_du_modele_2025_seulement(source: Source) -> None:
    avant = _cr(source, "2024")
    apres = _cr(source, "2025")
    ids_avant = {ligne.id for ligne in avant.partie("compte_de_resultat").lignes}
    ids_apres = {ligne.id for ligne in apres.partie("compte_de_resultat").lignes}
    for line in LIGNES_2025_SEULEMENT:
        assert line not in ids_avant and line not in avant.totaux["n"]
        assert line in ids_apres and line in apres.totaux["n"]
    # exceptional items: three lines by nature in 2018, one single line in 2025
    assert {"pe_operations_gestion", "pe_operations_capital", "ce_operations_gestion"} <= ids_avant
    assert "produits_exceptionnels" not in ids_avant
    assert "produits_exceptionnels" in ids_apres and "pe_operations_gestion" not in ids_apres


def test_n1_retraitee_au_changement_de_plan(source: Source) -> None:
    rapport_2024 = _cr(source, "2024")
    rapport_2025 = _cr(source, "2025")
    n1 = rapport_2025.totaux["n1"]
    assert n1["resultat"] == rapport_2024.totaux["n"]["resultat"] == D("2223.00")
    for name in INCHANGES_AU_RETRAITEMENT:
        assert n1[name] == rapport_2024.totaux["n"][name], name
    _assert_lines(_column(rapport_2025, "compte_de_resultat", "n1"), LIGNES_2024_RETRAITEES)
    _assert_lines(_column(rapport_2025, "contributions_volontaires", "n1"), CONTRIBUTIONS_2024)
    assert (
        "Colonne 2024 retraitée selon le modèle 2025 : comptes retirés en 2025 présentés sur "
        "la ligne de leur remplacement, autres comptes rattachés par leur numéro ; l'exercice "
        "2024 relevait du plan 2018." in rapport_2025.notes
    )
    assert [c.libelle for c in rapport_2025.partie("compte_de_resultat").colonnes] == [
        "Exercice 2025",
        "Exercice 2024",
    ]
    assert rapport_2025.avertissements == []


def test_n1_retraitee_subvention_74_en_concours_publics(source: Source) -> None:
    n1 = _cr(source, "2025").totaux["n1"]
    assert n1["concours_publics_subventions"] == D("10000.00")
    assert n1["autres_produits"] == D("210.00")  # 80 + 7718 (130) restated as 758


def test_sans_colonne_n1(source: Source) -> None:
    rapport = _cr(source, "2024", n1=False)
    assert [c.id for c in rapport.partie("compte_de_resultat").colonnes] == ["n"]
    assert list(rapport.totaux) == ["n"]
    _assert_lines(_column(rapport, "compte_de_resultat", "n"), LIGNES_2024)


def test_premier_exercice_sans_n1(source: Source) -> None:
    rapport = _cr(source, "2023")
    assert list(rapport.totaux) == ["n"]
    _assert_lines(_column(rapport, "compte_de_resultat", "n"), LIGNES_2023)


def test_projet_ecritures_directes_seulement(source: Source) -> None:
    rapport = _cr(source, "2024", projet="ECOLE")
    # 706 4 500.00 (transaction metadata) ; 6411 3 000.00 (posting metadata only: the
    # other postings of that transaction and the other salaries are not in the project)
    _assert_lines(
        _column(rapport, "compte_de_resultat", "n"),
        {
            "ventes_biens_services": D("4500.00"),
            "ventes_prestations_services": D("4500.00"),
            "total_produits_exploitation": D("4500.00"),
            "salaires_traitements": D("3000.00"),
            "total_charges_exploitation": D("3000.00"),
            "resultat_exploitation": D("1500.00"),
            "resultat_courant": D("1500.00"),
            "total_produits": D("4500.00"),
            "total_charges": D("3000.00"),
            "resultat": D("1500.00"),
        },
    )
    # N-1 of the project: 2023 prestations 1 000.00
    assert rapport.totaux["n1"]["resultat"] == D("1000.00")
    assert rapport.totaux["n1"]["ventes_prestations_services"] == D("1000.00")
    assert rapport.meta["projet"] == "ECOLE"
    assert rapport.sous_titre.endswith("— projet ECOLE (Jardiner à l'école)")
    assert (
        "Projet : charges et produits directs (écritures portant « projet: ECOLE »), "
        "sans répartition des charges indirectes." in rapport.notes
    )


def test_projet_jardins(source: Source) -> None:
    totaux = _cr(source, "2024", projet="JARDINS").totaux
    # 741 8 000.00 - 6064 320.00 = 7 680.00 ; nothing in 2023
    assert totaux["n"]["concours_publics_subventions"] == D("8000.00")
    assert totaux["n"]["autres_achats_charges_externes"] == D("320.00")
    assert totaux["n"]["resultat"] == D("7680.00")
    assert totaux["n1"]["resultat"] == D("0")


def test_projet_inconnu(source: Source) -> None:
    with pytest.raises(RapportImpossible) as raised:
        _cr(source, "2024", projet="PISCINE")
    assert str(raised.value) == "projet « PISCINE » inconnu : projets connus : ECOLE, JARDINS"


def test_arrete_en_cours_d_exercice(source: Source) -> None:
    rapport = _cr(source, "2024", au=datetime.date(2024, 3, 31))
    # up to 31/03/2024: 756 1 200 + 707 3 000 + (706 4 500 + 7063 600 - 709 150) = 9 150.00
    # 6132 2 400.00 ; résultat 6 750.00
    _assert_lines(
        _column(rapport, "compte_de_resultat", "n"),
        {
            "cotisations": D("1200.00"),
            "ventes_biens_services": D("7950.00"),
            "ventes_biens": D("3000.00"),
            "ventes_prestations_services": D("4950.00"),
            "dont_parrainages": D("600.00"),
            "total_produits_exploitation": D("9150.00"),
            "autres_achats_charges_externes": D("2400.00"),
            "total_charges_exploitation": D("2400.00"),
            "resultat_exploitation": D("6750.00"),
            "resultat_courant": D("6750.00"),
            "total_produits": D("9150.00"),
            "total_charges": D("2400.00"),
            "resultat": D("6750.00"),
        },
    )
    # the N-1 column stays the whole previous exercice
    _assert_lines(_column(rapport, "compte_de_resultat", "n1"), LIGNES_2023)
    assert rapport.periode == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert rapport.partie("compte_de_resultat").colonnes[0].libelle == "2024 au 31/03/2024"
    assert rapport.sous_titre.endswith(", arrêté au 31 mars 2024")


def test_arrete_au_dernier_jour_egale_l_exercice(source: Source) -> None:
    rapport = _cr(source, "2024", au=datetime.date(2024, 12, 31))
    assert rapport.totaux == _cr(source, "2024").totaux
    assert rapport.partie("compte_de_resultat").colonnes[0].libelle == "Exercice 2024"


@pytest.mark.parametrize("au", [datetime.date(2023, 12, 31), datetime.date(2025, 1, 1)])
def test_arrete_hors_de_l_exercice(source: Source, au: datetime.date) -> None:
    with pytest.raises(RapportImpossible) as raised:
        _cr(source, "2024", au=au)
    assert "hors de l'exercice 2024" in str(raised.value)


def test_les_previsions_ne_comptent_pas(livre: Livre, source: Source) -> None:
    forecasts = [e for e in livre.entries if "prevision" in (getattr(e, "tags", None) or ())]
    assert len(forecasts) == 1  # the 50 000.00 subvention hoped for, in the loaded ledger
    # not counted: concours publics 741 8 000 + 74 2 000 = 10 000.00
    assert _cr(source, "2024").totaux["n"]["concours_publics_subventions"] == D("10000.00")
    # the same entry without its tag counts: 10 000 + 50 000
    actual = [e._replace(tags=frozenset()) if e in forecasts else e for e in livre.entries]
    without_tag = Source.from_context(actual, livre.context)
    totaux = compte_de_resultat(without_tag, without_tag.exercice("2024")).totaux["n"]
    assert totaux["concours_publics_subventions"] == D("60000.00")
    assert totaux["resultat"] == D("52223.00")
