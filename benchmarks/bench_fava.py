"""The pages of the Fava extension, against Fava's own income statement, on one ledger.

On the generated 10 000 transaction ledger (its ``main.beancount`` declares the
extension, as ``communs init`` writes it), one fresh process creates Fava's
application (``fava.application.create_app``) and asks, through Flask's test
client — no network, the same code as a served request:

- Fava's income statement API (``/<ledger>/api/income_statement``: account tree and
  charts of the income statement, what Fava's own page loads);
- each page of the extension as Fava's front end loads it when one clicks in the
  sidebar (``/<ledger>/extension/<Page>/?partial=true``).

CPU time of each request. *First* request: right after loading (Fava builds its
filtered ledger for its first API call; the extension builds its report source,
shared by its pages, for the first page asked — the tableau de bord here). Then the
median of repeated requests. Target: each page ≤ 1.5 × the income statement API,
repeated requests (the first-request figures are shown alongside).
"""

from __future__ import annotations

from grands_livres import ledger
from mesures import Mesure, run_json

TITRE = "Pages de l'extension Fava (coût relatif au compte de résultat de Fava)"
TAILLE = 10_000
RUNS = 5
CIBLE_RATIO = 1.5
PAGES = {
    "TableauDeBord": "Tableau de bord",
    "CompteDeResultat": "Compte de résultat associatif",
    "Bilan": "Bilan associatif",
    "BudgetVsRealise": "Budget vs réalisé",
    "Tresorerie": "Trésorerie",
}

_FAVA = r"""
import json, statistics, sys, time
from fava.application import create_app

app = create_app([sys.argv[1]], load=True)
client = app.test_client()
slug = client.get("/").location.strip("/").split("/")[-2]
runs = int(sys.argv[2])
pages = sys.argv[3].split(",")

def cpu(url):
    start = time.process_time()
    response = client.get(url)
    spent = time.process_time() - start
    assert response.status_code == 200, (url, response.status_code)
    body = response.get_data(as_text=True)
    assert "Erreur interne" not in body and "data-message" not in body, url
    return spent

api = f"/{slug}/api/income_statement"
first = {"fava": cpu(api)}
for page in pages:
    first[page] = cpu(f"/{slug}/extension/{page}/?partial=true")
repeated = {"fava": statistics.median(cpu(api) for _ in range(runs))}
for page in pages:
    url = f"/{slug}/extension/{page}/?partial=true"
    repeated[page] = statistics.median(cpu(url) for _ in range(runs))
print(json.dumps({"premiere": first, "repetee": repeated}))
"""


def run() -> list[Mesure]:
    result = run_json(_FAVA, str(ledger(TAILLE)), str(RUNS), ",".join(PAGES))
    first, repeated = result["premiere"], result["repetee"]
    assert isinstance(first, dict) and isinstance(repeated, dict)
    fava = float(repeated["fava"])
    label = f"{TAILLE:,} écritures".replace(",", "\u202f")
    mesures = [
        Mesure(
            f"Compte de résultat de Fava (API), {label}",
            fava,
            "s",
            details=f"CPU, médiane de {RUNS} ; première requête {float(first['fava']):.3f} s",
        )
    ]
    for page, titre in PAGES.items():
        mesures.append(
            Mesure(
                f"Page « {titre} » / compte de résultat de Fava, {label}",
                float(repeated[page]) / fava,
                "×",
                CIBLE_RATIO,
                details=(
                    f"page {float(repeated[page]):.3f} s (médiane de {RUNS}) ; première "
                    f"requête {float(first[page]):.3f} s, soit "
                    f"{float(first[page]) / float(first['fava']):.2f} × la première de Fava"
                ),
            )
        )
    return mesures
