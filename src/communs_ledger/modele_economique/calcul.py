"""The resources of an association by origin, per exercice (``communs ressources``).

Every income posting of the exercice goes to the first origin of
``plan_comptable/diagnostic.yaml`` (section ``modele_socio_economique``) whose longest
prefix starts its code; incomes that are not new resources of the exercice (reprises,
fonds dédiés used, quote-part of investment subsidies, disposals) are left out, and the
contributions volontaires (87) are kept apart.

Subsidies are detailed by funder type: the ``type_financeur`` of the posting's
convention, else that of its account (as the CERFA 12156 table reads it,
:class:`~communs_ledger.budget.cerfa.Financeurs`), else « non classé »; a subsidy of
type ``aides_privees`` is private funding. The funder of a subsidy or private funding
is the ``financeur`` of its convention, else the one its account names
(:func:`~communs_ledger.conventions.financeurs.financeur`), else the payee of the
entry (« Vasseur Logistique » for a mécénat), else it is not identified.

Concentration is measured on the identified funders, as shares of all the resources:
share of the largest one, of the three largest, and the Herfindahl index
Σ (share in per cent)² (0 to 10 000).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from ..budget.cerfa import Financeurs, ouvertures
from ..budget.reglages import financeurs_config
from ..codes import longest_prefix
from ..conventions.fichier import Convention, Conventions, ajouter_mois
from ..conventions.financeurs import FINANCEUR_NON_PRECISE, financeur
from ..conventions.subventions import conventions_de_l_exercice
from ..exercices import Exercice
from ..montants import HUNDRED, ZERO
from ..mouvements import Mouvement
from ..rapports.diagnostic import mesurer
from ..rapports.indicateurs import donnees
from ..rapports.periode import date_d_arrete
from ..rapports.source import Source

NON_CLASSE = "non_classe"
"""Funder type of a public subsidy whose type nobody says."""
PUBLIQUES = "subventions_publiques"
PRIVES = "financements_prives"
AIDES_PRIVEES = "aides_privees"
FINANCEES = (PUBLIQUES, PRIVES)
"""Origins whose amounts come from a funder (concentration is measured on them)."""


@dataclass(frozen=True, slots=True)
class Origine:
    id: str
    libelle: str
    prefixes: tuple[str, ...]
    exclure: tuple[str, ...] = ()
    par_financeur: bool = False


@cache
def _section() -> dict[str, Any]:
    section: dict[str, Any] = donnees()["modele_socio_economique"]
    return section


def origines() -> tuple[Origine, ...]:
    """The origins of resources, in display order (``diagnostic.yaml``)."""
    return tuple(
        Origine(
            id=str(spec["id"]),
            libelle=str(spec["libelle"]),
            prefixes=tuple(str(p) for p in spec["prefixes"]),
            exclure=tuple(str(p) for p in spec.get("exclure") or ()),
            par_financeur=bool(spec.get("par_financeur")),
        )
        for spec in _section()["origines"]
    )


def ressources_propres() -> tuple[str, ...]:
    """Origins counted as the association's own resources."""
    return tuple(str(o) for o in _section()["ressources_propres"])


def _index() -> dict[str, str]:
    """Code prefix → origin id ("": left out), for the longest-prefix lookup."""
    index: dict[str, str] = {}
    for origine in origines():
        for prefix in origine.prefixes:
            index.setdefault(prefix, origine.id)
        for prefix in origine.exclure:
            index[prefix] = ""
    return index


@dataclass(frozen=True, slots=True)
class RessourcesExercice:
    """The resources of one exercice (to ``fin``), by origin and by funder."""

    exercice: Exercice
    fin: datetime.date
    par_origine: Mapping[str, Decimal]
    par_type: Mapping[str, Decimal]
    """Public subsidies by funder type (CERFA 12156 ids, or :data:`NON_CLASSE`)."""
    par_financeur: Mapping[str, Decimal]
    """Identified funders (subsidies and private funding), by name."""
    non_identifie: Decimal
    """Subsidies and private funding whose funder is not named."""
    contributions_volontaires: Decimal
    fonds_propres: Decimal
    conventions: Decimal
    """Amount of the conventions of the exercice (conventions.yaml)."""
    conventions_pluriannuelles: Decimal
    """… of which conventions lasting more than twelve months."""

    @property
    def total(self) -> Decimal:
        return sum(self.par_origine.values(), ZERO)

    def part(self, amount: Decimal) -> Decimal | None:
        total = self.total
        return amount / total if total > 0 else None

    def premiers(self, nombre: int) -> list[tuple[str, Decimal]]:
        """The ``nombre`` largest identified funders, largest first (ties by name)."""
        ranked = sorted(self.par_financeur.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:nombre]

    @property
    def part_premier_financeur(self) -> Decimal | None:
        top = self.premiers(1)
        return self.part(top[0][1]) if top else None

    @property
    def part_trois_premiers(self) -> Decimal | None:
        top = self.premiers(3)
        return self.part(sum((amount for _, amount in top), ZERO)) if top else None

    @property
    def indice_herfindahl(self) -> Decimal | None:
        total = self.total
        if total <= 0:
            return None
        return sum(((HUNDRED * a / total) ** 2 for a in self.par_financeur.values()), ZERO)

    @property
    def part_ressources_propres(self) -> Decimal | None:
        own = ressources_propres()
        return self.part(sum((self.par_origine.get(o, ZERO) for o in own), ZERO))

    @property
    def part_ressources_publiques(self) -> Decimal | None:
        return self.part(self.par_origine.get(PUBLIQUES, ZERO))

    @property
    def part_pluriannuelle(self) -> Decimal | None:
        if self.conventions <= 0:
            return None
        return self.conventions_pluriannuelles / self.conventions

    @property
    def mois_sans_premier_financeur(self) -> Decimal | None:
        top = self.premiers(1)
        if not top or top[0][1] <= 0:
            return None
        return self.fonds_propres * 12 / top[0][1]

    @property
    def valeurs(self) -> dict[str, Decimal | None]:
        """The indicators by id (those of ``diagnostic.yaml``, and the public share)."""
        return {
            "part_premier_financeur": self.part_premier_financeur,
            "part_trois_premiers": self.part_trois_premiers,
            "indice_herfindahl": self.indice_herfindahl,
            "part_ressources_propres": self.part_ressources_propres,
            "part_subventions_publiques": self.part_ressources_publiques,
            "part_pluriannuelle": self.part_pluriannuelle,
            "mois_sans_premier_financeur": self.mois_sans_premier_financeur,
        }


def est_pluriannuelle(convention: Convention) -> bool:
    """A convention lasting more than twelve months."""
    return ajouter_mois(convention.debut, 12) <= convention.fin


class _Classement:
    """Origin, funder type and funder of income postings."""

    def __init__(self, source: Source, conventions: Conventions | None) -> None:
        self.index = _index()
        self.conventions = conventions
        self.financeurs = Financeurs(
            ouvertures(source.entries), financeurs_config(source.context.config)
        )

    def convention(self, mouvement: Mouvement) -> Convention | None:
        if self.conventions is None:
            return None
        reference = self.conventions.reference_de(mouvement)
        return self.conventions.get(reference) if reference is not None else None

    def type_financeur(self, mouvement: Mouvement, convention: Convention | None) -> str:
        if convention is not None and convention.type_financeur:
            return convention.type_financeur
        found = self.financeurs.de(mouvement.code or "").type
        return found or NON_CLASSE

    def nom(self, mouvement: Mouvement, convention: Convention | None) -> str | None:
        if convention is not None:
            return convention.financeur
        label = financeur(mouvement.account)
        if label != FINANCEUR_NON_PRECISE:
            return label
        payee = getattr(mouvement.entry, "payee", None)
        return str(payee).strip() or None if payee else None


@dataclass
class _Sommes:
    par_origine: dict[str, Decimal]
    par_type: dict[str, Decimal]
    par_financeur: dict[str, Decimal]
    non_identifie: Decimal = ZERO
    contributions_volontaires: Decimal = ZERO


def _ajouter(sommes: _Sommes, classement: _Classement, mouvement: Mouvement) -> None:
    code = mouvement.code or ""
    amount = -mouvement.montant
    if code.startswith(tuple(_section()["contributions_volontaires"])):
        sommes.contributions_volontaires += amount
        return
    origine = longest_prefix(code, classement.index)
    if not origine:
        return
    convention = classement.convention(mouvement) if origine in FINANCEES else None
    if origine == PUBLIQUES:
        type_ = classement.type_financeur(mouvement, convention)
        if type_ == AIDES_PRIVEES:
            origine = PRIVES
        else:
            sommes.par_type[type_] += amount
    sommes.par_origine[origine] += amount
    if origine in FINANCEES:
        nom = classement.nom(mouvement, convention)
        if nom is None:
            sommes.non_identifie += amount
        else:
            sommes.par_financeur[nom] += amount


def ressources_de(
    source: Source,
    exercice: Exercice,
    conventions: Conventions | None,
    fin: datetime.date | None = None,
) -> RessourcesExercice:
    """The resources of ``exercice`` to ``fin`` (default: its closing day)."""
    fin = date_d_arrete(exercice, fin)
    classement = _Classement(source, conventions)
    sommes = _Sommes(
        dict.fromkeys((o.id for o in origines()), ZERO), defaultdict(Decimal), defaultdict(Decimal)
    )
    for mouvement in source.mouvements.entre(exercice.debut, fin):
        if (mouvement.code or "").startswith(("7", "8")):
            _ajouter(sommes, classement, mouvement)
    chosen = conventions_de_l_exercice(conventions, exercice) if conventions else []
    return RessourcesExercice(
        exercice=exercice,
        fin=fin,
        par_origine=sommes.par_origine,
        par_type=dict(sommes.par_type),
        par_financeur={k: v for k, v in sommes.par_financeur.items() if v},
        non_identifie=sommes.non_identifie,
        contributions_volontaires=sommes.contributions_volontaires,
        fonds_propres=mesurer(source, exercice, fin).elements["fonds_propres"],
        conventions=sum((c.montant for c in chosen), ZERO),
        conventions_pluriannuelles=sum((c.montant for c in chosen if est_pluriannuelle(c)), ZERO),
    )


@dataclass(frozen=True, slots=True)
class ModeleSocioEconomique:
    """The resources of the last exercices, the latest last (``n``)."""

    exercices: tuple[RessourcesExercice, ...]
    en_cours: bool
    """True when the latest exercice is in progress, measured to its last entry."""
    conventions_lues: bool
    """False without a conventions file (or with one that has errors)."""

    @property
    def n(self) -> RessourcesExercice:
        return self.exercices[-1]


def compute_modele_socio_economique(
    source: Source, exercice: Exercice, conventions: Conventions | None, annees: int = 3
) -> ModeleSocioEconomique:
    """The resources of ``exercice`` and of up to ``annees - 1`` exercices before it."""
    index = source.exercices.index(exercice) if exercice in source.exercices else 0
    chosen = source.exercices[max(0, index - max(annees, 1) + 1) : index + 1] or [exercice]
    last = source.mouvements.derniere_date
    in_progress = last is not None and exercice.debut <= last < exercice.fin
    found = tuple(
        ressources_de(source, e, conventions, last if (e == exercice and in_progress) else None)
        for e in chosen
    )
    return ModeleSocioEconomique(found, in_progress, conventions is not None)
