"""The subsidy conventions file (``conventions.yaml``), shared by the cash plan
(payment schedules) and the subsidies follow-up (compte-rendu, fonds dédiés).

Declared in ``communs.yaml`` (``conventions: conventions.yaml``)::

    conventions:
      - reference: REG-CUISINE-2026       # unique; the `convention:` metadata of entries
        financeur: Région Île-de-France
        type_financeur: region            # as in `financeurs` (CERFA 12156 table)
        objet: Cuisine du jardin – alimentation durable
        projets: [CUISINE]                # codes of communs.yaml (may be empty)
        montant: 10000                    # amount granted
        debut: 2026-05-01                 # period of the action
        fin: 2027-04-30
        notification: 2026-05-20          # optional: date of the decision
        exercice: "2026"                  # optional: exercice the subsidy is granted for
        dediee: true                      # earmarked for the project(s): fonds dédiés apply
        compte: "7412"                    # optional: income account (code or full name)
        compte_creance: "441"             # optional: receivable (code or full name)
        charges_eligibles: ["60", "62", "64"]   # account code prefixes
        frais_indirects: true             # optional: the allocated indirect costs count
        compte_rendu: 2027-06-30          # optional, default below
        compte_rendu_remis: 2027-05-12    # optional: date the compte-rendu was sent
        solde_a_definir: false            # optional, see « Versements »
        versements:
          - libelle: avance
            part: 50                      # % of the amount … or `montant: 5000`
            date: 2026-07-15              # expected date …
          - libelle: solde
            part: 50
            apres_compte_rendu: true      # … or after the compte-rendu
            delai_jours: 60               #   (default 60 days)
          # … or `delai_jours: 60` alone: days after the notification (or `debut`)

Rules:

- ``reference`` is unique; ``projets`` are declared in ``communs.yaml``; a
  dedicated convention (``dediee: true``) names at least one project;
- ``compte`` is a produit (class 7) account valid in the chart of the
  exercices of the period, given by code (``"7412"``) or by full account name
  (a sub-account of 74 dedicated to the convention); ``compte_creance`` a
  class 4 account the same way; ``charges_eligibles`` are prefixes of charge
  accounts (classes 6 and 86);
- ``compte_rendu`` defaults to six months after the end of the exercice holding
  ``fin`` (loi 2000-321, art. 10: within six months of the end of the exercice
  the subsidy was granted for; a multi-year action is reported on once it is
  over, not at the end of its first exercice), or of ``exercice`` when that one
  ends later;
- an exercice given by ``exercice`` must exist in the association's calendar.

Versements (instalments): each has ``part`` (% of the amount) or ``montant``,
and an expected date: ``date``, or ``apres_compte_rendu: true`` (the
compte-rendu deadline + ``delai_jours``, 60 by default), or ``delai_jours``
alone (days after the notification, or after ``debut`` without one). A
convention without ``versements`` is paid in one instalment 60 days after its
notification (or ``debut``): the legal payment term (loi 2021-875). The
instalments must add up to the amount exactly: above it is always an error;
below it is an error unless ``solde_a_definir: true``, which adds an implicit
last instalment « solde » of the difference, expected 60 days after the
compte-rendu deadline. A ``date`` may not precede both ``debut`` and the
notification. Amounts of ``part`` instalments are rounded to the cent, the
last instalment taking the rounding difference, so the échéancier always
sums to the amount.

Attaching ledger entries to a convention (:meth:`Conventions.reference_de`): a
posting belongs to convention REF when its own metadata says
``convention: REF``; otherwise when it is on the convention's dedicated
account (``compte`` or ``compte_creance`` given as a full account name, or a
sub-account of it); otherwise when its transaction's metadata says
``convention: REF``. Of the postings of a convention:

- *recognised* (:meth:`Convention.reconnu`): net credits of its income
  accounts (those starting with ``compte``, or with 74 when ``compte`` is not
  given; fonds dédiés 789x are not recognition);
- *received* (:meth:`Convention.recus`): in each transaction that moves a
  treasury account (class 5), the net credit of its receivable (441, or
  ``compte_creance``) and income postings: a payment received against the 441
  receivable, or recorded straight in 74x (treasury: class 5 but 59, as in
  the plan de trésorerie);
- *receivable* (:attr:`SuiviConvention.creances`): the balance of its
  receivable postings, by account;
- *repaid* (:attr:`SuiviConvention.reverse`): the net debits of those postings
  in a transaction that moves treasury, i.e. a « reversement » of an unused part
  to the funder (debit 74x, credit 512). Instalments are matched against what
  the funder *paid* (:attr:`SuiviConvention.verse`), so a repayment never
  reappears as an instalment still due.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..budget.reglages import TypeFinanceur
from ..codes import est_tresorerie, parse_account
from ..contexte import LedgerContext
from ..dates import add_months
from ..exercices import Calendrier, Exercice
from ..formatage import montant as format_montant
from ..montants import HUNDRED, to_cent
from ..mouvements import Mouvement
from ..plan import load_chart
from ..schemas import (
    Schema,
    champ,
    charger_fichier,
    sans_doublons,
    valider_compte,
    valider_montant,
    valider_motif,
)
from ..sources import Location, SourceError
from ..yaml_lignes import YamlDocument
from .reglages import conventions_file

META_KEY = "convention"
DELAI_PAIEMENT = 60  # days: payment term of a subsidy (loi 2021-875)
MOIS_COMPTE_RENDU = 6  # compte-rendu within six months after the exercice
CODE_PRODUIT_DEFAUT = "741"  # forecast account of a convention without `compte`
PREFIXE_PRODUITS = "74"  # income of a convention without `compte`
PREFIXE_CREANCES = "441"

_UNSET: Any = object()


# --- Dates ------------------------------------------------------------------------------


def ajouter_mois(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months; a month end stays a month end
    (31 December + 6 → 30 June), other days are clamped to the month's length."""
    return add_months(day, months, keep_month_end=True)


# --- The file's schema ------------------------------------------------------------------


_reference = valider_motif(
    r"^\S+$", "référence « {} » invalide : un mot sans espace (ex. REG-2026)"
)
_code_or_account = valider_compte("7412")


def _prefixes(value: object) -> object:
    if isinstance(value, list):
        result = []
        for item in value:
            text = str(item).strip() if item is not None else ""
            if not text.isdigit():
                raise ValueError(f"« {item} » : préfixe de numéro de compte attendu (ex. 64)")
            result.append(text)
        return result
    return value


class VersementFichier(Schema):
    libelle: str | None = None
    part: Decimal | None = None
    montant: Decimal | None = champ(default=None, valider=valider_montant)
    date: datetime.date | None = None
    apres_compte_rendu: bool = False
    delai_jours: int | None = None
    commentaire: str | None = None

    def verifier(self) -> None:
        if (self.part is None) == (self.montant is None):
            raise ValueError("indiquez soit « part » (en %), soit « montant »")
        if self.part is not None and not 0 < self.part <= HUNDRED:
            raise ValueError(f"part de {self.part} % : un pourcentage entre 0 et 100 est attendu")
        if self.montant is not None and self.montant <= 0:
            raise ValueError("le montant d'un versement doit être positif")
        if self.date is not None and (self.apres_compte_rendu or self.delai_jours is not None):
            raise ValueError(
                "indiquez soit une date attendue, soit un délai (delai_jours, "
                "apres_compte_rendu), pas les deux"
            )
        if self.date is None and not self.apres_compte_rendu and self.delai_jours is None:
            raise ValueError(
                "date attendue manquante : indiquez « date », « delai_jours » (après la "
                "notification ou le début) ou « apres_compte_rendu: true »"
            )
        if self.delai_jours is not None and self.delai_jours < 0:
            raise ValueError("delai_jours : nombre de jours positif attendu")


class ConventionFichier(Schema):
    reference: str = champ(valider=_reference)
    financeur: str = champ(min_longueur=1)
    type_financeur: TypeFinanceur = champ()
    objet: str = champ(min_longueur=1)
    montant: Decimal = champ(valider=valider_montant)
    debut: datetime.date = champ()
    fin: datetime.date = champ()
    projets: list[str] = champ(default_factory=list)
    notification: datetime.date | None = None
    exercice: str | None = None
    dediee: bool = False
    compte: str | None = champ(default=None, valider=_code_or_account)
    compte_creance: str | None = champ(default=None, valider=_code_or_account)
    charges_eligibles: list[str] = champ(default_factory=list, valider=_prefixes)
    frais_indirects: bool = False
    compte_rendu: datetime.date | None = None
    compte_rendu_remis: datetime.date | None = None
    solde_a_definir: bool = False
    versements: list[VersementFichier] = champ(default_factory=list)
    commentaire: str | None = None

    def verifier(self) -> None:
        if self.montant <= 0:
            raise ValueError("le montant de la convention doit être positif")
        if self.fin < self.debut:
            raise ValueError(
                f"la fin ({self.fin.isoformat()}) précède le début ({self.debut.isoformat()})"
            )
        if self.dediee and not self.projets:
            raise ValueError(
                "une convention dédiée (dediee: true) finance un projet défini : indiquez "
                "ses projets"
            )
        if self.compte_rendu is not None and self.compte_rendu < self.debut:
            raise ValueError("la date du compte rendu précède le début de la convention")


class FichierConventions(Schema):
    conventions: list[ConventionFichier] = champ(default_factory=list)
    commentaire: str | None = None


# --- What the rest of the program uses --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Versement:
    """One instalment as written (amount resolved, date rule kept)."""

    rang: int  # 1-based position in the convention
    libelle: str
    montant: Decimal
    part: Decimal | None
    date: datetime.date | None
    apres_compte_rendu: bool
    delai_jours: int | None
    location: Location


@dataclass(frozen=True, slots=True)
class Echeance:
    """An instalment with its expected date."""

    rang: int
    libelle: str
    date: datetime.date
    montant: Decimal
    location: Location


@dataclass(frozen=True, slots=True)
class VersementRecu:
    """A payment received for a convention (one treasury transaction)."""

    date: datetime.date
    montant: Decimal
    entry: Any


@dataclass
class SuiviConvention:
    """What the ledger holds of one convention (see the module docstring)."""

    recus: list[VersementRecu] = field(default_factory=list)
    produits: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    """Net credits of its income postings, by account."""
    creances: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    """Balance (debit − credit) of its receivable postings, by account."""

    @property
    def reconnu(self) -> Decimal:
        return sum(self.produits.values(), Decimal(0))

    @property
    def recu(self) -> Decimal:
        return sum((r.montant for r in self.recus), Decimal(0))

    @property
    def verse(self) -> Decimal:
        """What the funder paid: the positive receipts only. A repayment to the funder
        (a treasury outflow on the convention's accounts, « reversement ») lowers ``recu``
        but does not reopen an instalment already paid."""
        return sum((r.montant for r in self.recus if r.montant > 0), Decimal(0))

    @property
    def reverse(self) -> Decimal:
        """What the association repaid to the funder (the negative receipts, as positive)."""
        return self.verse - self.recu


def _code_of(value: str | None) -> str | None:
    if value is None:
        return None
    return value if value.isdigit() else parse_account(value).code


@dataclass(frozen=True)
class Convention:
    reference: str
    financeur: str
    type_financeur: str
    objet: str
    projets: tuple[str, ...]
    montant: Decimal
    debut: datetime.date
    fin: datetime.date
    notification: datetime.date | None
    exercice: str | None
    dediee: bool
    compte: str | None
    """Income account as written: a code, or a full account name."""
    compte_creance: str | None
    charges_eligibles: tuple[str, ...]
    compte_rendu: datetime.date
    """Compte-rendu deadline (given, or the default)."""
    solde_a_definir: bool
    versements: tuple[Versement, ...]
    location: Location
    commentaire: str | None = None
    compte_rendu_remis: datetime.date | None = None
    """Date the compte-rendu was sent to the funder (None: not yet)."""
    frais_indirects: bool = False
    """Whether the indirect costs the clés de répartition allocate to its project(s) count
    in its emploi (subventions, compte-rendu, fonds dédiés, closing)."""

    @property
    def code_produit(self) -> str:
        """The income code forecasts use: ``compte``'s code, or 741."""
        return _code_of(self.compte) or CODE_PRODUIT_DEFAUT

    @property
    def prefixe_produits(self) -> str:
        """Postings whose code starts with this are the convention's income."""
        return _code_of(self.compte) or PREFIXE_PRODUITS

    @property
    def prefixe_creances(self) -> str:
        return _code_of(self.compte_creance) or PREFIXE_CREANCES

    @property
    def comptes_dedies(self) -> tuple[str, ...]:
        """Full account names dedicated to the convention (postings there are its own)."""
        return tuple(name for name in (self.compte, self.compte_creance) if name and ":" in name)

    @property
    def projet(self) -> str | None:
        """The project of forecasts: the convention's only project, if it has one."""
        return self.projets[0] if len(self.projets) == 1 else None

    @property
    def depart_des_delais(self) -> datetime.date:
        """Start of the ``delai_jours`` instalments: the notification, else ``debut``."""
        return self.notification or self.debut

    def date_attendue(self, versement: Versement) -> datetime.date:
        if versement.date is not None:
            return versement.date
        delay = datetime.timedelta(
            days=DELAI_PAIEMENT if versement.delai_jours is None else versement.delai_jours
        )
        if versement.apres_compte_rendu:
            return self.compte_rendu + delay
        return self.depart_des_delais + delay

    def echeancier(self) -> list[Echeance]:
        """Expected date and amount of each instalment, in the file's order."""
        return [
            Echeance(v.rang, v.libelle, self.date_attendue(v), v.montant, v.location)
            for v in self.versements
        ]

    def suivi(self, mouvements: Iterable[Mouvement]) -> SuiviConvention:
        return Conventions({self.reference: self}).suivi(mouvements)[self.reference]

    def recus(self, mouvements: Iterable[Mouvement]) -> list[VersementRecu]:
        """Payments received, by treasury transaction (see the module docstring)."""
        return self.suivi(mouvements).recus

    def recu(self, mouvements: Iterable[Mouvement]) -> Decimal:
        """Total received so far."""
        return self.suivi(mouvements).recu

    def reconnu(self, mouvements: Iterable[Mouvement]) -> Decimal:
        """Total recognised in its income accounts (net credits)."""
        return self.suivi(mouvements).reconnu


class Conventions:
    """The conventions of an association, by reference (file order kept)."""

    def __init__(self, par_reference: dict[str, Convention], fichier: Path | None = None):
        self.par_reference = par_reference
        self.fichier = fichier
        self._dedicated = [
            (name, convention.reference)
            for convention in par_reference.values()
            for name in convention.comptes_dedies
        ]
        self._by_account: dict[str, str | None] = {}
        """Account → the convention it is dedicated to (None: none), filled as met."""

    def __iter__(self) -> Iterator[Convention]:
        return iter(self.par_reference.values())

    def __len__(self) -> int:
        return len(self.par_reference)

    def __contains__(self, reference: object) -> bool:
        return reference in self.par_reference

    def __getitem__(self, reference: str) -> Convention:
        return self.par_reference[reference]

    def get(self, reference: str) -> Convention | None:
        return self.par_reference.get(reference)

    def reference_de(self, mouvement: Mouvement) -> str | None:
        """The convention a posting belongs to (any reference, known or not), or None."""
        entry = mouvement.entry
        posting = entry.postings[mouvement.rang]
        if posting.meta and META_KEY in posting.meta:
            return str(posting.meta[META_KEY])
        account = mouvement.account
        dedicated: str | None = self._by_account.get(account, _UNSET)
        if dedicated is _UNSET:
            dedicated = self._by_account[account] = next(
                (
                    reference
                    for name, reference in self._dedicated
                    if account == name or account.startswith(name + ":")
                ),
                None,
            )
        if dedicated is not None:
            return dedicated
        if entry.meta and META_KEY in entry.meta:
            return str(entry.meta[META_KEY])
        return None

    def suivi(self, mouvements: Iterable[Mouvement]) -> dict[str, SuiviConvention]:
        """Recognised, received and receivable amounts of every convention, in one pass."""
        result = {reference: SuiviConvention() for reference in self.par_reference}
        treasury: dict[int, bool] = {}
        received: dict[tuple[str, int], Decimal] = {}
        dates: dict[tuple[str, int], tuple[datetime.date, Any]] = {}
        prefixes = tuple({c.prefixe_produits for c in self} | {c.prefixe_creances for c in self})
        for movement in mouvements:
            if not (movement.code or "").startswith(prefixes):
                continue  # neither income nor receivable of any convention
            reference = self.reference_de(movement)
            if reference is None or reference not in result:
                continue
            convention = self.par_reference[reference]
            code = movement.code or ""
            followed = result[reference]
            income = code.startswith(convention.prefixe_produits)
            receivable = code.startswith(convention.prefixe_creances)
            if income:
                followed.produits[movement.account] -= movement.montant
            if receivable:
                followed.creances[movement.account] += movement.montant
            if not (income or receivable):
                continue
            entry = movement.entry
            key = id(entry)
            moves_cash = treasury.get(key)
            if moves_cash is None:
                moves_cash = treasury[key] = _moves_treasury(entry)
            if moves_cash:
                received[(reference, key)] = (
                    received.get((reference, key), Decimal(0)) - movement.montant
                )
                dates[(reference, key)] = (movement.date, entry)
        for (reference, key), amount in received.items():
            if amount:
                day, entry = dates[(reference, key)]
                result[reference].recus.append(VersementRecu(day, amount, entry))
        for followed in result.values():
            followed.recus.sort(key=lambda r: r.date)
        return result


def _moves_treasury(entry: Any) -> bool:
    return any(est_tresorerie(parse_account(p.account).code) for p in entry.postings)


# --- Loading ----------------------------------------------------------------------------


def _exercice_proche(context: Any, code: str, near: datetime.date) -> Exercice | None:
    """The exercice whose code is ``code`` (``2026``, ``2025-2026``), near a date."""
    calendrier: Calendrier = context.calendrier
    text = code.strip()
    try:
        year = int(text.split("-")[0])
    except ValueError:
        return None
    first = datetime.date(min(year, near.year) - 1, 1, 1)
    last = datetime.date(max(year, near.year) + 1, 12, 31)
    for exercice in calendrier.between(first, last):
        if exercice.code == text:
            return exercice
    return None


def _versions(context: LedgerContext, debut: datetime.date, fin: datetime.date) -> list[str]:
    versions: list[str] = []
    for exercice in context.calendrier.between(debut, fin):
        if exercice.version not in versions:
            versions.append(exercice.version)
    return versions


def _code_problem(
    code: str, versions: list[str], classes: tuple[str, ...], what: str
) -> str | None:
    if not code.startswith(classes):
        return f"compte {code} : {what}"
    for version in versions:
        problem = load_chart(version).hors_du_plan(code)
        if problem is not None:
            return problem
    return None


def _account_problem(
    value: str, versions: list[str], classes: tuple[str, ...], what: str
) -> str | None:
    code = _code_of(value)
    if code is None:
        return f"le compte « {value} » ne porte pas de numéro (ex. …:7412-Region)"
    return _code_problem(code, versions, classes, what)


_Where = tuple[str | int, ...]
"""A path in the YAML document, as :meth:`YamlDocument.location` takes it."""
_Report = Callable[[_Where, str], None]
"""Report a problem at a path under the convention."""


def _convention(
    document: YamlDocument,
    index: int,
    raw: ConventionFichier,
    context: LedgerContext,
    errors: list[SourceError],
) -> Convention | None:
    """A convention of the file, checked; None after reporting its problems to ``errors``."""
    where = ("conventions", index)
    count = len(errors)

    def error(path: _Where, message: str) -> None:
        errors.append(SourceError(document.location((*where, *path)), message))

    _check_dates(raw, context, error)
    if len(errors) > count:
        return None  # the exercices of its dates are needed below
    _check_projects(raw, context, error)
    exercice = _exercice_of(raw, context, error)
    _check_accounts(raw, _versions(context, raw.debut, raw.fin), error)
    versements = _instalments(document, where, raw, error)
    if len(errors) > count or versements is None:
        return None
    return Convention(
        reference=raw.reference,
        financeur=raw.financeur,
        type_financeur=raw.type_financeur,
        objet=raw.objet,
        projets=tuple(raw.projets),
        montant=raw.montant,
        debut=raw.debut,
        fin=raw.fin,
        notification=raw.notification,
        exercice=exercice.code if exercice else None,
        dediee=raw.dediee,
        compte=raw.compte,
        compte_creance=raw.compte_creance,
        charges_eligibles=tuple(raw.charges_eligibles),
        compte_rendu=_compte_rendu_due(raw, context, exercice),
        solde_a_definir=raw.solde_a_definir,
        versements=versements,
        location=document.location(where),
        commentaire=raw.commentaire,
        compte_rendu_remis=raw.compte_rendu_remis,
        frais_indirects=raw.frais_indirects,
    )


def _check_dates(raw: ConventionFichier, context: Any, error: _Report) -> None:
    """Every date of the convention (and of its instalments) falls in an exercice."""
    dated: list[tuple[_Where, datetime.date | None]] = [
        ((key,), getattr(raw, key)) for key in ("debut", "fin", "notification", "compte_rendu")
    ]
    dated += [(("versements", i, "date"), v.date) for i, v in enumerate(raw.versements)]
    for path, day in dated:
        problem = context.calendrier.hors_exercice(day) if day is not None else None
        if problem is not None:
            error(path, f"{path[-1]} : {problem}")


def _check_projects(raw: ConventionFichier, context: Any, error: _Report) -> None:
    """Every project of the convention is declared in the config."""
    projets = set(context.config.projets)
    for p_index, projet in enumerate(raw.projets):
        if projet not in projets:
            known = ", ".join(sorted(projets)) or "aucun projet déclaré dans communs.yaml"
            error(("projets", p_index), f"projet « {projet} » inconnu ({known})")


def _exercice_of(raw: ConventionFichier, context: Any, error: _Report) -> Exercice | None:
    """The exercice the convention is granted for, when it names one."""
    if raw.exercice is None:
        return None
    exercice = _exercice_proche(context, raw.exercice, raw.debut)
    if exercice is None:
        error(("exercice",), f"exercice « {raw.exercice} » invalide (ex. 2026 ou 2025-2026)")
    return exercice


def _check_accounts(raw: ConventionFichier, versions: list[str], error: _Report) -> None:
    """The produits account, the receivable account and the eligible charges' prefixes
    exist in the charts of the convention's exercices, in the right classes."""
    if raw.compte is not None:
        problem = _account_problem(
            raw.compte, versions, ("7",), "un compte de produits (classe 7) est attendu"
        )
        if problem:
            error(("compte",), problem)
    if raw.compte_creance is not None:
        problem = _account_problem(
            raw.compte_creance,
            versions,
            ("4",),
            "un compte de tiers (classe 4, ex. 441) est attendu",
        )
        if problem:
            error(("compte_creance",), problem)
    for c_index, prefix in enumerate(raw.charges_eligibles):
        problem = _code_problem(
            prefix, versions, ("6", "86"), "un préfixe de comptes de charges (classe 6) est attendu"
        )
        if problem:
            error(("charges_eligibles", c_index), problem)


def _compte_rendu_due(
    raw: ConventionFichier, context: Any, exercice: Exercice | None
) -> datetime.date:
    """When the compte rendu is due: as written, or ``MOIS_COMPTE_RENDU`` months after the
    end of the exercice in which the action ends (a multi-year action is reported on once
    it is over), or of the exercice it is granted for when that one ends later."""
    if raw.compte_rendu is not None:
        return raw.compte_rendu
    base = context.calendrier.containing(raw.fin)
    if exercice is not None and exercice.fin > base.fin:
        base = exercice
    return ajouter_mois(base.fin, MOIS_COMPTE_RENDU)


def _instalments(
    document: YamlDocument,
    where: _Where,
    raw: ConventionFichier,
    error: _Report,
) -> tuple[Versement, ...] | None:
    """The instalments with their amounts, or None after reporting a problem."""
    if not raw.versements:
        return (
            Versement(
                1,
                "versement unique",
                raw.montant,
                HUNDRED,
                None,
                False,
                DELAI_PAIEMENT,
                document.location(where),
            ),
        )
    exact = _instalments_total(raw, error)
    if exact is None:
        return None
    amounts = [
        item.montant if item.montant is not None else to_cent(_exact_amount(raw.montant, item))
        for item in raw.versements
    ]
    if exact == raw.montant:
        amounts[-1] += raw.montant - sum(amounts, Decimal(0))
    result = [
        Versement(
            v_index + 1,
            item.libelle or f"versement {v_index + 1}",
            amount,
            item.part,
            item.date,
            item.apres_compte_rendu,
            item.delai_jours,
            document.location((*where, "versements", v_index)),
        )
        for v_index, (item, amount) in enumerate(zip(raw.versements, amounts, strict=True))
    ]
    if exact < raw.montant:
        result.append(
            Versement(
                len(result) + 1,
                "solde",
                raw.montant - sum(amounts, Decimal(0)),
                None,
                None,
                True,
                DELAI_PAIEMENT,
                document.location((*where, "solde_a_definir")),
            )
        )
    return tuple(result)


def _exact_amount(montant: Decimal, item: VersementFichier) -> Decimal:
    """An instalment's amount as written, or its share of ``montant`` (unrounded)."""
    if item.montant is not None:
        return item.montant
    assert item.part is not None  # the schema wants either « part » or « montant »
    return montant * item.part / HUNDRED


def _instalments_total(raw: ConventionFichier, error: _Report) -> Decimal | None:
    """The exact total of the instalments (shares unrounded), or None after reporting an
    instalment due before the convention, or a total above (or, without
    ``solde_a_definir``, below) the convention's amount."""
    earliest = min(raw.debut, raw.notification) if raw.notification else raw.debut
    ok = True
    exact = Decimal(0)
    for v_index, item in enumerate(raw.versements):
        exact += _exact_amount(raw.montant, item)
        if item.date is not None and item.date < earliest:
            after = "du début de la convention" if earliest == raw.debut else "de la notification"
            error(
                ("versements", v_index, "date"),
                f"versement attendu le {item.date.isoformat()}, avant la date {after} "
                f"({earliest.isoformat()})",
            )
            ok = False
    total = f"les versements totalisent {format_montant(exact)}"
    granted = format_montant(raw.montant)
    if exact > raw.montant:
        error(("versements",), f"{total}, plus que le montant de la convention ({granted})")
        return None
    if exact < raw.montant and not raw.solde_a_definir:
        error(
            ("versements",),
            f"{total} au lieu du montant de la convention ({granted}) : complétez-les, ou "
            "indiquez « solde_a_definir: true » pour prévoir le solde après le compte rendu",
        )
        return None
    return exact if ok else None


def charger_conventions(
    path: Path, context: LedgerContext
) -> tuple[Conventions | None, list[SourceError]]:
    """Load and check a conventions file. Never raises.

    ``context`` is the ledger's ``LedgerContext`` (projects, exercices). With any
    error, no conventions are returned (None) and the errors say why.
    """
    document, data, errors = charger_fichier(path, FichierConventions, "conventions", "conventions")
    if document is None or data is None:
        return None, errors
    found: dict[str, Convention] = {}
    doublon = "convention « {} » déclarée deux fois"
    chemin = ("conventions", "reference")
    for index, raw in sans_doublons(
        document, data.conventions, chemin, lambda r: r.reference, doublon, errors
    ):
        convention = _convention(document, index, raw, context, errors)
        if convention is not None:
            found[convention.reference] = convention
    errors.sort(key=lambda e: e.location.line)
    if errors:
        return None, errors
    return Conventions(found, path), []


def chemin_des_conventions(context: LedgerContext) -> Path | None:
    """The conventions file declared in ``communs.yaml`` (``conventions:``), if any."""
    relative = conventions_file(context.config)
    if not relative:
        return None
    ledger: Path = context.ledger
    return (ledger.resolve().parent / relative).resolve()


def conventions_du_grand_livre(
    context: LedgerContext,
) -> tuple[Conventions | None, list[SourceError]]:
    """The ledger's conventions: None without a ``conventions:`` declaration; a declared
    file that is missing or has errors gives the errors (file:line, French)."""

    path = chemin_des_conventions(context)
    if path is None:
        return None, []
    absent = context.config.fichier_absent("conventions", path, "conventions")
    if absent is not None:
        return None, [absent]
    return charger_conventions(path, context)


def restant(echeances: list[Echeance], recu: Decimal) -> list[Echeance]:
    """The unpaid part of each instalment once ``recu`` is allocated in their order."""
    result = []
    left = recu
    for echeance in echeances:
        paid = min(max(left, Decimal(0)), echeance.montant)
        left -= paid
        if echeance.montant - paid > 0:
            result.append(
                Echeance(
                    echeance.rang,
                    echeance.libelle,
                    echeance.date,
                    echeance.montant - paid,
                    echeance.location,
                )
            )
    return result
