"""``communs budget comparer A B``: two versions of a budget side by side."""

from __future__ import annotations


def comparer() -> None:
    """Compare deux versions du budget."""
    from .echecs import Echec

    raise Echec("la comparaison de budgets n'est pas encore disponible")
