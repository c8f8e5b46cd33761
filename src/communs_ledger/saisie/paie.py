"""The payroll template's values from the forecast payroll (``previsions/paie.yaml``).

The forecast knows each post's gross of the month (raises, ETP and bonuses applied) and
its employer contributions by body (``parametres.organismes``: urssaf, retraite,
prevoyance…); it does not know how the employee's share splits between the bodies and
the income tax withheld at source (a single ``taux_salarial``): those come from the pay
journal (``--valeur urssaf_salariale=…``). Values: ``brut``, ``primes`` and
``{organisme}_patronale`` (``autres_patronales`` for a body the template does not name),
and the forecast net (gross less the employee's share, as the cash plan forecasts it),
given apart, for information, never as a control.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from ..chargement import Livre
from ..dates import month_end, month_label, month_of, month_start
from ..previsions.entrees import charger_entrees
from ..previsions.modele import Periode
from ..previsions.paie import Paie
from ..rapports.source import Source
from .ecriture import SaisieInvalide

ORGANISMES = ("urssaf", "retraite", "prevoyance")
"""The bodies the shipped payroll template names (others: ``autres_patronales``)."""


def valeurs_prevues(livre: Livre, jour: datetime.date) -> tuple[dict[str, Decimal], Decimal]:
    """The payroll template's values for the month of ``jour`` from the forecast payroll,
    and the forecast net; :class:`SaisieInvalide` (French) without a payroll file or with
    an invalid one."""
    entrees = charger_entrees(livre.context)
    paie = next((e for e in entrees.entrees if isinstance(e, Paie)), None)
    if paie is None:
        details = "; ".join(str(error) for error in entrees.erreurs[:3])
        raise SaisieInvalide(
            "pas de masse salariale prévue à reprendre (communs.yaml, previsions: paie: "
            "previsions/paie.yaml)" + (f" : {details}" if details else "")
        )
    debut, fin = month_start(jour), month_end(jour)
    prevu = paie.generer(Periode(debut, fin), None, Source.from_livre(livre))
    par_code: dict[str, Decimal] = defaultdict(Decimal)
    for ligne in prevu.resultat:
        if debut <= ligne.date <= fin:
            par_code[ligne.compte] += ligne.montant
    comptes = paie.parametres.comptes
    nom_de: dict[str, str] = {}
    for nom, code in paie.parametres.organismes.items():
        nom_de.setdefault(code, f"{nom}_patronale" if nom in ORGANISMES else "autres_patronales")
    valeurs: dict[str, Decimal] = defaultdict(Decimal)
    for code, montant in par_code.items():
        if code == comptes.salaires:
            valeurs["brut"] += montant
        elif code == comptes.primes:
            valeurs["primes"] += montant
        else:
            valeurs[nom_de.get(code, "autres_patronales")] += montant
    if not valeurs.get("brut"):
        mois = month_label(month_of(debut))
        raise SaisieInvalide(f"aucun salaire prévu en {mois} dans la masse salariale")
    salaires = [m for m in prevu.tresorerie if m.categorie == "salaires"]
    return dict(valeurs), -sum((m.montant for m in salaires), Decimal(0))
