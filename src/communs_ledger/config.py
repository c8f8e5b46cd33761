"""The association's configuration: ``communs.yaml`` beside the ledger.

It holds the association's identity, the exercice, the projects, and the
sections of the features (budgets, conventions, forecasts…). A ledger with no
config file gets the defaults: calendar-year exercices, chart version by date.

This kernel module owns the generic parts: the identity, exercice and projects
sections (:class:`CoreConfigFile`), the loading machinery (line of each error,
salvage of the valid sections, side files kept inside the association folder)
and :class:`Config`. Each feature owns its section's schema in its own
``reglages`` module (``budget/reglages.py``, ``fec/reglages.py``…); the whole
file's schema is assembled above the features, in
:mod:`communs_ledger.application.configuration`, and registered here
(:func:`register_schema`, on the first load, through :mod:`.registre`): the kernel
imports no feature.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from . import registre
from .schemas import ErreurSchema, Schema, champ, validate
from .sources import Location, SourceError, display_path
from .yaml_lignes import YamlDocument, load_yaml

CONFIG_FILENAME = "communs.yaml"

_PROJECT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_DAY_MONTH = re.compile(r"^(\d{1,2})-(\d{1,2})$")

S = TypeVar("S", bound=Schema)
C = TypeVar("C", bound="CoreConfigFile")


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


class Association(Schema):
    """The association's identity (``association:``)."""

    nom: str = champ(min_longueur=1)
    sigle: str | None = None
    siren: str | None = champ(default=None, valider=verifier_siren)
    siret: str | None = champ(default=None, valider=_siret)
    rna: str | None = champ(default=None, valider=_rna)
    adresse: str | None = None
    objet: str | None = None


class PremierExercice(Schema):
    """A first exercice of unusual length (``exercice.premier``): its own dates."""

    debut: datetime.date
    fin: datetime.date

    def verifier(self) -> None:
        if self.fin <= self.debut:
            raise ValueError("la fin du premier exercice doit suivre son début")
        if (self.fin - self.debut).days > 731:
            raise ValueError("un premier exercice ne peut dépasser 24 mois")


class ExerciceConfig(Schema):
    """When the exercices open (``exercice:``): day and month, first exercice."""

    debut: str = champ(default="01-01", valider=_day_month)
    premier: PremierExercice | None = None

    @property
    def day(self) -> int:
        return int(self.debut.split("-")[0])

    @property
    def month(self) -> int:
        return int(self.debut.split("-")[1])


class Projet(Schema):
    """A project of the analytique (``projets:``), named on entries by ``projet: CODE``."""

    code: str = champ(valider=_project_code)
    nom: str = champ(min_longueur=1)
    debut: datetime.date | None = None
    fin: datetime.date | None = None
    description: str | None = None


class CoreConfigFile(Schema):
    """The kernel's part of the ``communs.yaml`` schema: identity, exercices, projects.

    The whole file's schema (:class:`communs_ledger.application.configuration.ConfigFile`)
    extends it with the sections each feature owns (``budget/reglages.py``…) and is
    registered with :func:`register_schema`.
    """

    association: Association | None = None
    exercice: ExerciceConfig = champ(default_factory=ExerciceConfig)
    projets: list[Projet] = champ(default_factory=list)


def _duplicate_projects(document: YamlDocument, data: CoreConfigFile) -> list[SourceError]:
    """Projects declared twice, reported at the line of the second declaration."""
    errors = []
    seen: set[str] = set()
    for index, projet in enumerate(data.projets):
        if projet.code in seen:
            location = document.location(("projets", index, "code"))
            errors.append(SourceError(location, f"projet « {projet.code} » déclaré deux fois"))
        seen.add(projet.code)
    return errors


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
    document: YamlDocument, data: C, folder: Path, chemins: Sequence[tuple[str, ...]]
) -> tuple[C, list[SourceError]]:
    """The side-file paths that leave the association folder are errors, and dropped:
    no command reads a file outside the folder (nor shows its content in a message).

    ``chemins``: the keys naming side files, checked in this order; a key whose value
    is a mapping (``budget.fichiers``) names one file per item."""
    errors: list[SourceError] = []

    def check(path: tuple[str, ...], value: str | None) -> bool:
        if value is None or dans_le_dossier(folder, value) is not None:
            return True
        key = ".".join(path)
        errors.append(SourceError(document.location(path), _hors_du_dossier(key, value, folder)))
        return False

    for chemin in chemins:
        value = _value_at(data, chemin)
        if isinstance(value, dict):
            kept = {code: item for code, item in value.items() if check((*chemin, code), item)}
            if len(kept) != len(value):
                data = _with_value(data, chemin, kept)
        elif not check(chemin, value):
            data = _with_value(data, chemin, None)
    return data, errors


def _value_at(data: object, chemin: tuple[str, ...]) -> Any:
    for key in chemin:
        data = getattr(data, key)
    return data


def _with_value(data: C, chemin: tuple[str, ...], value: object) -> C:
    """``data`` with the value at ``chemin`` (a path of attributes) replaced."""
    head, *rest = chemin
    if rest:
        value = _with_value(getattr(data, head), tuple(rest), value)
    changes: dict[str, Any] = {head: value}
    return replace(data, **changes)


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

    data: CoreConfigFile
    """The file's content, an instance of the registered schema (:func:`register_schema`):
    the kernel reads its own sections here, a feature reads its own through
    :meth:`section` (``budget_config(config)``…)."""
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

    def section(self, key: str, kind: type[S]) -> S:
        """The section ``key`` of the file, of the schema class ``kind`` (its defaults when
        the registered schema has no such section)."""
        found = getattr(self.data, key, None)
        return found if isinstance(found, kind) else kind()

    def valeur(self, key: str, default: Any) -> Any:
        """The value of the top-level ``key`` (``default`` when the schema has none)."""
        return getattr(self.data, key, default)

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


Controle = Callable[[YamlDocument, Any], list[SourceError]]
Apport = Callable[[Any, Path], Any]
"""What files the config names bring to its data (``(data, folder) → data``)."""
"""A check of a valid config file, beyond its schema: (document, data) → errors."""


@dataclass(frozen=True, slots=True)
class ConfigSchema:
    """What :func:`load_config` validates ``communs.yaml`` with.

    The kernel knows no feature: the whole schema is assembled above the features
    (:mod:`communs_ledger.application.configuration`), which registers it; the
    ``communs_ledger`` package tells :mod:`.registre` how to import it on the first
    load of a config.
    """

    fichier: type[CoreConfigFile] = CoreConfigFile
    """The file's schema class (a subclass of :class:`CoreConfigFile`)."""
    chemins: tuple[tuple[str, ...], ...] = ()
    """Keys naming side files, kept inside the association folder (checked in order)."""
    controles: tuple[Controle, ...] = ()
    """Checks of a valid file, run in order after the kernel's own."""
    apports: tuple[Apport, ...] = ()
    """Completions of a valid file's data by the files it names (the shared model packs'
    defaults, under the file's own values), run in order after the checks."""


_schema: ConfigSchema | None = None


def register_schema(schema: ConfigSchema) -> None:
    """Make :func:`load_config` validate ``communs.yaml`` with ``schema``."""
    global _schema
    _schema = schema


def registered_schema() -> ConfigSchema:
    """The schema :func:`load_config` validates with: the one registered, else the one the
    ``communs_ledger`` package provides (:mod:`.registre`), else the kernel's sections."""
    if _schema is None:
        provider = registre.config_schema
        found = provider() if provider is not None else ConfigSchema()
        register_schema(found if isinstance(found, ConfigSchema) else ConfigSchema())
    assert _schema is not None
    return _schema


def config_path_for(ledger: str | Path, named: str | None = None) -> Path:
    """Where the config of a ledger lives: the named file, or ``communs.yaml`` beside it."""
    folder = Path(ledger).resolve().parent
    return (folder / named) if named else folder / CONFIG_FILENAME


def load_config(ledger: str | Path, named: str | None = None) -> Config:
    """Load the config of a ledger. Never raises: problems are in ``Config.errors``."""
    schema = registered_schema()
    ConfigFile = schema.fichier
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
        salvaged = _salvage(ConfigFile, document.data or {})
        data, outside = _contain_paths(document, salvaged, folder, schema.chemins)
        errors = sorted(errors + outside, key=lambda e: e.location.line)
        return Config(data, path, errors, document.lines)
    data, errors = _contain_paths(document, data, folder, schema.chemins)
    errors += _duplicate_projects(document, data)
    for controle in schema.controles:
        errors += controle(document, data)
    for apport in schema.apports:
        data = apport(data, folder)
    return Config(data, path, errors, document.lines)


def _salvage(ConfigFile: type[C], raw: dict[str, object]) -> C:
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
