"""``communs verifier`` warns (never an error) about markup in the ledger's text, with
``file:line``: narration, payee, metadata of a transaction, a posting and an account,
a note, a custom string value. Ordinary text (« Frais 3 < 5 » aside) is not flagged."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BANQUE, FONDS, FOURNITURES, run_communs, write_ledger

# header (ROOT_OPTIONS + plugin line) is 6 lines: the body starts at line 7; a
# metadata warning names its directive's line (or its posting's)
CORPS = f"""\
2026-01-01 open {BANQUE} EUR
  description: "<img src=x onerror=alert(6)>"
2026-01-01 open {FONDS}
2026-01-01 open {FOURNITURES}

2026-01-05 * "Apport des fondateurs" "Réunion du bureau : versement = 20 000"
  {BANQUE}  20000.00 EUR
  {FONDS}

2026-03-20 * "<svg onload=alert(2)>" "\\"><img src=x onerror=alert(3)>"
  lien: "javascript:alert(5)"
  {FOURNITURES}  300.00 EUR
    detail: "x onmouseover = alert(4)"
  {BANQUE}

2026-03-21 note {BANQUE} "<a href=x>note</a>"
2026-03-22 custom "rappel" "<b>gras</b>"
"""

FAVA = "que Fava insère tel quel dans ses pages"
BALISE = (
    f"contient « < » ou « > » (balise HTML), {FAVA} : remplacez-les par ‹ et › s'ils ne "
    "sont pas voulus"
)
JAVASCRIPT = f"contient un lien « javascript: », {FAVA} : retirez-le s'il n'est pas voulu"
ATTRIBUT = f"contient un attribut « on…= » (script), {FAVA} : retirez le « = » s'il n'est pas voulu"


def test_verifier_avertit_du_balisage_avec_fichier_et_ligne(tmp_path: Path) -> None:
    main = write_ledger(tmp_path / "asso", CORPS)
    done = run_communs("verifier", str(main), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr  # warnings, not errors
    resultat = json.loads(done.stdout)
    assert resultat["nombre_erreurs"] == 0
    assert [(a["ligne"], a["message"]) for a in resultat["avertissements"]] == [
        (7, f"la métadonnée « description » « <img src=x onerror=alert(6)> » {BALISE}"),
        (16, f"la métadonnée « lien » « javascript:alert(5) » {JAVASCRIPT}"),
        (16, f"le bénéficiaire « <svg onload=alert(2)> » {BALISE}"),
        (16, f'le libellé « "><img src=x onerror=alert(3)> » {BALISE}'),
        (18, f"la métadonnée « detail » « x onmouseover = alert(4) » {ATTRIBUT}"),
        (22, f"la note « <a href=x>note</a> » {BALISE}"),
        (23, f"la directive custom « <b>gras</b> » {BALISE}"),
    ]
    assert {a["fichier"] for a in resultat["avertissements"]} == {str(main)}


def test_verifier_texte_lisible_un_avertissement_par_ligne(tmp_path: Path) -> None:
    main = write_ledger(tmp_path / "asso", CORPS)
    done = run_communs("verifier", str(main))
    assert done.returncode == 0
    assert f'{main}:16: le libellé « "><img src=x onerror=alert(3)> » contient' in done.stdout
    assert "Aucune erreur, 7 avertissements" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_texte_ordinaire_sans_avertissement(tmp_path: Path) -> None:
    main = write_ledger(
        tmp_path / "asso",
        f"""\
        2026-01-01 open {BANQUE} EUR
        2026-01-01 open {FONDS}
        2026-01-05 * "Réunion" "Versement = 20 000 ; montant : bon"
          piece: "facture-ONE=12"
          {BANQUE}  20000.00 EUR
          {FONDS}
        """,
    )
    done = run_communs("verifier", str(main), "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["avertissements"] == []
