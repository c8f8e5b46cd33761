"""The ``ressources:`` section of ``communs.yaml``: the association's thresholds of the
socio-economic model (``communs ressources``; defaults in the section
``modele_socio_economique`` of ``plan_comptable/diagnostic.yaml``).

Example::

    ressources:
      seuils:
        part_premier_financeur: {surveiller: 40, alerte: 60}
        indice_herfindahl: {surveiller: 2000}

The public share is the diagnostic's indicator: its thresholds stay under
``diagnostic.seuils.part_subventions_publiques``.
"""

from __future__ import annotations

from ..config import Config
from ..rapports.indicateurs import erreurs_de_seuils, indicateurs_du_modele_par_defaut
from ..rapports.reglages import SeuilConfig
from ..schemas import Schema, champ
from ..sources import SourceError
from ..yaml_lignes import YamlDocument

CLE = "ressources.seuils"


class RessourcesConfig(Schema):
    """``ressources: {seuils: {part_premier_financeur: {alerte: 60, surveiller: 40}}}``."""

    seuils: dict[str, SeuilConfig] = champ(default_factory=dict)


def ressources_config(config: Config) -> RessourcesConfig:
    """The ``ressources:`` section of a loaded config."""
    return config.section("ressources", RessourcesConfig)


def erreurs_ressources(document: YamlDocument, ressources: RessourcesConfig) -> list[SourceError]:
    """Unknown indicators and thresholds in the wrong order, at the line of the indicator."""
    if not ressources.seuils:
        return []
    return [
        SourceError(document.location(("ressources", "seuils", *path)), message)
        for path, message in erreurs_de_seuils(
            ressources.seuils, indicateurs_du_modele_par_defaut(), CLE
        )
    ]
