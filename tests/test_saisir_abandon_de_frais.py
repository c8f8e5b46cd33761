"""``communs saisir abandon-de-frais`` writes the donor's name (donateurs.yaml) as the
payee, as the other gift entries carry it (docs/dons-et-recus.md: ``2026-04-30 * "Pierre
Martin" "Abandon de frais : …"``); an explicit ``--tiers`` still wins. The ledger and
registers of :mod:`test_dons` (MARTIN-P is Pierre Martin)."""

from __future__ import annotations

from pathlib import Path

from test_dons import ABANDONS, VOYAGES, _dossier


def _saisir(communs, *options: str) -> str:
    result = communs(
        "saisir", "abandon-de-frais", "--date", "2026-10-31", "--compte", "6251",
        "--montant", "42,50", "--donateur", "MARTIN-P", "--libelle",
        "Abandon de frais : déplacements d'octobre", "--fichier", "main.beancount",
        "--oui", *options,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def test_le_donateur_est_le_tiers(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    _saisir(communs)
    texte = (ledger_dir / "main.beancount").read_text(encoding="utf-8")
    abandon = texte[texte.index("2026-10-31 *") :].splitlines()
    assert abandon[0] == (
        '2026-10-31 * "Pierre Martin" "Abandon de frais : déplacements d\'octobre"'
    )
    assert abandon[1:3] == ['  donateur: "MARTIN-P"', '  nature: "abandon_frais"']
    assert VOYAGES in abandon[3] and "42.50 EUR" in abandon[3]
    assert ABANDONS in abandon[4] and "-42.50 EUR" in abandon[4]


def test_un_tiers_explicite_l_emporte(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    _saisir(communs, "--tiers", "P. Martin")
    texte = (ledger_dir / "main.beancount").read_text(encoding="utf-8")
    assert '2026-10-31 * "P. Martin" "Abandon de frais' in texte
