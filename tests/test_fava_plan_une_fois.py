"""The Fava pages compute the cash plan once per load of the ledger, with the same
figures as a plan computed afresh."""

from __future__ import annotations

from beancount import loader

from communs_ledger.fava_ext.etat import construire
from communs_ledger.previsions.modele import BASE
from communs_ledger.previsions.plan import plan_de_tresorerie
from communs_ledger.rendu import Format, render
from conftest import EXEMPLE


def test_plan_calcule_une_fois_par_chargement() -> None:
    entries, errors, options = loader.load_file(str(EXEMPLE))
    etat = construire(entries, options, list(errors))
    first = etat.plan_de_tresorerie(scenarios=[BASE])
    assert etat.plan_de_tresorerie(scenarios=[BASE]) is first  # the next request: no rebuild
    assert etat.plan_de_tresorerie() is first  # the default scenario is the base
    fresh = plan_de_tresorerie(etat.source, etat.entrees, scenarios=[BASE])
    assert render(first, Format.json) == render(fresh, Format.json)
    six = etat.plan_de_tresorerie(mois=6)
    assert six is not first
    assert render(six, Format.json) == render(
        plan_de_tresorerie(etat.source, etat.entrees, mois=6), Format.json
    )
    # a reload gives a new state, whose plan is computed again
    again = construire(entries, options, list(errors))
    assert again.plan_de_tresorerie() is not first
