"""Amounts and dates as French banks write them (importation.valeurs)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from communs_ledger.importation.valeurs import lire_date, lire_montant


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-1 234,56", "-1234.56"),
        ("+1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),  # non-breaking space
        ("1\u202f234,56", "1234.56"),  # narrow non-breaking space
        ("1.234,56", "1234.56"),  # dot thousands
        ("-12 500 000,00", "-12500000.00"),
        ("45,9", "45.9"),
        ("1584.00", "1584.00"),  # a dot-decimal export read with a comma profile
        ("1.234.567", "1234567"),  # dot thousands only
        ("12,50-", "-12.50"),  # trailing minus
        ("(12,50)", "-12.50"),  # accounting parentheses
        ("\u22123,00", "-3.00"),  # minus sign
        ("1 234,56 €", "1234.56"),
        ("-7,00 EUR", "-7.00"),
        ("0,00", "0.00"),
    ],
)
def test_montants_a_virgule(text: str, expected: str) -> None:
    assert lire_montant(text, ",", " ") == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-1,234.56", "-1234.56"), ("1234.5", "1234.5"), ("+19.99", "19.99")],
)
def test_montants_a_point(text: str, expected: str) -> None:
    assert lire_montant(text, ".", ",") == Decimal(expected)


def test_milliers_point_declares() -> None:
    assert lire_montant("1.234", ",", ".") == Decimal(1234)


def test_cellule_vide() -> None:
    assert lire_montant("   ", ",", " ") is None


@pytest.mark.parametrize("text", ["12,5,0", "douze", "1,2.3,4", "--3", "12 €€"])
def test_montants_illisibles(text: str) -> None:
    with pytest.raises(ValueError, match=f"montant « {text} » illisible"):
        lire_montant(text, ",", " ")


@pytest.mark.parametrize(
    ("text", "formats", "expected"),
    [
        ("05/03/2026", ["JJ/MM/AAAA"], datetime.date(2026, 3, 5)),
        ("5/3/2026", ["JJ/MM/AAAA"], datetime.date(2026, 3, 5)),
        ("05/03/26", ["JJ/MM/AAAA", "JJ/MM/AA"], datetime.date(2026, 3, 5)),
        ("05/03/99", ["JJ/MM/AA"], datetime.date(1999, 3, 5)),
        ("2026-03-05", ["JJ/MM/AAAA", "AAAA-MM-JJ"], datetime.date(2026, 3, 5)),
        ("2026-03-05T10:12:00", ["AAAA-MM-JJ"], datetime.date(2026, 3, 5)),
        ("05/03/2026 00:00:00", ["JJ/MM/AAAA"], datetime.date(2026, 3, 5)),
        ("20261130", ["AAAAMMJJ"], datetime.date(2026, 11, 30)),
        ("30.11.2026", ["JJ.MM.AAAA"], datetime.date(2026, 11, 30)),
    ],
)
def test_dates(text: str, formats: list[str], expected: datetime.date) -> None:
    assert lire_date(text, formats) == expected


def test_date_impossible() -> None:
    with pytest.raises(ValueError) as raised:
        lire_date("31/11/2026", ["JJ/MM/AAAA"])
    assert str(raised.value) == "date « 31/11/2026 » illisible (format attendu : JJ/MM/AAAA)"


def test_date_autre_format() -> None:
    with pytest.raises(ValueError) as raised:
        lire_date("2026-11-30", ["JJ/MM/AAAA", "JJ/MM/AA"])
    assert str(raised.value) == (
        "date « 2026-11-30 » illisible (format attendu : JJ/MM/AAAA ou JJ/MM/AA)"
    )


def test_format_inconnu() -> None:
    with pytest.raises(ValueError, match="format de date « MM-QQ » inconnu"):
        lire_date("12-04", ["MM-QQ"])


@pytest.mark.parametrize(
    ("text", "decimale", "milliers", "expected"),
    [
        ("12,50", ".", ",", "12.50"),  # a comma decimal under a dot profile: was 1 250
        ("1,234,567.50", ".", ",", "1234567.50"),
        ("100.000", ".", "", "100.000"),  # OFX: no thousands separator, so 100 €
        ("1.234", ",", ".", "1234"),
    ],
)
def test_separateurs_sans_ambiguite(text: str, decimale: str, milliers: str, expected: str) -> None:
    assert lire_montant(text, decimale, milliers) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "decimale", "milliers", "debut"),
    [
        ("1,234.56", ",", " ", "montant « 1,234.56 » ambigu : écrit à l'anglaise"),
        ("1.234,56", ".", ",", "montant « 1.234,56 » ambigu : écrit à la française"),
        ("12,345", ",", " ", "montant « 12,345 » ambigu : 12\u202f345 ou 12,345 ?"),
        ("1.234", ",", " ", "montant « 1.234 » ambigu : 1\u202f234 ou 1,234 ?"),
        ("12.345", ".", "", "montant « 12.345 » à plus de deux décimales"),
        ("0,001", ",", " ", "montant « 0,001 » à plus de deux décimales"),
    ],
)
def test_montants_ambigus(text: str, decimale: str, milliers: str, debut: str) -> None:
    with pytest.raises(ValueError) as raised:
        lire_montant(text, decimale, milliers)
    assert str(raised.value).startswith(debut)
