"""Audit (an association written from the user guide): the « convention probable » warning
of ``communs verifier`` must not name a convention that has nothing left to receive or to
recognise. The Ville's 2025 subsidy (5 000 €, received and tagged on 20 March 2025, its
convention running to 31 December 2025) is settled; the Ville's 2026 subsidy received
untagged on 10 March 2026 — inside the 2025 convention's window (its end + 183 days) — is
another subsidy: tagging it VILLE-2025 would count 10 000 € received for 5 000 granted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import write_ledger

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
VILLE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"

CONVENTIONS = """\
conventions:
  - reference: VILLE-2025
    financeur: Ville de Nantes
    type_financeur: commune
    objet: Fonctionnement 2025
    montant: 5000
    debut: 2025-01-01
    fin: 2025-12-31
    notification: 2025-03-01
    compte: "7415"
    versements: [{libelle: unique, part: 100, date: 2025-03-20}]
"""


# The same convention for 10 000 €: an « avance » of 5 000 € on 20 March 2025 and a
# « solde » of 5 000 € expected on 30 September 2025.
AVEC_SOLDE = CONVENTIONS.replace("montant: 5000", "montant: 10000").replace(
    "versements: [{libelle: unique, part: 100, date: 2025-03-20}]",
    "versements: [{libelle: avance, part: 50, date: 2025-03-20},"
    " {libelle: solde, part: 50, date: 2025-09-30}]",
)


def _ledger(folder: Path, tag_2025: str) -> Path:
    body = f"""
2025-01-01 open {BANQUE}
2025-01-01 open {FONDS}
2025-01-01 open {VILLE}

2025-01-02 * "Apport"
  {BANQUE}  1000.00 EUR
  {FONDS}

2025-03-20 * "Ville de Nantes" "Subvention de fonctionnement 2025"{tag_2025}
  {BANQUE}  5000.00 EUR
  {VILLE}

2026-03-10 * "Ville de Nantes" "Subvention de fonctionnement 2026"
  {BANQUE}  5000.00 EUR
  {VILLE}
"""
    path = write_ledger(folder, body, config="conventions: conventions.yaml\n")
    (folder / "conventions.yaml").write_text(CONVENTIONS, encoding="utf-8")
    return path


def test_une_convention_soldee_n_est_pas_probable(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    path = _ledger(tmp_path / "asso", '\n  convention: "VILLE-2025"')
    result = communs("verifier", "-f", str(path))
    assert result.exit_code == 0, result.output
    assert "convention probable" not in result.output


def test_une_convention_qui_attend_un_versement_reste_probable(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    # The same convention for 10 000 €, a « solde » of 5 000 € expected on 30 September
    # 2025 and not received: the 2026 receipt (161 days later) may well be it.
    folder = tmp_path / "asso"
    path = _ledger(folder, '\n  convention: "VILLE-2025"')
    (folder / "conventions.yaml").write_text(AVEC_SOLDE, encoding="utf-8")
    result = communs("verifier", "-f", str(path))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "le 10 mars 2026" in text
    assert "convention probable VILLE-2025, versement « solde »" in text


def test_premier_versement_sans_etiquette_reconnu_par_le_type_de_financeur(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    # Parcours audit: a new association's first subsidy receipt, untagged, on
    # 7415-Commune (label « Commune »), the convention naming its funder « Ville de
    # Nantes » with type_financeur: commune. No earlier tagged entry names the
    # funder's sub-line: the kind of funder must match, else no warning and the cash
    # plan forecasts the instalment a second time.
    path = _ledger(tmp_path / "asso", "")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("2026-03-10")[0], encoding="utf-8")  # the 2025 receipt only
    result = communs("verifier", "-f", str(path))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "encaissement de 5 000,00 € le 20 mars 2025" in text
    assert "convention probable VILLE-2025, versement « unique »" in text


DEPARTEMENT = "Produits:74-Subventions:741-Subventions-d-exploitation:7413-Departement"
CONVENTION_DEPARTEMENT = """\
  - reference: DEP-2025
    financeur: Département de Loire-Atlantique
    type_financeur: departement
    objet: Ateliers 2025
    montant: 2000
    debut: 2025-01-01
    fin: 2025-12-31
    compte: "7413"
    versements: [{libelle: unique, part: 100, date: 2025-06-30}]
"""


def test_une_ecriture_a_plusieurs_lignes_de_subventions_se_rattache_ligne_par_ligne(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    # Audit: one entry received the Ville's 3 000 € and the Département's 2 000 € (two
    # credit lines on the accounts of two conventions). « convention: » on the entry
    # would attach both lines to one convention: the advice is to tag under the line.
    # VILLE-2025 is the 10 000 € convention of the test above (avance tagged, solde due).
    folder = tmp_path / "asso"
    path = _ledger(folder, '\n  convention: "VILLE-2025"')
    (folder / "conventions.yaml").write_text(
        AVEC_SOLDE + CONVENTION_DEPARTEMENT,
        encoding="utf-8",
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            f"2025-01-01 open {VILLE}",
            f"2025-01-01 open {VILLE}\n2025-01-01 open {DEPARTEMENT}",
        )
        + f"""
2025-06-30 * "Versements groupés"
  {BANQUE}  5000.00 EUR
  {VILLE}  -3000.00 EUR
  {DEPARTEMENT}  -2000.00 EUR
""",
        encoding="utf-8",
    )
    result = communs("verifier", "-f", str(path))
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.replace("\u202f", " ").split())
    assert "encaissement de 3 000,00 € le 30 juin 2025" in out
    assert (
        'ajoutez convention: "VILLE-2025" sous la ligne '
        "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune (pas à "
        "l'écriture" in out
    )
    # the 2026 receipt, alone on its entry, keeps the short advice
    assert "encaissement de 5 000,00 € le 10 mars 2026" in out
    assert 'versement « solde » (Ville de Nantes) ; ajoutez convention: "VILLE-2025" à' in out
