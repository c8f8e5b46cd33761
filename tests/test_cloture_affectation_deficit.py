"""``communs cloture affecter`` on a deficit: the loss left in report à nouveau goes to
119, the share charged to réserves debits 1068 — but never beyond what the réserves
hold on the day of the AG (a réserve account is never in debit), through the real
command on a small ledger written here."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import one_line
from test_cloture_affectation_report import livre

LIVRE = livre(loyer="900.00", cotisations="400.00", banque="500.00")
"""2024: rent 900, fees 400 (result −500); réserves 200, report à nouveau 300."""


def test_a_loss_is_charged_to_reserves_only_up_to_what_they_hold(tmp_path: Path, communs) -> None:
    # Résultat 2024 = 400 − 900 = −500; réserves pour projet (1068) = 200 on 14/06/2025.
    main = tmp_path / "main.beancount"
    main.write_text(LIVRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    assert communs("cloture", "-f", str(main), "-e", "2024", "--ecrire").exit_code == 0
    args = ("cloture", "affecter", "-f", str(main), "-e", "2024", "--date", "2025-06-14")
    target = str(tmp_path / "main.beancount")
    before = main.read_bytes()

    # 300 of the loss charged to 200 of réserves would leave 1068 in debit (−100):
    # refused with the maximum (before: written, réserves of −100,00 € at the bilan).
    too_much = communs(*args, "--reserves", "-300", "--ecrire", target)
    assert too_much.exit_code == 1
    out = one_line(too_much.output)
    assert "--reserves -300,00 €" in out
    assert "au plus 200,00 € de la perte (--reserves -200.00)" in out
    assert "Rien n'est écrit" in out and "Traceback" not in out
    assert main.read_bytes() == before

    # 200 to réserves, 300 left in report à nouveau: 110 credited 500, 119 debited 300,
    # 1068 debited 200.
    done = communs(*args, "--reserves", "-200", "--ecrire", target)
    assert done.exit_code == 0, done.output
    bilan = json.loads(communs("bilan", "-f", str(main), "-e", "2025", "--format", "json").stdout)
    passif = {row.get("id"): row["valeurs"] for row in bilan["parties"][1]["lignes"]}
    # Réserves 200 − 200 = 0; report à nouveau 300 (110) + 500 (110) − 300 (119) − 500
    # (result 2024, not moved to 12) = 0; fonds propres 500 (102) = 1 000 − 500.
    assert passif["reserves_projet"]["n"] == "0.00"
    assert passif["report_a_nouveau"]["n"] == "0.00"
    assert passif["reserves_projet"]["n1"] == "200.00"
    assert passif["report_a_nouveau"]["n1"] == "300.00"


def test_the_proposal_of_the_rapport_financier_follows_the_same_rule(
    tmp_path: Path, communs
) -> None:
    # The board proposes to charge 300 of the 500 loss to réserves that hold 200 on
    # 01/01/2025: the same refusal, at the proposal's line of communs.yaml (before: the
    # proposal was printed as it stood, réserves going to -100).
    main = tmp_path / "main.beancount"
    main.write_text(LIVRE, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text(
        'association:\n  nom: Asso\ncomptes_annuels:\n  exercices:\n    "2024":\n'
        "      affectation_proposee: {reserves: -300}\n",
        encoding="utf-8",
    )
    result = communs("rapport-financier", "-f", str(main), "-e", "2024")
    assert result.exit_code == 1
    out = one_line(result.output)
    assert "communs.yaml:6: affectation proposée : reserves -300,00 €" in out
    assert "au plus 200,00 € de la perte" in out and "Traceback" not in out
    # 200 is accepted: 200 to réserves, 300 left in report à nouveau.
    (tmp_path / "communs.yaml").write_text(
        'association:\n  nom: Asso\ncomptes_annuels:\n  exercices:\n    "2024":\n'
        "      affectation_proposee: {reserves: -200}\n",
        encoding="utf-8",
    )
    result = communs("rapport-financier", "-f", str(main), "-e", "2024")
    assert result.exit_code == 0, result.output
