"""Exercices: every day belongs to exactly one, and they tile time without gaps."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from communs_ledger.config import ExerciceConfig, PremierExercice
from communs_ledger.exercices import Calendrier, Exercice, french_date

DAYS = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2060, 12, 31))


@st.composite
def day_months(draw: st.DrawFn) -> str:
    month = draw(st.integers(1, 12))
    last = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)  # 29-02 is refused
    day = draw(st.integers(1, last))
    return f"{day:02d}-{month:02d}"


@given(debut=day_months(), day=DAYS)
def test_chaque_jour_appartient_a_son_exercice(debut: str, day: datetime.date) -> None:
    calendrier = Calendrier(ExerciceConfig(debut=debut))
    exercice = calendrier.containing(day)
    assert exercice.contains(day)
    assert exercice.debut <= day <= exercice.fin
    # Opening on the configured day and month.
    assert exercice.debut.strftime("%d-%m") == debut
    assert 365 <= (exercice.fin_exclusive - exercice.debut).days <= 366
    # Every day of the exercice gives back the same exercice.
    assert calendrier.containing(exercice.debut) == exercice
    assert calendrier.containing(exercice.fin) == exercice


@given(debut=day_months(), first=DAYS, span=st.integers(0, 3000))
def test_les_exercices_pavent_le_temps(debut: str, first: datetime.date, span: int) -> None:
    calendrier = Calendrier(ExerciceConfig(debut=debut))
    last = first + datetime.timedelta(days=span)
    exercices = calendrier.between(first, last)
    assert exercices[0].contains(first)
    assert exercices[-1].contains(last)
    for before, after in itertools.pairwise(exercices):
        assert after.debut == before.fin_exclusive  # no gap, no overlap
    # Exactly one exercice of the list holds any day of the span.
    for offset in (0, span // 3, span // 2, span):
        day = first + datetime.timedelta(days=offset)
        assert sum(1 for e in exercices if e.contains(day)) == 1


@given(
    debut=day_months(),
    start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 1, 1)),
    length=st.integers(30, 700),
    day=DAYS,
)
def test_premier_exercice_irregulier_sans_trou(
    debut: str, start: datetime.date, length: int, day: datetime.date
) -> None:
    fin = start + datetime.timedelta(days=length)
    config = ExerciceConfig(debut=debut, premier=PremierExercice(debut=start, fin=fin))
    calendrier = Calendrier(config)
    premier = calendrier.containing(start)
    assert (premier.debut, premier.fin) == (start, fin)
    following = calendrier.containing(premier.fin_exclusive)
    assert following.debut == premier.fin_exclusive
    assume(day > fin)
    exercice = calendrier.containing(day)
    assert exercice.contains(day)
    chain = calendrier.between(premier.debut, day)
    assert chain[0] == premier
    for before, after in itertools.pairwise(chain):
        assert after.debut == before.fin_exclusive


@pytest.mark.parametrize(
    ("debut", "day", "code", "bounds", "version"),
    [
        ("01-01", "2025-06-15", "2025", ("2025-01-01", "2025-12-31"), "2025"),
        ("01-01", "2024-12-31", "2024", ("2024-01-01", "2024-12-31"), "2018"),
        ("01-07", "2025-06-15", "2024-2025", ("2024-07-01", "2025-06-30"), "2018"),
        ("01-07", "2025-07-01", "2025-2026", ("2025-07-01", "2026-06-30"), "2025"),
        ("01-09", "2024-08-31", "2023-2024", ("2023-09-01", "2024-08-31"), "2018"),
        ("28-02", "2024-02-29", "2024-2025", ("2024-02-28", "2025-02-27"), "2018"),
        ("31-12", "2025-12-30", "2024-2025", ("2024-12-31", "2025-12-30"), "2018"),
    ],
)
def test_exercices_calcules_a_la_main(
    debut: str, day: str, code: str, bounds: tuple[str, str], version: str
) -> None:
    exercice = Calendrier(ExerciceConfig(debut=debut)).containing(datetime.date.fromisoformat(day))
    assert exercice.code == code
    assert (exercice.debut.isoformat(), exercice.fin.isoformat()) == bounds
    assert exercice.version == version


@pytest.mark.parametrize("debut", ["29-02", "31-04", "00-01", "01-13", "1er-01", "2025-01-01"])
def test_debut_invalide_refuse(debut: str) -> None:
    with pytest.raises(ValueError):
        ExerciceConfig(debut=debut)


def test_libelle_et_dates_en_francais() -> None:
    exercice = Exercice(datetime.date(2024, 7, 1), datetime.date(2025, 6, 30))
    assert exercice.libelle == "exercice 2024-2025 (du 1er juillet 2024 au 30 juin 2025)"
    assert french_date(datetime.date(2025, 8, 15)) == "15 août 2025"
    assert str(exercice) == "2024-2025"


def test_trouver_un_exercice_par_code_ou_annee() -> None:
    calendrier = Calendrier(ExerciceConfig(debut="01-07"))
    known = calendrier.between(datetime.date(2023, 7, 1), datetime.date(2025, 12, 31))
    assert [e.code for e in known] == ["2023-2024", "2024-2025", "2025-2026"]
    assert calendrier.find("2024-2025", known) == known[1]
    assert calendrier.find("2025", known) == known[2]
    assert calendrier.find("2030", known) is None
