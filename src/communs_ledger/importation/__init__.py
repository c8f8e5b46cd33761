"""Bank statement import: CSV (bank profiles), spreadsheets, OFX, camt.053 and CFONB 120
into the ledger.

The pipeline, one module per step:

- :mod:`.profils` — the CSV profiles of the banks (``plan_comptable/profils_bancaires.yaml``
  plus the association's own file), and their detection from the header line;
- :mod:`.valeurs` — dates and amounts as French banks write them;
- :mod:`.lecture` — decoding and reading a CSV or XLSX statement with a profile;
- :mod:`.ofx` — reading an OFX statement (SGML 1.x or XML 2.x);
- :mod:`.camt` and :mod:`.cfonb` — reading camt.053 (ISO 20022 XML) and CFONB 120
  statements;
- :mod:`.regles` — the categorisation rules (YAML) and their matching;
- :mod:`.comptes` — finding the ledger's accounts named by code or name;
- :mod:`.doublons` — what is already in the ledger (bank reference, date, amount, label);
- :mod:`.ecritures` — building the Beancount directives and writing them as text;
- :mod:`.importeur` — the beangulp importer tying the steps together.

Appending the entries to the ledger (atomically, re-checked, restored on a new error)
is the kernel's :mod:`communs_ledger.ajout`, shared by every writing command.

Every problem a user can cause is an :class:`~.modele.ErreurImport` with a
French message; the CLI turns it into exit code 1.
"""
