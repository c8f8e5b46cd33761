"""Next year's budget file, started from this year's budget or from its actuals.

``communs budget nouveau 2027 --depuis budget|realise [--indexation 2]`` writes a
budget file with one version (``projet``, dated the day it is made), ready to edit
and vote. Each line is the text of the source line in the source file (a careful
line-based rewrite, no YAML round trip): its comments, its label, its project, its
monthly profile are kept, with

- ``montant``: the source amount (``--depuis budget``) or the line's actuals over
  the source exercice (``--depuis realise``; accounts with actuals and no line are
  added at the end), times ``1 + indexation``, rounded to the euro;
- a profile that gives amounts (``mois: {…: montant}``, ``dates: {…}``) scaled to
  the new amount, to the cent, the last period taking the rounding difference so
  that the profile still adds up;
- dates and ``AAAA-MM`` months moved by the number of years between the two
  exercices (a 29 February becomes the 28th).

The file header comments and the top-level ``commentaire:`` of the source file are
kept. The result is checked with the loader of budget files before it is written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..codes import parse_account
from ..exercices import Exercice, french_date
from ..formatage import montant as format_montant
from ..montants import round_to, to_cent
from ..mouvements import Mouvement
from ..rapports.source import RapportImpossible
from .fichier import BudgetExercice, Budgets, LigneBudget, VersionBudget, load_budget_file
from .realise import Rattachement, rattacher

UN_EURO = Decimal(1)
BUDGET = "budget"
REALISE = "realise"


@dataclass
class NouveauBudget:
    """The text of the new file, and what the user should know about it."""

    texte: str
    lignes: int
    notes: list[str] = field(default_factory=list)


def _ecrit(value: Decimal) -> str:
    """A YAML amount: ``18900`` or ``18900.5``."""
    return format(value.normalize(), "f")


def _decaler_date(day: datetime.date, annees: int) -> datetime.date:
    try:
        return day.replace(year=day.year + annees)
    except ValueError:  # 29 February
        return day.replace(year=day.year + annees, day=28)


_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MOIS = re.compile(r"\b(\d{4})-(\d{2})\b(?!-)")
_MONTANT = re.compile(r"(\bmontant\s*:\s*)([^,}\n#]+)")
# An amount of a profile map: « 2: 1300 », « 2026-04-20: 54000 », « septembre: 500 »
_MONTANT_DU_PROFIL = re.compile(r"((?:[\w-]+)\s*:\s*)(\d+(?:\.\d+)?)(?=\s*[,}\n])")


def _decaler(texte: str, annees: int) -> str:
    if annees == 0:
        return texte

    def date(match: re.Match[str]) -> str:
        day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
        return _decaler_date(day, annees).isoformat()

    texte = _DATE.sub(date, texte)
    return _MOIS.sub(lambda m: f"{int(m[1]) + annees:04d}-{m[2]}", texte)


def _reecrire_profil(texte: str, ancien: Decimal, nouveau: Decimal) -> str:
    """Scale the amounts of a ``mois: {…}`` or ``dates: {…}`` profile to ``nouveau``."""
    start = texte.find("profil")
    if start < 0 or ancien == nouveau:
        return texte
    head, profil = texte[:start], texte[start:]
    end = len(profil)
    commentaire = re.search(r"\n\s*(commentaire|libelle|projet|compte|montant)\s*:", profil)
    if commentaire is not None:
        end = commentaire.start()
    zone, reste = profil[:end], profil[end:]
    matches = list(_MONTANT_DU_PROFIL.finditer(zone))
    values = [Decimal(m[2]) for m in matches]
    if not values or sum(values) != ancien:
        return texte  # weights or a list of months: nothing to scale
    scaled = [to_cent(v * nouveau / ancien) for v in values]
    scaled[-1] += nouveau - sum(scaled)
    out, last = [], 0
    for match, value in zip(matches, scaled, strict=True):
        out.append(zone[last : match.start(2)])
        out.append(_ecrit(value))
        last = match.end(2)
    out.append(zone[last:])
    return head + "".join(out) + reste


def _bloc(lignes: list[str], numero: int) -> tuple[int, int]:
    """The span [start, end) of the list item whose ``-`` is on line ``numero`` (1-based),
    with the comment lines just above it."""
    index = numero - 1
    item = lignes[index]
    indent = len(item) - len(item.lstrip())
    start = index
    while start > 0 and lignes[start - 1].strip().startswith("#"):
        start -= 1
    end = index + 1
    while end < len(lignes):
        text = lignes[end]
        stripped = text.strip()
        if stripped and not stripped.startswith("#"):
            if len(text) - len(text.lstrip()) <= indent:
                break
        elif stripped.startswith("#") and len(text) - len(text.lstrip()) <= indent:
            break  # a comment of the next item
        end += 1
    while end > index + 1 and not lignes[end - 1].strip():
        end -= 1
    return start, end


def _reindenter(bloc: list[str], indent: str) -> list[str]:
    item = next(line for line in bloc if line.lstrip().startswith("-"))
    current = len(item) - len(item.lstrip())
    out = []
    for line in bloc:
        if not line.strip():
            out.append("")
            continue
        width = len(line) - len(line.lstrip())
        out.append(indent + " " * max(0, width - current) + line.lstrip())
    return out


def _texte_de_ligne(
    source: list[str], ligne: LigneBudget, montant: Decimal, annees: int, commentaire: str | None
) -> list[str]:
    start, end = _bloc(source, ligne.location.line)
    texte = "\n".join(source[start:end])
    texte = _MONTANT.sub(lambda m: m[1] + _ecrit(montant), texte, count=1)
    texte = _reecrire_profil(texte, ligne.montant, montant)
    texte = _decaler(texte, annees)
    bloc = _reindenter(texte.split("\n"), "      ")
    if commentaire:
        bloc.insert(0, f"      # {commentaire}")
    return bloc


def _entete(source: list[str]) -> list[str]:
    """The comment lines atop the source file, and its top-level ``commentaire:``."""
    out: list[str] = []
    for index, line in enumerate(source):
        if line.startswith("versions:"):
            break
        if line.startswith("commentaire:"):
            out.append(line)
            for following in source[index + 1 :]:
                if following.startswith((" ", "\t")) or not following.strip():
                    if following.strip():
                        out.append(following)
                    continue
                break
            continue
        if line.startswith("#") or not line.strip():
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def _lignes_hors_budget(
    attached: Rattachement, code_exercice: str, facteur: Decimal, quoi: str = "hors budget"
) -> list[str]:
    """Budget lines for the accounts with actuals and no line (``--depuis realise``)."""
    lines: list[str] = []
    for account, amount in sorted(attached.hors_budget.items()):
        if amount <= 0:
            continue
        code = _code(account)
        if code is None:
            continue
        lines.append(f"      # {quoi} en {code_exercice} : {account}")
        lines.append(f'      - compte: "{code}"')
        lines.append(f"        montant: {_ecrit(round_to(amount * facteur, UN_EURO))}")
    return lines


def _tete(
    budget: BudgetExercice,
    version: VersionBudget,
    cible: Exercice,
    depuis: str,
    indexation: Decimal,
    aujourd_hui: datetime.date,
    source: list[str],
    modele: str | None = None,
) -> list[str]:
    """The comment lines heading the new file: where it comes from, the old header."""
    if modele is not None:
        origine = modele
    elif depuis == BUDGET:
        origine = f"du budget {budget.exercice.code} (version « {version.code} »)"
    else:
        origine = f"du réalisé {budget.exercice.code} (lignes de la version « {version.code} »)"
    index_text = f", indexé de {_ecrit(indexation)} %" if indexation else ""
    head = [
        f"# Budget prévisionnel {cible.code}, préparé le {french_date(aujourd_hui)} à partir "
        f"{origine}{index_text}",
        "# par « communs budget nouveau ». À relire, compléter, puis voter.",
    ]
    entete = _entete(source)
    if entete:
        quoi = "du modèle" if modele is not None else f"du budget {budget.exercice.code}"
        head += ["#", f"# En-tête {quoi} :", *entete]
    return head


def nouveau_budget(
    budget: BudgetExercice,
    version: VersionBudget,
    cible: Exercice,
    depuis: str,
    indexation: Decimal,
    mouvements: list[Mouvement],
    projets: set[str],
    aujourd_hui: datetime.date,
    derniere_ecriture: datetime.date | None,
    modele: str | None = None,
) -> NouveauBudget:
    """The new budget file of ``cible`` from ``version`` of ``budget`` (see module doc).

    ``mouvements``: the source exercice's movements (for ``--depuis realise``);
    ``modele``: where the budget comes from when it is a shared budget template
    (« du modèle de budget … »), for the file's header.
    """
    source_path = Path(budget.fichier)
    source = source_path.read_text(encoding="utf-8").split("\n")
    annees = cible.debut.year - budget.exercice.debut.year
    facteur = 1 + indexation / 100
    notes: list[str] = []
    attached = rattacher(mouvements, version.lignes) if depuis == REALISE else None
    body: list[str] = []
    for ligne in version.lignes:
        commentaire = None
        base = ligne.montant
        if attached is not None:
            realise = attached.par_ligne.get(ligne.cle, Decimal(0))
            if realise > 0:
                base = realise
            else:
                commentaire = (
                    f"aucun réalisé en {budget.exercice.code} : montant du budget "
                    f"({format_montant(ligne.montant)}) repris, à vérifier"
                )
        montant = round_to(base * facteur, UN_EURO)
        body.extend(_texte_de_ligne(source, ligne, montant, annees, commentaire))
    if attached is not None:
        body.extend(_lignes_hors_budget(attached, budget.exercice.code, facteur))
    if depuis == REALISE and derniere_ecriture and derniere_ecriture < budget.exercice.fin:
        notes.append(
            f"L'exercice {budget.exercice.code} est en cours (dernière écriture le "
            f"{french_date(derniere_ecriture)}) : les montants reprennent un réalisé "
            "partiel, à compléter."
        )
    head = _tete(budget, version, cible, depuis, indexation, aujourd_hui, source, modele)
    texte = _fichier(head, body, cible, projets, aujourd_hui)
    return NouveauBudget(texte, len(version.lignes), notes)


def _fichier(
    head: list[str], body: list[str], cible: Exercice, projets: set[str], aujourd_hui: datetime.date
) -> str:
    """The text of the new budget file (one version « projet »), checked by the loader."""
    texte = "\n".join(
        [
            *head,
            "",
            "versions:",
            "  - code: projet",
            f"    nom: Projet de budget {cible.code}",
            f"    date: {aujourd_hui.isoformat()}",
            "    lignes:",
            *body,
            "",
        ]
    )
    _, errors = load_budget_file(Path("nouveau.yaml"), cible, projets, text=texte, label="nouveau")
    if errors:
        listed = " ; ".join(str(e) for e in errors[:5])
        raise RapportImpossible(
            f"le budget {cible.code} préparé contient {len(errors)} erreur(s), rien n'est "
            f"écrit : {listed}"
        )
    return texte


def premier_budget(
    realise: Exercice,
    cible: Exercice,
    indexation: Decimal,
    mouvements: list[Mouvement],
    projets: set[str],
    aujourd_hui: datetime.date,
    derniere_ecriture: datetime.date | None,
) -> NouveauBudget:
    """The first budget of an association that has none yet (``--depuis realise``
    without any budget file): one line per account with actuals over ``realise``,
    times ``1 + indexation``, rounded to the euro, as the lines « hors budget »."""
    attached = rattacher(mouvements, [])
    body = _lignes_hors_budget(attached, realise.code, 1 + indexation / 100, "réalisé")
    if not body:
        raise RapportImpossible(
            f"aucun réalisé en {realise.code} (comptes de charges et de produits) : rien "
            "pour préparer un premier budget ; écrivez-le (docs/budget.md)"
        )
    index_text = f", indexé de {_ecrit(indexation)} %" if indexation else ""
    head = [
        f"# Budget prévisionnel {cible.code}, préparé le {french_date(aujourd_hui)} à partir "
        f"du réalisé {realise.code} (premier budget : une ligne par compte){index_text}",
        "# par « communs budget nouveau ». À relire, compléter, puis voter.",
    ]
    notes = []
    if derniere_ecriture and derniere_ecriture < realise.fin:
        notes.append(
            f"L'exercice {realise.code} est en cours (dernière écriture le "
            f"{french_date(derniere_ecriture)}) : les montants reprennent un réalisé "
            "partiel, à compléter."
        )
    texte = _fichier(head, body, cible, projets, aujourd_hui)
    return NouveauBudget(texte, sum(line.startswith("      - compte:") for line in body), notes)


def _code(account: str) -> str | None:
    return parse_account(account).code


def budget_precedent(budgets: Budgets, cible: Exercice) -> BudgetExercice | None:
    """The latest budget of an exercice that starts before ``cible`` (the default source
    of ``communs budget nouveau``)."""
    avant = [b for b in budgets.par_exercice.values() if b.exercice.debut < cible.debut]
    return max(avant, key=lambda b: b.exercice.debut, default=None)
