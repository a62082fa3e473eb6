"""The verdict inconclusive in the model, the exit status, baselines, root causes, the
summary, report.html, results.json and junit.xml (docs/reports.md "Verdicts")."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

from conformance.report.baseline import compare, load_baseline
from conformance.report.html import render_html
from conformance.report.junit import render_junit
from conformance.report.model import (
    EXIT_FAILED,
    EXIT_OK,
    Result,
    RunInfo,
    Summary,
    exit_status,
    read_journal,
    summarize,
)
from conformance.report.results_json import build_results, load_schema
from conformance.report.summary import format_summary
from tests.report.journals import (
    CATALOG,
    HDR,
    MAC,
    REPLAY,
    SKEW,
    blocked,
    record,
    write_journal,
)

ONE_BUG = [
    record("test_checker", "fail", [MAC], reason="valid I_MESSAGE refused"),
    blocked("test_replay", MAC, [REPLAY]),
    blocked("test_keys", MAC, [HDR]),
    record("test_other", "fail", [HDR], reason="no HDR"),
    record("test_fine"),
]


def summary_of(records: list[dict[str, object]]) -> Summary:
    return summarize([Result.from_json(r) for r in records], CATALOG)


def test_root_causes_group_each_test_under_its_first_failing_requirement() -> None:
    causes = summary_of(ONE_BUG).root_causes
    assert [(c.id, c.blocks, len(c.failed), len(c.blocked)) for c in causes] == [
        (MAC, 3, 1, 2),
        (HDR, 1, 1, 0),
    ]
    assert causes[0].text == CATALOG[MAC].text and causes[0].level == "MUST"


def test_a_requirement_with_an_inconclusive_test_and_no_failure_is_inconclusive() -> None:
    summary = summary_of(ONE_BUG)
    assert summary.requirements[REPLAY].verdict == "inconclusive"
    assert summary.requirements[MAC].verdict == "fail"
    assert summary.totals["inconclusive"] == 2


def test_inconclusive_tests_a_failure_accounts_for_do_not_count_apart() -> None:
    summary = summary_of(ONE_BUG)
    assert summary.unaccounted() == []
    counted = {r.test_id.rsplit(":", 1)[1] for r in summary.counted_failures(strict=False)}
    assert counted == {"test_checker", "test_other"}
    assert exit_status(summary, strict=False, harness_failed=False) == EXIT_FAILED


def test_an_inconclusive_test_nothing_accounts_for_is_not_a_pass() -> None:
    """The precondition's own test passed (or did not run): the blocked test counts."""
    summary = summary_of([record("test_checker"), blocked("test_replay", MAC)])
    assert [r.test_id for r in summary.unaccounted()] == [summary.results[1].test_id]
    assert exit_status(summary, strict=False, harness_failed=False) == EXIT_FAILED


def test_a_listed_deviation_or_a_should_failure_accounts_for_its_blocked_tests() -> None:
    deviation = {**record("test_checker", "expected-deviation", [MAC]), "expectation": {}}
    summary = summary_of([deviation, blocked("test_replay", MAC), record("test_fine")])
    assert exit_status(summary, strict=False, harness_failed=False) == EXIT_OK
    should = [record("test_skew", "fail", [SKEW], level="SHOULD"), blocked("test_r", SKEW)]
    summary = summary_of([*should, record("test_fine")])
    assert exit_status(summary, strict=False, harness_failed=False) == EXIT_OK
    assert exit_status(summary, strict=True, harness_failed=False) == EXIT_FAILED


def test_a_baseline_knows_its_inconclusive_tests(tmp_path: Path) -> None:
    summary = summary_of([record("test_checker"), blocked("test_replay", MAC)])
    document = build_results(RunInfo(run_id="old", sut="builtin", argv=[]), summary, [])
    path = tmp_path / "results.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    baseline = load_baseline(path)
    assert baseline.failing == {summary.results[1].test_id}
    comparison = compare(baseline, summary, strict=False)
    assert comparison.new == () and comparison.known == (summary.results[1].test_id,)


def test_results_json_carries_verdict_precondition_and_root_causes() -> None:
    summary = summary_of(ONE_BUG)
    document = build_results(RunInfo(run_id="r", sut="builtin", argv=[]), summary, [])
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert document["summary"]["inconclusive"] == 2
    assert document["summary"]["inconclusive_counted"] == 0
    assert document["summary"]["root_causes"][0]["requirement"] == MAC
    assert document["summary"]["root_causes"][0]["blocks"] == 3
    results = {r["test_id"].rsplit(":", 1)[1]: r for r in document["results"]}
    assert results["test_replay"]["precondition"]["requirement"] == MAC
    assert results["test_checker"]["precondition"] is None


def test_a_schema_2_journal_still_reads(tmp_path: Path) -> None:
    old = {**record("test_old", "fail"), "schema": 2}
    del old["precondition"]
    journal = read_journal(write_journal(tmp_path / "j.jsonl", [old]))
    assert not journal.problems and journal.results[0].precondition is None


def test_summary_puts_the_root_causes_first_with_quoted_text() -> None:
    text = format_summary(
        summary_of(ONE_BUG), sut="b", run_id="r", run_dir=Path("r"), status=1, strict=False
    )
    head = text.split("Root causes", 1)[1].splitlines()
    assert head[1] == (
        f'  {MAC} (MUST) blocks 3 test(s) (1 failed, 2 inconclusive): "{CATALOG[MAC].text}"'
    )
    assert head[2].startswith(f"  {HDR} (MUST) blocks 1 test(s)")
    assert text.index("Root causes") < text.index("Failing requirements:")


def test_report_html_shows_the_root_causes_before_the_matrix() -> None:
    page = render_html(RunInfo(run_id="r", sut="b", argv=[]), summary_of(ONE_BUG), 1, [])
    causes = page.index("<h2>Root causes</h2>")
    assert causes < page.index('<section id="failures">') < page.index('<section id="matrix">')
    first_row = page[causes:].split("<tr>", 2)[2]
    assert MAC in first_row and f"<q>{CATALOG[MAC].text}</q>" in first_row
    assert 'class="v v-inconclusive"' in page and "Inconclusive: its vehicle failed" in page


def test_junit_marks_inconclusive_as_a_skip_with_the_root_cause() -> None:
    root = ET.fromstring(render_junit([Result.from_json(r) for r in ONE_BUG]))
    case = next(c for c in root.iter("testcase") if c.get("name") == "test_replay")
    skipped = case.find("skipped")
    assert skipped is not None and str(skipped.get("message")).startswith("inconclusive: ")
    assert MAC in str(skipped.get("message"))
    properties = {(p.get("name"), p.get("value")) for p in case.iter("property")}
    assert ("root-cause", MAC) in properties


def test_a_failure_that_names_its_fault_is_grouped_under_it() -> None:
    named = {**record("test_both", "fail", [HDR, MAC]), "fault": MAC}
    unnamed = record("test_other", "fail", [HDR, MAC])
    causes = summary_of([named, unnamed]).root_causes
    assert {(c.id, c.failed) for c in causes} == {
        (MAC, (named["test_id"],)),
        (HDR, (unnamed["test_id"],)),
    }
