"""Where a guided entry goes, and what names accounts in the ledger it goes to."""

from __future__ import annotations

import datetime
from pathlib import Path

from ..ajout import fichiers_du_livre
from ..chargement import Livre
from ..importation.comptes import Comptes
from ..importation.reglages import import_config
from .recherche import Repertoire


def fichier_de_l_exercice(livre: Livre, jour: datetime.date) -> Path | None:
    """The ledger file of the exercice of ``jour`` (``2026.beancount`` for an exercice coded
    2026 or opening in 2026), None when the ledger has no such file."""
    exercice = livre.context.exercice_of(jour)
    noms = {exercice.code, str(exercice.debut.year)}
    for fichier in fichiers_du_livre(livre):
        if fichier.stem in noms:
            return fichier
    return None


def repertoire(livre: Livre, jour: datetime.date) -> Repertoire:
    """The accounts of ``livre`` and the chart in force on ``jour``."""
    exercice = livre.context.exercice_of(jour)
    return Repertoire(
        comptes=Comptes.du_grand_livre(livre.entries),
        chart=livre.context.chart_for(exercice),
        racines=livre.context.roots,
        ouverture=exercice.debut,
        banque=import_config(livre.context.config).compte,
    )
