"""The ``conventions:`` key of ``communs.yaml``: the subsidy conventions file, shared by
the cash plan, the subsidies follow-up and the fonds dédiés."""

from __future__ import annotations

from ..config import Config

CHEMINS: tuple[tuple[str, ...], ...] = (("conventions",),)
"""Keys naming side files (kept inside the association folder)."""


def conventions_file(config: Config) -> str | None:
    """The conventions file named by the config (relative to the ledger's folder)."""
    found: str | None = config.valeur("conventions", None)
    return found
