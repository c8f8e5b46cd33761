"""The balance générale: one row per account, total débit, total crédit, solde.

Balance-sheet accounts (classes 1 to 5) start with their balance at the opening
of the exercice, taken as an "à nouveau" movement on the side of its sign;
classes 6, 7 and 8 show the movements of the exercice only. The results of
earlier exercices (classes 6 to 8 before the exercice, still in the ledger) are
à-nouveaux of 120/129 (the previous exercice's, until its affectation) and
110/119 (:mod:`.resultats_anterieurs`), so that the balance balances:
Σ débits = Σ crédits and Σ soldes débiteurs = Σ soldes créditeurs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from ..codes import parse_account
from ..exercices import Exercice, french_date
from ..formatage import montant
from ..montants import ZERO
from ..mouvements import debits_credits_par_compte
from ..plan import Chart, load_chart
from .comptes import est_de_bilan, libelle_compte, soldes_avant
from .entete import avertissements_devises
from .objets import Colonne, Ligne, Partie, Rapport, Style, cellules
from .periode import date_d_arrete
from .resultats_anterieurs import note_resultats, resultats_anterieurs
from .source import Source

NO_CODE = "sans_numero"
COLUMNS = ("debit", "credit", "solde_debiteur", "solde_crediteur")


@dataclass(frozen=True, slots=True)
class LigneBalance:
    """One account of the balance (à nouveau included for balance-sheet accounts)."""

    account: str
    code: str | None
    debit: Decimal
    credit: Decimal
    a_nouveau: Decimal  # opening balance, debit > 0 (zero for classes 6 to 8)

    @property
    def solde(self) -> Decimal:
        return self.debit - self.credit


def _values(debit: Decimal, credit: Decimal) -> dict[str, Decimal]:
    solde = debit - credit
    return {
        "debit": debit,
        "credit": credit,
        "solde_debiteur": solde if solde > 0 else ZERO,
        "solde_crediteur": -solde if solde < 0 else ZERO,
    }


def lignes_de_balance(
    source: Source, exercice: Exercice, fin: datetime.date
) -> tuple[list[LigneBalance], Decimal, Decimal]:
    """The accounts of the balance, sorted by code then name; the earlier results not yet
    assigned (debit > 0); and the part of them that is not in classes 6 and 7."""
    opening = dict(soldes_avant(source, exercice.debut))
    movements = debits_credits_par_compte(source.mouvements.entre(exercice.debut, fin))
    anterieurs = resultats_anterieurs(source, exercice, opening)
    for line in anterieurs.a_nouveaux:
        opening[line.compte] = opening.get(line.compte, ZERO) + line.montant
    entry = anterieurs.affectation
    if entry is not None and entry.date <= fin:
        for line in anterieurs.virement:
            debit, credit = movements.get(line.compte, (ZERO, ZERO))
            if line.montant > 0:
                movements[line.compte] = (debit + line.montant, credit)
            else:
                movements[line.compte] = (debit, credit - line.montant)
    accounts = set(movements)
    for account, amount in opening.items():
        if amount and est_de_bilan(parse_account(account).code):
            accounts.add(account)
    rows = []
    for account in accounts:
        code = parse_account(account).code
        debit, credit = movements.get(account, (ZERO, ZERO))
        a_nouveau = opening.get(account, ZERO) if est_de_bilan(code) else ZERO
        if a_nouveau > 0:
            debit += a_nouveau
        else:
            credit -= a_nouveau
        rows.append(LigneBalance(account, code, debit, credit, a_nouveau))
    rows.sort(key=lambda row: (row.code is None, row.code or "", row.account))
    return rows, anterieurs.total, anterieurs.hors_resultat


def _group_of(code: str | None) -> str:
    return code[:1] if code else NO_CODE


def _rows(chart: Chart, accounts: list[LigneBalance]) -> tuple[list[Ligne], dict[str, Decimal]]:
    """The rows of the balance (accounts by class, with a total per class and a grand
    total) and the grand total by column."""
    groups: dict[str, list[Ligne]] = defaultdict(list)
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(COLUMNS, ZERO))
    for row in accounts:
        group = _group_of(row.code)
        values = _values(row.debit, row.credit)
        groups[group].append(
            Ligne(
                libelle=libelle_compte(chart, row.account),
                valeurs=cellules(values),
                code=row.code,
                comptes=(row.account,),
            )
        )
        for key, value in values.items():
            sums[group][key] += value
    rows: list[Ligne] = []
    grand = dict.fromkeys(COLUMNS, ZERO)
    for group in sorted(groups, key=lambda g: (g == NO_CODE, g)):
        heading = chart.get(group) if group != NO_CODE else None
        title = (
            f"Classe {group} — {heading.libelle}"
            if heading
            else (f"Classe {group}" if group != NO_CODE else "Comptes sans numéro")
        )
        rows.append(Ligne(libelle=title, style=Style.TITRE))
        rows.extend(groups[group])
        total_label = f"Total classe {group}" if group != NO_CODE else "Total comptes sans numéro"
        rows.append(
            Ligne(
                libelle=total_label,
                valeurs=cellules(sums[group]),
                id=f"classe_{group}" if group != NO_CODE else NO_CODE,
                style=Style.SOUS_TOTAL,
            )
        )
        for key in COLUMNS:
            grand[key] += sums[group][key]
    rows.append(
        Ligne(libelle="Total général", valeurs=cellules(grand), id="total", style=Style.TOTAL)
    )
    return rows, grand


def balance(source: Source, exercice: Exercice, *, au: datetime.date | None = None) -> Rapport:
    """Build the balance générale of ``exercice`` at its closing date (or at ``au``)."""
    fin = date_d_arrete(exercice, au)
    chart = load_chart(exercice.version)
    accounts, carried_forward, outside_result = lignes_de_balance(source, exercice, fin)
    rows, grand = _rows(chart, accounts)
    columns = [
        Colonne("debit", "Total débit"),
        Colonne("credit", "Total crédit"),
        Colonne("solde_debiteur", "Solde débiteur"),
        Colonne("solde_crediteur", "Solde créditeur"),
    ]
    notes = [
        f"Comptes de bilan (classes 1 à 5) : le solde au {french_date(exercice.debut)} est "
        "repris en « à nouveau », au débit s'il est débiteur, au crédit s'il est créditeur, "
        "et compris dans les totaux débit et crédit. Classes 6, 7 et 8 : mouvements de "
        "l'exercice seulement."
    ]
    if carried_forward:
        notes.append(note_resultats())
    warnings = []
    if outside_result:
        warnings.append(
            "Les soldes antérieurs de comptes hors classes 1 à 7 (classe 8, comptes sans "
            f"numéro) ne s'annulent pas ({montant(outside_result)}) : ils sont compris dans les "
            "résultats antérieurs repris en à-nouveau."
        )
    warnings.extend(avertissements_devises(source))
    sous_titre = exercice.libelle[0].upper() + exercice.libelle[1:]
    if fin < exercice.fin:
        sous_titre += f", arrêtée au {french_date(fin)}"
    totals = {
        "total_debit": grand["debit"],
        "total_credit": grand["credit"],
        "total_solde_debiteur": grand["solde_debiteur"],
        "total_solde_crediteur": grand["solde_crediteur"],
    }
    return Rapport(
        id="balance",
        titre="Balance générale",
        association=source.association,
        parties=[Partie("balance", "Balance générale", columns, rows)],
        sous_titre=sous_titre,
        exercice=exercice.code,
        periode=(exercice.debut, fin),
        totaux={"n": totals},
        notes=notes,
        avertissements=warnings,
        meta={"plan": exercice.version, "au": fin.isoformat()},
    )
