"""Where ``communs prevision ecrire`` writes the forecast file, and how it is checked.

The file is regenerated whole at each run. Before it is written:

- the ledger's errors block the write, except those of the file itself (an old
  forecast that no longer passes) and the missing ``include`` of a first generation;
- the accounts the ledger opens outside the file are known (the file opens the others).

After it is written (:func:`ecrire_previsions`), through the kernel's « append and
re-check » service (:mod:`communs_ledger.ajout`): when the ledger includes the file, the
whole ledger is loaded again and any error refuses the file; otherwise the file is
parsed alone. A refused file is put back as it was (deleted if it was new).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data

from ..ajout import Changement, ResultatEcriture, ecrire_et_verifier
from ..chargement import Diagnostic, Livre

_INTROUVABLE = "Fichier inclus introuvable : "


@dataclass(frozen=True, slots=True)
class Destination:
    """The forecast file in the ledger: ``cible`` (absolute), whether the ledger includes
    it, the ``include`` path that would name it, the ledger's errors that block writing
    it, and the accounts opened outside it."""

    cible: Path
    inclus: bool
    inclusion: str
    erreurs_bloquantes: tuple[Diagnostic, ...]
    comptes_ouverts: frozenset[str]


def meme_fichier(filename: str | None, cible: Path) -> bool:
    """``filename`` (as Beancount reports it) names the absolute path ``cible``."""
    return bool(filename) and os.path.normpath(os.path.abspath(str(filename))) == str(cible)


def include_manquant(diagnostic: Diagnostic, cible: Path, ledger: Path) -> bool:
    """A missing ``include`` of the target (its first generation). Beancount reports the
    path as written in the ``include``, relative to the including file's folder (the
    diagnostic's file when located, else the ledger's), not to the current folder."""
    if not diagnostic.message.startswith(_INTROUVABLE):
        return False
    written = diagnostic.message.removeprefix(_INTROUVABLE).strip()
    folders = [ledger.parent]
    if diagnostic.line and diagnostic.filename:
        folders.insert(0, Path(os.path.abspath(diagnostic.filename)).parent)
    return any(meme_fichier(os.path.join(folder, written), cible) for folder in folders)


def erreurs_bloquantes(livre: Livre, cible: Path) -> tuple[Diagnostic, ...]:
    """The ledger's errors, except those of the file being regenerated (an old forecast,
    or its missing include)."""
    return tuple(
        d
        for d in livre.diagnostics
        if not (meme_fichier(d.filename, cible) or include_manquant(d, cible, livre.path))
    )


def est_inclus(livre: Livre, cible: Path) -> bool:
    """The ledger includes ``cible`` (or names it in an ``include`` not found yet)."""
    if any(meme_fichier(name, cible) for name in livre.options.get("include") or ()):
        return True
    return any(include_manquant(d, cible, livre.path) for d in livre.diagnostics)


def comptes_ouverts_hors(livre: Livre, cible: Path) -> frozenset[str]:
    """Accounts the ledger opens outside the generated file."""
    return frozenset(
        entry.account
        for entry in livre.entries
        if isinstance(entry, data.Open)
        and not meme_fichier((entry.meta or {}).get("filename"), cible)
    )


def destination(livre: Livre, cible: Path) -> Destination:
    """Where the forecast file ``cible`` (an absolute path) stands in ``livre``."""
    return Destination(
        cible=cible,
        inclus=est_inclus(livre, cible),
        inclusion=os.path.relpath(cible, livre.path.parent),
        erreurs_bloquantes=erreurs_bloquantes(livre, cible),
        comptes_ouverts=comptes_ouverts_hors(livre, cible),
    )


def commande_de(fichier: Path, scenario: str | None, mois: int, ledger: Path | None) -> str:
    """The command line written in the generated file's header."""
    parts = ["communs prevision ecrire", str(fichier)]
    if scenario:
        parts.append(f"--scenario {scenario}")
    parts.append(f"--mois {mois}")
    if ledger:
        parts.append(f"--ledger {ledger}")
    return " ".join(parts)


def ecrire_previsions(livre: Livre, cible: Destination, texte: str) -> ResultatEcriture:
    """Write the forecast file (whole) and check it: any error refuses it (the errors
    allowed before were those of the file being replaced)."""
    return ecrire_et_verifier(
        livre.path,
        [Changement(cible.cible, texte, remplacer=True)],
        dans_le_livre=cible.inclus,
    )
