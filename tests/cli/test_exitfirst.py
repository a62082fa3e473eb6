"""`mikeyconf run -x` (--exitfirst): the run ends at its first failure that counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.report.model import counts_as_failure
from conformance.report.rundir import JOURNAL
from tests.subprocess_cli import mikeyconf


def journal(run_dir: Path) -> list[dict[str, Any]]:
    lines = (run_dir / JOURNAL).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_a_failing_sut_stops_at_its_first_failure(tmp_path: Path) -> None:
    selected = mikeyconf("run", "--mode", "PSK", "--list").stdout.count("\n")
    done = mikeyconf("run", "--mode", "PSK", "-q", "-x", "--out", str(tmp_path), "--run-id",
                     "r", "--sut", "tests.mutants.bank:skips_mac_check")  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    results = journal(tmp_path / "r")
    assert [r["verdict"] for r in results].count("fail") == 1
    assert results[-1]["verdict"] == "fail"
    assert "RFC3830-5.3-verify-mac" in results[-1]["requirements"]
    assert len(results) < selected - 1
    options = json.loads((tmp_path / "r" / "run.json").read_text(encoding="utf-8"))["options"]
    assert options["exitfirst"] is True


def test_a_passing_sut_runs_every_test(tmp_path: Path) -> None:
    done = mikeyconf("run", "--mode", "RSA-R", "-q", "--exitfirst", "--out", str(tmp_path),
                     "--run-id", "r")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    listed = mikeyconf("run", "--mode", "RSA-R", "--list").stdout.splitlines()
    assert len(journal(tmp_path / "r")) == len(listed) - 1  # the last line counts the tests


@pytest.mark.parametrize(
    ("verdict", "level", "strict", "counts"),
    [
        ("fail", "MUST", False, True),
        ("fail", "SHOULD", False, False),
        ("fail", "SHOULD", True, True),
        ("unexpected-pass", "MAY", False, True),
        ("expected-deviation", "MUST", True, False),
        ("pass", "MUST", True, False),
    ],
)
def test_which_verdicts_stop_the_run(verdict: str, level: str, strict: bool, counts: bool) -> None:
    assert counts_as_failure(verdict, level, strict) is counts
