"""The plan comptable associatif, as data.

The charts of accounts (one per version), the accounts retired in 2025 with
their replacement, the natures and the statement layouts live in the
``plan_comptable/`` folder. This module loads them and answers the questions
the plugins and reports ask: is this code valid in this version, what is its
nature, which roots may hold it, what replaces a retired account.
"""

from __future__ import annotations

import csv
import datetime
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from .codes import account_code, longest_prefix
from .yaml_lignes import cached_parse


def plan_comptable_dir() -> Path:
    """Folder holding the chart data (in the wheel, or in the source tree)."""
    here = Path(__file__).resolve().parent
    packaged = here / "plan_comptable"
    if (packaged / "plan.yaml").is_file():
        return packaged
    return here.parents[1] / "plan_comptable"


@cache
def _index() -> dict[str, Any]:
    index: dict[str, Any] = read_data_yaml(plan_comptable_dir() / "plan.yaml")
    return index


def load_data_yaml(name: str) -> Any:
    """Load one YAML file of the plan_comptable folder."""
    return read_data_yaml(plan_comptable_dir() / name)


def read_data_yaml(path: Path) -> Any:
    """Load a YAML data file of ours (no line kept: see :mod:`.yaml_lignes` for that),
    through the cache of parsed files (:func:`~.yaml_lignes.cached_parse`)."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    return cached_parse("donnees", str(path), text, lambda: _load_data(text))


def _load_data(text: str) -> Any:
    import yaml

    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=_SafeLoader)


VERSIONS: tuple[str, ...] = ("2018", "2025")


def version_for_opening(opening: datetime.date) -> str:
    """The chart version in force for an exercice opened on ``opening``."""
    version: str
    for version, spec in _index()["versions"].items():
        before = spec.get("ouverture_avant")
        since = spec.get("ouverture_a_partir_du")
        if (before is None or opening < before) and (since is None or opening >= since):
            return version
    raise ValueError(f"aucune version du plan comptable pour {opening}")


def version_start(version: str) -> datetime.date | None:
    """First opening date of the exercices a version applies to (None for the oldest)."""
    start: datetime.date | None = _index()["versions"][version].get("ouverture_a_partir_du")
    return start


def version_label(version: str) -> str:
    label: str = _index()["versions"][version]["libelle"]
    return label


@dataclass(frozen=True, slots=True)
class Nature:
    """A nature of accounts (plan.yaml ``natures``) and the roots that may hold it."""

    key: str
    libelle: str
    roles: tuple[str, ...]


@cache
def natures() -> dict[str, Nature]:
    return {
        key: Nature(key, spec["libelle"], tuple(spec["racines"]))
        for key, spec in _index()["natures"].items()
    }


@cache
def root_roles() -> dict[str, dict[str, str]]:
    """Root roles: ``{"actif": {"option": "name_assets", "nom": "Actif"}, ...}``."""
    return dict(_index()["racines"])


@dataclass(frozen=True, slots=True)
class ComptesDuResultat:
    """The codes of the result and of its affectation (plan.yaml, ``resultat``)."""

    excedent: str
    deficit: str
    report_crediteur: str
    report_debiteur: str
    reserves: str


@cache
def comptes_du_resultat() -> ComptesDuResultat:
    spec = _index()["resultat"]
    return ComptesDuResultat(**{key: str(value) for key, value in spec.items()})


@dataclass(frozen=True, slots=True)
class ComptesDesImmobilisations:
    """The accounts of fixed assets and their depreciation in one version of the chart
    (plan.yaml, ``immobilisations``). Each candidate list goes from the most precise code
    to the most general one, by class (``"20"`` intangible, ``"21"`` tangible)."""

    amortissables: tuple[str, ...]
    non_amortissables: tuple[str, ...]
    prefixe_amortissement: str
    creance_cession: tuple[str, ...]
    dotation: dict[str, tuple[str, ...]]
    valeur_cedee: dict[str, tuple[str, ...]]
    produit_cession: dict[str, tuple[str, ...]]

    def amortissable(self, code: str) -> bool:
        return code.startswith(self.amortissables) and not code.startswith(self.non_amortissables)

    def compte_amortissement(self, code: str) -> str:
        """The depreciation code of an asset code: 2183 → 28183, 205 → 2805."""
        return self.prefixe_amortissement + code[1:]


@cache
def comptes_des_immobilisations(version: str) -> ComptesDesImmobilisations:
    spec = _index()["immobilisations"]
    par_version = spec["versions"][version]

    def by_class(key: str) -> dict[str, tuple[str, ...]]:
        return {str(k): tuple(str(c) for c in v) for k, v in par_version[key].items()}

    return ComptesDesImmobilisations(
        amortissables=tuple(str(code) for code in spec["amortissables"]),
        non_amortissables=tuple(str(code) for code in spec["non_amortissables"]),
        prefixe_amortissement=str(spec["prefixe_amortissement"]),
        creance_cession=tuple(str(code) for code in spec["creance_cession"]),
        dotation=by_class("dotation"),
        valeur_cedee=by_class("valeur_cedee"),
        produit_cession=by_class("produit_cession"),
    )


@cache
def comptes_en_deduction() -> tuple[str, ...]:
    """Code prefixes of the charge and produit accounts that reduce their class
    (609, 649, 709…): the only ones whose budget may be negative."""
    return tuple(str(code) for code in _index().get("comptes_en_deduction", ()))


def layout_file(state: str) -> str:
    name: str = _index()["etats"][state]
    return name


RESULT_LINE = "resultat_exercice"
"""The bilan's line « résultat de l'exercice » (its accounts receive no entry but the
affectation: the cloture plugin checks it with :func:`prefixes_de_ligne_du_bilan`, without
importing the bilan's modules)."""


def comptes_de_ligne(raw_line: dict[str, Any], version: str) -> Iterator[tuple[str, Any]]:
    """The accounts a line of the bilan layout (``bilan.yaml``) and its sub-lines take in
    ``version``: (id of the line, spec with at least ``prefixe``), in the file's order."""
    for item in raw_line.get("comptes", []):
        spec = {"prefixe": item} if isinstance(item, str) else item
        if spec.get("variante") and str(spec["variante"]) != version:
            continue
        yield raw_line["id"], spec
    for sub in raw_line.get("sous_lignes", []):
        yield from comptes_de_ligne(sub, version)


@cache
def prefixes_de_ligne_du_bilan(ligne: str, version: str) -> tuple[str, ...]:
    """The account prefixes the bilan layout puts on ``ligne`` (a line or sub-line id) in
    ``version``, as :func:`communs_ledger.rapports.modeles.modele_bilan` attaches them."""
    data = load_data_yaml(layout_file("bilan"))
    return tuple(
        str(spec["prefixe"])
        for cote in ("actif", "passif")
        for raw in data[cote]
        for rubrique in raw.get("rubriques") or [{"lignes": raw["lignes"]}]
        for raw_line in rubrique["lignes"]
        for line_id, spec in comptes_de_ligne(raw_line, version)
        if line_id == ligne
    )


@dataclass(frozen=True, slots=True)
class ChartAccount:
    """One account of a version of the chart (a line of ``pca_<version>.csv``)."""

    code: str
    libelle: str
    classe: str
    nature: str
    statut: str
    poste_resultat: tuple[str, ...] = ()
    poste_bilan: tuple[str, ...] = ()

    @property
    def is_heading(self) -> bool:
        return self.nature == "titre"


@dataclass(frozen=True, slots=True)
class Retirement:
    """An account retired from a version of the chart, and what replaces it."""

    code: str
    libelle: str
    remplacement: str
    precision: str


class CodeState(Enum):
    """Outcome of checking a code against one version of the chart."""

    IN_CHART = "dans le plan"
    EXTENDS_POSTABLE = "prolonge un compte mouvementable"
    HEADING = "titre"
    EXTENDS_HEADING = "prolonge seulement un titre"
    RETIRED = "retiré"
    UNKNOWN = "inconnu"


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The outcome of checking one code against one version of the chart."""

    code: str
    state: CodeState
    account: ChartAccount | None = None
    """The chart account that gives the code its meaning (itself or its ancestor)."""
    retirement: Retirement | None = None

    @property
    def ok(self) -> bool:
        return self.state in (CodeState.IN_CHART, CodeState.EXTENDS_POSTABLE)

    @property
    def nature(self) -> str | None:
        return self.account.nature if self.account and self.ok else None


def fold(text: str) -> str:
    """Lower-case, accent-free form used for searching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass
class Chart:
    """One version of the plan comptable: its accounts and retired accounts."""

    version: str
    accounts: dict[str, ChartAccount]
    retirements: dict[str, Retirement] = field(default_factory=dict)
    _checks: dict[str, CodeCheck] = field(default_factory=dict, repr=False)

    @property
    def libelle(self) -> str:
        return version_label(self.version)

    def get(self, code: str) -> ChartAccount | None:
        return self.accounts.get(code)

    def nearest(self, code: str) -> ChartAccount | None:
        """The chart account with the longest code that prefixes ``code``."""
        return longest_prefix(code, self.accounts)

    def retirement_of(self, code: str) -> Retirement | None:
        """The retirement of ``code`` or of the closest ancestor, if any."""
        return longest_prefix(code, self.retirements)

    def check(self, code: str) -> CodeCheck:
        """Check one code against this version (memoised)."""
        found = self._checks.get(code)
        if found is None:
            found = self._checks[code] = self._check(code)
        return found

    def hors_du_plan(self, code: str) -> str | None:
        """Why ``code`` is no code of this version (retired, unknown, or extending a heading
        only), in French; None otherwise. Headings and natures are the caller's to judge."""
        check = self.check(code)
        if check.state is CodeState.RETIRED and check.retirement is not None:
            retired = check.retirement
            hint = f" : utilisez {retired.remplacement}" if retired.remplacement else ""
            return (
                f"compte {code} retiré du plan comptable {self.version} "
                f"(« {retired.libelle} »){hint}"
            )
        if check.state in (CodeState.UNKNOWN, CodeState.EXTENDS_HEADING):
            return f"compte {code} inconnu du plan comptable {self.version}"
        return None

    def _check(self, code: str) -> CodeCheck:
        exact = self.accounts.get(code)
        if exact is not None:
            state = CodeState.HEADING if exact.is_heading else CodeState.IN_CHART
            return CodeCheck(code, state, exact)
        nearest = self.nearest(code)
        retired = self.retirement_of(code)
        if retired is not None and (nearest is None or len(retired.code) > len(nearest.code)):
            return CodeCheck(code, CodeState.RETIRED, nearest, retired)
        if nearest is None:
            return CodeCheck(code, CodeState.UNKNOWN)
        if nearest.is_heading:
            return CodeCheck(code, CodeState.EXTENDS_HEADING, nearest)
        return CodeCheck(code, CodeState.EXTENDS_POSTABLE, nearest)

    def children(self, code: str) -> list[ChartAccount]:
        """Direct sub-accounts of ``code`` in the chart."""
        return [
            account
            for account in self.accounts.values()
            if len(account.code) == len(code) + 1 and account.code.startswith(code)
        ]

    def postable_suggestions(self, code: str, limit: int = 6) -> list[ChartAccount]:
        """Postable accounts just under a heading, to suggest in messages."""
        found: list[ChartAccount] = []
        queue = self.children(code)
        while queue and len(found) < limit:
            account = queue.pop(0)
            if account.is_heading:
                queue.extend(self.children(account.code))
            else:
                found.append(account)
        return found

    def search(self, text: str) -> list[ChartAccount]:
        """Accounts whose code starts with ``text`` or whose label holds every word."""
        query = fold(text).strip()
        if not query:
            return list(self.accounts.values())
        if query.isdigit():
            return [a for a in self.accounts.values() if a.code.startswith(query)]
        words = query.split()
        return [
            a
            for a in self.accounts.values()
            if all(word in fold(a.libelle) or a.code.startswith(word) for word in words)
        ]


_CHART_COLUMNS = ["code", "libelle", "classe", "nature", "statut", "poste_resultat", "poste_bilan"]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter=";"))


@cache
def load_chart(version: str) -> Chart:
    """Load one version of the chart (cached for the process)."""
    spec = _index()["versions"].get(version)
    if spec is None:
        raise KeyError(f"version du plan comptable inconnue : {version}")
    folder = plan_comptable_dir()
    with open(folder / spec["fichier"], encoding="utf-8", newline="") as file:
        reader = csv.reader(file, delimiter=";")
        header = next(reader)
        if header != _CHART_COLUMNS:
            raise ValueError(f"{spec['fichier']} : colonnes inattendues {header}")
        accounts = {
            code: ChartAccount(
                code,
                libelle,
                classe,
                nature,
                statut,
                tuple(resultat.split("|")) if resultat else (),
                tuple(bilan.split("|")) if bilan else (),
            )
            for code, libelle, classe, nature, statut, resultat, bilan in reader
        }
    retirements: dict[str, Retirement] = {}
    if spec.get("retraits"):
        for row in _read_csv(folder / spec["retraits"]):
            retirements[row["code"]] = Retirement(
                row["code"], row["libelle"], row["remplacement"], row["precision"]
            )
    return Chart(version, accounts, retirements)


def starter_accounts(version: str) -> list[str]:
    """The starter account names valid for one version of the chart."""
    names = []
    for item in load_data_yaml("comptes_de_depart.yaml")["comptes"]:
        if isinstance(item, str):
            names.append(item)
        elif version in item.get("versions", [version]):
            names.append(item["name"])
    return names


def starter_financeurs(version: str) -> dict[str, str]:
    """Funder type of the starter subsidy accounts valid for one version of the chart,
    by account number (the ``financeurs:`` section ``communs init`` writes)."""
    codes = {account_code(name) for name in starter_accounts(version)}
    raw = load_data_yaml("comptes_de_depart.yaml").get("financeurs") or {}
    return {str(code): str(kind) for code, kind in raw.items() if str(code) in codes}


# --- Fonds dédiés (plan_comptable/fonds_dedies.yaml) ---------------------------------------


@dataclass(frozen=True)
class Famille:
    """A family of dedicated resources and its three accounts."""

    id: str
    libelle: str
    ressources: tuple[str, ...]
    report: str  # 689x
    fonds: str  # 19x
    utilisation: str  # 789x


@cache
def familles() -> tuple[Famille, ...]:
    raw = load_data_yaml("fonds_dedies.yaml")["familles"]
    return tuple(
        Famille(
            str(item["id"]),
            str(item["libelle"]),
            tuple(str(code) for code in item["ressources"]),
            str(item["report"]),
            str(item["fonds"]),
            str(item["utilisation"]),
        )
        for item in raw
    )


def famille_de(code_produit: str) -> Famille | None:
    """The family of an income code (longest matching prefix), or None."""
    best: tuple[int, Famille] | None = None
    for famille in familles():
        for prefix in famille.ressources:
            if code_produit.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), famille)
    return best[1] if best else None
