"""Account codes read from Beancount account names.

The naming convention (docs/convention.md): a *coded* component is ``CODE`` or
``CODE-Libelle`` where CODE is the account number; an account's code is the
code of its deepest coded component; uncoded components below it are user
sub-accounts that inherit it.

    >>> parse_account("Actif:51-Banques:512-Banque:Credit-Cooperatif").code
    '512'

This module is pure (no Beancount import) so that the CLI can use it cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_CODED = re.compile(r"^(\d+)(?:-(.*))?$")


@dataclass(frozen=True, slots=True)
class CodedComponent:
    """One coded component of an account name: its position, code and label."""

    index: int
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class ParsedAccount:
    """An account name split into its root, coded components and user part."""

    name: str
    root: str
    coded: tuple[CodedComponent, ...]

    @property
    def code(self) -> str | None:
        """The account's code: that of its deepest coded component."""
        return self.coded[-1].code if self.coded else None

    @property
    def depth_of_code(self) -> int:
        """Index of the component carrying the code (-1 if uncoded)."""
        return self.coded[-1].index if self.coded else -1


@lru_cache(maxsize=65536)
def parse_account(name: str) -> ParsedAccount:
    """Split an account name into root and coded components."""
    parts = name.split(":")
    coded = []
    for index, component in enumerate(parts[1:], start=1):
        match = _CODED.match(component)
        if match:
            coded.append(CodedComponent(index, match.group(1), match.group(2) or ""))
    return ParsedAccount(name, parts[0], tuple(coded))


def account_code(name: str) -> str | None:
    """The code of an account name, or None if it has no coded component."""
    return parse_account(name).code


def code_class(code: str) -> str:
    """The class of a code (its first digit)."""
    return code[:1]


def is_charge_code(code: str | None) -> bool:
    """True for charges: class 6, and 86 (emplois des contributions volontaires)."""
    return code is not None and (code[:1] == "6" or code[:2] == "86")


def is_contribution_code(code: str | None) -> bool:
    """True for contributions volontaires en nature (86 emplois, 87 ressources)."""
    return code is not None and code[:2] in ("86", "87")


def est_tresorerie(code: str | None) -> bool:
    """Treasury account codes: class 5 except 59."""
    return code is not None and code[:1] == "5" and code[:2] != "59"


def longest_prefix(code: str, index: Mapping[str, T]) -> T | None:
    """The value of the longest key of ``index`` that prefixes ``code`` (None if none)."""
    for length in range(len(code), 0, -1):
        found = index.get(code[:length])
        if found is not None:
            return found
    return None


# --- Readable labels from account names ------------------------------------------------


_ACCENTS = {
    "agglomeration": "agglomération",
    "collectivite": "collectivité",
    "collectivites": "collectivités",
    "communaute": "communauté",
    "departement": "département",
    "departemental": "départemental",
    "departementale": "départementale",
    "departements": "départements",
    "developpement": "développement",
    "education": "éducation",
    "etat": "état",
    "europeen": "européen",
    "europeens": "européens",
    "intercommunalite": "intercommunalité",
    "metropole": "métropole",
    "ministere": "ministère",
    "prefecture": "préfecture",
    "region": "région",
    "regional": "régional",
    "regionale": "régionale",
    "regions": "régions",
    "solidarite": "solidarité",
}
"""French words account names spell without accents (ASCII components), restored for labels."""


def lisible(composant: str) -> str:
    """A readable label from an account component: ``Conseil-departemental`` → « Conseil
    départemental », ``Region`` → « Région », ``CAF-Essonne`` → « CAF Essonne »."""
    words = []
    for word in composant.replace("_", "-").split("-"):
        if not word:
            continue
        accented = _ACCENTS.get(word.casefold())
        if accented is not None:
            word = accented[:1].upper() + accented[1:] if word[:1].isupper() else accented
        words.append(word)
    text = " ".join(words)
    return text[:1].upper() + text[1:]
