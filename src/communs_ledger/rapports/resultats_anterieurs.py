"""The results of earlier exercices in the à-nouveaux of the balance, the grand livre
and the FEC.

The ledger books no closing entry: the results of earlier exercices are the
balances, before the exercice, of the accounts outside classes 1 to 5 (classes 6
to 8). The account-level reports carry them as an accountant's software does
after its closing entries, so that Σ débits = Σ crédits in every exercice:

- the result of the previous exercice on 120 (excédent) or 129 (déficit) until
  the affectation voted by the AG;
- the results of the exercices before it on 110 (report à nouveau créditeur)
  or 119 (débiteur); a result allocated by an entry stays on 110, where its
  transfer put it (the entry itself moved a déficit on to 119), so that every
  account opens at its previous closing balance.

The codes come from ``plan.yaml`` (``resultat``). The affectation of the previous
result (the entry with the metadata ``affectation: "<previous exercice>"``, dated
in the exercice) is written in the ledger as if the result already sat in report à
nouveau (110 debited of what goes to 1068, see :mod:`communs_ledger.cloture.affectation`);
these reports add to it the transfer of the result from 120/129 to 110, so that
the entry moves 120 → 1068/110 (or 129 → 110/119) and 120/129 end at zero.
Without an affectation entry, the result stays on 120/129 for the whole exercice
and joins 110/119 at the next opening.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..codes import parse_account
from ..exercices import Exercice
from ..montants import ZERO
from ..mouvements import is_forecast
from ..plan import comptes_du_resultat, load_data_yaml
from .comptes import est_de_bilan
from .source import Source

META_AFFECTATION = "affectation"


@dataclass(frozen=True, slots=True)
class LigneResultat:
    """One synthetic line: the account (of the ledger when it has one with this code, else
    the conventional one), its code, the amount (debit > 0), a label."""

    compte: str
    code: str
    montant: Decimal
    libelle: str


@dataclass
class ResultatsAnterieurs:
    a_nouveaux: list[LigneResultat] = field(default_factory=list)
    affectation: Any | None = None  # the affectation entry (Beancount Transaction)
    virement: list[LigneResultat] = field(default_factory=list)  # added to that entry
    hors_resultat: Decimal = ZERO  # part of the earlier balances outside classes 6 and 7

    @property
    def total(self) -> Decimal:
        return sum((line.montant for line in self.a_nouveaux), ZERO)


def note_resultats() -> str:
    """The note of the reports that carry earlier results as à-nouveaux."""
    codes = comptes_du_resultat()
    return (
        "Résultats antérieurs : le résultat de l'exercice précédent est repris en à-nouveau "
        f"au compte {codes.excedent} (excédent) ou {codes.deficit} (déficit) jusqu'à son "
        "affectation par l'assemblée générale ; les résultats plus anciens au compte "
        f"{codes.report_crediteur} ou {codes.report_debiteur} (report à nouveau)."
    )


def _account_for(source: Source, code: str) -> str:
    """The ledger's account of exactly this code (moved first, else opened), else the
    conventional name of the starting accounts (plan_comptable/comptes_de_depart.yaml)."""
    moved = sorted(
        account for account in source.mouvements.comptes() if parse_account(account).code == code
    )
    if moved:
        return moved[0]
    opened = sorted(
        account for account in source.comptes_ouverts() if parse_account(account).code == code
    )
    if opened:
        return opened[0]
    root = source.context.roots.get("fonds_propres", "Fonds-propres")
    for name in load_data_yaml("comptes_de_depart.yaml")["comptes"]:
        name = name if isinstance(name, str) else name.get("name", "")
        if parse_account(name).code == code:
            return ":".join([root, *name.split(":")[1:]])
    return f"{root}:{code}"


def _affectation(source: Source, exercice: Exercice, previous: Exercice) -> Any | None:
    code = previous.code
    for entry in source.avec_meta(META_AFFECTATION):
        if (
            str(entry.meta[META_AFFECTATION]) == code
            and hasattr(entry, "postings")
            and exercice.debut <= entry.date <= exercice.fin
            and not is_forecast(entry)
        ):
            return entry
    return None


def resultats_anterieurs(
    source: Source, exercice: Exercice, opening: dict[str, Decimal]
) -> ResultatsAnterieurs:
    """The earlier results of ``exercice`` as à-nouveaux, given the balances before it
    (``opening``: account → debit > 0)."""
    codes = comptes_du_resultat()
    carried = outside = ZERO
    for account, amount in opening.items():
        code = parse_account(account).code
        if not est_de_bilan(code):
            carried += amount
            if code is None or code[:1] not in ("6", "7"):
                outside += amount
    previous = source.precedent(exercice)
    last = ZERO
    if previous is not None:
        for account, amount in source.mouvements.totaux(previous.debut, previous.fin).items():
            if not est_de_bilan(parse_account(account).code):
                last += amount
    earlier = carried - last
    found = ResultatsAnterieurs(hors_resultat=outside)
    if last and previous is not None:
        code = codes.excedent if last < 0 else codes.deficit
        label = f"À-nouveau : résultat de l'exercice {previous.code} en attente d'affectation"
        found.a_nouveaux.append(LigneResultat(_account_for(source, code), code, last, label))
        entry = _affectation(source, exercice, previous)
        if entry is not None:
            found.affectation = entry
            report = codes.report_crediteur
            label = f"Affectation du résultat de l'exercice {previous.code}"
            found.virement = [
                LigneResultat(_account_for(source, code), code, -last, label),
                LigneResultat(_account_for(source, report), report, last, label),
            ]
    # A result allocated by an entry moved to 110 that year (the transfer above): it
    # stays there, whatever its sign, so that the à-nouveaux equal the closing balances
    # (the entry itself already moved a déficit from 110 to 119).
    affecte = _resultats_affectes(source, exercice, previous)
    reste = earlier - affecte
    label = "À-nouveau : report des résultats antérieurs"
    credit = affecte + (reste if reste < 0 else ZERO)
    if credit:
        code = codes.report_crediteur
        found.a_nouveaux.append(LigneResultat(_account_for(source, code), code, credit, label))
    if reste > 0:
        code = codes.report_debiteur
        found.a_nouveaux.append(LigneResultat(_account_for(source, code), code, reste, label))
    return found


def _resultats_affectes(source: Source, exercice: Exercice, previous: Exercice | None) -> Decimal:
    """Sum of the results (debit > 0) of the exercices before ``previous`` whose
    affectation entry was booked in the exercice after them."""
    total = ZERO
    if previous is None:
        return total
    known = source.exercices
    for index, earlier in enumerate(known[:-1]):
        following = known[index + 1]
        if earlier.fin >= previous.debut or following.fin >= exercice.debut:
            continue
        if _affectation(source, following, earlier) is None:
            continue
        for account, amount in source.mouvements.totaux(earlier.debut, earlier.fin).items():
            if not est_de_bilan(parse_account(account).code):
                total += amount
    return total
