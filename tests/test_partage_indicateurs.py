"""Anonymised indicators (``communs indicateurs``): bands and ratios computed by hand on a
small ledger; the shared JSON holds no name, SIREN, account, payee, narration nor amount
(a Hypothesis property on generated ledgers); peers' quartiles computed by hand; a group
of 4 refused."""

from __future__ import annotations

import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communs_ledger.chargement import load_livre
from communs_ledger.partage.comparaison import (
    PairIllisible,
    build_rapport_comparaison,
    comparer,
    lire_pair,
    quantile,
)
from communs_ledger.partage.indicateurs import (
    BANDES_SALARIES,
    BANDES_TAILLE,
    IndicateursPartages,
    bande,
    compute_indicateurs_partages,
)
from communs_ledger.partage.reglages import partage_config
from communs_ledger.rapports.source import Source
from conftest import BANQUE, FONDS, FOURNISSEUR, FOURNITURES, ROOT, one_line, write_ledger

D = Decimal
REGION = "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Region"
COMMUNE = "Produits:74-Subventions:741-Subventions-d-exploitation:7415-Commune"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
SALAIRES = "Charges:64-Personnel:6411-Salaires"
URSSAF = "Charges:64-Personnel:6451-Urssaf"
LOYER = "Charges:61-Services-exterieurs:6132-Locations-immobilieres"
COMPTES = [BANQUE, FONDS, FOURNISSEUR, FOURNITURES, REGION, COMMUNE, COTISATIONS, SALAIRES]
COMPTES += [URSSAF, LOYER]

NOM = "Les Amis du Lavoir"
SIREN = "843127655"
CONFIG = f"""\
association:
  nom: "{NOM}"
  siren: "{SIREN}"
partage:
  secteur: culture
  salaries: 4
"""


def _tx(day: str, payee: str, label: str, debit: str, credit: str, amount: str) -> str:
    return f'{day} * "{payee}" "{label}"\n  {debit}  {amount} EUR\n  {credit}  -{amount} EUR\n\n'


def _petit_livre(folder: Path) -> Path:
    """2025: 50 000 € of produits, 50 400 € of charges, 2 400 € of them unpaid.

    Opening funds 12 000 €; Région 30 000 €, Commune 10 000 €, membership fees 10 000 €;
    salaries 24 000 €, Urssaf 12 000 €, rent 12 000 € paid; supplies 2 400 € unpaid.
    """
    body = "".join(f"2025-01-01 open {account}\n" for account in COMPTES) + "\n"
    body += _tx("2025-01-02", "Apport", "Fonds associatifs", BANQUE, FONDS, "12000.00")
    body += _tx("2025-03-10", "Conseil régional", "Subvention", BANQUE, REGION, "30000.00")
    body += _tx("2025-04-10", "Mairie", "Subvention", BANQUE, COMMUNE, "10000.00")
    body += _tx("2025-05-10", "Adhérents", "Cotisations", BANQUE, COTISATIONS, "10000.00")
    body += _tx("2025-06-30", "Salariés", "Salaires nets", SALAIRES, BANQUE, "24000.00")
    body += _tx("2025-07-15", "Urssaf", "Cotisations", URSSAF, BANQUE, "12000.00")
    body += _tx("2025-08-01", "SCI du Lavoir", "Loyers", LOYER, BANQUE, "12000.00")
    body += _tx(
        "2025-12-20", "Papeterie Dupont", "Fournitures", FOURNITURES, FOURNISSEUR, "2400.00"
    )
    return write_ledger(folder, body, config=CONFIG)


def _indicateurs(path: Path, code: str = "2025") -> IndicateursPartages:
    livre = load_livre(path)
    assert livre.diagnostics == []
    source = Source.from_livre(livre)
    return compute_indicateurs_partages(
        source, source.exercice(code), partage_config(livre.context.config)
    )


def test_bandes_et_ratios_calcules_a_la_main(tmp_path: Path) -> None:
    found = _indicateurs(_petit_livre(tmp_path / "asso"))
    assert found.exercice == "2025"
    assert found.bande_taille == "50 à 200 k€"  # 50 000 € of produits: the lower bound
    assert found.secteur == "culture"
    assert found.bande_salaries == "3 à 5"  # 4 employees
    assert found.valeurs == {
        # cash 12 000 + 50 000 − 48 000 = 14 000 €, × 12 months / 50 400 € of charges = 3.33
        "tresorerie_mois": D("3.3"),
        # fonds propres 12 000 − 400 (deficit) = 11 600 €, × 12 / 50 400 = 2.76
        "fonds_propres_mois": D("2.8"),
        # (30 000 + 10 000) / 50 000 = 80 %
        "part_financements_publics": D("80"),
        # Région 30 000 / 40 000 of public funding = 75 %
        "concentration_financeurs": D("75"),
        # (24 000 + 12 000) / 50 400 = 71.4 %
        "part_charges_personnel": D("71"),
        # −400 / 50 000 = −0.8 %, rounded half up to the whole per cent: −1
        "marge_resultat": D("-1"),
    }


def test_bandes_bornes() -> None:
    assert bande(D("9999.99"), BANDES_TAILLE) == "moins de 10 k€"
    assert bande(D("10000"), BANDES_TAILLE) == "10 à 50 k€"
    assert bande(D("5000000"), BANDES_TAILLE) == "plus de 5 M€"
    assert [bande(n, BANDES_SALARIES) for n in (0, 1, 2, 3, 9, 10, 49, 50)] == [
        "0", "1 à 2", "1 à 2", "3 à 5", "6 à 9", "10 à 19", "20 à 49", "50 et plus",
    ]  # fmt: skip
    assert bande(None, BANDES_SALARIES) == "non renseigné"


def _chaines(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_chaines(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _chaines(v)]
    return [str(value)]


_LETTRES = "abcdefghijklmnopqrstuvwxyzéèàçôABCDEFGHIJKLMNOPQRSTUVWXYZÉ' -"
# what every shared document holds whatever the ledger: keys, band labels, the sector
_VOCABULAIRE = " ".join(
    [
        IndicateursPartages("2025", "", "culture", "", {}).texte_json(),
        *(label for _, label in BANDES_TAILLE),
        *(label for _, label in BANDES_SALARIES),
    ]
).casefold()
_mots = st.text(_LETTRES, min_size=5, max_size=24).filter(
    lambda mot: mot.strip(" '-") == mot and mot.casefold() not in _VOCABULAIRE
)
_montants = st.tuples(st.integers(1000, 90000), st.integers(10, 99)).map(
    lambda parts: f"{parts[0]}.{parts[1]}"
)
_SENS = [(BANQUE, REGION), (BANQUE, COMMUNE), (BANQUE, COTISATIONS), (SALAIRES, BANQUE)]
_SENS += [(URSSAF, BANQUE), (LOYER, BANQUE), (FOURNITURES, FOURNISSEUR)]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    nom=_mots,
    payees=st.lists(_mots, min_size=7, max_size=7),
    narrations=st.lists(_mots, min_size=7, max_size=7),
    montants=st.lists(_montants, min_size=7, max_size=7),
)
def test_json_sans_rien_d_identifiant(
    nom: str, payees: list[str], narrations: list[str], montants: list[str]
) -> None:
    """Property (Hypothesis): on generated ledgers — the association's name, payees,
    narrations and amounts drawn at random — no string of the ledger reaches the shared
    document, and no value is an amount."""
    body = "".join(f"2025-01-01 open {account}\n" for account in COMPTES) + "\n"
    for index, (debit, credit) in enumerate(_SENS):
        body += _tx(
            f"2025-0{index + 1}-05", payees[index], narrations[index], debit, credit,
            montants[index],
        )  # fmt: skip
    with tempfile.TemporaryDirectory() as dossier:
        path = write_ledger(Path(dossier) / "asso", body, config=CONFIG.replace(NOM, nom))
        texte = _indicateurs(path).texte_json()
    interdits = [nom, SIREN, *payees, *narrations, *montants]
    # the accounts and their numbered components (« 6411-Salaires »); not the roots
    # (« Charges »), which name indicators too (« part_charges_personnel »)
    interdits += [*COMPTES, *(part for account in COMPTES for part in account.split(":")[1:])]
    for interdit in interdits:
        assert interdit.casefold() not in texte.casefold(), interdit
    for value in _chaines(json.loads(texte)):
        assert not re.fullmatch(r"-?\d+\.\d\d", value), value  # never an amount with cents
    assert set(json.loads(texte)) == {
        "format", "version", "exercice", "bande_taille", "secteur", "bande_salaries",
        "indicateurs",
    }  # fmt: skip


def test_partage_montre_puis_ecrit_avec_oui(tmp_path: Path, monkeypatch, communs) -> None:
    path = _petit_livre(tmp_path / "asso")
    monkeypatch.chdir(path.parent)
    montre = communs("indicateurs", "--partage", "-e", "2025", "--sortie", "i.json")
    assert montre.exit_code == 0, montre.output
    assert '"concentration_financeurs": "75"' in montre.output
    assert "Rien n'est écrit" in montre.output
    assert not (path.parent / "i.json").exists()
    ecrit = communs("indicateurs", "--partage", "-e", "2025", "--sortie", "i.json", "--oui")
    assert ecrit.exit_code == 0, ecrit.output
    data = json.loads((path.parent / "i.json").read_text(encoding="utf-8"))
    assert data["indicateurs"]["tresorerie_mois"] == "3.3"
    assert data["bande_salaries"] == "3 à 5"
    # what was shown is exactly what is written
    assert (path.parent / "i.json").read_text(encoding="utf-8") in montre.output
    sans_sortie = communs("indicateurs", "--partage", "-e", "2025")
    assert sans_sortie.exit_code == 2


def test_partage_confirme_en_francais(tmp_path: Path) -> None:
    """In a terminal, the confirmation asks « (o/n) » and takes « o » (Typer's confirm
    asked « [y/N] » and answered « Error: invalid input » to a French « o »)."""
    from test_saisie import _dans_un_terminal

    path = _petit_livre(tmp_path / "asso")
    args = ["indicateurs", "--partage", "-e", "2025", "--sortie", "i.json"]
    sortie = _dans_un_terminal(path.parent, args, ["oui ?", "o"])
    assert "Écrire ce fichier ? (o/n) [n] :" in sortie
    assert "répondez o (oui) ou n (non)" in sortie
    assert "[y/N]" not in sortie and "Error" not in sortie
    assert json.loads((path.parent / "i.json").read_text(encoding="utf-8"))["exercice"] == "2025"


def _pair(**valeurs: str | None) -> IndicateursPartages:
    return IndicateursPartages(
        "2025",
        "50 à 200 k€",
        "culture",
        "3 à 5",
        {k: None if v is None else D(v) for k, v in valeurs.items()},
    )


def test_quartiles_a_la_main() -> None:
    # 5 values 1, 2, 4, 8, 10: rank p × 4 → Q1 at rank 1 = 2, median at rank 2 = 4, Q3 = 8
    assert [quantile([D(1), D(2), D(4), D(8), D(10)], D(q) / 4) for q in (1, 2, 3)] == [
        D(2), D(4), D(8),
    ]  # fmt: skip
    # 6 values: Q1 at rank 1.25 = 2 + 0.25 × 2 = 2.5; median at rank 2.5 = 4 + 0.5 × 4 = 6;
    # Q3 at rank 3.75 = 8 + 0.75 × 2 = 9.5
    six = [D(1), D(2), D(4), D(8), D(10), D(12)]
    assert [quantile(six, D(q) / 4) for q in (1, 2, 3)] == [D("2.5"), D(6), D("9.5")]


def test_comparaison_position_et_refus_sous_cinq() -> None:
    pairs = [_pair(tresorerie_mois=v, marge_resultat=m) for v, m in
             [("1", "2"), ("2", "-1"), ("4", "0"), ("8", "3"), ("10", None)]]  # fmt: skip
    propre = _pair(tresorerie_mois="9", marge_resultat="5")
    comparaison = comparer(propre, pairs)
    par_id = {p.id: p for p in comparaison.positions}
    tresorerie = par_id["tresorerie_mois"]
    assert (tresorerie.pairs, tresorerie.quartiles) == (5, (D(2), D(4), D(8)))
    assert tresorerie.position == "au-dessus du 3e quartile"
    marge = par_id["marge_resultat"]  # 4 peers only give it: refused
    assert (marge.pairs, marge.quartiles) == (4, None)
    assert marge.position == "non comparé (moins de 5)"
    rapport = build_rapport_comparaison(comparaison, "X")
    lignes = {ligne.id: ligne for ligne in rapport.parties[0].lignes}
    assert lignes["marge_resultat"].valeurs["mediane"] is None
    assert lignes["tresorerie_mois"].valeurs["mediane"] == D(4)
    # a peer of another exercice is not counted
    assert comparer(propre, [*pairs[:4], _pair_de("2024")]).positions[0].quartiles is None


def _pair_de(exercice: str) -> IndicateursPartages:
    return IndicateursPartages(
        exercice, "50 à 200 k€", "culture", "3 à 5", {"tresorerie_mois": D(3)}
    )


def test_fichier_de_pair_strict(tmp_path: Path) -> None:
    bon = _pair(tresorerie_mois="3.5").en_json()
    (tmp_path / "a.json").write_text(json.dumps(bon), encoding="utf-8")
    assert lire_pair(tmp_path / "a.json").valeurs["tresorerie_mois"] == D("3.5")
    for change in ({"nom": "Les Amis"}, {"indicateurs": {"tresorerie_mois": 3.5}}):
        (tmp_path / "b.json").write_text(json.dumps({**bon, **change}), encoding="utf-8")
        with pytest.raises(PairIllisible):
            lire_pair(tmp_path / "b.json")


def test_comparer_en_ligne_de_commande(tmp_path: Path, monkeypatch, communs) -> None:
    path = _petit_livre(tmp_path / "asso")
    monkeypatch.chdir(path.parent)
    reseau = tmp_path / "reseau"
    reseau.mkdir()
    for index, valeur in enumerate(["1", "2", "4", "8", "10"]):
        pair = _pair(tresorerie_mois=valeur, concentration_financeurs="50")
        (reseau / f"{index}.json").write_text(pair.texte_json(), encoding="utf-8")
    result = communs("indicateurs", "-e", "2025", "--comparer", str(reseau))
    assert result.exit_code == 0, result.output
    text = one_line(result.output)
    assert "Comparaison avec le réseau" in text
    # own 3.3 months: between Q1 (2) and the median (4)
    assert "3,3 2,0 4,0 8,0 5 entre le 1er quartile et la médiane" in text
    assert "non comparé (moins de 5)" in text


def test_groupe_de_quatre_refuse() -> None:
    """Five peers, four of them in the association's size band: with ``--groupe taille``
    no indicator is compared."""
    pairs = [_pair(tresorerie_mois=v) for v in ("1", "2", "4", "8")]
    autre = IndicateursPartages("2025", "1 à 5 M€", "culture", "3 à 5", {"tresorerie_mois": D(9)})
    propre = _pair(tresorerie_mois="3")
    assert comparer(propre, [*pairs, autre]).positions[0].quartiles == (D(2), D(4), D(8))
    groupe = comparer(propre, [*pairs, autre], "taille")
    assert (groupe.pairs, groupe.ecartes, groupe.groupe) == (4, 1, "taille 50 à 200 k€")
    assert all(position.quartiles is None for position in groupe.positions)


def test_reseau_exemple_reproductible(tmp_path: Path) -> None:
    """The sample network's files are what scripts/reseau_exemple.py writes (two of them)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("reseau", ROOT / "scripts" / "reseau_exemple.py")
    assert spec is not None and spec.loader is not None
    reseau = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reseau)
    fichiers = sorted((ROOT / "modeles" / "reseau-exemple").glob("*.json"))
    assert len(fichiers) == reseau.ASSOCIATIONS == 30
    for numero in (1, 17):
        texte = reseau.indicateurs_generes(numero, tmp_path / str(numero))
        attendu = ROOT / "modeles" / "reseau-exemple" / f"association-{numero:02d}.json"
        assert texte == attendu.read_text(encoding="utf-8")


def test_fichier_de_pair_plus_precis_que_le_format_refuse(tmp_path: Path) -> None:
    """The format rounds months to one decimal and shares to the whole per cent: a peer's
    value more precise than that (an amount slipped into an indicator, 53 780,35 €, or an
    unrounded ratio that narrows down who the peer is) makes the file refused, like a
    key out of the format; values written as the format rounds them are read."""
    bon = _pair(tresorerie_mois="3.8", marge_resultat="-1").en_json()
    (tmp_path / "a.json").write_text(json.dumps(bon), encoding="utf-8")
    assert lire_pair(tmp_path / "a.json").valeurs["marge_resultat"] == D(-1)
    for key, value in (
        ("tresorerie_mois", "53780.35"),
        ("fonds_propres_mois", "4.25"),
        ("part_charges_personnel", "57.4"),
    ):
        change = {**bon, "indicateurs": {**bon["indicateurs"], key: value}}
        (tmp_path / "b.json").write_text(json.dumps(change), encoding="utf-8")
        with pytest.raises(PairIllisible, match=f"b.json : indicateur {key} : {value} "):
            lire_pair(tmp_path / "b.json")
