"""hledger beside communs: find (or install) it, convert a generated ledger to its journal.

The journal holds the same transactions (same accounts, amounts in EUR), the account
types of the French roots (``Actif`` asset… ``Charges`` expense, so that ``is`` and
``bs`` classify them), and the budget our budget plugin gives Fava (``custom "budget"``
entries, a monthly amount per account from a date on) as hledger periodic transactions
(``~ monthly from … to …``), balanced on the bank account: the same rules feed
``hledger bal --budget`` and ``hledger bal --forecast``. Balance assertions are left
out (hledger checks them otherwise; the figures do not change).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from communs_ledger.ecriture import write_file

JOURNAL = "hledger.journal"
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
_TYPES = {"Actif": "A", "Passif": "L", "Fonds-propres": "E", "Produits": "R", "Charges": "X"}


def find_hledger() -> tuple[str | None, str]:
    """hledger's path (installed with the Debian package if absent and possible), and
    what was done, in French."""
    found = shutil.which("hledger")
    if found:
        return found, "hledger trouvé"
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        return None, "hledger absent (pas d'apt-get utilisable pour l'installer)"
    done = subprocess.run(
        [apt, "install", "-y", "-q", "hledger"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
    )
    found = shutil.which("hledger")
    if found:
        return found, "hledger installé (paquet Debian)"
    reason = (done.stderr.strip().splitlines() or ["échec"])[-1]
    return None, f"hledger absent, installation impossible : {reason}"


def _amount(number: Decimal, currency: str) -> str:
    return f"{number} {currency}"


def journal(main: Path) -> Path:
    """The hledger journal of the ledger ``main`` (written once beside it)."""
    target = main.parent / JOURNAL
    if target.exists():
        return target
    from beancount import loader
    from beancount.core import data

    entries, errors, _options = loader._uncached_load_file(str(main), None, None, None)
    if errors:
        raise RuntimeError(f"{main} : {len(errors)} erreur(s) au chargement")
    lines = [f"account {root}  ; type: {kind}" for root, kind in _TYPES.items()]
    lines.append("")
    budgets: dict[str, list[tuple[date, Decimal, str]]] = defaultdict(list)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            lines.append(f"{entry.date} {entry.narration}".rstrip())
            for posting in entry.postings:
                units = posting.units
                lines.append(f"    {posting.account}  {_amount(units.number, units.currency)}")
            lines.append("")
        elif isinstance(entry, data.Custom) and entry.type == "budget":
            account, _period, amount = (value.value for value in entry.values)
            budgets[account].append((entry.date, amount.number, amount.currency))
    for account, steps in sorted(budgets.items()):
        lines += _periodic(account, sorted(steps, key=lambda step: step[0]))
    write_file(target, "\n".join(lines) + "\n", replace=True)
    return target


def _periodic(account: str, steps: list[tuple[date, Decimal, str]]) -> list[str]:
    """Periodic transactions for one account's budget steps (a monthly amount from a
    date to the next step's): hledger's monthly rules start on a first of month, so the
    dates are taken to theirs, and equal consecutive amounts make one rule."""
    rules: list[list] = []  # [start, end, number, currency]
    for (start, number, currency), following in zip(steps, [*steps[1:], None], strict=True):
        start = start.replace(day=1)
        end = following[0].replace(day=1) if following else None
        if not number or (end is not None and end <= start):
            continue
        if rules and rules[-1][1] == start and rules[-1][2:] == [number, currency]:
            rules[-1][1] = end
        else:
            rules.append([start, end, number, currency])
    lines = []
    for start, end, number, currency in rules:
        lines.append(f"~ monthly from {start}" + (f" to {end}" if end else ""))
        lines.append(f"    {account}  {_amount(number, currency)}")
        lines.append(f"    {BANQUE}")
        lines.append("")
    return lines


def resultat_hledger(hledger: str, journal_path: Path, debut: str, fin: str) -> Decimal:
    """The exercice's result by hledger: − Σ of the Produits and Charges accounts over
    the period, contributions volontaires (86, 87) excluded as in the compte de résultat."""
    done = subprocess.run(
        [
            hledger,
            "-f",
            str(journal_path),
            "bal",
            "^Produits",
            "^Charges",
            "--flat",
            "-N",
            "-b",
            debut,
            "-e",
            fin,
            "-O",
            "csv",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    total = Decimal(0)
    for row in done.stdout.splitlines()[1:]:
        account, _comma, balance = row.partition(",")
        account, balance = account.strip('"'), balance.strip('"')
        parts = account.split(":")
        if len(parts) > 1 and parts[1][:2] in ("86", "87"):
            continue
        for piece in balance.split(", "):
            if piece.strip() and piece.strip() != "0":
                total += Decimal(piece.split()[0])
    return -total
