"""The journal général: every transaction of the exercice in date order, numbered.

For each transaction a header row (date, sequential number within the
exercice, pièce, libellé), then one row per posting (account code and name,
débit, crédit); a grand total where débits equal crédits. Forecast entries
(``#prevision``) are not part of it, as in every actual report.
"""

from __future__ import annotations

import datetime
import itertools

from ..exercices import Exercice
from ..montants import ZERO, debit_credit
from ..mouvements import en_masse
from .comptes import libelle_ecriture, piece
from .entete import avertissements_devises, sous_titre
from .objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from .periode import date_d_arrete
from .source import Source


@en_masse()
def journal(source: Source, exercice: Exercice, *, au: datetime.date | None = None) -> Rapport:
    """Build the journal général of ``exercice`` (to its closing date, or to ``au``)."""
    fin = date_d_arrete(exercice, au)
    rows: list[Ligne] = []
    total_debit = total_credit = ZERO
    number = 0
    movements = source.mouvements.entre(exercice.debut, fin)
    comptes: dict[str, tuple[str]] = {}  # one (account,) tuple per account, shared by its rows
    # Movements are sorted by date, stably: the postings of a transaction are contiguous.
    for _key, group in itertools.groupby(movements, key=lambda m: id(m.entry)):
        postings = list(group)
        first = postings[0]
        number += 1
        pieces: list[str] = []
        for movement in postings:
            found = piece(movement)
            if found and found not in pieces:
                pieces.append(found)
        rows.append(
            Ligne(
                libelle=libelle_ecriture(first.entry),
                valeurs={"date": first.date, "numero": number, "piece": ", ".join(pieces) or None},
                id="ecriture",
            )
        )
        for movement in postings:
            amount = movement.montant
            debit, credit = debit_credit(amount)
            total_debit += debit or ZERO
            total_credit += credit or ZERO
            rows.append(
                Ligne(
                    movement.account,
                    {"debit": debit, "credit": credit},
                    code=movement.code,
                    comptes=comptes.get(movement.account)
                    or comptes.setdefault(movement.account, (movement.account,)),
                    niveau=2,
                )
            )
    rows.append(
        Ligne(
            libelle="Total général",
            valeurs={"debit": total_debit, "credit": total_credit},
            id="total",
            style=Style.TOTAL,
        )
    )
    columns = [
        Colonne("date", "Date", Genre.DATE),
        Colonne("numero", "Écriture", Genre.ENTIER),
        Colonne("piece", "Pièce", Genre.TEXTE),
        Colonne("debit", "Débit"),
        Colonne("credit", "Crédit"),
    ]
    notes = [
        "Écritures numérotées dans l'ordre chronologique de l'exercice (ordre du grand livre "
        "pour un même jour) ; les écritures de prévision (#prevision) sont exclues."
    ]
    warnings = []
    warnings.extend(avertissements_devises(source))
    return Rapport(
        id="journal",
        titre="Journal général",
        association=source.association,
        parties=[Partie("journal", "Journal général", columns, rows)],
        sous_titre=sous_titre(exercice, fin),
        exercice=exercice.code,
        periode=(exercice.debut, fin),
        totaux={"n": {"total_debit": total_debit, "total_credit": total_credit}},
        notes=notes,
        avertissements=warnings,
        meta={"plan": exercice.version, "au": fin.isoformat(), "ecritures": number},
    )
