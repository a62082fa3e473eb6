"""suts.rtsp without GStreamer: spec parsing and RFC 4567 status codes, against a scripted
RTSP server on loopback; and the media test against a SUT whose media is keyed right."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mikey.sdp import KeyMgmt, sdp_attribute
from suts import SutSpecError
from suts.base import ExchangeParams, Profile, SutFailure
from suts.rtsp import DEFAULT_TIMEOUT, RtspSut, from_spec, parse_spec

ROOT = Path(__file__).resolve().parents[2]
OFFER = b"\x01\x00\x05\x00offered"
SDP = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=control:*\r\n"
    f"m=audio 0 RTP/SAVP 0\r\na=control:stream=0\r\n{sdp_attribute(KeyMgmt(OFFER))}\r\n"
)


def answer(cseq: str, status: str, body: str = "") -> bytes:
    head = f"RTSP/1.0 {status}\r\nCSeq: {cseq}\r\nContent-Length: {len(body)}\r\n"
    if body:
        head += "Content-Type: application/sdp\r\n"
    return (head + "\r\n" + body).encode()


@pytest.fixture
def scripted(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[str]]]:
    """A one-connection RTSP server: DESCRIBE gets SDP, SETUP gets `request.param`."""
    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[str] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
                while b"\r\n\r\n" in data:
                    head, _, data = data.partition(b"\r\n\r\n")
                    text = head.decode()
                    seen.append(text)
                    cseq = text.split("CSeq: ")[1].split("\r\n")[0]
                    if text.startswith("DESCRIBE"):
                        conn.sendall(answer(cseq, "200 OK", SDP))
                    else:
                        conn.sendall(answer(cseq, request.param))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"//127.0.0.1:{listener.getsockname()[1]}/test?timeout=2", seen
    listener.close()


@pytest.mark.parametrize(
    ("rest", "message"),
    [
        ("127.0.0.1/x", "expected rtsp://HOST:PORT/PATH"),
        ("//h:1/x?colour=red", "unknown option"),
        ("//h:1/x?timeout=0", "timeout must be positive"),
        ("//h:1/x?encr=ROT13", "unknown encr algorithm"),
        ("//h:1/x?err-payloads=maybe", "err-payloads must be yes or no"),
    ],
)
def test_bad_specs_are_one_line_errors(rest: str, message: str) -> None:
    with pytest.raises(SutSpecError, match=message):
        parse_spec(rest)


@pytest.mark.parametrize(("query", "takes"), [("", True), ("?err-payloads=no", False)])
def test_err_payloads_no_declares_a_server_that_is_not_sent_err(query: str, takes: bool) -> None:
    sut = RtspSut(spec=parse_spec("//h:1/x" + query), profile=Profile())
    assert sut.capabilities().takes_err_payloads is takes


@pytest.mark.parametrize("scripted", ["463 Key Management Failure"], indirect=True)
def test_463_is_a_rejection_and_the_answer_travels_in_keymgmt(
    scripted: tuple[str, list[str]],
) -> None:
    rest, seen = scripted
    sut = RtspSut(spec=parse_spec(rest), profile=Profile())
    assert sut.initiate(ExchangeParams()) == OFFER
    outcome = sut.complete(b"verification")
    sut.close()
    assert not outcome.accepted and "463" in outcome.detail
    setup = seen[1]
    # no Content-Base: relative to the request URL (RFC 2326 C.1.1, RFC 1808)
    assert setup.startswith("SETUP rtsp://127.0.0.1:") and "/stream=0 RTSP/1.0" in setup
    assert 'KeyMgmt: prot=mikey; data="dmVyaWZpY2F0aW9u"' in setup


@pytest.mark.parametrize("scripted", ["200 OK"], indirect=True)
def test_the_adapter_hands_over_every_request_and_response_whole(
    scripted: tuple[str, list[str]],
) -> None:
    sut = RtspSut(spec=parse_spec(scripted[0]), profile=Profile())
    sut.initiate(ExchangeParams())
    sut.complete(b"verification")
    segments = sut.transport()
    sut.close()
    assert [s.direction for s in segments] == ["to-sut", "from-sut"] * 2
    assert len({s.connection for s in segments}) == 1 and sut.transport() == []
    assert segments[0].data.decode() == scripted[1][0] + "\r\n\r\n"
    assert segments[1].data == answer("1", "200 OK", SDP)
    assert segments[2].data.startswith(b"SETUP ") and segments[3].data == answer("2", "200 OK")


@pytest.mark.parametrize("scripted", ["500 Internal Server Error"], indirect=True)
def test_another_status_is_a_sut_failure_with_the_exchange(
    scripted: tuple[str, list[str]],
) -> None:
    sut = RtspSut(spec=parse_spec(scripted[0]), profile=Profile())
    sut.initiate(ExchangeParams())
    with pytest.raises(SutFailure, match=r"(?s)500 Internal Server Error.*>> SETUP"):
        sut.complete(None)


def test_media_test_passes_a_sut_whose_media_is_keyed_by_the_exchange(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "conformance/rfc4567/test_rtsp_media.py",
            "--sut",
            "tests.mutants.media_mutants:MediaSut",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout[-2000:]


def test_a_peer_that_cannot_start_is_a_one_line_spec_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("suts.rtsp_peer.SYSTEM_PYTHON", "/nonexistent/python3")
    with pytest.raises(SutSpecError, match="rtsp:gst-rtsp-server cannot start: cannot run"):
        from_spec("gst-rtsp-server", Profile())


def test_the_timeout_is_the_spec_s_then_the_profile_s_then_the_default() -> None:
    profile = Profile(call_timeout=1.5)
    assert from_spec("//h:1/x", Profile()).call_timeout() == DEFAULT_TIMEOUT
    assert from_spec("//h:1/x", profile).call_timeout() == 1.5
    assert from_spec("//h:1/x?timeout=0.2", profile).call_timeout() == 0.2
