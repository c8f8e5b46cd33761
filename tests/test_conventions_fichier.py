"""The conventions file (``conventions.yaml``): validation at file:line, échéanciers,
amounts recognised and received read from a small ledger with ``convention:`` metadata.

Every figure is computed by hand in the comments.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path

from communs_ledger.chargement import load_livre
from communs_ledger.conventions.fichier import (
    Conventions,
    ajouter_mois,
    charger_conventions,
)
from communs_ledger.formatage import montant
from communs_ledger.rapports.source import Source
from conftest import BANQUE, write_ledger

D = Decimal
d = datetime.date

FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
CREANCE_REGION = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
CREANCE_ETAT = "Actif:44-Etat:441-Subventions-a-recevoir:Etat"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
ETAT = "Produits:74-Subventions:741-Subventions-d-exploitation:7411-Etat"
DEDIE = "Produits:74-Subventions:741-Subventions-d-exploitation:7413-Departement:DEP-2026"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-subventions-exploitation"
UTILISATION = "Produits:78-Reprises:789-Utilisations-fonds-dedies:7894-Subventions-exploitation"

CONFIG = """\
association:
  nom: Les Jardins de la Bièvre
projets:
  - code: CUISINE
    nom: Cuisine du jardin
  - code: JARDINS
    nom: Jardins partagés
conventions: conventions.yaml
"""

LEDGER = f"""\
2026-01-01 open {BANQUE} EUR
2026-01-01 open {FONDS}
2026-01-01 open {CREANCE_REGION}
2026-01-01 open {CREANCE_ETAT}
2026-01-01 open {REGION}
2026-01-01 open {ETAT}
2026-01-01 open {DEDIE}
2026-01-01 open {FONDS_DEDIES}
2026-01-01 open {UTILISATION}

2026-01-02 * "Apport"
  {BANQUE}  20000.00 EUR
  {FONDS}

2026-03-01 * "Région" "Notification"
  convention: "REG-2026"
  {CREANCE_REGION}  10000.00 EUR
  {REGION}

2026-04-20 * "Région" "Avance"
  convention: "REG-2026"
  {BANQUE}  4000.00 EUR
  {CREANCE_REGION}

2026-05-05 * "Région" "Complément d'avance (métadonnée sur la ligne)"
  {BANQUE}  1000.00 EUR
  {CREANCE_REGION}  -1000.00 EUR
    convention: "REG-2026"

2026-05-06 * "État" "Versement d'une autre convention"
  convention: "ETAT-2026"
  {BANQUE}  3000.00 EUR
  {ETAT}

2026-06-01 * "Région" "Utilisation de fonds dédiés : pas une reconnaissance"
  convention: "REG-2026"
  {FONDS_DEDIES}  500.00 EUR
  {UTILISATION}

2026-06-10 * "Département" "Versement sur le sous-compte dédié, sans métadonnée"
  {BANQUE}  2500.00 EUR
  {DEDIE}
"""

CONVENTIONS = """\
conventions:
  - reference: REG-2026
    financeur: Région Île-de-France
    type_financeur: region
    objet: Cuisine du jardin
    projets: [CUISINE]
    montant: 10000
    debut: 2026-01-01
    fin: 2026-12-31
    dediee: true
    compte: "7412"
    charges_eligibles: ["60", "62", "64"]
    versements:
      - libelle: avance
        part: 50
        date: 2026-04-15
      - libelle: solde
        part: 50
        apres_compte_rendu: true
  - reference: ETAT-2026
    financeur: FONJEP
    type_financeur: etat
    objet: Poste de coordination
    montant: 7000
    debut: 2026-01-01
    fin: 2026-12-31
    notification: 2026-03-10
    compte: "7411"
  - reference: DEP-2026
    financeur: Département de l'Essonne
    type_financeur: departement
    objet: Jardins partagés
    projets: [JARDINS]
    montant: 5000
    debut: 2026-02-01
    fin: 2027-01-31
    exercice: "2026"
    compte: Produits:74-Subventions:741-Subventions-d-exploitation:7413-Departement:DEP-2026
    versements:
      - {libelle: avance, montant: 2500, delai_jours: 30}
      - {libelle: solde, montant: 2500, apres_compte_rendu: true, delai_jours: 45}
"""


def _write(folder: Path, conventions: str, ledger: str = LEDGER) -> Path:
    path = write_ledger(folder, ledger, config=CONFIG)
    (folder / "conventions.yaml").write_text(textwrap.dedent(conventions), encoding="utf-8")
    return path


def _load(folder: Path, conventions: str) -> tuple[Conventions | None, list[tuple[int, str]]]:
    livre = load_livre(_write(folder, conventions))
    assert livre.ok, livre.diagnostics
    found, errors = charger_conventions(folder / "conventions.yaml", livre.context)
    assert all(e.location.filename == "conventions.yaml" for e in errors)
    return found, [(e.location.line, e.message) for e in errors]


# --- Validation ---------------------------------------------------------------------------


def test_fichier_valide(ledger_dir: Path) -> None:
    conventions, errors = _load(ledger_dir, CONVENTIONS)
    assert errors == []
    assert conventions is not None
    assert [c.reference for c in conventions] == ["REG-2026", "ETAT-2026", "DEP-2026"]
    region = conventions["REG-2026"]
    assert region.type_financeur == "region"
    assert region.projets == ("CUISINE",) and region.projet == "CUISINE"
    assert region.dediee and region.charges_eligibles == ("60", "62", "64")
    assert region.code_produit == "7412"
    assert conventions["DEP-2026"].code_produit == "7413"
    assert conventions["DEP-2026"].exercice == "2026"
    assert "INCONNUE" not in conventions and conventions.get("INCONNUE") is None


def test_erreurs_de_validation(ledger_dir: Path) -> None:
    conventions, errors = _load(
        ledger_dir,
        """\
        conventions:
          - reference: A
            financeur: Région
            type_financeur: regionale
            objet: X
            montant: 1000
            debut: 2026-01-01
            fin: 2026-12-31
          - reference: B
            financeur: Ville
            type_financeur: commune
            objet: X
            projets: [INCONNU]
            montant: 1000
            debut: 2026-01-01
            fin: 2026-12-31
            compte: "6132"
            charges_eligibles: ["60", "74"]
            exercice: "2031-2032"
          - reference: B
            financeur: Ville
            type_financeur: commune
            objet: X
            montant: 1000
            debut: 2026-01-01
            fin: 2026-12-31
          - reference: C
            financeur: État
            type_financeur: etat
            objet: X
            montant: 1000
            debut: 2026-06-01
            fin: 2026-05-31
          - reference: D
            financeur: État
            type_financeur: etat
            objet: X
            montant: 1000
            dediee: true
            debut: 2026-01-01
            fin: 2026-12-31
          - reference: E
            financeur: État
            type_financeur: etat
            objet: X
            montant: 1000
            debut: 2026-01-01
            fin: 2026-12-31
            compte: "7000"
            versements:
              - {part: 50, montant: 500, date: 2026-02-01}
              - {part: 50}
              - {montant: 500, date: 2026-03-01, delai_jours: 30}
        """,
    )
    assert conventions is None
    assert errors == [
        (
            4,
            "conventions[1].type_financeur : valeur « regionale » non admise (valeurs "
            "possibles : etat, region, departement, intercommunalite, commune, "
            "organismes_sociaux, fonds_europeens, asp, autres_etablissements_publics, "
            "aides_privees)",
        ),
        (27, "conventions[4] : la fin (2026-05-31) précède le début (2026-06-01)"),
        (
            34,
            "conventions[5] : une convention dédiée (dediee: true) finance un projet "
            "défini : indiquez ses projets",
        ),
        (51, "conventions[6].versements[1] : indiquez soit « part » (en %), soit « montant »"),
        (
            52,
            "conventions[6].versements[2] : date attendue manquante : indiquez « date », "
            "« delai_jours » (après la notification ou le début) ou « apres_compte_rendu: "
            "true »",
        ),
        (
            53,
            "conventions[6].versements[3] : indiquez soit une date attendue, soit un délai "
            "(delai_jours, apres_compte_rendu), pas les deux",
        ),
    ]
    # Once the schema passes, the checks against the ledger's config and chart.
    conventions, errors = _load(
        ledger_dir,
        """\
        conventions:
          - reference: B
            financeur: Ville
            type_financeur: commune
            objet: X
            projets: [INCONNU]
            montant: 1000
            debut: 2026-01-01
            fin: 2026-12-31
            compte: "6132"
            compte_creance: "7412"
            charges_eligibles: ["60", "74", "6000"]
            exercice: "2031-2032"
          - reference: B
            financeur: Ville
            type_financeur: commune
            objet: X
            montant: 1000
            debut: 2026-01-01
            fin: 2026-12-31
          - reference: E
            financeur: État
            type_financeur: etat
            objet: X
            montant: 1000
            debut: 2026-03-01
            notification: 2026-02-10
            fin: 2026-12-31
            compte: "7000"
            versements:
              - {part: 50, date: 2026-02-01}
              - {part: 50, date: 2026-02-10}
        """,
    )
    assert conventions is None
    assert errors == [
        (6, "projet « INCONNU » inconnu (CUISINE, JARDINS)"),
        (10, "compte 6132 : un compte de produits (classe 7) est attendu"),
        (11, "compte 7412 : un compte de tiers (classe 4, ex. 441) est attendu"),
        (12, "compte 74 : un préfixe de comptes de charges (classe 6) est attendu"),
        (12, "compte 6000 inconnu du plan comptable 2025"),
        (13, "exercice « 2031-2032 » invalide (ex. 2026 ou 2025-2026)"),
        (14, "convention « B » déclarée deux fois"),
        (29, "compte 7000 inconnu du plan comptable 2025"),
        (
            31,
            "versement attendu le 2026-02-01, avant la date de la notification (2026-02-10)",
        ),
    ]


def test_versements_au_dessus_ou_en_dessous_du_montant(ledger_dir: Path) -> None:
    head = textwrap.dedent(
        """\
        conventions:
          - reference: A
            financeur: Région
            type_financeur: region
            objet: X
            montant: 10000
            debut: 2026-01-01
            fin: 2026-12-31
        """
    )
    above = (
        head
        + "    versements:\n      - {part: 60, date: 2026-03-01}\n"
        + ("      - {montant: 4500, date: 2026-09-01}\n")
    )
    _conventions, errors = _load(ledger_dir, above)
    assert errors == [
        (
            9,
            f"les versements totalisent {montant(D(10500))}, plus que le montant de la "
            f"convention ({montant(D(10000))})",
        )
    ]
    below = head + "    versements:\n      - {part: 50, date: 2026-03-01}\n"
    _conventions, errors = _load(ledger_dir, below)
    assert errors == [
        (
            9,
            f"les versements totalisent {montant(D(5000))} au lieu du montant de la "
            f"convention ({montant(D(10000))}) : complétez-les, ou indiquez "
            "« solde_a_definir: true » pour prévoir le solde après le compte rendu",
        )
    ]
    # With solde_a_definir, the rest is a last instalment after the compte-rendu
    # (31 December 2026 + 6 months = 30 June 2027, + 60 days = 29 August 2027).
    conventions, errors = _load(
        ledger_dir, head + "    solde_a_definir: true\n" + below.removeprefix(head)
    )
    assert errors == []
    assert conventions is not None
    assert [(e.libelle, e.date, e.montant) for e in conventions["A"].echeancier()] == [
        ("versement 1", d(2026, 3, 1), D(5000)),
        ("solde", d(2027, 8, 29), D(5000)),
    ]


def test_yaml_illisible(ledger_dir: Path) -> None:
    conventions, errors = _load(ledger_dir, "conventions:\n  - reference: A\n    objet: a: b\n")
    assert conventions is None
    assert errors == [
        (3, "YAML invalide : « : » inattendu (indentation ou guillemets manquants ?)")
    ]
    conventions, errors = _load(ledger_dir, "- reference: A\n")
    assert errors == [(1, "le fichier des conventions doit commencer par « conventions: »")]


# --- Échéanciers ----------------------------------------------------------------------------


def test_echeancier_avance_et_solde_apres_compte_rendu(ledger_dir: Path) -> None:
    conventions, _errors = _load(ledger_dir, CONVENTIONS)
    assert conventions is not None
    region = conventions["REG-2026"]
    # Compte rendu by default six months after the end of the exercice of `fin`
    # (31 December 2026): 30 June 2027; the balance 60 days later: 29 August 2027.
    assert region.compte_rendu == d(2027, 6, 30)
    assert [(e.rang, e.libelle, e.date, e.montant) for e in region.echeancier()] == [
        (1, "avance", d(2026, 4, 15), D(5000)),
        (2, "solde", d(2027, 8, 29), D(5000)),
    ]
    # No instalments: one, 60 days after the notification (10 March + 60 = 9 May).
    etat = conventions["ETAT-2026"]
    assert [(e.libelle, e.date, e.montant) for e in etat.echeancier()] == [
        ("versement unique", d(2026, 5, 9), D(7000))
    ]
    # `exercice: 2026` but the action ends in January 2027: the compte rendu is due six
    # months after the end of the exercice in which it ends (2027), 30 June 2028, not
    # mid-action; advance 30 days after `debut` (1 February + 30 = 3 March), balance
    # 45 days after the compte rendu (30 June + 45 = 14 August 2028).
    departement = conventions["DEP-2026"]
    assert departement.compte_rendu == d(2028, 6, 30)
    assert [(e.date, e.montant) for e in departement.echeancier()] == [
        (d(2026, 3, 3), D(2500)),
        (d(2028, 8, 14), D(2500)),
    ]


def test_parts_arrondies_au_centime(ledger_dir: Path) -> None:
    # 1 001 € in 33.33 / 33.33 / 33.34 %: 333.63, 333.63, then 333.7334 → 333.73 plus the
    # rounding difference (1 001 − 1 000.99 = 0.01): 333.74.
    conventions, errors = _load(
        ledger_dir,
        """\
        conventions:
          - reference: A
            financeur: Ville
            type_financeur: commune
            objet: X
            montant: 1001
            debut: 2026-01-01
            fin: 2026-12-31
            versements:
              - {part: 33.33, date: 2026-02-01}
              - {part: 33.33, date: 2026-06-01}
              - {part: 33.34, date: 2026-10-01}
        """,
    )
    assert errors == []
    assert conventions is not None
    assert [e.montant for e in conventions["A"].echeancier()] == [
        D("333.63"),
        D("333.63"),
        D("333.74"),
    ]
    assert conventions["A"].code_produit == "741"  # no `compte`: subsidies of 741


def test_compte_rendu_donne_et_ajout_de_mois() -> None:
    assert ajouter_mois(d(2026, 12, 31), 6) == d(2027, 6, 30)
    assert ajouter_mois(d(2026, 10, 30), 4) == d(2027, 2, 28)
    assert ajouter_mois(d(2026, 8, 31), 6) == d(2027, 2, 28)
    assert ajouter_mois(d(2026, 2, 28), 1) == d(2026, 3, 31)  # a month end stays one
    assert ajouter_mois(d(2026, 1, 15), -2) == d(2025, 11, 15)


# --- Recognised and received ---------------------------------------------------------------


def test_recu_et_reconnu_depuis_le_grand_livre(ledger_dir: Path) -> None:
    _write(ledger_dir, CONVENTIONS)
    livre = load_livre(ledger_dir / "main.beancount")
    assert livre.ok, livre.diagnostics
    conventions, errors = charger_conventions(ledger_dir / "conventions.yaml", livre.context)
    assert errors == [] and conventions is not None
    mouvements = Source.from_livre(livre).mouvements.liste
    region = conventions["REG-2026"]
    # Recognised: the 10 000 credit of 7412 (the 7894 credit is a use of fonds dédiés).
    assert region.reconnu(mouvements) == D(10000)
    # Received: 4 000 (metadata on the transaction) + 1 000 (on the posting); the
    # notification moves no treasury account, nor does the fonds dédiés entry.
    assert [(r.date, r.montant) for r in region.recus(mouvements)] == [
        (d(2026, 4, 20), D(4000)),
        (d(2026, 5, 5), D(1000)),
    ]
    assert region.recu(mouvements) == D(5000)
    # État: paid straight to 7411, recognised and received at once.
    etat = conventions["ETAT-2026"]
    assert (etat.reconnu(mouvements), etat.recu(mouvements)) == (D(3000), D(3000))
    # Département: its dedicated sub-account attaches the entry without metadata.
    departement = conventions["DEP-2026"]
    assert (departement.reconnu(mouvements), departement.recu(mouvements)) == (
        D(2500),
        D(2500),
    )
    # One pass for all, with the receivable left on 441 (10 000 − 4 000 − 1 000).
    suivi = conventions.suivi(mouvements)
    assert dict(suivi["REG-2026"].creances) == {CREANCE_REGION: D(5000)}
    assert dict(suivi["ETAT-2026"].creances) == {}
    # Until a date: only what the ledger holds by then.
    early = [m for m in mouvements if m.date <= d(2026, 4, 30)]
    assert region.recu(early) == D(4000)


def test_fichier_absent(ledger_dir: Path) -> None:
    livre = load_livre(_write(ledger_dir, CONVENTIONS))
    conventions, errors = charger_conventions(ledger_dir / "absent.yaml", livre.context)
    assert conventions is None
    assert [e.message for e in errors] == ["fichier introuvable"]
