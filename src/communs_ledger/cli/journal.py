"""``communs journal``: the journal général."""

from __future__ import annotations

from .rapports import commande_d_etat

journal = commande_d_etat(
    "rapports.journal:journal",
    "Arrêter le journal à cette date (par défaut : clôture).",
    "Journal général : écritures de l'exercice dans l'ordre chronologique, numérotées.",
)
