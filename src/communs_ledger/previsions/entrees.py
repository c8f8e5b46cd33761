"""Loading every forecast input declared in the config, with their errors.

``communs.yaml``::

    conventions: conventions.yaml          # shared with the subsidies follow-up
    previsions:
      paie: previsions/paie.yaml
      flux: previsions/flux.yaml
      scenarios: previsions/scenarios.yaml
      seuil: {mois_de_charges: 1}          # alert threshold of the cash plan
      delais: {"441": 60, "411": 30}       # days to settle open receivables/payables

Which input wins over the budget: payroll, conventions and flows are explicit
forecasts. The payroll replaces the budget lines on its codes and chapters
(6411, 641, 645); any other budget line on an account code an input covers (a
line on 64 when payroll is declared, on 741 when conventions are, on 6226 with a
flow on 6226) only contributes what exceeds them (see
:mod:`communs_ledger.previsions.budget_restant`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..contexte import LedgerContext
from ..conventions.etiquettes import etiquettes_inconnues
from ..conventions.fichier import charger_conventions
from ..conventions.reglages import conventions_file
from ..rapports.source import Source
from ..sources import SourceError
from . import budget_restant, flux, tiers
from .modele import BASE, Entree, Periode, Previsions, Scenario
from .reglages import previsions_config


@dataclass
class Entrees:
    """The forecast inputs of a ledger."""

    entrees: list[Entree] = field(default_factory=list)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    erreurs: list[SourceError] = field(default_factory=list)
    fichiers: list[Path] = field(default_factory=list)
    conventions: Any = None  # the Conventions of conventions.yaml, if loaded

    def verifier_etiquettes(self, entries: Any) -> list[SourceError]:
        """Errors of the ledger's ``convention:`` tags naming no convention (added to
        :attr:`erreurs` too): see :mod:`communs_ledger.conventions.etiquettes`."""
        if self.conventions is None:
            return []

        found = etiquettes_inconnues(self.conventions, entries)
        self.erreurs.extend(e for e in found if e not in self.erreurs)
        return found

    def scenario(self, code: str | None) -> Scenario | None:
        """A scenario by code (None → the base); None if unknown."""
        if code is None or code == BASE.code:
            return BASE
        return self.scenarios.get(code)

    def generer(self, periode: Periode, scenario: Scenario, contexte: Source) -> Previsions:
        """Every input's forecasts for the period under the scenario."""
        result = Previsions()
        for entree in self.entrees:
            result.ajouter(entree.generer(periode, scenario, contexte))
        return result

    def codes_couverts(self) -> set[str]:
        covered: set[str] = set()
        for entree in self.entrees:
            covered |= entree.codes_couverts()
        return covered


def _path(context: LedgerContext, relative: str | None) -> Path | None:
    if not relative:
        return None
    ledger: Path = context.ledger
    return (ledger.resolve().parent / relative).resolve()


def _missing(context: LedgerContext, key: str, path: Path) -> SourceError | None:
    """A declared file that is missing or a folder, at its key in communs.yaml."""
    missing: SourceError | None = context.config.fichier_absent(key, path, *key.split("."))
    return missing


def _charger_paie(path: Path, context: LedgerContext) -> tuple[Any, list[SourceError]]:
    """The payroll file (its module, long to import, only for a folder that has one)."""
    from .paie import charger_paie

    return charger_paie(path, context)


def charger_entrees(context: LedgerContext) -> Entrees:
    """All forecast inputs of a ``LedgerContext``. Never raises: errors are collected."""
    result = Entrees()
    settings = previsions_config(context.config)

    conventions_path = _path(context, conventions_file(context.config))
    conventions = None
    if conventions_path is not None:
        result.fichiers.append(conventions_path)
        absent = _missing(context, "conventions", conventions_path)
        if absent is None:
            conventions, errors = charger_conventions(conventions_path, context)
            result.erreurs.extend(errors)
            result.conventions = conventions
        else:
            result.erreurs.append(absent)

    loaded: dict[str, Any] = {}
    for key, loader in (("paie", _charger_paie), ("flux", flux.charger_flux)):
        path = _path(context, getattr(settings, key))
        if path is None:
            continue
        result.fichiers.append(path)
        absent = _missing(context, f"previsions.{key}", path)
        if absent is not None:
            result.erreurs.append(absent)
            continue
        entree, errors = loader(path, context)
        result.erreurs.extend(errors)
        if entree is not None:
            loaded[key] = entree

    if "paie" in loaded:
        result.entrees.append(loaded["paie"])
    if conventions is not None:
        from .versements import Versements

        result.entrees.append(Versements(conventions))
    if "flux" in loaded:
        result.entrees.append(loaded["flux"])
    result.entrees.append(tiers.Tiers(settings.delais, conventions))
    result.entrees.append(
        budget_restant.BudgetRestant(result.codes_couverts(), list(result.entrees))
    )

    scenarios_path = _path(context, settings.scenarios)
    if scenarios_path is not None:
        result.fichiers.append(scenarios_path)
        absent = _missing(context, "previsions.scenarios", scenarios_path)
        if absent is None:
            from .scenarios import charger_scenarios

            found, errors = charger_scenarios(
                scenarios_path, context, loaded.get("paie"), conventions, loaded.get("flux")
            )
            result.scenarios = found
            result.erreurs.extend(errors)
        else:
            result.erreurs.append(absent)
    return result
