"""Anonymised indicators of an association, and its place among peers.

:func:`compute_indicateurs_partages` turns an exercice's diagnostic
(:func:`communs_ledger.rapports.diagnostic.mesurer`) into what may leave the
association (schema in ``docs/indicateurs-partages.md``):

- a size band (total of the produits), the activity sector (``partage.secteur``) and an
  employees band (``partage.salaries``), never the exact figures;
- ratios only, rounded: months of charges covered by the cash and by the fonds propres
  (one decimal), share of public funding, share of the first public funder in the
  public funding, payroll share of the operating charges, result margin (whole per
  cent).

No name, SIREN, account, payee, narration or amount is ever written. :func:`comparer`
places the association among peers' files: median and quartiles per indicator, only
for an indicator that at least :data:`MINIMUM_DE_PAIRS` peers give (fewer could let a
reader recognise an association).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from ..codes import parse_account
from ..exercices import Exercice
from ..montants import ZERO
from ..mouvements import totaux_par_compte
from ..rapports.diagnostic import Mesures, mesurer
from ..rapports.indicateurs import donnees
from ..rapports.source import Source
from .reglages import PartageConfig

T = TypeVar("T", int, Decimal)

FORMAT = "communs-indicateurs-partages"
VERSION = 1
MINIMUM_DE_PAIRS = 5
"""No comparison with fewer peers: a smaller group could be recognised."""

BANDES_TAILLE: tuple[tuple[Decimal | None, str], ...] = (
    (Decimal(10_000), "moins de 10 k€"),
    (Decimal(50_000), "10 à 50 k€"),
    (Decimal(200_000), "50 à 200 k€"),
    (Decimal(1_000_000), "200 k€ à 1 M€"),
    (Decimal(5_000_000), "1 à 5 M€"),
    (None, "plus de 5 M€"),
)
"""Bands of the total of the produits (upper bound excluded)."""
BANDES_SALARIES: tuple[tuple[int | None, str], ...] = (
    (1, "0"),
    (3, "1 à 2"),
    (6, "3 à 5"),
    (10, "6 à 9"),
    (20, "10 à 19"),
    (50, "20 à 49"),
    (None, "50 et plus"),
)
"""Bands of the headcount (INSEE's size bands; upper bound excluded)."""
NON_RENSEIGNE = "non renseigné"

INDICATEURS: tuple[tuple[str, str, str], ...] = (
    ("tresorerie_mois", "Trésorerie (mois de charges)", "mois"),
    ("fonds_propres_mois", "Fonds propres (mois de charges)", "mois"),
    ("part_financements_publics", "Financements publics (%)", "%"),
    ("concentration_financeurs", "Premier financeur public (%)", "%"),
    ("part_charges_personnel", "Charges de personnel (%)", "%"),
    ("marge_resultat", "Résultat / produits (%)", "%"),
)
"""Indicator id, French label (with its unit), unit (``mois``: one decimal; ``%``: whole
per cent)."""
UNITES = {key: unite for key, _label, unite in INDICATEURS}


@dataclass(frozen=True, slots=True)
class IndicateursPartages:
    """What an association shares: bands and rounded ratios (None: cannot be computed)."""

    exercice: str
    bande_taille: str
    secteur: str
    bande_salaries: str
    valeurs: dict[str, Decimal | None]
    jeton: str | None = None  # random, recognises the association's own file (jetons.py)

    def en_json(self) -> dict[str, Any]:
        """The shared document (every value a string: no float, see the output contract)."""
        document = {
            "format": FORMAT,
            "version": VERSION,
            "exercice": self.exercice,
            "bande_taille": self.bande_taille,
            "secteur": self.secteur,
            "bande_salaries": self.bande_salaries,
            "indicateurs": {
                key: None if self.valeurs.get(key) is None else str(self.valeurs[key])
                for key, _label, _unite in INDICATEURS
            },
        }
        if self.jeton is not None:
            document["jeton"] = self.jeton
        return document

    def texte_json(self) -> str:
        return json.dumps(self.en_json(), ensure_ascii=False, indent=2) + "\n"


def bande(valeur: T | None, bandes: Sequence[tuple[T | None, str]]) -> str:
    """The label of the band ``valeur`` falls in (upper bounds excluded)."""
    if valeur is None:
        return NON_RENSEIGNE
    for borne, label in bandes:
        if borne is None or valeur < borne:
            return label
    raise AssertionError("the last band has no upper bound")


def arrondi_du_ratio(valeur: Decimal | None, unite: str) -> Decimal | None:
    """A ratio as shared: months to one decimal, a fraction to the whole per cent."""
    if valeur is None:
        return None
    if unite == "mois":
        return valeur.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return (valeur * 100).quantize(Decimal(1), ROUND_HALF_UP)


def part_du_premier_financeur(source: Source, mesures: Mesures) -> Decimal | None:
    """The largest public funder's share of the public funding: each account under the
    diagnostic's public funding prefixes (73, 74) is one funder."""
    spec = donnees()["resultat"]["subventions_publiques"]
    prefixes = [str(prefix) for prefix in spec["prefixes"]]
    exercice = mesures.exercice
    totals = totaux_par_compte(source.mouvements.entre(exercice.debut, mesures.fin))
    par_financeur = []
    for account, amount in totals.items():
        code = parse_account(account).code
        if code is not None and code.startswith(tuple(prefixes)) and -amount > 0:
            par_financeur.append(-amount)
    total = sum(par_financeur, ZERO)
    return max(par_financeur) / total if total > 0 else None


def compute_indicateurs_partages(
    source: Source, exercice: Exercice, reglages: PartageConfig
) -> IndicateursPartages:
    """The anonymised indicators of ``exercice`` (see the module docstring)."""
    mesures = mesurer(source, exercice)
    decaissables = mesures.elements["charges_decaissables"]
    bruts: dict[str, Decimal | None] = {
        "tresorerie_mois": (
            mesures.tresorerie_nette * mesures.mois / decaissables if decaissables > 0 else None
        ),
        "fonds_propres_mois": mesures.fonds_propres_mois,
        "part_financements_publics": mesures.part_subventions_publiques,
        "concentration_financeurs": part_du_premier_financeur(source, mesures),
        "part_charges_personnel": mesures.part_charges_personnel,
        "marge_resultat": mesures.resultat_sur_produits,
    }
    return IndicateursPartages(
        exercice=exercice.code,
        bande_taille=bande(mesures.elements["total_produits"], BANDES_TAILLE),
        secteur=reglages.secteur or NON_RENSEIGNE,
        bande_salaries=bande(reglages.salaries, BANDES_SALARIES),
        valeurs={key: arrondi_du_ratio(bruts[key], UNITES[key]) for key in UNITES},
    )
