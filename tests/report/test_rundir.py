"""Run directories: IDs, run.json, harness problems, rendering a journal into reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conformance.report.model import Journal, Result, RunInfo, summarize
from conformance.report.rundir import (
    HTML,
    JOURNAL,
    PROBLEMS,
    RESULTS,
    create_run_dir,
    harness_problems,
    read_run_info,
    render_run,
    write_run_info,
)
from tests.report.journals import CATALOG, mixed, record, write_journal

NOW = datetime(2026, 11, 28, 10, 30, 0, tzinfo=UTC)


def test_run_ids_are_utc_times_made_unique(tmp_path: Path) -> None:
    first = create_run_dir(tmp_path / "reports", None, NOW)
    second = create_run_dir(tmp_path / "reports", None, NOW)
    third = create_run_dir(tmp_path / "reports", None, NOW)
    assert [d.name for d in (first, second, third)] == [
        "20261128T103000Z",
        "20261128T103000Z-2",
        "20261128T103000Z-3",
    ]
    assert all(d.is_dir() for d in (first, second, third))


def test_a_given_run_id_reuses_its_directory_without_the_old_journal(tmp_path: Path) -> None:
    run_dir = create_run_dir(tmp_path, "ci")
    write_journal(run_dir / JOURNAL, [record("old")])
    assert create_run_dir(tmp_path, "ci") == run_dir
    assert not (run_dir / JOURNAL).exists()


@pytest.mark.parametrize("bad", ["../x", "a/b", ".hidden", "", "x" * 101, "a b"])
def test_bad_run_ids_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="bad run ID"):
        create_run_dir(tmp_path, bad)


def test_run_info_is_written_and_read_back(tmp_path: Path) -> None:
    info = RunInfo(run_id="r", sut="builtin", argv=["mikeyconf", "run"], pytest_exit=0)
    write_run_info(tmp_path, info)
    assert read_run_info(tmp_path) == info
    (tmp_path / "run.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match=r"run\.json: run information must be a JSON object"):
        read_run_info(tmp_path)


def problems(
    pytest_exit: int | None,
    records: list[dict[str, object]],
    journal_problems: tuple[str, ...] = (),
    truncated: bool = False,
) -> list[str]:
    results = tuple(Result.from_json(r) for r in records)
    found = Journal(results, journal_problems, truncated)
    return harness_problems(pytest_exit, found, summarize(results, CATALOG))


def test_a_clean_run_has_no_harness_problem() -> None:
    assert problems(0, [record("a")]) == []
    assert problems(1, [record("a", "fail")]) == []


@pytest.mark.parametrize(
    ("pytest_exit", "says"),
    [
        (2, "interrupted"),
        (3, "internal error"),
        (4, "rejected its arguments"),
        (None, "did not finish"),
        (7, "unknown status 7"),
    ],
)
def test_pytest_trouble_is_a_harness_problem(pytest_exit: int | None, says: str) -> None:
    found = problems(pytest_exit, [record("a")])
    assert len(found) == 1 and says in found[0]


def test_nothing_run_or_nothing_applicable_is_a_harness_problem() -> None:
    assert problems(5, []) == [
        "no test ran: nothing matched the --mode, --role and --test selection"
    ]
    assert problems(0, []) == ["no conformance test result was recorded"]
    assert "no applicable test" in problems(0, [record("a", "not-applicable")])[0]


def test_failures_pytest_saw_but_the_journal_lacks_are_a_harness_problem() -> None:
    assert problems(1, [record("a")]) == ["pytest reported failures that the journal does not hold"]


def test_journal_trouble_is_a_harness_problem() -> None:
    found = problems(0, [record("a")], ("j:2: corrupt journal line: x",), truncated=True)
    assert found[0] == "j:2: corrupt journal line: x"
    assert "cut short" in found[1]


def test_render_run_writes_results_and_html(tmp_path: Path) -> None:
    write_journal(tmp_path / JOURNAL, [r for r in mixed() if r["verdict"] != "error"])
    info = RunInfo(run_id="r", sut="builtin", argv=[], pytest_exit=1)
    rendered = render_run(tmp_path, info, CATALOG)
    assert rendered.status == 1 and rendered.problems == ()
    document = json.loads((tmp_path / RESULTS).read_text(encoding="utf-8"))
    assert document["summary"]["exit_status"] == 1
    assert '<table class="matrix">' in (tmp_path / HTML).read_text(encoding="utf-8")


def test_render_run_counts_should_failures_when_the_run_was_strict(tmp_path: Path) -> None:
    should_fail = [r for r in mixed() if r["level"] == "SHOULD"]
    write_journal(tmp_path / JOURNAL, [record("a"), *should_fail])
    lax = RunInfo(run_id="r", sut="builtin", argv=[], pytest_exit=1)
    strict = RunInfo(run_id="r", sut="builtin", argv=[], pytest_exit=1, strict=True)
    assert render_run(tmp_path, lax, CATALOG).status == 0
    assert render_run(tmp_path, strict, CATALOG).status == 1


def test_problems_the_plugin_wrote_are_harness_problems_each_once(tmp_path: Path) -> None:
    stale = "expectations x.json: entry 2 ('a.py::t') matches no test in the suite"
    (tmp_path / PROBLEMS).write_text(f"{stale}\n{stale}\n\n", encoding="utf-8")  # two workers
    write_journal(tmp_path / JOURNAL, [record("a")])
    rendered = render_run(tmp_path, RunInfo(run_id="r", sut="b", argv=[], pytest_exit=0), CATALOG)
    assert rendered.problems == (stale,) and rendered.status == 2
    assert create_run_dir(tmp_path.parent, tmp_path.name) == tmp_path
    assert not (tmp_path / PROBLEMS).exists()  # a new run under the same ID starts clean
