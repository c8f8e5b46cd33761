"""Forecast input « paie »: the payroll (*masse salariale*) and the employment aids.

Declared in ``communs.yaml`` (``previsions: {paie: previsions/paie.yaml}``)::

    parametres:
      taux_salarial: 22             # % du brut retenu au salarié (cotisations + PAS)
      taux_patronal: 30             # % du brut, cotisations patronales (défaut des postes)
      paiement_salaires: fin_de_mois   # ou un jour du mois travaillé (28)
      paiement_cotisations: 15      # jour du mois suivant (Urssaf, retraite, prévoyance, PAS)
      comptes: {salaires: "6411", primes: "6413", cotisations: "6451"}
      organismes: {urssaf: "6451", retraite: "6453", prevoyance: "6452"}
    postes:
      - code: coordinatrice
        intitule: Coordinatrice (CDI)
        debut: 2020-09-01
        fin:                        # vide : sans fin
        etp: 1
        brut_mensuel: 2650          # brut du mois pour l'ETP ci-dessus, à la date brut_au
        brut_au: 2026-01-01
        cotisations: {urssaf: 14, retraite: 9, prevoyance: 2}   # ou taux_patronal: 28
        augmentation: {taux: 2, mois: 1}        # +2 % chaque 1er janvier après brut_au
        primes: [{mois: 12, montant: 500, libelle: Prime de fin d'année}]
        treizieme_mois: false
        projet: CUISINE
        aides:
          - type: fonjep            # fonjep | pec | adulte_relais | apprentissage | autre
            libelle: Poste FONJEP
            financeur: FONJEP
            montant_annuel: 7717    # ou montant_mensuel
            compte: "7411"
            debut: 2024-01-01       # défaut : début du poste
            fin: 2026-12-31         # défaut : fin du poste
            versements: trimestriel # mensuel | trimestriel | annuel | {dates: [...]}

Keys and defaults
-----------------
Rates are in per cent (``22`` for 22 %). A total rate (``taux_salarial``,
``taux_patronal``, the sum of ``cotisations``) between 0 and 1 written without
« % » is a fraction typed by mistake (``0.22``) and is refused; a rate really
below 1 % is written with its sign (``"0.5 %"``).

``parametres``: ``taux_salarial`` (per cent of gross withheld from the
employee: employee contributions and income tax at source, paid with the
employer's; required unless every post gives its own, the error then names the
post that lacks one), ``taux_patronal`` (default employer rate, per cent; a post may
give its own rate or a ``cotisations`` detail instead), ``paiement_salaires``
(``fin_de_mois`` by default, or a day 1–31 of the worked month, cut to the
month's last day), ``paiement_cotisations`` (day 1–31 of the following month,
15 by default), ``comptes`` (P&L codes ``salaires`` 6411, ``primes`` 6413,
``cotisations`` 6451 for the single rate; counterparts of the forecast cash
movements ``salaires_a_payer`` 421, ``organismes_sociaux`` 431,
``aides_a_recevoir`` 441), ``organismes`` (names usable in a post's
``cotisations`` detail → their 64x code; none by default, a detail may also
use codes directly: ``{"6451": 14}``). Rates are parameters, never constants
of the code: nothing assumes a level of contributions.

``postes[]``: ``code`` (required, unique), ``intitule`` (default: the code),
``debut`` (required), ``fin`` (none = no end), ``etp`` (]0, 1.2], default 1),
``brut_mensuel`` (required, the gross of a whole month for that ETP),
``brut_au`` (the date ``brut_mensuel`` applies at, default ``debut``),
``taux_salarial`` / ``taux_patronal`` / ``cotisations`` (override the
parametres; ``taux_patronal`` and ``cotisations`` exclude each other),
``augmentation`` ``{taux, mois}`` (every year on the 1st of ``mois`` after
``brut_au``; the new monthly gross is rounded to the cent), ``primes``
(``{montant, mois | date, libelle}``: every year in ``mois`` or once at
``date``; paid in full if the post is active in that month),
``treizieme_mois`` (false), ``projet`` (a project of ``communs.yaml``),
``aides``, ``commentaire``.

``aides[]``: ``type`` (fonjep, pec, adulte_relais, apprentissage, autre),
``compte`` (required, a 74x code), ``montant_annuel`` or ``montant_mensuel``
(one of them; an annual amount counts for a twelfth each month), ``libelle``
(default from the type), ``financeur`` (the sub-line of the subsidies in the
cash plan; default the libelle), ``debut`` / ``fin`` (default the post's;
they must lie within the post's dates), ``versements`` (``mensuel`` by
default).

What it produces, per post and calendar month
---------------------------------------------
- Gross salary (``comptes.salaires``): the monthly gross with the raises due by
  the 1st of the month, × ETP in force / ETP of the file (scenarios), ×
  calendar days worked / days of the month when the post starts or ends within
  it. Bonuses and the 13th month on ``comptes.primes``. The 13th month is paid
  with December's salary, or with the last month's when the post ends earlier,
  for the month's full gross × days of presence in the calendar year / days of
  the year.
- Employer contributions: the month's total gross (salary + bonuses + 13th
  month) × the rate, on ``comptes.cotisations``, or × each rate of the detail
  on its own code.
- Employment aids: produits on their 74x code, the monthly amount × days of
  the month where both the aid and the post run / days of the month.
- Cash: net salary (gross − gross × taux_salarial) on the pay day (category
  ``salaires``); employee + employer contributions on ``paiement_cotisations``
  of the following month (``charges_sociales``); aids as the schedule says
  (``subventions``, detail = ``financeur`` or the libelle): ``mensuel`` — a
  month on the last day of the following month; ``trimestriel`` — a calendar
  quarter on the last day of the month after it; ``annuel`` — a calendar year
  on 31 January of the next; ``{dates: [...]}`` — each date pays the months
  ended by it and not paid yet (list a date after the aid's last month).
- Every amount is rounded to the cent (ROUND_HALF_UP) per post and month:
  gross salary, each bonus, the 13th month, each employer code, the employee
  part (net = total gross − employee part), each aid's monthly amount. P&L
  amounts are dated on the last day of their month.

Dates: which months are forecast
--------------------------------
The payroll of a month (its charges, aids acquired, net salary and
contributions) is forecast when its pay day falls on or after
``periode.debut``; earlier months are in the ledger. The month holding
``periode.debut`` counts whole (salaries are recorded once a month, at pay
day: a plan starting on the 16th still has the whole month's payroll ahead,
so no day prorata applies to the start of the period), unless the ledger
already shows a charge on ``comptes.salaires`` (or a sub-account) dated in that
month before ``periode.debut``: the month's payroll is then recorded and not
forecast. Nothing dated before ``periode.debut`` or after ``periode.fin`` is
emitted.

Split with the open payables and receivables (``previsions/tiers.py``): this
module emits the contributions and the aid payments of the forecast months
only. Contributions of earlier months still unpaid at ``periode.debut`` are
open 43x balances in the ledger, and aids acquired in earlier months and not
received are open 441 balances: the tiers module forecasts both. A quarterly
aid paid inside the period therefore only carries, here, the part acquired in
forecast months; an association that records its aids only when it receives
them (no 441 receivable) sees that earlier part nowhere — an understatement of
receipts, the prudent side.

Scenarios
---------
``scenario.postes[code]`` may hold (see :func:`valider_surcharges_du_poste`):

- ``fin``: new end date (post not renewed), or empty for no end;
- ``debut``: new start date (recruitment delayed);
- ``brut_mensuel``: the new monthly gross (``2400``, at the same ``brut_au``) or
  a variation in per cent written as text (``"-10%"``), the convention of every
  input (:func:`~.modele.lire_variation`); rounded to the cent, then the
  raises apply as usual; bonuses are unchanged;
- ``etp``: new ETP, the gross scales by new ETP / ETP of the file (aids and
  bonuses are unchanged);
- ``taux_patronal``: a single employer rate replacing the post's rate or detail;
- ``aides: false``: the post's aids are removed (``true`` changes nothing).

The aids follow the post: they stop when the scenario ends it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ..contexte import LedgerContext
from ..dates import (
    MOIS,
    date_iso,
    days_in_month,
    month_end,
    month_label,
    month_of,
    next_month_start,
)
from ..exercices import french_date
from ..formatage import montant, pourcentage
from ..montants import lire_decimal, to_cent
from ..plan import VERSIONS, CodeState, load_chart
from ..rapports.source import Source
from ..schemas import (
    Schema,
    _unknown_key,
    champ,
    validate,
    valider_entier,
    valider_montant,
    valider_motif,
)
from ..sources import Location, SourceError
from ..yaml_lignes import YamlDocument, load_yaml
from .modele import (
    MouvementPrevu,
    Periode,
    Previsions,
    ResultatPrevu,
    Scenario,
    de_mois,
    lire_variation,
)

CENT_POUR_CENT = Decimal(100)
ETP_MAXIMUM = Decimal("1.2")
FIN_DE_MOIS = "fin_de_mois"

TypeAide = Literal["fonjep", "pec", "adulte_relais", "apprentissage", "autre"]
LIBELLES_AIDES = {
    "fonjep": "Poste FONJEP",
    "pec": "Aide au parcours emploi compétences",
    "adulte_relais": "Aide adulte-relais",
    "apprentissage": "Aide à l'apprentissage",
    "autre": "Aide à l'emploi",
}
VERSEMENTS = ("mensuel", "trimestriel", "annuel")

CLES_SURCHARGES = (
    "debut",
    "fin",
    "brut_mensuel",
    "etp",
    "taux_patronal",
    "aides",
)
"""Keys a scenario may override in ``postes: {code: {…}}``."""


# --- Field validators (raw YAML values; French messages) ---------------------------------


def _nombre(value: Any) -> Decimal | None:
    """The number a raw value writes (« % » allowed at the end), or None (the type
    check then reports it)."""
    if isinstance(value, str):
        return lire_decimal(value.strip().removesuffix("%"))
    return lire_decimal(value)


def _pourcentage(value: Any) -> Any:
    number = _nombre(value)
    if number is not None and not 0 <= number <= 100:
        raise ValueError(f"pourcentage entre 0 et 100 attendu (valeur lue : {value})")
    return number if number is not None else value


def _taux_total(value: Any) -> Any:
    """A total rate (salarial or patronal) in per cent: a value below 1 written
    without « % » is a fraction (``0.22`` for 22 %), refused rather than guessed."""
    number = _pourcentage(value)
    written = str(value).strip()
    if isinstance(number, Decimal) and 0 < number < 1 and not written.endswith("%"):
        raise ValueError(_FRACTION.format(valeur=written, pour_cent=(number * 100).normalize()))
    return number


_FRACTION = (
    "taux « {valeur} » : les taux s'écrivent en pour cent ({pour_cent:f} pour "
    "{pour_cent:f} %), pas en fraction ; pour un taux réellement inférieur à 1 %, "
    "écrivez « {valeur} % »"
)


def _etp(value: Any) -> Any:
    number = _nombre(value)
    if number is not None and not 0 < number <= ETP_MAXIMUM:
        raise ValueError(f"ETP entre 0 (exclu) et 1,2 attendu (valeur lue : {value})")
    return number if number is not None else value


def _positif(value: Any) -> Any:
    valider_montant(value)
    number = _nombre(value)
    if number is not None and number <= 0:
        raise ValueError(f"montant positif attendu (valeur lue : {value})")
    return number if number is not None else value


_mois = valider_entier(1, 12, "mois de 1 à 12 attendu (valeur lue : {})", entier_exige=False)
_jour = valider_entier(
    1, 31, "jour du mois de 1 à 31 attendu (valeur lue : {})", entier_exige=False
)


def _jour_salaires(value: Any) -> Any:
    if isinstance(value, str) and value.strip() == FIN_DE_MOIS:
        return FIN_DE_MOIS
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 31:
        return value
    raise ValueError(f"fin_de_mois ou un jour de 1 à 31 attendu (valeur lue : {value})")


def _code_compte(value: Any) -> str:
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(f"numéro de compte attendu (chiffres seulement), lu « {text} »")
    return text


_code_poste = valider_motif(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    "code de poste « {} » invalide : lettres, chiffres, - et _ sans espace",
)


def _taux_par_organisme(value: Any) -> Any:
    if isinstance(value, dict):
        total = Decimal(0)
        numbers: dict[str, Decimal] = {}
        for key, rate in value.items():
            number = _nombre(rate)
            if number is None or not 0 <= number <= 100:
                raise ValueError(
                    f"« {key} » : pourcentage entre 0 et 100 attendu (valeur lue : {rate})"
                )
            total += number
            numbers[str(key)] = number
        fractions = all(not str(rate).strip().endswith("%") for rate in value.values())
        if 0 < total < 1 and fractions:
            written = " + ".join(str(rate).strip() for rate in value.values())
            pour_cent = f"{(total * 100).normalize():f}"
            raise ValueError(
                f"les cotisations totalisent {total} % : les taux s'écrivent en pour cent "
                f"({pour_cent} pour {pour_cent} %), pas en fraction ({written}) ; "
                "pour des taux réellement inférieurs à 1 %, écrivez-les avec « % »"
            )
        return numbers
    return value


def _codes_organismes(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _code_compte(code) for key, code in value.items()}
    return value


# --- Schema of the file -------------------------------------------------------------------


class ComptesPaie(Schema, kw_only=True):
    salaires: str = champ(default="6411", valider=_code_compte)
    primes: str = champ(default="6413", valider=_code_compte)
    cotisations: str = champ(default="6451", valider=_code_compte)
    salaires_a_payer: str = champ(default="421", valider=_code_compte)
    organismes_sociaux: str = champ(default="431", valider=_code_compte)
    aides_a_recevoir: str = champ(default="441", valider=_code_compte)


class ParametresPaie(Schema, kw_only=True):
    taux_salarial: Decimal | None = champ(default=None, valider=_taux_total)
    taux_patronal: Decimal | None = champ(default=None, valider=_taux_total)
    paiement_salaires: Any = champ(default=FIN_DE_MOIS, valider=_jour_salaires)
    paiement_cotisations: int = champ(default=15, valider=_jour)
    comptes: ComptesPaie = champ(default_factory=ComptesPaie)
    organismes: dict[str, str] = champ(default_factory=dict, valider=_codes_organismes)


class AugmentationFichier(Schema, kw_only=True):
    taux: Decimal = champ(valider=_pourcentage)
    mois: int = champ(valider=_mois)


class PrimeFichier(Schema, kw_only=True):
    montant: Decimal = champ(valider=_positif)
    mois: int | None = champ(default=None, valider=_mois)
    date: datetime.date | None = None
    libelle: str = "Prime"

    def verifier(self) -> None:
        if (self.mois is None) == (self.date is None):
            raise ValueError("une prime a un mois (chaque année) ou une date (une fois)")


class AideFichier(Schema, kw_only=True):
    type: TypeAide
    compte: str = champ(valider=_code_compte)
    libelle: str | None = None
    financeur: str | None = None
    montant_annuel: Decimal | None = champ(default=None, valider=_positif)
    montant_mensuel: Decimal | None = champ(default=None, valider=_positif)
    debut: datetime.date | None = None
    fin: datetime.date | None = None
    versements: Any = "mensuel"
    commentaire: str | None = None

    def verifier(self) -> None:
        if (self.montant_annuel is None) == (self.montant_mensuel is None):
            raise ValueError("une aide a un montant_annuel ou un montant_mensuel (l'un des deux)")


class PosteFichier(Schema, kw_only=True):
    _: KW_ONLY  # keyword-only for type checkers too (see Schema)
    code: str = champ(valider=_code_poste)
    intitule: str | None = None
    debut: datetime.date
    fin: datetime.date | None = None
    etp: Decimal = champ(default=Decimal(1), valider=_etp)
    brut_mensuel: Decimal = champ(valider=_positif)
    brut_au: datetime.date | None = None
    taux_salarial: Decimal | None = champ(default=None, valider=_taux_total)
    taux_patronal: Decimal | None = champ(default=None, valider=_taux_total)
    cotisations: dict[str, Decimal] | None = champ(default=None, valider=_taux_par_organisme)
    augmentation: AugmentationFichier | None = None
    primes: list[PrimeFichier] = champ(default_factory=list)
    treizieme_mois: bool = False
    projet: str | None = None
    aides: list[AideFichier] = champ(default_factory=list)
    commentaire: str | None = None


class FichierPaie(Schema, kw_only=True):
    parametres: ParametresPaie
    postes: list[PosteFichier] = champ(default_factory=list)
    commentaire: str | None = None


# --- The loaded payroll ------------------------------------------------------------------


@dataclass(frozen=True)
class CalendrierVersements:
    """When an aid is paid: ``mensuel``, ``trimestriel``, ``annuel`` or ``dates``."""

    genre: str
    dates: tuple[datetime.date, ...] = ()

    def date_de(self, mois: datetime.date) -> datetime.date | None:
        """Payment date of what is acquired in the month starting on ``mois``."""
        if self.genre == "mensuel":
            return month_end(next_month_start(mois))
        if self.genre == "trimestriel":
            last_of_quarter = ((mois.month - 1) // 3) * 3 + 3
            return month_end(next_month_start(mois.replace(month=last_of_quarter)))
        if self.genre == "annuel":
            return datetime.date(mois.year + 1, 1, 31)
        end = month_end(mois)
        return next((day for day in self.dates if day >= end), None)


@dataclass(frozen=True)
class Prime:
    montant: Decimal
    libelle: str
    mois: int | None
    date: datetime.date | None

    def due(self, mois: datetime.date) -> bool:
        if self.date is not None:
            return (self.date.year, self.date.month) == (mois.year, mois.month)
        return mois.month == self.mois


@dataclass(frozen=True)
class Aide:
    type: str
    libelle: str
    financeur: str | None
    compte: str
    mensuel: Decimal  # monthly amount, not rounded (a twelfth of an annual amount)
    debut: datetime.date | None  # None: with the post
    fin: datetime.date | None
    versements: CalendrierVersements
    location: Location


@dataclass(frozen=True)
class Poste:
    code: str
    intitule: str
    debut: datetime.date
    fin: datetime.date | None
    etp: Decimal
    etp_fichier: Decimal
    brut_mensuel: Decimal
    brut_au: datetime.date
    taux_salarial: Decimal
    cotisations: tuple[tuple[str, Decimal], ...]  # (64x code, employer rate %)
    augmentation: tuple[Decimal, int] | None  # (rate %, month)
    primes: tuple[Prime, ...]
    treizieme_mois: bool
    projet: str | None
    aides: tuple[Aide, ...]
    location: Location
    brut_au_ecrit: bool = True  # False: ``brut_au`` left out, ``debut`` taken

    def jours_actifs(self, debut: datetime.date, fin: datetime.date) -> int:
        """Days of [debut, fin] the post runs."""
        first = max(debut, self.debut)
        last = fin if self.fin is None else min(fin, self.fin)
        return max((last - first).days + 1, 0)

    def brut_du_mois(self, mois: datetime.date) -> Decimal:
        """Gross of a whole month starting on ``mois``, raises applied, for the ETP in force
        (not rounded: the ETP ratio applies before the month's rounding)."""
        amount = self.brut_mensuel
        if self.augmentation is not None:
            rate, month = self.augmentation
            year = self.brut_au.year
            while (raise_day := datetime.date(year, month, 1)) <= mois:
                if raise_day > self.brut_au:
                    amount = to_cent(amount * (1 + rate / CENT_POUR_CENT))
                year += 1
        if self.etp != self.etp_fichier:
            return amount * self.etp / self.etp_fichier
        return amount


@dataclass
class Paie:
    """The payroll forecast input (implements :class:`~.modele.Entree`)."""

    parametres: ParametresPaie
    postes: dict[str, Poste] = field(default_factory=dict)
    fichier: Path | None = None

    # -- Entree protocol --

    def codes_couverts(self) -> set[str]:
        codes: set[str] = set()
        for poste in self.postes.values():
            codes.add(self.parametres.comptes.salaires)
            if poste.primes or poste.treizieme_mois:
                codes.add(self.parametres.comptes.primes)
            codes.update(code for code, _rate in poste.cotisations)
            codes.update(aide.compte for aide in poste.aides)
        return codes

    def codes_remplaces(self) -> set[str]:
        """Codes whose budget lines the payroll replaces in the following exercices (the
        multi-year projection): its own codes and their accounts of the chart's third
        level in the personnel chapter (641 salaires, 645 charges sociales), so that a
        budget line on 641 or 645 does not make up for a contract that ends. A line on
        64 itself (with 647, 648…) keeps what exceeds the payroll."""
        codes = self.codes_couverts()
        return codes | {code[:3] for code in codes if code.startswith("64") and len(code) > 3}

    def generer(self, periode: Periode, scenario: Scenario | None, contexte: Source) -> Previsions:
        result = Previsions()
        if periode.fin < periode.debut:
            return result
        months = self.mois_prevus(periode, contexte)
        overrides = scenario.postes if scenario is not None else {}
        for poste in self.postes.values():
            if months:
                result.notes.extend(_brut_au_implicite(poste, months[0]))
            poste = self.appliquer(poste, overrides.get(poste.code))
            self._generer_poste(poste, months, periode, result)
        return result

    def valider_surcharges(
        self,
        code: str,
        overrides: Any,
        location: Location | Callable[[tuple[str, ...]], Location],
    ) -> list[SourceError]:
        """:func:`valider_surcharges_du_poste` for the post ``code`` (unknown code reported)."""
        poste = self.postes.get(code)
        if poste is None:
            where = location if isinstance(location, Location) else location(())
            known = ", ".join(self.postes) or "aucun poste déclaré"
            return [SourceError(where, f"poste « {code} » inconnu ({known})")]
        return valider_surcharges_du_poste(overrides, location, poste)

    # -- Dates --

    def jour_de_paie(self, mois: datetime.date) -> datetime.date:
        """Pay day of the salaries of the month starting on ``mois``."""
        return _jour_dans(mois, self.parametres.paiement_salaires)

    def jour_des_cotisations(self, mois: datetime.date) -> datetime.date:
        """Payment day of the contributions of the month starting on ``mois``."""
        return _jour_dans(next_month_start(mois), self.parametres.paiement_cotisations)

    def mois_prevus(self, periode: Periode, contexte: Source) -> list[datetime.date]:
        """First days of the months whose payroll is forecast (see the module docstring)."""
        first = periode.debut.replace(day=1)
        months = []
        month = first
        while month <= periode.fin:
            months.append(month)
            month = next_month_start(month)
        if months and (
            self.jour_de_paie(first) < periode.debut
            or self._salaires_enregistres(periode, contexte)
        ):
            months.pop(0)
        return months

    def _salaires_enregistres(self, periode: Periode, contexte: Source) -> bool:
        """Whether the ledger shows salaries in the month of ``periode.debut`` before it."""
        mouvements = getattr(contexte, "mouvements", None)
        if mouvements is None or periode.debut.day == 1:
            return False
        prefix = self.parametres.comptes.salaires
        before = periode.debut - datetime.timedelta(days=1)
        return any(
            m.code is not None and m.code.startswith(prefix)
            for m in mouvements.entre(periode.debut.replace(day=1), before)
        )

    # -- Scenario --

    def appliquer(self, poste: Poste, overrides: dict[str, Any] | None) -> Poste:
        """The post under a scenario's overrides (invalid values are ignored: they are
        reported by :func:`valider_surcharges_du_poste` when the scenarios are loaded)."""
        if not overrides or not isinstance(overrides, dict):
            return poste
        values: dict[str, Any] = {}
        for key, raw in overrides.items():
            if key not in CLES_SURCHARGES:
                continue
            try:
                values[key] = _valeur_surcharge(key, raw)
            except ValueError:
                continue
        changes: dict[str, Any] = {
            key: values[key] for key in ("debut", "fin", "etp") if key in values
        }
        if "brut_mensuel" in values:
            changes["brut_mensuel"] = to_cent(values["brut_mensuel"].appliquer(poste.brut_mensuel))
        if "taux_patronal" in values:
            changes["cotisations"] = (
                (self.parametres.comptes.cotisations, values["taux_patronal"]),
            )
        if values.get("aides") is False:
            changes["aides"] = ()
        return dataclasses.replace(poste, **changes)

    # -- Generation --

    def _generer_poste(
        self, poste: Poste, months: list[datetime.date], periode: Periode, result: Previsions
    ) -> None:
        sortie = _Sortie(poste, periode, result)
        # aid index -> payment date -> amount acquired in forecast months
        payments: dict[int, dict[datetime.date, Decimal]] = defaultdict(
            lambda: defaultdict(Decimal)
        )
        for month in months:
            end = month_end(month)
            worked = poste.jours_actifs(month, end)
            if not worked:
                continue
            gross = self._brut_du_mois(sortie, month, end, worked)
            self._cotisations_du_mois(sortie, month, end, gross)
            self._aides_du_mois(sortie, month, end, payments)
        comptes = self.parametres.comptes
        for index, by_date in payments.items():
            aide = poste.aides[index]
            for day, amount in sorted(by_date.items()):
                sortie.tresorerie(
                    day,
                    amount,
                    "subventions",
                    f"{aide.libelle} — {poste.intitule}",
                    comptes.aides_a_recevoir,
                    aide.financeur or aide.libelle,
                    aide.location,
                )

    def _brut_du_mois(
        self, sortie: _Sortie, month: datetime.date, end: datetime.date, worked: int
    ) -> Decimal:
        """Book the gross salary, bonuses and 13th month of a month; their total."""
        poste, comptes, name = sortie.poste, self.parametres.comptes, sortie.poste.intitule
        label = month_label(month_of(month))
        whole = poste.brut_du_mois(month)
        salary = to_cent(whole * worked / end.day)
        sortie.resultat(end, comptes.salaires, salary, f"Salaire brut {de_mois(label)} — {name}")
        gross = salary
        for prime in poste.primes:
            if prime.due(month):
                sortie.resultat(end, comptes.primes, prime.montant, f"{prime.libelle} — {name}")
                gross += prime.montant
        if poste.treizieme_mois and _treizieme_ce_mois(poste, month):
            year_start = datetime.date(month.year, 1, 1)
            year_end = datetime.date(month.year, 12, 31)
            present = poste.jours_actifs(year_start, year_end)
            thirteenth = to_cent(whole * present / ((year_end - year_start).days + 1))
            sortie.resultat(
                end, comptes.primes, thirteenth, f"Treizième mois {month.year} — {name}"
            )
            gross += thirteenth
        return gross

    def _cotisations_du_mois(
        self, sortie: _Sortie, month: datetime.date, end: datetime.date, gross: Decimal
    ) -> None:
        """Book the employer contributions of a month; the net salary and the contributions
        paid."""
        poste, comptes, name = sortie.poste, self.parametres.comptes, sortie.poste.intitule
        label = month_label(month_of(month))
        employer = Decimal(0)
        for code, rate in poste.cotisations:
            part = to_cent(gross * rate / CENT_POUR_CENT)
            sortie.resultat(end, code, part, f"Cotisations patronales {de_mois(label)} — {name}")
            employer += part
        employee = to_cent(gross * poste.taux_salarial / CENT_POUR_CENT)
        sortie.tresorerie(
            self.jour_de_paie(month),
            -(gross - employee),
            "salaires",
            f"Salaire net {de_mois(label)} — {name}",
            comptes.salaires_a_payer,
        )
        sortie.tresorerie(
            self.jour_des_cotisations(month),
            -(employee + employer),
            "charges_sociales",
            f"Cotisations sociales et prélèvement à la source {de_mois(label)} — {name}",
            comptes.organismes_sociaux,
        )

    @staticmethod
    def _aides_du_mois(
        sortie: _Sortie,
        month: datetime.date,
        end: datetime.date,
        payments: dict[int, dict[datetime.date, Decimal]],
    ) -> None:
        """Book the employment aids of a month; add their payments to ``payments``."""
        poste = sortie.poste
        label = month_label(month_of(month))
        for index, aide in enumerate(poste.aides):
            amount = _aide_du_mois(poste, aide, month, end)
            libelle = f"{aide.libelle} {de_mois(label)} — {poste.intitule}"
            sortie.resultat(end, aide.compte, amount, libelle, aide.location)
            day = aide.versements.date_de(month)
            if amount and day is not None:
                payments[index][day] += amount


@dataclasses.dataclass(frozen=True, slots=True)
class _Sortie:
    """Where the forecasts of one post go: its results and cash movements in the period."""

    poste: Poste
    periode: Periode
    result: Previsions

    def resultat(
        self,
        day: datetime.date,
        compte: str,
        amount: Decimal,
        libelle: str,
        location: Location | None = None,
    ) -> None:
        poste = self.poste
        if amount and day <= self.periode.fin:
            self.result.resultat.append(
                ResultatPrevu(
                    day,
                    compte,
                    amount,
                    libelle,
                    f"paie:{poste.code}",
                    poste.projet,
                    poste.location if location is None else location,
                )
            )

    def tresorerie(
        self,
        day: datetime.date,
        amount: Decimal,
        categorie: str,
        libelle: str,
        compte: str,
        detail: str | None = None,
        location: Location | None = None,
    ) -> None:
        poste = self.poste
        if amount and self.periode.debut <= day <= self.periode.fin:
            self.result.tresorerie.append(
                MouvementPrevu(
                    day,
                    amount,
                    categorie,
                    libelle,
                    f"paie:{poste.code}",
                    detail,
                    compte,
                    poste.projet,
                    poste.location if location is None else location,
                )
            )


def _brut_au_implicite(poste: Poste, month: datetime.date) -> list[str]:
    """The warning, at the post's line, when ``brut_au`` is left out and the raises since
    ``debut`` change the gross: ``brut_mensuel`` copied from this month's payslip would
    be raised again, silently."""
    if poste.brut_au_ecrit or poste.augmentation is None:
        return []
    brut = to_cent(poste.brut_du_mois(month))
    if brut == poste.brut_mensuel:
        return []
    rate, raise_month = poste.augmentation
    return [
        f"{poste.location} : poste « {poste.code} » sans brut_au : le brut mensuel "
        f"{montant(poste.brut_mensuel)} est pris au début du poste ({french_date(poste.debut)}) "
        f"et augmenté de {pourcentage(rate / CENT_POUR_CENT)} chaque 1er "
        f"{MOIS[raise_month - 1]} depuis : "
        f"{montant(brut)} en {month_label(month_of(month))}. Si "
        f"{montant(poste.brut_mensuel)} est le brut actuel (bulletin), écrivez sa date "
        "dans brut_au."
    ]


def _treizieme_ce_mois(poste: Poste, month: datetime.date) -> bool:
    """The 13th month is paid in December, or in the post's last month if it ends earlier
    in the year."""
    fin = poste.fin
    if fin is not None and fin.year == month.year and fin.month < 12:
        return fin.month == month.month
    return month.month == 12


def _aide_du_mois(poste: Poste, aide: Aide, month: datetime.date, end: datetime.date) -> Decimal:
    """An aid acquired in a month: the monthly amount × days both the aid and the post run."""
    first = max(month, aide.debut) if aide.debut is not None else month
    last = min(end, aide.fin) if aide.fin is not None else end
    if last < first:
        return Decimal(0)
    return to_cent(aide.mensuel * poste.jours_actifs(first, last) / end.day)


# --- Dates -------------------------------------------------------------------------------


def _jour_dans(month: datetime.date, jour: Any) -> datetime.date:
    """Day ``jour`` (or ``fin_de_mois``) of a month, cut to the month's last day."""
    last = days_in_month(month.year, month.month)
    if jour == FIN_DE_MOIS:
        return month.replace(day=last)
    return month.replace(day=min(int(jour), last))


# --- Scenario overrides ------------------------------------------------------------------


def _date(value: Any) -> datetime.date:
    day = date_iso(value)
    if day is not None:
        return day
    raise ValueError(f"date AAAA-MM-JJ attendue (valeur lue : {value!r})")


def _valeur_surcharge(key: str, value: Any) -> Any:
    """A scenario override's value, converted; ``ValueError`` (French) if invalid."""
    if key == "debut":
        return _date(value)
    if key == "fin":
        return None if value is None else _date(value)
    if key == "aides":
        if not isinstance(value, bool):
            raise ValueError(f"false (aides supprimées) ou true attendu (valeur lue : {value!r})")
        return value
    if key == "brut_mensuel":
        variation = lire_variation(value)
        if variation.relative and variation.valeur <= -100:
            raise ValueError(f"variation supérieure à -100 % attendue (valeur lue : {value!r})")
        if not variation.relative and variation.valeur <= 0:
            raise ValueError(f"montant positif attendu (valeur lue : {value})")
        return variation
    number = _nombre(value)
    if number is None:
        raise ValueError(f"nombre attendu (valeur lue : {value!r})")
    if key == "etp":
        _etp(number)
    if key == "taux_patronal":
        _taux_total(value)
    return number


def valider_surcharges_du_poste(
    overrides: Any,
    location: Location | Callable[[tuple[str, ...]], Location],
    poste: Poste | None = None,
) -> list[SourceError]:
    """Problems of one post's overrides in a scenario (``scenario.postes[code]``), in French.

    ``overrides`` is the mapping ``{key: value}`` of one post as read from the
    scenarios file (accepted keys: :data:`CLES_SURCHARGES`, documented in the
    module docstring); the scenarios module checks that the post code exists.
    ``location`` is where to report: one :class:`~communs_ledger.sources.Location`
    (the post's line), or a function giving the location of a key path
    (``()`` for the post, ``("fin",)`` for a key). With ``poste`` (the loaded
    post), messages name it and a new end before the post's start (or a new start
    after its end) is reported too.
    """

    def where(path: tuple[str, ...]) -> Location:
        return location if isinstance(location, Location) else location(path)

    prefix = f"poste « {poste.code} » : " if poste is not None else ""
    if not isinstance(overrides, dict):
        message = f"{prefix}ensemble « clé: valeur » attendu (ex. {{fin: 2026-08-31}})"
        return [SourceError(where(()), message)]
    errors: list[SourceError] = []
    converted: dict[str, Any] = {}
    for raw_key, value in overrides.items():
        key = str(raw_key)
        if key not in CLES_SURCHARGES:
            message = _unknown_key(key, list(CLES_SURCHARGES))
            errors.append(SourceError(where((key,)), f"{prefix}{message}"))
            continue
        try:
            converted[key] = _valeur_surcharge(key, value)
        except ValueError as exc:
            errors.append(SourceError(where((key,)), f"{prefix}{key} : {exc}"))
    if {"debut", "fin"} & converted.keys():
        debut = converted["debut"] if "debut" in converted else getattr(poste, "debut", None)
        fin = converted["fin"] if "fin" in converted else getattr(poste, "fin", None)
        if debut is not None and fin is not None and fin < debut:
            key = "fin" if "fin" in converted else "debut"
            errors.append(
                SourceError(
                    where((key,)),
                    f"{prefix}la fin ({fin.isoformat()}) précède le début ({debut.isoformat()})",
                )
            )
    return errors


# --- Loading -----------------------------------------------------------------------------


def _versions(
    context: LedgerContext, debut: datetime.date | None, fin: datetime.date | None
) -> list[str]:
    """Chart versions in force over [debut, fin] (open end: up to the latest version)."""
    if debut is None:
        return [VERSIONS[-1]]
    last = fin if fin is not None else debut
    found = {exercice.version for exercice in context.calendrier.between(debut, max(debut, last))}
    if fin is None:
        found.add(VERSIONS[-1])
    return sorted(found)


_CLASSES = {
    "64": "un compte de charges de personnel (64…) est attendu",
    "74": "une aide à l'emploi se comptabilise en subvention d'exploitation (74…)",
    "4": "un compte de tiers (classe 4) est attendu",
}


@cache
def _probleme_compte(code: str, prefix: str, version: str) -> str | None:
    """Why ``code`` cannot carry what this file forecasts in a chart version, or None."""
    if not code.startswith(prefix):
        return f"compte {code} : {_CLASSES[prefix]}"
    chart = load_chart(version)
    problem = chart.hors_du_plan(code)
    if problem is not None:
        return problem
    check = chart.check(code)
    if check.state is CodeState.HEADING and check.account is not None:
        suggestions = ", ".join(a.code for a in chart.postable_suggestions(code, 4))
        return (
            f"compte {code} « {check.account.libelle} » : titre du plan comptable {version}, "
            f"choisissez un compte mouvementable ({suggestions})"
        )
    if not check.ok:
        return f"compte {code} inconnu du plan comptable {version}"
    return None


class VerificationDuFichier:
    """The checks beyond the schema of a side file of the ledger (``document``), collecting
    errors at their lines."""

    def __init__(self, document: YamlDocument, context: LedgerContext) -> None:
        self.document = document
        self.context = context
        self.errors: list[SourceError] = []

    def erreur(self, path: tuple[str | int, ...], message: str) -> None:
        self.errors.append(SourceError(self.document.location(path), message))

    def compte(
        self,
        path: tuple[str | int, ...],
        code: str,
        prefix: str,
        debut: datetime.date | None,
        fin: datetime.date | None,
    ) -> bool:
        for version in _versions(self.context, debut, fin):
            problem = _probleme_compte(code, prefix, version)
            if problem is not None:
                self.erreur(path, problem)
                return False
        return True


def _periode_des_postes(data: FichierPaie) -> tuple[datetime.date | None, datetime.date | None]:
    """The span of the posts (the parametres' accounts are checked over it)."""
    if not data.postes:
        return None, None
    debut = min(poste.debut for poste in data.postes)
    fins = [poste.fin for poste in data.postes]
    return debut, (None if any(fin is None for fin in fins) else max(f for f in fins if f))


def _versements(value: Any) -> CalendrierVersements:
    message = (
        "versements : mensuel, trimestriel, annuel ou {dates: [AAAA-MM-JJ, …]} attendu "
        f"(valeur lue : {value!r})"
    )
    if isinstance(value, str) and value.strip() in VERSEMENTS:
        return CalendrierVersements(value.strip())
    if isinstance(value, dict) and list(value) == ["dates"]:
        dates = value["dates"]
        if isinstance(dates, list) and dates:
            try:
                return CalendrierVersements("dates", tuple(sorted(_date(day) for day in dates)))
            except ValueError as exc:
                raise ValueError(f"versements : {exc}") from None
    raise ValueError(message)


def _cotisations(
    check: VerificationDuFichier, data: FichierPaie, path: tuple[str | int, ...], raw: PosteFichier
) -> list[tuple[str, Decimal]]:
    """The employer contributions of a post (account code, rate), from its own
    ``cotisations`` or ``taux_patronal`` or the parameters'; errors to ``check``."""
    parametres = data.parametres
    name = f"poste « {raw.code} »"
    cotisations: list[tuple[str, Decimal]] = []
    rate: Decimal | None
    if raw.cotisations is not None and raw.taux_patronal is not None:
        check.erreur(
            (*path, "cotisations"),
            f"{name} : taux_patronal et cotisations s'excluent (donnez l'un ou l'autre)",
        )
    elif raw.cotisations is not None:
        for key, rate in raw.cotisations.items():
            code = key if key.isdigit() else parametres.organismes.get(key)
            if code is None:
                known = ", ".join(parametres.organismes) or "aucun dans parametres.organismes"
                check.erreur(
                    (*path, "cotisations", key),
                    f"{name} : organisme « {key} » inconnu (numéro de compte 64… ou organisme "
                    f"déclaré : {known})",
                )
                continue
            if check.compte((*path, "cotisations", key), code, "64", raw.debut, raw.fin):
                cotisations.append((code, rate))
    else:
        default = _taux(
            check,
            path,
            raw.taux_patronal,
            parametres.taux_patronal,
            f"{name} : taux de cotisations patronales manquant (taux_patronal ou "
            "cotisations, dans le poste ou dans parametres)",
        )
        if default is not None:
            cotisations.append((parametres.comptes.cotisations, default))
    return cotisations


def _taux(
    check: VerificationDuFichier,
    path: tuple[str | int, ...],
    propre: Decimal | None,
    defaut: Decimal | None,
    manquant: str,
) -> Decimal | None:
    """A post's own rate, else the default of ``parametres``; error ``manquant`` if neither."""
    taux = propre if propre is not None else defaut
    if taux is None:
        check.erreur(path, manquant)
    return taux


def _primes_hors_du_poste(
    check: VerificationDuFichier, path: tuple[str | int, ...], raw: PosteFichier
) -> None:
    """Error for a one-time bonus dated in a month the post does not run: never paid."""
    for index, prime in enumerate(raw.primes):
        day = prime.date
        if day is None:
            continue
        if month_end(day) >= raw.debut and (raw.fin is None or day.replace(day=1) <= raw.fin):
            continue
        fin = raw.fin.isoformat() if raw.fin is not None else "sans fin"
        check.erreur(
            (*path, "primes", index, "date"),
            f"poste « {raw.code} » : prime « {prime.libelle} » datée du {day.isoformat()}, "
            f"un mois où le poste n'est pas en cours ({raw.debut.isoformat()} – {fin}) : "
            "elle ne serait jamais versée",
        )


def _poste(
    check: VerificationDuFichier,
    data: FichierPaie,
    index: int,
    raw: PosteFichier,
    projets: set[str],
) -> Poste | None:
    path: tuple[str | int, ...] = ("postes", index)
    parametres = data.parametres
    count = len(check.errors)
    name = f"poste « {raw.code} »"
    if raw.fin is not None and raw.fin < raw.debut:
        check.erreur(
            (*path, "fin"),
            f"{name} : la fin ({raw.fin.isoformat()}) précède le début ({raw.debut.isoformat()})",
        )
    if raw.projet is not None and raw.projet not in projets:
        known = ", ".join(sorted(projets)) or "aucun projet déclaré"
        check.erreur((*path, "projet"), f"projet « {raw.projet} » inconnu ({known})")
    _primes_hors_du_poste(check, path, raw)
    cotisations = _cotisations(check, data, path, raw)
    taux_salarial = _taux(
        check,
        path,
        raw.taux_salarial,
        parametres.taux_salarial,
        f"{name} : taux_salarial manquant (part salariale en % du brut, dans le poste ou "
        "dans parametres)",
    )
    aides = []
    for a_index, raw_aide in enumerate(raw.aides):
        aide = _aide(check, raw, (*path, "aides", a_index), raw_aide)
        if aide is not None:
            aides.append(aide)
    if len(check.errors) > count:
        return None
    augmentation = (
        (raw.augmentation.taux, raw.augmentation.mois) if raw.augmentation is not None else None
    )
    return Poste(
        code=raw.code,
        intitule=raw.intitule or raw.code,
        debut=raw.debut,
        fin=raw.fin,
        etp=raw.etp,
        etp_fichier=raw.etp,
        brut_mensuel=raw.brut_mensuel,
        brut_au=raw.brut_au or raw.debut,
        brut_au_ecrit=raw.brut_au is not None,
        taux_salarial=taux_salarial or Decimal(0),
        cotisations=tuple(cotisations),
        augmentation=augmentation,
        primes=tuple(Prime(p.montant, p.libelle, p.mois, p.date) for p in raw.primes),
        treizieme_mois=raw.treizieme_mois,
        projet=raw.projet,
        aides=tuple(aides),
        location=check.document.location(path),
    )


def _aide(
    check: VerificationDuFichier, poste: PosteFichier, path: tuple[str | int, ...], raw: AideFichier
) -> Aide | None:
    count = len(check.errors)
    libelle = raw.libelle or LIBELLES_AIDES[raw.type]
    name = f"aide « {libelle} »"
    debut = raw.debut or poste.debut
    fin = raw.fin or poste.fin
    if raw.debut is not None and raw.debut < poste.debut:
        check.erreur(
            (*path, "debut"),
            f"{name} : elle commence le {raw.debut.isoformat()}, avant le début du poste "
            f"« {poste.code} » ({poste.debut.isoformat()})",
        )
    if raw.debut is not None and poste.fin is not None and raw.debut > poste.fin:
        check.erreur(
            (*path, "debut"),
            f"{name} : elle commence le {raw.debut.isoformat()}, après la fin du poste "
            f"« {poste.code} » ({poste.fin.isoformat()})",
        )
    if raw.fin is not None and poste.fin is not None and raw.fin > poste.fin:
        check.erreur(
            (*path, "fin"),
            f"{name} : elle se termine le {raw.fin.isoformat()}, après la fin du poste "
            f"« {poste.code} » ({poste.fin.isoformat()})",
        )
    if raw.fin is not None and raw.fin < debut:
        check.erreur(
            (*path, "fin"),
            f"{name} : la fin ({raw.fin.isoformat()}) précède le début ({debut.isoformat()})",
        )
    check.compte((*path, "compte"), raw.compte, "74", debut, fin)
    try:
        versements = _versements(raw.versements)
    except ValueError as exc:
        check.erreur((*path, "versements"), f"{name} : {exc}")
        versements = CalendrierVersements("mensuel")
    if len(check.errors) > count:
        return None
    if raw.montant_mensuel is not None:
        mensuel = raw.montant_mensuel
    else:
        assert raw.montant_annuel is not None  # the schema requires one of them
        mensuel = raw.montant_annuel / 12
    return Aide(
        raw.type,
        libelle,
        raw.financeur,
        raw.compte,
        mensuel,
        raw.debut,
        raw.fin,
        versements,
        check.document.location(path),
    )


def _dates_hors_exercice(check: VerificationDuFichier, data: FichierPaie) -> None:
    """Dates no exercice holds (checked first: the accounts are checked over the
    exercices of the posts' dates)."""
    calendrier = check.context.calendrier
    for index, poste in enumerate(data.postes):
        dated: list[tuple[tuple[str | int, ...], datetime.date | None]] = [
            (("postes", index, key), getattr(poste, key)) for key in ("debut", "fin", "brut_au")
        ]
        for a_index, aide in enumerate(poste.aides):
            where = ("postes", index, "aides", a_index)
            dated += [((*where, "debut"), aide.debut), ((*where, "fin"), aide.fin)]
        for p_index, prime in enumerate(poste.primes):
            dated.append((("postes", index, "primes", p_index, "date"), prime.date))
        for path, day in dated:
            problem = calendrier.hors_exercice(day) if day is not None else None
            if problem is not None:
                check.erreur(path, f"poste « {poste.code} », {path[-1]} : {problem}")


def charger_paie(path: Path, context: LedgerContext) -> tuple[Paie | None, list[SourceError]]:
    """Load and check the payroll file of a ledger (``LedgerContext``). Never raises.

    Returns no :class:`Paie` when the file has any error: a forecast made from a
    half-read payroll would mislead.
    """
    try:
        document = load_yaml(path)
    except SourceError as error:
        return None, [error]
    data, errors = validate(document, FichierPaie)
    if data is None:
        return None, errors
    check = VerificationDuFichier(document, context)
    _dates_hors_exercice(check, data)
    if check.errors:
        return None, sorted(check.errors, key=lambda error: error.location.line)
    comptes = data.parametres.comptes
    debut, fin = _periode_des_postes(data)
    for key in ("salaires", "primes", "cotisations"):
        check.compte(("parametres", "comptes", key), getattr(comptes, key), "64", debut, fin)
    for key in ("salaires_a_payer", "organismes_sociaux", "aides_a_recevoir"):
        check.compte(("parametres", "comptes", key), getattr(comptes, key), "4", debut, fin)
    for name, code in data.parametres.organismes.items():
        check.compte(("parametres", "organismes", name), code, "64", debut, fin)
    projets = set(context.config.projets)
    paie = Paie(data.parametres, fichier=path)
    seen: set[str] = set()
    for index, raw in enumerate(data.postes):
        if raw.code in seen:
            check.erreur(("postes", index, "code"), f"poste « {raw.code} » déclaré deux fois")
            continue
        seen.add(raw.code)
        poste = _poste(check, data, index, raw, projets)
        if poste is not None:
            paie.postes[poste.code] = poste
    check.errors.sort(key=lambda error: error.location.line)
    if check.errors:
        return None, check.errors
    return paie, []
