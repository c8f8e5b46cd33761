"""Categorisation rules: matching, first match wins, variables, errors at their line."""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.importation.comptes import Comptes
from communs_ledger.importation.modele import ErreurImport, Operation
from communs_ledger.importation.regles import categoriser, charger_regles

OUVERTS = [
    "Actif:51-Banques:512-Banques:Compte-courant",
    "Passif:43-Organismes-sociaux:431-Urssaf",
    "Passif:42-Personnel:421-Remunerations-dues",
    "Passif:40-Fournisseurs:401-Fournisseurs",
    "Charges:61-Services-exterieurs:6132-Locations-immobilieres",
    "Charges:61-Services-exterieurs:614-Charges-locatives",
    "Charges:62-Autres-services-exterieurs:627-Services-bancaires",
    "Produits:75-Autres-produits:756-Cotisations",
    "Produits:75-Autres-produits:7541-Dons-manuels",
]
COMPTES = Comptes({name: datetime.date(2026, 1, 1) for name in OUVERTS}, {})


def regles(tmp_path: Path, text: str, projets: set[str] | None = None):
    path = tmp_path / "regles.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return charger_regles(path, COMPTES, projets or set())


def operation(libelle: str, montant: str, day: str = "2026-01-15") -> Operation:
    return Operation(1, datetime.date.fromisoformat(day), Decimal(montant), libelle)


REGLES = """\
regles:
  - nom: Régularisation
    regex: 'TILLEULS.*R[EÉ]GUL\\w* CHARGES (?P<annee_charges>\\d{4})'
    compte: "614"
    libelle: Régularisation des charges {annee_charges}
  - nom: Loyer
    motif: sci des tilleuls
    sens: débit
    compte: "6132"
    tiers: SCI des Tilleuls
    libelle: Loyer de {mois}
  - nom: Urssaf
    motif: Urssaf Île-de-France
    sens: debit
    compte: Passif:43-Organismes-sociaux:431-Urssaf
    libelle: Cotisations de {mois_precedent}
  - nom: Salaires
    regex: 'VIR SEPA (?P<nom>[A-Z ]+?) / SALAIRE'
    sens: débit
    montant_min: 1000
    montant_max: 3000
    compte: "421"
    tiers: "{nom}"
  - nom: Petites adhésions
    regex: helloasso
    sens: crédit
    montant_max: 38
    compte: "756"
  - nom: Dons
    regex: helloasso
    sens: crédit
    compte: "7541"
  - nom: Facture
    regex: 'FACTURE (?P<facture>[A-Z]{2} \\d+/\\d+)'
    compte: "401"
    lien: "{facture}"
  - nom: Frais fixes
    motif: frais
    montant: 14.9
    compte: "627"
"""


def test_premiere_regle_qui_correspond(tmp_path: Path) -> None:
    compiled = regles(tmp_path, REGLES)
    regul = categoriser(
        operation("PRLV SEPA SCI DES TILLEULS RÉGUL CHARGES 2025", "-212.37"), compiled
    )
    assert regul is not None
    assert (regul.compte, regul.libelle, regul.tiers) == (
        "Charges:61-Services-exterieurs:614-Charges-locatives",
        "Régularisation des charges 2025",
        None,
    )
    loyer = categoriser(operation("PRLV SEPA SCI DES TILLEULS", "-1763.48"), compiled)
    assert loyer is not None and loyer.regle is not None
    assert (loyer.regle.nom, loyer.tiers, loyer.libelle) == (
        "Loyer",
        "SCI des Tilleuls",
        "Loyer de janvier 2026",
    )
    # a refund from the landlord is not rent (sens: débit)
    assert categoriser(operation("VIR SCI DES TILLEULS", "50.00"), compiled) is None


def test_majuscules_et_accents_ignores(tmp_path: Path) -> None:
    compiled = regles(tmp_path, REGLES)
    found = categoriser(operation("PRLV URSSAF ILE-DE-FRANCE DSN", "-10.00"), compiled)
    assert found is not None
    # January's contributions are those of December of the year before
    assert (found.compte, found.libelle) == (
        "Passif:43-Organismes-sociaux:431-Urssaf",
        "Cotisations de décembre 2025",
    )
    # « de » is elided before avril, août, octobre (paid in May, September, November)
    for day, label in (
        ("2026-05-15", "Cotisations d'avril 2026"),
        ("2026-09-15", "Cotisations d'août 2026"),
        ("2026-11-15", "Cotisations d'octobre 2026"),
    ):
        found = categoriser(operation("PRLV URSSAF ILE-DE-FRANCE", "-10.00", day), compiled)
        assert found is not None and found.libelle == label


def test_montants_et_groupes_nommes(tmp_path: Path) -> None:
    compiled = regles(tmp_path, REGLES)
    salaire = categoriser(operation("VIR SEPA MORVAN CLAIRE / SALAIRE", "-2045.09"), compiled)
    assert salaire is not None
    assert (salaire.compte, salaire.tiers) == (
        "Passif:42-Personnel:421-Remunerations-dues",
        "MORVAN CLAIRE",
    )
    assert categoriser(operation("VIR SEPA MORVAN CLAIRE / SALAIRE", "-3500.00"), compiled) is None
    adhesion = categoriser(operation("VIR HELLOASSO", "38.00"), compiled)
    don = categoriser(operation("VIR HELLOASSO", "38.01"), compiled)
    assert adhesion is not None and don is not None
    assert (adhesion.compte, don.compte) == (
        "Produits:75-Autres-produits:756-Cotisations",
        "Produits:75-Autres-produits:7541-Dons-manuels",
    )
    frais = categoriser(operation("FRAIS TENUE DE COMPTE", "-14.90"), compiled)
    assert frais is not None and frais.compte.endswith("627-Services-bancaires")
    assert categoriser(operation("FRAIS TENUE DE COMPTE", "-15.00"), compiled) is None


def test_lien_rendu_valide(tmp_path: Path) -> None:
    compiled = regles(tmp_path, REGLES)
    found = categoriser(operation("VIR FACTURE AB 12/2026", "-80.00"), compiled)
    assert found is not None
    assert found.lien == "AB-12/2026"


def test_projet_et_convention(tmp_path: Path) -> None:
    compiled = regles(
        tmp_path,
        """\
        regles:
          - motif: caf
            compte: "756"
            projet: CUISINE
            convention: CAF-{annee}
        """,
        {"CUISINE"},
    )
    found = categoriser(operation("VIR CAF", "8500.00", "2026-11-20"), compiled)
    assert found is not None
    assert (found.projet, found.convention) == ("CUISINE", "CAF-2026")


@pytest.mark.parametrize(
    ("text", "details"),
    [
        (
            "regles:\n  - compte: '627'\n",
            [
                "regles.yaml:2: regles[1] : indiquez « motif » (texte cherché) ou « regex » "
                "(expression régulière), l'un des deux"
            ],
        ),
        (
            "regles:\n  - motif: frais\n    regex: frais\n    compte: '627'\n",
            [
                "regles.yaml:2: regles[1] : indiquez « motif » (texte cherché) ou « regex » "
                "(expression régulière), l'un des deux"
            ],
        ),
        (
            "regles:\n  - motif: frais\n    compte: '627'\n    sens: sortant\n",
            [
                "regles.yaml:4: regles[1].sens : sens « sortant » inconnu : débit (sortie "
                "d'argent) ou crédit (entrée)"
            ],
        ),
        (
            "regles:\n  - motif: frais\n    compte: '627'\n    montant: -3\n",
            [
                "regles.yaml:2: regles[1] : montant sans signe attendu (le sens se dit avec "
                "« sens »)"
            ],
        ),
        (
            "regles:\n  - motif: frais\n    compte: '627'\n    libelle: 'Frais {trimestre}'\n",
            [
                "regles.yaml:2: regles[1] : libelle : variable {trimestre} inconnue (variables : "
                "{annee}, {date}, {libelle}, {mois}, {mois_precedent}, {tiers})"
            ],
        ),
        (
            "regles:\n  - motif: frais\n    compte: '627'\n    projet: ECOLE\n",
            ["regles.yaml:4: projet « ECOLE » inconnu (projets : CUISINE)"],
        ),
        (
            "regles:\n  - motif: frais\n    compte: '627'\n    couleur: bleu\n",
            [
                "regles.yaml:4: clé inconnue « couleur » (clés possibles : "
                "compte, nom, motif, regex, sens, montant, montant_min, montant_max, tiers, "
                "libelle, projet, convention, lien, donateur, adherent)"
            ],
        ),
    ],
)
def test_regles_invalides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, details: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ErreurImport) as raised:
        regles(tmp_path, text, {"CUISINE"})
    assert raised.value.message == "règles d'import invalides dans regles.yaml"
    assert raised.value.details == details


def test_fichier_introuvable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ErreurImport) as raised:
        charger_regles(tmp_path / "absent.yaml", COMPTES, set())
    assert raised.value.message == (
        "fichier de règles « absent.yaml » introuvable (importation: regles dans communs.yaml)"
    )
