"""Statement layouts (``plan_comptable/compte_de_resultat.yaml`` and ``bilan.yaml``)
as typed objects, and the rule that attaches an account code to a line: the
longest prefix of the code among the layout's prefixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..codes import longest_prefix
from ..plan import (
    Chart,
    comptes_de_ligne,
    layout_file,
    load_data_yaml,
    plan_comptable_dir,
    read_data_yaml,
)
from ..sources import SourceError
from ..yaml_lignes import load_yaml


@dataclass(frozen=True, slots=True)
class LigneModele:
    """A line of a statement layout and the account prefixes it sums."""

    id: str
    libelle: str
    prefixes: tuple[str, ...] = ()
    sous_lignes: tuple[LigneModele, ...] = ()
    dont: bool = False
    sens: str = "debit"  # "debit": débits - crédits ; "credit": crédits - débits
    note: str = ""
    source: str = ""

    def walk(self) -> list[LigneModele]:
        """This line and all its sub-lines, depth first."""
        found = [self]
        for sub in self.sous_lignes:
            found.extend(sub.walk())
        return found


@dataclass(frozen=True, slots=True)
class BlocModele:
    """A block of the compte de résultat layout: its lines and its total."""

    id: str
    libelle: str
    lignes: tuple[LigneModele, ...] = ()
    sens: str = "debit"
    total_id: str | None = None
    total_libelle: str = ""
    total_code: str = ""
    formule: str | None = None


def _prefix_index(lines: list[LigneModele]) -> dict[str, str]:
    index: dict[str, str] = {}
    for line in lines:
        if line.dont:
            continue
        for prefix in line.prefixes:
            index.setdefault(prefix, line.id)
    return index


@dataclass
class ModeleResultat:
    """One variant of the compte de résultat, plus the contributions en nature block."""

    version: str
    reference: str
    blocs: list[BlocModele]
    contributions: list[BlocModele]
    repli: dict[str, str]
    retraitement: dict[str, str]
    _index: dict[str, str] = field(default_factory=dict, repr=False)
    _dont: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _lines: dict[str, LigneModele] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        lines = [
            line
            for bloc in self.blocs + self.contributions
            for top in bloc.lignes
            for line in top.walk()
        ]
        self._lines = {line.id: line for line in lines}
        self._index = _prefix_index(lines)
        for line in lines:
            if line.dont:
                for prefix in line.prefixes:
                    self._dont.setdefault(prefix, []).append(line.id)

    def ligne(self, id_: str) -> LigneModele:
        return self._lines[id_]

    def ligne_de(self, code: str) -> str | None:
        """Line id an account code feeds (longest prefix), or None."""
        return longest_prefix(code, self._index)

    def ligne_retraitee(self, code: str, chart: Chart) -> str | None:
        """Line of an account of an earlier chart version restated in this layout.

        Explicit restatements first (``retraitement``), then the line of the
        replacement of a retired account (``retraits_2025.csv``), then the prefix.
        """
        found = longest_prefix(code, self.retraitement)
        if found is not None:
            return found
        retired = chart.retirement_of(code)
        if retired is not None and retired.remplacement:
            found = longest_prefix(retired.remplacement, self._index)
            if found is not None:
                return found
        return self.ligne_de(code)

    def dont_de(self, code: str) -> list[str]:
        """ "Dont" line ids whose prefix matches the code."""
        ids: list[str] = []
        for prefix, line_ids in self._dont.items():
            if code.startswith(prefix):
                ids.extend(line_ids)
        return ids


def _libelle(raw: dict[str, Any], version: str | None) -> str:
    """The label of a line or rubrique of a layout in ``version`` of the chart: its
    ``libelles[version]`` when the file gives one, else its ``libelle``."""
    par_version = raw.get("libelles") or {}
    return str(par_version.get(version, raw["libelle"])) if version else str(raw["libelle"])


def _line(raw: dict[str, Any], sens: str, version: str | None = None) -> LigneModele:
    return LigneModele(
        id=raw["id"],
        libelle=_libelle(raw, version),
        prefixes=tuple(str(p) for p in raw.get("comptes", [])),
        sous_lignes=tuple(
            _line(sub, raw.get("sens", sens), version) for sub in raw.get("sous_lignes", [])
        ),
        dont=bool(raw.get("dont", False)),
        sens=raw.get("sens", sens),
        note=raw.get("note", ""),
        source=raw.get("source", ""),
    )


def _bloc(raw: dict[str, Any]) -> BlocModele:
    sens = raw.get("sens", "debit")
    total = raw.get("total") or {}
    return BlocModele(
        id=raw["id"],
        libelle=raw["libelle"],
        lignes=tuple(_line(line, sens) for line in raw.get("lignes", [])),
        sens=sens,
        total_id=total.get("id"),
        total_libelle=total.get("libelle", ""),
        total_code=total.get("code", ""),
        formule=raw.get("formule"),
    )


@cache
def modele_resultat(version: str) -> ModeleResultat:
    """The compte de résultat layout of a chart version (``plan_comptable/``)."""
    return load_modele_resultat(plan_comptable_dir() / layout_file("compte_de_resultat"), version)


def load_modele_resultat(path: Path, version: str) -> ModeleResultat:
    """The compte de résultat layout of ``version`` in the file ``path``.

    Raises :class:`SourceError` (French, at the formula's line) when a formula names
    something the layout does not define above it: it would silently count as 0.
    """
    data = read_data_yaml(path)
    variant = data["variantes"][version]
    modele = ModeleResultat(
        version=version,
        reference=variant.get("reference", ""),
        blocs=[_bloc(b) for b in variant["blocs"]],
        contributions=[_bloc(b) for b in data["contributions_volontaires"]["blocs"]],
        repli=dict(data.get("repli", {})),
        retraitement={str(k): v for k, v in (variant.get("retraitement") or {}).items()},
    )
    for where, blocs in (
        (("variantes", version, "blocs"), modele.blocs),
        (("contributions_volontaires", "blocs"), modele.contributions),
    ):
        problem = formula_problem(blocs)
        if problem is not None:
            index, message = problem
            location = load_yaml(path).location((*where, index, "formule"))
            raise SourceError(location, message)
    return modele


FORMULA_TOKEN = re.compile(r"[+-]|[a-z_0-9]+")
"""The terms of a formula, ``a - b + c``: signs and names (as the compte de résultat
evaluates them, :func:`communs_ledger.rapports.resultat._evaluate`)."""


def defined_names(bloc: BlocModele) -> list[str]:
    """The names a bloc defines for the formulas below it: its lines (and sub-lines),
    its total, its own id when it is one line without total, or a formula's id."""
    if bloc.formule:
        return [bloc.id]
    names = [line.id for top in bloc.lignes for line in top.walk()]
    if bloc.total_id:
        names.append(bloc.total_id)
    if len(bloc.lignes) == 1 and not bloc.total_id:
        names.append(bloc.id)
    return names


def formula_problem(blocs: list[BlocModele]) -> tuple[int, str] | None:
    """The first formula naming what no bloc above it defines, or written with a character
    outside ``a - b + c``: (index of its bloc, French message); None if all are sound."""
    known: set[str] = set()
    for index, bloc in enumerate(blocs):
        if bloc.formule:
            formula = " ".join(bloc.formule.split())
            stray = FORMULA_TOKEN.sub("", formula).replace(" ", "")
            if stray:
                return index, (
                    f"formule du bloc « {bloc.id} » ({formula}) : caractère inattendu "
                    f"« {stray[0]} » (une formule s'écrit a - b + c, en minuscules)"
                )
            for name in FORMULA_TOKEN.findall(formula):
                if name not in ("+", "-") and name not in known:
                    return index, (
                        f"formule du bloc « {bloc.id} » ({formula}) : nom inconnu « {name} », "
                        "ni ligne, ni total, ni formule définis plus haut dans le modèle"
                    )
        known.update(defined_names(bloc))
    return None


# --- Bilan -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attache:
    """How accounts with a prefix go on a bilan line."""

    prefixe: str
    ligne: str
    cote: str  # "actif" | "passif"
    amortissement: bool = False  # deducted from the gross amount (28, 29, 39, 49, 59)
    condition: str | None = None  # "debiteur" | "crediteur"


@dataclass(frozen=True, slots=True)
class RubriqueModele:
    """A heading of the bilan layout and its lines."""

    libelle: str
    lignes: tuple[LigneModele, ...]


@dataclass(frozen=True, slots=True)
class BlocBilan:
    """A block of one side of the bilan layout: its headings and its total."""

    id: str
    libelle: str
    cote: str
    rubriques: tuple[RubriqueModele, ...]
    total_id: str
    total_libelle: str


@dataclass
class ModeleBilan:
    """The bilan layout of one version of the chart."""

    version: str
    actif: list[BlocBilan]
    passif: list[BlocBilan]
    attaches: dict[str, list[Attache]]
    tiers_prefixes: tuple[str, ...]
    """Codes of the tiers accounts (40 to 46) that leave their line for autres créances or
    autres dettes when their balance is contrary to it."""
    tiers_debiteur: str
    tiers_crediteur: str
    repli_debiteur: str
    repli_crediteur: str
    totaux: dict[str, str]
    _cote: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for bloc in self.actif + self.passif:
            for rubrique in bloc.rubriques:
                for top in rubrique.lignes:
                    for line in top.walk():
                        self._cote[line.id] = bloc.cote

    def cote_de(self, ligne_id: str) -> str:
        return self._cote[ligne_id]

    def placer(self, code: str, solde: Any) -> tuple[str, str, bool] | None:
        """Where an account with this code and balance (debit > 0) goes.

        Returns (line id, side, is_amortissement) or None if the balance is zero.
        """
        if not solde:
            return None
        debiteur = solde > 0
        for length in range(len(code), 0, -1):
            candidates = self.attaches.get(code[:length])
            if not candidates:
                continue
            matching = [
                a
                for a in candidates
                if a.condition is None or (a.condition == "debiteur") == debiteur
            ]
            if not matching:
                continue
            chosen = matching[0]
            if (
                chosen.condition is None
                and not chosen.amortissement
                and code.startswith(self.tiers_prefixes)
                and (chosen.cote == "actif") != debiteur
            ):
                target = self.tiers_debiteur if debiteur else self.tiers_crediteur
                return target, self.cote_de(target), False
            return chosen.ligne, chosen.cote, chosen.amortissement
        target = self.repli_debiteur if debiteur else self.repli_crediteur
        return target, self.cote_de(target), False

    def is_fallback(self, code: str) -> bool:
        """True if no prefix of the layout matches the code."""
        return all(code[:n] not in self.attaches for n in range(len(code), 0, -1))


def _attaches(raw_line: dict[str, Any], cote: str, version: str) -> list[Attache]:
    return [
        Attache(
            prefixe=str(spec["prefixe"]),
            ligne=line_id,
            cote=cote,
            amortissement=spec.get("colonne") == "amortissements",
            condition=spec.get("condition"),
        )
        for line_id, spec in comptes_de_ligne(raw_line, version)
    ]


@cache
def modele_bilan(version: str, comparatif: str | None = None) -> ModeleBilan:
    """The bilan layout of ``version``; ``comparatif`` is the version of its N-1 column.

    Labels are those of ``version`` (``libelles``) unless the N-1 column follows another
    version: then the shared ``libelle``, which names both (481 in the 2025 bilan).
    """
    data = load_data_yaml(layout_file("bilan"))
    labels = version if comparatif in (None, version) else None
    attaches: dict[str, list[Attache]] = {}
    blocs: dict[str, list[BlocBilan]] = {"actif": [], "passif": []}
    for cote in ("actif", "passif"):
        for raw in data[cote]:
            raw_rubriques = raw.get("rubriques") or [{"libelle": "", "lignes": raw["lignes"]}]
            rubriques = []
            for raw_rubrique in raw_rubriques:
                lines = tuple(
                    _line(line, "debit" if cote == "actif" else "credit", labels)
                    for line in raw_rubrique["lignes"]
                )
                libelle = _libelle({"libelle": "", **raw_rubrique}, labels)
                rubriques.append(RubriqueModele(libelle, lines))
                for raw_line in raw_rubrique["lignes"]:
                    for attache in _attaches(raw_line, cote, version):
                        attaches.setdefault(attache.prefixe, []).append(attache)
            blocs[cote].append(
                BlocBilan(
                    id=raw["id"],
                    libelle=raw["libelle"],
                    cote=cote,
                    rubriques=tuple(rubriques),
                    total_id=raw["total"]["id"],
                    total_libelle=raw["total"]["libelle"],
                )
            )
    tiers = data.get("tiers_sens_contraire", {})
    repli = data.get("repli", {})
    return ModeleBilan(
        version=version,
        actif=blocs["actif"],
        passif=blocs["passif"],
        attaches=attaches,
        tiers_prefixes=tuple(str(c) for c in tiers.get("prefixes", [])),
        tiers_debiteur=tiers.get("debiteur", "autres_creances"),
        tiers_crediteur=tiers.get("crediteur", "autres_dettes"),
        repli_debiteur=repli.get("debiteur", "autres_creances"),
        repli_crediteur=repli.get("crediteur", "autres_dettes"),
        totaux=dict(data.get("totaux", {})),
    )
