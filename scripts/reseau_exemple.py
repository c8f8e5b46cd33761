"""Write the sample network of ``modeles/reseau-exemple/``: the shared indicators of 30
generated associations (``communs exemple`` with varied seeds and sizes), exercice 2025.

Usage: ``python scripts/reseau_exemple.py [DOSSIER]`` (default: modeles/reseau-exemple).
Deterministic: the same files each time. Each association gets a sector and a headcount
drawn from its seed (the generator does not say them), written in its ``communs.yaml``
(``partage:``) before its indicators are computed, exactly as an association would.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from communs_ledger.application.generateur import generate_ledger
from communs_ledger.chargement import load_livre
from communs_ledger.partage.indicateurs import compute_indicateurs_partages
from communs_ledger.partage.reglages import partage_config
from communs_ledger.rapports.source import Source

ASSOCIATIONS = 30
SECTEURS = ("environnement", "culture", "social", "éducation populaire")
DOSSIER = Path(__file__).resolve().parents[1] / "modeles" / "reseau-exemple"


def indicateurs_generes(numero: int, dossier: Path) -> str:
    """The shared indicators (JSON text) of the generated association ``numero``."""
    hasard = random.Random(numero)
    transactions = hasard.randint(400, 3800)
    generate_ledger(dossier, transactions, seed=1000 + numero)
    with (dossier / "communs.yaml").open("a", encoding="utf-8") as config:
        secteur, salaries = hasard.choice(SECTEURS), hasard.randint(0, 12)
        config.write(f"\npartage:\n  secteur: {secteur}\n  salaries: {salaries}\n")
    livre = load_livre(dossier / "main.beancount")
    source = Source.from_livre(livre)
    partages = compute_indicateurs_partages(
        source, source.exercice("2025"), partage_config(livre.context.config)
    )
    return partages.texte_json()


def main(cible: Path) -> None:
    cible.mkdir(parents=True, exist_ok=True)
    for numero in range(1, ASSOCIATIONS + 1):
        with tempfile.TemporaryDirectory() as temporaire:
            texte = indicateurs_generes(numero, Path(temporaire))
        (cible / f"association-{numero:02d}.json").write_text(texte, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOSSIER)
