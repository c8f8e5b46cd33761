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

Entries dated outside closed exercices are not looked at. A ledger file whose
bytes are unchanged since the closing (same SHA-256) is not looked into
either; the entries of the others are fingerprinted (BLAKE2b of a short text)
and compared with the fingerprints recorded for them.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from communs_ledger.cloture.affectation import META_AFFECTATION
from communs_ledger.cloture.verrou import (
    VERSION,
    Cloture,
    VerrouIllisible,
    chemin,
    ecarts,
    lire,
    ouvertures_de,
    sources_de,
    traces,
)
from communs_ledger.contexte import LedgerContext
from communs_ledger.erreurs import CommunsError
from communs_ledger.mouvements import en_masse
from communs_plugins.plan_comptable import watch_files

__plugins__ = ("cloture",)


def _jour(day: Any) -> str:
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
        context = LedgerContext.from_options(options_map, config.strip() if config else None)
        path = chemin(context)
        sources = sources_de(options_map)
        watch_files(options_map, [str(path)])
        errors = resultat_hors_affectation(entries, context)
        with en_masse():  # no cyclic garbage collection over the whole ledger meanwhile
            return entries, errors + verifier(entries, path, sources)
    except Exception as exc:  # a plugin must never crash the load with a traceback
        meta = data.new_metadata(options_map.get("filename") or "<communs>", 0)
        return entries, [CommunsError(meta, f"Erreur interne du greffon cloture : {exc!r}", None)]


def verifier(
    entries: data.Directives, path: Any, sources: frozenset[str] | None = None
) -> list[CommunsError]:
    """The errors of the entries against the closed exercices recorded in ``path`` and the
    closing traces in the ledger."""
    found = traces(entries)
    if not path.exists() and not found:
        return []
    try:
        clotures = lire(path)
    except VerrouIllisible as exc:
        return [CommunsError(data.new_metadata(str(path), exc.ligne), exc.message, None)]
    errors = _traces(found, clotures, path)
    ouvertures = ouvertures_de(entries, [c.debut for c in clotures if c.ouverture])
    for closed in clotures:
        when = _jour(closed.cloture_le)
        if closed.version != VERSION:
            errors.append(
                CommunsError(
                    data.new_metadata(str(path), closed.ligne),
                    f"Exercice {closed.exercice} clôturé le {when} par une autre version de "
                    "communs-ledger (empreintes d'un autre format) : le verrou ne peut pas être "
                    f"contrôlé ; renouvelez-le : communs cloture rouvrir --exercice "
                    f"{closed.exercice}, puis communs cloture --exercice {closed.exercice} "
                    "--ecrire (dans l'ordre des exercices)",
                    None,
                )
            )
            continue
        refused, missing = ecarts(entries, closed, path.parent, sources)
        for entry in refused:
            errors.append(
                CommunsError(
                    entry.meta,
                    f"Écriture du {_jour(entry.date)} « {_label(entry)} » dans l'exercice "
                    f"{closed.exercice}, clôturé le {when} : écriture nouvelle ou modifiée "
                    f"refusée (communs cloture rouvrir --exercice {closed.exercice} pour "
                    "rouvrir l'exercice)",
                    entry,
                )
            )
        if missing:
            which = "écriture enregistrée" if missing == 1 else "écritures enregistrées"
            lost = "est introuvable" if missing == 1 else "sont introuvables"
            errors.append(
                CommunsError(
                    data.new_metadata(str(path), closed.ligne),
                    f"Exercice {closed.exercice} clôturé le {when} : {missing} {which} à la "
                    f"clôture {lost} (supprimée(s) ou modifiée(s))",
                    None,
                )
            )
        if closed.ouverture and ouvertures[closed.debut] != closed.ouverture:
            trace = found.get(closed.exercice)
            meta = trace.entry.meta if trace else data.new_metadata(str(path), closed.ligne)
            errors.append(
                CommunsError(
                    meta,
                    f"Exercice {closed.exercice} clôturé le {when} : ses soldes d'ouverture au "
                    f"{_jour(closed.debut)} ont changé (écriture antérieure à l'exercice "
                    "ajoutée, modifiée ou supprimée) ; un exercice clôturé ne change pas, "
                    "à-nouveaux compris",
                    None,
                )
            )
    return errors


def _traces(found: dict[str, Any], clotures: list[Cloture], path: Any) -> list[CommunsError]:
    """A closing recorded in the ledger whose record is missing or changed in the file."""
    from communs_ledger.sources import display_path

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
    entries: data.Directives, context: LedgerContext
) -> list[CommunsError]:
    """Postings on the résultat accounts (bilan line « résultat de l'exercice ») outside
    an affectation entry."""
    from communs_ledger.codes import parse_account
    from communs_ledger.rapports.bilan import RESULT_LINE
    from communs_ledger.rapports.modeles import modele_bilan

    # The accounts are found among the ``open`` directives (few), so that the usual
    # ledger, which opens none, costs one pass over the directives and no posting.
    prefixes: dict[str, tuple[str, ...]] = {}
    flagged: set[str] = set()
    for entry in entries:
        if isinstance(entry, data.Open):
            version = context.exercice_of(entry.date).version
            if version not in prefixes:
                attaches = modele_bilan(version).attaches.values()
                prefixes[version] = tuple(
                    a.prefixe for found in attaches for a in found if a.ligne == RESULT_LINE
                )
            code = parse_account(entry.account).code or ""
            if code and code.startswith(prefixes[version]):
                flagged.add(entry.account)
    if not flagged:
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
