"""The closing message counts as ``communs verifier`` does: « écritures » are the
transactions; the account openings and balance assertions the lock also holds are
« autres directives » (audit: « 132 écritures verrouillées » for 41 transactions).

Ledger of :mod:`livre_fonds_dedies`, exercice 2024: 7 transactions + the fonds dédiés
report the closing books = 8 écritures; 11 account openings + the balance of 2025-01-01
(it checks the end of 2024) = 12 other directives; 20 in the lock (``ecritures: 20``)."""

from __future__ import annotations

from pathlib import Path

from conftest import one_line
from livre_fonds_dedies import ecrire_livre


def test_message_de_cloture(tmp_path: Path, communs) -> None:
    main = ecrire_livre(tmp_path)
    closed = communs("cloture", "-f", str(main), "-e", "2024", "--ecrire")
    assert closed.exit_code == 0, closed.output
    message = one_line(closed.output)
    assert "Exercice 2024 clôturé : 8 écritures et 12 autres directives verrouillées (" in message
    assert message.endswith(
        "clotures.yaml). Pour y revenir : communs cloture rouvrir --exercice 2024."
    )
    assert "ecritures: 20" in (tmp_path / "clotures.yaml").read_text(encoding="utf-8")
