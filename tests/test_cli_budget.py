"""``communs budget``: budget vs réalisé through Typer's CliRunner (and one real
subprocess): every format, the figures of the engine, French refusals with exit codes."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import textwrap
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from communs_ledger.budget.fichier import load_budgets
from communs_ledger.budget.rapport_suivi import budget_vs_realise
from communs_ledger.chargement import load_livre
from communs_ledger.rapports.objets import Rapport
from communs_ledger.rapports.source import Source
from conftest import one_line, run_communs
from test_budget_suivi import BUDGET, CONFIG, write_association

D = Decimal
VOTE_AU = ("--version", "vote", "--au", "2026-04-15")


@pytest.fixture(scope="module")
def association(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_association(tmp_path_factory.mktemp("cli-budget") / "asso")


@pytest.fixture(scope="module")
def source(association: Path) -> Source:
    return Source.from_livre(load_livre(association))


def _engine(source: Source, **options: Any) -> Rapport:
    budgets = load_budgets(source.context)
    return budget_vs_realise(source, budgets, source.exercice("2026"), **options)


def _cent(value: Decimal) -> Decimal:
    rounded = value.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded


def _same_figures(data: dict[str, Any], rapport: Rapport) -> None:
    assert data["rapport"] == "budget_vs_realise" and data["exercice"] == "2026"
    for partie, parsed in zip(rapport.parties, data["parties"], strict=True):
        assert parsed["id"] == partie.id
        for ligne, row in zip(partie.lignes, parsed["lignes"], strict=True):
            assert row["id"] == ligne.id
            for column in partie.colonnes:
                value = ligne.valeurs.get(column.id)
                shown = row["valeurs"][column.id]
                if value is None:
                    assert shown is None, (ligne.id, column.id)
                elif column.genre == "pourcentage":
                    assert D(shown) == value.quantize(D("0.0001"), rounding=ROUND_HALF_UP)
                else:
                    assert D(shown) == _cent(value), (ligne.id, column.id)
    for column, totals in rapport.totaux.items():
        parsed = data["totaux_par_colonne"][column]
        assert {k: D(v) for k, v in parsed.items()} == {k: _cent(v) for k, v in totals.items()}


def _run(communs: Callable[..., Any], association: Path, *args: str) -> Any:
    return communs("budget", "-f", str(association), *args)


# --- Formats ------------------------------------------------------------------------------------


def test_json_egale_le_moteur(
    communs: Callable[..., Any], association: Path, source: Source
) -> None:
    result = _run(communs, association, *VOTE_AU, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _same_figures(data, _engine(source, version="vote", au=datetime.date(2026, 4, 15)))
    assert data["totaux_par_colonne"]["realise"]["resultat"] == "1440.00"
    assert data["totaux_par_colonne"]["projection"]["total_charges"] == "39135.00"
    assert data["periode"] == {"debut": "2026-01-01", "fin": "2026-04-15"}
    assert data["meta"]["version"] == "vote"
    assert [p["id"] for p in data["parties"]] == [
        "charges",
        "produits",
        "contributions_volontaires",
        "par_projet",
        "resultat",
    ]


def test_json_par_defaut_version_recente_et_derniere_ecriture(
    communs: Callable[..., Any], association: Path, source: Source
) -> None:
    result = _run(communs, association, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _same_figures(data, _engine(source))
    assert data["meta"]["version"] == "revise"
    assert data["meta"]["au"] == "2026-06-30"


def test_json_projet(communs: Callable[..., Any], association: Path, source: Source) -> None:
    result = _run(communs, association, *VOTE_AU, "--projet", "JARDINS", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _same_figures(
        data, _engine(source, version="vote", au=datetime.date(2026, 4, 15), projet="JARDINS")
    )
    assert data["totaux_par_colonne"]["realise"]["resultat"] == "5820.00"


def test_json_mensuel(communs: Callable[..., Any], association: Path, source: Source) -> None:
    result = _run(communs, association, *VOTE_AU, "--mensuel", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    _same_figures(
        data, _engine(source, version="vote", au=datetime.date(2026, 4, 15), mensuel=True)
    )
    colonnes = data["parties"][0]["colonnes"]
    assert colonnes[0] == {
        "id": "m2026_01_budget",
        "libelle": "janvier 2026 budget",
        "genre": "montant",
    }
    assert colonnes[1]["libelle"] == "janvier 2026 réalisé"
    salaires = next(r for r in data["parties"][0]["lignes"] if r["id"] == "ligne:6411")
    assert salaires["valeurs"]["m2026_03_realise"] == "3200.00"
    assert salaires["valeurs"]["m2026_05_realise"] is None


def test_table(communs: Callable[..., Any], association: Path) -> None:
    result = _run(communs, association, *VOTE_AU)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for expected in (
        "Les Amis du Canal",
        "Budget vs réalisé",
        "arrêté au 15 avril 2026",
        "budget « BP voté en AG » (vote)",
        "Total des charges",
        "Résultat (produits − charges)",
        "40\u202f200,00",  # budget annuel des charges
        "-16\u202f185,00",  # résultat projeté
        "Primes d'assurances (hors budget)",
    ):
        assert expected in text, expected


def test_table_mensuelle_compacte(communs: Callable[..., Any], association: Path) -> None:
    result = _run(communs, association, *VOTE_AU, "--mensuel")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Budget vs réalisé mensuel" in text
    header = next(line for line in text.splitlines() if "janv." in line)
    assert header.split()[-13:] == [
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
        "Total",
    ]
    salaires = next(line for line in text.splitlines() if "Salaires" in line)
    # réalisé of January to April, then the total; May to December are empty
    assert re.split(" +", salaires.strip())[-5:] == [
        "3\u202f000",
        "3\u202f000",
        "3\u202f200",
        "0",
        "9\u202f200",
    ]
    budget = text.splitlines()[text.splitlines().index(salaires) + 1]
    assert re.split(" +", budget.strip())[-13:] == [*["3\u202f000"] * 12, "36\u202f000"]
    assert "Affichage compact" in one_line(text)


def test_csv(communs: Callable[..., Any], association: Path, source: Source) -> None:
    result = _run(communs, association, *VOTE_AU, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode(), newline="")))
    header = rows[0]
    assert header == [
        "partie",
        "id",
        "code",
        "libelle",
        "niveau",
        "style",
        "statut",
        "budget_annuel",
        "budget_a_date",
        "realise",
        "ecart",
        "ecart_pct",
        "projection",
    ]
    by_id = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_id[("charges", "ligne:62")]["realise"] == "580.00"
    assert by_id[("produits", "ligne:741:JARDINS")]["ecart_pct"] == "1.0000"
    assert by_id[("resultat", "resultat")]["budget_a_date"] == "-3375.00"
    assert by_id[("contributions_volontaires", "ligne:864")]["statut"] == "alerte"


def test_xlsx(communs: Callable[..., Any], association: Path, tmp_path: Path) -> None:
    sortie = tmp_path / "budget.xlsx"
    result = _run(communs, association, *VOTE_AU, "--sortie", str(sortie))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(sortie)
    assert workbook.sheetnames == [
        "Charges",
        "Produits",
        "Contributions en nature",
        "Par projet",
        "Résultat",
        "Totaux",
    ]
    cells = [c for row in workbook["Charges"].iter_rows() for c in row]
    assert any(c.value == 40200 and c.font.bold for c in cells)  # total in bold, a number
    again = _run(communs, association, *VOTE_AU, "--sortie", str(sortie))
    assert again.exit_code == 1 and "--ecraser" in one_line(again.output)
    replaced = _run(communs, association, *VOTE_AU, "--sortie", str(sortie), "--ecraser")
    assert replaced.exit_code == 0, replaced.output


def test_xlsx_mensuel_toutes_les_colonnes(
    communs: Callable[..., Any], association: Path, tmp_path: Path
) -> None:
    sortie = tmp_path / "mensuel.xlsx"
    result = _run(communs, association, *VOTE_AU, "--mensuel", "--sortie", str(sortie))
    assert result.exit_code == 0, result.output
    values = [c.value for row in openpyxl.load_workbook(sortie)["Charges"].iter_rows() for c in row]
    assert "mars 2026 budget" in values and "décembre 2026 réalisé" in values


def test_html(communs: Callable[..., Any], association: Path) -> None:
    result = _run(communs, association, *VOTE_AU, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "Budget vs réalisé" in result.stdout and "Par projet" in result.stdout


def test_sous_commandes_toujours_la(communs: Callable[..., Any]) -> None:
    result = communs("budget", "--help")
    assert result.exit_code == 0
    assert "cerfa" in result.output and "comparer" in result.output


# --- Refusals -----------------------------------------------------------------------------------


def test_sans_budget_declare(communs: Callable[..., Any], tmp_path: Path) -> None:
    main = write_association(tmp_path / "asso", budget=None, config=CONFIG.split("budget:")[0])
    result = communs("budget", "-f", str(main))
    assert result.exit_code == 1
    message = one_line(result.output)
    assert (
        "Erreur : aucun budget pour l'exercice 2026 : déclarez son fichier dans communs.yaml"
        in (message)
    )


def test_version_inconnue(communs: Callable[..., Any], association: Path) -> None:
    result = _run(communs, association, "--version", "juin")
    assert result.exit_code == 1
    message = one_line(result.output)
    assert "version « juin » inconnue dans le budget 2026 : versions : vote" in message
    assert "revise (« BP révisé en juin », 20/06/2026)" in message


def test_projet_inconnu(communs: Callable[..., Any], association: Path) -> None:
    result = _run(communs, association, "--projet", "ETE")
    assert result.exit_code == 1
    assert "projet « ETE » inconnu : projets connus : ALPHA, JARDINS" in one_line(result.output)


def test_fichier_de_budget_en_erreur(communs: Callable[..., Any], ledger_dir: Path) -> None:
    budget = BUDGET.replace('      - compte: "756"', '      - compte: "401"', 1)
    main = write_association(ledger_dir, budget)
    lineno = textwrap.dedent(budget).splitlines().index('      - compte: "401"') + 1
    result = communs("budget", "-f", str(main))
    assert result.exit_code == 1
    message = one_line(result.output)
    assert message.startswith("Erreur : ")
    assert "le grand livre contient 1 erreur : corrigez-les" in message
    assert f"budgets/2026.yaml:{lineno}: compte 401" in message
    assert "un budget porte sur des charges" in message


def test_fichier_de_budget_introuvable(communs: Callable[..., Any], tmp_path: Path) -> None:
    config = CONFIG.replace('"2026": budgets/2026.yaml', '"2027": budgets/2026.yaml')
    main = write_association(tmp_path / "asso", budget=None, config=config)
    result = communs("budget", "-f", str(main))
    assert result.exit_code == 1
    assert "budget.fichiers" in one_line(result.output)  # 2027 has no entry, file missing


def test_erreurs_de_budget_refusees_comme_celles_du_grand_livre() -> None:
    # The budget plugin reports them first when it runs; the command refuses them anyway.
    from communs_ledger.budget.fichier import Budgets
    from communs_ledger.cli.budget import refuser_erreurs_de_budget
    from communs_ledger.cli.echecs import Echec
    from communs_ledger.sources import Location, SourceError

    refuser_erreurs_de_budget(Budgets())
    errors = [SourceError(Location("budgets/2026.yaml", n), "compte 401 refusé") for n in (3, 9)]
    with pytest.raises(Echec) as refused:
        refuser_erreurs_de_budget(Budgets(erreurs=errors))
    assert refused.value.exit_code == 1
    assert refused.value.message == (
        "le budget contient 2 erreurs : corrigez-les avant de produire le budget vs réalisé"
    )
    assert refused.value.details == [
        "budgets/2026.yaml:3: compte 401 refusé",
        "budgets/2026.yaml:9: compte 401 refusé",
    ]


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (("--au", "15/13/2026"), 2, "date attendue au format AAAA-MM-JJ ou JJ/MM/AAAA"),
        (("--exercice", "2026", "--au", "2025-12-31"), 1, "--au 2025-12-31 est hors de"),
        (("--exercice", "2031"), 1, "exercice « 2031 » inconnu"),
        (("--format", "xlsx"), 2, "ajoutez --sortie FICHIER.xlsx"),
    ],
)
def test_mauvais_usages(
    communs: Callable[..., Any], association: Path, args: tuple[str, ...], code: int, expected: str
) -> None:
    result = _run(communs, association, *args)
    assert result.exit_code == code, result.output
    assert expected in one_line(result.output)


def test_commande_installee_en_sous_processus(association: Path) -> None:
    done = run_communs("budget", "-f", str(association), *VOTE_AU, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totaux_par_colonne"]["realise"]["total_produits"] == "12100.00"
    refused = run_communs("budget", "-f", str(association), "--version", "juin")
    assert refused.returncode == 1
    assert "version « juin » inconnue" in one_line(refused.stderr)
