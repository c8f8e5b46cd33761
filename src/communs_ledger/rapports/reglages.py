"""The ``diagnostic:`` section of ``communs.yaml``: the association's thresholds of the
diagnostic financier (defaults in ``plan_comptable/diagnostic.yaml``).

Example::

    diagnostic:
      seuils:
        tresorerie_jours: {alerte: 30, surveiller: 90}
"""

from __future__ import annotations

from decimal import Decimal

from ..config import Config
from ..schemas import Schema, champ
from ..sources import SourceError
from ..yaml_lignes import YamlDocument
from .indicateurs import erreurs_de_seuils


class SeuilConfig(Schema):
    """Thresholds of one indicator of the diagnostic (per cent for percentages)."""

    alerte: Decimal | None = None
    surveiller: Decimal | None = None


class DiagnosticConfig(Schema):
    """``diagnostic: {seuils: {tresorerie_jours: {alerte: 30, surveiller: 90}}}``."""

    seuils: dict[str, SeuilConfig] = champ(default_factory=dict)


def diagnostic_config(config: Config) -> DiagnosticConfig:
    """The ``diagnostic:`` section of a loaded config."""
    return config.section("diagnostic", DiagnosticConfig)


def erreurs_diagnostic(document: YamlDocument, diagnostic: DiagnosticConfig) -> list[SourceError]:
    """Unknown indicators and thresholds in the wrong order, at the line of the indicator."""
    if not diagnostic.seuils:
        return []
    return [
        SourceError(document.location(("diagnostic", "seuils", *path)), message)
        for path, message in erreurs_de_seuils(diagnostic.seuils)
    ]
