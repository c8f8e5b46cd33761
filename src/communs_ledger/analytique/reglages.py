"""The ``analytique:`` section of ``communs.yaml``: where the clés de répartition live."""

from __future__ import annotations

from ..config import Config
from ..schemas import Schema


class AnalytiqueConfig(Schema):
    """``analytique:`` section: the clés de répartition of indirect costs
    (``{repartition: analytique/repartition.yaml}``, see :mod:`communs_ledger.analytique`)."""

    repartition: str | None = None


CHEMINS: tuple[tuple[str, ...], ...] = (("analytique", "repartition"),)
"""Keys of the section naming side files (kept inside the association folder)."""


def analytique_config(config: Config) -> AnalytiqueConfig:
    """The ``analytique:`` section of a loaded config."""
    return config.section("analytique", AnalytiqueConfig)
