"""The RTSP server's session list: kept for evidence by default, dropped once logged when
the server runs long (`mikeyconf serve --rtsp`)."""

from __future__ import annotations

import socket

import pytest

from suts.rtsp_server.session import KeyManagement, RtspMikeyServer, Session
from suts.transport import TransportLog


def _no_keymgmt() -> KeyManagement:
    raise AssertionError("OPTIONS needs no key management")


def _options_then_close(server: RtspMikeyServer) -> None:
    with socket.create_connection((server.host, server.port), timeout=5) as conn:
        conn.sendall(f"OPTIONS {server.url} RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode())
        assert conn.recv(4096).startswith(b"RTSP/1.0 200")


@pytest.mark.parametrize("keep", [True, False])
def test_finished_sessions_are_dropped_only_when_asked(keep: bool) -> None:
    ended: list[Session] = []
    server = RtspMikeyServer(
        keymgmt=_no_keymgmt, on_play=lambda s: None, on_end=ended.append, keep_finished=keep
    )
    try:
        for _ in range(3):
            _options_then_close(server)
        with server.changed:
            assert server.changed.wait_for(lambda: len(ended) == 3, timeout=5)
            assert server.changed.wait_for(lambda: len(server.sessions) == (3 if keep else 0), 5)
        assert all(s.events == ["OPTIONS 200"] for s in ended)
    finally:
        server.close()


def test_the_transport_log_holds_each_request_and_response_whole() -> None:
    log = TransportLog()
    ended: list[Session] = []
    server = RtspMikeyServer(
        keymgmt=_no_keymgmt, on_play=lambda s: None, on_end=ended.append, log=log
    )
    try:
        request = f"OPTIONS {server.url} RTSP/1.0\r\nCSeq: 1\r\n\r\n".encode()
        for _ in range(2):
            with socket.create_connection((server.host, server.port), timeout=5) as conn:
                conn.sendall(request)
                answer = conn.recv(4096)
        with server.changed:
            assert server.changed.wait_for(lambda: len(ended) == 2, timeout=5)
        segments = log.take()
        assert [(s.direction, s.protocol) for s in segments] == [
            ("from-sut", "rtsp"),
            ("to-sut", "rtsp"),
        ] * 2
        assert segments[0].data == request and segments[3].data == answer
        assert segments[0].connection == segments[1].connection != segments[2].connection
        assert log.take() == []  # taken once
    finally:
        server.close()
