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

Rules (the version of the chart follows each exercice's opening date):

1. the account's code is in the chart in force, or extends a postable account
   of it (not a mere heading); an account may not be a heading itself;
2. each coded component extends the code of the coded component above it;
3. the root fits the account's nature (a charge under ``Charges``…);
4. an account retired in the version in force is refused, its replacement named;
5. a transaction with 86/87 postings has no posting of another class, and
   Σ86 = Σ87 over each exercice;
6. when the config declares projects, every ``projet:`` metadata names one of them.

An account used in several exercices is checked against each version in
force during its life: one opened in 2024 and still used in 2025 must be valid
in both charts. The config file (and every YAML file the communs plugins read)
is added to ``options_map["include"]`` so that Beancount's pickle cache is
invalidated when it changes; the cache is moreover validated on the content of
every file and on the ledger's path (a copied folder), see
:mod:`communs_ledger.cache`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from beancount.core import data

from communs_ledger.cache import guard as guard_cache
from communs_ledger.codes import is_contribution_code, parse_account
from communs_ledger.contexte import LedgerContext
from communs_ledger.erreurs import CommunsError, error_at, from_source_error
from communs_ledger.exercices import Exercice, french_date
from communs_ledger.formatage import montant
from communs_ledger.gc_pause import gc_paused
from communs_ledger.plan import Chart, CodeState, natures, version_start

__plugins__ = ("plan_comptable",)

_ROLE_LABELS = {
    "actif": "Actif",
    "passif": "Passif",
    "fonds_propres": "Fonds-propres",
    "produits": "Produits",
    "charges": "Charges",
}
_BALANCE_SHEET_ROLES = ("actif", "passif", "fonds_propres")


def plan_comptable(
    entries: data.Directives, options_map: dict[str, Any], config: str | None = None
) -> tuple[data.Directives, list[CommunsError]]:
    """Beancount plugin entry point: return the entries unchanged and the errors."""
    with gc_paused():  # Beancount's objects hold no cycles: no rescans meanwhile
        try:
            context = LedgerContext.from_options(options_map, config.strip() if config else None)
            watch_files(options_map, context.config.watched_files)
            errors = [from_source_error(error) for error in context.config.errors]
            errors.extend(check_entries(entries, context))
            errors.extend(check_projects(entries, context))
        except Exception as exc:  # a plugin must never crash the load with a traceback
            meta = data.new_metadata(options_map.get("filename") or "<communs>", 0)
            errors = [
                CommunsError(meta, f"Erreur interne du greffon plan_comptable : {exc!r}", None)
            ]
        return entries, errors


PROJECT_KEY = "projet"


def check_projects(entries: data.Directives, context: LedgerContext) -> list[CommunsError]:
    """``projet:`` metadata must name a project of the config, when it declares some."""
    declared = context.config.projets
    if not declared:
        return []
    listed = ", ".join(sorted(declared))
    errors = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        places = [(entry, entry.meta)] + [(posting, posting.meta) for posting in entry.postings]
        for where, meta in places:
            value = meta.get(PROJECT_KEY) if meta else None
            if value is not None and str(value) not in declared:
                errors.append(
                    CommunsError(
                        getattr(where, "meta", None) or entry.meta,
                        f"Projet « {value} » inconnu : les projets déclarés dans la "
                        f"configuration sont {listed}",
                        entry,
                    )
                )
    return errors


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


@dataclass
class _Usage:
    """How an account is used: where opened, first entry and net change per exercice."""

    open: data.Open | None = None
    first: dict[Exercice, Any] = field(default_factory=dict)
    change: dict[Exercice, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def check_entries(entries: data.Directives, context: LedgerContext) -> list[CommunsError]:
    """All the plan-comptable checks on a list of entries."""
    usages: dict[str, _Usage] = defaultdict(_Usage)
    errors: list[CommunsError] = []
    contributions: dict[Exercice, list[Any]] = defaultdict(lambda: [Decimal(0), Decimal(0), None])
    # Hot loop (one pass over every posting): the per-exercice facts are gathered in
    # plain dicts keyed by account for the run of entries of the current exercice,
    # then merged into ``usages`` when the exercice changes (Exercice keys hash slowly).
    kinds: dict[str, int] = {}  # account -> 0 ordinary, 1 emplois (86), 2 ressources (87)
    segment: Exercice | None = None
    day = None
    seen: dict[str, Any] = {}  # account -> first entry of the segment using it
    change: dict[str, Decimal] = {}  # account -> net change over the segment

    def merge() -> None:
        if segment is None:
            return
        for account, entry in seen.items():
            usages[account].first.setdefault(segment, entry)
        for account, amount in change.items():
            usages[account].change[segment] += amount
        seen.clear()
        change.clear()

    for entry in entries:
        if isinstance(entry, data.Transaction):
            if entry.date != day:
                day = entry.date
                exercice = context.exercice_of(day)
                if exercice != segment:
                    merge()
                    segment = exercice
            has_contribution = False
            for posting in entry.postings:
                account = posting.account
                if account not in seen:
                    seen[account] = entry
                    if account not in usages:  # keep the order accounts are first met
                        usages[account] = _Usage()
                units = posting.units
                number = units.number if units is not None else None
                if number is not None:
                    change[account] = change.get(account, _ZERO) + number
                kind = kinds.get(account)
                if kind is None:
                    kind = kinds[account] = _contribution_kind(account)
                if kind:
                    has_contribution = True
                    sums = contributions[segment]
                    if number is not None:
                        if kind == 1:
                            sums[0] += number
                        else:
                            sums[1] -= number
                    sums[2] = entry
            if has_contribution:
                others = [p.account for p in entry.postings if not kinds[p.account]]
                if others:
                    errors.append(error_at(entry, _mixing_message(others)))
        elif isinstance(entry, data.Open):
            usages[entry.account].open = entry
        elif isinstance(entry, data.Balance):
            if entry.date != day:
                day = entry.date
                exercice = context.exercice_of(day)
                if exercice != segment:
                    merge()
                    segment = exercice
            if entry.account not in seen:
                seen[entry.account] = entry
                if entry.account not in usages:
                    usages[entry.account] = _Usage()
    merge()

    last_day = entries[-1].date if entries else None
    for account, usage in usages.items():
        if usage.open is None:
            continue  # Beancount itself reports accounts used without an open directive
        errors.extend(_check_account(account, usage, context, last_day))

    for exercice in sorted(contributions, key=lambda e: e.debut):
        emplois, ressources, last = contributions[exercice]
        if emplois != ressources:
            errors.append(
                error_at(
                    last,
                    f"Exercice {exercice.code} : le total des emplois des contributions "
                    f"volontaires en nature (86) vaut {montant(emplois)} et celui des "
                    f"ressources (87) {montant(ressources)} ; ils doivent être égaux",
                )
            )
    return errors


_ZERO = Decimal(0)


def _contribution_kind(account: str) -> int:
    """1 for an emplois account (86), 2 for a ressources account (87), 0 otherwise."""
    code = parse_account(account).code
    if not is_contribution_code(code):
        return 0
    return 1 if code.startswith("86") else 2  # type: ignore[union-attr]


def _mixing_message(others: list[str]) -> str:
    listed = ", ".join(sorted(set(others)))
    return (
        "Une écriture de contributions volontaires en nature (86/87) ne doit contenir que "
        f"des comptes 86 et 87 ; comptes d'autres classes : {listed}"
    )


def _exercices_present(
    usage: _Usage, context: LedgerContext, balance_sheet: bool, last_day: Any
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


def _check_account(
    account: str, usage: _Usage, context: LedgerContext, last_day: Any
) -> list[CommunsError]:
    assert usage.open is not None
    parsed = parse_account(account)
    prefix = f"Compte {account} : "
    if parsed.code is None:
        return [
            error_at(
                usage.open,
                prefix + "aucun composant numéroté ; le plan comptable exige un numéro de "
                "compte (ex. Actif:51-Banques:512-Banque:Credit-Cooperatif)",
            )
        ]
    structure = _structure_problem(parsed)
    if structure:
        return [error_at(usage.open, prefix + structure)]

    role = context.role_of_root.get(parsed.root)
    balance_sheet = role in _BALANCE_SHEET_ROLES
    problems: dict[str, tuple[str, list[tuple[Exercice, Any]]]] = {}
    present = _exercices_present(usage, context, balance_sheet, last_day)
    for exercice in present:
        found = _code_problem(parsed.code, role, context.chart_for(exercice), context)
        if found:
            key, message = found
            where = usage.first.get(exercice, usage.open)
            if exercice.debut <= usage.open.date <= exercice.fin:
                where = usage.open
            problems.setdefault(key, (message, []))[1].append((exercice, where))

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


def _structure_problem(parsed: Any) -> str | None:
    """A coded component that does not extend the coded component above it."""
    parts = parsed.name.split(":")
    for parent, child in zip(parsed.coded, parsed.coded[1:], strict=False):
        if not child.code.startswith(parent.code) or child.code == parent.code:
            return (
                f"« {parts[child.index]} » ne prolonge pas le numéro de son parent "
                f"« {parts[parent.index]} » : un sous-compte de {parent.code} doit avoir un "
                f"numéro plus long commençant par {parent.code}"
            )
    return None


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


def _code_problem(
    code: str, role: str | None, chart: Chart, context: LedgerContext
) -> tuple[str, str] | None:
    """What is wrong with ``code`` under this chart and root role: (key, message) or None.

    The key identifies the problem independently of the version, so that the
    same problem in two exercices is reported once.
    """
    check = chart.check(code)
    if check.state is CodeState.UNKNOWN:
        return "inconnu", f"le numéro {code} n'existe pas dans le plan comptable associatif"
    if check.state is CodeState.HEADING:
        return "titre", (
            f"{_describe(code, chart)} est un titre, non mouvementable : ouvrez un sous-compte"
            + _suggest(code, chart)
        )
    if check.state is CodeState.EXTENDS_HEADING:
        assert check.account is not None
        return f"prolonge-titre-{check.account.code}", (
            f"{code} n'est pas dans le plan comptable et prolonge seulement le titre "
            f"{_describe(check.account.code, chart)}, non mouvementable"
            + _suggest(check.account.code, chart)
        )
    if check.state is CodeState.RETIRED:
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
    nature_key = check.nature
    if nature_key is None or role is None:
        return None
    nature = natures()[nature_key]
    if role not in nature.roles:
        allowed = " ou ".join(context.roots.get(r, _ROLE_LABELS[r]) for r in nature.roles)
        root = context.roots.get(role, role)
        described = _describe(check.account.code, chart) if check.account else code
        return f"racine-{nature_key}", (
            f"{described} relève de la nature « {nature.libelle} » : "
            f"il doit être sous {allowed}, pas sous {root}"
        )
    return None
