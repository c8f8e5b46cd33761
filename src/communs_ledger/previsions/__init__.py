"""Forecasts: payroll, conventions' payment schedules, recurring flows, scenarios,
the plan de trésorerie and the projected results."""
