"""``communs subventions``: the follow-up of the subsidy conventions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .options import commande_de_rapport
from .rapports import au_option, exercice_option

if TYPE_CHECKING:
    from ..exercices import Exercice
    from ..rapports.objets import Rapport
    from ..rapports.source import Source


def _sans_convention(source: Source, periode: Exercice) -> str:
    """What the follow-up cannot do without conventions, and where the subsidies the
    ledger holds (74, 73) are read instead: a small association's grant of the town,
    booked without a conventions file, is not lost."""
    from ..formatage import montant
    from ..rapports.resultat import compute_compte_de_resultat

    resultat = compute_compte_de_resultat(source, periode, n1=False)
    total = resultat.n.montant("concours_publics_subventions")
    return (
        f". Sans convention, pas de suivi de l'accordé, des versements ni des comptes rendus ; "
        f"les subventions de l'{periode.libelle}, {montant(total)} (comptes 73 et 74), "
        "se lisent dans « communs resultat » et, par financeur, dans « communs ressources »"
    )


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
    periode = exercice_de(source, exercice)
    conventions, cles = cles_et_conventions(source, lambda: _sans_convention(source, periode))
    return produire(rapport_subventions, source, conventions, periode, au=date, cles=cles)
