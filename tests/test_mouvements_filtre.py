"""``collect(…, codes=…)``: only the postings of the accounts whose code is kept."""

from __future__ import annotations

from decimal import Decimal

from beancount import loader

from communs_ledger.budget.realise import budgetable
from communs_ledger.mouvements import collect

LEDGER = """\
option "name_assets" "Actif"
option "name_income" "Produits"
option "name_expenses" "Charges"

2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant
2025-01-01 open Charges:60-Achats:6063-Petit-equipement
2025-01-01 open Produits:75-Autres-produits:756-Cotisations

2025-02-01 * "Cotisation"
  projet: "JARDINS"
  Actif:51-Banques:512-Banques:Compte-courant   30.00 EUR
  Produits:75-Autres-produits:756-Cotisations  -30.00 EUR

2025-02-02 * "Sécateur"
  Charges:60-Achats:6063-Petit-equipement       12.50 EUR
    projet: "ALPHA"
  Actif:51-Banques:512-Banques:Compte-courant  -12.50 EUR

2025-02-03 * "Prévision" #prevision
  Charges:60-Achats:6063-Petit-equipement      100.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant
"""


def test_collect_ne_garde_que_les_codes_demandes() -> None:
    entries, errors, _options = loader.load_string(LEDGER)
    assert errors == []
    tout = collect(entries, "EUR")
    budget = collect(entries, "EUR", codes=budgetable)
    # Written by hand: the 756 and 6063 postings of the two actual transactions (the forecast
    # is never collected), with the transaction's project for the first and the posting's
    # own for the second; the two bank postings (512, not budgeted) are left out.
    assert [(m.code, m.montant, m.projet, m.rang) for m in budget.liste] == [
        ("756", Decimal("-30.00"), "JARDINS", 1),
        ("6063", Decimal("12.50"), "ALPHA", 0),
    ]
    champs = [
        (m.date, m.account, m.code, m.montant, m.projet, m.entry, m.rang) for m in budget.liste
    ]
    assert champs == [
        (m.date, m.account, m.code, m.montant, m.projet, m.entry, m.rang)
        for m in tout.liste
        if budgetable(m.code)
    ]
    assert budget.comptes() == {
        "Produits:75-Autres-produits:756-Cotisations",
        "Charges:60-Achats:6063-Petit-equipement",
    }
    assert len(tout.liste) == 4 and "Actif:51-Banques:512-Banques:Compte-courant" in tout.comptes()
