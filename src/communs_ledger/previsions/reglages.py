"""The ``previsions:`` section of ``communs.yaml``: the forecast input files and the cash
plan's settings.

Example::

    previsions:
      paie: previsions/paie.yaml
      flux: previsions/flux.yaml
      seuil: {mois_de_charges: 1}
      croissance: {charges: 2, produits: 1.5}
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..config import Config
from ..schemas import Schema, champ, valider_montant


class SeuilTresorerie(Schema):
    """Alert threshold of the cash plan: months of charges and/or a fixed amount."""

    mois_de_charges: Decimal | None = Decimal(1)
    montant: Decimal | None = champ(default=None, valider=valider_montant)


def _growth_rate(value: object) -> object:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return value  # not a number: the type check reports it
    if number <= -100:
        raise ValueError("taux de croissance annuel en % supérieur à -100 attendu (ex. 2 ou -1.5)")
    return value


def _growth_codes(value: object) -> object:
    if isinstance(value, dict):
        for key, rate in value.items():
            code = str(key).strip()
            if not code.isdigit() or code[:1] not in ("6", "7"):
                raise ValueError(
                    f"« {key} » : numéro de compte de charges (6…) ou de produits (7…) attendu"
                )
            _growth_rate(rate)
    return value


class CroissanceConfig(Schema):
    """``previsions.croissance``: yearly growth of the budget in the multi-year projection,
    in per cent per year: ``{charges: 2, produits: 1.5, par_compte: {"6132": 3}}``
    (``par_compte``: by account code prefix, the longest prefix wins over the class)."""

    charges: Decimal = champ(default=Decimal(0), valider=_growth_rate)
    produits: Decimal = champ(default=Decimal(0), valider=_growth_rate)
    par_compte: dict[str, Decimal] = champ(default_factory=dict, valider=_growth_codes)


SANS_BUDGET = ("dernier_budget", "rien")


def _sans_budget(value: object) -> object:
    if str(value) not in SANS_BUDGET:
        raise ValueError(f"« {value} » : dernier_budget ou rien attendu")
    return str(value)


def _decouvert(value: object) -> object:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return value  # not a number: the type check reports it
    if number < 0:
        raise ValueError("montant positif attendu (le découvert autorisé, ex. 5000)")
    return value


class PrevisionsConfig(Schema):
    """``previsions:`` section: the forecast input files and the cash plan's settings."""

    paie: str | None = None  # previsions/paie.yaml
    flux: str | None = None  # previsions/flux.yaml
    scenarios: str | None = None  # previsions/scenarios.yaml
    seuil: SeuilTresorerie = champ(default_factory=SeuilTresorerie)
    delais: dict[str, int] = champ(default_factory=dict)
    """Days until an open receivable or payable is settled, by account code prefix
    (defaults in the tiers module: 441 → 60, 411 → 30, 401 → 30, 43 → 15…)."""
    croissance: CroissanceConfig = champ(default_factory=CroissanceConfig)
    """Yearly growth rates of the budget carried over (multi-year projection, cash plan)."""
    sans_budget: str = champ(default="dernier_budget", valider=_sans_budget)
    """An exercice without a budget file: ``dernier_budget`` (the last budget carried
    over, grown by ``croissance``) or ``rien`` (only the explicit inputs)."""
    decouvert_autorise: Decimal = champ(default=Decimal(0), valider=_decouvert)
    """Authorised overdraft (a positive amount): below −it the cash plan says « danger »."""


CHEMINS: tuple[tuple[str, ...], ...] = (
    ("previsions", "paie"),
    ("previsions", "flux"),
    ("previsions", "scenarios"),
)
"""Keys of the section naming side files (kept inside the association folder)."""


def previsions_config(config: Config) -> PrevisionsConfig:
    """The ``previsions:`` section of a loaded config."""
    return config.section("previsions", PrevisionsConfig)
