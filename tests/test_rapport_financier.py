"""The treasurer's financial report (``communs rapport-financier``) on the small ledger of
tests/livre_comptes_annuels.py (2024 and 2025), with two budgets and a comments file
written here: every figure computed by hand (in the comments), their consistency with the
bilan, the compte de résultat and the diagnostic, the placement of the comments, and the
escaping of what the treasurer writes (the PDF: tests/test_rapport_financier_pdf.py).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.assemblee.commentaires import FIN, INTRODUCTION, lire_commentaires
from communs_ledger.assemblee.rapport_financier import (
    SECTIONS,
    RapportFinancier,
    compute_rapport_financier,
)
from communs_ledger.budget.fichier import load_budgets
from communs_ledger.chargement import load_livre
from communs_ledger.rapports.bilan import compute_bilan
from communs_ledger.rapports.diagnostic import compute_diagnostic
from communs_ledger.rapports.resultat import compute_compte_de_resultat
from communs_ledger.rapports.source import Source
from conftest import EXEMPLE
from livre_comptes_annuels import CONFIG
from livre_comptes_annuels import ecrire_livre as _ledger

D = Decimal

# 2025, as voted then revised; the report compares the réalisé with the revised version.
BUDGET_2025 = """\
versions:
  - code: vote
    nom: BP voté
    date: 2025-03-01
    lignes:
      - {compte: "60", montant: 2000}
      - {compte: "61", montant: 500}
      - {compte: "74", montant: 3000}
      - {compte: "706", montant: 1000}
  - code: revise
    nom: BP révisé
    date: 2025-06-01
    base: vote
    lignes:
      - {compte: "60", montant: 3000}
"""
# 2026: the report shows the version put to the vote (the first), not the revision.
BUDGET_2026 = """\
versions:
  - code: vote
    nom: BP 2026 soumis à l'AG
    date: 2026-04-01
    lignes:
      - {compte: "60", montant: 4000}
      - {compte: "615", montant: 800}
      - {compte: "74", montant: 4500}
      - {compte: "706", montant: 1500}
  - code: revise
    nom: BP 2026 révisé
    date: 2026-09-01
    base: vote
    lignes:
      - {compte: "60", montant: 9000}
"""
COMMENTAIRES = """\
Chers adhérents, l'année 2025 est celle du **vélo cargo**.

## La trésorerie

La trésorerie reste *confortable* : <script>alert("x")</script> & [lien](javascript:alert(1)).

![logo](http://exemple.invalid/logo.png)

```
## pas un titre : dans un bloc de code
```

## fonds dedies

Le projet P se poursuit.

## Trésorie <img src=x onerror=alert(1)>

Titre mal écrit.

## Conclusion

Merci à tous.
"""


def _livre(folder: Path, commentaires: str | None = COMMENTAIRES) -> Path:
    main = _ledger(folder)
    (folder / "budgets").mkdir()
    (folder / "budgets" / "2025.yaml").write_text(BUDGET_2025, encoding="utf-8")
    (folder / "budgets" / "2026.yaml").write_text(BUDGET_2026, encoding="utf-8")
    config = CONFIG.replace(
        "      dettes_a_plus_d_un_an:",
        "      affectation_proposee: {reserves: 1000}\n      dettes_a_plus_d_un_an:",
    )
    config += 'budget:\n  fichiers:\n    "2025": budgets/2025.yaml\n    "2026": budgets/2026.yaml\n'
    (folder / "communs.yaml").write_text(config, encoding="utf-8")
    if commentaires is not None:
        (folder / "rapport-financier-2025.md").write_text(commentaires, encoding="utf-8")
    return main


def _source(main: Path) -> Source:
    livre = load_livre(main)
    assert livre.ok, livre.diagnostics
    return Source.from_livre(livre)


def _rapport(main: Path, code: str = "2025") -> tuple[Source, RapportFinancier]:
    source = _source(main)
    budgets = load_budgets(source.context)
    assert not budgets.erreurs, budgets.erreurs
    return source, compute_rapport_financier(source, budgets, source.exercice(code))


def _postes(postes) -> dict[str, tuple[Decimal, Decimal | None]]:
    return {p.id: (p.n, p.n1) for p in postes}


def test_chiffres_computed_by_hand(tmp_path: Path) -> None:
    rf = _rapport(_livre(tmp_path))[1]
    c, c1 = rf.chiffres, rf.chiffres_n1
    assert c1 is not None
    # 2025: produits 2 500 (789) + 3 000 (74) + 1 200 (706) = 6 700; charges 2 500 (60)
    # + 600 (61) + 1 000 (provision) + 900 (dotation) = 5 000; résultat 1 700.
    # 2024: produits 10 000 + 500 = 10 500; charges 4 000 + 6 000 (report) = 10 000.
    assert (c.produits, c.charges, c.resultat) == (D("6700"), D("5000"), D("1700"))
    assert (c1.produits, c1.charges, c1.resultat) == (D("10500"), D("10000"), D("500"))
    # Fonds propres: the 20 000 contributed + 500 (2024) + 1 700 (2025).
    assert (c.fonds_propres, c1.fonds_propres) == (D("22200"), D("20500"))
    # Bank: 2024 20 000 + 500 + 10 000 − 4 000 = 26 500; 2025 − 3 600 − 2 500 + 10 000.
    assert (c.tresorerie, c1.tresorerie) == (D("30400"), D("26500"))
    # Fonds dédiés: 6 000 reported in 2024, 2 500 used in 2025.
    assert (c.fonds_dedies, c1.fonds_dedies) == (D("3500"), D("6000"))


def test_where_the_money_came_from_and_went(tmp_path: Path) -> None:
    rf = _rapport(_livre(tmp_path))[1]
    # Resources by origin (zero rows left out); the fonds dédiés used (789) are not a new
    # resource: their own row, so that the rows add up to the produits.
    assert _postes(rf.ressources) == {
        "subventions_publiques": (D("3000"), D("10000")),
        "cotisations": (D("0"), D("500")),
        "ventes_prestations": (D("1200"), D("0")),
        "hors_ressources": (D("2500"), D("0")),
    }
    assert (rf.total_ressources.n, rf.total_ressources.n1) == (D("6700"), D("10500"))
    assert _postes(rf.subventions_par_type) == {
        "commune": (D("3000"), D("0")),
        "region": (D("0"), D("10000")),
    }
    assert _postes(rf.financeurs) == {"financeur:Ville de Test": (D("3000"), D("0"))}
    # 86/87: 5 000 of volunteering and 300 of donated parts, apart from the total.
    assert rf.contributions_volontaires.n == D("5300")
    # Charges by nature: 60 (4 000 then 2 500), 61 (600), 68 (6 000 report in 2024;
    # 1 000 provision + 900 dotation in 2025).
    assert _postes(rf.charges) == {
        "60": (D("2500"), D("4000")),
        "61": (D("600"), D("0")),
        "68": (D("1900"), D("6000")),
    }
    assert (rf.total_charges.n, rf.total_charges.n1) == (D("5000"), D("10000"))
    # Project P: the 2 500 of tools; the rest carries no project.
    assert [(p.code, p.produits, p.charges, p.resultat) for p in rf.projets] == [
        ("P", D("0"), D("2500"), D("-2500")),
        (None, D("6700"), D("2500"), D("4200")),
    ]


def test_result_budgets_fonds_dedies_and_cash(tmp_path: Path) -> None:
    rf = _rapport(_livre(tmp_path))[1]
    # The board proposes 1 000 to réserves: the rest, 700, to report à nouveau.
    a = rf.affectation
    assert (a.resultat, a.reserves, a.report_a_nouveau, a.origine) == (
        D("1700"),
        D("1000"),
        D("700"),
        "proposee",
    )
    # Budget 2025, revised version: charges 3 000 + 500, produits 3 000 + 1 000; réalisé as
    # the compte de résultat (accounts without a line included).
    b = rf.budget
    assert b is not None and b.version == "BP révisé"
    assert (b.charges_budget, b.produits_budget, b.resultat_budget) == (
        D("3500"),
        D("4000"),
        D("500"),
    )
    assert (b.charges_realise, b.produits_realise, b.resultat_realise) == (
        D("5000"),
        D("6700"),
        D("1700"),
    )
    # Budget 2026 as put to the vote: produits 4 500 + 1 500, charges 4 000 + 800.
    s = rf.budget_suivant
    assert s is not None and s.version == "BP 2026 soumis à l'AG"
    assert _postes(s.produits) == {"70": (D("1500"), None), "74": (D("4500"), None)}
    assert _postes(s.charges) == {"60": (D("4000"), None), "61": (D("800"), None)}
    assert (s.total_produits, s.total_charges, s.resultat) == (D("6000"), D("4800"), D("1200"))
    # Fonds dédiés of REG-P: 6 000 at the opening, 2 500 used, 3 500 left.
    assert rf.fonds_dedies is not None
    fonds = [
        (f.reference, f.ouverture, f.reports, f.utilisations, f.cloture) for f in rf.fonds_dedies
    ]
    assert fonds == [("REG-P", D("6000"), D("0"), D("2500"), D("3500"))]
    # Cash at each month end: 2025 (vélo in April, tools in June, loan in November) and
    # 2024 (contribution in January, cotisations in February, Région in April, benches
    # in May).
    n = [m.n for m in rf.tresorerie]
    n1 = [m.n1 for m in rf.tresorerie]
    assert n == [D(x) for x in [26500] * 3 + [22900] * 2 + [20400] * 5 + [30400] * 2]
    assert n1 == [D(x) for x in [20000, 20500, 20500, 30500] + [26500] * 8]
    # Months of charges in reserve: 30 400 / ((5 000 − 900 dotation − 1 000 provision)
    # / 12) = 117.677…
    assert rf.mois_de_reserve is not None
    assert rf.mois_de_reserve.quantize(D("0.001")) == D("117.677")
    assert rf.a_completer == ()


def test_indicators_and_their_reading(tmp_path: Path) -> None:
    rf = _rapport(_livre(tmp_path))[1]
    found = {i.id: i for i in rf.indicateurs}
    # FR: 22 200 + 3 500 + 1 000 (provision) + 10 000 (loan) − 2 700 (VNC) = 34 000;
    # BFR: 1 200 + 3 000 − 600 = 3 600; CAF: 1 700 + 1 900 − 2 500 = 1 100;
    # fonds propres 22 200 × 12 / 5 000 = 53.28 months.
    assert found["fonds_de_roulement"].n == D("34000")
    assert found["besoin_en_fonds_de_roulement"].n == D("3600")
    assert found["capacite_autofinancement"].n == D("1100")
    assert found["fonds_propres_mois"].n == D("53.28")
    assert found["fonds_propres_mois"].statut == "ok"
    assert found["fonds_propres_mois"].lecture == (
        "Fonds propres en mois de charges : 53,3\u00a0mois (24,6\u00a0mois en 2024). Nombre "
        "de mois d'activité que les fonds propres couvriraient. Dans la zone saine (repère : "
        "ok ≥ 3\u00a0mois ; à surveiller de 1 à 3\u00a0mois ; alerte < 1\u00a0mois)."
    )
    # 3 000 / 6 700 of produits d'exploitation.
    assert "44,8\u00a0%" in found["part_subventions_publiques"].lecture


def test_figures_equal_the_statements(tmp_path: Path) -> None:
    source, rf = _rapport(_livre(tmp_path))
    exercice = source.exercice("2025")
    cr = compute_compte_de_resultat(source, exercice)
    bilan = compute_bilan(source, exercice)
    diagnostic = compute_diagnostic(source, exercice)
    assert rf.chiffres.resultat == cr.n.resultat_net == bilan.n.resultat_net
    assert rf.chiffres.produits == cr.n.total_produits == rf.total_ressources.n
    assert rf.chiffres.charges == cr.n.total_charges == rf.total_charges.n
    assert rf.chiffres.fonds_propres == bilan.n.fonds_propres
    assert rf.chiffres.tresorerie == diagnostic.n.tresorerie_constatee == rf.tresorerie[-1].n
    assert rf.affectation.resultat == rf.chiffres.resultat
    assert rf.affectation.reserves + rf.affectation.report_a_nouveau == rf.chiffres.resultat
    assert sum((p.resultat for p in rf.projets), D(0)) == rf.chiffres.resultat
    assert rf.budget is not None and rf.budget.resultat_realise == rf.chiffres.resultat
    assert rf.fonds_dedies is not None
    assert sum((f.cloture for f in rf.fonds_dedies), D(0)) == bilan.n.fonds_dedies
    # The N-1 column is the report of 2024.
    _s, previous = _rapport(tmp_path / "main.beancount", "2024")
    assert rf.chiffres_n1 is not None
    assert [getattr(rf.chiffres_n1, k) for k in ("produits", "charges", "resultat")] == [
        getattr(previous.chiffres, k) for k in ("produits", "charges", "resultat")
    ]
    assert [m.n1 for m in rf.tresorerie] == [m.n for m in previous.tresorerie]


def test_comments_are_placed_where_their_heading_says(tmp_path: Path) -> None:
    fichier = tmp_path / "commentaires.md"
    fichier.write_text(COMMENTAIRES, encoding="utf-8")
    found = lire_commentaires(fichier, SECTIONS)
    assert [(c.apres, c.titre, c.ligne) for c in found.morceaux] == [
        (INTRODUCTION, None, 1),
        ("tresorerie", "La trésorerie", 3),
        ("fonds_dedies", "fonds dedies", 13),
        (FIN, "Trésorie <img src=x onerror=alert(1)>", 17),
        (FIN, "Conclusion", 21),
    ]
    # The heading in the code block stays in the comment of « La trésorerie ».
    assert "## pas un titre" in found.morceaux[1].texte
    assert found.inconnus == (
        "commentaires.md:17: « Trésorie <img src=x onerror=alert(1)> » ne nomme aucune "
        "partie du rapport : texte placé à la fin (parties : " + ", ".join(SECTIONS.values()) + ")",
    )


def test_report_json_follows_the_sections(tmp_path: Path, communs) -> None:
    main = _livre(tmp_path)
    result = communs("rapport-financier", "-f", str(main), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["totaux"]["resultat"] == "1700.00"
    assert doc["totaux_par_colonne"]["n1"]["tresorerie"] == "26500.00"
    assert doc["totaux"]["reserves"] == "1000.00"
    assert doc["meta"]["mois_de_reserve"] == "117.7"
    sections = {s["id"]: s for s in doc["meta"]["sections"]}
    assert list(sections) == ["introduction", *SECTIONS, "fin"]
    assert sections["tresorerie"]["parties"] == ["tresorerie", "commentaire_tresorerie"]
    assert sections["tresorerie"]["graphiques"] == ["tresorerie"]
    assert sections["fin"]["parties"] == ["commentaire_fin", "commentaire_fin_1"]
    assert any("Trésorie" in w for w in doc["avertissements"])


def test_html_places_charts_and_comments_and_escapes(tmp_path: Path, communs) -> None:
    main = _livre(tmp_path)
    html = tmp_path / "rapport.html"
    result = communs("rapport-financier", "-f", str(main), "-e", "2025", "--sortie", str(html))
    assert result.exit_code == 0, result.output
    assert "Rapport écrit dans" in result.output
    assert "excédent 1 700,00 €" in result.output.replace("\u202f", " ").replace("\xa0", " ")
    page = html.read_text(encoding="utf-8")
    # Sections in order; in « La trésorerie », the table, the curve, then the comment.
    starts = [page.index(f'data-section="{s}"') for s in ("introduction", *SECTIONS, "fin")]
    assert starts == sorted(starts)
    tresorerie = page[
        page.index('data-section="tresorerie"') : page.index('data-section="diagnostic"')
    ]
    assert tresorerie.index('data-partie="tresorerie"') < tresorerie.index(
        'data-graphique="tresorerie"'
    ) < tresorerie.index('data-partie="commentaire_tresorerie"')  # fmt: skip
    assert page.count("<svg") == 3  # ressources and charges bars, cash curve
    assert "<strong>vélo cargo</strong>" in page and "<em>confortable</em>" in page
    # What the treasurer writes is escaped: no script, no event handler, no javascript:
    # link, no remote image.
    assert "<script" not in page and "onerror=" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in page
    assert 'href="javascript' not in page and "<img" not in page
    assert "Trésorie &lt;img src=x onerror=alert(1)&gt;" in page
    # Every named total of the report, French formatting.
    text = re.sub(r"<[^>]+>", " ", page).replace("\u202f", " ").replace("\xa0", " ")
    for shown in ("6 700,00 €", "5 000,00 €", "1 700,00 €", "22 200,00 €", "30 400,00 €"):
        assert shown in text, shown


# A comment with a level 3 heading, a list, bold, a link, and escape sequences that would
# clear the screen, retitle the window, ring the bell, or colour the text (CSI, 8-bit CSI).
MARKDOWN_TERMINAL = (
    "Bonne année, **vraiment**.\x1b[2J\x1b]0;pirate\x07\n\n"
    "## La trésorerie\n\n"
    "### Points forts\n\n"
    "- un **excédent** de *1 700 €*\n"
    "- une [caisse](https://exemple.org/caisse) \x9b31mbien tenue\x1b[0m\n"
)


def test_terminal_renders_the_comments_as_markdown(tmp_path: Path, communs) -> None:
    from communs_ledger.assemblee.rapport import build_rapport_financier
    from communs_ledger.rendu.en_terminal import render

    main = _livre(tmp_path, commentaires=MARKDOWN_TERMINAL)
    result = communs("rapport-financier", "-f", str(main), "-e", "2025", "--format", "table")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    intro = lines.index("Le mot du trésorier")
    assert lines[intro + 1] == "Bonne année, vraiment."  # no « • », no ** marks
    comment = lines.index("Commentaire du trésorier")
    assert [line.strip() for line in lines[comment + 1 : comment + 6] if line.strip()] == [
        "Points forts",  # the ### heading, without its marks
        "• un excédent de 1 700 €",
        "• une caisse (https://exemple.org/caisse) bien tenue",  # the address shown
    ]
    for mark in ("**", "###", "- un", "](", "\x1b", "\x07", "\x9b"):
        assert mark not in result.stdout, mark
    # In colour, rich's own sequences only: none of the comment's.
    source, rf = _rapport(main)
    coloured = render(build_rapport_financier(rf, source), couleur=True)
    assert "\x1b[1m" in coloured  # colour is on
    for injected in ("\x1b[2J", "\x1b]0;", "\x07", "\x9b", "pirate\x07"):
        assert injected not in coloured, repr(injected)
    # JSON keeps the text as written (a machine output; the CSV holds the tables only).
    result = communs("rapport-financier", "-f", str(main), "-e", "2025", "--format", "json")
    notes = {p["id"]: p["notes"] for p in json.loads(result.stdout)["parties"]}
    assert notes["commentaire_tresorerie"] == [
        "### Points forts\n\n- un **excédent** de *1 700 €*\n"
        "- une [caisse](https://exemple.org/caisse) \x9b31mbien tenue\x1b[0m"
    ]


def test_missing_inputs_are_a_completer(tmp_path: Path, communs) -> None:
    main = _ledger(tmp_path)  # no budget, no proposal, no comments
    result = communs("rapport-financier", "-f", str(main), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["meta"]["a_completer"] == [
        "budget de l'exercice 2025 (budget vs réalisé)",
        # the command that works without any budget (« -e 2026 » was a usage error)
        "budget prévisionnel de l'exercice 2026, à soumettre au vote de l'AG (communs budget "
        "nouveau 2026 --depuis realise)",
        'proposition d\'affectation du résultat (comptes_annuels.exercices."2025".'
        "affectation_proposee : reserves, report_a_nouveau) ; par défaut, tout le résultat "
        "en report à nouveau",
        "commentaires du trésorier : écrivez-les dans rapport-financier-2025.md, à côté du "
        "grand livre (Markdown ; un titre « ## Trésorerie » place son texte après cette partie)",
    ]
    assert "À compléter (4)" in result.output
    parties = {p["id"]: p for p in doc["parties"]}
    assert parties["budget_suivant"]["notes"][0].startswith(
        "À compléter : budget prévisionnel 2026"
    )
    assert doc["totaux"]["report_a_nouveau"] == "1700.00"


def test_comments_file_named_in_communs_yaml_and_wrong_proposal(tmp_path: Path, communs) -> None:
    main = _livre(tmp_path, commentaires=None)
    (tmp_path / "ag").mkdir()
    (tmp_path / "ag" / "tresorier.md").write_text("## Budget\n\nVoté à l'unanimité.\n", "utf-8")
    config = (tmp_path / "communs.yaml").read_text(encoding="utf-8")
    config = config.replace(
        "comptes_annuels:\n", 'comptes_annuels:\n  rapports_financiers: {"2025": ag/tresorier.md}\n'
    )
    (tmp_path / "communs.yaml").write_text(config, encoding="utf-8")
    result = communs("rapport-financier", "-f", str(main), "-e", "2025", "--format", "json")
    assert result.exit_code == 0, result.output
    sections = {s["id"]: s for s in json.loads(result.stdout)["meta"]["sections"]}
    assert sections["budget"]["parties"] == ["budget", "commentaire_budget"]
    # A proposal that does not add up to the result: refused, where it is written.
    (tmp_path / "communs.yaml").write_text(
        config.replace("{reserves: 1000}", "{reserves: 1000, report_a_nouveau: 1000}"), "utf-8"
    )
    result = communs("rapport-financier", "-f", str(main), "-e", "2025")
    assert result.exit_code == 1
    assert "communs.yaml:" in result.output and "rien n'est écrit" not in result.output.lower()
    assert "affectation proposée" in result.output and "1 700,00" in result.output.replace(
        "\u202f", " "
    ).replace("\xa0", " ")


@pytest.mark.parametrize("exercice", ["2024"])
def test_report_without_previous_exercice(tmp_path: Path, communs, exercice: str) -> None:
    main = _livre(tmp_path)
    result = communs("rapport-financier", "-f", str(main), "-e", exercice, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert "n1" not in doc["totaux_par_colonne"]
    assert doc["totaux"]["resultat"] == "500.00"
    # The budget of 2025 is the next one here.
    suivant = next(p for p in doc["parties"] if p["id"] == "budget_suivant")
    total = next(r for r in suivant["lignes"] if r.get("id") == "resultat")
    assert total["valeurs"]["montant"] == "1500.00"  # vote: 4 000 − (2 000 + 500)


AFFECTATION_2024 = """
2025-01-01 open Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur
2025-01-01 open Fonds-propres:10-Fonds-propres:1068-Reserves-pour-projet

2025-06-14 * "Affectation du résultat de l'exercice 2024 (AG du 14/06/2025)"
  affectation: "2024"
  Fonds-propres:11-Report-a-nouveau:110-Report-a-nouveau-crediteur  200.00 EUR
  Fonds-propres:10-Fonds-propres:1068-Reserves-pour-projet  -200.00 EUR
"""


def test_affectation_booked_after_the_vote(tmp_path: Path) -> None:
    main = _livre(tmp_path)
    with (tmp_path / "2025.beancount").open("a", encoding="utf-8") as ledger:
        ledger.write(AFFECTATION_2024)
    rf = _rapport(main, "2024")[1]
    # The AG put 200 of the 500 of 2024 to réserves: 300 stay in report à nouveau.
    a = rf.affectation
    assert (a.resultat, a.reserves, a.report_a_nouveau, a.origine) == (
        D("500"),
        D("200"),
        D("300"),
        "votee",
    )
    assert a.date is not None and a.date.isoformat() == "2025-06-14"
    assert not any("affectation" in item for item in rf.a_completer)


def test_example_association(communs) -> None:
    """The example: its 2025 report matches its statements (docs/rapport-financier.md),
    its comments are all placed, and 2026, in progress, says so."""
    source, rf = _rapport(EXEMPLE)
    exercice = source.exercice("2025")
    cr = compute_compte_de_resultat(source, exercice)
    assert rf.chiffres.resultat == cr.n.resultat_net == D("-1174.31")
    assert rf.total_ressources.n == cr.n.total_produits
    assert rf.total_charges.n == cr.n.total_charges
    assert rf.tresorerie[-1].n == rf.chiffres.tresorerie == D("53780.35")
    assert (rf.affectation.origine, rf.affectation.report_a_nouveau) == ("proposee", D("-1174.31"))
    assert rf.a_completer == () and rf.commentaires.inconnus == ()
    assert [c.apres for c in rf.commentaires.morceaux] == [
        INTRODUCTION,
        "ressources",
        "resultat",
        "tresorerie",
        "budget_suivant",
        FIN,
    ]
    assert rf.budget_suivant is not None and rf.budget_suivant.resultat == D("-894")
    result = communs("rapport-financier", "-f", str(EXEMPLE), "-e", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["avertissements"][0].startswith("Exercice 2026 en cours")


def test_months_in_reserve_note_counts_the_charges_not_yet_paid(tmp_path: Path) -> None:
    from communs_ledger.assemblee.rapport import build_rapport_financier

    source, rf = _rapport(_livre(tmp_path))
    parties = {p.id: p for p in build_rapport_financier(rf, source).parties}
    note = parties["tresorerie"].notes[-1]
    # 30 400 / ((5 000 − 900 − 1 000) / 12) = 117.7 months: the 5 000 of charges include
    # the 600 of maintenance still owed to the supplier (401), so the note must not say
    # « payées » alone: a treasurer dividing by the charges actually paid would find 145.9.
    assert "117,7 mois" in note
    assert "payées ou non" in note and "payées," not in note
