"""Forecast input « budget_restant ». STUB: being written."""

from __future__ import annotations

from typing import Any

from .modele import Periode, Previsions, Scenario


class BudgetRestant:
    def __init__(self, *args: Any) -> None:
        self.args = args

    def generer(self, periode: Periode, scenario: Scenario, contexte: Any) -> Previsions:
        return Previsions()

    def codes_couverts(self) -> set[str]:
        return set()
