"""A small association with dedicated subsidies over 2024 and 2025, for the fonds dédiés
and closing tests (figures computed by hand in the docstring of :func:`ecrire_livre`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import ROOT_OPTIONS

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS_PROPRES = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
CREANCE = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
DEPARTEMENT = "Produits:74-Subventions:741-Subventions-d-exploitation:7413-Departement"
COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"
EQUIPEMENT = "Charges:60-Achats:6063-Petit-equipement"
PUBLICITE = "Charges:62-Autres-services-exterieurs:623-Publicite-publications"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
REPORT = "Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-subventions"

MAIN = (
    ROOT_OPTIONS
    + """\
option "title" "Les Jardins de la Bièvre"
option "operating_currency" "EUR"
option "account_current_earnings" "12-Resultat:120-Resultat-de-l-exercice"
option "account_previous_earnings" "11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
plugin "communs_plugins.plan_comptable"
plugin "communs_plugins.cloture"

include "comptes.beancount"
include "2024.beancount"
include "2025.beancount"
"""
)

# 7894 is not opened: writing the 2025 utilisation opens it.
COMPTES = f"""\
2024-01-01 open {BANQUE} EUR
2024-01-01 open {FONDS_PROPRES}
2024-01-01 open {CREANCE}
2024-01-01 open {REGION}
2024-01-01 open {DEPARTEMENT}
2024-01-01 open {COMMUNE}
2024-01-01 open {EQUIPEMENT}
2024-01-01 open {PUBLICITE}
2024-01-01 open {LOYER}
2024-01-01 open {REPORT}
2024-01-01 open {FONDS_DEDIES}
"""

E2024 = f"""\
2024-01-02 * "Apport initial"
  {BANQUE}  30000.00 EUR
  {FONDS_PROPRES}

2024-03-01 * "Région" "Subvention projet P"
  convention: "REG-P-2024"
  {CREANCE}  10000.00 EUR
  {REGION}  -10000.00 EUR

2024-05-10 * "Menuiserie" "Composteurs"
  projet: "P"
  {EQUIPEMENT}  3000.00 EUR
  {BANQUE}

2024-06-15 * "Imprimerie" "Affiches"
  projet: "P"
  {PUBLICITE}  1500.00 EUR
  {BANQUE}

2024-07-01 * "SCI" "Loyer"
  {LOYER}  1200.00 EUR
  {BANQUE}

2024-09-01 * "Commune" "Subvention de fonctionnement"
  convention: "COM-2024"
  {BANQUE}  5000.00 EUR
  {COMMUNE}

2024-10-01 * "Région" "Versement"
  convention: "REG-P-2024"
  {BANQUE}  10000.00 EUR
  {CREANCE}
"""

E2025 = f"""\
2025-01-01 balance {BANQUE}  39300.00 EUR

2025-02-10 * "Menuiserie" "Composteurs, 2e tranche"
  projet: "P"
  {EQUIPEMENT}  2500.00 EUR
  {BANQUE}

2025-04-10 * "Imprimerie" "Guides"
  projet: "P"
  {PUBLICITE}  1500.00 EUR
  {BANQUE}

2025-05-01 * "Département" "Subvention projet Q"
  convention: "DEP-Q-2025"
  {BANQUE}  2000.00 EUR
  {DEPARTEMENT}

2025-06-01 * "Jardinerie" "Outils"
  projet: "Q"
  {EQUIPEMENT}  500.00 EUR
  {BANQUE}

2026-01-01 balance {BANQUE}  36800.00 EUR
"""

CONFIG = """\
projets:
  - {code: P, nom: Projet P}
  - {code: Q, nom: Projet Q}
conventions: conventions.yaml
"""

CONVENTIONS = """\
conventions:
  - reference: REG-P-2024
    financeur: Région
    type_financeur: region
    objet: Projet P
    projets: [P]
    montant: 10000
    debut: 2024-03-01
    fin: 2025-12-31
    dediee: true
    compte: "7412"
    charges_eligibles: ["60", "62"]
    versements: [{part: 100, date: 2024-10-01}]
  - reference: COM-2024
    financeur: Commune
    type_financeur: commune
    objet: Fonctionnement 2024
    montant: 5000
    debut: 2024-01-01
    fin: 2024-12-31
    compte: "7415"
    versements: [{part: 100, date: 2024-09-01}]
  - reference: DEP-Q-2025
    financeur: Département
    type_financeur: departement
    objet: Projet Q
    projets: [Q]
    montant: 2000
    debut: 2025-05-01
    fin: 2026-04-30
    dediee: true
    compte: "7413"
    charges_eligibles: ["60"]
    versements: [{part: 100, date: 2025-05-01}]
"""


def ecrire_livre(folder: Path) -> Path:
    """Write the association; return its main file.

    By hand:

    - 2024: REG-P-2024 (dedicated, 10 000 €) recognised; eligible charges of
      project P: 3 000 + 1 500 = 4 500 (the loyer has no project) → report
      10 000 − 4 500 = 5 500 (6894 → 194). COM-2024 is not dedicated: nothing.
      Résultat 2024 once the report is booked: 10 000 + 5 000 − 3 000 − 1 500 −
      1 200 − 5 500 = 3 800.
    - 2025: fonds at opening 5 500; emploi of P 2 500 + 1 500 = 4 000 →
      utilisation min(5 500, 4 000) = 4 000 (194 → 7894), no resource of P in
      2025 so no report; fonds at closing 1 500. DEP-Q-2025 (2 000) recognised,
      emploi 500 → report 1 500. Totals: utilisations 4 000, reports 1 500,
      fonds at closing 1 500 + 1 500 = 3 000.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.beancount").write_text(MAIN, encoding="utf-8")
    for name, body in (("comptes", COMPTES), ("2024", E2024), ("2025", E2025)):
        (folder / f"{name}.beancount").write_text(
            ROOT_OPTIONS + textwrap.dedent(body), encoding="utf-8"
        )
    (folder / "communs.yaml").write_text(CONFIG, encoding="utf-8")
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    return folder / "main.beancount"
