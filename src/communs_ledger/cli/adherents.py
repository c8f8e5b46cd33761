"""``communs adherents``: membership fees by member for an exercice."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .options import commande_de_rapport
from .rapports import exercice_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport


@commande_de_rapport
def adherents(exercice: str | None = exercice_option(), *, ledger: Path | None) -> Rapport:
    """Cotisations des adhérents (comptes 756) : qui a payé dans l'exercice (montant, date),
    qui avait payé l'exercice précédent et n'a pas renouvelé, totaux."""
    from ..dons.adhesions import compute_adhesions, erreurs_des_adherents
    from ..dons.collecte import collecter
    from ..dons.rapports import build_rapport_adherents
    from ..dons.registres import charger_adherents
    from .echecs import Echec, erreurs_listees
    from .rapports import exercice_de, source_du_grand_livre

    source = source_du_grand_livre(ledger)
    periode = exercice_de(source, exercice)
    registre, errors = charger_adherents(source.context.config)
    collecte = collecter(source.entries, periode.debut, periode.fin)
    errors += erreurs_des_adherents(collecte.cotisations, registre)
    if errors:
        raise Echec(f"{len(errors)} erreur(s) dans les adhérents", erreurs_listees(errors))
    avant = source.context.calendrier.containing(periode.debut - datetime.timedelta(days=1))
    precedente = collecter(source.entries, avant.debut, avant.fin)
    adhesions = compute_adhesions(periode.code, collecte, precedente, registre)
    return build_rapport_adherents(adhesions, source.context.config.nom)
