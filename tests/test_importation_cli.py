"""``communs importer`` end to end: real statements, real ledger, real loader, the CLI.

The ledger (:func:`ecrire_livre`) opens a bank account with 10 000,00 € on
2 January 2026 and has one payment typed by hand, the Urssaf of 2 March
(1 234,56 €). The statements of tests/donnees/releves/ hold that payment,
a regional subsidy of 2 500,00 €, an EDF direct debit of 45,90 € (no rule:
suspense account) and, in the OFX, a cheque of 120,00 €.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import HEADER, ROOT, one_line

RELEVES = ROOT / "tests" / "donnees" / "releves"
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
ATTENTE = "Actif:47-Attente:471-Compte-d-attente"
REGION = "Actif:44-Etat:441-Subventions-a-recevoir:Region"

Communs = Callable[..., Any]

COMPTES = f"""\
2026-01-01 open {BANQUE} EUR
2026-01-01 open Actif:51-Banques:512-Banques:Livret EUR
2026-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise
2026-01-01 open {REGION}
2026-01-01 open Actif:44-Etat:441-Subventions-a-recevoir:Departement
2026-01-01 open Passif:43-Organismes-sociaux:431-Urssaf
2026-01-01 open Charges:60-Achats:6061-Eau-energie
2026-01-01 open Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region
"""
EXERCICE = f"""\
2026-01-02 * "Apport" "Fonds propres de l'association"
  {BANQUE}  10000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise

2026-02-10 * "Région Île-de-France" "Notification de la subvention jardins 2026"
  {REGION}  2500.00 EUR
  Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region

2026-03-02 * "Urssaf" "Cotisations de février"
  Passif:43-Organismes-sociaux:431-Urssaf  1234.56 EUR
  {BANQUE}
"""
REGLES = """\
regles:
  - nom: Urssaf
    motif: urssaf
    sens: débit
    compte: "431"
    tiers: Urssaf Île-de-France
    libelle: Cotisations sociales de {mois_precedent}
  - nom: Région
    regex: 'R[EÉ]GION (?P<region>[A-ZÉÎ-]+)'
    sens: crédit
    compte: 441-Subventions-a-recevoir:Region
    tiers: Région {region}
    libelle: Subvention jardins – versement
    convention: REG-JARDINS-{annee}
    projet: JARDINS
"""
CONFIG = f"""\
association:
  nom: Les Amis du Lavoir
projets:
  - code: JARDINS
    nom: Jardins partagés
importation:
  regles: regles.yaml
  compte: {BANQUE}
"""


def ecrire_livre(folder: Path, config: str = CONFIG, regles: str | None = REGLES) -> Path:
    """The test ledger: main file, accounts, exercice 2026, config, rules, statements."""
    folder.mkdir(parents=True, exist_ok=True)
    main = folder / "main.beancount"
    main.write_text(
        HEADER
        + 'option "title" "Les Amis du Lavoir"\noption "operating_currency" "EUR"\n\n'
        + 'include "comptes.beancount"\ninclude "2026.beancount"\n',
        encoding="utf-8",
    )
    (folder / "comptes.beancount").write_text(HEADER + COMPTES, encoding="utf-8")
    (folder / "2026.beancount").write_text(HEADER + EXERCICE, encoding="utf-8")
    (folder / "communs.yaml").write_text(config, encoding="utf-8")
    if regles is not None:
        (folder / "regles.yaml").write_text(regles, encoding="utf-8")
    shutil.copytree(RELEVES, folder / "releves")
    return main


@pytest.fixture
def livre(ledger_dir: Path) -> Path:
    return ecrire_livre(ledger_dir)


def ajoute(folder: Path, before: str) -> str:
    """What the import appended to 2026.beancount."""
    text = (folder / "2026.beancount").read_text(encoding="utf-8")
    assert text.startswith(before)
    return text[len(before) :]


# --- Preview and writing ---------------------------------------------------------------------

APERCU_CREDIT_MUTUEL = f"""\
; Relevé credit-mutuel.csv (profil Crédit Mutuel / CIC) importé par « communs importer » :
; 2 écritures, dont 1 à revoir (compte d'attente, drapeau !)

; Compte d'attente des opérations à revoir (ouvert par communs importer)
2026-01-01 open {ATTENTE}

2026-03-03 * "Région ÎLE-DE-FRANCE" "Subvention jardins – versement"
  projet: "JARDINS"
  convention: "REG-JARDINS-2026"
  libelle_banque: "VIR SEPA RECU /DE LA RÉGION ÎLE-DE-FRANCE /MOTIF ACOMPTE"
  {BANQUE}           2500.00 EUR
  {REGION}      -2500.00 EUR

; À revoir : ligne 4 du relevé, aucune règle ne la reconnaît : imputez-la au bon compte
2026-03-05 ! "PRLV SEPA EDF CLIENT 12345 : 45,90 €"
  a_revoir: "aucune règle d'import ne reconnaît cette opération"
  libelle_banque: "PRLV SEPA EDF CLIENT 12345 : 45,90 €"
  {BANQUE}            -45.90 EUR
  {ATTENTE}                   45.90 EUR

; Solde du relevé au 5 mars 2026 au soir (colonne Solde)
2026-03-06 balance {BANQUE}        11219.54 EUR
"""


def test_apercu(livre: Path, communs: Communs) -> None:
    before = (livre.parent / "2026.beancount").read_bytes()
    result = communs("importer", "releves/credit-mutuel.csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == APERCU_CREDIT_MUTUEL
    assert (livre.parent / "2026.beancount").read_bytes() == before
    assert result.stderr.splitlines() == [
        "Relevé releves/credit-mutuel.csv : profil credit-mutuel-cic « Crédit Mutuel / CIC » "
        "(reconnu à l'en-tête), encodage iso-8859-15",
        f"Compte bancaire : {BANQUE}",
        "",
        "  Lignes lues                            3",
        "  Écritures à ajouter                    2",
        "  Doublons ignorés                       1",
        "  À revoir (compte d'attente)            1",
        "  Contrôle de solde                 ajouté au 6 mars 2026 : 11\u202f219,54\u00a0€",
        "",
        "1 doublon ignoré (déjà dans le grand livre) :",
        "  ligne 2, 02/03/2026, -1\u202f234,56\u00a0€ « PRLV SEPA URSSAF » → 2026.beancount:15 "
        "(saisie à la main, libellé proche)",
        "",
        f"À revoir, imputées au compte d'attente {ATTENTE} :",
        "  ligne 4, 05/03/2026, -45,90\u00a0€ « PRLV SEPA EDF CLIENT 12345 : 45,90 € »",
        "",
        "Aperçu seulement : rien n'est écrit. Ajoutez --ecrire FICHIER (ex. --ecrire "
        "2026.beancount) pour ajouter ces écritures au grand livre.",
    ]


def test_ecrire_puis_reimporter(livre: Path, communs: Communs) -> None:
    folder = livre.parent
    before = (folder / "2026.beancount").read_text(encoding="utf-8")
    result = communs("importer", "releves/credit-mutuel.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert one_line(result.stderr).endswith(
        "✓ 2 écritures ajoutées et un contrôle de solde à 2026.beancount ; grand livre "
        "revérifié : aucune nouvelle erreur."
    )
    assert ajoute(folder, before) == "\n" + APERCU_CREDIT_MUTUEL
    verifier = communs("verifier")
    assert verifier.exit_code == 0, verifier.output
    # 10 000,00 − 1 234,56 + 2 500,00 − 45,90 = 11 219,54 : the balance assertion holds
    after = (folder / "2026.beancount").read_bytes()

    again = communs("importer", "releves/credit-mutuel.csv", "--ecrire", "2026.beancount")
    assert again.exit_code == 0, again.output
    assert (folder / "2026.beancount").read_bytes() == after
    lines = again.stderr.splitlines()
    assert "  Écritures à ajouter                    0" in lines
    assert "  Doublons ignorés                       3" in lines
    assert "  Contrôle de solde                 non ajouté : déjà présent dans le grand livre" in (
        lines
    )
    assert lines[-1] == (
        "✓ Rien à ajouter : toutes les opérations du relevé sont déjà dans le grand livre."
    )
    assert [line.split(" → ")[1] for line in lines if " → " in line] == [
        "2026.beancount:15 (saisie à la main, libellé proche)",
        "2026.beancount:25 (même libellé bancaire)",
        "2026.beancount:33 (même libellé bancaire)",
    ]


def test_releves_qui_se_chevauchent(livre: Path, communs: Communs) -> None:
    """CSV first, then the OFX of the same account over a longer period, then both again."""
    folder = livre.parent
    csv = communs("importer", "releves/credit-mutuel.csv", "--ecrire", "2026.beancount")
    assert csv.exit_code == 0, csv.output
    before = (folder / "2026.beancount").read_text(encoding="utf-8")
    ofx = communs("importer", "releves/releve-ofx1.ofx", "--ecrire", "2026.beancount")
    assert ofx.exit_code == 0, ofx.output
    # only the cheque of 6 March is new; the balance 11 219,54 − 120,00 = 11 099,54 holds
    assert ajoute(folder, before) == textwrap.dedent(
        f"""
        ; Relevé releve-ofx1.ofx (OFX) importé par « communs importer » :
        ; 1 écriture, dont 1 à revoir (compte d'attente, drapeau !)

        ; À revoir : ligne 65 du relevé, aucune règle ne la reconnaît : imputez-la au bon compte
        2026-03-06 ! "CHEQUE n° 8012345"
          a_revoir: "aucune règle d'import ne reconnaît cette opération"
          fitid: "0A1B2C3D51"
          libelle_banque: "CHEQUE n° 8012345"
          {BANQUE}       -120.00 EUR
          {ATTENTE}              120.00 EUR

        ; Solde du relevé au 11 mars 2026 au soir (LEDGERBAL)
        2026-03-12 balance {BANQUE}      11099.54 EUR
        """
    )
    reasons = [line.rsplit("(", 1)[1] for line in ofx.stderr.splitlines() if "→" in line]
    assert reasons == [
        "saisie à la main, libellé proche)",
        "libellé bancaire proche)",
        "libellé bancaire proche)",
    ]
    assert communs("verifier").exit_code == 0
    after = (folder / "2026.beancount").read_bytes()
    for name in ("releves/releve-ofx1.ofx", "releves/credit-mutuel.csv"):
        again = communs("importer", name, "--ecrire", "2026.beancount")
        assert again.exit_code == 0, again.output
        assert "Rien à ajouter" in again.stderr
    assert (folder / "2026.beancount").read_bytes() == after


def test_deux_operations_identiques(livre: Path, communs: Communs) -> None:
    """Two identical lines (no reference) are two operations, on each import."""
    folder = livre.parent
    (folder / "releves" / "double.csv").write_text(
        "Date;Date de valeur;Montant;Libellé;Solde\n"
        "10/03/2026;10/03/2026;-4,00;FRAIS ENVOI CHEQUIER;8761,44\n"
        "10/03/2026;10/03/2026;-4,00;FRAIS ENVOI CHEQUIER;8757,44\n",
        encoding="iso-8859-15",
    )
    first = communs("importer", "releves/double.csv", "--ecrire", "2026.beancount")
    assert first.exit_code == 0, first.output
    lines = first.stderr.splitlines()
    assert "  Écritures à ajouter                    2" in lines
    # 10 000,00 − 1 234,56 (Urssaf) − 4,00 − 4,00 = 8 757,44: the last balance holds
    assert (
        "  Contrôle de solde                 ajouté au 11 mars 2026 : 8\u202f757,44\u00a0€"
    ) in lines
    again = communs("importer", "releves/double.csv", "--ecrire", "2026.beancount")
    assert "  Doublons ignorés                       2" in again.stderr.splitlines()
    assert communs("verifier").exit_code == 0


def test_ecart_de_solde_signale(livre: Path, communs: Communs) -> None:
    folder = livre.parent
    (folder / "releves" / "ecart.csv").write_text(
        "Date;Date de valeur;Montant;Libellé;Solde\n"
        "10/03/2026;10/03/2026;-4,00;FRAIS ENVOI CHEQUIER;8800,00\n",
        encoding="iso-8859-15",
    )
    result = communs("importer", "releves/ecart.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    assert (
        "  Contrôle de solde                 non ajouté : solde du relevé 8\u202f800,00\u00a0€, "
        "solde du grand livre 8\u202f761,44\u00a0€ : écart de 38,56\u00a0€ à rapprocher"
    ) in result.stderr.splitlines()
    assert "balance" not in (folder / "2026.beancount").read_text(encoding="utf-8")
    assert communs("verifier").exit_code == 0


def test_compte_attente_deja_ouvert(ledger_dir: Path, communs: Communs) -> None:
    main = ecrire_livre(ledger_dir)
    comptes = main.parent / "comptes.beancount"
    comptes.write_text(
        comptes.read_text(encoding="utf-8") + "2026-01-01 open Actif:47-Attente:4711-A-classer\n",
        encoding="utf-8",
    )
    result = communs("importer", "releves/credit-mutuel.csv")
    assert result.exit_code == 0, result.output
    assert "open" not in result.stdout
    assert "  Actif:47-Attente:4711-A-classer  " in result.stdout


def test_paheko_controle_de_solde(ledger_dir: Path, communs: Communs) -> None:
    """A Paheko journal with a balance column: a balance assertion after its last day."""
    ecrire_livre(ledger_dir)
    (ledger_dir / "2026.beancount").write_text(
        HEADER
        + '2026-01-02 * "Apport"\n'
        + f"  {BANQUE}  1000.00 EUR\n"
        + "  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise\n",
        encoding="utf-8",
    )
    result = communs("importer", "releves/paheko.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    text = (ledger_dir / "2026.beancount").read_text(encoding="utf-8")
    # 1 000,00 + 30,00 − 57,35 + 150,00 = 1 122,65 at the start of 10 March
    assert text.endswith(
        "; Solde du relevé au 9 mars 2026 au soir (colonne Solde)\n"
        f"2026-03-10 balance {BANQUE}       1122.65 EUR\n"
    )
    assert 'ref_banque: "P-102"' in text
    assert communs("verifier").exit_code == 0


@pytest.mark.parametrize(
    ("name", "profil"),
    [
        ("credit-cooperatif.csv", None),
        ("caisse-epargne.csv", "caisse-epargne"),
        ("banque-postale.csv", None),
        ("credit-agricole.csv", None),
        ("societe-generale.csv", None),
        ("bnp-paribas.csv", None),
        ("cic-montant.csv", None),
        ("releve-ofx2.ofx", None),
    ],
)
def test_chaque_banque_s_importe(
    livre: Path, communs: Communs, name: str, profil: str | None
) -> None:
    args = ["importer", f"releves/{name}", "--ecrire", "2026.beancount"]
    if profil:
        args += ["--profil", profil]
    result = communs(*args)
    assert result.exit_code == 0, result.output
    assert communs("verifier").exit_code == 0
    again = communs(*args)
    assert "Rien à ajouter" in again.stderr


# --- Bad input ------------------------------------------------------------------------------


def _erreur(result: Any) -> str:
    return one_line(result.stderr)


def test_format_inconnu(livre: Path, communs: Communs) -> None:
    (livre.parent / "releves" / "inconnu.csv").write_text(
        "Jour;Texte;Valeur\n02/03/2026;Achat;-3,00\n", encoding="utf-8"
    )
    before = (livre.parent / "2026.beancount").read_bytes()
    result = communs("importer", "releves/inconnu.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 1
    assert _erreur(result).startswith(
        "Erreur : releves/inconnu.csv : format de relevé inconnu : aucun profil bancaire ne "
        "reconnaît son en-tête première ligne : « Jour;Texte;Valeur » profils connus : "
        "credit-cooperatif, caisse-epargne, la-nef,"
    )
    assert _erreur(result).endswith(
        "indiquez le profil de votre banque avec --profil NOM, ou décrivez ses colonnes dans "
        "votre fichier de profils (importation: profils, dans communs.yaml)"
    )
    assert (livre.parent / "2026.beancount").read_bytes() == before


def test_pdf(livre: Path, communs: Communs) -> None:
    (livre.parent / "releves" / "releve.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\n")
    result = communs("importer", "releves/releve.pdf")
    assert result.exit_code == 1
    assert _erreur(result) == (
        "Erreur : releves/releve.pdf : relevé PDF illisible : exportez vos opérations en CSV "
        "ou en OFX depuis votre banque en ligne"
    )


def test_mauvais_encodage(livre: Path, communs: Communs) -> None:
    """A Windows-1252 file with the columns of the (UTF-8) Paheko profile."""
    (livre.parent / "releves" / "journal.csv").write_bytes(
        "Date;N° pièce;Libellé;Débit;Crédit;Solde\n01/03/2026;P-1;Adhésion;;30,00;1030,00\n".encode(
            "cp1252"
        )
    )
    result = communs("importer", "releves/journal.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 1
    assert _erreur(result) == (
        "Erreur : releves/journal.csv, ligne 1 : caractères illisibles en utf-8 (encodage du "
        "profil « paheko ») : ce relevé vient-il d'une autre banque ? Indiquez son profil "
        "avec --profil NOM"
    )


def test_octets_illisibles_dans_l_encodage_du_profil(livre: Path, communs: Communs) -> None:
    """Byte 0x81 has no character in Windows-1252 (Crédit Agricole's encoding)."""
    (livre.parent / "releves" / "abime.csv").write_bytes(
        b"Date;Libell\xe9;D\xe9bit euros;Cr\xe9dit euros;\r\n"
        b"02/03/2026;ACHAT;3,00;;\r\n"
        b"03/03/2026;ACHAT \x81;3,00;;\r\n"
    )
    result = communs("importer", "releves/abime.csv")
    assert result.exit_code == 1
    assert _erreur(result) == (
        "Erreur : releves/abime.csv, ligne 3 : caractères illisibles en windows-1252 (encodage "
        "du profil « credit-agricole ») : ce relevé vient-il d'une autre banque ? "
        "Indiquez son profil avec --profil NOM"
    )


def test_en_tete_du_profil_impose_introuvable(livre: Path, communs: Communs) -> None:
    result = communs("importer", "releves/credit-mutuel.csv", "--profil", "societe-generale")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Erreur : releves/credit-mutuel.csv : en-tête du profil « societe-generale » introuvable",
        "  colonnes attendues : Date de l'opération, Détail de l'écriture, Montant de l'opération",
        "  première ligne : « Date;Date de valeur;Débit;Crédit;Libellé;Solde »",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "31/11/2026;31/11/2026;-3,00;ACHAT;97,00",
            "releves/ligne.csv, ligne 3 : date « 31/11/2026 » illisible "
            "(format attendu : JJ/MM/AAAA)",
        ),
        (
            "02/03/2026;02/03/2026;-3,0,0;ACHAT;97,00",
            "releves/ligne.csv, ligne 3 : montant « -3,0,0 » illisible",
        ),
        (
            ";02/03/2026;-3,00;ACHAT;97,00",
            "releves/ligne.csv, ligne 3 : date manquante",
        ),
        (
            "02/03/2026;02/03/2026;;ACHAT;97,00",
            "releves/ligne.csv, ligne 3 : montant manquant",
        ),
    ],
)
def test_ligne_illisible(livre: Path, communs: Communs, line: str, message: str) -> None:
    (livre.parent / "releves" / "ligne.csv").write_text(
        f"Date;Date de valeur;Montant;Libellé;Solde\n01/03/2026;01/03/2026;1,00;A;100,00\n{line}\n",
        encoding="iso-8859-15",
    )
    before = (livre.parent / "2026.beancount").read_bytes()
    result = communs("importer", "releves/ligne.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 1
    assert _erreur(result) == f"Erreur : {message}"
    assert (livre.parent / "2026.beancount").read_bytes() == before


def test_releve_introuvable(livre: Path, communs: Communs) -> None:
    result = communs("importer", "releves/absent.csv")
    assert result.exit_code == 1
    assert _erreur(result) == "Erreur : relevé introuvable : releves/absent.csv"


def test_cible_hors_du_grand_livre(livre: Path, communs: Communs) -> None:
    autre = livre.parent / "brouillon.beancount"
    autre.write_text(HEADER, encoding="utf-8")
    result = communs("importer", "releves/credit-mutuel.csv", "--ecrire", "brouillon.beancount")
    assert result.exit_code == 1
    assert _erreur(result) == (
        "Erreur : brouillon.beancount n'est pas un fichier du grand livre main.beancount (ni "
        "le fichier principal ni un fichier qu'il inclut) : rien n'est écrit"
    )
    assert autre.read_text(encoding="utf-8") == HEADER
    config = communs("importer", "releves/credit-mutuel.csv", "--ecrire", "communs.yaml")
    assert config.exit_code == 1
    assert "communs.yaml n'est pas un fichier du grand livre" in _erreur(config)


def test_cible_introuvable(livre: Path, communs: Communs) -> None:
    result = communs("importer", "releves/credit-mutuel.csv", "--ecrire", "2027.beancount")
    assert result.exit_code == 1
    assert _erreur(result) == (
        "Erreur : 2027.beancount introuvable : --ecrire attend un fichier du grand livre "
        "(ex. 2026.beancount) ; rien n'est écrit"
    )


def test_profil_inconnu(livre: Path, communs: Communs) -> None:
    result = communs("importer", "releves/credit-mutuel.csv", "--profil", "hsbc")
    assert result.exit_code == 2
    assert _erreur(result).startswith(
        "Erreur : --profil : profil « hsbc » inconnu (profils : credit-cooperatif, "
    )


def test_compte_ambigu(ledger_dir: Path, communs: Communs) -> None:
    ecrire_livre(ledger_dir, config=CONFIG.replace(f"  compte: {BANQUE}\n", ""))
    result = communs("importer", "releves/credit-mutuel.csv")
    assert result.exit_code == 2
    assert _erreur(result) == (
        "Erreur : indiquez le compte bancaire du relevé avec --compte : compte 512 ambigu : "
        f"{BANQUE}, Actif:51-Banques:512-Banques:Livret : indiquez le nom complet"
    )
    par_nom = communs("importer", "releves/credit-mutuel.csv", "--compte", "Compte-courant")
    assert par_nom.exit_code == 0, par_nom.output
    inconnu = communs("importer", "releves/credit-mutuel.csv", "--compte", "5121")
    assert inconnu.exit_code == 2
    assert _erreur(inconnu) == "Erreur : --compte : aucun compte 5121 ouvert dans le grand livre"


def test_regles_invalides(ledger_dir: Path, communs: Communs) -> None:
    ecrire_livre(
        ledger_dir,
        regles=(
            "regles:\n"
            "  - motif: urssaf\n"
            '    compte: "6278"\n'
            "  - motif: edf\n"
            "    compte: Eau\n"
            "  - regex: 'R[EÉ]GION'\n"
            '    compte: "441"\n'
            "    projet: ECOLE\n"
        ),
    )
    result = communs("importer", "releves/credit-mutuel.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Erreur : règles d'import invalides dans regles.yaml",
        "  regles.yaml:3: aucun compte 6278 ouvert dans le grand livre",
        "  regles.yaml:5: compte « Eau » inconnu : aucun compte ouvert de ce nom (indiquez un "
        "numéro, ex. 627, ou le nom complet du compte)",
        "  regles.yaml:7: compte 441 ambigu : "
        f"Actif:44-Etat:441-Subventions-a-recevoir:Departement, {REGION} : indiquez le nom complet",
    ]


def test_regle_mal_ecrite(ledger_dir: Path, communs: Communs) -> None:
    ecrire_livre(
        ledger_dir,
        regles="regles:\n  - regex: 'URSSAF ('\n    compte: \"431\"\n    sens: sortie\n",
    )
    result = communs("importer", "releves/credit-mutuel.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Erreur : règles d'import invalides dans regles.yaml",
        "  regles.yaml:2: regles[1] : regex invalide : missing ), unterminated subpattern "
        "(position 7)",
    ]


def test_configuration_invalide(ledger_dir: Path, communs: Communs) -> None:
    ecrire_livre(ledger_dir, config=CONFIG + "  ecart_jours: 100\n")
    result = communs("importer", "releves/credit-mutuel.csv")
    assert result.exit_code == 1
    assert [one_line(line) for line in result.stderr.splitlines()] == [
        "Erreur : la configuration a des erreurs : corrigez-les avant d'importer (communs "
        "verifier)",
        "communs.yaml:6: importation : ecart_jours : nombre de jours entre 0 et 60 attendu "
        "(valeur lue : 100)",
    ]


def test_profil_de_l_association_dans_la_configuration(ledger_dir: Path, communs: Communs) -> None:
    ecrire_livre(ledger_dir, config=CONFIG + "  profils: banques/profils.yaml\n")
    (ledger_dir / "banques").mkdir()
    (ledger_dir / "banques" / "profils.yaml").write_text(
        "profils:\n"
        "  banque-du-quartier:\n"
        "    nom: Banque du quartier\n"
        "    colonnes: {date: Jour, libelle: Opération, montant: Somme}\n",
        encoding="utf-8",
    )
    (ledger_dir / "releves" / "quartier.csv").write_text(
        "Jour;Opération;Somme\n02/03/2026;PRLV URSSAF;-1 234,56\n09/03/2026;VIR ADHÉSION;15,00\n",
        encoding="utf-8",
    )
    result = communs("importer", "releves/quartier.csv", "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "Relevé releves/quartier.csv : profil banque-du-quartier « Banque du quartier » "
        "(reconnu à l'en-tête), encodage utf-8"
    )
    assert "  Écritures à ajouter                    1" in lines
    assert "  Doublons ignorés                       1" in lines
    assert communs("verifier").exit_code == 0
