"""Fonds dédiés left at the closing of a convention that has ended: no charge after its
end counts as emploi any more, so they would stay on the passif for ever. Whether they
go back to the funder or are reassigned is the funder's decision, not the ledger's: the
tool does not guess, it warns at the convention's ``fichier:ligne`` (``communs
fonds-dedies`` and the closing checks), on a small ledger written here."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT_OPTIONS, one_line

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
ACHATS = "Charges:60-Achats:6068-Autres-fournitures"
REPORT = "Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions"
UTILISATION = "Produits:78-Reprises:7894-Utilisations-fonds-dedies-subventions"
FONDS = "Passif:19-Fonds-dedies:194-Fonds-dedies-subventions"
APPORT = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"

LIVRE = (
    ROOT_OPTIONS
    + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
    + 'plugin "communs_plugins.plan_comptable"\n\n'
    + "\n".join(
        f"2024-01-01 open {name}" for name in (BANQUE, REGION, ACHATS, REPORT, UTILISATION, FONDS)
    )
    + f"\n2024-01-01 open {APPORT}\n"
    + f"""
2024-01-02 * "Apport"
  {BANQUE}  5000.00 EUR
  {APPORT}

2024-02-01 * "Région" "Subvention du projet P"
  convention: "REG-P"
  {BANQUE}  1000.00 EUR
  {REGION}

2024-05-01 * "Fournitures du projet P"
  projet: "P"
  {ACHATS}  400.00 EUR
  {BANQUE}

2024-12-31 * "Report en fonds dédiés"
  convention: "REG-P"
  {REPORT}  600.00 EUR
  {FONDS}

2025-03-01 * "Fournitures du projet P"
  projet: "P"
  {ACHATS}  200.00 EUR
  {BANQUE}

2025-12-31 * "Utilisation des fonds dédiés"
  convention: "REG-P"
  {FONDS}  200.00 EUR
  {UTILISATION}
"""
)

CONVENTIONS = """\
conventions:
  - reference: REG-P
    financeur: Région
    type_financeur: region
    objet: Projet P
    projets: [P]
    montant: 1000
    debut: 2024-01-01
    fin: 2025-06-30
    exercice: "2024"
    dediee: true
    compte: "7412"
    charges_eligibles: ["60"]
"""


def _dossier(tmp_path: Path) -> Path:
    (tmp_path / "main.beancount").write_text(LIVRE, encoding="utf-8")
    (tmp_path / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text(
        "association:\n  nom: Asso\nprojets:\n  - code: P\n    nom: Projet P\n"
        "conventions: conventions.yaml\n",
        encoding="utf-8",
    )
    return tmp_path / "main.beancount"


def test_fonds_left_after_the_end_of_the_convention_are_flagged(tmp_path: Path, communs) -> None:
    main = _dossier(tmp_path)
    # 2024: 1 000 received − 400 spent = 600 reported; the convention runs until
    # 30/06/2025: nothing to say.
    r2024 = communs("fonds-dedies", "-f", str(main), "-e", "2024", "--format", "json")
    assert r2024.exit_code == 0, r2024.output
    doc = json.loads(r2024.stdout)
    assert doc["totaux"]["cloture"] == "600.00"
    assert not [w for w in doc["avertissements"] if "terminée" in w]

    # 2025: 600 at the opening − min(600, 200) used = 400 left at 31/12/2025, the
    # convention having ended on 30/06/2025 (before: no warning at all).
    r2025 = communs("fonds-dedies", "-f", str(main), "-e", "2025", "--format", "json")
    assert r2025.exit_code == 0, r2025.output
    doc = json.loads(r2025.stdout)
    assert doc["totaux"]["cloture"] == "400.00"
    (warning,) = [w for w in doc["avertissements"] if "terminée" in w]
    assert "conventions.yaml:2: REG-P : action terminée le 30 juin 2025, " in warning
    assert "400,00 € de fonds dédiés restent au passif à la clôture du 31 décembre 2025" in (
        one_line(warning)
    )

    # The closing checks say it too, without failing on it (the decision is the funder's).
    checks = communs("cloture", "-f", str(main), "-e", "2025")
    out = one_line(checks.output)
    assert "REG-P : action terminée le 30 juin 2025" in out
    assert "Fonds dédiés calculés et comptabilisés ✓ réussi" in out
