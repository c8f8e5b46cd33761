"""Plan de trésorerie of the example association, on top of the ledger's load.

One fresh process loads ``examples/association/main.beancount`` (pickle cache off:
the load time of reference), builds the report source, then measures, cold (first
run in the process: imports, chart and categories loaded once), what ``communs
tresorerie --mois 36`` with three scenarios adds to the load: reading the forecast
inputs (``charger_entrees``) and the plan engine. The scenarios are the base and the
example's scenarios; when it has fewer than two, copies of the base (no override)
fill in, so that three scenarios are always computed. Target: ≤ 1 s.

Linearity: the same plan warm (best of several runs) for 12, 24 and 36 months × 1, 2
and 3 scenarios; a least-squares fit t = a + c × scenarios + d × months × scenarios
gives the fixed part a (actuals classified once, threshold), the cost c of a scenario
whatever its length (each input reads the ledger once per scenario) and the cost d of
one month of one scenario; the largest gap between a measure and the model, relative
to the measure, shows how well the cost follows it.
"""

from __future__ import annotations

from mesures import ROOT, Mesure, run_json

TITRE = "Plan de trésorerie de l'exemple (36 mois, 3 scénarios ; linéarité)"
CIBLE_S = 1.0
RUNS = 7
MOIS = (12, 24, 36)
SCENARIOS = (1, 2, 3)
EXEMPLE = ROOT / "examples" / "association" / "main.beancount"

_PLAN = r"""
import json, sys, time
cpu = time.process_time()
from communs_ledger.chargement import load_livre
livre = load_livre(sys.argv[1])
load = time.process_time() - cpu
assert livre.ok, livre.diagnostics[:3]
from communs_ledger.rapports.source import Source
cpu = time.process_time()
source = Source.from_livre(livre)
source_time = time.process_time() - cpu

cpu = time.process_time()
from communs_ledger.previsions.entrees import charger_entrees
from communs_ledger.previsions.modele import BASE, Periode, Scenario
from communs_ledger.previsions.plan import plan_de_tresorerie
entrees = charger_entrees(livre.context)
assert not entrees.erreurs, [str(e) for e in entrees.erreurs[:3]]
inputs = time.process_time() - cpu
scenarios = [BASE] + [entrees.scenarios[code] for code in sorted(entrees.scenarios)]
for copy in range(len(scenarios), 3):
    scenarios.append(Scenario(f"base_{copy}", f"Base ({copy})"))
scenarios = scenarios[:3]
cpu = time.process_time()
report = plan_de_tresorerie(source, entrees, mois=36, scenarios=scenarios)
engine = time.process_time() - cpu

import gc
runs = int(sys.argv[2])
grid = {}
for _round in range(runs):  # rounds over the whole grid: no cell gets only the warm-up
    for months in (12, 24, 36):
        for count in (1, 2, 3):
            gc.collect()
            cpu = time.process_time()
            plan_de_tresorerie(source, entrees, mois=months, scenarios=scenarios[:count])
            spent = time.process_time() - cpu
            key = f"{months}x{count}"
            grid[key] = min(grid.get(key, spent), spent)
from communs_ledger.rendu import Format, render
cpu = time.process_time()
render(report, Format.json)
render(report, Format.html)
rendering = time.process_time() - cpu
generated = 0
if report.meta["debut_previsions"] is not None:
    periode = Periode(report.meta["debut_previsions"], report.periode[1])
    generated = sum(len(entrees.generer(periode, s, source).tresorerie) for s in scenarios)
print(json.dumps({
    "chargement": load, "source": source_time, "entrees": inputs, "moteur": engine,
    "grille": grid, "json_html": rendering, "mouvements": len(source.mouvements.liste),
    "scenarios": [s.code for s in scenarios], "exemple": sorted(entrees.scenarios),
    "prevus": generated, "derniere": str(report.meta["derniere_ecriture"]),
}))
"""


def _fit(points: list[tuple[int, int, float]]) -> tuple[float, float, float, float]:
    """Least squares t = a + c s + d m s over (months m, scenarios s, time t): (a, c, d,
    largest gap to the fit relative to the measure)."""
    rows = [(1.0, float(s), float(m * s)) for m, s, _t in points]
    times = [t for _m, _s, t in points]
    # normal equations (3 × 3), solved by Cramer's rule
    matrix = [[sum(r[i] * r[j] for r in rows) for j in range(3)] for i in range(3)]
    vector = [sum(r[i] * t for r, t in zip(rows, times, strict=True)) for i in range(3)]

    def det(m: list[list[float]]) -> float:
        return (
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        )

    base = det(matrix)
    solution = []
    for column in range(3):
        replaced = [
            [vector[i] if j == column else matrix[i][j] for j in range(3)] for i in range(3)
        ]
        solution.append(det(replaced) / base)
    fixed, per_scenario, per_unit = solution
    gap = max(
        abs(t - (fixed + per_scenario * s + per_unit * m * s)) / t for m, s, t in points if t > 0
    )
    return fixed, per_scenario, per_unit, gap


def run() -> list[Mesure]:
    result = run_json(_PLAN, str(EXEMPLE), str(RUNS))
    load, source, inputs, engine = (
        float(result[k]) for k in ("chargement", "source", "entrees", "moteur")
    )
    grid = {key: float(value) for key, value in result["grille"].items()}  # type: ignore[union-attr]
    scenarios = ", ".join(result["scenarios"])  # type: ignore[arg-type]
    own = ", ".join(result["exemple"]) or "aucun"  # type: ignore[arg-type]
    mesures = [
        Mesure(
            "Chargement de l'exemple",
            load,
            "s",
            details=f"CPU, cache désactivé ; {result['mouvements']} mouvements, "
            f"dernière écriture {result['derniere']}",
        ),
        Mesure(
            "Plan de trésorerie 36 mois × 3 scénarios, en plus du chargement",
            inputs + engine,
            "s",
            CIBLE_S,
            details=(
                f"processus neuf, à froid : fichiers de prévision {inputs:.3f} s + moteur "
                f"{engine:.3f} s ; scénarios {scenarios} (de l'exemple : {own}) ; "
                f"{result['prevus']} mouvements prévus ; source des rapports {source:.3f} s "
                "(commune à tous les états)"
            ),
        ),
        Mesure(
            "Rendu JSON + HTML (36 mois, 3 scénarios)",
            float(result["json_html"]),
            "s",
            details="avec le graphique SVG",
        ),
    ]
    points = []
    for months in MOIS:
        for count in SCENARIOS:
            spent = grid[f"{months}x{count}"]
            units = months * count
            points.append((months, count, spent))
            mesures.append(
                Mesure(
                    f"Plan {months} mois × {count} scénario(s), à chaud",
                    spent * 1000,
                    "ms",
                    details=f"{spent * 1000 / units:.2f} ms par mois×scénario ; meilleur de {RUNS}",
                )
            )
    fixed, per_scenario, per_unit, gap = _fit(points)
    mesures.append(
        Mesure(
            "Linéarité : coût marginal d'un scénario de 36 mois (c + 36 d)",
            (per_scenario + 36 * per_unit) * 1000,
            "ms",
            details=(
                "moindres carrés t = a + c × scénarios + d × mois × scénarios : part fixe "
                f"a = {fixed * 1000:.1f} ms (réalisé, seuil), c = {per_scenario * 1000:.1f} ms "
                f"par scénario (génération des entrées sur la période), d = "
                f"{per_unit * 1000:.3f} ms ; plus grand écart au modèle : {gap:.0%} de la mesure"
            ),
        )
    )
    return mesures
