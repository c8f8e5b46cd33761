"""The kernel's « append and re-check » service (``communs_ledger.ajout``), on small ledgers."""

from __future__ import annotations

import os
from pathlib import Path

from communs_ledger.acces_exclusif import NOM_JOURNAL
from communs_ledger.ajout import Changement, ajouter, ecrire_et_verifier
from communs_ledger.chargement import load_livre
from conftest import BANQUE, COTISATIONS, ROOT_OPTIONS

COTISATION = f'2026-02-10 * "Cotisation"\n  {BANQUE}  30.00 EUR\n  {COTISATIONS}  -30.00 EUR\n'


def _livre(folder: Path) -> Path:
    main = folder / "main.beancount"
    main.write_text(
        ROOT_OPTIONS + f"2026-01-01 open {BANQUE} EUR\n2026-01-01 open {COTISATIONS}\n",
        encoding="utf-8",
    )
    return main


def test_ajout_garde_et_recharge(tmp_path: Path) -> None:
    main = _livre(tmp_path)
    before = main.read_bytes()
    resultat = ajouter(load_livre(main), main, COTISATION)
    assert resultat.ok
    assert resultat.fichiers == (main,)
    assert main.read_bytes() == before + b"\n" + COTISATION.encode()
    assert resultat.livre is not None and len(resultat.livre.entries) == 3
    assert not (tmp_path / NOM_JOURNAL).exists()


def test_nouvelle_erreur_restaure_a_l_octet_pres(tmp_path: Path) -> None:
    main = _livre(tmp_path)
    os.chmod(main, 0o600)
    before = main.read_bytes()
    desequilibree = COTISATION.replace("-30.00", "-20.00")
    resultat = ajouter(load_livre(main), main, desequilibree)
    assert not resultat.ok and resultat.livre is None
    ligne = len(before.splitlines()) + 2  # after the empty line that separates the append
    assert [(d.filename, d.line) for d in resultat.nouvelles_erreurs] == [(str(main), ligne)]
    assert main.read_bytes() == before
    assert main.stat().st_mode & 0o777 == 0o600


def test_erreur_ancienne_tolere(tmp_path: Path) -> None:
    """Errors already in the ledger do not refuse the write; only new ones do."""
    main = _livre(tmp_path)
    with main.open("a", encoding="utf-8") as file:
        file.write(COTISATION.replace("-30.00", "-20.00"))
    livre = load_livre(main)
    assert len(livre.diagnostics) == 1
    assert ajouter(livre, main, COTISATION).ok


def test_fichier_cree_puis_refuse_est_supprime(tmp_path: Path) -> None:
    main = _livre(tmp_path)
    with main.open("a", encoding="utf-8") as file:
        file.write('include "previsions.beancount"\n')
    cible = tmp_path / "previsions.beancount"
    refuse = ecrire_et_verifier(main, [Changement(cible, "2026-13-01 x\n", remplacer=True)])
    assert not refuse.ok
    assert not cible.exists()
    garde = ecrire_et_verifier(main, [Changement(cible, ROOT_OPTIONS + COTISATION, remplacer=True)])
    assert garde.ok, garde.nouvelles_erreurs
    assert cible.read_text(encoding="utf-8") == ROOT_OPTIONS + COTISATION


def test_fichier_hors_du_livre_lu_seul(tmp_path: Path) -> None:
    main = _livre(tmp_path)
    cible = tmp_path / "a-inclure.beancount"
    ok = ecrire_et_verifier(
        main, [Changement(cible, ROOT_OPTIONS + COTISATION, remplacer=True)], dans_le_livre=False
    )
    assert ok.ok and ok.livre is None
    refuse = ecrire_et_verifier(
        main, [Changement(cible, '2026-02-10 * "x\n', remplacer=True)], dans_le_livre=False
    )
    assert not refuse.ok
    assert cible.read_text(encoding="utf-8") == ROOT_OPTIONS + COTISATION  # put back
