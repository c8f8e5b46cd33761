"""``rapports/bilan.py``: the bilan (modèle ANC 2018-06) of a small association over two
exercices (2024: chart 2018, 2025: chart 2025), loaded with the real Beancount loader.

Either-side accounts go where their balance puts them, account by account: a 512 in
overdraft is a dette while another 512 is a disponibilité; a debtor 441 is an autre
créance and a creditor 441 a dette fiscale et sociale (``condition`` in bilan.yaml); a
creditor 411 usager is an autre dette and a debtor 401 fournisseur an autre créance
(``tiers_sens_contraire``). Every figure is computed by hand in the comments.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.rapports.bilan import bilan
from communs_ledger.rapports.objets import Rapport, Style
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.source import Source
from conftest import write_ledger

D = Decimal

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
DECOUVERT = "Passif:51-Banques:512-Banques:Credit-Agricole"
IMMO = "Actif:21-Immobilisations-corporelles:2183-Materiel-informatique"
AMORT = "Actif:28-Amortissements:2818-Amortissements-autres-immobilisations-corporelles"
STOCK = "Actif:38-Stocks-en-depot"
USAGER_DUPONT = "Actif:41-Usagers:411-Usagers:Dupont"
USAGER_MARTIN = "Actif:41-Usagers:411-Usagers:Martin"
SUBV_REGION = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
SUBV_DEPARTEMENT = "Passif:44-Etat:441-Subventions-a-recevoir:Departement"
FOURN_PAPETERIE = "Passif:40-Fournisseurs:401-Fournisseurs:Papeterie"
FOURN_JARDINERIE = "Passif:40-Fournisseurs:401-Fournisseurs:Jardinerie"
CCA = "Actif:48-Regularisation:486-Charges-constatees-d-avance"
PCA = "Passif:48-Regularisation:487-Produits-constates-d-avance"
SALAIRES_DUS = "Passif:42-Personnel:421-Remunerations-dues"
URSSAF_DUE = "Passif:43-Organismes-sociaux:431-Securite-sociale"
RETRAITE_DUE = "Passif:43-Organismes-sociaux:437-Autres-organismes-sociaux"
EMPRUNT = "Passif:16-Emprunts:164-Emprunts-bancaires"
PROVISION = "Passif:15-Provisions:151-Provisions-pour-risques"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-sur-subventions-d-exploitation"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
RESERVE = "Fonds-propres:10-Fonds-propres:106-Reserves:1068-Reserves-pour-projet"
RAN = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
RAN_DEBITEUR = "Fonds-propres:11-Report-a-nouveau:119-Report-a-nouveau-debiteur"
SUBV_INV = "Fonds-propres:13-Subventions-d-investissement:131-Subventions-d-equipement"
SUBV_INV_REPRISE = "Fonds-propres:13-Subventions-d-investissement:139-Inscrites-au-resultat"

COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
PRESTATIONS = "Produits:70-Ventes:706-Prestations-de-services"
SUBVENTION = "Produits:74-Subventions:741-Subventions-d-exploitation"
QUOTE_PART_2018 = "Produits:77-Produits-exceptionnels:777-Quote-part-subventions"  # 2024
QUOTE_PART = "Produits:74-Subventions:747-Quote-part-subventions"  # 2025
UTILISATION_FD = "Produits:78-Reprises:789-Fonds-dedies:7894-Utilisations"
REPRISES = "Produits:78-Reprises:781-Reprises-exploitation"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
VARIATION_STOCK = "Charges:60-Achats:6037-Variation-des-stocks-de-marchandises"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
URSSAF = "Charges:64-Charges-de-personnel:6451-Cotisations-Urssaf"
INTERETS = "Charges:66-Charges-financieres:661-Charges-d-interets"
DOTATION_AMORT = "Charges:68-Dotations:6811-Dotations-amortissements"
DOTATION_PROV = "Charges:68-Dotations:6815-Dotations-provisions"
REPORT_FD = "Charges:68-Dotations:6894-Reports-fonds-dedies"

CONFIG = 'association:\n  nom: "Les Amis du Verger"\nexercice:\n  debut: "01-01"\n'

_ACCOUNTS_2024 = [
    BANQUE, IMMO, AMORT, STOCK, USAGER_DUPONT, USAGER_MARTIN, SUBV_REGION, SUBV_DEPARTEMENT,
    FOURN_PAPETERIE, FOURN_JARDINERIE, CCA, PCA, SALAIRES_DUS, URSSAF_DUE, RETRAITE_DUE, EMPRUNT,
    PROVISION, FONDS_DEDIES, FONDS, RESERVE, RAN, RAN_DEBITEUR, SUBV_INV, SUBV_INV_REPRISE,
    COTISATIONS, PRESTATIONS, SUBVENTION, UTILISATION_FD, REPRISES, FOURNITURES, VARIATION_STOCK,
    LOYER, SALAIRES, URSSAF, INTERETS, DOTATION_AMORT, DOTATION_PROV, REPORT_FD,
]  # fmt: skip

LEDGER = (
    "".join(f"2024-01-01 open {account}\n" for account in _ACCOUNTS_2024)
    + f"2024-01-01 open {QUOTE_PART_2018}\n"
    + f"2024-12-31 close {QUOTE_PART_2018}\n"
    + f"2025-01-01 open {QUOTE_PART}\n"
    + f"2025-01-01 open {DECOUVERT}\n"
    + """
; --- Exercice 2024 (chart 2018) -----------------------------------------------------------
; À-nouveaux: 12 000 + 3 000 - 600 = 14 400 = 8 000 + 2 000 + (110 5 000 - 119 600 = 4 400)

2024-01-01 * "Ouverture" "À-nouveaux"
  {BANQUE}  12000.00 EUR
  {IMMO}  3000.00 EUR
  {AMORT}  -600.00 EUR
  {FONDS}  -8000.00 EUR
  {RESERVE}  -2000.00 EUR
  {RAN}  -5000.00 EUR
  {RAN_DEBITEUR}  600.00 EUR

2024-02-01 * "Cotisations 2024"
  {BANQUE}  1500.00 EUR
  {COTISATIONS}  -1500.00 EUR

2024-03-01 * "Région" "Notification de subvention"
  {SUBV_REGION}  6000.00 EUR
  {SUBVENTION}  -6000.00 EUR

2024-04-01 * "Papeterie" "Facture"
  {FOURNITURES}  800.00 EUR
  {FOURN_PAPETERIE}  -800.00 EUR

2024-05-01 * "Ville" "Subvention d'équipement"
  {BANQUE}  2000.00 EUR
  {SUBV_INV}  -2000.00 EUR

2024-06-30 * "Paie"
  {SALAIRES}  3000.00 EUR
  {URSSAF}  1000.00 EUR
  {SALAIRES_DUS}  -2300.00 EUR
  {URSSAF_DUE}  -1700.00 EUR

2024-07-01 * "Salaires nets versés"
  {SALAIRES_DUS}  2300.00 EUR
  {BANQUE}  -2300.00 EUR

2024-09-01 * "Banque" "Emprunt"
  {BANQUE}  5000.00 EUR
  {EMPRUNT}  -5000.00 EUR

2024-12-15 * "Cotisations 2025 reçues d'avance"
  {BANQUE}  300.00 EUR
  {COTISATIONS}  -300.00 EUR

2024-12-31 * "Produits constatés d'avance"
  {COTISATIONS}  300.00 EUR
  {PCA}  -300.00 EUR

2024-12-31 * "Amortissements"
  {DOTATION_AMORT}  600.00 EUR
  {AMORT}  -600.00 EUR

2024-12-31 * "Quote-part de subvention d'investissement"
  {SUBV_INV_REPRISE}  200.00 EUR
  {QUOTE_PART_2018}  -200.00 EUR

2024-12-31 * "Report en fonds dédiés"
  {REPORT_FD}  1000.00 EUR
  {FONDS_DEDIES}  -1000.00 EUR

2024-12-31 * "Provision pour litige"
  {DOTATION_PROV}  400.00 EUR
  {PROVISION}  -400.00 EUR

2024-12-31 * "Subvention espérée" #prevision
  {BANQUE}  10000.00 EUR
  {SUBVENTION}  -10000.00 EUR

; --- Exercice 2025 (chart 2025) -----------------------------------------------------------

2025-01-10 * "Urssaf" "Cotisations de 2024"
  {URSSAF_DUE}  1700.00 EUR
  {BANQUE}  -1700.00 EUR

2025-01-15 * "Extourne des produits constatés d'avance"
  {PCA}  300.00 EUR
  {COTISATIONS}  -300.00 EUR

2025-02-01 * "Papeterie" "Règlement partiel"
  {FOURN_PAPETERIE}  500.00 EUR
  {BANQUE}  -500.00 EUR

2025-02-01 * "Cotisations 2025"
  {BANQUE}  1600.00 EUR
  {COTISATIONS}  -1600.00 EUR

2025-02-15 * "Jardinerie" "Facture"
  {FOURNITURES}  400.00 EUR
  {FOURN_JARDINERIE}  -400.00 EUR

2025-02-20 * "Jardinerie" "Règlement (payé deux fois une partie)"
  {FOURN_JARDINERIE}  650.00 EUR
  {BANQUE}  -650.00 EUR

2025-03-01 * "Dupont" "Facture d'ateliers"
  {USAGER_DUPONT}  1200.00 EUR
  {PRESTATIONS}  -1200.00 EUR

2025-03-05 * "Martin" "Acompte sur les ateliers de l'automne"
  {BANQUE}  450.00 EUR
  {USAGER_MARTIN}  -450.00 EUR

2025-03-10 * "Région" "Versement de la subvention 2024"
  {BANQUE}  6000.00 EUR
  {SUBV_REGION}  -6000.00 EUR

2025-04-01 * "Dupont" "Règlement partiel"
  {BANQUE}  700.00 EUR
  {USAGER_DUPONT}  -700.00 EUR

2025-04-01 * "Département" "Avance sur une subvention à notifier"
  {BANQUE}  1500.00 EUR
  {SUBV_DEPARTEMENT}  -1500.00 EUR

2025-05-01 * "Région" "Notification de la subvention 2025"
  {SUBV_REGION}  4000.00 EUR
  {SUBVENTION}  -4000.00 EUR

2025-05-01 * "Affectation du résultat 2024 (AG)" "500 en réserve pour projet"
  {RAN}  500.00 EUR
  {RESERVE}  -500.00 EUR

2025-06-01 * "Loyer annuel payé sur le second compte"
  {LOYER}  2400.00 EUR
  {DECOUVERT}  -2400.00 EUR

2025-06-30 * "Paie"
  {SALAIRES}  3200.00 EUR
  {URSSAF}  1100.00 EUR
  {SALAIRES_DUS}  -2500.00 EUR
  {URSSAF_DUE}  -1200.00 EUR
  {RETRAITE_DUE}  -600.00 EUR

2025-07-01 * "Salaires nets versés"
  {SALAIRES_DUS}  2500.00 EUR
  {BANQUE}  -2500.00 EUR

2025-09-01 * "Banque" "Échéance d'emprunt"
  {EMPRUNT}  1000.00 EUR
  {INTERETS}  50.00 EUR
  {BANQUE}  -1050.00 EUR

2025-11-01 * "Subvention espérée" #prevision
  {BANQUE}  10000.00 EUR
  {SUBVENTION}  -10000.00 EUR

2025-12-20 * "Cotisations 2026 reçues d'avance"
  {BANQUE}  250.00 EUR
  {COTISATIONS}  -250.00 EUR

2025-12-31 * "Produits constatés d'avance"
  {COTISATIONS}  250.00 EUR
  {PCA}  -250.00 EUR

2025-12-31 * "Charges constatées d'avance" "Loyer de janvier 2026"
  {CCA}  300.00 EUR
  {LOYER}  -300.00 EUR

2025-12-31 * "Inventaire"
  {STOCK}  350.00 EUR
  {VARIATION_STOCK}  -350.00 EUR

2025-12-31 * "Amortissements"
  {DOTATION_AMORT}  600.00 EUR
  {AMORT}  -600.00 EUR

2025-12-31 * "Quote-part de subvention d'investissement"
  {SUBV_INV_REPRISE}  200.00 EUR
  {QUOTE_PART}  -200.00 EUR

2025-12-31 * "Utilisation des fonds dédiés"
  {FONDS_DEDIES}  600.00 EUR
  {UTILISATION_FD}  -600.00 EUR

2025-12-31 * "Reprise de la provision (litige clos)"
  {PROVISION}  400.00 EUR
  {REPRISES}  -400.00 EUR
""".format(**globals())
)

# --- Résultats (classes 6 and 7) -------------------------------------------------------------
# 2024: produits 756 1 500 + 300 - 300 = 1 500 ; 741 6 000 ; 777 200          = 7 700.00
#       charges 6064 800 + 6411 3 000 + 6451 1 000 + 6811 600 + 6894 1 000 + 6815 400 = 6 800.00
#       résultat 900.00
# 2025: produits 756 300 + 1 600 + 250 - 250 = 1 900 ; 706 1 200 ; 741 4 000 ; 747 200 ;
#       7894 600 ; 781 400                                                      = 8 300.00
#       charges 6064 400 + 6132 (2 400 - 300) 2 100 + 6411 3 200 + 6451 1 100 + 661 50
#               + 6811 600 + 6037 -350                                          = 7 100.00
#       résultat 1 200.00
#
# --- Bilan au 31/12/2024 (chart 2018) --------------------------------------------------------
# banque 12 000 + 1 500 + 2 000 - 2 300 + 5 000 + 300 = 18 500.00 (the #prevision is ignored)
# actif : autres immobilisations corporelles brut 3 000, amortissements 600 + 600 = 1 200,
#         net 1 800 ; autres créances 441 Région 6 000 ; disponibilités 18 500
#         total 1 800 + 6 000 + 18 500 = 26 300.00
# passif : 102 8 000 ; réserves pour projet 1068 2 000 ; report à nouveau 110 5 000 - 119 600
#          = 4 400 (no earlier result) ; résultat 900 ;
#          subventions d'investissement 131 2 000 - 139 200 = 1 800 ;
#          fonds propres 8 000 + 2 000 + 4 400 + 900 + 1 800 = 17 100
#          fonds dédiés 1 000 ; provisions pour risques 400
#          dettes : emprunt 5 000 ; fournisseurs 800 ; fiscales et sociales 431 1 700 ;
#          produits constatés d'avance 300 ; total 7 800
#          total 17 100 + 1 000 + 400 + 7 800 = 26 300.00
#
# --- Bilan au 31/12/2025 (chart 2025) --------------------------------------------------------
# banque 18 500 - 1 700 - 500 + 1 600 - 650 + 450 + 6 000 + 700 + 1 500 - 2 500 - 1 050
#        + 250 = 22 600.00 ; Crédit Agricole -2 400 (overdraft)
# actif : immobilisations brut 3 000, amortissements 1 800, net 1 200 ; stocks 38 350 ;
#         créances usagers 411 Dupont 1 200 - 700 = 500 ;
#         autres créances 441 Région 6 000 - 6 000 + 4 000 = 4 000 + 401 Jardinerie
#         -400 + 650 = 250 (debtor supplier) = 4 250 ; disponibilités 22 600 ;
#         charges constatées d'avance 300
#         actif circulant 350 + 500 + 4 250 + 22 600 + 300 = 28 000
#         total 1 200 + 28 000 = 29 200.00
# passif : 102 8 000 ; réserves pour projet 2 000 + 500 = 2 500 ;
#          report à nouveau 110 (5 000 - 500) 4 500 - 119 600 + résultat 2024 non affecté 900
#          = 4 800 ;
#          résultat 1 200 ; subventions d'investissement 2 000 - 400 = 1 600
#          fonds propres 8 000 + 2 500 + 4 800 + 1 200 + 1 600 = 18 100
#          fonds dédiés 1 000 - 600 = 400 ; provisions 400 - 400 = 0
#          dettes : établissements de crédit 164 (5 000 - 1 000) 4 000 + découvert 2 400
#          = 6 400 ; fournisseurs 401 Papeterie 800 - 500 = 300 ; fiscales et sociales
#          441 Département 1 500 + 431 (1 700 - 1 700 + 1 200) 1 200 + 437 600 = 3 300 ;
#          autres dettes 411 Martin 450 (creditor usager) ; produits constatés d'avance
#          (300 - 300 + 250) 250 ; total 6 400 + 300 + 3 300 + 450 + 250 = 10 700
#          total 18 100 + 400 + 0 + 10 700 = 29 200.00
#
# --- Situation au 31/03/2025 ------------------------------------------------------------------
# banque 18 500 - 1 700 - 500 + 1 600 - 650 + 450 + 6 000 = 23 700.00
# résultat 2025 to date: 756 300 + 1 600 + 706 1 200 - 6064 400 = 2 700.00
# actif : immobilisations net 1 800 (brut 3 000, amortissements 1 200) ; créances usagers
#         1 200 ; autres créances 401 Jardinerie 250 (441 Région is settled) ;
#         disponibilités 23 700 ; total 26 950.00
# passif : 102 8 000 ; réserves 2 000 (affectation on 1 May) ; report à nouveau
#          110 5 000 - 119 600 + 900 = 5 300 ; résultat 2 700 ; subventions d'investissement 1 800 ;
#          fonds propres 19 800 ; fonds dédiés 1 000 ; provisions 400 ;
#          dettes : emprunt 5 000 + fournisseurs 300 + autres dettes (Martin) 450 = 5 750
#          (431 settled, PCA reversed) ; total 19 800 + 1 000 + 400 + 5 750 = 26 950.00

ACTIF_2024 = {  # line: (brut, amortissements, net)
    "autres_immobilisations_corporelles": (D("3000.00"), D("1200.00"), D("1800.00")),
    "autres_creances": (D("6000.00"), D(0), D("6000.00")),
    "disponibilites": (D("18500.00"), D(0), D("18500.00")),
    "total_actif_immobilise": (D("3000.00"), D("1200.00"), D("1800.00")),
    "total_actif_circulant": (D("24500.00"), D(0), D("24500.00")),
    "total_actif": (D("27500.00"), D("1200.00"), D("26300.00")),
}
PASSIF_2024 = {
    "fonds_propres_sans_droit_reprise": D("8000.00"),
    "reserves": D("2000.00"),
    "reserves_projet": D("2000.00"),
    "report_a_nouveau": D("4400.00"),
    "resultat_exercice": D("900.00"),
    "subventions_investissement": D("1800.00"),
    "fonds_propres": D("17100.00"),
    "fonds_dedies_sur_ressources": D("1000.00"),
    "fonds_dedies": D("1000.00"),
    "provisions_risques": D("400.00"),
    "provisions": D("400.00"),
    "emprunts_etablissements_credit": D("5000.00"),
    "dettes_fournisseurs": D("800.00"),
    "dettes_fiscales_sociales": D("1700.00"),
    "produits_constates_avance": D("300.00"),
    "dettes": D("7800.00"),
    "total_passif": D("26300.00"),
}
ACTIF_2025 = {
    "autres_immobilisations_corporelles": (D("3000.00"), D("1800.00"), D("1200.00")),
    "stocks": (D("350.00"), D(0), D("350.00")),
    "creances_usagers": (D("500.00"), D(0), D("500.00")),
    "autres_creances": (D("4250.00"), D(0), D("4250.00")),
    "disponibilites": (D("22600.00"), D(0), D("22600.00")),
    "charges_constatees_avance": (D("300.00"), D(0), D("300.00")),
    "total_actif_immobilise": (D("3000.00"), D("1800.00"), D("1200.00")),
    "total_actif_circulant": (D("28000.00"), D(0), D("28000.00")),
    "total_actif": (D("31000.00"), D("1800.00"), D("29200.00")),
}
PASSIF_2025 = {
    "fonds_propres_sans_droit_reprise": D("8000.00"),
    "reserves": D("2500.00"),
    "reserves_projet": D("2500.00"),
    "report_a_nouveau": D("4800.00"),
    "resultat_exercice": D("1200.00"),
    "subventions_investissement": D("1600.00"),
    "fonds_propres": D("18100.00"),
    "fonds_dedies_sur_ressources": D("400.00"),
    "fonds_dedies": D("400.00"),
    "emprunts_etablissements_credit": D("6400.00"),
    "dettes_fournisseurs": D("300.00"),
    "dettes_fiscales_sociales": D("3300.00"),
    "autres_dettes": D("450.00"),
    "produits_constates_avance": D("250.00"),
    "dettes": D("10700.00"),
    "total_passif": D("29200.00"),
}
ACTIF_MARS_2025 = {
    "autres_immobilisations_corporelles": (D("3000.00"), D("1200.00"), D("1800.00")),
    "creances_usagers": (D("1200.00"), D(0), D("1200.00")),
    "autres_creances": (D("250.00"), D(0), D("250.00")),
    "disponibilites": (D("23700.00"), D(0), D("23700.00")),
    "total_actif_immobilise": (D("3000.00"), D("1200.00"), D("1800.00")),
    "total_actif_circulant": (D("25150.00"), D(0), D("25150.00")),
    "total_actif": (D("28150.00"), D("1200.00"), D("26950.00")),
}
PASSIF_MARS_2025 = {
    "fonds_propres_sans_droit_reprise": D("8000.00"),
    "reserves": D("2000.00"),
    "reserves_projet": D("2000.00"),
    "report_a_nouveau": D("5300.00"),
    "resultat_exercice": D("2700.00"),
    "subventions_investissement": D("1800.00"),
    "fonds_propres": D("19800.00"),
    "fonds_dedies_sur_ressources": D("1000.00"),
    "fonds_dedies": D("1000.00"),
    "provisions_risques": D("400.00"),
    "provisions": D("400.00"),
    "emprunts_etablissements_credit": D("5000.00"),
    "dettes_fournisseurs": D("300.00"),
    "autres_dettes": D("450.00"),
    "dettes": D("5750.00"),
    "total_passif": D("26950.00"),
}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    folder: Path = tmp_path_factory.mktemp("verger-bilan")
    livre = load_livre(write_ledger(folder, LEDGER, config=CONFIG))
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


def _bilan(source: Source, code: str, **kwargs) -> Rapport:
    return bilan(source, source.exercice(code), **kwargs)


def _actif(rapport: Rapport, column: str = "net") -> dict[str, Decimal]:
    return {
        ligne.id: ligne.valeurs[column]
        for ligne in rapport.partie("actif").lignes
        if ligne.style is not Style.TITRE and ligne.id
    }


def _passif(rapport: Rapport, column: str = "n") -> dict[str, Decimal]:
    return {
        ligne.id: ligne.valeurs[column]
        for ligne in rapport.partie("passif").lignes
        if ligne.style is not Style.TITRE and ligne.id
    }


def _assert_actif(rapport: Rapport, expected: dict[str, tuple[Decimal, Decimal, Decimal]]) -> None:
    for index, column in enumerate(("brut", "amortissements", "net")):
        found = _actif(rapport, column)
        want = {line: values[index] for line, values in expected.items()}
        wrong = {k: (v, want.get(k, D(0))) for k, v in found.items() if v != want.get(k, D(0))}
        assert not wrong, (column, wrong)


def _assert_passif(found: dict[str, Decimal], expected: dict[str, Decimal]) -> None:
    assert set(expected) <= set(found), set(expected) - set(found)
    wrong = {k: (v, expected.get(k, D(0))) for k, v in found.items() if v != expected.get(k, D(0))}
    assert not wrong, wrong


def test_bilan_2024_actif(source: Source) -> None:
    rapport = _bilan(source, "2024")
    assert rapport.meta == {"plan": "2018", "au": "2024-12-31"}
    _assert_actif(rapport, ACTIF_2024)
    # first exercice of the ledger: no N-1 column
    assert [c.id for c in rapport.partie("actif").colonnes] == ["brut", "amortissements", "net"]
    assert [c.id for c in rapport.partie("passif").colonnes] == ["n"]
    assert list(rapport.totaux) == ["n"]


def test_bilan_2024_passif(source: Source) -> None:
    _assert_passif(_passif(_bilan(source, "2024")), PASSIF_2024)


def test_bilan_2025_actif_et_n1(source: Source) -> None:
    rapport = _bilan(source, "2025")
    assert rapport.meta == {"plan": "2025", "au": "2025-12-31"}
    _assert_actif(rapport, ACTIF_2025)
    # N-1: the net of 2024
    n1 = _actif(rapport, "n1")
    expected_n1 = {line: values[2] for line, values in ACTIF_2024.items()}
    assert {k: v for k, v in n1.items() if v} == expected_n1
    assert [c.libelle for c in rapport.partie("actif").colonnes] == [
        "Brut",
        "Amortissements et dépréciations",
        "Net au 31/12/2025",
        "Net au 31/12/2024",
    ]


def test_bilan_2025_passif_et_n1(source: Source) -> None:
    rapport = _bilan(source, "2025")
    _assert_passif(_passif(rapport), PASSIF_2025)
    _assert_passif(_passif(rapport, "n1"), PASSIF_2024)
    assert [c.libelle for c in rapport.partie("passif").colonnes] == [
        "Au 31/12/2025",
        "Au 31/12/2024",
    ]


def test_bilan_totaux_nommes(source: Source) -> None:
    totaux = _bilan(source, "2025").totaux
    names = (
        "total_actif",
        "total_passif",
        "fonds_propres",
        "fonds_dedies",
        "dettes",
        "disponibilites",
        "resultat",
    )
    assert {name: totaux["n"][name] for name in names} == {
        "total_actif": D("29200.00"),
        "total_passif": D("29200.00"),
        "fonds_propres": D("18100.00"),
        "fonds_dedies": D("400.00"),
        "dettes": D("10700.00"),
        "disponibilites": D("22600.00"),
        "resultat": D("1200.00"),
    }
    assert {name: totaux["n1"][name] for name in names} == {
        "total_actif": D("26300.00"),
        "total_passif": D("26300.00"),
        "fonds_propres": D("17100.00"),
        "fonds_dedies": D("1000.00"),
        "dettes": D("7800.00"),
        "disponibilites": D("18500.00"),
        "resultat": D("900.00"),
    }


def test_comptes_a_solde_variable_compte_par_compte(source: Source) -> None:
    rapport = _bilan(source, "2025")
    actif = rapport.partie("actif")
    passif = rapport.partie("passif")

    def comptes(partie, line: str) -> tuple[str, ...]:
        found = partie.ligne(line)
        assert found is not None, line
        return found.comptes

    # two 512 sub-accounts: one a disponibilité, the other (overdraft) a dette
    assert comptes(actif, "disponibilites") == (BANQUE,)
    assert comptes(passif, "emprunts_etablissements_credit") == tuple(sorted((DECOUVERT, EMPRUNT)))
    # 441 debtor: autre créance; 441 creditor: dette fiscale et sociale
    # 401 debtor: autre créance (tiers_sens_contraire)
    assert comptes(actif, "autres_creances") == tuple(sorted((FOURN_JARDINERIE, SUBV_REGION)))
    assert comptes(passif, "dettes_fiscales_sociales") == tuple(
        sorted((RETRAITE_DUE, SUBV_DEPARTEMENT, URSSAF_DUE))
    )
    # 411 debtor: créance usager; 411 creditor: autre dette
    assert comptes(actif, "creances_usagers") == (USAGER_DUPONT,)
    assert comptes(passif, "autres_dettes") == (USAGER_MARTIN,)
    assert comptes(passif, "dettes_fournisseurs") == (FOURN_PAPETERIE,)
    assert comptes(passif, "reserves_projet") == (RESERVE,)
    assert comptes(passif, "report_a_nouveau") == (RAN, RAN_DEBITEUR)
    assert comptes(passif, "subventions_investissement") == tuple(
        sorted((SUBV_INV, SUBV_INV_REPRISE))
    )
    assert rapport.avertissements == []
    assert rapport.notes[0].startswith("Comptes à solde variable")


def test_report_a_nouveau_comprend_les_resultats_non_affectes(source: Source) -> None:
    rapport = _bilan(source, "2025")
    # 110 5 000 - 500 (affectation to 1068) - 119 600 + 2024 result 900 (not booked anywhere)
    assert rapport.totaux["n"]["report_a_nouveau"] == D("4800.00")
    assert any(
        note.startswith("Report à nouveau : comprend les résultats") for note in rapport.notes
    )
    # the 2024 bilan has no earlier result to carry
    assert not any(note.startswith("Report à nouveau") for note in _bilan(source, "2024").notes)


def test_resultat_du_bilan_egale_le_compte_de_resultat(source: Source) -> None:
    for code, expected in (("2024", D("900.00")), ("2025", D("1200.00"))):
        exercice = source.exercice(code)
        assert bilan(source, exercice).totaux["n"]["resultat"] == expected
        assert compte_de_resultat(source, exercice).totaux["n"]["resultat"] == expected


def test_situation_en_cours_d_exercice(source: Source) -> None:
    rapport = _bilan(source, "2025", au=datetime.date(2025, 3, 31))
    assert rapport.exercice == "2025"
    assert rapport.periode == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert rapport.sous_titre.endswith(", situation au 31 mars 2025")
    _assert_actif(rapport, ACTIF_MARS_2025)
    _assert_passif(_passif(rapport), PASSIF_MARS_2025)
    # the N-1 column stays the closing of 2024
    assert rapport.totaux["n1"]["total_actif"] == D("26300.00")
    assert rapport.totaux["n"]["resultat"] == D("2700.00")
    cr = compte_de_resultat(source, source.exercice("2025"), au=datetime.date(2025, 3, 31))
    assert cr.totaux["n"]["resultat"] == D("2700.00")


def test_situation_hors_exercice_prend_l_exercice_de_la_date(source: Source) -> None:
    rapport = _bilan(source, "2025", au=datetime.date(2024, 12, 31))
    assert rapport.exercice == "2024"
    assert rapport.totaux["n"]["total_actif"] == D("26300.00")


def test_les_previsions_ne_comptent_pas(source: Source) -> None:
    # two #prevision subventions of 10 000.00 on the bank: not in the disponibilités
    assert _bilan(source, "2024").totaux["n"]["disponibilites"] == D("18500.00")
    assert _bilan(source, "2025").totaux["n"]["disponibilites"] == D("22600.00")


def test_styles_des_lignes(source: Source) -> None:
    passif = _bilan(source, "2025").partie("passif")
    assert passif.ligne("reserves").style is Style.SOUS_TOTAL
    assert passif.ligne("reserves_projet").niveau == 2
    assert passif.ligne("total_passif").style is Style.TOTAL
    assert passif.ligne("bloc_fonds_propres").style is Style.TITRE


DEVISES = """\
2024-01-01 open Actif:51-Banques:512-Banques:Compte-courant
2024-01-01 open Actif:50-Valeurs-mobilieres:503-Actions
2024-01-01 open Actif:53-Caisse:531-Caisse
2024-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise
2024-01-01 open Produits:75-Autres-produits:7541-Dons-manuels

2024-01-02 * "Apport"
  Actif:51-Banques:512-Banques:Compte-courant  5000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise  -5000.00 EUR

2024-03-01 * "Achat de parts de SICAV"
  Actif:50-Valeurs-mobilieres:503-Actions  10 SICAV {100.00 EUR}
  Actif:51-Banques:512-Banques:Compte-courant  -1000.00 EUR

2024-04-01 * "Don en dollars, converti à la réception"
  Actif:51-Banques:512-Banques:Compte-courant  90.00 EUR
  Produits:75-Autres-produits:7541-Dons-manuels  -100.00 USD @ 0.90 EUR

2024-05-01 * "Don en espèces étrangères, gardé en caisse"
  Actif:53-Caisse:531-Caisse  50.00 CHF
  Produits:75-Autres-produits:7541-Dons-manuels  -50.00 CHF
"""


def test_titres_au_cout_et_devises(tmp_path: Path) -> None:
    """Securities held at cost count at their cost (the bilan stays balanced); an amount
    converted at a price counts for its euros; one with no euro value is left out, said so."""
    livre = load_livre(write_ledger(tmp_path, DEVISES, config=CONFIG))
    assert livre.ok, [str(d) for d in livre.diagnostics]
    source = Source.from_livre(livre)
    rapport = bilan(source, source.exercice("2024"))
    # actif: VMP 1 000.00 ; banque 5 000 - 1 000 + 90 = 4 090.00 ; total 5 090.00
    # passif: 102 5 000.00 + résultat (don 100 USD at 0.90) 90.00 = 5 090.00
    assert rapport.totaux["n"]["valeurs_mobilieres_placement"] == D("1000.00")
    assert rapport.totaux["n"]["disponibilites"] == D("4090.00")
    assert rapport.totaux["n"]["total_actif"] == rapport.totaux["n"]["total_passif"] == D("5090.00")
    assert rapport.totaux["n"]["resultat"] == D("90.00")
    assert rapport.avertissements == ["Montants en devises ignorés : CHF"]
    cr = compte_de_resultat(source, source.exercice("2024"))
    assert cr.totaux["n"]["dons_manuels"] == D("90.00")
    assert cr.avertissements == ["Montants en devises ignorés : CHF"]
