"""``communs adherents``: membership fees by member for an exercice."""

from __future__ import annotations

import datetime
from pathlib import Path

from .options import ledger_option
from .rapports import exercice_option
from .sortie import ecraser_option, format_option, sortie_option


def adherents(
    exercice: str | None = exercice_option(),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Cotisations des adhérents (comptes 756) : qui a payé dans l'exercice (montant, date),
    qui avait payé l'exercice précédent et n'a pas renouvelé, totaux."""
    from ..dons.adhesions import compute_adhesions, erreurs_des_adherents
    from ..dons.collecte import collecter
    from ..dons.rapports import build_rapport_adherents
    from ..dons.registres import charger_adherents
    from .echecs import Echec, erreurs_listees
    from .rapports import exercice_de, source_du_grand_livre
    from .sortie import emettre

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
    emettre(build_rapport_adherents(adhesions, source.context.config.nom), format, sortie, ecraser)
