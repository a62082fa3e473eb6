"""One shim process: start it, exchange a line with a deadline, keep its stderr, kill it.

Reads and writes go through select() on the pipes, so no call waits past its
deadline however the shim behaves (never reading, never answering, writing
without a newline). stderr is drained by a thread into a bounded buffer, so a
chatty shim never blocks and its last words are kept as evidence. A process
is started in its own session and killed as a group (a shell wrapper's
children die with it); every live process is killed at interpreter exit.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Sequence

STDERR_KEEP = 64 * 1024
"""Bytes of the shim's stderr kept (the most recent ones)."""

_LIVE: set[ShimProcess] = set()


class ShimFault(Exception):
    """The shim broke the protocol at the process level (died, hung, flooded...)."""


class ShimProcess:
    """A running shim: `exchange(line)` writes one request line and reads one answer line."""

    def __init__(self, argv: Sequence[str], max_line: int) -> None:
        self.argv = list(argv)
        self.max_line = max_line
        try:
            self._popen = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                bufsize=0,
                start_new_session=True,
            )
        except OSError as exc:
            raise ShimFault(f"cannot start {self.argv[0]!r}: {exc.strerror or exc}") from None
        _LIVE.add(self)
        assert self._popen.stdin and self._popen.stdout and self._popen.stderr
        self._stdin, self._stdout = self._popen.stdin.fileno(), self._popen.stdout.fileno()
        os.set_blocking(self._stdin, False)
        self._pending = b""
        self._stderr: deque[bytes] = deque()
        self._stderr_size = 0
        self._lock = threading.Lock()
        self._drain = threading.Thread(target=self._drain_stderr, daemon=True)
        self._drain.start()

    @property
    def pid(self) -> int:
        return self._popen.pid

    def exchange(self, line: bytes, timeout: float) -> bytes:
        """Send `line` (newline-terminated), return the next line (without the newline)."""
        deadline = time.monotonic() + timeout
        self._write(line, deadline, timeout)
        return self._read_line(deadline, timeout)

    def read_line(self, timeout: float) -> bytes:
        return self._read_line(time.monotonic() + timeout, timeout)

    def _write(self, data: bytes, deadline: float, timeout: float) -> None:
        view = memoryview(data)
        while view:
            if not self._wait(self._stdin, deadline, write=True):
                raise ShimFault(f"the shim did not read its request within {timeout:g} s")
            try:
                view = view[os.write(self._stdin, view) :]
            except BlockingIOError:
                continue
            except OSError:  # EPIPE: nobody reads stdin any more
                raise ShimFault(f"the shim closed its stdin{self._exit_note()}") from None

    def _read_line(self, deadline: float, timeout: float) -> bytes:
        while True:
            end = self._pending.find(b"\n")
            if end >= 0:
                line, self._pending = self._pending[:end], self._pending[end + 1 :]
                if len(line) > self.max_line:
                    raise ShimFault(self._flood())
                return line
            if len(self._pending) > self.max_line:
                raise ShimFault(self._flood())
            if not self._wait(self._stdout, deadline, write=False):
                raise ShimFault(f"no answer within {timeout:g} s (the shim hangs)")
            chunk = os.read(self._stdout, 65536)
            if not chunk:
                raise ShimFault(f"the shim closed its stdout{self._exit_note()}")
            self._pending += chunk

    def _flood(self) -> str:
        return f"the shim wrote a line longer than {self.max_line} bytes (output flood)"

    @staticmethod
    def _wait(fd: int, deadline: float, write: bool) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready = (
            select.select([], [fd], [], remaining)
            if write
            else select.select([fd], [], [], remaining)
        )
        return bool(ready[1] if write else ready[0])

    def _exit_note(self) -> str:
        try:
            status = self._popen.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            return " (still running)"
        if status < 0:
            return f" (killed by signal {signal.Signals(-status).name})"
        return f" (exited with status {status})"

    def _drain_stderr(self) -> None:
        assert self._popen.stderr is not None
        fd = self._popen.stderr.fileno()
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._stderr.append(chunk)
                self._stderr_size += len(chunk)
                while self._stderr_size - len(self._stderr[0]) >= STDERR_KEEP:
                    self._stderr_size -= len(self._stderr.popleft())

    def stderr_tail(self, limit: int = 2000) -> str:
        """The last `limit` bytes the shim wrote to stderr, as text."""
        with self._lock:
            data = b"".join(self._stderr)
        return data[-limit:].decode("utf-8", "replace")

    def alive(self) -> bool:
        return self._popen.poll() is None

    def close(self, grace: float = 0.0) -> None:
        """End the shim: close its stdin, wait up to `grace` s, then kill its process group."""
        _LIVE.discard(self)
        try:
            if self._popen.stdin is not None:
                self._popen.stdin.close()
        except OSError:
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._popen.wait(timeout=grace)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._popen.pid, signal.SIGKILL)
        self._popen.wait()
        self._drain.join(timeout=1.0)
        for stream in (self._popen.stdout, self._popen.stderr):
            if stream is not None:
                stream.close()


@atexit.register
def _kill_all() -> None:
    for process in list(_LIVE):
        process.close()
