"""Affectation du résultat after the AG: report à nouveau (110/119) and réserves (1068).

The ledger has no closing entry moving the result to 12: the bilan (and Fava,
through Beancount's ``account_previous_earnings`` option, the 110 account)
compute the results of earlier exercices from classes 6 and 7 and show them
as report à nouveau. So the result R of exercice E already sits in
« report à nouveau » from the first day of E+1; the affectation voted by the AG
(R = X to report à nouveau + Y to réserves) only moves what leaves it::

    2025-06-14 * "Affectation du résultat de l'exercice 2024 (AG du 14/06/2025)"
      affectation: "2024"
      Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur      Y EUR
      Fonds-propres:10-Fonds-propres:1068-Reserves-pour-projet             -Y EUR

A loss carried forward (X < 0) is moved to 119 (report à nouveau débiteur):
110 is credited by R and 119 debited by |X|; a loss charged to réserves
(Y < 0) debits 1068. Postings of zero are left out: with Y = 0 and X ≥ 0 the
entry has no posting at all, yet it is written all the same, for it records the
AG's vote — the balance, the grand livre and the FEC (which carry R on 120/129
until the affectation, :mod:`communs_ledger.rapports.resultats_anterieurs`) move
R to 110 on its date, and a second vote is refused::

    2025-06-14 * "Affectation du résultat de l'exercice 2024 (AG du 14/06/2025)"
      affectation: "2024"

In every case the bilan of E+1 shows report à nouveau + X and réserves + Y, and
X + Y must equal R to the cent.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..codes import account_code, parse_account
from ..exercices import Exercice
from ..fonds_dedies.ecritures import comptes_ouverts, nom_de_compte
from ..formatage import montant
from ..montants import ZERO
from ..rapports.source import Source
from ..sources import display_path
from ..texte_beancount import Transaction, texte_des_transactions
from .verrou import META_AFFECTATION, Cloture

CODE_REPORT_CREDITEUR = "110"
CODE_REPORT_DEBITEUR = "119"
CODE_RESERVES = "1068"


def resultat_de(source: Source, exercice: Exercice) -> Decimal:
    """The result of ``exercice``: produits − charges (classes 7 and 6; 86/87 are class 8)."""
    total = ZERO
    for mouvement in source.mouvements.entre(exercice.debut, exercice.fin):
        code = mouvement.code or ""
        if code[:1] in ("6", "7"):
            total -= mouvement.montant
    return total


def deja_affecte(entries: list[Any], exercice: Exercice) -> Any | None:
    """The affectation entry of ``exercice`` already in the ledger, if any."""
    for entry in entries:
        meta = getattr(entry, "meta", None) or {}
        if str(meta.get(META_AFFECTATION, "")) == exercice.code:
            return entry
    return None


@dataclass(frozen=True)
class Affectation:
    exercice: Exercice
    date: datetime.date
    resultat: Decimal
    report_a_nouveau: Decimal
    reserves: Decimal


def postings(
    affectation: Affectation, compte: Callable[[str], str], report_crediteur: str
) -> list[tuple[str, Decimal]]:
    """(account, amount) of the entry; ``compte(code)`` names the account of a code."""
    x, y, r = affectation.report_a_nouveau, affectation.reserves, affectation.resultat
    lines: list[tuple[str, Decimal]] = []
    if x < 0:
        lines.append((report_crediteur, r))
        lines.append((compte(CODE_REPORT_DEBITEUR), -x))
    elif y:
        lines.append((report_crediteur, y))
    if y:
        lines.append((compte(CODE_RESERVES), -y))
    return [(account, amount) for account, amount in lines if amount]


def compte_report(options: dict[str, Any], roots: dict[str, str]) -> str | None:
    """The account Beancount carries earlier results to, if it is a 110."""
    name = options.get("account_previous_earnings")
    if not name:
        return None
    full = (
        name
        if name.startswith(roots.get("fonds_propres", "Fonds-propres") + ":")
        else (f"{roots.get('fonds_propres', 'Fonds-propres')}:{name}")
    )
    code = parse_account(full).code or ""
    return full if code.startswith(CODE_REPORT_CREDITEUR) else None


class AffectationImpossible(Exception):
    """The vote cannot be booked (French message: why, and that nothing is written)."""


@dataclass(frozen=True, slots=True)
class EcritureAffectation:
    """The affectation voted by the AG and the entry recording it (no ``lignes`` when the
    whole result of an excédent stays in report à nouveau: the entry still records the
    vote)."""

    affectation: Affectation
    lignes: tuple[tuple[str, Decimal], ...]
    texte: str


def _verifier_date(exercice: Exercice, clotures: Sequence[Cloture], jour: datetime.date) -> None:
    """The exercice is closed, the AG is held after its end, in an open exercice."""
    if not any(c.exercice == exercice.code for c in clotures):
        raise AffectationImpossible(
            f"l'exercice {exercice.code} n'est pas clôturé : clôturez-le d'abord (communs "
            f"cloture --exercice {exercice.code} --ecrire)"
        )
    if jour <= exercice.fin:
        raise AffectationImpossible(
            f"--date {jour.isoformat()} : l'AG se tient après la fin de l'exercice "
            f"({exercice.fin.isoformat()})"
        )
    for other in clotures:
        if other.debut <= jour <= other.fin:
            raise AffectationImpossible(
                f"--date {jour.isoformat()} tombe dans l'exercice {other.exercice}, "
                "clôturé : choisissez la date de l'AG dans un exercice ouvert"
            )


def _refuser_deja_affecte(entries: list[Any], exercice: Exercice) -> None:
    existing = deja_affecte(entries, exercice)
    if existing is not None:
        meta = existing.meta
        raise AffectationImpossible(
            f"le résultat de l'exercice {exercice.code} est déjà affecté "
            f"({display_path(meta.get('filename', '?'))}:{meta.get('lineno')}) : rien n'est écrit"
        )


def _parts(
    exercice: Exercice, r: Decimal, x: Decimal | None, y: Decimal | None
) -> tuple[Decimal, Decimal]:
    """(report à nouveau, réserves): the missing part is the rest of the result ``r``;
    together they make ``r``, and the réserves take a share of it (between 0 and ``r``)."""
    x = r - (y or ZERO) if x is None else x
    y = r - x if y is None else y
    if x + y != r:
        raise AffectationImpossible(
            f"report à nouveau ({montant(x)}) + réserves ({montant(y)}) = {montant(x + y)}, "
            f"différent du résultat de l'exercice {exercice.code} ({montant(r)}) : "
            "rien n'est écrit"
        )
    if not min(r, ZERO) <= y <= max(r, ZERO):
        if r >= 0:
            limite = f"les réserves reçoivent au plus l'excédent, {montant(r)}, et pas moins de 0"
        else:
            limite = f"la perte imputée aux réserves va de {montant(r)} à 0"
        raise AffectationImpossible(
            f"--reserves {montant(y)} : l'affectation répartit le résultat de l'exercice "
            f"{exercice.code} ({montant(r)}) : {limite}. Prélever sur le report à nouveau des "
            "exercices antérieurs n'est pas une affectation du résultat : passez une écriture "
            "décidée par l'AG. Rien n'est écrit"
        )
    return x, y


def _verifier_reserves(source: Source, jour: datetime.date, y: Decimal) -> None:
    """A loss charged to réserves (``y`` < 0) debits 1068: never beyond what the réserves
    hold on the day of the AG, for a réserve account is never in debit."""
    if y >= 0:
        return
    totals = source.mouvements.totaux(None, jour)
    held = -sum(
        (
            amount
            for account, amount in totals.items()
            if (account_code(account) or "").startswith(CODE_RESERVES)
        ),
        ZERO,
    )
    if -y > held:
        jour_fr = jour.strftime("%d/%m/%Y")
        limite = (
            f"ne sont que de {montant(held)} au {jour_fr} : elles absorbent au plus "
            f"{montant(held)} de la perte (--reserves {-held})"
            if held > 0
            else f"sont nulles au {jour_fr} : aucune part de la perte ne peut leur être imputée"
        )
        raise AffectationImpossible(
            f"--reserves {montant(y)} : les réserves pour projet ({CODE_RESERVES}) {limite}, "
            "des réserves n'étant jamais débitrices ; le reste de la perte va en report à "
            "nouveau (--report-a-nouveau). Rien n'est écrit"
        )


def affectation_proposee(
    source: Source,
    exercice: Exercice,
    jour: datetime.date,
    report_a_nouveau: Decimal | None,
    reserves: Decimal | None,
    *,
    votee: bool = False,
) -> Affectation:
    """The affectation the board puts to the AG's vote, under the same rules as the vote
    (:func:`affectation_votee`, without writing anything); the whole result to report à
    nouveau when neither part is given. ``votee``: the vote is already booked (its entry
    has debited the réserves). Raises :class:`AffectationImpossible`."""
    r = resultat_de(source, exercice)
    x, y = _parts(exercice, r, report_a_nouveau, reserves)
    if not votee:
        _verifier_reserves(source, jour, y)
    return Affectation(exercice, jour, r, x, y)


def texte_affectation(
    affectation: Affectation, lines: Sequence[tuple[str, Decimal]], known: set[str], devise: str
) -> str:
    """The Beancount text of the entry, with ``open`` directives for new accounts."""
    day = affectation.date
    libelle = (
        f"Affectation du résultat de l'exercice {affectation.exercice.code} "
        f"(AG du {day.strftime('%d/%m/%Y')})"
    )
    meta = ((META_AFFECTATION, affectation.exercice.code),)
    return texte_des_transactions([Transaction(day, libelle, meta, tuple(lines))], known, devise)


def affectation_votee(
    source: Source,
    options: dict[str, Any],
    exercice: Exercice,
    clotures: Sequence[Cloture],
    jour: datetime.date,
    report_a_nouveau: Decimal | None,
    reserves: Decimal | None,
) -> EcritureAffectation:
    """The entry booking the AG's vote on the result of ``exercice`` (one part at least
    given; the other is the rest of the result). Raises :class:`AffectationImpossible`."""
    _verifier_date(exercice, clotures, jour)
    _refuser_deja_affecte(source.entries, exercice)
    r = resultat_de(source, exercice)
    x, y = _parts(exercice, r, report_a_nouveau, reserves)
    _verifier_reserves(source, jour, y)
    affectation = Affectation(exercice, jour, r, x, y)
    roots = source.context.roots
    ouverts = comptes_ouverts(source.entries)
    version = source.context.exercice_of(jour).version

    def compte(code: str) -> str:
        return ouverts.get(code) or nom_de_compte(code, version, roots)

    report = compte_report(options, roots) or compte(CODE_REPORT_CREDITEUR)
    lines = postings(affectation, compte, report)
    known = set(ouverts.values())
    texte = texte_affectation(affectation, lines, known, source.mouvements.devise)
    return EcritureAffectation(affectation, tuple(lines), texte)
