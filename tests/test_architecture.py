"""The import graph of ``src/communs_ledger`` keeps the layers of docs/developpement.md.

The graph is read with :mod:`ast` (nothing is imported): every ``import`` and
``from … import`` of a communs module, at module level, inside functions and under
``if TYPE_CHECKING:`` alike, relative imports resolved. It must have:

- no cycle between modules;
- no cycle between packages (the kernel counts as one package);
- no import from a kernel module to anything but the kernel;
- features that import only the kernel and other features;
- a core (kernel and features) that never imports rich, typer, flask, fava, openpyxl
  nor jinja2.

Every failure lists the offending imports as ``importer:line -> imported``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import communs_ledger

PACKAGE = "communs_ledger"
SOURCE = Path(communs_ledger.__file__).resolve().parent

KERNEL = frozenset(
    {
        "acces_exclusif",
        "ajout",
        "balisage",
        "cache",
        "chargement",
        "chargement_impossible",
        "codes",
        "config",
        "contexte",
        "dates",
        "disk_cache",
        "ecriture",
        "erreurs",
        "exercices",
        "formatage",
        "gc_pause",
        "messages_beancount",
        "montants",
        "mouvements",
        "plan",
        "registre",
        "result_cache",
        "schemas",
        "sources",
        "texte_beancount",
        "yaml_lignes",
    }
)
"""The kernel: the top-level modules of the package (``communs_ledger/*.py``)."""
ENTRY = frozenset({PACKAGE, f"{PACKAGE}.__main__"})
"""The package itself and ``python -m communs_ledger``: above everything."""
FEATURES = frozenset(
    {
        "analytique",
        "assemblee",
        "budget",
        "cloture",
        "comptes_annuels",
        "conventions",
        "dons",
        "fec",
        "fonds_dedies",
        "immobilisations",
        "importation",
        "modele_economique",
        "partage",
        "previsions",
        "rapports",
        "saisie",
    }
)
APPLICATION = frozenset({"application"})
"""What ties the features together (the whole communs.yaml schema, ``communs init``…)."""
PRESENTATION = frozenset({"cli", "fava_ext", "rendu"})
NOYAU = "noyau"
"""The name of the kernel as a package of the graph."""
FORBIDDEN_IN_CORE = ("rich", "typer", "flask", "fava", "openpyxl", "jinja2")
READING_SPREADSHEETS = frozenset({("communs_ledger.importation.lecture", "openpyxl")})
"""The one use of these libraries the core may make: reading a bank statement in XLSX
(an input format, not a presentation), imported inside the function that reads it."""


@dataclass(frozen=True, slots=True, order=True)
class Edge:
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} -> {self.imported}"


@cache
def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        parts = [PACKAGE, *path.relative_to(SOURCE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, path.name == "__init__.py"


def _function_level(path: Path) -> set[int]:
    """The lines of the imports written inside a function."""
    lines = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.add(inner.lineno)
    return lines


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _known(name: str) -> str | None:
    """The module of the package a dotted name designates (a name inside a module
    designates the module)."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


@cache
def edges() -> tuple[Edge, ...]:
    """Every import of a communs module by another one. Imports of the package itself
    (``import communs_ledger`` for its version) are left out: every module imports it
    implicitly anyway."""
    found: set[Edge] = set()
    for module, path in modules().items():
        for node, is_package in _imports(path):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _absolute(node, module, is_package)
                targets = [base]
                targets += [
                    f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules()
                ]
            for target in targets:
                if target != PACKAGE and not target.startswith(f"{PACKAGE}."):
                    continue
                imported = _known(target)
                if imported and imported not in (module, PACKAGE):
                    found.add(Edge(module, imported, node.lineno))
    return tuple(sorted(found))


def package_of(module: str) -> str:
    """The package of the graph a module belongs to: ``noyau`` for the kernel."""
    if module in ENTRY:
        return "entree"
    parts = module.split(".")
    if len(parts) == 2 and not (SOURCE / parts[1]).is_dir():
        return NOYAU
    return parts[1]


def _cycles(nodes: Iterable[str], links: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(links.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return components


def _listed(edges_: Iterable[Edge]) -> str:
    return "\n".join(f"  {edge}" for edge in edges_)


def test_every_top_level_module_is_classified() -> None:
    """A new top-level module is kernel (listed in KERNEL) or goes in a package."""
    top = {name for name in modules() if name.count(".") == 1 and package_of(name) == NOYAU}
    unknown = sorted(name.split(".")[1] for name in top if name.split(".")[1] not in KERNEL)
    assert not unknown, f"modules du noyau absents de KERNEL : {unknown}"
    packages = {package_of(name) for name in modules()} - {NOYAU, "entree"}
    assert packages <= FEATURES | APPLICATION | PRESENTATION, packages


def test_no_module_cycle() -> None:
    links: dict[str, set[str]] = defaultdict(set)
    for edge in edges():
        links[edge.importer].add(edge.imported)
    cycles = _cycles(modules(), links)
    offending = [
        edge
        for cycle in cycles
        for edge in edges()
        if edge.importer in cycle and edge.imported in cycle
    ]
    assert not cycles, "cycles d'importation entre modules :\n" + _listed(offending)


def test_no_package_cycle() -> None:
    links: dict[str, set[str]] = defaultdict(set)
    between: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for edge in edges():
        source, target = package_of(edge.importer), package_of(edge.imported)
        if source != target:
            links[source].add(target)
            between[source, target].append(edge)
    cycles = _cycles(links, links)
    lines = []
    for cycle in cycles:
        lines.append(f"  {' , '.join(cycle)} :")
        for (source, target), found in sorted(between.items()):
            if source in cycle and target in cycle:
                shown = ", ".join(str(edge) for edge in found[:3])
                more = f" (+{len(found) - 3})" if len(found) > 3 else ""
                lines.append(f"    {source} -> {target} : {shown}{more}")
    assert not cycles, "cycles entre paquets :\n" + "\n".join(lines)


def test_kernel_imports_only_the_kernel() -> None:
    offending = [
        edge
        for edge in edges()
        if package_of(edge.importer) == NOYAU and package_of(edge.imported) != NOYAU
    ]
    assert not offending, "le noyau importe hors du noyau :\n" + _listed(offending)


def test_features_import_only_the_kernel_and_features() -> None:
    allowed = FEATURES | {NOYAU}
    offending = [
        edge
        for edge in edges()
        if package_of(edge.importer) in FEATURES and package_of(edge.imported) not in allowed
    ]
    assert not offending, (
        "une fonctionnalité importe la présentation ou l'application :\n" + _listed(offending)
    )


def test_core_imports_no_presentation_library() -> None:
    offending = []
    for module, path in modules().items():
        if package_of(module) not in FEATURES | {NOYAU}:
            continue
        lazy = _function_level(path)
        for node, _ in _imports(path):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if not node.level
                else []
            )
            for name in names:
                library = name.split(".")[0]
                if library not in FORBIDDEN_IN_CORE:
                    continue
                if (module, library) in READING_SPREADSHEETS and node.lineno in lazy:
                    continue
                offending.append(Edge(module, name, node.lineno))
    assert not offending, (
        "le cœur (noyau et fonctionnalités) importe une bibliothèque de présentation :\n"
        + _listed(sorted(offending))
    )
