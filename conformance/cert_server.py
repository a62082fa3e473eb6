"""The suite's certificate server: certificates by URL for X.509v3 URL CERTs (RFC 4738 3.8).

RSA-R's default certificate method names the certificate by an HTTP URL (RFC
2585: the DER as application/pkix-cert) instead of carrying it. To play a
party that sends its certificate that way, the suite serves the certificates
from an HTTP server in a thread of its own process, on 127.0.0.1 and a free
port by default (`MIKEYCONF_CERT_SERVER=HOST` binds HOST instead, for a SUT on
another machine, which must then be let fetch from there). A test publishes
what a URL serves, the good DER or a fault (a 404, garbage), and sends the URL.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography import x509

from mikey.pki import der_of

HOST_VARIABLE = "MIKEYCONF_CERT_SERVER"
PKIX_CERT = "application/pkix-cert"


class CertServer:
    """Serves what `publish` put at each path; 404 for the rest."""

    def __init__(
        self, server: ThreadingHTTPServer, resources: dict[str, bytes], hits: set[str]
    ) -> None:
        self._resources = resources
        self._hits = hits
        self._names = itertools.count(1)
        host, port = str(server.socket.getsockname()[0]), server.server_port
        self.base = f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def publish(self, name: str, body: bytes | None) -> str:
        """A fresh URL ending in `name` that serves `body` (None: a URL that 404s)."""
        path = f"/{next(self._names)}/{name}"
        if body is not None:
            self._resources[path] = body
        return self.base + path

    def fetched(self, url: str) -> bool:
        """Whether someone asked for `url` (found or not)."""
        return url.removeprefix(self.base) in self._hits

    def publish_chain(self, name: str, chain: tuple[x509.Certificate, ...]) -> tuple[str, ...]:
        """One URL per certificate of `chain`, end entity first (RFC 3830 6.7: one CERT each;
        RFC 4738 3.8: "appending their ID and a '.cer' extension")."""
        return tuple(self.publish(f"{name}-{i}.cer", der_of(c)) for i, c in enumerate(chain))


def _handler(resources: dict[str, bytes], hits: set[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.add(self.path)
            body = resources.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", PKIX_CERT)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # no request log on the suite's stderr

    return Handler


@contextmanager
def cert_server() -> Iterator[CertServer]:
    """A running certificate server, stopped on exit."""
    host = os.environ.get(HOST_VARIABLE, "127.0.0.1")
    resources: dict[str, bytes] = {}
    hits: set[str] = set()
    server = ThreadingHTTPServer((host, 0), _handler(resources, hits))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="cert-server", daemon=True)
    thread.start()
    try:
        yield CertServer(server, resources, hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
