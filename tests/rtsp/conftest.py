"""A live gst-rtsp-server (suts/rtsp_peer) for the RTSP tests; skipped, with the reason,
only when the system Python cannot load GstRtspServer and srtpenc."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from suts.rtsp_peer import RtspServer, available, start_server


@pytest.fixture(scope="module")
def rtsp_server() -> Iterator[RtspServer]:
    reason = available()
    if reason is not None:
        pytest.skip(f"no gst-rtsp-server peer: {reason}")
    server = start_server()
    yield server
    server.stop()
