"""report.html: one self-contained page (inline CSS and a small inline script, no other
file but the captures it links to).

Read top down: the summary at a glance (the exit status, the SUT and profile, a bar of
verdicts per mode), harness problems, the root causes (each failing requirement, quoted,
with the tests it fails or makes inconclusive, most first), the tests that did not pass
(each with its
requirement quoted, reason, decoded messages, hex, packets and replay command), the
matrix of requirement sections x modes folded per RFC, the requirements with their
quoted sentences, the expected deviations and every test. Filters by mode, verdict and
level narrow the failures and the test list (report.js).
Every string from a run is escaped: SUT output can be hostile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from string import Template
from typing import Any

from conformance.report.baseline import Comparison, exit_meaning
from conformance.report.captures import FOLDER, KEYLOG, MERGED, Capture
from conformance.report.html_evidence import (
    esc,
    filter_attrs,
    test_detail,
    verdict_cell,
    wrap_hex,
)
from conformance.report.model import (
    VERDICTS,
    Result,
    RootCause,
    RunInfo,
    Summary,
    worst,
)

__all__ = ["CSS_PATH", "esc", "render_html", "requirements_table", "verdict_cell", "wrap_hex"]

CSS_PATH = resources.files("conformance.report").joinpath("report.css")
JS_PATH = resources.files("conformance.report").joinpath("report.js")

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MIKEY conformance: $title</title>
<style>
$css</style>
</head>
<body>
<h1>MIKEY conformance report</h1>
<section id="glance">
$glance
</section>
$problems
<section id="root-causes">
<h2>Root causes</h2>
$root_causes
</section>
<section id="failures">
<h2>Tests that did not pass</h2>
$filters
$details
</section>
<section id="matrix">
<h2>Requirement sections x modes</h2>
$matrix
</section>
<section id="requirements">
<h2>Requirements</h2>
$requirements
</section>
<section id="deviations">
<h2>Expected deviations</h2>
$deviations
</section>
<section id="tests">
<h2>All tests</h2>
$tests
</section>
<script>
$js</script>
</body>
</html>
""")

SectionKey = tuple[str, str]


def table(head: Sequence[str], rows: Iterable[str], css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    head_html = "".join(f"<th>{esc(h)}</th>" for h in head)
    return f"<table{cls}>\n<tr>{head_html}</tr>\n" + "\n".join(rows) + "\n</table>"


def run_details(run: RunInfo, summary: Summary, status: int, comparison: Comparison | None) -> str:
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
    meta = f'<table class="meta">\n{body}\n</table>'
    return f"<details><summary>Run details</summary>\n{meta}\n</details>"


def mode_bars(summary: Summary) -> str:
    """Verdicts per mode as stacked CSS bars (widths in per cent of the mode's tests)."""
    rows = []
    for mode, counts in summary.by_mode.items():
        total = sum(counts.values())
        segments = "".join(
            f'<span class="seg v-{esc(v)}" style="width:{100 * n / total:.2f}%" '
            f'title="{n} {esc(v)}"></span>'
            for v, n in counts.items()
            if n
        )
        told = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
        rows.append(
            f'<div class="bar-row"><span class="bar-label">{esc(mode)}</span>'
            f'<span class="bar" role="img" aria-label="{esc(told)}">{segments}</span>'
            f'<span class="bar-count">{esc(told)}</span></div>'
        )
    legend = "".join(
        f'<span class="key"><span class="swatch v-{v}"></span>{v}</span>'
        for v in VERDICTS
        if summary.totals[v]
    )
    return f'<div class="chart">{"".join(rows)}<div class="legend">{legend}</div></div>'


def glance(
    run: RunInfo,
    summary: Summary,
    status: int,
    comparison: Comparison | None,
    captures: Mapping[str, Capture],
) -> str:
    """The top of the page: the exit status, what was tested, and the verdicts per mode."""
    totals = ", ".join(f"{summary.totals[v]} {v}" for v in VERDICTS if summary.totals[v])
    facts = [
        ("SUT", esc(run.sut)),
        ("Profile", esc(run.profile or "none")),
        ("Tests", esc(f"{len(summary.results)}: {totals or 'none'}")),
        ("Run", esc(f"{run.run_id}, {run.started} to {run.finished or 'unfinished'} (UTC)")),
    ]
    if captures:
        packets = sum(len(c.frames) for c in captures.values())
        keylog = f"{FOLDER}/{KEYLOG}"
        keys = any(r.evidence.get("keys") for r in summary.results)
        facts.append(
            (
                "Captures",
                f'<a class="pcap" href="{MERGED}">{MERGED}</a> ({packets} packet(s)); '
                "one pcap per test, linked from each test"
                + (
                    f'; SRTP keys (--show-secrets): <a href="{keylog}">{keylog}</a>' if keys else ""
                ),
            )
        )
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    return (
        f'<p class="status status-{status}">Exit status {status}: '
        f"{esc(exit_meaning(status, comparison, summary))}</p>\n"
        f'<dl class="facts">{items}</dl>\n{mode_bars(summary) if summary.results else ""}\n'
        + run_details(run, summary, status, comparison)
    )


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


BAD = ("error", "fail", "unexpected-pass", "inconclusive")
"""Verdicts that open their RFC's fold of the matrix."""


def _cell(tests: Sequence[Result]) -> str:
    if not tests:
        return "<td>&ndash;</td>"
    verdicts = [t.verdict for t in tests]
    counts = ", ".join(f"{verdicts.count(v)} {v}" for v in VERDICTS if v in verdicts)
    return verdict_cell(worst(verdicts), f"<small>{esc(counts)}</small>")


def matrix(summary: Summary) -> str:
    """One fold per RFC: a row per section, a column per mode; a fold opens when it
    holds a failure or an error."""
    cells = section_matrix(summary)
    if not cells:
        return "<p>No results.</p>"
    columns = sorted({key for _, key in cells}, key=_section_order)
    modes = list(summary.by_mode)
    head = "".join(f"<th>{esc(mode)}</th>" for mode in modes)
    folds = []
    for rfc in dict.fromkeys(r for r, _ in columns):
        sections = [key for key in columns if key[0] == rfc]
        rows = [f"<tr><th>section</th>{head}</tr>"]
        found: list[str] = []
        for key in sections:
            row = [cells.get((mode, key), []) for mode in modes]
            found += [t.verdict for tests in row for t in tests]
            tds = "".join(_cell(tests) for tests in row)
            rows.append(f"<tr><th>&sect;{esc(key[1])}</th>{tds}</tr>")
        verdict = worst(found)
        counts = ", ".join(f"{found.count(v)} {v}" for v in VERDICTS if v in found)
        folds.append(
            f'<details class="rfc"{" open" if verdict in BAD else ""}><summary>RFC {esc(rfc)}: '
            f"{verdict_cell(verdict, tag='span')} <small>{len(sections)} section(s); "
            f"{esc(counts)} (a test counts once per section it cites)</small></summary>\n"
            f'<table class="matrix">\n' + "\n".join(rows) + "\n</table>\n</details>"
        )
    return "\n".join(folds)


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
            f'<td class="level">{esc(req.level or "?")}</td><td>{quote}</td>'
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
        f'<td class="level">{esc(cause.level or "?")}</td><td>{quote}</td>'
        f'<td class="num">{cause.blocks}<br><small>{blocks}</small></td>'
        f"<td><details><summary>tests</summary>{'<br>'.join(tests)}</details></td></tr>"
    )


def root_causes_table(summary: Summary, anchors: dict[str, str]) -> str:
    """The first failing requirement of each test, grouped: the rules to fix, most first."""
    if not summary.root_causes:
        return "<p>None: no test failed or was inconclusive.</p>"
    rows = [root_cause_row(c, anchors) for c in summary.root_causes]
    return table(["Requirement", "Level", "Text (quoted)", "Tests it blocks", "Tests"], rows)


DETAILED = ("error", "fail", "unexpected-pass", "inconclusive", "expected-deviation")
"""Verdicts shown with evidence; not-applicable ones carry their reason in the test list."""


def tests_table(
    results: Sequence[Result], anchors: dict[str, str], captures: Mapping[str, Capture]
) -> str:
    rows = []
    for r in results:
        name = test_link(r.test_id, anchors)
        reason = "" if r.verdict == "pass" else esc(r.reason)
        capture = captures.get(r.test_id)
        pcap = f'<a href="{esc(capture.file)}">pcap</a>' if capture and capture.frames else ""
        rows.append(
            f"<tr {filter_attrs(r)}><td><code>{name}</code></td><td>{esc(r.mode or '-')}</td>"
            f"<td>{esc(r.role or '-')}</td>{verdict_cell(r.verdict)}"
            f'<td class="num">{r.duration_s:.3f}</td><td>{pcap}</td><td>{reason}</td></tr>'
        )
    body = table(["Test", "Mode", "Role", "Verdict", "Seconds", "Packets", "Reason"], rows)
    open_ = " open" if len(results) <= OPEN_TESTS else ""
    return f"<details{open_}><summary>{len(results)} test(s)</summary>\n{body}\n</details>"


def filters(summary: Summary) -> str:
    """Selects by mode, verdict and level (report.js hides what they leave out)."""
    found = {
        "mode": sorted({r.mode or "-" for r in summary.results}, key=str.lower),
        "verdict": [v for v in VERDICTS if summary.totals[v]],
        "level": sorted({r.level or "?" for r in summary.results}),
    }
    selects = "".join(
        f'<label>{name} <select name="{name}"><option value="">all</option>'
        + "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
        + "</select></label> "
        for name, values in found.items()
    )
    return (
        f'<form id="filters" class="filters">Show: {selects}'
        '<output id="filter-count"></output> <small>(the failures here and the list of all'
        " tests)</small></form>"
    )


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


OPEN_TESTS = 50
"""The list of all tests starts unfolded up to this many tests."""


def render_html(
    run: RunInfo,
    summary: Summary,
    status: int,
    problems: Sequence[str],
    comparison: Comparison | None = None,
    captures: Mapping[str, Capture] | None = None,
) -> str:
    """The whole page; `captures` (test ID -> its pcap) links each test's packets."""
    captures = captures or {}
    detailed = [r for r in summary.results if r.verdict in DETAILED]
    detailed.sort(key=lambda r: DETAILED.index(r.verdict))
    anchors = {r.test_id: f"t{i}" for i, r in enumerate(detailed)}
    details = "\n".join(test_detail(r, anchors[r.test_id], summary, captures) for r in detailed)
    return PAGE.substitute(
        title=esc(f"{run.sut}, run {run.run_id}"),
        css=CSS_PATH.read_text(encoding="utf-8"),
        js=JS_PATH.read_text(encoding="utf-8"),
        glance=glance(run, summary, status, comparison, captures),
        problems=problems_block(problems),
        root_causes=root_causes_table(summary, anchors),
        filters=filters(summary) if summary.results else "",
        matrix=matrix(summary),
        requirements=f"<details><summary>{len(summary.requirements)} requirement(s) cited"
        f"</summary>\n{requirements_table(summary, anchors)}\n</details>",
        deviations=deviations_table(run, summary, anchors),
        details=details or ("<p>None.</p>" if summary.results else "<p>No test ran.</p>"),
        tests=tests_table(summary.results, anchors, captures),
    )
