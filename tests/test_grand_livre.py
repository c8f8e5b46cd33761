"""``rapports/grand_livre.py`` and ``communs grand-livre``: postings account by account,
à nouveau, running balance, filters by code prefix or account name."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from communs_ledger.chargement import load_livre
from communs_ledger.cli import francais
from communs_ledger.cli import grand_livre as cli_grand_livre
from communs_ledger.mouvements import totaux_par_compte
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.grand_livre import grand_livre
from communs_ledger.rapports.objets import Style
from communs_ledger.rapports.source import RapportImpossible, Source
from conftest import (
    BANQUE,
    CLI_ENV,
    COTISATIONS,
    FONDS,
    FOURNISSEUR,
    FOURNITURES,
    LIVRET,
    SUBVENTION,
    one_line,
    write_ledger,
)

D = Decimal

LEDGER = f"""\
2024-01-01 open {BANQUE}
2024-01-01 open {LIVRET}
2024-01-01 open {FONDS}
2024-01-01 open {FOURNISSEUR}
2024-01-01 open {FOURNITURES}
2024-01-01 open {COTISATIONS}
2024-01-01 open {SUBVENTION}

2024-01-02 * "Apport initial"
  {BANQUE}  10000.00 EUR
  {FONDS}  -10000.00 EUR

2024-03-01 * "Cotisations 2024"
  piece: "C-2024"
  {BANQUE}  1500.00 EUR
  {COTISATIONS}  -1500.00 EUR

2024-05-10 * "Papeterie" "Facture F1"
  piece: "F1"
  {FOURNITURES}  300.00 EUR
  {FOURNISSEUR}  -300.00 EUR

2024-06-10 * "Papeterie" "Règlement F1"
  {FOURNISSEUR}  300.00 EUR
    piece: "REL-06"
  {BANQUE}  -300.00 EUR

2024-09-01 * "Facture F2"
  piece: "F2"
  {FOURNITURES}  200.00 EUR
  {FOURNISSEUR}  -200.00 EUR

2024-12-01 * "Virement vers le livret"
  {LIVRET}  2000.00 EUR
  {BANQUE}  -2000.00 EUR

2025-01-15 * "Papeterie" "Règlement F2"
  {FOURNISSEUR}  200.00 EUR
  {BANQUE}  -200.00 EUR

2025-02-01 * "Ville" "Subvention 2025"
  {BANQUE}  5000.00 EUR
  {SUBVENTION}  -5000.00 EUR

2025-03-01 * "Papeterie" "Fournitures"
  {FOURNITURES}  800.00 EUR
  {BANQUE}  -800.00 EUR
"""


def source_of(path: Path) -> Source:
    livre = load_livre(path)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


@pytest.fixture
def source(ledger_dir: Path) -> Source:
    return source_of(write_ledger(ledger_dir, LEDGER))


def table(rapport) -> list[tuple]:
    """(id, libellé, date, pièce, débit, crédit, solde) of every row."""
    return [
        (
            ligne.id,
            ligne.libelle,
            ligne.valeurs.get("date"),
            ligne.valeurs.get("piece"),
            ligne.valeurs.get("debit"),
            ligne.valeurs.get("credit"),
            ligne.valeurs.get("solde"),
        )
        for ligne in rapport.partie("grand_livre").lignes
    ]


def test_compte_512_exercice_2025(source):
    exercice = source.exercice("2025")
    assert exercice.version == "2025"
    rapport = grand_livre(source, exercice, compte=BANQUE)
    day = datetime.date
    # À nouveau : 10000 + 1500 - 300 - 2000 = 9200 (débiteur)
    # 9200 - 200 = 9000 ; + 5000 = 14000 ; - 800 = 13200
    # Totaux : débit 9200 + 5000 = 14200 ; crédit 200 + 800 = 1000 ; solde 13200
    assert table(rapport) == [
        ("compte", f"Banques — Compte courant ({BANQUE})", None, None, None, None, None),
        ("a_nouveau", "À nouveau", day(2025, 1, 1), None, D(9200), None, D(9200)),
        (None, "Papeterie — Règlement F2", day(2025, 1, 15), None, None, D(200), D(9000)),
        (None, "Ville — Subvention 2025", day(2025, 2, 1), None, D(5000), None, D(14000)),
        (None, "Papeterie — Fournitures", day(2025, 3, 1), None, None, D(800), D(13200)),
        (
            "total_compte",
            "Total 512 Banques — Compte courant",
            None,
            None,
            D(14200),
            D(1000),
            D(13200),
        ),
        ("total", "Total général", None, None, D(14200), D(1000), D(13200)),
    ]
    assert rapport.totaux["n"] == {"total_debit": D(14200), "total_credit": D(1000)}
    assert "Solde progressif signé : débiteur en positif, créditeur en négatif." in rapport.notes


def test_classe_6_exercice_2024_pieces(source):
    exercice = source.exercice("2024")
    assert exercice.version == "2018"
    rapport = grand_livre(source, exercice, compte="6")
    day = datetime.date
    # Pas d'à-nouveau pour la classe 6 ; 300 puis 300 + 200 = 500.
    assert table(rapport) == [
        (
            "compte",
            f"Fournitures administratives ({FOURNITURES})",
            None,
            None,
            None,
            None,
            None,
        ),
        (None, "Papeterie — Facture F1", day(2024, 5, 10), "F1", D(300), None, D(300)),
        (None, "Facture F2", day(2024, 9, 1), "F2", D(200), None, D(500)),
        (
            "total_compte",
            "Total 6064 Fournitures administratives",
            None,
            None,
            D(500),
            D(0),
            D(500),
        ),
        ("total", "Total général", None, None, D(500), D(0), D(500)),
    ]


def test_piece_de_l_ecriture_ou_de_la_ligne(source):
    rapport = grand_livre(source, source.exercice("2024"), compte="401")
    pieces = [
        (ligne.valeurs["date"], ligne.valeurs["piece"])
        for ligne in rapport.partie("grand_livre").lignes
        if ligne.id is None
    ]
    # 10/06 : pièce portée par la ligne du 401 seulement.
    assert pieces == [
        (datetime.date(2024, 5, 10), "F1"),
        (datetime.date(2024, 6, 10), "REL-06"),
        (datetime.date(2024, 9, 1), "F2"),
    ]
    banque = grand_livre(source, source.exercice("2024"), compte=BANQUE)
    assert [
        ligne.valeurs["piece"]
        for ligne in banque.partie("grand_livre").lignes
        if ligne.id is None and ligne.valeurs["date"] == datetime.date(2024, 6, 10)
    ] == [None]


def test_filtre_par_prefixe_et_par_nom(source):
    exercice = source.exercice("2025")
    by_code = grand_livre(source, exercice, compte="512")
    titles = [
        ligne.comptes for ligne in by_code.partie("grand_livre").lignes if ligne.id == "compte"
    ]
    assert titles == [(BANQUE,), (LIVRET,)]
    by_name = grand_livre(source, exercice, compte="livret")
    assert [
        ligne.comptes for ligne in by_name.partie("grand_livre").lignes if ligne.id == "compte"
    ] == [(LIVRET,)]
    # Livret : à nouveau 2000, aucun mouvement en 2025.
    assert by_name.partie("grand_livre").ligne("total").valeurs == {
        "debit": D(2000),
        "credit": D(0),
        "solde": D(2000),
    }
    with pytest.raises(RapportImpossible) as failure:
        grand_livre(source, exercice, compte="9")
    assert str(failure.value) == "aucun compte ne correspond à « 9 »"
    with pytest.raises(RapportImpossible, match="aucun mouvement dans l'exercice 2025"):
        grand_livre(source, exercice, compte="756")  # cotisations : 2024 seulement


@pytest.mark.parametrize("code", ["2024", "2025"])
def test_solde_final_egal_au_solde_du_compte_et_a_la_balance(source, code):
    exercice = source.exercice(code)
    rapport = grand_livre(source, exercice)
    finals = {
        ligne.comptes[0]: ligne.valeurs
        for ligne in rapport.partie("grand_livre").lignes
        if ligne.id == "total_compte"
    }
    all_until_end = totaux_par_compte(source.mouvements.entre(None, exercice.fin))
    during = totaux_par_compte(source.mouvements.entre(exercice.debut, exercice.fin))
    # the 2024 result (1 500 − 500, not allocated) opens 2025 on 120
    synthetic = {"2025": {"Fonds-propres:12-Resultat:120-Resultat-de-l-exercice": D(-1000)}}
    for account, valeurs in finals.items():
        expected = synthetic.get(code, {}).get(account) or (
            all_until_end[account]
            if account.startswith(("Actif", "Passif", "Fonds"))
            else (during[account])
        )
        assert valeurs["solde"] == expected, account
        assert valeurs["debit"] - valeurs["credit"] == valeurs["solde"]
    # Same totals per account as the balance générale.
    rows = {
        ligne.comptes[0]: ligne.valeurs
        for ligne in balance(source, exercice).partie("balance").lignes
        if ligne.comptes and ligne.style is Style.NORMAL
    }
    assert {a: (v["debit"], v["credit"]) for a, v in finals.items()} == {
        a: (v["debit"], v["credit"]) for a, v in rows.items()
    }


# --- Command line ------------------------------------------------------------------------------


def local_app() -> typer.Typer:
    """The command on its own Typer app, with the French messages of ``communs``."""
    francais.install()
    app = typer.Typer()
    app.command("grand-livre")(cli_grand_livre.grand_livre_command)
    app.command("autre")(lambda: None)
    return app


def test_cli_json_egale_le_moteur(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(
        local_app(), ["grand-livre", "--compte", "512", "-e", "2025", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    engine = grand_livre(source, source.exercice("2025"), compte="512")
    assert (
        data["totaux"]
        == {key: f"{value:.2f}" for key, value in engine.totaux["n"].items()}
        == {"total_debit": "16200.00", "total_credit": "1000.00"}
    )
    rows = data["parties"][0]["lignes"]
    assert rows[1]["valeurs"] == {
        "date": "2025-01-01",
        "piece": None,
        "debit": "9200.00",
        "credit": None,
        "solde": "9200.00",
    }


def test_cli_compte_inconnu(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(local_app(), ["grand-livre", "--compte", "9"])
    assert result.exit_code == 1
    assert one_line(result.stderr) == "Erreur : aucun compte ne correspond à « 9 »"


def test_cli_exercice_inconnu(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(local_app(), ["grand-livre", "-e", "2019"])
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        "Erreur : exercice « 2019 » inconnu : exercices du grand livre : 2024, 2025"
    )
