"""The grand livre: every posting of the exercice, account by account, with a running
balance.

For each account: a title row, an "à nouveau" row with the opening balance
(balance-sheet accounts, classes 1 to 5), one row per posting (date, pièce,
libellé, débit, crédit, solde progressif), a total row (à nouveau included, so
that its solde is the account's balance at the closing date); then a grand total.
The running balance is signed: debit positive, credit negative.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..codes import parse_account
from ..exercices import Exercice, french_date
from ..montants import ZERO, debit_credit
from ..mouvements import Mouvement, en_masse
from ..plan import load_chart
from .comptes import est_de_bilan, libelle_compte, libelle_ecriture, piece, soldes_avant
from .entete import avertissements_devises, sous_titre
from .objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from .periode import date_d_arrete
from .resultats_anterieurs import ResultatsAnterieurs, note_resultats, resultats_anterieurs
from .source import RapportImpossible, Source


def filtre_de_compte(compte: str) -> Callable[[str], bool]:
    """Which accounts ``--compte`` selects: a code prefix (``512``, ``6``) or a full or
    partial Beancount account name (case-insensitive)."""
    text = compte.strip()
    if text.isdigit():

        def by_code(account: str) -> bool:
            code = parse_account(account).code
            return code is not None and code.startswith(text)

        return by_code
    folded = text.casefold()
    return lambda account: folded in account.casefold()


def _sort_key(account: str) -> tuple[bool, str, str]:
    code = parse_account(account).code
    return (code is None, code or "", account)


@dataclass(frozen=True, slots=True)
class _Mouvements:
    """The opening balances and the postings of the period, by account."""

    opening: dict[str, Decimal]
    by_account: dict[str, list[Mouvement]]
    anterieurs: ResultatsAnterieurs


def _mouvements(source: Source, exercice: Exercice, fin: datetime.date) -> _Mouvements:
    """Opening balances (with the earlier results carried forward) and postings to ``fin``
    (with the transfer of the earlier results, after the entry's own posting)."""
    opening = dict(soldes_avant(source, exercice.debut))
    anterieurs = resultats_anterieurs(source, exercice, opening)
    for line in anterieurs.a_nouveaux:
        opening[line.compte] = opening.get(line.compte, ZERO) + line.montant
    by_account: dict[str, list[Mouvement]] = defaultdict(list)
    for movement in source.mouvements.entre(exercice.debut, fin):
        by_account[movement.account].append(movement)
    entry = anterieurs.affectation
    if entry is not None and entry.date <= fin:
        for line in anterieurs.virement:
            moved = by_account[line.compte]
            moved.append(
                Mouvement(entry.date, line.compte, line.code, line.montant, None, entry, 0)
            )
            moved.sort(key=lambda m: m.date)  # stable: after the entry's own posting
    return _Mouvements(opening, by_account, anterieurs)


def _accounts(
    source: Source, exercice: Exercice, mouvements: _Mouvements, compte: str | None
) -> set[str]:
    """The accounts shown: those with postings or an opening balance (balance-sheet
    accounts), restricted to those ``compte`` selects."""
    accounts = set(mouvements.by_account) | {
        account
        for account, amount in mouvements.opening.items()
        if amount and est_de_bilan(parse_account(account).code)
    }
    if compte is None or not compte.strip():
        return accounts
    selected = filtre_de_compte(compte)
    if not any(selected(m.account) for m in source.mouvements.liste) and not any(
        selected(account) for account in accounts
    ):
        raise RapportImpossible(f"aucun compte ne correspond à « {compte.strip()} »")
    accounts = {account for account in accounts if selected(account)}
    if not accounts:
        raise RapportImpossible(
            f"aucun mouvement dans l'{exercice.libelle} sur les comptes "
            f"correspondant à « {compte.strip()} »"
        )
    return accounts


def _account_rows(
    account: str, label: str, exercice: Exercice, mouvements: _Mouvements
) -> tuple[list[Ligne], Decimal, Decimal]:
    """The rows of one account (title, à nouveau, postings, total), its total debit and
    total credit."""
    code = parse_account(account).code
    comptes = (account,)
    rows = [
        Ligne(
            libelle=f"{label} ({account})",
            id="compte",
            style=Style.TITRE,
            code=code,
            comptes=comptes,
        )
    ]
    balance = ZERO
    total_debit = total_credit = ZERO
    if est_de_bilan(code):
        balance = mouvements.opening.get(account, ZERO)
        debit, credit = debit_credit(balance)
        total_debit += debit or ZERO
        total_credit += credit or ZERO
        rows.append(
            Ligne(
                libelle="À nouveau",
                valeurs={
                    "date": exercice.debut,
                    "piece": None,
                    "debit": debit,
                    "credit": credit,
                    "solde": balance,
                },
                id="a_nouveau",
                niveau=2,
                code=code,
                comptes=comptes,
            )
        )
    for movement in mouvements.by_account.get(account, ()):
        amount = movement.montant
        balance += amount
        debit, credit = debit_credit(amount)
        total_debit += debit or ZERO
        total_credit += credit or ZERO
        rows.append(
            Ligne(
                libelle_ecriture(movement.entry),
                {
                    "date": movement.date,
                    "piece": piece(movement),
                    "debit": debit,
                    "credit": credit,
                    "solde": balance,
                },
                niveau=2,
                code=code,
                comptes=comptes,
            )
        )
    rows.append(
        Ligne(
            libelle=f"Total {code} {label}" if code else f"Total {label}",
            valeurs={"debit": total_debit, "credit": total_credit, "solde": balance},
            id="total_compte",
            style=Style.SOUS_TOTAL,
            code=code,
            comptes=comptes,
        )
    )
    return rows, total_debit, total_credit


@en_masse()
def grand_livre(
    source: Source,
    exercice: Exercice,
    *,
    compte: str | None = None,
    au: datetime.date | None = None,
) -> Rapport:
    """Build the grand livre of ``exercice`` (all accounts, or those ``compte`` selects)."""
    fin = date_d_arrete(exercice, au)
    chart = load_chart(exercice.version)
    mouvements = _mouvements(source, exercice, fin)
    accounts = _accounts(source, exercice, mouvements, compte)
    rows: list[Ligne] = []
    grand_debit = grand_credit = ZERO
    for account in sorted(accounts, key=_sort_key):
        label = libelle_compte(chart, account)
        account_rows, total_debit, total_credit = _account_rows(
            account, label, exercice, mouvements
        )
        rows.extend(account_rows)
        grand_debit += total_debit
        grand_credit += total_credit
    rows.append(
        Ligne(
            libelle="Total général",
            valeurs={
                "debit": grand_debit,
                "credit": grand_credit,
                "solde": grand_debit - grand_credit,
            },
            id="total",
            style=Style.TOTAL,
        )
    )
    columns = [
        Colonne("date", "Date", Genre.DATE),
        Colonne("piece", "Pièce", Genre.TEXTE),
        Colonne("debit", "Débit"),
        Colonne("credit", "Crédit"),
        Colonne("solde", "Solde"),
    ]
    notes = [
        "Solde progressif signé : débiteur en positif, créditeur en négatif.",
        f"À nouveau : solde au {french_date(exercice.debut)} des comptes de bilan "
        "(classes 1 à 5), compris dans les totaux de chaque compte.",
    ]
    if any(line.compte in accounts for line in mouvements.anterieurs.a_nouveaux):
        notes.append(note_resultats())
    warnings = []
    warnings.extend(avertissements_devises(source))
    precision = f"comptes « {compte.strip()} »" if compte is not None and compte.strip() else ""
    return Rapport(
        id="grand_livre",
        titre="Grand livre",
        association=source.association,
        parties=[Partie("grand_livre", "Grand livre", columns, rows)],
        sous_titre=sous_titre(exercice, fin, precision),
        exercice=exercice.code,
        periode=(exercice.debut, fin),
        totaux={"n": {"total_debit": grand_debit, "total_credit": grand_credit}},
        notes=notes,
        avertissements=warnings,
        meta={"plan": exercice.version, "au": fin.isoformat(), "compte": compte},
    )
