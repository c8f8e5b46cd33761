"""The ``comptes_annuels:`` section of ``communs.yaml``: what the annexe needs and the
ledger does not say.

Example::

    comptes_annuels:
      regles_et_methodes: "…"          # optional: replaces the default text
      contributions_en_nature: "Bénévolat valorisé au SMIC horaire chargé…"
      exercices:
        "2025":
          faits_caracteristiques: "Ouverture de l'atelier cuisine en septembre."
          evenements_posterieurs: "Aucun."
          remuneration_dirigeants: "…"       # above the publication thresholds
          engagements_hors_bilan: "Aucun."
          effectif: {salaries: 3, etp: 2.4, benevoles: 40}
          dettes_a_plus_d_un_an: {"164": 12000}   # by account code prefix
          affectation_proposee: {reserves: 3000}  # the rest to report à nouveau
      rapports_financiers:                # the treasurer's comments (communs rapport-financier)
        "2025": rapport-financier-2025.md # default: rapport-financier-<exercice>.md
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..config import Config
from ..montants import lire_decimal
from ..schemas import Schema, champ

CHEMINS: tuple[tuple[str, ...], ...] = (("comptes_annuels", "rapports_financiers"),)
"""Keys naming side files (kept inside the association folder)."""


def _parts_par_compte(value: Any) -> Any:
    """Field validator of a split by account number: digits as keys, amounts ≥ 0."""
    if not isinstance(value, dict):
        return value  # the schema's type check names it
    for key, amount in value.items():
        if not str(key).strip().isdigit():
            raise ValueError(f'« {key} » : numéro de compte attendu (ex. "164")')
        number = lire_decimal(amount)
        if number is not None and number < 0:
            raise ValueError(
                f"compte {key} : montant négatif ({amount}) ; 0 si tout est dû dans l'année"
            )
    return value


class EffectifConfig(Schema):
    """The staff of an exercice, for the annexe."""

    salaries: int | None = None
    etp: Decimal | None = None
    benevoles: int | None = None


class AffectationProposee(Schema):
    """The board's proposal for the result, put to the AG's vote (one part at least; the
    other is the rest of the result)."""

    reserves: Decimal | None = None
    report_a_nouveau: Decimal | None = None


class ExerciceAnnexeConfig(Schema):
    """What the annexe of one exercice says beyond the ledger."""

    faits_caracteristiques: str | None = None
    evenements_posterieurs: str | None = None
    """Events after the closing (shown when given; « Aucun. » says there is none)."""
    engagements_hors_bilan: str | None = None
    remuneration_dirigeants: str | None = None
    """The remuneration of the three highest-paid executives (asked above the 153 000 €
    publication thresholds)."""
    effectif: EffectifConfig | None = None
    dettes_a_plus_d_un_an: dict[str, Decimal] = champ(
        default_factory=dict, valider=_parts_par_compte
    )
    """Part over one year of the debts, by account code prefix (borrowings 164…)."""
    creances_a_plus_d_un_an: dict[str, Decimal] = champ(
        default_factory=dict, valider=_parts_par_compte
    )
    affectation_proposee: AffectationProposee | None = None


class ComptesAnnuelsConfig(Schema):
    """The ``comptes_annuels:`` section: the annexe's texts, by exercice."""

    regles_et_methodes: str | None = None
    contributions_en_nature: str | None = None
    """How the contributions volontaires en nature are valued (the annexe says it)."""
    exercices: dict[str, ExerciceAnnexeConfig] = champ(default_factory=dict)
    rapports_financiers: dict[str, str] = champ(default_factory=dict)
    """The treasurer's comments (Markdown) by exercice, for ``communs rapport-financier``."""

    def exercice(self, code: str) -> ExerciceAnnexeConfig:
        return self.exercices.get(code) or ExerciceAnnexeConfig()


def comptes_annuels_config(config: Config) -> ComptesAnnuelsConfig:
    """The ``comptes_annuels:`` section of a loaded config."""
    return config.section("comptes_annuels", ComptesAnnuelsConfig)
