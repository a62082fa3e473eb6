"""The results model: journal reading, summary counts, requirement verdicts, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.report.model import (
    EXIT_FAILED,
    EXIT_HARNESS,
    EXIT_OK,
    Result,
    RunInfo,
    exit_status,
    read_journal,
    summarize,
    worst,
)
from tests.report.journals import CATALOG, HDR, MAC, REPLAY, SKEW, mixed, record, write_journal


def results(records: list[dict[str, object]]) -> list[Result]:
    return [Result.from_json(r) for r in records]


def test_journal_round_trips(tmp_path: Path) -> None:
    journal = read_journal(write_journal(tmp_path / "j.jsonl", mixed()))
    assert [r.to_json() for r in journal.results] == mixed()
    assert journal.problems == ()
    assert not journal.truncated


def test_missing_journal_reads_as_empty(tmp_path: Path) -> None:
    journal = read_journal(tmp_path / "absent.jsonl")
    assert journal.results == () and journal.problems == ()


def test_cut_off_last_line_is_left_out_and_flagged(tmp_path: Path) -> None:
    cut = json.dumps(record("test_cut"))[:40]  # an interrupted write: no newline
    journal = read_journal(write_journal(tmp_path / "j.jsonl", mixed(), tail=cut))
    assert len(journal.results) == len(mixed())
    assert journal.truncated
    assert journal.problems == ()


def test_corrupt_line_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    lines = [json.dumps(r) for r in mixed()[:2]]
    path.write_text(f"{lines[0]}\n{{not json\n{lines[1]}\n", encoding="utf-8")
    journal = read_journal(path)
    assert len(journal.results) == 2
    assert len(journal.problems) == 1
    assert f"{path}:2: corrupt journal line" in journal.problems[0]
    assert not journal.truncated


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"verdict": "passed"}, "unknown verdict 'passed'"),
        ({"schema": 4}, "unsupported record schema 4"),
        ({"expectation": "x"}, "expectation must be a JSON object or null"),
        ({"test_id": None}, "test_id missing"),
        ({"requirements": "RFC3830-5.3-x"}, "requirements must be a list"),
        ({"evidence": []}, "evidence must be a JSON object"),
        ({"duration_s": [1]}, "float() argument"),
    ],
)
def test_invalid_records_are_corrupt_lines(
    tmp_path: Path, change: dict[str, object], complaint: str
) -> None:
    bad = {**record("test_bad"), **change}
    journal = read_journal(write_journal(tmp_path / "j.jsonl", [bad, record("test_good")]))
    assert [r.test_id for r in journal.results] == ["rfc3830/test_psk_responder.py::test_good"]
    assert len(journal.problems) == 1 and complaint in journal.problems[0]


def test_a_complete_but_invalid_last_line_is_corrupt_not_cut(tmp_path: Path) -> None:
    journal = read_journal(write_journal(tmp_path / "j.jsonl", [record("t")], tail="[1, 2]\n"))
    assert not journal.truncated
    assert "j.jsonl:2: corrupt journal line" in journal.problems[0]


def test_counts_per_mode_and_verdict() -> None:
    summary = summarize(results(mixed()), CATALOG)

    def counts(p: int, f: int, xd: int, na: int, e: int, up: int = 0) -> dict[str, int]:
        return {
            "pass": p, "fail": f, "inconclusive": 0, "unexpected-pass": up,
            "expected-deviation": xd, "not-applicable": na, "error": e,
        }  # fmt: skip

    assert summary.by_mode == {
        "codec": counts(1, 0, 1, 0, 0),
        "DH": counts(0, 0, 0, 1, 0),
        "PSK": counts(1, 2, 0, 0, 1),
    }
    assert summary.totals == counts(2, 2, 1, 1, 1)
    assert [r.title for r in summary.failures] == ["test_rejects_wrong_mac does what the RFC says"]
    assert [r.reason for r in summary.should_failures] == ["skew of 1 h accepted"]
    assert len(summary.errors) == 1
    assert summary.applicable == 6


def test_requirement_verdicts_take_the_worst_test() -> None:
    summary = summarize(results(mixed()), CATALOG)
    verdicts = {req_id: req.verdict for req_id, req in summary.requirements.items()}
    # REPLAY: error and not-applicable; HDR: pass and deviation; MAC: pass and fail.
    assert verdicts == {MAC: "fail", REPLAY: "error", HDR: "expected-deviation", SKEW: "fail"}
    mac = summary.requirements[MAC]
    assert (mac.rfc, mac.section, mac.level) == ("3830", "5.3", "MUST")
    assert mac.text == CATALOG[MAC].text
    assert len(mac.tests) == 2


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (["pass", "not-applicable"], "pass"),
        (["expected-deviation", "pass"], "expected-deviation"),
        (["pass", "fail", "expected-deviation"], "fail"),
        (["fail", "error"], "error"),
        (["not-applicable"], "not-applicable"),
        ([], "not-applicable"),
    ],
)
def test_worst_verdict_order(verdicts: list[str], expected: str) -> None:
    assert worst(verdicts) == expected


def test_requirement_missing_from_the_catalog_is_placed_by_its_id() -> None:
    summary = summarize(results([record("t", requirements=["RFC6043-5.1.2-ticket"])]), {})
    req = summary.requirements["RFC6043-5.1.2-ticket"]
    assert (req.rfc, req.section, req.level, req.text) == ("6043", "5.1.2", None, None)


def status(records: list[dict[str, object]], strict: bool = False, harness: bool = False) -> int:
    return exit_status(summarize(results(records), CATALOG), strict, harness)


def test_exit_status_all_applicable_passed() -> None:
    records = [
        record("a"),
        record("b", "not-applicable"),
        record("c", "expected-deviation"),
    ]
    assert status(records) == EXIT_OK
    assert status(records, strict=True) == EXIT_OK


def test_exit_status_must_failure() -> None:
    assert status([record("a"), record("b", "fail")]) == EXIT_FAILED


def test_exit_status_should_failure_counts_only_when_strict() -> None:
    records = [record("a"), record("b", "fail", [SKEW], level="SHOULD")]
    assert status(records) == EXIT_OK
    assert status(records, strict=True) == EXIT_FAILED


def test_exit_status_unknown_level_failure_counts() -> None:
    assert status([record("a", "fail", ["RFC9999-1-x"], level=None)]) == EXIT_FAILED


def test_exit_status_harness_error_wins() -> None:
    assert status(mixed(), strict=True) == EXIT_HARNESS  # an error verdict among failures
    assert status([record("a"), record("b", "fail")], harness=True) == EXIT_HARNESS
    assert status([record("a")], harness=True) == EXIT_HARNESS


def test_exit_status_nothing_checked_is_a_harness_failure() -> None:
    assert status([]) == EXIT_HARNESS
    assert status([record("a", "not-applicable"), record("b", "not-applicable")]) == EXIT_HARNESS


def test_run_info_round_trips_and_rejects_junk() -> None:
    info = RunInfo(run_id="r1", sut="builtin", argv=["mikeyconf", "run"], strict=True)
    again = RunInfo.from_json(json.loads(json.dumps(info.to_json())))
    assert again == info
    assert info.started.endswith("Z") and info.finished is None
    with pytest.raises(ValueError, match="bad run information"):
        RunInfo.from_json({"run_id": "r1"})
    with pytest.raises(ValueError, match="JSON object"):
        RunInfo.from_json([])
