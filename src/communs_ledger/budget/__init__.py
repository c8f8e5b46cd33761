"""Budgets prévisionnels: files, monthly profiles, budget vs réalisé."""
