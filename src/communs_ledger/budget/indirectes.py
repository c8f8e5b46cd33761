"""A project's share of the indirect charges of a budget, by the clés de répartition.

For the budget of a project (CERFA 12156 « Charges indirectes affectées au
projet »): every budget line of charges (class 6) *without* project is an
indirect charge when a key of :mod:`communs_ledger.analytique.cles` claims its
code with no ``tiers:`` (a budget line has no payee) on the dates of its
échéances. The line's amount due while a key is in force is split by that key
(:func:`~communs_ledger.analytique.repartition.partager`: largest remainder, to
the cent) and the project's part goes to the table:

- ``66`` (charges financières) → « Frais financiers »;
- ``65``, ``67``, ``68``, ``69`` → « Autres »;
- other charges → « Charges fixes de fonctionnement ».

What cannot be allocated is said, never guessed: no keys at all; a line whose
keys depend on the payee (salaries shared by time spent, ``tiers:``); a line
coarser than the keys (``62`` when keys name ``622``, ``623``…).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..analytique.cles import Cle, Cles
from ..analytique.repartition import partager
from ..formatage import montant
from ..montants import ZERO
from .fichier import LigneBudget

CHARGES_FIXES = "charges_fixes_fonctionnement"
FRAIS_FINANCIERS = "frais_financiers"
AUTRES = "autres_charges_indirectes"


def ligne_du_tableau(code: str) -> str:
    """The line of the block « Charges indirectes affectées au projet » for a code."""
    if code[:2] == "66":
        return FRAIS_FINANCIERS
    if code[:2] in ("65", "67", "68", "69"):
        return AUTRES
    return CHARGES_FIXES


@dataclass(frozen=True)
class PartIndirecte:
    ligne: LigneBudget
    cle: Cle
    base: Decimal  # amount of the line under this key
    part: Decimal  # the project's share of it


@dataclass
class ChargesIndirectes:
    parts: list[PartIndirecte] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)

    def par_ligne_du_tableau(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for part in self.parts:
            totals[ligne_du_tableau(part.ligne.compte)] += part.part
        return dict(totals)


def _plus_fines(code: str, cles: Cles) -> list[str]:
    """Key prefixes that extend ``code`` (the line covers more than they claim)."""
    return sorted({p for cle in cles for p in cle.comptes if p.startswith(code) and p != code})


def charges_indirectes(lignes: Iterable[LigneBudget], projet: str, cles: Cles) -> ChargesIndirectes:
    """The share of ``projet`` in the budget ``lignes`` without project (see module doc)."""
    result = ChargesIndirectes()
    general = [
        line
        for line in lignes
        if line.projet is None and line.compte[:1] == "6" and line.montant != 0
    ]
    if not len(cles):
        total = sum((line.montant for line in general), ZERO)
        result.avertissements.append(
            f"Aucune clé de répartition (analytique/) : les charges indirectes du projet "
            f"{projet} ne sont pas comptées ; les {montant(total)} de charges générales du "
            "budget restent à la structure, et l'excédent éventuel du projet les ignore."
        )
        return result
    tiers: list[str] = []
    grossieres: list[str] = []
    for line in general:
        by_key: dict[Cle, Decimal] = defaultdict(Decimal)
        for debut, _fin, amount in line.echeances:
            cle = cles.cle_de(line.compte, None, debut)
            if cle is not None:
                by_key[cle] += amount
        for cle, base in by_key.items():
            shares = dict(zip((n for n, _p in cle.parts), partager(base, cle.parts), strict=True))
            part = shares.get(projet, ZERO)
            if part:
                result.parts.append(PartIndirecte(line, cle, base, part))
        if by_key:
            continue
        named = [
            c.tiers for c in cles if c.tiers is not None and c.prefixe(line.compte) is not None
        ]
        label = f"{line.compte} {line.libelle}" if line.libelle else line.compte
        if named:
            listed = ", ".join(sorted(set(named)))
            tiers.append(f"{label} ({montant(line.montant)} ; clés par tiers : {listed})")
        elif finer := _plus_fines(line.compte, cles):
            grossieres.append(f"{label} ({montant(line.montant)} ; clés sur {', '.join(finer)})")
    if tiers:
        result.avertissements.append(
            "Charges générales du budget non réparties sur le projet : leurs clés dépendent "
            "du tiers (temps passé d'un salarié), qu'une ligne de budget ne porte pas : "
            + " ; ".join(tiers)
            + f". Budgétez la part du projet sur une ligne « projet: {projet} »."
        )
    if grossieres:
        result.avertissements.append(
            "Charges générales du budget non réparties sur le projet : la ligne couvre plus "
            "de comptes que ses clés de répartition : "
            + " ; ".join(grossieres)
            + ". Budgétez au numéro des clés pour les répartir."
        )
    return result
