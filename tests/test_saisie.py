"""``communs saisir``: guided entry by kind and by template, written through ``ajout.py``.

Each kind is typed with options (no question) on a small ledger written here, and the
text appended to the exercice's file is compared with the Beancount written by hand. A
payroll month typed from a pay journal's totals is checked with the real loader against
balances computed by hand; a refused write leaves the file byte for byte as it was.
"""

from __future__ import annotations

import os
import pty
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.codes import account_code
from conftest import COMMUNS, assert_no_traceback, one_line, write_ledger

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
LIVRET = "Actif:51-Banques:512-Banques:Livret"
COMPTES = f"""\
2026-01-01 open {BANQUE} EUR
2026-01-01 open {LIVRET} EUR
2026-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise
2026-01-01 open Passif:40-Fournisseurs:401-Fournisseurs
2026-01-01 open Actif:41-Usagers:411-Usagers
2026-01-01 open Passif:42-Personnel:421-Remunerations-dues
2026-01-01 open Passif:43-Organismes-sociaux:431-Urssaf
2026-01-01 open Passif:43-Organismes-sociaux:437-Autres-organismes-sociaux:Retraite-complementaire
2026-01-01 open Passif:43-Organismes-sociaux:437-Autres-organismes-sociaux:Prevoyance
2026-01-01 open Actif:44-Etat:441-Subventions-a-recevoir:Commune
2026-01-01 open Passif:44-Etat:442-Prelevement-a-la-source
2026-01-01 open Charges:60-Achats:604-Prestations-de-services
2026-01-01 open Charges:61-Services-exterieurs:6132-Locations-immobilieres
2026-01-01 open Charges:62-Autres-services-exterieurs:6251-Voyages-et-deplacements
2026-01-01 open Charges:64-Charges-de-personnel:6411-Salaires
2026-01-01 open Charges:64-Charges-de-personnel:6451-Cotisations-Urssaf
2026-01-01 open Charges:64-Charges-de-personnel:6453-Cotisations-retraite
2026-01-01 open Charges:64-Charges-de-personnel:6458-Autres-organismes-sociaux
2026-01-01 open Produits:70-Ventes-et-prestations:706-Prestations-de-services
2026-01-01 open Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune
2026-01-01 open Produits:75-Autres-produits:756-Cotisations
2026-01-01 open Charges:86-Emplois-contributions-en-nature:864-Personnel-benevole
2026-01-01 open Produits:87-Contributions-en-nature:875-Benevolat
"""
EXERCICE = f"""\
2026-01-01 * "Apport des fondateurs"
  {BANQUE}  20000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise
"""
CONFIG = """\
association:
  nom: "Les Jardins de la Bièvre"
  siren: "123456782"
importation:
  compte: Actif:51-Banques:512-Banques:Compte-courant
"""


@pytest.fixture
def asso(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "asso"
    write_ledger(
        folder,
        'include "comptes.beancount"\ninclude "2026.beancount"\n',
        config=CONFIG,
        included={"comptes.beancount": COMPTES, "2026.beancount": EXERCICE},
    )
    monkeypatch.chdir(folder)
    return folder


def ligne(compte: str, montant: str, largeur: int = 60) -> str:
    """A posting as communs writes it: the account padded to 60 (or to the longest account
    of the entry), the amount on 12."""
    return f"  {compte:<{largeur}}  {montant:>12} EUR"


def ajoute(folder: Path, avant: str) -> str:
    """What a command appended to 2026.beancount (after the blank line it starts with)."""
    texte = (folder / "2026.beancount").read_text(encoding="utf-8")
    assert texte.startswith(avant)
    ajout = texte[len(avant) :]
    assert ajout.startswith("\n")
    return ajout[1:]


CAS = {
    "recette": (
        ["--compte", "cotisation", "--montant", "38", "--tiers", "Fatou Kone", "--libelle",
         "Cotisation 2026"],
        ['2026-03-10 * "Fatou Kone" "Cotisation 2026"',
         ligne(BANQUE, "38.00"),
         ligne("Produits:75-Autres-produits:756-Cotisations", "-38.00")],
    ),
    "depense": (
        ["--compte", "loyer", "--montant", "1 100,50", "--tiers", "SCI des Tilleuls",
         "--projet", "JARDINS", "--libelle", "Loyer de mars"],
        ['2026-03-10 * "SCI des Tilleuls" "Loyer de mars"', '  projet: "JARDINS"',
         ligne("Charges:61-Services-exterieurs:6132-Locations-immobilieres", "1100.50"),
         ligne(BANQUE, "-1100.50")],
    ),
    "virement": (
        ["--compte", "Livret", "--contrepartie", "Compte-courant", "--montant", "5000",
         "--libelle", "Vers le livret"],
        ['2026-03-10 * "Vers le livret"', ligne(LIVRET, "5000.00"), ligne(BANQUE, "-5000.00")],
    ),
    "facture-recue": (
        ["--compte", "604", "--montant", "280", "--tiers", "Sophie Marchal", "--piece",
         "SM-0310", "--libelle", "Atelier cuisine"],
        ['2026-03-10 * "Sophie Marchal" "Atelier cuisine" ^SM-0310', '  piece: "SM-0310"',
         ligne("Charges:60-Achats:604-Prestations-de-services", "280.00"),
         ligne("Passif:40-Fournisseurs:401-Fournisseurs", "-280.00")],
    ),
    "facture-emise": (
        ["--compte", "706", "--montant", "450", "--tiers", "Centre social", "--piece",
         "FA-2026-001", "--libelle", "Animation"],
        ['2026-03-10 * "Centre social" "Animation" ^FA-2026-001', '  piece: "FA-2026-001"',
         ligne("Actif:41-Usagers:411-Usagers", "450.00", 61),
         ligne("Produits:70-Ventes-et-prestations:706-Prestations-de-services", "-450.00", 61)],
    ),
    "subvention": (
        ["--compte", "7415", "--contrepartie", "441", "--montant", "12000", "--tiers",
         "Ville", "--convention", "COM-2026", "--piece", "DEL-2026-14", "--libelle",
         "Subvention de fonctionnement 2026"],
        ['2026-03-10 * "Ville" "Subvention de fonctionnement 2026" ^DEL-2026-14',
         '  convention: "COM-2026"', '  piece: "DEL-2026-14"',
         ligne("Actif:44-Etat:441-Subventions-a-recevoir:Commune", "12000.00", 67),
         ligne("Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune",
               "-12000.00", 67)],
    ),
    "note-de-frais": (
        ["--compte", "6251", "--montant", "42,60", "--beneficiaire", "benevole", "--tiers",
         "Paul Petit", "--libelle", "Trajets de février"],
        # the volunteers' account is not open: the starter account 4681 is opened
        # on the exercice's first day
        ["2026-01-01 open Passif:46-Divers:4681-Frais-des-benevoles",
         '2026-03-10 * "Paul Petit" "Trajets de février"',
         ligne("Charges:62-Autres-services-exterieurs:6251-Voyages-et-deplacements", "42.60",
               66),
         ligne("Passif:46-Divers:4681-Frais-des-benevoles", "-42.60", 66)],
    ),
    "nature": (
        ["--compte", "864", "--montant", "737,10", "--libelle", "Bénévolat de mars"],
        ['2026-03-10 * "Bénévolat de mars"',
         ligne("Charges:86-Emplois-contributions-en-nature:864-Personnel-benevole", "737.10",
               65),
         ligne("Produits:87-Contributions-en-nature:875-Benevolat", "-737.10", 65)],
    ),
}  # fmt: skip
LIBELLES = {
    "recette": "recette",
    "depense": "dépense",
    "virement": "virement interne",
    "facture-recue": "facture reçue",
    "facture-emise": "facture émise",
    "subvention": "subvention notifiée",
    "note-de-frais": "note de frais",
    "nature": "contribution volontaire en nature",
}


@pytest.mark.parametrize("genre", sorted(CAS))
def test_chaque_genre_ecrit_l_ecriture_attendue(asso: Path, communs, genre: str) -> None:
    options, attendu = CAS[genre]
    avant = (asso / "2026.beancount").read_text(encoding="utf-8")
    result = communs("saisir", genre, "--date", "10/03/2026", *options)
    assert result.exit_code == 0, result.output
    texte = f"; Saisi avec « communs saisir » ({LIBELLES[genre]})\n" + "\n".join(attendu) + "\n"
    assert ajoute(asso, avant) == texte
    assert texte in result.output  # shown before being written
    assert "grand livre revérifié : aucune nouvelle erreur" in result.output
    assert load_livre(asso / "main.beancount").ok


def _solde(folder: Path, compte: str) -> Decimal:
    livre = load_livre(folder / "main.beancount")
    assert livre.ok, livre.diagnostics
    return sum(
        (
            posting.units.number
            for entry in livre.entries
            for posting in getattr(entry, "postings", ())
            if posting.account == compte
        ),
        Decimal(0),
    )


def test_reglement_par_la_piece_solde_la_facture(asso: Path, communs) -> None:
    fournisseurs = "Passif:40-Fournisseurs:401-Fournisseurs"
    communs("saisir", "facture-recue", "--date", "2026-03-10", *CAS["facture-recue"][0])
    assert _solde(asso, fournisseurs) == Decimal("-280.00")
    avant = (asso / "2026.beancount").read_text(encoding="utf-8")
    result = communs("saisir", "reglement", "--date", "2026-04-02", "--piece", "SM-0310")
    assert result.exit_code == 0, result.output
    # the invoice's tiers and piece, its whole remainder (280), the bank by default
    assert ajoute(asso, avant) == (
        "; Saisi avec « communs saisir » (règlement d'une facture)\n"
        '2026-04-02 * "Sophie Marchal" "Règlement de la facture SM-0310" ^SM-0310\n'
        '  piece: "SM-0310"\n'
        f"{ligne(fournisseurs, '280.00')}\n{ligne(BANQUE, '-280.00')}\n"
    )
    assert _solde(asso, fournisseurs) == 0
    again = communs("saisir", "reglement", "--date", "2026-04-03", "--piece", "SM-0310")
    assert again.exit_code == 1
    assert "aucune facture ouverte de pièce « SM-0310 »" in again.output


def test_la_facture_et_son_reglement_sont_lettres_dans_le_fec(asso: Path, communs) -> None:
    communs("saisir", "facture-recue", "--date", "2026-03-10", *CAS["facture-recue"][0])
    communs("saisir", "reglement", "--date", "2026-04-02", "--piece", "SM-0310")
    fec = asso / "fec.txt"
    assert communs("fec", "-e", "2026", "--sortie", str(fec)).exit_code == 0
    lignes = [
        line.split("\t")
        for line in fec.read_text(encoding="iso-8859-15").splitlines()
        if "\tSM-0310\t" in line
    ]
    # the invoice's 401 line and the payment's 401 line share one lettering code and the
    # payment's date; the charge and the bank lines are not lettered
    lettres = {(ligne[4], ligne[13], ligne[14]) for ligne in lignes}
    assert lettres == {("604", "", ""), ("401", "A", "20260402"), ("512", "", "")}
    assert len(lignes) == 4


def test_reglement_partiel_d_une_subvention(asso: Path, communs) -> None:
    communs("saisir", "subvention", "--date", "2026-03-10", *CAS["subvention"][0])
    creance = "Actif:44-Etat:441-Subventions-a-recevoir:Commune"
    for montant, reste in (("7200", "4800.00"), (None, "0")):
        args = ["--montant", montant] if montant else []
        done = communs(
            "saisir", "reglement", "--date", "2026-06-23", "--piece", "DEL-2026-14", *args
        )
        assert done.exit_code == 0, done.output
        # 12000 notified, 7200 received (60 %), then the remaining 4800
        assert _solde(asso, creance) == Decimal(reste)
    assert _solde(asso, BANQUE) == Decimal("32000.00")  # 20000 + 12000


PAIE = {
    "brut": "6760",
    "urssaf_salariale": "760,50",
    "urssaf_patronale": "1319,44",
    "retraite_salariale": "264,20",
    "retraite_patronale": "406,28",
    "prevoyance_salariale": "120,00",
    "prevoyance_patronale": "205,80",
    "pas": "180,04",
    "net": "5435,26",
}


def test_paie_du_mois_depuis_le_journal_de_paie(asso: Path, communs) -> None:
    valeurs = [arg for nom, v in PAIE.items() for arg in ("--valeur", f"{nom}={v}")]
    result = communs("saisir", "paie", "--date", "2026-03-31", *valeurs)
    assert result.exit_code == 0, result.output
    # By hand: net = 6760 - 760.50 - 264.20 - 120.00 - 180.04 = 5435.26 (the journal's net);
    # URSSAF = 760.50 + 1319.44 = 2079.94; retraite = 264.20 + 406.28 = 670.48;
    # prévoyance = 120.00 + 205.80 = 325.80; charges = 6760 + 1319.44 + 406.28 + 205.80
    # = 8691.52 = 2079.94 + 670.48 + 325.80 + 180.04 + 5435.26 (balanced).
    attendus = {
        "Charges:64-Charges-de-personnel:6411-Salaires": "6760.00",
        "Charges:64-Charges-de-personnel:6451-Cotisations-Urssaf": "1319.44",
        "Charges:64-Charges-de-personnel:6453-Cotisations-retraite": "406.28",
        "Charges:64-Charges-de-personnel:6458-Autres-organismes-sociaux": "205.80",
        "Passif:43-Organismes-sociaux:431-Urssaf": "-2079.94",
        "Passif:43-Organismes-sociaux:437-Autres-organismes-sociaux:Retraite-complementaire": (
            "-670.48"
        ),
        "Passif:43-Organismes-sociaux:437-Autres-organismes-sociaux:Prevoyance": "-325.80",
        "Passif:44-Etat:442-Prelevement-a-la-source": "-180.04",
        "Passif:42-Personnel:421-Remunerations-dues": "-5435.26",
    }
    for compte, solde in attendus.items():
        assert _solde(asso, compte) == Decimal(solde), compte
    # then the payments, each its own entry: every debt of the month is settled
    for modele, montant in (
        ("salaires-nets", "5435,26"),
        ("paiement-urssaf", "2079,94"),
        ("paiement-retraite", "670,48"),
        ("paiement-prevoyance", "325,80"),
        ("paiement-pas", "180,04"),
    ):
        done = communs("saisir", modele, "--date", "2026-04-05", "--montant", montant)
        assert done.exit_code == 0, done.output
    for compte in attendus:
        if compte.startswith("Passif:"):
            assert _solde(asso, compte) == 0, compte
    # bank: 20000 - 8691.52 (every charge of the month paid) = 11308.48
    assert _solde(asso, BANQUE) == Decimal("11308.48")


def test_salaires_nets_au_dela_du_solde_de_421_signales(asso: Path, communs) -> None:
    """Paying more net salaries than 421 owes is warned of, in French, naming the account
    and both amounts (written all the same: the pay entry may come later); the exact
    balance is not. By hand: the March pay makes 421 owe 5 435,26 €; a transfer of
    5 500 € on 5 April is 64,74 € too much; once 5 435,26 € is paid, 421 owes nothing."""
    valeurs = [arg for nom, v in PAIE.items() for arg in ("--valeur", f"{nom}={v}")]
    assert communs("saisir", "paie", "--date", "2026-03-31", *valeurs).exit_code == 0
    trop = communs("saisir", "salaires-nets", "--date", "2026-04-05", "--montant", "5500")
    assert trop.exit_code == 0, trop.output
    assert (
        "Attention : 5\u202f500,00\xa0€ versés sur le compte 421 Personnel - Rémunérations "
        "dues, qui ne doit que 5\u202f435,26\xa0€ au 5 avril 2026"
    ) in trop.output
    assert _solde(asso, "Passif:42-Personnel:421-Remunerations-dues") == Decimal("64.74")
    # the URSSAF paid exactly: no warning; paid again the same day: 431 owes 0,00 €
    urssaf = communs("saisir", "paiement-urssaf", "--date", "2026-04-15", "--montant", "2079,94")
    assert "Attention" not in urssaf.output
    encore = communs("saisir", "paiement-urssaf", "--date", "2026-04-15", "--montant", "10")
    assert "10,00\xa0€ versés sur le compte 431 Sécurité sociale" in encore.output
    assert "qui ne doit que 0,00\xa0€ au 15 avril 2026" in encore.output


def test_paie_dont_le_net_ne_concorde_pas_est_refusee(asso: Path, communs) -> None:
    avant = (asso / "2026.beancount").read_bytes()
    result = communs(
        "saisir", "paie", "--date", "2026-03-31", "--valeur", "brut=2000", "--valeur",
        "urssaf_salariale=400", "--valeur", "net=1700",
    )  # fmt: skip
    assert result.exit_code == 1
    # 2000 - 400 = 1600, not the 1700 typed
    assert "net = 1\u202f700,00 mais" in result.output and "= 1\u202f600,00" in result.output
    assert (asso / "2026.beancount").read_bytes() == avant


def test_paie_valeur_mal_nommee_est_refusee(asso: Path, communs) -> None:
    """A misspelt value name (« urssaf_salarial ») is not dropped silently: without the
    net to control it, the entry would put 2 000 on 421 instead of 2000 - 400 = 1 600."""
    avant = (asso / "2026.beancount").read_bytes()
    result = communs(
        "saisir", "paie", "--date", "2026-03-31", "--valeur", "brut=2000", "--valeur",
        "urssaf_salarial=400", "--valeur", "urssaf_patronale=500",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "valeur « urssaf_salarial » inconnue du modèle paie" in result.output
    assert "urssaf_salariale" in result.output  # the names it knows
    assert "rien n'est écrit" in result.output
    assert_no_traceback(result.output)
    assert (asso / "2026.beancount").read_bytes() == avant


def test_echec_de_la_reverification_remet_le_fichier_octet_pour_octet(asso: Path, communs) -> None:
    # A balance assertion that holds now (20000 on 1 April) fails once a March expense is
    # added: the ledger no longer passes, the file is put back exactly.
    cible = asso / "2026.beancount"
    with cible.open("a", encoding="utf-8") as file:
        file.write(f"\n2026-04-01 balance {BANQUE}  20000.00 EUR\n")
    avant = cible.read_bytes()
    result = communs(
        "saisir", "depense", "--date", "2026-03-10", "--compte", "6132", "--montant", "100"
    )
    assert result.exit_code == 1
    assert "laissé exactement dans son état d'origine" in result.output
    assert cible.read_bytes() == avant


def _modele_loyer(asso: Path, libelle: str, extra: str = "") -> None:
    """The association's own template « loyer » (modeles/courant.yaml): rent on 6132 paid
    from the bank, 1 100 € by default."""
    (asso / "modeles").mkdir()
    (asso / "modeles" / "courant.yaml").write_text(
        "modeles:\n"
        "  loyer:\n"
        "    tiers: SCI des Tilleuls\n"
        f'    libelle: "{libelle}"\n'
        f"{extra}"
        "    valeurs:\n"
        "      montant: 1100\n"
        "    lignes:\n"
        '      - compte: "6132"\n'
        "        montant: montant\n"
        '      - compte: "@banque"\n'
        "        montant: -montant\n",
        encoding="utf-8",
    )


def test_modele_de_l_association_et_erreurs_situees(asso: Path, communs) -> None:
    _modele_loyer(asso, "Loyer et charges de {mois}", "    projet: JARDINS\n")
    avant = (asso / "2026.beancount").read_text(encoding="utf-8")
    result = communs("saisir", "loyer", "--date", "2026-05-05")
    assert result.exit_code == 0, result.output
    assert ajoute(asso, avant) == (
        "; Saisi avec « communs saisir » (modèle loyer)\n"
        '2026-05-05 * "SCI des Tilleuls" "Loyer et charges de mai 2026"\n'
        '  projet: "JARDINS"\n'
        f"{ligne('Charges:61-Services-exterieurs:6132-Locations-immobilieres', '1100.00')}\n"
        f"{ligne(BANQUE, '-1100.00')}\n"
    )
    listed = communs("saisir", "--modeles")
    assert "loyer" in listed.output and "modeles/courant.yaml:2" in listed.output
    (asso / "modeles" / "faux.yaml").write_text(
        "modeles:\n  x:\n    libelle: X\n    lignes:\n      - compte: '6132'\n"
        "        montant: 'brut * 2'\n      - compte: '512'\n        montant: -1\n",
        encoding="utf-8",
    )
    bad = communs("saisir", "loyer", "--date", "2026-05-05")
    assert bad.exit_code == 1
    assert "faux.yaml:6" in bad.output and "illisible" in bad.output


def test_exercice_sans_fichier_nomme_le_fichier_a_creer(asso: Path, communs) -> None:
    """An entry of 2027 in a ledger with only 2026.beancount: the message names the
    exercice's own file to give (not 2026.beancount, where a 2027 entry does not go)."""
    result = communs(
        "saisir", "depense", "--date", "2027-01-05", "--compte", "6132", "--montant", "5"
    )
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "aucun fichier du grand livre pour l'exercice 2027" in text
    assert "--fichier 2027.beancount" in text and "--fichier 2026.beancount" not in text
    assert not (asso / "2027.beancount").exists()


def test_modele_compte_introuvable_situe(asso: Path, communs) -> None:
    """A template's account the ledger does not open (614, not in communs init's set
    either): the error names the template and the file:line of its « compte: »."""
    _modele_loyer(
        asso,
        "Loyer de {mois}",
    )
    path = asso / "modeles" / "courant.yaml"
    # line 10 of the file is the bank's « - compte: » line: make it an unopened 614
    path.write_text(
        path.read_text(encoding="utf-8").replace('"@banque"', '"614"'), encoding="utf-8"
    )
    avant = (asso / "2026.beancount").read_bytes()
    result = communs("saisir", "loyer", "--date", "2026-05-05")
    assert result.exit_code == 1
    assert "modeles/courant.yaml:10: modèle loyer : aucun compte 614" in result.output
    assert_no_traceback(result.output)
    assert (asso / "2026.beancount").read_bytes() == avant


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["bidule"], 2, "« bidule » n'est ni un genre d'écriture"),
        (["depense", "--date", "2026-03-10", "--compte", "6132", "--montant", "douze"], 2,
         "montant « douze »"),
        (["depense", "--date", "31/02/2026", "--compte", "6132", "--montant", "1"], 2,
         "--date « 31/02/2026 »"),
        (["depense", "--date", "2026-03-10", "--compte", "jardinage", "--montant", "1"], 1,
         "aucun compte ouvert ne répond à « jardinage »"),
        (["depense", "--date", "2026-03-10", "--compte", "512", "--montant", "1"], 1,
         "compte 512 ambigu"),
        (["facture-recue", "--date", "2026-03-10", "--compte", "604", "--montant", "1",
          "--piece", "A-1", "--contrepartie", "9999"], 1, "aucun compte 9999"),
        # a missing answer is asked; no answer (end of input) stops the command
        (["facture-recue", "--date", "2026-03-10", "--compte", "604", "--montant", "1"], 1,
         "saisie interrompue : rien n'est écrit"),
        (["depense", "--date", "2026-03-10", "--compte", "6132", "--montant", "-5"], 1,
         "un montant positif est attendu"),
        (["paie", "--date", "2026-03-31", "--valeur", "brut"], 2, "NOM=MONTANT"),
    ],
)  # fmt: skip
def test_mauvaises_reponses_en_francais(asso: Path, communs, args, code, message) -> None:
    avant = (asso / "2026.beancount").read_bytes()
    result = communs("saisir", *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert (asso / "2026.beancount").read_bytes() == avant


def test_questions_par_l_entree_standard(asso: Path) -> None:
    """Without options the command asks; a wrong account or amount is asked again."""
    from typer.testing import CliRunner

    from communs_ledger.cli.app import app

    reponses = "dépense\n2026-03-12\nloyr\nloyer\n11OO\n1100\nSCI\n\nJARDINS\n\nx\no\n"
    avant = (asso / "2026.beancount").read_text(encoding="utf-8")
    result = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"}).invoke(
        app, ["saisir"], input=reponses
    )
    assert_no_traceback(result.output)
    assert result.exit_code == 0, result.output
    assert "aucun compte ouvert ne répond à « loyr »" in result.output
    assert "montant « 11OO »" in result.output
    assert "répondez o (oui) ou n (non)" in result.output
    assert ajoute(asso, avant) == (
        "; Saisi avec « communs saisir » (dépense)\n"
        '2026-03-12 * "SCI" "Dépense"\n'
        '  projet: "JARDINS"\n'
        f"{ligne('Charges:61-Services-exterieurs:6132-Locations-immobilieres', '1100.00')}\n"
        f"{ligne(BANQUE, '-1100.00')}\n"
    )


def test_questions_dans_un_pseudo_terminal(asso: Path) -> None:
    """The real command in a pseudo-terminal: several accounts match, one is chosen from
    the list; « n » at the confirmation writes nothing, « o » writes."""
    for confirmation, ecrit in (("n", False), ("o", True)):
        avant = (asso / "2026.beancount").read_bytes()
        sortie = _dans_un_terminal(
            asso,
            ["saisir", "virement", "--date", "2026-03-15", "--montant", "300"],
            ["512", "2", "Compte-courant", "", "Vers le livret", "", "", confirmation],
        )
        assert "1. Actif:51-Banques:512-Banques:Compte-courant" in sortie
        assert "2. Actif:51-Banques:512-Banques:Livret" in sortie
        # French typography: a space before the colon of every question
        assert "Tiers (facultatif) :" in sortie and "(o/n) [o] :" in sortie
        apres = (asso / "2026.beancount").read_bytes()
        if not ecrit:
            assert apres == avant and "Rien n'est écrit." in sortie
            continue
        assert apres.decode().endswith(
            '2026-03-15 * "Vers le livret"\n'
            f"{ligne(LIVRET, '300.00')}\n{ligne(BANQUE, '-300.00')}\n"
        )


def _dans_un_terminal(folder: Path, args: list[str], reponses: list[str]) -> str:
    maitre, esclave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("COMMUNS_LEDGER", "FORCE_COLOR")}
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    process = subprocess.Popen(
        [str(COMMUNS), *args], cwd=folder, stdin=esclave, stdout=esclave, stderr=esclave, env=env
    )
    os.close(esclave)
    lu = b""
    for reponse in reponses:
        lu += _lire_jusqu_a_question(maitre)
        os.write(maitre, reponse.encode() + b"\n")
    lu += _lire_jusqu_a_la_fin(maitre)
    process.wait(timeout=60)
    os.close(maitre)
    texte = lu.decode("utf-8", "replace").replace("\r\n", "\n")
    assert_no_traceback(texte)
    return texte


def _lire_jusqu_a_question(fd: int) -> bytes:
    """Read until the program waits for an answer (a prompt ends with « : »)."""
    lu = b""
    limite = time.monotonic() + 60
    while not lu.rstrip().endswith(b":") and time.monotonic() < limite:
        lu += os.read(fd, 4096)
    return lu


def _lire_jusqu_a_la_fin(fd: int) -> bytes:
    lu = b""
    while True:
        try:
            bloc = os.read(fd, 4096)
        except OSError:  # the program ended: the terminal is closed
            return lu
        if not bloc:
            return lu
        lu += bloc


PAIE_PREVUE = """\
parametres:
  taux_salarial: 22
  organismes: {urssaf: "6451", retraite: "6453"}
postes:
  - code: animateur
    debut: 2026-01-01
    brut_mensuel: 2000
    cotisations: {urssaf: 20, retraite: 6}
"""


def test_paie_depuis_la_masse_salariale_prevue(asso: Path, communs) -> None:
    (asso / "previsions").mkdir()
    (asso / "previsions" / "paie.yaml").write_text(PAIE_PREVUE, encoding="utf-8")
    config = asso / "communs.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "previsions:\n  paie: previsions/paie.yaml\n",
        encoding="utf-8",
    )
    result = communs(
        "saisir", "paie", "--date", "2026-03-31", "--depuis-previsions",
        "--valeur", "urssaf_salariale=300", "--valeur", "retraite_salariale=80",
        "--valeur", "pas=60", "--valeur", "prevoyance_salariale=0",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # From the forecast: brut 2000, Urssaf 20 % = 400, retraite 6 % = 120 (employer);
    # forecast net 2000 × (1 - 22 %) = 1560. From the pay journal: 300 + 80 + 60.
    assert "brut 2\u202f000,00\xa0€, net prévu 1\u202f560,00\xa0€" in result.output
    for compte, solde in {
        "Charges:64-Charges-de-personnel:6411-Salaires": "2000",
        "Charges:64-Charges-de-personnel:6451-Cotisations-Urssaf": "400",
        "Charges:64-Charges-de-personnel:6453-Cotisations-retraite": "120",
        "Passif:43-Organismes-sociaux:431-Urssaf": "-700",  # 300 + 400
        "Passif:43-Organismes-sociaux:437-Autres-organismes-sociaux:Retraite-complementaire": (
            "-200"  # 80 + 120
        ),
        "Passif:44-Etat:442-Prelevement-a-la-source": "-60",
        "Passif:42-Personnel:421-Remunerations-dues": "-1560",  # 2000 - 300 - 80 - 60
    }.items():
        assert _solde(asso, compte) == Decimal(solde), compte
    # the employee's share is the pay journal's: without it, the command asks for it
    asked = communs("saisir", "paie", "--date", "2026-04-30", "--depuis-previsions")
    assert asked.exit_code == 1
    assert "urssaf salariale" in asked.output and "saisie interrompue" in asked.output
    # a month before the post starts (January 2026): the month in French, like elsewhere
    rien = communs("saisir", "paie", "--date", "2025-12-31", "--depuis-previsions")
    assert rien.exit_code == 1
    assert "aucun salaire prévu en décembre 2025 dans la masse salariale" in one_line(rien.output)


def test_completion_par_tabulation_dans_un_terminal(asso: Path, communs) -> None:
    """In a terminal, Tab completes an account's name (capitals ignored) and a known tiers."""
    communs("saisir", *["depense", "--date", "2026-02-05", "--compte", "6132", "--montant", "1"],
            "--tiers", "SCI des Tilleuls")  # fmt: skip
    sortie = _dans_un_terminal(
        asso,
        ["saisir", "depense", "--date", "2026-03-16", "--montant", "1100", "--oui"],
        ["6132-loc\t", "sci\t", "Loyer de mars", "", ""],
    )
    assert "grand livre revérifié" in sortie
    assert (
        (asso / "2026.beancount")
        .read_text(encoding="utf-8")
        .endswith(
            '2026-03-16 * "SCI des Tilleuls" "Loyer de mars"\n'
            f"{ligne('Charges:61-Services-exterieurs:6132-Locations-immobilieres', '1100.00')}\n"
            f"{ligne(BANQUE, '-1100.00')}\n"
        )
    )


def test_premiere_heure_un_mois_sans_ecrire_de_beancount(
    tmp_path: Path, communs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``communs init`` to a month of subsidy, rent, bank fees, membership fees and
    payroll, every entry typed with ``communs saisir`` (no Beancount by hand)."""
    import datetime
    import time as chrono

    debut = chrono.monotonic()
    assert communs("init", str(tmp_path / "asso"), "--nom", "Asso", "--sans-git").exit_code == 0
    monkeypatch.chdir(tmp_path / "asso")
    an = datetime.date.today().year  # communs init opens the exercice of today
    commandes = [
        ["subvention", "--date", f"{an}-01-10", "--compte", "741 commune", "--contrepartie",
         "441 commune", "--montant", "12000", "--piece", "DEL-1", "--tiers", "Ville"],
        ["reglement", "--date", f"{an}-01-25", "--piece", "DEL-1", "--montant", "6000"],
        ["loyer", "--date", f"{an}-01-05", "--montant", "800"],
        ["cotisation", "--date", f"{an}-01-12", "--montant", "25", "--tiers", "Léa Martin"],
        ["frais-bancaires", "--date", f"{an}-01-31", "--montant", "12,50"],
        ["paie", "--date", f"{an}-01-31", "--valeur", "brut=2000", "--valeur",
         "urssaf_salariale=300", "--valeur", "urssaf_patronale=500", "--valeur",
         "retraite_salariale=80", "--valeur", "retraite_patronale=120", "--valeur", "pas=40",
         "--valeur", "net=1580"],
        ["salaires-nets", "--date", f"{an}-01-31", "--montant", "1580"],
    ]  # fmt: skip
    for commande in commandes:
        done = communs("saisir", *commande)
        assert done.exit_code == 0, (commande, done.output)
    assert communs("verifier").exit_code == 0
    dossier = tmp_path / "asso"
    livre = load_livre(dossier / "main.beancount")
    soldes: dict[str, Decimal] = {}
    for entry in livre.entries:
        for posting in getattr(entry, "postings", ()):
            key = account_code(posting.account) or ""
            soldes[key] = soldes.get(key, Decimal(0)) + posting.units.number
    # By hand: bank 6000 + 25 - 800 - 12.50 - 1580 = 3632.50; the Ville still owes 6000;
    # 431 = 300 + 500, 437 = 80 + 120, 442 = 40, 421 = 1580 - 1580 = 0;
    # charges 800 + 12.50 + 2000 + 500 + 120 = 3432.50; produits 12000 + 25 = 12025.
    assert soldes["512"] == Decimal("3632.50")
    assert soldes["441"] == Decimal("6000.00")
    assert (soldes["431"], soldes["437"], soldes["442"]) == (
        Decimal("-800.00"),
        Decimal("-200.00"),
        Decimal("-40.00"),
    )
    assert soldes["421"] == 0
    charges = sum(v for k, v in soldes.items() if k[:1] == "6")
    produits = sum(v for k, v in soldes.items() if k[:1] == "7")
    assert (charges, produits) == (Decimal("3432.50"), Decimal("-12025.00"))
    assert chrono.monotonic() - debut < 120  # measured: a few seconds on a laptop


def test_libelles_des_mois_elides(asso: Path, communs) -> None:
    """Audit: « Paie de octobre » is not French; the templates' « de {mois} » elides
    before avril, août and octobre, and only there."""
    avant = (asso / "2026.beancount").read_text(encoding="utf-8")
    for modele, jour in (("salaires-nets", "2026-10-30"), ("paiement-urssaf", "2026-09-15")):
        done = communs("saisir", modele, "--date", jour, "--montant", "100")
        assert done.exit_code == 0, done.output
    ajout = ajoute(asso, avant)
    assert '"Virement des salaires nets d\'octobre 2026"' in ajout
    assert '"Cotisations Urssaf d\'août 2026"' in ajout
    assert " de octobre" not in ajout and " de août" not in ajout
    done = communs("saisir", "salaires-nets", "--date", "2026-11-30", "--montant", "100")
    assert "Virement des salaires nets de novembre 2026" in done.output


def test_modele_libelle_elides_de_before_avril(asso: Path, communs) -> None:
    _modele_loyer(asso, "Loyer de {mois}, charges de {mois_precedent}")
    avant = (asso / "2026.beancount").read_text(encoding="utf-8")
    result = communs("saisir", "loyer", "--date", "2026-04-05")
    assert result.exit_code == 0, result.output
    assert '"Loyer d\'avril 2026, charges de mars 2026"' in ajoute(asso, avant)


def test_paie_avec_primes_et_autres_patronales_sur_le_plan_de_depart(
    tmp_path: Path, communs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented ``primes`` and ``autres_patronales`` values of the ``paie`` template
    work on the accounts ``communs init`` opens (no 6413, 647 nor 4386 there)."""
    import datetime

    assert communs("init", str(tmp_path / "asso"), "--nom", "Asso", "--sans-git").exit_code == 0
    monkeypatch.chdir(tmp_path / "asso")
    an = datetime.date.today().year
    valeurs = ["brut=2000", "primes=150", "urssaf_salariale=300", "urssaf_patronale=500",
               "autres_patronales=25", "pas=40", "net=1810"]  # fmt: skip
    args = [x for v in valeurs for x in ("--valeur", v)]
    done = communs("saisir", "paie", "--date", f"{an}-01-31", *args)
    assert done.exit_code == 0, done.output
    soldes: dict[str, Decimal] = {}
    for entry in load_livre(tmp_path / "asso" / "main.beancount").entries:
        for posting in getattr(entry, "postings", ()):
            key = account_code(posting.account) or ""
            soldes[key] = soldes.get(key, Decimal(0)) + posting.units.number
    # By hand: net 2000 + 150 - 300 - 40 = 1810; salaries and bonus on 6411 (no 6413):
    # 2150; the other employer's contributions on 6475 (no 647) and owed on 438 (no 4386);
    # 431 = 300 + 500.
    assert (soldes["6411"], soldes["6451"], soldes["6475"]) == (
        Decimal("2150.00"),
        Decimal("500.00"),
        Decimal("25.00"),
    )
    assert (soldes["431"], soldes["438"], soldes["442"], soldes["421"]) == (
        Decimal("-800.00"),
        Decimal("-25.00"),
        Decimal("-40.00"),
        Decimal("-1810.00"),
    )


def test_une_ecriture_dans_un_nouveau_fichier_au_singulier(asso: Path, communs) -> None:
    """``--fichier`` naming a new file: the one entry is « écrite » (singular), and the
    include to add is given; in a file of the ledger, « ajoutée »."""
    options = ["--compte", "loyer", "--montant", "10", "--libelle", "Loyer", "--oui"]
    nouveau = communs("saisir", "depense", "--date", "2026-03-10", "--fichier", "mars.beancount",
                      *options)  # fmt: skip
    assert nouveau.exit_code == 0, nouveau.output
    assert "✓ écriture écrite dans mars.beancount, qui n'est pas encore inclus dans le grand " \
        'livre : ajoutez la ligne include "mars.beancount" à main.beancount' in one_line(
        nouveau.output
    )  # fmt: skip
    assert "écritures" not in nouveau.output
    inclus = communs("saisir", "depense", "--date", "2026-03-10", "--fichier", "2026.beancount",
                     *options)  # fmt: skip
    assert inclus.exit_code == 0, inclus.output
    assert "✓ écriture ajoutée à 2026.beancount ; grand livre revérifié" in inclus.output
