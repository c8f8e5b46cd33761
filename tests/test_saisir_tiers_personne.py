"""``communs saisir recette --donateur`` (a gift) and ``--adherent`` (a fee) write the
register's name as the payee, as ``saisir abandon-de-frais`` does (donateurs.yaml /
adherents.yaml of :mod:`test_dons`: DURAND-M is Marie Durand, A2 Bruno Bernard); an
explicit ``--tiers`` still wins."""

from __future__ import annotations

from pathlib import Path

from test_dons import BANQUE, COTISATIONS, DONS, _dossier


def _saisir(communs, *options: str) -> str:
    result = communs(
        "saisir", "recette", "--date", "2026-10-05", "--montant", "75", "--libelle", "Don",
        "--fichier", "main.beancount", "--oui", *options,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def _ecriture(ledger_dir: Path) -> list[str]:
    texte = (ledger_dir / "main.beancount").read_text(encoding="utf-8")
    return texte[texte.index("2026-10-05 *") :].splitlines()


def test_un_don_prend_le_nom_du_donateur(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    _saisir(communs, "--compte", "7541", "--donateur", "DURAND-M", "--paiement", "virement")
    ecriture = _ecriture(ledger_dir)
    assert ecriture[0] == '2026-10-05 * "Marie Durand" "Don"'
    assert ecriture[1:3] == ['  donateur: "DURAND-M"', '  paiement: "virement"']
    assert BANQUE in ecriture[3] and "75.00 EUR" in ecriture[3]
    assert DONS in ecriture[4] and "-75.00 EUR" in ecriture[4]


def test_une_cotisation_prend_le_nom_de_l_adherent(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    # found by name, written with the register's spelling and code
    _saisir(communs, "--compte", "756", "--adherent", "bruno BERNARD")
    ecriture = _ecriture(ledger_dir)
    assert ecriture[0] == '2026-10-05 * "Bruno Bernard" "Don"'
    assert ecriture[1] == '  adherent: "A2"'
    assert COTISATIONS in ecriture[3] and "-75.00 EUR" in ecriture[3]


def test_un_tiers_explicite_l_emporte(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    _saisir(communs, "--compte", "7541", "--donateur", "DURAND-M", "--tiers", "M. Durand")
    assert _ecriture(ledger_dir)[0] == '2026-10-05 * "M. Durand" "Don"'


def test_sans_personne_pas_de_tiers(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    _saisir(communs, "--compte", "7541")
    assert _ecriture(ledger_dir)[0] == '2026-10-05 * "Don"'
