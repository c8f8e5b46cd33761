"""``communs tresorerie``: the monthly plan de trésorerie, with its scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .options import commande_de_rapport

if TYPE_CHECKING:
    from ..previsions.entrees import Entrees
    from ..previsions.modele import Scenario
    from ..rapports.objets import Rapport
    from .sortie import Sortie


MOIS_MAX = 60  # same bound as the engine (previsions.plan.MOIS_MAX), kept here for --help speed


@commande_de_rapport
def tresorerie(
    mois: int = typer.Option(
        12,
        "--mois",
        "-m",
        help=f"Nombre de mois du plan (1 à {MOIS_MAX} ; usuel : 12, 24 ou 36).",
    ),
    depuis: str | None = typer.Option(
        None,
        "--depuis",
        help="Premier mois du plan : une date de ce mois (AAAA-MM-JJ ou JJ/MM/AAAA) ; par "
        "défaut le mois de la dernière écriture du grand livre.",
        show_default=False,
    ),
    scenario: list[str] | None = typer.Option(
        None,
        "--scenario",
        "-s",
        help="Scénario à présenter (répétable, ou séparés par des virgules ; « base » : la "
        "prévision de base) ; par défaut la prévision de base seule.",
        show_default=False,
    ),
    au: str | None = typer.Option(
        None,
        "--au",
        help="Arrêté au : date (AAAA-MM-JJ ou JJ/MM/AAAA) à laquelle le grand livre est pris ; "
        "les écritures postérieures sont ignorées, les prévisions partent du lendemain.",
        show_default=False,
    ),
    par_compte: bool = typer.Option(
        False,
        "--par-compte",
        help="Ajoute la trésorerie de chaque compte (banques, livret, caisse) mois par mois.",
    ),
    *,
    ledger: Path | None,
    sortie: Sortie,
) -> Rapport:
    """Plan de trésorerie mensuel : réalisé du grand livre, puis prévisions (paie, conventions,
    flux), point bas, mois sous le seuil d'alerte, scénarios côte à côte."""
    from .echecs import MauvaisUsage
    from .rapports import parse_date

    if not 1 <= mois <= MOIS_MAX:
        raise MauvaisUsage(
            f"--mois {mois} : nombre de mois attendu de 1 à {MOIS_MAX} (usuel : 12, 24 ou 36)"
        )
    date = parse_date(depuis, "--depuis")
    arrete = parse_date(au, "--au")
    codes = _codes(scenario or [])

    from ..previsions.entrees import charger_entrees
    from ..previsions.plan import plan_de_tresorerie
    from .rapports import produire, source_du_grand_livre

    source = source_du_grand_livre(ledger)
    entrees = charger_entrees(source.context)
    entrees.verifier_etiquettes(source.entries)
    refuser_erreurs_de_prevision(entrees)
    scenarios = [_scenario(entrees, code) for code in codes]
    rapport = produire(
        plan_de_tresorerie,
        source,
        entrees,
        depuis=date,
        mois=mois,
        scenarios=scenarios,
        au=arrete,
        par_compte=par_compte,
    )
    return _pour_le_terminal(rapport, sortie)


def _codes(values: list[str]) -> list[str]:
    """Scenario codes in the order given, without repeats; the base alone by default."""
    codes: list[str] = []
    for value in values:
        for code in value.split(","):
            code = code.strip()
            if code and code not in codes:
                codes.append(code)
    return codes or ["base"]


def _scenario(entrees: Entrees, code: str) -> Scenario:
    from .echecs import Echec

    found = entrees.scenario(code)
    if found is None:
        known = ", ".join(["base", *sorted(entrees.scenarios)])
        raise Echec(f"scénario « {code} » inconnu : scénarios connus : {known}")
    return found


def refuser_erreurs_de_prevision(entrees) -> None:  # entrees: Entrees
    """Refuse forecast inputs with errors like a ledger with errors (exit 1, file:line)."""
    from .echecs import refuser_erreurs

    corriger = "avant de produire le plan de trésorerie"
    refuser_erreurs(entrees.erreurs, "les prévisions contiennent", corriger)


def _pour_le_terminal(rapport: Rapport, sortie: Sortie) -> Rapport:
    """As text (table format), whole euros and as many months per table as fit the width."""
    from ..rendu import Format
    from ..rendu.vues_tresorerie import vue_terminal

    if sortie.format_ecrit is not Format.table:
        return rapport
    width = 100
    if sortie.fichier is None:
        from .affichage import sortie as console

        width = console().width
    return vue_terminal(rapport, width)
