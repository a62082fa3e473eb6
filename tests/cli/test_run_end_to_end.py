"""`mikeyconf run` end to end against the built-in SUT: the run directory it leaves."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conformance.report.results_json import load_schema
from tests.subprocess_cli import mikeyconf

ROOT = Path(__file__).resolve().parents[2]
RUN_FILES = {"run.json", "journal.jsonl", "results.json", "junit.xml", "report.html"}


def test_run_writes_every_report_and_prints_the_summary_last(tmp_path: Path) -> None:
    done = mikeyconf("run", "--out", str(tmp_path), "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    (run_dir,) = tmp_path.iterdir()
    assert {p.name for p in run_dir.iterdir()} >= RUN_FILES
    assert any((run_dir / "allure-results").iterdir())
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(results)
    journal = (run_dir / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert results["summary"]["total"] == len(journal) > 0
    assert results["run"]["run_id"] == run_dir.name and results["run"]["pytest_exit"] == 0
    assert done.stdout.rstrip().splitlines()[-1] == "Exit status 0: every applicable test passed."
    assert '<table class="matrix">' in (run_dir / "report.html").read_text(encoding="utf-8")


def test_a_selection_that_matches_nothing_is_a_harness_failure(tmp_path: Path) -> None:
    done = mikeyconf("run", "--out", str(tmp_path), "--run-id", "none", "--mode", "IBAKE", "-q")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no test ran: nothing matched" in done.stdout
    results = json.loads((tmp_path / "none" / "results.json").read_text(encoding="utf-8"))
    assert results["summary"]["exit_status"] == 2
