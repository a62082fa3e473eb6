"""One call in a forked child, watched: its answer, or how it hung or crashed.

The worker process has loaded and initialised GStreamer once; forking it
costs about a millisecond, so every call gets a fresh copy and an endless
loop or a crash inside GStreamer costs only that copy. A call that burns more
than `cpu_budget` seconds of CPU time is an endless loop (parsing a message of
a few hundred bytes takes microseconds); counting CPU time rather than wall
time keeps a loaded machine from turning a slow answer into a false finding.
A call that takes more than WALL_LIMIT seconds of wall time is a hang too.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TICKS = os.sysconf("SC_CLK_TCK")
WALL_LIMIT = 10.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process `pid` (Linux /proc), 0.0 if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: proc(5) fields 14, 15


def isolated(call: Callable[[], dict[str, Any]], cpu_budget: float) -> dict[str, Any]:
    """`call()` run in a forked child: its answer, {"hang": why} or {"crash": why}."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer, write, leave without cleanup handlers
        os.close(read_end)
        code = 1
        try:
            data = json.dumps(call()).encode()
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        return _watch(pid, read_end, cpu_budget)
    finally:
        os.close(read_end)


def _watch(pid: int, read_end: int, cpu_budget: float) -> dict[str, Any]:
    chunks: list[bytes] = []
    started = time.monotonic()
    while True:
        ready, _, _ = select.select([read_end], [], [], 0.005)
        if ready:
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            continue
        burnt = cpu_seconds(pid)
        if burnt > cpu_budget or time.monotonic() - started > WALL_LIMIT:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            if burnt > cpu_budget:
                return {"hang": f"GStreamer did not return after {burnt:.2f} s of CPU time"}
            return {"hang": f"GStreamer did not return within {WALL_LIMIT:.0f} s"}
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        return {"crash": f"GStreamer's process was killed by {name}"}
    if not chunks:
        return {"crash": f"GStreamer's process exited (status {os.waitstatus_to_exitcode(status)})"}
    reply: dict[str, Any] = json.loads(b"".join(chunks))
    return reply
