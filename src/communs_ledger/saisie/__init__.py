"""Guided entry (``communs saisir``): a typed request or a template becomes Beancount text.

- :mod:`.ecriture`: the entry (date, tiers, libellé, metadata, lines) and its text;
- :mod:`.recherche`: accounts named by a number, a name or words (« loyer » → 6132);
- :mod:`.genres`: the kinds of entry (recette, dépense, facture reçue, règlement…);
- :mod:`.modeles`: the entry templates (``modeles/*.yaml`` and those shipped);
- :mod:`.destination`: the ledger file an entry goes to.

Nothing here writes: the CLI appends the text through :mod:`communs_ledger.ajout`.
"""
