"""All the statements of one exercice, against the load time of the same ledger.

For the generated 10 000 and 100 000 transaction ledgers, one fresh process
loads the ledger (pickle cache off: that is the load time of reference), then
builds every statement of its last complete exercice from the loaded entries:
the report source (movements), compte de résultat, bilan, balance, grand livre,
journal and diagnostic, then renders them all as JSON (what a tool reading
``--format json`` pays). Targets: statements ≤ 10 % of the load time on the
100 000 ledger, and a cost that grows linearly with the ledger: the cost per
transaction of the 100 000 ledger within 25 % of that of the 10 000 ledger.
"""

from __future__ import annotations

from grands_livres import ledger
from mesures import Mesure, run_json

TITRE = "États de synthèse d'un exercice (coût relatif au chargement)"
TAILLES = (10_000, 100_000)
RUNS = 3
CIBLE_RATIO = 0.10
CIBLE_LINEARITE = 1.25

_STATEMENTS = r"""
import json, sys, time
from beancount import loader
from communs_ledger.contexte import LedgerContext
from communs_ledger.rapports.source import Source
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.bilan import bilan
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.grand_livre import grand_livre
from communs_ledger.rapports.journal import journal
from communs_ledger.rapports.diagnostic import diagnostic
from communs_ledger.rendu import Format, render

cpu = time.process_time()
entries, errors, options = loader._uncached_load_file(sys.argv[1], None, None, None)
load = time.process_time() - cpu
assert not errors, errors[:3]
runs = int(sys.argv[2])
engine, rendering = [], []
for _ in range(runs):
    cpu = time.process_time()
    source = Source.from_context(entries, LedgerContext.from_options(options))
    exercice = source.exercices[-2]  # the last complete exercice
    reports = [
        compte_de_resultat(source, exercice),
        bilan(source, exercice),
        balance(source, exercice),
        grand_livre(source, exercice),
        journal(source, exercice),
        diagnostic(source, exercice),
    ]
    engine.append(time.process_time() - cpu)
    cpu = time.process_time()
    for report in reports:
        render(report, Format.json)
    rendering.append(time.process_time() - cpu)
count = sum(1 for m in source.mouvements.entre(exercice.debut, exercice.fin))
print(json.dumps({
    "chargement": load, "etats": min(engine), "json": min(rendering),
    "exercice": exercice.code, "mouvements": count,
}))
"""


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def run() -> list[Mesure]:
    results = {n: run_json(_STATEMENTS, str(ledger(n)), str(RUNS)) for n in TAILLES}
    mesures: list[Mesure] = []
    for n, result in results.items():
        load, etats, rendu = (float(result[k]) for k in ("chargement", "etats", "json"))
        label = f"{_nombre(n)} écritures, exercice {result['exercice']}"
        mesures.append(Mesure(f"Chargement, {label}", load, "s", details="CPU, cache désactivé"))
        mesures.append(
            Mesure(
                f"Tous les états, {label}",
                etats,
                "s",
                details=(
                    f"résultat, bilan, balance, grand livre, journal, diagnostic ; "
                    f"{_nombre(int(result['mouvements']))} mouvements dans l'exercice ; "
                    f"meilleur de {RUNS}"
                ),
            )
        )
        mesures.append(
            Mesure(
                f"États / chargement, {label}",
                etats / load,
                "×",
                CIBLE_RATIO if n == max(TAILLES) else None,
                details="cible ≤ 10 % pour 100 000 écritures",
            )
        )
        mesures.append(
            Mesure(f"Rendu JSON des six états, {label}", rendu, "s", details=f"meilleur de {RUNS}")
        )
    small, large = (results[n] for n in TAILLES)
    per_small = float(small["etats"]) / TAILLES[0]
    per_large = float(large["etats"]) / TAILLES[1]
    mesures.append(
        Mesure(
            "Linéarité : coût par écriture 100 000 / 10 000",
            per_large / per_small,
            "×",
            CIBLE_LINEARITE,
            details=(
                f"{per_small * 1e6:.1f} µs puis {per_large * 1e6:.1f} µs par écriture du "
                "grand livre ; 1 = parfaitement linéaire"
            ),
        )
    )
    return mesures
