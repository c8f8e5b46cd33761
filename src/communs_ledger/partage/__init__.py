"""Commons across associations: shared model packs (« modèles communs ») and anonymised
indicators to compare an association with its peers.

- :mod:`.reglages`: the ``partage:`` and ``modeles_communs:`` sections of ``communs.yaml``;
- :mod:`.manifeste`: a pack's manifest (``modele.yaml``) and the check of every file;
- :mod:`.depot`: fetching a pack from a folder or a Git repository;
- :mod:`.inscription`: the text edit of ``communs.yaml`` that records a pack;
- :mod:`.modeles`: installing, updating, removing a pack, and what the packs provide;
- :mod:`.indicateurs`: the anonymised indicators and the comparison with peers.
"""
