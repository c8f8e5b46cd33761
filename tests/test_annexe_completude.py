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
