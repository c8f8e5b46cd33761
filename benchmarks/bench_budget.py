"""Budget vs réalisé of one exercice, against the load time of the same ledger.

For the generated 10 000 and 100 000 transaction ledgers (each generated year has
a budget file: chapter, account and project lines, a revised version in the last
year), one fresh process loads the ledger (pickle cache off: the load time of
reference), then, from the loaded entries: builds the report source (movements,
shared by every report), reads the budget files (``load_budgets``) and builds the
budget vs réalisé of the last exercice (latest version), then its monthly variant,
and renders both as JSON. Target: budget files + report ≤ 10 % of the load time
on the 100 000 ledger (the 10 000 figure is shown for the trend).
"""

from __future__ import annotations

from grands_livres import ledger
from mesures import Mesure, run_json

TITRE = "Budget vs réalisé d'un exercice (coût relatif au chargement)"
TAILLES = (10_000, 100_000)
RUNS = 3
CIBLE_RATIO = 0.10

_BUDGET = r"""
import json, sys, time
from beancount import loader
from communs_ledger.budget.fichier import load_budgets
from communs_ledger.budget.rapport_suivi import budget_vs_realise
from communs_ledger.contexte import LedgerContext
from communs_ledger.rapports.source import Source
from communs_ledger.rendu import Format, render

cpu = time.process_time()
entries, errors, options = loader._uncached_load_file(sys.argv[1], None, None, None)
load = time.process_time() - cpu
assert not errors, errors[:3]
runs = int(sys.argv[2])
sources, reports, monthly, rendering = [], [], [], []
for _ in range(runs):
    cpu = time.process_time()
    context = LedgerContext.from_options(options)
    source = Source.from_context(entries, context)
    sources.append(time.process_time() - cpu)
    cpu = time.process_time()
    budgets = load_budgets(context)
    assert not budgets.erreurs, budgets.erreurs[:3]
    exercice = source.exercices[-1]
    report = budget_vs_realise(source, budgets, exercice)
    reports.append(time.process_time() - cpu)
    cpu = time.process_time()
    report_monthly = budget_vs_realise(source, budgets, exercice, mensuel=True)
    monthly.append(time.process_time() - cpu)
    cpu = time.process_time()
    render(report, Format.json)
    render(report_monthly, Format.json)
    rendering.append(time.process_time() - cpu)
lines = sum(
    1 for p in report.parties for l in p.lignes if (l.id or "").startswith("ligne:")
)
count = len(source.mouvements.entre(exercice.debut, exercice.fin))
print(json.dumps({
    "chargement": load, "source": min(sources), "budget": min(reports),
    "mensuel": min(monthly), "json": min(rendering), "exercice": exercice.code,
    "version": report.meta["version"], "lignes": lines, "mouvements": count,
}))
"""


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def run() -> list[Mesure]:
    results = {n: run_json(_BUDGET, str(ledger(n)), str(RUNS)) for n in TAILLES}
    mesures: list[Mesure] = []
    for n, result in results.items():
        load, source, budget, mensuel, rendu = (
            float(result[k]) for k in ("chargement", "source", "budget", "mensuel", "json")
        )
        label = f"{_nombre(n)} écritures, exercice {result['exercice']}"
        mesures.append(Mesure(f"Chargement, {label}", load, "s", details="CPU, cache désactivé"))
        mesures.append(
            Mesure(
                f"Budget vs réalisé, {label}",
                budget,
                "s",
                details=(
                    f"fichiers de budget + rapport ; version {result['version']}, "
                    f"{result['lignes']} lignes, {_nombre(int(result['mouvements']))} "
                    f"mouvements dans l'exercice ; meilleur de {RUNS}"
                ),
            )
        )
        mesures.append(
            Mesure(
                f"Budget / chargement, {label}",
                budget / load,
                "×",
                CIBLE_RATIO if n == max(TAILLES) else None,
                details=(
                    "cible ≤ 10 % pour 100 000 écritures ; avec la source des rapports "
                    f"(mouvements, commune à tous les états, {source:.3f} s) : "
                    f"{(budget + source) / load:.3f}"
                ),
            )
        )
        mesures.append(
            Mesure(
                f"Budget vs réalisé mensuel, {label}",
                mensuel,
                "s",
                details=f"24 colonnes mensuelles ; meilleur de {RUNS}",
            )
        )
        mesures.append(
            Mesure(
                f"Rendu JSON des deux rapports, {label}", rendu, "s", details=f"meilleur de {RUNS}"
            )
        )
    return mesures
