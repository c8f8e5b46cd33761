"""The comptes annuels: bilan, compte de résultat and their annexe, in one document."""
