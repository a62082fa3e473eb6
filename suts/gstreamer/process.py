"""The suite's side of the GStreamer worker process: one request at a time, restarts.

Third-party code runs out of the suite's process (docs/design.md), so that a crash
or an endless loop becomes a finding, not the end of the run. The worker runs
each call in a forked child and answers {"hang": ...} or {"crash": ...} when
GStreamer loops or dies (suts.gstreamer.isolate); those become WorkerFailure
here and the worker lives on. Should the worker itself stop answering (no line
within `wall_limit` seconds), die, or write garbage, it is killed and a fresh
one started for the next call.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]


class WorkerFailure(Exception):
    """GStreamer hung or crashed, or the worker broke the line protocol (message says which)."""


class WorkerUnavailable(WorkerFailure):
    """The worker cannot start: GStreamer cannot be loaded."""


class Worker:
    """One `python -m suts.gstreamer.worker` child, restarted after it fails."""

    def __init__(self, cpu_budget: float = 0.05, wall_limit: float = 30.0) -> None:
        self.cpu_budget = cpu_budget
        self.wall_limit = wall_limit
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._stderr_seen = 0
        self.version = ""

    def start(self) -> None:
        """Start the worker and greet it; WorkerUnavailable if GStreamer cannot be loaded."""
        self.close()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        self._stderr_seen = 0
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "suts.gstreamer.worker", str(self.cpu_budget)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            cwd=ROOT,
            env=env,
        )
        try:
            hello = self._exchange({"op": "hello"})
        except WorkerFailure as exc:
            raise WorkerUnavailable(str(exc)) from None
        self.version = str(hello.get("version", ""))

    def call(self, request: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """The worker's answer to one request, and what GStreamer wrote on stderr meanwhile."""
        if self._proc is None or self._proc.poll() is not None:
            self.start()
        reply = self._exchange(request)
        news = self.stderr_news()
        for finding in ("hang", "crash"):
            if finding in reply:
                raise WorkerFailure(f"{reply[finding]}; stderr: {news}" if news else reply[finding])
        return reply, news

    def _exchange(self, request: dict[str, Any]) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
        except OSError as exc:
            raise self._failed(f"the worker stopped taking requests ({exc})") from None
        ready, _, _ = select.select([proc.stdout], [], [], self.wall_limit)
        if not ready:
            raise self._failed(
                f"the GStreamer worker did not answer within {self.wall_limit:.0f} s"
            )
        line = proc.stdout.readline()
        if not line:
            time.sleep(0.05)  # let it finish dying, for its exit status
            raise self._failed(f"the GStreamer worker died (exit status {proc.poll()})")
        try:
            reply = json.loads(line)
        except ValueError:
            raise self._failed(f"the worker wrote garbage: {line[:200]!r}") from None
        if not isinstance(reply, dict):
            raise self._failed(f"the worker answered {reply!r}")
        if "error" in reply:
            raise self._failed(str(reply["error"]))
        return reply

    def _failed(self, what: str) -> WorkerFailure:
        """Kill the worker; the failure, with what it wrote on stderr."""
        stderr = self.stderr_news()
        self.close()
        return WorkerFailure(f"{what}; its stderr: {stderr}" if stderr else what)

    def stderr_news(self) -> str:
        """What the worker wrote on stderr since the last look (GLib criticals)."""
        if self._stderr is None:
            return ""
        self._stderr.seek(self._stderr_seen)
        news = self._stderr.read()
        self._stderr_seen += len(news)
        return news.decode("utf-8", "replace").strip()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
