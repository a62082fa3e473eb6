"""A real RTSP peer for tests and CI: gst-rtsp-server serving SRTP (RTP/SAVP) with MIKEY.

`launcher.py` beside this file is run by the SYSTEM Python (Debian's python3-gi),
never imported by the suite: third-party endpoints run out of the suite's process
(docs/design.md "The SUT interface"). `start_server` starts it and waits for its
readiness line.
"""

from __future__ import annotations

import os
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

LAUNCHER = Path(__file__).with_name("launcher.py")
SYSTEM_PYTHON = os.environ.get("MIKEY_RTSP_PYTHON", "/usr/bin/python3")
"""The interpreter that has PyGObject and GstRtspServer (Debian python3-gi)."""

READY = "READY "
START_TIMEOUT = 10.0
OUTPUT_LINES = 5


class PeerUnavailable(RuntimeError):
    """The system Python lacks GObject introspection for gst-rtsp-server."""


def available() -> str | None:
    """None when the launcher can run here, else the reason it cannot."""
    try:
        probe = subprocess.run(
            [SYSTEM_PYTHON, str(LAUNCHER), "--probe"],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run {SYSTEM_PYTHON}: {exc}"
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        return f"{SYSTEM_PYTHON} cannot load GstRtspServer/srtpenc: {last}"
    return None


@dataclass
class RtspServer:
    """A running launcher: its process, the URL it serves, the file its stderr goes to."""

    process: subprocess.Popen[str]
    url: str
    stderr: IO[bytes]

    def status(self) -> str:
        """Evidence for a fault: running or its exit status, and its last output lines."""
        code = self.process.poll()
        state = "still running" if code is None else f"exit status {code}"
        self.stderr.seek(0)
        lines = self.stderr.read().decode("utf-8", "replace").strip().splitlines()
        last = " | ".join(lines[-OUTPUT_LINES:]) or "no output"
        return f"gst-rtsp-server {state}; last output: {last}"

    def stop(self) -> None:
        """Terminate the server (closing stdin also makes it exit) and reap it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            if stream is not None:
                stream.close()


def start_server(path: str = "/test", timeout: float = START_TIMEOUT) -> RtspServer:
    """Start gst-rtsp-server on 127.0.0.1 (ephemeral port); return once it listens."""
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 - RtspServer.stop closes it
    try:
        process = subprocess.Popen(
            [SYSTEM_PYTHON, str(LAUNCHER), "--path", path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    except OSError as exc:
        stderr.close()
        raise PeerUnavailable(f"cannot run {SYSTEM_PYTHON}: {exc.strerror or exc}") from None
    server = RtspServer(process, "", stderr)
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
        if not ready:
            break
        line = process.stdout.readline()
        if line.startswith(READY):
            server.url = line[len(READY) :].strip()
            return server
        if not line:
            break
    status = server.status()
    server.stop()
    raise PeerUnavailable(f"the gst-rtsp-server launcher did not start: {status}")
