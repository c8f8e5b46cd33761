"""Recurring and one-off flows (rent, insurance, loan repayments…): the ``flux`` input.

Declared in ``communs.yaml`` (``previsions: {flux: previsions/flux.yaml}``)::

    flux:
      - code: loyer
        libelle: Loyer du local (SCI des Tilleuls)
        montant: -1650            # cash of each occurrence: negative = payment
        compte: "6132"            # counterpart account (optional)
        frequence: mensuel        # mensuel | trimestriel | semestriel | annuel | ponctuel
        jour: 5                   # day of the month (default: day of `debut`, else 1)
        debut: 2025-01-01         # optional: first possible occurrence
        fin: 2027-12-31           # optional: last possible occurrence
        indexation: 2             # optional: % per year, on each anniversary of `debut`
      - code: assurance
        libelle: Assurance multirisque
        montant: -1240
        compte: "616"
        frequence: annuel
        mois: 1                   # month of the occurrence (annuel), of the first one of
        jour: 15                  # the cycle (trimestriel, semestriel); default: of `debut`
      - code: pret
        libelle: Prêt France Active (échéance)
        montant: -520             # total of each instalment …
        compte: "164"             # … principal: no effect on the result
        interets: 40              # of which interest (optional) …
        compte_interets: "6611"   # … on this charge account (default 6611)
        frequence: mensuel
        jour: 10
        fin: 2027-06-10
      - code: ordinateur
        libelle: Achat d'un ordinateur
        montant: -900
        compte: "2183"
        frequence: ponctuel
        date: 2027-02-15
        projet: CUISINE           # optional, declared in communs.yaml

``compte`` is the counterpart of the cash movement: a charge (class 6) or
produit (class 7) account also gives a forecast charge or produit of the same
amount; any other account but treasury (e.g. 164 for a loan's principal, 2183
for an investment) moves cash only. The cash category (``categorie``) is taken
from the counterpart account through ``plan_comptable/tresorerie.yaml`` unless
given. A charge account goes with a payment (negative ``montant``), a produit
account with a receipt. Indexed amounts are rounded to the cent.

Scenario overrides (``scenario.flux[code]``): ``montant`` (a new amount, or a
variation such as ``"-10%"``), ``debut``, ``fin`` (dates), ``annule: true``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..contexte import LedgerContext
from ..dates import clamped_date, month_of, months_from_to
from ..montants import HUNDRED, to_cent
from ..plan import VERSIONS, load_chart
from ..rapports.source import Source
from ..schemas import Schema, champ, charger_fichier, sans_doublons, valider_montant, valider_motif
from ..sources import Location, SourceError
from ..yaml_lignes import YamlDocument
from .modele import MouvementPrevu, Periode, Previsions, ResultatPrevu, Scenario, lire_variation
from .realise import DECAISSEMENT, ENCAISSEMENT, categories_de_tresorerie

COMPTE_INTERETS = "6611"

Frequence = Literal["mensuel", "trimestriel", "semestriel", "annuel", "ponctuel"]
_CYCLE = {"mensuel": 1, "trimestriel": 3, "semestriel": 6, "annuel": 12}


# --- Cash categories (plan_comptable/tresorerie.yaml, read by .realise) ------------------


def categories_connues() -> dict[str, set[str]]:
    """Category ids by side (``encaissements``, ``decaissements``)."""
    categories = categories_de_tresorerie()
    return {
        "encaissements": {c.id for c in categories.encaissements},
        "decaissements": {c.id for c in categories.decaissements},
    }


def categorie_tresorerie(code: str | None, encaissement: bool) -> str:
    """The cash category id of a movement with counterpart ``code`` (longest prefix), as
    the plan classifies the ledger's actual movements."""
    sens = ENCAISSEMENT if encaissement else DECAISSEMENT
    return categories_de_tresorerie().classer(code, sens).id


# --- Schema -----------------------------------------------------------------------------


_flow_code = valider_motif(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$", "code « {} » invalide : lettres, chiffres, - et _ sans espace"
)


def _account(value: object) -> str:
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(f"numéro de compte attendu (chiffres seulement), lu « {text} »")
    return text


class FluxFichier(Schema):
    code: str = champ(valider=_flow_code)
    libelle: str = champ(min_longueur=1)
    montant: Decimal = champ(valider=valider_montant)
    frequence: Frequence = champ()
    compte: str | None = champ(default=None, valider=_account)
    categorie: str | None = None
    jour: int | None = None
    mois: int | None = None
    debut: datetime.date | None = None
    fin: datetime.date | None = None
    date: datetime.date | None = None
    projet: str | None = None
    indexation: Decimal | None = None
    interets: Decimal | None = None
    compte_interets: str | None = champ(default=None, valider=_account)
    commentaire: str | None = None

    def verifier(self) -> None:
        if self.montant == 0:
            raise ValueError("montant nul : un flux encaisse (> 0) ou décaisse (< 0)")
        if self.frequence == "ponctuel":
            if self.date is None:
                raise ValueError("un flux ponctuel a une date (date: AAAA-MM-JJ)")
            extra = [
                name
                for name in ("jour", "mois", "debut", "fin", "indexation")
                if getattr(self, name) is not None
            ]
            if extra:
                raise ValueError(f"un flux ponctuel n'a que sa date (retirez : {', '.join(extra)})")
            return
        if self.date is not None:
            raise ValueError(
                f"un flux {self.frequence} n'a pas de date unique : indiquez debut et fin"
            )
        if self.jour is not None and not 1 <= self.jour <= 31:
            raise ValueError(f"jour {self.jour} : un jour du mois entre 1 et 31 est attendu")
        if self.mois is not None:
            if self.frequence == "mensuel":
                raise ValueError("un flux mensuel n'a pas de mois (seulement un jour)")
            if not 1 <= self.mois <= 12:
                raise ValueError(f"mois {self.mois} : un mois entre 1 et 12 est attendu")
        elif self.frequence != "mensuel" and self.debut is None:
            raise ValueError(f"un flux {self.frequence} sans date de début indique son mois")
        if self.debut and self.fin and self.fin < self.debut:
            raise ValueError(
                f"la fin ({self.fin.isoformat()}) précède le début ({self.debut.isoformat()})"
            )
        if self.indexation is not None and self.debut is None:
            raise ValueError(
                "l'indexation s'applique à chaque anniversaire de « debut » : indiquez-le"
            )


class FichierFlux(Schema):
    flux: list[FluxFichier] = champ(default_factory=list)
    commentaire: str | None = None


# --- Flows ------------------------------------------------------------------------------


def _has_result(code: str | None) -> bool:
    return code is not None and code[:1] in ("6", "7")


def _years_between(start: datetime.date, day: datetime.date) -> int:
    """Whole years from ``start`` to ``day`` (anniversaries passed)."""
    years = day.year - start.year
    if (day.month, day.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


@dataclass(frozen=True)
class Flux:
    """One flow, validated."""

    code: str
    libelle: str
    montant: Decimal
    frequence: str
    compte: str | None
    categorie: str
    jour: int
    mois: int | None
    debut: datetime.date | None
    fin: datetime.date | None
    date: datetime.date | None
    projet: str | None
    indexation: Decimal | None
    interets: Decimal | None
    compte_interets: str | None
    location: Location

    def dates(self, debut: datetime.date, fin: datetime.date) -> list[datetime.date]:
        """Occurrences between ``debut`` and ``fin`` (inclusive), within the flow's bounds."""
        low = max(debut, self.debut) if self.debut else debut
        high = min(fin, self.fin) if self.fin else fin
        if low > high:
            return []
        if self.date is not None:
            return [self.date] if low <= self.date <= high else []
        cycle = _CYCLE[self.frequence]
        anchor = self.mois or (self.debut.month if self.debut else 1)
        result = []
        for year, month in months_from_to(month_of(low), month_of(high)):
            if (month - anchor) % cycle == 0:
                day = clamped_date(year, month, self.jour)
                if low <= day <= high:
                    result.append(day)
        return result

    def montant_le(self, day: datetime.date) -> Decimal:
        """The amount of the occurrence of ``day`` (indexed on each anniversary)."""
        if not self.indexation or self.debut is None:
            return self.montant
        factor = ((HUNDRED + self.indexation) / HUNDRED) ** _years_between(self.debut, day)
        return to_cent(self.montant * factor)

    def generer(self, periode: Periode) -> Previsions:
        result = Previsions()
        origine = f"flux:{self.code}"
        for day in self.dates(periode.debut, periode.fin):
            amount = self.montant_le(day)
            interest = self.interets or Decimal(0)
            principal = amount + interest  # interest is part of a payment (amount < 0)
            if principal:
                result.tresorerie.append(
                    MouvementPrevu(
                        day,
                        principal,
                        self.categorie,
                        self.libelle,
                        origine,
                        compte=self.compte,
                        projet=self.projet,
                        location=self.location,
                    )
                )
            if interest:
                result.tresorerie.append(
                    MouvementPrevu(
                        day,
                        -interest,
                        categorie_tresorerie(self.compte_interets, False),
                        f"{self.libelle} (intérêts)",
                        origine,
                        compte=self.compte_interets,
                        projet=self.projet,
                        location=self.location,
                    )
                )
                assert self.compte_interets is not None
                result.resultat.append(
                    ResultatPrevu(
                        day,
                        self.compte_interets,
                        interest,
                        f"{self.libelle} (intérêts)",
                        origine,
                        self.projet,
                        self.location,
                    )
                )
            if _has_result(self.compte) and principal:
                assert self.compte is not None
                natural = -principal if self.compte.startswith("6") else principal
                result.resultat.append(
                    ResultatPrevu(
                        day, self.compte, natural, self.libelle, origine, self.projet, self.location
                    )
                )
        return result


class FluxPrevus:
    """The flows of ``previsions.flux`` as a forecast input."""

    def __init__(self, flux: list[Flux], fichier: Path | None = None) -> None:
        self.flux = {item.code: item for item in flux}
        self.fichier = fichier

    def codes(self) -> set[str]:
        return set(self.flux)

    def generer(self, periode: Periode, scenario: Scenario, contexte: Source) -> Previsions:
        result = Previsions()
        for code, item in self.flux.items():
            overrides = scenario.flux.get(code) or {}
            changed = appliquer(item, overrides)
            if changed is not None:
                result.ajouter(changed.generer(periode))
        return result

    def codes_couverts(self) -> set[str]:
        covered: set[str] = set()
        for item in self.flux.values():
            if _has_result(item.compte):
                assert item.compte is not None
                covered.add(item.compte)
            if item.interets and item.compte_interets:
                covered.add(item.compte_interets)
        return covered

    def valider_surcharges(self, code: str, overrides: dict[str, Any]) -> list[tuple[Any, str]]:
        """Problems of a scenario's overrides of flow ``code``: (path inside them, message)."""
        return valider_surcharges_du_flux(self.flux[code], overrides)


SURCHARGES = ("montant", "debut", "fin", "annule")


def valider_surcharges_du_flux(item: Flux, overrides: dict[str, Any]) -> list[tuple[Any, str]]:

    problems: list[tuple[Any, str]] = []
    for key, value in overrides.items():
        path = (key,)
        if key not in SURCHARGES:
            problems.append(
                (path, f"surcharge « {key} » inconnue pour un flux ({', '.join(SURCHARGES)})")
            )
        elif key == "montant":
            try:
                lire_variation(value)
            except ValueError as exc:
                problems.append((path, str(exc)))
        elif key in ("debut", "fin"):
            if not isinstance(value, datetime.date):
                problems.append((path, f"{key} : date AAAA-MM-JJ attendue (lu : {value!r})"))
            elif item.frequence == "ponctuel":
                problems.append((path, f"{key} : un flux ponctuel n'a que sa date"))
        elif not isinstance(value, bool):
            problems.append((path, "annule : vrai ou faux (true / false) attendu"))
    if not problems:
        changed = appliquer(item, overrides)
        if changed is not None and changed.debut and changed.fin and changed.fin < changed.debut:
            problems.append((("fin",), "la fin précède le début du flux"))
    return problems


def appliquer(item: Flux, overrides: dict[str, Any]) -> Flux | None:
    """The flow under a scenario's (valid) overrides; None when cancelled."""
    if not overrides:
        return item
    if overrides.get("annule"):
        return None
    changes: dict[str, Any] = {}
    if "montant" in overrides:
        changes["montant"] = lire_variation(overrides["montant"]).appliquer(item.montant)
    for key in ("debut", "fin"):
        if key in overrides:
            changes[key] = overrides[key]
    return replace(item, **changes)


# --- Loading ----------------------------------------------------------------------------


def _versions(context: LedgerContext, raw: FluxFichier) -> list[str]:
    days = [d for d in (raw.date, raw.debut, raw.fin) if d is not None]
    if not days:
        return [VERSIONS[-1]]
    versions: list[str] = []
    for exercice in context.calendrier.between(min(days), max(days)):
        if exercice.version not in versions:
            versions.append(exercice.version)
    return versions


def _code_problem(code: str, versions: list[str]) -> str | None:
    for version in versions:
        problem = load_chart(version).hors_du_plan(code)
        if problem is not None:
            return problem
    return None


Probleme = tuple[str, str]
"""A problem of a flow: the key it is on, the French message."""


def _date_problems(raw: FluxFichier, context: Any) -> list[Probleme]:
    found = []
    for key in ("date", "debut", "fin"):
        day = getattr(raw, key)
        problem = context.calendrier.hors_exercice(day) if day is not None else None
        if problem is not None:
            found.append((key, f"{key} : {problem}"))
    return found


def _compte_problem(raw: FluxFichier, versions: list[str]) -> str | None:
    """What is wrong with the counterpart account of a flow (None if nothing)."""
    if raw.compte is None:
        return None
    problem = _code_problem(raw.compte, versions)
    if problem is None and raw.compte.startswith("5"):
        problem = (
            f"compte {raw.compte} : un flux se fait avec la trésorerie, sa contrepartie "
            "n'en est pas un compte"
        )
    elif problem is None and raw.compte[:2] in ("86", "87"):
        problem = f"compte {raw.compte} : les contributions en nature n'ont pas de flux"
    elif problem is None and raw.compte.startswith("6") and raw.montant > 0:
        problem = (
            f"compte de charges {raw.compte} avec un montant positif : un décaissement "
            "s'écrit en négatif (ex. -1650)"
        )
    elif problem is None and raw.compte.startswith("7") and raw.montant < 0:
        problem = (
            f"compte de produits {raw.compte} avec un montant négatif : un encaissement "
            "s'écrit en positif"
        )
    return problem or None


def _interest_problems(raw: FluxFichier, versions: list[str]) -> tuple[str | None, list[Probleme]]:
    """The interest account of a loan repayment (None without interest) and the problems
    of its interest."""
    found: list[Probleme] = []
    if raw.interets is None:
        if raw.compte_interets is not None:
            found.append(
                ("compte_interets", "compte des intérêts sans montant d'intérêts (interets)")
            )
        return None, found
    interest_account = raw.compte_interets or COMPTE_INTERETS
    if raw.montant > 0:
        found.append(("interets", "des intérêts se paient : le montant du flux doit être négatif"))
    elif not 0 < raw.interets < -raw.montant:
        found.append(
            (
                "interets",
                "les intérêts sont la part du montant qui n'est pas du capital : un nombre "
                "positif inférieur au montant",
            )
        )
    if not interest_account.startswith("66"):
        found.append(("compte_interets", f"compte {interest_account} : un compte 66 est attendu"))
    else:
        problem = _code_problem(interest_account, versions)
        if problem:
            found.append(("compte_interets", problem))
    return interest_account, found


def _categorie_projet_problems(raw: FluxFichier, context: Any) -> list[Probleme]:
    found: list[Probleme] = []
    known = categories_connues()
    side = "encaissements" if raw.montant > 0 else "decaissements"
    if raw.categorie is not None and raw.categorie not in known[side]:
        listed = ", ".join(sorted(known[side]))
        kind = "un encaissement" if raw.montant > 0 else "un décaissement"
        found.append(
            ("categorie", f"catégorie « {raw.categorie} » inconnue pour {kind} ({listed})")
        )
    projets = set(context.config.projets)
    if raw.projet is not None and raw.projet not in projets:
        listed = ", ".join(sorted(projets)) or "aucun projet déclaré dans communs.yaml"
        found.append(("projet", f"projet « {raw.projet} » inconnu ({listed})"))
    return found


def _flow(
    document: YamlDocument, index: int, raw: FluxFichier, context: Any, errors: list[SourceError]
) -> Flux | None:
    """The flow of one item of the file; None (its problems added to ``errors``) if wrong."""
    where = ("flux", index)

    def report(problems: list[Probleme]) -> bool:
        errors.extend(SourceError(document.location((*where, k)), m) for k, m in problems)
        return bool(problems)

    if report(_date_problems(raw, context)):
        return None
    versions = _versions(context, raw)
    compte = _compte_problem(raw, versions)
    problems = [("compte", compte)] if compte else []
    interest_account, interest = _interest_problems(raw, versions)
    if report(problems + interest + _categorie_projet_problems(raw, context)):
        return None
    return Flux(
        code=raw.code,
        libelle=raw.libelle,
        montant=raw.montant,
        frequence=raw.frequence,
        compte=raw.compte,
        categorie=raw.categorie or categorie_tresorerie(raw.compte, raw.montant > 0),
        jour=raw.jour or (raw.debut.day if raw.debut else 1),
        mois=raw.mois,
        debut=raw.debut,
        fin=raw.fin,
        date=raw.date,
        projet=raw.projet,
        indexation=raw.indexation,
        interets=raw.interets,
        compte_interets=interest_account,
        location=document.location(where),
    )


def charger_flux(path: Path, context: LedgerContext) -> tuple[FluxPrevus | None, list[SourceError]]:
    """Load and check a flows file (``context``: the ``LedgerContext``). Never raises.

    With any error, no flows are returned (None) and the errors say why.
    """
    document, data, errors = charger_fichier(path, FichierFlux, "flux", "flux")
    if document is None or data is None:
        return None, errors
    flows: list[Flux] = []
    doublon = "flux « {} » déclaré deux fois"
    for index, raw in sans_doublons(
        document, data.flux, ("flux", "code"), lambda r: r.code, doublon, errors
    ):
        item = _flow(document, index, raw, context, errors)
        if item is not None:
            flows.append(item)
    errors.sort(key=lambda e: e.location.line)
    if errors:
        return None, errors
    return FluxPrevus(flows, path), []
