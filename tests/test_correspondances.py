"""Every account of both charts lands where the reference statement models put it.

For each postable account of ``tests/reference/pca_2018.csv`` and ``pca_2025.csv`` (and
typical sub-accounts a treasurer opens: 6064, 64111, 7411, 28183…), a ledger with one
entry per account is loaded with the real Beancount loader and the real checks, in an
exercice of the right chart version (2024: chart 2018, 2025: chart 2025), and the real
``compute_compte_de_resultat`` / ``compute_bilan`` say where the account went. The
expected line is computed here, independently of the product code, from the reference
models ``tests/reference/compte_de_resultat.yaml`` and ``bilan.yaml``: longest prefix of
the variant, ``condition`` by the sign of the balance, ``colonne`` amortissements.
Lines are compared by their labels (bloc, rubrique, line, sub-line), so that a label
that differs from the reference is a difference too.

Balance-sheet accounts are tried with a debit and with a credit balance: a debtor
account must be on the actif (gross column, or the amortissements column for 28, 29,
39, 49, 59) and a creditor one on the passif, except where the reference keeps a
contrary balance on its own line (in negative).

The product departs from the reference on purpose in three documented ways, listed
below (any other difference fails):

- tiers accounts (40 to 46) with a balance contrary to their line go to autres
  créances / autres dettes (``tiers_sens_contraire`` of ``bilan.yaml``; the reference
  is silent and would show a negative amount on the line);
- headings the reference attaches nowhere (681, 709, 754…) but which a user may post
  to are attached to the line of their sub-accounts (``Compte(s) parent(s) … rattaché(s)
  ici par défaut`` in the layouts);
- the bilan of an exercice before 2025 names 481 « Charges à répartir sur plusieurs
  exercices » only (``libelles`` of ``bilan.yaml``), the reference keeps both names.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from communs_ledger.chargement import load_livre
from communs_ledger.rapports.bilan import BilanDeLExercice, compute_bilan
from communs_ledger.rapports.modeles import LigneModele
from communs_ledger.rapports.resultat import (
    CompteDeResultatDeLExercice,
    compute_compte_de_resultat,
)
from communs_ledger.rapports.source import Source
from conftest import HEADER, REFERENCE, ROOT

VARIANTE = {"2018": "avant_2025", "2025": "a_partir_de_2025"}
ANNEE = {"2018": 2024, "2025": 2025}
CHART = {"2018": "pca_2018.csv", "2025": "pca_2025.csv"}
CENT = Decimal("100.00")
SOLDE = {"debiteur": CENT, "crediteur": Decimal("-30.00")}
"""Balance-sheet accounts: one sub-account with a debit balance of 100, one with a credit
balance of 30 (different, so that a line holding both shows 70, not 0)."""

# Sub-accounts a treasurer opens below the chart's accounts (user extensions).
SOUS_COMPTES = [
    "60641", "62261", "64111", "64511", "68112", "7411", "74111", "75411", "7561", "75861",
    "78941", "68941", "51211", "4111", "4011", "4081", "41911", "46811", "28183",
    "281831", "10681", "19411", "16411", "86411", "87511",
]  # fmt: skip

# Headings the reference attaches to no line, that the product attaches by default.
PARENTS_PAR_DEFAUT = {
    "2018": {"106", "280", "281", "290", "291", "293", "296", "297", "408", "409", "443",
             "445", "488", "518", "681", "709", "754"},
    "2025": {"106", "280", "281", "290", "291", "293", "296", "297", "408", "409", "445",
             "488", "518", "667", "681", "709", "754", "767"},
}  # fmt: skip
TIERS = ("40", "41", "42", "43", "44", "45", "46")


def _yaml(name: str) -> Any:
    with open(REFERENCE / name, encoding="utf-8") as file:
        return yaml.safe_load(file)


REF_CR = _yaml("compte_de_resultat.yaml")
REF_BILAN = _yaml("bilan.yaml")


# --- Expected lines, from the reference models -----------------------------------------


def _walk(lines: list[dict[str, Any]] | None, path: tuple[str, ...]) -> Iterator[Any]:
    """(label path, line) of every line and sub-line, in order."""
    for line in sorted(lines or [], key=lambda raw: raw.get("ordre", 0)):
        here = (*path, line["libelle"])
        yield here, line
        yield from _walk(line.get("sous_lignes"), here)


def _ref_cr_lines(version: str) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for bloc in REF_CR["variantes"][VARIANTE[version]]["blocs"]:
        yield from _walk(bloc.get("lignes"), (bloc["libelle"],))
    contributions = REF_CR["contributions_volontaires_en_nature"]
    for key in ("emplois", "ressources"):
        yield from _walk(contributions[key]["lignes"], (contributions[key]["libelle"],))


def ligne_de_reference_du_resultat(version: str, code: str) -> tuple[str, ...] | None:
    """Label path of the reference line of a class 6/7/86/87 code (longest prefix)."""
    found: dict[int, set[tuple[str, ...]]] = {}
    for path, line in _ref_cr_lines(version):
        if line.get("dont"):
            continue
        for compte in line.get("comptes") or []:
            if code.startswith(compte["prefixe"]):
                found.setdefault(len(compte["prefixe"]), set()).add(path)
    if not found:
        return None
    (path,) = found[max(found)]
    return path


@dataclass(frozen=True)
class Place:
    """Where an account with a balance of 100 goes: label path, side, column, amount."""

    chemin: tuple[str, ...]
    cote: str
    amortissements: bool
    montant: Decimal  # as it counts on the line: actif = debit balance, passif = credit


def _ref_bilan_lines(version: str) -> Iterator[tuple[str, tuple[str, ...], dict[str, Any]]]:
    for cote in ("actif", "passif"):
        for bloc in REF_BILAN[cote]:
            rubriques = bloc.get("rubriques") or [{"libelle": "", "lignes": bloc["lignes"]}]
            for rubrique in rubriques:
                for path, line in _walk(rubrique["lignes"], (bloc["libelle"], rubrique["libelle"])):
                    yield cote, path, line


def place_de_reference_au_bilan(version: str, code: str, debiteur: bool) -> Place | None:
    """The reference's place of a class 1-5 account with a debit (or credit) balance."""
    found: dict[int, set[tuple[str, tuple[str, ...], bool]]] = {}
    for cote, path, line in _ref_bilan_lines(version):
        for compte in line.get("comptes") or []:
            if compte.get("variante") not in (None, VARIANTE[version]):
                continue
            condition = compte.get("condition")
            if condition == ("si_solde_crediteur" if debiteur else "si_solde_debiteur"):
                continue
            if code.startswith(compte["prefixe"]):
                amortissement = compte.get("colonne") == "amortissements_depreciations"
                found.setdefault(len(compte["prefixe"]), set()).add((cote, path, amortissement))
    if not found:
        return None
    ((cote, path, amortissement),) = found[max(found)]
    balance = SOLDE["debiteur" if debiteur else "crediteur"]
    return Place(path, cote, amortissement, balance if cote == "actif" else -balance)


# --- One ledger per chart version, loaded and computed for real --------------------------


def _comptes(version: str) -> list[tuple[str, str]]:
    """(code, nature) of every postable account of the reference chart and the sub-accounts."""
    with open(REFERENCE / CHART[version], encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    nature = {row["code"]: row["nature"] for row in rows}
    codes = [row["code"] for row in rows if row["nature"] != "titre"]
    codes += [code for code in SOUS_COMPTES if code not in nature]

    def nature_de(code: str) -> str:
        return next(nature[code[:n]] for n in range(len(code), 0, -1) if code[:n] in nature)

    # 80/88/89 (engagements, bilan d'ouverture) are outside both statements; 12 (the
    # result) is computed from classes 6 and 7 and refuses entries (tests elsewhere).
    return [(code, nature_de(code)) for code in codes if code[:2] not in ("80", "88", "89", "12")]


RACINE = {
    "actif": "Actif", "actif_ou_passif": "Actif", "special": "Actif", "passif": "Passif",
    "fonds_dedies": "Passif", "provision": "Passif", "fonds_propres": "Fonds-propres",
    "charge": "Charges", "contribution_emploi": "Charges", "produit": "Produits",
    "contribution_ressource": "Produits",
}  # fmt: skip
OUVERTURE = "Actif:89-Bilan:890-Bilan-d-ouverture"
"""The counterpart of every entry: class 8, on neither statement, so that each line of
the statements holds only the accounts of the test."""


def _grand_livre(version: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The ledger text and its accounts: name -> (code, "debiteur" | "crediteur" | "")."""
    year = ANNEE[version]
    opens = [f"{year}-01-01 open {OUVERTURE}"]
    entries = []
    comptes: dict[str, tuple[str, str]] = {}
    for code, nature in _comptes(version):
        root = RACINE[nature]
        if code[:1] in "12345":
            # One sub-account with a debit balance, one with a credit balance.
            for sens, amount in SOLDE.items():
                name = f"{root}:{code}-Compte:{sens.capitalize()}"
                comptes[name] = (code, sens)
                opens.append(f"{year}-01-01 open {name}")
                entries.append(f'{year}-06-01 * "{code}"\n  {name}  {amount} EUR\n  {OUVERTURE}\n')
        else:
            name = f"{root}:{code}-Compte"
            comptes[name] = (code, "")
            opens.append(f"{year}-01-01 open {name}")
    # Classes 6 and 7 against the bank; 86 against 870 and 87 against 860 (86 = 87).
    for name, (code, sens) in comptes.items():
        if sens:
            continue
        if code[:2] == "86":
            other = "Produits:870-Compte"
        elif code[:2] == "87":
            other = "Charges:860-Compte"
        else:
            other = OUVERTURE
        amount = CENT if name.startswith("Charges") else -CENT
        entries.append(f'{year}-06-02 * "{code}"\n  {name}  {amount} EUR\n  {other}\n')
    return "\n".join(opens) + "\n\n" + "\n".join(entries), comptes


@dataclass
class Etats:
    resultat: CompteDeResultatDeLExercice
    bilan: BilanDeLExercice
    comptes: dict[str, tuple[str, str]]
    erreurs: list[str]
    grand_livre: Path


@pytest.fixture(scope="module", params=["2018", "2025"])
def etats(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Etats:
    version: str = request.param
    folder = tmp_path_factory.mktemp(f"correspondances{version}")
    text, comptes = _grand_livre(version)
    (folder / "main.beancount").write_text(HEADER + "\n" + text, encoding="utf-8")
    (folder / "communs.yaml").write_text(
        'association:\n  nom: "Audit"\nexercice:\n  debut: "01-01"\n', encoding="utf-8"
    )
    livre = load_livre(folder / "main.beancount")
    source = Source.from_livre(livre)
    exercice = source.exercice(str(ANNEE[version]))
    assert exercice.version == version
    return Etats(
        compute_compte_de_resultat(source, exercice, n1=False),
        compute_bilan(source, exercice, n1=False),
        comptes,
        [getattr(error, "message", str(error)) for error in livre.errors],
        folder / "main.beancount",
    )


def _chemins(lignes: tuple[LigneModele, ...], path: tuple[str, ...]) -> Iterator[Any]:
    for line in lignes:
        here = (*path, line.libelle)
        yield line.id, here
        yield from _chemins(line.sous_lignes, here)


def lignes_du_resultat(etats: Etats) -> dict[str, list[tuple[str, ...]]]:
    """Account name -> label paths of the (non « dont ») lines it feeds."""
    modele = etats.resultat.modele
    chemins = {}
    for bloc in modele.blocs + modele.contributions:
        chemins.update(dict(_chemins(bloc.lignes, (bloc.libelle,))))
    found: dict[str, list[tuple[str, ...]]] = {}
    for line_id, accounts in etats.resultat.colonnes.comptes.items():
        if not modele.ligne(line_id).dont:
            for account in accounts:
                found.setdefault(account, []).append(chemins[line_id])
    return found


def places_au_bilan(etats: Etats) -> dict[str, list[Place]]:
    """Account name -> where the bilan put it (line, side, column, amount on the line)."""
    modele, placement = etats.bilan.modele, etats.bilan.n.placement
    chemins = {}
    for bloc in modele.actif + modele.passif:
        for rubrique in bloc.rubriques:
            chemins.update(dict(_chemins(rubrique.lignes, (bloc.libelle, rubrique.libelle))))
    found: dict[str, list[Place]] = {}
    for line_id, detail in placement.detail.items():
        cote = modele.cote_de(line_id)
        for account, amount in detail.items():
            if account not in etats.comptes:
                continue
            code, sens = etats.comptes[account]
            balance = SOLDE[sens]
            amortissement = modele.placer(code, balance)[2]  # type: ignore[index]
            found.setdefault(account, []).append(
                Place(chemins[line_id], cote, amortissement, amount)
            )
    return found


def _version(etats: Etats) -> str:
    return etats.bilan.modele.version


# --- The tests ----------------------------------------------------------------------------


def test_aucun_compte_du_plan_refuse_ni_hors_modele(etats: Etats) -> None:
    """No postable account of the reference chart is refused, none is left out."""
    assert etats.erreurs == []
    assert etats.resultat.colonnes.hors_modele == set()
    assert etats.bilan.n.placement.hors_modele == set()


def test_chaque_compte_de_charge_ou_de_produit_sur_la_ligne_de_reference(etats: Etats) -> None:
    version, found = _version(etats), lignes_du_resultat(etats)
    wrong, defaults = [], set()
    for account, (code, sens) in etats.comptes.items():
        if sens:
            continue
        expected = ligne_de_reference_du_resultat(version, code)
        if expected is None:
            defaults.add(code)
            assert len(found.get(account, [])) == 1, code  # on one line, not left out
        elif found.get(account) != [expected]:
            wrong.append((code, expected, found.get(account)))
    assert wrong == []
    assert defaults == {c for c in PARENTS_PAR_DEFAUT[version] if c[:1] in "678"}


def _attendu_au_bilan(version: str, code: str, sens: str) -> Place | None:
    expected = place_de_reference_au_bilan(version, code, sens == "debiteur")
    if expected is None:
        return None
    # A conditional attachment always matches the balance: a contrary one is unconditional.
    contraire = (expected.cote == "actif") != (sens == "debiteur")
    if code.startswith(TIERS) and contraire and not expected.amortissements:
        # Product rule (tiers_sens_contraire): the tiers goes to the other side.
        if sens == "debiteur":
            return Place(("Actif circulant", "Créances", "Autres créances"), "actif", False, CENT)
        return Place(("Dettes", "", "Autres dettes"), "passif", False, -SOLDE[sens])
    return expected


RUBRIQUE_481 = ("Comptes de régularisation", "Frais d'émission des emprunts / Charges à répartir")
"""The reference's combined 481 rubrique, named for both chart versions."""
LIBELLES_481 = {
    "2018": ("Charges à répartir", "Charges à répartir sur plusieurs exercices"),
    "2025": ("Frais d'émission des emprunts", "Frais d'émission des emprunts"),
}
"""Rubrique and line of 481 in a bilan whose columns all follow one version of the chart
(here one exercice, no N-1): that version's names only (``libelles`` in bilan.yaml)."""


def _libelles_de_la_version(version: str, place: Place) -> Place:
    """The reference's combined 481 labels, as a bilan of one chart version names them."""
    if place.chemin[:2] == RUBRIQUE_481:
        rubrique, ligne = LIBELLES_481[version]
        chemin = (RUBRIQUE_481[0], rubrique, ligne)
        return Place(chemin, place.cote, place.amortissements, place.montant)
    return place


def test_chaque_compte_de_bilan_du_bon_cote_et_sur_la_ligne_de_reference(etats: Etats) -> None:
    version, found = _version(etats), places_au_bilan(etats)
    wrong, defaults = [], set()
    for account, (code, sens) in etats.comptes.items():
        if not sens:
            continue
        expected = _attendu_au_bilan(version, code, sens)
        if expected is None:
            defaults.add(code)
            assert len(found.get(account, [])) == 1, code
            continue
        expected = _libelles_de_la_version(version, expected)
        if found.get(account) != [expected]:
            wrong.append((code, sens, expected, found.get(account)))
    assert wrong == []
    assert defaults == {c for c in PARENTS_PAR_DEFAUT[version] if c[:1] in "12345"}


@pytest.mark.parametrize(
    ("code", "sens", "ligne", "cote"),
    [
        # A bank overdraft is a dette; a debtor bank a disponibilité.
        ("512", "crediteur", "emprunts_etablissements_credit", "passif"),
        ("512", "debiteur", "disponibilites", "actif"),
        # A tiers with a contrary balance changes side (product rule).
        ("401", "debiteur", "autres_creances", "actif"),
        ("411", "crediteur", "autres_dettes", "passif"),
        # A régularisation account with a contrary balance stays on its line (reference).
        ("486", "crediteur", "charges_constatees_avance", "actif"),
        ("487", "debiteur", "produits_constates_avance", "passif"),
        ("476", "crediteur", "ecarts_conversion_actif", "actif"),
        ("477", "debiteur", "ecarts_conversion_passif", "passif"),
        ("481", "crediteur", "charges_a_repartir_frais_emission", "actif"),
    ],
)
def test_sens_des_soldes(etats: Etats, code: str, sens: str, ligne: str, cote: str) -> None:
    name = next(a for a, (c, s) in etats.comptes.items() if (c, s) == (code, sens))
    placement = etats.bilan.n.placement
    lines = [line_id for line_id, detail in placement.detail.items() if name in detail]
    assert lines == [ligne]
    assert etats.bilan.modele.cote_de(ligne) == cote
    # On the actif a credit balance counts negative on the line; on the passif a debit one.
    expected = SOLDE[sens] if cote == "actif" else -SOLDE[sens]
    assert placement.detail[ligne][name] == expected


def test_le_depot_ne_renvoie_pas_hors_de_lui_meme() -> None:
    """The reference data are cited by their copy in the repository (tests/reference/),
    never by a path outside it."""
    outside = ("../" + "shared", "shared" + "/reference")  # spelt apart: this file is checked too
    citing = []
    for folder in ("plan_comptable", "docs", "src", "plugins", "examples", "modeles", "tests"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".md", ".py", ".csv", ".j2", ".txt"):
                text = path.read_text(encoding="utf-8", errors="replace")
                if any(name in text for name in outside):
                    citing.append(str(path.relative_to(ROOT)))
    assert citing == []


def _imprime(output: str) -> dict[str, dict[str, Decimal]]:
    """Line id -> printed amounts by column, from the JSON of a statement."""
    printed = {}
    for partie in json.loads(output)["parties"]:
        for ligne in partie["lignes"]:
            if ligne["id"]:
                printed[ligne["id"]] = {
                    col: Decimal(value) for col, value in ligne["valeurs"].items() if value
                }
    return printed


def _montants_attendus_du_resultat(etats: Etats) -> dict[tuple[str, ...], Decimal]:
    """100 € on the reference line of each account (its sub-accounts' line for a heading
    the reference leaves out), and the 870 / 860 counterparts of the contributions."""
    version, found = _version(etats), lignes_du_resultat(etats)
    expected: dict[tuple[str, ...], Decimal] = {}
    for account, (code, sens) in etats.comptes.items():
        if sens:
            continue
        counterpart = {"86": "870", "87": "860"}.get(code[:2])
        for one in (code, counterpart) if counterpart else (code,):
            path = ligne_de_reference_du_resultat(version, one) or found[account][0]
            expected[path] = expected.get(path, Decimal(0)) + CENT
    return expected


def _resultat_attendu(etats: Etats) -> Decimal:
    """100 € times (accounts of class 7 - accounts of class 6)."""
    classes = [code[:1] for code, sens in etats.comptes.values() if not sens]
    return CENT * (classes.count("7") - classes.count("6"))


def test_la_commande_resultat_imprime_ces_lignes(etats: Etats, communs: Any) -> None:
    """``communs resultat --format json``: each line of the layout is 100 € times the
    accounts the reference puts there (counted here), the excédent or déficit 100 € times
    (accounts of class 7 - accounts of class 6)."""
    done = communs(
        "resultat", "-f", str(etats.grand_livre), "-e", str(ANNEE[_version(etats)]),
        "--format", "json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    printed = _imprime(done.output)
    expected = _montants_attendus_du_resultat(etats)
    modele = etats.resultat.modele
    for bloc in modele.blocs + modele.contributions:
        for line_id, path in _chemins(bloc.lignes, (bloc.libelle,)):
            line = modele.ligne(line_id)
            if not line.sous_lignes and not line.dont:
                assert printed[line_id].get("n", 0) == expected.get(path, 0), line_id
    assert printed["resultat"]["n"] == _resultat_attendu(etats)


def _montants_attendus_du_bilan(etats: Etats) -> dict[tuple[str, ...], dict[str, Decimal]]:
    """By line: brut and amortissements (actif), n (passif) from the expected places."""
    version, found = _version(etats), places_au_bilan(etats)
    expected: dict[tuple[str, ...], dict[str, Decimal]] = {}
    for account, (code, sens) in etats.comptes.items():
        if not sens:
            continue
        place = _attendu_au_bilan(version, code, sens)
        if place is None:
            (place,) = found[account]  # a heading the reference leaves out
        place = _libelles_de_la_version(version, place)
        column = "n" if place.cote == "passif" else "brut"
        amount = place.montant
        if place.amortissements:
            column, amount = "amortissements", -amount
        cells = expected.setdefault(place.chemin, {})
        cells[column] = cells.get(column, Decimal(0)) + amount
    return expected


def test_la_commande_bilan_imprime_ces_lignes(etats: Etats, communs: Any) -> None:
    """``communs bilan --format json``: each line shows the sum of the reference's places
    of its accounts (debit 100 / credit 30 each: brut, amortissements and net at the actif,
    the amount at the passif), and the excédent or déficit of the compte de résultat."""
    version = _version(etats)
    done = communs(
        "bilan", "-f", str(etats.grand_livre), "-e", str(ANNEE[version]), "--format", "json"
    )
    assert done.exit_code == 0, done.output
    printed = _imprime(done.output)
    expected = _montants_attendus_du_bilan(etats)
    modele = etats.bilan.modele
    checked = 0
    for bloc in modele.actif + modele.passif:
        for rubrique in bloc.rubriques:
            subtotals = {
                line.id for top in rubrique.lignes for line in top.walk() if line.sous_lignes
            }
            for line_id, path in _chemins(rubrique.lignes, (bloc.libelle, rubrique.libelle)):
                if line_id in subtotals:
                    continue  # the sum of its sub-lines (réserves)
                cells = expected.get(path, {})
                if modele.cote_de(line_id) == "actif":
                    brut, amort = cells.get("brut", 0), cells.get("amortissements", 0)
                    assert printed[line_id] == {
                        "brut": brut, "amortissements": amort, "net": brut - amort
                    }, line_id  # fmt: skip
                elif line_id != "resultat_exercice":
                    assert printed[line_id]["n"] == cells.get("n", 0), line_id
                checked += 1
    assert checked > 50
    assert printed["resultat_exercice"]["n"] == _resultat_attendu(etats)
