"""Validation of the users' YAML files with pydantic, errors in French with their line.

Every schema derives from :class:`Schema` (unknown keys refused, so a typo in
a key is reported instead of silently ignored). :func:`validate` turns
pydantic's errors into :class:`SourceError` objects whose line comes from the
:class:`~communs_ledger.yaml_lignes.YamlDocument`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from .sources import Location, SourceError
from .yaml_lignes import YamlDocument


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


M = TypeVar("M", bound=BaseModel)

_MESSAGES: dict[str, str] = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "clé inconnue",
    "string_type": "doit être un texte",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "decimal_type": "doit être un montant (ex. 1234.50)",
    "decimal_parsing": "doit être un montant (ex. 1234.50)",
    "decimal_max_places": "au plus {decimal_places} décimales",
    "float_type": "doit être un nombre",
    "float_parsing": "doit être un nombre",
    "bool_type": "doit être vrai ou faux (true / false)",
    "bool_parsing": "doit être vrai ou faux (true / false)",
    "date_type": "doit être une date AAAA-MM-JJ",
    "date_parsing": "doit être une date AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date AAAA-MM-JJ",
    "date_from_datetime_inexact": "doit être une date AAAA-MM-JJ, sans heure",
    "list_type": "doit être une liste",
    "dict_type": "doit être un ensemble de clés",
    "model_type": "doit être un ensemble de clés",
    "model_attributes_type": "doit être un ensemble de clés",
    "string_too_short": "ne doit pas être vide",
    "too_short": "doit contenir au moins {min_length} élément(s)",
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "literal_error": "valeur non admise (valeurs possibles : {expected})",
    "enum": "valeur non admise (valeurs possibles : {expected})",
    "string_pattern_mismatch": "format invalide",
}


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if not isinstance(part, int)]
    return ".".join(parts)


def french_message(error: dict[str, Any]) -> str:
    """A French message for one pydantic error."""
    kind = error["type"]
    loc = tuple(error.get("loc", ()))
    name = _field_name(loc)
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return f"{name} : {message}" if name else message
    template = _MESSAGES.get(kind)
    if template is None:
        text = error["msg"]
    else:
        ctx = {key: value for key, value in (error.get("ctx") or {}).items()}
        if "expected" in ctx:
            ctx["expected"] = str(ctx["expected"]).replace(" or ", " ou ")
        try:
            text = template.format(**ctx)
        except (KeyError, IndexError):
            text = template
    if kind == "extra_forbidden":
        return f"clé inconnue « {loc[-1]} »"
    if kind == "missing":
        return f"« {loc[-1]} » : champ obligatoire manquant"
    value = error.get("input")
    shown = (
        f" (valeur lue : {value!r})"
        if isinstance(value, (str, int)) and kind not in ("missing",)
        else ""
    )
    return f"{name} : {text}{shown}" if name else f"{text}{shown}"


def validate(document: YamlDocument, model: type[M]) -> tuple[M | None, list[SourceError]]:
    """Validate a YAML document against a schema; French errors with their lines."""
    data = document.data if document.data is not None else {}
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            loc = tuple(error.get("loc", ()))
            if error["type"] == "missing":
                line = document.line_of(loc[:-1])
            else:
                line = document.line_of(loc)
            errors.append(SourceError(Location(document.filename, line), french_message(error)))
        errors.sort(key=lambda e: e.location.line)
        return None, errors
