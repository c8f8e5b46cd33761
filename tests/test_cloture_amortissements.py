"""``communs cloture`` refuses to close an exercice whose dotations aux amortissements
(or disposals) of the register are not booked: the lock would freeze a wrong bilan and
result. The check appears when a register is declared (``immobilisations:`` of
communs.yaml). Real command, small ledger written here, figures by hand."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT_OPTIONS, one_line

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
MATERIEL = "Actif:21-Immobilisations-corporelles:2183-Materiel-de-bureau-et-informatique"
AMORT = "Actif:28-Amortissements:28183-Amortissements-materiel-de-bureau"
DOTATION = "Charges:68-Dotations:6811-Dotations-aux-amortissements"
APPORT = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"

LIVRE = (
    ROOT_OPTIONS
    + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
    + 'plugin "communs_plugins.plan_comptable"\nplugin "communs_plugins.cloture"\n\n'
    + "\n".join(f"2024-01-01 open {name}" for name in (BANQUE, MATERIEL, AMORT, DOTATION, APPORT))
    + f"""

2024-01-02 * "Apport"
  {BANQUE}  5000.00 EUR
  {APPORT}

2024-04-01 * "Ordinateur"
  {MATERIEL}  3600.00 EUR
  {BANQUE}

2025-01-01 balance {BANQUE}  1400.00 EUR
"""
)

REGISTRE = """\
immobilisations:
  - id: INFO-2024
    libelle: Ordinateur
    compte: "2183"
    valeur_origine: 3600.00
    mise_en_service: 2024-04-01
    duree: 3
"""


def test_closing_waits_for_the_dotations(tmp_path: Path, communs) -> None:
    main = tmp_path / "main.beancount"
    main.write_text(LIVRE, encoding="utf-8")
    (tmp_path / "immobilisations.yaml").write_text(REGISTRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text(
        "association:\n  nom: Asso\nimmobilisations: immobilisations.yaml\n", encoding="utf-8"
    )
    # 3 600 over 3 years from 01/04/2024 (30/360): 1 200 × 270/360 = 900 for 2024.
    checks = communs("cloture", "-f", str(main), "-e", "2024", "--format", "json")
    assert checks.exit_code == 1
    data = json.loads(checks.stdout[: checks.stdout.rindex("}") + 1])
    rows = {row["id"]: row["valeurs"]["resultat"] for row in data["parties"][0]["lignes"]}
    assert rows["immobilisations"] == "✗ échec"
    assert "INFO-2024 : dotation aux amortissements de 900,00 € à passer" in one_line(checks.output)
    # Before: closed and locked with 3 600 net of fixed assets and no dotation.
    closing = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert closing.exit_code == 1
    assert "clôture impossible" in one_line(closing.output)
    assert not (tmp_path / "clotures.yaml").exists()

    written = communs("immobilisations", "-f", str(main), "-e", "2024", "--ecrire", str(main))
    assert written.exit_code == 0, written.output
    closing = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert closing.exit_code == 0, closing.output
    assert "Amortissements et cessions passés" in closing.output
