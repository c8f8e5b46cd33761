"""Forecast input « paie ». STUB: being written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..sources import SourceError


def charger_paie(path: Path, context: Any) -> tuple[Any, list[SourceError]]:
    return None, []
