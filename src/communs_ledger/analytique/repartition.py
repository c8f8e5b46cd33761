"""Allocation of indirect costs to projects by the clés de répartition, at report time.

An *indirect* posting is a charge (classes 6 and 86) that carries no project
(neither on the posting nor on its transaction) and no ``convention:``
metadata (an entry tagged with a convention belongs to that convention only),
and that a key of :mod:`communs_ledger.analytique.cles` claims. Each one is
split by its key into a part per project and a part *non affecté*; the ledger
is never rewritten: reports add the parts of a project to its direct postings.

Rounding rule (largest remainder, Hamilton's method): each posting is split on
its own; every share is first truncated to the cent (toward zero), then the
cents left over go one by one to the shares with the largest truncated
remainders (ties: the key's order). So the parts of a posting add up to it
exactly, and any sum of postings (an account, a month, an exercice) reconciles
to the cent: Σ projects + non affecté = total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..codes import is_charge_code
from ..formatage import montant
from ..montants import HUNDRED, ZERO, split_largest_remainder
from ..mouvements import Mouvement
from .cles import NON_AFFECTE, Cle, Cles

CONVENTION_KEY = "convention"


def partager(montant: Decimal, parts: Sequence[tuple[str, Decimal]]) -> list[Decimal]:
    """``montant`` split by per cent ``parts`` (adding up to 100), largest remainder
    to the cent; the result adds up to ``montant`` exactly (same order as ``parts``)."""
    return split_largest_remainder(montant, [percent for _name, percent in parts], HUNDRED)


def rattachee_a_une_convention(movement: Mouvement) -> bool:
    entry = movement.entry
    posting_meta = entry.postings[movement.rang].meta
    if posting_meta and CONVENTION_KEY in posting_meta:
        return True
    return bool(entry.meta) and CONVENTION_KEY in entry.meta


def cle_du_mouvement(movement: Mouvement, cles: Cles) -> Cle | None:
    """The key allocating ``movement``, None if it is not an indirect cost with a key."""
    if movement.projet is not None or not is_charge_code(movement.code):
        return None
    if not len(cles) or rattachee_a_une_convention(movement):
        return None
    assert movement.code is not None
    return cles.cle_de(movement.code, getattr(movement.entry, "payee", None), movement.date)


def cles_sans_effet(mouvements: Sequence[Mouvement], cles: Cles) -> list[Cle]:
    """The keys that allocate no posting: in force before the last movement, yet no
    indirect posting of their period is theirs (a misspelt ``tiers``, prefixes that match
    no charge, another key taking precedence)."""
    if not mouvements or not len(cles):
        return []
    last = max(movement.date for movement in mouvements)
    used: set[int] = set()
    for movement in mouvements:
        cle = cle_du_mouvement(movement, cles)
        if cle is not None:
            used.add(id(cle))
    return [cle for cle in cles if id(cle) not in used and cle.du <= last]


@dataclass
class Repartition:
    """Allocation of a set of postings: the parts of projects as movements, and totals."""

    parts: list[Mouvement] = field(default_factory=list)
    """One movement per (indirect posting, project): the posting's date, account and
    transaction, the project's share as amount, ``projet`` set to the project."""
    par_cle: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    """Key code → project (or ``non_affecte``) → amount allocated."""
    totaux: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    """Key code → total of the indirect postings it allocates."""
    cles: dict[str, Cle] = field(default_factory=dict)
    """The keys used, by code."""

    def du_projet(self, projet: str) -> list[Mouvement]:
        return [part for part in self.parts if part.projet == projet]

    def projets(self) -> dict[str, Decimal]:
        """Allocated amount by project (``non_affecte`` included)."""
        result: dict[str, Decimal] = defaultdict(Decimal)
        for shares in self.par_cle.values():
            for name, amount in shares.items():
                result[name] += amount
        return result


def repartir(mouvements: Iterable[Mouvement], cles: Cles, projet: str | None = None) -> Repartition:
    """Allocate the indirect costs among ``mouvements`` by ``cles``.

    ``projet``: keep only that project's parts as movements (totals are complete).
    """
    result = Repartition()
    if not len(cles):
        return result
    split_cache: dict[tuple[str, Decimal], list[Decimal]] = {}
    parts = result.parts
    for movement in mouvements:
        code = movement.code
        # Inline of cle_du_mouvement (hot loop): charges without project nor convention.
        if movement.projet is not None or code is None or not is_charge_code(code):
            continue
        if rattachee_a_une_convention(movement):
            continue
        cle = cles.cle_de(code, getattr(movement.entry, "payee", None), movement.date)
        if cle is None:
            continue
        amount = movement.montant
        key = (cle.code, amount)
        shares = split_cache.get(key)
        if shares is None:
            shares = split_cache[key] = partager(amount, cle.parts)
        if cle.code not in result.cles:
            result.cles[cle.code] = cle
            result.par_cle[cle.code] = defaultdict(Decimal)
        result.totaux[cle.code] += amount
        by_project = result.par_cle[cle.code]
        for (name, _percent), share in zip(cle.parts, shares, strict=True):
            by_project[name] += share
            if name == NON_AFFECTE or not share or (projet is not None and name != projet):
                continue
            parts.append(
                Mouvement(
                    movement.date,
                    movement.account,
                    code,
                    share,
                    name,
                    movement.entry,
                    movement.rang,
                )
            )
    return result


def notes_de_repartition(repartition: Repartition, projet: str | None = None) -> list[str]:
    """French notes saying how indirect costs were allocated (one per key used)."""
    notes = []
    for code, cle in repartition.cles.items():
        accounts = ", ".join(cle.comptes)
        payee = f", écritures de « {cle.tiers} »" if cle.tiers else ""
        share = ""
        if projet is not None:
            amount = repartition.par_cle.get(code, {}).get(projet, ZERO)

            share = f" ; part du projet {projet} : {montant(amount)}"
        notes.append(
            f"Clé « {cle.libelle} » ({cle.location}) : comptes {accounts}{payee}, "
            f"{cle.periode}, répartis selon {cle.methode}{share}."
        )
    return notes
