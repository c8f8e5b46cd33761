"""Safe YAML loading that remembers the line of every key and item.

PyYAML's safe loader forgets positions; users need ``file:line`` in errors.
We compose the node graph with the safe loader (no arbitrary tags), then build
plain Python values ourselves, recording for each path (tuple of keys and list
indexes) the line where it starts. Duplicate keys are an error (PyYAML keeps
the last one silently), and decimal numbers become :class:`decimal.Decimal`
from their written form, never floats.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .sources import Location, SourceError, display_path

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Path = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A loaded YAML file: its data and the line of each path in it."""

    filename: str
    data: Any
    lines: dict[_Path, int] = field(default_factory=dict)

    def line_of(self, path: _Path) -> int:
        """Line of the deepest known prefix of ``path`` (1-based; 0 if unknown)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 0)

    def location(self, path: _Path = ()) -> Location:
        return Location(self.filename, self.line_of(path))


class _Builder:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.lines: dict[_Path, int] = {}
        self.scalar_constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: _Path) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise SourceError(
                        Location(self.filename, key_node.start_mark.line + 1),
                        "les fusions YAML (<<) ne sont pas acceptées",
                    )
                key = self.build_scalar(key_node)
                if isinstance(key, (dict, list)):
                    raise SourceError(
                        Location(self.filename, key_node.start_mark.line + 1),
                        "une clé doit être un texte simple",
                    )
                if isinstance(key, Decimal | int | datetime.date):
                    key = str(key_node.value)
                if key in result:
                    raise SourceError(
                        Location(self.filename, key_node.start_mark.line + 1),
                        f"clé « {key} » en double",
                    )
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.build_scalar(node)

    def build_scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return self.build(node, ())
        if node.tag == "tag:yaml.org,2002:float":
            try:
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return node.value
        try:
            return self.scalar_constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise SourceError(
                Location(self.filename, node.start_mark.line + 1), f"valeur illisible : {exc}"
            ) from None


def load_yaml(
    path: str | Path, text: str | None = None, *, filename: str | None = None
) -> YamlDocument:
    """Load a YAML file safely, keeping lines. Raises :class:`SourceError` in French.

    ``text`` gives the content instead of reading ``path``; ``filename`` the name
    errors show (e.g. ``HEAD:budgets/2026.yaml`` for a file read from Git).
    """
    filename = filename or display_path(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SourceError(Location(filename), "fichier introuvable") from None
        except UnicodeDecodeError:
            raise SourceError(
                Location(filename), "fichier illisible : il doit être encodé en UTF-8"
            ) from None
        except OSError as exc:
            raise SourceError(Location(filename), f"fichier illisible : {exc.strerror}") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = _french_problem(exc.problem or str(exc), _character_at(text, mark))
        raise SourceError(Location(filename, line), f"YAML invalide : {problem}") from None
    except yaml.YAMLError as exc:
        raise SourceError(Location(filename), f"YAML invalide : {exc}") from None
    if node is None:
        return YamlDocument(filename, None, {(): 1})
    builder = _Builder(filename)
    data = builder.build(node, ())
    return YamlDocument(filename, data, builder.lines)


_PROBLEMS = {
    "mapping values are not allowed": "« : » inattendu (indentation ou guillemets manquants ?)",
    "could not find expected ':'": "« : » manquant après une clé",
    "found character '\\t' that cannot start any token": (
        "tabulation interdite : indentez avec des espaces"
    ),
    "expected <block end>, but found": "indentation incohérente",
    "found undefined alias": "alias YAML (*nom) inconnu",
    "did not find expected node content": "valeur attendue (liste ou texte mal formé ?)",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "did not find expected key": "indentation incohérente ou clé manquante",
    "did not find expected '-' indicator": "élément de liste mal indenté",
    "found duplicate anchor": "ancre YAML en double",
}


def _character_at(text: str, mark: Any) -> str:
    """The character a YAML error points at ("" if unknown)."""
    if mark is None:
        return ""
    lines = text.splitlines()
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _french_problem(problem: str, character: str = "") -> str:
    # libyaml (CSafeLoader) does not name the character, unlike the pure-Python loader.
    if problem.startswith("found character") and problem.endswith("cannot start any token"):
        if character == "\t":
            return _PROBLEMS["found character '\\t' that cannot start any token"]
        if character:
            return f"caractère « {character} » inattendu (mettez la valeur entre guillemets)"
    for english, french in _PROBLEMS.items():
        if problem.startswith(english):
            return french
    return problem
