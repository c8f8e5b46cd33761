"""Budgets prévisionnels: check the budget files, feed Fava, warn on budget vs réalisé.

Usage, in the ledger, after the plan comptable plugin::

    plugin "communs_plugins.plan_comptable"
    plugin "communs_plugins.budget"

The budget files are those the config declares (``budget.fichiers`` in
``communs.yaml``, see :mod:`communs_ledger.budget.fichier`). With none, the
plugin returns at once. Otherwise it:

1. reports the problems of the budget files as errors, in French, at their
   ``file:line`` (YAML, unknown or retired code, unknown project, profile that
   does not add up, duplicate line or version…), and makes Beancount's pickle
   cache (and Fava's watcher) depend on the config and budget files;
2. adds Fava's own ``custom "budget"`` entries for the version in force of each
   budget (the latest by date), so that Fava's budget columns and bars work: see
   :mod:`communs_ledger.budget.fava` for the account each line goes to, the
   periods and the sign (produits budgets are negative, like produits balances).
   They are ``Custom`` directives, not transactions: no report counts them;
3. evaluates the budget rules (:mod:`communs_ledger.budget.regles`) for the
   *current* exercice, the one containing the last transaction of the ledger
   (forecasts, tagged ``#prevision``, excepted), at the date of that
   transaction, and adds each finding as a *warning* entry,
   ``custom "communs-avertissement" "message"`` dated that day, whose metadata
   name the budget line, or the rule in the config for a project
   (:func:`~communs_ledger.erreurs.directive_avertissement`). A warning is not an error:
   ``bean-check`` exits 0 and Fava counts no error; ``communs verifier`` and the
   Fava dashboard list them apart (:func:`~communs_ledger.erreurs.avertissements_de`).

When ``communs verifier`` runs the plugin for a ledger that does not declare it,
only the errors and the warning entries are used: the Fava entries are not built.

Before (``communs.yaml`` and ``budgets/2026.yaml``)::

    budget:
      fichiers: {"2026": budgets/2026.yaml}

    versions:
      - code: vote
        nom: BP voté en AG
        date: 2026-03-14
        lignes:
          - compte: "6226"           # line 6
            montant: 6000
          - compte: "741"
            montant: 24000

After, with honoraires of 3 450,00 € by 30 April 2026 and no subvention yet
(entries added, no error)::

    2026-01-01 custom "budget" Charges:62-Autres-services-exterieurs:6226-Honoraires
        "monthly" 500.00 EUR
    2026-01-01 custom "budget" Produits:74-Subventions:741-Subventions-d-exploitation
        "monthly" -2000.00 EUR
    … one per month, then 0 on 2027-01-01
    2026-04-30 custom "communs-avertissement" "Budget 2026, ligne 6226 Honoraires :
        réalisé 3 450,00 € pour un budget à date de 2 000,00 € (+72,5 %, seuil 10 %)"
      ; filename: budgets/2026.yaml, lineno: 6, regle: "depassement"
    2026-04-30 custom "communs-avertissement" "Budget 2026, ligne 741 Subventions
        d'exploitation : réalisé 0,00 € pour un budget à date de 8 000,00 € (0,0 % du
        budget à date, seuil 50 %)"
      ; filename: budgets/2026.yaml, lineno: 8, regle: "produits_en_retard"
"""

from __future__ import annotations

import bisect
import operator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.core import data

from communs_ledger.contexte import LedgerContext
from communs_ledger.erreurs import CommunsError, directive_avertissement
from communs_ledger.gc_pause import gc_paused
from communs_ledger.mouvements import FORECAST_TAG, collect
from communs_ledger.sources import Location, SourceError
from communs_plugins.plan_comptable import watch_files

if TYPE_CHECKING:
    from communs_ledger.budget.fichier import Budgets
    from communs_ledger.budget.regles import Constat

# The budget modules are imported by the functions that use them, once the config is
# known to declare budget files: a ledger without budgets does not pay their import.

__plugins__ = ("budget",)

PLUGIN_NAME = "communs_plugins.budget"


def budget(
    entries: data.Directives, options_map: dict[str, Any], config: str | None = None
) -> tuple[data.Directives, list[Any]]:
    """Beancount plugin entry point: entries plus warnings and Fava budgets; errors."""
    with gc_paused():  # Beancount's objects hold no cycles: no rescans meanwhile
        try:
            context = LedgerContext.of_load(options_map, config.strip() if config else None)
            watch_files(options_map, context.config.watched_files)
            if not context.config.data.budget.fichiers:
                return entries, []
            from communs_ledger.budget.fichier import load_budgets

            budgets = load_budgets(context)
            watch_files(options_map, [str(path) for path in budgets.fichiers])
            found: list[Any] = [_error(error) for error in budgets.erreurs]
            added: list[Any] = avertissements(entries, context, budgets, options_map)
            if _declared(options_map):
                added.extend(fava_entries(entries, context, budgets, options_map))
            if added:
                entries = insert_sorted(entries, added)
        except Exception as exc:  # a plugin must never crash the load with a traceback
            meta = data.new_metadata(options_map.get("filename") or "<communs>", 0)
            return entries, [
                CommunsError(meta, f"Erreur interne du greffon budget : {exc!r}", None)
            ]
        return entries, found


def insert_sorted(entries: data.Directives, added: list[Any]) -> data.Directives:
    """``sorted(entries + added, key=data.entry_sortkey)`` for sorted ``entries`` (Beancount
    hands plugins sorted entries: it sorts them after parsing and after every plugin), in
    a few bisections instead of a sort of the whole ledger: each added entry goes after the
    entries of equal key, the added ones keep their order among equals (a stable sort)."""
    merged: list[Any] = []
    start = 0
    sortkey = data.entry_sortkey
    day = operator.attrgetter("date")  # the first item of the sort key, read in C
    for entry in sorted(added, key=sortkey):
        # the entries of the same day (few), then the place among them by the whole key
        low = bisect.bisect_left(entries, entry.date, lo=start, key=day)
        high = bisect.bisect_right(entries, entry.date, lo=low, key=day)
        end = bisect.bisect_right(entries, sortkey(entry), lo=low, hi=high, key=sortkey)
        merged.extend(entries[start:end])
        merged.append(entry)
        start = end
    merged.extend(entries[start:])
    return merged


def _declared(options_map: dict[str, Any]) -> bool:
    return any(name == PLUGIN_NAME for name, _config in options_map.get("plugin") or ())


def fava_entries(
    entries: data.Directives,
    context: LedgerContext,
    budgets: Budgets,
    options_map: dict[str, Any],
) -> list[data.Custom]:
    """Fava's ``custom "budget"`` directives for the budgets' versions in force."""
    from communs_ledger.budget.fava import directives, entrees_budget

    shared = context.chart_pass_for(options_map, PLUGIN_NAME)  # the opens, already found
    open_ = data.Open
    opens = shared.opens if shared is not None else entries
    accounts = [entry.account for entry in opens if type(entry) is open_]
    devise = (options_map.get("operating_currency") or ["EUR"])[0]
    return directives(entrees_budget(budgets, accounts, context.roots), devise)


def _last_transaction(entries: data.Directives) -> data.Transaction | None:
    for entry in reversed(entries):
        if isinstance(entry, data.Transaction) and not (entry.tags and FORECAST_TAG in entry.tags):
            return entry
    return None


def constats(
    entries: data.Directives,
    context: LedgerContext,
    budgets: Budgets,
    options_map: dict[str, Any],
) -> list[Constat]:
    """The budget rules' findings for the current exercice (see the module docstring)."""
    from communs_ledger.budget.realise import budgetable, rattacher
    from communs_ledger.budget.regles import charges_par_projet, evaluer

    last = _last_transaction(entries)
    if last is None:
        return []
    day = last.date
    exercice = context.exercice_of(day)
    budget_exercice = budgets.pour(exercice)
    version = budget_exercice.version() if budget_exercice is not None else None
    if version is None:
        return []
    low = bisect.bisect_left(entries, exercice.debut, key=lambda entry: entry.date)
    high = bisect.bisect_right(entries, day, key=lambda entry: entry.date)
    devise = (options_map.get("operating_currency") or ["EUR"])[0]
    # the rules read only the budgeted classes (6, 7, 86, 87): no movement for the others
    mouvements = collect(entries[low:high], devise, codes=budgetable).liste
    rattachement = rattacher(mouvements, version.lignes)
    return evaluer(
        version,
        rattachement,
        exercice,
        day,
        context.config.data.budget.regles,
        charges_projets=charges_par_projet(mouvements),
        noms_projets={code: projet.nom for code, projet in context.config.projets.items()},
        lieux=_rule_locations(context),
    )


def avertissements(
    entries: data.Directives,
    context: LedgerContext,
    budgets: Budgets,
    options_map: dict[str, Any],
) -> list[data.Custom]:
    """The findings of :func:`constats` as warning entries dated on the day evaluated."""
    last = _last_transaction(entries)
    if last is None:
        return []
    return [
        directive_avertissement(
            _absolute(constat.location.filename),
            constat.location.line,
            last.date,
            constat.message,
            regle=constat.regle,
        )
        for constat in constats(entries, context, budgets, options_map)
    ]


def _rule_locations(context: LedgerContext) -> dict[str, Location]:
    """Where each rule is written in the config (or the nearest section that is)."""
    from communs_ledger.budget.regles import REGLES
    from communs_ledger.yaml_lignes import load_yaml

    path = context.config.path
    if path is None:
        return {}
    try:
        document = load_yaml(path)
    except SourceError:
        return {"": Location(str(path))}
    found = {rule: document.location(("budget", "regles", rule)) for rule in REGLES}
    found[""] = document.location(("budget",))
    return found


def _absolute(filename: str) -> str:
    """Beancount's errors and entries name files absolutely (cache replayed from anywhere)."""
    path = Path(filename)
    return str(path.resolve()) if not path.is_absolute() and path.exists() else filename


def _meta(location: Location) -> dict[str, Any]:
    return data.new_metadata(_absolute(location.filename), location.line)


def _error(error: SourceError) -> CommunsError:
    return CommunsError(_meta(error.location), error.message, None)
