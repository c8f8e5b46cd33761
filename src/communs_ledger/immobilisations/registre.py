"""The fixed-asset register (``immobilisations.yaml``), declared in ``communs.yaml``.

::

    immobilisations:
      - id: VELO-CARGO                # unique, one word: the `immobilisation:` metadata
        libelle: Vélo cargo électrique
        compte: "2182"                # asset account: code or full account name (class 20/21)
        valeur_origine: 3600.00       # acquisition cost (the 2x debit)
        mise_en_service: 2025-04-01   # depreciation starts that day (prorata temporis)
        duree: 3                      # years
        mode: lineaire                # the only mode
        valeur_residuelle: 0          # optional, not depreciated
        compte_amortissement: "28182" # optional, default 28 + the asset code without its 2
        piece: FV-2025-031            # optional: the invoice
        cession:                      # optional: disposal (sale, or scrapping with prix 0)
          date: 2027-06-30
          prix: 1000.00

Rules (each error at its ``file:line``): ``id`` unique; ``compte`` a depreciable asset
account of the chart in force at the mise en service (classes 20 and 21, not land 211)
and open in the ledger; ``valeur_origine`` positive; ``valeur_residuelle`` from 0 to
below the valeur d'origine; ``duree`` whole years from 1 to 100; ``cession.date`` on or
after the mise en service, ``cession.prix`` zero or positive.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..codes import parse_account
from ..contexte import LedgerContext
from ..fonds_dedies.ecritures import comptes_ouverts, nom_de_compte
from ..montants import lire_decimal
from ..plan import comptes_des_immobilisations, load_chart, version_for_opening
from ..schemas import (
    Schema,
    champ,
    charger_fichier,
    valider_compte,
    valider_entier,
    valider_montant,
    valider_motif,
)
from ..sources import Location, SourceError
from ..yaml_lignes import YamlDocument
from .reglages import registre_file

META_KEY = "immobilisation"
"""Metadata of the entries of an asset: ``immobilisation: "VELO-CARGO"``."""
MODES = ("lineaire",)
DUREE_MAXIMALE = 100


_identifiant = valider_motif(
    r"^\S+$", "identifiant « {} » invalide : un mot sans espace (ex. VELO-2025)"
)
_code_or_account = valider_compte("2183")


_duree = valider_entier(
    1,
    DUREE_MAXIMALE,
    f"durée de {{}} ans : un nombre entier d'années de 1 à {DUREE_MAXIMALE}",
    entier_exige=False,
)


def _positif(value: object) -> object:
    checked = valider_montant(value)
    number = lire_decimal(checked)
    if number is not None and number <= 0:
        raise ValueError("la valeur d'origine doit être positive")
    return checked


def _mode(value: object) -> str:
    text = str(value).strip()
    if text not in MODES:
        raise ValueError(f"mode « {text} » : seul le mode « lineaire » est pris en charge")
    return text


class CessionFichier(Schema):
    date: datetime.date = champ()
    prix: Decimal = champ(valider=valider_montant)
    commentaire: str | None = None

    def verifier(self) -> None:
        if self.prix < 0:
            raise ValueError("le prix de cession ne peut pas être négatif (0 : mise au rebut)")


class ImmobilisationFichier(Schema):
    id: str = champ(valider=_identifiant)
    libelle: str = champ(min_longueur=1)
    compte: str = champ(valider=_code_or_account)
    valeur_origine: Decimal = champ(valider=_positif)
    mise_en_service: datetime.date = champ()
    duree: int = champ(valider=_duree)
    mode: str = champ(default="lineaire", valider=_mode)
    valeur_residuelle: Decimal = champ(default=Decimal(0), valider=valider_montant)
    compte_amortissement: str | None = champ(default=None, valider=_code_or_account)
    piece: str | None = None
    cession: CessionFichier | None = None
    commentaire: str | None = None

    def verifier(self) -> None:
        if not 0 <= self.valeur_residuelle < self.valeur_origine:
            raise ValueError(
                "la valeur résiduelle va de 0 à moins que la valeur d'origine "
                f"({self.valeur_residuelle} pour {self.valeur_origine})"
            )
        if self.cession is not None and self.cession.date < self.mise_en_service:
            raise ValueError("la date de cession précède la mise en service")


class FichierImmobilisations(Schema):
    immobilisations: list[ImmobilisationFichier] = champ(default_factory=list)
    commentaire: str | None = None


@dataclass(frozen=True, slots=True)
class Cession:
    date: datetime.date
    prix: Decimal


@dataclass(frozen=True, slots=True)
class Immobilisation:
    """One asset of the register, its accounts resolved in the ledger."""

    id: str
    libelle: str
    code: str
    """The asset account's code (2183)."""
    compte: str
    """The ledger's asset account."""
    compte_amortissement: str
    """The ledger's depreciation account (perhaps not open yet: see ``a_ouvrir``)."""
    valeur_origine: Decimal
    mise_en_service: datetime.date
    duree: int
    valeur_residuelle: Decimal
    cession: Cession | None
    piece: str | None
    location: Location

    @property
    def classe(self) -> str:
        """``"20"`` (intangible) or ``"21"`` (tangible)."""
        return self.code[:2]

    @property
    def base(self) -> Decimal:
        """The depreciable amount."""
        return self.valeur_origine - self.valeur_residuelle


@dataclass(frozen=True)
class Registre:
    immobilisations: tuple[Immobilisation, ...]
    path: Path

    def dediees(self) -> dict[str, str]:
        """Depreciation accounts that hold one asset only: account → asset id (their
        entries belong to it even without ``immobilisation:`` metadata)."""
        count: dict[str, list[str]] = {}
        for item in self.immobilisations:
            count.setdefault(item.compte_amortissement, []).append(item.id)
        return {account: ids[0] for account, ids in count.items() if len(ids) == 1}

    def get(self, identifiant: str) -> Immobilisation | None:
        for item in self.immobilisations:
            if item.id == identifiant:
                return item
        return None


def _resolve(
    value: str, ouverts: dict[str, str], noms: set[str], what: str
) -> tuple[str | None, str | None, str | None]:
    """(code, account name, problem) of an account given as a code or a full name."""
    if value.isdigit():
        return value, ouverts.get(value), None
    code = parse_account(value).code
    if code is None:
        return None, None, f"le {what} « {value} » ne porte pas de numéro (ex. …:2183-Materiel)"
    return code, value if value in noms else None, None


def _immobilisation(
    raw: ImmobilisationFichier,
    location: Location,
    context: LedgerContext,
    ouverts: dict[str, str],
    noms: set[str],
) -> tuple[Immobilisation | None, str | None]:
    """An asset of the register with its accounts, or the problem (French)."""
    version = version_for_opening(context.exercice_of(raw.mise_en_service).debut)
    comptes = comptes_des_immobilisations(version)
    code, compte, problem = _resolve(raw.compte, ouverts, noms, "compte")
    if problem is not None or code is None:
        return None, problem
    problem = load_chart(version).hors_du_plan(code)
    if problem is not None:
        return None, problem
    if not comptes.amortissable(code):
        return None, f"compte {code} : un compte d'immobilisation amortissable (20, 21 sauf 211)"
    if compte is None:
        return None, (
            f"compte « {raw.compte} » : aucun compte ouvert dans le grand livre (l'acquisition "
            "se passe au débit du compte d'immobilisation)"
        )
    value = raw.compte_amortissement or comptes.compte_amortissement(code)
    code_amort, amortissement, problem = _resolve(value, ouverts, noms, "compte d'amortissement")
    if problem is not None or code_amort is None:
        return None, problem
    if not code_amort.startswith(comptes.prefixe_amortissement):
        return None, f"compte d'amortissement {code_amort} : un compte 28 est attendu"
    if amortissement is None:
        amortissement = value if not value.isdigit() else None
    if amortissement is None:
        amortissement = nom_de_compte(code_amort, version, context.roots)
    cession = Cession(raw.cession.date, raw.cession.prix) if raw.cession else None
    item = Immobilisation(
        raw.id,
        raw.libelle,
        code,
        compte,
        amortissement,
        raw.valeur_origine,
        raw.mise_en_service,
        raw.duree,
        raw.valeur_residuelle,
        cession,
        raw.piece,
        location,
    )
    return item, None


def charger_registre(
    path: Path, context: LedgerContext, entries: list[Any]
) -> tuple[Registre | None, list[SourceError]]:
    """Load and check the register against the ledger's ``entries`` (its open accounts).
    Never raises; with any error, no register (None) and the errors at their lines."""
    document, data, errors = charger_fichier(
        path, FichierImmobilisations, "immobilisations", "immobilisations"
    )
    if document is None or data is None:
        return None, errors
    ouverts = comptes_ouverts(entries)
    noms = set(ouverts.values()) | noms_des_comptes(entries)
    found: list[Immobilisation] = []
    seen: set[str] = set()
    for index, raw in enumerate(data.immobilisations):
        where = ("immobilisations", index)
        if raw.id in seen:
            message = f"immobilisation « {raw.id} » déclarée deux fois"
            errors.append(SourceError(document.location((*where, "id")), message))
            continue
        seen.add(raw.id)
        item, problem = _immobilisation(raw, document.location(where), context, ouverts, noms)
        if problem is not None:
            errors.append(SourceError(_location_of(document, where, problem), problem))
        elif item is not None:
            found.append(item)
    errors.sort(key=lambda e: e.location.line)
    if errors:
        return None, errors
    return Registre(tuple(found), path), []


def _location_of(document: YamlDocument, where: tuple[str | int, ...], problem: str) -> Location:
    key = "compte_amortissement" if "amortissement" in problem else "compte"
    return document.location((*where, key))


def noms_des_comptes(entries: list[Any]) -> set[str]:
    """Every account the ledger opens."""
    from beancount.core import data

    return {entry.account for entry in entries if isinstance(entry, data.Open)}


def chemin_du_registre(context: LedgerContext) -> Path | None:
    """The register declared in ``communs.yaml`` (``immobilisations:``), if any."""
    relative = registre_file(context.config)
    if not relative:
        return None
    ledger: Path = context.ledger
    return (ledger.resolve().parent / relative).resolve()


def registre_du_grand_livre(
    context: LedgerContext, entries: list[Any]
) -> tuple[Registre | None, list[SourceError]]:
    """The ledger's register: None without an ``immobilisations:`` declaration; a declared
    file that is missing or has errors gives the errors (file:line, French)."""
    path = chemin_du_registre(context)
    if path is None:
        return None, []
    absent = context.config.fichier_absent("immobilisations", path, "immobilisations")
    if absent is not None:
        return None, [absent]
    return charger_registre(path, context, entries)
