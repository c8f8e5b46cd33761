"""What every check and report needs to know about a ledger besides its entries:
its config, its exercices, the names of its roots, the chart in force at a date.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .exercices import Calendrier, Exercice
from .plan import Chart, load_chart, root_roles


def declared_config(options_map: dict[str, Any]) -> str | None:
    """The config file named on a ``plugin "communs_plugins…" "FILE"`` line, if any."""
    argument: str | None
    for name, argument in options_map.get("plugin") or ():
        if name.startswith("communs_plugins.") and argument and argument.strip():
            return argument.strip()
    return None


CHART_PLUGIN = "communs_plugins.plan_comptable"


@dataclass(frozen=True, slots=True)
class ChartPass:
    """What the plan comptable plugin's one pass over a load's entries found besides its
    own facts, so that the plugins after it need not walk every entry again."""

    used: frozenset[str]
    """The accounts some transaction or balance uses."""
    opens: tuple[Any, ...]
    """The ``open`` directives, in ledger order."""
    customs: tuple[Any, ...]
    """The ``custom`` directives, in ledger order."""


@dataclass
class LedgerContext:
    ledger: Path
    config: Config
    roots: dict[str, str]  # role -> root name used by this ledger
    calendrier: Calendrier = field(init=False)
    _exercice_by_date: dict[datetime.date, Exercice] = field(default_factory=dict, repr=False)
    _last: Exercice | None = field(default=None, repr=False)
    chart_pass: ChartPass | None = field(default=None, repr=False)
    """What the plan comptable plugin's pass over the entries of this load found, for the
    plugins after it (:meth:`chart_pass_for`); None: it did not run in this load."""

    def __post_init__(self) -> None:
        self.calendrier = Calendrier(self.config.data.exercice)

    @classmethod
    def from_options(
        cls, options_map: dict[str, Any], config_name: str | None = None
    ) -> LedgerContext:
        ledger = Path(options_map.get("filename") or "main.beancount")
        if config_name is None:
            config_name = declared_config(options_map)
        roots = {
            role: options_map.get(spec["option"], spec["nom"])
            for role, spec in root_roles().items()
        }
        return cls(ledger, load_config(ledger, config_name), roots)

    @classmethod
    def of_load(cls, options_map: dict[str, Any], config_name: str | None = None) -> LedgerContext:
        """:meth:`from_options` for a plugin: Beancount hands the same options dictionary
        to every plugin of one load, so the context (the config read and checked) is built
        once per load for all the communs plugins, not once by each. A new load has a new
        dictionary, hence a new context."""
        global _context_of_load
        last = _context_of_load
        if last is not None and last[0] is options_map and last[1] == config_name:
            return last[2]
        context = cls.from_options(options_map, config_name)
        _context_of_load = (options_map, config_name, context)  # held: its id stays unique
        return context

    def chart_pass_for(
        self, options_map: dict[str, Any], plugin: str, between: Collection[str] = ()
    ) -> ChartPass | None:
        """:attr:`chart_pass` for ``plugin`` when it runs in this load after the plan
        comptable plugin with only the plugins named in ``between`` (which add none of the
        entries the pass records) in between: the pass then describes its entries. None
        otherwise (not declared, as when ``communs verifier`` runs it after the load)."""
        names = [name for name, _config in options_map.get("plugin") or ()]
        if self.chart_pass is None or plugin not in names:
            return None
        before = names[: names.index(plugin)]
        if CHART_PLUGIN not in before:
            return None
        after_chart = before[len(before) - before[::-1].index(CHART_PLUGIN) :]
        return self.chart_pass if all(name in between for name in after_chart) else None

    @property
    def role_of_root(self) -> dict[str, str]:
        return {name: role for role, name in self.roots.items()}

    def exercice_of(self, day: datetime.date) -> Exercice:
        last = self._last
        if last is not None and last.debut <= day <= last.fin:
            return last  # entries come in date order: most calls hit the same exercice
        found = self._exercice_by_date.get(day)
        if found is None:
            found = self._exercice_by_date[day] = self.calendrier.containing(day)
        self._last = found
        return found

    def chart_for(self, exercice: Exercice) -> Chart:
        return load_chart(exercice.version)


_context_of_load: tuple[dict[str, Any], str | None, LedgerContext] | None = None
"""The options of the last load a plugin asked a context for, its config name, the context
(:meth:`LedgerContext.of_load`)."""
