"""What an adapter carried over a transport of its own (RTSP over TCP), for the evidence.

An adapter that speaks a protocol around MIKEY records each message it sends to
or receives from the SUT, whole, as a Segment; the suite takes them after each
test (`Sut.transport()`) and the report writes them as that protocol's packets
(conformance/report/captures.py). Threads may record (a server's connection
handlers), so the log is locked.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from itertools import count

_connections = count(1)


def new_connection() -> int:
    """A number naming one TCP connection, distinct within the process."""
    return next(_connections)


@dataclass(frozen=True)
class Segment:
    """One protocol message as it went over one connection."""

    time: float
    direction: str
    """"to-sut" or "from-sut"."""
    protocol: str
    """"rtsp"."""
    connection: int
    data: bytes


@dataclass
class TransportLog:
    """Segments recorded since the last `take()`."""

    _segments: list[Segment] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, direction: str, protocol: str, connection: int, data: bytes) -> None:
        with self._lock:
            self._segments.append(Segment(time.time(), direction, protocol, connection, data))

    def take(self) -> list[Segment]:
        with self._lock:
            taken, self._segments = self._segments, []
        return taken
