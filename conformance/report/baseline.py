"""Baselines: a run's results.json as the gate of the next run (docs/design.md: "A run's
results file can serve as the next run's baseline").

With `mikeyconf run --baseline OLD/results.json` a failure counts (exit status
1) only when the test was not failing in the baseline; the summary says which
failures are new and which baseline failures now pass. A harness error is
still exit status 2.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from conformance.report.model import EXIT_MEANING, EXIT_OK, Summary

READABLE_VERSIONS = (1, 2, 3)
"""results.json schema versions a baseline may have."""

FAILING = frozenset({"fail", "error", "unexpected-pass", "inconclusive"})
"""Verdicts that make a test a failure of the baseline: an inconclusive test too (not
passed), so that the same test inconclusive again is known, not new."""


class BaselineError(ValueError):
    """A bad or incompatible baseline file: one line naming it."""


@dataclass(frozen=True)
class Baseline:
    """The failing tests of an earlier run."""

    path: Path
    run_id: str
    failing: frozenset[str]


def _fail(path: Path, what: str) -> NoReturn:
    raise BaselineError(f"baseline {path}: {what}")


def _results(path: Path, document: object) -> list[dict[str, Any]]:
    if not isinstance(document, dict) or document.get("suite", {}).get("name") != (
        "mikey-conformance"
    ):
        _fail(path, "not a mikey-conformance results.json")
    version = document.get("schema_version")
    if version not in READABLE_VERSIONS:
        readable = ", ".join(map(str, READABLE_VERSIONS))
        _fail(path, f"results.json schema version {version!r} is not supported ({readable})")
    results = document.get("results")
    if not isinstance(results, list):
        _fail(path, "'results' must be a list")
    for n, result in enumerate(results):
        if not (
            isinstance(result, dict)
            and isinstance(result.get("test_id"), str)
            and isinstance(result.get("verdict"), str)
        ):
            _fail(path, f"results[{n}] has no test_id and verdict")
    return results


def load_baseline(path: Path) -> Baseline:
    """Read a baseline results.json; raises BaselineError (one line)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(path, f"cannot read it: {exc.strerror or exc}")
    except ValueError as exc:  # JSON or UTF-8
        _fail(path, f"not valid JSON: {exc}")
    results = _results(path, document)
    run_id = str(document.get("run", {}).get("run_id", "?"))
    failing = frozenset(r["test_id"] for r in results if r["verdict"] in FAILING)
    return Baseline(path, run_id, failing)


@dataclass(frozen=True)
class Comparison:
    """This run's counted failures against the baseline's."""

    baseline: Baseline
    new: tuple[str, ...]
    """Counted failures that were not failing in the baseline: these set the exit status."""
    known: tuple[str, ...]
    """Counted failures the baseline already had: reported, not counted."""
    fixed: tuple[str, ...]
    """Baseline failures that now pass."""

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.baseline.path),
            "run_id": self.baseline.run_id,
            "new_failures": list(self.new),
            "known_failures": list(self.known),
            "fixed": list(self.fixed),
        }


def compare(baseline: Baseline, summary: Summary, strict: bool) -> Comparison:
    counted = [r.test_id for r in summary.counted_failures(strict)]
    return Comparison(
        baseline,
        new=tuple(t for t in counted if t not in baseline.failing),
        known=tuple(t for t in counted if t in baseline.failing),
        fixed=tuple(
            r.test_id
            for r in summary.results
            if r.verdict == "pass" and r.test_id in baseline.failing
        ),
    )


def exit_meaning(status: int, comparison: Comparison | None, summary: Summary) -> str:
    """What the exit status means; 0 with known failures or expected deviations says so."""
    if comparison is not None and status == EXIT_OK and comparison.known:
        return "no failure that the baseline did not have"
    if status == EXIT_OK and summary.deviations:
        return (
            f"no applicable test failed beyond the {len(summary.deviations)} "
            "expected deviation(s) of the expectations file"
        )
    return EXIT_MEANING[status]


def baseline_lines(comparison: Comparison | None, limit: int) -> list[str]:
    """The summary's baseline section."""
    if comparison is None:
        return []
    baseline = comparison.baseline
    lines = ["", f"Against the baseline {baseline.path} (run {baseline.run_id}):"]
    for title, tests in (
        ("new failures (counted)", comparison.new),
        ("failures also in the baseline (not counted)", comparison.known),
        ("baseline failures that now pass", comparison.fixed),
    ):
        lines.append(f"  {len(tests)} {title}{':' if tests else ''}")
        lines += [f"    {t}" for t in tests[:limit]]
        if len(tests) > limit:
            lines.append(f"    ... and {len(tests) - limit} more (see results.json)")
    return lines
