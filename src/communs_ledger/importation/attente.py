"""Imported entries still waiting on the suspense account: a warning of ``communs verifier``.

``communs importer`` books an operation no rule recognises on the suspense account
(``importation: compte_attente``, 471 by default), flagged ``!`` with ``a_revoir``
(:mod:`.ecritures`). Until the treasurer has moved it to its right account, the
ledger has no error, yet its statements are wrong: the warning counts those entries,
totals them, and points at the first ones with their ``file:line``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from beancount.core import data

from ..chargement import Diagnostic
from ..codes import account_code
from ..config import Config
from ..formatage import montant, pluriel
from ..montants import ZERO
from ..mouvements import is_forecast
from ..sources import display_path
from .ecritures import CLE_A_REVOIR
from .reglages import import_config

LIEUX_MONTRES = 5
"""How many entries the warning names by ``file:line``."""


def _est_attente(account: str, code: str) -> bool:
    if code.isdigit():
        return (account_code(account) or "").startswith(code)
    return account == code or account.startswith(code + ":")


def _en_attente(entry: Any, code: str) -> Decimal | None:
    """The amount ``entry`` leaves on the suspense account when it still waits to be
    reviewed (flag ``!`` or ``a_revoir``), else None."""
    if not isinstance(entry, data.Transaction) or is_forecast(entry):
        return None
    if entry.flag != "!" and CLE_A_REVOIR not in (entry.meta or {}):
        return None
    amounts = [
        abs(posting.units.number)
        for posting in entry.postings
        if _est_attente(posting.account, code) and posting.units.number is not None
    ]
    return sum(amounts, ZERO) if amounts else None


def avertissement_attente(config: Config, entries: list[Any]) -> list[Diagnostic]:
    """One warning at the first imported entry still on the suspense account (none if
    there is no such entry)."""
    code = import_config(config).compte_attente
    found = [(e, amount) for e in entries if (amount := _en_attente(e, code)) is not None]
    if not found:
        return []
    places = [
        f"{display_path(e.meta.get('filename', '?'))}:{e.meta.get('lineno', 0)}" for e, _ in found
    ]
    listed = ", ".join(places[:LIEUX_MONTRES])
    if len(places) > LIEUX_MONTRES:
        listed += f" … et {pluriel(len(places) - LIEUX_MONTRES, 'autre')}"
    total = sum((amount for _, amount in found), ZERO)
    count = len(found)
    waits = (
        "écriture importée attend d'être revue"
        if count == 1
        else "écritures importées attendent d'être revues"
    )
    message = (
        f"{count} {waits} au compte d'attente {code} ({montant(total)} au total) : {listed} ; "
        f"pour {'elle' if count == 1 else 'chacune'}, remplacez le compte d'attente par le "
        "bon compte, puis retirez le « ! » et la ligne a_revoir (voir « Revoir les "
        "opérations du compte d'attente » dans le chapitre Importation) ; le compte "
        "d'attente doit être soldé à la clôture"
    )
    first = found[0][0]
    return [
        Diagnostic(
            display_path(first.meta.get("filename", "?")), first.meta.get("lineno", 0), message
        )
    ]
