"""Validation of the users' YAML files: typed dataclasses, errors in French with their line.

Why not pydantic: these schemas are read by the Beancount plugins on every
``bean-check`` and Fava load, and importing pydantic (≈ 100 ms with our
models) alone exceeded the plugins' load-time budget (≤ 5 % of a 10 000
transaction ledger's load). This module relies only on the standard library
(already imported by Beancount) and covers what our files need:

- a schema is a frozen dataclass deriving from :class:`Schema`; field types
  are ``str``, ``int``, ``bool``, ``Decimal``, ``datetime.date``, ``Literal``,
  another :class:`Schema`, ``list[X]``, ``dict[str, X]`` and ``X | None``;
- unknown keys are refused (a typo is reported, not ignored);
- :func:`champ` attaches a per-field validator (may normalise the value, raises
  ``ValueError`` with a French message) and a minimum length;
- a schema's ``verifier()`` method checks the whole object (raises ``ValueError``);
- constructing a schema directly (``ExerciceConfig(debut="1-9")``) validates
  and normalises too, raising :class:`ErreurSchema`.

:func:`validate` turns a :class:`~communs_ledger.yaml_lignes.YamlDocument` into a
schema instance and French :class:`~communs_ledger.sources.SourceError` objects
located at the line of the offending key.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import reprlib
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, dataclass_transform

from .dates import date_iso
from .formatage import montant
from .montants import lire_decimal, to_cent
from .sources import Location, SourceError
from .yaml_lignes import YamlDocument, load_yaml

Path_ = tuple[str | int, ...]
S = TypeVar("S", bound="Schema")
T = TypeVar("T")

_VALIDATOR = "communs_valider"
_MIN_LENGTH = "communs_min"


class ErreurSchema(ValueError):
    """Validation problems: a list of (path, French message)."""

    def __init__(self, problems: list[tuple[Path_, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _path, message in problems))


def champ(
    *,
    default: Any = dataclasses.MISSING,
    valider: Callable[[Any], Any] | None = None,
    min_longueur: int | None = None,
    default_factory: Callable[[], Any] | Any = dataclasses.MISSING,
) -> Any:
    """A schema field with an optional validator and minimum length."""
    metadata = {_VALIDATOR: valider, _MIN_LENGTH: min_longueur}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


class _Champs:
    """The fields of one schema class, as its methods use them."""

    __slots__ = ("affiches", "compares", "haches", "noms", "positionnels", "tous")

    def __init__(self, fields: tuple[dataclasses.Field[Any], ...]) -> None:
        self.tous = tuple(spec for spec in fields if spec.init)
        self.positionnels = tuple(spec.name for spec in self.tous if not spec.kw_only)
        self.noms = frozenset(spec.name for spec in self.tous)
        self.affiches = tuple(spec.name for spec in fields if spec.repr)
        self.compares = tuple(spec.name for spec in fields if spec.compare)
        self.haches = tuple(
            spec.name for spec in fields if (spec.compare if spec.hash is None else spec.hash)
        )

    def lier(self, owner: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The arguments of ``__init__`` by field name, checked in the order and with the
        ``TypeError`` messages of Python for a generated ``__init__``."""
        values = dict(zip(self.positionnels, args, strict=False))
        for name, value in kwargs.items():
            if name not in self.noms:
                raise TypeError(f"{owner}.__init__() got an unexpected keyword argument {name!r}")
            if name in values:
                raise TypeError(f"{owner}.__init__() got multiple values for argument {name!r}")
            values[name] = value
        if len(args) > len(self.positionnels):
            raise TypeError(self._trop(owner, len(args), kwargs))
        for kw_only, kind in ((False, "positional"), (True, "keyword-only")):
            missing = [
                repr(spec.name)
                for spec in self.tous
                if spec.kw_only == kw_only
                and spec.name not in values
                and spec.default is dataclasses.MISSING
                and spec.default_factory is dataclasses.MISSING
            ]
            if missing:
                raise TypeError(
                    f"{owner}.__init__() missing {len(missing)} required {kind} "
                    f"argument{'s' if len(missing) > 1 else ''}: {_enumeration(missing)}"
                )
        return values

    def _trop(self, owner: str, given: int, kwargs: dict[str, Any]) -> str:
        """Python's message for too many positional arguments (``self`` counted)."""
        required = sum(
            1
            for spec in self.tous
            if not spec.kw_only
            and spec.default is dataclasses.MISSING
            and spec.default_factory is dataclasses.MISSING
        )
        most = len(self.positionnels) + 1
        signature = f"from {required + 1} to {most}" if required + 1 != most else str(most)
        keywords = sum(1 for spec in self.tous if spec.kw_only and spec.name in kwargs)
        also = (
            f" positional arguments (and {keywords} keyword-only "
            f"argument{'s' if keywords != 1 else ''})"
            if keywords
            else ""
        )
        return (
            f"{owner}.__init__() takes {signature} positional argument"
            f"{'s' if most != 1 else ''} but {given + 1}{also} were given"
        )


def _enumeration(names: list[str]) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b', and 'c'``: as Python lists missing arguments."""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + f", and {names[-1]}"


@dataclass_transform(frozen_default=True, field_specifiers=(champ, dataclasses.field))
class Schema:
    """Base of the YAML schemas: each subclass is a frozen dataclass (keyword-only fields:
    ``class X(Schema, kw_only=True)``), made so by this base, with no decorator.

    ``dataclass_transform`` tells type checkers so (fields declared with :func:`champ`);
    at run time :meth:`__init_subclass__` makes each subclass a dataclass, and the methods
    a frozen dataclass has (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, the
    refusal to assign or delete a field) are written once here instead of being generated
    for each class: ``@dataclass(frozen=True)`` compiles six functions for every class
    (~0.5 ms), and the Beancount plugins import some thirty schemas on every load. They
    behave as the generated ones: same signature rules, defaults and errors, same repr,
    equality (same class, fields compared in order), hash and ``FrozenInstanceError``."""

    __schema_champs__: ClassVar[_Champs]

    def __init_subclass__(cls, *, kw_only: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(cls, init=False, repr=False, eq=False, kw_only=kw_only)
        cls.__schema_champs__ = _Champs(dataclasses.fields(cls))  # type: ignore[arg-type]

    if not TYPE_CHECKING:  # type checkers know these from dataclass_transform

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            champs = type(self).__schema_champs__
            values = champs.lier(type(self).__qualname__, args, kwargs)
            for spec in champs.tous:
                if spec.name in values:
                    value = values[spec.name]
                elif spec.default is not dataclasses.MISSING:
                    value = spec.default
                else:
                    value = spec.default_factory()
                object.__setattr__(self, spec.name, value)
            self.__post_init__()

        def __setattr__(self, name: str, value: Any) -> None:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self, name: str) -> None:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in type(self).__schema_champs__.affiches
        )
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = type(self).__schema_champs__.compares
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in type(self).__schema_champs__.haches))

    def verifier(self) -> None:
        """Whole-object checks; raise ``ValueError`` with a French message."""

    def __post_init__(self) -> None:
        problems: list[tuple[Path_, str]] = []
        cls: type = type(self)
        for spec in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, spec.name)
            converted = _convert(_hints(cls)[spec.name], value, (spec.name,), problems, spec)
            if converted is not _INVALID and converted is not value:
                object.__setattr__(self, spec.name, converted)
        if not problems:
            try:
                self.verifier()
            except ValueError as exc:
                problems.append(((), str(exc)))
        if problems:
            raise ErreurSchema(problems)

    @classmethod
    def depuis(cls: type[S], data: Any, path: Path_ = ()) -> S:
        """Build from YAML data; raise :class:`ErreurSchema` with every problem found."""
        problems: list[tuple[Path_, str]] = []
        result = _build(cls, data, path, problems)
        if problems or result is _INVALID:
            raise ErreurSchema(problems or [(path, "valeur invalide")])
        return typing.cast(S, result)


_INVALID = object()


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _label(path: Path_) -> str:
    """``("projets", 1, "code")`` → ``projets[2].code`` (items counted from 1)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _problem(problems: list[tuple[Path_, str]], path: Path_, message: str) -> object:
    name = _label(path)
    problems.append((path, f"{name} : {message}" if name else message))
    return _INVALID


def _build(cls: type, data: Any, path: Path_, problems: list[tuple[Path_, str]]) -> Any:
    if isinstance(data, cls):
        return data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return _problem(problems, path, "doit être un ensemble de clés")
    fields = {spec.name: spec for spec in dataclasses.fields(cls)}
    hints = _hints(cls)
    values: dict[str, Any] = {}
    count = len(problems)
    for key in data:
        if key not in fields:
            problems.append(((*path, key), _unknown_key(str(key), list(fields))))
    for name, spec in fields.items():
        if name not in data:
            if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                where = f"{_label(path)} : " if path else ""
                problems.append(((*path, name), f"{where}« {name} » : champ obligatoire manquant"))
            continue
        converted = _convert(hints[name], data[name], (*path, name), problems, spec)
        if converted is not _INVALID:
            values[name] = converted
    if len(problems) > count:
        return _INVALID
    # The values are converted and checked: build the object without running the
    # checks of __post_init__ a second time, then run the whole-object check.
    obj: Any = object.__new__(cls)
    for name, spec in fields.items():
        if name in values:
            value = values[name]
        elif spec.default_factory is not dataclasses.MISSING:
            value = spec.default_factory()
        else:
            value = spec.default
        object.__setattr__(obj, name, value)
    try:
        obj.verifier()
    except ValueError as exc:
        message = f"{_label(path)} : {exc}" if path else str(exc)
        problems.append((path, message))
        return _INVALID
    return obj


def _unknown_key(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"clé inconnue « {key} » : vouliez-vous dire « {close[0]} » ?"
    return f"clé inconnue « {key} » (clés possibles : {', '.join(known)})"


def _convert(
    hint: Any,
    value: Any,
    path: Path_,
    problems: list[tuple[Path_, str]],
    spec: dataclasses.Field[Any] | None = None,
) -> Any:
    validator = spec.metadata.get(_VALIDATOR) if spec is not None else None
    if validator is not None and value is not None:
        try:
            value = validator(value)
        except ValueError as exc:
            return _problem(problems, path, str(exc))
    converted = _convert_type(hint, value, path, problems)
    minimum = spec.metadata.get(_MIN_LENGTH) if spec is not None else None
    if minimum and converted is not _INVALID and converted is not None and len(converted) < minimum:
        return _problem(problems, path, "ne doit pas être vide")
    return converted


def _convert_type(hint: Any, value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> Any:
    if hint is Any:
        return value  # checked by the schema's own code
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        others = [arg for arg in args if arg is not type(None)]
        return _convert_type(others[0] if len(others) == 1 else others, value, path, problems)
    if value is None:
        return _problem(problems, path, "valeur manquante")
    if origin is typing.Literal:
        if value in args:
            return value
        allowed = ", ".join(str(a) for a in args)
        message = f"valeur « {value} » non admise (valeurs possibles : {allowed})"
        return _problem(problems, path, message)
    if origin is list:
        if not isinstance(value, list):
            return _problem(problems, path, "doit être une liste")
        items = [_convert_type(args[0], item, (*path, i), problems) for i, item in enumerate(value)]
        return _INVALID if any(item is _INVALID for item in items) else items
    if origin is dict:
        if not isinstance(value, dict):
            return _problem(problems, path, "doit être un ensemble de clés")
        result = {}
        for key, item in value.items():
            result[str(key)] = _convert_type(args[1], item, (*path, str(key)), problems)
        return _INVALID if any(item is _INVALID for item in result.values()) else result
    if isinstance(hint, type) and issubclass(hint, Schema):
        return _build(hint, value, path, problems)
    return _scalar(hint, value, path, problems)


def _scalar(hint: Any, value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> Any:
    if hint is str:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(value)
        return _problem(problems, path, "doit être un texte")
    if hint is bool:
        if isinstance(value, bool):
            return value
        return _problem(problems, path, "doit être vrai ou faux (true / false)")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > ENTIER_MAXIMUM:
                return _problem(problems, path, f"nombre entier démesuré (valeur lue : {value})")
            return value
        return _problem(problems, path, f"doit être un nombre entier (valeur lue : {value!r})")
    if hint is Decimal:
        return _decimal(value, path, problems)
    if hint is datetime.date:
        day = date_iso(value)
        if day is not None:
            return day
        return _problem(problems, path, f"doit être une date AAAA-MM-JJ (valeur lue : {value!r})")
    if hint is Any:
        return value
    raise TypeError(f"type de champ non géré : {hint!r}")  # a bug in a schema, not user input


ENTIER_MAXIMUM = 100_000
"""Largest whole number (days, months, counts) in a side file: beyond, dates overflow."""

NOMBRE_MAXIMUM = Decimal(10) ** 12
"""Largest absolute number accepted in a side file (a thousand billion): beyond, a
typo (``1e30``, a pasted IBAN) rather than an amount or a rate."""


_NOT_PLAIN = re.compile(r"[+-]?(\d[\d_]*(\.\d*)?e[+-]?\d+|\.?(inf|infinity|nan))")


def _decimal(value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> Any:
    number = lire_decimal(value)
    if number is None and isinstance(value, str) and _NOT_PLAIN.fullmatch(value.strip().lower()):
        return _problem(
            problems,
            path,
            f"nombre « {value.strip()} » refusé : écrivez-le en chiffres, sans exposant ni "
            "infini (ex. 1234.50)",
        )
    if number is None:
        return _problem(
            problems, path, f"doit être un nombre (ex. 1234.50) (valeur lue : {value!r})"
        )
    if abs(number) >= NOMBRE_MAXIMUM:
        return _problem(problems, path, f"nombre démesuré (valeur lue : {value})")
    return number


def valider_motif(motif: str, message: str) -> Callable[[object], str]:
    """A field validator of a text that matches ``motif`` once stripped, else ValueError
    ``message`` (its ``{}`` stands for the text read)::

        reference: str = champ(valider=valider_motif(r"^\\S+$", "référence « {} » invalide"))
    """
    pattern = re.compile(motif)

    def valider(value: object) -> str:
        text = str(value).strip()
        if not pattern.match(text):
            raise ValueError(message.format(text))
        return text

    return valider


def valider_entier(
    minimum: int, maximum: int | None, message: str, *, entier_exige: bool = True
) -> Callable[[object], object]:
    """A field validator of a whole number from ``minimum`` to ``maximum`` (None: no
    maximum), else ValueError ``message`` (its ``{}`` or ``{!r}`` stands for the value
    read). With ``entier_exige=False`` a value that is not a whole number passes, for the
    schema's type check to name it."""

    def valider(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            if entier_exige:
                raise ValueError(message.format(value))
            return value
        if value < minimum or (maximum is not None and value > maximum):
            raise ValueError(message.format(value))
        return value

    return valider


def valider_compte(exemple: str) -> Callable[[object], str]:
    """A field validator of an account: a number (such as ``exemple``) or a full name."""

    def valider(value: object) -> str:
        text = str(value).strip()
        if text.isdigit() or (":" in text and " " not in text):
            return text
        raise ValueError(
            f"numéro de compte (ex. {exemple}) ou nom de compte complet attendu, lu « {text} »"
        )

    return valider


def valider_montant(value: Any) -> Any:
    """Field validator of an amount in euros: at most two decimals, so that ``2.400``
    (2 400 € with a thousands separator, read as 2,40 €) is refused with a hint."""
    number = lire_decimal(value)
    exponent = number.as_tuple().exponent if number is not None else 0
    if number is None or not isinstance(exponent, int) or exponent >= -2:
        return value
    written = str(value).strip()
    message = f"montant « {written} » refusé : un montant a au plus deux décimales"
    if exponent == -3:  # a thousands separator, or three decimals?
        thousands = number.scaleb(3).to_integral_value()
        cents = to_cent(number, ROUND_HALF_EVEN)
        message = (
            f"montant « {written} » ambigu : pour {montant(thousands)}, écrivez {thousands} "
            f"(sans séparateur de milliers) ; pour {montant(cents)}, écrivez {cents} (deux "
            "décimales au plus)"
        )
    raise ValueError(message)


def validate(document: YamlDocument, model: type[S]) -> tuple[S | None, list[SourceError]]:
    """Validate a YAML document against a schema; French errors at their lines."""
    try:
        return model.depuis(document.data), []
    except ErreurSchema as exc:
        errors = [
            SourceError(Location(document.filename, document.line_of(path)), message)
            for path, message in exc.problems
        ]
        errors.sort(key=lambda error: error.location.line)
        return None, errors


def charger_fichier(
    path: Any, model: type[S], nom: str, racine: str
) -> tuple[YamlDocument | None, S | None, list[SourceError]]:
    """Read a YAML side file and validate it against ``model``: (document, data, errors).

    ``data`` is None when the file cannot be read or breaks the schema; a file whose top
    level is not a mapping is refused with « le fichier des {nom} doit commencer par
    « {racine}: » »."""
    try:
        document = load_yaml(path)
    except SourceError as problem:
        return None, None, [problem]
    if document.data is not None and not isinstance(document.data, dict):
        message = f"le fichier des {nom} doit commencer par « {racine}: »"
        return document, None, [SourceError(document.location(), message)]
    data, errors = validate(document, model)
    return document, data, errors


def sans_doublons(
    document: YamlDocument,
    items: Sequence[T],
    chemin: tuple[str, str],
    cle: Callable[[T], str],
    message: str,
    errors: list[SourceError],
) -> Iterator[tuple[int, T]]:
    """The items of list ``chemin[0]`` with their index, but those whose ``cle`` was seen
    before: for each of those, an error at its field ``chemin[1]``, ``message`` formatted
    with the key (« flux « {} » déclaré deux fois »)."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = cle(item)
        if key in seen:
            location = document.location((chemin[0], index, chemin[1]))
            errors.append(SourceError(location, message.format(key)))
            continue
        seen.add(key)
        yield index, item
