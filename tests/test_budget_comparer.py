"""``communs budget comparer A B``: two versions of a budget side by side, from the budget
file or from its Git history (real git, real repositories in tmp_path). Figures by hand."""

from __future__ import annotations

import datetime
import json
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from communs_ledger.budget.comparaison import load_budget_text
from communs_ledger.exercices import Exercice
from conftest import git_env, one_line, write_ledger

D = Decimal

LEDGER = """\
option "title" "Les Amis du Test"
option "operating_currency" "EUR"

2026-01-01 open Actif:51-Banques:512-Banques:Compte-courant EUR
2026-01-01 open Produits:75-Autres-produits:756-Cotisations
2026-01-01 open Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region

2026-01-15 * "Cotisations"
  Actif:51-Banques:512-Banques:Compte-courant  450.00 EUR
  Produits:75-Autres-produits:756-Cotisations
"""

CONFIG = """\
association:
  nom: Les Amis du Test
projets:
  - code: JARDINS
    nom: Jardins partagés
budget:
  fichiers:
    "2026": budgets/2026.yaml
"""

VOTE = """\
versions:
  - code: vote
    nom: BP voté en AG
    date: 2026-03-14
    lignes:
      - {compte: "6064", montant: 1200}
      - {compte: "622", montant: 1800}
      - {compte: "6411", montant: 30000}
      - {compte: "645", montant: 12000}
      - {compte: "7412", projet: JARDINS, montant: 20000}
      - {compte: "756", montant: 3000}
      - {compte: "864", montant: 4000}
      - {compte: "875", montant: 4000}
"""
REVISE = """\
  - code: revise
    nom: BP révisé
    date: 2026-06-20
    base: vote
    lignes:
      - {compte: "6411", montant: 33000}
      - {compte: "622", montant: 0}          # supprimée
      - {compte: "613", montant: 6000, libelle: Loyer du local}
      - {compte: "7412", projet: JARDINS, montant: 25000}
"""


@pytest.fixture
def asso(ledger_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # git must not find a repository above tmp_path (not-a-repository case)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(ledger_dir.parent))
    write_ledger(ledger_dir, LEDGER, config=CONFIG)
    (ledger_dir / "budgets").mkdir()
    (ledger_dir / "budgets" / "2026.yaml").write_text(VOTE + REVISE, encoding="utf-8")
    return ledger_dir


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, env=git_env(), check=True, capture_output=True)


def _commit_all(folder: Path, message: str) -> None:
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", message)


def _compare(communs: Callable[..., Any], *args: str) -> dict[str, Any]:
    result = communs("budget", "comparer", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _table(data: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Row id → (a, b, écart, %, statut), amounts as Decimal, % as Decimal or None."""
    found = {}
    for partie in data["parties"]:
        for row in partie["lignes"]:
            if row["style"] == "titre":
                continue
            values = row["valeurs"]
            found[row["id"]] = (
                *(D(values[c]) for c in ("a", "b", "ecart")),
                None if values["ecart_pct"] is None else D(values["ecart_pct"]),
                row["statut"],
            )
    return found


def test_deux_versions_du_fichier(communs: Callable[..., Any], asso: Path) -> None:
    data = _compare(communs, "vote", "revise")
    assert data["rapport"] == "budget_comparaison"
    assert _table(data) == {
        "ligne:6064": (D(1200), D(1200), D(0), D("0.0000"), "identique"),
        "chapitre:60": (D(1200), D(1200), D(0), D("0.0000"), None),
        "ligne:613": (D(0), D(6000), D(6000), None, "ajoutée"),
        "chapitre:61": (D(0), D(6000), D(6000), None, None),
        "ligne:622": (D(1800), D(0), D(-1800), D("-1.0000"), "supprimée"),
        "chapitre:62": (D(1800), D(0), D(-1800), D("-1.0000"), None),
        "ligne:6411": (D(30000), D(33000), D(3000), D("0.1000"), "modifiée"),
        "ligne:645": (D(12000), D(12000), D(0), D("0.0000"), "identique"),
        "chapitre:64": (D(42000), D(45000), D(3000), D("0.0714"), None),  # 3 000 / 42 000
        # 45 000 → 52 200 : + 7 200 = 16 %
        "total_charges": (D(45000), D(52200), D(7200), D("0.1600"), None),
        "ligne:7412:JARDINS": (D(20000), D(25000), D(5000), D("0.2500"), "modifiée"),
        "chapitre:74": (D(20000), D(25000), D(5000), D("0.2500"), None),
        "ligne:756": (D(3000), D(3000), D(0), D("0.0000"), "identique"),
        "chapitre:75": (D(3000), D(3000), D(0), D("0.0000"), None),
        "total_produits": (D(23000), D(28000), D(5000), D("0.2174"), None),
        # résultat −22 000 → −24 200 : −2 200 / −22 000 = +10 %
        "resultat": (D(-22000), D(-24200), D(-2200), D("-0.1000"), None),  # -2 200 / |-22 000|
        "ligne:864": (D(4000), D(4000), D(0), D("0.0000"), "identique"),
        "chapitre:86": (D(4000), D(4000), D(0), D("0.0000"), None),
        "contributions_volontaires_emplois": (D(4000), D(4000), D(0), D("0.0000"), None),
        "ligne:875": (D(4000), D(4000), D(0), D("0.0000"), "identique"),
        "chapitre:87": (D(4000), D(4000), D(0), D("0.0000"), None),
        "contributions_volontaires_ressources": (D(4000), D(4000), D(0), D("0.0000"), None),
    }
    labels = {row["id"]: row["libelle"] for p in data["parties"] for row in p["lignes"]}
    assert labels["ligne:613"] == "Loyer du local"  # budget line label
    assert labels["ligne:7412:JARDINS"] == "Region — projet JARDINS"  # ledger account label
    assert labels["ligne:622"] == "Rémunérations d'intermédiaires et honoraires"  # chart label
    assert labels["titre:64"] == "Charges de personnel"
    assert labels["chapitre:64"] == "Total 64 - Charges de personnel"
    totaux = data["totaux_par_colonne"]
    assert totaux["a"]["total_charges"] == "45000.00"
    assert totaux["b"]["resultat"] == "-24200.00"
    assert totaux["ecart"]["total_produits"] == "5000.00"
    assert totaux["ecart_pct"]["total_charges"] == "0.1600"
    colonnes = [c["libelle"] for c in data["parties"][0]["colonnes"]]
    assert colonnes == [
        "A — BP voté en AG",
        "B — BP révisé",
        "Différence (B − A)",
        "Différence (%)",
    ]
    assert "Lignes : 1 ajoutée(s), 1 supprimée(s), 2 modifiée(s), 5 identique(s)." in data["notes"]


def test_version_designee_par_son_nom(communs: Callable[..., Any], asso: Path) -> None:
    data = _compare(communs, "BP révisé", "vote")
    assert data["meta"]["version_a"] == "revise" and data["meta"]["version_b"] == "vote"
    assert _table(data)["ligne:613"] == (D(6000), D(0), D(-6000), D("-1.0000"), "supprimée")


def test_version_du_fichier_a_un_commit_precedent(communs: Callable[..., Any], asso: Path) -> None:
    budget = asso / "budgets" / "2026.yaml"
    budget.write_text(VOTE, encoding="utf-8")
    _git(asso, "init", "-q")
    _commit_all(asso, "Budget voté")
    # the working file changes: 6064 raised, 622 removed, 616 added
    budget.write_text(
        VOTE.replace('{compte: "6064", montant: 1200}', '{compte: "6064", montant: 1500}')
        .replace('      - {compte: "622", montant: 1800}\n', "")
        .replace(
            '      - {compte: "645", montant: 12000}\n',
            '      - {compte: "645", montant: 12000}\n      - {compte: "616", montant: 750}\n',
        ),
        encoding="utf-8",
    )
    data = _compare(communs, "HEAD:", "vote")
    table = _table(data)
    assert table["ligne:6064"] == (D(1200), D(1500), D(300), D("0.2500"), "modifiée")
    assert table["ligne:616"] == (D(0), D(750), D(750), None, "ajoutée")
    assert table["ligne:622"] == (D(1800), D(0), D(-1800), D("-1.0000"), "supprimée")
    # 45 000 + 300 − 1 800 + 750 = 44 250 : −750 / 45 000 = −1,67 %
    assert table["total_charges"] == (D(45000), D(44250), D(-750), D("-0.0167"), None)
    assert data["meta"]["revision_a"] == "HEAD" and data["meta"]["revision_b"] is None
    assert data["parties"][0]["colonnes"][0]["libelle"] == "A — HEAD : BP voté en AG"
    note_a = data["notes"][0]
    assert note_a.startswith("A : version « vote » (BP voté en AG) du 14 mars 2026, fichier ")
    assert "budgets/2026.yaml à la révision git HEAD (commit " in note_a
    # REV:VERSION names the version at that revision
    assert _table(_compare(communs, "HEAD:vote", "vote")) == table


def test_deux_revisions(communs: Callable[..., Any], asso: Path) -> None:
    budget = asso / "budgets" / "2026.yaml"
    budget.write_text(VOTE, encoding="utf-8")
    _git(asso, "init", "-q")
    _commit_all(asso, "Budget voté")
    _git(asso, "tag", "v2026-ag")
    budget.write_text(VOTE + REVISE, encoding="utf-8")
    _commit_all(asso, "Budget révisé")
    data = _compare(communs, "v2026-ag:", "HEAD:revise")
    assert _table(data)["total_charges"] == (D(45000), D(52200), D(7200), D("0.1600"), None)
    data = _compare(communs, "HEAD~1:vote", "HEAD:")  # HEAD: = latest version (revise)
    assert data["meta"]["version_b"] == "revise"


# --- Failures -----------------------------------------------------------------------------------


def _failure(communs: Callable[..., Any], *args: str) -> str:
    result = communs("budget", "comparer", *args)
    assert result.exit_code == 1, result.output
    return one_line(result.output)


def test_version_inconnue(communs: Callable[..., Any], asso: Path) -> None:
    assert _failure(communs, "vote", "final") == (
        "Erreur : version « final » inconnue dans le budget 2026 (budgets/2026.yaml) : "
        "versions : vote (BP voté en AG), revise (BP révisé) ; pour une version enregistrée "
        "dans git, écrivez REV:VERSION (ex. HEAD~1:vote) ou REV: (dernière version à cette "
        "révision)"
    )


def test_pas_un_depot_git(communs: Callable[..., Any], asso: Path) -> None:
    message = _failure(communs, "HEAD:vote", "vote")
    assert message == (
        f"Erreur : le dossier {asso.resolve()} n'est pas dans un dépôt git : impossible de lire "
        "la révision « HEAD »"
    )


def test_revision_inconnue(communs: Callable[..., Any], asso: Path) -> None:
    _git(asso, "init", "-q")
    _commit_all(asso, "Budget")
    message = _failure(communs, "v1999:vote", "vote")
    assert message == f"Erreur : révision git « v1999 » inconnue dans le dépôt {asso.resolve()}"
    assert "inconnue" in _failure(communs, "HEAD~3:", "vote")


def test_fichier_absent_a_la_revision(communs: Callable[..., Any], asso: Path) -> None:
    _git(asso, "init", "-q")
    _git(asso, "add", "main.beancount", "communs.yaml")
    _git(asso, "commit", "-q", "-m", "Grand livre sans budget")
    message = _failure(communs, "HEAD:", "vote")
    assert message.startswith(
        "Erreur : le fichier budgets/2026.yaml n'existe pas dans la révision git « HEAD » (commit "
    )


def test_version_inconnue_a_la_revision(communs: Callable[..., Any], asso: Path) -> None:
    _git(asso, "init", "-q")
    _commit_all(asso, "Budget")
    message = _failure(communs, "HEAD:initial", "vote")
    assert message.startswith(
        "Erreur : version « initial » inconnue dans HEAD:budgets/2026.yaml (commit "
    )
    assert message.endswith("versions : vote (BP voté en AG), revise (BP révisé)")


def test_budget_invalide_a_la_revision(communs: Callable[..., Any], asso: Path) -> None:
    budget = asso / "budgets" / "2026.yaml"
    broken = VOTE.replace('{compte: "756", montant: 3000}', '{compte: "756", montant: trois}')
    budget.write_text(broken, encoding="utf-8")
    _git(asso, "init", "-q")
    _commit_all(asso, "Budget erroné")
    budget.write_text(VOTE, encoding="utf-8")
    line = 1 + broken.splitlines().index('      - {compte: "756", montant: trois}')
    message = _failure(communs, "HEAD:", "vote")
    assert message.startswith(
        "Erreur : le budget à la révision « HEAD » contient 1 erreur(s) "
        f"HEAD:budgets/2026.yaml:{line}: "
    )
    assert "doit être un nombre" in message


def test_load_budget_text_nomme_la_source(asso: Path) -> None:
    exercice = Exercice(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    budget, errors = load_budget_text(VOTE + REVISE, "v1:budgets/2026.yaml", exercice, {"JARDINS"})
    assert errors == []
    assert [v.code for v in budget.versions] == ["vote", "revise"]
    line = budget.version("revise").lignes[-1]
    assert str(line.location).startswith("v1:budgets/2026.yaml:")
    _budget, errors = load_budget_text(VOTE, "v1:budgets/2026.yaml", exercice, set())
    assert [str(e) for e in errors] == [
        "v1:budgets/2026.yaml:10: projet « JARDINS » inconnu (aucun projet déclaré)"
    ]


def test_profil_abandonne_par_la_revision(communs: Callable[..., Any], asso: Path) -> None:
    """A revision that rewrites a line without its seasonal profile makes it uniform:
    the comparison says so, even when the amount is unchanged."""
    (asso / "budgets" / "2026.yaml").write_text(
        """\
versions:
  - code: vote
    nom: BP voté en AG
    date: 2026-03-14
    lignes:
      - {compte: "756", montant: 1200, profil: {mois: [1, 9]}}
      - {compte: "6064", montant: 1200, profil: {saisonnier: [6, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]}}
      - {compte: "645", montant: 1200, profil: {mois: [1, 2]}}
  - code: revise
    nom: BP révisé
    date: 2026-06-20
    base: vote
    lignes:
      - {compte: "756", montant: 1200}
      - {compte: "6064", montant: 1500}
      - {compte: "645", montant: 1200, profil: {mois: [3, 4]}}
""",
        encoding="utf-8",
    )
    data = _compare(communs, "vote", "revise")
    table = _table(data)
    # 756: same 1 200 €, was 600 in January and September, now 100 a month
    assert table["ligne:756"] == (D(1200), D(1200), D(0), D("0.0000"), "profil modifié")
    # 6064: +300 € / 1 200 = 25 %, and the seasonal profile is gone
    assert table["ligne:6064"] == (D(1200), D(1500), D(300), D("0.2500"), "modifiée")
    assert table["ligne:645"][4] == "profil modifié"
    notes = " ".join(data["notes"])
    assert "ligne 756 : profil mois → uniforme — la révision ne reprend pas le profil" in notes
    assert "ligne 6064 : profil saisonnier → uniforme" in notes
    assert "ligne 645 : répartition mensuelle modifiée (profil mois)" in notes
    assert (
        "0 ajoutée(s), 0 supprimée(s), 1 modifiée(s), 0 identique(s), 2 au profil modifié." in notes
    )
