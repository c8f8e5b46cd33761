"""Integrity of the chart data in ``plan_comptable/`` and of :mod:`communs_ledger.plan`.

The reference copies in ``tests/reference/`` are the fixed truth: the product's
CSV files must carry exactly their accounts and labels. The statement columns
(``poste_resultat``, ``poste_bilan``) are recomputed here from the layouts with
the longest-prefix rule, independently of the product code.
"""

from __future__ import annotations

import csv
import datetime
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from communs_ledger.codes import parse_account
from communs_ledger.plan import (
    VERSIONS,
    CodeState,
    load_chart,
    load_data_yaml,
    natures,
    plan_comptable_dir,
    starter_accounts,
    version_for_opening,
)
from conftest import REFERENCE, ROOT, load_errors, write_ledger

DATA = ROOT / "plan_comptable"
CHART_FILES = {"2018": "pca_2018.csv", "2025": "pca_2025.csv"}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


def _yaml(name: str) -> Any:
    with open(DATA / name, encoding="utf-8") as file:
        return yaml.safe_load(file)


@pytest.fixture(scope="module", params=VERSIONS)
def version(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def rows(version: str) -> list[dict[str, str]]:
    return _rows(DATA / CHART_FILES[version])


def test_donnees_lues_dans_le_depot() -> None:
    assert plan_comptable_dir() == DATA


def test_versions_selon_la_date_d_ouverture() -> None:
    assert version_for_opening(datetime.date(2024, 12, 31)) == "2018"
    assert version_for_opening(datetime.date(2024, 7, 1)) == "2018"
    assert version_for_opening(datetime.date(2025, 1, 1)) == "2025"
    assert version_for_opening(datetime.date(1999, 1, 1)) == "2018"


def test_en_tete_du_csv(version: str) -> None:
    with open(DATA / CHART_FILES[version], encoding="utf-8") as file:
        assert file.readline().rstrip("\n") == (
            "code;libelle;classe;nature;statut;poste_resultat;poste_bilan"
        )


def test_codes_uniques(rows: list[dict[str, str]]) -> None:
    counts = Counter(row["code"] for row in rows)
    assert [code for code, n in counts.items() if n > 1] == []
    assert all(row["code"].isdigit() for row in rows)


def test_parent_direct_present(rows: list[dict[str, str]]) -> None:
    codes = {row["code"] for row in rows}
    orphans = [c for c in codes if len(c) > 1 and c[:-1] not in codes]
    assert orphans == []


def test_classe_egale_au_premier_chiffre(rows: list[dict[str, str]]) -> None:
    assert [r["code"] for r in rows if r["classe"] != r["code"][0]] == []


def test_natures_connues(rows: list[dict[str, str]]) -> None:
    known = set(natures())
    assert {row["nature"] for row in rows} <= known


_CLASS_1 = {
    "10": {"fonds_propres"},
    "11": {"fonds_propres"},
    "12": {"fonds_propres"},
    "13": {"fonds_propres"},
    "14": {"fonds_propres"},
    "15": {"provision"},
    "16": {"passif", "actif"},  # 169 primes de remboursement des obligations: actif
    "17": {"passif"},
    "18": {"actif_ou_passif"},
    "19": {"fonds_dedies"},
}


def _allowed_natures(code: str) -> set[str]:
    """Natures a code may have given its class and chapter (plan comptable, tests/reference).

    Whether it is a heading is checked separately (``titre`` is allowed everywhere here).
    """
    chapter = code[:2]
    match code[0]:
        case "1":
            allowed = _CLASS_1.get(chapter, set())
        case "2":
            allowed = {"actif", "passif"}  # passif: 229, 269, 279 (see below)
        case "3":
            allowed = {"actif"}
        case "4" | "5":
            allowed = {"actif", "passif", "actif_ou_passif"}
        case "6":
            allowed = {"charge"}
        case "7":
            allowed = {"produit"}
        case "8" if chapter == "86":
            allowed = {"contribution_emploi"}
        case "8" if chapter == "87":
            allowed = {"contribution_ressource"}
        case "8":
            allowed = {"special"}
        case _:
            allowed = set()
    return allowed | {"titre"}


def test_nature_coherente_avec_la_classe(rows: list[dict[str, str]]) -> None:
    wrong = [
        (r["code"], r["nature"]) for r in rows if r["nature"] not in _allowed_natures(r["code"])
    ]
    assert wrong == []


def test_classe_2_au_passif_seulement_pour_les_comptes_du_concedant(
    rows: list[dict[str, str]],
) -> None:
    passif = {r["code"] for r in rows if r["code"][0] == "2" and r["nature"] == "passif"}
    assert passif <= {"229", "269", "279"}
    assert {"269", "279"} <= passif


def test_titre_si_et_seulement_si_classe_ou_chapitre_subdivise(
    rows: list[dict[str, str]],
) -> None:
    """``titre`` = a class or a two-digit chapter that has sub-accounts (tests/reference)."""
    codes = {row["code"] for row in rows}
    for row in rows:
        code = row["code"]
        subdivided = any(other != code and other.startswith(code) for other in codes)
        assert (row["nature"] == "titre") == (len(code) <= 2 and subdivided), code


@pytest.mark.parametrize(
    ("version", "code", "nature"),
    [
        ("2018", "53", "titre"),
        ("2018", "531", "actif"),
        ("2025", "53", "actif"),
        ("2018", "74", "produit"),
        ("2025", "74", "titre"),
        ("2025", "512", "actif_ou_passif"),
        ("2025", "441", "actif_ou_passif"),
        ("2025", "864", "contribution_emploi"),
        ("2025", "875", "contribution_ressource"),
        ("2025", "169", "actif"),
    ],
)
def test_natures_remarquables(version: str, code: str, nature: str) -> None:
    account = load_chart(version).get(code)
    assert account is not None
    assert account.nature == nature


def test_identique_a_la_reference(version: str, rows: list[dict[str, str]]) -> None:
    reference = _rows(REFERENCE / CHART_FILES[version])
    product = {row["code"]: row for row in rows}
    for expected in reference:
        found = product.get(expected["code"])
        assert found is not None, f"{expected['code']} absent de plan_comptable/"
        for column in ("libelle", "classe", "nature", "statut"):
            assert found[column] == expected[column], (expected["code"], column)
    assert [r["code"] for r in rows] == [r["code"] for r in reference]


def test_chart_chargee_identique_aux_fichiers(version: str, rows: list[dict[str, str]]) -> None:
    chart = load_chart(version)
    assert list(chart.accounts) == [row["code"] for row in rows]
    for row in rows:
        account = chart.accounts[row["code"]]
        assert (account.libelle, account.classe, account.nature) == (
            row["libelle"],
            row["classe"],
            row["nature"],
        )
        assert "|".join(account.poste_resultat) == row["poste_resultat"]
        assert "|".join(account.poste_bilan) == row["poste_bilan"]


# --- Retired accounts -------------------------------------------------------------------


def _retirements() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in _rows(DATA / "retraits_2025.csv")}


def test_chaque_compte_retire_est_liste_avec_son_remplacement() -> None:
    old = {row["code"]: row for row in _rows(DATA / "pca_2018.csv")}
    new = {row["code"] for row in _rows(DATA / "pca_2025.csv")}
    retirements = _retirements()
    assert set(retirements) == set(old) - new
    for code, row in retirements.items():
        assert row["libelle"] == old[code]["libelle"], code
        if row["remplacement"]:
            assert row["remplacement"] in new, code
        else:
            assert row["precision"].strip(), f"{code} : ni remplacement ni explication"


def test_remplacements_imposes_par_le_reglement() -> None:
    retirements = _retirements()
    assert retirements["7715"]["remplacement"] == "742"
    assert retirements["777"]["remplacement"] == "747"
    assert retirements["531"]["remplacement"] == "53"
    for code in ("79", "796", "797"):
        assert retirements[code]["remplacement"] == ""
    assert retirements["791"]["remplacement"] == "649"


def test_chart_2025_connait_les_retraits() -> None:
    chart = load_chart("2025")
    assert chart.retirements["7715"].remplacement == "742"
    assert chart.check("7715").state is CodeState.RETIRED
    assert chart.check("77151").state is CodeState.RETIRED  # a sub-account of a retired one
    assert chart.check("7715").retirement == chart.retirements["7715"]
    assert load_chart("2018").retirements == {}
    assert load_chart("2018").check("7715").state is CodeState.IN_CHART


# --- Statement lines: longest-prefix rule recomputed from the layouts --------------------


def _layout_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for line in lines or []:
        found.append(line)
        found.extend(_layout_lines(line.get("sous_lignes") or []))
    return found


def _result_lines(version: str) -> list[dict[str, Any]]:
    layout = _yaml("compte_de_resultat.yaml")
    lines = []
    for bloc in layout["variantes"][version]["blocs"]:
        lines.extend(_layout_lines(bloc.get("lignes") or []))
    for bloc in layout["contributions_volontaires"]["blocs"]:
        lines.extend(_layout_lines(bloc.get("lignes") or []))
    return lines


def _balance_lines() -> list[dict[str, Any]]:
    layout = _yaml("bilan.yaml")
    lines: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            lines.extend(_layout_lines(node.get("lignes") or []))
            walk(node.get("rubriques") or [])

    walk(layout["actif"])
    walk(layout["passif"])
    return lines


def _prefixes(lines: list[dict[str, Any]], version: str) -> list[tuple[str, str, str | None]]:
    """(prefix, line id, condition) for every account prefix of a layout variant."""
    found = []
    for line in lines:
        if line.get("dont"):
            continue  # "dont" lines are informative, already inside their parent line
        for item in line.get("comptes") or []:
            if isinstance(item, dict):
                if item.get("variante") not in (None, version):
                    continue
                found.append((str(item["prefixe"]), line["id"], item.get("condition")))
            else:
                found.append((str(item), line["id"], None))
    return found


def _longest_prefix(code: str, prefixes: list[tuple[str, str, str | None]]) -> str:
    matching = [p for p in prefixes if code.startswith(p[0])]
    if not matching:
        return ""
    longest = max(len(p[0]) for p in matching)
    order = {"debiteur": 0, None: 1, "crediteur": 2}
    ids: list[str] = []
    for _prefix, line_id, _condition in sorted(
        (p for p in matching if len(p[0]) == longest), key=lambda p: order[p[2]]
    ):
        if line_id not in ids:
            ids.append(line_id)
    return "|".join(ids)


def test_postes_recalcules_par_le_prefixe_le_plus_long(
    version: str, rows: list[dict[str, str]]
) -> None:
    result = _prefixes(_result_lines(version), version)
    balance = _prefixes(_balance_lines(), version)
    wrong = []
    for row in rows:
        code = row["code"]
        in_result = code[0] in "67" or code[:2] in ("86", "87")
        in_balance = code[0] in "12345"
        expected = ("", "")
        if row["nature"] != "titre":
            expected = (
                _longest_prefix(code, result) if in_result else "",
                _longest_prefix(code, balance) if in_balance else "",
            )
        if expected != (row["poste_resultat"], row["poste_bilan"]):
            wrong.append((code, expected, (row["poste_resultat"], row["poste_bilan"])))
    assert wrong == []


def test_chaque_compte_mouvementable_alimente_une_ligne(rows: list[dict[str, str]]) -> None:
    missing = []
    for row in rows:
        code = row["code"]
        if row["nature"] == "titre":
            assert (row["poste_resultat"], row["poste_bilan"]) == ("", ""), code
            continue
        if code[0] in "12345" and not row["poste_bilan"]:
            missing.append(code)
        if (code[0] in "67" or code[:2] in ("86", "87")) and not row["poste_resultat"]:
            missing.append(code)
    assert missing == []


def test_comptes_a_double_sens_sur_deux_lignes(version: str) -> None:
    chart = load_chart(version)
    assert chart.accounts["512"].poste_bilan == ("disponibilites", "emprunts_etablissements_credit")
    assert chart.accounts["441"].poste_bilan == ("autres_creances", "dettes_fiscales_sociales")
    assert chart.accounts["5181"].poste_bilan == ("emprunts_etablissements_credit",)


def test_postes_references_existent(version: str, rows: list[dict[str, str]]) -> None:
    result_ids = {line["id"] for line in _result_lines(version)}
    balance_ids = {line["id"] for line in _balance_lines()}
    for row in rows:
        for line_id in filter(None, row["poste_resultat"].split("|")):
            assert line_id in result_ids, (row["code"], line_id)
        for line_id in filter(None, row["poste_bilan"].split("|")):
            assert line_id in balance_ids, (row["code"], line_id)


def _all_ids(node: Any) -> list[str]:
    """Every ``id`` in a layout subtree (blocks, lines, totals)."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found.append(node["id"])
        for key, value in node.items():
            if key != "id":
                found.extend(_all_ids(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_all_ids(item))
    return found


def _figure_ids(blocs: list[dict[str, Any]]) -> list[str]:
    """Ids of the figures of a statement: lines, sub-lines, block totals, formulas."""
    ids = []
    for bloc in blocs:
        if "formule" in bloc:
            ids.append(bloc["id"])
        ids.extend(line["id"] for line in _layout_lines(bloc.get("lignes") or []))
        if isinstance(bloc.get("total"), dict):
            ids.append(bloc["total"]["id"])
    return ids


def _duplicates(ids: list[str]) -> list[str]:
    return [value for value, n in Counter(ids).items() if n > 1]


def test_identifiants_de_lignes_uniques_par_variante() -> None:
    result = _yaml("compte_de_resultat.yaml")
    contributions = result["contributions_volontaires"]["blocs"]
    for version in VERSIONS:
        blocs = result["variantes"][version]["blocs"]
        assert _duplicates(_figure_ids(blocs) + _figure_ids(contributions)) == [], version
        # A block may share its id only with its single line (e.g. participation_salaries).
        lines = set(_figure_ids(blocs))
        for bloc in blocs:
            if "lignes" in bloc and bloc["id"] in lines:
                assert [line["id"] for line in bloc["lignes"]] == [bloc["id"]], bloc["id"]
        assert _duplicates([b["id"] for b in blocs + contributions]) == [], version
    balance = _yaml("bilan.yaml")
    ids = _all_ids(balance["actif"]) + _all_ids(balance["passif"])
    assert _duplicates(ids) == []


def test_totaux_nommes_du_contrat_presents() -> None:
    """The statements carry the named totals that exports and checks rely on."""
    result = _yaml("compte_de_resultat.yaml")
    for version in VERSIONS:
        ids = set(_all_ids(result["variantes"][version]))
        ids |= set(_all_ids(result["contributions_volontaires"]))
        for name in (
            "total_produits_exploitation",
            "total_charges_exploitation",
            "resultat_exploitation",
            "resultat_financier",
            "resultat_exceptionnel",
            "resultat",
            "contributions_volontaires_emplois",
            "contributions_volontaires_ressources",
        ):
            assert name in ids, (version, name)
    balance = _yaml("bilan.yaml")
    ids = set(_all_ids(balance["actif"]) + _all_ids(balance["passif"]))
    ids |= set(balance["totaux"])
    for name in ("total_actif", "total_passif", "fonds_propres", "fonds_dedies", "dettes"):
        assert name in ids, name
    assert "disponibilites" in ids


def test_fichiers_de_donnees_lisibles_par_le_produit() -> None:
    assert load_data_yaml("compte_de_resultat.yaml") == _yaml("compte_de_resultat.yaml")
    assert load_data_yaml("bilan.yaml") == _yaml("bilan.yaml")


# --- Starter accounts (communs init) ------------------------------------------------------


def _starter_items() -> list[tuple[str, list[str]]]:
    items = []
    for item in load_data_yaml("comptes_de_depart.yaml")["comptes"]:
        if isinstance(item, str):
            items.append((item, list(VERSIONS)))
        else:
            items.append((item["name"], list(item.get("versions", VERSIONS))))
    return items


def test_comptes_de_depart_valides_dans_leurs_versions(tmp_path: Path) -> None:
    opening = {"2018": "2024-01-01", "2025": "2025-01-01"}
    for version in VERSIONS:
        names = [name for name, versions in _starter_items() if version in versions]
        assert names == starter_accounts(version)
        body = "".join(f"{opening[version]} open {name}\n" for name in names)
        path = write_ledger(tmp_path / version, body)
        assert load_errors(path) == [], version


def test_comptes_de_depart_uniques_et_numerotes() -> None:
    for version in VERSIONS:
        names = starter_accounts(version)
        assert len(names) == len(set(names))
        chart = load_chart(version)
        for name in names:
            parsed = parse_account(name)
            assert parsed.code is not None, name
            assert chart.check(parsed.code).ok, name
    assert "Actif:53-Caisse:531-Caisse" in starter_accounts("2018")
    assert "Actif:53-Caisse" in starter_accounts("2025")


# --- Search -------------------------------------------------------------------------------


def test_recherche_deplacement() -> None:
    found = load_chart("2025").search("deplacement")
    assert ("6251", "Voyages et déplacements") in [(a.code, a.libelle) for a in found]


@pytest.mark.parametrize("text", ["DÉPLACEMENT", "Déplacement", "déplacements", "  deplacement "])
def test_recherche_insensible_a_la_casse_et_aux_accents(text: str) -> None:
    codes = [a.code for a in load_chart("2025").search(text)]
    assert "6251" in codes


def test_recherche_plusieurs_mots() -> None:
    codes = [a.code for a in load_chart("2025").search("voyages deplacements")]
    assert codes == ["6251"]


def test_recherche_par_debut_de_numero() -> None:
    chart = load_chart("2025")
    assert [a.code for a in chart.search("625")] == ["625", "6251", "6255", "6256", "6257"]
    assert all(a.code.startswith("74") for a in chart.search("74"))
    assert [a.code for a in chart.search("74")] == ["74", "741", "742", "747"]
    assert chart.search("9") == []


def test_recherche_vide_rend_tout_le_plan() -> None:
    chart = load_chart("2018")
    assert len(chart.search("")) == len(chart.accounts)


# --- Property: Chart.check agrees with membership and prefixes ----------------------------

_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=7)


@given(version=st.sampled_from(VERSIONS), code=_DIGITS)
def test_check_coherent_avec_le_plan(version: str, code: str) -> None:
    chart = load_chart(version)
    check = chart.check(code)
    prefixes = [code[:n] for n in range(len(code), 0, -1)]
    in_chart = [p for p in prefixes if p in chart.accounts]
    retired = [p for p in prefixes if p in chart.retirements]
    nearest = chart.accounts[in_chart[0]] if in_chart else None

    if code in chart.accounts:
        expected = CodeState.HEADING if chart.accounts[code].is_heading else CodeState.IN_CHART
        assert check.state is expected
        assert check.account == chart.accounts[code]
    elif retired and (nearest is None or len(retired[0]) > len(nearest.code)):
        assert check.state is CodeState.RETIRED
        assert check.retirement == chart.retirements[retired[0]]
    elif nearest is None:
        assert check.state is CodeState.UNKNOWN
        assert check.account is None
    else:
        assert check.account == nearest
        if nearest.is_heading:
            assert check.state is CodeState.EXTENDS_HEADING
        else:
            assert check.state is CodeState.EXTENDS_POSTABLE
    # ok <=> a postable chart account gives the code its meaning
    assert check.ok == (
        check.account is not None
        and not check.account.is_heading
        and check.state in (CodeState.IN_CHART, CodeState.EXTENDS_POSTABLE)
    )
    assert chart.check(code) is check  # memoised
    if version == "2018":
        assert check.state is not CodeState.RETIRED


@given(
    version=st.sampled_from(VERSIONS),
    data=st.data(),
)
def test_prolonger_un_compte_mouvementable_reste_valide(version: str, data: st.DataObject) -> None:
    chart = load_chart(version)
    postable = sorted(a.code for a in chart.accounts.values() if not a.is_heading)
    code = data.draw(st.sampled_from(postable))
    suffix = data.draw(st.text(alphabet="0123456789", min_size=1, max_size=3))
    extended = code + suffix
    check = chart.check(extended)
    if extended not in chart.accounts and chart.retirement_of(extended) is None:
        assert check.state is CodeState.EXTENDS_POSTABLE
        assert check.account is not None
        assert extended.startswith(check.account.code)
        assert check.nature == check.account.nature


def test_prefixes_of_a_bilan_line_without_the_bilan_modules() -> None:
    """The cloture plugin reads the « résultat de l'exercice » line's prefixes from the
    kernel (no import of the bilan's modules): the same as the bilan layout attaches."""
    from communs_ledger.plan import RESULT_LINE, VERSIONS, prefixes_de_ligne_du_bilan
    from communs_ledger.rapports.modeles import modele_bilan

    # bilan.yaml, passif, line resultat_exercice: « comptes: ['12'] » (120 excédent, 129 déficit)
    assert prefixes_de_ligne_du_bilan(RESULT_LINE, "2018") == ("12",)
    assert prefixes_de_ligne_du_bilan(RESULT_LINE, "2025") == ("12",)
    # frais_etablissement: « {prefixe: '2901', …, variante: '2025'} », in 2025 only
    for version in VERSIONS:
        attaches = modele_bilan(version).attaches
        by_line: dict[str, list[str]] = {}
        for found in attaches.values():
            for attache in found:
                by_line.setdefault(attache.ligne, []).append(attache.prefixe)
        for line, prefixes in by_line.items():
            assert sorted(prefixes_de_ligne_du_bilan(line, version)) == sorted(prefixes), line
    assert "2901" in prefixes_de_ligne_du_bilan(_line_of("2901"), "2025")
    assert "2901" not in prefixes_de_ligne_du_bilan(_line_of("2901"), "2018")


def _line_of(prefix: str) -> str:
    from communs_ledger.rapports.modeles import modele_bilan

    return modele_bilan("2025").attaches[prefix][0].ligne
