"""``communs fec --verifier``'s engine: our own FEC passes; each planted defect is caught
with its line number; files that are not a FEC are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.fec.export import exporter
from communs_ledger.fec.norme import Encodage
from communs_ledger.fec.verification import PasUnFec, verifier_fichier, verifier_octets
from communs_ledger.rapports.source import Source
from conftest import write_ledger
from test_fec import CONFIG, LEDGER, SIREN

NOM = "123456782FEC20251231.txt"

# Lines of the small ledger's FEC of 2025 (see test_fec.EXPECTED_2025): header 1,
# AN-000001 2-5, BQ-000001 6-7, BQ-000002 8-9, VE-000001 10-11, CA-000001 12-13,
# PA-000001 14-17, BQ-000003 18-19, AC-000001 20-21, OD-000001 22-23, OD-000002 24-25,
# BQ-000004 26-27, BQ-000005 28-29.


@pytest.fixture(scope="module")
def lignes(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    path = write_ledger(tmp_path_factory.mktemp("verif"), LEDGER, config=CONFIG)
    livre = load_livre(path)
    assert livre.ok
    source = Source.from_livre(livre)
    fec = exporter(source, source.exercice("2025"), SIREN)
    return fec.encoder(Encodage.iso).octets.decode("iso8859_15").split("\r\n")[:-1]


def _check(lines: list[str], nom: str = NOM, encoding: str = "iso8859_15"):
    return verifier_octets(("\r\n".join(lines) + "\r\n").encode(encoding), nom)


def _fields(line: str) -> list[str]:
    return line.split("\t")


def _set(lines: list[str], number: int, column: int, value: str) -> list[str]:
    """A copy of the lines, with field ``column`` (0-based) of line ``number`` replaced."""
    changed = list(lines)
    fields = _fields(changed[number - 1])
    fields[column] = value
    changed[number - 1] = "\t".join(fields)
    return changed


def _problems(result) -> list[str]:
    return [str(problem) for problem in result.problemes]


def test_notre_fec_est_conforme(lignes: list[str]) -> None:
    result = _check(lignes)
    assert result.ok and result.remarques == []
    assert (result.encodage, result.separateur, result.fins_de_ligne) == (
        "ISO 8859-15",
        "tabulation",
        "CRLF",
    )
    assert (result.lignes, result.ecritures) == (28, 12)
    assert result.journaux == {"AC": 1, "AN": 1, "BQ": 5, "CA": 1, "OD": 2, "PA": 1, "VE": 1}
    assert (result.siren, result.cloture.isoformat()) == (SIREN, "2025-12-31")
    assert (result.premiere_date.isoformat(), result.derniere_date.isoformat()) == (
        "2025-01-01",
        "2025-12-31",
    )
    assert str(result.debit) == str(result.credit) == "16267.40"


def test_barre_verticale_acceptee(lignes: list[str]) -> None:
    result = _check([line.replace("\t", "|") for line in lignes])
    assert result.ok and result.separateur == "barre verticale (|)"


def test_nombre_de_colonnes(lignes: list[str]) -> None:
    changed = list(lignes)
    changed[4] = "\t".join(_fields(changed[4])[:17])  # line 5
    problems = _problems(_check(changed))
    assert problems[0] == "ligne 5 : 17 champs au lieu de 18"
    # the line is not read: its entry (AN-000001, lines 2 to 5) no longer balances
    assert problems[1].startswith("ligne 2 : écriture AN-000001 du journal AN déséquilibrée")


def test_date_invalide(lignes: list[str]) -> None:
    result = _check(_set(lignes, 6, 3, "20251301"))
    assert _problems(result) == [
        "ligne 6 : EcritureDate « 20251301 » n'est pas une date AAAAMMJJ valide"
    ]


def test_ecriture_desequilibree(lignes: list[str]) -> None:
    result = _check(_set(lignes, 9, 12, "301,00"))  # credit of BQ-000002
    assert _problems(result) == [
        "ligne 8 : écriture BQ-000002 du journal BQ déséquilibrée : débit 300,00, "
        "crédit 301,00 (écart -1,00)",
        "total débit 16\u202f267,40\u00a0€ ≠ total crédit 16\u202f268,40\u00a0€ "
        "(écart -1,00\u00a0€)",
    ]


def test_trou_dans_la_numerotation(lignes: list[str]) -> None:
    changed = lignes[:17] + lignes[19:]  # BQ-000003 removed: BQ-000004 is now at line 24
    assert _problems(_check(changed)) == [
        "ligne 24 : journal BQ : numérotation interrompue, 1 numéro manquant entre "
        "BQ-000002 et BQ-000004"
    ]


def test_point_decimal(lignes: list[str]) -> None:
    result = _check(_set(lignes, 12, 11, "23.40"))
    problems = _problems(result)
    assert problems[0] == "ligne 12 : Debit « 23.40 » : point décimal au lieu de la virgule"
    # the entry is not said unbalanced because of an amount that could not be read;
    # the totals are (the amount counts for nothing)
    assert problems[1].startswith("total débit 16\u202f244,00\u00a0€ ≠ total crédit")
    assert len(problems) == 2


def test_debit_et_credit_tous_deux_non_nuls(lignes: list[str]) -> None:
    changed = _set(_set(lignes, 6, 12, "100,00"), 7, 11, "100,00")
    assert _problems(_check(changed)) == [
        "ligne 6 : Debit et Credit tous deux non nuls",
        "ligne 7 : Debit et Credit tous deux non nuls",
    ]


def test_champ_obligatoire_vide_et_compte(lignes: list[str]) -> None:
    changed = _set(_set(lignes, 10, 10, ""), 11, 4, "A706")
    assert _problems(_check(changed)) == [
        "ligne 10 : EcritureLib vide",
        "ligne 11 : CompteNum « A706 » : les trois premiers caractères sont des chiffres",
    ]


def test_auxiliaire_incomplet(lignes: list[str]) -> None:
    # line 4: the à-nouveau of 401 Jardinerie du Coteau (after 102 and 120)
    assert _problems(_check(_set(lignes, 4, 7, ""))) == [
        "ligne 4 : CompAuxNum et CompAuxLib vont ensemble : l'un est vide"
    ]


def test_ecriture_sur_deux_dates(lignes: list[str]) -> None:
    changed = _set(lignes, 7, 3, "20250103")
    assert _problems(_check(changed)) == [
        "ligne 7 : l'écriture BQ-000001 du journal BQ porte une autre date que sa première "
        "ligne (ligne 6)"
    ]


def test_dates_hors_exercice(lignes: list[str]) -> None:
    changed = _set(_set(lignes, 28, 3, "20260102"), 29, 3, "20260102")
    assert _problems(_check(changed)) == [
        "ligne 28 : EcritureDate 02/01/2026 après la clôture du 31/12/2025 (nom du fichier)",
        "ligne 29 : EcritureDate 02/01/2026 après la clôture du 31/12/2025 (nom du fichier)",
    ]
    early = _set(_set(lignes, 28, 3, "20231231"), 29, 3, "20231231")
    assert _problems(_check(early))[0] == (
        "ligne 28 : EcritureDate 31/12/2023 plus de 24 mois avant la clôture du 31/12/2025 : "
        "hors de l'exercice"
    )


def test_separateur_incoherent(lignes: list[str]) -> None:
    changed = list(lignes)
    changed[5] = changed[5].replace("\t", "|")
    assert _problems(_check(changed))[0] == (
        "ligne 6 : 1 champ au lieu de 18 (séparateur « | » au lieu de celui de l'en-tête)"
    )


def test_en_tete_non_conforme(lignes: list[str]) -> None:
    changed = list(lignes)
    changed[0] = changed[0].replace("EcritureLib", "Libelle")
    assert _problems(_check(changed))[0].startswith(
        "ligne 1 : en-tête non conforme (manquantes : EcritureLib ; inconnues : « Libelle »)"
    )
    swapped = list(lignes)
    swapped[0] = swapped[0].replace("Debit\tCredit", "Credit\tDebit")
    assert "colonnes dans le désordre" in _problems(_check(swapped))[0]
    # the Montant / Sens variant of the norm is read (it was reported as not handled): a
    # header of that variant over lines of debits and credits gives a wrong Sens
    variant = list(lignes)
    variant[0] = variant[0].replace("Debit\tCredit", "Montant\tSens")
    assert _problems(_check(variant))[0] == "ligne 2 : Sens « 5000,00 » : D, C, +1 ou -1 attendu"


def test_variante_montant_sens(lignes: list[str]) -> None:
    """The norm's other variant: Montant and Sens (D / C or +1 / -1) in place of Debit and
    Credit. Our FEC rewritten in it checks the same (before: 1 problem, « cette
    vérification ne lit que la variante Debit / Credit »); an unbalanced entry and a wrong
    Sens are found at their line."""
    index = _fields(lignes[0]).index("Debit")

    def montant_sens(line: str, plus: str = "D", moins: str = "C") -> str:
        fields = _fields(line)
        debit, credit = fields[index], fields[index + 1]
        sens = plus if debit != "0,00" else moins
        fields[index : index + 2] = [debit if sens == plus else credit, sens]
        return "\t".join(fields)

    header = lignes[0].replace("Debit\tCredit", "Montant\tSens")
    for plus, moins in (("D", "C"), ("+1", "-1")):
        variant = [header, *(montant_sens(line, plus, moins) for line in lignes[1:])]
        result = _check(variant)
        assert result.ok, _problems(result)
        assert result.variante == "Montant / Sens"
        assert (result.debit, result.lignes) == (_check(lignes).debit, len(lignes) - 1)
    variant = [header, *(montant_sens(line) for line in lignes[1:])]
    fields = _fields(variant[5])
    fields[index + 1] = "X"
    variant[5] = "\t".join(fields)
    assert "ligne 6 : Sens « X » : D, C, +1 ou -1 attendu" in _problems(_check(variant))


def test_nom_de_fichier(lignes: list[str]) -> None:
    assert _problems(_check(lignes, "ecritures.txt")) == [
        "nom de fichier « ecritures.txt » non conforme : SIRENFECAAAAMMJJ.txt attendu "
        "(ex. 123456789FEC20241231.txt, AAAAMMJJ étant la date de clôture)"
    ]
    assert _problems(_check(lignes, "123456782FEC20251331.txt")) == [
        "nom de fichier : « 20251331 » n'est pas une date AAAAMMJJ"
    ]
    wrong_key = _check(lignes, "123456789FEC20251231.txt")
    assert wrong_key.ok
    assert [str(r) for r in wrong_key.remarques] == [
        "SIREN 123456789 du nom de fichier : clé de contrôle erronée"
    ]


def test_sans_date_de_cloture_plus_de_24_mois(lignes: list[str]) -> None:
    changed = _set(_set(lignes, 28, 3, "20280102"), 29, 3, "20280102")
    assert (
        "les écritures vont du 01/01/2025 au 02/01/2028 : plus de 24 mois, plus d'un exercice"
        in _problems(_check(changed, "ecritures.txt"))
    )


def test_utf8_et_fins_de_ligne_signalees(lignes: list[str]) -> None:
    result = _check(lignes, encoding="utf-8")
    assert result.ok and result.encodage == "UTF-8"
    assert "UTF-8" in str(result.remarques[0])
    lf = verifier_octets(("\n".join(lignes) + "\n").encode("iso8859_15"), NOM)
    assert lf.ok and lf.fins_de_ligne == "LF"


def test_pas_un_fec(tmp_path: Path) -> None:
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    with pytest.raises(PasUnFec, match=r"vide\.txt est vide"):
        verifier_fichier(empty)
    prose = tmp_path / "notes.txt"
    prose.write_text("Compte rendu de l'assemblée générale\nRien à voir\n", encoding="utf-8")
    with pytest.raises(PasUnFec, match=r"notes\.txt n'est pas un FEC"):
        verifier_fichier(prose)
    csv = tmp_path / "releve.csv"
    csv.write_text("Date\tLibellé\tMontant\n01/02/2025\tLoyer\t-500,00\n", encoding="utf-8")
    with pytest.raises(PasUnFec, match="ne nomme pas les colonnes du FEC"):
        verifier_fichier(csv)
    with pytest.raises(PasUnFec, match="est un dossier"):
        verifier_fichier(tmp_path)


def test_fichier_windows_1252_nomme_et_signale(lignes: list[str]) -> None:
    """A FEC written in Windows-1252 (’ is byte 0x92, a control character in ISO 8859-15):
    named as such with a remark, still read (before: « Encodage ISO 8859-15 » and no
    remark, the label holding a control character)."""
    changed = list(lignes)
    fields = _fields(changed[5])
    fields[10] = "Achat d’œuvres – 12 €"
    changed[5] = "\t".join(fields)
    result = _check(changed, encoding="cp1252")
    assert result.encodage == "Windows-1252"
    assert result.ok
    assert [str(r) for r in result.remarques] == [
        "fichier en Windows-1252 (octets 0x80 à 0x9F : ’, €, œ, –…) : la norme cite ASCII, "
        "ISO 8859-15 et EBCDIC ; lus en ISO 8859-15, ces octets sont des caractères de "
        "contrôle (communs fec écrit en ISO 8859-15)"
    ]
    assert _check(lignes).encodage == "ISO 8859-15"


@pytest.mark.parametrize("en_tete", [True, False])
def test_separateur_final_tolere_comme_par_la_reprise(lignes: list[str], en_tete: bool) -> None:
    """A separator at the end of every line (19 fields, the last empty: several programs
    write one) is tolerated with one remark, by ``communs fec --verifier`` as by
    ``communs ouverture``: the two readers of a FEC agree. With or without one on the header."""
    from communs_ledger.fec.reprise import lire_fec

    changed = [
        line + "\t" if number > 1 or en_tete else line
        for number, line in enumerate(lignes, start=1)
    ]
    result = _check(changed)
    assert result.ok, _problems(result)
    remarks = [str(remark) for remark in result.remarques]
    expected = ["ligne 2 : séparateur en fin de ligne", "(et 27 autres lignes)"]  # 28 lines
    assert [r for r in remarks if all(e in r for e in expected)], remarks
    assert any(r.startswith("ligne 1 ") for r in remarks) == en_tete, remarks
    assert (result.lignes, result.ecritures, str(result.debit)) == (28, 12, "16267.40")
    # the reprise reads the same bytes, with the same remarks and the same totals
    reprise = lire_fec("\r\n".join(changed) + "\r\n", NOM)
    assert reprise.remarques[-1].startswith(f"{NOM}:2: séparateur en fin de ligne")
    assert reprise.remarques[-1].endswith("(et 27 autres lignes)")
    assert len(reprise.remarques) == (2 if en_tete else 1)
    assert reprise.comptes == lire_fec("\r\n".join(lignes) + "\r\n", NOM).comptes
