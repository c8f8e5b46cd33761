"""``communs budget cerfa``: the budget in the layout of CERFA 12156."""

from __future__ import annotations


def cerfa() -> None:
    """Budget au format du CERFA 12156 (demande de subvention)."""
    from .echecs import Echec

    raise Echec("le tableau CERFA 12156 n'est pas encore disponible")
