"""Each way a shim can break the protocol gives SutFailure with evidence, then a fresh shim.

The misbehaving shim (tests/shim/misbehaving/shim.py) misbehaves once, on the
operation named, and says so on its stderr; the call must raise SutFailure
naming the fault and quoting that stderr, the process must be gone, and the
next call must be answered by a restarted shim.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from conformance.corpus import valid_samples
from suts.base import Profile, SutFailure
from suts.shim import ShimSut
from suts.shim.process import STDERR_KEEP
from tests.shim.conftest import PYTHON, REFERENCE

SAMPLE = valid_samples()[0].data


def misbehaving(mode: str, op: str, flag: Path | str, timeout: float = 5.0) -> ShimSut:
    command = [PYTHON, "-m", "tests.shim.misbehaving.shim", mode, op, str(flag)]
    return ShimSut(profile=Profile(), command=command, timeout=timeout)


def live_members(group: int) -> list[int]:
    """The processes of a process group that are not zombies (Linux /proc).

    A killed shim's orphans are reaped by PID 1, which in some containers never
    reaps: a zombie is dead, so it does not count.
    """
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize(
    ("mode", "fault"),
    [
        ("exit", "closed its stdout (exited with status 3)"),
        ("hang", "no answer within 0.5 s"),
        ("garbage", "not a JSON line"),
        ("not-an-object", "line: expected dict"),
        ("close-stdout", "closed its stdout"),
        ("flood", "longer than 1048576 bytes"),
        ("wrong-id", "carries id"),
        ("wrong-type", "decode result.structure: expected dict"),
    ],
)
def test_a_fault_kills_the_shim_and_the_next_call_restarts_it(
    tmp_path: Path, mode: str, fault: str
) -> None:
    sut = misbehaving(mode, "decode", tmp_path / "flag")
    try:
        sut.capabilities()  # the handshake under the full timeout: a loaded machine is slow
        first = sut._process
        assert first is not None
        sut.timeout = 0.5 if mode == "hang" else 5.0
        with pytest.raises(SutFailure) as caught:
            sut.decode(SAMPLE)
        sut.timeout = 5.0  # the restarted shim's handshake, again under the full timeout
        message = str(caught.value)
        assert "shim decode() fault" in message and fault in message, message
        assert f"misbehaving: {mode}" in message, "the shim's stderr is the evidence"
        assert gone(first.pid), "the faulty shim is killed"
        assert sut.decode(SAMPLE).accepted, "the restarted shim answers"
        assert sut.restarts == 1
    finally:
        sut.close()


@pytest.mark.parametrize("mode", ["bad-version", "garbage", "exit"])
def test_a_failed_handshake_is_a_failure_and_the_next_start_works(
    tmp_path: Path, mode: str
) -> None:
    sut = misbehaving(mode, "hello", tmp_path / "flag")
    try:
        with pytest.raises(SutFailure, match="shim hello\\(\\) fault: handshake failed") as caught:
            sut.capabilities()
        assert f"misbehaving: {mode}" in str(caught.value)
        assert sut.capabilities().name == "mikey reference (builtin)"
    finally:
        sut.close()


@pytest.mark.parametrize(("mode", "said"), [("failure", "simulated"), ("unsupported", "not in")])
def test_an_error_answer_is_a_failure_but_the_shim_lives_on(
    tmp_path: Path, mode: str, said: str
) -> None:
    sut = misbehaving(mode, "decode", tmp_path / "flag")
    try:
        sut.capabilities()
        first = sut._process
        with pytest.raises(SutFailure, match=f"shim decode\\(\\) answered {mode}: {said}"):
            sut.decode(SAMPLE)
        assert sut.decode(SAMPLE).accepted and sut._process is first and sut.restarts == 0
    finally:
        sut.close()


def test_a_fault_in_reset_fails_the_next_call(tmp_path: Path) -> None:
    sut = misbehaving("exit", "reset", tmp_path / "flag")
    try:
        sut.capabilities()
        sut.reset()  # no exception in a test's set-up ...
        with pytest.raises(SutFailure, match=r"failed reset\(\) before this test(.|\n)*exited"):
            sut.decode(SAMPLE)  # ... but the test that follows fails
        assert sut.decode(SAMPLE).accepted
    finally:
        sut.close()


def test_an_extra_answer_line_is_caught_at_the_next_call(tmp_path: Path) -> None:
    sut = misbehaving("two-lines", "decode", tmp_path / "flag")
    try:
        assert not sut.decode(SAMPLE).accepted
        with pytest.raises(SutFailure, match="carries id"):
            sut.decode(SAMPLE)
        assert sut.decode(SAMPLE).accepted
    finally:
        sut.close()


def test_a_stderr_flood_neither_blocks_nor_grows_without_bound(tmp_path: Path) -> None:
    sut = misbehaving("stderr-flood", "decode", tmp_path / "flag")
    try:
        assert sut.decode(SAMPLE).accepted
        process = sut._process
        assert process is not None
        tail = process.stderr_tail(10_000_000)
        assert len(tail) <= STDERR_KEEP + 4096 and tail.endswith("last words\n")
    finally:
        sut.close()


def test_close_leaves_no_process(tmp_path: Path) -> None:
    sut = misbehaving("hang", "decode", tmp_path / "flag")
    sut.capabilities()
    assert sut._process is not None
    pid = sut._process.pid
    sut.close()
    assert gone(pid)


def test_a_shim_left_open_is_killed_at_exit(tmp_path: Path) -> None:
    """A SUT never closed (a crashed harness): the shim dies with the interpreter."""
    # A wrapper that outlives its shim: only killing the process group ends the `sleep`.
    command = ["sh", "-c", shlex.join(REFERENCE) + "; exec sleep 3600"]
    script = (
        "from suts.shim import ShimSut; from suts.base import Profile\n"
        f"s = ShimSut(profile=Profile(), command={command!r})\n"
        "s.capabilities(); print(s._process.pid, flush=True)\n"
    )
    done = subprocess.run(
        [PYTHON, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert not live_members(int(done.stdout))
