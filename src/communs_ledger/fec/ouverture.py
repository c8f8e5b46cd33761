"""Opening a new book from the previous software's books (``communs ouverture``).

Design (the ledger books no closing entry, see
:mod:`communs_ledger.rapports.resultats_anterieurs`): from a **FEC** of the exercice P,
the previous exercice itself is written in the ledger, in two entries flagged
``reprise: "FEC"`` in P's file:

- at P's opening date, the FEC's à-nouveaux (balance-sheet accounts only: an opening
  entry, :func:`communs_ledger.previsions.realise.est_ouverture`, never a receipt);
- at P's closing date, the net movement of every account during P (« totaux par
  compte »).

The first exercice F (the one after P, whatever today's date) then opens on P's closing
balances with no entry of its own: balances carry over, and the balance, the grand
livre and the FEC of F show them as à-nouveaux, P's result on 120/129 until the AG's
affectation. The compte de résultat and the bilan of F get their N-1 column from P like
for any ledger; no report changes. A balance assertion on each treasury account at F's
opening checks the carry-over.

From a **balance** (closing balances only), one entry at P's closing date takes every
account of the balance, flagged ``reprise: "balance"``: from a balance before closing
(classes 6 and 7 included), F gets its N-1 compte de résultat too.

The ledger books nothing on the result accounts 120/129 (the plugin refuses it): an
earlier result that the previous books carry there (the à-nouveaux of P before the AG's
affectation, the affectation entry itself) is taken on 110/119, report à nouveau, as
this ledger's own affectation entry does.

When the first exercice opens under another version of the chart (a 2024 FEC, chart
2018, opening 2025, chart 2025), the balances of the accounts the new chart retires move
to their replacement through 58 « virements internes » (out on P's last day, in on F's
first), the old account closed: the example association's caisse, 531 → 53.

Account numbers are mapped to the ledger's accounts: by a mapping file, else by the
chart (a number padded with zeros, ``41100000``, is the chart's ``411``): the account the
ledger opens with that code, else a new account named after the chart. A number the
chart does not know, or that several accounts of the ledger share, is left unmapped:
the caller refuses with the list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..ajout import Changement
from ..codes import account_code, is_contribution_code
from ..exercices import Calendrier, Exercice, french_date
from ..fonds_dedies.ecritures import slug_de_libelle
from ..formatage import montant
from ..importation.comptes import compte_de_depart
from ..montants import ZERO
from ..plan import Chart, CodeState, comptes_du_resultat, load_chart, natures
from ..sources import SourceError
from ..texte_beancount import chaine, options_des_racines
from ..yaml_lignes import load_yaml
from .reprise import Reprise, RepriseImpossible

META = "reprise"
META_PLAN = "changement de plan"


# --- Mapping --------------------------------------------------------------------------------


def lire_correspondances(path: Path) -> tuple[dict[str, str], list[SourceError]]:
    """``correspondances: {numéro: compte ou numéro du plan}``, with located errors."""
    try:
        document = load_yaml(path)
    except SourceError as problem:
        return {}, [problem]
    data = document.data
    if not isinstance(data, dict) or set(data) != {"correspondances"}:
        message = "le fichier des correspondances doit commencer par « correspondances: »"
        return {}, [SourceError(document.location(), message)]
    table = data["correspondances"] or {}
    if not isinstance(table, dict):
        message = "correspondances : une table « numéro: compte » est attendue"
        return {}, [SourceError(document.location(("correspondances",)), message)]
    found: dict[str, str] = {}
    errors: list[SourceError] = []
    for key, value in table.items():
        where = document.location(("correspondances", key))
        if not isinstance(value, str | int) or not str(value).strip():
            errors.append(SourceError(where, f"{key} : un compte ou un numéro est attendu"))
            continue
        target = str(value).strip()
        if not target.isdigit() and account_code(target) is None:
            errors.append(SourceError(where, f"{key} : « {target} » n'a pas de numéro de compte"))
            continue
        found[str(key).strip()] = target
    return found, errors


def _candidats(numero: str) -> list[str]:
    """The number, then without its padding zeros one by one (``41100000`` … ``411``), down
    to two digits: the caisse of the 2025 chart is ``53`` (``53000000``), the subventions of
    the 2018 chart ``74`` (``740000``)."""
    found = [numero]
    while len(found[-1]) > 2 and found[-1].endswith("0"):
        found.append(found[-1][:-1])
    return found


def nom_selon_le_plan(code: str, chart: Chart, roots: dict[str, str], solde: Decimal) -> str:
    """A name for an account of the chart the ledger does not have: the starter account
    of ``communs init``, else ``Racine:CC-Chapitre:CODE-Libelle``."""
    starter = compte_de_depart(code, chart.version, roots)
    if starter is not None:
        return starter
    account = chart.get(code) or chart.nearest(code)
    label = slug_de_libelle(account.libelle) if account else "Compte"
    chapter = chart.get(code[:2])
    chapter_label = slug_de_libelle(chapter.libelle) if chapter else "Comptes"
    nature = natures().get(account.nature if account else "")
    roles = nature.roles if nature else ("passif",)
    role = roles[0]
    if len(roles) > 1:
        role = "actif" if solde >= 0 else "passif"
    root = roots.get(role, role.capitalize())
    if len(code) == 2:  # a chapter that is itself an account: 53 « Caisse », 74 before 2025
        return f"{root}:{code}-{label}"
    return f"{root}:{code[:2]}-{chapter_label}:{code}-{label}"


@dataclass
class Correspondance:
    """Each number of the file → an account of the ledger; the numbers left unmapped."""

    comptes: dict[str, str] = field(default_factory=dict)
    non_affectes: list[str] = field(default_factory=list)  # French, one per number


def faire_correspondre(
    reprise: Reprise,
    chart: Chart,
    ouverts: list[str],
    roots: dict[str, str],
    correspondances: dict[str, str],
    banque: str | None = None,
) -> Correspondance:
    """Map every account number of ``reprise`` (see the module docstring). ``banque``:
    the account of the bank statements (``importation.compte``), taken for its code when
    several accounts of the ledger share it (the current account and the savings account
    of ``communs init`` under 512)."""
    result = Correspondance()
    for numero, compte in reprise.comptes.items():
        if not compte.a_nouveau and not compte.mouvement:
            continue  # nothing to book: no account needed (a savings account closed in the year)
        target = correspondances.get(numero)
        if target is not None and not target.isdigit():
            result.comptes[numero] = target
            continue
        found, raison = _trouver(target or numero, chart, ouverts, roots, compte.solde, banque)
        if found is None:
            result.non_affectes.append(f"{numero} « {compte.libelle} » : {raison}")
        else:
            result.comptes[numero] = found
    return result


def _hors_du_resultat(code: str) -> str:
    """120 → 110, 129 → 119: the ledger books nothing on the result accounts (the result
    is that of classes 6 to 8, see :mod:`communs_ledger.rapports.resultats_anterieurs`); an
    earlier result the previous books carry on 12x is taken as report à nouveau, as the
    affectation entry of this ledger does."""
    codes = comptes_du_resultat()
    if code == codes.excedent:
        return codes.report_crediteur
    if code == codes.deficit:
        return codes.report_debiteur
    return code


def resultats_non_affectes(reprise: Reprise) -> list[str]:
    """Warnings (French, ``fichier:ligne``) for an earlier result the previous books still
    carry on 120/129 at their closing: no affectation by the AG in the file. It is taken
    as report à nouveau (:func:`_hors_du_resultat`), which the AG may not have decided."""
    codes = comptes_du_resultat()
    found = []
    for numero, compte in reprise.comptes.items():
        code = next((c for c in _candidats(numero) if c in (codes.excedent, codes.deficit)), None)
        if code is None or not compte.solde:
            continue
        found.append(
            f"{reprise.nom}:{compte.ligne}: {numero} « {compte.libelle} » : "
            f"{montant(abs(compte.solde))} de résultat encore au {code} à la clôture, sans "
            f"affectation par l'assemblée générale dans le fichier : repris en report à "
            f"nouveau ({_hors_du_resultat(code)}) ; si l'assemblée générale l'a affecté "
            "autrement (réserves…), passez l'écriture du report à nouveau vers ce compte"
        )
    return found


def _trouver(
    numero: str,
    chart: Chart,
    ouverts: list[str],
    roots: dict[str, str],
    solde: Decimal,
    banque: str | None,
) -> tuple[str | None, str]:
    """The account for one number, else None and the reason (French). For each
    candidate code (:func:`_candidats`): the ledger's account of that code, else the
    chart's postable account of that code."""
    for code in _candidats(numero):
        code = _hors_du_resultat(code)
        same = [name for name in ouverts if account_code(name) == code]
        if len(same) > 1 and banque in same:
            return banque, ""
        if len(same) > 1:
            return None, f"plusieurs comptes {code} dans le grand livre ({', '.join(same)})"
        if same:
            return same[0], ""
        account = chart.get(code)
        if account is not None and not account.is_heading:
            return nom_selon_le_plan(code, chart, roots, solde), ""
    for code in _candidats(numero):
        retired = chart.check(code).retirement
        if chart.check(code).state is CodeState.RETIRED and retired is not None:
            # e.g. 531 in a FEC of 2025: the previous software kept the 2018 chart
            return None, chart.hors_du_plan(retired.code) or ""
    return None, f"numéro inconnu du plan comptable {chart.version}"


# --- Exercices --------------------------------------------------------------------------------


def exercice_repris(reprise: Reprise, calendrier: Calendrier, au: datetime.date | None) -> Exercice:
    """The exercice P of the file: the one of the FEC's closing date (its name) or last
    entry; for a balance, the one ending at ``au``."""
    day = au or reprise.cloture or reprise.derniere_date
    if day is None:
        raise RepriseImpossible(
            f"{reprise.nom} : une balance ne dit pas sa date : indiquez --au (date de clôture "
            "de l'exercice qu'elle termine)"
        )
    exercice = calendrier.containing(day)
    first = reprise.premiere_date
    if first is not None and first < exercice.debut:
        raise RepriseImpossible(
            f"{reprise.nom} : les écritures vont du {french_date(first)} au "
            f"{french_date(day)}, à cheval sur deux exercices de communs.yaml (l'exercice "
            f"{exercice.code} va du {french_date(exercice.debut)} au "
            f"{french_date(exercice.fin)}) : corrigez « exercice: debut » dans communs.yaml"
        )
    return exercice


# --- Text -------------------------------------------------------------------------------------


def _par_compte(reprise: Reprise, affectation: Correspondance, part: str) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for numero, compte in reprise.comptes.items():
        name = affectation.comptes.get(numero)
        if name is not None:  # None: a number with nothing to book
            totals[name] = totals.get(name, ZERO) + getattr(compte, part)
    return {name: amount for name, amount in totals.items() if amount}


def _ecriture(day: datetime.date, libelle: str, genre: str, montants: dict[str, Decimal]) -> str:
    if not montants:
        return ""
    width = max(len(name) for name in montants) + 4
    lines = [f"{day.isoformat()} * {chaine(libelle)}", f'  {META}: "{genre}"']
    for name, amount in montants.items():
        lines.append(f"  {name.ljust(width)}{amount:>14.2f} EUR")
    return "\n".join(lines) + "\n"


def _controles(
    soldes: dict[str, Decimal], premier: Exercice, apres: frozenset[str] = frozenset()
) -> str:
    """Balance assertions of the treasury accounts at the first exercice's opening (the
    next day for the accounts in ``apres``, which receive their balance that day)."""
    lendemain = premier.debut + datetime.timedelta(days=1)
    checks = [
        f"{(lendemain if name in apres else premier.debut).isoformat()} balance {name} "
        f"{amount:.2f} EUR"
        for name, amount in soldes.items()
        if (account_code(name) or "")[:1] == "5"
    ]
    if not checks:
        return ""
    return "\n; Soldes de trésorerie à la clôture repris\n" + "\n".join(checks) + "\n"


@dataclass(frozen=True, slots=True)
class TexteOuverture:
    """The entries to write, by exercice; the accounts they use, each with the date it must
    be open from; the accounts to close (retired by the first exercice's chart)."""

    precedent: Exercice
    premier: Exercice
    par_exercice: dict[Exercice, str]
    ouvertures: dict[str, datetime.date]
    clotures: dict[str, datetime.date] = field(default_factory=dict)


@dataclass
class _Contexte:
    reprise: Reprise
    affectation: Correspondance
    precedent: Exercice
    premier: Exercice
    ouverts: list[str]
    roots: dict[str, str]


def texte_ouverture(
    reprise: Reprise,
    affectation: Correspondance,
    precedent: Exercice,
    premier: Exercice,
    ouverts: list[str],
    roots: dict[str, str],
) -> TexteOuverture:
    """The entries of the opening (see the module docstring)."""
    contexte = _Contexte(reprise, affectation, precedent, premier, ouverts, roots)
    soldes = _par_compte(reprise, affectation, "solde")
    if reprise.est_un_fec:
        text, used = _texte_fec(contexte)
    else:
        text, used = _texte_balance(contexte, soldes)
    ouvertures = dict.fromkeys(used, precedent.debut)
    passage = _changement_de_plan(contexte, soldes)
    par_exercice = {precedent: text + passage.fin_precedent}
    if passage.debut_premier:
        par_exercice[premier] = passage.debut_premier
    for old, new in passage.remplacements.items():
        soldes[new] = soldes.get(new, ZERO) + soldes.pop(old)
        ouvertures[new] = premier.debut
    if passage.transit:
        ouvertures.setdefault(passage.transit, precedent.debut)
    apres = frozenset(passage.remplacements.values())
    par_exercice[precedent] += _controles(soldes, premier, apres)
    clotures = dict.fromkeys(passage.remplacements, precedent.fin)
    return TexteOuverture(precedent, premier, par_exercice, ouvertures, clotures)


def _contributions_a_part(
    mouvements: dict[str, Decimal], nom: str
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The movements of classes 86/87, which the chart keeps out of any other entry, and
    the others; 86 and 87 must balance each other, as in the FEC's own entries."""
    nature = {
        name: amount
        for name, amount in mouvements.items()
        if is_contribution_code(account_code(name))
    }
    total = sum(nature.values(), ZERO)
    if total:
        raise RepriseImpossible(
            f"{nom} : les contributions volontaires en nature (86/87) ne s'équilibrent pas "
            f"entre elles (86 − 87 = {montant(total)}) : chaque écriture du FEC qui les mouvemente "
            "ne doit contenir que des comptes 86 et 87"
        )
    others = {name: amount for name, amount in mouvements.items() if name not in nature}
    return others, nature


def _texte_fec(contexte: _Contexte) -> tuple[str, list[str]]:
    reprise, precedent = contexte.reprise, contexte.precedent
    a_nouveaux = _par_compte(reprise, contexte.affectation, "a_nouveau")
    mouvements, nature = _contributions_a_part(
        _par_compte(reprise, contexte.affectation, "mouvement"), reprise.nom
    )
    head = (
        f"; Exercice {precedent.code} repris du FEC {reprise.nom} (communs ouverture) : "
        "soldes d'ouverture, puis mouvements de l'exercice totalisés par compte.\n"
    )
    text = head + "\n".join(
        part
        for part in (
            _ecriture(
                precedent.debut,
                f"Reprise des soldes d'ouverture de l'exercice {precedent.code} ({reprise.nom})",
                "FEC",
                a_nouveaux,
            ),
            _ecriture(
                precedent.fin,
                f"Mouvements de l'exercice {precedent.code} repris du FEC (totaux par compte)",
                "FEC",
                mouvements,
            ),
            _ecriture(
                precedent.fin,
                f"Contributions volontaires en nature de l'exercice {precedent.code} reprises "
                "du FEC (totaux par compte)",
                "FEC",
                nature,
            ),
        )
        if part
    )
    return text, list(dict.fromkeys([*a_nouveaux, *mouvements, *nature]))


def _texte_balance(contexte: _Contexte, soldes: dict[str, Decimal]) -> tuple[str, list[str]]:
    reprise, precedent = contexte.reprise, contexte.precedent
    autres, nature = _contributions_a_part(soldes, reprise.nom)
    text = (
        f"; Soldes de l'exercice {precedent.code} repris de la balance {reprise.nom} "
        "(communs ouverture).\n"
        + _ecriture(
            precedent.fin,
            f"Soldes au {french_date(precedent.fin)} repris de la balance ({reprise.nom})",
            "balance",
            autres,
        )
    )
    if nature:
        text += "\n" + _ecriture(
            precedent.fin,
            f"Contributions volontaires en nature au {french_date(precedent.fin)} reprises "
            f"de la balance ({reprise.nom})",
            "balance",
            nature,
        )
    return text, list(soldes)


@dataclass
class _Passage:
    """The move of the balances of accounts the first exercice's chart retires."""

    remplacements: dict[str, str] = field(default_factory=dict)  # old account → new
    transit: str | None = None
    fin_precedent: str = ""
    debut_premier: str = ""


def _changement_de_plan(contexte: _Contexte, soldes: dict[str, Decimal]) -> _Passage:
    """When the first exercice opens under another version of the chart (2018 → 2025), the
    balances of the accounts it retires move to their replacement through 58 « virements
    internes »: out at the previous exercice's closing, in at the first one's opening (the
    old account is closed), as for the caisse (531 → 53) of the example association."""
    precedent, premier = contexte.precedent, contexte.premier
    passage = _Passage()
    if premier.version == precedent.version:
        return passage
    chart = load_chart(premier.version)
    for name, amount in soldes.items():
        code = account_code(name) or ""
        if chart.hors_du_plan(code) is None:
            continue
        retired = chart.retirement_of(code)
        if retired is None or not retired.remplacement:
            raise RepriseImpossible(
                f"{name} : {chart.hors_du_plan(code)} ; indiquez son compte dans le fichier "
                "--correspondances"
            )
        same = [n for n in contexte.ouverts if account_code(n) == retired.remplacement]
        passage.remplacements[name] = (
            same[0]
            if same
            else nom_selon_le_plan(retired.remplacement, chart, contexte.roots, amount)
        )
    if not passage.remplacements:
        return passage
    transit = next((n for n in contexte.ouverts if account_code(n) == "58"), None)
    passage.transit = transit or nom_selon_le_plan("58", chart, contexte.roots, ZERO)
    total = sum((soldes[old] for old in passage.remplacements), ZERO)
    label = f"Passage au plan comptable {premier.version} : comptes retirés"
    sortie = {old: -soldes[old] for old in passage.remplacements}
    entree = {new: soldes[old] for old, new in passage.remplacements.items()}
    passage.fin_precedent = "\n" + _ecriture(
        precedent.fin, label, META_PLAN, {**sortie, passage.transit: total}
    )
    passage.debut_premier = (
        f"; Passage au plan comptable {premier.version} (communs ouverture)\n"
        + _ecriture(premier.debut, label, META_PLAN, {passage.transit: -total, **entree})
    )
    return passage


# --- Files ------------------------------------------------------------------------------------


def _include_line(text: str, fichier: str) -> str:
    """``text`` (the main file) with ``include "fichier"`` after its last include."""
    lines = text.splitlines(keepends=True)
    last = max((i for i, line in enumerate(lines) if line.startswith("include ")), default=None)
    new = f'include "{fichier}"\n'
    if last is None:
        return text + ("" if text.endswith("\n") else "\n") + new
    lines.insert(last + 1, new)
    return "".join(lines)


def _entete_exercice(exercice: Exercice, roots: dict[str, str]) -> str:
    return (
        f"; Écritures de l'{exercice.libelle}\n\n" + "\n".join(options_des_racines(roots)) + "\n\n"
    )


def _ouvertures(texte: TexteOuverture, opens: dict[str, Any]) -> dict[str, datetime.date]:
    """The opening date of each account: those the reprise uses, and the starter accounts
    of ``communs init`` (the ledger's first opening day) when the first exercice starts
    before them: a book made in 2026 from a 2024 FEC books 2025 on them."""
    found = dict(texte.ouvertures)
    first_day = min((entry.date for entry in opens.values()), default=None)
    if first_day is not None and first_day > texte.premier.debut:
        for name, entry in opens.items():
            if entry.date == first_day:
                found.setdefault(name, texte.premier.debut)
    return found


def changements(
    ledger: Path,
    entries: list[Any],
    roots: dict[str, str],
    texte: TexteOuverture,
) -> list[Changement]:
    """The files to change: the accounts' file (opening dates moved back, new accounts
    opened), each exercice's file (created and included when missing), the main file."""
    from beancount.core import data

    opens = {e.account: e for e in entries if isinstance(e, data.Open)}
    files: dict[Path, str] = {}

    def content(path: Path) -> str:
        if path not in files:
            files[path] = path.read_text(encoding="utf-8") if path.exists() else ""
        return files[path]

    accounts_file = ledger.parent / "comptes.beancount"
    if opens:
        accounts_file = Path(next(iter(opens.values())).meta["filename"])
    new_opens: list[str] = []
    for name, day in _ouvertures(texte, opens).items():
        entry = opens.get(name)
        if entry is None:
            currency = " EUR" if (account_code(name) or "")[:1] == "5" else ""
            new_opens.append(f"{day.isoformat()} open {name}{currency}")
        elif entry.date > day:
            path = Path(entry.meta["filename"])
            lines = content(path).splitlines(keepends=True)
            index = entry.meta["lineno"] - 1
            lines[index] = lines[index].replace(entry.date.isoformat(), day.isoformat(), 1)
            files[path] = "".join(lines)
    new_opens += [f"{day.isoformat()} close {name}" for name, day in texte.clotures.items()]
    if new_opens:
        text = content(accounts_file)
        text += ("" if text.endswith("\n") else "\n") + (
            "\n; Comptes ouverts par la reprise de la comptabilité précédente\n"
            + "\n".join(new_opens)
            + "\n"
        )
        files[accounts_file] = text
    for exercice, block in texte.par_exercice.items():
        path = ledger.parent / f"{exercice.code}.beancount"
        text = content(path) or _entete_exercice(exercice, roots)
        if f'include "{path.name}"' not in content(ledger):
            files[ledger] = _include_line(content(ledger), path.name)
        files[path] = text + ("" if text.endswith("\n") else "\n") + "\n" + block
    return [Changement(path, text, remplacer=True) for path, text in files.items()]
