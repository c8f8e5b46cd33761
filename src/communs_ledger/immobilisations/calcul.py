"""Depreciation plans and the figures of the register for one exercice.

Linear depreciation, prorata temporis from the mise en service, counted on the
360-day year (every month counts 30 days, « année commerciale »: the convention
of French depreciation tables, where an asset put in service on 1 April is
depreciated for 9/12 of a year in a calendar exercice, and a month gives the same
share whatever its length). Days are counted with the 30/360 rule: from D1 to D2
(excluded) ``360 × (y2 − y1) + 30 × (m2 − m1) + (d2 − d1)``, a 31st counting as
the 30th.

Each exercice's dotation is ``base × days / (360 × durée)`` rounded to the cent;
the exercice where the depreciation ends takes what is left (``base`` minus the
dotations before it), so the plan always adds up to the base exactly. A disposal
stops the plan on its date (the cession day included): the dotation of that
exercice runs to it, then the cumulated depreciation is reversed and the net
book value (VNC) goes to the charge of the assets disposed of.

Example: 3 600 € over 3 years put in service on 1 April 2025, calendar exercices:
2025: 270 days → 900.00; 2026 and 2027: 1 200.00; 2028: 90 days → what is left,
300.00.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ..dates import add_months
from ..exercices import Calendrier, Exercice
from ..montants import ZERO, to_cent
from .registre import Immobilisation

JOURS_PAR_AN = 360
ONE_DAY = datetime.timedelta(days=1)


def jours_360(debut: datetime.date, fin_exclue: datetime.date) -> int:
    """Days from ``debut`` to ``fin_exclue`` (excluded) on the 360-day year."""
    d1 = min(debut.day, 30)
    d2 = min(fin_exclue.day, 30)
    return (
        JOURS_PAR_AN * (fin_exclue.year - debut.year)
        + 30 * (fin_exclue.month - debut.month)
        + (d2 - d1)
    )


def fin_d_amortissement(item: Immobilisation) -> datetime.date:
    """The day after the last day of depreciation (cession day included)."""
    fin = add_months(item.mise_en_service, 12 * item.duree)
    if item.cession is not None:
        fin = min(fin, item.cession.date + ONE_DAY)
    return fin


@dataclass(frozen=True, slots=True)
class Annuite:
    """One line of a plan: the dotation of an exercice and the totals at its end."""

    exercice: Exercice
    jours: int
    dotation: Decimal
    cumul: Decimal
    """Cumulated depreciation at the end of the exercice."""
    vnc: Decimal
    """Net book value at the end of the exercice (before a disposal)."""


def plan_d_amortissement(item: Immobilisation, calendrier: Calendrier) -> list[Annuite]:
    """The plan of ``item``: one line per exercice from its mise en service to the end
    of its depreciation (or its disposal)."""
    fin = fin_d_amortissement(item)
    total_jours = JOURS_PAR_AN * item.duree
    complet = item.cession is None or fin == add_months(item.mise_en_service, 12 * item.duree)
    result: list[Annuite] = []
    cumul = ZERO
    for exercice in calendrier.between(item.mise_en_service, fin - ONE_DAY):
        debut = max(exercice.debut, item.mise_en_service)
        stop = min(exercice.fin_exclusive, fin)
        jours = jours_360(debut, stop)
        if complet and stop == fin:
            dotation = item.base - cumul  # the last exercice absorbs the rounding
        else:
            dotation = to_cent(item.base * jours / total_jours)
        cumul += dotation
        result.append(Annuite(exercice, jours, dotation, cumul, item.valeur_origine - cumul))
    return result


@dataclass(frozen=True, slots=True)
class SituationImmobilisation:
    """An asset in one exercice (amounts at the end of the exercice)."""

    immobilisation: Immobilisation
    brut_ouverture: Decimal
    entree: Decimal
    """Gross value entering during the exercice (mise en service in it)."""
    amortissements_ouverture: Decimal
    dotation: Decimal
    sortie_brut: Decimal
    """Gross value leaving the balance sheet by a disposal in the exercice."""
    sortie_amortissements: Decimal
    """Cumulated depreciation reversed by that disposal."""
    cedee: bool
    """Disposed of during the exercice."""

    @property
    def brut(self) -> Decimal:
        return self.brut_ouverture + self.entree - self.sortie_brut

    @property
    def amortissements(self) -> Decimal:
        return self.amortissements_ouverture + self.dotation - self.sortie_amortissements

    @property
    def vnc(self) -> Decimal:
        return self.brut - self.amortissements

    @property
    def valeur_cedee(self) -> Decimal:
        """The net book value of the assets disposed of (charge 675/652)."""
        return self.sortie_brut - self.sortie_amortissements


def situation(
    item: Immobilisation, exercice: Exercice, calendrier: Calendrier
) -> SituationImmobilisation | None:
    """``item`` in ``exercice``; None when it is not in the books during it (put in
    service later, or disposed of before)."""
    if item.mise_en_service > exercice.fin:
        return None
    if item.cession is not None and item.cession.date < exercice.debut:
        return None
    before = ZERO
    dotation = ZERO
    for annuite in plan_d_amortissement(item, calendrier):
        if annuite.exercice.fin < exercice.debut:
            before = annuite.cumul
        elif annuite.exercice == exercice:
            dotation = annuite.dotation
    brut_ouverture = item.valeur_origine if item.mise_en_service < exercice.debut else ZERO
    entree = item.valeur_origine - brut_ouverture
    cedee = item.cession is not None and exercice.contains(item.cession.date)
    sortie_brut = item.valeur_origine if cedee else ZERO
    sortie_amortissements = before + dotation if cedee else ZERO
    return SituationImmobilisation(
        item,
        brut_ouverture,
        entree,
        before,
        dotation,
        sortie_brut,
        sortie_amortissements,
        cedee,
    )
