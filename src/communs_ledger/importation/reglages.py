"""The ``importation:`` section of ``communs.yaml``: bank profiles, categorisation rules,
suspense account."""

from __future__ import annotations

from ..config import Config
from ..schemas import Schema


class ImportConfig(Schema):
    """``importation:`` section: where bank profiles and categorisation rules live."""

    profils: str | None = None  # YAML file of bank CSV profiles (beside the ledger)
    regles: str | None = None  # YAML file of categorisation rules
    compte_attente: str = "471"  # suspense account code for uncategorised lines
    compte: str | None = None  # bank account of the statements (code or name) when not given
    ecart_jours: int = 5  # days between a statement's date and the ledger's, for duplicates

    def verifier(self) -> None:
        if not 0 <= self.ecart_jours <= 60:
            raise ValueError(
                f"ecart_jours : nombre de jours entre 0 et 60 attendu (valeur lue : "
                f"{self.ecart_jours})"
            )


CHEMINS: tuple[tuple[str, ...], ...] = (("importation", "profils"), ("importation", "regles"))
"""Keys of the section naming side files (kept inside the association folder)."""


def import_config(config: Config) -> ImportConfig:
    """The ``importation:`` section of a loaded config."""
    return config.section("importation", ImportConfig)
