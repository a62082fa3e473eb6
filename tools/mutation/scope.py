"""Which modes of the suite exercise a module of `mikey`: the modes whose state machines
(or, for `codec`, whose decoder) import it, directly or through other modules.

A mutant of a module is judged by the tests of those modes only; the import graph is
read from the source (ast), so a new module or import needs no table update. Only a
new mode needs a MODE_ROOTS entry.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

MODE_ROOTS: dict[str, tuple[str, ...]] = {
    "PSK": ("mikey.modes.psk",),
    "PK": ("mikey.modes.pk_initiator", "mikey.modes.pk_responder"),
    "DH": ("mikey.modes.dh",),
    "DH-HMAC": ("mikey.modes.dhhmac",),
    "RSA-R": ("mikey.modes.rsar_initiator", "mikey.modes.rsar_responder"),
    "SAKKE": ("mikey.modes.sakke_initiator", "mikey.modes.sakke_responder"),
    "codec": ("mikey.wire",),
}
"""Per mode of `mikeyconf run --mode`: the modules the builtin SUT runs it with
(suts/builtin_modes.py binds the state machines; the decoder is mikey.wire)."""


def module_name(root: Path, path: Path) -> str:
    """`mikey/modes/psk.py` -> `mikey.modes.psk` (a package's `__init__.py` -> the package)."""
    parts = list(path.resolve().relative_to(root.resolve()).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path, package: str = "mikey") -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports (a module also needs its parents)."""
    files = {module_name(root, p): p for p in (root / package).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        found = set(_parents(name))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {m for target in found for m in (target, *_parents(target)) if m in files}
    return graph


def _parents(name: str) -> Iterable[str]:
    parts = name.split(".")
    return (".".join(parts[:i]) for i in range(1, len(parts)))


def reachable(graph: dict[str, set[str]], roots: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    todo = [r for r in roots if r in graph]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph[name] - seen)
    return seen


def modes_for(root: Path, path: Path) -> list[str]:
    """The modes whose tests exercise the module at `path` (in MODE_ROOTS order)."""
    graph = import_graph(root)
    name = module_name(root, path)
    if name not in graph:
        raise ValueError(f"{path}: not a module of the mikey package")
    modes = [mode for mode, roots in MODE_ROOTS.items() if name in reachable(graph, roots)]
    if not modes:
        raise ValueError(f"{path}: no mode of the suite imports it (MODE_ROOTS)")
    return modes
