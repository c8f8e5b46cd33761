"""Cost of the lock of closed exercices (plugin ``communs_plugins.cloture``) on every load.

On a copy of the generated 10 000 transaction ledger where every exercice but
the last is closed (``clotures.yaml`` written as ``communs cloture --ecrire``
does: one fingerprint per entry), one fresh process loads, alternately, the
same ledger with and without the ``plugin "communs_plugins.cloture"`` line
(the other communs plugins in both; pickle cache off; CPU time, best of
``RUNS``), and times the plugin alone on the loaded entries. The ratio
avec / sans is the overhead a user feels in ``bean-check``, Fava and every
command. Two cases: the files holding closed entries unchanged since the
closing (fast path: their SHA-256 only), then all of them touched (slow path:
every closed entry fingerprinted). Target: ≤ 1.05 (the one the plan_comptable
plugin is held to).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from grands_livres import PLUGIN_LINES, ledger
from mesures import Mesure, run_json

TITRE = "Verrou des exercices clôturés (surcoût du greffon cloture au chargement)"
TAILLE = 10_000
RUNS = 12
CIBLE_RATIO = 1.05

_PREPARE = r"""
import datetime, json, sys
from pathlib import Path
from beancount import loader
from communs_ledger.cloture.verrou import cloture_de, sources_de, texte_du_verrou as texte
from communs_ledger.contexte import LedgerContext

entries, errors, options = loader._uncached_load_file(sys.argv[1], None, None, None)
assert not errors, errors[:3]
context = LedgerContext.from_options(options)
dates = [e.date for e in entries if type(e).__name__ == "Transaction"]
exercices = context.calendrier.between(min(dates), max(dates))[:-1]
folder = Path(sys.argv[2]).parent
records = [
    cloture_de(entries, e.code, e.debut, e.fin, datetime.date(2030, 1, 1), folder,
               sources_de(options))
    for e in exercices
]
Path(sys.argv[2]).write_text(texte(records), encoding="utf-8")
print(json.dumps({"exercices": [r.exercice for r in records],
                  "ecritures": sum(r.ecritures for r in records),
                  "fichiers": sorted({n for r in records for n in r.fichiers})}))
"""

_MESURE = r"""
import gc, json, sys, time
from beancount import loader
from communs_plugins.cloture import cloture

avec, sans, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = {"avec": [], "sans": []}
entries = None
for index in range(runs):
    # Alternate which load comes first, and collect the previous ledger before timing:
    # the second of two back-to-back loads is otherwise slower whatever its file.
    order = (("sans", sans), ("avec", avec)) if index % 2 == 0 else (("avec", avec), ("sans", sans))
    for name, path in order:
        entries = None
        gc.collect()
        cpu = time.process_time()
        entries, errors, options = loader._uncached_load_file(path, None, None, None)
        times[name].append(time.process_time() - cpu)
        assert not errors, errors[:3]
entries, errors, options = loader._uncached_load_file(avec, None, None, None)
plugin = []
for _ in range(runs):
    cpu = time.process_time()
    _entries, found = cloture(entries, dict(options))
    plugin.append(time.process_time() - cpu)
    assert not found, found[:3]
print(json.dumps({"avec": min(times["avec"]), "sans": min(times["sans"]),
                  "greffon": min(plugin)}))
"""


def _copie(main: Path, dossier: Path) -> tuple[Path, Path]:
    """A copy of the ledger with two main files: with and without the cloture plugin."""
    shutil.copytree(main.parent, dossier / "livre")
    copie = dossier / "livre"
    text = (copie / main.name).read_text(encoding="utf-8")
    if text.count(PLUGIN_LINES[2]) != 1:
        raise RuntimeError("ligne du greffon cloture introuvable dans le grand livre généré")
    avec = copie / "main-avec-cloture.beancount"
    sans = copie / "main-sans-cloture.beancount"
    avec.write_text(text, encoding="utf-8")
    sans.write_text(text.replace(PLUGIN_LINES[2], ""), encoding="utf-8")
    return avec, sans


def _mesures(result: dict[str, object], label: str, cas: str, details: str) -> list[Mesure]:
    load_with, load_without, plugin = (float(result[k]) for k in ("avec", "sans", "greffon"))
    return [
        Mesure(f"Chargement sans le greffon cloture, {label}", load_without, "s", details="CPU"),
        Mesure(f"Chargement avec le greffon cloture, {label}, {cas}", load_with, "s"),
        Mesure(f"Greffon cloture seul, {label}, {cas}", plugin * 1000, "ms", details=details),
        Mesure(
            f"Part du greffon cloture dans le chargement, {label}, {cas}",
            plugin / load_without,
            "×",
            details="temps du greffon seul / chargement sans lui (moins bruité que l'écart)",
        ),
        Mesure(
            f"Surcoût du greffon cloture, {label}, {cas} (avec / sans)",
            load_with / load_without,
            "×",
            cible=CIBLE_RATIO,
            details=f"même processus, chargements alternés, meilleur de {RUNS}, cache désactivé",
        ),
    ]


def run() -> list[Mesure]:
    label = f"{TAILLE:,}".replace(",", "\u202f") + " écritures"
    with tempfile.TemporaryDirectory(prefix="communs-bench-cloture-") as temp:
        avec, sans = _copie(ledger(TAILLE), Path(temp))
        lock = avec.parent / "clotures.yaml"
        prepared = run_json(_PREPARE, str(avec), str(lock))  # before the lock exists
        closed = ", ".join(str(code) for code in prepared["exercices"])  # type: ignore[union-attr]
        details = f"exercices clôturés : {closed} ({prepared['ecritures']} écritures verrouillées)"
        unchanged = run_json(_MESURE, str(avec), str(sans), str(RUNS))
        # Slow path: every file holding entries of a closed exercice is touched (a comment
        # appended), so that each of their entries is fingerprinted on every load.
        for name in prepared["fichiers"]:  # type: ignore[union-attr]
            path = avec.parent / str(name)
            path.write_text(path.read_text(encoding="utf-8") + "\n; modifié\n", encoding="utf-8")
        touched = run_json(_MESURE, str(avec), str(sans), str(RUNS))
    return [
        *_mesures(unchanged, label, "fichiers clôturés inchangés", details),
        *_mesures(touched, label, "fichiers clôturés modifiés", details),
    ]
