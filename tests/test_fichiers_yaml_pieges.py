"""Every side YAML file of the example association, with one mistake planted in it:
``communs verifier`` (or ``communs importer`` for the import rules) exits 1 with a
French message naming ``file:line`` — never « Erreur interne », never a traceback.

The mistakes are those found by hand in issues 12 and 14: an impossible date, a
number written with an exponent or as infinity/NaN, an ambiguous amount
(``2.400``), a negative or missing budget amount, a payroll rate written as a
fraction, PyYAML syntax errors, a ``!!python/object`` tag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import one_line


@dataclass(frozen=True)
class Piege:
    fichier: str
    avant: str
    apres: str
    attendu: str  # a fragment of the French message
    ligne_de: str | None = None  # the text of the line the message must name (default: apres)


_DATES = [
    Piege("communs.yaml", "    debut: 2012-04-01", "    debut: 2019-02-30", "date impossible"),
    Piege("budgets/2026.yaml", "    date: 2026-04-11", "    date: 2026-02-30", "date impossible"),
    Piege(
        "budgets/2026.yaml", "{dates: {2026-01-26: 7320", "{dates: {2026-02-30: 7320", "impossible"
    ),
    Piege("conventions.yaml", "    debut: 2023-07-01", "    debut: 2025-09-31", "date impossible"),
    Piege(
        "previsions/paie.yaml", "    debut: 2019-09-02", "    debut: 2025-09-31", "date impossible"
    ),
    Piege(
        "previsions/flux.yaml", "    debut: 2026-04-05", "    debut: 2025-09-31", "date impossible"
    ),
    Piege(
        "previsions/scenarios.yaml",
        "{date: 2027-02-26}",
        "{date: 2027-02-30}",
        "date impossible",
    ),
    Piege(
        "analytique/repartition.yaml", "    au: 2025-12-31", "    au: 2025-09-31", "date impossible"
    ),
]

_NOMBRES_ILLISIBLES = ["1e30", "nan", ".inf", "-.inf", "1.0e+30", "inf"]
_MONTANTS = [
    ("budgets/2026.yaml", "        montant: 7000"),
    ("conventions.yaml", "    montant: 3634.80"),
    ("previsions/flux.yaml", "    montant: -1573.48"),
    ("previsions/paie.yaml", "    brut_mensuel: 2800"),
]


def _nombre(ligne: str, valeur: str) -> str:
    return ligne.split(":")[0] + ": " + valeur


_NOMBRES = [
    Piege(fichier, ligne, _nombre(ligne, valeur), "nombre")
    for fichier, ligne in _MONTANTS
    for valeur in _NOMBRES_ILLISIBLES
] + [
    Piege(
        "communs.yaml",
        "seuil: {mois_de_charges: 1}",
        "seuil: {mois_de_charges: 1, montant: 1e30}",
        "nombre",
    ),
    Piege(
        "communs.yaml", "seuil: {mois_de_charges: 1}", "seuil: {mois_de_charges: .nan}", "nombre"
    ),
    Piege(
        "analytique/repartition.yaml",
        "quantites: {JARDINS: 1050,",
        "quantites: {JARDINS: .inf,",
        "nombre",
    ),
    Piege(
        "analytique/repartition.yaml",
        "quantites: {JARDINS: 1050,",
        "quantites: {JARDINS: 1e30,",
        "nombre",
    ),
]

_AUTRES = [
    Piege("previsions/scenarios.yaml", '{montant: "-30%"}', "{montant: 1e30}", "montant attendu"),
    Piege("previsions/scenarios.yaml", '{montant: "-30%"}', '{montant: "nan"}', "montant attendu"),
    Piege("previsions/scenarios.yaml", '{montant: "-30%"}', "{montant: 12.345}", "ambigu"),
    Piege(
        "previsions/scenarios.yaml",
        "animatrice-cuisine: {fin: 2027-06-30}",
        "animatrice-cuisine: {fin: 2027-06-31}",
        "date impossible",
    ),
    Piege("previsions/flux.yaml", "    indexation: 1.5", "    indexation: 1e30", "sans exposant"),
    Piege("previsions/flux.yaml", "    jour: 5", "    jour: 99999999999", "démesuré"),
    Piege(
        "communs.yaml",
        "  seuil: {mois_de_charges: 1}",
        '  delais: {"441": 99999999}\n  seuil: {mois_de_charges: 1}',
        "démesuré",
    ),
    Piege(
        "conventions.yaml",
        "part: 100, date: 2024-07-15",
        "part: 1e2, date: 2024-07-15",
        "sans exposant",
    ),
    Piege(
        "conventions.yaml",
        "    compte_rendu_remis: 2024-07-05",
        "    compte_rendu_remis: 2024-02-30",
        "date impossible",
    ),
    Piege(
        "immobilisations.yaml",
        "    mise_en_service: 2024-03-12",
        "    mise_en_service: 2024-02-30",
        "date impossible",
    ),
]

_DOSSIERS = [  # a declared file that is a folder: named at its key in communs.yaml
    Piege("communs.yaml", "  paie: previsions/paie.yaml", "  paie: previsions", "un dossier"),
    Piege("communs.yaml", '"2026": budgets/2026.yaml', '"2026": budgets', "un dossier"),
    Piege("communs.yaml", "conventions: conventions.yaml", "conventions: budgets", "un dossier"),
    Piege(
        "communs.yaml",
        "immobilisations: immobilisations.yaml",
        "immobilisations: budgets",
        "un dossier",
    ),
    Piege(
        "communs.yaml",
        "  repartition: analytique/repartition.yaml",
        "  repartition: analytique",
        "un dossier",
    ),
]

_AMBIGUS = [
    Piege("budgets/2026.yaml", "        montant: 7000", "        montant: 7.000", "ambigu"),
    Piege("budgets/2026.yaml", "        montant: 7000", '        montant: "7,000"', "ambigu"),
    Piege("conventions.yaml", "    montant: 3634.80", "    montant: 3.634", "ambigu"),
    Piege(
        "immobilisations.yaml", "    valeur_origine: 3612.00", "    valeur_origine: 3.612", "ambigu"
    ),
    Piege("previsions/flux.yaml", "    montant: -1573.48", "    montant: -1.573", "ambigu"),
    Piege("previsions/paie.yaml", "    brut_mensuel: 2800", "    brut_mensuel: 2.800", "ambigu"),
]

_BUDGET = [
    Piege("budgets/2026.yaml", "        montant: 7000", "        montant: -7000", "négatif"),
    Piege(
        "budgets/2026.yaml",
        "        libelle: Achats (outillage, fournitures)\n        montant: 7000\n",
        "        libelle: Achats (outillage, fournitures)\n",
        "« montant » : champ obligatoire manquant",
        ligne_de='      - compte: "60"',
    ),
]

_PAIE = [
    Piege("previsions/paie.yaml", "  taux_salarial: 25", "  taux_salarial: 0.25", "fraction"),
    Piege(
        "previsions/paie.yaml",
        "    cotisations: {urssaf: 23.2, retraite: 6.01, prevoyance: 2.74}",
        "    cotisations: {urssaf: 0.232, retraite: 0.0601, prevoyance: 0.0274}",
        "fraction",
    ),
]

# One text line of each file, to break its syntax.
_LIGNES = {
    "communs.yaml": "    nom: Jardins partagés du Coteau",
    "budgets/2026.yaml": "        libelle: Achats (outillage, fournitures)",
    "conventions.yaml": "    financeur: ASP\n",
    "immobilisations.yaml": "    libelle: Deux ordinateurs portables et un vidéoprojecteur",
    "previsions/paie.yaml": "    intitule: Claire Morvan, coordinatrice (CDI)",
    "previsions/flux.yaml": "    libelle: Loyer du local (SCI des Tilleuls)",
    "previsions/scenarios.yaml": "    libelle: « Cuisine du jardin » non reconduite en 2027\n",
    "analytique/repartition.yaml": "    libelle: Animateur jardins – heures d'animation par projet",
}


def _syntaxe(fichier: str, ligne: str) -> list[Piege]:
    cle = ligne.split(":")[0]
    fin = "\n" if ligne.endswith("\n") else ""
    return [
        Piege(fichier, ligne, f"{cle}: texte: avec deux-points{fin}", "« : » inattendu"),
        Piege(fichier, ligne, "\t" + ligne.lstrip(" "), "tabulation interdite"),
        Piege(
            fichier,
            ligne,
            f'{cle}: !!python/object/apply:os.system ["touch pirate"]{fin}',
            "étiquette YAML « !!python/object/apply:os.system » refusée",
        ),
    ]


_SYNTAXE = [piege for fichier, ligne in _LIGNES.items() for piege in _syntaxe(fichier, ligne)]

PIEGES = _DATES + _NOMBRES + _AUTRES + _DOSSIERS + _AMBIGUS + _BUDGET + _PAIE + _SYNTAXE


def _id(piege: Piege) -> str:
    return f"{piege.fichier}:{piege.apres.strip()[:40]}"


@pytest.fixture
def copie(copie_exemple: Path) -> Path:
    return copie_exemple


def _planter(copie: Path, piege: Piege) -> int:
    path = copie / piege.fichier
    text = path.read_text(encoding="utf-8")
    assert piege.avant in text, piege
    text = text.replace(piege.avant, piege.apres, 1)
    path.write_text(text, encoding="utf-8")
    cherche = piege.ligne_de or piege.apres.strip("\n").split("\n")[0]
    lines = text.splitlines()
    return next(n for n, line in enumerate(lines, 1) if cherche in line)


def _sans_erreur_interne(output: str) -> None:
    assert "Erreur interne" not in output, output
    assert "Traceback" not in output, output
    assert "Error" not in output and "while scanning" not in output, output


@pytest.mark.parametrize("piege", PIEGES, ids=_id)
def test_verifier_nomme_le_fichier_et_la_ligne(
    communs: Callable[..., Any], copie: Path, piege: Piege
) -> None:
    line = _planter(copie, piege)
    result = communs("verifier", "main.beancount")
    output = one_line(result.output)
    _sans_erreur_interne(output)
    assert result.exit_code == 1, output
    assert f"{piege.fichier}:{line}:" in output, output
    message = next(part for part in output.split(f"{piege.fichier}:{line}:")[1:2])
    assert piege.attendu in message, output
    assert not (copie / "pirate").exists()


def test_date_impossible_dans_le_fichier_des_clotures(
    communs: Callable[..., Any], copie: Path
) -> None:
    (copie / "clotures.yaml").write_text(
        'clotures:\n  - exercice: "2024"\n    debut: 2024-01-01\n    fin: 2024-02-30\n',
        encoding="utf-8",
    )
    result = communs("verifier", "main.beancount")
    output = one_line(result.output)
    _sans_erreur_interne(output)
    assert result.exit_code == 1
    assert "clotures.yaml:4: date impossible « 2024-02-30 »" in output, output


@pytest.mark.parametrize(
    ("apres", "attendu"),
    [
        ("    montant: 1e30\n", "nombre"),
        ("    montant: 12.345\n", "ambigu"),
        ("    nom: !!python/object:os.system {}\n", "étiquette YAML « !!python/object:os.system »"),
        ("    nom: Urssaf: cotisations\n", "« : » inattendu"),
    ],
)
def test_regles_d_import_piegees(
    communs: Callable[..., Any], copie: Path, apres: str, attendu: str
) -> None:
    regles = copie / "importation" / "regles.yaml"
    text = regles.read_text(encoding="utf-8")
    old = "  - nom: Urssaf\n    motif: urssaf\n"
    assert old in text
    planted = apres.replace("    nom:", "  - nom:", 1) if apres.startswith("    nom:") else apres
    new = planted + "    motif: urssaf\n" if planted.startswith("  - nom:") else old + planted
    regles.write_text(text.replace(old, new, 1), encoding="utf-8")
    rows = regles.read_text("utf-8").splitlines()
    line = rows.index(planted.rstrip("\n")) + 1
    result = communs("importer", "releves/credit-cooperatif-2026-11-25.csv", "-f", "main.beancount")
    output = one_line(result.output)
    _sans_erreur_interne(output)
    assert result.exit_code == 1, output
    assert f"importation/regles.yaml:{line}" in output, output
    assert attendu in output, output
