"""The ``partage:`` and ``modeles_communs:`` sections of ``communs.yaml``.

Example::

    partage:                      # ce qui décrit l'association dans les indicateurs partagés
      secteur: environnement
      salaries: 3
    modeles_communs:              # écrit par « communs modeles ajouter »
      - nom: association-employeuse
        source: https://git.example.org/reseau/modeles.git
        version: "1.0"
        commit: 4f3a9c…           # version exacte (dépôt Git)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..schemas import Schema, champ, valider_entier, valider_motif

DOSSIER_MODELES = "modeles-communs"
"""Folder of the association where the packs are copied (one sub-folder per pack)."""
nom_de_modele = valider_motif(
    r"^[a-z0-9][a-z0-9_-]*$", "nom « {} » invalide : minuscules, chiffres, - et _"
)
"""Validator of a pack name: lowercase letters, digits, ``-`` and ``_`` (it names a folder)."""


_effectif = valider_entier(0, None, "nombre de salariés attendu (entier positif ou nul, lu : {!r})")


@dataclass(frozen=True)
class PartageConfig(Schema):
    """``partage:``: what describes the association in its shared indicators."""

    secteur: str | None = None  # activity sector, as the network names it
    salaries: int | None = champ(default=None, valider=_effectif)  # employees (headcount)


@dataclass(frozen=True)
class ModeleInscrit(Schema):
    """One pack recorded in ``modeles_communs:``."""

    nom: str = champ(valider=nom_de_modele)
    source: str = champ(min_longueur=1)  # folder (relative to the association) or Git URL
    version: str = champ(min_longueur=1)  # the manifest's version
    commit: str | None = None  # exact Git commit (a Git source)
    empreinte: str | None = None  # SHA-256 of the files (a folder source)


def partage_config(config: Config) -> PartageConfig:
    """The ``partage:`` section of a loaded config."""
    return config.section("partage", PartageConfig)


def modeles_inscrits(config: Config) -> list[ModeleInscrit]:
    """The packs recorded in ``modeles_communs:`` (in the file's order)."""
    found: list[ModeleInscrit] = list(config.valeur("modeles_communs", []))
    return found
