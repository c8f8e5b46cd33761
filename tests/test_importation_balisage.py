"""``communs importer`` neutralises markup in bank labels: ``<`` and ``>`` become ``‹``
and ``›`` in the narration (Fava 1.30 shows narrations as HTML), the raw label stays in
``libelle_banque`` with ``<`` and ``>`` escaped, and a second import still recognises
the operation (same bank label)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_importation_cli import ajoute, ecrire_livre

LIBELLE = 'VIR <svg onload=alert(2)> "><img src=x onerror=alert(3)>'


def test_libelle_bancaire_sans_balise(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    main = ecrire_livre(ledger_dir)
    folder = main.parent
    csv = '"' + LIBELLE.replace('"', '""') + '"'
    (folder / "releves" / "piege.csv").write_text(
        f"Date;Date de valeur;Montant;Libellé;Solde\n10/03/2026;10/03/2026;-4,00;{csv};8761,44\n",
        encoding="iso-8859-15",
    )
    before = (folder / "2026.beancount").read_text(encoding="utf-8")
    first = communs("importer", "releves/piege.csv", "--ecrire", "2026.beancount")
    assert first.exit_code == 0, first.output
    texte = ajoute(folder, before)
    assert '! "VIR ‹svg onload=alert(2)› \\"›‹img src=x onerror=alert(3)›"' in texte
    assert (
        '  libelle_banque: "VIR &lt;svg onload=alert(2)&gt; \\"&gt;&lt;img src=x '
        'onerror=alert(3)&gt;"'
    ) in texte
    assert "<" not in texte and ">" not in texte
    after = (folder / "2026.beancount").read_bytes()
    again = communs("importer", "releves/piege.csv", "--ecrire", "2026.beancount")
    assert again.exit_code == 0, again.output
    assert "  Doublons ignorés                       1" in again.stderr.splitlines()
    assert "(même libellé bancaire)" in again.stderr
    assert (folder / "2026.beancount").read_bytes() == after
