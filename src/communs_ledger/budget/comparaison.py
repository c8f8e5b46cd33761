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

from ..contexte import LedgerContext
from ..exercices import Exercice, french_date
from ..montants import ZERO
from ..sources import SourceError, display_path
from .fichier import BudgetExercice, LigneBudget, VersionBudget, load_budget_file
from .suivi import ecart_relatif

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


# --- The comparison figures -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MontantsAB:
    """An amount in version A and in version B."""

    a: Decimal
    b: Decimal

    @property
    def ecart(self) -> Decimal:
        return self.b - self.a

    @property
    def ecart_pct(self) -> Decimal | None:
        return ecart_relatif(self.b, self.a)


_ZERO_AB = MontantsAB(ZERO, ZERO)


@dataclass(frozen=True, slots=True)
class LigneComparee:
    """An (account, project) present in either version."""

    cle: Cle
    montants: MontantsAB
    ligne_a: LigneBudget | None
    ligne_b: LigneBudget | None

    @property
    def code(self) -> str:
        return self.cle[0]

    @property
    def statut(self) -> str:
        """ajoutée, supprimée, modifiée, profil modifié or identique."""
        a, b = self.ligne_a, self.ligne_b
        if a is None:
            return "ajoutée"
        if b is None:
            return "supprimée"
        if a.montant != b.montant:
            return "modifiée"
        return "identique" if a.echeances == b.echeances else "profil modifié"


@dataclass(frozen=True, slots=True)
class ChapitreCompare:
    """A two-digit chapter: its lines and their total."""

    code: str
    lignes: tuple[LigneComparee, ...]
    total: MontantsAB


@dataclass(frozen=True, slots=True)
class ComparaisonVersions:
    """Two versions of an exercice's budget, line by line, with named totals."""

    exercice: Exercice
    a: VersionDesignee
    b: VersionDesignee
    charges: tuple[ChapitreCompare, ...]
    produits: tuple[ChapitreCompare, ...]
    contributions: tuple[ChapitreCompare, ...]
    """Chapters 86 and 87."""
    total_charges: MontantsAB
    total_produits: MontantsAB
    contributions_volontaires_emplois: MontantsAB
    contributions_volontaires_ressources: MontantsAB

    @property
    def resultat(self) -> MontantsAB:
        """Produits − charges."""
        return MontantsAB(
            self.total_produits.a - self.total_charges.a,
            self.total_produits.b - self.total_charges.b,
        )

    @property
    def lignes(self) -> list[LigneComparee]:
        return [
            line
            for chapters in (self.charges, self.produits, self.contributions)
            for chapter in chapters
            for line in chapter.lignes
        ]


def _side_of(code: str) -> str:
    if code[:2] in ("86", "87"):
        return "contributions_volontaires"
    return "charges" if code[:1] == "6" else "produits"


def _total(items: Iterable[MontantsAB]) -> MontantsAB:
    a = b = ZERO
    for item in items:
        a += item.a
        b += item.b
    return MontantsAB(a, b)


def _chapitres(
    keys: list[Cle], lines_a: dict[Cle, LigneBudget], lines_b: dict[Cle, LigneBudget]
) -> tuple[ChapitreCompare, ...]:
    chapters: dict[str, list[Cle]] = defaultdict(list)
    for key in keys:
        chapters[key[0][:2]].append(key)
    result = []
    for chapter in sorted(chapters):
        lignes = tuple(
            LigneComparee(
                key,
                MontantsAB(
                    lines_a[key].montant if key in lines_a else ZERO,
                    lines_b[key].montant if key in lines_b else ZERO,
                ),
                lines_a.get(key),
                lines_b.get(key),
            )
            for key in chapters[chapter]
        )
        result.append(ChapitreCompare(chapter, lignes, _total(x.montants for x in lignes)))
    return tuple(result)


def _chapitre(chapters: Iterable[ChapitreCompare], code: str) -> MontantsAB:
    return next((c.total for c in chapters if c.code == code), _ZERO_AB)


def compute_comparaison(
    exercice: Exercice, a: VersionDesignee, b: VersionDesignee
) -> ComparaisonVersions:
    """Budget versions ``a`` and ``b`` of ``exercice`` line by line."""
    lines_a = {line.cle: line for line in a.version.lignes}
    lines_b = {line.cle: line for line in b.version.lignes}
    keys = sorted(set(lines_a) | set(lines_b), key=lambda k: (k[0], k[1] or ""))
    by_side: dict[str, list[Cle]] = defaultdict(list)
    for key in keys:
        by_side[_side_of(key[0])].append(key)
    charges = _chapitres(by_side["charges"], lines_a, lines_b)
    produits = _chapitres(by_side["produits"], lines_a, lines_b)
    contributions = _chapitres(by_side["contributions_volontaires"], lines_a, lines_b)
    return ComparaisonVersions(
        exercice=exercice,
        a=a,
        b=b,
        charges=charges,
        produits=produits,
        contributions=contributions,
        total_charges=_total(c.total for c in charges),
        total_produits=_total(c.total for c in produits),
        contributions_volontaires_emplois=_chapitre(contributions, "86"),
        contributions_volontaires_ressources=_chapitre(contributions, "87"),
    )


def designer_pour(texte: str, budget: BudgetExercice, context: LedgerContext) -> VersionDesignee:
    """:func:`designer` with the ledger's folder and declared projects."""
    folder = Path(context.ledger).resolve().parent
    return designer(texte, budget, folder, set(context.config.projets))
