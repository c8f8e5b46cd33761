"""The clés de répartition file: how indirect costs are shared between projects.

Declared in ``communs.yaml`` (``analytique: {repartition: analytique/repartition.yaml}``)::

    cles:
      - code: COORDINATION                 # unique
        libelle: Coordinatrice – temps passé par projet
        base: temps                        # temps | surface | pourcentage (what shares measure)
        comptes: ["641", "645"]            # charge account prefixes (classes 6 and 86)
        tiers: Claire Morvan               # optional: only the entries of this payee
        exercice: "2026"                   # optional: the key's period …
        # du: 2026-01-01                   # … or a date range (either end optional)
        # au: 2026-12-31
        parts:                             # per cent, must add up to 100 exactly …
          JARDINS: 40
          ECOLE: 20
          CUISINE: 10
          non_affecte: 30                  # the part left to the structure
      - code: LOYER
        base: surface
        comptes: ["613", "614"]
        unite: m²
        quantites: {JARDINS: 20, CUISINE: 15, non_affecte: 45}   # … or quantities

Rules:

- a key's shares are ``parts`` (per cent, adding up to 100 exactly) or
  ``quantites`` (hours, m²…: shares pro rata of the quantities); the reserved
  name ``non_affecte`` is the part that stays with no project;
- its projects are declared in ``communs.yaml``; ``comptes`` are prefixes of
  charge accounts;
- the key of a posting: among the keys in force at its date (``exercice``, or
  ``du``/``au``, or always) whose ``comptes`` prefix its account's code and whose
  ``tiers`` (if any) is the transaction's payee (case ignored), a key with
  ``tiers`` wins over one without, then the longest prefix. Two keys that could
  both claim the same postings with the same precedence (same prefix, same
  ``tiers``, overlapping periods) are an error.

Which postings are allocated is said in :mod:`communs_ledger.analytique.repartition`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from ..contexte import LedgerContext
from ..montants import HUNDRED
from ..schemas import Schema, champ, charger_fichier, valider_motif
from ..sources import Location, SourceError
from .reglages import analytique_config

NON_AFFECTE = "non_affecte"
"""Reserved name of the share that stays with no project."""
_FAR_PAST = datetime.date.min
_FAR_FUTURE = datetime.date.max

BASES = {"temps": "temps passé", "surface": "surface", "pourcentage": "pourcentage"}


_code = valider_motif(
    r"^[A-Za-z0-9_-]+$", "code « {} » invalide : lettres, chiffres, - et _ sans espace"
)


def _prefixes(value: object) -> object:
    if not isinstance(value, list) or not value:
        raise ValueError('liste de préfixes de comptes de charges attendue (ex. ["641", "645"])')
    result = []
    for item in value:
        text = str(item).strip() if item is not None else ""
        if not text.isdigit() or not (text.startswith("6") or text.startswith("86")):
            raise ValueError(
                f"« {item} » : préfixe de compte de charges attendu (classe 6 ou 86, ex. 641)"
            )
        result.append(text)
    return result


class CleFichier(Schema):
    code: str = champ(valider=_code)
    comptes: list[str] = champ(valider=_prefixes)
    libelle: str | None = None
    base: Literal["temps", "surface", "pourcentage"] = "pourcentage"
    tiers: str | None = None
    exercice: str | None = None
    du: datetime.date | None = None
    au: datetime.date | None = None
    parts: dict[str, Decimal] | None = None
    quantites: dict[str, Decimal] | None = None
    unite: str | None = None
    commentaire: str | None = None

    def verifier(self) -> None:
        if (self.parts is None) == (self.quantites is None):
            raise ValueError("indiquez soit « parts » (en %), soit « quantites » (heures, m²…)")
        if self.exercice is not None and (self.du is not None or self.au is not None):
            raise ValueError("indiquez soit « exercice », soit « du »/« au », pas les deux")
        if self.du is not None and self.au is not None and self.au < self.du:
            raise ValueError(
                f"« au » ({self.au.isoformat()}) précède « du » ({self.du.isoformat()})"
            )
        shares = self.parts if self.parts is not None else self.quantites
        assert shares is not None
        if not shares:
            raise ValueError("la clé ne répartit vers aucun projet")
        for name, value in shares.items():
            if value < 0:
                raise ValueError(f"part négative pour « {name} »")


class FichierCles(Schema):
    cles: list[CleFichier] = champ(default_factory=list)
    commentaire: str | None = None


@dataclass(frozen=True)
class Cle:
    """One allocation key, shares resolved to per cent (file order kept)."""

    code: str
    libelle: str
    base: str
    comptes: tuple[str, ...]
    tiers: str | None
    du: datetime.date
    au: datetime.date
    parts: tuple[tuple[str, Decimal], ...]
    """(project or ``non_affecte``, per cent), in the file's order; they add up to 100."""
    quantites: tuple[tuple[str, Decimal], ...] | None
    unite: str | None
    location: Location

    def en_vigueur(self, day: datetime.date) -> bool:
        return self.du <= day <= self.au

    def prefixe(self, code: str) -> str | None:
        """The longest of the key's prefixes ``code`` starts with."""
        best = None
        for prefix in self.comptes:
            if code.startswith(prefix) and (best is None or len(prefix) > len(best)):
                best = prefix
        return best

    @property
    def methode(self) -> str:
        """How the key shares costs, in French (for report notes)."""

        def share(name: str, value: Decimal) -> str:
            label = "non affecté" if name == NON_AFFECTE else name
            number = f"{value.normalize():f}".replace(".", ",")
            return f"{label} {number}"

        if self.quantites is not None:
            unit = f" {self.unite}" if self.unite else ""
            listed = ", ".join(f"{share(n, v)}{unit}" for n, v in self.quantites)
            return f"{BASES[self.base]} ({listed})"
        listed = ", ".join(f"{share(n, v)} %" for n, v in self.parts)
        return f"{BASES[self.base]} ({listed})"

    @property
    def periode(self) -> str:
        if self.du == _FAR_PAST and self.au == _FAR_FUTURE:
            return "sans limite de dates"
        start = "" if self.du == _FAR_PAST else f"du {self.du.strftime('%d/%m/%Y')}"
        end = "" if self.au == _FAR_FUTURE else f"au {self.au.strftime('%d/%m/%Y')}"
        return " ".join(part for part in (start, end) if part)


class Cles:
    """The allocation keys of an association, and the key of a posting."""

    def __init__(self, cles: list[Cle], fichier: Path | None = None) -> None:
        self.cles = cles
        self.fichier = fichier
        self._cache: dict[tuple[str, str | None], list[Cle]] = {}

    def __iter__(self) -> Iterator[Cle]:
        return iter(self.cles)

    def __len__(self) -> int:
        return len(self.cles)

    def _candidates(self, code: str, payee: str | None) -> list[Cle]:
        key = (code, payee)
        found = self._cache.get(key)
        if found is None:
            folded = payee.strip().casefold() if payee else None
            matching = [
                cle
                for cle in self.cles
                if cle.prefixe(code) is not None
                and (cle.tiers is None or cle.tiers.strip().casefold() == folded)
            ]
            matching.sort(key=lambda c: (c.tiers is None, -len(c.prefixe(code) or "")))
            found = self._cache[key] = matching
        return found

    def cle_de(self, code: str, payee: str | None, day: datetime.date) -> Cle | None:
        """The key that allocates a posting on ``code`` of ``payee`` dated ``day``."""
        for cle in self._candidates(code, payee):
            if cle.en_vigueur(day):
                return cle
        return None


# --- Loading ----------------------------------------------------------------------------


def _period(raw: CleFichier, context: LedgerContext) -> tuple[datetime.date, datetime.date] | None:
    if raw.exercice is None:
        return (raw.du or _FAR_PAST, raw.au or _FAR_FUTURE)
    text = raw.exercice.strip()
    try:
        year = int(text.split("-")[0])
    except ValueError:
        return None
    calendrier = context.calendrier
    for exercice in calendrier.between(
        datetime.date(year - 1, 1, 1), datetime.date(year + 1, 12, 31)
    ):
        if exercice.code == text:
            return (exercice.debut, exercice.fin)
    return None


def _shares(raw: CleFichier) -> tuple[tuple[tuple[str, Decimal], ...], str | None]:
    """Per cent shares, or a French problem."""
    if raw.parts is not None:
        total = sum(raw.parts.values(), Decimal(0))
        if total != HUNDRED:
            number = f"{total.normalize():f}".replace(".", ",")
            return (), f"les parts totalisent {number} % au lieu de 100 %"
        return tuple(raw.parts.items()), None
    assert raw.quantites is not None
    total = sum(raw.quantites.values(), Decimal(0))
    if total <= 0:
        return (), "les quantités totalisent zéro : rien à répartir"
    return tuple((name, value * HUNDRED / total) for name, value in raw.quantites.items()), None


def _overlap(a: Cle, b: Cle) -> bool:
    return a.du <= b.au and b.du <= a.au


def charger_cles(path: Path, context: LedgerContext) -> tuple[Cles | None, list[SourceError]]:
    """Load and check a clés de répartition file. Never raises.

    ``context`` is the ledger's ``LedgerContext`` (projects, exercices). With any
    error, no keys are returned (None) and the errors say why.
    """
    document, data, errors = charger_fichier(path, FichierCles, "clés de répartition", "cles")
    if document is None or data is None:
        return None, errors
    projets = set(context.config.projets)
    known = ", ".join(sorted(projets)) or "aucun projet déclaré dans communs.yaml"
    found: list[Cle] = []
    seen: set[str] = set()
    for index, raw in enumerate(data.cles):
        where = ("cles", index)
        count = len(errors)

        def error(
            path: tuple[str | int, ...], message: str, where: tuple[str | int, ...] = where
        ) -> None:
            errors.append(SourceError(document.location((*where, *path)), message))

        if raw.code in seen:
            error(("code",), f"clé « {raw.code} » déclarée deux fois")
        seen.add(raw.code)
        field = "parts" if raw.parts is not None else "quantites"
        for name in raw.parts or raw.quantites or {}:
            if name != NON_AFFECTE and name not in projets:
                error((field, name), f"projet « {name} » inconnu ({known} ; ou {NON_AFFECTE})")
        shares, problem = _shares(raw)
        if problem:
            error((field,), f"clé « {raw.code} » : {problem}")
        period = _period(raw, context)
        if period is None:
            error(("exercice",), f"exercice « {raw.exercice} » invalide (ex. 2026 ou 2025-2026)")
        if len(errors) > count or period is None:
            continue
        found.append(
            Cle(
                code=raw.code,
                libelle=raw.libelle or raw.code,
                base=raw.base,
                comptes=tuple(raw.comptes),
                tiers=raw.tiers.strip() if raw.tiers else None,
                du=period[0],
                au=period[1],
                parts=shares,
                quantites=tuple(raw.quantites.items()) if raw.quantites is not None else None,
                unite=raw.unite,
                location=document.location(where),
            )
        )
    for index, cle in enumerate(found):
        for earlier in found[:index]:
            same = set(cle.comptes) & set(earlier.comptes)
            folded = (cle.tiers or "").casefold() == (earlier.tiers or "").casefold()
            if same and folded and _overlap(cle, earlier):
                listed = ", ".join(sorted(same))
                errors.append(
                    SourceError(
                        cle.location,
                        f"clé « {cle.code} » : les comptes {listed} sont déjà répartis par la "
                        f"clé « {earlier.code} » ({earlier.location}) sur une période commune",
                    )
                )
    errors.sort(key=lambda e: e.location.line)
    if errors:
        return None, errors
    return Cles(found, path), []


def chemin_des_cles(context: LedgerContext) -> Path | None:
    """The keys file declared in ``communs.yaml`` (``analytique.repartition``), if any."""
    relative = analytique_config(context.config).repartition
    if not relative:
        return None
    ledger: Path = context.ledger
    return (ledger.resolve().parent / relative).resolve()


_LOADED: dict[tuple[str, float, int], tuple[Cles | None, list[SourceError]]] = {}


def _cached(path: Path, context: LedgerContext) -> tuple[Cles | None, list[SourceError]]:
    """Load once per file version and ledger context (reports call this many times)."""
    key = (str(path), path.stat().st_mtime, id(context))
    found = _LOADED.get(key)
    if found is None:
        if len(_LOADED) > 16:
            _LOADED.clear()
        found = _LOADED[key] = charger_cles(path, context)
    return found


def cles_du_grand_livre(context: LedgerContext) -> tuple[Cles, list[SourceError]]:
    """The ledger's keys (none declared: no key), with the errors of their file."""
    path = chemin_des_cles(context)
    if path is None:
        return Cles([]), []
    absent = context.config.fichier_absent(
        "analytique.repartition", path, "analytique", "repartition"
    )
    if absent is not None:
        return Cles([]), [absent]
    cles, errors = _cached(path, context)
    return (cles or Cles([])), list(errors)
