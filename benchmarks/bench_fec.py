"""FEC export of one exercice, against the load time of the same ledger.

For the generated 10 000 and 100 000 transaction ledgers, one fresh process
loads the ledger (pickle cache off: that is the load time of reference), then
exports the FEC of its last complete exercice from the loaded entries: report
source (movements), FEC lines (journals, numbering, à-nouveaux), ISO 8859-15
encoding and the atomic write of the file. Target: the export ≤ 20 % of the load
time, for both ledgers. The check of the written file (``communs fec
--verifier``) is measured too, without a target.
"""

from __future__ import annotations

from grands_livres import ledger
from mesures import Mesure, run_json

TITRE = "Export FEC d'un exercice (coût relatif au chargement)"
TAILLES = (10_000, 100_000)
RUNS = 3
CIBLE_RATIO = 0.20

_EXPORT = r"""
import json, sys, tempfile, time
from pathlib import Path
from beancount import loader
from communs_ledger.contexte import LedgerContext
from communs_ledger.ecriture import write_file
from communs_ledger.fec.export import exporter
from communs_ledger.fec.verification import verifier_fichier
from communs_ledger.rapports.source import Source

cpu = time.process_time()
entries, errors, options = loader._uncached_load_file(sys.argv[1], None, None, None)
load = time.process_time() - cpu
assert not errors, errors[:3]
runs = int(sys.argv[2])
folder = Path(tempfile.mkdtemp(prefix="bench-fec-"))
export, check = [], []
for _ in range(runs):
    cpu = time.process_time()
    source = Source.from_context(entries, LedgerContext.from_options(options))
    exercice = source.exercices[-2]  # the last complete exercice
    fec = exporter(source, exercice, "843127655")
    path = folder / fec.nom_de_fichier
    write_file(path, fec.encoder().octets, replace=True)
    export.append(time.process_time() - cpu)
    cpu = time.process_time()
    result = verifier_fichier(path)
    check.append(time.process_time() - cpu)
    assert result.ok, [str(p) for p in result.problemes[:3]]
path.unlink()
folder.rmdir()
print(json.dumps({
    "chargement": load, "export": min(export), "verification": min(check),
    "exercice": exercice.code, "lignes": len(fec.lignes), "ecritures": fec.ecritures,
}))
"""


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def run() -> list[Mesure]:
    mesures: list[Mesure] = []
    for n in TAILLES:
        result = run_json(_EXPORT, str(ledger(n)), str(RUNS))
        load, export, check = (float(result[k]) for k in ("chargement", "export", "verification"))
        label = f"{_nombre(n)} écritures, exercice {result['exercice']}"
        size = (
            f"{_nombre(int(result['lignes']))} lignes, "
            f"{_nombre(int(result['ecritures']))} écritures comptables"
        )
        mesures.append(Mesure(f"Chargement, {label}", load, "s", details="CPU, cache désactivé"))
        mesures.append(
            Mesure(
                f"Export FEC, {label}",
                export,
                "s",
                details=f"mouvements, lignes, encodage, écriture du fichier ; {size} ; "
                f"meilleur de {RUNS}",
            )
        )
        mesures.append(
            Mesure(
                f"FEC / chargement, {label}",
                export / load,
                "×",
                CIBLE_RATIO,
                details="cible ≤ 20 %",
            )
        )
        mesures.append(
            Mesure(f"Vérification du FEC, {label}", check, "s", details=f"meilleur de {RUNS}")
        )
    return mesures
