"""The checks of ``communs verifier`` for donations and fees: the registers (file:line),
gifts naming an unknown donor or a donor without address, gifts' metadata, fees naming
an unknown member, the register of receipts issued."""

from __future__ import annotations

import datetime
from typing import Any

from ..chargement import Diagnostic
from ..config import Config
from ..sources import SourceError
from .adhesions import erreurs_des_adherents
from .collecte import collecter, donateurs_sans_don
from .recus import erreurs_des_donateurs
from .registres import charger_adherents, charger_donateurs, charger_recus, chemin_des_recus


def erreurs_des_dons(config: Config, entries: list[Any] | None) -> list[SourceError]:
    """Every error of the donors' and members' registers and of their use in the ledger."""
    donateurs, errors = charger_donateurs(config)
    adherents, errors_adherents = charger_adherents(config)
    errors += errors_adherents
    errors += charger_recus(chemin_des_recus(config))[1]
    if entries is not None:
        collecte = collecter(entries, datetime.date.min, datetime.date.max)
        errors += collecte.erreurs
        errors += erreurs_des_donateurs(collecte.dons, donateurs)
        errors += erreurs_des_adherents(collecte.cotisations, adherents)
    return errors


def avertissements_des_dons(entries: list[Any]) -> list[Diagnostic]:
    """A ``donateur:`` on an entry that is not a gift (754 credit): no receipt is issued.
    On a fee (756) the warning says the rule, which the ledger cannot decide: a fee opens
    a tax reduction only without counterpart for the member."""
    found = []
    for location, code, on_fee in donateurs_sans_don(entries):
        message = (
            f"donateur « {code} » sur une écriture qui n'est pas un don (crédit d'un compte "
            "754) : aucun reçu fiscal n'en sortira"
        )
        if on_fee:
            message += (
                " ; une cotisation (756) n'ouvre droit à réduction d'impôt que si "
                "l'adhérent n'en retire aucune contrepartie : dans ce cas (ou pour la part "
                "versée au-delà de la cotisation), passez-la au compte 7541 avec "
                "« donateur: », sinon retirez « donateur: »"
            )
        found.append(Diagnostic(location.filename, location.line, message))
    return found
