"""Importing a 10 000-line bank statement into a large ledger, re-check included.

A copy of the generated 10 000 transaction ledger (three exercices) gets a
rules file and an ``importation`` section in its config; a generated
Crédit Coopératif CSV statement (Windows-1252, decimal commas) of 10 000
operations dated after the ledger's last entry is imported with
``communs importer … --ecrire`` in a fresh process: read the ledger, read and
categorise the statement, look for duplicates, append atomically, re-check
the whole ledger (now 20 000 transactions). Target: ≤ 10 s wall clock, with
Beancount's pickle cache cold (the worst case: a first command of the day).
A second figure shows the same import when the ledger was just loaded once
(cache warm), the usual case after ``communs verifier``.
"""

from __future__ import annotations

import datetime
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from grands_livres import ledger
from mesures import PYTHON, Mesure, median

TITRE = "Import d'un relevé bancaire de 10 000 lignes (revérification comprise)"
LIGNES = 10_000
TRANSACTIONS = 10_000
RUNS = 3
CIBLE_S = 10.0
COMMUNS = str(Path(PYTHON).parent / "communs")

_ENTETE = (
    "Date de comptabilisation;Libelle simplifie;Libelle operation;Reference;"
    "Informations complementaires;Type operation;Categorie;Sous categorie;Debit;Credit;"
    "Date operation;Date de valeur;Pointage operation"
)
_REGLES = """\
regles:
  - motif: urssaf
    sens: débit
    compte: "431"
    tiers: Urssaf
    libelle: Cotisations sociales de {mois_precedent}
  - regex: 'VIR SEPA (?P<nom>[A-Z ]+?) SALAIRE'
    sens: débit
    compte: "421"
    tiers: "{nom}"
    libelle: Virement du salaire net de {mois}
  - regex: 'HELLOASSO ADHESION (?P<nom>.+)'
    sens: crédit
    compte: "756"
    tiers: "{nom}"
  - motif: papeterie
    compte: "6064"
  - motif: biocoop
    compte: "6068"
  - motif: frais bancaires
    compte: "627"
"""
_NOMS = ("MARTIN CLAIRE", "BENALI KARIM", "PETIT ZOE", "LEROY CAMILLE", "NGUYEN DANIEL")


def _montant(cents: int) -> str:
    text = f"{abs(cents) // 100:,}".replace(",", " ") + f",{abs(cents) % 100:02d}"
    return ("-" if cents < 0 else "+") + text


def _releve(path: Path, debut: datetime.date, graine: int = 2028) -> None:
    """A statement of LIGNES operations from ``debut`` on (newest first, as banks export)."""
    rng = random.Random(graine)
    rows = []
    for index in range(LIGNES):
        day = debut + datetime.timedelta(days=index // 90)
        kind = rng.random()
        nom = rng.choice(_NOMS)
        if kind < 0.15:
            libelle, info, cents = (
                "PRLV SEPA URSSAF ILE DE FRANCE",
                "DSN",
                -rng.randint(20000, 400000),
            )
        elif kind < 0.30:
            libelle, info, cents = f"VIR SEPA {nom} SALAIRE", "NET", -rng.randint(120000, 260000)
        elif kind < 0.55:
            libelle, info, cents = "VIR SEPA HELLOASSO", f"ADHESION {nom}", rng.randint(800, 4000)
        elif kind < 0.70:
            libelle, info, cents = "CB PAPETERIE LACROIX", "CARTE X4721", -rng.randint(500, 15000)
        elif kind < 0.85:
            libelle, info, cents = "CB BIOCOOP DU COTEAU", "CARTE X4721", -rng.randint(500, 9000)
        elif kind < 0.90:
            libelle, info, cents = "FRAIS BANCAIRES", "COMMISSION", -rng.randint(100, 2000)
        else:
            libelle, info, cents = "VIR SEPA RECU", f"ÉMETTEUR {index}", rng.randint(1000, 90000)
        date = day.strftime("%d/%m/%Y")
        debit, credit = (_montant(cents), "") if cents < 0 else ("", _montant(cents))
        rows.append(
            f"{date};{libelle};{libelle};R{index:08d};{info};Virement;;;{debit};{credit};"
            f"{date};{date};0"
        )
    rows.reverse()
    text = "\r\n".join(
        ["Numéro de compte : 42559 00041 21023456789 01;;;;;;;;;;;;", _ENTETE, *rows]
    )
    path.write_bytes((text + "\r\n").encode("cp1252"))


def _derniere_date(folder: Path) -> datetime.date:
    last = datetime.date.min
    for path in folder.glob("*.beancount"):
        for found in re.findall(r"^(\d{4}-\d{2}-\d{2}) ", path.read_text("utf-8"), re.M):
            last = max(last, datetime.date.fromisoformat(found))
    return last


def _copie(source: Path, work: Path) -> Path:
    folder = work / "livre"
    shutil.copytree(source.parent, folder, ignore=shutil.ignore_patterns(".*picklecache"))
    (folder / "importation").mkdir()
    (folder / "importation" / "regles.yaml").write_text(_REGLES, encoding="utf-8")
    config = folder / "communs.yaml"
    texte = config.read_text(encoding="utf-8")
    section = (
        "importation:\n  regles: importation/regles.yaml\n"
        "  compte: Actif:51-Banques:512-Banques:Compte-courant\n"
    )
    if re.search(r"^importation:", texte, flags=re.M):  # init writes the bank account
        texte = re.sub(r"^importation:\n(?:[ #].*\n)*", section, texte, flags=re.M)
    else:
        texte += "\n" + section
    config.write_text(texte, encoding="utf-8")
    return folder


def _importer(folder: Path, releve: Path, cible: Path, cache: bool) -> float:
    env = dict(os.environ)
    if not cache:
        env["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    else:
        subprocess.run(
            [COMMUNS, "verifier", "-f", str(folder / "main.beancount")],
            check=False,
            capture_output=True,
            env=env,
        )
    start = time.perf_counter()
    done = subprocess.run(
        [
            COMMUNS,
            "importer",
            str(releve),
            "--ecrire",
            str(cible),
            "-f",
            str(folder / "main.beancount"),
        ],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"import en échec :\n{done.stderr.strip()}")
    if "10 000 écritures ajoutées" not in " ".join(done.stderr.split()):
        raise RuntimeError(f"import incomplet :\n{done.stderr.strip()[-2000:]}")
    return elapsed


def run() -> list[Mesure]:
    source = ledger(TRANSACTIONS)
    debut = _derniere_date(source.parent) + datetime.timedelta(days=1)
    mesures = []
    for cache in (False, True):
        times = []
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory(prefix="communs-bench-import-") as work:
                folder = _copie(source, Path(work))
                releve = Path(work) / "releve.csv"
                _releve(releve, debut)
                cible = sorted(folder.glob("2*.beancount"))[-1]
                before = cible.stat().st_size
                times.append(_importer(folder, releve, cible, cache))
                if cible.stat().st_size <= before:
                    raise RuntimeError("le fichier cible n'a pas grandi")
        label = "cache Beancount froid" if not cache else "grand livre déjà chargé une fois"
        mesures.append(
            Mesure(
                f"Import de {LIGNES:,} lignes dans {TRANSACTIONS:,} écritures ({label})".replace(
                    ",", "\u202f"
                ),
                median(times),
                "s",
                cible=CIBLE_S if not cache else None,
                details=f"médiane de {RUNS}, mur, commande complète avec --ecrire",
            )
        )
    return mesures
