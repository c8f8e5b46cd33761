"""``communs importer`` on the statements banks give professional customers, end to end.

Société Générale's CSV (short and detailed labels), camt.053 (ISO 20022 XML) and
CFONB 120: the real command on the ledger of :mod:`test_importation_cli` (bank
at 10 000,00 € on 2 January 2026, Urssaf of 1 234,56 € typed by hand on
2 March, a rule for the Urssaf and one for the Region). The sample files in
tests/donnees/releves/ were written by hand; their amounts are checked by hand
in each test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_importation_cli import ATTENTE, BANQUE, RELEVES, ecrire_livre

Communs = Callable[..., Any]


@pytest.fixture
def livre(ledger_dir: Path) -> Path:
    return ecrire_livre(ledger_dir)


def ajoute(folder: Path, communs: Communs, chemin: str) -> str:
    """Import with --ecrire; what was appended to 2026.beancount."""
    before = (folder / "2026.beancount").read_text(encoding="utf-8")
    result = communs("importer", chemin, "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    after = (folder / "2026.beancount").read_text(encoding="utf-8")
    assert after.startswith(before)
    return after[len(before) :]


# --- Société Générale: the detailed label as narration, the short one in metadata ---------


def test_societe_generale_libelle_detaille(livre: Path, communs: Communs) -> None:
    """« PRELEVEMENT EUROPEEN » was glued in front of « DE: MAIF … » in the narration."""
    folder = livre.parent
    added = ajoute(folder, communs, "releves/societe-generale.csv")
    assert (
        '2026-03-08 ! "DE: MAIF ID EMETTEUR: FR12ZZZ ASSURANCE MULTIRISQUE"\n'
        '  a_revoir: "aucune règle d\'import ne reconnaît cette opération"\n'
        '  libelle_banque: "DE: MAIF ID EMETTEUR: FR12ZZZ ASSURANCE MULTIRISQUE"\n'
        '  libelle_court: "PRELEVEMENT EUROPEEN"\n'
        f"  {BANQUE}      -1180.00 EUR\n"
        f"  {ATTENTE}             1180.00 EUR\n"
    ) in added
    assert (
        '2026-03-06 ! "DE: FONDATION DE FRANCE MOTIF: APPEL À PROJETS 2026"\n'
        '  a_revoir: "aucune règle d\'import ne reconnaît cette opération"\n'
        '  libelle_banque: "DE: FONDATION DE FRANCE MOTIF: APPEL À PROJETS 2026"\n'
        '  libelle_court: "VIR RECU"\n'
    ) in added
    assert communs("verifier").exit_code == 0
    again = communs("importer", "releves/societe-generale.csv")
    assert "Rien à ajouter" in again.stderr


def test_societe_generale_regle_sur_le_libelle_court(ledger_dir: Path, communs: Communs) -> None:
    """Rules still see the short label (a rule written for « VIR RECU » keeps working)."""
    ecrire_livre(
        ledger_dir,
        regles=(
            'regles:\n  - motif: vir recu\n    compte: "7412"\n    libelle: Subvention {libelle}\n'
        ),
    )
    result = communs("importer", "releves/societe-generale.csv")
    assert result.exit_code == 0, result.output
    assert (
        '2026-03-06 * "Subvention DE: FONDATION DE FRANCE MOTIF: APPEL À PROJETS 2026"'
        in result.stdout
    )


# --- camt.053 (ISO 20022 XML) ----------------------------------------------------------------
# releve-camt053.xml: one statement of account FR76 3000 3012 3400 0123 4567 890, opening
# balance 10 000,00 € on 1 March; booked: Urssaf −1 234,56 (2 March, typed by hand in the
# ledger: a duplicate), Région +2 500,00 (3 March), EDF −45,90 (5 March), cheque −120,00
# (6 March); pending (PDNG): +30,00, left out. Closing balance on 6 March:
# 10 000,00 − 1 234,56 + 2 500,00 − 45,90 − 120,00 = 11 099,54 €.

CAMT_AJOUT = f"""
; Relevé releve-camt053.xml (camt.053) importé par « communs importer » :
; 3 écritures, dont 2 à revoir (compte d'attente, drapeau !)

; Compte d'attente des opérations à revoir (ouvert par communs importer)
2026-01-01 open {ATTENTE}

2026-03-03 * "Région ILE-DE-FRANCE" "Subvention jardins – versement"
  projet: "JARDINS"
  convention: "REG-JARDINS-2026"
  ref_camt: "260303-0002"
  libelle_banque: "VIR SEPA RECU REGION ILE-DE-FRANCE ACOMPTE JARDINS 2026"
  {BANQUE}           2500.00 EUR
  Actif:44-Etat:441-Subventions-a-recevoir:Region      -2500.00 EUR

; À revoir : ligne 61 du relevé, aucune règle ne la reconnaît : imputez-la au bon compte
2026-03-05 ! "EDF" "PRLV SEPA EDF CLIENT 12345"
  a_revoir: "aucune règle d'import ne reconnaît cette opération"
  ref_camt: "260305-0003"
  libelle_banque: "PRLV SEPA EDF CLIENT 12345"
  {BANQUE}            -45.90 EUR
  {ATTENTE}                   45.90 EUR

; À revoir : ligne 76 du relevé, aucune règle ne la reconnaît : imputez-la au bon compte
2026-03-06 ! "CHEQUE N 8012345"
  a_revoir: "aucune règle d'import ne reconnaît cette opération"
  ref_camt: "260306-0004"
  libelle_banque: "CHEQUE N 8012345"
  {BANQUE}           -120.00 EUR
  {ATTENTE}                  120.00 EUR

; Solde du relevé au 6 mars 2026 au soir (solde CLBD)
2026-03-07 balance {BANQUE}        11099.54 EUR
"""


def test_camt053(livre: Path, communs: Communs) -> None:
    folder = livre.parent
    result = communs("importer", "releves/releve-camt053.xml")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Relevé releves/releve-camt053.xml : camt.053, encodage utf-8"
    assert "  Contrôle de solde                 ajouté au 7 mars 2026 : 11\u202f099,54\u00a0€" in (
        lines
    )
    assert (
        "  Attention : 1 opération en attente (statut autre que BOOK) laissée de côté : à "
        "importer avec le relevé suivant"
    ) in lines
    assert (
        "  ligne 27, 02/03/2026, -1\u202f234,56\u00a0€ « PRLV SEPA URSSAF DSN FEVRIER 2026 » → "
        "2026.beancount:15 (saisie à la main, libellé proche)"
    ) in lines
    assert ajoute(folder, communs, "releves/releve-camt053.xml") == CAMT_AJOUT
    assert communs("verifier").exit_code == 0  # the balance of 11 099,54 € holds
    again = communs("importer", "releves/releve-camt053.xml", "--ecrire", "2026.beancount")
    assert "Rien à ajouter" in again.stderr


# --- CFONB 120 --------------------------------------------------------------------------------
# releve-cfonb120.txt: two daily blocks of account 30003 01234 00012345678.
# Block 1: old balance 10 000,00 (« 0000000100000{ »), Urssaf −1 234,56 (« 0000000012345O »:
# O is 6, negative), new balance 8 765,44 (« 0000000087654D »: D is 4, positive).
# Block 2: old balance 8 765,44, Région +2 500,00 (« …25000{ ») with its payer (NPY) and
# remittance (LCC), EDF −45,90 (« …459} »), new balance 8 765,44 + 2 500,00 − 45,90 = 11 219,54.

CFONB_AJOUT = f"""
; Relevé releve-cfonb120.txt (CFONB 120) importé par « communs importer » :
; 2 écritures, dont 1 à revoir (compte d'attente, drapeau !)

; Compte d'attente des opérations à revoir (ouvert par communs importer)
2026-01-01 open {ATTENTE}

2026-03-03 * "Région ILE-DE-FRANCE" "Subvention jardins – versement"
  projet: "JARDINS"
  convention: "REG-JARDINS-2026"
  ref_cfonb: "20260303-0000102"
  libelle_banque: "VIR SEPA REGION ILE-DE-FRANCE ACOMPTE JARDINS 2026"
  {BANQUE}           2500.00 EUR
  Actif:44-Etat:441-Subventions-a-recevoir:Region      -2500.00 EUR

; À revoir : ligne 10 du relevé, aucune règle ne la reconnaît : imputez-la au bon compte
2026-03-05 ! "PRLV SEPA EDF CLIENT 12345"
  a_revoir: "aucune règle d'import ne reconnaît cette opération"
  ref_cfonb: "20260305-0000103"
  libelle_banque: "PRLV SEPA EDF CLIENT 12345"
  {BANQUE}            -45.90 EUR
  {ATTENTE}                   45.90 EUR

; Solde du relevé au 5 mars 2026 au soir (nouveau solde 07)
2026-03-06 balance {BANQUE}        11219.54 EUR
"""


def test_cfonb120(livre: Path, communs: Communs) -> None:
    folder = livre.parent
    result = communs("importer", "releves/releve-cfonb120.txt")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "Relevé releves/releve-cfonb120.txt : CFONB 120"
    assert "  Doublons ignorés                       1" in result.stderr.splitlines()
    assert ajoute(folder, communs, "releves/releve-cfonb120.txt") == CFONB_AJOUT
    assert communs("verifier").exit_code == 0
    again = communs("importer", "releves/releve-cfonb120.txt", "--ecrire", "2026.beancount")
    assert "Rien à ajouter" in again.stderr


def test_cfonb_puis_camt_qui_se_chevauchent(livre: Path, communs: Communs) -> None:
    """The camt.053 of the same days after the CFONB: only the cheque is new, and the
    balance 11 219,54 − 120,00 = 11 099,54 € holds."""
    folder = livre.parent
    assert ajoute(folder, communs, "releves/releve-cfonb120.txt")
    before = (folder / "2026.beancount").read_text(encoding="utf-8")
    result = communs("importer", "releves/releve-camt053.xml", "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    added = (folder / "2026.beancount").read_text(encoding="utf-8")[len(before) :]
    assert added.count(" EUR\n") == 3  # the cheque's two postings and the balance
    assert 'ref_camt: "260306-0004"' in added
    assert added.splitlines()[-1].split() == ["2026-03-07", "balance", BANQUE, "11099.54", "EUR"]
    reasons = [line.rsplit("(", 1)[1] for line in result.stderr.splitlines() if "→" in line]
    assert reasons == [
        "saisie à la main, libellé proche)",
        "libellé bancaire proche)",
        "même libellé bancaire)",
    ]
    assert communs("verifier").exit_code == 0


# --- Bad camt.053 and CFONB files -----------------------------------------------------------------


def _refuse(livre: Path, communs: Communs, name: str, content: bytes) -> str:
    from conftest import one_line

    (livre.parent / "releves" / name).write_bytes(content)
    before = (livre.parent / "2026.beancount").read_bytes()
    result = communs("importer", f"releves/{name}", "--ecrire", "2026.beancount")
    assert result.exit_code == 1, result.output
    assert (livre.parent / "2026.beancount").read_bytes() == before
    return one_line(result.stderr)


def test_camt_avec_entites_refuse(livre: Path, communs: Communs) -> None:
    """A « billion laughs » in a camt.053: refused before any entity is expanded."""
    bombe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE Document [\n<!ENTITY a "aaaaaaaaaa">\n'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">\n'
        b"]>\n"
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
        b"<Stmt><Ntry><AddtlNtryInf>&c;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>\n"
    )
    assert _refuse(livre, communs, "bombe.xml", bombe) == (
        "Erreur : releves/bombe.xml : relevé camt.053 refusé : il déclare une DTD ou des "
        "entités, ce qu'un relevé bancaire ne fait jamais"
    )


def test_camt_tronque(livre: Path, communs: Communs) -> None:
    complet = (RELEVES / "releve-camt053.xml").read_bytes()
    coupe = b"".join(complet.splitlines(keepends=True)[:70])  # inside the EDF entry
    assert _refuse(livre, communs, "coupe.xml", coupe) == (
        "Erreur : releves/coupe.xml, ligne 71 : fichier tronqué après l'opération 2 "
        "(commencée ligne 45) : la fin du relevé manque ; le téléchargement s'est-il "
        "interrompu ? Téléchargez à nouveau le relevé depuis la banque"
    )


def test_cfonb_tronque(livre: Path, communs: Communs) -> None:
    complet = (RELEVES / "releve-cfonb120.txt").read_bytes()
    coupe = b"".join(complet.splitlines(keepends=True)[:9])  # before the EDF operation
    assert _refuse(livre, communs, "coupe.txt", coupe) == (
        "Erreur : releves/coupe.txt, ligne 9 : fichier tronqué après l'opération 2 (commencée "
        "ligne 7) : le nouveau solde (07) du dernier relevé manque ; le téléchargement "
        "s'est-il interrompu ? Téléchargez à nouveau le relevé depuis la banque"
    )


def test_cfonb_soldes_incoherents(livre: Path, communs: Communs) -> None:
    """The EDF debit of 45,90 € turned into 45,80 €: the new balance no longer follows."""
    complet = (RELEVES / "releve-cfonb120.txt").read_bytes()
    abime = complet.replace(b"0000000000459}", b"0000000000458}")
    assert _refuse(livre, communs, "abime.txt", abime) == (
        "Erreur : releves/abime.txt, ligne 12 : le nouveau solde (11219.54) n'est pas l'ancien "
        "(8765.44) plus les opérations (2454.20) : relevé incomplet ou abîmé ; "
        "téléchargez-le à nouveau"
    )
