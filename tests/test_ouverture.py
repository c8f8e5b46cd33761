"""``communs ouverture``: opening a new book from the previous software's FEC or balance.

The two sample FECs (``examples/reprise/``) hold the same exercice 2025 of a small
association, in the layouts of two programs:

- ``paheko/``: tab separated, Debit / Credit columns, UTF-8, plain chart numbers;
- ``ebp/``: ``|`` separated, Montant / Sens variant, ISO 8859-15, numbers padded to 8
  digits with auxiliary accounts, and a savings account numbered outside the chart
  (51220000 « Livret A »), mapped by ``correspondances.yaml``.

Figures computed by hand from the FEC lines:

- à-nouveaux at 1 January 2025: 512 20 000 D, 411 1 500 D, 401 800 C, 102 15 000 C,
  110 5 700 C;
- movements: 411 +3 000 −4 500 → 0; 512 +4 500 +12 000 −7 200 −1 500 +2 400 −9 000 −120
  → 21 080; 401 −950 +1 500 → 250 C;
- produits 706 3 000 + 741 12 000 + 756 2 400 = 17 400; charges 6132 7 200 + 6064 950 +
  6411 9 000 + 627 120 = 17 270; excédent 130;
- closing bilan: actif 512 21 080 = passif 401 250 + 102 15 000 + 110 5 700 + résultat 130;
- EBP only: 5 000 moved from 512 to the livret: 512 16 080, livret 5 000; the result of
  2024 (700) sits on 120 in the à-nouveaux (110 then holds 5 000) and is assigned during
  2025 (120 700 D → 1068 500 C, 110 200 C). The ledger books nothing on 12x (the result
  is that of classes 6 to 8): 120 is taken as 110, so 110 = −5 000 − 700 + 700 − 200 =
  −5 200 C and 1068 = 500 C; fonds propres unchanged (20 700 + 130).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.application.initialisation import initialise
from communs_ledger.chargement import load_livre
from communs_ledger.previsions.realise import est_ouverture
from communs_ledger.rapports.balance import lignes_de_balance
from communs_ledger.rapports.bilan import compute_bilan
from communs_ledger.rapports.resultat import compute_compte_de_resultat
from communs_ledger.rapports.source import Source
from conftest import ROOT, VENV_BIN, one_line

Communs = Callable[..., Any]
REPRISE = ROOT / "examples" / "reprise"
PAHEKO = REPRISE / "paheko" / "843127655FEC20251231.txt"
EBP = REPRISE / "ebp" / "843127655FEC20251231.txt"
CORRESPONDANCES = REPRISE / "correspondances.yaml"
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
LIVRET = "Actif:51-Banques:512-Banques:Livret"

# Closing balances of the FEC by code (debit > 0), see the module docstring.
CLOTURE = {
    "512": Decimal("21080.00"),
    "401": Decimal("-250.00"),
    "102": Decimal("-15000.00"),
    "110": Decimal("-5700.00"),
    "706": Decimal("-3000.00"),
    "741": Decimal("-12000.00"),
    "756": Decimal("-2400.00"),
    "6132": Decimal("7200.00"),
    "6064": Decimal("950.00"),
    "6411": Decimal("9000.00"),
    "627": Decimal("120.00"),
}

CLOTURE_EBP = {**CLOTURE, "110": Decimal("-5200.00"), "1068": Decimal("-500.00")}


@pytest.fixture
def livre_neuf(tmp_path: Path) -> Path:
    """A book made by ``communs init`` in March 2026 (exercice 2026, no entry)."""
    folder = tmp_path / "lavoir"
    initialise(folder, "Les Amis du Lavoir", today=datetime.date(2026, 3, 2), git=False)
    return folder


def _listing(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "picklecache" not in p.name
    }


def _ouvrir(communs: Communs, folder: Path, *args: str) -> Any:
    return communs("ouverture", *args, "--ledger", str(folder / "main.beancount"))


def _premiere_ecriture_2026(folder: Path) -> None:
    """What the user does next: a first entry of 2026 (bank fees), so that 2026 exists."""
    with open(folder / "2026.beancount", "a", encoding="utf-8") as file:
        file.write(
            '\n2026-01-15 * "Frais bancaires"\n'
            "  Charges:62-Autres-services-exterieurs:627-Services-bancaires  10.00 EUR\n"
            f"  {BANQUE}  -10.00 EUR\n"
        )


def _source(folder: Path) -> Source:
    livre = load_livre(folder / "main.beancount")
    assert livre.diagnostics == []
    return Source.from_livre(livre)


def _soldes_avant(source: Source, day: datetime.date) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for movement in source.mouvements.entre(None, day):
        code = movement.code or ""
        key = "512" if code.startswith("512") or movement.account == LIVRET else code
        totals[key] = totals.get(key, Decimal(0)) + movement.montant
    return {code: amount for code, amount in totals.items() if amount}


def _verifier_n1(source: Source, cloture: dict[str, Decimal]) -> None:
    """The first exercice (2026) has the FEC's exercice as N-1."""
    exercice = source.exercice("2026")
    resultat = compute_compte_de_resultat(source, exercice)
    n1 = resultat.periodes["n1"]
    assert n1.total_produits == Decimal("17400.00")
    assert n1.total_charges == Decimal("17270.00")
    assert n1.resultat_net == Decimal("130.00")
    bilan = compute_bilan(source, exercice)
    assert bilan.n1 is not None
    assert bilan.n1.total_actif == bilan.n1.total_passif == Decimal("21080.00")
    assert bilan.n1.resultat_net == Decimal("130.00")
    # the à-nouveaux of 2026: the FEC's closing balances, the result on 120
    a_nouveaux = {
        ligne.code: ligne.a_nouveau
        for ligne in lignes_de_balance(source, exercice, exercice.fin)[0]
        if ligne.a_nouveau
    }
    assert a_nouveaux.get("120") == Decimal("-130.00")
    for code in ("401", "102", "110", "1068"):
        assert a_nouveaux.get(code) == cloture.get(code), code


def test_ouverture_depuis_un_fec_paheko(communs: Communs, livre_neuf: Path) -> None:
    avant = _listing(livre_neuf)
    apercu = _ouvrir(communs, livre_neuf, "--depuis", str(PAHEKO))
    assert apercu.exit_code == 0, apercu.output
    assert "2025-12-31 * \"Mouvements de l'exercice 2025" in apercu.output
    assert _listing(livre_neuf) == avant  # a preview writes nothing
    result = _ouvrir(communs, livre_neuf, "--depuis", str(PAHEKO), "--ecrire")
    assert result.exit_code == 0, result.output
    assert "premier exercice : exercice 2026" in one_line(result.output)
    assert 'include "2025.beancount"' in (livre_neuf / "main.beancount").read_text("utf-8")
    _premiere_ecriture_2026(livre_neuf)
    source = _source(livre_neuf)
    assert _soldes_avant(source, datetime.date(2025, 12, 31)) == CLOTURE
    _verifier_n1(source, CLOTURE)
    # the opening entry of the FEC's exercice is no receipt (cash plan)
    opening = [m for m in source.mouvements.liste if m.date == datetime.date(2025, 1, 1)]
    assert est_ouverture(opening)


def test_ouverture_depuis_un_fec_ebp_refuse_les_numeros_inconnus(
    communs: Communs, livre_neuf: Path
) -> None:
    avant = _listing(livre_neuf)
    result = _ouvrir(communs, livre_neuf, "--depuis", str(EBP), "--ecrire", "--non-interactif")
    assert result.exit_code == 1
    text = one_line(result.output)
    assert "1 numéro(s) de" in text
    assert "51220000 « LIVRET A » : numéro inconnu du plan comptable 2025" in text
    assert _listing(livre_neuf) == avant


def test_ouverture_d_un_fec_2025_qui_garde_la_caisse_531(
    communs: Communs, livre_neuf: Path, tmp_path: Path
) -> None:
    """A FEC of 2025 whose software kept the 2018 cash account 531: the refusal names the
    2025 replacement (53) instead of « numéro inconnu »."""
    fec = tmp_path / "843127655FEC20251231.txt"
    header = (
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\t"
        "CompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\t"
        "EcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
    )
    lines = [
        ("53100000", "Caisse", "150,00", "0,00"),
        ("10200000", "Fonds propres", "0,00", "150,00"),
    ]
    body = "".join(
        f"AN\tA nouveaux\t1\t20250101\t{num}\t{lib}\t\t\t1\t20250101\tAN\t{d}\t{c}"
        "\t\t\t20250101\t\t\r\n"
        for num, lib, d, c in lines
    )
    fec.write_text(header + "\r\n" + body, encoding="utf-8")
    result = _ouvrir(communs, livre_neuf, "--depuis", str(fec), "--non-interactif")
    assert result.exit_code == 1
    text = one_line(result.output)
    assert "53100000 « Caisse » : compte 531 retiré du plan comptable 2025" in text
    assert "utilisez 53" in text


def test_ouverture_depuis_un_fec_ebp_avec_correspondances(
    communs: Communs, livre_neuf: Path
) -> None:
    result = _ouvrir(
        communs,
        livre_neuf,
        "--depuis",
        str(EBP),
        "--correspondances",
        str(CORRESPONDANCES),
        "--non-interactif",
        "--ecrire",
    )
    assert result.exit_code == 0, result.output
    _premiere_ecriture_2026(livre_neuf)
    source = _source(livre_neuf)
    balances = {
        m.account: Decimal(0) for m in source.mouvements.liste if m.account in (BANQUE, LIVRET)
    }
    for movement in source.mouvements.entre(None, datetime.date(2025, 12, 31)):
        if movement.account in balances:
            balances[movement.account] += movement.montant
    assert balances == {BANQUE: Decimal("16080.00"), LIVRET: Decimal("5000.00")}
    assert _soldes_avant(source, datetime.date(2025, 12, 31)) == CLOTURE_EBP
    _verifier_n1(source, CLOTURE_EBP)


def test_ouverture_refusee_par_la_verification_remet_tout_en_place(
    communs: Communs, livre_neuf: Path, tmp_path: Path
) -> None:
    """A mapping to an account under the wrong root: the re-check fails, every file
    (accounts, main file, new exercice file) comes back byte for byte."""
    mapping = tmp_path / "correspondances.yaml"
    mapping.write_text(
        'correspondances:\n  "6132": Produits:61-Services-exterieurs:6132-Loyer\n',
        encoding="utf-8",
    )
    avant = _listing(livre_neuf)
    result = _ouvrir(
        communs, livre_neuf, "--depuis", str(PAHEKO), "--correspondances", str(mapping), "--ecrire"
    )
    assert result.exit_code == 1
    assert "remis exactement dans son état d'origine" in one_line(result.output)
    assert "6132" in result.output
    assert _listing(livre_neuf) == avant


def test_correspondances_invalides_fichier_ligne(
    communs: Communs, livre_neuf: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "correspondances.yaml"
    mapping.write_text(
        'correspondances:\n  "4110": Actif:41-Usagers:411-Usagers\n  "999": Actif:Divers\n',
        encoding="utf-8",
    )
    result = _ouvrir(
        communs, livre_neuf, "--depuis", str(PAHEKO), "--correspondances", str(mapping)
    )
    assert result.exit_code == 1
    assert "correspondances.yaml:3: 999 : « Actif:Divers » n'a pas de numéro de compte" in (
        one_line(result.output)
    )


def test_ouverture_depuis_une_balance(communs: Communs, livre_neuf: Path, tmp_path: Path) -> None:
    """A balance before closing (closing balances of every account, classes 6 and 7
    included): one entry on 31 December 2025 with them all; 2026 opens on them, the
    result 17 400 − 17 270 = 130 of excédent on 120, and gets its N-1 column."""
    balance = tmp_path / "balance-2025.csv"
    balance.write_text(
        "Compte;Libellé;Débit;Crédit\n"
        "512;Banque;21 080,00;\n401;Fournisseurs;;250,00\n102;Fonds propres;;15 000,00\n"
        "110;Report à nouveau;;5 700,00\n706;Prestations;;3 000,00\n741;Subventions;;12 000,00\n"
        "756;Cotisations;;2 400,00\n6132;Loyer;7 200,00;\n6064;Fournitures;950,00;\n"
        "6411;Salaires;9 000,00;\n627;Banque;120,00;\nTotal;;38 350,00;38 350,00\n",
        encoding="utf-8",
    )
    refused = _ouvrir(communs, livre_neuf, "--depuis", str(balance))
    assert refused.exit_code == 1
    assert "indiquez --au" in one_line(refused.output)
    result = _ouvrir(
        communs, livre_neuf, "--depuis", str(balance), "--au", "2025-12-31", "--ecrire"
    )
    assert result.exit_code == 0, result.output
    _premiere_ecriture_2026(livre_neuf)
    source = _source(livre_neuf)
    assert _soldes_avant(source, datetime.date(2025, 12, 31)) == CLOTURE
    _verifier_n1(source, CLOTURE)


def test_ouverture_dans_un_livre_deja_commence(communs: Communs, livre_neuf: Path) -> None:
    with open(livre_neuf / "2026.beancount", "a", encoding="utf-8") as file:
        file.write(
            '\n2025-06-01 * "Frais"\n'
            "  Charges:62-Autres-services-exterieurs:627-Services-bancaires  1.00 EUR\n"
            f"  {BANQUE}  -1.00 EUR\n"
        )
    text = (livre_neuf / "comptes.beancount").read_text("utf-8").replace("2026-01-01", "2025-01-01")
    (livre_neuf / "comptes.beancount").write_text(text, encoding="utf-8")
    result = _ouvrir(communs, livre_neuf, "--depuis", str(PAHEKO), "--ecrire")
    assert result.exit_code == 1
    assert "le grand livre a déjà des écritures avant le 1er janvier 2026" in one_line(
        result.output
    )


def test_ouverture_interactive_demande_les_numeros_inconnus(livre_neuf: Path) -> None:
    """Through a pseudo-terminal: the unknown number (51220000) is asked for, the answer
    (the livret) taken; the livret then holds the 5 000 of the FEC."""
    import os
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, in the new book
        os.chdir(livre_neuf)
        os.execv(
            str(VENV_BIN / "communs"), ["communs", "ouverture", "--depuis", str(EBP), "--ecrire"]
        )
    output, answered = b"", False
    while select.select([fd], [], [], 60)[0]:
        try:
            data = os.read(fd, 4096)
        except OSError:  # the child ended
            break
        if not data:
            break
        output += data
        if b"vide pour arr" in output and not answered:
            os.write(fd, LIVRET.encode() + b"\r")
            answered = True
    _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    assert answered, text
    assert os.waitstatus_to_exitcode(status) == 0, text
    _premiere_ecriture_2026(livre_neuf)
    source = _source(livre_neuf)
    livret = sum((m.montant for m in source.mouvements.liste if m.account == LIVRET), Decimal(0))
    assert livret == Decimal("5000.00")


def test_ouverture_depuis_le_fec_de_communs(
    communs: Communs, livre_neuf: Path, tmp_path: Path
) -> None:
    """Round trip: the FEC ``communs fec`` writes for 2025 (journal « AN » of à-nouveaux,
    ISO 8859-15) opens a second book on the same closing balances."""
    assert _ouvrir(communs, livre_neuf, "--depuis", str(PAHEKO), "--ecrire").exit_code == 0
    exported = tmp_path / "fec"
    exported.mkdir()
    done = communs(
        "fec",
        "--exercice",
        "2025",
        "--siren",
        "843127655",
        "--sortie",
        f"{exported}/",
        "--ledger",
        str(livre_neuf / "main.beancount"),
    )
    assert done.exit_code == 0, done.output
    second = tmp_path / "second"
    initialise(second, "Les Amis du Lavoir", today=datetime.date(2026, 3, 2), git=False)
    fec = exported / "843127655FEC20251231.txt"
    result = _ouvrir(communs, second, "--depuis", str(fec), "--ecrire")
    assert result.exit_code == 0, result.output
    _premiere_ecriture_2026(second)
    source = _source(second)
    assert _soldes_avant(source, datetime.date(2025, 12, 31)) == CLOTURE
    _verifier_n1(source, CLOTURE)


def test_ouverture_depuis_un_fec_2024_change_de_plan(
    communs: Communs, livre_neuf: Path, tmp_path: Path
) -> None:
    """A book started in 2026 from a 2024 FEC opens 2025, under the 2025 chart: the caisse
    (531, retired in 2025) moves to 53 through 58, out on 31 December 2024, in on 1 January
    2025, 531 closed. The FEC is the Paheko one moved to 2024, with 300 more in the caisse
    (and in report à nouveau): bilan 2024 = 21 080 + 300 = 21 380."""
    text = PAHEKO.read_text(encoding="utf-8").replace("2025", "2024")
    header, rest = text.split("\n", 1)
    line = "AN\tA nouveaux\t1\t20240101\t{}\t{}\t\t\tAN2024\t20240101\tReprise\t{}\t{}"
    line += "\t\t\t20240101\t\t"
    extra = [
        line.format("531", "Caisse", "300,00", "0,00"),
        line.format("110", "Report à nouveau", "0,00", "300,00"),
    ]
    fec = tmp_path / "843127655FEC20241231.txt"
    fec.write_text("\r\n".join([header, *extra, rest]), encoding="utf-8")
    # 741 is no account of the 2018 chart (74 is): mapped to the Région's 7412, valid in both
    mapping = tmp_path / "correspondances.yaml"
    mapping.write_text('correspondances:\n  "741": "7412"\n', encoding="utf-8")
    result = _ouvrir(
        communs, livre_neuf, "--depuis", str(fec), "--correspondances", str(mapping), "--ecrire"
    )
    assert result.exit_code == 0, result.output
    assert "premier exercice : exercice 2025" in one_line(result.output)
    comptes = (livre_neuf / "comptes.beancount").read_text(encoding="utf-8")
    assert "2024-12-31 close Actif:53-Caisse:531-Caisse" in comptes
    assert "2025-01-01 open Actif:53-Caisse " in comptes
    with open(livre_neuf / "2025.beancount", "a", encoding="utf-8") as file:
        file.write(
            '\n2025-01-15 * "Frais bancaires"\n'
            "  Charges:62-Autres-services-exterieurs:627-Services-bancaires  10.00 EUR\n"
            f"  {BANQUE}  -10.00 EUR\n"
        )
    source = _source(livre_neuf)
    caisse = sum(
        (
            m.montant
            for m in source.mouvements.entre(None, datetime.date(2025, 1, 1))
            if m.account == "Actif:53-Caisse"
        ),
        Decimal(0),
    )
    assert caisse == Decimal("300.00")
    exercice = source.exercice("2025")
    resultat = compute_compte_de_resultat(source, exercice).periodes["n1"]
    assert resultat.total_produits == Decimal("17400.00")
    assert resultat.resultat_net == Decimal("130.00")
    bilan = compute_bilan(source, exercice)
    assert bilan.n1 is not None
    assert bilan.n1.total_actif == bilan.n1.total_passif == Decimal("21380.00")
    assert bilan.n1.disponibilites == Decimal("21380.00")


def test_fec_a_cheval_sur_deux_exercices_message_lisible() -> None:
    """A FEC whose entries begin before the exercice of its closing date (communs.yaml opens
    exercices on 1 July): the message names that exercice once, without doubled
    parentheses."""
    from communs_ledger.config import ExerciceConfig
    from communs_ledger.exercices import Calendrier
    from communs_ledger.fec.ouverture import exercice_repris
    from communs_ledger.fec.reprise import Reprise, RepriseImpossible

    reprise = Reprise("843127655FEC20251231.txt", "FEC")
    reprise.cloture = datetime.date(2025, 12, 31)
    reprise.dater(datetime.date(2025, 1, 1))
    reprise.dater(datetime.date(2025, 12, 31))
    calendrier = Calendrier(ExerciceConfig(debut="01-07"))
    with pytest.raises(RepriseImpossible) as raised:
        exercice_repris(reprise, calendrier, None)
    assert str(raised.value) == (
        "843127655FEC20251231.txt : les écritures vont du 1er janvier 2025 au 31 décembre "
        "2025, à cheval sur deux exercices de communs.yaml (l'exercice 2025-2026 va du "
        "1er juillet 2025 au 30 juin 2026) : corrigez « exercice: debut » dans communs.yaml"
    )
