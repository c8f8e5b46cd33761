"""The ``clotures:`` key of ``communs.yaml``: the file of closed exercices
(``communs cloture``; default ``clotures.yaml``)."""

from __future__ import annotations

from ..config import Config

CHEMINS: tuple[tuple[str, ...], ...] = (("clotures",),)
"""Keys naming side files (kept inside the association folder)."""


def clotures_file(config: Config) -> str | None:
    """The closed exercices' file named by the config (relative to the ledger's folder)."""
    found: str | None = config.valeur("clotures", None)
    return found
