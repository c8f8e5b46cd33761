"""The association's configuration: ``communs.yaml`` beside the ledger.

It holds the association's identity, the exercice, the projects, and later
the budgets, conventions and forecasts. A ledger with no config file gets the
defaults: calendar-year exercices, chart version by date.

Example::

    association:
      nom: Les Jardins de la Bièvre
      siren: "123456782"
      rna: W751234567
    exercice:
      debut: 01-01          # JJ-MM : jour et mois d'ouverture des exercices
    projets:
      - code: JARDINS
        nom: Jardins partagés
    diagnostic:             # seuils du diagnostic financier (plan_comptable/diagnostic.yaml)
      seuils:
        tresorerie_jours: {alerte: 30, surveiller: 90}
    financeurs:             # type de financeur des subventions (74), pour le CERFA 12156
      "7411": etat          # par préfixe de numéro de compte (commençant par 74)
      CAF: organismes_sociaux   # ou par nom du compte (libellé ou sous-compte)
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, get_args

from .schemas import ErreurSchema, Schema, champ, validate, valider_montant
from .sources import Location, SourceError, display_path
from .yaml_lignes import YamlDocument, load_yaml

CONFIG_FILENAME = "communs.yaml"

_PROJECT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_DAY_MONTH = re.compile(r"^(\d{1,2})-(\d{1,2})$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def verifier_siren(value: object) -> str:
    text = str(value).replace(" ", "")
    if not (len(text) == 9 and text.isdigit()):
        raise ValueError("le SIREN compte 9 chiffres")
    if not luhn_ok(text):
        raise ValueError(f"SIREN {text} invalide (clé de contrôle erronée)")
    return text


def _siret(value: object) -> str:
    text = str(value).replace(" ", "")
    if not (len(text) == 14 and text.isdigit()):
        raise ValueError("le SIRET compte 14 chiffres")
    return text


def _rna(value: object) -> str:
    text = str(value).replace(" ", "").upper()
    if not re.fullmatch(r"W\d{9}", text):
        raise ValueError("le numéro RNA s'écrit W suivi de 9 chiffres (ex. W751234567)")
    return text


def _day_month(value: object) -> str:
    text = str(value).strip()
    match = _DAY_MONTH.match(text)
    if not match:
        raise ValueError("date d'ouverture attendue au format JJ-MM (ex. 01-09)")
    day, month = int(match.group(1)), int(match.group(2))
    try:
        datetime.date(2001, month, day)
    except ValueError:
        raise ValueError(f"« {text} » n'est pas un jour valide (JJ-MM)") from None
    return f"{day:02d}-{month:02d}"


def _project_code(value: object) -> str:
    text = str(value)
    if not _PROJECT_CODE.match(text):
        raise ValueError(
            f"code de projet « {text} » invalide : lettres, chiffres, - et _ sans espace"
        )
    return text


@dataclass(frozen=True)
class Association(Schema):
    nom: str = champ(min_longueur=1)
    sigle: str | None = None
    siren: str | None = champ(default=None, valider=verifier_siren)
    siret: str | None = champ(default=None, valider=_siret)
    rna: str | None = champ(default=None, valider=_rna)
    adresse: str | None = None
    objet: str | None = None


@dataclass(frozen=True)
class PremierExercice(Schema):
    debut: datetime.date
    fin: datetime.date

    def verifier(self) -> None:
        if self.fin <= self.debut:
            raise ValueError("la fin du premier exercice doit suivre son début")
        if (self.fin - self.debut).days > 731:
            raise ValueError("un premier exercice ne peut dépasser 24 mois")


@dataclass(frozen=True)
class ExerciceConfig(Schema):
    debut: str = champ(default="01-01", valider=_day_month)
    premier: PremierExercice | None = None

    @property
    def day(self) -> int:
        return int(self.debut.split("-")[0])

    @property
    def month(self) -> int:
        return int(self.debut.split("-")[1])


@dataclass(frozen=True)
class Projet(Schema):
    code: str = champ(valider=_project_code)
    nom: str = champ(min_longueur=1)
    debut: datetime.date | None = None
    fin: datetime.date | None = None
    description: str | None = None


@dataclass(frozen=True)
class SeuilConfig(Schema):
    """Thresholds of one indicator of the diagnostic (per cent for percentages)."""

    alerte: Decimal | None = None
    surveiller: Decimal | None = None


@dataclass(frozen=True)
class DiagnosticConfig(Schema):
    """``diagnostic: {seuils: {tresorerie_jours: {alerte: 30, surveiller: 90}}}``."""

    seuils: dict[str, SeuilConfig] = champ(default_factory=dict)


def _percent(value: object) -> object:
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if number < 0:
        raise ValueError("pourcentage positif attendu (10 pour 10 %)")
    return value


@dataclass(frozen=True)
class RegleDepassement(Schema):
    """Charges of a line or project above the budget to date by more than ``seuil`` %."""

    actif: bool = True
    seuil: Decimal = champ(default=Decimal(10), valider=_percent)


@dataclass(frozen=True)
class RegleProduits(Schema):
    """Produits of a line below ``seuil`` % of the budget to date, once ``apres_mois``
    months of the exercice have passed."""

    actif: bool = True
    seuil: Decimal = champ(default=Decimal(50), valider=_percent)
    apres_mois: int = 3


@dataclass(frozen=True)
class RegleSimple(Schema):
    actif: bool = True
    apres_mois: int = 0


@dataclass(frozen=True)
class ReglesBudget(Schema):
    depassement: RegleDepassement = champ(default_factory=RegleDepassement)
    produits_en_retard: RegleProduits = champ(default_factory=RegleProduits)
    projet_sans_budget: RegleSimple = champ(default_factory=RegleSimple)
    ligne_sans_realise: RegleSimple = champ(default_factory=lambda: RegleSimple(apres_mois=6))


@dataclass(frozen=True)
class BudgetConfig(Schema):
    """``budget: {fichiers: {"2026": budgets/2026.yaml}, regles: {…}}``."""

    fichiers: dict[str, str] = champ(default_factory=dict)
    regles: ReglesBudget = champ(default_factory=ReglesBudget)


TypeFinanceur = Literal[
    "etat",
    "region",
    "departement",
    "intercommunalite",
    "commune",
    "organismes_sociaux",
    "fonds_europeens",
    "asp",
    "autres_etablissements_publics",
    "aides_privees",
]
"""Funder types of the CERFA 12156 budget table (``plan_comptable/cerfa_12156.yaml``)."""
TYPES_FINANCEUR: tuple[str, ...] = get_args(TypeFinanceur)


_JOURNAL_CODE = re.compile(r"^[A-Za-z0-9_-]{1,10}$")


def _journal_code(value: object) -> str:
    text = str(value).strip()
    if not _JOURNAL_CODE.match(text):
        raise ValueError(
            f"code de journal « {text} » invalide : 1 à 10 lettres, chiffres, - ou _ (ex. BQ)"
        )
    return text


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


@dataclass(frozen=True)
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
        from .fec.journaux import JOURNAUX_DERIVES

        if self.code not in JOURNAUX_DERIVES:
            derived = ", ".join(JOURNAUX_DERIVES)
            raise ValueError(
                f"le journal {self.code} ne retient aucune écriture : indiquez ses « comptes » "
                f"ou ses « etiquettes » (sans eux, seul le libellé d'un journal dérivé — "
                f"{derived} — peut être changé)"
            )


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class SeuilTresorerie(Schema):
    """Alert threshold of the cash plan: months of charges and/or a fixed amount."""

    mois_de_charges: Decimal | None = Decimal(1)
    montant: Decimal | None = champ(default=None, valider=valider_montant)


def _growth_rate(value: object) -> object:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return value  # not a number: the type check reports it
    if number <= -100:
        raise ValueError("taux de croissance annuel en % supérieur à -100 attendu (ex. 2 ou -1.5)")
    return value


def _growth_codes(value: object) -> object:
    if isinstance(value, dict):
        for key, rate in value.items():
            code = str(key).strip()
            if not code.isdigit() or code[:1] not in ("6", "7"):
                raise ValueError(
                    f"« {key} » : numéro de compte de charges (6…) ou de produits (7…) attendu"
                )
            _growth_rate(rate)
    return value


@dataclass(frozen=True)
class CroissanceConfig(Schema):
    """``previsions.croissance``: yearly growth of the budget in the multi-year projection,
    in per cent per year: ``{charges: 2, produits: 1.5, par_compte: {"6132": 3}}``
    (``par_compte``: by account code prefix, the longest prefix wins over the class)."""

    charges: Decimal = champ(default=Decimal(0), valider=_growth_rate)
    produits: Decimal = champ(default=Decimal(0), valider=_growth_rate)
    par_compte: dict[str, Decimal] = champ(default_factory=dict, valider=_growth_codes)


SANS_BUDGET = ("dernier_budget", "rien")


def _sans_budget(value: object) -> object:
    if str(value) not in SANS_BUDGET:
        raise ValueError(f"« {value} » : dernier_budget ou rien attendu")
    return str(value)


def _decouvert(value: object) -> object:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return value  # not a number: the type check reports it
    if number < 0:
        raise ValueError("montant positif attendu (le découvert autorisé, ex. 5000)")
    return value


@dataclass(frozen=True)
class PrevisionsConfig(Schema):
    """``previsions:`` section: the forecast input files and the cash plan's settings."""

    paie: str | None = None  # previsions/paie.yaml
    flux: str | None = None  # previsions/flux.yaml
    scenarios: str | None = None  # previsions/scenarios.yaml
    seuil: SeuilTresorerie = champ(default_factory=SeuilTresorerie)
    delais: dict[str, int] = champ(default_factory=dict)
    """Days until an open receivable or payable is settled, by account code prefix
    (defaults in the tiers module: 441 → 60, 411 → 30, 401 → 30, 43 → 15…)."""
    croissance: CroissanceConfig = champ(default_factory=CroissanceConfig)
    """Yearly growth rates of the budget carried over (multi-year projection, cash plan)."""
    sans_budget: str = champ(default="dernier_budget", valider=_sans_budget)
    """An exercice without a budget file: ``dernier_budget`` (the last budget carried
    over, grown by ``croissance``) or ``rien`` (only the explicit inputs)."""
    decouvert_autorise: Decimal = champ(default=Decimal(0), valider=_decouvert)
    """Authorised overdraft (a positive amount): below −it the cash plan says « danger »."""


@dataclass(frozen=True)
class AnalytiqueConfig(Schema):
    """``analytique:`` section: the clés de répartition of indirect costs
    (``{repartition: analytique/repartition.yaml}``, see :mod:`communs_ledger.analytique`)."""

    repartition: str | None = None


@dataclass(frozen=True)
class ConfigFile(Schema):
    association: Association | None = None
    exercice: ExerciceConfig = champ(default_factory=ExerciceConfig)
    projets: list[Projet] = champ(default_factory=list)
    budget: BudgetConfig = champ(default_factory=BudgetConfig)
    diagnostic: DiagnosticConfig = champ(default_factory=DiagnosticConfig)
    financeurs: dict[str, TypeFinanceur] = champ(default_factory=dict)
    """Funder type by account code prefix (digits, 74…) or by account name component."""
    fec: FecConfig = champ(default_factory=FecConfig)
    importation: ImportConfig = champ(default_factory=ImportConfig)
    conventions: str | None = None  # conventions.yaml (subsidy conventions, shared)
    previsions: PrevisionsConfig = champ(default_factory=PrevisionsConfig)
    analytique: AnalytiqueConfig = champ(default_factory=AnalytiqueConfig)
    clotures: str | None = None  # exercices clôturés (communs cloture), default clotures.yaml


def _duplicate_projects(document: YamlDocument, data: ConfigFile) -> list[SourceError]:
    """Projects declared twice, reported at the line of the second declaration."""
    errors = []
    seen: set[str] = set()
    for index, projet in enumerate(data.projets):
        if projet.code in seen:
            location = document.location(("projets", index, "code"))
            errors.append(SourceError(location, f"projet « {projet.code} » déclaré deux fois"))
        seen.add(projet.code)
    return errors


def _funder_keys(document: YamlDocument, data: ConfigFile) -> list[SourceError]:
    """``financeurs`` keys: a number must be a 74 prefix; a name must not repeat once
    case and accents are ignored (it is matched that way)."""
    if not data.financeurs:
        return []
    from .plan import fold

    errors = []
    seen: dict[str, str] = {}
    for key in data.financeurs:
        location = document.location(("financeurs", key))
        if key.isdigit():
            if not key.startswith("74"):
                errors.append(
                    SourceError(
                        location,
                        f"financeurs : « {key} » : un numéro de compte de subvention commence "
                        "par 74 (ex. 7411)",
                    )
                )
            continue
        folded = fold(key)
        if folded in seen:
            errors.append(
                SourceError(
                    location,
                    f"financeurs : « {key} » répète « {seen[folded]} » (majuscules et accents "
                    "ne comptent pas)",
                )
            )
        seen.setdefault(folded, key)
    return errors


def _diagnostic_thresholds(document: YamlDocument, data: ConfigFile) -> list[SourceError]:
    """Unknown indicators and thresholds in the wrong order, at the line of the indicator."""
    if not data.diagnostic.seuils:
        return []
    from .rapports.indicateurs import erreurs_de_seuils

    return [
        SourceError(document.location(("diagnostic", "seuils", *path)), message)
        for path, message in erreurs_de_seuils(data.diagnostic.seuils)
    ]


def dans_le_dossier(folder: Path, relative: str) -> Path | None:
    """``relative`` resolved against the association folder (symbolic links followed),
    or None when it leaves the folder (``..``, an absolute path elsewhere, a link)."""
    base = folder.resolve()
    try:
        path = (base / relative).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL character
        return None
    return path if path.is_relative_to(base) else None


def _hors_du_dossier(key: str, value: str, folder: Path) -> str:
    shown = display_path(folder)
    where = f" ({shown})" if shown not in ("", ".") else ""
    return (
        f"{key} : « {value} » désigne un fichier hors du dossier de l'association{where} : "
        "les fichiers de configuration doivent être dans ce dossier (chemin relatif, ex. "
        "budgets/2026.yaml ; ni « .. » qui en sort, ni lien vers l'extérieur)"
    )


def _contain_paths(
    document: YamlDocument, data: ConfigFile, folder: Path
) -> tuple[ConfigFile, list[SourceError]]:
    """The side-file paths that leave the association folder are errors, and dropped:
    no command reads a file outside the folder (nor shows its content in a message)."""
    errors: list[SourceError] = []

    def check(path: tuple[str, ...], value: str | None) -> bool:
        if value is None or dans_le_dossier(folder, value) is not None:
            return True
        key = ".".join(path)
        errors.append(SourceError(document.location(path), _hors_du_dossier(key, value, folder)))
        return False

    budgets = {
        code: value
        for code, value in data.budget.fichiers.items()
        if check(("budget", "fichiers", code), value)
    }
    sections: dict[str, dict[str, str | None]] = {
        "previsions": {"paie": None, "flux": None, "scenarios": None},
        "analytique": {"repartition": None},
        "importation": {"profils": None, "regles": None},
    }
    changes: dict[str, Any] = {}
    for section, keys in sections.items():
        current = getattr(data, section)
        for key in keys:
            keys[key] = (
                getattr(current, key) if check((section, key), getattr(current, key)) else None
            )
        if any(keys[key] != getattr(current, key) for key in keys):
            changes[section] = replace(current, **keys)
    for key in ("conventions", "clotures"):
        if not check((key,), getattr(data, key)):
            changes[key] = None
    if len(budgets) != len(data.budget.fichiers):
        changes["budget"] = replace(data.budget, fichiers=budgets)
    return (replace(data, **changes) if changes else data), errors


def _plugin_line(ledger: str | Path, named: str) -> int:
    """Line of the ``plugin`` directive naming a config file (0 if not found)."""
    try:
        text = Path(ledger).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("plugin") and f'"{named}' in line:
            return number
    return 0


@dataclass
class Config:
    """The loaded configuration, with where it came from."""

    data: ConfigFile
    path: Path | None
    errors: list[SourceError] = field(default_factory=list)
    lignes: dict[tuple[str | int, ...], int] = field(default_factory=dict, repr=False)
    """Line of each key path in the file (errors about a declared file point there)."""

    def location(self, *key: str | int) -> Location:
        """Where a key of the config is written (``communs.yaml:44``; line 0 if absent)."""
        filename = display_path(self.path) if self.path else CONFIG_FILENAME
        return Location(filename, YamlDocument(filename, None, self.lignes).line_of(key))

    def fichier_absent(self, cle: str, path: Path, *key: str | int) -> SourceError | None:
        """The error of a declared side file that is missing or a folder, at its key."""
        if path.is_file():
            return None
        quoi = "désigne un dossier, pas un fichier" if path.is_dir() else "fichier introuvable"
        return SourceError(self.location(*key), f"{cle} : {quoi} ({display_path(path)})")

    @property
    def nom(self) -> str:
        return self.data.association.nom if self.data.association else "Association"

    @property
    def projets(self) -> dict[str, Projet]:
        return {projet.code: projet for projet in self.data.projets}

    @property
    def watched_files(self) -> list[str]:
        """Files whose change must invalidate Beancount's cache."""
        return [str(self.path)] if self.path else []


def config_path_for(ledger: str | Path, named: str | None = None) -> Path:
    """Where the config of a ledger lives: the named file, or ``communs.yaml`` beside it."""
    folder = Path(ledger).resolve().parent
    return (folder / named) if named else folder / CONFIG_FILENAME


def load_config(ledger: str | Path, named: str | None = None) -> Config:
    """Load the config of a ledger. Never raises: problems are in ``Config.errors``."""
    if str(ledger).startswith("<"):  # a ledger parsed from a string: no folder, defaults
        return Config(ConfigFile(), None)
    path = config_path_for(ledger, named)
    folder = Path(ledger).resolve().parent
    if named and dans_le_dossier(folder, named) is None:
        error = SourceError(
            Location(display_path(ledger), _plugin_line(ledger, named)),
            _hors_du_dossier("configuration", named, folder),
        )
        return Config(ConfigFile(), None, [error])
    if not path.exists():
        if named:
            error = SourceError(
                Location(display_path(ledger), _plugin_line(ledger, named)),
                f"fichier de configuration « {named} » introuvable ({display_path(path)})",
            )
            return Config(ConfigFile(), path, [error])
        return Config(ConfigFile(), path)
    try:
        document = load_yaml(path)
    except SourceError as problem:
        return Config(ConfigFile(), path, [problem])
    if document.data is not None and not isinstance(document.data, dict):
        error = SourceError(document.location(), "la configuration doit être un ensemble de clés")
        return Config(ConfigFile(), path, [error])
    data, errors = validate(document, ConfigFile)
    if data is None:
        data, outside = _contain_paths(document, _salvage(document.data or {}), folder)
        errors = sorted(errors + outside, key=lambda e: e.location.line)
        return Config(data, path, errors, document.lines)
    data, errors = _contain_paths(document, data, folder)
    errors += _duplicate_projects(document, data) + _diagnostic_thresholds(document, data)
    errors += _funder_keys(document, data)
    return Config(data, path, errors, document.lines)


def _salvage(raw: dict[str, object]) -> ConfigFile:
    """The sections of an invalid config that are valid on their own.

    A typo in one section must not make the others (the exercice dates above
    all) fall back to the defaults, which would cause spurious chart errors.
    """
    kept: dict[str, object] = {}
    for spec in fields(ConfigFile):
        if spec.name not in raw:
            continue
        try:
            ConfigFile.depuis({spec.name: raw[spec.name]})
        except ErreurSchema:
            continue
        kept[spec.name] = raw[spec.name]
    return ConfigFile.depuis(kept)
