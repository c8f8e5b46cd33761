"""The ``fec:`` section of ``communs.yaml``: the journals of the Fichier des Écritures
Comptables and its auxiliary accounts.

Example::

    fec:
      journaux:
        - {code: LIV, libelle: Livret, comptes: [Livret]}
      auxiliaires: ["40", "41"]
"""

from __future__ import annotations

from ..config import Config
from ..schemas import Schema, champ, valider_motif

A_NOUVEAUX = "AN"
DIVERS = "OD"

JOURNAUX_DERIVES: dict[str, str] = {
    A_NOUVEAUX: "À-nouveaux",
    "BQ": "Banque",
    "CA": "Caisse",
    "PA": "Paie",
    "AC": "Achats",
    "VE": "Ventes et prestations",
    DIVERS: "Opérations diverses",
}
"""Derived journals (:mod:`.journaux`): code → label (a declared journal with the same
code renames it)."""


_journal_code = valider_motif(
    r"^[A-Za-z0-9_-]{1,10}$",
    "code de journal « {} » invalide : 1 à 10 lettres, chiffres, - ou _ (ex. BQ)",
)


def _journal_accounts(value: object) -> object:
    if isinstance(value, list):
        for item in value:
            text = str(item).strip() if item is not None else ""
            if not text or any(char.isspace() for char in text):
                raise ValueError(
                    f"« {item} » : un préfixe de numéro de compte (512) ou un nom de compte "
                    "sans espace (Livret, Actif:51-Banques:512-Banques:Livret) est attendu"
                )
    return value


def _journal_tags(value: object) -> object:
    if isinstance(value, list):
        tags = [str(item).strip().removeprefix("#") if item is not None else "" for item in value]
        for tag in tags:
            if not tag or any(char.isspace() for char in tag):
                raise ValueError(f"étiquette « {tag} » invalide : un mot sans espace (ex. paie)")
        return tags
    return value


def _code_prefixes(value: object) -> object:
    if isinstance(value, list):
        for item in value:
            if not str(item).strip().isdigit():
                raise ValueError(f"« {item} » : préfixe de numéro de compte attendu (ex. 401)")
        return [str(item).strip() for item in value]
    return value


class JournalConfig(Schema):
    """A journal of the FEC: code, label, and what goes in it (accounts, tags).

    ``comptes``: account code prefixes (``512``) or parts of account names
    (``Livret``); ``etiquettes``: Beancount tags. A journal with neither only
    renames one of the derived journals (``BQ``, ``OD``…).
    """

    code: str = champ(valider=_journal_code)
    libelle: str = champ(min_longueur=1)
    comptes: list[str] = champ(default_factory=list, valider=_journal_accounts)
    etiquettes: list[str] = champ(default_factory=list, valider=_journal_tags)

    def verifier(self) -> None:
        if self.comptes or self.etiquettes:
            return
        if self.code not in JOURNAUX_DERIVES:
            derived = ", ".join(JOURNAUX_DERIVES)
            raise ValueError(
                f"le journal {self.code} ne retient aucune écriture : indiquez ses « comptes » "
                f"ou ses « etiquettes » (sans eux, seul le libellé d'un journal dérivé — "
                f"{derived} — peut être changé)"
            )


class FecConfig(Schema):
    """``fec:`` section of the Fichier des Écritures Comptables.

    ``journaux``: declared journals, tried in order (first match wins) before
    the derived ones (``communs_ledger.fec.journaux``); ``journaux_derives:
    false`` sends every entry no declared journal takes to OD. ``auxiliaires``:
    code prefixes whose user sub-accounts become auxiliary accounts
    (CompAuxNum / CompAuxLib).
    """

    journaux: list[JournalConfig] = champ(default_factory=list)
    journaux_derives: bool = True
    auxiliaires: list[str] = champ(default_factory=lambda: ["40", "41"], valider=_code_prefixes)

    def verifier(self) -> None:
        seen: set[str] = set()
        for journal in self.journaux:
            key = journal.code.upper()
            if key in seen:
                raise ValueError(f"journal {journal.code} déclaré deux fois")
            seen.add(key)


def fec_config(config: Config) -> FecConfig:
    """The ``fec:`` section of a loaded config."""
    return config.section("fec", FecConfig)
