"""The scenarios file: named overrides of the forecast inputs.

Declared in ``communs.yaml`` (``previsions: {scenarios: previsions/scenarios.yaml}``)::

    scenarios:
      - code: pessimiste
        libelle: Région −30 %, solde de l'État en retard, poste non renouvelé
        description: …                         # optional
        postes:                                # payroll posts, by code
          coordinatrice: {fin: 2026-12-31}
        conventions:                           # conventions, by reference
          REG-CUISINE-2026: {montant: "-30%"}
          ETAT-FONJEP-2026: {versements: {solde: {retard_mois: 4}}}
        flux:                                  # recurring and one-off flows, by code
          loyer: {montant: -1700}

What each input accepts is documented (and checked) by the input:
:mod:`.versements` for conventions, :mod:`.flux` for flows, :mod:`.paie` for
posts. Here: each scenario has a unique code (not ``base``, the forecast
without overrides) and a label; the posts, references and flow codes it names
must exist in the inputs loaded. Asking for a scenario the file does not
declare is reported by the command line, not here.

An amount override is a number (the new amount) or a variation in per cent
written as text: ``"-30%"``, ``"+5 %"`` (:func:`.modele.lire_variation`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..contexte import LedgerContext
from ..conventions.reglages import conventions_file
from ..schemas import Schema, champ, charger_fichier, valider_motif
from ..sources import Location, SourceError
from . import paie as paie_module
from .modele import BASE, Scenario
from .reglages import previsions_config
from .versements import valider_surcharges_de_convention as check_convention

_code = valider_motif(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$", "code de scénario « {} » invalide : lettres, chiffres, - et _"
)


class ScenarioFichier(Schema):
    code: str = champ(valider=_code)
    libelle: str = champ(min_longueur=1)
    description: str | None = None
    postes: dict[str, Any] = champ(default_factory=dict)
    conventions: dict[str, Any] = champ(default_factory=dict)
    flux: dict[str, Any] = champ(default_factory=dict)


class FichierScenarios(Schema):
    scenarios: list[ScenarioFichier] = champ(default_factory=list)
    commentaire: str | None = None


def _post_codes(paie: Any) -> set[str] | None:
    """Codes of the payroll's posts, if the payroll input tells them."""
    if paie is None:
        return None
    for name in ("codes_postes", "codes"):
        method = getattr(paie, name, None)
        if callable(method):
            return {str(code) for code in method()}
    posts = getattr(paie, "postes", None)
    if isinstance(posts, dict):
        return {str(code) for code in posts}
    if posts is not None:
        return {str(getattr(post, "code", post)) for post in posts}
    return None


def _as_errors(found: Any, location: Location) -> list[SourceError]:
    """The payroll's validator may answer SourceErrors or French messages."""
    errors: list[SourceError] = []
    for item in found or ():
        if isinstance(item, SourceError):
            errors.append(item)
        else:
            errors.append(SourceError(location, str(item)))
    return errors


class _Checker(paie_module.VerificationDuFichier):
    """The checks of the scenarios beyond their schema."""

    def declared(self, setting: str) -> bool:
        """Whether communs.yaml declares the input file (``conventions``, ``previsions.paie``…)."""
        config = self.context.config
        if setting == "conventions":
            return bool(conventions_file(config))
        return bool(getattr(previsions_config(config), setting.removeprefix("previsions."), None))

    def section(
        self,
        where: tuple[str | int, ...],
        key: str,
        setting: str,
        overrides: dict[str, Any],
        known: set[str] | None,
        what: str,
    ) -> list[str]:
        """The keys of one section that name a known item; errors for the others.

        ``known`` None: the input is not loaded; if its file is declared, its own
        errors are already reported and nothing is checked here.
        """
        if not overrides:
            return []
        if known is None:
            if not self.declared(setting):
                self.erreur(
                    (*where, key),
                    f"{key} : aucun fichier déclaré dans communs.yaml ({setting})",
                )
            return []
        valid = []
        for name, value in overrides.items():
            path = (*where, key, name)
            if name not in known:
                feminine = "e" if what == "convention" else ""
                listed = ", ".join(sorted(known)) or "aucun"
                self.erreur(
                    path, f"{what} « {name} » inconnu{feminine} (connu{feminine}s : {listed})"
                )
                continue
            if not isinstance(value, dict):
                self.erreur(path, f"{name} : ensemble de clés attendu (ex. {{montant: -1700}})")
                continue
            valid.append(name)
        return valid


def charger_scenarios(
    path: Path, context: LedgerContext, paie: Any, conventions: Any, flux: Any
) -> tuple[dict[str, Scenario], list[SourceError]]:
    """Load and check the scenarios file against the inputs loaded. Never raises.

    ``paie``, ``conventions`` and ``flux`` are the loaded inputs (None when not
    declared or invalid). Returns the scenarios without error, and the errors.
    """
    document, data, errors = charger_fichier(path, FichierScenarios, "scénarios", "scenarios")
    if document is None or data is None:
        return {}, errors
    checker = _Checker(document, context)
    post_codes = _post_codes(paie)
    check_post = getattr(paie_module, "valider_surcharges_du_poste", None)
    references = set(conventions.par_reference) if conventions is not None else None
    flow_codes = flux.codes() if flux is not None else None

    result: dict[str, Scenario] = {}
    for index, raw in enumerate(data.scenarios):
        where: tuple[str | int, ...] = ("scenarios", index)
        before = len(checker.errors)
        if raw.code == BASE.code:
            checker.erreur(
                (*where, "code"),
                f"le code « {BASE.code} » désigne la prévision sans surcharge : choisissez-en "
                "un autre",
            )
        elif raw.code in result or any(raw.code == s.code for s in data.scenarios[:index]):
            checker.erreur((*where, "code"), f"scénario « {raw.code} » déclaré deux fois")

        if paie is not None and callable(getattr(paie, "valider_surcharges", None)):
            # the payroll checks its own posts (unknown codes too), key by key
            for name, value in raw.postes.items():
                base = (*where, "postes", name)
                checker.errors.extend(
                    paie.valider_surcharges(
                        name, value, lambda path, base=base: document.location((*base, *path))
                    )
                )
        else:
            posts = checker.section(
                where, "postes", "previsions.paie", raw.postes, post_codes, "poste"
            )
            if check_post is not None:
                for name in posts:
                    location = document.location((*where, "postes", name))
                    found = check_post(raw.postes[name], location)
                    checker.errors.extend(_as_errors(found, location))

        for reference in checker.section(
            where, "conventions", "conventions", raw.conventions, references, "convention"
        ):
            base = (*where, "conventions", reference)
            for sub_path, message in check_convention(
                conventions[reference], raw.conventions[reference]
            ):
                checker.erreur((*base, *sub_path), message)

        for code in checker.section(where, "flux", "previsions.flux", raw.flux, flow_codes, "flux"):
            base = (*where, "flux", code)
            for sub_path, message in flux.valider_surcharges(code, raw.flux[code]):
                checker.erreur((*base, *sub_path), message)

        if len(checker.errors) == before:
            result[raw.code] = Scenario(
                raw.code,
                raw.libelle,
                postes=dict(raw.postes),
                conventions=dict(raw.conventions),
                flux=dict(raw.flux),
                location=document.location(where),
            )
    errors = sorted(checker.errors, key=lambda e: e.location.line)
    return result, errors
