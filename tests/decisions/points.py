"""The reference's rejection decisions, found mechanically with `ast` (issue 14 part 2).

A decision point is a statement that runs only when a party refuses what it received:

- `raise Rejection(error, ...)` in mikey/modes/: kind `error` with the Table 6.12 name
  (RFC 3830 6.12) when `error` is `ErrorNo.X`, `discard` when it is None (a silent
  discard, 5.3), `error` with detail `dynamic` when it is computed (e.g. the number an
  Error message names, or `error_no_for` of a DecodeError);
- `return Outcome(False, error, ...)` in mikey/modes/: an initiator's refusal written as a
  return (kind `reject`, detail as above);
- `raise DecodeError(...)` and `<reader>.fail(...)` in mikey/wire/: a strict decode check
  (kind `decode`, detail the `field=` it names, else the check's own words).

The ID is `module:qualname:kind:detail`, with `#2`, `#3`... for the second and later
point of the same function, kind and detail, so it survives edits elsewhere in the file.
The `line` is where the statement starts: the line coverage.py records when it runs.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("mikey/modes", "mikey/wire")
"""Where the decisions live: the mode state machines and the codec."""


@dataclass(frozen=True)
class Decision:
    """One place where the reference refuses a message."""

    id: str
    path: str
    """Relative to the repository root, e.g. mikey/modes/psk_initiator.py."""
    line: int


def _error_detail(node: ast.expr | None) -> tuple[str, str]:
    """(kind, detail) for the error argument of a Rejection or a refused Outcome."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return "discard", "silent"
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "ErrorNo"
    ):
        return "error", node.attr
    return "error", "dynamic"


def _words(node: ast.expr | None) -> str:
    """A slug of the literal words of a reason string (f-string parts included)."""
    parts: list[str] = []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts.append(node.value)
    elif isinstance(node, ast.JoinedStr):
        parts.extend(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-")
    return "-".join(slug.split("-")[:5]) or "check"


def _kwarg(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _classify(node: ast.AST, wire: bool) -> tuple[str, str] | None:
    """(kind, detail) when `node` is a decision statement, else None."""
    if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
        call, name = node.exc, getattr(node.exc.func, "id", None)
        if name == "Rejection":
            return _error_detail(call.args[0] if call.args else _kwarg(call, "error"))
        if name == "DecodeError" and wire:
            return "decode", _decode_detail(call)
    if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
        call = node.value
        if getattr(call.func, "id", None) == "Outcome" and call.args:
            first = call.args[0]
            if isinstance(first, ast.Constant) and first.value is False:
                _, detail = _error_detail(call.args[1] if len(call.args) > 1 else None)
                return "reject", detail
    if wire and isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        if isinstance(func, ast.Attribute) and func.attr == "fail":
            return "decode", _decode_detail(node.value)
    return None


def _decode_detail(call: ast.Call) -> str:
    field = _kwarg(call, "field")
    if isinstance(field, ast.Constant) and isinstance(field.value, str):
        return re.sub(r"[^A-Za-z0-9]+", "-", field.value).strip("-")
    # No field, or the caller's (a generic check of the Reader): the check's own words.
    return _words(call.args[0] if call.args else None)


class _Finder(ast.NodeVisitor):
    def __init__(self, module: str, path: str, wire: bool) -> None:
        self.module, self.path, self.wire = module, path, wire
        self.scope: list[str] = []
        self.found: list[Decision] = []
        self.seen: dict[str, int] = {}
        self.handlers: list[str] = []

    def _funnel(self, found: tuple[str, str]) -> bool:
        """Where every refusal passes, not a check of its own: `Reader.fail` raising the
        DecodeError of each `fail` call, and an initiator's `except Rejection` that turns
        the Rejection of its checks into an Outcome."""
        if self.scope[-2:] == ["Reader", "fail"]:
            return True
        return found[0] == "reject" and "Rejection" in self.handlers

    def _scoped(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _scoped

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self.handlers.append(getattr(node.type, "id", ""))
        self.generic_visit(node)
        self.handlers.pop()

    def generic_visit(self, node: ast.AST) -> None:
        found = _classify(node, self.wire)
        if found is not None and not self._funnel(found):
            kind, detail = found
            base = f"{self.module}:{'.'.join(self.scope) or '<module>'}:{kind}:{detail}"
            self.seen[base] = self.seen.get(base, 0) + 1
            n = self.seen[base]
            ident = base if n == 1 else f"{base}#{n}"
            self.found.append(Decision(ident, self.path, getattr(node, "lineno", 0)))
        super().generic_visit(node)


def decisions(root: Path = ROOT) -> list[Decision]:
    """Every decision point of mikey/modes/ and mikey/wire/, in file and line order."""
    found: list[Decision] = []
    for package in PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            rel = path.relative_to(root).as_posix()
            module = rel.removeprefix("mikey/").removesuffix(".py").replace("/", ".")
            finder = _Finder(module, rel, package.endswith("wire"))
            finder.visit(ast.parse(path.read_text(), rel))
            found.extend(finder.found)
    return found
