"""The registers kept beside the ledger: donors (``donateurs.yaml``), members
(``adherents.yaml``) and the receipts issued (``recus.yaml``, written by ``communs recus``).

``donateurs.yaml``::

    donateurs:
      - code: DURAND-M                 # the `donateur:` metadata of the ledger's entries
        nom: Marie Durand
        type: particulier              # particulier | entreprise
        adresse: "12 rue des Lilas, 91360 Villebrie-sur-Orge"
        siren: "123456782"             # optional (a company)
        contact: true                  # consent to be contacted (default false)

``adherents.yaml`` has the same shape (``adherents:``, no ``type``). Personal data: these
files stay in the association's folder; see docs/dons-et-recus.md to keep them out of a public
Git remote.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from ..config import Config, dans_le_dossier, verifier_siren
from ..schemas import Schema, champ, charger_fichier, valider_montant
from ..sources import Location, SourceError
from ..texte_beancount import echappe
from ..yaml_lignes import YamlDocument
from .reglages import dons_config


class Donateur(Schema):
    code: str = champ(min_longueur=1)
    nom: str = champ(min_longueur=1)
    type: Literal["particulier", "entreprise"] = "particulier"
    adresse: str | None = None
    siren: str | None = champ(default=None, valider=verifier_siren)
    contact: bool = False


class Adherent(Schema):
    code: str = champ(min_longueur=1)
    nom: str = champ(min_longueur=1)
    adresse: str | None = None
    contact: bool = False


class FichierDonateurs(Schema):
    donateurs: list[Donateur] = champ(default_factory=list)


class FichierAdherents(Schema):
    adherents: list[Adherent] = champ(default_factory=list)


class RecuEmis(Schema):
    numero: str = champ(min_longueur=1)
    exercice: str = champ(min_longueur=1)
    donateur: str = champ(min_longueur=1)
    cle: str = champ(min_longueur=1)
    """What the receipt covers: ``DATE/DONATEUR/RANG`` (one gift) or ``EXERCICE/DONATEUR``."""
    montant: Decimal = champ(valider=valider_montant)
    emis: datetime.date = champ()
    annule: datetime.date | None = None
    motif: str | None = None


class FichierRecus(Schema):
    recus: list[RecuEmis] = champ(default_factory=list)


@dataclass(frozen=True, slots=True)
class Fiche:
    """A person of a register and where it is written."""

    code: str
    nom: str
    adresse: str | None
    type: str
    location: Location


@dataclass(frozen=True, slots=True)
class RegistreDesTiers:
    """A loaded register: people by code (empty when not declared)."""

    fiches: dict[str, Fiche]
    chemin: Path | None = None

    @property
    def declare(self) -> bool:
        return self.chemin is not None


def _chemin(config: Config, relative: str | None) -> Path | None:
    if not relative or config.path is None:
        return None
    return dans_le_dossier(config.path.parent, relative)


def _fiches(
    document: YamlDocument, cle: str, personnes: Sequence[Donateur | Adherent]
) -> tuple[dict[str, Fiche], list[SourceError]]:
    found: dict[str, Fiche] = {}
    errors: list[SourceError] = []
    for index, personne in enumerate(personnes):
        location = document.location((cle, index, "code"))
        if personne.code in found:
            errors.append(SourceError(location, f"« {personne.code} » déclaré deux fois"))
            continue
        genre = personne.type if isinstance(personne, Donateur) else "particulier"
        found[personne.code] = Fiche(personne.code, personne.nom, personne.adresse, genre, location)
    return found, errors


def _registre(
    config: Config, cle: str, relative: str | None, model: type[FichierDonateurs | FichierAdherents]
) -> tuple[RegistreDesTiers, list[SourceError]]:
    path = _chemin(config, relative)
    if path is None:
        return RegistreDesTiers({}), []
    absent = config.fichier_absent(f"dons.{cle}", path, "dons", cle)
    if absent is not None:
        return RegistreDesTiers({}, path), [absent]
    document, data, errors = charger_fichier(path, model, cle, cle)
    if document is None or data is None:
        return RegistreDesTiers({}, path), errors
    personnes = data.donateurs if isinstance(data, FichierDonateurs) else data.adherents
    fiches, doubles = _fiches(document, cle, personnes)
    return RegistreDesTiers(fiches, path), doubles


def charger_donateurs(config: Config) -> tuple[RegistreDesTiers, list[SourceError]]:
    """The donors register declared by ``dons.donateurs`` (empty if none), and its errors."""
    return _registre(config, "donateurs", dons_config(config).donateurs, FichierDonateurs)


def charger_adherents(config: Config) -> tuple[RegistreDesTiers, list[SourceError]]:
    """The members register declared by ``dons.adherents`` (empty if none), and its errors."""
    return _registre(config, "adherents", dons_config(config).adherents, FichierAdherents)


def chemin_des_recus(config: Config) -> Path | None:
    """The register of receipts issued (``dons.recus``, default ``recus.yaml``)."""
    return _chemin(config, dons_config(config).recus)


@dataclass(frozen=True, slots=True)
class RecusEmis:
    """The receipts already issued, with the line of each in the register."""

    recus: tuple[RecuEmis, ...]
    lignes: tuple[Location, ...]


def charger_recus(path: Path | None) -> tuple[RecusEmis, list[SourceError]]:
    """The register of receipts issued (empty when the file does not exist yet)."""
    if path is None or not path.exists():
        return RecusEmis((), ()), []
    document, data, errors = charger_fichier(path, FichierRecus, "reçus", "recus")
    if document is None or data is None:
        return RecusEmis((), ()), errors
    lignes = tuple(document.location(("recus", i, "numero")) for i in range(len(data.recus)))
    return RecusEmis(tuple(data.recus), lignes), []


def texte_des_recus(recus: list[RecuEmis]) -> str:
    """The YAML text of the register of receipts (written by the tool, read back by
    :func:`charger_recus`)."""
    lines = [
        "# Reçus fiscaux émis par communs recus : ne pas modifier à la main.",
        "# Un reçu émis garde son numéro ; un reçu annulé reste ici (communs recus annuler).",
        "recus:",
    ]
    for recu in recus:
        lines += [
            f'  - numero: "{recu.numero}"',
            f'    exercice: "{recu.exercice}"',
            f'    donateur: "{recu.donateur}"',
            f'    cle: "{recu.cle}"',
            f'    montant: "{recu.montant}"',
            f"    emis: {recu.emis.isoformat()}",
        ]
        if recu.annule is not None:
            lines.append(f"    annule: {recu.annule.isoformat()}")
        if recu.motif:
            lines.append(f'    motif: "{echappe(recu.motif)}"')
    return "\n".join(lines) + "\n"
