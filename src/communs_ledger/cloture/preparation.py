"""What ``communs cloture --ecrire`` decides before it locks an exercice.

- Exercices are closed in order: an exercice cannot be closed while the one before it,
  which has entries, is open (:func:`exercice_precedent_ouvert`).
- A fonds dédiés check that fails only because entries are missing is repaired by
  booking them (:func:`fonds_dedies_a_passer`), in the ledger file of the exercice's
  last entry unless the user names one (:func:`fichier_des_fonds_dedies`), with the
  text :func:`bloc_fonds_dedies`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from beancount.core import data

from ..ajout import fichiers_du_livre
from ..chargement import Livre
from ..exercices import Exercice
from ..fonds_dedies.ecritures import comptes_ouverts, texte_des_ecritures
from ..fonds_dedies.rapport import a_passer
from ..rapports.source import RapportImpossible, Source
from .verrou import Cloture


def exercice_precedent_ouvert(
    livre: Livre, source: Source, exercice: Exercice, clotures: Sequence[Cloture]
) -> Exercice | None:
    """The exercice before ``exercice`` if it has entries and is not closed."""
    day = exercice.debut - datetime.timedelta(days=1)
    try:
        previous = source.context.exercice_of(day)
    except ValueError:
        return None
    if previous.code in {c.exercice for c in clotures}:
        return None
    if any(
        isinstance(entry, data.Transaction) and previous.debut <= entry.date <= previous.fin
        for entry in livre.entries
    ):
        return previous
    return None


def fonds_dedies_a_passer(source: Source, exercice: Exercice) -> bool:
    """The fonds dédiés check fails only because entries are missing (not an error)."""
    try:
        _fonds, entries = a_passer(source, exercice)
    except RapportImpossible:
        return False
    return bool(entries)


def fichier_des_fonds_dedies(livre: Livre, exercice: Exercice) -> Path:
    """The ledger file of the exercice's last transaction (else the main file)."""
    files = set(fichiers_du_livre(livre))
    for entry in reversed(livre.entries):
        if isinstance(entry, data.Transaction) and exercice.contains(entry.date):
            name = Path(entry.meta.get("filename", "")).resolve()
            if name in files:
                return name
    return livre.path


def bloc_fonds_dedies(source: Source, exercice: Exercice) -> str:
    """The Beancount text of the fonds dédiés entries still to book, with its heading."""
    _fonds, entries = a_passer(source, exercice)
    bloc = texte_des_ecritures(entries, comptes_ouverts(source.entries), source.mouvements.devise)
    return f"; Fonds dédiés de l'exercice {exercice.code} (communs cloture)\n" + bloc
