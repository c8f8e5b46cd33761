"""CSV profiles of the banks: how each export is written, and which one a file is.

The profiles shipped with communs live in ``plan_comptable/profils_bancaires.yaml``
(its header documents every key); an association adds or overrides profiles in
the file named by ``importation: profils:`` in ``communs.yaml``. A profile is
recognised from the statement's header line: the one whose columns are all
there, most of its optional columns too; the association's profiles first,
then the file order.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from ..plan import fold, plan_comptable_dir
from ..schemas import Schema, champ, validate
from ..sources import SourceError, display_path
from ..yaml_lignes import load_yaml
from .modele import ErreurImport
from .valeurs import strptime_format

FICHIER_PROFILS = "profils_bancaires.yaml"
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ROLES_FACULTATIFS = (
    "date_valeur",
    "complement",
    "libelle_court",
    "tiers",
    "reference",
    "solde",
)


def _noms(value: object) -> object:
    """A column name or a list of possible names → a list."""
    if isinstance(value, str):
        return [value]
    return value


def _encodage(value: object) -> object:
    try:
        codecs.lookup(str(value))
    except LookupError:
        raise ValueError(
            f"encodage « {value} » inconnu (ex. windows-1252, iso-8859-15, utf-8)"
        ) from None
    return value


def _formats(value: object) -> object:
    formats = [value] if isinstance(value, str) else value
    if isinstance(formats, list):
        for format_ in formats:
            strptime_format(str(format_))
    return formats


class ColonnesDuReleve(Schema):
    """Column names of each datum (each a list of possible names)."""

    date: list[str] = champ(valider=_noms, min_longueur=1)
    libelle: list[str] = champ(valider=_noms, min_longueur=1)
    montant: list[str] = champ(default_factory=list, valider=_noms)
    debit: list[str] = champ(default_factory=list, valider=_noms)
    credit: list[str] = champ(default_factory=list, valider=_noms)
    date_valeur: list[str] = champ(default_factory=list, valider=_noms)
    complement: list[str] = champ(default_factory=list, valider=_noms)
    libelle_court: list[str] = champ(default_factory=list, valider=_noms)
    tiers: list[str] = champ(default_factory=list, valider=_noms)
    reference: list[str] = champ(default_factory=list, valider=_noms)
    solde: list[str] = champ(default_factory=list, valider=_noms)

    def verifier(self) -> None:
        if bool(self.debit) != bool(self.credit):
            raise ValueError("les colonnes debit et credit vont ensemble")
        if not self.montant and not self.debit:
            raise ValueError("indiquez la colonne montant, ou les colonnes debit et credit")


class ProfilBanque(Schema):
    """How one bank writes its CSV export."""

    nom: str = champ(min_longueur=1)
    colonnes: ColonnesDuReleve = champ()
    statut: Literal["vérifié", "non vérifié"] = "non vérifié"
    remarque: str | None = None
    sources: list[str] = champ(default_factory=list)
    encodage: str = champ(default="utf-8", valider=_encodage)
    separateur: Literal[";", ",", "\t", "|", "auto"] = ";"
    format_date: list[str] = champ(default_factory=lambda: ["JJ/MM/AAAA"], valider=_formats)
    decimale: Literal[",", "."] = ","
    milliers: Literal[" ", ".", ",", "'", ""] = " "
    lignes_a_sauter: int = 0
    fin: Literal["fichier", "ligne_vide"] = "fichier"


class FichierProfils(Schema):
    profils: dict[str, ProfilBanque] = champ(default_factory=dict)


@dataclass(frozen=True)
class ProfilNomme:
    """A profile with its code (``credit-cooperatif``) and where it was declared."""

    code: str
    profil: ProfilBanque
    origine: str  # file it comes from


def lire_profils(path: Path, origine: str) -> tuple[list[ProfilNomme], list[SourceError]]:
    """The profiles of a profiles file (``origine``: the name they are shown with), and
    its errors at their lines."""
    try:
        document = load_yaml(path)
    except SourceError as error:
        return [], [error]
    data, errors = validate(document, FichierProfils)
    if data is None:
        return [], errors
    found = []
    for code, profil in data.profils.items():
        if not _CODE.match(code):
            errors.append(
                SourceError(
                    document.location(("profils", code)),
                    f"nom de profil « {code} » invalide : minuscules, chiffres, - et _",
                )
            )
            continue
        found.append(ProfilNomme(code, profil, origine))
    return found, errors


@cache
def profils_fournis() -> tuple[ProfilNomme, ...]:
    """The profiles shipped with communs (a broken file is a bug: it raises)."""
    path = plan_comptable_dir() / FICHIER_PROFILS
    found, errors = lire_profils(path, FICHIER_PROFILS)
    if errors:
        raise RuntimeError("; ".join(str(error) for error in errors))
    return tuple(found)


def fichier_de_profils_introuvable(nom: str) -> str:
    """The message of a profiles file ``communs.yaml`` names and that does not exist."""
    return (
        f"fichier de profils bancaires « {nom} » introuvable "
        "(importation: profils dans communs.yaml)"
    )


def charger_profils(fichier: Path | None, communs: Sequence[ProfilNomme] = ()) -> list[ProfilNomme]:
    """The association's profiles (if any), then those of its shared model packs
    (``communs``), then the shipped ones: a profile overrides the later ones of its code."""
    own: list[ProfilNomme] = []
    if fichier is not None:
        if not fichier.exists():
            raise ErreurImport(fichier_de_profils_introuvable(display_path(fichier)))
        own, errors = lire_profils(fichier, display_path(fichier))
        if errors:
            raise ErreurImport(
                f"profils bancaires invalides dans {display_path(fichier)}",
                [str(error) for error in errors],
            )
    found = list(own)
    codes = {item.code for item in own}
    for item in [*communs, *profils_fournis()]:
        if item.code not in codes:
            found.append(item)
            codes.add(item.code)
    return found


# --- Matching a header line --------------------------------------------------------------


def cle_colonne(name: str) -> str:
    """A column name for comparison: no case, accents, spaces nor punctuation."""
    return re.sub(r"[^0-9a-z]", "", fold(name))


@dataclass(frozen=True)
class Disposition:
    """Where each datum of a profile is in a statement's columns."""

    profil: ProfilNomme
    ligne_entete: int  # index of the header row among the rows read
    index: dict[str, int]  # role -> column index (montant, or debit and credit)
    separateur: str

    @property
    def score(self) -> int:
        return len(self.index)


def resoudre(profil: ProfilBanque, entete: list[str]) -> dict[str, int] | None:
    """The column of each datum of ``profil`` in a header row, or None if it is not one."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(entete):
        positions.setdefault(cle_colonne(cell), index)
    colonnes = profil.colonnes

    def find(names: list[str]) -> int | None:
        for name in names:
            found = positions.get(cle_colonne(name))
            if found is not None:
                return found
        return None

    date, libelle = find(colonnes.date), find(colonnes.libelle)
    if date is None or libelle is None:
        return None
    index = {"date": date, "libelle": libelle}
    montant = find(colonnes.montant)
    debit, credit = find(colonnes.debit), find(colonnes.credit)
    if montant is not None:
        index["montant"] = montant
    elif debit is not None and credit is not None:
        index["debit"], index["credit"] = debit, credit
    else:
        return None
    for role in ROLES_FACULTATIFS:
        found = find(getattr(colonnes, role))
        if found is not None:
            index[role] = found
    return index


def separateurs(profil: ProfilBanque) -> tuple[str, ...]:
    return (";", "\t", ",") if profil.separateur == "auto" else (profil.separateur,)


LIGNES_ENTETE = 60  # the header is looked for in the first lines of a statement


def chercher_entete(profil: ProfilNomme, lignes: dict[str, list[list[str]]]) -> Disposition | None:
    """The first header row of ``profil`` among the first rows split by each separator."""
    best: Disposition | None = None
    for separateur in separateurs(profil.profil):
        rows = lignes.get(separateur) or []
        start = profil.profil.lignes_a_sauter
        for number, row in enumerate(rows[start : start + LIGNES_ENTETE], start=start):
            index = resoudre(profil.profil, row)
            if index is not None:
                found = Disposition(profil, number, index, separateur)
                if best is None or found.ligne_entete < best.ligne_entete:
                    best = found
                break
    return best


def detecter(
    profils: list[ProfilNomme], lignes: dict[str, list[list[str]]]
) -> tuple[Disposition | None, list[ProfilNomme]]:
    """The best profile for a statement's first rows, and the others that fit as well."""
    found = [d for p in profils if (d := chercher_entete(p, lignes)) is not None]
    if not found:
        return None, []
    best = max(found, key=lambda d: d.score)  # max keeps the first of equal scores
    same = [
        d.profil for d in found if d is not best and d.score == best.score and d.index == best.index
    ]
    return best, same
