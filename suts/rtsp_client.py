"""A minimal RTSP/1.0 client over one TCP connection (RFC 2326), with timeouts everywhere.

Only what the RTSP adapter (suts/rtsp.py) needs: send a request with CSeq,
read one response (status line, headers, Content-Length body). Every I/O
failure is a SutFailure naming the request; `transcript` keeps the last
exchanges as evidence.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from suts.base import SutFailure
from suts.transport import TransportLog, new_connection

MAX_HEADER = 64 * 1024
MAX_BODY = 1024 * 1024
TRANSCRIPT_LEN = 8


@dataclass(frozen=True)
class RtspResponse:
    """One RTSP response: status code, reason, headers (names lower-cased), body."""

    status: int
    reason: str
    headers: dict[str, str]
    body: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class RtspConnection:
    """One RTSP control connection to HOST:PORT."""

    host: str
    port: int
    timeout: float
    transcript: list[str] = field(default_factory=list)
    log: TransportLog | None = None
    """Where each request and response goes whole, for the captures (suts/transport.py)."""
    connection: int = field(default_factory=new_connection)
    _sock: socket.socket | None = None
    _cseq: int = 0
    _buffer: bytes = b""

    def request(self, method: str, url: str, headers: dict[str, str]) -> RtspResponse:
        """Send one request and read its response; SutFailure on any transport fault."""
        self._cseq += 1
        lines = [f"{method} {url} RTSP/1.0", f"CSeq: {self._cseq}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        text = "\r\n".join(lines) + "\r\n\r\n"
        self._note(">> " + text)
        try:
            sock = self._connect()
            sock.sendall(text.encode("utf-8"))
            self._record("to-sut", text.encode("utf-8"))
            response = self._read_response()
        except OSError as exc:
            self.close()
            raise SutFailure(f"RTSP {method}: {exc or type(exc).__name__}") from None
        self._note(f"<< {response.status} {response.reason} {response.headers} {response.body}")
        cseq = response.header("CSeq")
        if cseq != str(self._cseq):
            self.close()
            raise SutFailure(f"RTSP {method}: response CSeq {cseq!r}, not {self._cseq}")
        return response

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
        self._sock, self._buffer = None, b""

    def _record(self, direction: str, data: bytes) -> None:
        if self.log is not None:
            self.log.record(direction, "rtsp", self.connection, data)

    def _note(self, entry: str) -> None:
        self.transcript.append(entry.strip())
        del self.transcript[:-TRANSCRIPT_LEN]

    def _connect(self) -> socket.socket:
        if self._sock is None:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        return self._sock

    def _read_until(self, marker: bytes) -> bytes:
        assert self._sock is not None
        while marker not in self._buffer:
            if len(self._buffer) > MAX_HEADER:
                raise SutFailure("RTSP response header is too long")
            chunk = self._sock.recv(4096)
            if not chunk:
                raise SutFailure("the RTSP server closed the connection")
            self._buffer += chunk
        head, _, self._buffer = self._buffer.partition(marker)
        return head

    def _read_response(self) -> RtspResponse:
        raw_head = self._read_until(b"\r\n\r\n")
        head = raw_head.decode("utf-8", "replace")
        status_line, *header_lines = head.split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or parts[0] != "RTSP/1.0" or not parts[1].isdigit():
            raise SutFailure(f"not an RTSP/1.0 status line: {status_line[:80]!r}")
        headers: dict[str, str] = {}
        for line in header_lines:
            if line[:1] in (" ", "\t") and headers:  # folded continuation (RFC 2326 15.1)
                last = list(headers)[-1]
                headers[last] += " " + line.strip()
                continue
            name, colon, value = line.partition(":")
            if not colon:
                raise SutFailure(f"malformed RTSP header line: {line[:80]!r}")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or "0")
        if not 0 <= length <= MAX_BODY:
            raise SutFailure(f"RTSP Content-Length {length} out of range")
        assert self._sock is not None
        while len(self._buffer) < length:
            chunk = self._sock.recv(length - len(self._buffer))
            if not chunk:
                raise SutFailure("the RTSP server closed the connection inside a body")
            self._buffer += chunk
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        self._record("from-sut", raw_head + b"\r\n\r\n" + body)
        reason = parts[2] if len(parts) > 2 else ""
        return RtspResponse(int(parts[1]), reason, headers, body.decode("utf-8", "replace"))
