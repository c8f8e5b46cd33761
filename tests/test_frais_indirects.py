"""The convention decides whether the indirect costs allocated to its project count in its
emploi (``frais_indirects: true``): the fonds dédiés written, the closing check, the
subsidies follow-up and the compte rendu agree; ``--avec/--sans-repartition`` overrides
with a warning. Ledger of :mod:`livre_fonds_dedies` plus a key giving half of the rent to
project P; figures computed by hand."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from communs_ledger.analytique.cles import cles_du_grand_livre
from communs_ledger.budget.fichier import load_budgets
from communs_ledger.chargement import load_livre
from communs_ledger.cloture.controles import controle_fonds_dedies
from communs_ledger.conventions.rapport_compte_rendu import compte_rendu
from communs_ledger.conventions.subventions import suivi_des_subventions
from communs_ledger.fonds_dedies.calcul import conventions_du_livre
from communs_ledger.rapports.source import Source
from conftest import one_line
from livre_fonds_dedies import CONFIG, CONVENTIONS, ecrire_livre

D = Decimal
REPARTITION = """\
cles:
  - code: LOCAL
    libelle: Local – surface
    base: surface
    comptes: ["613"]
    unite: m²
    quantites: {P: 50, non_affecte: 50}
"""


def _livre(folder: Path, frais_indirects: bool = True) -> Path:
    main = ecrire_livre(folder)
    (folder / "communs.yaml").write_text(
        CONFIG + "analytique:\n  repartition: repartition.yaml\n", encoding="utf-8"
    )
    (folder / "repartition.yaml").write_text(REPARTITION, encoding="utf-8")
    conventions = CONVENTIONS.replace(
        '    charges_eligibles: ["60", "62"]\n',
        '    charges_eligibles: ["60", "61", "62"]\n'
        + ("    frais_indirects: true\n" if frais_indirects else ""),
        1,
    )
    (folder / "conventions.yaml").write_text(conventions, encoding="utf-8")
    return main


def _source(main: Path) -> Source:
    livre = load_livre(main)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


def test_fonds_dedies_cloture_suivi_et_compte_rendu_concordent(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    main = _livre(tmp_path / "asso")
    # 2024, REG-P-2024 (10 000, frais_indirects): direct charges of P 3 000 + 1 500, half
    # of the rent 1 200 → 600 allocated: emploi 5 100, report 10 000 − 5 100 = 4 900.
    fichier = tmp_path / "asso" / "2024.beancount"
    result = communs("fonds-dedies", "-f", str(main), "-e", "2024", "--ecrire", str(fichier))
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in fichier.read_text(encoding="utf-8").splitlines()]
    assert "Charges:68-Dotations:6894-Reports-en-fonds-dedies-subventions 4900.00 EUR" in lines
    source = _source(main)
    exercice = source.exercice("2024")
    # the closing expects the same 6894: nothing left to book, nothing overridden
    controle = controle_fonds_dedies(source, exercice)
    assert controle.ok, controle.details
    # the subsidies follow-up at 31/12/2024: 10 000 − 5 100 = 4 900 left to spend
    conventions = conventions_du_livre(source)
    cles, errors = cles_du_grand_livre(source.context)
    assert not errors
    fin = datetime.date(2024, 12, 31)
    ligne = next(
        line
        for line in suivi_des_subventions(source, conventions, exercice, fin, cles)
        if line.convention.reference == "REG-P-2024"
    )
    assert (ligne.depense, ligne.dont_reparti, ligne.reste) == (D(5100), D(600), D(4900))
    # the compte rendu at the same date: reste à employer 4 900
    rapport = compte_rendu(
        source, conventions, "REG-P-2024", load_budgets(source.context), cles=cles, au=fin
    )
    reste = rapport.partie("convention").ligne("reste")
    assert reste is not None and reste.valeurs["montant"] == D(4900)
    assert rapport.avertissements == [] or all(
        "frais_indirects" not in w for w in rapport.avertissements
    )


def test_sans_frais_indirects_charges_directes_et_option_avertie(
    tmp_path: Path, communs: Callable[..., Any]
) -> None:
    main = _livre(tmp_path / "asso", frais_indirects=False)
    result = communs("fonds-dedies", "-f", str(main), "-e", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert D(data["totaux"]["reports"]) == D(5500)  # 10 000 − 4 500: direct charges only
    # --avec-repartition overrides the convention's choice, with a warning
    result = communs(
        "fonds-dedies", "-f", str(main), "-e", "2024", "--avec-repartition", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert D(data["totaux"]["reports"]) == D(4900)
    assert any("frais_indirects: false" in w for w in data["avertissements"]), data
    result = communs("compte-rendu", "REG-P-2024", "-f", str(main), "--repartition")
    assert result.exit_code == 0, result.output
    assert "contrairement au choix de la convention" in one_line(result.output)
