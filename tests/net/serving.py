"""Run `mikeyconf serve` as a subprocess for a test: wait for its readiness line, always stop it."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.subprocess_cli import mikeyconf

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(
    r"MIKEY on udp (?P<udp>\S+):(?P<port>\d+), (?:control on tcp \S+:(?P<cport>\d+)|no)"
)


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    log: Path
    port: int
    control_port: int | None

    def sut(self, timeout: float = 1.0, control: bool = True) -> str:
        """The --sut spec that reaches this server."""
        spec = f"udp:127.0.0.1:{self.port}?timeout={timeout}"
        if control and self.control_port is not None:
            spec += f"&control=127.0.0.1:{self.control_port}"
        return spec

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Stop the server with `sig`; returns its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                return self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait(timeout=10)


@contextmanager
def served(tmp_path: Path, *args: str) -> Iterator[Served]:
    """`mikeyconf serve --port 0 ARGS` on loopback; stdout goes to a file (never a full pipe)."""
    log = tmp_path / f"serve-{time.monotonic_ns()}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "conformance.cli", "serve", "--port", "0", *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        found = _wait_ready(process, log)
        cport = found.group("cport")
        yield Served(process, log, int(found.group("port")), int(cport) if cport else None)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(process: subprocess.Popen[bytes], log: Path) -> re.Match[str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = READY.search(log.read_text(encoding="utf-8"))
        if found:
            return found
        if process.poll() is not None:
            raise AssertionError(f"mikeyconf serve exited: {log.read_text(encoding='utf-8')}")
        time.sleep(0.05)
    raise AssertionError(f"mikeyconf serve never became ready: {log.read_text(encoding='utf-8')}")


def run_suite(out: Path, run_id: str, *args: str) -> dict[str, dict[str, Any]]:
    """`mikeyconf run ARGS`; the results by test ID."""
    done = mikeyconf("run", "--out", str(out), "--run-id", run_id, "-q", *args)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr
    results = json.loads((out / run_id / "results.json").read_text(encoding="utf-8"))
    return {r["test_id"]: r for r in results["results"]}
