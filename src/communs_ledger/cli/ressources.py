"""``communs ressources``: the socio-economic model (resources by origin, funders)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import commande_de_rapport
from .rapports import exercice_option

if TYPE_CHECKING:
    from ..rapports.objets import Rapport


@commande_de_rapport
def ressources(
    exercice: str | None = exercice_option(),
    annees: int = typer.Option(
        3, "--annees", "-n", min=1, max=20, help="Nombre d'exercices montrés (N et les précédents)."
    ),
    *,
    ledger: Path | None,
) -> Rapport:
    """Modèle socio-économique : ressources par origine (subventions par type de financeur,
    financements privés, dons, cotisations, ventes), financeurs, concentration (premier
    financeur, indice de Herfindahl) et évolution sur les derniers exercices."""
    from ..conventions.fichier import conventions_du_grand_livre
    from ..modele_economique.rapport import modele_socio_economique
    from .conventions import refuser
    from .rapports import exercice_de, produire, source_du_grand_livre

    source = source_du_grand_livre(ledger)
    conventions, erreurs = conventions_du_grand_livre(source.context)
    refuser(erreurs, "le fichier des conventions contient des erreurs")
    periode = exercice_de(source, exercice)
    return produire(modele_socio_economique, source, periode, conventions, annees=annees)
