"""Reading each bank's CSV export with its profile (samples in tests/donnees/releves/).

The samples follow each bank's documented layout (see the sources in
plan_comptable/profils_bancaires.yaml): encodings, header lines before the
column names, separate debit and credit columns or signed amounts, decimal
commas, thousands separated by spaces or non-breaking spaces, multi-line labels.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.importation.lecture import ProfilInconnu, lire_releve
from communs_ledger.importation.modele import ErreurImport, SoldeReleve
from communs_ledger.importation.profils import charger_profils, profils_fournis
from conftest import ROOT

RELEVES = ROOT / "tests" / "donnees" / "releves"
D = Decimal


def lire(name: str, profil: str | None = None):
    return lire_releve(RELEVES / name, charger_profils(None), profil)


def resume(releve) -> list[tuple]:
    return [(op.ligne, op.date.isoformat(), op.montant, op.libelle) for op in releve.operations]


def test_profils_fournis_valides() -> None:
    codes = [item.code for item in profils_fournis()]
    assert codes == [
        "credit-cooperatif",
        "caisse-epargne",
        "la-nef",
        "credit-mutuel-cic",
        "credit-mutuel-cic-montant",
        "la-banque-postale",
        "credit-agricole",
        "societe-generale",
        "bnp-paribas",
        "paheko",
    ]
    statuts = {item.code: item.profil.statut for item in profils_fournis()}
    assert statuts["credit-cooperatif"] == "non vérifié"
    assert statuts["la-nef"] == "non vérifié"
    assert statuts["paheko"] == "non vérifié"
    assert statuts["credit-mutuel-cic"] == "vérifié"


def test_credit_cooperatif_windows_1252() -> None:
    releve = lire("credit-cooperatif.csv")
    assert (releve.profil, releve.encodage, releve.profil_detecte) == (
        "credit-cooperatif",
        "windows-1252",
        True,
    )
    assert releve.meme_disposition == ["caisse-epargne", "la-nef"]
    assert resume(releve) == [
        (3, "2026-03-05", D("-1234.56"), "PRLV SEPA URSSAF ILE DE FRANCE DSN 02-2026"),
        (4, "2026-03-04", D("12500.00"), "VIR SEPA VILLE DE MONTREUIL SUBVENTION ÉTÉ 2026"),
        (5, "2026-03-03", D("25.00"), "VIR SEPA MME HÉLÈNE MERCIER COTISATION 2026"),
        (6, "2026-03-02", D("-18.40"), "CB BOULANGERIE DU MARCHÉ 28/02 CARTE X1234"),
    ]
    assert [op.reference for op in releve.operations] == [
        "2603050019548",
        "2603040011111",
        "2603030022222",
        "2603020033333",
    ]
    assert releve.operations[3].date_valeur == datetime.date(2026, 3, 2)
    assert releve.solde is None
    assert releve.cle_reference == "ref_banque"


def test_caisse_epargne_utf8_bom_annees_courtes() -> None:
    releve = lire("caisse-epargne.csv", "caisse-epargne")
    assert (releve.profil, releve.encodage, releve.profil_detecte) == (
        "caisse-epargne",
        "UTF-8 (avec BOM)",
        False,
    )
    assert resume(releve) == [
        (2, "2026-03-10", D("-92.15"), "PRLV SEPA EDF CLIENTS PARTICULIERS ÉCHÉANCE MARS"),
        (3, "2026-03-09", D("3450.00"), "VIR SEPA CAF DU VAL DE MARNE PRESTATION DE SERVICE"),
    ]


def test_la_nef_meme_disposition() -> None:
    releve = lire("credit-cooperatif.csv", "la-nef")
    assert (releve.profil, releve.profil_nom) == ("la-nef", "La Nef")
    assert len(releve.operations) == 4


def test_credit_mutuel_iso_8859_15_debit_negatif_et_solde() -> None:
    releve = lire("credit-mutuel.csv")
    assert (releve.profil, releve.encodage) == ("credit-mutuel-cic", "iso-8859-15")
    assert resume(releve) == [
        (2, "2026-03-02", D("-1234.56"), "PRLV SEPA URSSAF"),
        (3, "2026-03-03", D("2500.00"), "VIR SEPA RECU /DE LA RÉGION ÎLE-DE-FRANCE /MOTIF ACOMPTE"),
        (4, "2026-03-05", D("-45.90"), "PRLV SEPA EDF CLIENT 12345 : 45,90 €"),
    ]
    # 8 765,44 + 2 500,00 − 45,90 = 11 219,54, after the last line (5 March): at 6 March
    assert releve.solde == SoldeReleve(datetime.date(2026, 3, 6), D("11219.54"), "colonne Solde")


def test_cic_virgules_et_points_decimaux() -> None:
    releve = lire("cic-montant.csv")
    assert releve.profil == "credit-mutuel-cic-montant"
    assert [(op.montant, op.date_valeur) for op in releve.operations] == [
        (D("1584.00"), datetime.date(2026, 10, 4)),
        (D("-4.00"), datetime.date(2026, 10, 5)),
        (D("50.00"), datetime.date(2026, 10, 10)),
    ]
    assert releve.solde == SoldeReleve(datetime.date(2026, 10, 7), D("19307.85"), "colonne Solde")


def test_banque_postale_lignes_d_information() -> None:
    releve = lire("banque-postale.csv")
    assert (releve.profil, releve.encodage) == ("la-banque-postale", "windows-1252")
    assert resume(releve) == [
        (8, "2026-03-11", D("-39.99"), "PRELEVEMENT DE ORANGE SA"),
        (9, "2026-03-10", D("1500.00"), "VIREMENT DE MAIRIE DE SAINT-ÉTIENNE"),
        (10, "2026-03-09", D("-23.50"), "CARTE X5678 08/03 LIBRAIRIE DU LYCÉE"),
    ]


def test_credit_agricole_libelles_sur_plusieurs_lignes() -> None:
    releve = lire("credit-agricole.csv")
    assert releve.profil == "credit-agricole"
    # each operation starts on the line of its date; its quoted label runs over 3 or 4 lines;
    # the card section after the blank line is not read
    assert resume(releve) == [
        (10, "2026-03-11", D("-1034.20"), "PRELEVEMENT SEPA GAZ DE BORDEAUX ECHEANCE MARS"),
        (14, "2026-03-10", D("4000.00"), "VIREMENT EN VOTRE FAVEUR DÉPARTEMENT DE LA GIRONDE"),
        (17, "2026-03-09", D("85.00"), "REMISE CHEQUES 2 CHÈQUES"),
    ]


def test_societe_generale_espaces_insecables() -> None:
    """The detailed label is the label; the short one (« VIR RECU ») is kept apart, not glued
    in front of it."""
    releve = lire("societe-generale.csv")
    assert releve.profil == "societe-generale"
    assert resume(releve) == [
        (
            4,
            "2026-03-08",
            D("-1180.00"),
            "DE: MAIF ID EMETTEUR: FR12ZZZ ASSURANCE MULTIRISQUE",
        ),
        (
            5,
            "2026-03-06",
            D("6000.00"),
            "DE: FONDATION DE FRANCE MOTIF: APPEL À PROJETS 2026",
        ),
    ]
    assert [op.libelle_court for op in releve.operations] == ["PRELEVEMENT EUROPEEN", "VIR RECU"]


def test_societe_generale_sans_detail(tmp_path: Path) -> None:
    """A line without detail keeps the short label as its label."""
    path = tmp_path / "sg.csv"
    path.write_text(
        "Date de l'opération;Libellé;Détail de l'écriture;Montant de l'opération;Devise\n"
        "09/03/2026;FRAIS BANCAIRES;;-4,00;EUR\n",
        encoding="cp1252",
    )
    releve = lire_releve(path, charger_profils(None))
    assert [(op.libelle, op.libelle_court) for op in releve.operations] == [
        ("FRAIS BANCAIRES", None)
    ]


def test_bnp_paribas_fichier_utf8() -> None:
    releve = lire("bnp-paribas.csv")
    assert (releve.profil, releve.encodage) == ("bnp-paribas", "utf-8")
    assert resume(releve) == [
        (4, "2026-03-11", D("-19.99"), "PRLV SEPA FREE MOBILE"),
        (5, "2026-03-10", D("7500.00"), "VIR SEPA RECU DE: COMMUNAUTÉ D'AGGLOMÉRATION"),
    ]


def test_paheko_solde_et_reference() -> None:
    releve = lire("paheko.csv")
    assert releve.profil == "paheko"
    assert [(op.reference, op.montant) for op in releve.operations] == [
        ("P-101", D("30.00")),
        ("P-102", D("-57.35")),
        ("P-103", D("150.00")),
    ]
    # 1 000,00 + 30,00 − 57,35 + 150,00 = 1 122,65, after 9 March
    assert releve.solde == SoldeReleve(datetime.date(2026, 3, 10), D("1122.65"), "colonne Solde")


def test_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Export Paheko"])
    sheet.append(["Date", "Libellé", "Débit", "Crédit", "Solde"])
    sheet.append([datetime.datetime(2026, 3, 1), "Cotisation", None, 30, 1030])
    sheet.append(["04/03/2026", "Graines", "57,35", None, "972,65"])
    workbook.save(tmp_path / "journal.xlsx")
    releve = lire_releve(tmp_path / "journal.xlsx", charger_profils(None))
    # the same columns as Crédit Mutuel's export: the first profile in the file is taken
    assert (releve.format, releve.profil, releve.meme_disposition) == (
        "xlsx",
        "credit-mutuel-cic",
        ["paheko"],
    )
    assert resume(releve) == [
        (3, "2026-03-01", D("30"), "Cotisation"),
        (4, "2026-03-04", D("-57.35"), "Graines"),
    ]
    assert releve.solde == SoldeReleve(datetime.date(2026, 3, 5), D("972.65"), "colonne Solde")


def test_soldes_incoherents(tmp_path: Path) -> None:
    path = tmp_path / "releve.csv"
    path.write_text(
        "Date;Date de valeur;Débit;Crédit;Libellé;Solde\n"
        "02/03/2026;02/03/2026;-10,00;;A;90,00\n"
        "03/03/2026;03/03/2026;-10,00;;B;75,00\n",
        encoding="iso-8859-15",
    )
    releve = lire_releve(path, charger_profils(None))
    assert releve.solde is None
    assert releve.avertissements == [
        "les soldes du relevé ne suivent pas ses opérations : pas de contrôle de solde"
    ]


def test_montant_nul_ignore(tmp_path: Path) -> None:
    path = tmp_path / "releve.csv"
    path.write_text(
        "Date;Date de valeur;Montant;Libellé;Solde\n"
        "01/08/2026;01/08/2026;0,00;Nouveau taux du livret;220,00\n"
        "06/08/2026;06/08/2026;735,00;Vir de M. Plantier;955,00\n",
        encoding="iso-8859-15",
    )
    releve = lire_releve(path, charger_profils(None))
    assert releve.lignes_ignorees == 1
    assert [op.montant for op in releve.operations] == [D("735.00")]


# --- Profiles of the association -------------------------------------------------------------


def test_profil_de_l_association(tmp_path: Path) -> None:
    profils = tmp_path / "profils.yaml"
    profils.write_text(
        textwrap.dedent(
            """\
            profils:
              banque-locale:
                nom: Banque locale
                encodage: utf-8
                separateur: "|"
                format_date: AAAA-MM-JJ
                decimale: "."
                milliers: ","
                colonnes:
                  date: Jour
                  libelle: [Intitulé, Libellé]
                  tiers: Contrepartie
                  montant: Somme
            """
        ),
        encoding="utf-8",
    )
    releve_path = tmp_path / "releve.txt"
    releve_path.write_text(
        "Jour|Contrepartie|Intitulé|Somme\n2026-03-02|Zoé|Adhésion|1,250.50\n", encoding="utf-8"
    )
    releve = lire_releve(releve_path, charger_profils(profils))
    assert releve.profil == "banque-locale"
    operation = releve.operations[0]
    assert (operation.tiers, operation.libelle, operation.montant) == (
        "Zoé",
        "Adhésion",
        D("1250.50"),
    )


def test_profil_de_l_association_remplace_celui_fourni(tmp_path: Path) -> None:
    profils = tmp_path / "profils.yaml"
    profils.write_text(
        "profils:\n  paheko:\n    nom: Paheko maison\n    colonnes:\n"
        "      date: Date\n      libelle: Libellé\n      montant: Montant\n",
        encoding="utf-8",
    )
    found = charger_profils(profils)
    assert [item.code for item in found].count("paheko") == 1
    assert found[0].profil.nom == "Paheko maison"


def test_fichier_de_profils_invalide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    profils = tmp_path / "profils.yaml"
    profils.write_text(
        "profils:\n"
        "  Ma Banque:\n"
        "    nom: X\n"
        "    colonnes: {date: Date, libelle: Libellé, montant: Montant}\n"
        "  autre:\n"
        "    nom: Y\n"
        "    encodage: klingon\n"
        "    colonnes: {date: Date, libelle: Libellé, debit: Débit}\n",
        encoding="utf-8",
    )
    with pytest.raises(ErreurImport) as raised:
        charger_profils(profils)
    assert raised.value.message == "profils bancaires invalides dans profils.yaml"
    assert raised.value.details == [
        "profils.yaml:7: profils.autre.encodage : encodage « klingon » inconnu "
        "(ex. windows-1252, iso-8859-15, utf-8)",
        "profils.yaml:8: profils.autre.colonnes : les colonnes debit et credit vont ensemble",
    ]


def test_profil_impose_inconnu() -> None:
    with pytest.raises(ProfilInconnu, match="profil « hsbc » inconnu"):
        lire("credit-mutuel.csv", "hsbc")
