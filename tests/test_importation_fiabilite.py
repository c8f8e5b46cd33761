"""``communs importer`` on hostile or mistaken input: it stops with the file and line.

Every test writes a real statement and runs the real command on the ledger of
:mod:`test_importation_cli` (bank account at 10 000,00 € on 2 January 2026,
Urssaf of 1 234,56 € typed by hand on 2 March), and checks that nothing is
written when the command refuses.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import one_line, run_communs
from test_importation_cli import ecrire_livre

Communs = Callable[..., Any]
ENTETE_CIC = "Date;Date de valeur;Débit;Crédit;Libellé;Solde\n"
ENTETE_MONTANT = "Date;Date de valeur;Montant;Libellé;Solde\n"


@pytest.fixture
def livre(ledger_dir: Path) -> Path:
    return ecrire_livre(ledger_dir)


def releve(folder: Path, name: str, text: str) -> str:
    (folder / "releves" / name).write_text(text, encoding="iso-8859-15")
    return f"releves/{name}"


def refuse(communs: Communs, folder: Path, chemin: str) -> str:
    """Run an import with --ecrire that must fail; the ledger is unchanged; the message."""
    before = (folder / "2026.beancount").read_bytes()
    result = communs("importer", chemin, "--ecrire", "2026.beancount")
    assert result.exit_code == 1, result.output
    assert (folder / "2026.beancount").read_bytes() == before
    return one_line(result.stderr)


# --- A rule's regex that never ends --------------------------------------------------------


def test_regex_catastrophique_arretee_avec_sa_ligne(ledger_dir: Path) -> None:
    """``(a+)+$`` on a label of 3 000 « a » and a « ! » backtracks without end with ``re``:
    the import stops after about a second, naming the rule at regles.yaml:4."""
    ecrire_livre(
        ledger_dir,
        regles=(
            "regles:\n"
            "  - motif: urssaf\n"
            '    compte: "431"\n'
            "  - nom: Piège\n"
            "    regex: '(a+)+$'\n"
            '    compte: "431"\n'
        ),
    )
    chemin = releve(
        ledger_dir,
        "piege.csv",
        ENTETE_MONTANT
        + "02/03/2026;02/03/2026;-1 234,56;PRLV SEPA URSSAF;8 765,44\n"
        + f"04/03/2026;04/03/2026;-3,00;{'a' * 3000}!;8 762,44\n",
    )
    before = (ledger_dir / "2026.beancount").read_bytes()
    start = time.monotonic()
    try:  # a real process: one that never ends is killed (after 120 s), not waited for
        done = run_communs("importer", chemin, "--ecrire", "2026.beancount", cwd=ledger_dir)
    except subprocess.TimeoutExpired:
        pytest.fail("l'import ne s'arrête pas : la regex de la règle le bloque")
    assert time.monotonic() - start < 30
    assert done.returncode == 1
    assert one_line(done.stderr) == (
        "Erreur : règle d'import trop lente dans regles.yaml : import arrêté, rien n'est "
        "écrit regles.yaml:4: la regex « (a+)+$ » de la règle « Piège » n'a pas fini en 1 s "
        "sur la ligne 3 du relevé : elle revient en arrière sans fin (répétition imbriquée "
        "comme (a+)+ ou (\\w+\\s?)+) ; simplifiez-la, ou écrivez plutôt un « motif »"
    )
    assert (ledger_dir / "2026.beancount").read_bytes() == before


def test_regex_ordinaire_toujours_reconnue(ledger_dir: Path, communs: Communs) -> None:
    """The ``regex`` engine reads the same syntax: named groups, classes, accents."""
    ecrire_livre(
        ledger_dir,
        regles=(
            "regles:\n"
            "  - regex: 'VIR SEPA (?P<nom>[A-ZÉ ]+?) SALAIRE'\n"
            '    compte: "431"\n'
            "    tiers: '{nom}'\n"
        ),
    )
    chemin = releve(
        ledger_dir,
        "salaire.csv",
        ENTETE_MONTANT + "04/03/2026;04/03/2026;-1 500,00;VIR SEPA ÉLISE MARTIN SALAIRE;1\n",
    )
    result = communs("importer", chemin)
    assert result.exit_code == 0, result.output
    assert '2026-03-04 * "ÉLISE MARTIN" "VIR SEPA ÉLISE MARTIN SALAIRE"' in result.stdout


# --- Ambiguous amounts ------------------------------------------------------------------------

CONSEIL = (
    " ; ce relevé est lu avec la virgule comme séparateur décimal : vérifiez ce montant sur "
    "le relevé de la banque (et les clés decimale et milliers du profil, si la banque écrit "
    "ses montants autrement)"
)


@pytest.mark.parametrize(
    ("montant", "message"),
    [
        # read as 1,23456 € before
        ("1,234.56", "montant « 1,234.56 » ambigu : écrit à l'anglaise (1 234,56 ?)"),
        # accepted with three decimals before
        ("12,345", "montant « 12,345 » ambigu : 12 345 ou 12,345 ?"),
        ("-1.234", "montant « -1.234 » ambigu : 1 234 ou 1,234 ?"),
    ],
)
def test_montant_ambigu_refuse(livre: Path, communs: Communs, montant: str, message: str) -> None:
    chemin = releve(
        livre.parent,
        "ambigu.csv",
        ENTETE_MONTANT
        + "04/03/2026;04/03/2026;-3,00;FRAIS;1\n"
        + f"05/03/2026;05/03/2026;{montant};VIR RECU DON;1\n",
    )
    assert refuse(communs, livre.parent, chemin) == (
        f"Erreur : releves/ambigu.csv, ligne 3 : {message}{CONSEIL}"
    )


def test_plus_de_deux_decimales_refuse(livre: Path, communs: Communs) -> None:
    chemin = releve(
        livre.parent, "decimales.csv", ENTETE_MONTANT + "05/03/2026;05/03/2026;1.234,567;DON;1\n"
    )
    assert refuse(communs, livre.parent, chemin) == (
        "Erreur : releves/decimales.csv, ligne 2 : montant « 1.234,567 » à plus de deux "
        "décimales : un montant en euros s'écrit au centime près ; vérifiez le séparateur "
        "décimal du relevé"
    )


def test_milliers_declares_par_le_profil(ledger_dir: Path, communs: Communs) -> None:
    """A profile that declares dot thousands reads ``1.234`` as 1 234,00 €."""
    from test_importation_cli import CONFIG

    ecrire_livre(ledger_dir, config=CONFIG + "  profils: profils.yaml\n")
    (ledger_dir / "profils.yaml").write_text(
        "profils:\n"
        "  quartier:\n"
        "    nom: Banque du quartier\n"
        '    milliers: "."\n'
        "    colonnes: {date: Jour, libelle: Opération, montant: Somme}\n",
        encoding="utf-8",
    )
    chemin = "releves/quartier.csv"
    (ledger_dir / chemin).write_text("Jour;Opération;Somme\n05/03/2026;DON;1.234\n", "utf-8")
    result = communs("importer", chemin)
    assert result.exit_code == 0, result.output
    assert "1234.00 EUR" in result.stdout


def test_debit_et_credit_remplis_refuse(livre: Path, communs: Communs) -> None:
    """Both columns filled were netted to 15,00 € without a word."""
    chemin = releve(
        livre.parent,
        "deux-colonnes.csv",
        ENTETE_CIC
        + "02/03/2026;02/03/2026;-1 234,56;;PRLV SEPA URSSAF;8 765,44\n"
        + "04/03/2026;04/03/2026;-10,00;25,00;VIR RECU;8 780,44\n",
    )
    assert refuse(communs, livre.parent, chemin) == (
        "Erreur : releves/deux-colonnes.csv, ligne 3 : débit « -10,00 » et crédit « 25,00 » "
        "tous deux remplis : une opération est un débit ou un crédit, pas les deux ; vérifiez "
        "la ligne sur le relevé de la banque (deux opérations sur une ligne : écrivez-les sur "
        "deux lignes)"
    )


def test_zero_dans_la_colonne_inutilisee(livre: Path, communs: Communs) -> None:
    """Some banks write 0,00 in the other column: that is not « both filled »."""
    chemin = releve(
        livre.parent,
        "zero.csv",
        ENTETE_CIC + "04/03/2026;04/03/2026;0,00;25,00;VIR RECU COTISATION;8 790,44\n",
    )
    result = communs("importer", chemin)
    assert result.exit_code == 0, result.output
    assert "25.00 EUR" in result.stdout


# --- A field of 100 000 characters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("libelle", "ligne"),
    [
        ("A" * 100_000, 3),  # one huge label
        ('"' + "B" * 200_000 + '"', 3),  # beyond the csv module's field limit
        ('"ouvert', 3),  # an unclosed quote swallows the 30 000 lines after it
    ],
)
def test_champ_demesure(livre: Path, communs: Communs, libelle: str, ligne: int) -> None:
    chemin = releve(
        livre.parent,
        "long.csv",
        ENTETE_MONTANT
        + "02/03/2026;02/03/2026;-1 234,56;PRLV SEPA URSSAF;8 765,44\n"
        + f"04/03/2026;04/03/2026;-1,00;{libelle};1\n"
        + "05/03/2026;05/03/2026;-1,00;FRAIS DE TENUE DE COMPTE;1\n" * 30_000,
    )
    assert refuse(communs, livre.parent, chemin) == (
        f"Erreur : releves/long.csv, ligne {ligne} : une colonne dépasse 4 000 caractères, "
        "ce qu'aucun libellé bancaire n'atteint : un guillemet (\") ouvert et jamais fermé "
        "avale-t-il la suite du fichier ? Vérifiez cette ligne, ou exportez à nouveau le "
        "relevé depuis la banque"
    )


def test_montant_demesure(livre: Path, communs: Communs) -> None:
    """A 30-digit amount went through to the entry's rounding: « Erreur interne »."""
    chemin = releve(
        livre.parent,
        "demesure.csv",
        ENTETE_MONTANT + f"05/03/2026;05/03/2026;{'9' * 30},00;DON;1\n",
    )
    assert refuse(communs, livre.parent, chemin) == (
        f"Erreur : releves/demesure.csv, ligne 2 : montant « {'9' * 30},00 » démesuré ou illisible"
    )


def test_classeur_a_trois_decimales(livre: Path, communs: Communs) -> None:
    """A workbook's number cell: float noise (0,1 + 0,2) is to the cent, 12,345 is not."""
    from openpyxl import Workbook

    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["Date", "Date de valeur", "Montant", "Libellé", "Solde"])
    feuille.append(["04/03/2026", "04/03/2026", 0.1 + 0.2, "VIR RECU DON", None])
    feuille.append(["05/03/2026", "05/03/2026", 12.345, "VIR RECU DON", None])
    classeur.save(livre.parent / "releves" / "classeur.xlsx")
    assert refuse(communs, livre.parent, "releves/classeur.xlsx") == (
        "Erreur : releves/classeur.xlsx, ligne 3 : montant « 12.345 » à plus de deux "
        "décimales : un montant en euros s'écrit au centime près"
    )
    feuille.delete_rows(3)
    classeur.save(livre.parent / "releves" / "classeur.xlsx")
    result = communs("importer", "releves/classeur.xlsx")
    assert result.exit_code == 0, result.output
    assert "0.30 EUR" in result.stdout
