"""The budget files: schema, loading, validation with lines.

One YAML file per exercice, declared in ``communs.yaml``::

    budget:
      fichiers:
        "2026": budgets/2026.yaml

A budget file holds one or several dated versions (the budget voted at the
assemblée générale, then its revisions). A version lists lines by account code
at any level (a line on ``62`` covers every 62x account), optionally for a
project, with an annual amount (positive, for charges as for produits) and a
monthly profile. A version may start from an earlier one (``base``): its lines
replace those of the base with the same account and project, a line with
``montant: 0`` removes one. Example::

    versions:
      - code: vote
        nom: BP voté en AG
        date: 2026-03-14
        lignes:
          - compte: "6411"
            montant: 78000              # réparti également sur les mois
          - compte: "741"
            libelle: Subvention Région
            projet: JARDINS
            montant: 20000
            profil: {mois: {3: 10000, 9: 10000}}   # mois de l'exercice → montant
          - compte: "756"
            montant: 3000
            profil: {saisonnier: [20, 5, 5, 5, 5, 5, 5, 5, 20, 15, 5, 5]}
      - code: revise
        nom: BP révisé en juin
        date: 2026-06-20
        base: vote
        lignes:
          - compte: "6411"
            montant: 81000
            commentaire: embauche en septembre
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ..contexte import LedgerContext
from ..exercices import Calendrier, Exercice
from ..montants import to_cent
from ..plan import comptes_en_deduction, load_chart, natures
from ..schemas import Schema, champ, validate, valider_entier, valider_montant
from ..sources import Location, SourceError, display_path
from ..yaml_lignes import YamlDocument, load_yaml
from .profils import Profil, ProfilInvalide, echeances_du_profil
from .reglages import budget_config


def _code(value: object) -> str:
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(f"numéro de compte attendu (chiffres seulement), lu « {text} »")
    return text


def _version_code(value: object) -> str:
    text = str(value).strip()
    if not text or " " in text:
        raise ValueError("code de version sans espace attendu (ex. vote, revise-juin)")
    return text


_delai = valider_entier(0, 366, "délai de paiement en jours attendu, de 0 à 366 (lu : {!r})")


def _delais(value: object) -> object:
    if isinstance(value, dict):
        for code, days in value.items():
            _code(code)
            _delai(days)
    return value


class LigneFichier(Schema):
    """A line of a budget version, as written in the budget file."""

    compte: str = champ(valider=_code)
    montant: Decimal = champ(valider=valider_montant)
    """Required (a line without it would vanish); ``0`` removes a line of the base.
    Negative only on the accounts that reduce their class (``comptes_en_deduction``
    of ``plan_comptable/plan.yaml``: 609, 649, 709…)."""
    projet: str | None = None
    libelle: str | None = None
    profil: Any = None
    commentaire: str | None = None
    delai: int | None = champ(default=None, valider=_delai)  # payment delay of the cash plan (days)


class VersionFichier(Schema):
    """A version of a budget (voted, revised…), as written in the budget file."""

    code: str = champ(valider=_version_code)
    nom: str = champ(min_longueur=1)
    date: datetime.date = champ()
    base: str | None = None
    commentaire: str | None = None
    lignes: list[LigneFichier] = champ(default_factory=list)
    delais: dict[str, int] = champ(default_factory=dict, valider=_delais)
    """Payment delays (days) by account code prefix (a chapter): ``{"62": 45, "74": 60}``."""


class FichierBudget(Schema):
    """A budget file: its versions."""

    versions: list[VersionFichier] = champ(min_longueur=1)
    commentaire: str | None = None


def ligne_id(compte: str, projet: str | None) -> str:
    """The id of a budget line's row in every report (budget, comparison, CERFA 12156
    detail): ``ligne:<compte>`` or ``ligne:<compte>:<projet>`` (docs/formats.md)."""
    return f"ligne:{compte}:{projet}" if projet else f"ligne:{compte}"


@dataclass(frozen=True)
class LigneBudget:
    """One line of a budget version, with its amounts spread over the exercice."""

    compte: str
    montant: Decimal
    projet: str | None
    libelle: str | None
    commentaire: str | None
    echeances: tuple[tuple[datetime.date, datetime.date, Decimal], ...]
    """(first day, last day, amount) of each period the profile gives an amount to."""
    location: Location
    profil: str = "uniforme"
    """The kind of monthly profile written: uniforme, saisonnier, mois or dates."""
    delai: int | None = None
    """Days between the budgeted date and the payment (cash plan); None: none."""

    @property
    def cle(self) -> tuple[str, str | None]:
        return (self.compte, self.projet)

    def a_date(self, day: datetime.date) -> Decimal:
        """Budget to date: whole periods ended by ``day``, the current one pro rata temporis,
        rounded to the cent (half up): a table's totals then add up its printed lines, and
        its résultat is its produits − its charges to the cent."""
        total = Decimal(0)
        for debut, fin, amount in self.echeances:
            if fin <= day:
                total += amount
            elif debut <= day:
                elapsed = (day - debut).days + 1
                length = (fin - debut).days + 1
                share = amount * elapsed / length
                total += to_cent(share)
        return total


@dataclass(frozen=True)
class VersionBudget:
    """A version of a budget, its lines resolved (base applied), with its location."""

    code: str
    nom: str
    date: datetime.date
    lignes: tuple[LigneBudget, ...]
    location: Location


@dataclass
class BudgetExercice:
    """The budget of one exercice: its versions, in file order."""

    exercice: Exercice
    fichier: Path
    versions: list[VersionBudget] = field(default_factory=list)

    def version(self, code: str | None = None) -> VersionBudget | None:
        """A version by code or name; by default the latest by date."""
        if not self.versions:
            return None
        if code is None:
            return max(self.versions, key=lambda v: v.date)
        for version in self.versions:
            if code in (version.code, version.nom):
                return version
        return None


@dataclass
class Budgets:
    """Every budget file of a ledger, and the problems found in them."""

    par_exercice: dict[str, BudgetExercice] = field(default_factory=dict)
    erreurs: list[SourceError] = field(default_factory=list)
    fichiers: list[Path] = field(default_factory=list)

    def pour(self, exercice: Exercice) -> BudgetExercice | None:
        return self.par_exercice.get(exercice.code)


_BUDGET_NATURES = ("charge", "produit", "contribution_emploi", "contribution_ressource")


def _check_code(code: str, exercice: Exercice) -> str | None:
    """Why a code cannot carry a budget line in this exercice's chart, or None."""
    return _check_code_in(code, exercice.version)


@cache
def _check_code_in(code: str, version: str) -> str | None:
    chart = load_chart(version)
    problem = chart.hors_du_plan(code)
    if problem is not None:
        return problem
    check = chart.check(code)
    assert check.account is not None  # in the chart, or below a postable account
    nature = check.account.nature
    if nature == "titre":
        if code[:1] in ("6", "7") or code[:2] in ("86", "87"):
            return None
        return (
            f"compte {code} « {check.account.libelle} » : un budget porte sur des charges "
            "(classe 6), des produits (classe 7) ou des contributions en nature (86, 87)"
        )
    if nature not in _BUDGET_NATURES:
        label = natures()[nature].libelle.lower() if nature in natures() else nature
        return (
            f"compte {code} « {check.account.libelle} » ({label}) : un budget porte sur des "
            "charges, des produits ou des contributions en nature"
        )
    return None


_Key = tuple[str, str | None]
"""A budget line's key: (compte, projet)."""
_Where = tuple[str | int, ...]
"""A path in the YAML document, as :meth:`YamlDocument.location` takes it."""


def _lines_of(
    document: YamlDocument,
    data: FichierBudget,
    exercice: Exercice,
    projets: set[str],
    errors: list[SourceError],
) -> list[VersionBudget]:
    """The versions of a budget file, in file order; the problems go to ``errors`` (a
    version declared twice is left out, a faulty line too)."""
    versions: list[VersionBudget] = []
    by_code: dict[str, VersionBudget] = {}
    for v_index, raw_version in enumerate(data.versions):
        where = ("versions", v_index)
        if raw_version.code in by_code:
            errors.append(
                SourceError(
                    document.location((*where, "code")),
                    f"version « {raw_version.code} » déclarée deux fois",
                )
            )
            continue
        lines = _base_lines(document, raw_version, where, by_code, errors)
        _read_lines(document, raw_version, where, exercice, projets, lines, errors)
        version = VersionBudget(
            raw_version.code,
            raw_version.nom,
            raw_version.date,
            tuple(lines.values()),
            document.location(where),
        )
        by_code[version.code] = version
        versions.append(version)
    return versions


def _base_lines(
    document: YamlDocument,
    raw_version: VersionFichier,
    where: _Where,
    by_code: dict[str, VersionBudget],
    errors: list[SourceError],
) -> dict[_Key, LigneBudget]:
    """The lines a version starts from: those of its ``base`` version (declared above)."""
    if raw_version.base is None:
        return {}
    base = by_code.get(raw_version.base)
    if base is None:
        errors.append(
            SourceError(
                document.location((*where, "base")),
                f"version de base « {raw_version.base} » inconnue (elle doit être "
                "déclarée plus haut dans le fichier)",
            )
        )
        return {}
    return {line.cle: line for line in base.lignes}


def _read_lines(
    document: YamlDocument,
    raw_version: VersionFichier,
    where: _Where,
    exercice: Exercice,
    projets: set[str],
    lines: dict[_Key, LigneBudget],
    errors: list[SourceError],
) -> None:
    """Add (or, at 0, remove) the version's own lines to ``lines``, in file order."""
    seen: set[_Key] = set()
    for l_index, raw in enumerate(raw_version.lignes):
        path = (*where, "lignes", l_index)
        key = (raw.compte, raw.projet)
        if key in seen:
            projet = f" (projet {raw.projet})" if raw.projet else ""
            errors.append(
                SourceError(
                    document.location(path), f"ligne en double : compte {raw.compte}{projet}"
                )
            )
            continue
        seen.add(key)
        problem = _line_problem(document, raw, path, exercice, projets)
        if problem is not None:
            errors.append(problem)
        elif raw.montant == 0:
            lines.pop(key, None)  # removes a line of the base version
        else:
            line = _budget_line(document, raw, raw_version, path, exercice)
            if isinstance(line, SourceError):
                errors.append(line)
            else:
                lines[key] = line


def _line_problem(
    document: YamlDocument, raw: LigneFichier, path: _Where, exercice: Exercice, projets: set[str]
) -> SourceError | None:
    """What is wrong with a line's code, project or amount (at its place), or None."""
    problem = _check_code(raw.compte, exercice)
    if problem is not None:
        return SourceError(document.location((*path, "compte")), problem)
    if raw.projet is not None and raw.projet not in projets:
        known = ", ".join(sorted(projets)) or "aucun projet déclaré"
        return SourceError(
            document.location((*path, "projet")),
            f"projet « {raw.projet} » inconnu ({known})",
        )
    if raw.montant < 0 and not raw.compte.startswith(comptes_en_deduction()):
        return SourceError(
            document.location((*path, "montant")),
            f"compte {raw.compte} : montant négatif ({raw.montant}) refusé : un "
            "budget s'écrit en positif, pour les charges comme pour les produits "
            f"(seuls {', '.join(comptes_en_deduction())}, qui viennent en "
            "déduction, se budgètent en négatif)",
        )
    return None


def _budget_line(
    document: YamlDocument,
    raw: LigneFichier,
    raw_version: VersionFichier,
    path: _Where,
    exercice: Exercice,
) -> LigneBudget | SourceError:
    """A sound line spread over the exercice by its profile (or the profile's problem)."""
    try:
        profil = Profil.lire(raw.profil)
        echeances = echeances_du_profil(raw.montant, profil, exercice)
    except ProfilInvalide as exc:
        return SourceError(document.location((*path, "profil")), str(exc))
    return LigneBudget(
        raw.compte,
        raw.montant,
        raw.projet,
        raw.libelle,
        raw.commentaire,
        echeances,
        document.location(path),
        profil.genre,
        raw.delai if raw.delai is not None else _delai_du_chapitre(raw_version, raw.compte),
    )


def _delai_du_chapitre(version: VersionFichier, code: str) -> int | None:
    """The version's ``delais`` for a line's code: the longest matching prefix."""
    found = [prefix for prefix in version.delais if code.startswith(str(prefix))]
    return version.delais[max(found, key=len)] if found else None


def load_budget_file(
    path: Path,
    exercice: Exercice,
    projets: set[str],
    *,
    text: str | None = None,
    label: str | None = None,
) -> tuple[BudgetExercice, list[SourceError]]:
    """Load and check one budget file (or its ``text``, errors naming ``label``)."""
    budget = BudgetExercice(exercice, Path(label) if label else path)
    try:
        document = load_yaml(path, text, filename=label)
    except SourceError as error:
        return budget, [error]
    data, errors = validate(document, FichierBudget)
    if data is None:
        return budget, errors
    budget.versions = _lines_of(document, data, exercice, projets, errors)
    return budget, errors


def load_budgets(context: LedgerContext) -> Budgets:
    """The budget files declared in a ledger's config (``LedgerContext``). Never raises."""
    budgets = Budgets()
    config = context.config
    declared = budget_config(config).fichiers
    folder = context.ledger.resolve().parent
    projets = set(config.projets)
    for code, relative in declared.items():
        path = (folder / relative).resolve()
        budgets.fichiers.append(path)
        exercice = exercice_nomme(context, code)
        where = config.location("budget", "fichiers", code)
        if exercice is None:
            budgets.erreurs.append(
                SourceError(where, f"budget.fichiers : exercice « {code} » invalide")
            )
            continue
        if not path.is_file():
            quoi = "est un dossier" if path.is_dir() else "introuvable"
            budgets.erreurs.append(
                SourceError(
                    where,
                    f"budget.fichiers : fichier du budget {code} {quoi} ({display_path(path)})",
                )
            )
            continue
        budget, errors = load_budget_file(path, exercice, projets)
        budgets.par_exercice[exercice.code] = budget
        budgets.erreurs.extend(errors)
    return budgets


def exercice_nomme(context: LedgerContext, code: str) -> Exercice | None:
    """The exercice an exercice code designates (``2026`` or ``2025-2026``)."""
    text = str(code).strip()
    try:
        year = int(text.split("-")[0])
    except ValueError:
        return None
    calendrier: Calendrier = context.calendrier
    for candidate in (datetime.date(year, 12, 31), datetime.date(year, 1, 1)):
        exercice = calendrier.containing(candidate)
        if exercice.code == text:
            return exercice
    opening = calendrier.containing(datetime.date(year, 12, 31))
    if str(opening.debut.year) == text:
        return opening
    return None
