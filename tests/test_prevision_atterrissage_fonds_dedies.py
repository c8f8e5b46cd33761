"""The atterrissage of the exercice under way takes the utilisation (789x) of the fonds
dédiés carried from earlier exercices that the spending to date justifies, less what is
already booked, when its forecast has no 689x/789x line (``previsions.utilisations``;
audit: a 1 860 fonds dédié of 2025 entirely used in 2026 was missing, the projected
result 1 860 too low).

Ledger « Les Petits Pois » (:mod:`test_prevision_fixtures`, last actual entry on 30 April
2026: réalisé produits 7 200, charges 6 000) plus a dedicated convention DEP-Q of the
Département (7413, project Q, charges 60): 3 000 received on 1 May 2025, 1 200 spent on Q
in 2025 (6063), so 1 800 carried to 2026 by the closing (6894 → 194 on 31 December
2025). Forecast inputs: an empty flow file and the conventions (DEP-Q fully received: no
payment to forecast); budget 2026 (``vote``): 6132 9 600, 756 1 500 → forecast of
1 May – 31 December 6132 6 400, 756 1 000 (8 of 12 months).

Without the fonds dédiés, 2026 lands on produits 7 200 + 1 000 = 8 200 and charges
6 000 + S + 6 400 where S is what was spent on Q by 30 April 2026:

- S = 2 000 (fonds fully used): utilisation min(1 800, 2 000) = 1 800 → prévision 7894
  1 800, produits 10 000, charges 14 400, résultat −4 400 (−6 200 without it);
- S = 500 (partly used): utilisation 500 → produits 8 700, charges 12 900, résultat −4 200;
- S = 0 (none used): nothing added, résultat −4 200 (8 200 − 12 400), a note;
- S = 2 000 and 700 already booked on 7894 on 30 April: réalisé 7894 700, prévision
  1 100, atterrissage 1 800, résultat −4 400;
- budget with its own 7894 line (1 200 → 800 on May–December): kept, nothing added:
  produits 9 000, résultat −5 400.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.previsions.atterrissage import ATTERRISSAGE, PREVISION, REALISE, atterrissage
from communs_ledger.previsions.entrees import charger_entrees
from communs_ledger.rapports.objets import Rapport
from test_prevision_fixtures import BANQUE, budget_vote, load_source, write_petits_pois

D = Decimal
DEPARTEMENT = "Produits:74-Subventions:741-Subventions-d-exploitation:7413-Departement"
EQUIPEMENT = "Charges:60-Achats:6063-Petit-equipement"
REPORT = "Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-subventions"
UTILISATION = "Produits:78-Reprises:7894-Utilisations-fonds-dedies-subventions"
CONFIG = """\
association:
  nom: Les Petits Pois
projets:
  - code: Q
    nom: Projet Q
budget:
  fichiers:
    "2026": budgets/2026.yaml
conventions: conventions.yaml
previsions:
  flux: previsions/flux.yaml
"""
BUDGET = budget_vote(("6132", 9600), ("756", 1500))
AVEC_7894 = BUDGET + '      - {compte: "7894", montant: 1200}\n'
CONVENTIONS = """\
conventions:
  - reference: DEP-Q
    financeur: Département
    type_financeur: departement
    objet: Projet Q
    projets: [Q]
    montant: 3000
    debut: 2025-05-01
    fin: 2026-12-31
    dediee: true
    compte: "7413"
    charges_eligibles: ["60"]
    versements: [{part: 100, date: 2025-05-01}]
"""
LIVRE_2025 = f"""
2025-01-01 open {DEPARTEMENT}
2025-01-01 open {EQUIPEMENT}
2025-01-01 open {REPORT}
2025-01-01 open {FONDS_DEDIES}
2025-01-01 open {UTILISATION}

2025-05-01 * "Département" "Subvention du projet Q"
  convention: "DEP-Q"
  {BANQUE}  3000.00 EUR
  {DEPARTEMENT}

2025-09-15 * "Outils du projet Q"
  projet: "Q"
  {EQUIPEMENT}  1200.00 EUR
  {BANQUE}

2025-12-31 * "Report en fonds dédiés DEP-Q"
  convention: "DEP-Q"
  {REPORT}  1800.00 EUR
  {FONDS_DEDIES}
"""


def _depense(amount: str) -> str:
    return f"""
2026-03-20 * "Outils du projet Q"
  projet: "Q"
  {EQUIPEMENT}  {amount} EUR
  {BANQUE}
"""


UTILISATION_700 = f"""
2026-04-30 * "Utilisation des fonds dédiés DEP-Q"
  convention: "DEP-Q"
  {FONDS_DEDIES}  700.00 EUR
  {UTILISATION}
"""


def _rapport(folder: Path, extra: str, budget: str = BUDGET) -> Rapport:
    main = write_petits_pois(folder, config=CONFIG, budget=budget, extra=LIVRE_2025 + extra)
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    (folder / "previsions").mkdir()
    (folder / "previsions" / "flux.yaml").write_text("flux: []\n", encoding="utf-8")
    source = load_source(main)
    entrees = charger_entrees(source.context)
    assert not entrees.erreurs, entrees.erreurs
    return atterrissage(source, entrees, load_budgets(source.context), "2026")


def _ligne(rapport: Rapport, id_: str) -> tuple[Decimal, Decimal, Decimal]:
    row = rapport.partie("atterrissage").ligne(id_)
    assert row is not None, id_
    return row.valeurs[REALISE], row.valeurs[PREVISION], row.valeurs[ATTERRISSAGE]


def _notes(rapport: Rapport) -> list[str]:
    return [note for note in rapport.notes if "fonds dédiés reportés" in note]


NON_PREVUS = (
    ", la prévision n'ayant pas de ligne 689x ni 789x ; produit calculé, sans effet sur la "
    "trésorerie. Non prévus : l'utilisation due aux dépenses restant à venir et les reports "
    "en fonds dédiés (689x) de la part non employée des ressources de l'exercice, qui "
    "dépendent des dépenses de fin d'exercice (communs fonds-dedies à la clôture)."
)
DEBUT = "Exercice 2026 : fonds dédiés reportés des exercices antérieurs 1\u202f800,00\xa0€ (DEP-Q)"


def test_fonds_reportes_entierement_utilises(tmp_path: Path) -> None:
    rapport = _rapport(tmp_path, _depense("2000.00"))
    assert _ligne(rapport, "utilisations_fonds_dedies") == (D(0), D(1800), D(1800))
    assert _ligne(rapport, "resultat") == (D(-800), D(-3600), D(-4400))
    assert _notes(rapport) == [
        f"{DEBUT} ; utilisation justifiée par les dépenses des projets dédiés comptabilisées "
        "à date 1\u202f800,00\xa0€ (compte 7894) ajoutée à la prévision du reste de "
        "l'exercice" + NON_PREVUS
    ]
    origines = {row.id: row.valeurs for row in rapport.partie("prevision_par_origine").lignes}
    assert origines["origine:fonds dédiés"]["produits"] == D(1800)


def test_fonds_reportes_en_partie_utilises(tmp_path: Path) -> None:
    rapport = _rapport(tmp_path, _depense("500.00"))
    assert _ligne(rapport, "utilisations_fonds_dedies") == (D(0), D(500), D(500))
    assert _ligne(rapport, "resultat") == (D(700), D(-4900), D(-4200))


def test_fonds_reportes_non_utilises(tmp_path: Path) -> None:
    rapport = _rapport(tmp_path, "")
    assert _ligne(rapport, "utilisations_fonds_dedies") == (D(0), D(0), D(0))
    assert _ligne(rapport, "resultat") == (D(1200), D(-5400), D(-4200))
    assert _notes(rapport) == [
        f"{DEBUT} ; utilisation justifiée par les dépenses des projets dédiés comptabilisées "
        "à date 0,00\xa0€ (compte 7894) : rien à ajouter à la prévision du reste de "
        "l'exercice" + NON_PREVUS
    ]


def test_utilisation_en_partie_comptabilisee(tmp_path: Path) -> None:
    rapport = _rapport(tmp_path, _depense("2000.00") + UTILISATION_700)
    assert _ligne(rapport, "utilisations_fonds_dedies") == (D(700), D(1100), D(1800))
    assert _ligne(rapport, "resultat") == (D(-100), D(-4300), D(-4400))
    (note,) = _notes(rapport)
    assert ", dont 700,00\xa0€ déjà comptabilisés : 1\u202f100,00\xa0€ ajoutés" in note


def test_une_ligne_7894_du_budget_est_gardee(tmp_path: Path) -> None:
    rapport = _rapport(tmp_path, _depense("2000.00"), budget=AVEC_7894)
    assert _ligne(rapport, "utilisations_fonds_dedies") == (D(0), D(800), D(800))
    assert _ligne(rapport, "resultat") == (D(-800), D(-4600), D(-5400))
    assert _notes(rapport) == []
