"""The ``partage:`` and ``modeles_communs:`` sections of ``communs.yaml``.

Example::

    partage:                      # ce qui décrit l'association dans les indicateurs partagés
      secteur: environnement
      salaries: 3
      reseau:                     # dossier des indicateurs du réseau (communs reseau comparer)
        chemin: ../reseau/indicateurs
        groupe: taille            # facultatif : taille, secteur ou salaries
    modeles_communs:              # écrit par « communs modeles ajouter »
      - nom: association-employeuse
        source: https://git.example.org/reseau/modeles.git
        version: "1.0"
        commit: 4f3a9c…           # version exacte (dépôt Git)
"""

from __future__ import annotations

from ..config import Config
from ..schemas import Schema, champ, valider_entier, valider_motif

DOSSIER_MODELES = "modeles-communs"
"""Folder of the association where the packs are copied (one sub-folder per pack)."""
nom_de_modele = valider_motif(
    r"^[a-z0-9][a-z0-9_-]*$", "nom « {} » invalide : minuscules, chiffres, - et _"
)
"""Validator of a pack name: lowercase letters, digits, ``-`` and ``_`` (it names a folder)."""


_effectif = valider_entier(0, None, "nombre de salariés attendu (entier positif ou nul, lu : {!r})")


GROUPES_DE_COMPARAISON = ("taille", "secteur", "salaries")
"""The groups an association may compare itself within (same size band, sector or
employees band)."""


def _groupe(value: object) -> object:
    if value not in GROUPES_DE_COMPARAISON:
        raise ValueError(
            f"groupe « {value} » inconnu : {', '.join(GROUPES_DE_COMPARAISON)} attendu"
        )
    return value


class ReseauConfig(Schema):
    """``partage.reseau:``: where the network's shared indicators are (a folder, often a
    clone of the network's repository next to the association's: it may lie outside the
    association folder, only files of the shared indicators' strict schema are read)."""

    chemin: str | None = champ(default=None, min_longueur=1)  # relative to communs.yaml
    groupe: str | None = champ(default=None, valider=_groupe)  # default comparison group


class PartageConfig(Schema):
    """``partage:``: what describes the association in its shared indicators."""

    secteur: str | None = None  # activity sector, as the network names it
    salaries: int | None = champ(default=None, valider=_effectif)  # employees (headcount)
    reseau: ReseauConfig = champ(default_factory=ReseauConfig)


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
