"""One entry typed by a user, and the Beancount text written for it."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..montants import CENT, ZERO
from ..texte_beancount import chaine

DEVISE = "EUR"
LARGEUR = 60
"""Column of the amounts (the width the example ledger uses)."""

_LIEN = re.compile(r"^[A-Za-z0-9\-_/.]+$")


class SaisieInvalide(ValueError):
    """A request that cannot become an entry (French message)."""


@dataclass(frozen=True, slots=True)
class LigneDEcriture:
    """One posting: an account and its amount (debit > 0)."""

    compte: str
    montant: Decimal


@dataclass(frozen=True, slots=True)
class Ecriture:
    """An entry to write, with the accounts it opens (missing starter accounts)."""

    date: datetime.date
    libelle: str
    lignes: tuple[LigneDEcriture, ...]
    tiers: str | None = None
    projet: str | None = None
    convention: str | None = None
    piece: str | None = None
    genre: str = ""
    ouvertures: tuple[tuple[datetime.date, str], ...] = field(default=())
    meta: tuple[tuple[str, str], ...] = field(default=())
    """Further metadata (``donateur``, ``nature``, ``paiement``, ``adherent``)."""
    a_solder: tuple[str, ...] = field(default=())
    """Accounts whose credit balance the entry pays (a template's ``solde: true`` lines):
    a payment over that balance is warned of (:func:`.modeles.depassements_de_solde`)."""

    def verifier(self) -> None:
        """Balanced, at least two lines, amounts to the cent; :class:`SaisieInvalide`."""
        if len(self.lignes) < 2:
            raise SaisieInvalide("une écriture a au moins deux lignes")
        for ligne in self.lignes:
            if ligne.montant != ligne.montant.quantize(CENT):
                raise SaisieInvalide(
                    f"montant {ligne.montant} refusé : un montant a au plus deux décimales"
                )
        total = sum((ligne.montant for ligne in self.lignes), ZERO)
        if total != 0:
            raise SaisieInvalide(f"écriture déséquilibrée : les lignes s'additionnent à {total}")


def texte_ecriture(ecriture: Ecriture) -> str:
    """The Beancount text of ``ecriture`` (its ``open`` lines first), ending with a newline."""
    lines = [f"; Saisi avec « communs saisir »{f' ({ecriture.genre})' if ecriture.genre else ''}"]
    for jour, compte in ecriture.ouvertures:
        lines.append(f"{jour} open {compte}")
    head = f"{ecriture.date} *"
    if ecriture.tiers:
        head += f" {chaine(ecriture.tiers)}"
    head += f" {chaine(ecriture.libelle)}"
    if ecriture.piece and _LIEN.match(ecriture.piece):
        head += f" ^{ecriture.piece}"
    lines.append(head)
    for key in ("projet", "convention", "piece"):
        value = getattr(ecriture, key)
        if value:
            lines.append(f"  {key}: {chaine(value)}")
    lines += [f"  {key}: {chaine(value)}" for key, value in ecriture.meta]
    width = max([LARGEUR] + [len(ligne.compte) for ligne in ecriture.lignes])
    for ligne in ecriture.lignes:
        lines.append(f"  {ligne.compte:<{width}}  {ligne.montant.quantize(CENT):>12} {DEVISE}")
    return "\n".join(lines) + "\n"
