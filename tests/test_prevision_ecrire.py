"""``communs prevision ecrire FICHIER`` end to end on the small association of
:mod:`test_tresorerie_calcule_a_la_main` (last actual entry 31 March 2026, bank 4 340 €).

``--mois 3`` counts from the month of the last entry (March, as ``communs tresorerie``):
forecasts from 1 April to 31 May 2026. By hand (same figures as the plan):

- April: rent −700 (5th), URSSAF of March −1 040 (15th, open 431 balance), net salary
  −1 560 (30th), the aid of March +600 (30th, open 441 receivable + 30 days);
- May: rent −700, URSSAF of April −1 040, avance of ETAT-2026 +18 000 (15th), net salary
  −1 560, the aid of April +600 (31st).

Bank on 31 May with the file included: 4 340 − 2 700 + 15 300 = 16 940 € (the plan's
closing balance of May). Charges forecast: 6411 2 × 2 000, 6451 2 × 600, 6132 2 × 700;
produits 7412 2 × 600.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT_OPTIONS, VENV_BIN, one_line, run_communs
from test_cli_etats import dossier_en_lecture_seule
from test_tresorerie_calcule_a_la_main import BANQUE, FLUX, write_association

D = Decimal
MARQUEUR = "; Fichier généré par communs-ledger : ne pas le modifier à la main."
ATTENTE = "Actif:47-Attente:471-Compte-d-attente:Previsions"
LOYER_AVRIL = """\
2026-04-05 * "Loyer (SCI des Tilleuls)" #prevision
  origine: "flux:loyer"
  source: "previsions/flux.yaml:2"
  Charges:61-Services-exterieurs:6132-Locations-immobilieres                          700.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant                                        -700.00 EUR
"""
NARRATION_PAIE_AVRIL = " ; ".join(
    f"{quoi} d'avril 2026 — Animatrice (CDI)"
    for quoi in ("Salaire brut", "Cotisations patronales", "Salaire net")
)
PAIE_AVRIL = f"""\
2026-04-30 * "{NARRATION_PAIE_AVRIL}" #prevision
  origine: "paie:animatrice"
  source: "previsions/paie.yaml:7"
  Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires                    2000.00 EUR
  Charges:64-Charges-de-personnel:645-Charges-sociales:6451-Urssaf                    600.00 EUR
  Actif:51-Banques:512-Banques:Compte-courant                                       -1560.00 EUR
  Actif:47-Attente:471-Compte-d-attente:Previsions                                  -1040.00 EUR
"""
AVANCE = """\
2026-05-15 * "État (DDETS) – avance" #prevision
  origine: "convention:ETAT-2026"
  source: "conventions.yaml:13"
  Actif:51-Banques:512-Banques:Compte-courant                                       18000.00 EUR
  Actif:47-Attente:471-Compte-d-attente:Previsions                                 -18000.00 EUR
"""
URSSAF_MARS = """\
2026-04-15 * "Urssaf : dette du 31 mars 2026" #prevision
  origine: "tiers:Passif:43-Organismes-sociaux:431-Urssaf"
  Actif:51-Banques:512-Banques:Compte-courant                                       -1040.00 EUR
  Actif:47-Attente:471-Compte-d-attente:Previsions                                   1040.00 EUR
"""


def _ecrire(communs: Callable[..., Any], ledger: Path, fichier: Path, *args: str) -> Any:
    return communs("prevision", "ecrire", str(fichier), "-f", str(ledger), "--mois", "3", *args)


def _inclure(ledger: Path, relative: str = "previsions.beancount") -> None:
    with ledger.open("a", encoding="utf-8") as handle:
        handle.write(f'\ninclude "{relative}"\n')


def _fichiers(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (Beancount's pickle cache apart), by relative path."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "picklecache" not in path.name
    }


def _load(ledger: Path) -> tuple[list, list]:
    from beancount import loader

    entries, errors, _options = loader.load_file(str(ledger))
    return entries, errors


def _solde(entries: list, account: str, au: str) -> Decimal:
    from beancount.core import data as bc

    return sum(
        (
            posting.units.number
            for entry in entries
            if isinstance(entry, bc.Transaction) and str(entry.date) <= au
            for posting in entry.postings
            if posting.account == account
        ),
        D(0),
    )


@pytest.fixture
def association(tmp_path: Path) -> Path:
    return write_association(tmp_path / "asso")


# --- The file ---------------------------------------------------------------------------------


def test_contenu_du_fichier(communs: Callable[..., Any], association: Path) -> None:
    fichier = association.parent / "previsions.beancount"
    result = _ecrire(communs, association, fichier)
    assert result.exit_code == 0, result.output
    message = one_line(result.output)
    assert "10 écritures de prévision du 01/04/2026 au 31/05/2026 (scénario base)" in message
    assert 'ajoutez la ligne include "previsions.beancount" à main.beancount' in message

    text = fichier.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == MARQUEUR
    assert lines[1] == (
        "; Prévisions du 1er avril 2026 au 31 mai 2026, scénario « base » (Prévision de base)."
    )
    assert lines[2].endswith(
        f"par : communs prevision ecrire {fichier} --mois 3 --ledger {association}"
    )
    # the five root options, as every Beancount file of the ledger repeats them
    options = [line for line in lines if line.startswith("option ")]
    assert "\n".join(options) + "\n" == ROOT_OPTIONS
    # the clearing account is opened on the first forecast day, in the file itself
    assert f"2026-04-01 open {ATTENTE}" in lines
    for block in (LOYER_AVRIL, URSSAF_MARS, PAIE_AVRIL, AVANCE):
        assert "\n" + block + "\n" in text, block
    assert text.count('" #prevision\n') == 10
    # payroll 30 April and 31 May, URSSAF of April 15 May, aid of April 30 April, aid of
    # May with the payment of April's aid 31 May (same day and input line: one transaction)
    assert text.count('origine: "paie:animatrice"') == 5
    assert text.count('origine: "flux:loyer"') == 2

    # Beancount's parser reads it alone (it opens only the accounts the ledger lacks: the
    # full loader checks it included in the ledger, below).
    from beancount.core import data as bc
    from beancount.parser import parser

    entries, errors, options_map = parser.parse_file(str(fichier))
    assert errors == []
    assert options_map["name_assets"] == "Actif" and options_map["name_income"] == "Produits"

    transactions = [e for e in entries if isinstance(e, bc.Transaction)]
    assert len(transactions) == 10
    assert all(t.tags == frozenset({"prevision"}) for t in transactions)
    assert all(t.meta["origine"] for t in transactions)
    assert {t.meta.get("source") for t in transactions} == {
        "previsions/flux.yaml:2",
        "previsions/paie.yaml:7",
        "previsions/paie.yaml:14",
        "conventions.yaml:13",
        None,  # the open payables and receivables of the ledger
    }
    # what each source line points at is the input that produced the entry
    folder = association.parent
    assert (folder / "previsions/flux.yaml").read_text().splitlines()[1] == "  - code: loyer"
    assert (folder / "previsions/paie.yaml").read_text().splitlines()[6] == ("  - code: animatrice")
    assert (folder / "previsions/paie.yaml").read_text().splitlines()[13].strip() == ("- type: pec")
    assert (folder / "conventions.yaml").read_text().splitlines()[12].strip() == (
        "- libelle: avance"
    )


def test_inclus_le_grand_livre_voit_les_soldes_futurs(
    communs: Callable[..., Any], association: Path
) -> None:
    fichier = association.parent / "previsions.beancount"
    _inclure(association)
    # first generation of an included file: its missing include is not held against it
    result = _ecrire(communs, association, fichier)
    assert result.exit_code == 0, result.output
    assert "grand livre revérifié : aucune nouvelle erreur" in one_line(result.output)

    entries, errors = _load(association)
    assert errors == []
    assert _solde(entries, BANQUE, "2026-03-31") == D("4340.00")
    assert _solde(entries, BANQUE, "2026-04-30") == D("4340") + 600 - 700 - 1040 - 1560
    assert _solde(entries, BANQUE, "2026-05-31") == D("16940.00")
    # the same as the plan de trésorerie's closing balance of May
    plan = communs("tresorerie", "-f", str(association), "--format", "json", "-m", "3")
    assert plan.exit_code == 0, plan.output
    closing = json.loads(plan.stdout)["parties"][0]["lignes"]
    solde_final = next(line for line in closing if line["id"] == "solde_final")["valeurs"]
    assert solde_final["2026-05"] == "16940.00"
    # charges and produits forecast (debit − credit) on their accounts
    assert (
        _solde(
            entries, "Charges:64-Charges-de-personnel:641-Remunerations:6411-Salaires", "2026-12-31"
        )
        == D(6000) + 4000
    )
    assert _solde(
        entries,
        "Produits:74-Subventions:741-Subventions-d-exploitation:7412-Aides-a-l-emploi",
        "2026-12-31",
    ) == -(D(1800) + 1200)

    verifier = communs("verifier", "-f", str(association))
    assert verifier.exit_code == 0, verifier.output
    assert "Aucune erreur" in one_line(verifier.output)
    done = run_communs("verifier", "-f", str(association))
    assert done.returncode == 0, done.stdout + done.stderr
    checked = subprocess.run(
        [str(VENV_BIN / "bean-check"), str(association)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_les_etats_reels_ignorent_les_previsions_incluses(
    communs: Callable[..., Any], tmp_path: Path
) -> None:
    """The issue's invariant: ``communs resultat`` and ``communs bilan`` (JSON) of the
    actuals are identical with and without the included forecast (two copies of the same
    ledger, one including the generated file)."""
    sans = write_association(tmp_path / "sans")
    avec = write_association(tmp_path / "avec")
    _inclure(avec)
    result = _ecrire(communs, avec, avec.parent / "previsions.beancount", "--mois", "12")
    assert result.exit_code == 0, result.output
    entries, errors = _load(avec)
    assert errors == []
    # the forecast does reach into exercice 2026 (so the comparison can fail)
    assert _solde(entries, BANQUE, "2026-12-31") != _solde(entries, BANQUE, "2026-03-31")

    for commande in (
        ("resultat", "--exercice", "2026"),
        ("bilan", "--exercice", "2026"),
        ("bilan", "--exercice", "2026", "--au", "2026-12-31"),
        ("balance", "--exercice", "2026"),
    ):
        outputs = []
        for ledger in (sans, avec):
            done = communs(*commande, "-f", str(ledger), "--format", "json")
            assert done.exit_code == 0, (commande, done.output)
            outputs.append(json.loads(done.stdout))
        assert outputs[0] == outputs[1], commande
    resultat = json.loads(communs("resultat", "-f", str(avec), "--format", "json").stdout)
    # actual 2026 to 31 March: produits 30 000 + 3 × 600, charges 3 × (700 + 2 600)
    assert resultat["totaux"]["resultat"] == "21900.00"


# --- Regeneration -------------------------------------------------------------------------------


def test_regenerer_ne_remplace_que_ce_fichier(
    communs: Callable[..., Any], association: Path
) -> None:
    folder = association.parent
    fichier = folder / "previsions.beancount"
    _inclure(association)
    assert _ecrire(communs, association, fichier).exit_code == 0
    before = _fichiers(folder)

    again = _ecrire(communs, association, fichier)
    assert again.exit_code == 0, again.output
    assert _fichiers(folder) == before  # same bytes, nothing else touched

    # the rent goes up: only the generated file changes
    flux = folder / "previsions" / "flux.yaml"
    flux.write_text(FLUX.replace("montant: -700", "montant: -750"), encoding="utf-8")
    before = _fichiers(folder)
    changed = _ecrire(communs, association, fichier)
    assert changed.exit_code == 0, changed.output
    after = _fichiers(folder)
    assert {k for k in after if after[k] != before.get(k)} == {"previsions.beancount"}
    assert set(after) == set(before)
    text = fichier.read_text(encoding="utf-8")
    assert "-750.00 EUR" in text and "-700.00 EUR" not in text
    entries, errors = _load(association)
    assert errors == []
    assert _solde(entries, BANQUE, "2026-05-31") == D("16840.00")  # 2 × 50 € more rent
    assert not [p for p in folder.iterdir() if p.name.startswith(".previsions")]


def test_un_fichier_de_l_utilisateur_n_est_pas_remplace(
    communs: Callable[..., Any], association: Path
) -> None:
    fichier = association.parent / "previsions.beancount"
    mine = ROOT_OPTIONS + '\n2026-04-01 * "Mes propres prévisions"\n'
    fichier.write_text(mine, encoding="utf-8")
    refused = _ecrire(communs, association, fichier)
    assert refused.exit_code == 1
    assert (
        f"{fichier} existe et n'a pas été généré par communs (pas d'en-tête de fichier "
        "généré) : choisissez un autre nom, ou ajoutez --ecraser pour le remplacer"
    ) in one_line(refused.output)
    assert fichier.read_text(encoding="utf-8") == mine

    replaced = _ecrire(communs, association, fichier, "--ecraser")
    assert replaced.exit_code == 0, replaced.output
    assert fichier.read_text(encoding="utf-8").startswith(MARQUEUR)


# --- Unwritable output ------------------------------------------------------------------------


def test_sortie_qui_est_un_dossier(communs: Callable[..., Any], association: Path) -> None:
    dossier = association.parent / "previsions.beancount"
    dossier.mkdir()
    result = _ecrire(communs, association, dossier)
    assert result.exit_code == 1
    assert f"impossible d'écrire {dossier} : c'est un dossier, indiquez un nom de fichier" in (
        one_line(result.output)
    )
    assert list(dossier.iterdir()) == []


def test_dossier_absent_ou_qui_est_un_fichier(
    communs: Callable[..., Any], association: Path
) -> None:
    folder = association.parent
    absent = folder / "absent" / "previsions.beancount"
    result = _ecrire(communs, association, absent)
    assert result.exit_code == 1
    assert "n'existe pas" in one_line(result.output)
    assert not (folder / "absent").exists()
    blocker = folder / "bloque"
    blocker.write_text("x", encoding="utf-8")
    result = _ecrire(communs, association, blocker / "previsions.beancount")
    assert result.exit_code == 1
    assert "n'est pas un dossier" in one_line(result.output)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_dossier_non_inscriptible(communs: Callable[..., Any], association: Path) -> None:
    folder = association.parent
    before = _fichiers(folder)
    with dossier_en_lecture_seule(folder / "protege") as protege:
        fichier = protege / "previsions.beancount"
        result = _ecrire(communs, association, fichier)
        assert result.exit_code == 1
        text = one_line(result.output)
        assert f"impossible d'écrire {fichier}" in text
        assert list(protege.iterdir()) == []  # no partial or temporary file
    assert _fichiers(folder) == before
    done = run_communs(
        "prevision", "ecrire", str(folder / "nulle-part" / "p.beancount"), "-f", str(association)
    )
    assert done.returncode == 1 and "n'existe pas" in one_line(done.stderr)


def test_depuis_le_dossier_du_grand_livre_chemin_relatif(
    communs: Callable[..., Any], ledger_dir: Path
) -> None:
    """The usual way: in the ledger's folder, ``communs prevision ecrire
    previsions.beancount`` with the include already written (the other tests run from
    another folder, with absolute paths)."""
    ledger = write_association(ledger_dir)
    _inclure(ledger)
    result = communs("prevision", "ecrire", "previsions.beancount", "--mois", "3")
    assert result.exit_code == 0, result.output
    assert "grand livre revérifié : aucune nouvelle erreur" in one_line(result.output)
    entries, errors = _load(ledger)
    assert errors == []
    assert _solde(entries, BANQUE, "2026-05-31") == D("16940.00")


@pytest.mark.parametrize("mois", ["0", "61"])
def test_nombre_de_mois_hors_bornes(
    communs: Callable[..., Any], association: Path, mois: str
) -> None:
    fichier = association.parent / "previsions.beancount"
    result = communs("prevision", "ecrire", str(fichier), "-f", str(association), "-m", mois)
    assert result.exit_code == 2
    assert f"--mois {mois} : nombre de mois attendu de 1 à 60" in one_line(result.output)
    assert not fichier.exists()


def test_un_mois_deja_clos_ne_prevoit_rien(communs: Callable[..., Any], association: Path) -> None:
    """``--mois 1`` counts the month of the last entry (March), which ends on that entry
    (31 March): nothing to forecast, said as such (not « du 1er avril au 31 mars »)."""
    fichier = association.parent / "previsions.beancount"
    result = _ecrire(communs, association, fichier, "--mois", "1")
    assert result.exit_code == 0, result.output
    assert (
        "0 écriture de prévision (les mois demandés s'arrêtent au 31/03/2026, jour de la "
        "dernière écriture réelle : augmentez --mois) écrites dans"
    ) in one_line(result.output)
    lines = fichier.read_text(encoding="utf-8").splitlines()
    assert lines[1] == (
        "; Aucune prévision : les mois demandés s'arrêtent au 31 mars 2026, jour de la "
        "dernière écriture réelle (scénario « base »)."
    )
    assert not [line for line in lines if "#prevision" in line and not line.startswith(";")]


def test_compte_cree_nomme_d_apres_le_plan(tmp_path: Path) -> None:
    """An account the forecast file opens is named ``CODE-Libelle`` from the chart under a
    real account of the ledger, never under a bare code the ledger lacks: with only 6411 and
    6475 under 64, a forecast on 6413 went to ``…:64-Charges-de-personnel:641:6413-…`` and
    one on 647 to ``…:64-Charges-de-personnel:647`` (no label)."""
    from communs_ledger.chargement import load_livre
    from communs_ledger.previsions.ecriture_previsions import Resolution
    from communs_ledger.rapports.source import Source
    from conftest import write_ledger

    comptes = [
        "Actif:51-Banques:512-Banques:Compte-courant",
        "Charges:64-Charges-de-personnel:6411-Salaires",
        "Charges:64-Charges-de-personnel:6475-Medecine-du-travail",
    ]
    ledger = "".join(f"2026-01-01 open {name}\n" for name in comptes) + (
        '\n2026-01-31 * "Salaire"\n'
        "  Charges:64-Charges-de-personnel:6411-Salaires  100.00 EUR\n"
        "  Actif:51-Banques:512-Banques:Compte-courant  -100.00 EUR\n"
    )
    livre = load_livre(write_ledger(tmp_path, ledger))
    assert livre.ok
    resolution = Resolution(Source.from_livre(livre), comptes)
    personnel = "Charges:64-Charges-de-personnel"
    # labels of plan_comptable/pca_2025.csv: 6413 Primes et gratifications, 647 Autres
    # cotisations sociales
    assert resolution.compte("6413", "2025") == f"{personnel}:6413-Primes-et-gratifications"
    assert resolution.compte("647", "2025") == f"{personnel}:647-Autres-cotisations-sociales"
    # an account of the ledger is used as it is
    assert resolution.compte("6411", "2025") == f"{personnel}:6411-Salaires"
