"""A run directory (reports/<run-id>/) and turning its journal into the reports.

Layout (reports/README.md):
    run.json          RunInfo: written at the start, completed at the end
    journal.jsonl     one result per finished test, appended as it happens
    results.json      the whole run (results.schema.json), from the journal
    report.html       the self-contained HTML report, from the journal
    run.pcap, pcap/   the exchanges as packet captures, from the journal (captures.py)
    problems.txt      harness problems the plugin found (e.g. a stale expectation), if any
    junit.xml         pytest's JUnit XML (from the journal, once the run was resumed)
    allure-results/   allure-pytest's results
`mikeyconf report RUN_DIR` re-renders results.json and report.html at any time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

from conformance.report.baseline import Comparison, compare, load_baseline
from conformance.report.captures import write_captures
from conformance.report.html import render_html
from conformance.report.junit import render_junit
from conformance.report.model import (
    CatalogEntry,
    Journal,
    RunInfo,
    Summary,
    exit_status,
    read_journal,
    summarize,
)
from conformance.report.results_json import build_results, write_results

RUN_JSON = "run.json"
JOURNAL = "journal.jsonl"
RESULTS = "results.json"
HTML = "report.html"
JUNIT = "junit.xml"
ALLURE = "allure-results"
PROBLEMS = "problems.txt"

RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
"""A run ID names one directory: no separators, no leading dot."""

PYTEST_EXIT_PROBLEMS = {
    2: "pytest was interrupted (Ctrl-C, or errors while collecting tests; see its output)",
    3: "pytest failed with an internal error (see its output)",
    4: "pytest rejected its arguments or a test's markers (see its output)",
    5: "no test ran: nothing matched the --mode, --role and --test selection",
}


def check_run_id(run_id: str) -> str:
    if not RUN_ID.fullmatch(run_id):
        raise ValueError(f"bad run ID {run_id!r}: use letters, digits, '.', '_' and '-'")
    return run_id


def create_run_dir(out: Path, run_id: str | None, now: datetime | None = None) -> Path:
    """Make the run's directory under `out`; raises OSError when it cannot.

    Without `run_id` the ID is the UTC time (20261128T103000Z), with "-2",
    "-3"... added when that directory exists. A given `run_id` reuses its
    directory: the journal (and problems) of the earlier run there are removed.
    """
    out.mkdir(parents=True, exist_ok=True)
    if run_id is not None:
        run_dir = out / check_run_id(run_id)
        run_dir.mkdir(exist_ok=True)
        for stale in (JOURNAL, PROBLEMS):
            (run_dir / stale).unlink(missing_ok=True)
        return run_dir
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    for n in count(1):
        run_dir = out / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            run_dir.mkdir()
        except FileExistsError:
            continue
        return run_dir
    raise AssertionError("unreachable")


def write_run_info(run_dir: Path, run: RunInfo) -> None:
    text = json.dumps(run.to_json(), indent=2, ensure_ascii=False)
    (run_dir / RUN_JSON).write_text(text + "\n", encoding="utf-8")


def read_run_info(run_dir: Path) -> RunInfo:
    """run.json of `run_dir`; raises OSError or ValueError naming the file."""
    path = run_dir / RUN_JSON
    try:
        return RunInfo.from_json(json.loads(path.read_text(encoding="utf-8")))
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def read_problems(run_dir: Path) -> list[str]:
    """The harness problems the plugin wrote to problems.txt, each once, in order."""
    try:
        text = (run_dir / PROBLEMS).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return list(dict.fromkeys(line for line in text.splitlines() if line.strip()))


def harness_problems(
    pytest_exit: int | None, journal: Journal, summary: Summary, found: Sequence[str] = ()
) -> list[str]:
    """What went wrong with the run itself, beside the tests' verdicts."""
    problems = [*found, *journal.problems]
    if journal.truncated:
        problems.append(f"{JOURNAL}: the last line is cut short (an interrupted run); left out")
    if pytest_exit is None:
        problems.append("the run did not finish (run.json holds no pytest exit code)")
    elif pytest_exit in PYTEST_EXIT_PROBLEMS:
        problems.append(PYTEST_EXIT_PROBLEMS[pytest_exit])
    elif pytest_exit == 1 and not (summary.counted_failures(strict=True) or summary.errors):
        problems.append("pytest reported failures that the journal does not hold")
    elif pytest_exit != 0 and pytest_exit != 1:
        problems.append(f"pytest exited with unknown status {pytest_exit}")
    if not summary.results and pytest_exit not in PYTEST_EXIT_PROBLEMS:
        problems.append("no conformance test result was recorded")
    elif summary.results and not summary.applicable:
        problems.append("no applicable test: the SUT takes part in none of the selected tests")
    return problems


@dataclass(frozen=True)
class Rendered:
    """What rendering a run directory found."""

    summary: Summary
    problems: tuple[str, ...]
    status: int
    comparison: Comparison | None = None


def render_run(run_dir: Path, run: RunInfo, catalog: Mapping[str, CatalogEntry] | None) -> Rendered:
    """Read the journal of `run_dir`, write results.json and report.html.

    The exit status counts SHOULD-level failures when the run was strict, and
    only the new failures when the run has a baseline; raises BaselineError
    when the baseline cannot be read.
    """
    journal = read_journal(run_dir / JOURNAL)
    summary = summarize(journal.results, catalog)
    problems = harness_problems(run.pytest_exit, journal, summary, read_problems(run_dir))
    comparison = None
    if run.baseline is not None:
        comparison = compare(load_baseline(Path(run.baseline)), summary, run.strict)
    known = comparison.known if comparison else ()
    status = exit_status(summary, run.strict, harness_failed=bool(problems), known=known)
    write_results(run_dir / RESULTS, build_results(run, summary, problems, comparison))
    captures = write_captures(run_dir, summary.results, run.started)
    html = render_html(run, summary, status, problems, comparison, captures)
    (run_dir / HTML).write_text(html, encoding="utf-8")
    if run.resumed:  # pytest's junit.xml holds only the last part of the run
        (run_dir / JUNIT).write_text(render_junit(summary.results), encoding="utf-8")
    return Rendered(summary, tuple(problems), status, comparison)
