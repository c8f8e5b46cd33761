"""``communs diagnostic``: the diagnostic financier (France Active, DLA)."""

from __future__ import annotations

from .rapports import commande_d_etat

diagnostic = commande_d_etat(
    "rapports.diagnostic:diagnostic",
    "Situation à cette date (par défaut : clôture de l'exercice).",
    """Diagnostic financier : fonds de roulement, BFR, trésorerie, CAF et ratios (N et N-1),
    avec formules, explications et seuils d'alerte (réglables dans communs.yaml).""",
)
