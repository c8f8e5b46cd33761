"""Donors, tax receipts (CERFA 11580) and membership fees, on a small hand-written ledger.

The ledger (figures computed by hand below):

2025: DURAND-M 150.00 (cheque, 03-05); BOULANGERIE (company) 500.00 (virement, 11-20);
      fees A1 20, A2 20.
2026: DURAND-M 100.00 (02-10) and 50.50 (06-10), a donation in two payments;
      MARTIN-P abandon de frais 84.00 (04-30, no cash); BOULANGERIE don en nature 300.00
      (05-15); an anonymous gift of 20.00 in cash (07-01, no receipt possible);
      fees A1 20, A3 35, A4 10 (named by the payee, no metadata), one fee of 8 without a
      member.
"""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from communs_ledger.dons.abandon import ecriture_abandon_de_frais
from communs_ledger.dons.lettres import montant_en_lettres
from conftest import write_ledger
from navigateur import OBLIGATOIRE

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
CAISSE = "Actif:53-Caisse"
DONS = "Produits:75-Autres-produits:754-Dons:7541-Dons-manuels"
ABANDONS = "Produits:75-Autres-produits:754-Dons:75412-Abandons-de-frais"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
VOYAGES = "Charges:62-Autres-services-exterieurs:625-Deplacements:6251-Voyages"
ACHATS = "Charges:60-Achats:6064-Fournitures-administratives"

LIVRE = f"""\
option "operating_currency" "EUR"
2025-01-01 open {BANQUE} EUR
2025-01-01 open {CAISSE} EUR
2025-01-01 open {DONS}
2025-01-01 open {ABANDONS}
2025-01-01 open {COTISATIONS}
2025-01-01 open {VOYAGES}
2025-01-01 open {ACHATS}
2025-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise

2025-01-10 * "Cotisation"
  adherent: "A1"
  {BANQUE}  20.00 EUR
  {COTISATIONS}

2025-01-11 * "Cotisation"
  adherent: "A2"
  {BANQUE}  20.00 EUR
  {COTISATIONS}

2025-03-05 * "Marie Durand" "Don"
  donateur: "DURAND-M"
  paiement: "cheque"
  {BANQUE}  150.00 EUR
  {DONS}

2025-11-20 * "Boulangerie du Coteau" "Mécénat"
  donateur: "BOULANGERIE"
  paiement: "virement"
  {BANQUE}  500.00 EUR
  {DONS}

2026-01-12 * "Cotisation"
  adherent: "A1"
  {BANQUE}  20.00 EUR
  {COTISATIONS}

2026-01-13 * "Cotisation"
  adherent: "A3"
  {BANQUE}  35.00 EUR
  {COTISATIONS}

2026-01-14 * "Cotisation sans nom"
  {CAISSE}  8.00 EUR
  {COTISATIONS}

2026-02-01 * "Denis Dupuis" "Cotisation 2026"
  {BANQUE}  10.00 EUR
  {COTISATIONS}

2026-02-10 * "Marie Durand" "Don, premier versement"
  donateur: "DURAND-M"
  paiement: "virement"
  {BANQUE}  100.00 EUR
  {DONS}

2026-04-30 * "Pierre Martin" "Abandon de frais : déplacements d'avril"
  donateur: "MARTIN-P"
  nature: "abandon_frais"
  {VOYAGES}  84.00 EUR
  {ABANDONS}

2026-05-15 * "Boulangerie du Coteau" "Viennoiseries de la fête des jardins"
  donateur: "BOULANGERIE"
  nature: "nature"
  valorisation: "120 viennoiseries, au prix de vente public"
  {ACHATS}  300.00 EUR
  {DONS}

2026-06-10 * "Marie Durand" "Don, second versement"
  donateur: "DURAND-M"
  paiement: "virement"
  {BANQUE}  50.50 EUR
  {DONS}

2026-07-01 * "Tronc de la fête"
  {CAISSE}  20.00 EUR
  {DONS}
"""

DONATEURS = """\
donateurs:
  - code: DURAND-M
    nom: Marie Durand
    adresse: "12 rue des Lilas, 91360 Villebrie-sur-Orge"
  - code: BOULANGERIE
    nom: Boulangerie du Coteau SARL
    type: entreprise
    adresse: "3 place du Marché, 91360 Villebrie-sur-Orge"
  - code: MARTIN-P
    nom: Pierre Martin
    adresse: "5 allée des Tilleuls, 91360 Villebrie-sur-Orge"
"""

ADHERENTS = """\
adherents:
  - {code: A1, nom: Alice Aubert}
  - {code: A2, nom: Bruno Bernard}
  - {code: A3, nom: Chloé Colin}
  - {code: A4, nom: Denis Dupuis}
"""

CONFIG = """\
association:
  nom: Les Jardins du Coteau
  adresse: "8 rue du Lavoir, 91360 Villebrie-sur-Orge"
  objet: Créer et animer des jardins partagés
dons:
  donateurs: donateurs.yaml
  adherents: adherents.yaml
"""

FISCAL = """\
recus_fiscaux:
  base: interet_general
  signataire: "Claire Martin, trésorière"
  lieu: Villebrie-sur-Orge
"""


def _dossier(folder: Path, fiscal: str | None = FISCAL, livre: str = LIVRE) -> Path:
    write_ledger(folder, livre, config=CONFIG + (fiscal or ""))
    (folder / "donateurs.yaml").write_text(DONATEURS, encoding="utf-8")
    (folder / "adherents.yaml").write_text(ADHERENTS, encoding="utf-8")
    return folder


def _registre_csv(communs, *args: str) -> list[tuple[str, str, str, str]]:
    """(numéro, donateur, montant, statut) of each receipt of the register, as CSV."""
    result = communs("recus", *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    debut = result.output.index("partie,")  # after the « n reçu(s) émis » message
    lignes = csv.DictReader(io.StringIO(result.output[debut:]))
    return [(r["libelle"], r["donateur"], r["montant"], r["statut"]) for r in lignes]


def _texte_pdf(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_recus_par_don_numeros_stables_entre_exercices(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    recus_2025 = _registre_csv(communs, "-e", "2025", "--date", "2026-01-15")
    # 2025: two gifts in date order → 2025-0001 (Durand 150) and 2025-0002 (Boulangerie 500).
    assert [r[:3] for r in recus_2025] == [
        ("2025-0001", "Marie Durand", "150.00"),
        ("2025-0002", "Boulangerie du Coteau SARL", "500.00"),
    ]
    recus_2026 = _registre_csv(communs, "-e", "2026", "--date", "2026-12-31")
    # 2026 continues the numbering: four gifts with a donor, in date order; the anonymous
    # 20.00 gets none.
    assert [r[:3] for r in recus_2026] == [
        ("2026-0003", "Marie Durand", "100.00"),
        ("2026-0004", "Pierre Martin", "84.00"),
        ("2026-0005", "Boulangerie du Coteau SARL", "300.00"),
        ("2026-0006", "Marie Durand", "50.50"),
    ]
    registre = (ledger_dir / "recus.yaml").read_bytes()
    pdf = ledger_dir / "recus" / "2026" / "recu-2026-0003.pdf"
    avant = pdf.read_bytes()
    # Re-running changes nothing: same numbers, same register, same receipts.
    assert _registre_csv(communs, "-e", "2026", "--date", "2027-01-05") == recus_2026
    assert _registre_csv(communs, "-e", "2025", "--date", "2027-01-05") == recus_2025
    assert (ledger_dir / "recus.yaml").read_bytes() == registre
    assert pdf.read_bytes() == avant
    assert sorted(p.name for p in (ledger_dir / "recus" / "2026").iterdir()) == [
        "recu-2026-0003.pdf",
        "recu-2026-0004.pdf",
        "recu-2026-0005.pdf",
        "recu-2026-0006.pdf",
        "recus-2026.pdf",
    ]
    assert len(PdfReader(ledger_dir / "recus" / "2026" / "recus-2026.pdf").pages) == 4


def test_pdf_porte_toutes_les_mentions(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    assert communs("recus", "-e", "2025", "--date", "2026-01-15").exit_code == 0
    assert communs("recus", "-e", "2026", "--date", "2026-12-31").exit_code == 0
    texte = " ".join(_texte_pdf(ledger_dir / "recus" / "2026" / "recu-2026-0003.pdf").split())
    for mention in (
        "Reçu au titre des dons à certains organismes d'intérêt général",
        "Numéro d'ordre du reçu : 2026-0003",
        "Les Jardins du Coteau",
        "8 rue du Lavoir, 91360 Villebrie-sur-Orge",
        "Créer et animer des jardins partagés",
        "Oeuvre ou organisme d'intérêt général",
        "Marie Durand",
        "12 rue des Lilas, 91360 Villebrie-sur-Orge",
        "article 200 du CGI",
        "***100,00*** euros",
        "cent euros",
        "10/02/2026",
        "Déclaration de don manuel",
        "Numéraire",
        "Virement",
        "Fait à Villebrie-sur-Orge, le 31/12/2026",
        "Claire Martin, trésorière",
        "Signature",
    ):
        assert mention in texte, mention
    abandon = " ".join(_texte_pdf(ledger_dir / "recus" / "2026" / "recu-2026-0004.pdf").split())
    assert "Abandon de frais engagés par un bénévole" in abandon
    assert "***84,00*** euros" in abandon and "quatre-vingt-quatre euros" in abandon
    assert "Sans objet (pas de versement)" in abandon
    nature = " ".join(_texte_pdf(ledger_dir / "recus" / "2026" / "recu-2026-0005.pdf").split())
    assert "article 238 bis du CGI" in nature and "Don en nature" in nature
    assert "120 viennoiseries, au prix de vente public" in nature
    assert "trois cents euros" in nature


def test_recu_annuel_somme_les_dons_du_donateur(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir, FISCAL + "  regroupement: annuel\n")
    recus = _registre_csv(communs, "-e", "2026", "--date", "2027-01-10")
    # One receipt per donor, numbered in the order of each donor's first gift:
    # Durand 100.00 + 50.50 = 150.50; Martin 84.00; Boulangerie 300.00.
    assert [r[:3] for r in recus] == [
        ("2026-0001", "Marie Durand", "150.50"),
        ("2026-0002", "Pierre Martin", "84.00"),
        ("2026-0003", "Boulangerie du Coteau SARL", "300.00"),
    ]
    texte = " ".join(_texte_pdf(ledger_dir / "recus" / "2026" / "recu-2026-0001.pdf").split())
    assert "***150,50*** euros" in texte
    assert "cent cinquante euros et cinquante centimes" in texte
    assert "du 10/02/2026 au 10/06/2026 (2 versements)" in texte
    assert "100,00 euros" in texte and "50,50 euros" in texte


def test_annulation_garde_le_numero(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    communs("recus", "-e", "2025", "--date", "2026-01-15")
    communs("recus", "-e", "2026", "--date", "2026-12-31")
    result = communs(
        "recus", "annuler", "2026-0004", "--motif", "montant erroné", "--date", "2027-01-02"
    )
    assert result.exit_code == 0, result.output
    recus = _registre_csv(communs, "-e", "2026", "--date", "2027-01-03")
    # 2026-0004 stays, cancelled; the gift gets the next number, 2026-0007.
    assert [(r[0], r[2], r[3]) for r in recus] == [
        ("2026-0003", "100.00", "émis"),
        ("2026-0004", "84.00", "annulé le 02/01/2027"),
        ("2026-0005", "300.00", "émis"),
        ("2026-0006", "50.50", "émis"),
        ("2026-0007", "84.00", "émis"),
    ]
    # The cancelled row keeps its donor's kind, like the docs show (« particulier »).
    registre = communs("recus", "-e", "2026", "--format", "csv").output
    lignes = csv.DictReader(io.StringIO(registre[registre.index("partie,") :]))
    types = {r["libelle"]: r["type"] for r in lignes}
    assert types["2026-0004"] == types["2026-0007"] == "particulier"
    again = communs("recus", "annuler", "2026-0004")
    assert again.exit_code == 1 and "déjà annulé" in again.output
    unknown = communs("recus", "annuler", "2026-0099")
    assert unknown.exit_code == 1 and "aucun reçu numéro 2026-0099" in unknown.output


def test_declaration_annuelle(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    communs("recus", "-e", "2026", "--date", "2026-12-31")  # 2026-0001 … 2026-0004
    communs("recus", "annuler", "2026-0004", "--date", "2027-01-02")
    result = communs("recus", "-e", "2026", "--declaration", "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    lignes = {ligne["id"]: ligne for ligne in json.loads(result.output)["parties"][0]["lignes"]}
    # Issued and not cancelled: particuliers 100.00 + 84.00 = 184.00 (2 receipts; 50.50
    # cancelled and not re-issued yet); entreprises 300.00 (1).
    assert lignes["particulier"]["valeurs"] == {"nombre": 2, "montant": "184.00"}
    assert lignes["entreprise"]["valeurs"] == {"nombre": 1, "montant": "300.00"}
    assert lignes["total"]["valeurs"] == {"nombre": 3, "montant": "484.00"}
    # Gifts of 2026: 100 + 84 + 300 + 50.50 + 20 (anonymous) = 554.50; without a receipt
    # issued: 554.50 - 484.00 = 70.50.
    assert "Dons de l'exercice sans reçu émis : 70,50\u00a0€" in result.output
    assert not (ledger_dir / "recus" / "2026" / "recu-2026-0005.pdf").exists()


def test_sans_eligibilite_refuse(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir, fiscal=None)
    result = communs("recus", "-e", "2026")
    assert result.exit_code == 1
    assert "recus_fiscaux:" in result.output and "238 bis" in result.output
    assert not (ledger_dir / "recus.yaml").exists() and not (ledger_dir / "recus").exists()


def test_donateur_inconnu_et_adresse_manquante(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir, livre=LIVRE.replace('"MARTIN-P"', '"MARTIN-X"'))
    (ledger_dir / "donateurs.yaml").write_text(
        DONATEURS.replace('    adresse: "12 rue des Lilas, 91360 Villebrie-sur-Orge"\n', ""),
        encoding="utf-8",
    )
    result = communs("recus", "-e", "2026")
    assert result.exit_code == 1
    sortie = " ".join(result.output.split())
    assert "donateurs.yaml:2: donateur « DURAND-M » (Marie Durand) : adresse manquante" in sortie
    ligne = LIVRE.splitlines().index('  donateur: "MARTIN-P"') + 6  # the entry's header line
    assert f"main.beancount:{ligne}: donateur « MARTIN-X » inconnu" in sortie
    assert not (ledger_dir / "recus.yaml").exists()
    verifier = communs("verifier")
    assert verifier.exit_code == 1
    assert "donateur « MARTIN-X » inconnu" in " ".join(verifier.output.split())


def test_recu_emis_modifie_dans_le_livre(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    communs("recus", "-e", "2026", "--date", "2026-12-31")
    registre = (ledger_dir / "recus.yaml").read_bytes()
    livre = ledger_dir / "main.beancount"
    livre.write_text(livre.read_text().replace("100.00 EUR", "110.00 EUR"), encoding="utf-8")
    result = communs("recus", "-e", "2026")
    assert result.exit_code == 1
    sortie = " ".join(result.output.split())
    assert "reçu 2026-0001 déjà émis pour 100,00 €" in sortie
    assert "le grand livre dit maintenant 110,00 €" in sortie
    assert (ledger_dir / "recus.yaml").read_bytes() == registre


def test_adherents(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    result = communs("adherents", "-e", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    lignes = {x["id"]: x["valeurs"] for x in json.loads(result.output)["parties"][0]["lignes"]}
    # A1 paid 20 in both years; A2 paid 20 in 2025 only; A3 35 in 2026 only; A4 10 (its
    # payee is the member's name); 8 without a member: total 20 + 35 + 10 + 8 = 73.
    assert lignes["A1"]["montant"] == "20.00" and lignes["A1"]["statut"] == "à jour"
    assert lignes["A2"]["montant"] == "0.00" and lignes["A2"]["statut"] == "non renouvelé"
    assert lignes["A2"]["precedent"] == "20.00"
    assert lignes["A3"]["montant"] == "35.00" and lignes["A3"]["date"] == "2026-01-13"
    assert lignes["sans_adherent"]["montant"] == "8.00"
    assert lignes["A4"]["montant"] == "10.00" and lignes["A4"]["date"] == "2026-02-01"
    assert lignes["total"]["montant"] == "73.00"
    assert "Adhérents à jour : 3 ; non renouvelés depuis l'exercice précédent : 1" in result.output


@pytest.mark.parametrize(
    ("montant", "lettres"),
    [
        ("1", "un euro"),
        ("0.50", "cinquante centimes"),
        ("21", "vingt et un euros"),
        ("71", "soixante et onze euros"),
        ("80", "quatre-vingts euros"),
        ("81", "quatre-vingt-un euros"),
        ("99.01", "quatre-vingt-dix-neuf euros et un centime"),
        ("200", "deux cents euros"),
        ("201", "deux cent un euros"),
        ("1000", "mille euros"),
        ("80000", "quatre-vingt mille euros"),
        ("1234.56", "mille deux cent trente-quatre euros et cinquante-six centimes"),
        ("1000000", "un million d'euros"),
        ("2000300", "deux millions trois cents euros"),
    ],
)
def test_montant_en_lettres(montant: str, lettres: str) -> None:
    assert montant_en_lettres(Decimal(montant)) == lettres


def test_ecriture_abandon_de_frais(ledger_dir: Path, communs) -> None:
    texte = ecriture_abandon_de_frais(
        datetime.date(2026, 9, 30),
        "MARTIN-P",
        "Pierre Martin",
        "déplacements de septembre",
        Decimal("42.5"),
        VOYAGES,
        ABANDONS,
    )
    assert texte.splitlines()[:3] == [
        '2026-09-30 * "Pierre Martin" "Abandon de frais : déplacements de septembre"',
        '  donateur: "MARTIN-P"',
        '  nature: "abandon_frais"',
    ]
    _dossier(ledger_dir, livre=LIVRE + "\n" + texte)
    recus = _registre_csv(communs, "-e", "2026", "--date", "2026-12-31")
    assert recus[-1][:3] == ("2026-0005", "Pierre Martin", "42.50")
    assert textwrap.dedent(texte).count("EUR") == 2


def test_don_retire_apres_son_recu(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    communs("recus", "-e", "2025", "--date", "2026-01-15")  # 2025-0001 Durand, 2025-0002
    livre = ledger_dir / "main.beancount"
    texte = livre.read_text(encoding="utf-8")
    debut = texte.index('2025-11-20 * "Boulangerie du Coteau"')
    fin = texte.index("2026-01-12")
    livre.write_text(texte[:debut] + texte[fin:], encoding="utf-8")
    result = communs("recus", "-e", "2025")
    assert result.exit_code == 1
    sortie = " ".join(result.output.split())
    # Line 10 of recus.yaml: the « numero » of the second receipt (lines 1-3: two comments
    # and « recus: »; lines 4-9: the first receipt's six keys).
    assert "recus.yaml:10: reçu 2025-0002 déjà émis (500,00 €, BOULANGERIE)" in sortie
    assert "ne sont plus dans le grand livre" in sortie


def test_recu_annuel_puis_don_tardif(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir, FISCAL + "  regroupement: annuel\n")
    communs("recus", "-e", "2026", "--date", "2026-11-30")
    tardif = (
        '2026-12-20 * "Marie Durand" "Don de fin d\'année"\n  donateur: "DURAND-M"\n'
        f'  paiement: "carte"\n  {BANQUE}  30.00 EUR\n  {DONS}\n'
    )
    livre = ledger_dir / "main.beancount"
    livre.write_text(livre.read_text(encoding="utf-8") + "\n" + tardif, encoding="utf-8")
    result = communs("recus", "-e", "2026")
    assert result.exit_code == 1
    # Durand's annual receipt was 150.50; the ledger now says 150.50 + 30.00 = 180.50.
    sortie = " ".join(result.output.split())
    assert "reçu 2026-0001 déjà émis pour 150,50 € (DURAND-M)" in sortie
    assert "maintenant 180,50 €" in sortie
    assert communs("recus", "annuler", "2026-0001", "--date", "2027-01-03").exit_code == 0
    recus = _registre_csv(communs, "-e", "2026", "--date", "2027-01-03")
    assert recus[-1] == ("2026-0004", "Marie Durand", "180.50", "émis")


def test_verifier_signale_l_adresse_manquante(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    (ledger_dir / "donateurs.yaml").write_text(
        DONATEURS.replace('    adresse: "5 allée des Tilleuls, 91360 Villebrie-sur-Orge"\n', ""),
        encoding="utf-8",
    )
    result = communs("verifier")
    assert result.exit_code == 1
    # MARTIN-P is the third donor: line 1 « donateurs: », DURAND-M lines 2-4 (its address
    # is line 4), BOULANGERIE lines 5-8; MARTIN-P's « code » is line 9.
    assert "donateurs.yaml:9: donateur « MARTIN-P » (Pierre Martin) : adresse manquante" in (
        " ".join(result.output.split())
    )


def test_registre_en_xlsx(ledger_dir: Path, communs) -> None:
    from openpyxl import load_workbook

    _dossier(ledger_dir)
    result = communs(
        "recus",
        "-e",
        "2026",
        "--date",
        "2026-12-31",
        "--format",
        "xlsx",
        "--sortie",
        str(ledger_dir / "registre-2026.xlsx"),
    )
    assert result.exit_code == 0, result.output
    feuille = load_workbook(ledger_dir / "registre-2026.xlsx").active
    valeurs = [cell for row in feuille.iter_rows(values_only=True) for cell in row]
    assert "2026-0004" in valeurs and "Boulangerie du Coteau SARL" in valeurs
    assert 50.5 in valeurs


@pytest.mark.skipif(
    shutil.which("pdftotext") is None and not OBLIGATOIRE,
    reason="pdftotext absent : installez le paquet Debian « poppler-utils » (.ci/run le fait)",
)
def test_pdf_lu_par_pdftotext_comme_une_personne(ledger_dir: Path, communs) -> None:
    """The receipts as poppler extracts them (what a reader's PDF viewer shows, in
    reading order): every mandatory mention of the CERFA 11580 model."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext absent alors que .ci/run exige poppler-utils")
    _dossier(ledger_dir)
    assert communs("recus", "-e", "2025", "--date", "2026-01-15").exit_code == 0
    assert communs("recus", "-e", "2026", "--date", "2026-12-31").exit_code == 0

    def texte(numero: str) -> str:
        pdf = ledger_dir / "recus" / "2026" / f"recu-{numero}.pdf"
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        return " ".join(done.stdout.split())

    communes = (
        "Reçu au titre des dons à certains organismes d'intérêt général",  # the object
        "Les Jardins du Coteau",  # the association
        "8 rue du Lavoir, 91360 Villebrie-sur-Orge",
        "Créer et animer des jardins partagés",  # its object
        "intérêt général",  # its category
        "Claire Martin, trésorière",  # the signature block
        "Signature",
        "Fait à Villebrie-sur-Orge, le 31/12/2026",
    )
    # 2026-0003: Marie Durand, 100,00 by transfer on 10/02/2026, an individual (art. 200)
    durand = texte("2026-0003")
    for mention in (
        *communes,
        "2026-0003",  # the order number
        "Marie Durand",
        "12 rue des Lilas, 91360 Villebrie-sur-Orge",
        "article 200 du CGI",
        "***100,00***",
        "cent euros",
        "10/02/2026",
        "Déclaration de don manuel",  # the form
        "Numéraire",  # the nature
        "Virement",  # the method of payment
    ):
        assert mention in durand, mention
    assert "article 238 bis du CGI" not in durand
    # 2026-0004: Pierre Martin's abandon de frais, 84,00, no payment
    martin = texte("2026-0004")
    for mention in (
        *communes,
        "2026-0004",
        "Pierre Martin",
        "article 200 du CGI",
        "***84,00***",
        "quatre-vingt-quatre euros",
        "30/04/2026",
        "Abandon de frais engagés par un bénévole",
        "Sans objet (pas de versement)",
    ):
        assert mention in martin, mention
    # 2026-0005: the bakery, a company (art. 238 bis), don en nature valued 300,00
    boulangerie = texte("2026-0005")
    for mention in (
        *communes,
        "2026-0005",
        "Boulangerie du Coteau SARL",
        "3 place du Marché, 91360 Villebrie-sur-Orge",
        "article 238 bis du CGI",
        "***300,00***",
        "trois cents euros",
        "15/05/2026",
        "Don en nature",
        "120 viennoiseries, au prix de vente public",
    ):
        assert mention in boulangerie, mention
    assert "article 200 du CGI" not in boulangerie


def _fichiers(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and "cache" not in p.name}


def _ligne_de(texte: str) -> int:
    """The line of ``texte`` (an entry's first line) in the main file of :func:`_dossier`."""
    from conftest import FIRST_BODY_LINE

    return LIVRE.splitlines().index(texte) + FIRST_BODY_LINE


@pytest.mark.parametrize(
    "cas", ["donateur_inconnu", "sans_adresse", "non_eligible", "recu_modifie"]
)
def test_mauvaise_entree_erreur_situee_et_rien_d_ecrit(ledger_dir: Path, communs, cas: str) -> None:
    """Each bad input the issue names: a French error naming the file and line, exit 1,
    not a file of the folder written or changed (no PDF, no register)."""
    livre, donateurs, fiscal = LIVRE, DONATEURS, FISCAL
    if cas == "donateur_inconnu":
        livre = LIVRE.replace('"MARTIN-P"', '"MARTIN-X"')
        entete = '2026-04-30 * "Pierre Martin" "Abandon de frais : déplacements d\'avril"'
        attendu = (
            f"main.beancount:{_ligne_de(entete)}: "
            "donateur « MARTIN-X » inconnu : absent du registre des donateurs"
        )
    elif cas == "sans_adresse":
        donateurs = DONATEURS.replace(
            '    adresse: "12 rue des Lilas, 91360 Villebrie-sur-Orge"\n', ""
        )
        # line 2 of donateurs.yaml: Marie Durand's « code »
        attendu = "donateurs.yaml:2: donateur « DURAND-M » (Marie Durand) : adresse manquante"
    elif cas == "non_eligible":
        fiscal = None  # no file or line to name: the section is missing from communs.yaml
        attendu = "ajoutez à communs.yaml une section « recus_fiscaux: »"
    else:
        entete = '2026-02-10 * "Marie Durand" "Don, premier versement"'
        attendu = (
            f"main.beancount:{_ligne_de(entete)}: "
            "reçu 2026-0001 déjà émis pour 100,00 € (DURAND-M) : le grand livre dit "
            "maintenant 110,00 €"
        )
    write_ledger(ledger_dir, livre, config=CONFIG + (fiscal or ""))
    (ledger_dir / "donateurs.yaml").write_text(donateurs, encoding="utf-8")
    (ledger_dir / "adherents.yaml").write_text(ADHERENTS, encoding="utf-8")
    if cas == "recu_modifie":  # 2026-0001 … 2026-0004 issued, then the first gift edited
        assert communs("recus", "-e", "2026", "--date", "2026-12-31").exit_code == 0
        main = ledger_dir / "main.beancount"
        main.write_text(main.read_text().replace("100.00 EUR", "110.00 EUR"), encoding="utf-8")
    avant = _fichiers(ledger_dir)
    result = communs("recus", "-e", "2026", "--date", "2027-01-10")
    assert result.exit_code == 1
    assert attendu in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert _fichiers(ledger_dir) == avant


def test_saisir_un_don_une_cotisation_et_un_abandon_de_frais(ledger_dir: Path, communs) -> None:
    """``communs saisir`` writes ``donateur:`` (found by name), ``paiement:``,
    ``adherent:`` and the abandon de frais; the receipts read them."""
    _dossier(ledger_dir)
    main = ledger_dir / "main.beancount"
    result = communs(
        "saisir", "recette", "--date", "2026-10-05", "--compte", "7541", "--montant", "75",
        "--donateur", "DURAND marie", "--paiement", "cheque", "--tiers", "Marie Durand",
        "--libelle", "Don", "--fichier", "main.beancount", "--oui",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    texte = main.read_text(encoding="utf-8")
    assert '2026-10-05 * "Marie Durand" "Don"\n  donateur: "DURAND-M"\n  paiement: "cheque"\n' in (
        texte
    )
    result = communs(
        "saisir", "abandon-de-frais", "--date", "2026-10-31", "--compte", "6251",
        "--montant", "42,50", "--donateur", "MARTIN-P", "--tiers", "Pierre Martin",
        "--libelle", "Abandon de frais : déplacements d'octobre", "--fichier",
        "main.beancount", "--oui",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    texte = main.read_text(encoding="utf-8")
    abandon = texte[texte.index("2026-10-31 *") :]
    assert abandon.splitlines()[1:3] == ['  donateur: "MARTIN-P"', '  nature: "abandon_frais"']
    assert f"{VOYAGES}" in abandon and f"{ABANDONS}" in abandon  # charge and gift (75412)
    result = communs(
        "saisir", "recette", "--date", "2026-10-06", "--compte", "756", "--montant", "20",
        "--adherent", "Bruno Bernard", "--fichier", "main.beancount", "--oui",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '  adherent: "A2"\n' in main.read_text(encoding="utf-8")
    # The receipts: the four gifts of test_recus_par_don… then 75,00 (10-05) and 42,50
    # (10-31), numbered from 2026-0001 as 2025 has none issued here.
    recus = _registre_csv(communs, "-e", "2026", "--date", "2026-12-31")
    assert [r[:3] for r in recus[-2:]] == [
        ("2026-0005", "Marie Durand", "75.00"),
        ("2026-0006", "Pierre Martin", "42.50"),
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ("recette", "--compte", "7541", "--donateur", "Paul Legrand"),
            "--donateur : « Paul Legrand » inconnu (absent de donateurs.yaml)",
        ),
        (
            ("recette", "--compte", "756", "--donateur", "DURAND-M"),
            "--donateur : réservé à un don, au crédit d'un compte 754",
        ),
        (
            ("abandon-de-frais", "--compte", "6251"),
            "Bénévole qui renonce au remboursement (code ou nom du donateur)",
        ),
        (
            ("recette", "--compte", "7541", "--donateur", "DURAND-M", "--paiement", "bitcoin"),
            "mode de versement « bitcoin » inconnu",
        ),
    ],
)
def test_saisir_un_don_refuse(ledger_dir: Path, communs, options, message: str) -> None:
    _dossier(ledger_dir)
    avant = _fichiers(ledger_dir)
    result = communs(
        "saisir", *options, "--date", "2026-10-05", "--montant", "10", "--fichier",
        "main.beancount", "--oui",
    )  # fmt: skip
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())
    assert _fichiers(ledger_dir) == avant


def test_recu_annuel_detail_dit_le_mode_de_chaque_versement(ledger_dir: Path, communs) -> None:
    # Pierre Martin: the abandon de frais of 84.00 (no payment) and a gift of 16.00 with no
    # mode of payment: one summary receipt of 84 + 16 = 100.00, whose detail says « Sans
    # objet » and « Non précisé », like the « Mode de versement » line, not « - ».
    don = f"""
2026-09-01 * "Pierre Martin" "Don"
  donateur: "MARTIN-P"
  {BANQUE}  16.00 EUR
  {DONS}
"""
    _dossier(ledger_dir, FISCAL + "  regroupement: annuel\n", livre=LIVRE + don)
    recus = _registre_csv(communs, "-e", "2026", "--date", "2027-01-10")
    assert recus[1][:3] == ("2026-0002", "Pierre Martin", "100.00")
    texte = " ".join(_texte_pdf(ledger_dir / "recus" / "2026" / "recu-2026-0002.pdf").split())
    assert "***100,00*** euros" in texte and "cent euros" in texte
    assert "84,00 euros - Abandon de frais engagés par un bénévole - Sans objet" in texte
    assert "16,00 euros - Numéraire - Non précisé" in texte
    assert " - -" not in texte


def test_recus_emis_au_singulier_et_au_pluriel(ledger_dir: Path, communs) -> None:
    """2025 has two gifts (Durand 150, Boulangerie 500): « 2 reçus émis »; Durand's has
    no « paiement: », hence « 1 don … : son reçu ». Cancelling 2025-0001 and emitting
    again gives one receipt: « 1 reçu émis »."""
    _dossier(ledger_dir, livre=LIVRE.replace('  paiement: "cheque"\n', "", 1))
    result = communs("recus", "-e", "2025", "--date", "2026-01-15")
    assert result.exit_code == 0, result.output
    sortie = " ".join(result.output.split())
    assert "2 reçus émis (2025-0001 à 2025-0002)" in sortie
    assert "1 don en numéraire sans mode de versement" in sortie
    assert "prelevement) : son reçu porte « Non précisé »" in sortie
    assert "(s)" not in sortie
    assert communs("recus", "annuler", "2025-0001", "--date", "2026-01-20").exit_code == 0
    again = " ".join(communs("recus", "-e", "2025", "--date", "2026-01-20").output.split())
    assert "1 reçu émis (" in again and "(s)" not in again


def test_recu_annuel_exercice_decale_un_recu_par_annee_civile(ledger_dir: Path, communs) -> None:
    """July-June exercice: the donor's tax reduction is for the calendar year of the payment
    (article 200 du CGI), so a yearly receipt never mixes two calendar years."""
    decale = CONFIG + 'exercice:\n  debut: "01-07"\n'
    # No 53 cash account: 53 is a title in the 2018 chart of 2024-2025 (opened 2024-07-01).
    livre = LIVRE.replace(f"2025-01-01 open {CAISSE} EUR\n", "").replace(CAISSE, BANQUE)
    write_ledger(ledger_dir, livre, config=decale + FISCAL + "  regroupement: annuel\n")
    (ledger_dir / "donateurs.yaml").write_text(DONATEURS, encoding="utf-8")
    (ledger_dir / "adherents.yaml").write_text(ADHERENTS, encoding="utf-8")
    # In January 2026, only the receipts of the 2025 gifts (the donor's tax year just ended);
    # those of 2026 wait for the end of the exercice (30/06/2026).
    janvier = communs("recus", "-e", "2025-2026", "--date", "2026-01-10")
    assert janvier.exit_code == 0, janvier.output
    sortie = " ".join(janvier.output.split())
    assert "3 reçus annuels des dons de 2026 : à émettre après le 30/06/2026" in sortie
    assert "1 reçu émis (2025-2026-0001)" in sortie
    assert "ont tous leur reçu" not in sortie
    recus = _registre_csv(communs, "-e", "2025-2026", "--date", "2026-07-10")
    # Gifts of 2025-07-01..2026-06-30, by hand: Boulangerie 500.00 (2025-11-20) and 300.00
    # (2026-05-15, in kind); Durand 100.00 + 50.50 = 150.50 (2026); Martin 84.00 (2026).
    # Before: one receipt of 800.00 for the Boulangerie, over 2025 and 2026. After: one per
    # calendar year, numbered in the order of each one's first gift.
    assert [r[:3] for r in recus] == [
        ("2025-2026-0001", "Boulangerie du Coteau SARL", "500.00"),
        ("2025-2026-0002", "Marie Durand", "150.50"),
        ("2025-2026-0003", "Pierre Martin", "84.00"),
        ("2025-2026-0004", "Boulangerie du Coteau SARL", "300.00"),
    ]
    # Running again issues nothing: the keys are stable.
    again = communs("recus", "-e", "2025-2026", "--date", "2026-07-11")
    assert again.exit_code == 0 and "Aucun nouveau reçu" in again.output
