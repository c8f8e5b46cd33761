"""The formulas of the statement layouts are checked when the layout loads: a name
that no line, total or formula above defines would silently count as 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from communs_ledger.plan import VERSIONS, layout_file, plan_comptable_dir
from communs_ledger.rapports.modeles import load_modele_resultat, modele_resultat
from communs_ledger.sources import SourceError

LAYOUT = """\
variantes:
  '2025':
    blocs:
      - id: produits
        libelle: Produits
        lignes:
          - {id: ventes, libelle: Ventes, comptes: ['70']}
        total: {id: total_produits, libelle: Total des produits}
      - id: resultat
        libelle: Résultat
        formule: total_produits - total_charges
contributions_volontaires:
  blocs: []
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # errors name the file relative to the current folder


def test_les_modeles_livres_sont_sains() -> None:
    for version in VERSIONS:
        assert modele_resultat(version).blocs


def test_nom_inconnu_dans_une_formule(tmp_path: Path) -> None:
    path = tmp_path / "compte_de_resultat.yaml"
    path.write_text(LAYOUT, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_modele_resultat(path, "2025")
    assert str(raised.value) == (
        "compte_de_resultat.yaml:11: formule du bloc « resultat » (total_produits - "
        "total_charges) : nom inconnu « total_charges », ni ligne, ni total, ni formule "
        "définis plus haut dans le modèle"
    )


def test_nom_defini_plus_bas_est_inconnu(tmp_path: Path) -> None:
    """Formulas are computed top-down: a total defined below would still count as 0."""
    text = LAYOUT.replace("total_produits - total_charges", "ventes")
    moved = text.replace(
        "contributions_volontaires:",
        "      - {id: net, libelle: Net, formule: resultat - autres}\n"
        "      - id: autres\n"
        "        libelle: Autres\n"
        "        lignes: [{id: divers, libelle: Divers, comptes: ['75']}]\n"
        "contributions_volontaires:",
    )
    path = tmp_path / "compte_de_resultat.yaml"
    path.write_text(moved, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_modele_resultat(path, "2025")
    assert raised.value.location.line == 12
    assert "nom inconnu « autres »" in raised.value.message


def test_caractere_inattendu(tmp_path: Path) -> None:
    path = tmp_path / "compte_de_resultat.yaml"
    path.write_text(LAYOUT.replace("- total_charges", "* 2"), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_modele_resultat(path, "2025")
    assert str(raised.value) == (
        "compte_de_resultat.yaml:11: formule du bloc « resultat » (total_produits * 2) : "
        "caractère inattendu « * » (une formule s'écrit a - b + c, en minuscules)"
    )


def test_faute_de_frappe_dans_le_modele_livre(tmp_path: Path) -> None:
    """The layout shipped, with ``resultat_exploitation``'s formula mistyped in 2025."""
    text = (plan_comptable_dir() / layout_file("compte_de_resultat")).read_text("utf-8")
    formula = "formule: total_produits_exploitation - total_charges_exploitation"
    first = text.index(formula, text.index("'2025':"))
    line = text[:first].count("\n") + 1
    broken = (
        text[:first]
        + formula.replace("total_charges", "total_charge")
        + text[first + len(formula) :]
    )
    path = tmp_path / "compte_de_resultat.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load_modele_resultat(path, "2025")
    assert raised.value.location.filename == "compte_de_resultat.yaml"
    assert raised.value.location.line == line
    assert raised.value.message.startswith(
        "formule du bloc « resultat_exploitation » (total_produits_exploitation - "
        "total_charge_exploitation) : nom inconnu « total_charge_exploitation »"
    )
    load_modele_resultat(path, "2018")  # the other variant is sound
