"""`mikeyconf run --resume`: a run killed half-way finishes with nothing redone or lost."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.cli import build_parser
from conformance.report.model import RunInfo
from conformance.report.results_json import load_schema
from conformance.resume import resumed_options, stored_options, trim_journal
from tests.cli.dying import DIE_AFTER
from tests.cli.test_cli import one_line_error
from tests.cli.test_run_end_to_end import ROOT

SUT = "tests.cli.dying:mutant_that_dies"
FILE = "rfc3830/test_psk_responder.py"
KILLED_AFTER = 7  # the mutant fails tests 6 to 9: two before the kill, two after


def mikeyconf(*args: str, die_after: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != DIE_AFTER}
    if die_after:
        env[DIE_AFTER] = str(die_after)
    return subprocess.run(
        [sys.executable, "-m", "conformance.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip


def journal(run_dir: Path) -> list[dict[str, Any]]:
    lines = (run_dir / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def outcomes(run_dir: Path) -> dict[str, tuple[str, str]]:
    """Each test's verdict and reason (random CSB IDs and message bytes left out)."""
    return {r["test_id"]: (r["verdict"], RANDOM.sub("?", r["reason"])) for r in journal(run_dir)}


RANDOM = re.compile(r"0x[0-9a-f]+|b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\"")
"""What differs between two runs of one test: CSB IDs, and bytes with random parts."""


def test_a_killed_run_resumes_to_the_results_of_an_uninterrupted_one(tmp_path: Path) -> None:
    run = ("run", "--sut", SUT, "--test", FILE, "--out", str(tmp_path), "-q")
    whole = mikeyconf(*run, "--run-id", "whole")
    assert whole.returncode == 1, whole.stdout + whole.stderr  # the mutant fails 4 tests

    killed = mikeyconf(*run, "--run-id", "cut", die_after=KILLED_AFTER)
    assert killed.returncode == -signal.SIGKILL
    cut = tmp_path / "cut"
    assert len(journal(cut)) == KILLED_AFTER  # every finished test was on disk at the kill
    assert json.loads((cut / "run.json").read_text())["pytest_exit"] is None
    with (cut / "journal.jsonl").open("a", encoding="utf-8") as half_written:
        half_written.write('{"schema": 2, "test_id": "rfc3830/test_psk_')

    resumed = mikeyconf("run", "--resume", str(cut), "-q")
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 1, output
    assert "journal.jsonl: dropped a last line cut short; its test runs again" in output
    records = journal(cut)
    assert len(records) == len({r["test_id"] for r in records})  # nothing redone
    assert outcomes(cut) == outcomes(tmp_path / "whole")  # nothing lost
    results = json.loads((cut / "results.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(results)
    assert results["summary"]["by_verdict"]["fail"] == 4
    assert results["summary"]["harness_problems"] == []
    assert len(results["run"]["resumed"]) == 1 and results["run"]["pytest_exit"] == 1
    suite = ET.parse(cut / "junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "22" and suite.get("failures") == "4"
    index = json.loads((cut / "pcap" / "index.json").read_text(encoding="utf-8"))
    assert set(index["tests"]) == set(outcomes(cut))  # the captures cover the whole run
    sent = sum(len(r["evidence"]["exchanges"]) for r in records)
    assert sum(t["packets"] for t in index["tests"].values()) == sent > 0

    again = mikeyconf("run", "--resume", str(cut), "-q")  # nothing left to run
    assert again.returncode == 1, again.stdout + again.stderr
    assert outcomes(cut) == outcomes(tmp_path / "whole")
    assert "harness" not in again.stdout.rsplit("Exit status", 1)[1]


def test_resume_takes_no_other_run_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    line = one_line_error(capsys, ["run", "--resume", str(tmp_path)])
    assert line.endswith(f"--resume {tmp_path}: not a run directory (no run.json)")
    info = RunInfo(run_id="r", sut="builtin", argv=[])
    (tmp_path / "run.json").write_text(json.dumps(info.to_json()), encoding="utf-8")
    line = one_line_error(capsys, ["run", "--resume", str(tmp_path), "--sut", "x:y"])
    assert line.endswith("--resume reuses the options of the run it resumes; drop --sut")
    line = one_line_error(capsys, ["run", "--resume", str(tmp_path)])
    assert line.endswith("run r stored no sut option: it cannot be resumed")


def test_stored_options_come_back_with_absolute_paths(tmp_path: Path) -> None:
    parser = build_parser()
    options = parser.parse_args(["run", "--mode", "PSK", "--profile", "p.json", "--strict"])
    info = RunInfo(run_id="r", sut="builtin", argv=[])
    info.options = stored_options(options, None, tmp_path / "base.json")
    info = RunInfo.from_json(json.loads(json.dumps(info.to_json())))
    again = resumed_options(info, parser.parse_args(["run", "-q"]), parser.parse_args(["run"]))
    assert again.mode == ["PSK"] and again.strict and again.quiet
    assert again.profile == str(Path("p.json").resolve())
    assert again.baseline == str(tmp_path / "base.json")
    assert again.no_expectations and again.expectations is None


def test_trim_journal_drops_only_a_cut_last_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    assert not trim_journal(path)  # no journal yet
    path.write_text('{"a": 1}\n{"b": 2}\n', encoding="utf-8")
    assert not trim_journal(path)
    path.write_text('{"a": 1}\n{"b": 2}\n{"c"', encoding="utf-8")
    assert trim_journal(path)
    assert path.read_text(encoding="utf-8") == '{"a": 1}\n{"b": 2}\n'
    path.write_text('{"c"', encoding="utf-8")
    assert trim_journal(path) and path.read_text(encoding="utf-8") == ""
