"""JSON renderer: the contract (amounts as 2-decimal strings, never floats)."""

from __future__ import annotations

import json
from decimal import ROUND_FLOOR, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communs_ledger.rapports.objets import Colonne, Genre, Ligne, Partie, Rapport
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.en_json import to_dict
from test_rendu_exemples import (
    ATTENDU_CR,
    SCRIPT,
    bilan,
    compte_de_resultat,
    diagnostic,
    grand_livre,
    tous,
)


def _valeurs(data: dict, partie: str, ligne: str) -> dict:
    for part in data["parties"]:
        if part["id"] == partie:
            for row in part["lignes"]:
                if row["id"] == ligne:
                    return row["valeurs"]
    raise KeyError((partie, ligne))


def _floats(node, path="$"):
    if isinstance(node, float):
        yield path
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _floats(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _floats(value, f"{path}[{index}]")


def _un_montant(value, genre: Genre = Genre.MONTANT) -> Rapport:
    return Rapport(
        id="essai",
        titre="Essai",
        association="A",
        parties=[Partie("p", "P", [Colonne("n", "N", genre)], [Ligne("x", {"n": value}, id="x")])],
    )


def test_les_montants_du_compte_de_resultat_sont_arrondis_au_centime():
    data = to_dict(compte_de_resultat())
    for (ligne, colonne), attendu in ATTENDU_CR.items():
        assert _valeurs(data, "compte_de_resultat", ligne)[colonne] == attendu, (ligne, colonne)


def test_les_totaux_nommes_viennent_de_la_colonne_n():
    data = to_dict(compte_de_resultat())
    assert data["totaux"] == {
        "total_produits_exploitation": "46234.57",
        "total_charges_exploitation": "42500.50",
        "resultat_exploitation": "3734.07",
        "resultat_financier": "-12.01",
        "resultat": "3722.06",
    }
    assert data["totaux_par_colonne"]["n1"]["resultat"] == "2800.00"
    assert data["totaux_par_colonne"]["n1"]["resultat_financier"] == "0.00"
    assert list(data["totaux_par_colonne"]) == ["n", "n1"]


def test_sans_colonne_n_les_totaux_sont_ceux_de_la_premiere_colonne_totalisee():
    data = to_dict(bilan())
    assert data["totaux"]["total_actif"] == "27400.40"
    assert data["totaux"]["total_passif"] == "27400.40"
    assert data["totaux"]["fonds_propres"] == "18721.46"
    assert data["totaux_par_colonne"]["n1"]["total_actif"] == "23000.00"
    assert to_dict(diagnostic())["totaux"] == {}
    assert to_dict(diagnostic())["totaux_par_colonne"] == {}


def test_forme_du_document():
    data = to_dict(compte_de_resultat())
    assert list(data) == [
        "rapport",
        "titre",
        "sous_titre",
        "association",
        "exercice",
        "periode",
        "totaux",
        "totaux_par_colonne",
        "parties",
        "notes",
        "avertissements",
        "meta",
    ]
    assert data["rapport"] == "compte_de_resultat"
    assert data["periode"] == {"debut": "2025-01-01", "fin": "2025-12-31"}
    assert data["exercice"] == "2025"
    assert data["avertissements"] == ["2 écritures sans pièce justificative."]
    assert data["meta"] == {"version_plan": "2025", "ecritures": 128, "genere_le": "2026-03-02"}
    partie = data["parties"][0]
    assert list(partie) == ["id", "titre", "colonnes", "lignes", "notes"]
    assert partie["colonnes"] == [
        {"id": "n", "libelle": "Exercice 2025", "genre": "montant"},
        {"id": "n1", "libelle": "Exercice 2024", "genre": "montant"},
    ]
    ligne = partie["lignes"][2]
    assert ligne == {
        "id": "subventions_exploitation",
        "code": None,
        "libelle": "Subventions d'exploitation",
        "niveau": 2,
        "style": "normal",
        "valeurs": {"n": "45000.01", "n1": "42000.00"},
        "comptes": ["Produits:74-Subventions:741-Etat"],
        "statut": None,
    }
    titre = partie["lignes"][0]
    assert titre["style"] == "titre"
    assert titre["valeurs"] == {"n": None, "n1": None}  # every column, null when empty


def test_diagnostic_pourcentages_nombres_entiers_et_statuts():
    data = to_dict(diagnostic())
    assert _valeurs(data, "ratios", "autofinancement") == {
        "valeur": "0.1250",
        "seuil": "0.1000",
        "mois": None,
        "effectif": None,
    }
    assert _valeurs(data, "ratios", "tresorerie_mois")["mois"] == "2.35"  # 2.345 half-up
    assert _valeurs(data, "ratios", "tresorerie_mois")["effectif"] == 12
    assert _valeurs(data, "ratios", "dependance_subventions")["valeur"] == "0.8766"
    assert _valeurs(data, "ratios", "variation_fp")["valeur"] == "-0.0312"
    statuts = [row["statut"] for row in data["parties"][0]["lignes"]]
    assert statuts == ["ok", "surveiller", "alerte", None]


def test_grand_livre_dates_iso_et_textes_intacts():
    data = to_dict(grand_livre())
    rows = data["parties"][0]["lignes"]
    assert rows[0]["libelle"] == SCRIPT
    assert rows[0]["code"] == "512"
    assert rows[0]["valeurs"]["date"] == "2025-01-15"
    assert rows[0]["valeurs"]["piece"] == "F-001"
    assert rows[1]["valeurs"]["credit"] == "1334.57"
    assert rows[1]["valeurs"]["solde"] == "-1234.57"
    assert rows[3]["valeurs"]["solde"] == "-0.01"  # -0.005 half-up, away from zero
    assert data["exercice"] is None


@pytest.mark.parametrize("rapport", tous(), ids=lambda r: r.id)
def test_jamais_de_float(rapport):
    data = json.loads(render(rapport, Format.json))
    assert list(_floats(data)) == []


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (Decimal("0.005"), "0.01"),
        (Decimal("-0.005"), "-0.01"),
        (Decimal("0.0049999"), "0.00"),
        (Decimal("-0.004"), "0.00"),  # never "-0.00"
        (Decimal("2.675"), "2.68"),
        (Decimal("-2.675"), "-2.68"),
        (Decimal("1234.5"), "1234.50"),
        (Decimal("1E+3"), "1000.00"),
        (Decimal("-12"), "-12.00"),
        (7, "7.00"),
        (None, None),
        ("n.c.", "n.c."),
    ],
)
def test_arrondi_au_centime(valeur, attendu):
    assert to_dict(_un_montant(valeur))["parties"][0]["lignes"][0]["valeurs"]["n"] == attendu


@pytest.mark.parametrize(
    ("genre", "valeur", "attendu"),
    [
        (Genre.POURCENTAGE, Decimal("0.12345"), "0.1235"),
        (Genre.POURCENTAGE, Decimal("1"), "1.0000"),
        (Genre.NOMBRE, Decimal("3.14159"), "3.14"),
        (Genre.ENTIER, Decimal("2.5"), 3),
        (Genre.ENTIER, 41, 41),
        (Genre.TEXTE, "Fournitures", "Fournitures"),
    ],
)
def test_autres_genres(genre, valeur, attendu):
    data = to_dict(_un_montant(valeur, genre))
    assert data["parties"][0]["lignes"][0]["valeurs"]["n"] == attendu


def test_un_float_est_refuse():
    with pytest.raises(TypeError, match="float"):
        to_dict(_un_montant(12.5))


def test_texte_json_utf8_indente_et_stable():
    raw = render(compte_de_resultat(), Format.json)
    text = raw.decode("utf-8")
    assert "Partagés & Cie" in text  # ensure_ascii=False
    assert text.startswith('{\n  "rapport": "compte_de_resultat",\n  "titre"')
    assert text.endswith("}\n")
    assert render(compte_de_resultat(), Format.json) == raw


_AMOUNTS = st.one_of(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=3, allow_nan=False),
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=9, allow_nan=False),
    st.integers(min_value=-(10**12), max_value=10**12).map(lambda n: Decimal(n) / 200),
)


@settings(deadline=None)  # no timing in unit tests
@given(_AMOUNTS)
def test_aller_retour_json_egal_a_l_arrondi_demi_superieur(valeur):
    text = json.loads(render(_un_montant(valeur), Format.json))["parties"][0]["lignes"][0][
        "valeurs"
    ]["n"]
    assert isinstance(text, str)
    whole, _, cents = text.lstrip("-").partition(".")
    assert whole.isdigit() and len(cents) == 2 and cents.isdigit()
    with localcontext() as context:
        context.prec = 60
        magnitude = (abs(valeur) * 100 + Decimal("0.5")).to_integral_value(ROUND_FLOOR) / 100
        attendu = magnitude if valeur >= 0 else -magnitude
    assert Decimal(text) == attendu
    assert not text.startswith("-") or attendu < 0
