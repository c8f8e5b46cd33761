"""List the public top-level names defined in more than one module of communs_ledger.

Usage: ``python scripts/noms_publics.py [src/communs_ledger]``. Prints one line per
name (the modules defining it) and the count; exits 0 (a report, not a check).
Counts functions and classes only (``def``, ``async def``, ``class``), not constants
or imported names. Names in :data:`ONE_INTERFACE` are left out: the same meaning
implemented once per module, on purpose.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

# name → (package whose modules may all define it, why): one interface implemented
# per module, so the same name means the same thing everywhere it is defined.
ONE_INTERFACE: dict[str, tuple[str, str]] = {
    "render": (
        "communs_ledger.rendu",
        "each renderer module renders its input in its format; rendu.render picks one",
    ),
    "dumps": ("communs_ledger.rendu", "each text renderer module returns its format as a string"),
}


def public_definitions(path: Path) -> list[str]:
    """The public function and class names defined at the top level of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return [
        node.name for node in tree.body if isinstance(node, kinds) and not node.name.startswith("_")
    ]


def _one_interface(name: str, module: str) -> bool:
    package = ONE_INTERFACE.get(name, ("", ""))[0]
    return bool(package) and module.startswith(f"{package}.")


def duplicates(root: Path) -> dict[str, list[str]]:
    """Each name defined in several modules under ``root`` → those modules (dotted)."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        for name in public_definitions(path):
            if not _one_interface(name, module):
                found[name].append(module)
    return {name: modules for name, modules in sorted(found.items()) if len(modules) > 1}


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "src/communs_ledger")
    names = duplicates(root)
    for name, modules in names.items():
        print(f"{name}: {', '.join(modules)}")
    print(f"{len(names)} public names defined in more than one module")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
