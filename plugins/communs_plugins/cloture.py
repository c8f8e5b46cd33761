"""Lock closed exercices: refuse any new, changed or removed entry dated inside one.

Usage, in the ledger, after the other communs plugins::

    plugin "communs_plugins.cloture"

The closed exercices are those ``communs cloture --ecrire`` recorded in
``clotures.yaml`` beside the ledger (``clotures:`` in ``communs.yaml`` names
another file), each with a fingerprint of every entry dated inside it (see
:mod:`communs_ledger.cloture.verrou`). Without that file the plugin returns at
once. The file is added to ``options_map["include"]`` so that Beancount's
pickle cache (and Fava's watcher) follow it. ``communs cloture rouvrir
--exercice E`` removes the record and lifts the lock.

Before (``clotures.yaml`` records 2024; a transaction is added in 2024 and one
amount of 2024 is changed)::

    2024-12-20 * "Quincaillerie Martin" "Sécateurs oubliés"     ; line 3400, new
      Charges:60-Achats:6063-Petit-equipement      42.00 EUR
      Actif:51-Banques:512-Banques:Compte-courant

    2024-03-22 * "EDF" "Facture annuelle …"                      ; line 859, 86.40 → 68.40

After (errors, entries unchanged)::

    2024.beancount:859: Écriture du 22/03/2024 « EDF – Facture annuelle … » dans
        l'exercice 2024, clôturé le 26/11/2026 : écriture nouvelle ou modifiée
        refusée (communs cloture rouvrir --exercice 2024 pour rouvrir l'exercice)
    2024.beancount:3400: Écriture du 20/12/2024 « Quincaillerie Martin – Sécateurs
        oubliés » dans l'exercice 2024, … refusée (…)
    clotures.yaml:6: Exercice 2024 clôturé le 26/11/2026 : 1 écriture enregistrée à
        la clôture est introuvable (supprimée ou modifiée)

The lock also holds when ``clotures.yaml`` disappears: the closing writes a
trace in the ledger (``2026-11-26 custom "cloture" "2024" "<digest>"``) and,
while the last trace of an exercice is a closing, a missing or different
record is an error at the trace's line::

    main.beancount:40: Exercice 2024 clôturé (trace du 26/11/2026) : clotures.yaml
        n'enregistre plus cette clôture (fichier supprimé, vidé ou remplacé) ; …

A change before a closed exercice (its openings) is an error at the same line.
Last, whatever the closings, a posting on the résultat accounts (12: 120, 129,
the bilan's « résultat de l'exercice » line) is refused outside an affectation
entry (``affectation:`` metadata, written by ``communs cloture affecter``): the
result is computed from classes 6 and 7, so the bilan would count it twice.

Each rule is a function below with its example of a ledger and its error:
:func:`resultat_hors_affectation`, :func:`check_traces`, then for each closed
exercice :func:`check_version` or else the :data:`CLOSING_RULES`
(:func:`check_refused`, :func:`check_missing`, :func:`check_openings`).

Entries dated outside closed exercices are not looked at. A ledger file whose
bytes are unchanged since the closing (same SHA-256) is not looked into
either; the entries of the others are fingerprinted (BLAKE2b of a short text)
and compared with the fingerprints recorded for them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount.core import data

from communs_ledger.cloture.verrou import (
    META_AFFECTATION,
    VERSION,
    Cloture,
    Trace,
    VerrouIllisible,
    chemin,
    ecarts,
    lire_verrou,
    ouvertures_de,
    sources_de,
    traces,
)
from communs_ledger.contexte import ChartPass, LedgerContext
from communs_ledger.erreurs import CommunsError
from communs_ledger.mouvements import en_masse
from communs_ledger.sources import display_path
from communs_plugins.plan_comptable import watch_files

__plugins__ = ("cloture",)

PLUGIN_NAME = "communs_plugins.cloture"
BUDGET_PLUGIN = "communs_plugins.budget"


def _jour(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _label(entry: Any) -> str:
    if isinstance(entry, data.Transaction):
        parts = [p for p in (entry.payee, entry.narration) if p]
        return " – ".join(parts) or "(sans libellé)"
    return f"{type(entry).__name__.lower()} {getattr(entry, 'account', '')}".strip()


def cloture(
    entries: data.Directives, options_map: dict[str, Any], config: str | None = None
) -> tuple[data.Directives, list[CommunsError]]:
    """Beancount plugin entry point: the entries unchanged, and the lock's errors."""
    try:
        context = LedgerContext.of_load(options_map, config.strip() if config else None)
        path = chemin(context)
        sources = sources_de(options_map)
        watch_files(options_map, [str(path)])
        # the budget plugin adds custom directives, but no transaction, open or closing trace
        shared = context.chart_pass_for(options_map, PLUGIN_NAME, between={BUDGET_PLUGIN})
        with en_masse():  # no cyclic garbage collection over the whole ledger meanwhile
            errors = resultat_hors_affectation(entries, context, shared)  # whatever the closings
            customs = shared.customs if shared is not None else None
            return entries, errors + verifier(entries, path, sources, customs)
    except Exception as exc:  # a plugin must never crash the load with a traceback
        meta = data.new_metadata(options_map.get("filename") or "<communs>", 0)
        return entries, [CommunsError(meta, f"Erreur interne du greffon cloture : {exc!r}", None)]


@dataclass(frozen=True, slots=True)
class ClosingFacts:
    """What the rules read about one closed exercice of the lock file."""

    closed: Cloture
    path: Path
    """The lock file (``clotures.yaml``)."""
    refused: list[Any]
    """Entries dated inside the exercice, new or changed since the closing."""
    missing: int
    """Number of entries recorded at the closing and no longer found."""
    ouverture: str
    """Digest of the balances at the start of the exercice, today."""
    trace: Trace | None
    """The exercice's last closing trace in the ledger."""

    @property
    def when(self) -> str:
        return _jour(self.closed.cloture_le)

    def record_meta(self) -> dict[str, Any]:
        """Errors about the record point at its line in the lock file."""
        return data.new_metadata(str(self.path), self.closed.ligne)


ClosingRule = Callable[[ClosingFacts], list[CommunsError]]
"""A rule on one closed exercice (of the current format): its errors."""


def verifier(
    entries: data.Directives,
    path: Path,
    sources: frozenset[str] | None = None,
    customs: Iterable[data.Custom] | None = None,
) -> list[CommunsError]:
    """The errors of the entries against the closed exercices recorded in ``path`` and the
    closing traces in the ledger: :func:`check_traces`, then for each closed exercice
    :func:`check_version` or else the :data:`CLOSING_RULES`. ``customs``: the custom
    directives of ``entries`` (at least the closing traces), when known."""
    found = traces(customs if customs is not None else entries)
    if not path.exists() and not found:
        return []
    try:
        clotures = lire_verrou(path)
    except VerrouIllisible as exc:
        return [CommunsError(data.new_metadata(str(path), exc.ligne), exc.message, None)]
    errors = check_traces(found, clotures, path)
    ouvertures = ouvertures_de(entries, [c.debut for c in clotures if c.ouverture])
    for closed in clotures:
        outdated = check_version(closed, path)
        if outdated:
            errors.extend(outdated)
            continue
        refused, missing = ecarts(entries, closed, path.parent, sources)
        ouverture = ouvertures.get(closed.debut, "")
        facts = ClosingFacts(closed, path, refused, missing, ouverture, found.get(closed.exercice))
        for rule in CLOSING_RULES:
            errors.extend(rule(facts))
    return errors


def check_version(closed: Cloture, path: Path) -> list[CommunsError]:
    """A record of another format of fingerprints cannot be checked: renew it.

    Before (``clotures.yaml``, written by an earlier version, no ``version: 2``)::

        clotures:
          - exercice: "2024"           # line 6
            ...

    Error, at the record (instead of every entry refused)::

        clotures.yaml:6: Exercice 2024 clôturé le 02/05/2025 par une autre version de
            communs-ledger (empreintes d'un autre format) : le verrou ne peut pas être
            contrôlé ; renouvelez-le : communs cloture rouvrir --exercice 2024, puis
            communs cloture --exercice 2024 --ecrire (dans l'ordre des exercices)
    """
    if closed.version == VERSION:
        return []
    return [
        CommunsError(
            data.new_metadata(str(path), closed.ligne),
            f"Exercice {closed.exercice} clôturé le {_jour(closed.cloture_le)} par une autre "
            "version de communs-ledger (empreintes d'un autre format) : le verrou ne peut pas "
            f"être contrôlé ; renouvelez-le : communs cloture rouvrir --exercice "
            f"{closed.exercice}, puis communs cloture --exercice {closed.exercice} "
            "--ecrire (dans l'ordre des exercices)",
            None,
        )
    ]


def check_refused(facts: ClosingFacts) -> list[CommunsError]:
    """An entry dated inside a closed exercice is new or changed since the closing.

    Before (2024 closed on 02/05/2025, the amount changed from 86.40 to 68.40)::

        2024-03-22 * "EDF" "Facture annuelle"          ; line 10
          Charges:60-Achats:6063-Petit-equipement  68.40 EUR
          Actif:51-Banques:512-Banques:Compte-courant

    Error, at the entry::

        main.beancount:10: Écriture du 22/03/2024 « EDF – Facture annuelle » dans
            l'exercice 2024, clôturé le 02/05/2025 : écriture nouvelle ou modifiée refusée
            (communs cloture rouvrir --exercice 2024 pour rouvrir l'exercice)
    """
    closed = facts.closed
    return [
        CommunsError(
            entry.meta,
            f"Écriture du {_jour(entry.date)} « {_label(entry)} » dans l'exercice "
            f"{closed.exercice}, clôturé le {facts.when} : écriture nouvelle ou modifiée "
            f"refusée (communs cloture rouvrir --exercice {closed.exercice} pour "
            "rouvrir l'exercice)",
            entry,
        )
        for entry in facts.refused
    ]


def check_missing(facts: ClosingFacts) -> list[CommunsError]:
    """An entry recorded at the closing is no longer in the ledger (removed or changed).

    Before: the transaction of 22/03/2024 above is deleted from the ledger.

    Error, at the record in the lock file::

        clotures.yaml:6: Exercice 2024 clôturé le 02/05/2025 : 1 écriture enregistrée à
            la clôture est introuvable (supprimée(s) ou modifiée(s))
    """
    missing = facts.missing
    if not missing:
        return []
    which = "écriture enregistrée" if missing == 1 else "écritures enregistrées"
    lost = "est introuvable" if missing == 1 else "sont introuvables"
    return [
        CommunsError(
            facts.record_meta(),
            f"Exercice {facts.closed.exercice} clôturé le {facts.when} : {missing} {which} à "
            f"la clôture {lost} (supprimée(s) ou modifiée(s))",
            None,
        )
    ]


def check_openings(facts: ClosingFacts) -> list[CommunsError]:
    """The balances at the start of a closed exercice have changed (an earlier entry).

    Before (2024 closed; an entry of 2023 is added)::

        2023-12-31 * "Oubli"                           ; line 10
          Charges:60-Achats:6063-Petit-equipement  10.00 EUR
          Actif:51-Banques:512-Banques:Compte-courant

    Error, at the closing trace in the ledger (else at the record in the lock file)::

        main.beancount:20: Exercice 2024 clôturé le 02/05/2025 : ses soldes d'ouverture
            au 01/01/2024 ont changé (écriture antérieure à l'exercice ajoutée, modifiée
            ou supprimée) ; un exercice clôturé ne change pas, à-nouveaux compris
    """
    closed = facts.closed
    if not closed.ouverture or facts.ouverture == closed.ouverture:
        return []
    meta = facts.trace.entry.meta if facts.trace else facts.record_meta()
    return [
        CommunsError(
            meta,
            f"Exercice {closed.exercice} clôturé le {facts.when} : ses soldes d'ouverture au "
            f"{_jour(closed.debut)} ont changé (écriture antérieure à l'exercice "
            "ajoutée, modifiée ou supprimée) ; un exercice clôturé ne change pas, "
            "à-nouveaux compris",
            None,
        )
    ]


CLOSING_RULES: tuple[ClosingRule, ...] = (check_refused, check_missing, check_openings)
"""The rules on each closed exercice, in the order their errors are reported."""


def check_traces(
    found: dict[str, Trace], clotures: list[Cloture], path: Path
) -> list[CommunsError]:
    """A closing recorded in the ledger whose record is missing or changed in the file.

    Before (the ledger keeps the trace of the closing, ``clotures.yaml`` was deleted)::

        2025-05-02 custom "cloture" "2024" "<digest>"   ; line 40

    Error, at the trace::

        main.beancount:40: Exercice 2024 clôturé (trace du 02/05/2025) : clotures.yaml
            n'enregistre plus cette clôture (fichier supprimé, vidé ou remplacé, ou
            « clotures: » de communs.yaml changé) ; le verrou ne se lève que par communs
            cloture rouvrir --exercice 2024, qui en laisse la trace dans le grand livre
    """
    records = {c.exercice: c for c in clotures}
    errors = []
    for code, trace in found.items():
        if not trace.close:
            continue
        record = records.get(code)
        if record is not None and record.sceau == trace.sceau:
            continue
        what = (
            "n'enregistre plus cette clôture (fichier supprimé, vidé ou remplacé, ou "
            "« clotures: » de communs.yaml changé)"
            if record is None
            else "a un enregistrement de cette clôture modifié à la main"
        )
        errors.append(
            CommunsError(
                trace.entry.meta,
                f"Exercice {code} clôturé (trace du {_jour(trace.entry.date)}) : "
                f"{display_path(path)} {what} ; le verrou ne se lève que par communs cloture "
                f"rouvrir --exercice {code}, qui en laisse la trace dans le grand livre",
                trace.entry,
            )
        )
    return errors


def resultat_hors_affectation(
    entries: data.Directives, context: LedgerContext, shared: ChartPass | None = None
) -> list[CommunsError]:
    """Postings on the résultat accounts (bilan line « résultat de l'exercice ») outside
    an affectation entry, whatever the closings. ``shared``: the plan comptable plugin's
    pass over ``entries``, when it holds (their open directives, and the postings walked
    only if one of the résultat accounts is used).

    Before::

        2025-03-01 * "Virement du résultat"               ; line 12
          Fonds-propres:12-Resultat:120-Excedent  -500.00 EUR
          Fonds-propres:10-Fonds-propres:106-Reserves

    Error, at the transaction::

        main.beancount:12: Écriture du 01/03/2025 « Virement du résultat » : le compte
            Fonds-propres:12-Resultat:120-Excedent (résultat de l'exercice) ne reçoit pas
            d'écriture. Le résultat est calculé à partir des classes 6 et 7 : une écriture
            en 12 le compterait deux fois au bilan, qui différerait alors du compte de
            résultat. L'affectation du résultat se passe avec communs cloture affecter
    """
    from communs_ledger.codes import parse_account
    from communs_ledger.plan import RESULT_LINE, prefixes_de_ligne_du_bilan

    # The accounts are found among the ``open`` directives (few), so that the usual
    # ledger, which opens none, costs one pass over the directives and no posting.
    prefixes: dict[str, tuple[str, ...]] = {}
    flagged: set[str] = set()
    for entry in shared.opens if shared is not None else entries:
        if isinstance(entry, data.Open):
            version = context.exercice_of(entry.date).version
            if version not in prefixes:
                prefixes[version] = prefixes_de_ligne_du_bilan(RESULT_LINE, version)
            code = parse_account(entry.account).code or ""
            if code and code.startswith(prefixes[version]):
                flagged.add(entry.account)
    if not flagged or (shared is not None and flagged.isdisjoint(shared.used)):
        return []
    errors = []
    transaction = data.Transaction
    for entry in entries:
        if type(entry) is not transaction:
            continue
        for posting in entry.postings:
            if posting.account in flagged:
                if META_AFFECTATION in entry.meta:
                    break
                errors.append(
                    CommunsError(
                        entry.meta,
                        f"Écriture du {_jour(entry.date)} « {_label(entry)} » : le compte "
                        f"{posting.account} (résultat de l'exercice) ne reçoit pas d'écriture. "
                        "Le résultat est calculé à partir des classes 6 et 7 : une écriture en "
                        "12 le compterait deux fois au bilan, qui différerait alors du compte "
                        "de résultat. L'affectation du résultat se passe avec communs cloture "
                        "affecter",
                        entry,
                    )
                )
                break
    return errors
