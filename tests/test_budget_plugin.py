"""The budget plugin through the real loader: Fava's budgets, the budget rules as
warnings, ``communs verifier`` and Beancount's pickle cache.

Every figure is computed by hand in the comments. Fava's budgets are read back
through Fava's own API (``FavaLedger(path).budgets``); Fava divides a period's
amount by its number of days, so its sums are compared to the cent.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

from communs_ledger.erreurs import avertissements_de, is_warning
from communs_ledger.formatage import montant
from conftest import BANQUE, VENV_BIN, Found, errors_of, one_line, write_ledger

D = Decimal
PC = "\u00a0%"  # as formatage writes percentages
PLUGINS = 'plugin "communs_plugins.plan_comptable"\nplugin "communs_plugins.budget"\n'
PLAN_SEUL = 'plugin "communs_plugins.plan_comptable"\n\n'  # same line numbers, no budget plugin

HONORAIRES = "Charges:62-Autres-services-exterieurs:6226-Honoraires"
DEPLACEMENTS = "Charges:62-Autres-services-exterieurs:6251-Voyages-et-deplacements"
CHAPITRE_62 = "Charges:62-Autres-services-exterieurs"
FOURNITURES = "Charges:60-Achats:6064-Fournitures-administratives"
SALAIRES = "Charges:64-Charges-de-personnel:6411-Salaires"
PERSONNEL = "Charges:64-Charges-de-personnel"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
SUBVENTIONS = "Produits:74-Subventions:741-Subventions-d-exploitation"
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
ACCOUNTS = (BANQUE, HONORAIRES, DEPLACEMENTS, FOURNITURES, SALAIRES, COTISATIONS, REGION)

CONFIG = """\
projets:
  - code: JARDINS
    nom: Jardins partagés
  - code: ECOLE
    nom: Jardiner à l'école
budget:
  fichiers:
    "{exercice}": budgets/budget.yaml
"""
REGLES_LINE = 9  # "  regles:" when rules are given
BUDGET_HEAD = """\
versions:
  - code: vote
    nom: BP voté en AG
    date: 2026-03-14
    lignes:
"""  # the first line item is at line 6


Posting = tuple[str, str, str, str | None]  # date, account, amount, project


def _body(postings: list[Posting], opening: str = "2025-01-01") -> str:
    lines = [
        f"{opening} open {account}" + (" EUR" if account == BANQUE else "") for account in ACCOUNTS
    ]
    for day, account, amount, projet in postings:
        lines += ["", f'{day} * "Écriture"']
        if projet:
            lines.append(f'  projet: "{projet}"')
        lines += [f"  {account}  {amount} EUR", f"  {BANQUE}"]
    return "\n".join(lines) + "\n"


def _write(
    folder: Path,
    postings: list[Posting],
    lignes: str,
    *,
    regles: str = "",
    exercice: str = "2026",
    config_extra: str = "",
    plugin: str = PLUGINS,
    opening: str = "2025-01-01",
) -> Path:
    """Ledger + config + ``budgets/budget.yaml`` (one version, ``lignes`` under it)."""
    config = CONFIG.format(exercice=exercice)
    if regles:
        config += "  regles:\n" + textwrap.indent(textwrap.dedent(regles), "    ")
    path = write_ledger(
        folder, _body(postings, opening), plugin=plugin, config=config + config_extra
    )
    budget = folder / "budgets" / "budget.yaml"
    budget.parent.mkdir(exist_ok=True)
    budget.write_text(BUDGET_HEAD + textwrap.indent(textwrap.dedent(lignes), "      "), "utf-8")
    return path


def _warnings(path: Path) -> list[Found]:
    """The warnings of a load; fails if there are errors."""
    entries, errors, _options = loader.load_file(str(path))
    assert errors == []  # the rules' findings are warning entries, never errors
    return errors_of(avertissements_de(entries))


def _messages(path: Path) -> list[str]:
    return [found.message for found in _warnings(path)]


def _cent(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"))


# --- Fava's budgets -----------------------------------------------------------------------

FAVA_LIGNES = """\
- compte: "6226"
  montant: 6000
- compte: "62"
  montant: 1200
- compte: "641"
  montant: 78000
- compte: "741"
  projet: JARDINS
  montant: 20000
  profil: {mois: {3: 10000, 9: 10000}}
- compte: "741"
  montant: 4000
- compte: "7412"
  montant: 5000
  profil: {dates: {2026-05-15: 5000}}
- compte: "756"
  montant: 1200
- compte: "756"
  projet: JARDINS
  montant: 300
  profil: {dates: {2026-06-15: 300}}
- compte: "6583"
  montant: 500
"""
# Line of each budget line in the file: 6226 → 6, 62 → 8, 641 → 10, 741 JARDINS → 12,
# 741 → 16, 7412 → 18, 756 → 21, 756 JARDINS → 23, 6583 → 27.


@pytest.fixture
def fava_ledger(tmp_path: Path) -> Any:
    from fava.core import FavaLedger

    path = _write(
        tmp_path,
        [("2026-02-10", COTISATIONS, "-450.00", None), ("2026-03-02", HONORAIRES, "800.00", None)],
        FAVA_LIGNES,
    )
    return FavaLedger(str(path))


Y2026 = (datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))


def _fava(ledger: Any, account: str, begin: datetime.date, end: datetime.date, children=False):
    module = ledger.budgets
    found = (module.calculate_children if children else module.calculate)(account, begin, end)
    return {currency: _cent(number) for currency, number in found.items()}


def test_fava_total_annuel_par_compte(fava_ledger: Any) -> None:
    assert fava_ledger.budgets.errors == []
    # One account per line code; lines with a project summed with the others (no projects
    # in Fava); produits negative, like their balances.
    assert _fava(fava_ledger, HONORAIRES, *Y2026) == {"EUR": D("6000.00")}
    assert _fava(fava_ledger, CHAPITRE_62, *Y2026) == {"EUR": D("1200.00")}
    assert _fava(fava_ledger, f"{PERSONNEL}:641", *Y2026) == {"EUR": D("78000.00")}
    assert _fava(fava_ledger, SUBVENTIONS, *Y2026) == {"EUR": D("-24000.00")}  # 20000 + 4000
    assert _fava(fava_ledger, REGION, *Y2026) == {"EUR": D("-5000.00")}
    assert _fava(fava_ledger, COTISATIONS, *Y2026) == {"EUR": D("-1500.00")}  # 1200 + 300
    # The 6583 line reaches no account of the ledger: no Fava budget (Σ charges without it).
    assert _fava(fava_ledger, "Charges", *Y2026, children=True) == {"EUR": D("85200.00")}
    assert _fava(fava_ledger, "Produits", *Y2026, children=True) == {"EUR": D("-30500.00")}


def test_fava_ligne_sur_un_chapitre(fava_ledger: Any) -> None:
    # The line on 62 goes to the chapter account (it exists only as the parent of 6226 and
    # 6251); Fava adds the budgets of its children: 1200 + 6000.
    assert _fava(fava_ledger, CHAPITRE_62, *Y2026, children=True) == {"EUR": D("7200.00")}
    assert _fava(fava_ledger, DEPLACEMENTS, *Y2026) == {}
    # 641 has no account of its own: its name is built under 64, whose roll-up counts it.
    assert _fava(fava_ledger, PERSONNEL, *Y2026) == {}
    assert _fava(fava_ledger, PERSONNEL, *Y2026, children=True) == {"EUR": D("78000.00")}
    assert _fava(fava_ledger, SALAIRES, *Y2026) == {}


def test_fava_mois_et_echeances_datees(fava_ledger: Any) -> None:
    march = (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))
    december = (datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))
    # 741: 10 000 in March for JARDINS + 4000 / 12 = 333.33 (333.37 in December).
    assert _fava(fava_ledger, SUBVENTIONS, *march) == {"EUR": D("-10333.33")}
    assert _fava(fava_ledger, SUBVENTIONS, *december) == {"EUR": D("-333.37")}
    # A dated échéance: the whole amount on its day, nothing the day after.
    may_15 = datetime.date(2026, 5, 15)
    one_day = datetime.timedelta(days=1)
    assert _fava(fava_ledger, REGION, may_15, may_15 + one_day) == {"EUR": D("-5000.00")}
    assert _fava(fava_ledger, REGION, may_15 + one_day, Y2026[1]) == {"EUR": D("0.00")}
    assert _fava(fava_ledger, REGION, Y2026[0], may_15) == {}
    # 756: 100 a month, and 300 on 15 June for JARDINS (same account): June = 400, the
    # 15th alone 100 / 30 + 300 = 303.33.
    june = (datetime.date(2026, 6, 1), datetime.date(2026, 7, 1))
    june_15 = datetime.date(2026, 6, 15)
    assert _fava(fava_ledger, COTISATIONS, *june) == {"EUR": D("-400.00")}
    assert _fava(fava_ledger, COTISATIONS, june_15, june_15 + one_day) == {"EUR": D("-303.33")}
    # After the exercice, every budget is reset to zero.
    assert _fava(fava_ledger, HONORAIRES, datetime.date(2027, 1, 1), datetime.date(2028, 1, 1)) == {
        "EUR": D("0.00")
    }


def test_fava_signe_des_produits_comme_leur_solde(fava_ledger: Any) -> None:
    # Fava shows budget − balance: a produits budget has the sign of a produits balance.
    balance = sum(
        posting.units.number
        for entry in fava_ledger.all_entries
        if isinstance(entry, data.Transaction)
        for posting in entry.postings
        if posting.account == COTISATIONS
    )
    assert balance == D("-450.00")
    budget = _fava(fava_ledger, COTISATIONS, *Y2026)["EUR"]
    assert budget == D("-1500.00")
    assert budget - balance == D("-1050.00")  # still to receive, as Fava's diff shows it
    charges = _fava(fava_ledger, HONORAIRES, *Y2026)["EUR"]
    assert charges - D("800.00") == D("5200.00")  # still to spend


def test_fava_entrees_et_leur_origine(fava_ledger: Any, tmp_path: Path) -> None:
    budget_file = str(tmp_path / "budgets" / "budget.yaml")
    customs = [
        e for e in fava_ledger.all_entries if isinstance(e, data.Custom) and e.type == "budget"
    ]

    def of(account: str) -> list[tuple[str, str, str, int]]:
        return [
            (e.date.isoformat(), e.values[1].value, f"{e.values[2].value.number}", e.meta["lineno"])
            for e in customs
            if e.values[0].value == account
        ]

    assert of(REGION) == [("2026-05-15", "daily", "-5000", 18), ("2026-05-16", "daily", "0", 18)]
    assert of(HONORAIRES) == [
        *[(f"2026-{month:02d}-01", "monthly", "500.00", 6) for month in range(1, 13)],
        ("2027-01-01", "monthly", "0", 6),
    ]
    # 756 on 15 June: the daily 300 of the JARDINS line counts 300 × 30 in a monthly entry
    # (Fava divides it by the 30 days of June): 100 + 9000.
    assert of(COTISATIONS)[5:8] == [
        ("2026-06-01", "monthly", "-100.00", 21),
        ("2026-06-15", "monthly", "-9100.00", 21),
        ("2026-06-16", "monthly", "-100.00", 21),
    ]
    for entry in customs:
        assert entry.meta["communs"] == "budget"
        assert entry.meta["version"] == "vote"
        assert entry.meta["filename"] == budget_file
        assert entry.values[0].dtype == "<AccountDummy>"
    assert not any("6583" in e.values[0].value for e in customs)


def test_fava_premier_exercice_irregulier(tmp_path: Path) -> None:
    from fava.core import FavaLedger

    path = _write(
        tmp_path,
        [("2025-04-02", HONORAIRES, "100.00", None)],
        '- compte: "6226"\n  montant: 2200\n',
        exercice="2025-2026",
        config_extra="exercice:\n  debut: 01-01\n  premier: {debut: 2025-03-15, fin: 2026-12-31}\n",
        opening="2025-03-15",
    )
    ledger = FavaLedger(str(path))
    begin, end = datetime.date(2025, 3, 15), datetime.date(2027, 1, 1)
    # 22 periods of 100: 15–31 March 2025 cut, then April 2025 to December 2026.
    assert _fava(ledger, HONORAIRES, begin, end) == {"EUR": D("2200.00")}
    # The cut month: 100 / 17 days = 5.88 a day for 16 days, 100 − 16 × 5.88 = 5.92 on the 31st.
    march = (begin, datetime.date(2025, 4, 1))
    assert ledger.budgets.calculate(HONORAIRES, *march) == {"EUR": D("100.00")}
    last = datetime.date(2025, 3, 31)
    assert ledger.budgets.calculate(HONORAIRES, last, datetime.date(2025, 4, 1)) == {
        "EUR": D("5.92")
    }
    assert _fava(ledger, HONORAIRES, datetime.date(2026, 1, 1), end) == {"EUR": D("1200.00")}


def test_fava_exercice_non_calendaire(tmp_path: Path) -> None:
    from fava.core import FavaLedger

    path = _write(
        tmp_path,
        [("2025-10-02", HONORAIRES, "100.00", None)],
        '- compte: "6226"\n  montant: 1000\n',
        exercice="2025-2026",
        config_extra='exercice:\n  debut: "01-09"\n',
    )
    ledger = FavaLedger(str(path))
    september, august_end = datetime.date(2025, 9, 1), datetime.date(2026, 9, 1)
    assert _fava(ledger, HONORAIRES, september, august_end) == {"EUR": D("1000.00")}
    # 1000 / 12 = 83.33, August 2026 takes 83.37.
    assert _fava(ledger, HONORAIRES, datetime.date(2026, 8, 1), august_end) == {"EUR": D("83.37")}


# --- The budget rules ---------------------------------------------------------------------

LIGNE_6226 = '- compte: "6226"\n  montant: 1200\n'  # 100 a month; line 6


def _depassement(realise: str, budget: str, ecart: str, seuil: str = "10") -> str:
    return (
        f"Budget 2026, ligne 6226 Honoraires : réalisé {montant(D(realise))} pour un budget à "
        f"date de {montant(D(budget))} (+{ecart}{PC}, seuil {seuil}{PC})"
    )


@pytest.mark.parametrize(("realise", "fires"), [("330.01", True), ("330.00", False)])
def test_depassement_au_seuil(tmp_path: Path, realise: str, fires: bool) -> None:
    # At 31 March: budget to date 3 × 100 = 300; 10 % more is 330.
    path = _write(tmp_path, [("2026-03-31", HONORAIRES, realise, None)], LIGNE_6226)
    expected = [Found("budget.yaml", 6, _depassement(realise, "300", "10,0"))] if fires else []
    assert _warnings(path) == expected


@pytest.mark.parametrize(("realise", "fires"), [("56.78", True), ("56.77", False)])
def test_depassement_au_prorata_du_mois_en_cours(tmp_path: Path, realise: str, fires: bool) -> None:
    # At 16 January: 100 × 16 / 31 = 51.6129…; × 1.10 = 56.7742…
    path = _write(tmp_path, [("2026-01-16", HONORAIRES, realise, None)], LIGNE_6226)
    expected = [_depassement(realise, "51.61", "10,0")] if fires else []
    assert _messages(path) == expected


@pytest.mark.parametrize(("realise", "fires"), [("337.51", True), ("337.50", False)])
def test_depassement_seuil_configure(tmp_path: Path, realise: str, fires: bool) -> None:
    path = _write(
        tmp_path,
        [("2026-03-31", HONORAIRES, realise, None)],
        LIGNE_6226,
        regles="depassement: {seuil: 12.5}\n",
    )
    expected = [_depassement(realise, "300", "12,5", "12,5")] if fires else []
    assert _messages(path) == expected


def test_depassement_budget_a_date_nul(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [("2026-03-31", HONORAIRES, "10.00", None)],
        '- compte: "6226"\n  montant: 1200\n  profil: {mois: [décembre]}\n',
    )
    assert _messages(path) == [
        f"Budget 2026, ligne 6226 Honoraires : réalisé {montant(D(10))} pour un budget à date "
        f"de {montant(D(0))} (seuil 10{PC})"
    ]


PROJET_LIGNES = """\
- compte: "6226"
  projet: JARDINS
  montant: 1200
- compte: "6064"
  projet: JARDINS
  montant: 1200
"""


@pytest.mark.parametrize(("deplacements", "fires"), [("60.01", True), ("60.00", False)])
def test_depassement_des_charges_d_un_projet(
    tmp_path: Path, deplacements: str, fires: bool
) -> None:
    # Budget of JARDINS at 31 March: 300 + 300 = 600, threshold 660. Each line is within
    # its budget (300 each), but the project's 6251 charges (no line: hors budget) count in
    # its total: 300 + 300 + 60.01 = 660.01.
    path = _write(
        tmp_path,
        [
            ("2026-03-31", HONORAIRES, "300.00", "JARDINS"),
            ("2026-03-31", FOURNITURES, "300.00", "JARDINS"),
            ("2026-03-31", DEPLACEMENTS, deplacements, "JARDINS"),
        ],
        PROJET_LIGNES,
        regles="depassement: {seuil: 10}\n",
    )
    total = D("600.00") + D(deplacements)
    expected = (
        [
            Found(
                "communs.yaml",
                REGLES_LINE + 1,
                f"Budget 2026, projet JARDINS « Jardins partagés » : charges réalisées "
                f"{montant(total)} pour un budget à date de {montant(D(600))} "
                f"(+10,0{PC}, seuil 10{PC})",
            )
        ]
        if fires
        else []
    )
    assert _warnings(path) == expected


def test_depassement_d_un_projet_a_une_seule_ligne_signale_une_fois(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [("2026-03-31", HONORAIRES, "400.00", "JARDINS")],
        '- compte: "6226"\n  projet: JARDINS\n  montant: 1200\n',
    )
    assert _messages(path) == [
        f"Budget 2026, ligne 6226 Honoraires (projet JARDINS) : réalisé {montant(D(400))} pour "
        f"un budget à date de {montant(D(300))} (+33,3{PC}, seuil 10{PC})"
    ]


LIGNE_756 = '- compte: "756"\n  montant: 1200\n'  # 100 a month; line 6


def _retard(realise: str, budget: str, ratio: str, seuil: str = "50") -> str:
    return (
        f"Budget 2026, ligne 756 Cotisations : réalisé {montant(D(realise))} pour un budget à "
        f"date de {montant(D(budget))} ({ratio}{PC} du budget à date, seuil {seuil}{PC})"
    )


@pytest.mark.parametrize(("recu", "fires"), [("149.99", True), ("150.00", False)])
def test_produits_en_retard_au_seuil(tmp_path: Path, recu: str, fires: bool) -> None:
    # 31 March: three months ended (apres_mois 3), budget to date 300, 50 % = 150.
    path = _write(tmp_path, [("2026-03-31", COTISATIONS, f"-{recu}", None)], LIGNE_756)
    expected = [Found("budget.yaml", 6, _retard(recu, "300", "50,0"))] if fires else []
    assert _warnings(path) == expected


def test_produits_en_retard_seulement_apres_mois(tmp_path: Path) -> None:
    # 30 March: only two months ended, nothing yet even with nothing received.
    postings: list[Posting] = [("2026-03-30", HONORAIRES, "10.00", None)]
    assert _messages(_write(tmp_path / "a", postings, LIGNE_756)) == []
    # 31 March: three months ended.
    postings = [("2026-03-31", HONORAIRES, "10.00", None)]
    assert _messages(_write(tmp_path / "b", postings, LIGNE_756)) == [_retard("0", "300", "0,0")]
    # apres_mois 2: from the end of February. 30 March: 200 + 100 × 30 / 31 = 296.77.
    postings = [("2026-03-30", HONORAIRES, "10.00", None)]
    path = _write(
        tmp_path / "c", postings, LIGNE_756, regles="produits_en_retard: {apres_mois: 2}\n"
    )
    assert _messages(path) == [_retard("0", "296.77", "0,0")]


def test_projet_sans_budget(tmp_path: Path) -> None:
    postings: list[Posting] = [
        ("2026-02-10", HONORAIRES, "80.00", None),
        ("2026-02-12", FOURNITURES, "120.00", "ECOLE"),
        ("2026-02-13", COTISATIONS, "-50.00", "JARDINS"),  # produits only: not a charge
    ]
    message = (
        f"Budget 2026 : le projet ECOLE « Jardiner à l'école » a {montant(D(120))} de charges "
        "sur l'exercice mais aucune ligne dans le budget"
    )
    # Rules not written in the config: the finding points at its budget section.
    path = _write(tmp_path / "a", postings, LIGNE_6226)
    assert _warnings(path) == [Found("communs.yaml", 6, message)]
    path = _write(
        tmp_path / "b",
        postings,
        LIGNE_6226,
        regles="depassement: {seuil: 10}\nprojet_sans_budget: {}\n",
    )
    assert _warnings(path) == [Found("communs.yaml", REGLES_LINE + 2, message)]
    # A line for the project, even on another account, is enough.
    lignes = LIGNE_6226 + '- compte: "6226"\n  projet: ECOLE\n  montant: 6000\n'
    assert _warnings(_write(tmp_path / "c", postings, lignes)) == []


@pytest.mark.parametrize(("day", "fires"), [("2026-06-30", True), ("2026-06-29", False)])
def test_ligne_sans_realise(tmp_path: Path, day: str, fires: bool) -> None:
    lignes = LIGNE_6226 + '- compte: "6064"\n  montant: 1200\n'  # 6064 at line 8
    path = _write(tmp_path, [(day, HONORAIRES, "500.00", None)], lignes)
    expected = (
        [
            Found(
                "budget.yaml",
                8,
                "Budget 2026, ligne 6064 Fournitures administratives : aucune écriture sur "
                f"l'exercice au 30 juin 2026, après 6 mois (budget annuel {montant(D(1200))}, "
                f"à date {montant(D(600))})",
            )
        ]
        if fires
        else []
    )
    assert _warnings(path) == expected


def test_ligne_sans_realise_seulement_si_un_montant_est_attendu(tmp_path: Path) -> None:
    # A December bonus is not missing in July; a produits line with no entry at all is
    # reported once, as a line without entries (not also as produits en retard).
    lignes = LIGNE_6226 + (
        '- compte: "6064"\n  montant: 1200\n  profil: {mois: [décembre]}\n'
        '- compte: "756"\n  montant: 1200\n'
    )
    path = _write(tmp_path, [("2026-07-31", HONORAIRES, "700.00", None)], lignes)
    assert _warnings(path) == [
        Found(
            "budget.yaml",
            11,
            "Budget 2026, ligne 756 Cotisations : aucune écriture sur l'exercice au 31 juillet "
            f"2026, après 7 mois (budget annuel {montant(D(1200))}, à date {montant(D(700))})",
        )
    ]
    off = _write(
        tmp_path / "off",
        [("2026-07-31", HONORAIRES, "700.00", None)],
        lignes,
        regles="ligne_sans_realise: {actif: false}\n",
    )
    assert _messages(off) == [_retard("0", "700", "0,0")]


@pytest.mark.parametrize(
    "regle",
    ["depassement", "produits_en_retard", "projet_sans_budget", "ligne_sans_realise"],
)
def test_regle_desactivee(tmp_path: Path, regle: str) -> None:
    postings: list[Posting] = [
        ("2026-07-31", HONORAIRES, "1500.00", None),  # budget to date 700: +114 %
        ("2026-07-31", COTISATIONS, "-10.00", None),  # 10 of 700 received
        ("2026-07-31", DEPLACEMENTS, "10.00", "ECOLE"),  # a project without budget
    ]
    lignes = LIGNE_6226 + '- compte: "756"\n  montant: 1200\n- compte: "6064"\n  montant: 1200\n'
    marks = {
        "depassement": "ligne 6226 Honoraires : réalisé",
        "produits_en_retard": "ligne 756 Cotisations : réalisé",
        "projet_sans_budget": "le projet ECOLE",
        "ligne_sans_realise": "ligne 6064 Fournitures administratives : aucune écriture",
    }

    def rules(path: Path) -> set[str]:
        messages = _messages(path)
        found = {rule for rule, mark in marks.items() if any(mark in m for m in messages)}
        assert len(found) == len(messages)
        return found

    assert rules(_write(tmp_path / "on", postings, lignes)) == set(marks)
    off = _write(tmp_path / "off", postings, lignes, regles=f"{regle}: {{actif: false}}\n")
    assert rules(off) == set(marks) - {regle}


def test_seul_l_exercice_courant_est_evalue(tmp_path: Path) -> None:
    # The 2025 budget is overrun in 2025, but the last transaction is in 2026 (no budget).
    path = _write(
        tmp_path,
        [("2025-03-31", HONORAIRES, "900.00", None), ("2026-01-05", HONORAIRES, "10.00", None)],
        LIGNE_6226,
        exercice="2025",
    )
    budget = tmp_path / "budgets" / "budget.yaml"
    budget.write_text(budget.read_text("utf-8").replace("2026-03-14", "2025-03-14"), "utf-8")
    assert _warnings(path) == []
    # Without the 2026 transaction, 2025 is the current exercice.
    path = _write(
        tmp_path / "b", [("2025-03-31", HONORAIRES, "900.00", None)], LIGNE_6226, exercice="2025"
    )
    assert [m.split(" : ")[0] for m in _messages(path)] == ["Budget 2025, ligne 6226 Honoraires"]


def test_les_previsions_ne_comptent_pas(tmp_path: Path) -> None:
    path = _write(tmp_path, [("2026-03-31", HONORAIRES, "330.01", None)], LIGNE_6226)
    text = path.read_text("utf-8") + (
        f'\n2026-12-20 * "Honoraires prévus" #prevision\n  {HONORAIRES}  5000.00 EUR\n  {BANQUE}\n'
    )
    path.write_text(text, "utf-8")
    # The date of the rules stays the last actual transaction, and the forecast is not réalisé.
    assert _messages(path) == [_depassement("330.01", "300", "10,0")]


# --- Reports ignore the Fava entries ------------------------------------------------------


def test_resultat_inchange_avec_le_greffon(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    postings: list[Posting] = [
        ("2026-02-10", COTISATIONS, "-450.00", None),
        ("2026-03-31", HONORAIRES, "800.00", "JARDINS"),
        ("2026-04-30", SALAIRES, "2100.00", None),
    ]
    outputs = {}
    for plugin in (PLUGINS, PLAN_SEUL):
        path = _write(ledger_dir, postings, FAVA_LIGNES, plugin=plugin)
        entries, _errors, _options = loader.load_file(str(path))
        customs = [e for e in entries if isinstance(e, data.Custom)]
        assert bool(customs) == (plugin == PLUGINS)
        for command in ("resultat", "bilan"):
            result = communs(command, "-f", str(path), "--format", "json")
            assert result.exit_code == 0, result.output
            outputs[(plugin, command)] = json.loads(result.stdout)
    for command in ("resultat", "bilan"):
        assert outputs[(PLUGINS, command)] == outputs[(PLAN_SEUL, command)]
    assert outputs[(PLUGINS, "resultat")]["totaux"]["resultat"] == "-2450.00"


# --- communs verifier: warnings apart, exit 0 ---------------------------------------------


def test_verifier_avertissements_seuls(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    _write(ledger_dir, [("2026-03-31", HONORAIRES, "330.01", None)], LIGNE_6226)
    result = communs("verifier")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Avertissements :",
        f"budgets/budget.yaml:6: {_depassement('330.01', '300', '10,0')}",
    ]
    assert one_line(result.stderr) == (
        "✓ Aucune erreur, 1 avertissement : 1 écriture, 7 comptes, exercice 2026 (plan 2025)."
    )
    payload = json.loads(communs("verifier", "--format", "json").stdout)
    assert payload["ok"] is True
    assert payload["nombre_erreurs"] == 0
    assert payload["nombre_avertissements"] == 1
    assert payload["avertissements"] == [
        {
            "fichier": "budgets/budget.yaml",
            "ligne": 6,
            "message": _depassement("330.01", "300", "10,0"),
        }
    ]


def test_verifier_erreurs_et_avertissements(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    lignes = LIGNE_6226 + '- compte: "6000"\n  montant: 100\n'  # unknown code, line 8
    _write(ledger_dir, [("2026-03-31", HONORAIRES, "330.01", None)], lignes)
    result = communs("verifier")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "budgets/budget.yaml:8: compte 6000 inconnu du plan comptable 2025",
        "",
        "Avertissements :",
        f"budgets/budget.yaml:6: {_depassement('330.01', '300', '10,0')}",
    ]
    assert one_line(result.stderr) == (
        "✗ 1 erreur dans 1 fichier (1 écriture lue), 1 avertissement."
    )
    result = communs("verifier", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert (payload["nombre_erreurs"], payload["nombre_avertissements"]) == (1, 1)


def test_verifier_sans_declarer_le_greffon(ledger_dir: Path, communs: Callable[..., Any]) -> None:
    """``communs verifier`` runs the budget checks even when the ledger does not declare them."""
    path = _write(
        ledger_dir, [("2026-03-31", HONORAIRES, "330.01", None)], LIGNE_6226, plugin=PLAN_SEUL
    )
    assert _warnings(path) == []  # Beancount alone: the plugin is not run
    result = communs("verifier")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        f"budgets/budget.yaml:6: {_depassement('330.01', '300', '10,0')}"
    ]


def test_bean_check_sort_a_zero_sur_des_avertissements_seuls(ledger_dir: Path) -> None:
    """A budget overrun is a warning: the real ``bean-check`` prints nothing and exits 0."""
    path = _write(ledger_dir, [("2026-03-31", HONORAIRES, "330.01", None)], LIGNE_6226)
    result = subprocess.run(
        [str(VENV_BIN / "bean-check"), str(path)],
        capture_output=True,
        text=True,
        cwd=ledger_dir,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert _warnings(path) == [Found("budget.yaml", 6, _depassement("330.01", "300", "10,0"))]
    # Control: a real error still makes it fail.
    budget = ledger_dir / "budgets" / "budget.yaml"
    budget.write_text(budget.read_text("utf-8").replace('"6226"', '"60000"'), "utf-8")
    result = subprocess.run(
        [str(VENV_BIN / "bean-check"), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "budget.yaml:6:" in result.stderr + result.stdout


def test_fava_ne_compte_aucune_erreur_et_le_tableau_de_bord_montre_les_avertissements(
    ledger_dir: Path,
) -> None:
    from fava_pages import fava_client, lire_page

    extension = (
        'option "operating_currency" "EUR"\n'
        '2026-01-01 custom "fava-extension" "communs_ledger.fava_ext"\n'
    )
    path = _write(
        ledger_dir,
        [("2026-03-31", HONORAIRES, "330.01", None)],
        LIGNE_6226,
        plugin=PLUGINS + extension,
    )
    client, slug = fava_client(path)
    response = client.get(f"/{slug}/api/errors")
    assert response.status_code == 200
    assert response.get_json()["data"] == []  # Fava's « Erreurs » count: none
    response = client.get(f"/{slug}/extension/TableauDeBord/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-avertissements="1"' in html
    page = lire_page(html)
    assert page is not None
    expected = f"budgets/budget.yaml:6: {_depassement('330.01', '300', '10,0')}"
    assert expected.replace("'", "&#39;") in html


def test_rapports_non_bloques_par_les_avertissements(
    ledger_dir: Path, communs: Callable[..., Any]
) -> None:
    _write(ledger_dir, [("2026-03-31", HONORAIRES, "330.01", None)], LIGNE_6226)
    result = communs("resultat", "--format", "json")
    assert result.exit_code == 0, result.output


# --- Beancount's pickle cache -------------------------------------------------------------


@pytest.fixture
def real_cache() -> Iterator[None]:
    threshold = loader.PICKLE_CACHE_THRESHOLD
    loader.PICKLE_CACHE_THRESHOLD = 0
    loader.initialize(use_cache=True)
    try:
        yield
    finally:
        loader.PICKLE_CACHE_THRESHOLD = threshold
        loader.initialize(use_cache=os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None)


def _rewrite(path: Path, text: str) -> None:
    """Replace a file's content, making sure its size and modification time both change."""
    before = path.stat()
    assert len(text.encode("utf-8")) != before.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))


def test_modifier_un_budget_invalide_le_cache(tmp_path: Path, real_cache: None) -> None:
    path = _write(tmp_path, [("2026-03-31", HONORAIRES, "330.01", None)], LIGNE_6226)
    budget = tmp_path / "budgets" / "budget.yaml"
    cache = tmp_path / ".main.beancount.picklecache"

    def honoraires(entries: list[Any]) -> list[str]:
        return [
            f"{e.values[2].value.number}"
            for e in entries
            if isinstance(e, data.Custom) and e.values[0].value == HONORAIRES
        ]

    entries, errors, options = loader.load_file(str(path))
    assert cache.exists()
    assert errors == []
    assert [e.message for e in avertissements_de(entries)] == [
        _depassement("330.01", "300", "10,0")
    ]
    assert honoraires(entries)[:2] == ["100.00", "100.00"]
    assert str(budget) in options["include"]
    assert str(tmp_path / "communs.yaml") in options["include"]

    # Control: unchanged files, the cache is replayed (and its warnings are still warnings).
    stamp = cache.stat().st_mtime_ns
    entries, errors, _options = loader.load_file(str(path))
    assert cache.stat().st_mtime_ns == stamp
    assert errors == []
    assert [is_warning(e) for e in avertissements_de(entries)] == [True]

    # A larger budget: no overrun any more, and Fava's monthly amount follows.
    _rewrite(budget, budget.read_text("utf-8").replace("1200", "2400.00"))
    entries, errors, _options = loader.load_file(str(path))
    assert errors == [] and avertissements_de(entries) == []
    assert honoraires(entries)[:2] == ["200.00", "200.00"]

    # A broken budget file: its error appears at once, at its line.
    _rewrite(budget, budget.read_text("utf-8").replace('"6226"', '"60000"'))
    _entries, errors, _options = loader.load_file(str(path))
    assert errors_of(errors) == [
        Found("budget.yaml", 6, "compte 60000 inconnu du plan comptable 2025")
    ]
