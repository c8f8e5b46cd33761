"""The ledger's accounts named by a user: a code (``627``), a full name, or its end.

Rules, ``--compte`` and ``compte_attente`` name accounts the way people think
of them. A code names the open account whose code is exactly it, else the one
whose code extends it; a text names the account with that full name, else the
one whose name ends with it (``441-Subventions-a-recevoir:Organismes-sociaux``).
Two candidates or none: a French error listing what exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ..codes import account_code
from ..plan import root_roles, starter_accounts


class CompteIntrouvable(ValueError):
    """No account or several match (French message)."""


@dataclass
class Comptes:
    """The accounts opened in a ledger (with their opening and closing dates)."""

    ouverture: dict[str, datetime.date]
    fermeture: dict[str, datetime.date]

    @classmethod
    def du_grand_livre(cls, entries: list[Any]) -> Comptes:
        from beancount.core import data

        ouverture: dict[str, datetime.date] = {}
        fermeture: dict[str, datetime.date] = {}
        for entry in entries:
            if isinstance(entry, data.Open):
                ouverture.setdefault(entry.account, entry.date)
            elif isinstance(entry, data.Close):
                fermeture[entry.account] = entry.date
        return cls(ouverture, fermeture)

    @property
    def noms(self) -> list[str]:
        return sorted(self.ouverture)

    def trouver(self, texte: str) -> str:
        """The account named by ``texte``; :class:`CompteIntrouvable` otherwise."""
        texte = texte.strip()
        if texte in self.ouverture:
            return texte
        if texte.isdigit():
            return self._par_code(texte)
        found = [name for name in self.noms if name.endswith(":" + texte)]
        if len(found) == 1:
            return found[0]
        if found:
            raise CompteIntrouvable(f"compte « {texte} » ambigu : {_liste(found)}")
        raise CompteIntrouvable(
            f"compte « {texte} » inconnu : aucun compte ouvert de ce nom (indiquez un "
            "numéro, ex. 627, ou le nom complet du compte)"
        )

    def _par_code(self, code: str) -> str:
        exact = [name for name in self.noms if account_code(name) == code]
        longer = [name for name in self.noms if (account_code(name) or "").startswith(code)]
        for found in (exact, longer):
            if len(found) == 1:
                return found[0]
            if found:
                raise CompteIntrouvable(
                    f"compte {code} ambigu : {_liste(found)} : indiquez le nom complet"
                )
        raise CompteIntrouvable(f"aucun compte {code} ouvert dans le grand livre")

    def attente(self, code: str) -> str | None:
        """The suspense account: code exactly ``code``, else extending it (first by name)."""
        if code in self.ouverture:
            return code
        exact = [name for name in self.noms if account_code(name) == code]
        longer = [name for name in self.noms if (account_code(name) or "").startswith(code)]
        return (exact or longer or [None])[0]


def compte_de_depart(code: str, version: str, racines: dict[str, str]) -> str | None:
    """The starter account (``communs init``) with this code, under the ledger's roots."""
    defaults = {spec["nom"]: role for role, spec in root_roles().items()}
    for name in starter_accounts(version):
        if account_code(name) == code:
            root, _, rest = name.partition(":")
            role = defaults.get(root)
            return f"{racines.get(role, root)}:{rest}" if role else name
    return None


def _liste(names: list[str]) -> str:
    shown = ", ".join(names[:4])
    return shown + (f" et {len(names) - 4} autres" if len(names) > 4 else "")
