"""The whole ``communs.yaml`` schema, assembled from the sections the kernel and each
feature own, and registered with the kernel's loader
(:func:`communs_ledger.config.register_schema`) when this module is imported: on the
first load of a config (the ``communs_ledger`` package provides it through
:mod:`communs_ledger.registre`), or before.

The order of the sections is the order of the error messages.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..analytique import reglages as analytique
from ..analytique.reglages import AnalytiqueConfig
from ..budget import reglages as budget
from ..budget.reglages import BudgetConfig, TypeFinanceur
from ..cloture import reglages as cloture
from ..comptes_annuels import reglages as comptes_annuels
from ..comptes_annuels.reglages import ComptesAnnuelsConfig
from ..config import ConfigSchema, CoreConfigFile, register_schema
from ..conventions import reglages as conventions
from ..dons import reglages as dons
from ..dons.reglages import DonsConfig, RecusFiscaux
from ..fec.reglages import FecConfig
from ..immobilisations import reglages as immobilisations
from ..importation import reglages as importation
from ..importation.reglages import ImportConfig
from ..modele_economique.reglages import RessourcesConfig, erreurs_ressources
from ..partage.reglages import ModeleInscrit, PartageConfig
from ..previsions import reglages as previsions
from ..previsions.reglages import PrevisionsConfig
from ..rapports.reglages import DiagnosticConfig, erreurs_diagnostic
from ..schemas import champ
from ..sources import SourceError
from ..yaml_lignes import YamlDocument


class ConfigFile(CoreConfigFile):
    """The whole ``communs.yaml``: the kernel's sections and each feature's."""

    budget: BudgetConfig = champ(default_factory=BudgetConfig)
    diagnostic: DiagnosticConfig = champ(default_factory=DiagnosticConfig)
    financeurs: dict[str, TypeFinanceur] = champ(default_factory=dict)
    """Funder type by account code prefix (digits, 74…) or by account name component."""
    fec: FecConfig = champ(default_factory=FecConfig)
    importation: ImportConfig = champ(default_factory=ImportConfig)
    conventions: str | None = None  # conventions.yaml (subsidy conventions, shared)
    previsions: PrevisionsConfig = champ(default_factory=PrevisionsConfig)
    analytique: AnalytiqueConfig = champ(default_factory=AnalytiqueConfig)
    clotures: str | None = None  # exercices clôturés (communs cloture), default clotures.yaml
    partage: PartageConfig = champ(default_factory=PartageConfig)
    modeles_communs: list[ModeleInscrit] = champ(default_factory=list)
    """Shared model packs (communs modeles), written by the command."""
    dons: DonsConfig = champ(default_factory=DonsConfig)
    recus_fiscaux: RecusFiscaux | None = None  # eligibility to tax receipts (communs recus)
    immobilisations: str | None = None  # registre des immobilisations (communs immobilisations)
    comptes_annuels: ComptesAnnuelsConfig = champ(default_factory=ComptesAnnuelsConfig)
    ressources: RessourcesConfig = champ(default_factory=RessourcesConfig)


def _controles(document: YamlDocument, data: ConfigFile) -> list[SourceError]:
    """The features' checks of a valid file, after the kernel's (projects declared twice)."""
    return (
        erreurs_diagnostic(document, data.diagnostic)
        + budget.erreurs_financeurs(document, data.financeurs)
        + erreurs_ressources(document, data.ressources)
    )


def _apports_des_modeles(data: ConfigFile, folder: Path) -> ConfigFile:
    """The shared model packs' thresholds and payroll posts, under the association's own:
    its thresholds win indicator by indicator, its own ``previsions.paie`` file wins."""
    if not data.modeles_communs:
        return data
    from ..partage.modeles import apports_des_modeles  # the packs' modules: only if any

    apports = apports_des_modeles(data.modeles_communs, folder)
    seuils = {**apports.seuils, **data.diagnostic.seuils}
    previsions = data.previsions
    if previsions.paie is None and apports.paie is not None:
        previsions = replace(previsions, paie=apports.paie)
    return replace(data, diagnostic=replace(data.diagnostic, seuils=seuils), previsions=previsions)


SCHEMA = ConfigSchema(
    fichier=ConfigFile,
    chemins=(
        *budget.CHEMINS,
        *previsions.CHEMINS,
        *analytique.CHEMINS,
        *importation.CHEMINS,
        *conventions.CHEMINS,
        *cloture.CHEMINS,
        *dons.CHEMINS,
        *immobilisations.CHEMINS,
        *comptes_annuels.CHEMINS,
    ),
    controles=(_controles,),
    apports=(_apports_des_modeles,),
)

register_schema(SCHEMA)
