"""The server's media path of one stream: SRTP out to the client's ports, what comes back in.

`MediaLink` holds the server's UDP port pair (RTP even, RTCP odd; RFC 3550
11) for one SETUP. `stream` sends already protected SRTP packets 20 ms apart
(the test source's pace, suts/rtp.py) with an SRTCP sender report every
second and after the last, gathering every datagram the client sends to
either port meanwhile; `settle` then gives the client a moment, and, unless
it sent RTCP since the stream began, waits for its next RTCP datagram (its
receiver report on what it took in) for at most `wait` seconds. Nothing here
holds keys: callers protect the packets (mikey.srtp).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from suts.base import MediaCapture
from suts.rtp import PACKET_INTERVAL
from suts.rtsp import bind_port_pair

REPORT_EVERY = 50
"""An SRTCP sender report after every 50 packets (one second of the test source)."""


@dataclass(frozen=True)
class ClientTransport:
    """Where the client takes the stream (RFC 2326 12.39 client_port)."""

    host: str
    rtp_port: int
    rtcp_port: int


class MediaLink:
    """The server's port pair for one stream and what arrived on it."""

    def __init__(self, host: str) -> None:
        self.rtp, self.rtcp = bind_port_pair(host)
        self.received_rtp: list[bytes] = []
        self.received_rtcp: list[bytes] = []
        self.sent = 0
        self.rtcp_before_stream = 0
        self._lock = threading.Lock()

    @property
    def server_ports(self) -> tuple[int, int]:
        return self.rtp.getsockname()[1], self.rtcp.getsockname()[1]

    def capture(self) -> MediaCapture:
        """What the client sent so far: SRTP on the RTP port, SRTCP on the RTCP port."""
        with self._lock:
            return MediaCapture(rtp=tuple(self.received_rtp), rtcp=tuple(self.received_rtcp))

    def _gather(self, until: float) -> bool:
        """Take datagrams until the monotonic time `until`; True if one was RTCP."""
        got_rtcp = False
        if self.rtp.fileno() < 0 or self.rtcp.fileno() < 0:  # closed: nothing more comes
            return False
        with selectors.DefaultSelector() as sel:
            sel.register(self.rtp, selectors.EVENT_READ, (self.rtp, self.received_rtp))
            sel.register(self.rtcp, selectors.EVENT_READ, (self.rtcp, self.received_rtcp))
            while (left := until - time.monotonic()) > 0:
                for key, _ in sel.select(left):
                    sock, into = key.data
                    try:
                        data = sock.recv(65535)
                    except OSError:  # an ICMP error for an earlier datagram
                        continue
                    with self._lock:
                        into.append(data)
                    got_rtcp = got_rtcp or sock is self.rtcp
                if got_rtcp:
                    return True
        return got_rtcp

    def stream(
        self,
        client: ClientTransport,
        packets: Iterable[bytes],
        report: Callable[[int], bytes],
        stop: threading.Event,
    ) -> None:
        """Send `packets` PACKET_INTERVAL apart, and `report(count)` (an SRTCP SR) every
        REPORT_EVERY packets and after the last; stop early when `stop` is set."""
        rtp_to, rtcp_to = (client.host, client.rtp_port), (client.host, client.rtcp_port)
        with self._lock:
            self.rtcp_before_stream = len(self.received_rtcp)
        next_at = time.monotonic()
        for packet in packets:
            if stop.is_set():
                break
            self._gather(next_at)
            self._send(self.rtp, packet, rtp_to)
            self.sent += 1
            if self.sent % REPORT_EVERY == 0:
                self._send(self.rtcp, report(self.sent), rtcp_to)
            next_at += PACKET_INTERVAL
        self._send(self.rtcp, report(self.sent), rtcp_to)

    @staticmethod
    def _send(sock: socket.socket, data: bytes, to: tuple[str, int]) -> None:
        # the client's port may be gone: what it took in is its report's business
        with contextlib.suppress(OSError):
            sock.sendto(data, to)

    def settle(self, wait: float, drain: float = 0.2) -> None:
        """Let the client catch up: gather for `drain` seconds, then, when no RTCP came
        from it since the stream began, up to `wait` seconds more for its next one."""
        self._gather_all(time.monotonic() + drain)
        with self._lock:
            reported = self.rtcp_before_stream < len(self.received_rtcp)
        if not reported:
            self._gather(time.monotonic() + wait)

    def _gather_all(self, until: float) -> None:
        while time.monotonic() < until and self.rtp.fileno() >= 0:
            self._gather(until)

    def close(self) -> None:
        self.rtp.close()
        self.rtcp.close()
