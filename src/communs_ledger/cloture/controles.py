"""Pre-closing checks of an exercice, as a French checklist.

1. **Exercice terminé**: its last day is before today.
2. **Soldes de trésorerie**: every treasury account (class 5 but 58, internal
   transfers in transit, and 59, dépréciations; open at the end of the
   exercice) has a ``balance`` assertion dated the day *after* the last day
   of the exercice. A Beancount ``balance`` checks the balance at the
   *beginning* of its day, so ``2025-01-01 balance`` asserts the balance at
   the end of 31 December 2024, entries of that day included: the closing
   balance. (The ledger having no error, each assertion holds.)
3. **Contributions en nature**: Σ86 = Σ87 over the exercice.
4. **Comptes d'attente**: every suspense account (the 47x the chart of the
   exercice calls « Comptes d'attente »: 471–473, and 475 before 2025) has a
   zero balance at the end of the exercice.
5. **Fonds dédiés**: computed (:mod:`communs_ledger.fonds_dedies`) and booked:
   no entry left to pass. Without a conventions file, nothing to compute.
6. **Pas de prévision**: no forecast entry (tag ``#prevision``) is dated inside
   the exercice.
7. **Amortissements et cessions**: when a fixed-asset register is declared, its
   dotations and disposals of the exercice are booked
   (:mod:`communs_ledger.immobilisations`: nothing left to write).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..codes import parse_account
from ..conventions.reglages import conventions_file
from ..exercices import Exercice, french_date
from ..fonds_dedies.calcul import fonds_sans_emploi
from ..fonds_dedies.rapport import a_passer
from ..formatage import montant, pluriel
from ..immobilisations.rapport import compute_immobilisations
from ..immobilisations.reglages import registre_file
from ..montants import ZERO
from ..mouvements import FORECAST_TAG
from ..plan import CodeState, load_chart, version_for_opening
from ..rapports.objets import Colonne, Genre, Ligne, Partie, Rapport
from ..rapports.source import RapportImpossible, Source
from ..sources import display_path

LIBELLE_ATTENTE = "comptes d'attente"
MAX_DETAILS = 8

FONDS_DEDIES = "fonds_dedies"
IMMOBILISATIONS = "immobilisations"
NON_TRESORERIE = ("58", "59")  # virements internes (transit), dépréciations


@dataclass
class Controle:
    id: str
    libelle: str
    ok: bool
    details: list[str] = field(default_factory=list)


def _where(entry: Any) -> str:
    meta = entry.meta or {}
    return f"{display_path(meta.get('filename', '?'))}:{meta.get('lineno', 0)}"


def _listed(items: list[str]) -> list[str]:
    if len(items) <= MAX_DETAILS:
        return items
    return [*items[:MAX_DETAILS], f"… et {pluriel(len(items) - MAX_DETAILS, 'autre')}"]


def exercice_termine(exercice: Exercice, today: datetime.date) -> Controle:
    ok = today > exercice.fin
    details = [] if ok else [f"l'exercice se termine le {french_date(exercice.fin)}"]
    return Controle("exercice_termine", "Exercice terminé", ok, details)


def soldes_tresorerie(entries: list[Any], exercice: Exercice) -> Controle:
    from beancount.core import data

    lendemain = exercice.fin_exclusive
    opened: dict[str, Any] = {}
    closed: dict[str, datetime.date] = {}
    asserted: set[str] = set()
    moved: set[str] = set()
    for entry in entries:
        if isinstance(entry, data.Open):
            opened[entry.account] = entry
        elif isinstance(entry, data.Close):
            closed[entry.account] = entry.date
        elif isinstance(entry, data.Balance) and entry.date == lendemain:
            asserted.add(entry.account)
        elif isinstance(entry, data.Transaction) and entry.date <= exercice.fin:
            moved.update(posting.account for posting in entry.postings)
    missing = []
    for account, ouverture in sorted(opened.items()):
        code = parse_account(account).code or ""
        if not code.startswith("5") or code.startswith(NON_TRESORERIE):
            continue
        ferme = closed.get(account, lendemain + datetime.timedelta(1))
        if ouverture.date > exercice.fin or ferme <= exercice.fin:
            continue
        if account in asserted:
            continue
        retire = _retire_ensuite(code, exercice)
        if retire is not None:
            missing.append(
                f"{account} : {retire}, aucune assertion possible le {lendemain.isoformat()} "
                f": videz-le, puis fermez-le le dernier jour "
                f"(« {exercice.fin.isoformat()} close {account} »)"
            )
        else:
            missing.append(
                f"assertion manquante : {lendemain.isoformat()} balance {account}"
                + ("" if account in moved else _jamais_mouvemente(ouverture))
            )
    libelle = (
        f"Soldes de trésorerie contrôlés au {french_date(exercice.fin)} "
        f"(assertions « balance » du {lendemain.isoformat()})"
    )
    return Controle("soldes_tresorerie", libelle, not missing, _listed(missing))


def _retire_ensuite(code: str, exercice: Exercice) -> str | None:
    """Why ``code`` cannot be used in the next exercice (retired from its chart: 531 from
    2025), in French; None when it can."""
    suivant = load_chart(version_for_opening(exercice.fin_exclusive))
    if suivant.check(code).state is not CodeState.RETIRED:
        return None
    return f"compte {code} retiré du plan comptable {suivant.version} de l'exercice suivant"


def _jamais_mouvemente(ouverture: Any) -> str:
    """The hint for a cash account never used (the savings account ``communs init``
    opens, for a club that has none): assert 0.00, or remove its opening."""
    meta = ouverture.meta or {}
    where = f"{display_path(meta.get('filename', '?'))}:{meta.get('lineno', 0)}"
    return (
        " 0.00 EUR (compte jamais mouvementé : ajoutez cette assertion si l'association "
        f"détient ce compte, sinon supprimez sa ligne « open », {where})"
    )


def contributions(source: Source, exercice: Exercice) -> Controle:
    emplois = ressources = ZERO
    for mouvement in source.mouvements.entre(exercice.debut, exercice.fin):
        code = mouvement.code or ""
        if code.startswith("86"):
            emplois += mouvement.montant
        elif code.startswith("87"):
            ressources -= mouvement.montant
    ok = emplois == ressources
    details = [] if ok else [f"Σ86 = {montant(emplois)}, Σ87 = {montant(ressources)}"]
    return Controle("contributions", "Contributions volontaires en nature : Σ86 = Σ87", ok, details)


def comptes_attente(source: Source, exercice: Exercice) -> Controle:
    chart = load_chart(exercice.version)
    balances: dict[str, Decimal] = defaultdict(Decimal)
    for mouvement in source.mouvements.entre(None, exercice.fin):
        code = mouvement.code or ""
        if code.startswith("47"):
            balances[mouvement.account] += mouvement.montant
    problems = []
    for account, balance in sorted(balances.items()):
        if not balance:
            continue
        found = chart.nearest(parse_account(account).code or "")
        if found is not None and found.libelle.casefold().startswith(LIBELLE_ATTENTE):
            problems.append(f"{account} : solde de {montant(balance)}")
    return Controle(
        "comptes_attente", "Comptes d'attente (47) soldés", not problems, _listed(problems)
    )


def controle_fonds_dedies(source: Source, exercice: Exercice) -> Controle:

    libelle = "Fonds dédiés calculés et comptabilisés"
    if not conventions_file(source.context.config):
        return Controle(FONDS_DEDIES, libelle, True, ["aucun fichier de conventions : sans objet"])
    try:
        fonds, entries = a_passer(source, exercice)
    except RapportImpossible as exc:
        return Controle(FONDS_DEDIES, libelle, False, [str(exc)])
    details = [
        f"{e.reference} : {e.libelle.split(' :')[0].lower()} de {montant(e.montant)} à passer "
        f"({e.debit} / {e.credit})"
        for e in entries
    ]
    if not entries:
        dediees = pluriel(len(fonds), "convention dédiée", "conventions dédiées")
        details = [f"{dediees} : écritures à jour"]
    # fonds left by an ended convention: said, not failed (the funder decides)
    details.extend(fonds_sans_emploi(fonds, exercice))
    return Controle(FONDS_DEDIES, libelle, not entries, details)


def amortissements(source: Source, exercice: Exercice) -> Controle | None:
    """Dotations and disposals of the register booked; None without a register."""
    if not registre_file(source.context.config):
        return None
    libelle = "Amortissements et cessions passés"
    try:
        missing = compute_immobilisations(source, exercice).a_passer
    except RapportImpossible as exc:
        return Controle(IMMOBILISATIONS, libelle, False, [str(exc)])
    details = [
        f"{e.immobilisation} : "
        f"{e.libelle.split(' :')[0].removesuffix(' ' + exercice.code).lower()} de "
        f"{montant(e.montant)} à passer"
        for e in missing
    ]
    if missing:
        details.append(
            f"communs immobilisations --exercice {exercice.code} --ecrire FICHIER les passe"
        )
    else:
        details = ["registre des immobilisations : écritures à jour"]
    return Controle(IMMOBILISATIONS, libelle, not missing, details)


def previsions(entries: list[Any], exercice: Exercice) -> Controle:
    from beancount.core import data

    found = [
        f"{_where(entry)} : {entry.date.isoformat()} {entry.narration}"
        for entry in entries
        if isinstance(entry, data.Transaction)
        and exercice.debut <= entry.date <= exercice.fin
        and entry.tags
        and FORECAST_TAG in entry.tags
    ]
    return Controle(
        "previsions",
        "Aucune écriture de prévision (#prevision) dans l'exercice",
        not found,
        _listed(found),
    )


def controler(source: Source, exercice: Exercice, today: datetime.date) -> list[Controle]:
    """Every pre-closing check of ``exercice`` (see the module docstring)."""
    checks = [
        exercice_termine(exercice, today),
        soldes_tresorerie(source.entries, exercice),
        contributions(source, exercice),
        comptes_attente(source, exercice),
        controle_fonds_dedies(source, exercice),
        previsions(source.entries, exercice),
    ]
    found = amortissements(source, exercice)
    return [*checks, found] if found is not None else checks


def rapport_controles(
    source: Source, exercice: Exercice, controles: list[Controle], cloture_le: str | None
) -> Rapport:
    """The checklist as a report (one row per check, details below it)."""
    rows: list[Ligne] = []
    for controle in controles:
        rows.append(
            Ligne(
                controle.libelle,
                {"resultat": "✓ réussi" if controle.ok else "✗ échec"},
                id=controle.id,
            )
        )
        for detail in controle.details:
            rows.append(Ligne(detail, {}, niveau=2))
    failed = sum(1 for c in controles if not c.ok)
    notes = [
        "Le résultat n'est pas viré en 12 par une écriture : le bilan et Fava le calculent "
        "à partir des classes 6 et 7 ; l'affectation du résultat se passe après l'assemblée "
        "générale (communs cloture affecter)."
    ]
    if cloture_le:
        notes.insert(0, f"Exercice clôturé le {cloture_le} : ses écritures sont verrouillées.")
    return Rapport(
        id="cloture",
        titre="Clôture de l'exercice — contrôles",
        association=source.association,
        parties=[
            Partie(
                "controles",
                "Contrôles avant clôture",
                [Colonne("resultat", "Résultat", Genre.TEXTE)],
                rows,
                onglet="Controles",
            )
        ],
        sous_titre=f"{exercice.libelle[0].upper()}{exercice.libelle[1:]} — "
        + (
            "tous les contrôles sont passés"
            if not failed
            else f"{pluriel(failed, 'contrôle')} en échec"
        ),
        exercice=exercice.code,
        periode=(exercice.debut, exercice.fin),
        notes=notes,
    )
