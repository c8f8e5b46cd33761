"""Validate the accounts of a ledger against the plan comptable associatif.

The plugin changes no entry; it only returns errors (in French, at the line of
the directive concerned), so that ``bean-check``, Fava and ``communs verifier``
report the same problems. Usage, in the ledger::

    plugin "communs_plugins.plan_comptable"

or, with a configuration file other than ``communs.yaml`` beside the ledger::

    plugin "communs_plugins.plan_comptable" "config/asso.yaml"

Before (ledger)::

    2025-01-01 open Charges:60-Achats:6000-Divers           ; heading 60 only
    2025-01-01 open Charges:60-Achats:6132-Loyer            ; 6132 is not under 60
    2025-01-01 open Produits:60-Achats:6064-Fournitures     ; a charge under Produits
    2025-01-01 open Produits:77-Exceptionnels:7715-Equilibre ; retired in 2025

After (errors, entries unchanged)::

    main.beancount:1: Compte Charges:60-Achats:6000-Divers : 6000 prolonge seulement
        le titre 60 « Achats (sauf 603) », non mouvementable (plan 2025) ; …
    main.beancount:2: Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne prolonge
        pas le numéro de son parent « 60-Achats » …
    main.beancount:3: Compte Produits:60-Achats:6064-Fournitures : 6064 « Fournitures
        administratives » est une charge : il doit être sous Charges, pas sous Produits
    main.beancount:4: Compte Produits:77-Exceptionnels:7715-Equilibre : 7715 « Subventions
        d'équilibre » est retiré du plan comptable 2025 … utilisez 742 …

Rules (the version of the chart follows each exercice's opening date), one function
each below, with its own example of a ledger and its error; :data:`RULES` runs them
in the order their errors are reported:

1. the account's code is in the chart in force, or extends a postable account
   of it (not a mere heading); an account may not be a heading itself
   (:func:`check_numbered`, :func:`check_code_known`, :func:`check_not_heading`,
   :func:`check_extends_postable`);
2. each coded component extends the code of the coded component above it
   (:func:`check_extends_parent`);
3. the root fits the account's nature (a charge under ``Charges``…)
   (:func:`check_root_fits_nature`);
4. an account retired in the version in force is refused, its replacement named
   (:func:`check_not_retired`);
5. a transaction with 86/87 postings has no posting of another class, and
   Σ86 = Σ87 over each exercice (:func:`check_contributions_alone`,
   :func:`check_contributions_balanced`);
6. when the config declares projects, every ``projet:`` metadata names one of them
   (:func:`check_projects`).

The ledger is read once (:func:`gather`, one pass over the postings); the rules
read the facts gathered.

An account used in several exercices is checked against each version in
force during its life: one opened in 2024 and still used in 2025 must be valid
in both charts. The config file (and every YAML file the communs plugins read)
is added to ``options_map["include"]`` so that Beancount's pickle cache is
invalidated when it changes; the cache is moreover validated on the content of
every file and on the ledger's path (a copied folder), see
:mod:`communs_ledger.cache`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from communs_ledger.cache import guard as guard_cache
from communs_ledger.codes import ParsedAccount, is_contribution_code, parse_account
from communs_ledger.contexte import ChartPass, LedgerContext
from communs_ledger.erreurs import CommunsError, error_at, from_source_error
from communs_ledger.exercices import Exercice, french_date
from communs_ledger.formatage import montant
from communs_ledger.gc_pause import gc_paused
from communs_ledger.plan import Chart, CodeCheck, CodeState, natures, version_start

__plugins__ = ("plan_comptable",)

_ROLE_LABELS = {
    "actif": "Actif",
    "passif": "Passif",
    "fonds_propres": "Fonds-propres",
    "produits": "Produits",
    "charges": "Charges",
}
_BALANCE_SHEET_ROLES = ("actif", "passif", "fonds_propres")
_ZERO = Decimal(0)
_KIND = 3  # the bits of a pass flag (:meth:`_Gathering.flag`) giving the contribution kind
_FOLLOWED = 4  # the bit of a pass flag: the account's net change is followed


def plan_comptable(
    entries: data.Directives, options_map: dict[str, Any], config: str | None = None
) -> tuple[data.Directives, list[CommunsError]]:
    """Beancount plugin entry point: return the entries unchanged and the errors."""
    with gc_paused():  # Beancount's objects hold no cycles: no rescans meanwhile
        try:
            context = LedgerContext.of_load(options_map, config.strip() if config else None)
            watch_files(options_map, context.config.watched_files)
            errors = [from_source_error(error) for error in context.config.errors]
            errors.extend(check_entries(entries, context))
        except Exception as exc:  # a plugin must never crash the load with a traceback
            meta = data.new_metadata(options_map.get("filename") or "<communs>", 0)
            errors = [
                CommunsError(meta, f"Erreur interne du greffon plan_comptable : {exc!r}", None)
            ]
        return entries, errors


ANNEXES = "communs_annexes"
"""Options key: the side files added to ``include`` by :func:`watch_files`."""


def watch_files(options_map: dict[str, Any], files: list[str]) -> None:
    """Make Beancount's cache (and Fava's watcher) depend on extra files, and validate
    that cache on the content of every file (:mod:`communs_ledger.cache`).

    They are also listed under ``ANNEXES`` in the options, so that the closing lock
    tells the files Beancount parsed from these side files (configuration, YAML)."""
    include = options_map.setdefault("include", [])
    annexes = options_map.setdefault(ANNEXES, [])
    guard_cache(options_map)
    for name in files:
        if name not in annexes:
            annexes.append(name)
        if name not in include:
            include.append(name)


# --- The facts the rules read, gathered in one pass --------------------------------------


@dataclass
class _Usage:
    """How an account is used: where opened, first entry and net change per exercice."""

    open: data.Open | None = None
    first: dict[Exercice, Any] = field(default_factory=dict)
    change: dict[Exercice, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


@dataclass
class _Contributions:
    """The contributions volontaires en nature of one exercice: Σ86, Σ87, last entry."""

    emplois: Decimal = _ZERO
    ressources: Decimal = _ZERO
    last: data.Transaction | None = None


@dataclass
class LedgerFacts:
    """What the rules read from the ledger, gathered by :func:`gather` in one pass over
    the postings (the rules themselves never walk the postings again)."""

    entries: data.Directives
    usages: dict[str, _Usage] = field(default_factory=lambda: defaultdict(_Usage))
    """Every account used or opened, in the order the ledger first meets it."""
    kinds: dict[str, int] = field(default_factory=dict)
    """Account -> 0 ordinary, 1 emplois (86), 2 ressources (87)."""
    contribution_entries: list[data.Transaction] = field(default_factory=list)
    """The transactions with a posting on 86 or 87, in ledger order."""
    contributions: dict[Exercice, _Contributions] = field(
        default_factory=lambda: defaultdict(_Contributions)
    )
    last_day: datetime.date | None = None
    unknown_projects: list[tuple[Any, dict[str, Any], data.Transaction]] = field(
        default_factory=list
    )
    """(value, metadata, transaction) of every ``projet:`` naming no declared project, in
    ledger order (the transaction's own metadata before its postings'); none gathered when
    the config declares no project."""
    opens: list[data.Open] = field(default_factory=list)
    customs: list[data.Custom] = field(default_factory=list)
    """The ``open`` and ``custom`` directives, in ledger order (for the plugins after
    this one, :class:`~communs_ledger.contexte.ChartPass`)."""


class _Gathering:
    """The hot loop of :func:`gather`: the per-exercice facts are kept in plain dicts
    keyed by account for the run of entries of the current exercice, then merged into
    ``facts.usages`` when the exercice changes (Exercice keys hash slowly)."""

    def __init__(self, facts: LedgerFacts, context: LedgerContext) -> None:
        self.facts = facts
        self.context = context
        self.segment: Exercice | None = None
        self.day: datetime.date | None = None
        self.seen: dict[str, int] = {}  # account used in the segment -> its flag
        self.firsts: dict[str, Any] = {}  # account -> first entry of the segment using it
        self.change: dict[str, Decimal] = {}  # account -> net change over the segment
        self.projects = context.config.projets  # empty: no project check
        self.flags: dict[str, int] = {}  # account -> its kind (facts.kinds) | _FOLLOWED
        self.balance_sheet_roots = {
            root for role, root in context.roots.items() if role in _BALANCE_SHEET_ROLES
        }

    def flag(self, account: str) -> int:
        """What the pass records of ``account``'s postings: its kind of contribution, and
        :data:`_FOLLOWED` for a balance sheet account, whose net change per exercice tells
        the exercices it carries a balance through (:func:`_exercices_present`)."""
        kind = self.facts.kinds[account] = _contribution_kind(account)
        followed = account.partition(":")[0] in self.balance_sheet_roots
        return kind | _FOLLOWED if followed else kind

    def date(self, day: datetime.date) -> None:
        """Follow the exercice of the entries, merging the segment when it changes."""
        if day != self.day:
            self.day = day
            exercice = self.context.exercice_of(day)
            if exercice != self.segment:
                self.merge()
                self.segment = exercice

    def merge(self) -> None:
        if self.segment is None:
            return
        usages = self.facts.usages
        for account, entry in self.firsts.items():
            usages[account].first.setdefault(self.segment, entry)
        for account, amount in self.change.items():
            usages[account].change[self.segment] += amount
        self.seen.clear()
        self.firsts.clear()
        self.change.clear()

    def use(self, account: str, entry: Any) -> int:
        """Record the first entry of the segment using ``account`` (not seen yet); return
        the account's flag (:meth:`flag`)."""
        self.firsts[account] = entry
        flag = self.flags.get(account)
        if flag is None:
            flag = self.flags[account] = self.flag(account)
        self.seen[account] = flag
        if account not in self.facts.usages:  # keep the order accounts are first met
            self.facts.usages[account] = _Usage()
        return flag

    def transaction(self, entry: data.Transaction) -> None:
        if entry.date != self.day:
            self.date(entry.date)
        change = self.change
        has_contribution = False
        seen = self.seen
        projects = self.projects
        if projects and (meta := entry.meta) and PROJECT_KEY in meta:
            self.project(meta, entry)
        for posting in entry.postings:
            # inline test of rule 6 (most postings name no project): no call per posting
            if projects and (meta := posting.meta) and PROJECT_KEY in meta:
                self.project(meta, entry)
            account = posting.account
            flag = seen.get(account)
            if flag is None:
                flag = self.use(account, entry)
            if not flag:
                continue  # a charge or a produit: nothing more to record
            units = posting.units
            number = units.number if units is not None else None
            if number is not None and flag & _FOLLOWED:
                change[account] = change.get(account, _ZERO) + number
            if flag & _KIND:
                has_contribution = True
                self.contribution(flag & _KIND, number, entry)
        if has_contribution:
            self.facts.contribution_entries.append(entry)

    def project(self, meta: dict[str, Any] | None, entry: data.Transaction) -> None:
        """Keep a ``projet:`` metadata naming no declared project (rule 6)."""
        value = meta.get(PROJECT_KEY) if meta else None
        if value is not None and str(value) not in self.projects:
            self.facts.unknown_projects.append((value, meta, entry))

    def contribution(self, kind: int, number: Decimal | None, entry: data.Transaction) -> None:
        assert self.segment is not None
        sums = self.facts.contributions[self.segment]
        if number is not None:
            if kind == 1:
                sums.emplois += number
            else:
                sums.ressources -= number
        sums.last = entry


def gather(entries: data.Directives, context: LedgerContext) -> LedgerFacts:
    """The facts of the ledger the rules read (one pass over every posting)."""
    facts = LedgerFacts(entries)
    pass_ = _Gathering(facts, context)
    transaction = data.Transaction
    for entry in entries:
        if type(entry) is transaction:
            pass_.transaction(entry)
        elif isinstance(entry, data.Open):
            facts.usages[entry.account].open = entry
            facts.opens.append(entry)
        elif isinstance(entry, data.Balance):
            pass_.date(entry.date)
            if entry.account not in pass_.seen:
                pass_.use(entry.account, entry)
        elif isinstance(entry, data.Custom):
            facts.customs.append(entry)
    pass_.merge()
    facts.last_day = entries[-1].date if entries else None
    return facts


def _contribution_kind(account: str) -> int:
    """1 for an emplois account (86), 2 for a ressources account (87), 0 otherwise."""
    code = parse_account(account).code
    if code is None or not is_contribution_code(code):
        return 0
    return 1 if code.startswith("86") else 2


# --- The rules --------------------------------------------------------------------------

Rule = Callable[[LedgerFacts, LedgerContext], list[CommunsError]]
"""A rule of the ledger: the facts and the context in, its errors out."""


def check_entries(entries: data.Directives, context: LedgerContext) -> list[CommunsError]:
    """All the plan-comptable rules on a list of entries, in the order of :data:`RULES`."""
    facts = gather(entries, context)
    context.chart_pass = ChartPass(
        frozenset(account for account, usage in facts.usages.items() if usage.first),
        tuple(facts.opens),
        tuple(facts.customs),
    )
    errors: list[CommunsError] = []
    for rule in RULES:
        errors.extend(rule(facts, context))
    return errors


def check_contributions_alone(facts: LedgerFacts, context: LedgerContext) -> list[CommunsError]:
    """Rule 5a: a transaction with 86/87 postings has no posting of another class.

    Before::

        2025-06-01 * "Bénévolat"
          Charges:86-Emplois-des-CVN:864-Personnel-benevole      300.00 EUR
          Produits:87-CVN:875-Benevolat                         -300.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant            -10.00 EUR
          Charges:62-Autres-services-exterieurs:6257-Receptions   10.00 EUR

    Error, at the transaction::

        main.beancount:1: Une écriture de contributions volontaires en nature (86/87) ne
            doit contenir que des comptes 86 et 87 ; comptes d'autres classes :
            Actif:51-Banques:512-Banques:Compte-courant,
            Charges:62-Autres-services-exterieurs:6257-Receptions
    """
    errors = []
    kinds = facts.kinds
    for entry in facts.contribution_entries:
        others = sorted({p.account for p in entry.postings if not kinds[p.account]})
        if others:
            errors.append(
                error_at(
                    entry,
                    "Une écriture de contributions volontaires en nature (86/87) ne doit "
                    f"contenir que des comptes 86 et 87 ; comptes d'autres classes : "
                    f"{', '.join(others)}",
                )
            )
    return errors


def check_accounts(facts: LedgerFacts, context: LedgerContext) -> list[CommunsError]:
    """Rules 1 to 4 on every opened account, in the order the ledger first uses them.

    An account is first judged as a whole (:data:`ACCOUNT_RULES`: the first rule
    that fails gives its only error), then its code under the chart of each
    exercice in which it appears (:data:`CODE_RULES`, the first that fails for
    that chart); the same problem in several exercices is reported once, at the
    ``open`` directive when it lies in one of them, naming the exercices when
    the problem is not in all of them.
    """
    errors = []
    for account, usage in facts.usages.items():
        if usage.open is None:
            continue  # Beancount itself reports accounts used without an open directive
        errors.extend(_check_account(account, usage, context, facts.last_day))
    return errors


def check_contributions_balanced(facts: LedgerFacts, context: LedgerContext) -> list[CommunsError]:
    """Rule 5b: over each exercice, the emplois (86) equal the ressources (87).

    Before::

        2025-06-01 * "Bénévolat"
          Charges:86-Emplois-des-CVN:864-Personnel-benevole  300.00 EUR
          Produits:87-CVN:875-Benevolat                     -300.00 EUR
        2025-07-01 * "Bénévolat valorisé contre la banque (erreur)"
          Charges:86-Emplois-des-CVN:864-Personnel-benevole   50.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant         -50.00 EUR

    Error, at the exercice's last transaction on 86/87 (after rule 5a's error there)::

        main.beancount:4: Exercice 2025 : le total des emplois des contributions
            volontaires en nature (86) vaut 350,00 € et celui des ressources (87)
            300,00 € ; ils doivent être égaux
    """
    errors = []
    for exercice in sorted(facts.contributions, key=lambda e: e.debut):
        sums = facts.contributions[exercice]
        if sums.emplois != sums.ressources:
            errors.append(
                error_at(
                    sums.last,
                    f"Exercice {exercice.code} : le total des emplois des contributions "
                    f"volontaires en nature (86) vaut {montant(sums.emplois)} et celui des "
                    f"ressources (87) {montant(sums.ressources)} ; ils doivent être égaux",
                )
            )
    return errors


PROJECT_KEY = "projet"


def check_projects(facts: LedgerFacts, context: LedgerContext) -> list[CommunsError]:
    """Rule 6: when the config declares projects, every ``projet:`` metadata names one.

    Before (``communs.yaml`` declares the projects JARDINS and ECOLE)::

        2025-02-02 * "Apport"
          projet: "JARDIN"
          Actif:51-Banques:512-Banques:Compte-courant  50.00 EUR
          Fonds-propres:10-Fonds-propres:102-Fonds-associatifs

    Error, at the metadata's transaction or posting::

        main.beancount:1: Projet « JARDIN » inconnu : les projets déclarés dans la
            configuration sont ECOLE, JARDINS
    """
    declared = context.config.projets
    if not declared:
        return []
    listed = ", ".join(sorted(declared))
    # the metadata were read in the one pass of :func:`gather`
    return [
        CommunsError(
            meta,
            f"Projet « {value} » inconnu : les projets déclarés dans la configuration sont "
            f"{listed}",
            entry,
        )
        for value, meta, entry in facts.unknown_projects
    ]


RULES: tuple[Rule, ...] = (
    check_contributions_alone,
    check_accounts,
    check_contributions_balanced,
    check_projects,
)
"""The rules of the plugin, in the order their errors are reported."""


# --- Rules 1 to 4, account by account -----------------------------------------------------

AccountRule = Callable[[ParsedAccount], str | None]
"""A rule on an account name as a whole: what is wrong with it (French), or None."""


def check_numbered(parsed: ParsedAccount) -> str | None:
    """Rule 1: the account has a numbered component.

    Before::

        2025-01-01 open Actif:Banque EUR

    Error::

        main.beancount:1: Compte Actif:Banque : aucun composant numéroté ; le plan
            comptable exige un numéro de compte (ex. Actif:51-Banques:512-Banque:Credit-Cooperatif)
    """
    if parsed.code is not None:
        return None
    return (
        "aucun composant numéroté ; le plan comptable exige un numéro de compte "
        "(ex. Actif:51-Banques:512-Banque:Credit-Cooperatif)"
    )


def check_extends_parent(parsed: ParsedAccount) -> str | None:
    """Rule 2: each coded component extends the code of the coded component above it.

    Before::

        2025-01-01 open Charges:60-Achats:6132-Loyer

    Error::

        main.beancount:1: Compte Charges:60-Achats:6132-Loyer : « 6132-Loyer » ne
            prolonge pas le numéro de son parent « 60-Achats » : un sous-compte de 60
            doit avoir un numéro plus long commençant par 60
    """
    parts = parsed.name.split(":")
    for parent, child in zip(parsed.coded, parsed.coded[1:], strict=False):
        if not child.code.startswith(parent.code) or child.code == parent.code:
            return (
                f"« {parts[child.index]} » ne prolonge pas le numéro de son parent "
                f"« {parts[parent.index]} » : un sous-compte de {parent.code} doit avoir un "
                f"numéro plus long commençant par {parent.code}"
            )
    return None


ACCOUNT_RULES: tuple[AccountRule, ...] = (check_numbered, check_extends_parent)


CodeRule = Callable[[CodeCheck, str | None, Chart, LedgerContext], tuple[str, str] | None]
"""A rule on an account's code under one version of the chart, given the role of the
account's root: ``(key, message)`` when it fails, None otherwise. The key names the
problem whatever the version, so that the same problem in two exercices is reported once."""


def check_code_known(
    check: CodeCheck, role: str | None, chart: Chart, context: LedgerContext
) -> tuple[str, str] | None:
    """Rule 1: the account's code is in the chart in force, or extends an account of it.

    Before::

        2025-01-01 open Actif:99-Divers

    Error::

        main.beancount:1: Compte Actif:99-Divers : le numéro 99 n'existe pas dans le plan
            comptable associatif
    """
    if check.state is not CodeState.UNKNOWN:
        return None
    return "inconnu", f"le numéro {check.code} n'existe pas dans le plan comptable associatif"


def check_not_heading(
    check: CodeCheck, role: str | None, chart: Chart, context: LedgerContext
) -> tuple[str, str] | None:
    """Rule 1: an account may not be a heading of the chart (not postable).

    Before::

        2025-01-01 open Charges:60-Achats

    Error::

        main.beancount:1: Compte Charges:60-Achats : 60 « Achats (sauf 603) » est un
            titre, non mouvementable : ouvrez un sous-compte ; choisissez par exemple :
            601 Achats stockés - Matières premières et fournitures, 602 Achats stockés -
            Autres approvisionnements, 603 …, 604 Achats d'études et prestations de
            services…
    """
    if check.state is not CodeState.HEADING:
        return None
    return "titre", (
        f"{_describe(check.code, chart)} est un titre, non mouvementable : ouvrez un "
        "sous-compte" + _suggest(check.code, chart)
    )


def check_extends_postable(
    check: CodeCheck, role: str | None, chart: Chart, context: LedgerContext
) -> tuple[str, str] | None:
    """Rule 1: a code out of the chart must extend a postable account, not a mere heading.

    Before::

        2025-01-01 open Charges:60-Achats:6000-Divers

    Error::

        main.beancount:1: Compte Charges:60-Achats:6000-Divers : 6000 n'est pas dans le
            plan comptable et prolonge seulement le titre 60 « Achats (sauf 603) », non
            mouvementable ; choisissez par exemple : 601 Achats stockés - Matières
            premières et fournitures, 602 …, 603 …, 604 …
    """
    if check.state is not CodeState.EXTENDS_HEADING:
        return None
    assert check.account is not None
    heading = check.account.code
    return f"prolonge-titre-{heading}", (
        f"{check.code} n'est pas dans le plan comptable et prolonge seulement le titre "
        f"{_describe(heading, chart)}, non mouvementable" + _suggest(heading, chart)
    )


def check_not_retired(
    check: CodeCheck, role: str | None, chart: Chart, context: LedgerContext
) -> tuple[str, str] | None:
    """Rule 4: an account retired in the version in force is refused, its replacement named.

    Before::

        2025-01-01 open Produits:77-Exceptionnels:7715-Equilibre

    Error::

        main.beancount:1: Compte Produits:77-Exceptionnels:7715-Equilibre : 7715
            « Subventions d'équilibre » est retiré du plan comptable pour les exercices
            ouverts à partir du 1er janvier 2025 : utilisez 742 « Subventions d'équilibre »
            (les subventions d'équilibre passent en produits d'exploitation)
    """
    if check.state is not CodeState.RETIRED:
        return None
    assert check.retirement is not None
    retired = check.retirement
    since = version_start(chart.version)
    text = f"{retired.code} « {retired.libelle} » est retiré du plan comptable"
    if since:
        text += f" pour les exercices ouverts à partir du {french_date(since)}"
    if retired.remplacement:
        text += f" : utilisez {_describe(retired.remplacement, chart)}"
    if retired.precision:
        text += f" ({retired.precision})"
    return f"retire-{retired.code}", text


def check_root_fits_nature(
    check: CodeCheck, role: str | None, chart: Chart, context: LedgerContext
) -> tuple[str, str] | None:
    """Rule 3: the root fits the nature of the account (a charge under ``Charges``…).

    Before::

        2025-01-01 open Produits:60-Achats:6064-Fournitures

    Error::

        main.beancount:1: Compte Produits:60-Achats:6064-Fournitures : 6064 « Fournitures
            administratives » relève de la nature « Charge » : il doit être sous Charges,
            pas sous Produits
    """
    nature_key = check.nature
    if nature_key is None or role is None:
        return None
    nature = natures()[nature_key]
    if role in nature.roles:
        return None
    allowed = " ou ".join(context.roots.get(r, _ROLE_LABELS[r]) for r in nature.roles)
    root = context.roots.get(role, role)
    described = _describe(check.account.code, chart) if check.account else check.code
    return f"racine-{nature_key}", (
        f"{described} relève de la nature « {nature.libelle} » : "
        f"il doit être sous {allowed}, pas sous {root}"
    )


CODE_RULES: tuple[CodeRule, ...] = (
    check_code_known,
    check_not_heading,
    check_extends_postable,
    check_not_retired,
    check_root_fits_nature,
)


def _check_account(
    account: str, usage: _Usage, context: LedgerContext, last_day: datetime.date | None
) -> list[CommunsError]:
    """The errors of one opened account: :data:`ACCOUNT_RULES`, then :data:`CODE_RULES`."""
    assert usage.open is not None
    parsed = parse_account(account)
    prefix = f"Compte {account} : "
    for account_rule in ACCOUNT_RULES:
        message = account_rule(parsed)
        if message is not None:
            return [error_at(usage.open, prefix + message)]
    assert parsed.code is not None
    role = context.role_of_root.get(parsed.root)
    present = _exercices_present(usage, context, role in _BALANCE_SHEET_ROLES, last_day)
    problems = _code_problems(parsed.code, role, present, usage, context)
    errors = []
    for message, places in problems.values():
        where = places[0][1]
        if len(places) < len(present):
            codes = ", ".join(e.code for e, _ in places)
            versions = ", ".join(sorted({e.version for e, _ in places}))
            scope = "l'exercice" if len(places) == 1 else "les exercices"
            text = f"{prefix}dans {scope} {codes} (plan {versions}) : {message}"
        else:
            text = prefix + message
        errors.append(error_at(where, text))
    return errors


def _code_problems(
    code: str,
    role: str | None,
    present: list[Exercice],
    usage: _Usage,
    context: LedgerContext,
) -> dict[str, tuple[str, list[tuple[Exercice, Any]]]]:
    """The first failing code rule under the chart of each exercice, by problem key:
    (message, [(exercice, where to report)])."""
    assert usage.open is not None
    problems: dict[str, tuple[str, list[tuple[Exercice, Any]]]] = {}
    for exercice in present:
        found = _code_problem(code, role, context.chart_for(exercice), context)
        if found:
            key, message = found
            where = usage.first.get(exercice, usage.open)
            if exercice.debut <= usage.open.date <= exercice.fin:
                where = usage.open
            problems.setdefault(key, (message, []))[1].append((exercice, where))
    return problems


def _code_problem(
    code: str, role: str | None, chart: Chart, context: LedgerContext
) -> tuple[str, str] | None:
    """The first of :data:`CODE_RULES` that fails for ``code`` under ``chart``."""
    check = chart.check(code)
    for rule in CODE_RULES:
        found = rule(check, role, chart, context)
        if found is not None:
            return found
    return None


def _exercices_present(
    usage: _Usage, context: LedgerContext, balance_sheet: bool, last_day: datetime.date | None
) -> list[Exercice]:
    """Exercices in which the account appears: opened, used, or carrying a balance."""
    assert usage.open is not None
    present = {context.exercice_of(usage.open.date)} | set(usage.first)
    if balance_sheet and usage.change and last_day is not None:
        first = min(present, key=lambda e: e.debut)
        running = Decimal(0)
        # Up to the ledger's last day, not the account's last posting: a balance is
        # carried through every later exercice, including those without postings.
        for exercice in context.calendrier.between(first.debut, last_day):
            running += usage.change.get(exercice, Decimal(0))
            following = exercice.fin_exclusive
            if running != 0 and following <= last_day:
                present.add(context.calendrier.containing(following))
    return sorted(present, key=lambda e: e.debut)


def _describe(code: str, chart: Chart) -> str:
    account = chart.get(code)
    return f"{code} « {account.libelle} »" if account else code


def _suggest(code: str, chart: Chart) -> str:
    found = chart.postable_suggestions(code)
    if not found:
        return ""
    listed = ", ".join(f"{a.code} {a.libelle}" for a in found[:4])
    more = "…" if len(found) > 4 else ""
    return f" ; choisissez par exemple : {listed}{more}"
