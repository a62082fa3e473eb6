"""Baselines: reading an earlier results.json, and which failures are new."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.report.baseline import BaselineError, compare, exit_meaning, load_baseline
from conformance.report.model import Result, RunInfo, exit_status, summarize
from conformance.report.results_json import build_results
from conformance.report.summary import format_summary
from tests.report.journals import CATALOG, listed, record

OLD = [record("a", "fail"), record("b", "fail"), record("c"), record("d", "error")]


def results_json(records: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    summary = summarize([Result.from_json(r) for r in records], CATALOG)
    document = build_results(RunInfo(run_id="old", sut="builtin", argv=[]), summary, [])
    return {**document, **changes}


def baseline_file(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_baseline_knows_its_failing_tests(tmp_path: Path) -> None:
    baseline = load_baseline(baseline_file(tmp_path, results_json(OLD)))
    assert baseline.run_id == "old"
    assert {t.rsplit(":", 1)[1] for t in baseline.failing} == {"a", "b", "d"}
    old_version = results_json(OLD, schema_version=1)  # an older suite's results.json
    assert load_baseline(baseline_file(tmp_path, old_version)).failing == baseline.failing


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ([], "not a mikey-conformance results.json"),
        ({"suite": {"name": "other"}}, "not a mikey-conformance results.json"),
        (
            results_json(OLD, schema_version=9),
            "results.json schema version 9 is not supported (1, 2, 3)",
        ),
        (results_json(OLD, results={}), "'results' must be a list"),
        (results_json(OLD, results=[{"test_id": "x"}]), "results[0] has no test_id and verdict"),
    ],
)
def test_bad_baselines_are_one_line_errors(tmp_path: Path, document: object, says: str) -> None:
    path = baseline_file(tmp_path, document)
    with pytest.raises(BaselineError) as raised:
        load_baseline(path)
    assert str(raised.value) == f"baseline {path}: {says}"


def test_unreadable_baselines(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"absent\.json: cannot read it"):
        load_baseline(tmp_path / "absent.json")
    (tmp_path / "j.json").write_text("{", encoding="utf-8")
    with pytest.raises(BaselineError, match=r"j\.json: not valid JSON"):
        load_baseline(tmp_path / "j.json")


def test_only_new_failures_count(tmp_path: Path) -> None:
    baseline = load_baseline(baseline_file(tmp_path, results_json(OLD)))
    now = [
        record("a", "fail"),  # known
        record("b"),  # fixed
        record("c", "fail"),  # new
        listed("d", "unexpected-pass"),  # the baseline's error: known
        record("e", "fail", level="SHOULD"),  # not counted (not strict)
    ]
    summary = summarize([Result.from_json(r) for r in now], CATALOG)
    comparison = compare(baseline, summary, strict=False)
    short = {k: [t.rsplit(":", 1)[1] for t in v] for k, v in comparison.to_json().items()
             if isinstance(v, list)}  # fmt: skip
    assert short == {"new_failures": ["c"], "known_failures": ["a", "d"], "fixed": ["b"]}
    assert exit_status(summary, False, False, known=comparison.known) == 1
    without_c = summarize([Result.from_json(r) for r in now if r["test_id"][-1] != "c"], CATALOG)
    known = compare(baseline, without_c, strict=False).known
    assert exit_status(without_c, False, False, known=known) == 0
    assert exit_meaning(0, compare(baseline, without_c, strict=False), without_c).startswith(
        "no failure"
    )
    assert "e" in [t[-1] for t in compare(baseline, summary, strict=True).new]

    text = format_summary(
        summary, sut="b", run_id="r", run_dir=Path("r"), status=1, strict=False,
        comparison=comparison,
    )  # fmt: skip
    section = text.split(f"Against the baseline {baseline.path} (run old):\n", 1)[1]
    assert section.startswith(
        "  1 new failures (counted):\n    rfc3830/test_psk_responder.py::c\n"
        "  2 failures also in the baseline (not counted):\n"
    )
    assert "  1 baseline failures that now pass:\n    rfc3830/test_psk_responder.py::b" in text


def test_exit_meaning_names_the_expected_deviations_a_clean_exit_leaves_out() -> None:
    clean = summarize([Result.from_json(record("a"))], CATALOG)
    deviating = summarize(
        [Result.from_json(r) for r in (record("a"), listed("b", "expected-deviation"))], CATALOG
    )
    assert exit_meaning(0, None, clean) == "every applicable test passed"
    assert exit_meaning(0, None, deviating) == (
        "no applicable test failed beyond the 1 expected deviation(s) of the expectations file"
    )
    failing = summarize(
        [Result.from_json(r) for r in (record("a", "fail"), listed("b", "expected-deviation"))],
        CATALOG,
    )
    assert exit_meaning(1, None, failing) == "a conformance test failed"
