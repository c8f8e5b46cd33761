"""The indicators of the diagnostic financier, as data (``plan_comptable/diagnostic.yaml``):
labels, formulas, explanations, default thresholds, and the status of a value.

Thresholds have a direction: ``minimum`` (the higher the better: ok from
``surveiller`` up, alerte below ``alerte``) or ``maximum`` (the lower the
better: ok up to ``surveiller``, alerte above ``alerte``). Percentages are
written in per cent in the data and in ``communs.yaml`` (50 = 50 %) and
compared with ratios (0.5). The association may override thresholds in
``communs.yaml`` (``diagnostic: {seuils: {tresorerie_jours: {alerte: 20}}}``);
:func:`erreurs_de_seuils` checks the overrides for the config loader.

This module only needs the plan_comptable data (no Beancount), so that the
config loader can use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ..montants import HUNDRED
from ..plan import load_data_yaml

DATA_FILE = "diagnostic.yaml"
STATUTS = ("ok", "surveiller", "alerte")


@cache
def donnees() -> dict[str, Any]:
    """The raw content of ``plan_comptable/diagnostic.yaml`` (cached)."""
    data: dict[str, Any] = load_data_yaml(DATA_FILE)
    return data


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True, slots=True)
class Seuil:
    """Thresholds of one indicator, in the unit shown to users (per cent for ratios)."""

    sens: str  # "minimum" | "maximum"
    surveiller: Decimal
    alerte: Decimal
    pourcentage: bool = False
    personnalise: bool = False  # overridden in communs.yaml

    def _limite(self, value: Decimal) -> Decimal:
        return value / HUNDRED if self.pourcentage else value

    def statut(self, valeur: Decimal | None) -> str | None:
        """``ok`` / ``surveiller`` / ``alerte`` for a value (a ratio for percentages)."""
        if valeur is None:
            return None
        surveiller, alerte = self._limite(self.surveiller), self._limite(self.alerte)
        if self.sens == "minimum":
            if valeur >= surveiller:
                return "ok"
            return "surveiller" if valeur >= alerte else "alerte"
        if valeur <= surveiller:
            return "ok"
        return "surveiller" if valeur <= alerte else "alerte"

    def ordre_ok(self) -> bool:
        """True if the two thresholds are in the order the direction requires."""
        if self.sens == "minimum":
            return self.alerte <= self.surveiller
        return self.alerte >= self.surveiller


@dataclass(frozen=True, slots=True)
class Indicateur:
    """An indicator of the financial diagnosis (``plan_comptable/diagnostic.yaml``)."""

    id: str
    libelle: str
    unite: str  # euros | jours | mois | pourcentage
    formule: str
    explication: str
    reference: str
    seuil: Seuil | None


def _indicateurs(section: Mapping[str, Any]) -> dict[str, Indicateur]:
    found: dict[str, Indicateur] = {}
    for key, spec in section.items():
        raw = spec.get("seuils")
        seuil = None
        if raw is not None:
            seuil = Seuil(
                sens=raw["sens"],
                surveiller=_decimal(raw["surveiller"]),
                alerte=_decimal(raw["alerte"]),
                pourcentage=spec["unite"] == "pourcentage",
            )
        found[key] = Indicateur(
            id=key,
            libelle=spec["libelle"],
            unite=spec["unite"],
            formule=" ".join(str(spec.get("formule", "")).split()),
            explication=" ".join(str(spec["explication"]).split()),
            reference=str(spec.get("reference", "")),
            seuil=seuil,
        )
    return found


@cache
def indicateurs_par_defaut() -> dict[str, Indicateur]:
    """Every indicator of the diagnostic, in display order, with its default thresholds."""
    return _indicateurs(donnees()["indicateurs"])


@cache
def indicateurs_du_modele_par_defaut() -> dict[str, Indicateur]:
    """The indicators of the socio-economic model (``communs ressources``, section
    ``modele_socio_economique`` of the data), with their default thresholds; overridden
    in ``communs.yaml`` under ``ressources.seuils``."""
    return _indicateurs(donnees()["modele_socio_economique"]["indicateurs"])


def indicateurs_a_seuils(defaults: Mapping[str, Indicateur] | None = None) -> list[str]:
    found = indicateurs_par_defaut() if defaults is None else defaults
    return [key for key, ind in found.items() if ind.seuil is not None]


def _fusion(seuil: Seuil, override: Any) -> Seuil:
    alerte = getattr(override, "alerte", None)
    surveiller = getattr(override, "surveiller", None)
    if alerte is None and surveiller is None:
        return seuil
    return Seuil(
        sens=seuil.sens,
        surveiller=seuil.surveiller if surveiller is None else _decimal(surveiller),
        alerte=seuil.alerte if alerte is None else _decimal(alerte),
        pourcentage=seuil.pourcentage,
        personnalise=True,
    )


def indicateurs(
    overrides: Mapping[str, Any] | None = None, defaults: Mapping[str, Indicateur] | None = None
) -> dict[str, Indicateur]:
    """The indicators (the diagnostic's by default) with the thresholds of ``communs.yaml``
    applied (unknown keys ignored: the config loader reports them)."""
    defaults = indicateurs_par_defaut() if defaults is None else defaults
    if not overrides:
        return dict(defaults)
    result = {}
    for key, indicateur in defaults.items():
        override = overrides.get(key)
        if override is not None and indicateur.seuil is not None:
            indicateur = Indicateur(
                indicateur.id,
                indicateur.libelle,
                indicateur.unite,
                indicateur.formule,
                indicateur.explication,
                indicateur.reference,
                _fusion(indicateur.seuil, override),
            )
        result[key] = indicateur
    return result


def erreurs_de_seuils(
    overrides: Mapping[str, Any],
    defaults: Mapping[str, Indicateur] | None = None,
    cle: str = "diagnostic.seuils",
) -> list[tuple[tuple[str, ...], str]]:
    """Problems of the thresholds of ``communs.yaml``: (path under ``cle``, French
    message); ``defaults``: the indicators they override (the diagnostic's by default)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    defaults = indicateurs_par_defaut() if defaults is None else defaults
    with_thresholds = indicateurs_a_seuils(defaults)
    for key, override in overrides.items():
        indicateur = defaults.get(key)
        if indicateur is None or indicateur.seuil is None:
            reason = "inconnu" if indicateur is None else "informatif, sans seuil"
            problems.append(
                (
                    (key,),
                    f"{cle} : indicateur « {key} » {reason} "
                    f"(indicateurs à seuils : {', '.join(with_thresholds)})",
                )
            )
            continue
        merged = _fusion(indicateur.seuil, override)
        if not merged.ordre_ok():
            if merged.sens == "minimum":
                rule = "inférieur ou égal au"
                why = "plus la valeur est élevée, mieux c'est"
            else:
                rule = "supérieur ou égal au"
                why = "plus la valeur est basse, mieux c'est"
            problems.append(
                (
                    (key,),
                    f"{cle}.{key} : le seuil d'alerte ({texte_nombre(merged.alerte)}) "
                    f"doit être {rule} seuil « surveiller » ({texte_nombre(merged.surveiller)}) "
                    f"pour cet indicateur ({why})",
                )
            )
    return problems


def texte_nombre(value: Decimal) -> str:
    """``90``, ``-5``, ``2,5``: a threshold as a French number."""
    return format(value.normalize(), "f").replace(".", ",").replace("-", "−")


def premiere_phrase(texte: str) -> str:
    """The first sentence of an indicator's explanation."""
    texte = " ".join(texte.split())
    for fin in (". ", " ; "):
        if fin in texte:
            texte = texte.split(fin, 1)[0]
    return texte.rstrip(".") + "."


_UNITES = {"euros": "\u00a0€", "jours": "\u00a0j", "mois": "\u00a0mois", "pourcentage": "\u00a0%"}


def texte_seuils(indicateur: Indicateur) -> str:
    """``ok ≥ 90 j ; à surveiller de 30 à 90 j ; alerte < 30 j (par défaut)``."""
    seuil = indicateur.seuil
    if seuil is None:
        return "informatif, sans seuil"
    unit = _UNITES.get(indicateur.unite, "")
    s, a = texte_nombre(seuil.surveiller), texte_nombre(seuil.alerte)
    if seuil.sens == "minimum":
        if seuil.surveiller == seuil.alerte:
            text = f"ok ≥ {s}{unit} ; alerte < {a}{unit}"
        else:
            text = f"ok ≥ {s}{unit} ; à surveiller de {a} à {s}{unit} ; alerte < {a}{unit}"
    elif seuil.surveiller == seuil.alerte:
        text = f"ok ≤ {s}{unit} ; alerte > {a}{unit}"
    else:
        text = f"ok ≤ {s}{unit} ; à surveiller de {s} à {a}{unit} ; alerte > {a}{unit}"
    origin = "communs.yaml" if seuil.personnalise else "par défaut, conventionnels"
    return f"{text} ({origin})"
