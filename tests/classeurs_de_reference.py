"""The workbooks whose fingerprints are kept under ``tests/reference/xlsx/`` (see
:mod:`empreinte_xlsx`): ``communs export xlsx`` of the example association and of a small
generated ledger, each report of the example as ``--format xlsx`` from Fava (guide
hyperlinks), and the synthetic reports of the renderer's tests (awkward texts, charts)."""

from __future__ import annotations

import shutil
from pathlib import Path

from communs_ledger.application.generateur import generate_ledger
from communs_ledger.cli.export import construire_classeur
from communs_ledger.cli.rapports import exercice_de, source_du_grand_livre
from communs_ledger.rendu import classeur, en_xlsx
from communs_ledger.rendu.renvois import Renvoi

EXEMPLE = Path(__file__).resolve().parents[1] / "examples" / "association"
GENERE = {"transactions": 300, "seed": 7, "years": 2}
"""The small generated ledger: 300 transactions over two exercices (the first exported)."""


def lien(cible: Renvoi) -> str:
    """A guide address as Fava gives it (``lien_guide``)."""
    return f"http://localhost:5000/guide/{cible.page}" + (f"#{cible.ancre}" if cible.ancre else "")


def _export(main: Path, code: str) -> tuple[bytes, classeur.Classeur]:
    source = source_du_grand_livre(main)
    contenu = construire_classeur(source, exercice_de(source, code))
    return classeur.render(contenu), contenu


def construire(dossier: Path) -> dict[str, bytes]:
    """Every workbook, by the name of its reference file (copies built in ``dossier``)."""
    from test_rendu_exemples import tous
    from test_rendu_graphiques import _chart, _rapport
    from test_rendu_xlsx_lignes import _awkward

    exemple = dossier / "association"
    shutil.copytree(EXEMPLE, exemple, ignore=shutil.ignore_patterns(".*.picklecache"))
    data, contenu = _export(exemple / "main.beancount", "2025")
    workbooks = {"exemple-2025-classeur": data}
    for cahier in contenu.cahiers:
        rapport = cahier.rapport
        if rapport.id == "grand_livre":
            continue  # its table is the classeur's « Grand livre » sheet
        workbooks[f"exemple-2025-{rapport.id}"] = en_xlsx.render(rapport, lien_guide=lien)
    written = generate_ledger(
        dossier / "genere", GENERE["transactions"], GENERE["seed"], years=GENERE["years"]
    )
    workbooks[f"genere-{GENERE['transactions']}-classeur"] = _export(written.main, "2025")[0]
    synthetiques = [*tous(), _awkward(), _rapport(_chart("courbe"), _chart("barres", None))]
    for index, rapport in enumerate(synthetiques):
        workbooks[f"synthetique-{index}-{rapport.id}"] = en_xlsx.render(rapport)
    return workbooks
