"""Subsidies follow-up and a compte-rendu financier, against the load time of the ledger.

The generated 100 000 transaction ledger (six exercices) gets, in a sibling folder
that links to its files, a conventions file and clés de répartition:

- one convention per funder of the generator over the six years (its 741 and 441
  sub-accounts dedicated to it, so that its postings attach), three of them on a
  project (Région → JARDINS, État → ALPHA, CAF → ETE), plus a yearly convention of
  a foundation on JARDINS (so that JARDINS charges are shared pro rata);
- keys allocating the pay (64), the rent (613) and the structure costs (606, 62) to
  the four projects.

One fresh process loads the ledger (pickle cache off: the load time of reference),
builds the report source, then measures, best of a few runs: ``communs subventions``
for the last exercice (conventions and keys read, emplois with allocation, report)
and ``communs compte-rendu`` of the Région's six-year convention (budget files read,
six exercices of budget and postings, allocation), each rendered as JSON. Target:
each ≤ 10 % of the load time.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from grands_livres import ledger
from mesures import Mesure, run_json

TITRE = "Subventions et compte rendu financier (coût relatif au chargement)"
TAILLE = 100_000
RUNS = 3
CIBLE_RATIO = 0.10
DOSSIER = "avec-conventions"

_FUNDERS = (  # (sub-account, reference, funder type, project)
    ("Region", "REGION", "region", "JARDINS"),
    ("Etat", "ETAT", "etat", "ALPHA"),
    ("Departement", "DEPARTEMENT", "departement", None),
    ("Commune", "COMMUNE", "commune", None),
    ("Organismes-sociaux", "CAF", "organismes_sociaux", "ETE"),
)

KEYS = """\
cles:
  - code: PERSONNEL
    base: temps
    comptes: ["64"]
    parts: {JARDINS: 25, ALPHA: 25, REPAIR: 10, ETE: 10, non_affecte: 30}
  - code: LOCAL
    base: surface
    comptes: ["613"]
    unite: m²
    quantites: {JARDINS: 40, ALPHA: 30, REPAIR: 20, ETE: 10, non_affecte: 50}
  - code: STRUCTURE
    comptes: ["606", "62"]
    parts: {JARDINS: 15, ALPHA: 15, REPAIR: 10, ETE: 10, non_affecte: 50}
"""


def _opened(folder: Path) -> set[str]:
    accounts: set[str] = set()
    for path in folder.glob("*.beancount"):
        if path.name.startswith("main"):
            continue
        accounts |= set(re.findall(r"^\d{4}-\d\d-\d\d open (\S+)", path.read_text(), re.M))
    return accounts


def _du_financeur(account: str, sub: str) -> bool:
    """The funder's sub-account: named (``…:Region``) or numbered (``…:7412-Region``)."""
    last = account.rsplit(":", 1)[-1]
    return last == sub or re.fullmatch(rf"\d+-{re.escape(sub)}", last) is not None


def _conventions(folder: Path, years: list[int]) -> str:
    opened = _opened(folder)
    first, last = years[0], years[-1]
    lines = ["conventions:"]
    for sub, reference, kind, projet in _FUNDERS:
        income = next(a for a in opened if ":741-" in a and _du_financeur(a, sub))
        receivable = next((a for a in opened if ":441-" in a and _du_financeur(a, sub)), None)
        lines += [
            f"  - reference: {reference}",
            f"    financeur: {sub}",
            f"    type_financeur: {kind}",
            f"    objet: Subvention {sub}",
            f"    projets: [{projet}]" if projet else "    projets: []",
            "    montant: 5000000",
            f"    debut: {first}-01-01",
            f"    fin: {last}-12-31",
            f"    compte: {income}",
        ]
        if receivable:
            lines.append(f"    compte_creance: {receivable}")
    for year in years:
        lines += [
            f"  - reference: FONDATION-{year}",
            "    financeur: Fondation des jardins",
            "    type_financeur: aides_privees",
            "    objet: Jardins partagés",
            "    projets: [JARDINS]",
            "    montant: 20000",
            f"    debut: {year}-01-01",
            f"    fin: {year}-12-31",
            '    compte: "741"',
        ]
    return "\n".join(lines) + "\n"


def prepare(main: Path) -> Path:
    """A sibling folder linking to the ledger's files, with conventions and keys."""
    source = main.parent
    target = source / DOSSIER
    target.mkdir(exist_ok=True)
    for path in source.iterdir():
        if path.name in ("communs.yaml", DOSSIER):
            continue
        link = target / path.name
        if path.name == "main.beancount":  # a copy: the config is found beside it
            link.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        elif path.is_dir() and not path.is_symlink():
            # copied: side files must be inside the association's folder (no link out)
            if link.is_symlink():
                link.unlink()
            shutil.copytree(path, link, dirs_exist_ok=True)
        elif not link.exists():
            link.symlink_to(path)
    years = sorted(int(p.stem) for p in source.glob("20??.beancount"))
    config = (source / "communs.yaml").read_text(encoding="utf-8")
    config += "\nconventions: conventions.yaml\nanalytique:\n  repartition: repartition.yaml\n"
    (target / "communs.yaml").write_text(config, encoding="utf-8")
    (target / "conventions.yaml").write_text(_conventions(source, years), encoding="utf-8")
    (target / "repartition.yaml").write_text(KEYS, encoding="utf-8")
    return target / "main.beancount"


_MESURE = r"""
import json, sys, time
from beancount import loader
from communs_ledger.analytique.cles import cles_du_grand_livre
from communs_ledger.budget.fichier import load_budgets
from communs_ledger.contexte import LedgerContext
from communs_ledger.conventions.rapport_compte_rendu import compte_rendu
from communs_ledger.conventions.fichier import conventions_du_grand_livre
from communs_ledger.conventions.rapport_subventions import rapport_subventions
from communs_ledger.rapports.source import Source
from communs_ledger.rendu import Format, render

cpu = time.process_time()
entries, errors, options = loader._uncached_load_file(sys.argv[1], None, None, None)
load = time.process_time() - cpu
assert not errors, errors[:3]
context = LedgerContext.from_options(options)
cpu = time.process_time()
source = Source.from_context(entries, context)
source_time = time.process_time() - cpu
runs = int(sys.argv[2])
subventions, rendus = [], []
for _ in range(runs):
    cpu = time.process_time()
    conventions, errs = conventions_du_grand_livre(context)
    assert not errs, errs[:3]
    cles, errs = cles_du_grand_livre(context)
    assert not errs, errs[:3]
    exercice = source.exercices[-1]
    report = rapport_subventions(source, conventions, exercice, cles=cles)
    render(report, Format.json)
    subventions.append(time.process_time() - cpu)
    cpu = time.process_time()
    budgets = load_budgets(context)
    report_cr = compte_rendu(source, conventions, "REGION", budgets, cles=cles)
    render(report_cr, Format.json)
    rendus.append(time.process_time() - cpu)
region = next(l for l in report.partie("conventions").lignes if l.id == "convention:REGION")
print(json.dumps({
    "chargement": load, "source": source_time, "subventions": min(subventions),
    "compte_rendu": min(rendus), "exercice": exercice.code,
    "conventions": len(report.partie("conventions").lignes) - 1,
    "depense_region": str(region.valeurs["depense"]),
    "mouvements": len(source.mouvements.liste),
}))
"""


def run() -> list[Mesure]:
    main = prepare(ledger(TAILLE))
    result = run_json(_MESURE, str(main), str(RUNS))
    load = float(result["chargement"])
    source = float(result["source"])
    mesures = [
        Mesure(
            "Chargement, 100 000 écritures",
            load,
            "s",
            details=f"CPU, cache désactivé ; {result['mouvements']} mouvements",
        )
    ]
    for key, label, details in (
        (
            "subventions",
            f"communs subventions (exercice {result['exercice']})",
            f"{result['conventions']} conventions, emplois avec répartition, rendu JSON",
        ),
        (
            "compte_rendu",
            "communs compte-rendu REGION (6 exercices)",
            "budgets de 6 exercices, écritures et répartition sur 6 ans, rendu JSON",
        ),
    ):
        value = float(result[key])
        mesures.append(Mesure(label, value, "s", details=f"{details} ; meilleur de {RUNS}"))
        mesures.append(
            Mesure(
                f"{label} / chargement",
                value / load,
                "×",
                CIBLE_RATIO,
                details=(
                    "cible ≤ 10 % ; avec la source des rapports (mouvements, commune à "
                    f"tous les états, {source:.3f} s) : {(value + source) / load:.3f}"
                ),
            )
        )
    return mesures
