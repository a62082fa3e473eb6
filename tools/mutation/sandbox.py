"""The scratch copy the mutants live in, and the `mikeyconf run` that judges them.

The copy holds `mikey` (mutated, one mutant at a time) and the unmutated `suts` and
`conformance` the reference shim needs. Only the SUT imports it: the shim runs as
`env PYTHONPATH=COPY python -P -m suts.shim.reference` (-P: no working directory on
sys.path), while `mikeyconf run` runs from the clean tree, so the reference peer that
judges the SUT is never mutated.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("mikey", "suts", "conformance")
CALL_TIMEOUT = 5.0
"""Seconds the shim adapter waits per call: a mutant that hangs the SUT fails fast."""


class SandboxError(Exception):
    """The copy or the unmutated baseline is not usable: one line."""


def make_copy(copy: Path, root: Path = ROOT) -> None:
    """(Re)create the copy from the clean tree: a stopped run may have left a mutant in it."""
    if copy.exists():
        shutil.rmtree(copy)
    skip = shutil.ignore_patterns("__pycache__")
    for package in PACKAGES:
        shutil.copytree(root / package, copy / package, ignore=skip)


def shim_argv(copy: Path) -> list[str]:
    return ["env", f"PYTHONPATH={copy}", sys.executable, "-P", "-m", "suts.shim.reference"]


def check_copy(copy: Path) -> Path:
    """Where the shim's Python imports `mikey` from; it must be the copy."""
    argv = [*shim_argv(copy)[:-2], "-c", "import mikey, suts.shim.reference; print(mikey.__file__)"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT)
    where = Path(done.stdout.strip() or "?")
    if done.returncode != 0 or not where.resolve().is_relative_to(copy.resolve()):
        raise SandboxError(f"the shim imports mikey from {where}, not from the copy {copy}")
    return where


@dataclass(frozen=True)
class Judge:
    """The `mikeyconf run` command that judges one module's mutants."""

    copy: Path
    modes: tuple[str, ...]
    runs: Path
    run_id: str

    def argv(self) -> list[str]:
        modes = [arg for mode in self.modes for arg in ("--mode", mode)]
        return [
            sys.executable, "-m", "conformance.cli", "run",
            "--sut", "shim:" + shlex.join(shim_argv(self.copy)),
            *modes, "--strict", "--exitfirst", "--no-expectations", "-q",
            "--call-timeout", repr(CALL_TIMEOUT),
            "--out", str(self.runs), "--run-id", self.run_id,
        ]  # fmt: skip

    def command(self) -> str:
        """As cosmic-ray's test-command (it splits it with shlex and runs it in ROOT)."""
        return shlex.join(self.argv())

    def baseline(self, timeout: float) -> float:
        """Run the judge on the unmutated copy; it must pass. Returns its seconds."""
        started = time.monotonic()
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            done = subprocess.run(self.argv(), capture_output=True, text=True, check=False,
                                  cwd=ROOT, env=env, timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired:
            raise SandboxError(
                f"the unmutated baseline ({self.run_id}) took over {timeout:g} s"
            ) from None
        if done.returncode != 0:
            tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-3:])
            raise SandboxError(f"the unmutated baseline ({self.run_id}) fails: {tail}")
        return time.monotonic() - started
