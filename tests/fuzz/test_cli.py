"""`mikeyconf fuzz` and `mikeyconf replay` from the command line: workers, progress, files,
exit statuses, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conformance.cli import main
from tests.fuzz.campaigns import MUTANTS, ROOT, campaign, findings


def mikeyconf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conformance.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_two_xdist_workers_find_and_file(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    run = mikeyconf("fuzz", "--sut", f"{MUTANTS}:accepts_truncated_kemac", "--budget", "40s",
                    "--max-findings", "1", "--workers", "2", "--seed", "7", "--out", str(out),
                    "--run-id", "r1")  # fmt: skip
    assert run.returncode == 1, run.stderr + run.stdout
    assert "workers 2" in run.stderr and "payload types" in run.stderr  # the progress line
    assert "fuzz run r1:" in run.stdout and "accepts-invalid" in run.stdout
    files = sorted((out / "r1" / "findings").glob("*.json"))
    assert files
    doc = json.loads(files[0].read_text())
    assert doc["sut"].endswith("accepts_truncated_kemac") and doc["case"]["role"] == "decoder"
    progress = list((out / "r1" / "progress").glob("*.json"))
    assert len(progress) == 2  # one file per xdist worker
    assert main(["replay", str(files[0])]) == 1


def test_the_responder_role_against_the_reference_finds_nothing(tmp_path: Path) -> None:
    worker = campaign(tmp_path, "builtin", budget=1.5, role="responder")
    assert worker.stats.cases > 10
    assert findings(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fuzz", "--budget", "10x"], "bad budget '10x'"),
        (["fuzz", "--budget", "0"], "bad budget '0'"),
        (["fuzz", "--seed", "-3"], "bad seed '-3'"),
        (["fuzz", "--workers", "0"], "bad value '0'"),
        (["fuzz", "--db", "redis://localhost:x"], "the port is not a number"),
        (["fuzz", "--db", "ftp://x"], "a directory, or redis://HOST:PORT"),
        (["fuzz", "--sut", "nonsense"], "unknown SUT 'nonsense'"),
        (["replay", "/nonexistent/finding.json"], "cannot read"),
    ],
)
def test_bad_values_are_one_line_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main([*args, *(["--out", str(tmp_path)] if args[0] == "fuzz" else [])]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_a_file_that_is_no_finding_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "something else"}')
    assert main(["replay", str(path)]) == 2
    assert "not a mikeyconf fuzz finding" in capsys.readouterr().err


def test_a_sut_that_does_not_play_the_role_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from suts.base import Role
    from suts.builtin import BuiltinSut

    caps = BuiltinSut().capabilities()
    monkeypatch.setattr(
        BuiltinSut, "capabilities", lambda self: replace(caps, roles={Role.DECODER})
    )
    assert main(["fuzz", "--role", "responder", "--out", str(tmp_path)]) == 2
    assert "does not play the responder role" in capsys.readouterr().err
