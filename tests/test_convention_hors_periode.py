"""A charge tagged with a convention but dated outside its period: one rule for the
subsidies follow-up and the compte rendu (not a use of the convention), and a warning
naming it at ``file:line``. Ledger of :mod:`livre_subventions` with the Région's
convention ending on 15 June 2026, before its tagged purchase of 20 June (90 €)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from communs_ledger.analytique.cles import cles_du_grand_livre
from communs_ledger.budget.fichier import load_budgets
from communs_ledger.chargement import load_livre
from communs_ledger.conventions.rapport_compte_rendu import compte_rendu
from communs_ledger.conventions.rapport_subventions import rapport_subventions
from communs_ledger.conventions.subventions import suivi_des_subventions
from communs_ledger.fonds_dedies.calcul import conventions_du_livre
from communs_ledger.rapports.source import Source
from livre_subventions import CONVENTIONS, LEDGER, ecrire

D = Decimal


def test_charge_hors_periode_meme_regle_et_avertie(tmp_path: Path) -> None:
    conventions_text = CONVENTIONS.replace(
        "    debut: 2026-01-01\n    fin: 2026-12-31\n    dediee: true",
        "    debut: 2026-01-01\n    fin: 2026-06-15\n    dediee: true",
        1,
    )
    assert conventions_text != CONVENTIONS
    main = ecrire(tmp_path / "asso", conventions=conventions_text)
    livre = load_livre(main)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    source = Source.from_livre(livre)
    conventions = conventions_du_livre(source)
    cles, _errors = cles_du_grand_livre(source.context)
    exercice = source.exercice("2026")
    au = datetime.date(2026, 6, 30)
    ligne = next(
        line
        for line in suivi_des_subventions(source, conventions, exercice, au, cles)
        if line.convention.reference == "REG-CUISINE"
    )
    rapport = compte_rendu(
        source, conventions, "REG-CUISINE", load_budgets(source.context), cles=cles
    )
    partie = rapport.partie("convention")
    directes = partie.ligne("emploi_directes").valeurs["montant"]
    reparties = partie.ligne("emploi_reparties").valeurs["montant"]
    # the same emploi in both: 2/3 of the CUISINE charges up to 15 June (denrées 600,
    # Inès 1 500 → 1 400) and of the allocated part 1 446.91 (964.61); the 90 € of
    # 20 June tagged REG-CUISINE is in neither
    assert (directes, reparties) == (D("1400.00"), D("964.61"))
    assert ligne.depense == directes + reparties
    line_number = (
        1
        + LEDGER.splitlines().index(
            '2026-06-20 * "Biocoop" "Denrées achetées sur la seule subvention de la Région"'
        )
        + 6
    )  # the header written before the body: five options and the plugin line
    expected = (
        "REG-CUISINE : 1 charge(s) portant « convention: REG-CUISINE » datée(s) hors de la "
        "période de la convention (du 01/01/2026 au 15/06/2026), non comptée(s) dans son "
        "emploi : "
    )
    where = f"main.beancount:{line_number} (20/06/2026, 90,00"
    for warnings in (
        rapport.avertissements,
        rapport_subventions(source, conventions, exercice, au, cles).avertissements,
    ):
        assert any(w.startswith(expected) and where in w for w in warnings), warnings
