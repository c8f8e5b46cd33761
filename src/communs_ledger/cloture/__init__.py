"""Closing an exercice: pre-closing checks, closing entries, lock, affectation du résultat."""
