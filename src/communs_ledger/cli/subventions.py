"""``communs subventions``: the follow-up of the subsidy conventions."""

from __future__ import annotations

from pathlib import Path

from .options import ledger_option
from .rapports import au_option, exercice_option
from .sortie import ecraser_option, format_option, sortie_option


def subventions(
    exercice: str | None = exercice_option(),
    au: str | None = au_option(
        "Date de la situation (AAAA-MM-JJ ou JJ/MM/AAAA) ; par défaut la date de la dernière "
        "écriture du grand livre."
    ),
    ledger: Path | None = ledger_option(),
    format=format_option(),
    sortie: Path | None = sortie_option(),
    ecraser: bool = ecraser_option(),
) -> None:
    """Suivi des subventions : par convention, accordé, reconnu, reçu, à recevoir, dépensé,
    reste à dépenser ; prochains versements et comptes rendus, retards signalés."""
    from ..conventions.rapport_subventions import rapport_subventions
    from .conventions import cles_et_conventions
    from .rapports import exercice_de, parse_date, produire, source_du_grand_livre
    from .sortie import emettre

    date = parse_date(au)
    source = source_du_grand_livre(ledger)
    conventions, cles = cles_et_conventions(source)
    periode = exercice_de(source, exercice)
    rapport = produire(rapport_subventions, source, conventions, periode, au=date, cles=cles)
    emettre(rapport, format, sortie, ecraser)
