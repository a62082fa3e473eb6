"""One real run with a failure, shared by the capture and browser tests: the PSK tests
against a mutant of the built-in SUT that pads the COUNTER wrongly, secrets kept."""

from __future__ import annotations

from pathlib import Path

from tests.subprocess_cli import mikeyconf

MUTANT = "tests.mutants.bank:psk_responder_counter_right_padded"
FAILING = "rfc3830/test_counter_padding.py::test_responder_pads_the_counter[PSK]"


def make_run(root: Path, *extra: str) -> Path:
    """Run the PSK tests against MUTANT into root/r; returns the run directory."""
    args = ["run", "--sut", MUTANT, "--mode", "PSK", "-q", "-n", "2"]
    done = mikeyconf(*args, "--out", str(root), "--run-id", "r", *extra)
    assert done.returncode == 1, done.stdout + done.stderr
    return root / "r"
