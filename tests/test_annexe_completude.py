"""Completeness of the annexe (règlement ANC 2018-06): the change of accounting
regulation when N-1 followed the pre-2025 chart, the events after the closing, and the
remuneration of the three highest-paid executives once a publication threshold is
crossed (asked « à compléter » with its communs.yaml key, shown when given)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from communs_ledger.comptes_annuels.annexe import changement_de_methode
from communs_ledger.exercices import Exercice
from livre_comptes_annuels import ecrire_livre
from test_annexe_publication import _livre


def _exercice(year: int) -> Exercice:
    return Exercice(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _doc(communs, main: Path, exercice: str) -> dict:
    result = communs("comptes-annuels", "-f", str(main), "-e", exercice, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _partie(doc: dict, id_: str) -> dict | None:
    return next((p for p in doc["parties"] if p["id"] == id_), None)


def test_change_of_regulation_only_between_chart_versions() -> None:
    # 2024 opened before 1 January 2025 (plan 2018), 2025 after (plan 2025): a change;
    # 2025 -> 2026 (both plan 2025), 2023 -> 2024 (both plan 2018), no N-1: none.
    note = changement_de_methode(_exercice(2025), _exercice(2024))
    assert note is not None
    assert note.startswith("Changement de méthode comptable : l'exercice 2025 est le premier")
    assert "règlement ANC n° 2022-06" in note and "(plan 2018)" in note
    assert changement_de_methode(_exercice(2026), _exercice(2025)) is None
    assert changement_de_methode(_exercice(2024), _exercice(2023)) is None
    assert changement_de_methode(_exercice(2025), None) is None


def test_rules_and_methods_say_the_change_for_2025_only(tmp_path: Path, communs) -> None:
    main = ecrire_livre(tmp_path)
    notes = _partie(_doc(communs, main, "2025"), "annexe_regles")
    assert notes is not None
    # The default text, then the change: 2024 (N-1 column) followed the plan 2018.
    assert len(notes["notes"]) == 2
    assert notes["notes"][0].startswith("Les comptes annuels sont établis")
    assert (
        "la colonne 2024 du bilan et du compte de résultat est présentée selon le "
        in (notes["notes"][1])
    )
    # 2024 is the ledger's first exercice: no N-1, no change to say.
    first = _partie(_doc(communs, main, "2024"), "annexe_regles")
    assert first is not None and len(first["notes"]) == 1


def _ecrire(tmp_path: Path, livre: str, annexe: str = "") -> Path:
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    config = "association:\n  nom: Asso\n"
    if annexe:
        config += f'comptes_annuels:\n  exercices:\n    "2024":\n{annexe}'
    (tmp_path / "communs.yaml").write_text(config, encoding="utf-8")
    return tmp_path / "main.beancount"


def test_remuneration_asked_above_the_subsidies_threshold(tmp_path: Path, communs) -> None:
    # Subsidies 100 000 (74) + 60 000 (13 received) = 160 000 > 153 000 (hand sum, see
    # test_annexe_publication): the annexe must give the three highest remunerations.
    main = _ecrire(tmp_path, _livre("100000.00", "60000.00", "1000", "500"))
    doc = _doc(communs, main, "2024")
    asked = [i for i in doc["meta"]["a_completer"] if i.startswith("rémunération")]
    assert len(asked) == 1
    assert 'comptes_annuels.exercices."2024".remuneration_dirigeants' in asked[0]
    partie = _partie(doc, "annexe_remunerations")
    assert partie is not None
    assert partie["notes"][0].startswith("À compléter : rémunération des trois plus hauts")


def test_remuneration_given_is_shown_and_no_longer_asked(tmp_path: Path, communs) -> None:
    # Gifts 150 000 + 4 000,50 = 154 000,50 > 153 000: the gifts threshold alone.
    texte = "Aucun dirigeant rémunéré."
    annexe = f'      remuneration_dirigeants: "{texte}"\n'
    main = _ecrire(tmp_path, _livre("10000.00", "5000.00", "150000", "4000.50"), annexe)
    doc = _doc(communs, main, "2024")
    assert not [i for i in doc["meta"]["a_completer"] if i.startswith("rémunération")]
    partie = _partie(doc, "annexe_remunerations")
    assert partie is not None and partie["notes"] == [texte]


def test_no_remuneration_part_under_both_thresholds(tmp_path: Path, communs) -> None:
    # 100 000 + 53 000 = 153 000 and 152 000 + 1 000 = 153 000: not « plus de ».
    main = _ecrire(tmp_path, _livre("100000.00", "53000.00", "152000", "1000"))
    doc = _doc(communs, main, "2024")
    assert _partie(doc, "annexe_remunerations") is None
    assert not [i for i in doc["meta"]["a_completer"] if i.startswith("rémunération")]


def test_events_after_closing_shown_after_the_facts(tmp_path: Path, communs) -> None:
    texte = "Le 15 février 2025, la commune a confirmé sa subvention 2025."
    annexe = f'      evenements_posterieurs: "{texte}"\n'
    main = _ecrire(tmp_path, _livre("1000.00", "0", "0", "0"), annexe)
    doc = _doc(communs, main, "2024")
    ids = [p["id"] for p in doc["parties"]]
    assert ids.index("annexe_evenements") == ids.index("annexe_faits") + 1
    partie = _partie(doc, "annexe_evenements")
    assert partie is not None and partie["notes"] == [texte]
    assert partie["titre"] == "Événements postérieurs à la clôture"


BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
REPORT = "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur"
PRET = "Actif:27-Autres-immobilisations-financieres:274-Prets"
DEPOT = "Actif:27-Autres-immobilisations-financieres:275-Depots-et-cautionnements"
USAGERS = "Actif:41-Usagers:411-Usagers"
PRESTATIONS = "Produits:70-Ventes-et-prestations:706-Prestations-de-services"


def _livre_immobilise(tmp_path: Path, annexe: str = "") -> Path:
    from conftest import ROOT_OPTIONS

    comptes = (BANQUE, REPORT, PRET, DEPOT, USAGERS, PRESTATIONS)
    livre = (
        ROOT_OPTIONS
        + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
        + 'plugin "communs_plugins.plan_comptable"\n\n'
        + "\n".join(f"2025-01-01 open {name}" for name in comptes)
        + f"""

2025-01-01 * "Reprise du bilan"
  {BANQUE}  10000.00 EUR
  {REPORT}  -10000.00 EUR

2025-02-01 * "Bailleur" "Dépôt de garantie du local"
  {DEPOT}  1500.00 EUR
  {BANQUE}

2025-03-01 * "Association voisine" "Prêt sur trois ans"
  {PRET}  3000.00 EUR
  {BANQUE}

2025-11-30 * "Mairie" "Atelier facturé"
  {USAGERS}  800.00 EUR
  {PRESTATIONS}
"""
    )
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    config = "association:\n  nom: Asso\n"
    if annexe:
        config += f'comptes_annuels:\n  exercices:\n    "2025":\n{annexe}'
    (tmp_path / "communs.yaml").write_text(config, encoding="utf-8")
    return tmp_path / "main.beancount"


def test_receivables_of_the_fixed_assets_are_in_the_etat_des_creances(
    tmp_path: Path, communs
) -> None:
    doc = _doc(communs, _livre_immobilise(tmp_path), "2025")
    partie = _partie(doc, "annexe_creances")
    assert partie is not None
    montants = {r["libelle"]: r["valeurs"]["montant"] for r in partie["lignes"]}
    # Prêt 3 000 + dépôt 1 500 (actif immobilisé) + usager 800 = 5 300.
    assert montants == {
        "Prêts": "3000.00",
        "Autres immobilisations financières": "1500.00",
        "Créances clients, usagers et comptes rattachés": "800.00",
        "Total": "5300.00",
    }
    # Their split at one year is not in the ledger: asked, one item each.
    asked = [i for i in doc["meta"]["a_completer"] if "creances_a_plus_d_un_an" in i]
    assert len(asked) == 2
    assert asked[0].startswith("part à plus d'un an de « Prêts » (2025)")


def test_split_of_the_fixed_asset_receivables_given(tmp_path: Path, communs) -> None:
    annexe = '      creances_a_plus_d_un_an: {"274": 2000, "275": 1500}\n'
    doc = _doc(communs, _livre_immobilise(tmp_path, annexe), "2025")
    partie = _partie(doc, "annexe_creances")
    assert partie is not None
    rows = {r["libelle"]: r["valeurs"] for r in partie["lignes"]}
    # Prêt: 2 000 after one year, 3 000 − 2 000 = 1 000 within; dépôt: 1 500 after, 0
    # within; usager: 800 within. Totals: 3 500 after, 1 800 within.
    assert rows["Prêts"]["plus_d_un_an"] == "2000.00"
    assert rows["Prêts"]["un_an"] == "1000.00"
    assert rows["Autres immobilisations financières"]["un_an"] == "0.00"
    assert rows["Total"]["plus_d_un_an"] == "3500.00"
    assert rows["Total"]["un_an"] == "1800.00"
    assert not [i for i in doc["meta"]["a_completer"] if "creances_a_plus_d_un_an" in i]


DEPRECIATION = "Actif:49-Depreciations:491-Depreciations-des-comptes-de-clients"
DOTATION_DEP = "Charges:68-Dotations:6817-Dotations-depreciations-actifs-circulants"
REPRISE_DEP = "Produits:78-Reprises:7817-Reprises-depreciations-actifs-circulants"


def _livre_depreciation(tmp_path: Path) -> Path:
    from conftest import ROOT_OPTIONS

    comptes = (BANQUE, REPORT, USAGERS, PRESTATIONS, DEPRECIATION, DOTATION_DEP, REPRISE_DEP)
    livre = (
        ROOT_OPTIONS
        + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
        + 'plugin "communs_plugins.plan_comptable"\n\n'
        + "\n".join(f"2024-01-01 open {name}" for name in comptes)
        + f"""

2024-01-01 * "Reprise du bilan"
  {BANQUE}  10000.00 EUR
  {REPORT}  -10000.00 EUR

2024-06-01 * "Usager" "Location de salle impayée"
  {USAGERS}  2000.00 EUR
  {PRESTATIONS}

2024-12-31 * "Usager douteux : dépréciation"
  {DOTATION_DEP}  1200.00 EUR
  {DEPRECIATION}

2025-06-30 * "Usager : 500 récupérés, reprise"
  {DEPRECIATION}  500.00 EUR
  {REPRISE_DEP}

2025-12-31 * "Usager : dépréciation complémentaire"
  {DOTATION_DEP}  300.00 EUR
  {DEPRECIATION}
"""
    )
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    return tmp_path / "main.beancount"


def test_depreciations_of_receivables_in_the_annexe(tmp_path: Path, communs) -> None:
    main = _livre_depreciation(tmp_path)
    doc = _doc(communs, main, "2025")
    partie = _partie(doc, "annexe_depreciations")
    assert partie is not None
    rows = {r["libelle"]: r["valeurs"] for r in partie["lignes"]}
    # 491: 1 200 credited on 31/12/2024 (opening of 2025); in 2025, 500 debited (reprise
    # 7817) and 300 credited (dotation 6817): 1 200 + 300 − 500 = 1 000 at the closing,
    # the 2 000 of the 411 less 1 000 = 1 000 net on the bilan.
    ligne = rows["Dépréciations — Créances clients, usagers et comptes rattachés"]
    assert ligne == {
        "ouverture": "1200.00",
        "dotations": "300.00",
        "reprises": "500.00",
        "cloture": "1000.00",
    }
    assert rows["Total des dépréciations"]["cloture"] == "1000.00"
    bilan = _partie(doc, "actif")
    assert bilan is not None
    usagers = next(r for r in bilan["lignes"] if r.get("id") == "creances_usagers")
    assert usagers["valeurs"]["net"] == "1000.00"
    # 2024, the first exercice: opened by the reprise (no 491 in it), 1 200 dotation.
    premier = _partie(_doc(communs, main, "2024"), "annexe_depreciations")
    assert premier is not None
    assert premier["lignes"][-1]["valeurs"] == {
        "ouverture": "0.00",
        "dotations": "1200.00",
        "reprises": "0.00",
        "cloture": "1200.00",
    }
    # The provisions for risks and charges (passif) stay apart: none here.
    provisions = _partie(doc, "annexe_provisions")
    assert provisions is not None
    assert provisions["notes"] == ["Aucune provision pour risques et charges."]


CAUTION = "Actif:80-Engagements:801-Engagements-donnes:8011-Avals-cautions-garanties"
CREDIT_BAIL = "Actif:80-Engagements:801-Engagements-donnes:80161-Credit-bail-mobilier"
CONTREPARTIE_DONNES = "Passif:80-Engagements:809-Contrepartie:8091-Contrepartie-801"
GARANTIE_RECUE = "Passif:80-Engagements:802-Engagements-recus:8021-Avals-cautions-garanties"
CONTREPARTIE_RECUS = "Actif:80-Engagements:809-Contrepartie:8092-Contrepartie-802"


def _livre_engagements(tmp_path: Path, texte: str = "") -> Path:
    from conftest import ROOT_OPTIONS

    comptes = (
        BANQUE, REPORT, CAUTION, CREDIT_BAIL, CONTREPARTIE_DONNES, GARANTIE_RECUE,
        CONTREPARTIE_RECUS,
    )  # fmt: skip
    livre = (
        ROOT_OPTIONS
        + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
        + 'plugin "communs_plugins.plan_comptable"\n\n'
        + "\n".join(f"2025-01-01 open {name}" for name in comptes)
        + f"""

2025-01-01 * "Reprise du bilan"
  {BANQUE}  10000.00 EUR
  {REPORT}  -10000.00 EUR

2025-03-01 * "Caution du prêt d'une association partenaire"
  {CAUTION}  5000.00 EUR
  {CONTREPARTIE_DONNES}

2025-04-01 * "Crédit-bail du vélo cargo : redevances à courir"
  {CREDIT_BAIL}  12000.00 EUR
  {CONTREPARTIE_DONNES}

2025-05-01 * "Garantie reçue de France Active"
  {CONTREPARTIE_RECUS}  3000.00 EUR
  {GARANTIE_RECUE}

2025-09-01 * "Caution : capital remboursé par le partenaire"
  {CONTREPARTIE_DONNES}  1000.00 EUR
  {CAUTION}
"""
    )
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    config = "association:\n  nom: Asso\n"
    if texte:
        config += 'comptes_annuels:\n  exercices:\n    "2025":\n'
        config += f'      engagements_hors_bilan: "{texte}"\n'
    (tmp_path / "communs.yaml").write_text(config, encoding="utf-8")
    return tmp_path / "main.beancount"


def test_commitments_booked_in_class_8_are_in_the_annexe(tmp_path: Path, communs) -> None:
    doc = _doc(communs, _livre_engagements(tmp_path), "2025")
    partie = _partie(doc, "annexe_engagements")
    assert partie is not None
    rows = {r["libelle"]: r["valeurs"].get("montant") for r in partie["lignes"]}
    # Given: caution 5 000 − 1 000 released = 4 000 (8011), crédit-bail 12 000 (80161):
    # 16 000. Received: 3 000 (8021). The counterparts 809 are not commitments.
    assert rows["Total des engagements donnés"] == "16000.00"
    assert rows["Total des engagements reçus"] == "3000.00"
    montants = [r["valeurs"]["montant"] for r in partie["lignes"] if r.get("code")]
    assert montants == ["4000.00", "12000.00", "3000.00"]
    # Booked in the ledger: the text is no longer asked, nothing « à compléter » shown.
    assert not [i for i in doc["meta"]["a_completer"] if i.startswith("engagements")]
    assert partie["notes"] == []
    # With a text: the table and the text.
    texte = "Caution donnée jusqu'au remboursement du prêt en 2028."
    doc = _doc(communs, _livre_engagements(tmp_path, texte), "2025")
    partie = _partie(doc, "annexe_engagements")
    assert partie is not None and partie["notes"] == [texte]


FONDS_REPORTES = "Passif:19-Fonds-reportes-et-dedies:191-Fonds-reportes-lies-aux-legs-ou-donations"
UTILISATION_REPORTES = "Produits:78-Reprises:7891-Utilisations-de-fonds-reportes"


def test_fonds_reportes_have_their_variation_not_a_request_for_conventions(
    tmp_path: Path, communs
) -> None:
    from conftest import ROOT_OPTIONS

    comptes = (BANQUE, REPORT, FONDS_REPORTES, UTILISATION_REPORTES)
    livre = (
        ROOT_OPTIONS
        + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
        + 'plugin "communs_plugins.plan_comptable"\n\n'
        + "\n".join(f"2025-01-01 open {name}" for name in comptes)
        + f"""

2025-01-01 * "Reprise du bilan"
  {BANQUE}  20000.00 EUR
  {FONDS_REPORTES}  -4000.00 EUR
  {REPORT}  -16000.00 EUR

2025-10-01 * "Legs : charges de la maison léguée payées, fonds reportés utilisés"
  {FONDS_REPORTES}  1000.00 EUR
  {UTILISATION_REPORTES}
"""
    )
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    doc = _doc(communs, tmp_path / "main.beancount", "2025")
    # 191 only, no 194-196: no fonds dédiés, so no conventions to ask for.
    assert not [i for i in doc["meta"]["a_completer"] if "fonds dédiés" in i]
    dedies = _partie(doc, "annexe_fonds_dedies")
    assert dedies is not None and dedies["notes"] == ["Aucun fonds dédié."]
    # 191: 4 000 at the opening (reprise du bilan), 1 000 used (debit, 7891): 3 000.
    reportes = _partie(doc, "annexe_fonds_reportes")
    assert reportes is not None
    rows = {r["libelle"]: r["valeurs"] for r in reportes["lignes"]}
    assert rows["Fonds reportés liés aux legs ou donations"] == {
        "ouverture": "4000.00",
        "variation": "-1000.00",
        "cloture": "3000.00",
    }


def test_rapport_financier_does_not_ask_conventions_for_fonds_reportes(
    tmp_path: Path, communs
) -> None:
    from conftest import ROOT_OPTIONS

    comptes = (BANQUE, REPORT, FONDS_REPORTES)
    livre = (
        ROOT_OPTIONS
        + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
        + 'plugin "communs_plugins.plan_comptable"\n\n'
        + "\n".join(f"2025-01-01 open {name}" for name in comptes)
        + f"""

2025-01-01 * "Reprise du bilan"
  {BANQUE}  20000.00 EUR
  {FONDS_REPORTES}  -4000.00 EUR
  {REPORT}  -16000.00 EUR
"""
    )
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    (tmp_path / "communs.yaml").write_text("association:\n  nom: Asso\n", encoding="utf-8")
    main = str(tmp_path / "main.beancount")
    result = communs("rapport-financier", "-f", main, "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    partie = _partie(doc, "fonds_dedies")
    # 191 only (4 000 of fonds reportés), no 194-196: « Aucun fonds dédié. », no request.
    assert partie is not None and partie["notes"] == ["Aucun fonds dédié."]


DEPOT_RECU = "Passif:16-Emprunts:165-Depots-et-cautionnements-recus"


def _livre_depot_recu(tmp_path: Path, annexe: str = "") -> Path:
    from conftest import ROOT_OPTIONS

    comptes = (BANQUE, REPORT, DEPOT_RECU)
    livre = (
        ROOT_OPTIONS
        + 'option "title" "Asso"\noption "operating_currency" "EUR"\n'
        + 'plugin "communs_plugins.plan_comptable"\n\n'
        + "\n".join(f"2025-01-01 open {name}" for name in comptes)
        + f"""

2025-01-01 * "Reprise du bilan"
  {BANQUE}  10000.00 EUR
  {REPORT}  -10000.00 EUR

2025-04-01 * "Compagnie de théâtre" "Caution pour la location du local, rendue en 2028"
  {BANQUE}  800.00 EUR
  {DEPOT_RECU}
"""
    )
    (tmp_path / "main.beancount").write_text(livre, encoding="utf-8")
    config = "association:\n  nom: Asso\n"
    if annexe:
        config += f'comptes_annuels:\n  exercices:\n    "2025":\n{annexe}'
    (tmp_path / "communs.yaml").write_text(config, encoding="utf-8")
    return tmp_path / "main.beancount"


def test_deposits_received_split_at_one_year_asked(tmp_path: Path, communs) -> None:
    doc = _doc(communs, _livre_depot_recu(tmp_path), "2025")
    asked = [i for i in doc["meta"]["a_completer"] if "dettes_a_plus_d_un_an" in i]
    assert len(asked) == 1
    assert asked[0].startswith("part à plus d'un an de « Emprunts et dettes financières divers »")
    # Given: the 800 of the deposit (165) are due after one year, 0 within.
    doc = _doc(
        communs, _livre_depot_recu(tmp_path, '      dettes_a_plus_d_un_an: {"165": 800}\n'), "2025"
    )
    assert not [i for i in doc["meta"]["a_completer"] if "dettes_a_plus_d_un_an" in i]
    partie = _partie(doc, "annexe_dettes")
    assert partie is not None
    rows = {r["libelle"]: r["valeurs"] for r in partie["lignes"]}
    assert rows["Emprunts et dettes financières divers"] == {
        "montant": "800.00",
        "un_an": "0.00",
        "plus_d_un_an": "800.00",
    }
