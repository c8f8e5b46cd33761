"""The lock of closed exercices: ``clotures.yaml`` beside the ledger, and entry fingerprints.

``communs cloture --ecrire`` records each closed exercice with, for each ledger
file holding entries dated inside it, the SHA-256 of the file and a fingerprint
of each of those entries; the plugin :mod:`communs_plugins.cloture` refuses any
entry of a closed exercice whose fingerprint is not recorded (new or changed)
and reports recorded ones that disappeared, until ``communs cloture rouvrir``
removes the record. The file (``clotures:`` in ``communs.yaml`` names another
one)::

    # Exercices clôturés par « communs cloture » : ne modifiez pas ce fichier à la main.
    clotures:
      - exercice: "2024"
        debut: 2024-01-01
        fin: 2024-12-31
        cloture_le: 2026-11-26
        ecritures: 2016
        fichiers:
          - fichier: 2024.beancount
            sha256: 9c1f…
            empreintes: >-
              3f0c5a1e9b2d7c44 a1b2c3d4e5f60718 …

Fingerprint of an entry: BLAKE2b (8 bytes, 16 hex digits) of its type, date,
fields and metadata — not of its file and line, so that moving an entry or
editing a comment changes nothing, while any change of date, label, tag,
amount, account or metadata does (fields Beancount computes, such as the
difference of a failing ``balance``, are left out). Counted entries: the
accounting directives (transactions, ``balance``, ``pad``, ``open``,
``close``) written in the ledger's Beancount files — not the generated ones
(padding transactions: their ``pad`` is counted), nor ``custom`` (Fava
options and budgets), ``note``, ``document``, ``event``, ``price``, which are
not entries of the accounts. Duplicates (two identical entries) count as many
times as they occur.

Fast path: a file whose bytes are unchanged (same SHA-256) holds the same
entries, so only the entries of changed files are fingerprinted on each load
(they are compared with the recorded fingerprints of the changed files pooled
together, so that an entry moved between two changed files is not refused).
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount.core import data

FICHIER_DEFAUT = "clotures.yaml"
_NOT_LEDGER = (".yaml", ".yml", ".json", ".csv")
_META_SKIPPED = frozenset(("filename", "lineno"))
_FIELDS_SKIPPED = frozenset(("meta", "diff_amount", "tolerance"))  # computed by Beancount
_PER_LINE = 4  # fingerprints per line of the file (readable diffs)

ENTETE = (
    "# Exercices clôturés par « communs cloture » : les écritures datées dans un exercice\n"
    "# clôturé ne peuvent plus être ajoutées, modifiées ni supprimées (greffon\n"
    "# communs_plugins.cloture) tant que l'exercice n'est pas rouvert\n"
    "# (« communs cloture rouvrir --exercice AAAA »). Ne modifiez pas ce fichier à la main.\n"
)


@dataclass(frozen=True)
class FichierClos:
    """The entries of one ledger file inside a closed exercice."""

    sha256: str
    empreintes: Counter[str]


@dataclass(frozen=True)
class Cloture:
    """One closed exercice as recorded."""

    exercice: str
    debut: datetime.date
    fin: datetime.date
    cloture_le: datetime.date
    fichiers: dict[str, FichierClos]
    """By file name relative to the lock file's folder."""
    ligne: int = 0  # line of the record in the file (errors point there)

    @property
    def empreintes(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for fichier in self.fichiers.values():
            total.update(fichier.empreintes)
        return total

    @property
    def ecritures(self) -> int:
        return sum(sum(f.empreintes.values()) for f in self.fichiers.values())


def chemin(context: Any) -> Path:
    """Where the lock file of a ledger lives (``clotures:`` of the config, else the default)."""
    named = context.config.data.clotures or FICHIER_DEFAUT
    folder = context.config.path.parent if context.config.path else context.ledger.parent
    return folder / named


# --- Fingerprints -------------------------------------------------------------------------


def _meta(meta: dict[str, Any] | None) -> str:
    if not meta or (len(meta) == 2 and "lineno" in meta and "filename" in meta):
        return ""  # the usual case: only the location
    items = [
        f"{key}={value}"
        for key, value in meta.items()
        if key not in _META_SKIPPED and not key.startswith("__")
    ]
    if len(items) > 1:
        items.sort()
    return ";".join(items)


def _texte_transaction(entry: Any) -> str:
    # Hot path (every entry of every closed exercice, on every load): plain string
    # operations, no helper call for the usual posting (no cost, price, flag or metadata).
    tags = ",".join(sorted(entry.tags)) if entry.tags else ""
    links = ",".join(sorted(entry.links)) if entry.links else ""
    parts = [
        "T",
        str(entry.date),
        entry.flag or "",
        entry.payee or "",
        entry.narration or "",
        tags,
        links,
        _meta(entry.meta),
    ]
    for posting in entry.postings:
        units = posting.units
        parts.append("\n")
        parts.append(posting.account)
        if units is not None:
            parts.append(str(units.number))
            parts.append(units.currency)
        if posting.cost is not None or posting.price is not None or posting.flag is not None:
            parts.append(f"{posting.cost}|{posting.price}|{posting.flag}")
        meta = posting.meta
        if meta and not (len(meta) == 2 and "lineno" in meta and "filename" in meta):
            parts.append(_meta(meta))
    return "|".join(parts)


def _texte(entry: Any) -> str:
    if isinstance(entry, data.Transaction):
        return _texte_transaction(entry)
    values = [type(entry).__name__, _meta(entry.meta)]
    for name in entry._fields:
        if name not in _FIELDS_SKIPPED:
            value = getattr(entry, name)
            if isinstance(value, (set, frozenset)):
                value = sorted(value)
            values.append(f"{name}={value}")
    return "|".join(values)


def empreinte(entry: Any) -> str:
    """The fingerprint of a directive (see the module docstring)."""
    return hashlib.blake2b(_texte(entry).encode("utf-8"), digest_size=8).hexdigest()


_COUNTED = (data.Transaction, data.Balance, data.Pad, data.Open, data.Close)


def compte(entry: Any) -> bool:
    """Whether a directive is counted in a closed exercice (an accounting directive
    written in a ledger file)."""
    if not isinstance(entry, _COUNTED):
        return False
    meta = entry.meta
    filename = meta.get("filename") if meta else None
    if not filename or filename.startswith("<") or filename.lower().endswith(_NOT_LEDGER):
        return False
    return not (isinstance(entry, data.Transaction) and entry.flag == "P")


def entrees_de(entries: list[Any], debut: datetime.date, fin: datetime.date) -> list[Any]:
    """The counted directives dated in ``[debut, fin]`` (entries sorted by date)."""
    low = bisect.bisect_left(entries, debut, key=lambda e: e.date)
    high = bisect.bisect_right(entries, fin, key=lambda e: e.date)
    return [entry for entry in entries[low:high] if compte(entry)]


def empreintes(entries: Iterable[Any]) -> Counter[str]:
    from ..rapports.mouvements import en_masse

    with en_masse():  # many short strings: no cyclic garbage collection over the ledger
        return Counter(empreinte(entry) for entry in entries)


def sha256_de(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def par_fichier(entries: Iterable[Any], dossier: Path) -> dict[str, list[Any]]:
    """Entries grouped by their file, named relative to ``dossier`` (POSIX separators)."""
    names: dict[str, str] = {}
    result: dict[str, list[Any]] = {}
    for entry in entries:
        filename = entry.meta["filename"]
        name = names.get(filename)
        if name is None:
            name = names[filename] = Path(os.path.relpath(filename, dossier)).as_posix()
        result.setdefault(name, []).append(entry)
    return result


def cloture_de(
    entries: list[Any],
    exercice: str,
    debut: datetime.date,
    fin: datetime.date,
    cloture_le: datetime.date,
    dossier: Path,
) -> Cloture:
    """The record of a closing: fingerprints and file digests of the period's entries."""
    fichiers = {
        name: FichierClos(sha256_de(dossier / name), empreintes(found))
        for name, found in sorted(par_fichier(entrees_de(entries, debut, fin), dossier).items())
    }
    return Cloture(exercice, debut, fin, cloture_le, fichiers)


def ecarts(entries: list[Any], cloture: Cloture, dossier: Path) -> tuple[list[Any], int]:
    """(entries new or changed, number of recorded entries missing) for one closed exercice."""
    found = par_fichier(entrees_de(entries, cloture.debut, cloture.fin), dossier)
    changed = [
        name
        for name in sorted(found.keys() | cloture.fichiers.keys())
        if name not in cloture.fichiers
        or name not in found
        or sha256_de(dossier / name) != cloture.fichiers[name].sha256
    ]
    if not changed:
        return [], 0
    expected: Counter[str] = Counter()
    for name in changed:
        if name in cloture.fichiers:
            expected.update(cloture.fichiers[name].empreintes)
    refused = []
    from ..rapports.mouvements import en_masse

    with en_masse():
        for name in changed:
            for entry in found.get(name, ()):
                key = empreinte(entry)
                if expected.get(key, 0) > 0:
                    expected[key] -= 1
                else:
                    refused.append(entry)
    return refused, sum(count for count in expected.values() if count > 0)


# --- The file -----------------------------------------------------------------------------


class VerrouIllisible(Exception):
    """The lock file cannot be read (French message, with the line when known)."""

    def __init__(self, message: str, ligne: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.ligne = ligne


def _date(value: Any, what: str, line: int) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise VerrouIllisible(f"{what} : date AAAA-MM-JJ attendue, lu « {value} »", line) from None


def _fichiers(raw: Any, line: int) -> dict[str, FichierClos]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise VerrouIllisible("fichiers : liste attendue", line)
    result = {}
    for item in raw:
        if not isinstance(item, dict) or "fichier" not in item:
            raise VerrouIllisible("fichiers : chaque élément indique « fichier »", line)
        result[str(item["fichier"])] = FichierClos(
            str(item.get("sha256") or ""), Counter(str(item.get("empreintes") or "").split())
        )
    return result


def lire(path: Path) -> list[Cloture]:
    """The closed exercices recorded in ``path`` (none if the file does not exist)."""
    from ..sources import SourceError
    from ..yaml_lignes import load_yaml

    if not path.exists():
        return []
    try:
        document = load_yaml(path)
    except SourceError as error:
        raise VerrouIllisible(error.message, error.location.line) from None
    data = document.data
    if data is None:
        return []
    items = data.get("clotures") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise VerrouIllisible("le fichier des clôtures doit commencer par « clotures: »", 1)
    lines = [document.line_of(("clotures", index)) for index in range(len(items))]
    result = []
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else 0
        if not isinstance(item, dict) or "exercice" not in item:
            raise VerrouIllisible("clôture sans « exercice »", line)
        result.append(
            Cloture(
                exercice=str(item["exercice"]),
                debut=_date(item.get("debut"), "debut", line),
                fin=_date(item.get("fin"), "fin", line),
                cloture_le=_date(item.get("cloture_le"), "cloture_le", line),
                fichiers=_fichiers(item.get("fichiers"), line),
                ligne=line,
            )
        )
    return result


def _empreintes_yaml(counter: Counter[str], indent: str) -> str:
    hashes = sorted(counter.elements())
    rows = [" ".join(hashes[i : i + _PER_LINE]) for i in range(0, len(hashes), _PER_LINE)]
    if not rows:
        return 'empreintes: ""'
    return "empreintes: >-\n" + "\n".join(f"{indent}  {row}" for row in rows)


def _record(cloture: Cloture) -> str:
    lines = [
        f'  - exercice: "{cloture.exercice}"',
        f"    debut: {cloture.debut.isoformat()}",
        f"    fin: {cloture.fin.isoformat()}",
        f"    cloture_le: {cloture.cloture_le.isoformat()}",
        f"    ecritures: {cloture.ecritures}",
        "    fichiers:" if cloture.fichiers else "    fichiers: []",
    ]
    for name, fichier in cloture.fichiers.items():
        lines.append(f'      - fichier: "{name}"')
        lines.append(f"        sha256: {fichier.sha256}")
        lines.append(f"        {_empreintes_yaml(fichier.empreintes, '        ')}")
    return "\n".join(lines) + "\n"


def texte(clotures: list[Cloture]) -> str:
    """The file's text for these records (sorted by exercice start)."""
    records = sorted(clotures, key=lambda c: c.debut)
    if not records:
        return ENTETE + "clotures: []\n"
    return ENTETE + "clotures:\n" + "".join(_record(c) for c in records)
