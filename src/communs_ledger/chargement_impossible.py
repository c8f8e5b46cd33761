"""Why Beancount's loader crashed on a ledger, in French at the ``file:line`` at fault.

Beancount reports most problems as errors, but a few inputs make its loader raise
instead (``bean-check`` shows a traceback for them):

- an ``include`` of a folder (``include "justificatifs"``): ``IsADirectoryError``,
  or of a file that cannot be read (``PermissionError``…);
- an amount with more digits than Beancount's decimal arithmetic holds (28
  significant digits, e.g. ``1000000000000000000000000000000.00 EUR``): booking
  raises ``decimal.InvalidOperation``.

:func:`expliquer` finds the line at fault by reading the ledger's files (the main
file and, recursively, the files its ``include`` directives name) and returns the
problems as ``file:line: message`` texts, a French sentence naming the ledger when
the cause is unknown.
"""

from __future__ import annotations

import decimal
import errno
import glob
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .sources import display_path

_INCLUDE = re.compile(r'^\s*include\s+"(?P<cible>[^"]+)"')
_NUMBER = re.compile(r"(?<![\w.:-])-?(?P<entier>\d[\d,]*)(?:\.(?P<decimales>\d+))?(?![\w:-])")
DEMESURE = 16
"""Integer digits from which an amount is reported as out of measure (10¹⁵ €)."""

_CAUSES = {
    errno.EISDIR: "c'est un dossier",
    errno.EACCES: "lecture interdite (droits du fichier)",
    errno.EPERM: "lecture interdite (droits du fichier)",
    errno.ENOENT: "fichier introuvable",
    errno.ELOOP: "lien symbolique en boucle",
    errno.ENAMETOOLONG: "nom de fichier trop long",
}


def _lignes(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _includes(ledger: Path) -> Iterator[tuple[Path, int, str, list[Path]]]:
    """(file, line, pattern, files matched) of every ``include``, recursively."""
    seen: set[Path] = set()
    todo = [ledger]
    while todo:
        current = todo.pop(0)
        if current in seen or not current.is_file():
            continue
        seen.add(current)
        for number, line in enumerate(_lignes(current), start=1):
            match = _INCLUDE.match(line)
            if not match:
                continue
            pattern = match.group("cible")
            full = pattern if os.path.isabs(pattern) else str(current.parent / pattern)
            matched = sorted(Path(found) for found in glob.glob(full, recursive=True))
            yield current, number, pattern, matched
            todo.extend(path for path in matched if path.is_file())


def _sources(ledger: Path) -> list[Path]:
    found = [ledger]
    for _file, _line, _pattern, matched in _includes(ledger):
        found.extend(path for path in matched if path.is_file() and path not in found)
    return found


def _include_illisible(ledger: Path, exc: OSError) -> list[str]:
    target = Path(exc.filename).resolve() if exc.filename else None
    cause = _CAUSES.get(exc.errno or 0, exc.strerror or "fichier illisible")
    found = []
    for file, line, pattern, matched in _includes(ledger):
        if target is None or target not in {path.resolve() for path in matched}:
            continue
        text = f"{display_path(file)}:{line}: include « {pattern} » : {cause}"
        if exc.errno == errno.EISDIR:
            example = pattern.rstrip("/") + "/*.beancount"
            text += f' ; incluez les fichiers qu\'il contient, par exemple include "{example}"'
        found.append(text)
    return found


def _montants_demesures(ledger: Path) -> list[str]:
    found = []
    for path in _sources(ledger):
        for number, line in enumerate(_lignes(path), start=1):
            code = line.split(";", 1)[0]
            if code.lstrip().startswith(("option", "include", "plugin")):
                continue
            for match in _NUMBER.finditer(code):
                digits = len(match.group("entier").replace(",", "").lstrip("0"))
                if digits >= DEMESURE:
                    found.append(
                        f"{display_path(path)}:{number}: montant démesuré « {match.group(0)} » "
                        f"({digits} chiffres avant la virgule) : Beancount calcule sur 28 "
                        "chiffres significatifs et ne peut pas le lire ; corrigez ce montant"
                    )
    return found


def expliquer(ledger: Path, exc: BaseException) -> list[str]:
    """The problems that made Beancount's loader raise ``exc`` on ``ledger``, each as
    ``file:line: message`` in French (at least one text)."""
    found: list[str] = []
    if isinstance(exc, OSError):
        found = _include_illisible(ledger, exc)
    elif isinstance(exc, decimal.DecimalException | OverflowError):
        found = _montants_demesures(ledger)
        if not found:
            found = [
                f"{display_path(ledger)} : un montant dépasse ce que Beancount sait calculer "
                "(28 chiffres significatifs) ; cherchez un montant démesuré"
            ]
    if not found:
        found = [
            f"{display_path(ledger)} : Beancount n'a pas pu lire le grand livre "
            f"({type(exc).__name__}) ; relancez avec COMMUNS_DEBUG=1 pour le détail et "
            "signalez le problème"
        ]
    return found
