"""Fetching the certificates X.509v3 URL CERT payloads name (RFC 4738 3.8), for the SUTs.

RSA-R makes the X.509v3 URL CERT type (RFC 3830 Table 6.7.b) "the default
method" that "MUST be implemented", with "the HTTP URL to fetch a certificate
as specified in RFC 2585" and "application/pkix-cert MIME type with X.509
certificates DER-encoded". The reference library does no I/O (mikey.pki takes
a `Fetch`); this is the one the builtin SUT and the reference side wire in.

A peer chooses the URL, so fetching it is a request forgery waiting to happen:
only `http://` URLs are fetched (FTP is not required, 3.8; no TLS is needed for
a signed certificate), only from the hosts of an allow-list (by default
loopback only; `MIKEYCONF_CERT_HOSTS=host,host` sets another), with a total
time limit, a size cap, and no redirects. The body is taken whatever its
Content-Type: the DER parse decides (mikey.pki.load_certificate).
"""

from __future__ import annotations

import http.client
import os
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from mikey.pki import FetchError

HOSTS_VARIABLE = "MIKEYCONF_CERT_HOSTS"
"""Comma-separated host names or addresses a certificate URL may name."""

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
"""The default allow-list: the suite's own certificate server is on loopback."""


@dataclass(frozen=True)
class HttpCertFetcher:
    """A mikey.pki.Fetch for `http://` URLs on allowed hosts, bounded in time and size."""

    hosts: frozenset[str] = LOOPBACK
    timeout: float = 5.0
    """Seconds for the whole fetch: connecting, the request and the body."""
    max_size: int = 64 * 1024
    """Bytes; a certificate chain's end entity is a few KiB."""

    @classmethod
    def from_environment(cls) -> HttpCertFetcher:
        """The fetcher with the allow-list of MIKEYCONF_CERT_HOSTS, when it is set."""
        value = os.environ.get(HOSTS_VARIABLE)
        if value is None:
            return cls()
        return cls(hosts=frozenset(h.strip().lower() for h in value.split(",") if h.strip()))

    def __call__(self, url: str) -> bytes:
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError as exc:
            raise FetchError(f"not a URL: {exc}") from None
        if parts.scheme.lower() != "http" or not host:
            raise FetchError("only http:// URLs are fetched (RFC 4738 3.8, RFC 2585)")
        if host not in self.hosts:
            raise FetchError(f"host {host} is not allowed (set {HOSTS_VARIABLE})")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        deadline = time.monotonic() + self.timeout
        connection = http.client.HTTPConnection(host, port or 80, timeout=self.timeout)
        try:
            connection.request("GET", path, headers={"Accept": "application/pkix-cert"})
            response = connection.getresponse()
            if response.status != 200:
                raise FetchError(f"HTTP {response.status} {response.reason}")
            return self._body(response, deadline)
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"{type(exc).__name__}: {exc or 'timed out'}") from None
        finally:
            connection.close()

    def _body(self, response: http.client.HTTPResponse, deadline: float) -> bytes:
        body = bytearray()
        while chunk := response.read1(4096):
            body += chunk
            if len(body) > self.max_size:
                raise FetchError(f"more than {self.max_size} bytes")
            if time.monotonic() > deadline:
                raise FetchError(f"not fetched within {self.timeout} s")
        return bytes(body)
