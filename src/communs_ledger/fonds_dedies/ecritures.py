"""The Beancount entries the fonds dédiés of an exercice require.

Dated the last day of the exercice, one transaction per convention and movement,
carrying ``convention:`` (so that later computations attach them) and ``projet:``
when the convention has a single project::

    2024-12-31 * "Report en fonds dédiés : Compost de quartier (REG-COMPOST-2024)"
      convention: "REG-COMPOST-2024"
      projet: "COMPOST"
      Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions    6753.32 EUR
      Passif:19-Fonds-dedies:194-Fonds-dedies-subventions             -6753.32 EUR

Only the difference between what is computed and what is booked is written (a
correcting entry when an amount was booked already, negative if it was too
high). Accounts are the ledger's open accounts with the right number, else the
starter accounts of ``communs init``, else a name built from the chart's label;
an account not yet open gets its ``open`` directive in the same block.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import parse_account
from ..exercices import Exercice
from ..importation.comptes import compte_de_depart
from ..plan import load_chart
from ..texte_beancount import Transaction, texte_des_transactions
from .calcul import FondsDedie

_CHAPTERS = {
    "19": "Fonds-dedies",
    "28": "Amortissements",
    "46": "Debiteurs-et-crediteurs-divers",
    "65": "Autres-charges",
    "67": "Charges-exceptionnelles",
    "68": "Dotations",
    "75": "Autres-produits",
    "77": "Produits-exceptionnels",
    "78": "Reprises",
}
_ROLES = {"1": "passif", "2": "actif", "4": "actif", "6": "charges", "7": "produits"}


def slug_de_libelle(text: str) -> str:
    """``Fonds dédiés – subventions`` → ``Fonds-dedies-subventions``: a label as an
    account name segment."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_)
    return "-".join(word.capitalize() if i == 0 else word.lower() for i, word in enumerate(words))


def comptes_ouverts(entries: list[Any]) -> dict[str, str]:
    """First open (and not closed) account of the ledger for each code."""
    from beancount.core import data

    closed = {e.account for e in entries if isinstance(e, data.Close)}
    found: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, data.Open) and entry.account not in closed:
            code = parse_account(entry.account).code
            if code and code not in found:
                found[code] = entry.account
    return found


def nom_de_compte(code: str, version: str, roots: dict[str, str]) -> str:
    """A name for an account the ledger does not have: starter account, else from the chart."""
    starter = compte_de_depart(code, version, roots)
    if starter is not None:
        return starter
    chart = load_chart(version)
    account = chart.get(code) or chart.nearest(code)
    label = slug_de_libelle(account.libelle) if account else "Compte"
    role = _ROLES.get(code[:1], "passif")
    root = roots.get(role, role.capitalize())
    chapter = code[:2]
    return f"{root}:{chapter}-{_CHAPTERS.get(chapter, 'Comptes')}:{code}-{label}"


@dataclass(frozen=True)
class EcritureFondsDedies:
    """One entry to write: date, label, two postings (debit account, credit account)."""

    date: datetime.date
    libelle: str
    reference: str
    projet: str | None
    debit: str  # account name
    credit: str
    montant: Decimal  # may be negative (a correction)

    @property
    def transaction(self) -> Transaction:
        """The entry as the Beancount transaction to write."""
        meta: tuple[tuple[str, str], ...] = (("convention", self.reference),)
        if self.projet:
            meta += (("projet", self.projet),)
        postings = ((self.debit, self.montant), (self.credit, -self.montant))
        return Transaction(self.date, self.libelle, meta, postings)


def ecritures(
    fonds: list[FondsDedie], exercice: Exercice, ouverts: dict[str, str], roots: dict[str, str]
) -> list[EcritureFondsDedies]:
    """The entries still to book for the fonds dédiés of ``exercice``."""

    def account(code: str) -> str:
        return ouverts.get(code) or nom_de_compte(code, exercice.version, roots)

    result = []
    for item in fonds:
        projet = item.projets[0] if len(item.projets) == 1 else None
        famille = item.famille
        if item.utilisation_a_passer:
            result.append(
                EcritureFondsDedies(
                    exercice.fin,
                    f"Utilisation des fonds dédiés : {item.objet} ({item.reference})",
                    item.reference,
                    projet,
                    account(famille.fonds),
                    account(famille.utilisation),
                    item.utilisation_a_passer,
                )
            )
        if item.report_a_passer:
            result.append(
                EcritureFondsDedies(
                    exercice.fin,
                    f"Report en fonds dédiés : {item.objet} ({item.reference})",
                    item.reference,
                    projet,
                    account(famille.report),
                    account(famille.fonds),
                    item.report_a_passer,
                )
            )
    return result


def texte_des_ecritures(
    items: list[EcritureFondsDedies], ouverts: dict[str, str], devise: str = "EUR"
) -> str:
    """The Beancount text of the entries, with ``open`` directives for new accounts."""
    return texte_des_transactions(
        [item.transaction for item in items], set(ouverts.values()), devise
    )
