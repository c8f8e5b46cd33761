"""Import rules that set ``donateur:`` / ``adherent:``: a real CSV statement imported by
``communs importer``, then the receipts and the members' fees read from what it wrote.

The statement (Crédit Mutuel layout, written below) has four credits in March 2026:
150,00 « VIR SEPA DURAND MARIE DON » (a regex group ``donateur`` names Marie Durand, code
DURAND-M, by her name in the other word order), 500,00 from the bakery (a rule with the
fixed code BOULANGERIE), 40,00 « VIR SEPA LEGRAND PAUL DON » (nobody of that name in
donateurs.yaml: flagged ``!`` for review, no metadata) and 20,00 « HELLOASSO ADHESION 2026
AUBERT ALICE » (``adherent: "{nom}"`` → A1).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import HEADER

BANQUE = "Actif:51-Banques:512-Banques:Compte-courant"
DONS = "Produits:75-Autres-produits:754-Dons:7541-Dons-manuels"
COTISATIONS = "Produits:75-Autres-produits:756-Cotisations"
FONDS = "Fonds-propres:10-Fonds-propres:102-Fonds-propres-sans-droit-de-reprise"

LIVRE = f"""\
option "operating_currency" "EUR"
2026-01-01 open {BANQUE} EUR
2026-01-01 open {DONS}
2026-01-01 open {COTISATIONS}
2026-01-01 open {FONDS}
2026-01-01 open Charges:62-Autres-services-exterieurs:627-Services-bancaires

2026-01-02 * "Apport" "Fonds propres"
  {BANQUE}  1000.00 EUR
  {FONDS}
"""

RELEVE = """\
Date;Date de valeur;Débit;Crédit;Libellé;Solde
10/03/2026;10/03/2026;;150,00;VIR SEPA DURAND MARIE DON;1 150,00
12/03/2026;12/03/2026;;500,00;VIR SEPA BOULANGERIE DU COTEAU MECENAT;1 650,00
14/03/2026;14/03/2026;;40,00;VIR SEPA LEGRAND PAUL DON;1 690,00
15/03/2026;15/03/2026;;20,00;VIR SEPA HELLOASSO ADHESION 2026 AUBERT ALICE;1 710,00
"""

REGLES = """\
regles:
  - nom: Mécénat de la boulangerie
    motif: boulangerie du coteau
    sens: crédit
    compte: "7541"
    tiers: Boulangerie du Coteau
    libelle: Mécénat
    donateur: BOULANGERIE
  - nom: Dons par virement
    regex: 'VIR SEPA (?P<donateur>.+?) DON$'
    sens: crédit
    compte: "7541"
    libelle: Don par virement
  - nom: Adhésions HelloAsso
    regex: 'HELLOASSO ADHESION \\d{4} (?P<nom>.+)$'
    compte: "756"
    libelle: Cotisation (HelloAsso)
    adherent: "{nom}"
"""

DONATEURS = """\
donateurs:
  - code: DURAND-M
    nom: Marie Durand
    adresse: "12 rue des Lilas, 91360 Villebrie-sur-Orge"
  - code: BOULANGERIE
    nom: Boulangerie du Coteau SARL
    type: entreprise
    adresse: "3 place du Marché, 91360 Villebrie-sur-Orge"
"""

ADHERENTS = """\
adherents:
  - {code: A1, nom: Alice Aubert}
  - {code: A2, nom: Bruno Bernard}
"""

CONFIG = f"""\
association:
  nom: Les Jardins du Coteau
  adresse: "8 rue du Lavoir, 91360 Villebrie-sur-Orge"
  objet: Créer et animer des jardins partagés
importation:
  regles: regles.yaml
  compte: {BANQUE}
dons:
  donateurs: donateurs.yaml
  adherents: adherents.yaml
recus_fiscaux:
  base: interet_general
  signataire: "Claire Martin, trésorière"
"""


def _dossier(folder: Path, regles: str = REGLES) -> Path:
    (folder / "main.beancount").write_text(HEADER + LIVRE, encoding="utf-8")
    (folder / "communs.yaml").write_text(CONFIG, encoding="utf-8")
    (folder / "regles.yaml").write_text(regles, encoding="utf-8")
    (folder / "donateurs.yaml").write_text(DONATEURS, encoding="utf-8")
    (folder / "adherents.yaml").write_text(ADHERENTS, encoding="utf-8")
    (folder / "releve.csv").write_text(RELEVE, encoding="cp1252")
    return folder


def _entree(texte: str, libelle: str) -> str:
    """The entry of the appended text whose bank label is ``libelle``."""
    blocs = texte.split("\n\n")
    return next(bloc for bloc in blocs if f'libelle_banque: "{libelle}"' in bloc)


def test_regles_posent_donateur_et_adherent(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir)
    livre = ledger_dir / "main.beancount"
    avant = livre.read_text(encoding="utf-8")
    result = communs("importer", "releve.csv", "--ecrire", "main.beancount")
    assert result.exit_code == 0, result.output
    ajoute = livre.read_text(encoding="utf-8")[len(avant) :]
    durand = _entree(ajoute, "VIR SEPA DURAND MARIE DON")
    assert durand.splitlines()[0] == '2026-03-10 * "Don par virement"'
    assert '  donateur: "DURAND-M"' in durand
    assert '  donateur: "BOULANGERIE"' in _entree(ajoute, "VIR SEPA BOULANGERIE DU COTEAU MECENAT")
    assert '  adherent: "A1"' in _entree(ajoute, "VIR SEPA HELLOASSO ADHESION 2026 AUBERT ALICE")
    # Nobody is called Paul Legrand in donateurs.yaml: the entry is written, flagged for
    # review and without donateur (which would fail communs verifier).
    legrand = _entree(ajoute, "VIR SEPA LEGRAND PAUL DON")
    assert legrand.splitlines()[1].startswith("2026-03-14 ! ")
    assert '  donateur: "' not in legrand
    # The rule « Dons par virement » is the second of regles.yaml, at line 9.
    note = (
        "donateur « LEGRAND PAUL » (absent de donateurs.yaml) : règle « Dons par virement » "
        "(regles.yaml:9)"
    )
    assert f'a_revoir: "{note}' in legrand
    sortie = " ".join(result.output.split())
    assert "Donateurs ou adhérents à revoir" in sortie
    assert f"ligne 4, 14/03/2026, 40,00 € : {note}" in sortie
    assert communs("verifier").exit_code == 0

    # The receipts read what the import wrote: Durand 150,00 (10/03) then the bakery
    # 500,00 (12/03); the 40,00 without a donor has none.
    registre = communs("recus", "-e", "2026", "--date", "2026-12-31", "--format", "csv")
    assert registre.exit_code == 0, registre.output
    lignes = csv.DictReader(io.StringIO(registre.output[registre.output.index("partie,") :]))
    assert [(r["libelle"], r["donateur"], r["montant"]) for r in lignes] == [
        ("2026-0001", "Marie Durand", "150.00"),
        ("2026-0002", "Boulangerie du Coteau SARL", "500.00"),
    ]
    # Members: A1 paid 20,00 by HelloAsso; A2 nothing.
    adherents = communs("adherents", "-e", "2026", "--format", "json")
    valeurs = {
        ligne["id"]: ligne["valeurs"]
        for ligne in json.loads(adherents.output)["parties"][0]["lignes"]
    }
    assert valeurs["A1"]["montant"] == "20.00" and valeurs["A1"]["date"] == "2026-03-15"
    assert valeurs["A2"]["montant"] == "0.00"
    assert valeurs["total"]["montant"] == "20.00"


def test_donateur_fixe_inconnu_arrete_l_import(ledger_dir: Path, communs) -> None:
    _dossier(ledger_dir, REGLES.replace("donateur: BOULANGERIE", "donateur: BOULANGER"))
    livre = ledger_dir / "main.beancount"
    avant = livre.read_bytes()
    result = communs("importer", "releve.csv", "--ecrire", "main.beancount")
    assert result.exit_code == 1
    sortie = " ".join(result.output.split())
    # Line 8 of regles.yaml: the « donateur » key of the first rule (lines 2-8).
    assert "regles.yaml:8: donateur « BOULANGER » inconnu : absent de donateurs.yaml" in sortie
    assert livre.read_bytes() == avant


def test_donateur_sur_un_compte_qui_n_est_pas_un_don(ledger_dir: Path, communs) -> None:
    regles = REGLES.replace('compte: "756"', 'compte: "627"').replace(
        'adherent: "{nom}"', "donateur: DURAND-M"
    )
    _dossier(ledger_dir, regles)
    livre = ledger_dir / "main.beancount"
    avant = livre.read_bytes()
    result = communs("importer", "releve.csv")
    assert result.exit_code == 1
    sortie = " ".join(result.output.split())
    # Line 18: the third rule (lines 14-18), its last key.
    assert "regles.yaml:18: « donateur » réservé aux règles d'un compte 754 (dons)" in sortie
    assert livre.read_bytes() == avant
