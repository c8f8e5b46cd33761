"""``communs balance``: the balance générale."""

from __future__ import annotations

from .rapports import commande_d_etat

balance = commande_d_etat(
    "rapports.balance:balance",
    "Arrêter la balance à cette date (par défaut : clôture).",
    "Balance générale : totaux débit et crédit et solde de chaque compte, à-nouveaux compris.",
)
