"""The six statements print the same bytes as before their speed-up (issue 22).

The account statements (compte de résultat, bilan, balance, grand livre, journal,
diagnostic) were made faster (per-range account totals summed once per source, one
scan of the ledger for the affectation entries and the open accounts, a leaner
collection of movements, and JSON rows written from templates instead of the standard
library's pure-Python indenting encoder). Nothing they print may change: the SHA-256
(first 16 hex digits) of their JSON, terminal and CSV renderings, for every exercice of
a copy of the example association and of a small generated ledger, were recorded
with the code before the change and must stay the same. One deliberate change since: the
2024 bilan (an exercice on the pre-2025 chart) names the 481 line and its rubrique with
the pre-2025 labels only (« Charges à répartir sur plusieurs exercices »), not the
combined labels of both chart versions; its three fingerprints were taken again then,
the figures unchanged. Likewise a bilan of the 2025 chart whose N-1 column is not on the
pre-2025 chart (the example's 2026, the generated ledger's 2025 without N-1 and 2026)
names that line « Frais d'émission des emprunts » only (its rubrique of the same name
folds into it): their nine fingerprints were taken again, label-only diff checked.

The JSON writer is also checked against ``json.dumps(to_dict(…), indent=2)`` on
reports holding what the templates must not get wrong: a marker-like text, duplicate
column ids, values of other types (float, bool, nested lists, enums), empty parts.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.application.generateur import generate_ledger
from communs_ledger.chargement import load_livre
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.bilan import bilan
from communs_ledger.rapports.diagnostic import diagnostic
from communs_ledger.rapports.grand_livre import grand_livre
from communs_ledger.rapports.journal import journal
from communs_ledger.rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.source import Source
from communs_ledger.rendu import Format, render
from communs_ledger.rendu.en_json import dumps, to_dict

ROOT = Path(__file__).resolve().parents[1]

ETATS = {
    "resultat": compte_de_resultat,
    "bilan": bilan,
    "balance": balance,
    "grand_livre": grand_livre,
    "journal": journal,
    "diagnostic": diagnostic,
}

EMPREINTES = {
    "exemple 2024 resultat json": "430a3ed3ac94a684",
    "exemple 2024 resultat table": "68dda28736047de0",
    "exemple 2024 resultat csv": "d6bc03b13b042b6b",
    "exemple 2024 bilan json": "a46cafb2dc912ef0",
    "exemple 2024 bilan table": "2e852c440a60f1f7",
    "exemple 2024 bilan csv": "a3f7922807644644",
    "exemple 2024 balance json": "50ce64bdfbe5fbc4",
    "exemple 2024 balance table": "b3c76169cbf9fa74",
    "exemple 2024 balance csv": "80b9066e1a373f0b",
    "exemple 2024 grand_livre json": "6b8cb1e668795634",
    "exemple 2024 grand_livre table": "52832c56b0cd1044",
    "exemple 2024 grand_livre csv": "814dab19d03ee186",
    "exemple 2024 journal json": "d264fe9bc02acd04",
    "exemple 2024 journal table": "105a835cf803383b",
    "exemple 2024 journal csv": "247c1ac8b53670a8",
    "exemple 2024 diagnostic json": "4a3f51bee24a7661",
    "exemple 2024 diagnostic table": "0c0579ba8c83e81a",
    "exemple 2024 diagnostic csv": "d9f2500656f635fa",
    "exemple 2025 resultat json": "d76e67b7c27d3e44",
    "exemple 2025 resultat table": "b9f6ea306efe1c8b",
    "exemple 2025 resultat csv": "0b5f08ade44b171e",
    "exemple 2025 bilan json": "1f5bba3fe61c609c",
    "exemple 2025 bilan table": "6fb747d5983b4f13",
    "exemple 2025 bilan csv": "38b0e08899e4984b",
    "exemple 2025 balance json": "8285022b9e49bdd8",
    "exemple 2025 balance table": "bf1aa70c4c19810a",
    "exemple 2025 balance csv": "964dbedc62c29d78",
    "exemple 2025 grand_livre json": "8612f63f77c23d04",
    "exemple 2025 grand_livre table": "36190a192e2de357",
    "exemple 2025 grand_livre csv": "eca61ed1dbd0c743",
    "exemple 2025 journal json": "58daaf20acc22bf1",
    "exemple 2025 journal table": "0ffac464e160a02b",
    "exemple 2025 journal csv": "2d052970d826018c",
    "exemple 2025 diagnostic json": "fd9eb37052f650af",
    "exemple 2025 diagnostic table": "b8ca5d3ab1d6a12c",
    "exemple 2025 diagnostic csv": "43057a486a2a19cc",
    "exemple 2026 resultat json": "e4c533f1e87d1c52",
    "exemple 2026 resultat table": "fea3af08c225505c",
    "exemple 2026 resultat csv": "bd6081c995798586",
    "exemple 2026 bilan json": "16d55ff67eeb466a",
    "exemple 2026 bilan table": "bc2306ef764dfa8c",
    "exemple 2026 bilan csv": "cdc44056d9c16842",
    "exemple 2026 balance json": "495239de9e372d35",
    "exemple 2026 balance table": "7730850071324b60",
    "exemple 2026 balance csv": "8668f34beab3192d",
    "exemple 2026 grand_livre json": "389361ee4460f7b0",
    "exemple 2026 grand_livre table": "51d7b48aa9122224",
    "exemple 2026 grand_livre csv": "4f6768809764eb8e",
    "exemple 2026 journal json": "e9ae0261f76eef8e",
    "exemple 2026 journal table": "e6c130f2d107faae",
    "exemple 2026 journal csv": "d5640fcfa475b708",
    "exemple 2026 diagnostic json": "e9d2a714b1e83f18",
    "exemple 2026 diagnostic table": "25e8df927c16ec29",
    "exemple 2026 diagnostic csv": "e6cc76d924f120fd",
    "genere 2025 resultat json": "60efaa8b4a53d2a6",
    "genere 2025 resultat table": "f8c5b38ea18c51a7",
    "genere 2025 resultat csv": "2ed98004784ce57f",
    "genere 2025 bilan json": "42a576d68a4f837c",
    "genere 2025 bilan table": "a4d1ad4902717f90",
    "genere 2025 bilan csv": "75011e81ca719a0d",
    "genere 2025 balance json": "9ed7347f68eab255",
    "genere 2025 balance table": "3214759929bb7846",
    "genere 2025 balance csv": "85005832fc2c3b32",
    "genere 2025 grand_livre json": "a81705e5d259fedf",
    "genere 2025 grand_livre table": "6870d536a2ec8c48",
    "genere 2025 grand_livre csv": "1a49c815e6cd7a48",
    "genere 2025 journal json": "960463a08c9fa5e6",
    "genere 2025 journal table": "ef470c00a15d0aac",
    "genere 2025 journal csv": "ca4888cab047da7e",
    "genere 2025 diagnostic json": "8d148185e9e98912",
    "genere 2025 diagnostic table": "291f7df32744cb1c",
    "genere 2025 diagnostic csv": "f46396e0e28ae2d0",
    "genere 2026 resultat json": "a1e4bfd6c419f8c2",
    "genere 2026 resultat table": "da2461ad633401eb",
    "genere 2026 resultat csv": "92d5aa685d8f936d",
    "genere 2026 bilan json": "d41cbea15ad87706",
    "genere 2026 bilan table": "7de31bd4fc8d2d38",
    "genere 2026 bilan csv": "9f32ec212b8886d2",
    "genere 2026 balance json": "44b562ce605c68a4",
    "genere 2026 balance table": "aed5cafd171b9dde",
    "genere 2026 balance csv": "2369cd3890ed161e",
    "genere 2026 grand_livre json": "4020ff74e3e3e398",
    "genere 2026 grand_livre table": "c45dc5617e4966cf",
    "genere 2026 grand_livre csv": "7703b72790acc7aa",
    "genere 2026 journal json": "1e07a78ccbce6171",
    "genere 2026 journal table": "20cd764f25e52f6f",
    "genere 2026 journal csv": "95c5615b27e9219e",
    "genere 2026 diagnostic json": "20b65e2fd09f76a5",
    "genere 2026 diagnostic table": "36f51d083311e4ef",
    "genere 2026 diagnostic csv": "d1843e18e2a8d6df",
}
"""Recorded before the change: "<ledger> <exercice> <statement> <format>": digest."""


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Source]:
    folder = tmp_path_factory.mktemp("etats")
    shutil.copytree(
        ROOT / "examples" / "association",
        folder / "exemple",
        ignore=shutil.ignore_patterns("*picklecache*"),
    )
    generate_ledger(folder / "genere", 1500, seed=7, years=2)
    return {
        nom: Source.from_livre(load_livre(folder / nom / "main.beancount"))
        for nom in ("exemple", "genere")
    }


def test_les_six_etats_impriment_les_memes_octets(sources: dict[str, Source]) -> None:
    found = {}
    for nom, source in sources.items():
        for exercice in source.exercices:
            for etat, build in ETATS.items():
                rapport = build(source, exercice)
                for fmt in (Format.json, Format.table, Format.csv):
                    digest = hashlib.sha256(render(rapport, fmt)).hexdigest()[:16]
                    found[f"{nom} {exercice.code} {etat} {fmt.value}"] = digest
                assert dumps(rapport) == _reference_json(rapport)
    assert found == EMPREINTES


def _reference_json(rapport: Rapport) -> str:
    return json.dumps(to_dict(rapport), ensure_ascii=False, indent=2) + "\n"


def _rapport(parties: list[Partie]) -> Rapport:
    return Rapport(
        id="essai",
        titre="Essai",
        association='Les Jardins « 2 » \\ "Cie"',
        parties=parties,
        totaux={"n": {"total": Decimal("1.005")}},
        meta={"au": datetime.date(2025, 12, 31)},
    )


def test_json_ecrit_comme_la_bibliotheque_standard() -> None:
    colonnes = [
        Colonne("date", "Date", Genre.DATE),
        Colonne("piece", "Pièce", Genre.TEXTE),
        Colonne("n", "N"),
        Colonne("ratio", "Ratio", Genre.POURCENTAGE),
        Colonne("nb", "Nombre", Genre.ENTIER),
    ]
    marker = json.dumps(["\x00lignes 0 1\x00"])
    lignes = [
        Ligne("Titre", id="titre", style=Style.TITRE),
        Ligne(
            "Ligne « é » \x00lignes 0 0\x00 \n tab\t",
            {"date": datetime.date(2025, 1, 2), "piece": "A-1", "n": Decimal("-0.004")},
            code="512",
            niveau=2,
            comptes=("Actif:512-Banque", "Actif:\u2028"),
            statut="ok",
        ),
        Ligne("Texte en colonne numérique", {"n": "n.c.", "ratio": Decimal("0.12345")}),
        Ligne("Entier", {"nb": Decimal("2.5"), "piece": 12}),
        Ligne(marker, {"piece": Genre.MONTANT}),
    ]
    ordinaire = Partie("p", "Partie", colonnes, lignes, notes=["note"])
    vide = Partie("vide", "Sans lignes", colonnes, [])
    sans_colonnes = Partie("nues", "Sans colonnes", [], [Ligne("seule")])
    doublons = Partie(
        "doublons", "Colonnes en double", [Colonne("n", "N"), Colonne("n", "Encore")], lignes
    )
    bizarre = Ligne("Valeurs d'autres types", id="x")
    bizarre.niveau = True  # type: ignore[assignment]
    bizarre.code = 741  # type: ignore[assignment]
    bizarre.statut = ["a", {"b": None}]  # type: ignore[assignment]
    autres = Partie("autres", "Autres", colonnes[:1], [bizarre])
    for parties in ([ordinaire, vide, sans_colonnes, doublons, autres], [], [vide]):
        rapport = _rapport(parties)
        assert dumps(rapport) == _reference_json(rapport)


def test_json_d_une_ligne_ecrit_a_la_main() -> None:
    """One row, written out by hand as ``json.dumps(indent=2)`` lays it out."""
    partie = Partie(
        "p",
        "P",
        [Colonne("n", "N")],
        [Ligne("Cotisations", {"n": Decimal("1234.565")}, id="c", code="756", niveau=2)],
    )
    text = dumps(_rapport([partie]))
    assert (
        '      "lignes": [\n'
        "        {\n"
        '          "id": "c",\n'
        '          "code": "756",\n'
        '          "libelle": "Cotisations",\n'
        '          "niveau": 2,\n'
        '          "style": "normal",\n'
        '          "valeurs": {\n'
        '            "n": "1234.57"\n'
        "          },\n"
        '          "comptes": [],\n'
        '          "statut": null\n'
        "        }\n"
        "      ],\n"
    ) in text
