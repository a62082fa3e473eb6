"""report.html: one self-contained page (inline CSS, no script, no other file).

The header says what was run against what and the exit status; the root causes
come next (each failing requirement, quoted, with the tests it fails or makes
inconclusive, most first); the matrix shows modes x requirement sections (the worst
verdict of each cell with its counts); a table lists every cited requirement with its
quoted sentence; a section lists the SUT's expected deviations with their reasons (and
the listed tests that passed); and each test that did not pass shows its reason, its
evidence (the bytes both ways, hex and decoded) and the one command that replays it.
Every string from a run is escaped: SUT output can be hostile.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape
from importlib import resources
from string import Template
from typing import Any

from conformance.report.baseline import Comparison, exit_meaning
from conformance.report.model import (
    VERDICTS,
    Result,
    RootCause,
    RunInfo,
    Summary,
    worst,
)

CSS_PATH = resources.files("conformance.report").joinpath("report.css")
HEX_BYTES_PER_LINE = 32

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MIKEY conformance: $title</title>
<style>
$css</style>
</head>
<body>
<h1>MIKEY conformance report</h1>
$header
$problems
<h2>Root causes</h2>
$root_causes
<h2>Modes x requirement sections</h2>
$matrix
<h2>Requirements</h2>
$requirements
<h2>Expected deviations</h2>
$deviations
<h2>Tests that did not pass</h2>
$details
<h2>All tests</h2>
$tests
</body>
</html>
""")

SectionKey = tuple[str, str]


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def verdict_cell(verdict: str, extra: str = "", tag: str = "td") -> str:
    return f'<{tag} class="v v-{esc(verdict)}">{esc(verdict)}{extra}</{tag}>'


def table(head: Sequence[str], rows: Iterable[str], css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    head_html = "".join(f"<th>{esc(h)}</th>" for h in head)
    return f"<table{cls}>\n<tr>{head_html}</tr>\n" + "\n".join(rows) + "\n</table>"


def header(run: RunInfo, summary: Summary, status: int, comparison: Comparison | None) -> str:
    timeout = run.call_timeout
    totals = ", ".join(f"{summary.totals[v]} {v}" for v in VERDICTS if summary.totals[v])
    rows = [
        ("SUT", run.sut + (f" (profile {run.profile})" if run.profile else "")),
        ("Suite version", run.suite_version),
        ("Run", run.run_id),
        ("Started / finished (UTC)", f"{run.started} / {run.finished or 'unfinished'}"),
        ("Host", f"{run.hostname}, Python {run.python}, {run.platform}"),
        ("Command", " ".join(run.argv)),
        ("Tests", f"{len(summary.results)}: {totals or 'none'}"),
        ("Strict", "yes: SHOULD-level failures count" if run.strict else "no"),
        ("Per-call timeout", f"{timeout:g} s" if timeout else "none (the adapter sets no timeout)"),
    ]
    if run.expectations:
        rows.append(("Expectations", run.expectations))
    if comparison is not None:
        rows.append(
            (
                "Baseline",
                f"{comparison.baseline.path} (run {comparison.baseline.run_id}): "
                f"{len(comparison.new)} new failure(s) (counted: "
                f"{', '.join(comparison.new) or 'none'}), {len(comparison.known)} also "
                f"failing in the baseline (not counted), {len(comparison.fixed)} fixed",
            )
        )
    body = "\n".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    body += (
        f'\n<tr><th>Exit status</th><td class="v status-{status}">'
        f"{status}: {esc(exit_meaning(status, comparison, summary))}</td></tr>"
    )
    return f'<table class="meta">\n{body}\n</table>'


def problems_block(problems: Sequence[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{esc(p)}</li>" for p in problems)
    return f"<h2>Harness problems</h2>\n<ul>{items}</ul>"


def section_matrix(summary: Summary) -> dict[tuple[str, SectionKey], list[Result]]:
    """The tests of each (mode, (RFC, section)) cell, each test once per cell."""
    cells: dict[tuple[str, SectionKey], dict[str, Result]] = {}
    for result in summary.results:
        for req_id in result.requirements:
            req = summary.requirements[req_id]
            cell = cells.setdefault((result.mode or "-", (req.rfc, req.section)), {})
            cell[result.test_id] = result
    return {key: list(tests.values()) for key, tests in cells.items()}


def _section_order(key: SectionKey) -> tuple[Any, ...]:
    rfc, section = key
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in section.split("."))
    return (int(rfc) if rfc.isdigit() else 0, rfc, parts)


def matrix(summary: Summary) -> str:
    cells = section_matrix(summary)
    if not cells:
        return "<p>No results.</p>"
    columns = sorted({key for _, key in cells}, key=_section_order)
    rfcs = list(dict.fromkeys(rfc for rfc, _ in columns))
    top = "".join(
        f'<th colspan="{sum(1 for r, _ in columns if r == rfc)}">RFC {esc(rfc)}</th>'
        for rfc in rfcs
    )
    second = "".join(f"<th>&sect;{esc(section)}</th>" for _, section in columns)
    rows = [f'<tr><th rowspan="2">mode</th>{top}</tr>', f"<tr>{second}</tr>"]
    for mode in summary.by_mode:
        tds = []
        for column in columns:
            tests = cells.get((mode, column), [])
            if not tests:
                tds.append("<td>&ndash;</td>")
                continue
            verdicts = [t.verdict for t in tests]
            counts = ", ".join(f"{verdicts.count(v)} {v}" for v in VERDICTS if v in verdicts)
            tds.append(verdict_cell(worst(verdicts), f"<small>{esc(counts)}</small>"))
        rows.append(f"<tr><th>{esc(mode)}</th>{''.join(tds)}</tr>")
    return '<table class="matrix">\n' + "\n".join(rows) + "\n</table>"


def test_link(test_id: str, anchors: dict[str, str]) -> str:
    """The test ID, linked to its details when it has some."""
    if test_id in anchors:
        return f'<a href="#{anchors[test_id]}">{esc(test_id)}</a>'
    return esc(test_id)


def requirements_table(summary: Summary, anchors: dict[str, str]) -> str:
    rows = []
    for req in summary.requirements.values():
        quote = f"<q>{esc(req.text)}</q>" if req.text else "<em>not in the catalog</em>"
        if req.reading:
            quote += f'<br><small class="reading">Our reading: {esc(req.reading)}</small>'
        tests = "<br>".join(test_link(t, anchors) for t in req.tests)
        rows.append(
            f'<tr id="req-{esc(req.id)}"><td><code>{esc(req.id)}</code></td>'
            f"<td>{esc(req.level or '?')}</td><td>{quote}</td>"
            f"{verdict_cell(req.verdict)}<td>{tests}</td></tr>"
        )
    return table(["Requirement", "Level", "Text (quoted)", "Verdict", "Tests"], rows)


def root_cause_row(cause: RootCause, anchors: dict[str, str]) -> str:
    quote = f"<q>{esc(cause.text)}</q>" if cause.text else "<em>not in the catalog</em>"
    tests = [
        *(f"{test_link(t, anchors)} (fail)" for t in cause.failed),
        *(f"{test_link(t, anchors)} (inconclusive)" for t in cause.blocked),
    ]
    blocks = f"{len(cause.failed)} failed, {len(cause.blocked)} inconclusive"
    return (
        f'<tr><td><a href="#req-{esc(cause.id)}"><code>{esc(cause.id)}</code></a></td>'
        f"<td>{esc(cause.level or '?')}</td><td>{quote}</td>"
        f'<td class="num">{cause.blocks}<br><small>{blocks}</small></td>'
        f"<td><details><summary>tests</summary>{'<br>'.join(tests)}</details></td></tr>"
    )


def root_causes_table(summary: Summary, anchors: dict[str, str]) -> str:
    """The first failing requirement of each test, grouped: the rules to fix, most first."""
    if not summary.root_causes:
        return "<p>None: no test failed or was inconclusive.</p>"
    rows = [root_cause_row(c, anchors) for c in summary.root_causes]
    return table(["Requirement", "Level", "Text (quoted)", "Tests it blocks", "Tests"], rows)


def wrap_hex(hex_text: str) -> str:
    step = 2 * HEX_BYTES_PER_LINE
    return "\n".join(hex_text[i : i + step] for i in range(0, len(hex_text), step))


def exchange_block(exchange: object) -> str:
    if not isinstance(exchange, dict):
        return f"<pre>{esc(json.dumps(exchange))}</pre>"
    arrow = "suite &rarr; SUT" if exchange.get("direction") == "to-sut" else "SUT &rarr; suite"
    hex_text = str(exchange.get("hex", ""))
    decoded = exchange.get("decoded")
    decoded_html = (
        f"<details><summary>decoded</summary><pre>{esc(json.dumps(decoded, indent=2))}</pre>"
        "</details>"
        if decoded is not None
        else "<p><em>does not decode (the strict decoder rejects it)</em></p>"
    )
    return (
        f"<h4>{arrow}: {esc(exchange.get('label', ''))} ({len(hex_text) // 2} bytes)</h4>\n"
        f'<pre class="hex">{esc(wrap_hex(hex_text))}</pre>\n{decoded_html}'
    )


def test_detail(result: Result, anchor: str) -> str:
    evidence = result.evidence
    exchanges = evidence.get("exchanges") or []
    notes = evidence.get("notes") or []
    parts = [
        f'<div class="test v-{esc(result.verdict)}" id="{anchor}">',
        f"<h3>{esc(result.title)}</h3>",
        f"<p><code>{esc(result.test_id)}</code><br>{verdict_cell(result.verdict, tag='span')} "
        f"mode {esc(result.mode or '-')}, role {esc(result.role or '-')}, "
        f"level {esc(result.level or '?')}; requirements: "
        + ", ".join(f'<a href="#req-{esc(r)}">{esc(r)}</a>' for r in result.requirements)
        + "</p>",
        f"<p>Reason:</p><pre>{esc(result.reason or '(none given)')}</pre>",
    ]
    if result.precondition:
        req_id = str(result.precondition.get("requirement", ""))
        checked = ", ".join(map(str, result.precondition.get("checked_by") or [])) or "none"
        parts.append(
            f'<p>Inconclusive: its vehicle failed; precondition <a href="#req-{esc(req_id)}">'
            f"{esc(req_id)}</a>, checked by <code>{esc(checked)}</code>.</p>"
        )
    if isinstance(exchanges, list) and exchanges:
        parts += [exchange_block(x) for x in exchanges]
    if isinstance(notes, list) and notes:
        parts.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    if result.replay:
        parts.append(f"<p>Replay:</p><pre>{esc(result.replay)}</pre>")
    parts.append("</div>")
    return "\n".join(parts)


DETAILED = ("error", "fail", "unexpected-pass", "inconclusive", "expected-deviation")
"""Verdicts shown with evidence; not-applicable ones carry their reason in the test list."""


def tests_table(results: Sequence[Result], anchors: dict[str, str]) -> str:
    rows = []
    for r in results:
        name = test_link(r.test_id, anchors)
        reason = "" if r.verdict == "pass" else esc(r.reason)
        rows.append(
            f"<tr><td><code>{name}</code></td><td>{esc(r.mode or '-')}</td>"
            f"<td>{esc(r.role or '-')}</td>{verdict_cell(r.verdict)}"
            f'<td class="num">{r.duration_s:.3f}</td><td>{reason}</td></tr>'
        )
    return table(["Test", "Mode", "Role", "Verdict", "Seconds", "Reason"], rows)


def deviations_table(run: RunInfo, summary: Summary, anchors: dict[str, str]) -> str:
    """The tests the expectations file lists: why each may fail, and what happened."""
    listed = [r for r in summary.results if r.expectation is not None]
    if not listed:
        used = f"none of the tests {esc(run.expectations)} lists ran" if run.expectations else ""
        return f"<p>None{': ' + used if used else ''}.</p>"
    rows = []
    for r in listed:
        entry = r.expectation or {}
        reqs = "<br>".join(f"<code>{esc(i)}</code>" for i in entry.get("requirements", []))
        outcome = (
            "passed: the SUT no longer deviates; remove the entry"
            if r.verdict == "unexpected-pass"
            else r.reason
        )
        rows.append(
            f"<tr><td><code>{test_link(r.test_id, anchors)}</code></td>{verdict_cell(r.verdict)}"
            f"<td>{reqs}</td><td>{esc(entry.get('reason', ''))}</td><td>{esc(outcome)}</td></tr>"
        )
    intro = (
        f"<p>Listed in <code>{esc(run.expectations)}</code>: failures reported apart, not"
        " counted; a listed test that passes counts as a failure.</p>\n"
    )
    return intro + table(["Test", "Verdict", "Requirements", "Reason", "Outcome"], rows)


def render_html(
    run: RunInfo,
    summary: Summary,
    status: int,
    problems: Sequence[str],
    comparison: Comparison | None = None,
) -> str:
    """The whole report page."""
    detailed = [r for r in summary.results if r.verdict in DETAILED]
    detailed.sort(key=lambda r: DETAILED.index(r.verdict))
    anchors = {r.test_id: f"t{i}" for i, r in enumerate(detailed)}
    details = "\n".join(test_detail(r, anchors[r.test_id]) for r in detailed)
    return PAGE.substitute(
        title=esc(f"{run.sut}, run {run.run_id}"),
        css=CSS_PATH.read_text(encoding="utf-8"),
        header=header(run, summary, status, comparison),
        problems=problems_block(problems),
        root_causes=root_causes_table(summary, anchors),
        matrix=matrix(summary),
        requirements=requirements_table(summary, anchors),
        deviations=deviations_table(run, summary, anchors),
        details=details or ("<p>None.</p>" if summary.results else "<p>No test ran.</p>"),
        tests=tests_table(summary.results, anchors),
    )
