"""``python -m communs_ledger`` runs the ``communs`` command."""

from communs_ledger.cli.app import main

main()
