"""The entry of an abandon de frais: a volunteer spent money for the association, and
waives the reimbursement (art. 200-1 al. 3 du CGI). The expense is a charge of the
association and the waived claim a gift (754), which gets a tax receipt::

    2026-04-30 * "Marie Durand" "Abandon de frais : déplacements d'avril"
      donateur: "DURAND-M"
      nature: "abandon_frais"
      Charges:62-Autres-services-exterieurs:625-Deplacements:6251-Voyages   84.00 EUR
      Produits:75-Autres-produits:754-Dons:7541-Dons-manuels               -84.00 EUR

No cash moves: the charge and the gift offset each other. The association keeps the
volunteer's supporting documents and the written waiver (« je renonce au remboursement »).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..montants import to_cent
from ..texte_beancount import chaine


def _quote(text: str) -> str:
    return chaine(text)


def ecriture_abandon_de_frais(
    date: datetime.date,
    donateur: str,
    nom: str,
    objet: str,
    montant: Decimal,
    compte_charge: str,
    compte_don: str,
) -> str:
    """The Beancount text of an abandon de frais (charge and 754 gift)."""
    if montant <= 0:
        raise ValueError("le montant d'un abandon de frais doit être positif")
    somme = to_cent(montant)
    largeur = max(len(compte_charge), len(compte_don)) + 4
    return (
        f"{date.isoformat()} * {_quote(nom)} {_quote(f'Abandon de frais : {objet}')}\n"
        f"  donateur: {_quote(donateur)}\n"
        '  nature: "abandon_frais"\n'
        f"  {compte_charge:<{largeur}}{somme:>12} EUR\n"
        f"  {compte_don:<{largeur}}{-somme:>12} EUR\n"
    )
