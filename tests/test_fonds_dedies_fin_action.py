"""Fonds dédiés left after the end of their action (financeurs audit).

The State (DRAJES) grants 12 000 € for « Été jeunes », 1 September 2025 – 31 August 2026,
dedicated, recognised in full on 15 September 2025. Hand figures:

- 2025: emploi 1 000 + 2 500 = 3 500; report 12 000 − 3 500 = 8 500 (booked here);
  the action runs on: no warning;
- 2026: emploi up to 31 August 3 000 + 2 000 + 1 500 = 6 500 (the 400 € of October,
  after the end, does not count); utilisation min(8 500 ; 6 500) = 6 500; closing
  8 500 − 6 500 = 2 000 € of fonds dédiés that no charge of the action can use any more:
  a warning at the convention's line says so (before: nothing), and the figures are
  unchanged (the tool does not decide between repaying and taking them to income).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from conftest import BANQUE, FONDS, write_ledger

ETAT = "Produits:74-Subventions:741-Subventions-d-exploitation:7411-Etat"
CREANCE = "Actif:44-Etat:441-Subventions-a-recevoir:Etat"
MATERIEL = "Charges:60-Achats:6063-Petit-equipement"
HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
TRANSPORT = "Charges:62-Autres-services-exterieurs:6251-Voyages-et-deplacements"
REPORT = "Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions"
FONDS_DEDIES = "Passif:19-Fonds-dedies:194-Fonds-dedies-subventions"

CONFIG = """\
association:
  nom: Les Ateliers du Val
projets:
  - code: JEUNES
    nom: Été jeunes
conventions: conventions.yaml
"""

CONVENTIONS = """\
conventions:
  - reference: ETAT-JEUNES
    financeur: DRAJES (ministère chargé de la jeunesse)
    type_financeur: etat
    objet: Été jeunes (septembre 2025 – août 2026)
    projets: [JEUNES]
    dediee: true
    montant: 12000
    debut: 2025-09-01
    fin: 2026-08-31
    notification: 2025-09-15
    exercice: "2025"
    compte: "7411"
    charges_eligibles: ["60", "61", "62", "64"]
    versements:
      - {libelle: versement unique, part: 100, date: 2025-10-15}
"""


def _charge(day: str, account: str, amount: str) -> str:
    return f"""
{day} * "Fournisseur" "Été jeunes"
  projet: "JEUNES"
  {account}   {amount} EUR
  {BANQUE}
"""


LEDGER = (
    f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {FONDS}
2025-01-01 open {ETAT}
2025-01-01 open {CREANCE}
2025-01-01 open {MATERIEL}
2025-01-01 open {HONORAIRES}
2025-01-01 open {TRANSPORT}
2025-01-01 open {REPORT}
2025-01-01 open {FONDS_DEDIES}

2025-01-01 * "Reprise du bilan d'ouverture"
  {BANQUE}   40000.00 EUR
  {FONDS}

2025-09-15 * "DRAJES" "Notification"
  convention: "ETAT-JEUNES"
  {CREANCE}   12000.00 EUR
  {ETAT}

2025-10-15 * "DRAJES" "Versement"
  convention: "ETAT-JEUNES"
  {BANQUE}   12000.00 EUR
  {CREANCE}

2025-12-31 * "Report en fonds dédiés"
  convention: "ETAT-JEUNES"
  projet: "JEUNES"
  {REPORT}   8500.00 EUR
  {FONDS_DEDIES}
"""
    + _charge("2025-10-05", MATERIEL, "1000.00")
    + _charge("2025-11-20", HONORAIRES, "2500.00")
    + _charge("2026-02-10", HONORAIRES, "3000.00")
    + _charge("2026-04-15", MATERIEL, "2000.00")
    + _charge("2026-07-10", TRANSPORT, "1500.00")
    + _charge("2026-10-01", MATERIEL, "400.00")
)


def _fonds(communs: Callable[..., Any], path: Path, exercice: str) -> dict[str, Any]:
    result = communs("fonds-dedies", "-f", str(path), "-e", exercice, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _ecrire(folder: Path) -> Path:
    path = write_ledger(folder, LEDGER, config=CONFIG)
    (folder / "conventions.yaml").write_text(textwrap.dedent(CONVENTIONS), encoding="utf-8")
    return path


def _espaces(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_fonds_restants_apres_la_fin_de_l_action(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    path = _ecrire(ledger_dir)
    data_2025 = _fonds(communs, path, "2025")
    row = next(p for p in data_2025["parties"] if p["id"] == "fonds")["lignes"][0]["valeurs"]
    assert (D(row["emploi"]), D(row["report"]), D(row["cloture"])) == (
        D("3500.00"),
        D("8500.00"),
        D("8500.00"),
    )
    assert not any("action terminée" in w for w in data_2025["avertissements"])

    data = _fonds(communs, path, "2026")
    row = next(p for p in data["parties"] if p["id"] == "fonds")["lignes"][0]["valeurs"]
    figures = ("ouverture", "emploi", "utilisation", "report", "cloture")
    assert {k: D(row[k]) for k in figures} == {
        "ouverture": D("8500.00"),
        "emploi": D("6500.00"),
        "utilisation": D("6500.00"),
        "report": D("0.00"),
        "cloture": D("2000.00"),
    }
    warnings = [_espaces(w) for w in data["avertissements"]]
    assert any(
        w.startswith(
            "conventions.yaml:2: ETAT-JEUNES : action terminée le 31 août 2026, "
            "2 000,00 € de fonds dédiés restent au passif à la clôture du 31 décembre 2026"
        )
        for w in warnings
    ), warnings
