"""What ``communs importer`` cannot decide alone: it says so, with the file and line.

- an operation of the same amount as an entry typed by hand a few days away,
  with no word in common, may be that entry: imported flagged ``!`` for review
  (``a_revoir: "doublon possible de 2026.beancount:N"``), never silently new;
- an OFX file cut short is refused, naming the last complete operation.

The ledger is the one of :mod:`test_importation_cli` (bank at 10 000,00 € on
2 January 2026, Urssaf 1 234,56 € on 2 March), plus here a regional subsidy
received on 5 March typed by hand as « Acompte jardins » (2 500,00 €, straight to
7412, where the import rule books it to 441: no common word, no common account).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import one_line
from test_importation_cli import BANQUE, REGION, ecrire_livre

Communs = Callable[..., Any]
PRODUIT = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"

SAISIE = f"""
2026-03-05 * "Acompte jardins"
  {BANQUE}  2500.00 EUR
  {PRODUIT}
"""
SAISIE_LIGNE = 19  # line of that entry in 2026.beancount


@pytest.fixture
def livre(ledger_dir: Path) -> Path:
    main = ecrire_livre(ledger_dir)
    annee = ledger_dir / "2026.beancount"
    annee.write_text(annee.read_text(encoding="utf-8") + SAISIE, encoding="utf-8")
    assert (
        annee.read_text(encoding="utf-8").splitlines()[SAISIE_LIGNE - 1].startswith("2026-03-05 *")
    )
    return main


def releve(folder: Path, day: str) -> str:
    (folder / "releves" / "region.csv").write_text(
        "Date;Date de valeur;Débit;Crédit;Libellé;Solde\n"
        f"{day};{day};;2 500,00;VIR SEPA RECU /DE LA REGION OCCITANIE;\n",
        encoding="iso-8859-15",
    )
    return "releves/region.csv"


def test_meme_montant_sans_mot_commun_signale(livre: Path, communs: Communs) -> None:
    """The bank label shares no word with « Acompte jardins »: before, the subsidy was
    imported a second time as a new entry, flag *, without a word."""
    folder = livre.parent
    chemin = releve(folder, "03/03/2026")
    before = (folder / "2026.beancount").read_text(encoding="utf-8")
    result = communs("importer", chemin, "--ecrire", "2026.beancount")
    assert result.exit_code == 0, result.output
    added = (folder / "2026.beancount").read_text(encoding="utf-8")[len(before) :]
    assert added == (
        "\n; Relevé region.csv (profil Crédit Mutuel / CIC) importé par « communs importer » :\n"
        "; 1 écriture, dont 1 doublon possible à revoir (drapeau !)\n"
        "\n"
        "; À revoir : ligne 2 du relevé, même montant qu'une écriture saisie à la main "
        f"(2026.beancount:{SAISIE_LIGNE}) à quelques jours près : si c'est la même opération, "
        "supprimez l'une des deux\n"
        '2026-03-03 ! "Région OCCITANIE" "Subvention jardins – versement"\n'
        f'  a_revoir: "doublon possible de 2026.beancount:{SAISIE_LIGNE}"\n'
        '  projet: "JARDINS"\n'
        '  convention: "REG-JARDINS-2026"\n'
        '  libelle_banque: "VIR SEPA RECU /DE LA REGION OCCITANIE"\n'
        f"  {BANQUE}           2500.00 EUR\n"
        f"  {REGION}      -2500.00 EUR\n"
    )
    lines = result.stderr.splitlines()
    assert "  Doublons possibles (drapeau !)         1" in lines
    assert (
        one_line(result.stderr).count(
            "Doublons possibles, ajoutés avec le drapeau ! et a_revoir : même montant qu'une "
            "écriture saisie à la main à quelques jours près, sans mot en commun ; si c'est la "
            "même opération, supprimez l'une des deux : ligne 2, 03/03/2026, 2 500,00 € "
            f"« VIR SEPA RECU /DE LA REGION OCCITANIE » → 2026.beancount:{SAISIE_LIGNE}"
        )
        == 1
    )
    assert communs("verifier").exit_code == 0
    again = communs("importer", chemin, "--ecrire", "2026.beancount")
    assert again.exit_code == 0, again.output
    assert "Rien à ajouter" in again.stderr


def test_trop_loin_pour_un_doublon(livre: Path, communs: Communs) -> None:
    """Six days away (beyond ecart_jours: 5): a different operation, imported as usual."""
    result = communs("importer", releve(livre.parent, "11/03/2026"))
    assert result.exit_code == 0, result.output
    assert "a_revoir" not in result.stdout
    assert '2026-03-11 * "Région OCCITANIE"' in result.stdout
    assert "Doublons possibles" not in result.stderr


def test_deja_importe_n_est_pas_un_doublon_possible(livre: Path, communs: Communs) -> None:
    """An entry imported from a statement (libelle_banque) with another label is another
    bank operation: not flagged."""
    folder = livre.parent
    annee = folder / "2026.beancount"
    annee.write_text(
        annee.read_text(encoding="utf-8").replace(
            '"Acompte jardins"\n', '"Acompte jardins"\n  libelle_banque: "VIR SEPA RECU CAF"\n'
        ),
        encoding="utf-8",
    )
    result = communs("importer", releve(folder, "04/03/2026"))
    assert result.exit_code == 0, result.output
    assert "a_revoir" not in result.stdout


# --- A truncated OFX ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lignes", "message"),
    [
        (
            57,
            "releves/tronque.ofx, ligne 57 : fichier tronqué après l'opération 2 (commencée "
            "ligne 49)",
        ),
        (
            30,
            "releves/tronque.ofx, ligne 30 : fichier tronqué avant sa première opération complète",
        ),
        (
            80,
            "releves/tronque.ofx, ligne 80 : fichier tronqué après l'opération 4 (commencée "
            "ligne 65)",
        ),
    ],
)
def test_ofx_tronque(livre: Path, communs: Communs, lignes: int, message: str) -> None:
    """Cut in the third operation, two were imported silently; cut before the first, the
    message said « aucune opération »; cut before </OFX>, the balance was missing."""
    folder = livre.parent
    complet = (folder / "releves" / "releve-ofx1.ofx").read_bytes()
    (folder / "releves" / "tronque.ofx").write_bytes(
        b"".join(complet.splitlines(keepends=True)[:lignes])
    )
    before = (folder / "2026.beancount").read_bytes()
    result = communs("importer", "releves/tronque.ofx", "--ecrire", "2026.beancount")
    assert result.exit_code == 1, result.output
    assert one_line(result.stderr) == (
        f"Erreur : {message} : la fin du relevé (</OFX>) manque ; le téléchargement s'est-il "
        "interrompu ? Téléchargez à nouveau le relevé depuis la banque"
    )
    assert (folder / "2026.beancount").read_bytes() == before
