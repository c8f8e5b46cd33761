"""What every check and report needs to know about a ledger besides its entries:
its config, its exercices, the names of its roots, the chart in force at a date.
"""

from __future__ import annotations

import datetime
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


@dataclass
class LedgerContext:
    ledger: Path
    config: Config
    roots: dict[str, str]  # role -> root name used by this ledger
    calendrier: Calendrier = field(init=False)
    _exercice_by_date: dict[datetime.date, Exercice] = field(default_factory=dict, repr=False)
    _last: Exercice | None = field(default=None, repr=False)
    comptes_utilises: frozenset[str] | None = field(default=None, repr=False)
    """The accounts some transaction or balance of the load uses, as the plan comptable
    plugin's pass over the postings found them (None: it did not run in this load), so that
    a plugin running after it on the same transactions need not walk them again."""

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
