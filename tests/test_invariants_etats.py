"""Design invariants of the statements, on the example association (exercices 2024,
2025, 2026) and, as Hypothesis properties, on small random balanced ledgers:

- total actif = total passif;
- the résultat of the compte de résultat = the résultat of the bilan;
- Σ86 = Σ87 shown (contributions volontaires emplois = ressources);
- the N-1 column equals the previous exercice's N column (bilan: always, line by line;
  compte de résultat: line by line within a chart version, the result across the 2025 change);
- Σ débits = Σ crédits in the grand livre, the balance and the FEC of every exercice
  (à-nouveaux included, each FEC écriture balanced), the FEC's total being the balance's;
  the previous exercice's result opens on 120/129;
- forecast entries (``#prevision``) never change a figure;
- the JSON, the terminal table and the XLSX show the same figures as the report objects.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communs_ledger.chargement import load_livre
from communs_ledger.exercices import Exercice
from communs_ledger.fec.export import exporter
from communs_ledger.rapports.balance import balance
from communs_ledger.rapports.bilan import bilan
from communs_ledger.rapports.grand_livre import grand_livre
from communs_ledger.rapports.objets import Genre, Rapport, Style
from communs_ledger.rapports.resultat import compte_de_resultat
from communs_ledger.rapports.source import Source
from communs_ledger.rendu import Format, render
from conftest import EXEMPLE_DIR as EXEMPLE
from conftest import ROOT_OPTIONS, write_ledger

D = Decimal
CENT = D("0.01")

Etats = dict[str, tuple[Rapport, Rapport]]  # exercice code -> (compte de résultat, bilan)


# --- Checks shared by the example and the random ledgers ------------------------------------


def exercices_avec_ecritures(source: Source) -> list[Exercice]:
    return [e for e in source.exercices if source.mouvements.entre(e.debut, e.fin)]


def etats(source: Source) -> Etats:
    return {
        e.code: (compte_de_resultat(source, e), bilan(source, e))
        for e in exercices_avec_ecritures(source)
    }


def check_equilibre(reports: Etats) -> None:
    for code, (_cr, bl) in reports.items():
        for column, totals in bl.totaux.items():
            assert totals["total_actif"] == totals["total_passif"], (code, column)


def check_resultat(reports: Etats) -> None:
    for code, (cr, bl) in reports.items():
        for column in cr.totaux:
            assert cr.totaux[column]["resultat"] == bl.totaux[column]["resultat"], (code, column)
        # the result line of the passif is the result of the compte de résultat (these
        # ledgers book no closing entry on a 12x account)
        assert bl.totaux["n"]["resultat_exercice"] == cr.totaux["n"]["resultat"], code


def check_contributions(reports: Etats) -> None:
    for code, (cr, _bl) in reports.items():
        for column, totals in cr.totaux.items():
            assert (
                totals["contributions_volontaires_emplois"]
                == totals["contributions_volontaires_ressources"]
            ), (code, column)


def _values(rapport: Rapport, partie: str, column: str) -> dict[str, Decimal]:
    return {
        ligne.id: ligne.valeurs[column]
        for ligne in rapport.partie(partie).lignes
        if ligne.id and ligne.style is not Style.TITRE
    }


def check_n1(source: Source, reports: Etats) -> None:
    for code, (cr, bl) in reports.items():
        exercice = source.exercice(code)
        previous = source.precedent(exercice)
        if previous is None:
            assert "n1" not in cr.totaux and "n1" not in bl.totaux, code
            continue
        if previous.code not in reports:  # an exercice without entries: nothing to compare
            continue
        cr_before, bl_before = reports[previous.code]
        # bilan: always line by line (each column uses its own exercice's chart)
        assert bl.totaux["n1"] == bl_before.totaux["n"], code
        assert _values(bl, "actif", "n1") == _values(bl_before, "actif", "net"), code
        assert _values(bl, "passif", "n1") == _values(bl_before, "passif", "n"), code
        # compte de résultat
        if previous.version == exercice.version:
            assert cr.totaux["n1"] == cr_before.totaux["n"], code
            for partie in ("compte_de_resultat", "contributions_volontaires"):
                assert _values(cr, partie, "n1") == _values(cr_before, partie, "n"), code
        else:
            for name in (
                "resultat",
                "total_produits",
                "total_charges",
                "contributions_volontaires_emplois",
                "contributions_volontaires_ressources",
            ):
                assert cr.totaux["n1"][name] == cr_before.totaux["n"][name], (code, name)
            assert any(note.startswith(f"Colonne {previous.code} retraitée") for note in cr.notes)


def check_comptes_equilibres(source: Source, reports: Etats) -> None:
    """Grand livre, balance and FEC: Σ débits = Σ crédits for every exercice; every FEC
    écriture balances; the previous result opens on 120 (excédent) / 129 (déficit)."""
    for code in reports:
        exercice = source.exercice(code)
        gl = grand_livre(source, exercice)
        assert gl.totaux["n"]["total_debit"] == gl.totaux["n"]["total_credit"], code
        bal = balance(source, exercice).totaux["n"]
        assert bal["total_debit"] == bal["total_credit"], code
        fec = exporter(source, exercice, "123456789")
        assert fec.debit == fec.credit == bal["total_debit"], code
        ecritures: dict[str, Decimal] = {}
        for line in fec.lignes:
            debit, credit = (D(line[i].replace(",", ".")) for i in (11, 12))
            ecritures[line[2]] = ecritures.get(line[2], D(0)) + debit - credit
        assert all(v == 0 for v in ecritures.values()), (code, ecritures)
        previous = source.precedent(exercice)
        if previous is None or previous.code not in reports:
            continue
        resultat = reports[previous.code][0].totaux["n"]["resultat"]
        opened = {
            ligne.code: ligne.valeurs["solde"]
            for ligne in gl.partie("grand_livre").lignes
            if ligne.id == "a_nouveau" and ligne.code in ("120", "129")
        }
        expected = {} if resultat == 0 else {"120" if resultat > 0 else "129": -resultat}
        assert opened == expected, code


def figures(rapport: Rapport) -> dict[tuple[str, ...], Decimal]:
    """Every figure of a report: (part, row index, column) and ("totaux", column, name)."""
    found: dict[tuple[str, ...], Decimal] = {}
    for partie in rapport.parties:
        for index, ligne in enumerate(partie.lignes):
            for column, value in ligne.valeurs.items():
                found[(partie.id, str(index), column)] = value
    for column, totals in rapport.totaux.items():
        for name, value in totals.items():
            found[("totaux", column, name)] = value
    return found


def cent(value: Decimal) -> Decimal:
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


MONEY = re.compile(r"-?\d+\.\d{2}")
ESPACE_FINE = "\u202f"  # thousands separator of French amounts


def check_json(rapport: Rapport) -> dict:
    """The JSON parsed back gives the report's figures rounded to the cent; returns it."""
    data = json.loads(render(rapport, Format.json).decode("utf-8"))
    assert data["rapport"] == rapport.id and data["exercice"] == rapport.exercice
    for partie, parsed in zip(rapport.parties, data["parties"], strict=True):
        assert parsed["id"] == partie.id
        assert [c["id"] for c in parsed["colonnes"]] == [c.id for c in partie.colonnes]
        for ligne, row in zip(partie.lignes, parsed["lignes"], strict=True):
            assert (row["id"], row["libelle"], row["style"]) == (
                ligne.id,
                ligne.libelle,
                str(ligne.style),
            )
            for colonne in partie.colonnes:
                value, text = ligne.valeurs.get(colonne.id), row["valeurs"][colonne.id]
                if value is None:
                    assert text is None
                    continue
                assert isinstance(text, str) and MONEY.fullmatch(text), text
                assert D(text) == cent(value), (partie.id, ligne.id, colonne.id)
    assert set(data["totaux_par_colonne"]) == set(rapport.totaux)
    for column, totals in rapport.totaux.items():
        parsed_totals = data["totaux_par_colonne"][column]
        assert set(parsed_totals) == set(totals)
        for name, value in totals.items():
            assert MONEY.fullmatch(parsed_totals[name])
            assert D(parsed_totals[name]) == cent(value), (column, name)
    assert data["totaux"] == data["totaux_par_colonne"]["n"]
    return data


# --- Random ledgers -------------------------------------------------------------------------

# Accounts valid in both charts (2018 and 2025), under the root their nature requires.
ORDINAIRES = [
    "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise",
    "Fonds-propres:10-Fonds-propres:106-Reserves:1068-Reserves-pour-projet",
    "Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur",
    "Fonds-propres:11-Report-a-nouveau:119-Report-a-nouveau-debiteur",
    "Fonds-propres:13-Subventions-d-investissement:131-Subventions",
    "Passif:15-Provisions:151-Provisions-pour-risques",
    "Passif:16-Emprunts:164-Emprunts-bancaires",
    "Passif:19-Fonds-dedies:194-Fonds-dedies",
    "Actif:21-Immobilisations-corporelles:2183-Materiel-informatique",
    "Actif:28-Amortissements:2818-Amortissements",
    "Actif:38-Stocks-en-depot",
    "Passif:40-Fournisseurs:401-Fournisseurs:Papeterie",
    "Passif:40-Fournisseurs:401-Fournisseurs:Jardinerie",
    "Actif:41-Usagers:411-Usagers:Dupont",
    "Actif:41-Usagers:411-Usagers:Martin",
    "Passif:42-Personnel:421-Remunerations-dues",
    "Passif:43-Organismes-sociaux:431-Securite-sociale",
    "Actif:44-Etat:441-Subventions-a-recevoir:Region",
    "Passif:44-Etat:441-Subventions-a-recevoir:Departement",
    "Actif:46-Divers:467-Autres-comptes",
    "Actif:48-Regularisation:486-Charges-constatees-d-avance",
    "Passif:48-Regularisation:487-Produits-constates-d-avance",
    "Actif:51-Banques:512-Banques:Compte-courant",
    "Passif:51-Banques:512-Banques:Credit-Agricole",
    "Charges:60-Achats:6064-Fournitures-administratives",
    "Charges:61-Services-exterieurs:6132-Locations-immobilieres",
    "Charges:62-Autres-services-exterieurs:6226-Honoraires",
    "Charges:64-Charges-de-personnel:6411-Salaires",
    "Charges:64-Charges-de-personnel:6451-Cotisations-Urssaf",
    "Charges:66-Charges-financieres:661-Charges-d-interets",
    "Charges:68-Dotations:6811-Dotations-amortissements",
    "Charges:68-Dotations:6815-Dotations-provisions",
    "Charges:68-Dotations:6894-Reports-fonds-dedies",
    "Charges:69-Impots-sur-les-benefices:695-Impots-sur-les-benefices",
    "Produits:70-Ventes:706-Prestations-de-services",
    "Produits:70-Ventes:706-Prestations-de-services:7063-Parrainages",
    "Produits:74-Subventions:741-Subventions-d-exploitation",
    "Produits:75-Autres-produits:7541-Dons-manuels",
    "Produits:75-Autres-produits:756-Cotisations",
    "Produits:75-Autres-produits:758-Produits-divers",
    "Produits:76-Produits-financiers:768-Autres-produits-financiers",
    "Produits:77-Produits-exceptionnels:778-Autres-produits-exceptionnels",
    "Produits:78-Reprises:781-Reprises",
    "Produits:78-Reprises:7894-Utilisations-fonds-dedies",
]
CONTRIBUTIONS = [
    (
        "Charges:86-Emplois-des-contributions:864-Personnel-benevole",
        "Produits:87-Contributions-volontaires:875-Benevolat",
    ),
    (
        "Charges:86-Emplois-des-contributions:861-Mises-a-disposition",
        "Produits:87-Contributions-volontaires:871-Prestations-en-nature",
    ),
]
TOUS = ORDINAIRES + [account for pair in CONTRIBUTIONS for account in pair]
CONFIG = 'association:\n  nom: "Association aléatoire"\nexercice:\n  debut: "01-01"\n'


@dataclass(frozen=True)
class Ecriture:
    date: datetime.date
    prevision: bool
    postings: tuple[tuple[str, Decimal], ...]

    def texte(self) -> str:
        tag = " #prevision" if self.prevision else ""
        lines = [f'{self.date.isoformat()} * "Écriture"{tag}']
        lines += [f"  {account}  {amount:.2f} EUR" for account, amount in self.postings]
        return "\n".join(lines) + "\n\n"


montants = st.integers(min_value=1, max_value=2_000_000).map(lambda c: D(c).scaleb(-2))
dates = st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31))


@st.composite
def ecriture(draw: st.DrawFn, prevision: bool | None = None) -> Ecriture:
    day = draw(dates)
    forecast = (
        draw(st.sampled_from([False, False, False, True])) if prevision is None else prevision
    )
    kind = draw(st.sampled_from(["simple", "simple", "ventilee", "contribution"]))
    if kind == "contribution":
        emploi, ressource = draw(st.sampled_from(CONTRIBUTIONS))
        amount = draw(montants)
        return Ecriture(day, forecast, ((emploi, amount), (ressource, -amount)))
    count = 2 if kind == "simple" else 3
    accounts = draw(
        st.lists(st.sampled_from(ORDINAIRES), min_size=count, max_size=count, unique=True)
    )
    amounts = [draw(montants) for _ in range(count - 1)]
    postings = [(account, amount) for account, amount in zip(accounts, amounts, strict=False)]
    postings.append((accounts[-1], -sum(amounts, D(0))))
    return Ecriture(day, forecast, tuple(postings))


grands_livres = st.tuples(ecriture(prevision=False), st.lists(ecriture(), max_size=9)).map(
    lambda drawn: [drawn[0], *drawn[1]]
)


def ecrire(folder: Path, ecritures: list[Ecriture]) -> Path:
    opens = "".join(f"2024-01-01 open {account}\n" for account in TOUS)
    body = "".join(e.texte() for e in sorted(ecritures, key=lambda e: e.date))
    return write_ledger(folder, opens + "\n" + body, config=CONFIG)


def charger(path: Path) -> Source:
    livre = load_livre(path)
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(grands_livres)
def test_proprietes_sur_grands_livres_aleatoires(ecritures: list[Ecriture]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = charger(ecrire(Path(tmp) / "avec", ecritures))
        reports = etats(source)
        assert reports  # the first entry is never a forecast
        check_equilibre(reports)
        check_resultat(reports)
        check_contributions(reports)
        check_n1(source, reports)
        check_comptes_equilibres(source, reports)
        for cr, bl in reports.values():
            check_json(cr)
            check_json(bl)
        # forecasts never change a figure: the same ledger without them gives the same reports
        reelles = [e for e in ecritures if not e.prevision]
        if len(reelles) < len(ecritures):
            sans = etats(charger(ecrire(Path(tmp) / "sans", reelles)))
            assert list(sans) == list(reports)
            for code, (cr, bl) in reports.items():
                assert figures(cr) == figures(sans[code][0]), code
                assert figures(bl) == figures(sans[code][1]), code


# --- The example association ----------------------------------------------------------------


@pytest.fixture(scope="module")
def exemple() -> Source:
    return charger(EXEMPLE / "main.beancount")


@pytest.fixture(scope="module")
def etats_exemple(exemple: Source) -> Etats:
    return etats(exemple)


def test_exemple_trois_exercices(exemple: Source, etats_exemple: Etats) -> None:
    assert list(etats_exemple) == ["2024", "2025", "2026"]
    assert [e.version for e in exemple.exercices] == ["2018", "2025", "2025"]
    for cr, bl in etats_exemple.values():
        assert cr.avertissements == [] and bl.avertissements == []


def test_exemple_actif_egale_passif(etats_exemple: Etats) -> None:
    check_equilibre(etats_exemple)
    assert all(bl.totaux["n"]["total_actif"] > 0 for _cr, bl in etats_exemple.values())


def test_exemple_resultat_identique(etats_exemple: Etats) -> None:
    check_resultat(etats_exemple)


def test_exemple_contributions_volontaires_equilibrees(etats_exemple: Etats) -> None:
    check_contributions(etats_exemple)
    assert all(
        cr.totaux["n"]["contributions_volontaires_emplois"] > 0
        for cr, _bl in etats_exemple.values()
    )


def test_exemple_grand_livre_balance_fec_equilibres(exemple: Source, etats_exemple: Etats) -> None:
    check_comptes_equilibres(exemple, etats_exemple)
    # the 2024 result (1 098,46 €, not allocated) opens 2025 on 120; 2025 balances
    gl = grand_livre(exemple, exemple.exercice("2025"))
    assert gl.totaux["n"] == {"total_debit": D("797838.76"), "total_credit": D("797838.76")}


def test_exemple_colonnes_n1(exemple: Source, etats_exemple: Etats) -> None:
    check_n1(exemple, etats_exemple)
    assert "n1" not in etats_exemple["2024"][0].totaux
    assert "n1" in etats_exemple["2025"][0].totaux and "n1" in etats_exemple["2026"][1].totaux


def test_exemple_previsions_sans_effet(
    tmp_path: Path, exemple: Source, etats_exemple: Etats
) -> None:
    folder = tmp_path / "association"
    shutil.copytree(EXEMPLE, folder, ignore=shutil.ignore_patterns("*.picklecache"))
    main = folder / "main.beancount"
    main.write_text(
        main.read_text(encoding="utf-8") + 'include "previsions.beancount"\n', encoding="utf-8"
    )
    # counterparts without Beancount balance assertions (the bank has some: a forecast on
    # it would make them fail)
    region = "Actif:44-Etat:441-Subventions-a-recevoir:Region"
    usagers = "Actif:41-Usagers:411-Usagers"
    (folder / "previsions.beancount").write_text(
        ROOT_OPTIONS
        + f"""
2025-06-15 * "Subvention espérée" #prevision
  {region}  25000.00 EUR
  Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region  -25000.00 EUR

2026-03-01 * "Embauche envisagée" #prevision
  Charges:64-Charges-de-personnel:6411-Salaires  18000.00 EUR
  Passif:42-Personnel:421-Remunerations-dues  -18000.00 EUR

2026-09-01 * "Bénévolat espéré" #prevision
  Charges:86-Emplois-contributions-en-nature:864-Personnel-benevole  5000.00 EUR
  Produits:87-Contributions-en-nature:875-Benevolat  -5000.00 EUR

2026-12-01 * "Cotisations 2027" #prevision
  {usagers}  3000.00 EUR
  Produits:75-Autres-produits:756-Cotisations  -3000.00 EUR
""",
        encoding="utf-8",
    )
    avec = charger(main)
    assert len(avec.mouvements.liste) == len(exemple.mouvements.liste)
    reports = etats(avec)
    assert list(reports) == list(etats_exemple)
    for code, (cr, bl) in reports.items():
        assert figures(cr) == figures(etats_exemple[code][0]), code
        assert figures(bl) == figures(etats_exemple[code][1]), code


def _rapports_exemple(etats_exemple: Etats) -> list[Rapport]:
    return [rapport for pair in etats_exemple.values() for rapport in pair]


def test_exemple_json_aller_retour(etats_exemple: Etats) -> None:
    for rapport in _rapports_exemple(etats_exemple):
        data = check_json(rapport)
        assert data["association"] == "Les Jardins du Coteau"


def _fr(value: Decimal) -> str:
    """French display written independently of the product: ``-1 234,56`` (U+202F)."""
    rounded = cent(value)
    sign = "-" if rounded < 0 else ""
    integer, fraction = f"{abs(rounded):.2f}".split(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    return f"{sign}{ESPACE_FINE.join(groups)},{fraction}"


def test_exemple_terminal_memes_chiffres(etats_exemple: Etats) -> None:
    for rapport in _rapports_exemple(etats_exemple):
        lines = render(rapport, Format.table, largeur=260).decode("utf-8").splitlines()
        position = 0
        for partie in rapport.parties:
            for ligne in partie.lignes:
                if ligne.style is Style.TITRE:
                    continue
                expected = [ligne.libelle] + [
                    _fr(ligne.valeurs[c.id]) for c in partie.colonnes if c.genre is Genre.MONTANT
                ]
                while True:
                    assert position < len(lines), (rapport.id, ligne.id, expected)
                    cells = re.split(r" {2,}", lines[position].strip())
                    position += 1
                    if cells == expected:
                        break


def test_exemple_xlsx_memes_chiffres_que_json(etats_exemple: Etats) -> None:
    for rapport in _rapports_exemple(etats_exemple):
        check_xlsx(rapport)


def check_xlsx(rapport: Rapport) -> None:
    """The XLSX of ``rapport`` shows the figures of its JSON (parts and totals)."""
    data = json.loads(render(rapport, Format.json))
    workbook = openpyxl.load_workbook(io.BytesIO(render(rapport, Format.xlsx)))
    sheets = workbook.worksheets
    assert len(sheets) == len(data["parties"]) + 1 and sheets[-1].title == "Totaux"
    for sheet, partie in zip(sheets, data["parties"], strict=False):
        rows = list(sheet.iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if row[0] == "Libellé")
        columns = [c["id"] for c in partie["colonnes"]]
        for offset, ligne in enumerate(partie["lignes"], start=1):
            row = rows[header + offset]
            assert row[0] == ligne["libelle"]
            for index, column in enumerate(columns, start=1):
                text = ligne["valeurs"][column]
                if ligne["style"] == "titre":
                    assert row[index] is None
                else:
                    assert isinstance(row[index], int | float), (ligne["id"], column)
                    assert D(str(row[index])) == D(text), (ligne["id"], column)
    rows = list(sheets[-1].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[:2] == ("Total", "Identifiant"))
    columns = list(data["totaux_par_colonne"])
    seen = set()
    for row in rows[header + 1 :]:
        if not row[1] or row[1] not in data["totaux_par_colonne"]["n"]:
            continue
        seen.add(row[1])
        for index, column in enumerate(columns, start=2):
            expected = data["totaux_par_colonne"][column].get(row[1])
            assert D(str(row[index])) == D(expected), (row[1], column)
    assert seen == set(data["totaux_par_colonne"]["n"])
