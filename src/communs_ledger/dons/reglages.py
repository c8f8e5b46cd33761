"""The ``dons:`` and ``recus_fiscaux:`` keys of ``communs.yaml``.

``dons:`` names the registers kept beside the ledger; ``recus_fiscaux:`` declares that
the association may issue tax receipts (without it, ``communs recus`` refuses)::

    dons:
      donateurs: donateurs.yaml        # register of donors (name, address, type)
      adherents: adherents.yaml        # register of members
      recus: recus.yaml                # receipts issued (written by communs recus)
    recus_fiscaux:
      base: interet_general            # interet_general | utilite_publique | rescrit | …
      categorie: "Association d'intérêt général à caractère éducatif et social"
      rescrit: "rescrit fiscal du 12 mars 2024, DGFiP Essonne"   # optional
      regroupement: annuel             # par_don (default) | annuel
      signataire: "Claire Martin, trésorière"
      lieu: Villebrie-sur-Orge
"""

from __future__ import annotations

from typing import Literal

from ..config import Config
from ..schemas import Schema, champ

Base = Literal[
    "interet_general", "utilite_publique", "rescrit", "fondation", "culte", "enseignement"
]

BASES: dict[str, str] = {
    "interet_general": "Œuvre ou organisme d'intérêt général",
    "utilite_publique": "Association ou fondation reconnue d'utilité publique",
    "rescrit": "Organisme d'intérêt général (rescrit fiscal)",
    "fondation": "Fondation d'entreprise ou fonds de dotation",
    "culte": "Association cultuelle ou de bienfaisance",
    "enseignement": "Établissement d'enseignement supérieur ou artistique",
}
"""Category of organism printed on the receipt, by declared basis."""


class DonsConfig(Schema):
    """The ``dons:`` section: the donors' and members' files, the receipts' file."""

    donateurs: str | None = None
    adherents: str | None = None
    recus: str = "recus.yaml"


class RecusFiscaux(Schema):
    """The ``recus_fiscaux:`` section: eligibility to tax receipts and signatory."""

    base: Base = champ()
    signataire: str = champ(min_longueur=1)
    categorie: str | None = None
    """Free wording of the category (default: from ``base``)."""
    rescrit: str | None = None
    regroupement: Literal["par_don", "annuel"] = "par_don"
    lieu: str | None = None

    @property
    def categorie_imprimee(self) -> str:
        return self.categorie or BASES[self.base]


CHEMINS: tuple[tuple[str, ...], ...] = (
    ("dons", "donateurs"),
    ("dons", "adherents"),
    ("dons", "recus"),
)
"""Keys naming side files (kept inside the association folder)."""


def dons_config(config: Config) -> DonsConfig:
    """The ``dons:`` section (its defaults when absent)."""
    return config.section("dons", DonsConfig)


def recus_fiscaux(config: Config) -> RecusFiscaux | None:
    """The declared eligibility to tax receipts, or None."""
    found = config.valeur("recus_fiscaux", None)
    return found if isinstance(found, RecusFiscaux) else None
