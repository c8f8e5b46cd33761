"""What an expert-comptable expects in the FEC: lettrage of 401/411/441 (an invoice and its
payment matched by reference, else by amount and tiers), ValidDate from the closing lock,
à-nouveaux first (and ``fec --verifier`` checking it). Figures computed by hand."""

from __future__ import annotations

import datetime
from pathlib import Path

from communs_ledger.chargement import load_livre
from communs_ledger.cloture.verrou import cloture_de
from communs_ledger.cloture.verrou import texte_du_verrou as texte
from communs_ledger.fec.export import exporter
from communs_ledger.fec.norme import Encodage
from communs_ledger.fec.verification import verifier_octets
from communs_ledger.rapports.source import Source
from conftest import write_ledger

SIREN = "123456782"
CONFIG = f'association:\n  nom: "Test"\n  siren: "{SIREN}"\n'
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
PAPETERIE = "Passif:40-Fournisseurs:401-Fournisseurs:Papeterie"
FOURNISSEURS = "Passif:40-Fournisseurs:401-Fournisseurs"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
USAGER = "Actif:41-Usagers:411-Usagers:Mairie"
VENTES = "Produits:70-Ventes:706-Prestations-de-services"
LEDGER = f"""\
2025-01-01 open {BANQUE}
2025-01-01 open {PAPETERIE}
2025-01-01 open {FOURNISSEURS}
2025-01-01 open {FOURNITURES}
2025-01-01 open {USAGER}
2025-01-01 open {VENTES}
2025-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise

2025-01-02 * "Apport"
  {BANQUE}  5000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise  -5000.00 EUR

2025-02-01 * "Papeterie" "Facture F1"
  piece: "F1"
  {FOURNITURES}  120.00 EUR
  {PAPETERIE}  -120.00 EUR

2025-02-03 * "Papeterie" "Facture F2"
  piece: "F2"
  {FOURNITURES}  120.00 EUR
  {PAPETERIE}  -120.00 EUR

; F2 paid first, with its reference: lettered with F2, not with F1 (same amount)
2025-02-20 * "Papeterie" "Règlement F2"
  piece: "F2"
  {PAPETERIE}  120.00 EUR
  {BANQUE}  -120.00 EUR

; a payment without reference: matched with F1 by amount (same sub-account)
2025-03-05 * "Papeterie" "Virement"
  {PAPETERIE}  120.00 EUR
  {BANQUE}  -120.00 EUR

; no sub-account: the tiers is the payee; Martin's payment does not letter Durand's invoice
2025-04-01 * "Durand" "Facture D1"
  {FOURNITURES}  80.00 EUR
  {FOURNISSEURS}  -80.00 EUR

2025-04-02 * "Martin" "Facture M1"
  {FOURNITURES}  80.00 EUR
  {FOURNISSEURS}  -80.00 EUR

2025-04-20 * "Martin" "Règlement"
  {FOURNISSEURS}  80.00 EUR
  {BANQUE}  -80.00 EUR

; a partial payment stays unlettered
2025-05-01 * "Mairie" "Facture ateliers"
  piece: "V1"
  {USAGER}  1000.00 EUR
  {VENTES}  -1000.00 EUR

2025-06-01 * "Mairie" "Acompte"
  piece: "V1"
  {BANQUE}  400.00 EUR
  {USAGER}  -400.00 EUR
"""


def _fec(folder: Path, cloture_le: datetime.date | None = None):
    path = write_ledger(folder, LEDGER, config=CONFIG)
    if cloture_le is not None:
        # the lock communs cloture --ecrire records (fingerprints of the 2025 entries)
        livre = load_livre(path)
        record = cloture_de(
            livre.entries,
            "2025",
            datetime.date(2025, 1, 1),
            datetime.date(2025, 12, 31),
            cloture_le,
            folder,
        )
        (folder / "clotures.yaml").write_text(texte([record]), encoding="utf-8")
    livre = load_livre(path)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    source = Source.from_livre(livre)
    return exporter(source, source.exercice("2025"), SIREN)


def test_codes_de_lettrage() -> None:
    from communs_ledger.fec.lettrage import code_de_lettrage

    assert [code_de_lettrage(n) for n in (0, 1, 25, 26, 27, 701)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
    ]


def test_lettrage_par_piece_puis_montant_et_tiers(tmp_path: Path) -> None:
    fec = _fec(tmp_path)
    lettered = [
        (line[2], line[4], line[6], line[10].split(" — ")[-1], line[13], line[14])
        for line in fec.lignes
        if line[4].startswith(("401", "411"))
    ]
    assert lettered == [
        ("AC-000001", "401", "Papeterie", "Facture F1", "A", "20250305"),
        ("AC-000002", "401", "Papeterie", "Facture F2", "B", "20250220"),
        ("BQ-000002", "401", "Papeterie", "Règlement F2", "B", "20250220"),
        ("BQ-000003", "401", "Papeterie", "Virement", "A", "20250305"),
        ("AC-000003", "401", "", "Facture D1", "", ""),
        ("AC-000004", "401", "", "Facture M1", "A", "20250420"),
        ("BQ-000004", "401", "", "Règlement", "A", "20250420"),
        ("VE-000001", "411", "Mairie", "Facture ateliers", "", ""),
        ("BQ-000005", "411", "Mairie", "Acompte", "", ""),
    ]
    # the exercice is open: ValidDate is the entry's date
    assert all(line[15] == line[3] for line in fec.lignes)
    data = fec.encoder(Encodage.iso).octets
    assert verifier_octets(data, fec.nom_de_fichier).ok


def test_valid_date_date_de_cloture(tmp_path: Path) -> None:
    fec = _fec(tmp_path, cloture_le=datetime.date(2026, 3, 15))
    assert {line[15] for line in fec.lignes} == {"20260315"}
    assert {line[3] for line in fec.lignes} != {"20260315"}


def test_verifier_a_nouveaux_en_tete(tmp_path: Path) -> None:
    # the FEC of the test_fec ledger (2025 opens with 4 à-nouveaux lines, 2 to 5): moved
    # to the end of the file, they are refused
    from test_fec import CONFIG as CONFIG_FEC
    from test_fec import LEDGER as LEDGER_FEC

    livre = load_livre(write_ledger(tmp_path, LEDGER_FEC, config=CONFIG_FEC))
    source = Source.from_livre(livre)
    fec = exporter(source, source.exercice("2025"), "123456782")
    lines = fec.encoder(Encodage.iso).octets.decode("iso8859_15").split("\r\n")[:-1]
    assert lines[1].startswith("AN\t") and not lines[5].startswith("AN\t")
    moved = [lines[0], *lines[5:], *lines[1:5]]
    result = verifier_octets(("\r\n".join(moved) + "\r\n").encode("iso8859_15"), fec.nom_de_fichier)
    first_moved = len(moved) - 3
    assert (
        f"ligne {first_moved} : à-nouveaux (journal AN) après d'autres écritures (ligne 2) : "
        "ils viennent en tête du fichier"
    ) in [str(p) for p in result.problemes]
    # a letter without its date
    fields = lines[2].split("\t")
    fields[13], fields[14] = "Z", ""
    broken = [*lines[:2], "\t".join(fields), *lines[3:]]
    result = verifier_octets(
        ("\r\n".join(broken) + "\r\n").encode("iso8859_15"), fec.nom_de_fichier
    )
    assert "ligne 3 : EcritureLet rempli sans DateLet (date du lettrage)" in [
        str(p) for p in result.problemes
    ]
