"""The requirements catalog: every normative sentence the suite tests, by stable ID.

docs/design.md "Requirement IDs and verdicts". One JSON file per RFC,
conformance/requirements/rfc<N>.json (format: catalog.schema.json beside it), each
entry quoting its sentence from the vendored RFC text in conformance/requirements/rfc/.
IDs read `RFC<number>-<section>-<short-name>`, e.g. `RFC3830-5.4-replay`.

Levels are normalized: SHALL and REQUIRED (and MANDATORY used normatively) are "MUST",
SHALL NOT is "MUST NOT", RECOMMENDED is "SHOULD". An entry marked `derived` states a
rule the RFC gives as a definition (a field's meaning, a message's composition) rather
than with a BCP 14 keyword; its level is the one a strict implementation must meet.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, NoReturn

LEVELS = ("MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY")
MODES = ("PSK", "PK", "DH", "DH-HMAC", "RSA-R", "TICKET", "IBAKE", "SAKKE", "codec")
ROLES = ("initiator", "responder", "decoder")

ID_RE = re.compile(r"^RFC(\d+)-(\d+(?:\.\d+)*)-([a-z0-9]+(?:-[a-z0-9]+)*)$")
SECTION_RE = re.compile(r"^\d+(?:\.\d+)*$")
FILE_RE = re.compile(r"^rfc(\d+)\.json$")

_REQUIRED = ("id", "rfc", "section", "level", "text", "summary", "modes", "roles", "testable")
_OPTIONAL = ("untestable_reason", "derived", "reading")
_HEADER_KEYS = frozenset({"rfc", "title", "scope", "source", "requirements"})


class CatalogError(ValueError):
    """A catalog file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Requirement:
    """One testable (or knowingly untestable) rule of an RFC."""

    id: str
    rfc: int
    section: str
    level: str
    text: str
    """The sentence, quoted from the RFC with its layout normalized (see rfctext)."""
    summary: str
    modes: tuple[str, ...]
    roles: tuple[str, ...]
    testable: bool
    untestable_reason: str | None = None
    derived: bool = False
    reading: str | None = None
    """Where the text is ambiguous or leaves the rule implicit: the reading the suite
    takes, and why (and where an independent implementation read it otherwise)."""


class _Fail:
    """Raises CatalogError naming the file and entry."""

    def __init__(self, origin: str, where: str) -> None:
        self.origin, self.where = origin, where

    def __call__(self, problem: str) -> NoReturn:
        raise CatalogError(f"{self.origin}: {self.where}: {problem}")


def _string(entry: Mapping[str, Any], key: str, fail: _Fail) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        fail(f"{key!r} must be a non-empty string, not {value!r}")
    if value != " ".join(value.split()):
        fail(f"{key!r} must have its whitespace collapsed to single spaces")
    return value


def _names(
    entry: Mapping[str, Any], key: str, allowed: tuple[str, ...], fail: _Fail
) -> tuple[str, ...]:
    value = entry[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(f"{key!r} must be a list of strings, not {value!r}")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        fail(f"unknown {key[:-1]} {', '.join(map(repr, unknown))} (allowed: {', '.join(allowed)})")
    if len(set(value)) != len(value):
        fail(f"{key!r} lists a value twice: {value!r}")
    return tuple(value)


def _requirement(entry: object, rfc: int, fail: _Fail) -> Requirement:
    if not isinstance(entry, dict):
        fail(f"an entry must be a JSON object, not {type(entry).__name__}")
    missing = [k for k in _REQUIRED if k not in entry]
    if missing:
        fail(f"missing {', '.join(missing)}")
    extra = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if extra:
        fail(f"unknown field(s) {', '.join(extra)}")
    req_id, section = _string(entry, "id", fail), _string(entry, "section", fail)
    if entry["rfc"] != rfc or isinstance(entry["rfc"], bool):
        fail(f"rfc {entry['rfc']!r} is not the file's RFC {rfc}")
    if not SECTION_RE.match(section):
        fail(f"section {section!r} is not a section number like '6.1'")
    match = ID_RE.match(req_id)
    if match is None:
        fail(f"id {req_id!r} does not read RFC<number>-<section>-<kebab-case-name>")
    if (int(match.group(1)), match.group(2)) != (rfc, section):
        fail(f"id {req_id!r} does not match RFC {rfc} section {section}")
    level = entry["level"]
    if level not in LEVELS:
        fail(f"bad level {level!r} (one of {', '.join(LEVELS)})")
    text, summary = _string(entry, "text", fail), _string(entry, "summary", fail)
    modes, roles = _names(entry, "modes", MODES, fail), _names(entry, "roles", ROLES, fail)
    testable, derived = entry["testable"], entry.get("derived", False)
    if not isinstance(testable, bool) or not isinstance(derived, bool):
        fail("'testable' and 'derived' must be true or false")
    reason = entry.get("untestable_reason")
    if testable and reason is not None:
        fail("a testable entry has no 'untestable_reason'")
    if not testable:
        reason = _string(entry, "untestable_reason", fail)
    if testable and not (modes and roles):
        fail("a testable entry names at least one mode and one role")
    reading = _string(entry, "reading", fail) if "reading" in entry else None
    return Requirement(
        req_id, rfc, section, str(level), text, summary, modes, roles, testable, reason, derived,
        reading,
    )  # fmt: skip


def parse(data: object, origin: str, rfc: int | None = None) -> dict[str, Requirement]:
    """The entries of one catalog document `data` (parsed JSON), by ID.

    `origin` names the document in errors; `rfc`, when given, is the RFC its file name says.
    Raises CatalogError on any malformed or duplicate entry.
    """
    if not isinstance(data, dict):
        raise CatalogError(f"{origin}: the catalog must be a JSON object")
    extra = sorted(set(data) - _HEADER_KEYS)
    if extra:
        raise CatalogError(f"{origin}: unknown top-level field(s) {', '.join(extra)}")
    number, entries = data.get("rfc"), data.get("requirements")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise CatalogError(f"{origin}: 'rfc' must be a positive integer, not {number!r}")
    if rfc is not None and number != rfc:
        raise CatalogError(f"{origin}: 'rfc' is {number}, the file name says {rfc}")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"{origin}: 'requirements' must be a non-empty list")
    catalog: dict[str, Requirement] = {}
    for index, entry in enumerate(entries):
        label = entry.get("id") if isinstance(entry, dict) else None
        where = f"entry {index}" + (f" ({label})" if isinstance(label, str) else "")
        requirement = _requirement(entry, number, _Fail(origin, where))
        if requirement.id in catalog:
            raise CatalogError(f"{origin}: {where}: duplicate id {requirement.id}")
        catalog[requirement.id] = requirement
    return catalog


def catalog_files() -> dict[int, str]:
    """RFC number -> packaged catalog file name (rfc<N>.json)."""
    files: dict[int, str] = {}
    for item in resources.files(__name__).iterdir():
        match = FILE_RE.match(item.name)
        if match and item.is_file():
            files[int(match.group(1))] = item.name
    return dict(sorted(files.items()))


def load(rfc: int | None = None) -> dict[str, Requirement]:
    """The catalog by ID: every packaged RFC's entries, or only RFC `rfc`'s."""
    files = catalog_files()
    if rfc is not None:
        if rfc not in files:
            raise CatalogError(f"no catalog for RFC {rfc} (have: {', '.join(map(str, files))})")
        files = {rfc: files[rfc]}
    catalog: dict[str, Requirement] = {}
    for number, name in files.items():
        origin = f"conformance/requirements/{name}"
        text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError(f"{origin}: not JSON: {exc}") from None
        for req_id, requirement in parse(data, origin, number).items():
            if req_id in catalog:
                raise CatalogError(f"{origin}: duplicate id {req_id} (also in another file)")
            catalog[req_id] = requirement
    return catalog


__all__ = [
    "LEVELS",
    "MODES",
    "ROLES",
    "CatalogError",
    "Requirement",
    "catalog_files",
    "load",
    "parse",
]
