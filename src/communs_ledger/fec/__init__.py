"""The Fichier des Écritures Comptables (FEC, article A47 A-1 du livre des procédures
fiscales): the norm's columns and formats (:mod:`.norme`), the journals entries go to
(:mod:`.journaux`), the export of an exercice (:mod:`.export`) and the check of any
FEC file (:mod:`.verification`).
"""
