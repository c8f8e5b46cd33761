"""What the Fava pages know of the ledger Fava has loaded: the report source built from
Fava's own entries (no second load), the errors and warnings in French, the budget
files and the forecast inputs.

Fava reloads the ledger when a file changes; the state is rebuilt on the first
page asked after a reload (it is keyed on the identity of Fava's entry list) and
shared by every page of the extension. Budgets and forecast inputs are read only
when a page needs them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analytique.cles import cles_du_grand_livre
from ..budget.fichier import load_budgets
from ..chargement import Diagnostic, run_missing_checks, to_diagnostic, warnings_and_errors
from ..erreurs import is_warning
from ..messages_beancount import regrouper_guillemets
from ..previsions.entrees import charger_entrees
from ..previsions.modele import BASE
from ..previsions.plan import plan_de_tresorerie
from ..rapports.source import RapportImpossible, Source

_VERROU = threading.Lock()
_VERROU_PLANS = threading.Lock()
_ETATS: OrderedDict[int, tuple[Any, Etat]] = OrderedDict()
_ETATS_MAX = 8  # ledgers served at once (Fava serves several files; tests create many)


@dataclass
class Etat:
    """The ledger as the pages see it, for one load of Fava."""

    entries: list[Any]
    source: Source | None
    erreurs: list[Diagnostic] = field(default_factory=list)
    avertissements: list[Diagnostic] = field(default_factory=list)
    probleme: str | None = None
    """Why no report can be made at all (config unreadable…), in French."""
    _budgets: Any = None
    _entrees: Any = None
    _cles: Any = None
    _plans: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def plan_de_tresorerie(
        self, *, depuis: Any = None, mois: int = 12, scenarios: Sequence[Any] | None = None
    ) -> Any:  # Rapport
        """:func:`~communs_ledger.previsions.plan.plan_de_tresorerie` of this load, computed
        once per set of arguments: the Trésorerie page and the dashboard ask for it on every
        request, the ledger only changes on a reload (a new state). The report is shared:
        pages read it, never change it."""
        assert self.source is not None
        chosen = tuple(scenarios) if scenarios is not None else (BASE,)
        key = (depuis, mois, tuple(id(scenario) for scenario in chosen))
        with _VERROU_PLANS:
            found = self._plans.get(key)
        if found is None:
            found = plan_de_tresorerie(
                self.source, self.entrees, depuis=depuis, mois=mois, scenarios=chosen
            )
            with _VERROU_PLANS:
                found = self._plans.setdefault(key, found)
        return found

    @property
    def budgets(self) -> Any:  # Budgets
        if self._budgets is None and self.source is not None:
            self._budgets = load_budgets(self.source.context)
        return self._budgets

    @property
    def entrees(self) -> Any:  # Entrees
        if self._entrees is None and self.source is not None:
            self._entrees = charger_entrees(self.source.context)
        return self._entrees

    def cles_pour(self, projet: str | None) -> Any:  # Cles | None
        """The clés de répartition for a project's figures (None without project), as the
        CLI uses them by default; RapportImpossible if their file has errors."""
        if projet is None or self.source is None:
            return None
        if self._cles is None:
            self._cles = cles_du_grand_livre(self.source.context)
        cles, erreurs = self._cles
        if erreurs:
            listed = " ; ".join(str(e) for e in erreurs[:5])
            raise RapportImpossible(
                f"les clés de répartition contiennent {len(erreurs)} erreur(s) : {listed}"
            )
        return cles


def _diagnostics(errors: list[Any]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    errors = regrouper_guillemets(errors)
    erreurs = sorted({to_diagnostic(e) for e in errors if not is_warning(e)})
    avertissements = sorted({to_diagnostic(e) for e in errors if is_warning(e)})
    return erreurs, avertissements


def construire(entries: list[Any], options: dict[str, Any], errors: list[Any]) -> Etat:
    """The state of a loaded ledger: Fava's errors plus the communs checks the ledger
    does not declare (as ``communs verifier`` runs them), and the report source."""
    errors = warnings_and_errors(entries, list(errors))
    try:
        errors.extend(run_missing_checks(entries, options))
        source = Source.from_entries(entries, options)
    except Exception as exc:  # a broken config must not break Fava: say it in French
        erreurs, avertissements = _diagnostics(errors)
        return Etat(entries, None, erreurs, avertissements, f"{exc}")
    erreurs, avertissements = _diagnostics(errors)
    return Etat(entries, source, erreurs, avertissements)


def etat_de(ledger: Any) -> Etat:
    """The state of Fava's ledger ``ledger`` (a ``FavaLedger``), rebuilt after a reload."""
    with _VERROU:
        known = _ETATS.get(id(ledger))
        if known is not None and known[0] is ledger and known[1].entries is ledger.all_entries:
            _ETATS.move_to_end(id(ledger))
            return known[1]
        found = construire(ledger.all_entries, ledger.options, list(ledger.errors))
        _ETATS[id(ledger)] = (ledger, found)
        while len(_ETATS) > _ETATS_MAX:
            _ETATS.popitem(last=False)
        return found
