"""``rapports/balance.py`` and ``communs balance``: the balance générale, à-nouveaux of
balance-sheet accounts, earlier results not yet assigned, Σ débits = Σ crédits."""

from __future__ import annotations

import datetime
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from communs_ledger.chargement import load_livre
from communs_ledger.cli import balance as cli_balance
from communs_ledger.cli import francais
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.objets import Style
from communs_ledger.rapports.source import RapportImpossible, Source
from conftest import (
    BANQUE,
    BENEVOLAT,
    BENEVOLAT_EMPLOI,
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
EXCEDENT = "Fonds-propres:12-Resultat:120-Resultat-de-l-exercice"

LEDGER = f"""\
2024-01-01 open {BANQUE}
2024-01-01 open {FONDS}
2024-01-01 open {FOURNISSEUR}
2024-01-01 open {FOURNITURES}
2024-01-01 open {COTISATIONS}
2024-01-01 open {SUBVENTION}
2024-01-01 open {BENEVOLAT_EMPLOI}
2024-01-01 open {BENEVOLAT}

2024-01-02 * "Apport initial"
  {BANQUE}  10000.00 EUR
  {FONDS}  -10000.00 EUR

2024-03-01 * "Cotisations 2024"
  {BANQUE}  1500.00 EUR
  {COTISATIONS}  -1500.00 EUR

2024-05-10 * "Papeterie" "Facture F1"
  {FOURNITURES}  300.00 EUR
  {FOURNISSEUR}  -300.00 EUR

2024-06-10 * "Papeterie" "Règlement F1"
  {FOURNISSEUR}  300.00 EUR
  {BANQUE}  -300.00 EUR

2024-09-01 * "Papeterie" "Facture F2"
  {FOURNITURES}  200.00 EUR
  {FOURNISSEUR}  -200.00 EUR

2024-10-01 * "Subvention espérée" #prevision
  {BANQUE}  99999.00 EUR
  {SUBVENTION}  -99999.00 EUR

2025-01-15 * "Papeterie" "Règlement F2"
  {FOURNISSEUR}  200.00 EUR
  {BANQUE}  -200.00 EUR

2025-02-01 * "Ville" "Subvention 2025"
  {BANQUE}  5000.00 EUR
  {SUBVENTION}  -5000.00 EUR

2025-03-01 * "Papeterie" "Fournitures"
  {FOURNITURES}  800.00 EUR
  {BANQUE}  -800.00 EUR

2025-06-30 * "Bénévolat du semestre"
  {BENEVOLAT_EMPLOI}  1000.00 EUR
  {BENEVOLAT}  -1000.00 EUR
"""


def source_of(path: Path) -> Source:
    livre = load_livre(path)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


@pytest.fixture
def source(ledger_dir: Path) -> Source:
    return source_of(write_ledger(ledger_dir, LEDGER))


def rows_by_account(rapport) -> dict[str, dict[str, Decimal]]:
    return {
        ligne.comptes[0]: ligne.valeurs
        for ligne in rapport.partie("balance").lignes
        if ligne.comptes and ligne.style is Style.NORMAL
    }


def values(debit, credit, sd, sc) -> dict[str, Decimal]:
    return {
        "debit": D(debit),
        "credit": D(credit),
        "solde_debiteur": D(sd),
        "solde_crediteur": D(sc),
    }


def test_balance_2024_plan_2018(source):
    exercice = source.exercice("2024")
    assert exercice.version == "2018"
    rapport = balance(source, exercice)
    # First exercice: no à nouveau. The forecast (#prevision) is ignored.
    # 512 : 10000 + 1500 (débit) ; 300 (crédit) -> solde débiteur 11200
    # 401 : 300 (débit) ; 300 + 200 (crédit) -> solde créditeur 200
    assert rows_by_account(rapport) == {
        FONDS: values(0, 10000, 0, 10000),
        FOURNISSEUR: values(300, 500, 0, 200),
        BANQUE: values(11500, 300, 11200, 0),
        FOURNITURES: values(500, 0, 500, 0),
        COTISATIONS: values(0, 1500, 0, 1500),
    }
    # Σ débits = 300 + 11500 + 500 = 12300 = Σ crédits = 10000 + 500 + 300 + 1500
    # Σ soldes débiteurs = 11200 + 500 = 11700 = Σ soldes créditeurs = 10000 + 200 + 1500
    assert rapport.totaux["n"] == {
        "total_debit": D(12300),
        "total_credit": D(12300),
        "total_solde_debiteur": D(11700),
        "total_solde_crediteur": D(11700),
    }
    partie = rapport.partie("balance")
    assert not any(ligne.code in ("110", "119", "120", "129") for ligne in partie.lignes)
    assert partie.ligne("classe_4").valeurs == values(300, 500, 0, 200)
    assert partie.ligne("total").valeurs == values(12300, 12300, 11700, 11700)
    # 741 is not in the 2018 chart: label of 74, then the account's own label.
    labels = {ligne.code: ligne.libelle for ligne in partie.lignes if ligne.code}
    assert labels["512"] == "Banques — Compte courant"
    assert labels["6064"] == "Fournitures administratives"


def test_balance_2025_plan_2025_a_nouveau_et_resultats_anterieurs(source):
    exercice = source.exercice("2025")
    assert exercice.version == "2025"
    rapport = balance(source, exercice)
    # À nouveau au 1er janvier 2025 : 512 débiteur 11200, 102 créditeur 10000, 401 créditeur 200.
    # Résultat 2024 non affecté : 1500 - 500 = 1000 (créditeur), repris au 120.
    # 512 : 11200 (à nouveau) + 5000 ; 200 + 800 -> solde débiteur 15200
    # 401 : 200 (débit) ; 200 (à nouveau créditeur) -> soldé
    # 6064 : 800 seulement (pas d'à-nouveau en classe 6)
    assert rows_by_account(rapport) == {
        FONDS: values(0, 10000, 0, 10000),
        EXCEDENT: values(0, 1000, 0, 1000),
        FOURNISSEUR: values(200, 200, 0, 0),
        BANQUE: values(16200, 1000, 15200, 0),
        FOURNITURES: values(800, 0, 800, 0),
        SUBVENTION: values(0, 5000, 0, 5000),
        BENEVOLAT_EMPLOI: values(1000, 0, 1000, 0),
        BENEVOLAT: values(0, 1000, 0, 1000),
    }
    partie = rapport.partie("balance")
    carried = next(ligne for ligne in partie.lignes if ligne.code == "120")
    assert carried.libelle.startswith("Résultat de l'exercice")
    # Classe 1 : 102 (10000) + résultat 2024 (1000)
    assert partie.ligne("classe_1").valeurs == values(0, 11000, 0, 11000)
    assert partie.ligne("classe_4").valeurs == values(200, 200, 0, 0)
    assert partie.ligne("classe_5").valeurs == values(16200, 1000, 15200, 0)
    assert partie.ligne("classe_6").valeurs == values(800, 0, 800, 0)
    assert partie.ligne("classe_7").valeurs == values(0, 5000, 0, 5000)
    assert partie.ligne("classe_8").valeurs == values(1000, 1000, 1000, 1000)
    # Σ débits = 200 + 16200 + 800 + 1000 = 18200
    # Σ crédits = 10000 + 1000 + 200 + 1000 + 5000 + 1000 = 18200
    # Σ soldes débiteurs = 15200 + 800 + 1000 = 17000 = 10000 + 1000 + 5000 + 1000
    assert rapport.totaux["n"] == {
        "total_debit": D(18200),
        "total_credit": D(18200),
        "total_solde_debiteur": D(17000),
        "total_solde_crediteur": D(17000),
    }
    labels = {ligne.code: ligne.libelle for ligne in partie.lignes if ligne.code}
    assert labels["741"] == "Subventions d'exploitation"
    assert any("à nouveau" in note for note in rapport.notes)
    assert rapport.avertissements == []


def test_balance_arretee_au(source):
    exercice = source.exercice("2025")
    rapport = balance(source, exercice, au=datetime.date(2025, 2, 15))
    # Jusqu'au 15 février : règlement F2 et subvention.
    # 512 : 11200 + 5000 ; 200 -> 16000 ; Σ débits = 200 + 16200 = 16400
    # Σ crédits = 10000 + 1000 + 200 + 200 + 5000 = 16400
    assert rows_by_account(rapport)[BANQUE] == values(16200, 200, 16000, 0)
    assert rapport.totaux["n"]["total_debit"] == D(16400)
    assert rapport.totaux["n"]["total_credit"] == D(16400)
    assert rapport.periode == (datetime.date(2025, 1, 1), datetime.date(2025, 2, 15))
    with pytest.raises(RapportImpossible, match="hors de l'exercice 2025"):
        balance(source, exercice, au=datetime.date(2026, 1, 1))


# --- Property: any balanced ledger gives a balanced balance ---------------------------------

ACCOUNTS = [BANQUE, FONDS, FOURNISSEUR, FOURNITURES, COTISATIONS, SUBVENTION]
amounts = st.tuples(st.integers(1, 500000), st.booleans()).map(
    lambda drawn: D(drawn[0]) / 100 * (1 if drawn[1] else -1)
)
transactions = st.tuples(
    st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2025, 12, 31)),
    st.lists(st.tuples(st.sampled_from(ACCOUNTS), amounts), min_size=1, max_size=3),
    st.booleans(),  # also a pair 864 / 875
)


def _ledger_text(generated) -> str:
    lines = [f"2024-01-01 open {account}" for account in [*ACCOUNTS, BENEVOLAT_EMPLOI, BENEVOLAT]]
    for day, postings, contribution in generated:
        lines.append(f'\n{day.isoformat()} * "Opération"')
        for account, amount in postings:
            lines.append(f"  {account}  {amount} EUR")
        lines.append(f"  {BANQUE}  {-sum((a for _, a in postings), D(0))} EUR")
        if contribution:
            amount = postings[0][1]
            lines.append(f'\n{day.isoformat()} * "Bénévolat"')
            lines.append(f"  {BENEVOLAT_EMPLOI}  {amount} EUR")
            lines.append(f"  {BENEVOLAT}  {-amount} EUR")
    return "\n".join(lines) + "\n"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(transactions, min_size=1, max_size=12))
def test_propriete_balance_equilibree(generated):
    with tempfile.TemporaryDirectory() as folder:
        source = source_of(write_ledger(Path(folder), _ledger_text(generated)))
        for exercice in source.exercices:
            rapport = balance(source, exercice)
            totals = rapport.totaux["n"]
            assert totals["total_debit"] == totals["total_credit"]
            assert totals["total_solde_debiteur"] == totals["total_solde_crediteur"]
            rows = [
                ligne for ligne in rapport.partie("balance").lignes if ligne.style is Style.NORMAL
            ]
            assert sum(r.valeurs["debit"] for r in rows) == totals["total_debit"]
            for row in rows:  # a row has a debit or a credit balance, never both
                assert min(row.valeurs["solde_debiteur"], row.valeurs["solde_crediteur"]) == 0
                assert (
                    row.valeurs["solde_debiteur"] - row.valeurs["solde_crediteur"]
                    == row.valeurs["debit"] - row.valeurs["credit"]
                )


# --- Command line ------------------------------------------------------------------------------


def local_app() -> typer.Typer:
    """The command on its own Typer app, with the French messages of ``communs``."""
    francais.install()
    app = typer.Typer()
    app.command("balance")(cli_balance.balance)
    app.command("autre")(lambda: None)  # two commands: Typer keeps the command name
    return app


def test_cli_json_egale_le_moteur(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(
        local_app(), ["balance", "--exercice", "2025", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rapport"] == "balance"
    assert data["totaux"] == {
        "total_debit": "18200.00",
        "total_credit": "18200.00",
        "total_solde_debiteur": "17000.00",
        "total_solde_crediteur": "17000.00",
    }
    engine = balance(source, source.exercice("2025"))
    lines = {ligne["id"]: ligne for ligne in data["parties"][0]["lignes"] if ligne["id"]}
    carried = next(ligne for ligne in data["parties"][0]["lignes"] if ligne["code"] == "120")
    assert carried["valeurs"]["credit"] == "1000.00"
    expected = engine.partie("balance").ligne("classe_5").valeurs
    assert lines["classe_5"]["valeurs"] == {k: f"{v:.2f}" for k, v in expected.items()}


def test_cli_exercice_inconnu(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(local_app(), ["balance", "--exercice", "2030"])
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        "Erreur : exercice « 2030 » inconnu : exercices du grand livre : 2024, 2025"
    )


def test_cli_au_hors_exercice(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(
        local_app(), ["balance", "--exercice", "2024", "--au", "2025-03-01"]
    )
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        "Erreur : --au 2025-03-01 est hors de l'exercice 2024 "
        "(du 1er janvier 2024 au 31 décembre 2024)"
    )
