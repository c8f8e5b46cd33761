"""Loading a ledger for the CLI and Fava: entries, errors, options, context.

Whatever the ledger declares, every communs check runs (``communs verifier``
must apply them even to a ledger without the ``plugin`` lines). Errors are
normalised to :class:`Diagnostic` (file, line, French message) for display;
warnings (the budget rules' ``custom "communs-avertissement"`` entries, see
:func:`~communs_ledger.erreurs.avertissements_de`) go to :attr:`Livre.avertissements`
and do not make the ledger invalid.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import guard, guarded
from .erreurs import avertissements_de, is_warning
from .gc_pause import gc_paused
from .messages_beancount import regrouper_guillemets, translate_beancount
from .sources import display_path

if TYPE_CHECKING:  # imported by load_livre: locating a ledger needs no configuration code
    from .contexte import LedgerContext

LEDGER_ENV = "COMMUNS_LEDGER"
DEFAULT_LEDGER = "main.beancount"


class LedgerNotFound(Exception):
    """The ledger could not be located or read (message in French)."""


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem to show a user: ``file:line: message``."""

    filename: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.filename}:{self.line}" if self.line else self.filename
        return f"{where}: {self.message}"


@dataclass
class Livre:
    """A loaded ledger."""

    path: Path
    entries: list[Any]
    errors: list[Any]
    options: dict[str, Any]
    context: LedgerContext
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """The errors, sorted by file and line."""
    avertissements: list[Diagnostic] = field(default_factory=list)
    """The warnings, sorted by file and line: listed, never blocking."""

    @property
    def ok(self) -> bool:
        """No error (warnings do not count)."""
        return not self.diagnostics


def locate_ledger(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--ledger`` first, then ``$COMMUNS_LEDGER``, then ``main.beancount`` here."""
    if explicit:
        candidate, origin = Path(explicit), "indiqué"
    elif os.environ.get(LEDGER_ENV):
        candidate, origin = Path(os.environ[LEDGER_ENV]), f"indiqué par ${LEDGER_ENV}"
    else:
        candidate, origin = Path(DEFAULT_LEDGER), "par défaut"
    if candidate.is_dir():
        candidate = candidate / DEFAULT_LEDGER
    if not candidate.exists():
        hint = (
            " ; indiquez-le avec --ledger FICHIER ou la variable COMMUNS_LEDGER, "
            "ou créez une association avec « communs init DOSSIER »"
        )
        raise LedgerNotFound(f"grand livre {origin} introuvable : {display_path(candidate)}{hint}")
    if not os.access(candidate, os.R_OK):
        raise LedgerNotFound(f"{display_path(candidate)} : lecture interdite (droits du fichier)")
    try:
        with open(candidate, encoding="utf-8") as file:
            file.read(65536)
    except UnicodeDecodeError:
        raise LedgerNotFound(
            f"{display_path(candidate)} : fichier illisible, il doit être encodé en UTF-8"
        ) from None
    except OSError as exc:
        raise LedgerNotFound(f"{display_path(candidate)} : {exc.strerror}") from None
    return candidate.resolve()


def _declared(options: dict[str, Any]) -> set[str]:
    return {name for name, _config in options.get("plugin", [])}


def run_missing_checks(entries: list[Any], options: dict[str, Any]) -> list[Any]:
    """Run the communs checks the ledger does not declare; return their errors, and the
    warnings their added entries carry (:data:`~communs_ledger.erreurs.CommunsAvertissement`).
    """
    from communs_plugins import checks

    errors: list[Any] = []
    for _module_name, function in checks(skip=_declared(options)):
        returned, found = function(entries, options)
        errors.extend(found)
        if returned is not entries:
            known = {id(w.entry) for w in avertissements_de(entries)}
            errors.extend(w for w in avertissements_de(returned) if id(w.entry) not in known)
    return errors


def warnings_and_errors(entries: list[Any], errors: list[Any]) -> list[Any]:
    """``errors`` followed by the warnings the ledger's entries carry."""
    return [*errors, *avertissements_de(entries)]


def to_diagnostic(error: Any) -> Diagnostic:
    source = getattr(error, "source", None) or {}
    filename = source.get("filename") or "<inconnu>"
    filename = "(chargement)" if filename.startswith("<") else display_path(filename)
    line = int(source.get("lineno") or 0)
    return Diagnostic(filename, line, translate_beancount(str(error.message)))


_MISSING_INCLUDE = "Fichier inclus introuvable : "
_INCLUDE_PROBLEMS = (_MISSING_INCLUDE, "Fichier introuvable : ", "Fichier inclus deux fois : ")
_INCLUDE = re.compile(r'^\s*include\s+"([^"]+)"')


def _same_target(written: str, reported: str) -> bool:
    return reported == written or reported.endswith(os.sep + written)


def _locate_include(diagnostic: Diagnostic, options: dict[str, Any]) -> Diagnostic:
    """Give a missing (or twice included) file the file and line of its ``include``."""
    prefix = next((p for p in _INCLUDE_PROBLEMS if diagnostic.message.startswith(p)), None)
    if diagnostic.line or prefix is None:
        return diagnostic
    target = diagnostic.message.removeprefix(prefix).strip()
    for filename in options.get("include") or ():
        try:
            lines = Path(filename).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            match = _INCLUDE.match(line)
            if match and _same_target(match.group(1), target):
                return Diagnostic(display_path(filename), number, diagnostic.message)
    return diagnostic


def _guard(_entries: list[Any], options: dict[str, Any]) -> list[Any]:
    """Extra validation run by Beancount's loader: validate its cache on content."""
    guard(options)
    return []


def forget_cache(ledger: Path) -> None:
    """Delete Beancount's pickle cache of ``ledger`` (a cache made while an included file
    was missing does not know that file and would be taken as up to date)."""
    from beancount import loader

    pattern = os.getenv("BEANCOUNT_LOAD_CACHE_FILENAME") or loader.PICKLE_CACHE_FILENAME
    Path(loader.get_cache_filename(pattern, str(ledger))).unlink(missing_ok=True)


CACHE_THRESHOLD = 0.25
"""Seconds of loading above which Beancount writes its cache. Beancount's own default
(1 s) is tuned for its slower load: with the garbage collector paused, a 10 000-entry
ledger loads in under a second, so the cache was never written by ``communs`` and every
command paid the full load (1.0 s instead of 0.34 s of CPU at 10k)."""


_MESSAGES_DU_CACHE = (
    "Could not write to picklecache",
    "Could not remove picklecache",
    "Cache file is corrupted",
)
"""Beancount's log messages about its pickle cache (English, on stderr): the cache is only
an optimisation, a read-only folder or a damaged cache file is no concern of the user."""


def _hors_cache(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(_MESSAGES_DU_CACHE)


@cache
def _use_cache_threshold() -> None:
    from beancount import loader

    logging.getLogger().addFilter(_hors_cache)
    if loader.PICKLE_CACHE_THRESHOLD > CACHE_THRESHOLD:
        loader.PICKLE_CACHE_THRESHOLD = CACHE_THRESHOLD
        loader.initialize(os.getenv("BEANCOUNT_DISABLE_LOAD_CACHE") is None)


def load_raw(ledger: Path) -> tuple[list[Any], list[Any], dict[str, Any]]:
    """Beancount's load of a ledger, through its pickle cache made safe.

    The cache is reused only for the same ledger path with the same content of every
    source and side file (:mod:`communs_ledger.cache`). A cache written by a program
    that did not validate it (``bean-check`` on a ledger without communs plugins) is
    dropped and the ledger loaded again.
    """
    from beancount import loader

    _use_cache_threshold()
    entries, errors, options = loader.load_file(str(ledger), extra_validations=[_guard])
    if not guarded(options):
        forget_cache(ledger)
        entries, errors, options = loader.load_file(str(ledger), extra_validations=[_guard])
    return entries, errors, options


_recorders: list[list[Livre]] = []
"""The lists of :func:`loads_recorded` open now (innermost last)."""


@contextmanager
def loads_recorded() -> Iterator[list[Livre]]:
    """The ledgers :func:`load_livre` loads inside the ``with``, in order (what a command
    read: :mod:`communs_ledger.result_cache` keeps only a result derived from one load)."""
    recorded: list[Livre] = []
    _recorders.append(recorded)
    try:
        yield recorded
    finally:
        _recorders.remove(recorded)


NON_UTF8 = "fichier illisible : il doit être encodé en UTF-8"


def _fichiers_non_utf8(diagnostics: list[Diagnostic], options: dict[str, Any]) -> list[Diagnostic]:
    """One error for an included file that is not UTF-8 (Latin-1, UTF-16, binary), at
    the line of its first bad byte, instead of Beancount's hundreds (English
    « UnicodeDecodeError », or every word « non reconnu »)."""
    with_errors = {diagnostic.filename for diagnostic in diagnostics}
    bad: dict[str, Diagnostic] = {}
    for filename in options.get("include") or ():
        name = display_path(filename)
        if name not in with_errors:
            continue
        try:
            raw = Path(filename).read_bytes()
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            bad[name] = Diagnostic(name, line, NON_UTF8)
        except OSError:
            continue
    if not bad:
        return diagnostics
    kept = [diagnostic for diagnostic in diagnostics if diagnostic.filename not in bad]
    return sorted([*kept, *bad.values()])


def load_livre(
    path: str | os.PathLike[str], *, all_checks: bool = True, freeze: bool = False
) -> Livre:
    """Load a ledger with Beancount (its pickle cache, validated on content) and the
    communs checks, Python's garbage collector paused meanwhile (:mod:`.gc_pause`).

    ``freeze``: exclude the loaded objects from every later collection (a command that
    ends after its report; never in a long-lived process).
    """
    ledger = Path(path).resolve()
    with gc_paused(freeze=freeze):
        entries, errors, options = load_raw(ledger)
        errors = warnings_and_errors(entries, list(errors))
        if all_checks:
            errors.extend(run_missing_checks(entries, options))
    errors = regrouper_guillemets(errors)
    from .contexte import LedgerContext

    context = LedgerContext.from_options(options)
    diagnostics = sorted(
        {
            _locate_include(to_diagnostic(error), options)
            for error in errors
            if not is_warning(error)
        }
    )
    diagnostics = _fichiers_non_utf8(diagnostics, options)
    warnings = sorted({to_diagnostic(error) for error in errors if is_warning(error)})
    livre = Livre(ledger, entries, errors, options, context, diagnostics, warnings)
    for recorded in _recorders:
        recorded.append(livre)
    return livre
