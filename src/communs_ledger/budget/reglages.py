"""The ``budget:`` and ``financeurs:`` sections of ``communs.yaml``.

Example::

    budget:
      fichiers: {"2026": budgets/2026.yaml}
      regles:
        depassement: {seuil: 15}
    financeurs:             # type de financeur des subventions (74), pour le CERFA 12156
      "7411": etat          # par préfixe de numéro de compte (commençant par 74)
      CAF: organismes_sociaux   # ou par nom du compte (libellé ou sous-compte)
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal, get_args

from ..config import Config
from ..plan import fold
from ..schemas import Schema, champ
from ..sources import SourceError
from ..yaml_lignes import YamlDocument


def _percent(value: object) -> object:
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if number < 0:
        raise ValueError("pourcentage positif attendu (10 pour 10 %)")
    return value


class RegleDepassement(Schema):
    """Charges of a line or project above the budget to date by more than ``seuil`` %."""

    actif: bool = True
    seuil: Decimal = champ(default=Decimal(10), valider=_percent)


class RegleProduits(Schema):
    """Produits of a line below ``seuil`` % of the budget to date, once ``apres_mois``
    months of the exercice have passed."""

    actif: bool = True
    seuil: Decimal = champ(default=Decimal(50), valider=_percent)
    apres_mois: int = 3


class RegleSimple(Schema):
    """A budget rule that is on or off, from some month of the exercice."""

    actif: bool = True
    apres_mois: int = 0


class ReglesBudget(Schema):
    """The budget rules of ``budget.regles`` (warnings of the budget plugin)."""

    depassement: RegleDepassement = champ(default_factory=RegleDepassement)
    produits_en_retard: RegleProduits = champ(default_factory=RegleProduits)
    projet_sans_budget: RegleSimple = champ(default_factory=RegleSimple)
    ligne_sans_realise: RegleSimple = champ(default_factory=lambda: RegleSimple(apres_mois=6))


class BudgetConfig(Schema):
    """``budget: {fichiers: {"2026": budgets/2026.yaml}, regles: {…}}``."""

    fichiers: dict[str, str] = champ(default_factory=dict)
    regles: ReglesBudget = champ(default_factory=ReglesBudget)


TypeFinanceur = Literal[
    "etat",
    "region",
    "departement",
    "intercommunalite",
    "commune",
    "organismes_sociaux",
    "fonds_europeens",
    "asp",
    "autres_etablissements_publics",
    "aides_privees",
]
"""Funder types of the CERFA 12156 budget table (``plan_comptable/cerfa_12156.yaml``)."""
TYPES_FINANCEUR: tuple[str, ...] = get_args(TypeFinanceur)

CHEMINS: tuple[tuple[str, ...], ...] = (("budget", "fichiers"),)
"""Keys of the section naming side files (kept inside the association folder)."""


def budget_config(config: Config) -> BudgetConfig:
    """The ``budget:`` section of a loaded config."""
    return config.section("budget", BudgetConfig)


def financeurs_config(config: Config) -> dict[str, TypeFinanceur]:
    """The ``financeurs:`` section: funder type by account code prefix (digits, 74…) or
    by account name component."""
    found: dict[str, TypeFinanceur] = config.valeur("financeurs", {})
    return found


def erreurs_financeurs(document: YamlDocument, financeurs: Mapping[str, str]) -> list[SourceError]:
    """``financeurs`` keys: a number must be a 74 prefix; a name must not repeat once
    case and accents are ignored (it is matched that way)."""
    if not financeurs:
        return []
    errors = []
    seen: dict[str, str] = {}
    for key in financeurs:
        location = document.location(("financeurs", key))
        if key.isdigit():
            if not key.startswith("74"):
                errors.append(
                    SourceError(
                        location,
                        f"financeurs : « {key} » : un numéro de compte de subvention commence "
                        "par 74 (ex. 7411)",
                    )
                )
            continue
        folded = fold(key)
        if folded in seen:
            errors.append(
                SourceError(
                    location,
                    f"financeurs : « {key} » répète « {seen[folded]} » (majuscules et accents "
                    "ne comptent pas)",
                )
            )
        seen.setdefault(folded, key)
    return errors
