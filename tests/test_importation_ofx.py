"""OFX statements: SGML OFX 1.x (as French banks export it) and XML OFX 2.x."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.importation.lecture import lire_releve
from communs_ledger.importation.modele import ErreurImport, SoldeReleve
from conftest import ROOT

RELEVES = ROOT / "tests" / "donnees" / "releves"
D = Decimal


def test_ofx1_sgml_windows_1252_virgules() -> None:
    releve = lire_releve(RELEVES / "releve-ofx1.ofx", [])
    assert (releve.format, releve.encodage, releve.cle_reference) == (
        "ofx",
        "windows-1252",
        "fitid",
    )
    assert [
        (op.ligne, op.date.isoformat(), op.montant, op.libelle, op.reference)
        for op in releve.operations
    ] == [
        (40, "2026-03-02", D("-1234.56"), "PRLV SEPA URSSAF DSN FÉVRIER 2026", "0A1B2C3D4E"),
        (
            49,
            "2026-03-03",
            D("2500.00"),
            "VIR SEPA RÉGION ÎLE-DE-FRANCE ACOMPTE & SOLDE",
            "0A1B2C3D4F",
        ),
        (57, "2026-03-05", D("-45.90"), "PRLV SEPA EDF CLIENT 12345", "0A1B2C3D50"),
        (65, "2026-03-06", D("-120.00"), "CHEQUE n° 8012345", "0A1B2C3D51"),
    ]
    # LEDGERBAL 11 219,54 − 120,00 as of 11 March: asserted at the start of 12 March
    assert releve.solde == SoldeReleve(datetime.date(2026, 3, 12), D("11099.54"), "LEDGERBAL")


def test_ofx2_xml() -> None:
    releve = lire_releve(RELEVES / "releve-ofx2.ofx", [])
    assert releve.encodage == "utf-8"
    assert [
        (op.date.isoformat(), op.montant, op.libelle, op.reference) for op in releve.operations
    ] == [
        ("2026-03-02", D("-1234.56"), "PRLV SEPA URSSAF", "X-2026-0001"),
        ("2026-03-03", D("2500.00"), "VIR SEPA RÉGION ÎLE-DE-FRANCE ACOMPTE", "X-2026-0002"),
    ]
    assert releve.solde == SoldeReleve(datetime.date(2026, 3, 4), D("11265.44"), "LEDGERBAL")


def _ofx(tmp_path: Path, transactions: str, extra: str = "") -> Path:
    path = tmp_path / "releve.ofx"
    path.write_text(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nCHARSET:1252\n\n<OFX>\n<BANKMSGSRSV1>\n"
        "<STMTTRNRS>\n<STMTRS>\n<CURDEF>EUR\n<BANKACCTFROM>\n<ACCTID>1\n</BANKACCTFROM>\n"
        f"<BANKTRANLIST>\n{transactions}</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n{extra}"
        "</BANKMSGSRSV1>\n</OFX>\n",
        encoding="cp1252",
    )
    return path


def test_feuille_vide_sans_balise_fermante(tmp_path: Path) -> None:
    """An empty unclosed MEMO must not swallow the NAME that follows."""
    path = _ofx(
        tmp_path,
        "<STMTTRN>\n<DTPOSTED>20260302\n<TRNAMT>-5,00\n<FITID>A1\n<MEMO>\n<NAME>FRAIS\n</STMTTRN>\n",
    )
    (operation,) = lire_releve(path, []).operations
    assert (operation.libelle, operation.montant) == ("FRAIS", D("-5.00"))


@pytest.mark.parametrize(
    ("transaction", "message"),
    [
        (
            "<STMTTRN>\n<DTPOSTED>20261341\n<TRNAMT>-5,00\n</STMTTRN>\n",
            "releve.ofx, ligne 16 : date DTPOSTED « 20261341 » illisible (AAAAMMJJ attendu)",
        ),
        (
            "<STMTTRN>\n<DTPOSTED>20260302\n<TRNAMT>cinq\n</STMTTRN>\n",
            "releve.ofx, ligne 17 : montant TRNAMT « cinq » illisible",
        ),
        (
            "<STMTTRN>\n<TRNAMT>-5,00\n</STMTTRN>\n",
            "releve.ofx, ligne 15 : DTPOSTED manquant",
        ),
        ("", "releve.ofx : aucune opération dans le relevé OFX"),
    ],
)
def test_ofx_illisible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transaction: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _ofx(tmp_path, transaction)
    with pytest.raises(ErreurImport) as raised:
        lire_releve(path, [])
    assert raised.value.message == message


def test_ofx_plusieurs_comptes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    second = (
        "<STMTTRNRS>\n<STMTRS>\n<CURDEF>EUR\n<BANKACCTFROM>\n<ACCTID>2\n</BANKACCTFROM>\n"
        "</STMTRS>\n</STMTTRNRS>\n"
    )
    path = _ofx(tmp_path, "", second)
    with pytest.raises(ErreurImport) as raised:
        lire_releve(path, [])
    assert raised.value.message == (
        "releve.ofx : le fichier OFX contient 2 comptes (1, 2) : exportez un fichier par compte"
    )
