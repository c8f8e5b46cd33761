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

Entries dated outside closed exercices are not looked at. A ledger file whose
bytes are unchanged since the closing (same SHA-256) is not looked into
either; the entries of the others are fingerprinted (BLAKE2b of a short text)
and compared with the fingerprints recorded for them.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from communs_ledger.cloture.verrou import VerrouIllisible, chemin, ecarts, lire
from communs_ledger.contexte import LedgerContext
from communs_ledger.erreurs import CommunsError
from communs_ledger.rapports.mouvements import en_masse
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
        watch_files(options_map, [str(path)])
        if not path.exists():
            return entries, []
        with en_masse():  # no cyclic garbage collection over the whole ledger meanwhile
            return entries, verifier(entries, path)
    except Exception as exc:  # a plugin must never crash the load with a traceback
        meta = data.new_metadata(options_map.get("filename") or "<communs>", 0)
        return entries, [CommunsError(meta, f"Erreur interne du greffon cloture : {exc!r}", None)]


def verifier(entries: data.Directives, path: Any) -> list[CommunsError]:
    """The errors of the entries against the closed exercices recorded in ``path``."""
    try:
        clotures = lire(path)
    except VerrouIllisible as exc:
        return [CommunsError(data.new_metadata(str(path), exc.ligne), exc.message, None)]
    errors: list[CommunsError] = []
    for closed in clotures:
        refused, missing = ecarts(entries, closed, path.parent)
        when = _jour(closed.cloture_le)
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
    return errors
