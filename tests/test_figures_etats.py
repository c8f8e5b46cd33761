"""Typed figures of the statements (``compute_compte_de_resultat``, ``compute_bilan``,
``compute_diagnostic``) on a small ledger of two exercices (2025 and 2026, chart 2025),
every figure computed by hand in the comments; the builders give the same reports as
the report functions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.rapports.bilan import bilan, build_rapport_bilan, compute_bilan
from communs_ledger.rapports.diagnostic import (
    build_rapport_diagnostic,
    compute_diagnostic,
    diagnostic,
)
from communs_ledger.rapports.resultat import (
    build_rapport_compte_de_resultat,
    compte_de_resultat,
    compute_compte_de_resultat,
)
from communs_ledger.rapports.source import Source
from communs_ledger.rendu.en_json import to_dict
from conftest import write_ledger

D = Decimal

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
IMMO = "Actif:21-Immobilisations-corporelles:2183-Materiel-informatique"
AMORT = "Actif:28-Amortissements:2818-Amortissements-autres-immobilisations-corporelles"
FOURNISSEUR = "Passif:40-Fournisseurs:401-Fournisseurs:Papeterie"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
SUBVENTION = "Produits:74-Subventions:741-Subventions-d-exploitation"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
INTERETS = "Charges:66-Charges-financieres:661-Charges-d-interets"
DOTATION = "Charges:68-Dotations:6811-Dotations-amortissements"

ACCOUNTS = [
    BANQUE, IMMO, AMORT, FOURNISSEUR, FONDS, COTISATIONS, SUBVENTION, FOURNITURES, LOYER,
    SALAIRES, INTERETS, DOTATION,
]  # fmt: skip

CONFIG = 'association:\n  nom: "Le Petit Verger"\nexercice:\n  debut: "01-01"\n'

LEDGER = (
    "".join(f"2025-01-01 open {account}\n" for account in ACCOUNTS)
    + f"""
2025-01-01 * "À-nouveaux"
  {BANQUE}  10000.00 EUR
  {FONDS}  -10000.00 EUR

2025-02-01 * "Cotisations"
  {BANQUE}  2000.00 EUR
  {COTISATIONS}  -2000.00 EUR

2025-03-01 * "Subvention"
  {BANQUE}  5000.00 EUR
  {SUBVENTION}  -5000.00 EUR

2025-04-01 * "Loyer"
  {LOYER}  1200.00 EUR
  {BANQUE}  -1200.00 EUR

2025-06-30 * "Salaires"
  {SALAIRES}  3000.00 EUR
  {BANQUE}  -3000.00 EUR

2025-07-01 * "Intérêts"
  {INTERETS}  100.00 EUR
  {BANQUE}  -100.00 EUR

2025-09-01 * "Ordinateur"
  {IMMO}  2000.00 EUR
  {BANQUE}  -2000.00 EUR

2025-12-31 * "Amortissement"
  {DOTATION}  400.00 EUR
  {AMORT}  -400.00 EUR

2026-02-01 * "Cotisations"
  {BANQUE}  1000.00 EUR
  {COTISATIONS}  -1000.00 EUR

2026-03-01 * "Papeterie" "Facture non payée"
  {FOURNITURES}  500.00 EUR
  {FOURNISSEUR}  -500.00 EUR
"""
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    folder: Path = tmp_path_factory.mktemp("petit-verger")
    livre = load_livre(write_ledger(folder, LEDGER, config=CONFIG))
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


def test_compte_de_resultat_type(source: Source) -> None:
    resultat = compute_compte_de_resultat(source, source.exercice("2026"))
    n, n1 = resultat.n, resultat.n1
    assert n1 is not None
    # 2026: cotisations 1 000; fournitures 500
    assert n.total_produits_exploitation == D(1000)
    assert n.total_charges_exploitation == D(500)
    assert n.resultat_exploitation == D(500)
    assert n.resultat_financier == D(0)
    assert n.resultat_net == D(500)
    # 2025: produits 2 000 + 5 000; charges 1 200 + 3 000 + 400; intérêts 100
    assert n1.total_produits_exploitation == D(7000)
    assert n1.total_charges_exploitation == D(4600)
    assert n1.resultat_exploitation == D(2400)
    assert n1.resultat_financier == D(-100)
    assert n1.resultat_courant == D(2300)
    assert n1.total_produits == D(7000)
    assert n1.total_charges == D(4700)
    assert n1.resultat_net == D(2300)
    assert n1.contributions_volontaires_emplois == D(0)
    lignes = {ligne.id: ligne for ligne in resultat.lignes}
    assert lignes["salaires_traitements"].n == D(0)
    assert lignes["salaires_traitements"].n1 == D(3000)
    assert lignes["salaires_traitements"].comptes == (SALAIRES,)
    assert lignes["cotisations"].n == D(1000)
    assert lignes["cotisations"].n1 == D(2000)
    assert resultat.exercice.code == "2026"


def test_bilan_type(source: Source) -> None:
    resultat = compute_bilan(source, source.exercice("2026"))
    n, n1 = resultat.n, resultat.n1
    assert n1 is not None
    # 2025: banque 10 000 + 2 000 + 5 000 - 1 200 - 3 000 - 100 - 2 000 = 10 700;
    # ordinateur 2 000 - 400 = 1 600; fonds 10 000 + résultat 2 300
    assert n1.disponibilites == D(10700)
    assert n1.total_actif == D(12300)
    assert n1.total_passif == D(12300)
    assert n1.resultat_net == D(2300)
    assert n1.fonds_propres == D(12300)
    # 2026: banque 11 700; fournisseur 500; report à nouveau 2 300, résultat 500
    assert n.disponibilites == D(11700)
    assert n.total_actif == D(13300)
    assert n.total_passif == D(13300)
    assert n.resultat_net == D(500)
    assert n.resultats_anterieurs == D(2300)
    assert n.fonds_propres == D(12800)
    assert n.fonds_dedies == D(0)
    assert n.placement.net("disponibilites") == D(11700)


def test_diagnostic_type(source: Source) -> None:
    resultat = compute_diagnostic(source, source.exercice("2025"))
    mesures = resultat.n
    assert resultat.n1 is None and not resultat.en_cours
    # FR = ressources stables 12 300 - actif immobilisé net 1 600; no BFR
    assert mesures.fonds_de_roulement == D(10700)
    assert mesures.besoin_en_fonds_de_roulement == D(0)
    assert mesures.tresorerie_nette == D(10700)
    assert mesures.tresorerie_constatee == D(10700)
    assert mesures.ecart_tresorerie == D(0)
    # CAF = résultat 2 300 + dotations 400
    assert mesures.capacite_autofinancement == D(2700)
    # charges décaissables = 4 600 - 400 = 4 200
    assert mesures.elements["charges_decaissables"] == D(4200)
    assert mesures.tresorerie_jours == D(10700) * 365 / D(4200)
    assert mesures.fonds_propres_mois == D(12300) * mesures.mois / D(4700)
    assert mesures.part_subventions_publiques == D(5000) / D(7000)
    assert mesures.part_charges_personnel == D(3000) / D(4600)
    assert mesures.resultat_sur_produits == D(2300) / D(7000)
    assert mesures.valeurs["capacite_autofinancement"] == D(2700)


@pytest.mark.parametrize("code", ["2025", "2026"])
def test_les_constructeurs_donnent_les_memes_rapports(source: Source, code: str) -> None:
    exercice = source.exercice(code)
    assert to_dict(
        build_rapport_compte_de_resultat(compute_compte_de_resultat(source, exercice), source)
    ) == to_dict(compte_de_resultat(source, exercice))
    assert to_dict(build_rapport_bilan(compute_bilan(source, exercice), source)) == to_dict(
        bilan(source, exercice)
    )
    assert to_dict(
        build_rapport_diagnostic(compute_diagnostic(source, exercice), source)
    ) == to_dict(diagnostic(source, exercice))
