"""The legacy entries of docs/dons-et-recus.md (« Les legs, donations et assurances-vie »),
taken from the chapter itself, load with the real loader, pass ``communs verifier`` under
the 2025 chart, and give the statements the figures the chapter prints.

The ledger: 5 000 € of fonds propres on 2025-01-01, then the chapter's entries.
2025: legs 80 000 (240 / 75432) + assurance-vie 12 000 (512 / 75431) = 92 000 of 7543;
notaire 1 200 (62264); report 80 000 (6891 / 1911); excédent 92 000 - 1 200 - 80 000 =
10 800. Bilan: banque 5 000 + 12 000 - 1 200 = 15 800, 240 80 000 (actif 95 800);
fonds propres 5 000 + 10 800 = 15 800, fonds reportés 80 000 (passif 95 800).
2026: local kept 30 000 (2131 / 75432); sale 85 000 (757), 240 out 80 000 (652),
reprise 80 000 (7891); excédent 30 000 + 85 000 + 80 000 - 80 000 = 115 000.
Bilan: banque 15 800 + 85 000 = 100 800, local 30 000 (actif 130 800); fonds propres
5 000 + report 10 800 + 115 000 = 130 800, fonds reportés 0.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from communs_ledger.chargement import load_livre
from communs_ledger.rapports.bilan import compute_bilan
from communs_ledger.rapports.resultat import compute_compte_de_resultat
from communs_ledger.rapports.source import Source
from conftest import write_ledger

D = Decimal
DOC = Path(__file__).resolve().parents[1] / "docs" / "dons-et-recus.md"
BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"
CONFIG = 'association:\n  nom: "Les Amis du Legs"\nexercice:\n  debut: "01-01"\n'
OUVERTURE = f"""\
2025-01-01 open {BANQUE} EUR
2025-01-01 open {FONDS}

2025-01-01 * "À-nouveaux"
  {BANQUE}  5000.00 EUR
  {FONDS}  -5000.00 EUR
"""


def _blocs_du_chapitre() -> str:
    """The ``beancount`` blocks of the chapter's legacy section, in order."""
    texte = DOC.read_text(encoding="utf-8")
    debut = texte.index("## Les legs, donations et assurances-vie")
    section = texte[debut : texte.index("\n## ", debut + 1)]
    blocs = re.findall(r"```beancount\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocs) == 6, len(blocs)  # opens, acceptance, assurance-vie, report, sale, kept
    return "\n".join(blocs)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder: Path = tmp_path_factory.mktemp("legs")
    write_ledger(folder, OUVERTURE + "\n" + _blocs_du_chapitre(), config=CONFIG)
    return folder


@pytest.fixture(scope="module")
def source(dossier: Path) -> Source:
    livre = load_livre(dossier / "main.beancount")
    assert livre.ok, [str(d) for d in livre.diagnostics]
    return Source.from_livre(livre)


def test_communs_verifier_accepte_les_comptes(
    dossier: Path, communs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dossier)
    result = communs("verifier")
    assert result.exit_code == 0, result.output


def test_compte_de_resultat(source: Source) -> None:
    resultat = compute_compte_de_resultat(source, source.exercice("2026"))
    n, n1 = resultat.n, resultat.n1
    assert n1 is not None
    lignes = {ligne.id: ligne for ligne in resultat.lignes}
    assert (lignes["legs_donations"].n1, lignes["legs_donations"].n) == (D(92000), D(30000))
    assert lignes["reports_fonds_dedies"].n1 == D(80000)
    assert lignes["reports_fonds_dedies"].n == D(0)
    assert lignes["autres_achats_charges_externes"].n1 == D(1200)
    assert lignes["utilisations_fonds_dedies"].n == D(80000)
    assert lignes["produits_cessions_immobilisations"].n == D(85000)
    assert lignes["valeurs_comptables_cessions"].n == D(80000)
    assert n1.resultat_net == D(10800)
    assert n1.total_produits == D(92000)
    assert n1.total_charges == D(81200)
    assert n.resultat_net == D(115000)
    assert n.total_produits == D(195000)
    assert n.total_charges == D(80000)


def test_bilan(source: Source) -> None:
    resultat = compute_bilan(source, source.exercice("2026"))
    n, n1 = resultat.n, resultat.n1
    assert n1 is not None
    assert n1.montant("biens_legs_donations_a_ceder") == D(80000)
    assert n1.montant("fonds_reportes_legs_donations") == D(80000)
    assert n1.disponibilites == D(15800)
    assert n1.fonds_propres == D(15800)
    assert (n1.total_actif, n1.total_passif) == (D(95800), D(95800))
    assert n.montant("biens_legs_donations_a_ceder") == D(0)
    assert n.montant("fonds_reportes_legs_donations") == D(0)
    assert n.montant("constructions") == D(30000)
    assert n.disponibilites == D(100800)
    assert n.resultats_anterieurs == D(10800)
    assert n.fonds_propres == D(130800)
    assert (n.total_actif, n.total_passif) == (D(130800), D(130800))


def test_modele_legs_vente(tmp_path: Path, communs, monkeypatch: pytest.MonkeyPatch) -> None:
    """``communs saisir legs-vente`` books the chapter's three sale entries as one: the
    ledger up to the 2025 report, then the template; the 2026 figures are the chapter's
    without the kept local (115 000 - 30 000 = 85 000 of excédent)."""
    blocs = _blocs_du_chapitre().split("\n2026-04-20")[0]  # opens to the 2025 report
    write_ledger(tmp_path, OUVERTURE + "\n" + blocs, config=CONFIG)
    monkeypatch.chdir(tmp_path)
    result = communs(
        "saisir", "legs-vente", "--date", "2026-04-20", "--montant", "85 000",
        "--valeur", "acceptation=80000", "--valeur", "reporte=80000",
        "--tiers", "Étude Leroux", "--fichier", "main.beancount", "--oui",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    texte = (tmp_path / "main.beancount").read_text(encoding="utf-8")
    vente = texte[texte.index("2026-04-20 *") :].splitlines()
    assert vente[0] == '2026-04-20 * "Étude Leroux" "Vente d\'un bien reçu par legs"'
    attendu = [  # (account's number, amount), debit lines first as written by the template
        ("512", "85000.00"), ("757", "-85000.00"), ("652", "80000.00"),
        ("240", "-80000.00"), ("1911", "80000.00"), ("7891", "-80000.00"),
    ]  # fmt: skip
    for ligne, (code, montant) in zip(vente[1:7], attendu, strict=True):
        assert f":{code}-" in ligne and ligne.endswith(f" {montant} EUR"), ligne
    livre = load_livre(tmp_path / "main.beancount")
    assert livre.ok, [str(d) for d in livre.diagnostics]
    source = Source.from_livre(livre)
    resultat = compute_compte_de_resultat(source, source.exercice("2026"), n1=False)
    lignes = {ligne.id: ligne.n for ligne in resultat.lignes}
    assert lignes["produits_cessions_immobilisations"] == D(85000)
    assert lignes["valeurs_comptables_cessions"] == D(80000)
    assert lignes["utilisations_fonds_dedies"] == D(80000)
    assert resultat.n.resultat_net == D(85000)
    bilan = compute_bilan(source, source.exercice("2026")).n
    assert bilan.montant("biens_legs_donations_a_ceder") == D(0)
    assert bilan.montant("fonds_reportes_legs_donations") == D(0)
    assert bilan.disponibilites == D(100800)
