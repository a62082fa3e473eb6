"""One real run with one realistic bug, shared by the capture and browser tests: the PSK
tests against a mutant of the built-in SUT that stamps its timestamps from the wrong epoch
(a few tests fail, many are inconclusive)."""

from __future__ import annotations

from pathlib import Path

from tests.subprocess_cli import mikeyconf

MUTANT = "tests.mutants.bank:wrong_epoch"
FAILING = "rfc3830/test_psk_parameters.py::test_takes_the_mandatory_timestamp_types[NTP_UTC]"


def make_run(root: Path, *extra: str) -> Path:
    """Run the PSK tests against MUTANT into root/r; returns the run directory."""
    args = ["run", "--sut", MUTANT, "--mode", "PSK", "-q", "-n", "2"]
    done = mikeyconf(*args, "--out", str(root), "--run-id", "r", *extra)
    assert done.returncode == 1, done.stdout + done.stderr
    return root / "r"
