"""``communs subventions``: the follow-up of the subsidy conventions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .options import commande_de_rapport
from .rapports import au_option, exercice_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport


@commande_de_rapport
def subventions(
    exercice: str | None = exercice_option(),
    au: str | None = au_option(
        "Date de la situation (AAAA-MM-JJ ou JJ/MM/AAAA) ; par défaut la date de la dernière "
        "écriture du grand livre."
    ),
    *,
    ledger: Path | None,
) -> Rapport:
    """Suivi des subventions : par convention, accordé, reconnu, reçu, à recevoir, dépensé,
    reste à dépenser ; prochains versements et comptes rendus, retards signalés."""
    from ..conventions.rapport_subventions import rapport_subventions
    from .conventions import cles_et_conventions
    from .rapports import exercice_de, parse_date, produire, source_du_grand_livre

    date = parse_date(au)
    source = source_du_grand_livre(ledger)
    conventions, cles = cles_et_conventions(source)
    periode = exercice_de(source, exercice)
    return produire(rapport_subventions, source, conventions, periode, au=date, cles=cles)
