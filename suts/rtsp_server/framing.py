"""RTSP/1.0 message framing for the server side (RFC 2326 6, 7): requests in, responses out.

Only what `session.py` needs: a request line, headers (names compared
case-insensitively, folded lines joined, RFC 2326 15.1) and a Content-Length
body; a response with CSeq echoed (12.17). Anything else is a `FramingError`
naming what is wrong; the connection is then answered 400 and closed.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

MAX_HEADER = 64 * 1024
MAX_BODY = 64 * 1024

REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    454: "Session Not Found",
    455: "Method Not Valid in This State",
    461: "Unsupported Transport",
    463: "Key Management Failure",  # RFC 4567 3.2
    501: "Not Implemented",
}


class FramingError(ValueError):
    """Bytes that are not an RTSP/1.0 request."""


@dataclass(frozen=True)
class RtspRequest:
    """One request: method, request URI, headers (names lower-cased), body."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes = b""
    raw: bytes = b""
    """The request as it came, whole (for the captures)."""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class RequestReader:
    """Requests, one at a time, from one TCP connection."""

    sock: socket.socket
    _buffer: bytes = field(default=b"", repr=False)

    def _fill(self) -> bool:
        chunk = self.sock.recv(4096)
        self._buffer += chunk
        return bool(chunk)

    def next(self) -> RtspRequest | None:
        """The next request; None when the client closed the connection between requests."""
        while b"\r\n\r\n" not in self._buffer:
            if len(self._buffer) > MAX_HEADER:
                raise FramingError("request header longer than 64 KiB")
            if not self._fill():
                if self._buffer.strip():
                    raise FramingError("connection closed inside a request")
                return None
        head, _, self._buffer = self._buffer.partition(b"\r\n\r\n")
        request_line, *lines = head.decode("utf-8", "replace").lstrip("\r\n").split("\r\n")
        parts = request_line.split(" ")
        if len(parts) != 3 or parts[2] != "RTSP/1.0":
            raise FramingError(f"not an RTSP/1.0 request line: {request_line[:80]!r}")
        headers: dict[str, str] = {}
        for line in lines:
            if line[:1] in (" ", "\t") and headers:
                last = list(headers)[-1]
                headers[last] += " " + line.strip()
                continue
            name, colon, value = line.partition(":")
            if not colon:
                raise FramingError(f"malformed header line: {line[:80]!r}")
            headers[name.strip().lower()] = value.strip()
        length_text = headers.get("content-length", "0")
        if not length_text.isdigit() or int(length_text) > MAX_BODY:
            raise FramingError(f"bad Content-Length {length_text[:20]!r}")
        while len(self._buffer) < int(length_text):
            if not self._fill():
                raise FramingError("connection closed inside a body")
        body, self._buffer = self._buffer[: int(length_text)], self._buffer[int(length_text) :]
        raw = head + b"\r\n\r\n" + body
        return RtspRequest(parts[0], parts[1], headers, body, raw)


def response(cseq: str | None, status: int, headers: dict[str, str], body: str = "") -> bytes:
    """An RTSP/1.0 response; CSeq echoes the request's (RFC 2326 12.17)."""
    lines = [f"RTSP/1.0 {status} {REASONS.get(status, 'Unknown')}"]
    if cseq is not None:
        lines.append(f"CSeq: {cseq}")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    data = body.encode("utf-8")
    lines.append(f"Content-Length: {len(data)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + data
