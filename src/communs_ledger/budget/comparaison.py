"""Two versions of a budget side by side, and budget files read from Git history.

A version is designated by its code or name in the exercice's budget file, or
by a Git revision of that file: ``REV:VERSION`` (``HEAD~3:vote``) or ``REV:``
for the latest version of the file at that revision (``v2026-ag:``). A text
that is a version of the working file is that version, even if it contains
``:``; otherwise the revision is what comes before the last ``:``.

The file at a revision is read with ``git show REV:PATH`` run in the ledger's
folder (PATH relative to the repository's top level), then checked with the
same loader as the working file (:func:`load_budget_text`).

Rows: every (account, project) present in either version, with the amounts A
and B, the difference B − A and its ratio to |A| (empty when A is 0), and a status
(ajoutée, supprimée, modifiée, profil modifié: same amount spread differently over
the months, identique), and a note for every line whose profile changed; chapter
(two-digit) subtotals, totals of charges (class 6), produits (class 7), résultat
(produits − charges)
and contributions en nature (86, 87).
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..exercices import Exercice, french_date
from ..plan import Chart, load_chart
from ..rapports.entete import sous_titre
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport, Style, Valeur
from ..sources import SourceError, display_path
from .cerfa import libelle_du_code
from .fichier import BudgetExercice, LigneBudget, VersionBudget, ligne_id, load_budget_file
from .suivi import ecart_relatif

ZERO = Decimal(0)
GIT_TIMEOUT = 60
Cle = tuple[str, str | None]


class ComparaisonImpossible(Exception):
    """A version cannot be read (French message, optional detail lines)."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


# --- Reading a budget from text and from Git ---------------------------------------------


def load_budget_text(
    text: str, label: str, exercice: Exercice, projets: set[str]
) -> tuple[BudgetExercice, list[SourceError]]:
    """Load and check a budget file's content; errors name ``label`` (``HEAD:budgets/x.yaml``).

    The same schema and checks as the working file
    (:func:`~communs_ledger.budget.fichier.load_budget_file`).
    """
    return load_budget_file(Path(label), exercice, projets, text=text, label=label)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=folder,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise ComparaisonImpossible(
            "git est introuvable : installez-le pour comparer avec une version enregistrée"
        ) from None
    except subprocess.TimeoutExpired:
        raise ComparaisonImpossible(f"git ne répond pas (plus de {GIT_TIMEOUT} s)") from None


def texte_a_la_revision(fichier: Path, revision: str, dossier: Path) -> tuple[str, str, str]:
    """Content of ``fichier`` at Git ``revision``, Git run in ``dossier``.

    Returns (text, path in the repository, short commit id); raises
    :class:`ComparaisonImpossible` in French when ``dossier`` is not in a Git
    repository, the revision is unknown or the file absent at that revision.
    """
    if not revision.strip():
        raise ComparaisonImpossible("révision git vide : écrivez par exemple HEAD~1:vote")
    top = _git(dossier, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise ComparaisonImpossible(
            f"le dossier {dossier.resolve()} n'est pas dans un dépôt git : impossible de "
            f"lire la révision « {revision} »"
        )
    root = Path(top.stdout.decode("utf-8", "replace").strip()).resolve()
    try:
        relative = fichier.resolve().relative_to(root).as_posix()
    except ValueError:
        raise ComparaisonImpossible(
            f"le fichier {display_path(fichier)} est hors du dépôt git {display_path(root)}"
        ) from None
    commit = _git(dossier, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if commit.returncode != 0:
        raise ComparaisonImpossible(f"révision git « {revision} » inconnue dans le dépôt {root}")
    sha = commit.stdout.decode("ascii", "replace").strip()
    shown = _git(dossier, "show", f"{sha}:{relative}")
    if shown.returncode != 0:
        raise ComparaisonImpossible(
            f"le fichier {relative} n'existe pas dans la révision git « {revision} » "
            f"(commit {sha[:10]})"
        )
    try:
        text = shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise ComparaisonImpossible(
            f"{revision}:{relative} : fichier illisible, il doit être encodé en UTF-8"
        ) from None
    return text, relative, sha[:10]


@dataclass(frozen=True)
class VersionDesignee:
    """A version chosen for the comparison, with how to describe it."""

    version: VersionBudget
    libelle: str  # column heading
    description: str  # note text
    revision: str | None = None


def designer(
    texte: str, budget: BudgetExercice, dossier: Path, projets: set[str]
) -> VersionDesignee:
    """The version a command-line argument designates (see the module docstring)."""
    spec = texte.strip()
    if not spec:
        raise ComparaisonImpossible("version vide : indiquez un code de version ou REV:VERSION")
    where = display_path(budget.fichier)
    local = budget.version(spec)
    if local is not None:
        return VersionDesignee(
            local,
            local.nom,
            f"version « {local.code} » ({local.nom}) du {french_date(local.date)}, fichier {where}",
        )
    if ":" not in spec:
        known = ", ".join(f"{v.code} ({v.nom})" for v in budget.versions) or "aucune"
        raise ComparaisonImpossible(
            f"version « {spec} » inconnue dans le budget {budget.exercice.code} ({where}) : "
            f"versions : {known} ; pour une version enregistrée dans git, écrivez REV:VERSION "
            "(ex. HEAD~1:vote) ou REV: (dernière version à cette révision)"
        )
    revision, _sep, code = spec.rpartition(":")
    text, relative, sha = texte_a_la_revision(budget.fichier, revision, dossier)
    label = f"{revision}:{relative}"
    old, errors = load_budget_text(text, label, budget.exercice, projets)
    if errors:
        raise ComparaisonImpossible(
            f"le budget à la révision « {revision} » contient {len(errors)} erreur(s)",
            [str(error) for error in errors],
        )
    found = old.version(code or None)
    if found is None:
        known = ", ".join(f"{v.code} ({v.nom})" for v in old.versions) or "aucune"
        raise ComparaisonImpossible(
            f"version « {code} » inconnue dans {label} (commit {sha}) : versions : {known}"
        )
    return VersionDesignee(
        found,
        f"{revision} : {found.nom}",
        f"version « {found.code} » ({found.nom}) du {french_date(found.date)}, fichier "
        f"{relative} à la révision git {revision} (commit {sha})",
        revision,
    )


# --- The comparison report ---------------------------------------------------------------

COLONNES = ("a", "b", "ecart", "ecart_pct")
PARTIES = (
    ("charges", "Charges", ("6",), "total_charges", "Total des charges"),
    ("produits", "Produits", ("7",), "total_produits", "Total des produits"),
    (
        "contributions_volontaires",
        "Contributions volontaires en nature",
        ("86", "87"),
        None,
        None,
    ),
)
CONTRIBUTION_TOTALS = {
    "86": ("contributions_volontaires_emplois", "Total des emplois (86)"),
    "87": ("contributions_volontaires_ressources", "Total des contributions volontaires (87)"),
}


def _values(a: Decimal, b: Decimal) -> dict[str, Valeur]:
    return {"a": a, "b": b, "ecart": b - a, "ecart_pct": ecart_relatif(b, a)}


def _status(key: Cle, a: dict[Cle, LigneBudget], b: dict[Cle, LigneBudget]) -> str:
    if key not in a:
        return "ajoutée"
    if key not in b:
        return "supprimée"
    if a[key].montant != b[key].montant:
        return "modifiée"
    return "identique" if a[key].echeances == b[key].echeances else "profil modifié"


def _profil_change(key: Cle, a: dict[Cle, LigneBudget], b: dict[Cle, LigneBudget]) -> str | None:
    """A note when a line kept in both versions is spread differently over the months
    (a revision that drops a seasonal profile silently makes the line uniform)."""
    if key not in a or key not in b or a[key].echeances == b[key].echeances:
        return None
    before, after = a[key].profil, b[key].profil
    if before == after and a[key].montant != b[key].montant:
        periods_a = [(debut, fin) for debut, fin, _m in a[key].echeances]
        if periods_a == [(debut, fin) for debut, fin, _m in b[key].echeances]:
            return None  # the same profile carrying a new amount
    code, projet = key
    what = f"ligne {code}" + (f" (projet {projet})" if projet else "")
    if before == after:
        return f"{what} : répartition mensuelle modifiée (profil {after})"
    warning = " — la révision ne reprend pas le profil" if after == "uniforme" else ""
    return f"{what} : profil {before} → {after}{warning}"


def _label(
    key: Cle,
    a: dict[Cle, LigneBudget],
    b: dict[Cle, LigneBudget],
    chart: Chart,
    comptes: Iterable[str],
) -> str:
    code, projet = key
    own = (b.get(key) or a[key]).libelle or libelle_du_code(code, comptes, chart)
    return f"{own} — projet {projet}" if projet else own


def _row_id(key: Cle) -> str:
    return ligne_id(*key)


def _side_of(code: str) -> str:
    if code[:2] in ("86", "87"):
        return "contributions_volontaires"
    return "charges" if code[:1] == "6" else "produits"


def comparer_versions(
    association: str,
    exercice: Exercice,
    a: VersionDesignee,
    b: VersionDesignee,
    comptes: Iterable[str] = (),
) -> Rapport:
    """Budget versions ``a`` and ``b`` of ``exercice`` side by side; ``comptes``: the ledger's
    account names (labels of codes that extend the chart)."""
    comptes = list(comptes)
    chart = load_chart(exercice.version)
    lines_a = {line.cle: line for line in a.version.lignes}
    lines_b = {line.cle: line for line in b.version.lignes}
    keys = sorted(set(lines_a) | set(lines_b), key=lambda k: (k[0], k[1] or ""))
    colonnes = [
        Colonne("a", f"A — {a.libelle}", Genre.MONTANT),
        Colonne("b", f"B — {b.libelle}", Genre.MONTANT),
        Colonne("ecart", "Différence (B − A)", Genre.MONTANT),
        Colonne("ecart_pct", "Différence (%)", Genre.POURCENTAGE),
    ]
    by_side: dict[str, list[Cle]] = defaultdict(list)
    for key in keys:
        by_side[_side_of(key[0])].append(key)

    def amount(lines: dict[Cle, LigneBudget], key: Cle) -> Decimal:
        return lines[key].montant if key in lines else ZERO

    totals: dict[str, tuple[Decimal, Decimal]] = {}
    parties: list[Partie] = []
    counts: dict[str, int] = defaultdict(int)
    profils: list[str] = []
    for part_id, title, _classes, total_id, total_label in PARTIES:
        rows: list[Ligne] = []
        chapters: dict[str, list[Cle]] = defaultdict(list)
        for key in by_side.get(part_id, []):
            chapters[key[0][:2]].append(key)
        side_a = side_b = ZERO
        for chapter in sorted(chapters):
            heading = libelle_du_code(chapter, comptes, chart)
            rows.append(Ligne(heading, id=f"titre:{chapter}", code=chapter, style=Style.TITRE))
            chap_a = chap_b = ZERO
            for key in chapters[chapter]:
                value_a, value_b = amount(lines_a, key), amount(lines_b, key)
                chap_a += value_a
                chap_b += value_b
                status = _status(key, lines_a, lines_b)
                counts[status] += 1
                change = _profil_change(key, lines_a, lines_b)
                if change is not None:
                    profils.append(change)
                rows.append(
                    Ligne(
                        _label(key, lines_a, lines_b, chart, comptes),
                        _values(value_a, value_b),
                        id=_row_id(key),
                        code=key[0],
                        niveau=2,
                        statut=status,
                    )
                )
            rows.append(
                Ligne(
                    f"Total {chapter} - {heading}",
                    _values(chap_a, chap_b),
                    id=f"chapitre:{chapter}",
                    style=Style.SOUS_TOTAL,
                )
            )
            totals[f"chapitre:{chapter}"] = (chap_a, chap_b)
            if chapter in CONTRIBUTION_TOTALS:
                cvn_id, cvn_label = CONTRIBUTION_TOTALS[chapter]
                rows.append(Ligne(cvn_label, _values(chap_a, chap_b), id=cvn_id, style=Style.TOTAL))
                totals[cvn_id] = (chap_a, chap_b)
            side_a += chap_a
            side_b += chap_b
        if part_id == "contributions_volontaires":
            for cvn_id, _cvn_label in CONTRIBUTION_TOTALS.values():
                totals.setdefault(cvn_id, (ZERO, ZERO))
        if total_id is not None:
            rows.append(
                Ligne(total_label or "", _values(side_a, side_b), id=total_id, style=Style.TOTAL)
            )
            totals[total_id] = (side_a, side_b)
        if part_id == "produits":
            charges_a, charges_b = totals["total_charges"]
            result = (side_a - charges_a, side_b - charges_b)
            rows.append(
                Ligne(
                    "Résultat prévisionnel (produits − charges)",
                    _values(*result),
                    id="resultat",
                    style=Style.TOTAL,
                )
            )
            totals["resultat"] = result
        parties.append(Partie(part_id, title, list(colonnes), rows))

    named = (
        "total_charges",
        "total_produits",
        "resultat",
        *(i for i, _l in CONTRIBUTION_TOTALS.values()),
    )
    totaux: dict[str, dict[str, Decimal]] = {column: {} for column in COLONNES}
    for name in named:
        values = _values(*totals[name])
        for column, value in values.items():
            if isinstance(value, Decimal):  # the two amounts and the gaps
                totaux[column][name] = value

    notes = [
        f"A : {a.description}.",
        f"B : {b.description}.",
        "Différence = B − A ; % = différence rapportée à la valeur absolue du montant A "
        "(vide si A est nul).",
        "Lignes : {} ajoutée(s), {} supprimée(s), {} modifiée(s), {} identique(s).".format(
            counts["ajoutée"], counts["supprimée"], counts["modifiée"], counts["identique"]
        ),
    ]
    if counts["profil modifié"]:
        notes[-1] = notes[-1][:-1] + f", {counts['profil modifié']} au profil modifié."
    if profils:
        notes.append(
            "Répartition sur les mois changée (budget à date, plan de trésorerie) : "
            + " ; ".join(profils)
            + "."
        )
    return Rapport(
        id="budget_comparaison",
        titre="Comparaison de deux versions du budget",
        association=association,
        parties=parties,
        sous_titre=sous_titre(exercice, exercice.fin, f"A : {a.libelle} / B : {b.libelle}"),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        totaux=totaux,
        notes=notes,
        meta={
            "plan": exercice.version,
            "version_a": a.version.code,
            "version_b": b.version.code,
            "revision_a": a.revision,
            "revision_b": b.revision,
        },
    )


def designer_pour(texte: str, budget: BudgetExercice, context: Any) -> VersionDesignee:
    """:func:`designer` with the ledger's folder and declared projects."""
    folder = Path(context.ledger).resolve().parent
    return designer(texte, budget, folder, set(context.config.projets))
