"""Emploi of each convention (``conventions/emploi.py``) on the small ledger of
:mod:`livre_subventions`, every figure computed by hand in the comments."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.conventions.emploi import emplois
from communs_ledger.conventions.fichier import conventions_du_grand_livre
from communs_ledger.rapports.source import RapportImpossible, Source
from livre_subventions import ecrire

D = Decimal
DEBUT, FIN = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def _emplois(folder: Path, **kwargs):
    livre = load_livre(ecrire(folder, **kwargs))
    assert livre.ok, livre.diagnostics
    source = Source.from_livre(livre)
    conventions, errors = conventions_du_grand_livre(livre.context)
    assert errors == [] and conventions is not None
    return source, conventions


def test_emplois_directs_et_repartis(ledger_dir: Path) -> None:
    source, conventions = _emplois(ledger_dir)
    found = emplois(source, conventions, DEBUT, FIN)

    region = found["REG-CUISINE"]
    # Direct: CUISINE charges shared 2/3 (10 000 / 15 000) with DEP-CUISINE:
    #   denrées 600 → 400.00 ; salaire d'Inès 1 500 → 1 000.00 ;
    #   plus the 90.00 of denrées tagged « convention: REG-CUISINE » (its own, not shared).
    #   The 400 of bénévolat (864) is not eligible (60 61 62 64 only).
    assert region.directes_par_compte == {"6068": D("490.00"), "6411": D("1000.00")}
    assert region.directes == D("1490.00")
    # Allocated to CUISINE by the keys, then 2/3 to the Région:
    #   salaire de Claire 3 000 × 30 % = 900 → 600.00 ; Urssaf 1 000 × 30 % = 300 → 200.00 ;
    #   loyer 1 234.57 × 20 % = 246.914 → 246.91 (largest remainder: see test_analytique),
    #   then 246.91 × 2/3 = 164.6066… → 164.60 + the last cent (remainder .0066 > .0033)
    #   = 164.61, the Département 82.30.
    assert region.reparties_par_compte == {
        "6132": D("164.61"),
        "6411": D("600.00"),
        "6451": D("200.00"),
    }
    assert region.reparties == D("964.61")
    assert region.total == D("2454.61")
    assert region.par_compte == {
        "6068": D("490.00"),
        "6132": D("164.61"),
        "6411": D("1600.00"),
        "6451": D("200.00"),
    }

    dep = found["DEP-CUISINE"]
    # 1/3: denrées 200.00 + salaire 500.00 ; réparti 300 + 100 + 82.30.
    assert dep.directes == D("700.00")
    assert dep.reparties == D("482.30")
    assert dep.total == D("1182.30")

    etat = found["ETAT-2026"]
    # No project: only the tagged honoraires.
    assert (etat.directes, etat.reparties, etat.par_compte) == (
        D("500.00"),
        D(0),
        {"6226": D("500.00")},
    )


def test_les_parts_partagees_s_additionnent(ledger_dir: Path) -> None:
    source, conventions = _emplois(ledger_dir)
    found = emplois(source, conventions, DEBUT, FIN)
    # What both conventions of CUISINE use = the eligible CUISINE charges (600 + 1 500)
    # + the tagged 90 + CUISINE's allocated part (900 + 300 + 246.91), to the cent.
    total = found["REG-CUISINE"].total + found["DEP-CUISINE"].total
    assert total == D("600") + D("1500") + D("90") + D("900") + D("300") + D("246.91")


def test_sans_repartition(ledger_dir: Path) -> None:
    source, conventions = _emplois(ledger_dir)
    found = emplois(source, conventions, DEBUT, FIN, repartition=False)
    assert found["REG-CUISINE"].reparties == 0
    assert found["REG-CUISINE"].total == D("1490.00")


def test_periode_limitee(ledger_dir: Path) -> None:
    source, conventions = _emplois(ledger_dir)
    # Up to 30 April: denrées (600 → 400), salaire de Claire and loyer allocated;
    # Inès's May pay and the June tagged purchase are out.
    found = emplois(source, conventions, DEBUT, datetime.date(2026, 4, 30))
    assert found["REG-CUISINE"].directes == D("400.00")
    assert found["REG-CUISINE"].reparties == D("964.61")


def test_convention_hors_periode_ne_partage_pas(ledger_dir: Path) -> None:
    # The Département's convention starts on 1 May: April charges all go to the Région.
    from livre_subventions import CONVENTIONS

    source, conventions = _emplois(
        ledger_dir,
        conventions=CONVENTIONS.replace("    notification: 2026-02-01\n", "").replace(
            "    montant: 5000\n    debut: 2026-01-01", "    montant: 5000\n    debut: 2026-05-01"
        ),
    )
    found = emplois(source, conventions, DEBUT, FIN, repartition=False)
    # Région: denrées 600 (alone in April) + 2/3 of Inès's May pay 1 000 + tagged 90.
    assert found["REG-CUISINE"].directes == D("1690.00")
    assert found["DEP-CUISINE"].directes == D("500.00")


def test_cles_invalides(ledger_dir: Path) -> None:
    from livre_subventions import REPARTITION

    source, conventions = _emplois(
        ledger_dir, repartition=REPARTITION.replace("non_affecte: 20}", "non_affecte: 10}")
    )
    with pytest.raises(RapportImpossible, match="90 % au lieu de 100 %"):
        emplois(source, conventions, DEBUT, FIN)
