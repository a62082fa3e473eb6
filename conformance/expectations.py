"""Per-SUT expectations: known deviations, each with its reason (regression gating).

docs/design.md "Requirement IDs and verdicts": a failing test listed in the SUT's
expectations file gets the verdict expected-deviation (reported apart, not
counted); a listed test that passes is an unexpected-pass and counts as a
failure (strict xfail), so a fix is noticed; an entry that matches no test of
the suite is a harness error. The file format is expectations.schema.json
beside this module:

    {"sut": "gstreamer", "description": "...",
     "deviations": [{"test": "rfc3830/test_x.py::test_y[z]",
                     "requirements": ["RFC3830-6.2-..."], "reason": "..."}]}

`test` is a test ID as results.json names it, matched exactly or as an
fnmatch pattern (`*`, `?`, `[...]`). `mikeyconf run` without --expectations
reads suts/expectations/<name>.json, <name> being the --sut short name or
scheme (`gstreamer`, `shim`, ...), when that file exists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import suts
from suts import BUILTIN_SPECS, SCHEMES

SCHEMA_PATH = resources.files("conformance").joinpath("expectations.schema.json")
DEFAULT_DIR = Path(suts.__file__).resolve().parent / "expectations"
"""Where the expectations files shipped with the adapters live."""

REQUIREMENT_ID = re.compile(r"^RFC[0-9]+-[^-]+-.+$")
_TOP_KEYS = {"sut", "description", "deviations"}
_ENTRY_KEYS = {"test", "requirements", "reason"}
_LITERAL = {"[": "[[]", "]": "[]]"}
"""fnmatch spellings of a literal bracket."""


class ExpectationsError(ValueError):
    """A bad expectations file: one line naming the file and the entry."""


@dataclass(frozen=True)
class Deviation:
    """One known deviation: the test(s) it covers, the requirements, and why."""

    number: int
    """The entry's place in the file, from 1 (error messages name it)."""
    test: str
    requirements: tuple[str, ...]
    reason: str

    def matches(self, test_id: str) -> bool:
        """Whether this entry covers `test_id`: the same ID, or an fnmatch pattern of it.

        A parametrized ID's `[param]` reads as an fnmatch character class, so
        the pattern is also tried with its brackets taken literally: the ID
        itself matches, and `test_x[*]` covers every parameter of test_x.
        """
        literal = "".join(_LITERAL.get(c, c) for c in self.test)
        return self.test == test_id or any(
            fnmatchcase(test_id, pattern) for pattern in (self.test, literal)
        )

    def describe(self) -> str:
        return f"entry {self.number} ({self.test!r})"


@dataclass(frozen=True)
class Expectations:
    """One SUT's expectations file, read and checked."""

    path: Path
    sut: str
    description: str
    deviations: tuple[Deviation, ...]

    def match(self, test_id: str) -> Deviation | None:
        """The first entry covering `test_id`, if any."""
        return next((d for d in self.deviations if d.matches(test_id)), None)

    def unmatched(self, test_ids: Iterable[str]) -> list[Deviation]:
        """The entries that cover none of `test_ids` (stale or mistyped entries)."""
        ids = list(test_ids)
        return [d for d in self.deviations if not any(d.matches(t) for t in ids)]


def _fail(path: Path, where: str, what: str) -> NoReturn:
    raise ExpectationsError(f"expectations {path}: {where}{what}")


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _entry(path: Path, number: int, data: object) -> Deviation:
    where = f"entry {number}: "
    if not isinstance(data, dict):
        _fail(path, where, "must be a JSON object")
    if _text(data.get("test")):
        where = f"entry {number} ({data['test']!r}): "
    unknown = sorted(set(data) - _ENTRY_KEYS)
    if unknown:
        _fail(path, where, f"unknown key(s) {', '.join(unknown)}")
    for key in ("test", "reason"):
        if not _text(data.get(key)):
            _fail(path, where, f"{key!r} must be a non-empty string")
    reqs = data.get("requirements")
    if not isinstance(reqs, list) or not reqs or not all(isinstance(r, str) for r in reqs):
        _fail(path, where, "'requirements' must be a non-empty list of requirement IDs")
    bad = [r for r in reqs if not REQUIREMENT_ID.match(r)]
    if bad:
        _fail(path, where, f"not a requirement ID: {bad[0]!r}")
    return Deviation(number, data["test"], tuple(reqs), " ".join(data["reason"].split()))


def parse(path: Path, data: object, known_requirements: Iterable[str] = ()) -> Expectations:
    """Check a decoded expectations file; raises ExpectationsError (one line).

    `known_requirements`, when given, is the catalog: an entry citing an ID
    outside it is an error.
    """
    if not isinstance(data, dict):
        _fail(path, "", "must hold a JSON object")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        _fail(path, "", f"unknown key(s) {', '.join(unknown)}")
    if not _text(data.get("sut")):
        _fail(path, "", "'sut' must be a non-empty string")
    if not isinstance(data.get("description", ""), str):
        _fail(path, "", "'description' must be a string")
    entries = data.get("deviations")
    if not isinstance(entries, list):
        _fail(path, "", "'deviations' must be a list")
    deviations = tuple(_entry(path, n, e) for n, e in enumerate(entries, start=1))
    catalog = set(known_requirements)
    seen: dict[str, int] = {}
    for d in deviations:
        if d.test in seen:
            _fail(path, f"{d.describe()}: ", f"the same test as entry {seen[d.test]}")
        seen[d.test] = d.number
        missing = [r for r in d.requirements if catalog and r not in catalog]
        if missing:
            _fail(path, f"{d.describe()}: ", f"unknown requirement {missing[0]}")
    return Expectations(path, data["sut"], str(data.get("description", "")), deviations)


def load(path: Path, known_requirements: Iterable[str] = ()) -> Expectations:
    """Read and check an expectations file; raises ExpectationsError (one line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        _fail(path, "", f"cannot read it: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        _fail(path, "", f"not UTF-8: {exc}")
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        _fail(path, "", f"not valid JSON: {exc}")
    return parse(path, data, known_requirements)


def sut_name(spec: str) -> str | None:
    """The short name of a --sut value: `gstreamer:...` -> gstreamer, builtin -> builtin.

    A `module:factory` SUT has none (it gets no file by default).
    """
    scheme = spec.partition(":")[0]
    if scheme in SCHEMES:
        return scheme
    return spec if spec in BUILTIN_SPECS else None


def default_path(spec: str, directory: Path = DEFAULT_DIR) -> Path | None:
    """suts/expectations/<name>.json for the SUT `spec`, when that file exists."""
    name = sut_name(spec)
    path = directory / f"{name}.json"
    return path if name is not None and path.is_file() else None


def resolve(spec: str, explicit: str | None, disabled: bool) -> Path | None:
    """The expectations file a run uses: --expectations, else the SUT's default file."""
    if disabled:
        return None
    if explicit is not None:
        return Path(explicit).resolve()
    return default_path(spec)
