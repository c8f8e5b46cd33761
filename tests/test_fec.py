"""The FEC export (engine): a hand-made ledger compared line by line with the expected file,
journals (derived and declared), à-nouveaux, totals equal to the balance générale,
encodings and file name. Real files, real Beancount loader."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.config import load_config
from communs_ledger.fec.export import Fec, exporter
from communs_ledger.fec.journaux import RepartitionJournaux as Repartition
from communs_ledger.fec.journaux import journal_derive
from communs_ledger.fec.norme import COLONNES, Encodage, encoder, montant_fec
from communs_ledger.fec.norme import lire_montant_fec as lire_montant
from communs_ledger.fec.verification import verifier_octets
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.source import Source
from conftest import EXEMPLE, write_ledger

D = Decimal
SIREN = "123456782"

# A small ledger over two exercices: 2024 (chart 2018) and 2025 (chart 2025).
LEDGER = """\
option "operating_currency" "EUR"

2024-01-01 open Actif:51-Banques:512-Banques:Compte-courant
2025-01-01 open Actif:53-Caisse EUR
2024-01-01 open Actif:41-Usagers:411-Usagers:Ville-de-Villebrie EUR
2024-01-01 open Actif:44-Etat:441-Subventions-a-recevoir:Region EUR
2024-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise EUR
2024-01-01 open Passif:40-Fournisseurs:401-Fournisseurs EUR
2024-01-01 open Passif:40-Fournisseurs:401-Fournisseurs:Jardinerie-du-Coteau EUR
2024-01-01 open Passif:42-Personnel:421-Remunerations-dues EUR
2024-01-01 open Passif:43-Organismes-sociaux:431-Urssaf EUR
2024-01-01 open Charges:60-Achats:6068-Autres-fournitures
2024-01-01 open Charges:62-Autres-services-exterieurs:6226-Honoraires EUR
2024-01-01 open Charges:62-Autres-services-exterieurs:627-Services-bancaires EUR
2024-01-01 open Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires EUR
2024-01-01 open Charges:64-Charges-de-personnel:645-Charges-sociales EUR
2024-01-01 open Charges:86-Emplois-CVN:864-Personnel-benevole EUR
2024-01-01 open Produits:70-Ventes-et-prestations:706-Prestations-de-services EUR
2024-01-01 open Produits:74-Subventions:741-Subventions-d-exploitation:Region EUR
2024-01-01 open Produits:75-Autres-produits:756-Cotisations EUR
2024-01-01 open Produits:87-CVN:875-Benevolat EUR

2024-01-05 * "Apport initial"
  Actif:51-Banques:512-Banques:Compte-courant  5000.00 EUR
  Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise  -5000.00 EUR

2024-03-01 * "Jardinerie du Coteau" "Terreau"
  piece: "JC-2024-01"
  Charges:60-Achats:6068-Autres-fournitures  300.00 EUR
  Passif:40-Fournisseurs:401-Fournisseurs:Jardinerie-du-Coteau  -300.00 EUR

2024-06-15 * "Cotisations 2024"
  Actif:51-Banques:512-Banques:Compte-courant  420.00 EUR
  Produits:75-Autres-produits:756-Cotisations  -420.00 EUR

2025-01-02 * "Fonds de caisse"
  Actif:53-Caisse  100.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant  -100.00 EUR

2025-01-10 * "Jardinerie du Coteau" "Règlement de la facture JC-2024-01"
  Passif:40-Fournisseurs:401-Fournisseurs:Jardinerie-du-Coteau  300.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant  -300.00 EUR

2025-02-03 * "Mairie de Villebrie" "Ateliers jardinage
février"
  piece: "F-2025-001"
  Actif:41-Usagers:411-Usagers:Ville-de-Villebrie  1250.50 EUR
  Produits:70-Ventes-et-prestations:706-Prestations-de-services  -1250.50 EUR

2025-02-03 * "Marché de Villebrie" "Légumes – atelier cuisine"
  Charges:60-Achats:6068-Autres-fournitures  23.40 EUR
  Actif:53-Caisse  -23.40 EUR

2025-03-31 * "Paie de mars"
  piece: "BP-2025-03"
  Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires  2000.00 EUR
  Charges:64-Charges-de-personnel:645-Charges-sociales  800.00 EUR
  Passif:42-Personnel:421-Remunerations-dues  -1560.00 EUR
  Passif:43-Organismes-sociaux:431-Urssaf  -1240.00 EUR

2025-04-02 * "Salaire de mars"
  Passif:42-Personnel:421-Remunerations-dues  1560.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant  -1560.00 EUR

2025-05-20 * "Cabinet Martin" "Honoraires"
  Charges:62-Autres-services-exterieurs:6226-Honoraires  600.00 EUR
    piece: "H-2025-17"
  Passif:40-Fournisseurs:401-Fournisseurs  -600.00 EUR

2025-06-30 * "Bénévolat du semestre"
  Charges:86-Emplois-CVN:864-Personnel-benevole  1170.00 EUR
  Produits:87-CVN:875-Benevolat  -1170.00 EUR

2025-07-01 * "Loyer prévu" #prevision
  Charges:62-Autres-services-exterieurs:6226-Honoraires  999.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant  -999.00 EUR

2025-09-15 * "Région" "Subvention de fonctionnement 2025" #subvention
  Actif:44-Etat:441-Subventions-a-recevoir:Region  3000.00 EUR
  Produits:74-Subventions:741-Subventions-d-exploitation:Region  -3000.00 EUR

2025-11-05 * "Graines Suisses" "Semences"
  Charges:60-Achats:6068-Autres-fournitures  30.00 CHF @ 1.05 EUR
  Actif:51-Banques:512-Banques:Compte-courant  -31.50 EUR

2025-12-31 * "Crédit Coopératif" "Frais de tenue de compte"
  Charges:62-Autres-services-exterieurs:627-Services-bancaires  12.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant  -12.00 EUR
"""
CONFIG = f'association:\n  nom: "Les Jardins de la Bièvre"\n  siren: "{SIREN}"\n'

# Expected FEC of 2025, computed by hand ("|" stands for the tab separator).
# Lettrage: the 300 of Jardinerie du Coteau at the opening (invoice JC-2024-01 of 2024) and
# its payment of 10/01/2025, same sub-account and amount → « A », settled on 20250110.
# À-nouveaux at 01/01/2025: 102 C 5 000; 401 Jardinerie C 300 (invoice of 2024 unpaid);
# 512 D 5 000 + 420 = 5 420; result 2024 not assigned: 420 − 300 = 120 excédent → 120 C 120
# (in account order, after 102).
# Then BQ, CA, PA, AC, VE, OD numbered each from 1 in date order (same day: ledger order);
# the #prevision entry is left out; the CHF purchase shows its currency amount.
EXPECTED_2025 = """\
JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise
AN|À-nouveaux|AN-000001|20250101|102|Fonds propres sans droit de reprise|||AN-000001|20250101|À-nouveau|0,00|5000,00|||20250101||
AN|À-nouveaux|AN-000001|20250101|120|Résultat de l'exercice - bénéfice|||AN-000001|20250101|À-nouveau : résultat de l'exercice 2024 en attente d'affectation|0,00|120,00|||20250101||
AN|À-nouveaux|AN-000001|20250101|401|Fournisseurs|Jardinerie-du-Coteau|Jardinerie du Coteau|AN-000001|20250101|À-nouveau|0,00|300,00|A|20250110|20250101||
AN|À-nouveaux|AN-000001|20250101|512|Banques - Compte courant|||AN-000001|20250101|À-nouveau|5420,00|0,00|||20250101||
BQ|Banque|BQ-000001|20250102|53|Caisse|||BQ-000001|20250102|Fonds de caisse|100,00|0,00|||20250102||
BQ|Banque|BQ-000001|20250102|512|Banques - Compte courant|||BQ-000001|20250102|Fonds de caisse|0,00|100,00|||20250102||
BQ|Banque|BQ-000002|20250110|401|Fournisseurs|Jardinerie-du-Coteau|Jardinerie du Coteau|BQ-000002|20250110|Jardinerie du Coteau - Règlement de la facture JC-2024-01|300,00|0,00|A|20250110|20250110||
BQ|Banque|BQ-000002|20250110|512|Banques - Compte courant|||BQ-000002|20250110|Jardinerie du Coteau - Règlement de la facture JC-2024-01|0,00|300,00|||20250110||
VE|Ventes et prestations|VE-000001|20250203|411|Clients|Ville-de-Villebrie|Ville de Villebrie|F-2025-001|20250203|Mairie de Villebrie - Ateliers jardinage février|1250,50|0,00|||20250203||
VE|Ventes et prestations|VE-000001|20250203|706|Prestations de services|||F-2025-001|20250203|Mairie de Villebrie - Ateliers jardinage février|0,00|1250,50|||20250203||
CA|Caisse|CA-000001|20250203|6068|Autres matières et fournitures|||CA-000001|20250203|Marché de Villebrie - Légumes - atelier cuisine|23,40|0,00|||20250203||
CA|Caisse|CA-000001|20250203|53|Caisse|||CA-000001|20250203|Marché de Villebrie - Légumes - atelier cuisine|0,00|23,40|||20250203||
PA|Paie|PA-000001|20250331|6411|Salaires, appointements|||BP-2025-03|20250331|Paie de mars|2000,00|0,00|||20250331||
PA|Paie|PA-000001|20250331|645|Cotisations de sécurité sociale et de prévoyance|||BP-2025-03|20250331|Paie de mars|800,00|0,00|||20250331||
PA|Paie|PA-000001|20250331|421|Personnel - Rémunérations dues|||BP-2025-03|20250331|Paie de mars|0,00|1560,00|||20250331||
PA|Paie|PA-000001|20250331|431|Sécurité sociale|||BP-2025-03|20250331|Paie de mars|0,00|1240,00|||20250331||
BQ|Banque|BQ-000003|20250402|421|Personnel - Rémunérations dues|||BQ-000003|20250402|Salaire de mars|1560,00|0,00|||20250402||
BQ|Banque|BQ-000003|20250402|512|Banques - Compte courant|||BQ-000003|20250402|Salaire de mars|0,00|1560,00|||20250402||
AC|Achats|AC-000001|20250520|6226|Honoraires|||H-2025-17|20250520|Cabinet Martin - Honoraires|600,00|0,00|||20250520||
AC|Achats|AC-000001|20250520|401|Fournisseurs|||AC-000001|20250520|Cabinet Martin - Honoraires|0,00|600,00|||20250520||
OD|Opérations diverses|OD-000001|20250630|864|Personnel bénévole|||OD-000001|20250630|Bénévolat du semestre|1170,00|0,00|||20250630||
OD|Opérations diverses|OD-000001|20250630|875|Bénévolat|||OD-000001|20250630|Bénévolat du semestre|0,00|1170,00|||20250630||
OD|Opérations diverses|OD-000002|20250915|441|État - Subventions et aides à recevoir - Region|||OD-000002|20250915|Région - Subvention de fonctionnement 2025|3000,00|0,00|||20250915||
OD|Opérations diverses|OD-000002|20250915|741|Subventions d'exploitation - Region|||OD-000002|20250915|Région - Subvention de fonctionnement 2025|0,00|3000,00|||20250915||
BQ|Banque|BQ-000004|20251105|6068|Autres matières et fournitures|||BQ-000004|20251105|Graines Suisses - Semences|31,50|0,00|||20251105|30,00|CHF
BQ|Banque|BQ-000004|20251105|512|Banques - Compte courant|||BQ-000004|20251105|Graines Suisses - Semences|0,00|31,50|||20251105||
BQ|Banque|BQ-000005|20251231|627|Services bancaires et assimilés|||BQ-000005|20251231|Crédit Coopératif - Frais de tenue de compte|12,00|0,00|||20251231||
BQ|Banque|BQ-000005|20251231|512|Banques - Compte courant|||BQ-000005|20251231|Crédit Coopératif - Frais de tenue de compte|0,00|12,00|||20251231||
"""  # noqa: E501

# 2024 (chart 2018): no earlier balance, hence no à-nouveaux; the supplier invoice is AC.
EXPECTED_2024 = """\
JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise
BQ|Banque|BQ-000001|20240105|512|Banques - Compte courant|||BQ-000001|20240105|Apport initial|5000,00|0,00|||20240105||
BQ|Banque|BQ-000001|20240105|102|Fonds propres sans droit de reprise|||BQ-000001|20240105|Apport initial|0,00|5000,00|||20240105||
AC|Achats|AC-000001|20240301|6068|Autres matières et fournitures|||JC-2024-01|20240301|Jardinerie du Coteau - Terreau|300,00|0,00|||20240301||
AC|Achats|AC-000001|20240301|401|Fournisseurs|Jardinerie-du-Coteau|Jardinerie du Coteau|JC-2024-01|20240301|Jardinerie du Coteau - Terreau|0,00|300,00|||20240301||
BQ|Banque|BQ-000002|20240615|512|Banques - Compte courant|||BQ-000002|20240615|Cotisations 2024|420,00|0,00|||20240615||
BQ|Banque|BQ-000002|20240615|756|Cotisations|||BQ-000002|20240615|Cotisations 2024|0,00|420,00|||20240615||
"""  # noqa: E501


def _lines(expected: str) -> list[str]:
    return [line.replace("|", "\t") for line in expected.splitlines()]


@pytest.fixture(scope="module")
def petit(tmp_path_factory: pytest.TempPathFactory) -> Source:
    folder = tmp_path_factory.mktemp("fec")
    path = write_ledger(folder, LEDGER, config=CONFIG)
    livre = load_livre(path)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


@pytest.fixture(scope="module")
def exemple() -> Source:
    livre = load_livre(EXEMPLE)
    assert livre.ok
    return Source.from_livre(livre)


def _decoded(fec: Fec) -> list[str]:
    """The file's lines as written (ISO 8859-15), CRLF checked then removed."""
    raw = fec.encoder(Encodage.iso).octets
    text = raw.decode("iso8859_15")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text.split("\r\n")[:-1]


# --- The hand-made ledger, line by line ---------------------------------------------------


def test_fec_2025_ligne_a_ligne(petit: Source) -> None:
    fec = exporter(petit, petit.exercice("2025"), SIREN)
    got = _decoded(fec)
    expected = _lines(EXPECTED_2025)
    for number, (line, wanted) in enumerate(zip(got, expected, strict=False), start=1):
        assert line == wanted, f"ligne {number}"
    assert len(got) == len(expected)
    assert fec.nom_de_fichier == "123456782FEC20251231.txt"


def test_fec_2024_sans_a_nouveaux(petit: Source) -> None:
    fec = exporter(petit, petit.exercice("2024"), SIREN)
    assert _decoded(fec) == _lines(EXPECTED_2024)
    assert "AN" not in fec.journaux


def test_resume_des_journaux(petit: Source) -> None:
    fec = exporter(petit, petit.exercice("2025"), SIREN)
    summary = {
        code: (j.libelle, j.ecritures, j.lignes, j.debit, j.credit)
        for code, j in fec.journaux.items()
    }
    assert list(summary) == ["AN", "BQ", "CA", "PA", "AC", "VE", "OD"]
    assert summary["AN"] == ("À-nouveaux", 1, 4, D("5420.00"), D("5420.00"))
    # BQ: 100 + 300 + 1 560 + 31,50 + 12 = 2 003,50 on each side
    assert summary["BQ"] == ("Banque", 5, 10, D("2003.50"), D("2003.50"))
    assert summary["PA"] == ("Paie", 1, 4, D("2800.00"), D("2800.00"))
    assert summary["OD"] == ("Opérations diverses", 2, 4, D("4170.00"), D("4170.00"))
    assert fec.ecritures == 12 and len(fec.lignes) == 28
    # 5 420 + 2 003,50 + 23,40 + 2 800 + 600 + 1 250,50 + 4 170 = 16 267,40
    assert fec.debit == fec.credit == D("16267.40")


def test_totaux_egaux_a_la_balance_generale(petit: Source, exemple: Source) -> None:
    for source in (petit, exemple):
        for exercice in source.exercices:
            fec = exporter(source, exercice, SIREN)
            totals = balance(source, exercice).totaux["n"]
            assert fec.debit == totals["total_debit"], exercice.code
            assert fec.credit == totals["total_credit"], exercice.code
    # by hand for the small ledger: 2025 = 16 267,40 (see above)
    assert balance(petit, petit.exercice("2025")).totaux["n"]["total_debit"] == D("16267.40")


def test_notre_fec_passe_la_verification(petit: Source, exemple: Source) -> None:
    for source in (petit, exemple):
        for exercice in source.exercices:
            fec = exporter(source, exercice, SIREN)
            result = verifier_octets(fec.encoder().octets, fec.nom_de_fichier)
            assert result.ok, [str(p) for p in result.problemes]
            assert result.remarques == []
            assert result.lignes == len(fec.lignes)
            assert result.ecritures == fec.ecritures
            assert result.premiere_date.strftime("%Y%m%d") == fec.lignes[0][3]
            assert (result.debit, result.credit) == (fec.debit, fec.credit)


def test_exemple_reprise_des_soldes_en_a_nouveaux(exemple: Source) -> None:
    """2024 opens with the ledger's own reprise of the 2023 balances (on 11x, classes 1 to
    5 only, dated 1 January): journal AN; 2025 gets generated à-nouveaux."""
    fec = exporter(exemple, exemple.exercice("2024"), "843127655")
    first = [line for line in fec.lignes if line[0] == "AN"]
    assert {line[2] for line in first} == {"AN-000001"}
    assert len(first) == 12  # the 12 postings of the reprise entry
    assert first[0][10].startswith("Reprise des soldes du bilan au 31 décembre 2023")
    fec_2025 = exporter(exemple, exemple.exercice("2025"), "843127655")
    assert fec_2025.lignes[0][:4] == ("AN", "À-nouveaux", "AN-000001", "20250101")
    assert fec_2025.journaux["AN"].ecritures == 1


def test_previsions_exclues(petit: Source) -> None:
    fec = exporter(petit, petit.exercice("2025"), SIREN)
    assert not any("Loyer prévu" in line[10] or line[11] == "999,00" for line in fec.lignes)


# --- Journals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "premier_jour", "journal"),
    [
        (["512", "6226"], False, "BQ"),
        (["53", "512"], False, "BQ"),  # a cash deposit: bank first
        (["53", "6068"], False, "CA"),
        (["6411", "645", "421", "431"], False, "PA"),
        (["6226", "401"], False, "AC"),
        (["2183", "404"], False, "AC"),
        (["411", "706"], False, "VE"),
        (["441", "741"], False, "OD"),
        (["864", "875"], False, "OD"),
        (["512", "102", "110"], True, "AN"),  # reprise of opening balances
        (["512", "102", "110"], False, "BQ"),  # same, not on the first day
        (["512", "102"], True, "BQ"),  # a contribution on 1 January is not an opening
        (["487", "756"], True, "OD"),  # a class 7 account: not an opening
    ],
)
def test_journaux_derives(codes: list[str], premier_jour: bool, journal: str) -> None:
    assert journal_derive(codes, premier_jour) == journal


def test_reprise_without_report_a_nouveau_goes_to_an() -> None:
    # communs ouverture's opening of a young association (fonds propres, no 110): AN,
    # while the same entry typed by hand stays a bank entry (see test_journaux_derives)
    assert journal_derive(["53", "512", "194", "102"], True, reprise=True) == "AN"
    assert journal_derive(["512", "102"], False, reprise=True) == "BQ"  # not the first day
    assert journal_derive(["512", "6063"], True, reprise=True) == "BQ"  # not the bilan only


def _config(tmp_path: Path, text: str):
    (tmp_path / "communs.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_config(tmp_path / "main.beancount")


def test_journaux_declares_premier_qui_convient(petit: Source, tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        """\
        fec:
          journaux:
            - {code: SUB, libelle: Subventions, etiquettes: ["#subvention"]}
            - {code: FO, libelle: Fournisseurs, comptes: ["401"]}
            - {code: CC, libelle: Compte courant, comptes: [Compte-courant]}
            - {code: BQ, libelle: Crédit Coopératif}
        """,
    )
    assert config.errors == []
    fec = exporter(petit, petit.exercice("2025"), SIREN, config.data.fec)
    by_number = {line[2]: (line[0], line[1]) for line in fec.lignes}
    assert by_number["SUB-000001"] == ("SUB", "Subventions")  # tag of the Région entry
    # 401 before the bank account: the payment of the Jardinerie goes to FO
    assert by_number["FO-000001"] == ("FO", "Fournisseurs")
    assert next(line[10] for line in fec.lignes if line[2] == "FO-000001").startswith(
        "Jardinerie du Coteau — Règlement"
    )
    assert by_number["FO-000002"] == ("FO", "Fournisseurs")  # Cabinet Martin (401)
    # account name fragment, case-insensitive: every other bank entry
    assert fec.journaux["CC"].ecritures == 4
    # BQ renamed but nothing left for it; OD keeps its label
    assert "BQ" not in fec.journaux
    assert fec.journaux["OD"].libelle == "Opérations diverses"
    assert list(fec.journaux)[:4] == ["AN", "SUB", "FO", "CC"]


def test_sans_journaux_derives_tout_va_en_od(petit: Source, tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        """\
        fec:
          journaux_derives: false
          journaux:
            - {code: BQ, libelle: Banque, comptes: ["512"]}
            - {code: OD, libelle: Écritures diverses}
        """,
    )
    fec = exporter(petit, petit.exercice("2025"), SIREN, config.data.fec)
    assert {code: j.ecritures for code, j in fec.journaux.items()} == {"AN": 1, "BQ": 5, "OD": 6}
    assert fec.journaux["OD"].libelle == "Écritures diverses"


def test_auxiliaires_configurables(petit: Source, tmp_path: Path) -> None:
    config = _config(tmp_path, "fec:\n  auxiliaires: ['40']\n")
    fec = exporter(petit, petit.exercice("2025"), SIREN, config.data.fec)
    clients = [line for line in fec.lignes if line[4] == "411"]
    # 411 is no longer auxiliary: the sub-account is part of the label
    assert clients[0][5:8] == ("Clients — Ville de Villebrie", "", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "fec:\n  journaux:\n    - {code: BQ, libelle: A, comptes: ['512']}\n"
            "    - {code: bq, libelle: B, comptes: ['514']}\n",
            "journal bq déclaré deux fois",
        ),
        (
            "fec:\n  journaux:\n    - {code: 'B Q', libelle: Banque, comptes: ['512']}\n",
            "code de journal « B Q » invalide",
        ),
        (
            "fec:\n  journaux:\n    - {code: SUB, libelle: Subventions}\n",
            "le journal SUB ne retient aucune écriture",
        ),
        (
            "fec:\n  journaux:\n    - {code: SUB, libelle: Subventions, etiquettes: ['a b']}\n",
            "étiquette « a b » invalide",
        ),
        ("fec:\n  auxiliaires: [Fournisseurs]\n", "préfixe de numéro de compte attendu"),
        ("fec:\n  journal: []\n", "vouliez-vous dire « journaux »"),
    ],
)
def test_configuration_des_journaux_validee(tmp_path: Path, text: str, message: str) -> None:
    config = _config(tmp_path, text)
    assert len(config.errors) == 1
    error = config.errors[0]
    assert message in error.message
    # at the offending journal, or at « fec: » for a code declared twice
    assert error.location.line == (1 if "deux fois" in message else 3 if "journaux" in text else 2)


def test_repartition_cache_et_libelles() -> None:
    repartition = Repartition()
    assert repartition.libelle("VE") == "Ventes et prestations"
    args = (("Actif:51-Banques:512-Banques:Livret",), ("512",), frozenset(), False)
    assert repartition.journal(*args) == repartition.journal(*args) == "BQ"


# --- Norm: amounts, encoding --------------------------------------------------------------


def test_montants_virgule_sans_separateur_de_milliers() -> None:
    assert montant_fec(D("1234567.5")) == "1234567,50"
    assert montant_fec(D("0.005")) == "0,01"  # half-up, at display only
    assert lire_montant("1234,50") == D("1234.50")
    for text, reason in (
        ("1234.50", "point décimal au lieu de la virgule"),
        ("1 234,50", "séparateur de milliers interdit"),
        ("1.234,50", "séparateur de milliers interdit"),
        ("", "montant vide"),
        ("12a", "montant illisible"),
    ):
        with pytest.raises(ValueError, match=reason):
            lire_montant(text)


def test_encodage_iso_8859_15_octets() -> None:
    encoded = encoder("é€œ – ’…", Encodage.iso)
    # é = E9, € = A4 and œ = BD in ISO 8859-15 (not in Latin-1: A4 is ¤ there)
    assert encoded.octets == b"\xe9\xa4\xbd - '..."
    assert encoded.remplaces == {"–": ("-", 1), "’": ("'", 1), "…": ("...", 1)}
    assert encoder("ł ő ✓", Encodage.iso).octets == b"l o ?"
    assert encoder("é€–", Encodage.utf8).octets == "é€–".encode()


def test_fichier_du_fec_en_iso_et_en_utf8(petit: Source) -> None:
    fec = exporter(petit, petit.exercice("2025"), SIREN)
    iso = fec.encoder(Encodage.iso).octets
    assert "Bénévolat".encode("iso8859_15") in iso and b"B\xe9n\xe9volat" in iso
    assert "€".encode() not in iso and b"\xc3" not in iso  # no UTF-8 sequence
    utf8 = fec.encoder(Encodage.utf8)
    assert "Marché de Villebrie — Légumes – atelier cuisine".encode() in utf8.octets
    assert utf8.remplaces == {}
    assert iso.split(b"\r\n")[0] == "\t".join(COLONNES).encode("ascii")


def test_libelles_sur_une_ligne(petit: Source) -> None:
    fec = exporter(petit, petit.exercice("2025"), SIREN)
    for line in fec.lignes:
        assert len(line) == 18
        assert all("\t" not in field and "\n" not in field for field in line)


def test_reprise_of_a_young_association_is_exported_as_a_nouveaux(tmp_path: Path) -> None:
    """The opening entry communs ouverture wrote (``reprise: "FEC"``, first day, bilan
    only, no report à nouveau) is the exercice's à-nouveaux: journal AN, AN-000001; the
    purchase after it is BQ-000001. By hand: AN debit = credit = 1 000 + 150 = 1 150."""
    path = write_ledger(
        tmp_path,
        """\
        2025-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
        2025-01-01 open Actif:53-Caisse EUR
        2025-01-01 open Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise
        2025-01-01 open Charges:60-Achats:6063-Petit-equipement

        2025-01-01 * "Reprise des soldes d'ouverture de l'exercice 2025"
          reprise: "FEC"
          Actif:51-Banques:512-Banques:Compte-courant  1000.00 EUR
          Actif:53-Caisse  150.00 EUR
          Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise  -1150.00 EUR

        2025-02-10 * "Jardinerie" "Outils"
          Charges:60-Achats:6063-Petit-equipement  80.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant
        """,
    )
    livre = load_livre(path)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    source = Source.from_livre(livre)
    fec = exporter(source, source.exercice("2025"), "843127655")
    lignes = [(ligne[0], ligne[2]) for ligne in fec.lignes]
    assert lignes == [("AN", "AN-000001")] * 3 + [("BQ", "BQ-000001")] * 2
    assert (fec.journaux["AN"].debit, fec.journaux["AN"].credit) == (D("1150.00"),) * 2
