"""``rapports/journal.py`` and ``communs journal``: transactions in date order, numbered
within the exercice, one row per posting, total débit = total crédit."""

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
from communs_ledger.cli import journal as cli_journal
from communs_ledger.rapports.journal import journal
from communs_ledger.rapports.source import Source
from conftest import (
    BANQUE,
    CLI_ENV,
    FONDS,
    FOURNISSEUR,
    FOURNITURES,
    SUBVENTION,
    one_line,
    write_ledger,
)

D = Decimal
SALAIRES = "Charges:64-Personnel:6411-Salaires"
URSSAF = "Charges:64-Personnel:6451-Urssaf"
PERSONNEL = "Passif:42-Personnel:421-Remunerations-dues"
ORGANISMES = "Passif:43-Securite-sociale:431-Urssaf"

# Written out of date order: the journal sorts by date, Beancount's order within a day.
LEDGER = f"""\
2024-01-01 open {BANQUE}
2024-01-01 open {FONDS}
2024-01-01 open {FOURNISSEUR}
2024-01-01 open {FOURNITURES}
2024-01-01 open {SALAIRES}
2024-01-01 open {URSSAF}
2024-01-01 open {PERSONNEL}
2024-01-01 open {ORGANISMES}
2024-01-01 open {SUBVENTION}

2024-04-30 * "Paie d'avril"
  piece: "PAIE-04"
  {SALAIRES}  2100.00 EUR
  {URSSAF}  880.00 EUR
  {PERSONNEL}  -1640.00 EUR
  {ORGANISMES}  -1340.00 EUR

2024-01-02 * "Apport initial"
  {BANQUE}  10000.00 EUR
  {FONDS}  -10000.00 EUR

2024-04-30 * "Papeterie" "Facture F1"
  piece: "F1"
  {FOURNITURES}  300.00 EUR
  {FOURNISSEUR}  -300.00 EUR

2024-11-01 * "Subvention attendue" #prevision
  {BANQUE}  5000.00 EUR
  {SUBVENTION}  -5000.00 EUR

2025-02-01 * "Ville" "Subvention 2025"
  {BANQUE}  5000.00 EUR
  {SUBVENTION}  -5000.00 EUR

2025-01-10 * "Règlements"
  {PERSONNEL}  1640.00 EUR
  {ORGANISMES}  1340.00 EUR
  {FOURNISSEUR}  300.00 EUR
  {BANQUE}  -3280.00 EUR
"""


def source_of(path: Path) -> Source:
    livre = load_livre(path)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


@pytest.fixture
def source(ledger_dir: Path) -> Source:
    return source_of(write_ledger(ledger_dir, LEDGER))


def table(rapport) -> list[tuple]:
    rows = []
    for ligne in rapport.partie("journal").lignes:
        v = ligne.valeurs
        if ligne.id == "ecriture":
            rows.append((v["numero"], v["date"], v["piece"], ligne.libelle))
        else:
            rows.append((ligne.code, ligne.libelle, v.get("debit"), v.get("credit")))
    return rows


def test_journal_2024_plan_2018(source):
    exercice = source.exercice("2024")
    assert exercice.version == "2018"
    rapport = journal(source, exercice)
    day = datetime.date
    # Order: 02/01 apport ; 30/04 paie (written first), 30/04 facture ; forecast excluded.
    assert table(rapport) == [
        (1, day(2024, 1, 2), None, "Apport initial"),
        ("512", BANQUE, D(10000), None),
        ("102", FONDS, None, D(10000)),
        (2, day(2024, 4, 30), "PAIE-04", "Paie d'avril"),
        ("6411", SALAIRES, D(2100), None),
        ("6451", URSSAF, D(880), None),
        ("421", PERSONNEL, None, D(1640)),
        ("431", ORGANISMES, None, D(1340)),
        (3, day(2024, 4, 30), "F1", "Papeterie — Facture F1"),
        ("6064", FOURNITURES, D(300), None),
        ("401", FOURNISSEUR, None, D(300)),
        (None, "Total général", D(13280), D(13280)),
    ]
    # Σ débits = 10000 + 2100 + 880 + 300 = 13280 = Σ crédits = 10000 + 1640 + 1340 + 300
    assert rapport.totaux["n"] == {"total_debit": D(13280), "total_credit": D(13280)}
    assert rapport.meta["ecritures"] == 3


def test_journal_2025_plan_2025_numerotation_par_exercice(source):
    exercice = source.exercice("2025")
    assert exercice.version == "2025"
    rapport = journal(source, exercice)
    headers = [
        (ligne.valeurs["numero"], ligne.valeurs["date"], ligne.libelle)
        for ligne in rapport.partie("journal").lignes
        if ligne.id == "ecriture"
    ]
    assert headers == [
        (1, datetime.date(2025, 1, 10), "Règlements"),
        (2, datetime.date(2025, 2, 1), "Ville — Subvention 2025"),
    ]
    # Σ débits = 1640 + 1340 + 300 + 5000 = 8280 = Σ crédits = 3280 + 5000
    assert rapport.totaux["n"] == {"total_debit": D(8280), "total_credit": D(8280)}
    total = rapport.partie("journal").ligne("total")
    assert total.valeurs == {"debit": D(8280), "credit": D(8280)}


def test_journal_arrete_au(source):
    rapport = journal(source, source.exercice("2025"), au=datetime.date(2025, 1, 31))
    assert rapport.meta["ecritures"] == 1
    assert rapport.totaux["n"] == {"total_debit": D(3280), "total_credit": D(3280)}


# --- Command line ------------------------------------------------------------------------------


def local_app() -> typer.Typer:
    """The command on its own Typer app, with the French messages of ``communs``."""
    francais.install()
    app = typer.Typer()
    app.command("journal")(cli_journal.journal)
    app.command("autre")(lambda: None)
    return app


def test_cli_json_egale_le_moteur(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(
        local_app(), ["journal", "--exercice", "2024", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totaux"] == {"total_debit": "13280.00", "total_credit": "13280.00"}
    engine = journal(source, source.exercice("2024"))
    assert len(data["parties"][0]["lignes"]) == len(engine.partie("journal").lignes)
    assert data["parties"][0]["lignes"][3]["valeurs"] == {
        "date": "2024-04-30",
        "numero": 2,
        "piece": "PAIE-04",
        "debit": None,
        "credit": None,
    }


def test_cli_exercice_inconnu(source, ledger_dir):
    result = CliRunner(env=CLI_ENV).invoke(local_app(), ["journal", "--exercice", "2023"])
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        "Erreur : exercice « 2023 » inconnu : exercices du grand livre : 2024, 2025"
    )
