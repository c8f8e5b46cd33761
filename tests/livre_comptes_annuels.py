"""A small association over 2024 and 2025 for the comptes annuels tests (figures computed
by hand in tests/test_comptes_annuels.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT_OPTIONS

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS_PROPRES = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
CREANCE_REGION = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
CREANCE_COMMUNE = "Actif:44-Etat:441-Subventions-a-recevoir:Commune"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
PRESTATIONS = "Produits:70-Ventes-et-prestations:706-Prestations-de-services"
USAGERS = "Actif:41-Usagers:411-Usagers"
EQUIPEMENT = "Charges:60-Achats:6063-Petit-equipement"
ENTRETIEN = "Charges:61-Services-exterieurs:615-Entretien-et-reparations"
FOURNISSEURS = "Passif:40-Fournisseurs:401-Fournisseurs"
EMPRUNT = "Passif:16-Emprunts:164-Emprunts-aupres-des-etablissements-de-credit"
REPORT = "Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions"
UTILISATION = "Produits:78-Reprises:7894-Utilisations-fonds-dedies-subventions"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-subventions"
VELO = "Actif:21-Immobilisations-corporelles:2182-Materiel-de-transport"
AMORT_VELO = "Actif:28-Amortissements:28182-Amortissements-velo"
DOTATION = "Charges:68-Dotations:6811-Dotations-aux-amortissements"
BENEVOLES = "Charges:86-Emplois-contributions-en-nature:864-Personnel-benevole"
BENEVOLAT = "Produits:87-Contributions-en-nature:875-Benevolat"
SECOURS = "Charges:86-Emplois-contributions-en-nature:860-Secours-en-nature"
DONS = "Produits:87-Contributions-en-nature:870-Dons-en-nature"
PROVISION = "Passif:15-Provisions:1511-Provisions-pour-litiges"
DOTATION_PROVISION = "Charges:68-Dotations:6815-Dotations-aux-provisions"

MAIN = (
    ROOT_OPTIONS
    + """\
option "title" "Atelier vélo"
option "operating_currency" "EUR"
plugin "communs_plugins.plan_comptable"

include "2024.beancount"
include "2025.beancount"
"""
)

OUVERTURES = "\n".join(
    f"2024-01-01 open {name}"
    for name in (
        BANQUE, FONDS_PROPRES, CREANCE_REGION, CREANCE_COMMUNE, REGION, COMMUNE, COTISATIONS,
        PRESTATIONS, USAGERS, EQUIPEMENT, ENTRETIEN, FOURNISSEURS, EMPRUNT, REPORT,
        UTILISATION, FONDS_DEDIES, VELO, AMORT_VELO, DOTATION, BENEVOLES, BENEVOLAT, SECOURS,
        DONS, PROVISION, DOTATION_PROVISION,
    )
)  # fmt: skip

# 2024: result = 10 000 + 500 − 4 000 − 6 000 (report) = 500.
E2024 = f"""\
{OUVERTURES}

2024-01-02 * "Apport"
  {BANQUE}  20000.00 EUR
  {FONDS_PROPRES}

2024-02-01 * "Cotisations"
  {BANQUE}  500.00 EUR
  {COTISATIONS}

2024-03-01 * "Région" "Subvention projet P"
  convention: "REG-P"
  {CREANCE_REGION}  10000.00 EUR
  {REGION}  -10000.00 EUR

2024-04-01 * "Région" "Versement"
  convention: "REG-P"
  {BANQUE}  10000.00 EUR
  {CREANCE_REGION}  -10000.00 EUR

2024-05-10 * "Menuiserie" "Établis"
  projet: "P"
  {EQUIPEMENT}  4000.00 EUR
  {BANQUE}

2024-12-31 * "Report en fonds dédiés : Projet P (REG-P)"
  convention: "REG-P"
  {REPORT}  6000.00 EUR
  {FONDS_DEDIES}  -6000.00 EUR
"""

# 2025: produits 2 500 (789) + 3 000 (74) + 1 200 (706) = 6 700; charges 2 500 + 900 + 600
# + 1 000 (provision for a litigation) = 5 000; result 1 700.
E2025 = f"""\
{ROOT_OPTIONS}
2025-04-01 * "Cycles" "Vélo cargo"
  {VELO}  3600.00 EUR
  {BANQUE}

2025-06-01 * "Quincaillerie" "Outils"
  projet: "P"
  {EQUIPEMENT}  2500.00 EUR
  {BANQUE}

2025-09-01 * "Commune" "Subvention 2025, à recevoir"
  convention: "COM-2025"
  {CREANCE_COMMUNE}  3000.00 EUR
  {COMMUNE}  -3000.00 EUR

2025-10-01 * "Centre social" "Ateliers réparation, facture F-12"
  {USAGERS}  1200.00 EUR
  {PRESTATIONS}  -1200.00 EUR

2025-11-01 * "Banque" "Emprunt"
  {BANQUE}  10000.00 EUR
  {EMPRUNT}  -10000.00 EUR

2025-12-01 * "Garage" "Entretien, facture non réglée"
  {ENTRETIEN}  600.00 EUR
  {FOURNISSEURS}  -600.00 EUR

2025-12-31 * "Valorisation du bénévolat"
  {BENEVOLES}  5000.00 EUR
  {BENEVOLAT}  -5000.00 EUR

2025-12-31 * "Dons de pièces détachées"
  {SECOURS}  300.00 EUR
  {DONS}  -300.00 EUR

2025-12-31 * "Provision : litige avec un ancien prestataire"
  {DOTATION_PROVISION}  1000.00 EUR
  {PROVISION}  -1000.00 EUR

2025-12-31 * "Dotation 2025 du vélo"
  {DOTATION}  900.00 EUR
  {AMORT_VELO}  -900.00 EUR

2025-12-31 * "Utilisation des fonds dédiés : Projet P (REG-P)"
  convention: "REG-P"
  {FONDS_DEDIES}  2500.00 EUR
  {UTILISATION}  -2500.00 EUR
"""

CONFIG = """\
association:
  nom: Atelier vélo
  objet: Réparer des vélos avec les habitants du quartier.
projets:
  - {code: P, nom: Projet P}
conventions: conventions.yaml
immobilisations: immobilisations.yaml
comptes_annuels:
  contributions_en_nature: Bénévolat valorisé au SMIC horaire brut chargé.
  exercices:
    "2025":
      faits_caracteristiques: Achat d'un vélo cargo, financé par un emprunt.
      effectif: {salaries: 0, etp: 0, benevoles: 12}
      dettes_a_plus_d_un_an: {"164": 8000}
"""

CONVENTIONS = """\
conventions:
  - reference: REG-P
    financeur: Région
    type_financeur: region
    objet: Projet P
    projets: [P]
    montant: 10000
    debut: 2024-03-01
    fin: 2025-12-31
    dediee: true
    compte: "7412"
    charges_eligibles: ["60"]
    versements: [{part: 100, date: 2024-04-01}]
  - reference: COM-2025
    financeur: Ville de Test
    type_financeur: commune
    objet: Fonctionnement 2025
    montant: 3000
    debut: 2025-01-01
    fin: 2025-12-31
    compte: "7415"
    versements: [{part: 100, date: 2026-02-01}]
"""

REGISTRE = """\
immobilisations:
  - id: VELO
    libelle: Vélo cargo
    compte: "2182"
    compte_amortissement: "28182"
    valeur_origine: 3600.00
    mise_en_service: 2025-04-01
    duree: 3
"""


def ecrire_livre(folder: Path) -> Path:
    """Write the ledger, its config, conventions and register in ``folder``."""
    files = {
        "main.beancount": MAIN,
        "2024.beancount": ROOT_OPTIONS + E2024,
        "2025.beancount": E2025,
        "communs.yaml": CONFIG,
        "conventions.yaml": CONVENTIONS,
        "immobilisations.yaml": REGISTRE,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "main.beancount"
