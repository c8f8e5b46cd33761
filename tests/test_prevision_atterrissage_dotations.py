"""The atterrissage takes the register's dotation of the exercice under way, less what is
already booked on 6811, when its forecast has no 6811 line (``previsions.dotations``).

Ledger « Les Petits Pois » (:mod:`test_prevision_fixtures`, last actual entry on 30 April
2026: réalisé produits 7 200, charges 6 000) plus the computer of
:mod:`test_prevision_dotations`: 3 600 € on 1 April 2026, 3 years, linear → dotation 2026
= 3 600 / 3 × 270 / 360 = 900 €. Forecast inputs: the real ones (``charger_entrees``),
an empty flow file only, so the forecast of 1 May – 31 December is the rest of the budget
(lines without profile: twelve equal months, 8 of 12 left).

Budget 2026 (``vote``): 6132 9 600, 7411 12 000, 756 1 500 → forecast 6132 6 400,
7411 8 000, 756 1 000: produits 7 200 + 9 000 = 16 200, charges 6 000 + 6 400 = 12 400,
atterrissage without the register 3 800.

With the register (dotation 900), whatever is booked on 6811 before 30 April the
atterrissage lands on charges 13 300, résultat 16 200 − 13 300 = 2 900:

- none booked: prévision 6811 900;
- 300 booked on 31 March: réalisé 6811 300, prévision 600;
- 900 booked on 30 April: réalisé 900, prévision 0 (note « déjà comptabilisées »);
- 1 000 booked: réalisé 1 000, prévision 0, charges 13 400, résultat 2 800, a warning.

Budget with its own 6811 line (1 200 → 800 on May–December): kept, the register adds
nothing: charges 13 200, résultat 3 000, the same as without the register.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.previsions.atterrissage import (
    ATTERRISSAGE,
    PREVISION,
    REALISE,
    atterrissage,
    atterrissage_de,
)
from communs_ledger.previsions.entrees import charger_entrees
from communs_ledger.previsions.pluriannuelle import pluriannuelle
from communs_ledger.rapports.objets import Rapport
from communs_ledger.rapports.source import Source
from conftest import run_communs
from test_prevision_dotations import ACHAT, AMORTISSEMENTS, REGISTRE
from test_prevision_fixtures import budget_vote, load_source, write_petits_pois

D = Decimal
DOTATIONS = "Charges:68-Dotations:6811-Dotations-aux-amortissements"
CONFIG = """\
association:
  nom: Les Petits Pois
budget:
  fichiers:
    "2026": budgets/2026.yaml
previsions:
  flux: previsions/flux.yaml
"""
BUDGET = budget_vote(("6132", 9600), ("7411", 12000), ("756", 1500))
AVEC_6811 = BUDGET + '      - {compte: "6811", montant: 1200}\n'
NOTE = "registre des immobilisations"


def _dotation(date: str, amount: str) -> str:
    return f"""
{date} * "Dotation aux amortissements"
  {DOTATIONS}  {amount} EUR
  {AMORTISSEMENTS}
"""


def _dossier(
    folder: Path,
    *,
    comptabilise: str = "",
    budget: str = BUDGET,
    registre: bool = True,
) -> Path:
    config = CONFIG + ("immobilisations: immobilisations.yaml\n" if registre else "")
    extra = ACHAT + f"2026-01-01 open {DOTATIONS}\n" + comptabilise
    main = write_petits_pois(folder, config=config, budget=budget, extra=extra)
    (folder / "immobilisations.yaml").write_text(REGISTRE, encoding="utf-8")
    (folder / "previsions").mkdir()
    (folder / "previsions" / "flux.yaml").write_text("flux: []\n", encoding="utf-8")
    return main


def _source(folder: Path, **options: Any) -> Source:
    return load_source(_dossier(folder, **options))


def _rapport(source: Source, exercice: str | None = None) -> Rapport:
    entrees = charger_entrees(source.context)
    assert not entrees.erreurs, entrees.erreurs
    return atterrissage(source, entrees, load_budgets(source.context), exercice)


def _ligne(rapport: Rapport, id_: str) -> tuple[Decimal, Decimal, Decimal]:
    row = rapport.partie("atterrissage").ligne(id_)
    assert row is not None, id_
    values = row.valeurs
    return values[REALISE], values[PREVISION], values[ATTERRISSAGE]


def _dotations(rapport: Rapport) -> tuple[Decimal, Decimal, Decimal]:
    return _ligne(rapport, "dotations_amortissements_depreciations")


def _notes(rapport: Rapport) -> list[str]:
    return [note for note in rapport.notes if NOTE in note]


def test_aucune_dotation_comptabilisee(tmp_path: Path) -> None:
    rapport = _rapport(_source(tmp_path))
    assert _dotations(rapport) == (D(0), D(900), D(900))
    assert _ligne(rapport, "total_charges_exploitation") == (D(6000), D(7300), D(13300))
    assert _ligne(rapport, "resultat") == (D(1200), D(1700), D(2900))
    assert _notes(rapport) == [
        "Exercice 2026 : dotations aux amortissements prévues par le registre des "
        "immobilisations (900,00\xa0€, compte 6811) ajoutées à la prévision du reste de "
        "l'exercice, le budget n'y ayant pas de ligne 6811 ; charge calculée, sans effet "
        "sur la trésorerie."
    ]
    assert not rapport.avertissements
    origines = {row.id: row.valeurs for row in rapport.partie("prevision_par_origine").lignes}
    assert origines["origine:immobilisations"]["charges"] == D(900)
    # 7 200 budget charges and produits 9 000, with the dotation: 9 000 − 7 300
    assert origines["total_prevision"]["solde"] == D(1700)


def test_dotation_en_partie_comptabilisee(tmp_path: Path) -> None:
    rapport = _rapport(_source(tmp_path, comptabilise=_dotation("2026-03-31", "300.00")))
    assert _dotations(rapport) == (D(300), D(600), D(900))
    assert _ligne(rapport, "resultat") == (D(900), D(2000), D(2900))
    assert _notes(rapport) == [
        "Exercice 2026 : dotations aux amortissements prévues par le registre des "
        "immobilisations (900,00\xa0€, compte 6811), dont 300,00\xa0€ déjà comptabilisés : "
        "600,00\xa0€ ajoutés à la prévision du reste de l'exercice, le budget n'y ayant pas "
        "de ligne 6811 ; charge calculée, sans effet sur la trésorerie."
    ]


def test_dotation_entierement_comptabilisee(tmp_path: Path) -> None:
    rapport = _rapport(_source(tmp_path, comptabilise=_dotation("2026-04-30", "900.00")))
    assert _dotations(rapport) == (D(900), D(0), D(900))
    assert _ligne(rapport, "resultat") == (D(300), D(2600), D(2900))
    assert _notes(rapport) == [
        "Exercice 2026 : dotations aux amortissements prévues par le registre des "
        "immobilisations (900,00\xa0€, compte 6811) déjà comptabilisées : rien à ajouter "
        "à la prévision du reste de l'exercice."
    ]
    origines = {row.id for row in rapport.partie("prevision_par_origine").lignes}
    assert "origine:immobilisations" not in origines


def test_plus_comptabilise_que_le_registre(tmp_path: Path) -> None:
    rapport = _rapport(_source(tmp_path, comptabilise=_dotation("2026-04-30", "1000.00")))
    assert _dotations(rapport) == (D(1000), D(0), D(1000))
    assert _ligne(rapport, "resultat") == (D(200), D(2600), D(2800))
    assert _notes(rapport) == []
    assert rapport.avertissements == [
        "Exercice 2026 : 1\u202f000,00\xa0€ comptabilisés sur le compte 6811, plus que les "
        "dotations aux amortissements prévues par le registre des immobilisations "
        "(900,00\xa0€) : rien n'est ajouté à la prévision du reste de l'exercice ; à "
        "vérifier (communs immobilisations)."
    ]


def test_une_ligne_6811_du_budget_est_gardee(tmp_path: Path) -> None:
    avec = _rapport(_source(tmp_path / "registre", budget=AVEC_6811))
    sans = _rapport(_source(tmp_path / "sans", budget=AVEC_6811, registre=False))
    assert _dotations(avec) == (D(0), D(800), D(800))  # the budget's 1 200 × 8/12
    assert _ligne(avec, "resultat") == (D(1200), D(1800), D(3000))
    assert avec.totaux == sans.totaux
    assert _notes(avec) == []


def test_sans_registre_rien_ne_change(tmp_path: Path) -> None:
    rapport = _rapport(_source(tmp_path, registre=False))
    assert _dotations(rapport) == (D(0), D(0), D(0))
    assert _ligne(rapport, "resultat") == (D(1200), D(2600), D(3800))
    assert _notes(rapport) == []


def test_exercice_termine_rien_n_est_ajoute(tmp_path: Path) -> None:
    """An entry in 2027 closes 2026: no forecast period, réalisé = atterrissage (the
    unbooked 900 € are not added)."""
    suite = """
2027-01-15 * "Cotisations 2027"
  Actif:51-Banques:512-Banques:Compte-courant  50.00 EUR
  Produits:75-Autres-produits:756-Cotisations
"""
    rapport = _rapport(_source(tmp_path, comptabilise=suite), "2026")
    assert rapport.meta["exercice_clos"] is True
    assert _dotations(rapport) == (D(0), D(0), D(0))
    assert _ligne(rapport, "resultat") == (D(1200), D(0), D(1200))
    assert _notes(rapport) == []


def test_la_colonne_de_la_pluriannuelle(tmp_path: Path) -> None:
    """The current exercice's column of the multi-year projection is the atterrissage."""
    source = _source(tmp_path, comptabilise=_dotation("2026-03-31", "300.00"))
    rapport = pluriannuelle(
        source, charger_entrees(source.context), load_budgets(source.context), annees=1
    )
    ligne = rapport.partie("compte_de_resultat").ligne("dotations_amortissements_depreciations")
    assert ligne is not None
    assert ligne.valeurs["atterrissage"] == D(900)
    assert ligne.valeurs["n_plus_1"] == D(1200)  # 2027: the budget carried over, no 6811
    assert rapport.totaux["atterrissage"]["resultat"] == D(2900)
    assert any("dont 300,00\xa0€ déjà comptabilisés" in note for note in rapport.notes)


def _budget_json(main: Path) -> dict[str, Decimal]:
    done = run_communs("budget", "-f", str(main), "--format", "json")
    assert done.returncode == 0, done.stderr
    partie = next(p for p in json.loads(done.stdout)["parties"] if p["id"] == "resultat")
    return {row["id"]: D(row["valeurs"]["atterrissage"]) for row in partie["lignes"]}


def test_la_colonne_atterrissage_de_communs_budget(tmp_path: Path) -> None:
    """``communs budget``: the atterrissage column moves by the 900 € of the register
    (charges 12 400 → 13 300, résultat 3 800 → 2 900), as ``atterrissage_de`` says."""
    sans = _budget_json(_dossier(tmp_path / "sans", registre=False))
    avec_main = _dossier(tmp_path / "avec")
    avec = _budget_json(avec_main)
    assert (sans["resultat_charges"], sans["resultat"]) == (D(12400), D(3800))
    assert (avec["resultat_charges"], avec["resultat"]) == (D(13300), D(2900))
    assert avec["resultat_produits"] == sans["resultat_produits"] == D(16200)
    source = load_source(avec_main)
    found = atterrissage_de(
        source,
        charger_entrees(source.context),
        load_budgets(source.context),
        source.exercice("2026"),
    )
    assert not isinstance(found, str)
    assert (found.charges, found.resultat) == (D(13300), D(2900))
