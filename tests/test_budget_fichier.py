"""Budget files through the real loader: validation at file:line, profiles, versions.

Each test writes a small association (ledger, ``communs.yaml``, ``budgets/…``),
loads it with Beancount and the ``communs_plugins.budget`` plugin, and checks
the errors (French, at the budget file's line) or the échéances of the lines,
computed by hand.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from communs_ledger.budget.fichier import Budgets, load_budgets
from communs_ledger.contexte import LedgerContext
from communs_ledger.erreurs import is_warning
from communs_ledger.formatage import montant
from conftest import BANQUE, Found, errors_of, write_ledger

PLUGINS = 'plugin "communs_plugins.plan_comptable"\nplugin "communs_plugins.budget"\n'
HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
BODY = f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {HONORAIRES}

2026-01-05 * "Cabinet" "Honoraires"
  {HONORAIRES}  100.00 EUR
  {BANQUE}
"""
PROJETS = """\
projets:
  - code: JARDINS
    nom: Jardins partagés
"""


def _write(
    folder: Path,
    budget: str,
    *,
    exercice: str = "2026",
    config: str = "",
    fichier: str = "budgets/budget.yaml",
) -> Path:
    """A ledger whose config declares one budget file (written if ``budget`` is not empty)."""
    text = (
        PROJETS + textwrap.dedent(config) + f'budget:\n  fichiers:\n    "{exercice}": {fichier}\n'
    )
    path = write_ledger(folder, BODY, plugin=PLUGINS, config=text)
    if budget:
        target = folder / fichier
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(budget), encoding="utf-8")
    return path


def _budget_errors(path: Path) -> list[Found]:
    """The errors (not the budget rules' warnings) outside the ledger itself."""
    _entries, errors, _options = loader.load_file(str(path))
    errors = [error for error in errors if not is_warning(error)]
    return [found for found in errors_of(errors) if found.fichier != "main.beancount"]


def _budgets(path: Path) -> Budgets:
    _entries, _errors, options = loader.load_file(str(path))
    budgets = load_budgets(LedgerContext.from_options(options))
    assert budgets.erreurs == []
    return budgets


def _echeances(path: Path, exercice: str = "2026") -> dict[str, list[tuple[str, str, str]]]:
    """Échéances of each line of the version in force: compte → [(début, fin, montant)]."""
    version = _budgets(path).par_exercice[exercice].version()
    assert version is not None
    return {
        line.compte: [(d.isoformat(), f.isoformat(), f"{m:.2f}") for d, f, m in line.echeances]
        for line in version.lignes
    }


def _months(year: int, amounts: list[str]) -> list[tuple[str, str, str]]:
    """Whole calendar months of ``year`` from January, with the given amounts."""
    result = []
    for index, amount in enumerate(amounts, start=1):
        first = datetime.date(year, index, 1)
        following = datetime.date(year + index // 12, index % 12 + 1, 1)
        last = following - datetime.timedelta(days=1)
        result.append((first.isoformat(), last.isoformat(), amount))
    return result


# --- Validation: exact French message at the budget file's line --------------------------


def test_erreurs_du_fichier_de_budget(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        """\
        versions:
          - code: vote
            nom: BP voté en AG
            date: 2026-03-14
            lignes:
              - compte: "6000"
                montant: 100
              - compte: "512"
                montant: 100
              - compte: "7715"
                montant: 100
              - compte: "6226"
                projet: INCONNU
                montant: 100
              - compte: "741"
                montant: 20000
                profil: {mois: {3: 10000, 9: 9000}}
              - compte: "6064"
                montant: 100
              - compte: "6064"
                montant: 200
          - code: vote
            nom: Autre version
            date: 2026-04-01
          - code: revise
            nom: BP révisé
            date: 2026-06-20
            base: initial
        """,
    )
    fichier = "budget.yaml"
    assert _budget_errors(path) == [
        Found(fichier, 6, "compte 6000 inconnu du plan comptable 2025"),
        Found(
            fichier,
            8,
            "compte 512 « Banques » (actif ou passif selon le solde) : un budget porte sur "
            "des charges, des produits ou des contributions en nature",
        ),
        Found(
            fichier,
            10,
            "compte 7715 retiré du plan comptable 2025 (« Subventions d'équilibre ») : "
            "utilisez 742",
        ),
        Found(fichier, 13, "projet « INCONNU » inconnu (JARDINS)"),
        Found(
            fichier,
            17,
            f"le profil totalise {montant(Decimal(19000))} au lieu du montant annuel "
            f"{montant(Decimal(20000))}",
        ),
        Found(fichier, 20, "ligne en double : compte 6064"),
        Found(fichier, 22, "version « vote » déclarée deux fois"),
        Found(
            fichier,
            28,
            "version de base « initial » inconnue (elle doit être déclarée plus haut dans "
            "le fichier)",
        ),
    ]


@pytest.mark.parametrize(
    ("code", "nature"),
    [
        ("1064", "« Réserves réglementées » (fonds propres)"),
        ("2183", "« Matériel de bureau et matériel informatique » (actif)"),
        ("37", "« Stocks de marchandises » (actif)"),
        ("401", "« Fournisseurs » (passif (dettes))"),
        ("512", "« Banques » (actif ou passif selon le solde)"),
    ],
)
def test_comptes_des_classes_1_a_5_refuses(ledger_dir: Path, code: str, nature: str) -> None:
    path = _write(
        ledger_dir,
        f"""\
        versions:
          - code: vote
            nom: BP
            date: 2026-03-14
            lignes:
              - compte: "{code}"
                montant: 100
        """,
    )
    assert _budget_errors(path) == [
        Found(
            "budget.yaml",
            6,
            f"compte {code} {nature} : un budget porte sur des charges, des produits ou des "
            "contributions en nature",
        )
    ]


def test_yaml_mal_forme(ledger_dir: Path) -> None:
    path = _write(ledger_dir, "versions:\n  - code: vote\n    nom: BP: voté\n")
    assert _budget_errors(path) == [
        Found(
            "budget.yaml",
            3,
            "YAML invalide : « : » inattendu (indentation ou guillemets manquants ?)",
        )
    ]
    (ledger_dir / "budgets" / "budget.yaml").write_text(
        "versions:\n\t- code: vote\n", encoding="utf-8"
    )
    assert _budget_errors(path) == [
        Found("budget.yaml", 2, "YAML invalide : tabulation interdite : indentez avec des espaces")
    ]


def test_compte_non_numerique(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        """\
        versions:
          - code: vote
            nom: BP
            date: 2026-03-14
            lignes:
              - compte: "6226"
                montant: 100
              - compte: Honoraires
                montant: 100
        """,
    )
    assert _budget_errors(path) == [
        Found(
            "budget.yaml",
            8,
            "versions[1].lignes[2].compte : numéro de compte attendu (chiffres seulement), "
            "lu « Honoraires »",
        )
    ]


def test_fichier_de_budget_introuvable(ledger_dir: Path) -> None:
    path = _write(ledger_dir, "", fichier="budgets/absent.yaml")
    assert _budget_errors(path) == [
        Found(
            "communs.yaml",
            6,  # the line of « "2026": budgets/absent.yaml » in communs.yaml
            "budget.fichiers : fichier du budget 2026 introuvable (budgets/absent.yaml)",
        )
    ]


def test_fichier_de_budget_qui_est_un_dossier(ledger_dir: Path) -> None:
    path = _write(ledger_dir, "", fichier="budgets")
    (ledger_dir / "budgets").mkdir(exist_ok=True)
    assert _budget_errors(path) == [
        Found(
            "communs.yaml", 6, "budget.fichiers : fichier du budget 2026 est un dossier (budgets)"
        )
    ]


def test_un_fichier_valide_ne_donne_aucune_erreur(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        """\
        versions:
          - code: vote
            nom: BP
            date: 2026-03-14
            lignes:
              - compte: "6226"
                montant: 1200
        """,
    )
    assert _budget_errors(path) == []


# --- Profiles: the échéances of a line ----------------------------------------------------


def _one_line(profil: str, montant_annuel: str = "1000") -> str:
    return f"""\
    versions:
      - code: vote
        nom: BP
        date: 2026-03-14
        lignes:
          - compte: "6226"
            montant: {montant_annuel}
            {profil}
    """


def test_profil_uniforme_arrondi_au_dernier_mois(ledger_dir: Path) -> None:
    path = _write(ledger_dir, _one_line(""))
    # 1000 / 12 = 83.333…: 83.33 for eleven months, 1000 − 11 × 83.33 = 83.37 in December.
    assert _echeances(path)["6226"] == _months(2026, ["83.33"] * 11 + ["83.37"])


def test_profil_saisonnier(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        _one_line("profil: {saisonnier: [20, 5, 5, 5, 5, 5, 5, 5, 20, 15, 5, 5]}", "3000"),
    )
    assert _echeances(path)["6226"] == _months(
        2026,
        ["600.00", *["150.00"] * 7, "600.00", "450.00", "150.00", "150.00"],
    )


def test_profil_saisonnier_mois_vides_et_arrondi(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir, _one_line("profil: {saisonnier: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]}")
    )
    # 1000 × 1/3 = 333.33; 1000 × 2/3 = 666.666… → 666.67; months with no weight are left out.
    assert _echeances(path)["6226"] == [
        ("2026-01-01", "2026-01-31", "333.33"),
        ("2026-12-01", "2026-12-31", "666.67"),
    ]


def test_profil_liste_de_mois(ledger_dir: Path) -> None:
    path = _write(ledger_dir, _one_line('profil: {mois: [9, octobre, "2026-11", Décembre]}'))
    assert _echeances(path)["6226"] == [
        ("2026-09-01", "2026-09-30", "250.00"),
        ("2026-10-01", "2026-10-31", "250.00"),
        ("2026-11-01", "2026-11-30", "250.00"),
        ("2026-12-01", "2026-12-31", "250.00"),
    ]


def test_profil_montants_par_mois(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        _one_line('profil: {mois: {mars: 400, "2026-09": 350.50, 12: 249.50}}'),
    )
    assert _echeances(path)["6226"] == [
        ("2026-03-01", "2026-03-31", "400.00"),
        ("2026-09-01", "2026-09-30", "350.50"),
        ("2026-12-01", "2026-12-31", "249.50"),
    ]


def test_profil_dates(ledger_dir: Path) -> None:
    path = _write(ledger_dir, _one_line("profil: {dates: {2026-03-15: 600, 2026-09-15: 400}}"))
    assert _echeances(path)["6226"] == [
        ("2026-03-15", "2026-03-15", "600.00"),
        ("2026-09-15", "2026-09-15", "400.00"),
    ]


def test_profil_date_hors_exercice(ledger_dir: Path) -> None:
    path = _write(ledger_dir, _one_line("profil: {dates: {2027-01-15: 1000}}"))
    assert _budget_errors(path) == [
        Found("budget.yaml", 8, "date 2027-01-15 hors de l'exercice 2026")
    ]


def test_exercice_non_calendaire(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        _one_line("", "1200"),
        exercice="2025-2026",
        config='exercice:\n  debut: "01-09"\n',
    )
    found = _echeances(path, "2025-2026")["6226"]
    assert len(found) == 12
    assert found[0] == ("2025-09-01", "2025-09-30", "100.00")
    assert found[3] == ("2025-12-01", "2025-12-31", "100.00")
    assert found[4] == ("2026-01-01", "2026-01-31", "100.00")
    assert found[-1] == ("2026-08-01", "2026-08-31", "100.00")


def test_premier_exercice_irregulier(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        _one_line('profil: {mois: {"2025-03": 100, "2026-12": 300}}', "400"),
        exercice="2025-2026",
        config="exercice:\n  debut: 01-01\n  premier: {debut: 2025-03-15, fin: 2026-12-31}\n",
    )
    # The first "month" of the exercice is cut at its opening day.
    assert _echeances(path, "2025-2026")["6226"] == [
        ("2025-03-15", "2025-03-31", "100.00"),
        ("2026-12-01", "2026-12-31", "300.00"),
    ]
    path = _write(
        ledger_dir,
        _one_line("", "2200"),
        exercice="2025-2026",
        config="exercice:\n  debut: 01-01\n  premier: {debut: 2025-03-15, fin: 2026-12-31}\n",
    )
    found = _echeances(path, "2025-2026")["6226"]
    assert len(found) == 22  # 15–31 March 2025, then April 2025 to December 2026
    assert found[0] == ("2025-03-15", "2025-03-31", "100.00")
    assert found[1] == ("2025-04-01", "2025-04-30", "100.00")
    assert found[-1] == ("2026-12-01", "2026-12-31", "100.00")


def test_mois_ambigu_dans_un_exercice_de_plus_de_douze_mois(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        _one_line("profil: {mois: [mai]}"),
        exercice="2025-2026",
        config="exercice:\n  debut: 01-01\n  premier: {debut: 2025-03-15, fin: 2026-12-31}\n",
    )
    assert _budget_errors(path) == [
        Found(
            "budget.yaml",
            8,
            "mois « mai » ambigu dans un exercice de plus de douze mois : écrivez AAAA-MM",
        )
    ]


# --- Versions -----------------------------------------------------------------------------


def test_version_de_base_remplacee_et_lignes_retirees(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        """\
        versions:
          - code: vote
            nom: BP voté en AG
            date: 2026-03-14
            lignes:
              - compte: "6226"
                montant: 6000
              - compte: "6064"
                montant: 1200
              - compte: "756"
                montant: 3000
              - compte: "741"
                projet: JARDINS
                montant: 20000
          - code: revise
            nom: BP révisé en juin
            date: 2026-06-20
            base: vote
            lignes:
              - compte: "6226"
                montant: 7200
                commentaire: audit supplémentaire
              - compte: "6064"
                montant: 0
              - compte: "6411"
                montant: 12000
              - compte: "741"
                montant: 5000
        """,
    )
    budget = _budgets(path).par_exercice["2026"]
    vote, revise = budget.versions
    latest = budget.version()
    assert latest is revise
    assert budget.version("vote") is vote
    assert budget.version("BP voté en AG") is vote
    assert budget.version("absente") is None
    assert [(line.compte, line.projet, line.montant) for line in vote.lignes] == [
        ("6226", None, Decimal(6000)),
        ("6064", None, Decimal(1200)),
        ("756", None, Decimal(3000)),
        ("741", "JARDINS", Decimal(20000)),
    ]
    # 6226 replaced in place, 6064 removed by its zero amount, 741 JARDINS kept beside the
    # new 741 line without project (another key), 6411 added.
    assert [(line.compte, line.projet, line.montant) for line in revise.lignes] == [
        ("6226", None, Decimal(7200)),
        ("756", None, Decimal(3000)),
        ("741", "JARDINS", Decimal(20000)),
        ("6411", None, Decimal(12000)),
        ("741", None, Decimal(5000)),
    ]
    by_key = {line.cle: line for line in revise.lignes}
    assert by_key[("6226", None)].commentaire == "audit supplémentaire"
    assert by_key[("6226", None)].location.line == 20
    assert by_key[("756", None)].location.line == 10  # inherited: the base version's line
    assert by_key[("6226", None)].echeances[0][2] == Decimal("600.00")


def test_version_la_plus_recente_par_date_pas_par_ordre(ledger_dir: Path) -> None:
    path = _write(
        ledger_dir,
        """\
        versions:
          - code: revise
            nom: Révision
            date: 2026-06-20
            lignes:
              - compte: "6226"
                montant: 2400
          - code: vote
            nom: BP voté
            date: 2026-03-14
            lignes:
              - compte: "6226"
                montant: 1200
        """,
    )
    version = _budgets(path).par_exercice["2026"].version()
    assert version is not None and version.code == "revise"
