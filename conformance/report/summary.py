"""The text summary `mikeyconf run` prints last (docs/design.md: "The summary prints last").

A mode x verdict table, the root causes (each test's first failing requirement, one
line each with its quoted text and how many tests it blocks, most first), then the
failing requirement IDs (MUST-level apart from SHOULD-level), the expected
deviations with their reasons and the unexpected passes (apart from the failures),
harness problems, one replay command per failure, where the report is, and what the
exit status means.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from conformance.report.baseline import Comparison, baseline_lines, exit_meaning
from conformance.report.model import (
    VERDICTS,
    Result,
    RootCause,
    Summary,
    is_binding,
)

MAX_REPLAYS = 10
"""Failures whose replay command the summary prints; the report holds them all."""


def verdict_table(summary: Summary) -> list[str]:
    """One row per mode and a total row; a column per verdict."""
    rows = [["mode", *VERDICTS]]
    rows += [[mode, *map(str, counts.values())] for mode, counts in summary.by_mode.items()]
    rows.append(["total", *(str(summary.totals[v]) for v in VERDICTS)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def root_cause_line(cause: RootCause) -> str:
    """`ID (LEVEL) blocks N test(s) (F failed, I inconclusive): "text"`."""
    text = f' "{_one_line(cause.text, 110)}"' if cause.text else " (not in the catalog)"
    return (
        f"  {cause.id} ({cause.level or 'level unknown'}) blocks {cause.blocks} test(s) "
        f"({len(cause.failed)} failed, {len(cause.blocked)} inconclusive):{text}"
    )


def _requirement_lines(summary: Summary, binding: bool) -> list[str]:
    return [
        f"  {req.id}  ({req.level or 'level unknown'}; {len(req.tests)} test(s))"
        for req in summary.requirements.values()
        if req.verdict in ("fail", "error") and is_binding(req.level) == binding
    ]


def _replays(failed: Sequence[Result]) -> list[str]:
    lines = [f"  {r.replay}" for r in failed[:MAX_REPLAYS] if r.replay]
    if len(failed) > MAX_REPLAYS:
        lines.append(f"  ... and {len(failed) - MAX_REPLAYS} more (see the report)")
    return lines


def format_summary(
    summary: Summary,
    *,
    sut: str,
    run_id: str,
    run_dir: Path,
    status: int,
    strict: bool,
    problems: Sequence[str] = (),
    expectations: str | None = None,
    comparison: Comparison | None = None,
    call_timeout: float | None = None,
) -> str:
    """The summary text (no trailing newline)."""
    lines = [
        f"MIKEY conformance: {len(summary.results)} test(s) against {sut}, run {run_id}",
        *([f"Per-call timeout: {call_timeout:g} s"] if call_timeout is not None else []),
        "",
        *verdict_table(summary),
    ]
    if summary.root_causes:
        lines += ["", "Root causes (first failing requirement of each test, most tests first):"]
        lines += [root_cause_line(c) for c in summary.root_causes[:MAX_REPLAYS]]
        if len(summary.root_causes) > MAX_REPLAYS:
            more = len(summary.root_causes) - MAX_REPLAYS
            lines.append(f"  ... and {more} more (see the report)")
    failing = _requirement_lines(summary, binding=True)
    if failing:
        lines += ["", "Failing requirements:", *failing]
    should = _requirement_lines(summary, binding=False)
    if should:
        counted = "counted (--strict)" if strict else "not counted; --strict counts them"
        lines += ["", f"SHOULD-level requirements not met ({counted}):", *should]
    lines += _expectation_lines(summary, expectations)
    if summary.errors:
        lines += ["", "Harness errors:"]
        lines += [f"  {r.test_id}: {_one_line(r.reason)}" for r in summary.errors[:MAX_REPLAYS]]
    if problems:
        lines += ["", "Harness problems:", *(f"  {p}" for p in problems)]
    lines += baseline_lines(comparison, MAX_REPLAYS)
    failed = [r for r in summary.results if r.verdict in ("fail", "error", "unexpected-pass")]
    if failed:
        lines += ["", "Replay a failure:", *_replays(failed)]
    lines += [
        "",
        f"Report: {run_dir / 'report.html'}",
        f"        (also results.json, junit.xml, allure-results/ in {run_dir})",
        f"Exit status {status}: {exit_meaning(status, comparison, summary)}.",
    ]
    return "\n".join(lines)


def _expectation_lines(summary: Summary, expectations: str | None) -> list[str]:
    """Expected deviations (not counted) and unexpected passes (counted), apart."""
    where = f" in {expectations}" if expectations else ""
    lines: list[str] = []
    if summary.deviations:
        lines += ["", f"Expected deviations (listed{where}; not counted):"]
        for r in summary.deviations[:MAX_REPLAYS]:
            why = (r.expectation or {}).get("reason", "")
            lines.append(f"  {r.test_id}: {_one_line(str(why), 120)}")
        if len(summary.deviations) > MAX_REPLAYS:
            lines.append(f"  ... and {len(summary.deviations) - MAX_REPLAYS} more (see the report)")
    if summary.unexpected_passes:
        lines += ["", f"Unexpected passes (listed{where} as deviations; counted, remove them):"]
        lines += [f"  {r.test_id}" for r in summary.unexpected_passes]
    return lines


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
