"""A small 2026 ledger with conventions, projects and clés de répartition, shared by
the tests of emplois, subventions, analytique and the compte-rendu.

Every figure the tests assert is computed by hand from what is written here:

- REG-CUISINE (Région, 10 000 €, dedicated, eligible 60 61 62 64) and DEP-CUISINE
  (Département, 5 000 €, every class 6) both fund project CUISINE over 2026: a
  CUISINE charge is shared 2/3 – 1/3 (pro rata of 10 000 and 5 000);
- ETAT-2026 (3 000 €) has no project: only the charge tagged with it (500 €) is its;
- keys: the coordinatrice's pay (payee « Claire Morvan », 64) goes 30 % CUISINE,
  50 % JARDINS, 20 % non affecté; the rent (613) by surface 20/30/50 m².
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import BANQUE, FONDS, write_ledger

CREANCE_REGION = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
CREANCE_DEPT = "Actif:44-Etat:441-Subventions-a-recevoir:Departement"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
DEPT = "Produits:74-Subventions:741-Subventions-d-exploitation:7413-Departement"
ETAT = "Produits:74-Subventions:741-Subventions-d-exploitation:7411-Etat"
VENTES = "Produits:70-Ventes:706-Prestations-de-services"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
URSSAF_CHARGE = "Charges:64-Charges-de-personnel:6451-Cotisations-Urssaf"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
DENREES = "Charges:60-Achats:6068-Autres-fournitures"
HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
DUS = "Passif:42-Personnel:421-Remunerations-dues"
BENEVOLAT_EMPLOI = "Charges:86-Emplois-contributions-en-nature:864-Personnel-benevole"
BENEVOLAT = "Produits:87-Contributions-en-nature:875-Benevolat"

CONFIG = """\
association:
  nom: Les Jardins de la Bièvre
projets:
  - code: CUISINE
    nom: Cuisine du jardin
  - code: JARDINS
    nom: Jardins partagés
conventions: conventions.yaml
analytique:
  repartition: repartition.yaml
budget:
  fichiers:
    "2026": budget-2026.yaml
"""

LEDGER = f"""\
2026-01-01 open {BANQUE} EUR
2026-01-01 open {FONDS}
2026-01-01 open {CREANCE_REGION}
2026-01-01 open {CREANCE_DEPT}
2026-01-01 open {REGION}
2026-01-01 open {DEPT}
2026-01-01 open {ETAT}
2026-01-01 open {VENTES}
2026-01-01 open {SALAIRES}
2026-01-01 open {URSSAF_CHARGE}
2026-01-01 open {LOYER}
2026-01-01 open {DENREES}
2026-01-01 open {HONORAIRES}
2026-01-01 open {DUS}
2026-01-01 open {BENEVOLAT_EMPLOI}
2026-01-01 open {BENEVOLAT}

2026-01-02 * "Apport"
  {BANQUE}  30000.00 EUR
  {FONDS}

2026-02-01 * "Région" "Notification"
  convention: "REG-CUISINE"
  projet: "CUISINE"
  {CREANCE_REGION}  10000.00 EUR
  {REGION}

2026-02-01 * "Département" "Notification"
  convention: "DEP-CUISINE"
  projet: "CUISINE"
  {CREANCE_DEPT}  5000.00 EUR
  {DEPT}

2026-03-05 * "Région" "Avance"
  convention: "REG-CUISINE"
  {BANQUE}  5000.00 EUR
  {CREANCE_REGION}

2026-03-31 * "Claire Morvan" "Salaire de mars – coordinatrice"
  {SALAIRES}  3000.00 EUR
  {URSSAF_CHARGE}  1000.00 EUR
  {DUS}  -4000.00 EUR

2026-04-05 * "SCI des Tilleuls" "Loyer"
  {LOYER}  1234.57 EUR
  {BANQUE}

2026-04-10 * "Biocoop" "Denrées des ateliers"
  projet: "CUISINE"
  {DENREES}  600.00 EUR
  {BANQUE}

2026-04-20 * "Centre social" "Ateliers cuisine facturés"
  projet: "CUISINE"
  {BANQUE}  800.00 EUR
  {VENTES}

2026-05-10 * "Inès Carpentier" "Salaire de mai – animatrice cuisine"
  projet: "CUISINE"
  {SALAIRES}  1500.00 EUR
  {DUS}  -1500.00 EUR

2026-06-15 * "Cabinet" "Honoraires du dossier FONJEP"
  convention: "ETAT-2026"
  {HONORAIRES}  500.00 EUR
  {BANQUE}

2026-06-20 * "Biocoop" "Denrées achetées sur la seule subvention de la Région"
  convention: "REG-CUISINE"
  projet: "CUISINE"
  {DENREES}  90.00 EUR
  {BANQUE}

2026-06-25 * "Quincaillerie" "Outils des jardins"
  projet: "JARDINS"
  {DENREES}  300.00 EUR
  {BANQUE}

2026-06-30 * "Bénévoles" "Bénévolat des ateliers cuisine"
  projet: "CUISINE"
  {BENEVOLAT_EMPLOI}  400.00 EUR
  {BENEVOLAT}
"""

CONVENTIONS = """\
conventions:
  - reference: REG-CUISINE
    financeur: Région Île-de-France
    type_financeur: region
    objet: Cuisine du jardin
    projets: [CUISINE]
    montant: 10000
    debut: 2026-01-01
    fin: 2026-12-31
    dediee: true
    compte: "7412"
    charges_eligibles: ["60", "61", "62", "64"]
    versements:
      - {libelle: avance, part: 50, date: 2026-03-01}
      - {libelle: solde, part: 50, apres_compte_rendu: true}
    frais_indirects: true
  - reference: DEP-CUISINE
    financeur: Département de l'Essonne
    type_financeur: departement
    objet: Bien manger pour tous
    projets: [CUISINE]
    frais_indirects: true
    montant: 5000
    debut: 2026-01-01
    fin: 2026-12-31
    notification: 2026-02-01
    compte: "7413"
  - reference: ETAT-2026
    financeur: FONJEP
    type_financeur: etat
    objet: Poste de coordination
    montant: 3000
    debut: 2026-01-01
    fin: 2026-12-31
    compte: "7411"
"""

REPARTITION = """\
cles:
  - code: COORDINATION
    libelle: Coordinatrice – temps passé
    base: temps
    tiers: Claire Morvan
    comptes: ["64"]
    exercice: "2026"
    parts: {CUISINE: 30, JARDINS: 50, non_affecte: 20}
  - code: LOCAL
    libelle: Local – surface
    base: surface
    comptes: ["613"]
    unite: m²
    quantites: {CUISINE: 20, JARDINS: 30, non_affecte: 50}
"""

BUDGET = """\
versions:
  - code: vote
    nom: BP voté
    date: 2026-01-15
    lignes:
      - {compte: "6068", projet: CUISINE, montant: 1000}
      - {compte: "6411", projet: CUISINE, montant: 1200}
      - {compte: "7412", projet: CUISINE, montant: 10000}
      - {compte: "7413", projet: CUISINE, montant: 5000}
      - {compte: "706", projet: CUISINE, montant: 1000}
      - {compte: "864", projet: CUISINE, montant: 500}
      - {compte: "875", projet: CUISINE, montant: 500}
      - {compte: "6411", montant: 36000}
"""


def ecrire(
    folder: Path,
    *,
    conventions: str = CONVENTIONS,
    repartition: str | None = REPARTITION,
    ledger: str = LEDGER,
    budget: str = BUDGET,
) -> Path:
    """Write the ledger, config, conventions, keys and budget; return the main file."""
    config = (
        CONFIG
        if repartition is not None
        else CONFIG.replace("analytique:\n  repartition: repartition.yaml\n", "")
    )
    path = write_ledger(folder, ledger, config=config)
    (folder / "conventions.yaml").write_text(textwrap.dedent(conventions), encoding="utf-8")
    if repartition is not None:
        (folder / "repartition.yaml").write_text(textwrap.dedent(repartition), encoding="utf-8")
    (folder / "budget-2026.yaml").write_text(textwrap.dedent(budget), encoding="utf-8")
    return path
