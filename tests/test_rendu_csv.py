"""CSV renderer: RFC 4180, UTF-8, dot decimals, one header row; same figures as JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from communs_ledger.rapports.objets import Colonne, Genre, Ligne, Partie, Rapport
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.en_csv import sans_formule
from test_rendu_exemples import (
    ATTENDU_CR,
    FORMULE,
    SCRIPT,
    bilan,
    compte_de_resultat,
    diagnostic,
    grand_livre,
    tous,
)


def _lire(rapport: Rapport) -> tuple[list[str], list[dict[str, str]]]:
    raw = render(rapport, Format.csv)
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in body)
    return header, [dict(zip(header, row, strict=True)) for row in body]


def test_entete_unique_et_fins_de_ligne_rfc4180():
    raw = render(compte_de_resultat(), Format.csv)
    assert raw.startswith(b"partie,id,code,libelle,niveau,style,n,n1\r\n")
    assert raw.count(b"\r\n") == 1 + len(compte_de_resultat().parties[0].lignes)
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_montants_du_compte_de_resultat():
    _, rows = _lire(compte_de_resultat())
    by_id = {row["id"]: row for row in rows}
    for (ligne, colonne), attendu in ATTENDU_CR.items():
        assert by_id[ligne][colonne] == attendu, (ligne, colonne)
    assert by_id["bloc_produits_exploitation"] == {
        "partie": "compte_de_resultat",
        "id": "bloc_produits_exploitation",
        "code": "",
        "libelle": "Produits d'exploitation",
        "niveau": "1",
        "style": "titre",
        "n": "",
        "n1": "",
    }
    assert by_id["dont_subventions_etat"]["style"] == "dont"
    assert by_id["dont_subventions_etat"]["niveau"] == "3"


def test_union_des_colonnes_de_toutes_les_parties():
    header, rows = _lire(bilan())
    assert header == [
        "partie", "id", "code", "libelle", "niveau", "style",
        "brut", "amortissements", "net", "n1",
    ]  # fmt: skip
    by_id = {row["id"]: row for row in rows}
    assert by_id["installations_techniques"]["amortissements"] == "1200.00"
    assert by_id["disponibilites"]["amortissements"] == ""
    assert by_id["dettes"]["partie"] == "passif"
    assert by_id["dettes"]["brut"] == ""  # not a column of the passif
    assert by_id["total_passif"]["net"] == "27400.40"
    assert by_id["total_actif"]["net"] == by_id["total_passif"]["net"]


def test_diagnostic_avec_statut_pourcentages_a_quatre_decimales():
    header, rows = _lire(diagnostic())
    assert header[:7] == ["partie", "id", "code", "libelle", "niveau", "style", "statut"]
    by_id = {row["id"]: row for row in rows}
    assert by_id["autofinancement"]["valeur"] == "0.1250"
    assert by_id["autofinancement"]["statut"] == "ok"
    assert by_id["tresorerie_mois"]["mois"] == "2.35"
    assert by_id["tresorerie_mois"]["effectif"] == "12"
    assert by_id["dependance_subventions"]["statut"] == "alerte"
    assert by_id["variation_fp"]["statut"] == ""


def test_textes_cites_et_dates_iso():
    raw = render(grand_livre(), Format.csv).decode("utf-8")
    # RFC 4180 quoting; a leading ' keeps the formula a text in a spreadsheet (OWASP)
    assert '"\'=HYPERLINK(""http://exemple.invalid"",""clic"")"' in raw
    _, rows = _lire(grand_livre())
    assert rows[0]["libelle"] == SCRIPT
    assert rows[1]["libelle"] == "'" + FORMULE
    assert rows[0]["date"] == "2025-01-15"
    assert rows[1]["solde"] == "-1234.57"
    assert rows[3]["solde"] == "-0.01"
    assert rows[4]["partie"] == "411"


def test_colonne_homonyme_d_un_champ_fixe():
    rapport = Rapport(
        id="journal",
        titre="Journal",
        association="A",
        parties=[
            Partie(
                "p",
                "P",
                [Colonne("libelle", "Libellé de l'écriture", Genre.TEXTE), Colonne("montant", "M")],
                [Ligne("Banque", {"libelle": "Achat, papeterie", "montant": Decimal("9.999")})],
            )
        ],
    )
    header, rows = _lire(rapport)
    assert header == [
        "partie", "id", "code", "libelle", "niveau", "style", "colonne_libelle", "montant",
    ]  # fmt: skip
    assert rows[0]["libelle"] == "Banque"
    assert rows[0]["colonne_libelle"] == "Achat, papeterie"
    assert rows[0]["montant"] == "10.00"


@pytest.mark.parametrize("rapport", tous(), ids=lambda r: r.id)
def test_memes_chiffres_que_le_json(rapport):
    data = json.loads(render(rapport, Format.json))
    _, rows = _lire(rapport)
    json_rows = [(p, row) for p in data["parties"] for row in p["lignes"]]
    assert len(rows) == len(json_rows)
    for csv_row, (partie, json_row) in zip(rows, json_rows, strict=True):
        genres = {colonne["id"]: colonne["genre"] for colonne in partie["colonnes"]}
        assert csv_row["partie"] == partie["id"]
        assert csv_row["libelle"] == sans_formule(json_row["libelle"])
        for colonne, value in json_row["valeurs"].items():
            cell = csv_row.get(colonne, csv_row.get(f"colonne_{colonne}"))
            if value is None:
                assert cell == ""
            elif genres[colonne] == "entier":
                assert int(cell) == value
            elif genres[colonne] in ("montant", "pourcentage", "nombre"):
                assert Decimal(cell) == Decimal(value)
                assert cell == value
            elif genres[colonne] == "texte":
                assert cell == sans_formule(value)
            else:
                assert cell == value
