"""Fonds dédiés (règlement ANC 2018-06, art. 132-1 to 132-4): computation, entries, report."""
