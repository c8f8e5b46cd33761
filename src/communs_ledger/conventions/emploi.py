"""The use (*emploi*) of each convention's resource over a period: the eligible
charges of its project(s), direct and allocated.

Shared by ``communs subventions`` (spent, left to spend), the compte-rendu
financier (CERFA 15059) and the fonds dédiés (unspent part at closing).

Which charges a convention uses, for postings dated in ``[debut, fin]``:

- only *eligible* charges: accounts whose code starts with one of the
  convention's ``charges_eligibles`` prefixes (none given: every class 6
  account); fonds dédiés engagements (689…) never count, nor contributions
  volontaires (86) unless a prefix names them;
- a charge whose posting or transaction says ``convention: REF`` belongs to
  that convention only (whatever its project), and to no other: it is never
  shared nor allocated; dated outside the convention's period, it is not a use
  of it either — one rule for the subsidies follow-up, the compte-rendu and the
  fonds dédiés, which list such charges in a warning (:func:`hors_periode`);
- otherwise, a charge of project P (``projet:`` metadata) dated within the
  period (``debut``–``fin``) of conventions naming P, and eligible to them, is
  shared between those conventions **pro rata of their amounts granted**
  (largest remainder to the cent, ties in the file's order): two conventions of
  6 000 € and 4 000 € on project P active on the same day take 60 % and 40 %
  of each charge of P;
- the indirect costs the clés de répartition allocate to project P
  (:mod:`communs_ledger.analytique.repartition`) are shared the same way, as
  *reparties*, for the conventions that pay them: ``frais_indirects: true`` in
  ``conventions.yaml`` (the convention decides, so that the subsidies
  follow-up, the compte-rendu, the fonds dédiés and the closing agree);
  ``repartition`` True or False overrides that choice for every convention.

A convention without project uses only the charges tagged with its reference.
Every split is exact to the cent: the emplois of the conventions sharing a
charge add up to it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..analytique.cles import Cles, cles_du_grand_livre
from ..analytique.repartition import Repartition, partager, repartir
from ..codes import is_charge_code
from ..formatage import montant
from ..montants import HUNDRED, ZERO
from ..mouvements import Mouvement
from ..rapports.source import RapportImpossible, Source
from ..sources import display_path
from .fichier import Convention, Conventions

PREFIXE_ENGAGEMENTS = "689"  # dotations aux fonds dédiés: not a use of the resource
PREFIXE_CONTRIBUTIONS = "86"

Cibles = tuple[tuple[str, ...], tuple[tuple[str, Decimal], ...]]
"""(references, per cent shares) of a project's charge."""


@dataclass(frozen=True)
class Emploi:
    """Use of one convention's resource over a period."""

    reference: str
    directes: Decimal
    """Eligible charges of its project(s) (or tagged with it), direct."""
    reparties: Decimal
    """Indirect charges allocated to its project(s) by the clés de répartition."""
    total: Decimal
    """``directes + reparties``."""
    par_compte: dict[str, Decimal]
    """By account code (direct and allocated)."""
    directes_par_compte: dict[str, Decimal] = field(default_factory=dict)
    reparties_par_compte: dict[str, Decimal] = field(default_factory=dict)


def eligible(convention: Convention, code: str | None) -> bool:
    """Whether a charge on ``code`` can be a use of ``convention`` (see the module)."""
    if not is_charge_code(code) or code is None or code.startswith(PREFIXE_ENGAGEMENTS):
        return False
    if convention.charges_eligibles:
        return code.startswith(convention.charges_eligibles)
    return not code.startswith(PREFIXE_CONTRIBUTIONS)


class _Partage:
    """Which conventions share a charge of a project on a day, and their weights."""

    def __init__(self, conventions: Conventions) -> None:
        self.by_project: dict[str, list[Convention]] = defaultdict(list)
        for convention in conventions:
            for projet in convention.projets:
                self.by_project[projet].append(convention)
        self._candidates: dict[tuple[str, str], tuple[Convention, ...]] = {}
        self._shares: dict[tuple[str, ...], Cibles] = {}

    def cibles(self, movement: Mouvement) -> Cibles:
        """(references, per cent shares) for a project's charge; empty if none."""
        projet = movement.projet or ""
        code = movement.code or ""
        candidates = self._candidates.get((projet, code))
        if candidates is None:
            candidates = self._candidates[(projet, code)] = tuple(
                c for c in self.by_project.get(projet, ()) if eligible(c, code)
            )
        day = movement.date
        references = tuple(c.reference for c in candidates if c.debut <= day <= c.fin)
        found = self._shares.get(references)
        if found is None:
            targets = [c for c in candidates if c.reference in references]
            total = sum((c.montant for c in targets), ZERO)
            shares = tuple((c.reference, c.montant * HUNDRED / total) for c in targets)
            found = self._shares[references] = (references, shares)
        return found


def _add(target: dict[str, dict[str, Decimal]], reference: str, code: str, amount: Decimal) -> None:
    by_code = target.setdefault(reference, defaultdict(Decimal))
    by_code[code] += amount


def _share(
    movements: list[Mouvement], partage: _Partage, target: dict[str, dict[str, Decimal]]
) -> None:
    for movement in movements:
        references, shares = partage.cibles(movement)
        if not references:
            continue
        code = movement.code or ""
        if len(references) == 1:
            _add(target, references[0], code, movement.montant)
            continue
        for reference, amount in zip(references, partager(movement.montant, shares), strict=True):
            _add(target, reference, code, amount)


def hors_periode(source: Source, conventions: Conventions, convention: Convention) -> str | None:
    """The warning listing the eligible charges tagged with ``convention`` but dated outside
    its period (not counted in its emploi), with their ``file:line``; None if there are none."""
    found: dict[int, tuple[Mouvement, Decimal]] = {}
    for movement in source.mouvements.liste:
        if convention.debut <= movement.date <= convention.fin:
            continue
        if not eligible(convention, movement.code):
            continue
        if conventions.reference_de(movement) != convention.reference:
            continue
        key = id(movement.entry)
        previous = found.get(key)
        found[key] = (movement, (previous[1] if previous else ZERO) + movement.montant)
    if not found:
        return None
    listed = []
    for movement, amount in list(found.values())[:5]:
        meta = movement.entry.meta or {}
        where = f"{display_path(meta.get('filename', '?'))}:{meta.get('lineno', 0)}"
        listed.append(f"{where} ({movement.date.strftime('%d/%m/%Y')}, {montant(amount)})")
    more = len(found) - len(listed)
    return (
        f"{convention.reference} : {len(found)} charge(s) portant « convention: "
        f"{convention.reference} » datée(s) hors de la période de la convention (du "
        f"{convention.debut.strftime('%d/%m/%Y')} au {convention.fin.strftime('%d/%m/%Y')}), "
        "non comptée(s) dans son emploi : "
        + ", ".join(listed)
        + (f" et {more} autre(s)" if more > 0 else "")
    )


def avertissement_repartition(repartition: bool, conventions: list[Convention]) -> str:
    """The warning of a report whose ``--avec/--sans-repartition`` overrides the choice of
    ``conventions`` (their ``frais_indirects``)."""
    references = ", ".join(c.reference for c in conventions)
    choice = "comptées" if repartition else "exclues"
    return (
        f"Charges indirectes réparties {choice} par l'option de la commande, contrairement "
        f"au choix de la convention ({references} : frais_indirects: "
        f"{'false' if repartition else 'true'}) : ces chiffres ne concordent plus avec le "
        "suivi des subventions, les fonds dédiés et la clôture."
    )


def emplois(
    source: Source,
    conventions: Conventions,
    debut: datetime.date,
    fin: datetime.date,
    repartition: bool | None = None,
    cles: Cles | None = None,
    reparti: Repartition | None = None,
) -> dict[str, Emploi]:
    """The emploi of every convention over ``[debut, fin]``, keyed by reference.

    ``cles``: the clés de répartition (default: the ledger's, from ``communs.yaml``;
    a keys file with errors raises :class:`RapportImpossible`). ``reparti``: the
    allocation of the same postings (``repartir`` over ``[debut, fin]``) when the caller
    has it already. See the module docstring for which charges count and how shared
    ones are split.
    """
    moves = source.mouvements.entre(debut, fin)
    direct: dict[str, dict[str, Decimal]] = {}
    allocated: dict[str, dict[str, Decimal]] = {}
    partage = _Partage(conventions)
    by_project: list[Mouvement] = []
    for movement in moves:
        code = movement.code
        if code is None or not (code[:1] == "6" or code[:2] == "86"):  # is_charge_code, inlined
            continue
        reference = conventions.reference_de(movement)
        if reference is not None:
            convention = conventions.get(reference)
            if (
                convention is not None
                and convention.debut <= movement.date <= convention.fin
                and eligible(convention, movement.code)
            ):
                _add(direct, reference, movement.code or "", movement.montant)
            continue
        if movement.projet is not None:
            by_project.append(movement)
    _share(by_project, partage, direct)
    wanted = {
        c.reference
        for c in conventions
        if (c.frais_indirects if repartition is None else repartition)
    }
    if wanted and reparti is not None:
        _share(reparti.parts, partage, allocated)
    elif wanted:
        if cles is None:
            cles, errors = cles_du_grand_livre(source.context)
            if errors:
                raise RapportImpossible(
                    "clés de répartition invalides : " + " ; ".join(str(e) for e in errors[:5])
                )
        _share(repartir(moves, cles).parts, partage, allocated)

    result: dict[str, Emploi] = {}
    for convention in conventions:
        reference = convention.reference
        own = dict(direct.get(reference, {}))
        shared = dict(allocated.get(reference, {})) if reference in wanted else {}
        by_code: dict[str, Decimal] = defaultdict(Decimal)
        for values in (own, shared):
            for code, amount in values.items():
                by_code[code] += amount
        directes = sum(own.values(), ZERO)
        reparties = sum(shared.values(), ZERO)
        result[reference] = Emploi(
            reference=reference,
            directes=directes,
            reparties=reparties,
            total=directes + reparties,
            par_compte=dict(sorted(by_code.items())),
            directes_par_compte=dict(sorted(own.items())),
            reparties_par_compte=dict(sorted(shared.items())),
        )
    return result
