"""The ``immobilisations:`` key of ``communs.yaml``: the fixed-asset register file."""

from __future__ import annotations

from ..config import Config

CHEMINS: tuple[tuple[str, ...], ...] = (("immobilisations",),)
"""Keys naming side files (kept inside the association folder)."""


def registre_file(config: Config) -> str | None:
    """The register file named by the config (relative to the ledger's folder)."""
    found: str | None = config.valeur("immobilisations", None)
    return found
