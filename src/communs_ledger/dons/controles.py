"""The checks of ``communs verifier`` for donations and fees: the registers (file:line),
gifts naming an unknown donor or a donor without address, gifts' metadata, fees naming
an unknown member, the register of receipts issued."""

from __future__ import annotations

import datetime
from typing import Any

from ..config import Config
from ..sources import SourceError
from .adhesions import erreurs_des_adherents
from .collecte import collecter
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
