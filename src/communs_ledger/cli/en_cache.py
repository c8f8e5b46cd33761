"""The results cache (:mod:`communs_ledger.result_cache`) seen from the commands: which
commands use it, and the one way they look a result up or compute and keep it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .sortie import Sortie

T = TypeVar("T")

RAPPORTS_EN_CACHE = frozenset(
    {
        "adherents",
        "balance",
        "bilan",
        "budget",
        "budget cerfa",
        "compte-rendu",
        "diagnostic",
        "grand-livre",
        "journal",
        "prevision atterrissage",
        "prevision pluriannuelle",
        "prevision resultat",
        "prevision versements",
        "ressources",
        "resultat",
        "subventions",
        "tresorerie",
    }
)
"""Report commands whose result follows only from the ledger's folder, the files it
includes, today's date and the options: no Git state, no network, no folder named
outside the ledger, nothing asked on the terminal (its width is part of the request).
A command is added here only once these inputs are checked. Left out: those that
write (``fonds-dedies --ecrire``, ``immobilisations --ecrire``, ``cloture``, ``recus``),
print themselves (``indicateurs``, ``comptes-annuels``), read Git (``budget comparer``)
or a folder named outside the ledger (``reseau comparer``, ``indicateurs --comparer``).
``export xlsx``, not a report command, asks the cache itself (its workbook's figures)."""


def commande_en_cache() -> str | None:
    """The running report command (« budget », « resultat »…) if its result may be
    cached; None for any other (or for a group running one of its sub-commands)."""
    from .typer_interne import contexte_courant

    ctx = contexte_courant()
    if ctx is None or ctx.invoked_subcommand is not None:
        return None
    noms = []  # the names below the root (whatever the program's name: communs, python -m)
    while ctx.parent is not None:
        noms.append(ctx.info_name)
        ctx = ctx.parent
    nom = " ".join(reversed(noms))
    return nom if nom in RAPPORTS_EN_CACHE else None


def parametres_de_rapport(parametres: Mapping[str, Any], sortie: Sortie) -> dict[str, Any] | None:
    """The options that shape a report: the command's own, the format written and, on a
    terminal, its width (``--sortie`` and ``--ecraser`` only say where it goes). None if
    an option has a value that a key cannot hold exactly (then nothing is cached)."""
    from ..rendu import Format
    from .typer_interne import contexte_courant

    contexte = contexte_courant()  # a group's callback receives it: not an option
    retenus = {
        nom: valeur
        for nom, valeur in parametres.items()
        if contexte is None or valeur is not contexte
    }
    if not all(_option(valeur) for valeur in retenus.values()):
        return None
    retenus["format"] = sortie.format_ecrit
    retenus["dans un fichier"] = sortie.fichier is not None
    if sortie.fichier is None and sortie.format_ecrit is Format.table:
        from .affichage import sortie as console

        retenus["largeur"] = console().width
    return retenus


def _option(valeur: object) -> bool:
    """A value whose ``repr`` says all of it (an option's value as Typer parses it)."""
    if isinstance(valeur, list | tuple):
        return all(_option(element) for element in valeur)
    return valeur is None or isinstance(valeur, str | int | float | Path)


def resultat_en_cache(
    commande: str | None,
    ledger: Path | str | None,
    parametres: Mapping[str, Any],
    calculer: Callable[[], T | None],
    garder: Callable[[T], bool] = lambda _valeur: True,
) -> T | None:
    """The result of ``calculer()`` for ``commande`` on the ledger ``ledger``: taken from
    the cache when nothing it was derived from changed, else computed and kept if it came
    from exactly one load of that ledger, without errors, and ``garder(result)`` holds.
    ``commande`` None: computed."""
    from .. import disk_cache

    if commande is None or disk_cache.disabled():
        return calculer()
    from ..chargement import LedgerNotFound, loads_recorded, locate_ledger

    try:
        path = locate_ledger(ledger)
    except LedgerNotFound:
        return calculer()  # which says so, in French
    from .. import result_cache
    from .chargement import reparer_si_interrompu

    reparer_si_interrompu(path)  # before reading any file of the folder
    dossier = result_cache.Dossier(path)
    key = result_cache.request(path, commande, parametres, dossier.jour)
    found = result_cache.lookup(key, path, dossier)
    if found is not None:
        return found  # type: ignore[return-value]  # stored by this command, under its key
    with loads_recorded() as loads:
        value = calculer()
    if value is None or not garder(value):
        return value
    if len(loads) == 1 and loads[0].path == path and loads[0].ok:
        from ..cache import manifest_of_load

        result_cache.store(key, manifest_of_load(loads[0].options), dossier, value)
    return value
