"""The results model: one Result per finished test (the journal record), the
RunInfo of a run, and the Summary the renderers and the exit status read.

docs/design.md "Requirement IDs and verdicts": a requirement's verdict is the worst
of its tests' (error > fail > unexpected-pass > inconclusive > expected-deviation >
pass > not-applicable); SHOULD-level failures are reported apart and count only with
--strict; expected deviations (the SUT's expectations file) are reported apart
and never count, while an unexpected pass always does (strict xfail); an
inconclusive test (its vehicle failed, conformance/vehicle.py) counts only when no
test of its precondition's requirement failed (docs/reports.md "Verdicts"); the
exit status is non-zero only on an unexpected failure or a harness error.
"""

from __future__ import annotations

import json
import platform as host
import socket
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import conformance

JOURNAL_SCHEMA = 3
"""The journal record format the plugin writes (the record's "schema" field).

2 added the verdict unexpected-pass and the record's "expectation"; 3 the verdict
inconclusive and the record's "precondition"."""
JOURNAL_SCHEMAS_READ = (1, 2, 3)

VERDICTS = (
    "pass",
    "fail",
    "inconclusive",
    "unexpected-pass",
    "expected-deviation",
    "not-applicable",
    "error",
)
"""Every verdict, in the order tables show them."""

SEVERITY = {
    "error": 6,
    "fail": 5,
    "unexpected-pass": 4,
    "inconclusive": 3,
    "expected-deviation": 2,
    "pass": 1,
    "not-applicable": 0,
}
"""Worst verdict wins: the higher, the worse."""

FAILED = frozenset({"fail", "error", "unexpected-pass"})
"""Verdicts of a test that failed (the SUT's fault, or the harness's)."""

ACCOUNTED = FAILED | {"expected-deviation"}
"""Verdicts of a precondition's test that account for the tests it makes inconclusive."""

BINDING_LEVELS = frozenset({"MUST", "MUST NOT"})
"""Levels whose failures always count; SHOULD, SHOULD NOT and MAY count with --strict."""

EXIT_OK, EXIT_FAILED, EXIT_HARNESS = 0, 1, 2


class CatalogEntry(Protocol):
    """What the report reads of a conformance.requirements.Requirement."""

    @property
    def rfc(self) -> object: ...
    @property
    def section(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def reading(self) -> str | None: ...


def worst(verdicts: Iterable[str]) -> str:
    """The worst of `verdicts` ("not-applicable" when there are none)."""
    return max(verdicts, key=SEVERITY.__getitem__, default="not-applicable")


def is_binding(level: str | None) -> bool:
    """Whether a failure at `level` always counts (an unknown level does, to be safe)."""
    return level is None or level not in {"SHOULD", "SHOULD NOT", "MAY"}


def counts_as_failure(verdict: str, level: str | None, strict: bool) -> bool:
    """Whether a test with this verdict makes the run fail (exit status 1) on its own; an
    inconclusive test counts only when no failure of the run accounts for it
    (Summary.counted_failures), which `--exitfirst` cannot know before the end."""
    return verdict == "unexpected-pass" or (verdict == "fail" and (strict or is_binding(level)))


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Result:
    """One finished conformance test: the journal record the plugin writes."""

    test_id: str
    title: str
    requirements: tuple[str, ...]
    level: str | None
    mode: str | None
    role: str | None
    verdict: str
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    replay: str = ""
    duration_s: float = 0.0
    sut: str = ""
    worker: str | None = None
    expectation: dict[str, Any] | None = None
    """The expectations file's entry covering this test (file, entry, test,
    requirements, reason), if any."""
    precondition: dict[str, Any] | None = None
    """An inconclusive test's failed precondition: its requirement and the tests that
    check it ("requirement", "checked_by")."""
    fault: str | None = None
    """A failed test's requirement at fault, when the failure says which (one of those it
    cites; conformance.vehicle.Blamed); None: its first cited one stands."""

    @classmethod
    def from_json(cls, data: object) -> Result:
        """Read one journal record; raises ValueError saying what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a record must be a JSON object")
        if data.get("schema") not in JOURNAL_SCHEMAS_READ:
            raise ValueError(f"unsupported record schema {data.get('schema')!r}")
        for key in ("test_id", "verdict"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise ValueError(f"{key} missing or not a string")
        if data["verdict"] not in SEVERITY:
            raise ValueError(f"unknown verdict {data['verdict']!r}")
        reqs = data.get("requirements", [])
        if not isinstance(reqs, list) or not all(isinstance(r, str) for r in reqs):
            raise ValueError("requirements must be a list of strings")
        evidence = data.get("evidence", {})
        if not isinstance(evidence, dict):
            raise ValueError("evidence must be a JSON object")
        expectation = data.get("expectation")
        if expectation is not None and not isinstance(expectation, dict):
            raise ValueError("expectation must be a JSON object or null")
        precondition = data.get("precondition")
        if precondition is not None and not (
            isinstance(precondition, dict) and isinstance(precondition.get("requirement"), str)
        ):
            raise ValueError("precondition must be a JSON object with a requirement, or null")
        return cls(
            test_id=data["test_id"],
            title=str(data.get("title") or data["test_id"]),
            requirements=tuple(reqs),
            level=_opt_str(data.get("level")),
            mode=_opt_str(data.get("mode")),
            role=_opt_str(data.get("role")),
            verdict=data["verdict"],
            reason=str(data.get("reason") or ""),
            evidence=evidence,
            replay=str(data.get("replay") or ""),
            duration_s=float(data.get("duration_s") or 0.0),
            sut=str(data.get("sut") or ""),
            worker=_opt_str(data.get("worker")),
            expectation=expectation,
            precondition=precondition,
            fault=_opt_str(data.get("fault")),
        )

    @property
    def blamed(self) -> str | None:
        """The requirement this result puts first: an inconclusive test's precondition,
        else a failed test's fault or first cited one (None: the test did not fail)."""
        if self.verdict == "inconclusive" and self.precondition:
            return str(self.precondition["requirement"])
        if self.verdict in FAILED and self.requirements:
            return self.fault if self.fault in self.requirements else self.requirements[0]
        return None

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["requirements"] = list(self.requirements)
        return {"schema": JOURNAL_SCHEMA, **record}


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Journal:
    """What read_journal found: the results, and lines it could not use."""

    results: tuple[Result, ...]
    problems: tuple[str, ...] = ()
    """Corrupt lines (file:line: why): a harness error."""
    truncated: bool = False
    """The last line was cut short (an interrupted run); it was left out."""


def read_journal(path: Path) -> Journal:
    """Read a journal; a missing file reads as empty, a cut-off last line is skipped.

    Raises OSError when the file exists but cannot be read.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return Journal(())
    lines = text.split("\n")
    last_cut = lines[-1] != ""  # the plugin ends every record with a newline
    results: list[Result] = []
    problems: list[str] = []
    truncated = False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            results.append(Result.from_json(json.loads(line)))
        except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
            if last_cut and number == len(lines):
                truncated = True
            else:
                problems.append(f"{path}:{number}: corrupt journal line: {exc}")
    return Journal(tuple(results), tuple(problems), truncated)


@dataclass
class RunInfo:
    """Where, when and how a run was made (run.json; "run" in results.json)."""

    run_id: str
    sut: str
    argv: list[str]
    started: str = field(default_factory=utc_now)
    finished: str | None = None
    suite_version: str = conformance.__version__
    python: str = field(default_factory=host.python_version)
    platform: str = field(default_factory=host.platform)
    hostname: str = field(default_factory=socket.gethostname)
    strict: bool = False
    profile: str | None = None
    pytest_exit: int | None = None
    """pytest's exit code, once the run has finished."""
    expectations: str | None = None
    """The SUT's expectations file the run used, if any."""
    options: dict[str, Any] = field(default_factory=dict)
    """The run's options, paths made absolute: what `mikeyconf run --resume` reuses."""
    baseline: str | None = None
    """The baseline results.json the run is compared with, if any."""
    resumed: list[str] = field(default_factory=list)
    """When the run was resumed (UTC), oldest first."""
    call_timeout: float | None = None
    """Seconds the SUT's adapter waited for it per call or exchange (None: the adapter sets
    no timeout, or the run.json is older than the field)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> RunInfo:
        if not isinstance(data, dict):
            raise ValueError("run information must be a JSON object")
        known = set(cls.__dataclass_fields__)
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:
            raise ValueError(f"bad run information: {exc}") from None


def requirement_place(req_id: str, catalog: Mapping[str, CatalogEntry]) -> tuple[str, str]:
    """(RFC number, section) of a requirement: from the catalog, else from its ID.

    IDs read `RFC<number>-<section>-<short-name>` (team contract).
    """
    entry = catalog.get(req_id)
    if entry is not None:
        return str(entry.rfc).removeprefix("RFC").strip(), entry.section
    head, _, rest = req_id.partition("-")
    return head.removeprefix("RFC"), rest.partition("-")[0] or "?"


@dataclass(frozen=True)
class RequirementVerdict:
    """A requirement's worst verdict over the tests that cite it."""

    id: str
    rfc: str
    section: str
    level: str | None
    text: str | None
    verdict: str
    tests: tuple[str, ...]
    reading: str | None = None


@dataclass(frozen=True)
class RootCause:
    """A requirement that tests failed first: the tests failed under it (their first
    cited requirement) and those it made inconclusive (their precondition)."""

    id: str
    level: str | None
    text: str | None
    failed: tuple[str, ...]
    blocked: tuple[str, ...]

    @property
    def blocks(self) -> int:
        """How many tests it costs: failed under it, or inconclusive naming it."""
        return len(self.failed) + len(self.blocked)


def root_causes(
    results: Sequence[Result], catalog: Mapping[str, CatalogEntry]
) -> tuple[RootCause, ...]:
    """Each test's first failing requirement (Result.blamed), grouped; most tests first."""
    failed: dict[str, list[str]] = {}
    blocked: dict[str, list[str]] = {}
    for result in results:
        req_id = result.blamed
        if req_id is not None:
            into = blocked if result.verdict == "inconclusive" else failed
            into.setdefault(req_id, []).append(result.test_id)
    causes = []
    for req_id in {*failed, *blocked}:
        entry = catalog.get(req_id)
        causes.append(
            RootCause(
                req_id,
                entry.level if entry else None,
                entry.text if entry else None,
                tuple(failed.get(req_id, ())),
                tuple(blocked.get(req_id, ())),
            )
        )
    return tuple(sorted(causes, key=lambda c: (-c.blocks, c.id)))


@dataclass(frozen=True)
class Summary:
    """Counts per mode and verdict, and per requirement, of one run's results."""

    results: tuple[Result, ...]
    by_mode: dict[str, dict[str, int]]
    totals: dict[str, int]
    requirements: dict[str, RequirementVerdict]
    root_causes: tuple[RootCause, ...] = ()
    """The failing requirements, by the tests they fail or make inconclusive, most first."""

    @property
    def failures(self) -> list[Result]:
        """Failed tests at MUST level (or of unknown level): these always count."""
        return [r for r in self.results if r.verdict == "fail" and is_binding(r.level)]

    @property
    def should_failures(self) -> list[Result]:
        """Failed tests at SHOULD or MAY level: reported apart, counted with --strict."""
        return [r for r in self.results if r.verdict == "fail" and not is_binding(r.level)]

    @property
    def unexpected_passes(self) -> list[Result]:
        """Listed as known deviations, yet passed: these always count (strict xfail)."""
        return [r for r in self.results if r.verdict == "unexpected-pass"]

    @property
    def deviations(self) -> list[Result]:
        """Failures the SUT's expectations file lists: reported apart, never counted."""
        return [r for r in self.results if r.verdict == "expected-deviation"]

    @property
    def inconclusive(self) -> list[Result]:
        """Tests whose vehicle failed: they name the precondition's requirement."""
        return [r for r in self.results if r.verdict == "inconclusive"]

    def unaccounted(self) -> list[Result]:
        """Inconclusive tests whose precondition no test of this run failed (or lists
        as a deviation): nothing else reports them, so they count themselves."""
        accounted = {
            req_id for r in self.results if r.verdict in ACCOUNTED for req_id in r.requirements
        }
        return [r for r in self.inconclusive if r.blamed not in accounted]

    def counted_failures(self, strict: bool) -> list[Result]:
        """The tests that make the run fail (exit status 1): binding failures (all with
        `strict`), unexpected passes, and the inconclusive tests no failure accounts for."""
        unaccounted = {r.test_id for r in self.unaccounted()}
        return [
            r
            for r in self.results
            if counts_as_failure(r.verdict, r.level, strict) or r.test_id in unaccounted
        ]

    @property
    def applicable(self) -> int:
        """How many tests the SUT took part in (every verdict but not-applicable)."""
        return len(self.results) - self.totals["not-applicable"]

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if r.verdict == "error"]


def summarize(results: Sequence[Result], catalog: Mapping[str, CatalogEntry] | None) -> Summary:
    """Group `results` by mode and by requirement (catalog: for levels, sections, text)."""
    catalog = catalog or {}
    by_mode: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys(VERDICTS, 0)
    cited: dict[str, list[Result]] = {}
    for result in results:
        row = by_mode.setdefault(result.mode or "-", dict.fromkeys(VERDICTS, 0))
        row[result.verdict] += 1
        totals[result.verdict] += 1
        for req_id in result.requirements:
            cited.setdefault(req_id, []).append(result)
    requirements = {}
    for req_id in sorted(cited):
        rfc, section = requirement_place(req_id, catalog)
        entry = catalog.get(req_id)
        tests = cited[req_id]
        requirements[req_id] = RequirementVerdict(
            id=req_id,
            rfc=rfc,
            section=section,
            level=entry.level if entry else None,
            text=entry.text if entry else None,
            verdict=worst(r.verdict for r in tests),
            tests=tuple(dict.fromkeys(r.test_id for r in tests)),
            reading=entry.reading if entry else None,
        )
    by_mode = dict(sorted(by_mode.items(), key=lambda item: item[0].lower()))
    causes = root_causes(results, catalog)
    return Summary(tuple(results), by_mode, totals, requirements, causes)


def exit_status(
    summary: Summary, strict: bool, harness_failed: bool, known: Collection[str] = ()
) -> int:
    """0: every applicable test passed; 1: a test failed; 2: a harness error.

    An inconclusive test is not a pass, but it is no failure of its own either: it
    counts (1) only when no test of its precondition's requirement failed or is an
    expected deviation (Summary.unaccounted); otherwise that test's verdict decides.

    2 wins: an "error" verdict, a harness failure (pytest interrupted, internal
    or usage error, a corrupt journal) or no applicable test run at all (a
    run that checked nothing must not pass a CI gate). SHOULD-level failures
    count only when `strict`. Failures of the tests in `known` (the failures
    of a baseline run) do not count.
    """
    if harness_failed or summary.errors or not summary.applicable:
        return EXIT_HARNESS
    if any(r.test_id not in known for r in summary.counted_failures(strict)):
        return EXIT_FAILED
    return EXIT_OK


EXIT_MEANING = {
    EXIT_OK: "every applicable test passed",
    EXIT_FAILED: "a conformance test failed",
    EXIT_HARNESS: "the harness failed (an error, an interrupted run, or no applicable test)",
}
