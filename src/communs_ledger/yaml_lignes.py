"""Safe YAML loading that remembers the line of every key and item.

PyYAML's safe loader forgets positions; users need ``file:line`` in errors.
We compose the node graph with the safe loader (no arbitrary tags), then build
plain Python values ourselves, recording for each path (tuple of keys and list
indexes) the line where it starts. Duplicate keys are an error (PyYAML keeps
the last one silently), and decimal numbers become :class:`decimal.Decimal`
from their written form, never floats.

Hostile or mistaken input is refused before it can cost memory or leak English:
anchors and aliases (``&nom`` / ``*nom``, the « billion laughs » bomb) are refused
while the text is parsed, before any node is expanded; only the standard tags of
plain data are accepted (``!!python/object`` and the like are refused); an
impossible date (``2025-09-31``), an infinite or exponent number (``.inf``,
``1.0e+30``) and PyYAML's syntax errors become French messages at their line.

A file parsed once is not parsed again while its text is unchanged: the result (data and
lines) is kept in communs-ledger's cache folder (:mod:`.disk_cache`, kind ``yaml``), keyed
on the digest of the text, the name errors show, the version of this code and PyYAML's
(:func:`cached_parse`). A hit imports no YAML parser: the Beancount plugins read
``communs.yaml`` and the budget files on every load of the ledger. Only files that parse
without error are kept, so every error is produced, word for word, by the parser.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from . import __version__, disk_cache
from .sources import Location, SourceError, display_path

if TYPE_CHECKING:
    import yaml

_Loader: Any = None
"""PyYAML's loader class (libyaml's when available), set by :func:`_parser` on the first
parse (PyYAML is imported only when a file is not in the cache)."""
_Path = tuple[str | int, ...]
T = TypeVar("T")


def _parser() -> None:
    """Import PyYAML (module global ``yaml``) and choose the loader, once."""
    global yaml, _Loader
    import yaml

    if _Loader is None:
        _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


CACHE_KIND = "yaml"
CACHE_ENTRIES = 500
"""Entries kept in the cache folder (the oldest are removed when a new one is written)."""
_code_digest: bytes | None = None


def _code_version() -> bytes:
    """What the cached results depend on besides the text: this module's source (the
    builder), communs-ledger's version, Python's and PyYAML's (:func:`_pyyaml_version`)."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256(Path(__file__).read_bytes())
        digest.update(f"{__version__}\0{sys.version}\0{_pyyaml_version()}".encode())
        _code_digest = digest.digest()
    return _code_digest


def _pyyaml_version() -> str:
    """The installed PyYAML, without importing it (a hit of the cache imports no parser):
    the name of its ``dist-info`` folder beside the package (``pyyaml-6.0.2.dist-info``),
    found in about 0.5 ms once per process, where importing ``importlib.metadata`` takes
    30 ms or more (PyYAML itself: 10 ms)."""
    import importlib.util

    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return "absent"
    return _version_beside(Path(spec.origin).parent)


def _version_beside(package: Path) -> str:
    """The PyYAML ``dist-info`` (or Debian's ``egg-info``) folders beside ``package``;
    none found (an unusual install), the size and date of the package's files."""
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(package.parent)
            if entry.name.lower().startswith("pyyaml-")
            and entry.name.endswith((".dist-info", ".egg-info"))
        )
    except OSError:
        names = []
    if names:
        return " ".join(names)
    try:
        files = sorted(os.scandir(package), key=lambda entry: entry.name)
        return " ".join(
            f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}" for e in files if e.is_file()
        )
    except OSError:
        return "inconnue"


def cached_parse(kind: str, filename: str, text: str, parse: Callable[[], T]) -> T:
    """``parse()`` (which reads ``text``, errors naming ``filename``), or its result kept
    in the cache folder for the same ``kind``, name and text. A parse that raises is not
    kept; the caches off (``COMMUNS_SANS_CACHE``), it simply runs."""
    folder = disk_cache.cache_folder(CACHE_KIND)
    if folder is None:
        return parse()
    key = hashlib.sha256(_code_version())
    for part in (kind, filename, text):
        key.update(part.encode("utf-8", "surrogatepass"))
        key.update(b"\0")
    path = folder / f"{key.hexdigest()}.pickle"
    found = disk_cache.read_entry(path)
    if isinstance(found, tuple) and len(found) == 1:
        return cast(T, found[0])
    value = parse()
    disk_cache.write_entry(path, (value,))
    disk_cache.prune(folder, CACHE_ENTRIES)
    return value


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


_TAG_PREFIX = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(
    _TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAX_DEPTH = 40
"""Nesting our files never need (budget profiles are ~6 deep); deeper is refused."""


def _tag_label(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG_PREFIX) if tag.startswith(_TAG_PREFIX) else tag


class _Builder:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.lines: dict[_Path, int] = {}
        self.scalar_constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()  # collection nodes built (an alias would repeat one)

    def error(self, node: yaml.Node, message: str) -> SourceError:
        return SourceError(Location(self.filename, node.start_mark.line + 1), message)

    def refuse_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise self.error(
                node,
                f"étiquette YAML « {_tag_label(node.tag)} » refusée : ce fichier n'admet que "
                "des textes, des nombres, des dates, des listes et des clés",
            )

    def build(self, node: yaml.Node, path: _Path) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if len(path) > _MAX_DEPTH:
            raise self.error(node, f"imbrication trop profonde (plus de {_MAX_DEPTH} niveaux)")
        if isinstance(node, yaml.CollectionNode):
            # Second guard behind _refuse_anchors: never expand a shared node.
            if id(node) in self.seen:
                raise self.error(node, "les ancres et alias YAML (&nom, *nom) ne sont pas acceptés")
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            self.refuse_tag(node, _TAG_PREFIX + "map")
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise SourceError(
                        Location(self.filename, key_node.start_mark.line + 1),
                        "les fusions YAML (<<) ne sont pas acceptées",
                    )
                key = self.build_scalar(key_node, path)
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
            self.refuse_tag(node, _TAG_PREFIX + "seq")
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self.build_scalar(node, path)

    def build_scalar(self, node: yaml.Node, path: _Path = ()) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return self.build(node, (*path, "?"))
        if node.tag in (_TAG_PREFIX + "value", _TAG_PREFIX + "merge") and node.value in "=<<":
            return node.value  # « = » or « << » as a plain value: a text
        if node.tag not in _PLAIN_TAGS:
            self.refuse_tag(node, _TAG_PREFIX + "str")
        if node.tag == _TAG_PREFIX + "float":
            return self.build_number(node)
        try:
            return self.scalar_constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            if node.tag == _TAG_PREFIX + "timestamp":
                raise self.error(
                    node,
                    f"date impossible « {node.value} » : ce jour n'existe pas dans le "
                    "calendrier (format AAAA-MM-JJ)",
                ) from None
            raise self.error(node, f"valeur illisible « {node.value} »") from None

    def build_number(self, node: yaml.Node) -> Decimal:
        text = node.value.replace("_", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or "e" in text.lower():
            raise self.error(
                node,
                f"nombre « {node.value} » refusé : écrivez-le en chiffres, sans exposant ni "
                "infini (ex. 1234.50)",
            )
        return number


def read_text_file(path: str | Path, filename: str | None = None) -> str:
    """The UTF-8 text of a side file; :class:`SourceError` in French when it cannot be read
    (``filename``: the name errors show)."""
    filename = filename or display_path(path)
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(Location(filename), "fichier introuvable") from None
    except UnicodeDecodeError:
        raise SourceError(
            Location(filename), "fichier illisible : il doit être encodé en UTF-8"
        ) from None
    except IsADirectoryError:
        raise SourceError(Location(filename), "c'est un dossier, pas un fichier") from None
    except PermissionError:
        raise SourceError(Location(filename), "lecture du fichier non autorisée") from None
    except OSError:
        raise SourceError(Location(filename), "fichier illisible") from None


_A_ECHAPPER = re.compile(r"[\x00-\x1f\x7f-\x9f\\\"\u2028\u2029\ufeff]")
"""What a YAML double-quoted scalar cannot hold as written: the quote and backslash, the
controls and line separators (folded or refused by the reader) and the BOM."""


def chaine_yaml(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that :func:`load_yaml` reads back exactly,
    whatever it holds (a file name with « " », « \\ » or a newline)."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return "\\" + char if char in '\\"' else f"\\u{ord(char):04x}"

    return '"' + _A_ECHAPPER.sub(escape, text) + '"'


def load_yaml(
    path: str | Path, text: str | None = None, *, filename: str | None = None
) -> YamlDocument:
    """Load a YAML file safely, keeping lines. Raises :class:`SourceError` in French.

    ``text`` gives the content instead of reading ``path``; ``filename`` the name
    errors show (e.g. ``HEAD:budgets/2026.yaml`` for a file read from Git).
    """
    filename = filename or display_path(path)
    if text is None:
        text = read_text_file(path, filename)
    content = text
    return cached_parse("lignes", filename, text, lambda: _parse(content, filename))


def _parse(text: str, filename: str) -> YamlDocument:
    """:func:`load_yaml` without the cache."""
    _parser()
    try:
        _refuse_anchors(text, filename)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        quote = _open_quote(text, exc)
        if quote is not None:
            raise SourceError(
                Location(filename, quote[0]),
                f"YAML invalide : guillemet ouvert ici et fermé seulement ligne {quote[1]} "
                "(guillemet fermant manquant ?)",
            ) from None
        raise SourceError(Location(filename, _error_line(exc)), _french_error(exc, text)) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        raise SourceError(
            Location(filename, line),
            f"YAML invalide : caractère de contrôle interdit (U+{code:04X})",
        ) from None
    except yaml.YAMLError:
        raise SourceError(Location(filename), "YAML invalide") from None
    except RecursionError:
        raise SourceError(
            Location(filename), f"imbrication trop profonde (plus de {_MAX_DEPTH} niveaux)"
        ) from None
    if node is None:
        return YamlDocument(filename, None, {(): 1})
    builder = _Builder(filename)
    data = builder.build(node, ())
    return YamlDocument(filename, data, builder.lines)


_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,?:\ufeff-])[&*][^\s,\[\]{}]", re.M)
"""Where an anchor or alias may be: ``&`` or ``*`` then a name, at a token start."""


def _refuse_anchors(text: str, filename: str) -> None:
    """Refuse anchors and aliases while parsing, before the composer links any node.

    Our files never need them, and an alias bomb (« billion laughs ») would
    expand exponentially when the nodes are turned into values. The event scan
    only runs when the text holds ``&`` or ``*`` where a token may start (a text such
    as ``R&D`` or ``"*urgent*"`` does not trigger it)."""
    if ("&" not in text and "*" not in text) or _MAYBE_ANCHOR.search(text) is None:
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            written = f"*{event.anchor}"
        elif (anchor := getattr(event, "anchor", None)) is not None:
            written = f"&{anchor}"
        else:
            continue
        mark: Any = event.start_mark  # always set by the parser
        raise SourceError(
            Location(filename, mark.line + 1),
            f"« {written} » : les ancres et alias YAML (&nom, *nom) ne sont pas acceptés ; "
            "recopiez la valeur à chaque endroit (ou mettez le texte entre guillemets)",
        )


def _open_quote(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int] | None:
    """(start, end) lines of a quoted text that spans lines and ends on the error's line:
    a missing closing quote, whose text ran to the next quote of the file."""
    mark = exc.problem_mark
    if mark is None:
        return None
    found = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.line > mark.line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == mark.line
            ):
                found = (token.start_mark.line + 1, token.end_mark.line + 1)
    except yaml.YAMLError:
        pass
    return found


_AT_CONTEXT = ("while scanning a quoted scalar", "while scanning a simple key")
"""Errors whose useful line is where the construct starts (the opening quote, the key
without « : »), not where the scanner gave up (often the end of the file)."""


def _error_line(exc: yaml.MarkedYAMLError) -> int:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and (exc.context or "").startswith(_AT_CONTEXT):
        mark = exc.context_mark
    return mark.line + 1 if mark else 0


def _french_error(exc: yaml.MarkedYAMLError, text: str) -> str:
    context = exc.context or ""
    problem = exc.problem or ""
    if context.startswith(("while scanning a quoted scalar", "while parsing a quoted scalar")):
        if "end of stream" in problem:
            return "YAML invalide : guillemet ouvert ici et jamais fermé"
        if "escape" in problem:
            return (
                "YAML invalide : séquence « \\ » inconnue entre guillemets doubles (doublez la "
                "barre \\\\ ou utilisez des guillemets simples)"
            )
    if context.startswith("expected a single document"):
        return "YAML invalide : un seul document par fichier (retirez la ligne « --- »)"
    return f"YAML invalide : {_french_problem(problem, _character_at(text, exc.problem_mark))}"


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
    "did not find expected ',' or ']'": "liste entre crochets non fermée (« ] » manquant ?)",
    "expected ',' or ']'": "liste entre crochets non fermée (« ] » manquant ?)",
    "did not find expected ',' or '}'": "accolade non fermée (« } » manquant ?)",
    "expected ',' or '}'": "accolade non fermée (« } » manquant ?)",
    "found unknown escape character": "séquence « \\ » inconnue entre guillemets doubles",
    "did not find expected comment or line break": "texte inattendu après « | » ou « > »",
    "expected chomping or indentation indicators": "texte inattendu après « | » ou « > »",
    "found unknown directive name": "directive « % » inconnue (mettez la valeur entre guillemets)",
    "found a tab character": "tabulation interdite : indentez avec des espaces",
    "found incompatible YAML document": "version de YAML non prise en charge",
    "exceeded maximum nesting depth": "imbrication trop profonde",
}


def _character_at(text: str, mark: Any) -> str:
    """The character a YAML error points at ("" if unknown)."""
    if mark is None:
        return ""
    lines = text.splitlines()
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        character: str = lines[mark.line][mark.column]
        return character
    return ""


def _french_problem(problem: str, character: str = "") -> str:
    # libyaml (CSafeLoader) does not name the character, unlike the pure-Python loader.
    if problem.startswith("found character") and problem.endswith("cannot start any token"):
        if character == "\t":
            return _PROBLEMS["found character '\\t' that cannot start any token"]
        if character:
            return f"caractère « {character} » inattendu (mettez la valeur entre guillemets)"
        return "caractère inattendu (mettez la valeur entre guillemets)"
    for english, french in _PROBLEMS.items():
        if problem.startswith(english):
            return french
    return "syntaxe incorrecte"
