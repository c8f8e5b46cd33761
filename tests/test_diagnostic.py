"""``rapports/diagnostic.py`` and ``communs diagnostic``: fonds de roulement, BFR,
trésorerie (FR − BFR = trésorerie constatée), CAF, ratios and their statuses, thresholds
from ``plan_comptable/diagnostic.yaml`` overridable in ``communs.yaml``."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from communs_ledger.chargement import load_livre
from communs_ledger.cli import diagnostic as cli_diagnostic
from communs_ledger.cli import francais
from communs_ledger.config import load_config
from communs_ledger.plan import VERSIONS
from communs_ledger.rapports.bilan import bilan
from communs_ledger.rapports.diagnostic import diagnostic, mesurer
from communs_ledger.rapports.indicateurs import donnees, indicateurs_par_defaut
from communs_ledger.rapports.modeles import modele_bilan
from communs_ledger.rapports.objets import Genre
from communs_ledger.rapports.source import Source
from conftest import (
    BANQUE,
    CLI_ENV,
    COTISATIONS,
    FONDS,
    FOURNISSEUR,
    FOURNITURES,
    SUBVENTION,
    one_line,
    write_ledger,
)

D = Decimal
NBSP = "\u00a0"

PROJETS = "Actif:51-Banques:512-Banques:Compte-projets"
CONCOURS = "Passif:51-Banques:519-Concours-bancaires-courants"
SUBV_INV = "Fonds-propres:13-Subventions-d-investissement:131-Subventions-d-equipement"
SUBV_INV_CR = "Fonds-propres:13-Subventions-d-investissement:139-Subventions-inscrites-au-resultat"
EMPRUNT = "Passif:16-Emprunts:164-Emprunts-bancaires"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-subventions"
MATERIEL = "Actif:21-Immobilisations-corporelles:2183-Materiel-informatique"
AMORT = "Actif:28-Amortissements:28183-Amortissement-materiel"
USAGERS = "Actif:41-Usagers:411-Usagers"
ETAT = "Actif:44-Etat:441-Subventions-a-recevoir"
PERSONNEL = "Passif:42-Personnel:421-Remunerations-dues"
URSSAF_DETTE = "Passif:43-Securite-sociale:431-Urssaf"
CCA = "Actif:48-Regularisation:486-Charges-constatees-d-avance"
PCA = "Passif:48-Regularisation:487-Produits-constates-d-avance"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
SALAIRES = "Charges:64-Personnel:6411-Salaires"
URSSAF = "Charges:64-Personnel:6451-Urssaf"
INTERETS = "Charges:66-Charges-financieres:661-Interets"
DOTATION = "Charges:68-Dotations:6811-Dotations-amortissements"
REPORT_FD = "Charges:68-Dotations:6894-Reports-fonds-dedies"
UTILISATION_FD = "Produits:78-Reprises:7894-Utilisations-fonds-dedies"
PRESTATIONS = "Produits:70-Ventes:706-Prestations-de-services"
QP_2018 = "Produits:77-Produits-exceptionnels:777-Quote-part-subventions"
CESSION_2018 = "Produits:77-Produits-exceptionnels:775-Produits-des-cessions"
VNC_2018 = "Charges:67-Charges-exceptionnelles:675-Valeurs-comptables-cedees"
QP_2025 = "Produits:74-Subventions:747-Quote-part-subventions"
CESSION_2025 = "Produits:75-Autres-produits:757-Produits-des-cessions"
VNC_2025 = "Charges:65-Autres-charges:652-Valeurs-comptables-cedees"

OPEN_2024 = [
    BANQUE, PROJETS, CONCOURS, FONDS, SUBV_INV, SUBV_INV_CR, EMPRUNT, FONDS_DEDIES, MATERIEL,
    AMORT, USAGERS, ETAT, FOURNISSEUR, PERSONNEL, URSSAF_DETTE, CCA, PCA, FOURNITURES, LOYER,
    SALAIRES, URSSAF, INTERETS, DOTATION, REPORT_FD, UTILISATION_FD, PRESTATIONS, SUBVENTION,
    COTISATIONS, QP_2018, CESSION_2018, VNC_2018,
]  # fmt: skip


def tx(day: str, label: str, *postings: tuple[str, str]) -> str:
    lines = [f'{day} * "{label}"']
    lines += [f"  {account}  {amount} EUR" for account, amount in postings]
    return "\n".join(lines) + "\n"


def move(day: str, label: str, debit: str, credit: str, amount: str) -> str:
    return tx(day, label, (debit, amount), (credit, f"-{amount}"))


OPENINGS = "\n".join(
    [
        "\n".join(f"2024-01-01 open {account}" for account in OPEN_2024),
        f"2024-12-31 close {QP_2018}\n2024-12-31 close {CESSION_2018}\n2024-12-31 close {VNC_2018}",
        f"2025-01-01 open {QP_2025}\n2025-01-01 open {CESSION_2025}\n2025-01-01 open {VNC_2025}\n",
    ]
)
ENTRIES_2024 = "\n".join(
    [
        move("2024-01-02", "Apport", BANQUE, FONDS, "20000.00"),
        move("2024-01-05", "Emprunt", BANQUE, EMPRUNT, "10000.00"),
        move("2024-01-10", "Achat matériel", MATERIEL, BANQUE, "6000.00"),
        move("2024-01-15", "Subvention d'équipement", BANQUE, SUBV_INV, "3000.00"),
        move("2024-02-01", "Subvention notifiée", ETAT, SUBVENTION, "30000.00"),
        move("2024-03-01", "Subvention versée", BANQUE, ETAT, "20000.00"),
        move("2024-03-05", "Cotisations", BANQUE, COTISATIONS, "2000.00"),
        move("2024-04-01", "Prestations facturées", USAGERS, PRESTATIONS, "5000.00"),
        move("2024-05-01", "Prestations encaissées", BANQUE, USAGERS, "3000.00"),
        move("2024-12-31", "Salaires", SALAIRES, PERSONNEL, "24000.00"),
        move("2024-12-31", "Salaires payés", PERSONNEL, BANQUE, "22000.00"),
        move("2024-12-31", "Cotisations sociales", URSSAF, URSSAF_DETTE, "9000.00"),
        move("2024-12-31", "Cotisations payées", URSSAF_DETTE, BANQUE, "7500.00"),
        move("2024-12-31", "Loyers", LOYER, FOURNISSEUR, "6000.00"),
        move("2024-12-31", "Loyers payés", FOURNISSEUR, BANQUE, "5000.00"),
        move("2024-06-01", "Fournitures", FOURNITURES, BANQUE, "1000.00"),
        move("2024-12-31", "Intérêts", INTERETS, BANQUE, "200.00"),
        move("2024-12-31", "Amortissement", DOTATION, AMORT, "1200.00"),
        move("2024-12-31", "Quote-part subvention", SUBV_INV_CR, QP_2018, "600.00"),
        move("2024-12-31", "Report en fonds dédiés", REPORT_FD, FONDS_DEDIES, "4000.00"),
        move("2024-12-31", "Loyer de janvier payé d'avance", CCA, LOYER, "500.00"),
        move("2024-12-31", "Prestation 2025 facturée", PRESTATIONS, PCA, "1000.00"),
        move("2024-11-01", "Cession : valeur comptable", VNC_2018, MATERIEL, "800.00"),
        move("2024-11-01", "Cession : prix", BANQUE, CESSION_2018, "500.00"),
    ]
)
ENTRIES_2025 = [
    tx(
        "2025-01-10",
        "Règlement des dettes 2024",
        (PERSONNEL, "2000.00"),
        (URSSAF_DETTE, "1500.00"),
        (FOURNISSEUR, "1000.00"),
        (BANQUE, "-4500.00"),
    ),
    move("2025-01-20", "Solde de la subvention 2024", BANQUE, ETAT, "10000.00"),
    move("2025-01-25", "Usager", BANQUE, USAGERS, "2000.00"),
    move("2025-01-01", "Extourne CCA", LOYER, CCA, "500.00"),
    move("2025-01-01", "Extourne PCA", PCA, PRESTATIONS, "1000.00"),
    move("2025-02-01", "Subvention 2025 notifiée", ETAT, SUBVENTION, "40000.00"),
    move("2025-03-01", "Subvention 2025 versée", BANQUE, ETAT, "25000.00"),
    move("2025-03-05", "Cotisations", BANQUE, COTISATIONS, "2500.00"),
    move("2025-12-31", "Salaires", SALAIRES, PERSONNEL, "26000.00"),
    move("2025-12-31", "Salaires payés", PERSONNEL, BANQUE, "24000.00"),
    move("2025-12-31", "Cotisations sociales", URSSAF, URSSAF_DETTE, "9500.00"),
    move("2025-12-31", "Cotisations payées", URSSAF_DETTE, BANQUE, "8000.00"),
    move("2025-06-01", "Loyers", LOYER, BANQUE, "6000.00"),
    move("2025-06-30", "Échéance d'emprunt", EMPRUNT, BANQUE, "2000.00"),
    move("2025-06-30", "Intérêts", INTERETS, BANQUE, "150.00"),
    move("2025-12-31", "Utilisation des fonds dédiés", FONDS_DEDIES, UTILISATION_FD, "4000.00"),
    move("2025-12-31", "Amortissement", DOTATION, AMORT, "1040.00"),
    move("2025-12-31", "Quote-part subvention", SUBV_INV_CR, QP_2025, "600.00"),
    move("2025-09-01", "Cession : valeur comptable", VNC_2025, MATERIEL, "700.00"),
    move("2025-09-01", "Cession : prix", BANQUE, CESSION_2025, "900.00"),
    move("2025-12-20", "Facilité de caisse", BANQUE, CONCOURS, "3000.00"),
    move("2025-10-01", "Fournitures payées du compte projets", FOURNITURES, PROJETS, "500.00"),
    move("2025-04-01", "Prestations facturées", USAGERS, PRESTATIONS, "6000.00"),
    move("2025-05-01", "Prestations encaissées", BANQUE, USAGERS, "4000.00"),
]
LEDGER = "\n".join([OPENINGS, ENTRIES_2024, *ENTRIES_2025])


def source_of(path: Path) -> Source:
    livre = load_livre(path)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


@pytest.fixture
def source(ledger_dir: Path) -> Source:
    return source_of(write_ledger(ledger_dir, LEDGER))


def valeurs(rapport, column: str = "n") -> dict[str, Decimal | None]:
    found = {}
    for partie_id in ("montants", "durees", "ratios"):
        for ligne in rapport.partie(partie_id).lignes:
            found[ligne.id] = ligne.valeurs.get(column)
    return found


def statuts(rapport) -> dict[str, str | None]:
    return {
        ligne.id: ligne.statut
        for partie_id in ("montants", "durees", "ratios")
        for ligne in rapport.partie(partie_id).lignes
    }


# 2024 (plan 2018), hand computation
# 512 : 20000 + 10000 - 6000 + 3000 + 20000 + 2000 + 3000 - 22000 - 7500 - 5000 - 1000
#       - 200 + 500 = 16800
# Fonds propres : 102 20000 + 131 3000 - 139 600 + résultat (-8600) = 13800
# Ressources stables : 13800 + fonds dédiés 4000 + emprunt 10000 = 27800
# Actif immobilisé : 2183 (6000 - 800) - 28183 1200 = 4000 ; FR = 23800
# Actif circulant : 441 10000 + 411 2000 + 486 500 = 12500
# Dettes circulantes : 401 1000 + 421 2000 + 431 1500 + 487 1000 = 5500 ; BFR = 7000
# Trésorerie nette = 23800 - 7000 = 16800 = 512
# Produits d'exploitation : 741 30000 + 756 2000 + 706 (5000 - 1000) = 36000
# Charges d'exploitation : 6411 24000 + 6451 9000 + 6132 (6000 - 500) + 6064 1000
#       + 6811 1200 + 6894 4000 = 44700 ; financières 661 200 ; exceptionnelles 675 800
# Produits 36000 + 777 600 + 775 500 = 37100 ; charges 45700 ; résultat -8600
# CAF = -8600 + 68 (1200 + 4000) - 78 (0) - 777 600 + 675 800 - 775 500 = -3700
# Décaissables = 44700 - 1200 - 4000 = 39500 ; 366 jours (2024 bissextile)
# Trésorerie en jours = 16800 x 366 / 39500 ; fonds propres en mois = 13800 x 12 / 45700
# Subventions publiques = 30000 / 36000 ; personnel = 33000 / 44700 ; -8600 / 37100
N_2024 = {
    "fonds_de_roulement": D(23800),
    "besoin_en_fonds_de_roulement": D(7000),
    "tresorerie_nette": D(16800),
    "tresorerie_constatee": D(16800),
    "ecart_tresorerie": D(0),
    "capacite_autofinancement": D(-3700),
    "tresorerie_jours": D(16800) * 366 / D(39500),
    "fonds_propres_mois": D(13800) * 12 / D(45700),
    "part_subventions_publiques": D(30000) / D(36000),
    "part_charges_personnel": D(33000) / D(44700),
    "resultat_sur_produits": D(-8600) / D(37100),
}

# 2025 (plan 2025), hand computation
# 512 compte courant : 16800 - 4500 + 10000 + 2000 + 25000 + 2500 - 24000 - 8000 - 6000
#       - 2000 - 150 + 900 + 3000 + 4000 = 19550 ; 512 compte projets : -500 (créditeur)
# 519 : 3000 (créditeur)
# Résultat : produits 706 (1000 + 6000) + 741 40000 + 756 2500 + 7894 4000 + 747 600
#       + 757 900 = 55000 (tous d'exploitation en 2025) ;
#       charges 6132 (500 + 6000) + 6064 500 + 6411 26000 + 6451 9500 + 6811 1040
#       + 652 700 = 44240 (exploitation) + 661 150 = 44390 ; résultat 10610
# Fonds propres : 102 20000 + 131 3000 - 139 1200 + report à nouveau -8600 + 10610 = 23810
# Ressources stables : 23810 + fonds dédiés 0 + 164 8000 (512 projets et 519 en trésorerie)
#       = 31810 ; actif immobilisé : 2183 4500 - 28183 2240 = 2260 ; FR = 29550
# Actif circulant : 441 15000 + 411 2000 = 17000 ; dettes : 421 2000 + 431 1500 = 3500
# BFR = 13500 ; trésorerie nette = 16050 = 19550 - (500 + 3000)
# CAF = 10610 + 68 1040 - 78 4000 - 747 600 + 652 700 - 757 900 = 6850
# Décaissables = 44240 - 1040 - 652 700 = 42500 ; 365 jours
# Subventions publiques (73 + 74) = 741 40000 + 747 600 = 40600 / 55000
# Personnel = 35500 / 44240 ; résultat / produits = 10610 / 55000
N_2025 = {
    "fonds_de_roulement": D(29550),
    "besoin_en_fonds_de_roulement": D(13500),
    "tresorerie_nette": D(16050),
    "tresorerie_constatee": D(16050),
    "ecart_tresorerie": D(0),
    "capacite_autofinancement": D(6850),
    "tresorerie_jours": D(16050) * 365 / D(42500),
    "fonds_propres_mois": D(23810) * 12 / D(44390),
    "part_subventions_publiques": D(40600) / D(55000),
    "part_charges_personnel": D(35500) / D(44240),
    "resultat_sur_produits": D(10610) / D(55000),
}


def test_diagnostic_2024_plan_2018(source):
    exercice = source.exercice("2024")
    assert exercice.version == "2018"
    rapport = diagnostic(source, exercice)
    assert valeurs(rapport) == N_2024
    assert "n1" not in rapport.totaux  # first exercice
    # 155,7 j ; 3,6 mois ; 83,3 % ; 73,8 % ; -23,2 %
    assert statuts(rapport) == {
        "fonds_de_roulement": "ok",
        "besoin_en_fonds_de_roulement": None,
        "tresorerie_nette": "ok",
        "tresorerie_constatee": None,
        "ecart_tresorerie": None,
        "capacite_autofinancement": "alerte",
        "tresorerie_jours": "ok",
        "fonds_propres_mois": "ok",
        "part_subventions_publiques": "alerte",
        "part_charges_personnel": "surveiller",
        "resultat_sur_produits": "alerte",
    }
    elements = {ligne.id: ligne.valeurs["n"] for ligne in rapport.partie("elements").lignes}
    assert elements["ressources_stables"] == D(27800)
    assert elements["actif_immobilise"] == D(4000)
    assert elements["actif_circulant_exploitation"] == D(12500)
    assert elements["dettes_exploitation"] == D(5500)
    assert elements["tresorerie_actif"] == D(16800)
    assert elements["tresorerie_passif"] == D(0)
    assert elements["fonds_propres"] == D(13800)
    assert elements["charges_decaissables"] == D(39500)
    assert elements["quote_part_subventions_investissement"] == D(600)  # 777
    assert elements["valeurs_comptables_actifs_cedes"] == D(800)  # 675
    assert elements["produits_cessions"] == D(500)  # 775
    assert elements["reports_fonds_dedies"] == D(4000)
    assert rapport.avertissements == []
    assert rapport.meta["jours"] == 366


def test_diagnostic_2025_plan_2025_avec_n1(source):
    exercice = source.exercice("2025")
    assert exercice.version == "2025"
    rapport = diagnostic(source, exercice)
    assert valeurs(rapport) == N_2025
    # N-1 column = the N column of the 2024 diagnostic.
    assert valeurs(rapport, "n1") == N_2024
    assert valeurs(rapport, "n1") == valeurs(diagnostic(source, source.exercice("2024")))
    # 137,8 j ; 6,4 mois ; 73,8 % ; 80,2 % ; 19,3 %
    assert statuts(rapport) == {
        "fonds_de_roulement": "ok",
        "besoin_en_fonds_de_roulement": None,
        "tresorerie_nette": "ok",
        "tresorerie_constatee": None,
        "ecart_tresorerie": None,
        "capacite_autofinancement": "ok",
        "tresorerie_jours": "ok",
        "fonds_propres_mois": "ok",
        "part_subventions_publiques": "surveiller",
        "part_charges_personnel": "alerte",
        "resultat_sur_produits": "ok",
    }
    elements = {ligne.id: ligne for ligne in rapport.partie("elements").lignes}
    assert elements["tresorerie_passif"].valeurs == {"n": D(3500), "n1": D(0)}
    assert elements["tresorerie_passif"].comptes == (PROJETS, CONCOURS)
    assert elements["ressources_stables"].valeurs["n"] == D(31810)
    assert elements["reprises"].valeurs["n"] == D(4000)  # 7894
    assert elements["utilisations_fonds_dedies"].valeurs["n"] == D(4000)
    assert elements["quote_part_subventions_investissement"].valeurs["n"] == D(600)  # 747
    assert elements["valeurs_comptables_actifs_cedes"].valeurs["n"] == D(700)  # 652
    assert elements["produits_cessions"].valeurs["n"] == D(900)  # 757
    assert elements["charges_non_decaissables"].valeurs["n"] == D(1740)
    assert rapport.totaux["n"]["tresorerie_nette"] == D(16050)
    assert rapport.totaux["n1"]["capacite_autofinancement"] == D(-3700)
    assert any("plan 2018" in note for note in rapport.notes)
    assert rapport.avertissements == []


def test_genres_et_explications(source):
    rapport = diagnostic(source, source.exercice("2025"))
    assert {c.genre for c in rapport.partie("montants").colonnes} == {Genre.MONTANT}
    assert {c.genre for c in rapport.partie("durees").colonnes} == {Genre.NOMBRE}
    assert {c.genre for c in rapport.partie("ratios").colonnes} == {Genre.POURCENTAGE}
    explications = {ligne.id: ligne.valeurs for ligne in rapport.partie("explications").lignes}
    assert set(explications) == set(indicateurs_par_defaut())
    assert "non vérifié" in explications["capacite_autofinancement"]["explication"]
    assert "plus d'un an" in explications["fonds_de_roulement"]["explication"]
    assert "conventionnel" in explications["tresorerie_jours"]["explication"]
    assert "3 à 4 mois, non vérifié" in explications["fonds_propres_mois"]["explication"]
    assert explications["tresorerie_jours"]["seuils"] == (
        f"ok ≥ 90{NBSP}j ; à surveiller de 30 à 90{NBSP}j ; alerte < 30{NBSP}j "
        "(par défaut, conventionnels)"
    )
    assert explications["part_subventions_publiques"]["seuils"] == (
        f"ok ≤ 50{NBSP}% ; à surveiller de 50 à 75{NBSP}% ; alerte > 75{NBSP}% "
        "(par défaut, conventionnels)"
    )
    assert explications["resultat_sur_produits"]["seuils"].startswith(
        f"ok ≥ 0{NBSP}% ; à surveiller de −5 à 0{NBSP}% ; alerte < −5{NBSP}%"
    )
    assert any("plus d'un an" in note for note in rapport.notes)


@pytest.mark.parametrize("code", ["2024", "2025"])
def test_tresorerie_nette_egale_tresorerie_constatee_et_bilan(source, code):
    exercice = source.exercice(code)
    mesures = mesurer(source, exercice)
    assert mesures.valeurs["tresorerie_nette"] == mesures.valeurs["tresorerie_constatee"]
    totals = bilan(source, exercice).totaux["n"]
    # The groups cover the whole bilan: actif = AI + AC + TA, passif = RS + DC + TP.
    groups = mesures.groupes
    assert totals["total_actif"] == (
        groups["actif_immobilise"]
        + groups["actif_circulant_exploitation"]
        + groups["tresorerie_actif"]
    )
    assert totals["total_passif"] == (
        groups["ressources_stables"] + groups["dettes_exploitation"] + groups["tresorerie_passif"]
    )
    assert mesures.elements["fonds_propres"] == totals["fonds_propres"]


def test_diagnostic_au_en_cours_d_exercice(source):
    exercice = source.exercice("2025")
    rapport = diagnostic(source, exercice, au=datetime.date(2025, 1, 31))
    # Au 31/01/2025 : 31 jours. 512 : 16800 - 4500 + 10000 + 2000 = 24300.
    # Charges décaissables : 6132 500 ; trésorerie en jours = 24300 x 31 / 500
    assert rapport.meta["jours"] == 31
    assert valeurs(rapport)["tresorerie_nette"] == D(24300)
    assert valeurs(rapport)["tresorerie_jours"] == D(24300) * 31 / D(500)
    assert valeurs(rapport)["ecart_tresorerie"] == D(0)


def test_exercice_en_cours_rapporte_a_la_periode_ecoulee(ledger_dir):
    # Ledger stopped on 25 January 2025 (entries of 2025 up to that date only).
    january = [entry for entry in ENTRIES_2025 if entry[:10] <= "2025-01-25"]
    assert len(january) == 5
    source = source_of(write_ledger(ledger_dir, "\n".join([OPENINGS, ENTRIES_2024, *january])))
    exercice = source.exercice("2025")
    rapport = diagnostic(source, exercice)
    # Same as --au 2025-01-25: 25 days; 512 = 16800 - 4500 + 10000 + 2000 = 24300 ;
    # charges décaissables : 6132 500 (extourne) ; 24300 x 25 / 500 = 1215 jours
    assert rapport.meta["jours"] == 25
    assert valeurs(rapport)["tresorerie_jours"] == D(1215)
    assert valeurs(rapport) == valeurs(diagnostic(source, exercice, au=datetime.date(2025, 1, 25)))
    assert any(
        note.startswith("Exercice en cours : situation au 25 janvier 2025")
        for note in rapport.notes
    )
    # A closed exercice keeps its full length.
    assert diagnostic(source, source.exercice("2024")).meta["jours"] == 366


# --- Data: every bilan line in exactly one group ------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_chaque_ligne_du_bilan_dans_un_seul_groupe(version):
    modele = modele_bilan(version)
    leaves = {}
    for bloc in modele.actif + modele.passif:
        for rubrique in bloc.rubriques:
            for top in rubrique.lignes:
                for line in top.walk():
                    if not line.sous_lignes:
                        leaves[line.id] = bloc.cote
    groups = donnees()["bilan_fonctionnel"]
    listed = [line for spec in groups.values() for line in spec["lignes"]]
    assert len(listed) == len(set(listed)), "ligne dans plusieurs groupes"
    assert set(listed) == set(leaves)
    for spec in groups.values():  # each group holds lines of its own side
        assert {leaves[line] for line in spec["lignes"]} == {spec["cote"]}
    for move in donnees()["reclassements"]:
        assert groups[move["vers"]]["cote"] == leaves[move["ligne"]]


# --- Thresholds in communs.yaml -----------------------------------------------------------------


def test_seuils_personnalises(ledger_dir):
    config = """\
    diagnostic:
      seuils:
        part_charges_personnel: {alerte: 85}
        tresorerie_jours:
          surveiller: 150
          alerte: 60
    """
    source = source_of(write_ledger(ledger_dir, LEDGER, config=config))
    rapport = diagnostic(source, source.exercice("2025"))
    found = statuts(rapport)
    assert found["part_charges_personnel"] == "surveiller"  # 80,2 % <= 85 %
    assert found["tresorerie_jours"] == "surveiller"  # 137,8 j < 150
    explications = {ligne.id: ligne.valeurs for ligne in rapport.partie("explications").lignes}
    assert explications["part_charges_personnel"]["seuils"] == (
        f"ok ≤ 65{NBSP}% ; à surveiller de 65 à 85{NBSP}% ; alerte > 85{NBSP}% (communs.yaml)"
    )


def test_seuils_invalides_erreurs_avec_lignes(ledger_dir):
    (ledger_dir / "communs.yaml").write_text(
        "association:\n"
        "  nom: Test\n"
        "diagnostic:\n"
        "  seuils:\n"
        "    tresorerie_jour: {alerte: 30}\n"
        "    besoin_en_fonds_de_roulement: {alerte: 0}\n"
        "    fonds_propres_mois: {alerte: 4}\n"
        "    part_subventions_publiques: {surveiller: beaucoup}\n",
        encoding="utf-8",
    )
    config = load_config(ledger_dir / "main.beancount")
    assert [str(e) for e in config.errors] == [
        "communs.yaml:8: diagnostic.seuils.part_subventions_publiques.surveiller : "
        "doit être un nombre (ex. 1234.50) (valeur lue : 'beaucoup')"
    ]
    (ledger_dir / "communs.yaml").write_text(
        "diagnostic:\n"
        "  seuils:\n"
        "    tresorerie_jour: {alerte: 30}\n"
        "    besoin_en_fonds_de_roulement: {alerte: 0}\n"
        "    fonds_propres_mois: {alerte: 4}\n"
        "    part_charges_personnel: {surveiller: 90}\n",
        encoding="utf-8",
    )
    config = load_config(ledger_dir / "main.beancount")
    known = (
        "fonds_de_roulement, tresorerie_nette, capacite_autofinancement, tresorerie_jours, "
        "fonds_propres_mois, part_subventions_publiques, part_charges_personnel, "
        "resultat_sur_produits"
    )
    assert [str(e) for e in config.errors] == [
        "communs.yaml:3: diagnostic.seuils : indicateur « tresorerie_jour » inconnu "
        f"(indicateurs à seuils : {known})",
        "communs.yaml:4: diagnostic.seuils : indicateur « besoin_en_fonds_de_roulement » "
        f"informatif, sans seuil (indicateurs à seuils : {known})",
        "communs.yaml:5: diagnostic.seuils.fonds_propres_mois : le seuil d'alerte (4) doit "
        "être inférieur ou égal au seuil « surveiller » (3) pour cet indicateur (plus la "
        "valeur est élevée, mieux c'est)",
        "communs.yaml:6: diagnostic.seuils.part_charges_personnel : le seuil d'alerte (80) "
        "doit être supérieur ou égal au seuil « surveiller » (90) pour cet indicateur (plus "
        "la valeur est basse, mieux c'est)",
    ]


# --- Command line ------------------------------------------------------------------------------


def local_app() -> typer.Typer:
    """The command on its own Typer app, with the French messages of ``communs``."""
    francais.install()
    app = typer.Typer()
    app.command("diagnostic")(cli_diagnostic.diagnostic)
    app.command("autre")(lambda: None)
    return app


def test_cli_json_egale_le_moteur(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(
        local_app(), ["diagnostic", "--exercice", "2025", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totaux"]["fonds_de_roulement"] == "29550.00"
    assert data["totaux"]["tresorerie_jours"] == "137.84"  # 16050 x 365 / 42500 = 137,841…
    assert data["totaux_par_colonne"]["n1"]["capacite_autofinancement"] == "-3700.00"
    ratios = {ligne["id"]: ligne for ligne in data["parties"][2]["lignes"]}
    assert ratios["part_charges_personnel"]["valeurs"] == {"n": "0.8024", "n1": "0.7383"}
    assert ratios["part_charges_personnel"]["statut"] == "alerte"


def test_cli_refuse_une_configuration_invalide(ledger_dir):
    write_ledger(
        ledger_dir,
        LEDGER,
        config="diagnostic:\n  seuils:\n    tresorerie_jours: {alerte: 100}\n",
    )
    result = CliRunner(env=CLI_ENV).invoke(local_app(), ["diagnostic"])
    assert result.exit_code == 1
    output = one_line(result.stderr)
    assert "le grand livre contient 1 erreur : corrigez-les avant de produire" in output
    assert (
        "communs.yaml:3: diagnostic.seuils.tresorerie_jours : le seuil d'alerte (100) doit "
        "être inférieur ou égal au seuil « surveiller » (90) pour cet indicateur (plus la "
        "valeur est élevée, mieux c'est)"
    ) in output


def test_cli_exercice_inconnu(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(local_app(), ["diagnostic", "-e", "2030"])
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        "Erreur : exercice « 2030 » inconnu : exercices du grand livre : 2024, 2025"
    )
