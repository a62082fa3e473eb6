"""A scripted RTSP client for tests/rtsp: `python scripted_client.py URL REQUEST...`.

Sends each REQUEST (its first line and headers; "URL" stands for the URL given,
CSeq is added) on one connection, reads each answer, then closes and exits 0.
"""

from __future__ import annotations

import socket
import sys
from urllib.parse import urlsplit


def main(url: str, requests: list[str]) -> int:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        for cseq, request in enumerate(requests, 1):
            text = request.replace("URL", url).replace("|", "\r\n")
            sock.sendall(f"{text}\r\nCSeq: {cseq}\r\n\r\n".encode())
            sock.recv(65536)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
