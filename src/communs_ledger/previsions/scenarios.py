"""Scenarios file. STUB: being written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..sources import SourceError
from .modele import Scenario


def charger_scenarios(
    path: Path, context: Any, paie: Any, conventions: Any, flux: Any
) -> tuple[dict[str, Scenario], list[SourceError]]:
    return {}, []
