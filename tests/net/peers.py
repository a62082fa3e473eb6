"""Misbehaving network peers for the adapter's tests: silent, garbage-answering, bad control."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def udp_peer(
    answer: Callable[[bytes], bytes | None], host: str = "127.0.0.1"
) -> Iterator[tuple[str, int]]:
    """A UDP peer on an ephemeral loopback port that answers each datagram with
    `answer(datagram)` (None: silence); yields its (host, port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind((host, 0))
    sock.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, source = sock.recvfrom(65535)
            except TimeoutError:
                continue
            reply = answer(data)
            if reply is not None:
                sock.sendto(reply, source)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield host, sock.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        sock.close()


def free_udp_port() -> int:
    """A loopback UDP port nothing listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@contextmanager
def control_peer(*connections: list[bytes]) -> Iterator[int]:
    """A TCP control channel on loopback: on its i-th connection it answers request j
    with connections[i][j], then closes that connection; yields its port."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)

    def serve() -> None:
        for lines in connections:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as requests:
                for line in lines:
                    if not requests.readline():
                        break
                    conn.sendall(line)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        thread.join(timeout=5)
