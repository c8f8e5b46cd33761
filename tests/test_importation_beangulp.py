"""The importer as a beangulp importer: identify, extract, deduplicate (beangulp's own API)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from beangulp.extract import DUPLICATE, extract_from_file

from communs_ledger.chargement import load_livre
from communs_ledger.importation.comptes import Comptes
from communs_ledger.importation.importeur import ImporteurReleve, Parametres
from communs_ledger.importation.profils import charger_profils
from communs_ledger.importation.regles import charger_regles
from test_importation_cli import ATTENTE, BANQUE, ecrire_livre


def importeur(ledger_dir: Path) -> tuple[Any, ImporteurReleve]:
    """The test ledger, loaded, and the importer for its bank account and rules."""
    livre = load_livre(ecrire_livre(ledger_dir))
    comptes = Comptes.du_grand_livre(livre.entries)
    parametres = Parametres(
        compte=BANQUE,
        regles=charger_regles(ledger_dir / "regles.yaml", comptes, {"JARDINS"}),
        compte_attente=ATTENTE,
    )
    return livre, ImporteurReleve(parametres, charger_profils(None))


def test_importeur_beangulp(ledger_dir: Path) -> None:
    livre, importer = importeur(ledger_dir)
    releve = str(ledger_dir / "releves" / "credit-mutuel.csv")
    assert importer.identify(releve)
    assert not importer.identify(str(ledger_dir / "regles.yaml"))
    assert importer.account(releve) == BANQUE

    entries = extract_from_file(importer, releve, livre.entries)
    # three transactions, sorted by date, then the balance assertion of 6 March
    assert [type(entry).__name__ for entry in entries] == [
        "Transaction",
        "Transaction",
        "Transaction",
        "Balance",
    ]
    urssaf, region, edf, solde = entries
    assert [p.units.number for p in urssaf.postings] == [Decimal("-1234.56"), Decimal("1234.56")]
    assert urssaf.postings[1].account == "Passif:43-Organismes-sociaux:431-Urssaf"
    assert edf.flag == "!" and edf.postings[1].account == ATTENTE
    assert solde.amount.number == Decimal("11219.54")

    importer.deduplicate(entries, livre.entries)
    assert urssaf.meta[DUPLICATE].narration == "Cotisations de février"
    assert DUPLICATE not in region.meta
    assert DUPLICATE not in edf.meta


def test_importeur_beangulp_camt_et_cfonb(ledger_dir: Path) -> None:
    """camt.053 and CFONB 120 through beangulp's own extract and deduplicate."""
    livre, importer = importeur(ledger_dir)
    for name, montants, solde in (
        ("releve-camt053.xml", ["-1234.56", "2500.00", "-45.90", "-120.00"], "11099.54"),
        ("releve-cfonb120.txt", ["-1234.56", "2500.00", "-45.90"], "11219.54"),
    ):
        releve = str(ledger_dir / "releves" / name)
        assert importer.identify(releve)
        entries = extract_from_file(importer, releve, livre.entries)
        *transactions, balance = entries
        assert [t.postings[0].units.number for t in transactions] == [Decimal(m) for m in montants]
        assert balance.amount.number == Decimal(solde)
        importer.deduplicate(entries, livre.entries)
        assert [DUPLICATE in t.meta for t in transactions] == [True] + [False] * (len(montants) - 1)
